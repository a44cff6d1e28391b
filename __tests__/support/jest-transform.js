/**
 * Jest's transform for the TypeScript sources and tests: scripts/lib/transpile.js (tsconfig.json's
 * options, no type-check: `npm test` runs `tsc` for that), with a source map so a failing test's
 * trace points at TypeScript lines. Jest keeps each output in its cache under the key below, so a
 * warm run loads no TypeScript at all (ts-jest loaded it in every worker, about 0.4 s each).
 */
'use strict';
const { createHash } = require('crypto');
const fs = require('fs');
const { transpile, transpileInputs } = require('../../scripts/lib/transpile');

const SELF = fs.readFileSync(__filename, 'utf8') + fs.readFileSync(require.resolve('../../scripts/lib/transpile'), 'utf8');
let inputs;

module.exports = {
  getCacheKey(source, fileName, options) {
    inputs ??= transpileInputs();
    return createHash('sha256').update(SELF).update('\0').update(inputs).update('\0').update(options.configString).update('\0').update(fileName).update('\0').update(source).digest('hex');
  },
  process(source, fileName) {
    return transpile(source, fileName, { sourceMap: true });
  },
};
