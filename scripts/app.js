#!/usr/bin/env node
/**
 * The `app` command of cdktf.json: runs main.ts as JavaScript.
 *
 * main.ts, the project's code and the packages it uses are bundled by esbuild into one file,
 * .build/app/main.js (TypeScript is transpiled without a type-check, as `isolatedModules` allows:
 * `npm test` type-checks), and that file runs. The bundle is rebuilt only when a source, a
 * tsconfig or the installed packages (node_modules/.package-lock.json) are newer than it, in about
 * 0.6 s; an unchanged project runs the bundle directly. One file instead of some 500 modules
 * spares Node the module resolution and file reads: the synth takes about two thirds of the
 * unbundled time (`npm run bench` measures it beside an empty cdktf app). The synthesized
 * Terraform is the same byte for byte (a test compares them).
 *
 * A misspelt config key still fails the synth: every props object refuses keys it does not know,
 * at run time. Stack traces point into the bundle; `.build/app/main.js.map` maps them back
 * (`NODE_OPTIONS=--enable-source-maps npm run synth`).
 */
'use strict';
const fs = require('fs');
const path = require('path');
const { newestMtime } = require('./lib/newest-mtime');

const ROOT = path.join(__dirname, '..');
const OUT = path.join(ROOT, '.build', 'app');
const BUNDLE = path.join(OUT, 'main.js');
/** What the bundle is made from: a newer one of these means a new bundle. */
const INPUTS = ['main.ts', 'index.ts', 'constructs', 'bpf', 'core', 'tsconfig.json', path.join('node_modules', '.package-lock.json')];

/** Bundles main.ts when an input is newer than the bundle; returns whether it did. */
function build() {
  const bundle = fs.statSync(BUNDLE, { throwIfNoEntry: false });
  if (bundle && bundle.mtimeMs >= Math.max(...INPUTS.map((rel) => newestMtime(path.join(ROOT, rel))))) return false;
  const started = Date.now();
  // Built in a directory of its own, then renamed into place: a parallel run never loads half a
  // bundle, and the map keeps the name the bundle points at.
  const tmp = path.join(OUT, `.tmp-${process.pid}`);
  require('esbuild').buildSync({
    entryPoints: [path.join(ROOT, 'main.ts')],
    bundle: true,
    platform: 'node',
    target: `node${process.versions.node.split('.')[0]}`,
    format: 'cjs',
    outfile: path.join(tmp, 'main.js'),
    sourcemap: 'linked',
    tsconfig: path.join(ROOT, 'tsconfig.json'),
    logLevel: 'warning',
  });
  fs.renameSync(path.join(tmp, 'main.js.map'), `${BUNDLE}.map`);
  fs.renameSync(path.join(tmp, 'main.js'), BUNDLE);
  fs.rmSync(tmp, { recursive: true, force: true });
  // The bundle's time is the build's start: a source saved during the build is newer than it.
  fs.utimesSync(BUNDLE, started / 1000, started / 1000);
  return true;
}

if (require.main === module) {
  build();
  require(BUNDLE).buildApp().synth();
}

module.exports = { build, BUNDLE, OUT };
