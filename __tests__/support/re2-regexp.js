/**
 * Kubernetes CRD patterns are RE2; Cilium's use `\PC` (Go's short form of `\P{C}`), which a
 * JavaScript RegExp refuses. This rewrites the one-letter Unicode class short forms to the braced
 * form, which means the same in both engines. Ajv's `code.regExp` (support/upstream.ts); a module of
 * its own so that the validators Ajv writes as code (the on-disk cache) can require it.
 */
'use strict';
module.exports = (pattern, flags) => new RegExp(pattern.replace(/(?<!\\)\\([pP])([A-Za-z])/g, '\\$1{$2}'), flags);
