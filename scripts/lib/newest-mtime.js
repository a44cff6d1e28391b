/**
 * The newest modification time under a path: a file's own, or the newest of a directory's
 * entries and of the directory itself (its time changes when a file is removed or renamed).
 * 0 when the path does not exist. What the build steps compare their outputs with
 * (scripts/app.js, scripts/lib/build-dist.js).
 */
'use strict';
const fs = require('fs');
const path = require('path');

function newestMtime(p) {
  const stat = fs.statSync(p, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  return fs.readdirSync(p).reduce((newest, e) => Math.max(newest, newestMtime(path.join(p, e))), stat.mtimeMs);
}

module.exports = { newestMtime };
