#!/usr/bin/env node
/**
 * `npm test`: every check the project has, side by side.
 *
 *   node scripts/test.js [jest options...]
 *
 * 1. `scripts/fetch-upstream.js --if-missing`: the upstream reference data is there and verified
 *    (downloads it when it is not); the tests read it.
 * 2. Then, at once, on the machine's cores:
 *    - the type-check: `tsc -p tsconfig.json` (incremental, no output);
 *    - the lint: `scripts/lint.js` (ESLint on the project, then the self-test of its import rules);
 *    - Jest, with its output streamed as it runs.
 *    The type-check's and the lint's output follow Jest's, each under its own heading.
 * 3. A summary line per step with its time; the exit status is 1 when any step failed.
 *
 * Side by side rather than one after another because a check that waits for another finds nothing
 * the other would have: Jest only transpiles (it never reads types), and the lint reads no types.
 * Arguments go to Jest (`npm test -- -t 'stack'`).
 */
'use strict';
const { spawn, spawnSync } = require('child_process');
const path = require('path');

const ROOT = path.join(__dirname, '..');
const node = process.execPath;

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
    child.on('close', (status, signal) => resolve({ name, status: status ?? 1, signal, output, seconds: (Date.now() - started) / 1000 }));
  });
}

async function main() {
  const started = Date.now();
  const fetch = spawnSync(node, [path.join(ROOT, 'scripts', 'fetch-upstream.js'), '--if-missing'], { cwd: ROOT, stdio: 'inherit' });
  if (fetch.status !== 0) {
    console.error('npm test: the upstream reference data is missing or does not verify (see above); nothing else ran.');
    return 1;
  }
  const steps = [
    run('type-check (tsc -p tsconfig.json)', [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.json', '--pretty']),
    run('lint (scripts/lint.js)', [path.join(ROOT, 'scripts', 'lint.js')]),
    run('jest', [require.resolve('jest/bin/jest'), ...process.argv.slice(2)], { stream: true }),
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
