#!/usr/bin/env node
/**
 * `npm test`: every check the project has, side by side.
 *
 *   node scripts/test.js [jest options...]
 *
 * 1. `scripts/fetch-upstream.js --if-missing`: the upstream reference data is there and verified
 *    (downloads it when it is not); the tests read it.
 * 2. Then, at once, on the machine's cores:
 *    - the type-check: `tsc -b tsconfig.json` (incremental, no output). Build mode skips the check
 *      when no input is newer than its last clean result (TypeScript's up-to-date check); it does
 *      not look at the installed packages, so after an install (node_modules/.package-lock.json
 *      newer than that result) it runs with `--force`;
 *    - the lint: `scripts/lint.js` (ESLint on the project, then the self-test of its import rules);
 *    - dist/ when a source changed (`scripts/lib/build-dist.js`), which the consumer test packs: it
 *      starts now rather than when Jest reaches that test, which waits for it;
 *    - Jest, with its output streamed as it runs.
 *    The type-check's and the lint's output follow Jest's, each under its own heading.
 * 3. A summary line per step with its time; the exit status is 1 when any step failed.
 *
 * On a terminal (and not under CI=true) each step says when it ends, and Jest prints a line per
 * topic as it finishes (scripts/lib/jest-progress.js), so a long run shows where it is.
 *
 * Side by side rather than one after another because a check that waits for another finds nothing
 * the other would have: Jest only transpiles (it never reads types), and the lint reads no types.
 * Arguments go to Jest (`npm test -- -t 'stack'`).
 */
'use strict';
const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const ROOT = path.join(__dirname, '..');
const node = process.execPath;
/** Progress lines as steps end: on a terminal, not under CI (`CI=true`); Jest's topics too (scripts/lib/jest-progress.js). */
const PROGRESS = Boolean(process.stderr.isTTY) && !/^(1|true)$/i.test(process.env.CI || '');

function run(name, args, { stream = false } = {}) {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(node, args, { cwd: ROOT, stdio: stream ? 'inherit' : ['ignore', 'pipe', 'pipe'], env: process.env });
    let output = '';
    if (!stream) {
      child.stdout.on('data', (d) => (output += d));
      child.stderr.on('data', (d) => (output += d));
    }
    child.on('error', (err) => resolve({ name, status: 1, output: `${output}${err.message}\n`, seconds: (Date.now() - started) / 1000 }));
    child.on('close', (status, signal) => {
      const result = { name, status: status ?? 1, signal, output, seconds: (Date.now() - started) / 1000 };
      // On a terminal, a step that ran beside Jest says so when it ends (its output follows Jest's).
      if (!stream && PROGRESS) process.stderr.write(`npm test: ${result.status === 0 ? 'passed' : 'FAILED'}  ${name}  ${result.seconds.toFixed(1)} s (output after Jest's)\n`);
      resolve(result);
    });
  });
}

/** The type-check's last result (tsconfig.json `tsBuildInfoFile`). */
const BUILD_INFO = path.join(ROOT, 'node_modules', '.cache', 'tsbuildinfo', 'tsconfig.tsbuildinfo');

/** Whether packages were installed since the type-check's last result. */
function typeCheckForced() {
  const mtime = (f) => fs.statSync(f, { throwIfNoEntry: false })?.mtimeMs;
  const result = mtime(BUILD_INFO);
  const installed = mtime(path.join(ROOT, 'node_modules', '.package-lock.json'));
  return result === undefined || installed === undefined || installed > result;
}

async function main() {
  const started = Date.now();
  const fetch = spawnSync(node, [path.join(ROOT, 'scripts', 'fetch-upstream.js'), '--if-missing'], { cwd: ROOT, stdio: 'inherit' });
  if (fetch.status !== 0) {
    console.error('npm test: the upstream reference data is missing or does not verify (see above); nothing else ran.');
    return 1;
  }
  const steps = [
    run(`type-check (tsc -b tsconfig.json${typeCheckForced() ? ' --force' : ''})`, [require.resolve('typescript/bin/tsc'), '-b', 'tsconfig.json', '--pretty', ...(typeCheckForced() ? ['--force'] : [])]),
    run('lint (scripts/lint.js)', [path.join(ROOT, 'scripts', 'lint.js')]),
    run('dist/ for the consumer test (scripts/lib/build-dist.js)', [path.join(ROOT, 'scripts', 'lib', 'build-dist.js')]),
    // A young generation of 64 MiB: synthesizing allocates many short-lived objects, and V8's
    // default 16 MiB semi-space spends about a tenth of the synth group's CPU in scavenges
    // (measured: 29.8 s -> 26.4 s of CPU). Jest's workers inherit the flag (jest-worker forks with
    // the parent's execArgv).
    run('jest', ['--max-semi-space-size=64', require.resolve('jest/bin/jest'), ...process.argv.slice(2)], { stream: true }),
  ];
  const results = await Promise.all(steps);
  for (const r of results) {
    const text = (r.output ?? '').trimEnd();
    if (text) console.log(`\n--- ${r.name}: ${r.status === 0 ? 'passed' : 'FAILED'} ---\n${text}`);
  }
  console.log('');
  for (const r of results) console.log(`npm test: ${r.status === 0 ? 'passed' : 'FAILED'}  ${r.name}  ${r.seconds.toFixed(1)} s${r.signal ? ` (killed by ${r.signal})` : ''}`);
  const failed = results.filter((r) => r.status !== 0);
  console.log(`npm test: ${failed.length === 0 ? 'all passed' : `${failed.length} of ${results.length} steps FAILED`} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return failed.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
