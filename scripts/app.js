#!/usr/bin/env node
/**
 * The `app` command of cdktf.json: runs main.ts as JavaScript.
 *
 * Each TypeScript source whose compiled file is missing or older is transpiled on its own with
 * TypeScript's `transpileModule` (scripts/lib/transpile.js; no type-check: `npm test` does that)
 * into .build/app/, and the compiled main.js runs there. An unchanged project loads no TypeScript at all, so `cdktf synth`
 * costs what the synth itself costs; ts-node took about 2 s more per run. A misspelt config key
 * still fails the synth: every props object refuses keys it does not know, at run time.
 */
'use strict';
const fs = require('fs');
const path = require('path');
const { transpile } = require('./lib/transpile');

const ROOT = path.join(__dirname, '..');
const OUT = path.join(ROOT, '.build', 'app');
const SOURCES = ['main.ts', 'index.ts', 'constructs', 'bpf', 'core'];

function* tsFiles(rel) {
  const abs = path.join(ROOT, rel);
  const stat = fs.statSync(abs, { throwIfNoEntry: false });
  if (!stat) return;
  if (stat.isDirectory()) {
    for (const e of fs.readdirSync(abs)) yield* tsFiles(path.join(rel, e));
  } else if (rel.endsWith('.ts') && !rel.endsWith('.d.ts')) {
    yield [rel, stat.mtimeMs];
  }
}

/** Transpiles what changed; returns how many files were written. */
function build() {
  let written = 0;
  const wanted = new Set();
  for (const [rel, mtime] of SOURCES.flatMap((s) => [...tsFiles(s)])) {
    const out = path.join(OUT, rel.replace(/\.ts$/, '.js'));
    wanted.add(out);
    const outStat = fs.statSync(out, { throwIfNoEntry: false });
    if (outStat && outStat.mtimeMs >= mtime) continue;
    const { code } = transpile(fs.readFileSync(path.join(ROOT, rel), 'utf8'), rel);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, code);
    written++;
  }
  // A deleted or renamed source must not leave its old JavaScript behind to be loaded.
  const prune = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) prune(p);
      else if (p.endsWith('.js') && !wanted.has(p)) fs.rmSync(p);
    }
  };
  if (fs.existsSync(OUT)) prune(OUT);
  return written;
}

if (require.main === module) {
  build();
  const main = require(path.join(OUT, 'main.js'));
  main.buildApp().synth();
}

module.exports = { build, OUT };
