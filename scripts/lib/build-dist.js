#!/usr/bin/env node
/**
 * dist/, the library as `npm pack` ships it, built when a source is newer than the last build:
 * `tsc -p tsconfig.build.json` (incremental; its build info is inside dist/, so removing dist/
 * rebuilds it whole), with `--noCheck` because `npm test` type-checks the same sources beside it
 * (TypeScript 5.6+: the output is the same, measured byte for byte, in three quarters of the time).
 * `npm run build` (and `npm pack`) runs it with `--release`: always, with the check. Either way,
 * outputs whose source is gone are removed.
 *
 * A stamp records the last build's start; a lock directory keeps parallel callers (npm test and
 * the Jest worker that packs the library) from building at once: one builds, the others wait.
 *   node scripts/lib/build-dist.js [--release]
 */
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { newestMtime } = require('./newest-mtime');

const ROOT = path.join(__dirname, '..', '..');
const STAMP = path.join(ROOT, 'dist', '.built');
const LOCK = path.join(ROOT, 'node_modules', '.cache', 'cilium-eks-build.lock');
const SOURCES = ['constructs', 'bpf', 'core', 'index.ts', 'main.ts', 'tsconfig.json', 'tsconfig.build.json'];

function stale() {
  const stamp = fs.statSync(STAMP, { throwIfNoEntry: false });
  if (!stamp || !fs.existsSync(path.join(ROOT, 'dist', 'index.js'))) return true;
  return stamp.mtimeMs < Math.max(...SOURCES.map((s) => newestMtime(path.join(ROOT, s))));
}

const BUILT_FROM = ['index.ts', 'main.ts', 'constructs', 'bpf', 'core'];

/**
 * Removes what TypeScript left in dist/ from a source that is gone (a renamed or deleted file):
 * `tsc` never deletes an output, and the package would ship it. Keeps dist/'s own files.
 */
function prune(dir = path.join(ROOT, 'dist')) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    const rel = path.relative(path.join(ROOT, 'dist'), p);
    if (e.isDirectory()) {
      if (BUILT_FROM.some((b) => rel === b || rel.startsWith(b + path.sep) || b.startsWith(rel + path.sep))) prune(p);
      else fs.rmSync(p, { recursive: true, force: true });
      continue;
    }
    const source = rel.replace(/(\.d\.ts|\.js)$/, '.ts');
    if (source === rel) continue; // .built, .tsbuildinfo
    if (!fs.existsSync(path.join(ROOT, source))) fs.rmSync(p);
  }
}

/** Builds dist/ if it is stale; returns whether this call built it. */
function ensureBuilt({ check = false, force = false } = {}) {
  if (!force && !stale()) return false;
  fs.mkdirSync(path.dirname(LOCK), { recursive: true });
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      fs.mkdirSync(LOCK);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`dist/ build lock ${LOCK} held for 2 minutes: remove it if no build is running`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    if (!force && !stale()) return false;
    const started = Date.now();
    execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json', ...(check ? [] : ['--noCheck'])], { cwd: ROOT, stdio: 'pipe' });
    prune();
    fs.writeFileSync(STAMP, '');
    // The stamp's time is the build's start: a source saved during the build is newer than it.
    fs.utimesSync(STAMP, started / 1000, started / 1000);
    return true;
  } catch (e) {
    throw new Error(`building dist/ failed:\n${e.stdout || ''}${e.stderr || ''}${e.stdout || e.stderr ? '' : e.message}`);
  } finally {
    fs.rmdirSync(LOCK);
  }
}

if (require.main === module) {
  try {
    // `--release` (npm run build, npm pack): always, with the type-check.
    const release = process.argv.includes('--release');
    console.log(ensureBuilt({ check: release, force: release }) ? 'dist/ built' : 'dist/ up to date');
  } catch (e) {
    console.error(e.message);
    process.exit(1);
  }
}

module.exports = { ensureBuilt };
