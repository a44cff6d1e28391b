#!/usr/bin/env node
/**
 * The `app` command of cdktf.json: runs an app entry (main.ts, or an example's main.ts) as JavaScript.
 *
 *   node scripts/app.js [entry.ts]     # default: main.ts of the project; a path is relative to the current directory
 *
 * The entry, the project's code and the packages it uses are bundled by esbuild into one file
 * under .build/app/ (TypeScript is transpiled without a type-check, as `isolatedModules` allows:
 * `npm test` type-checks), and that file runs: it calls the entry's exported `buildApp()` and
 * synthesizes (into `$CDKTF_OUTDIR`, which `cdktf synth` and `cdktf deploy` set, else `cdktf.out`
 * of the current directory). Every entry exports `buildApp(app?: App): App` (main.ts and each of
 * examples/). The bundle also exports `synthSummary` (constructs/synth-summary.ts), which
 * scripts/synth.js (`npm run synth`) prints after the synth; `import 'cilium-eks'` (the
 * consumer example) resolves to the project's index.ts.
 *
 * A bundle is rebuilt only when a source, a tsconfig, a TypeScript file beside the entry or the installed packages
 * (node_modules/.package-lock.json) are newer than it, in about 0.6 s; an unchanged project runs
 * the bundle directly. One file instead of some 500 modules spares Node the module resolution and
 * file reads: the synth takes about two thirds of the unbundled time (`npm run bench` measures it
 * beside an empty cdktf app). The synthesized Terraform is the same byte for byte (a test
 * compares them).
 *
 * A misspelt config key still fails the synth: every props object refuses keys it does not know,
 * at run time. Stack traces point into the bundle; its `.map` maps them back
 * (`NODE_OPTIONS=--enable-source-maps npm run synth`).
 */
'use strict';
const fs = require('fs');
const path = require('path');
const { newestMtime } = require('./lib/newest-mtime');

const ROOT = path.join(__dirname, '..');
const OUT = path.join(ROOT, '.build', 'app');
/** The bundled app's entry, and its bundle. */
const MAIN = path.join(ROOT, 'main.ts');
const BUNDLE = bundlePath(MAIN);
/** What every bundle is made from besides its entry's folder: a newer one of these means a new bundle. */
const INPUTS = ['main.ts', 'index.ts', 'constructs', 'bpf', 'core', 'tsconfig.json', path.join('node_modules', '.package-lock.json')];

/** Where the bundle of `entry` goes: .build/app/main.js for main.ts, .build/app/examples-<name>-main.js for an example. */
function bundlePath(entry) {
  const rel = path.relative(ROOT, path.resolve(entry)).replace(/\.ts$/, '');
  if (rel.startsWith('..') || path.isAbsolute(rel)) throw new Error(`scripts/app.js: ${entry} is outside the project`);
  return path.join(OUT, `${rel.split(path.sep).join('-')}.js`);
}

/** Bundles `entry` (default main.ts) when an input is newer than its bundle; returns whether it did. */
function build(entry = MAIN) {
  entry = path.resolve(entry);
  const out = bundlePath(entry);
  if (!fs.existsSync(entry)) throw new Error(`scripts/app.js: no entry ${entry}`);
  // An example's own TypeScript files count too (not its folder: the synth writes cdktf.out there).
  const own = entry === MAIN ? [] : fs.readdirSync(path.dirname(entry)).filter((f) => f.endsWith('.ts')).map((f) => path.join(path.dirname(entry), f));
  const inputs = [...INPUTS.map((rel) => path.join(ROOT, rel)), ...own];
  const bundle = fs.statSync(out, { throwIfNoEntry: false });
  if (bundle && bundle.mtimeMs >= Math.max(...inputs.map(newestMtime))) return false;
  const started = Date.now();
  // Built in a directory of its own, then renamed into place: a parallel run never loads half a
  // bundle, and the map keeps the name the bundle points at.
  const tmp = path.join(OUT, `.tmp-${process.pid}`);
  const name = path.basename(out);
  const summary = path.relative(path.dirname(entry), path.join(ROOT, 'constructs', 'synth-summary')).split(path.sep).join('/');
  require('esbuild').buildSync({
    // The entry's exports, and the summary from the same modules (one copy of every class).
    stdin: {
      contents: `export * from './${path.basename(entry, '.ts')}';\nexport { synthSummary } from '${summary.startsWith('.') ? summary : `./${summary}`}';\n`,
      resolveDir: path.dirname(entry),
      sourcefile: `${path.basename(entry, '.ts')}.entry.ts`,
      loader: 'ts',
    },
    alias: { 'cilium-eks': path.join(ROOT, 'index.ts') },
    bundle: true,
    platform: 'node',
    target: `node${process.versions.node.split('.')[0]}`,
    format: 'cjs',
    outfile: path.join(tmp, name),
    sourcemap: 'linked',
    tsconfig: path.join(ROOT, 'tsconfig.json'),
    logLevel: 'warning',
  });
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.renameSync(path.join(tmp, `${name}.map`), `${out}.map`);
  fs.renameSync(path.join(tmp, name), out);
  fs.rmSync(tmp, { recursive: true, force: true });
  // The bundle's time is the build's start: a source saved during the build is newer than it.
  fs.utimesSync(out, started / 1000, started / 1000);
  return true;
}

/** Builds when stale and loads the bundle of `entry`: its exports (`buildApp`, `synthSummary`, ...). */
function load(entry = MAIN) {
  build(entry);
  return require(bundlePath(entry));
}

if (require.main === module) {
  const args = process.argv.slice(2);
  if (args.length > 1 || (args[0] !== undefined && args[0].startsWith('-'))) {
    console.error('usage: node scripts/app.js [entry.ts]');
    process.exit(2);
  }
  load(args[0] ?? MAIN).buildApp().synth();
}

module.exports = { build, load, bundlePath, BUNDLE, MAIN, OUT, ROOT };
