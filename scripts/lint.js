#!/usr/bin/env node
/**
 * `npm run lint` (and the lint step of `npm test`): ESLint on the project, with its cache in
 * node_modules/.cache/eslint/ (as `eslint --cache --cache-location node_modules/.cache/eslint/ .`),
 * then the self-test of the import rules (scripts/lint-selftest.js), then the import graph of the
 * source (scripts/lib/import-graph.js: no cycle, core < bpf < constructs), in one process so
 * ESLint and TypeScript load once. Exits 1 when the project has a lint error or a self-test case
 * fails.
 */
'use strict';
const path = require('path');
const { ESLint } = require('eslint');
const { selfTest } = require('./lint-selftest');
const { importGraphProblems } = require('./lib/import-graph');

const root = path.resolve(__dirname, '..');

async function main() {
  const config = { cwd: root, overrideConfigFile: path.join(root, 'eslint.config.js') };
  const project = new ESLint({ ...config, cache: true, cacheLocation: path.join(root, 'node_modules', '.cache', 'eslint') + path.sep });
  const results = await project.lintFiles(['.']);
  const formatted = await (await project.loadFormatter('stylish')).format(results);
  if (formatted) process.stdout.write(formatted);
  const errors = results.reduce((n, r) => n + r.errorCount + r.fatalErrorCount, 0);
  // The same instance: `lintText` does not use the cache, and the configuration loads once.
  const failures = await selfTest(project);
  // Imports run one way (issue 23): no cycle, no lower layer importing a higher one.
  const graph = importGraphProblems(root);
  for (const problem of graph) console.log(`import graph: ${problem}`);
  return errors === 0 && failures === 0 && graph.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
