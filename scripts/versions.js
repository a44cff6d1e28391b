#!/usr/bin/env node
/**
 * Prints, for the stack main.ts configures (`npm run versions`), every component it runs: the
 * pinned version, where the pin comes from, the Kubernetes versions it supports, when its support
 * ends where that has a date, what to do next, and the command that shows whether a newer version
 * exists.
 *
 *   node scripts/versions.js [--date YYYY-MM-DD]
 *
 * It builds the app as `npm run synth` does (the bundle of scripts/app.js), without synthesizing,
 * and asks each cluster for its report (`CiliumEksCluster.versionReport`: constructs/component-versions.ts).
 * `--date` judges the support calendar on another day (the app's checks too); the default is today
 * (UTC). Exits 1 when the configuration does not build (a version past EKS extended support, for
 * one: the message says which versions are allowed).
 */
'use strict';
const { consoleIo } = require('./lib/run');
const { parseArgs } = require('./lib/target');
const { formatVersionReport } = require('./lib/versions-format');

const USAGE = 'usage: node scripts/versions.js [--date YYYY-MM-DD]';
/** The app context key of the calendar's day (core/eks-support.ts SUPPORT_CALENDAR_DATE_CONTEXT). */
const DATE_CONTEXT = 'cilium-eks:supportCalendarDate';

/** `argv` without node and the script; `env` for the app's context; `io` where lines go. Returns the exit status. */
function main(argv, env, io) {
  const { options, flags, errors } = parseArgs(argv, ['date'], ['help']);
  if (flags.help) {
    io.log(USAGE);
    return 0;
  }
  const today = options.date || new Date().toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(today) || new Date(`${today}T00:00:00Z`).toISOString().slice(0, 10) !== today) errors.push(`--date ${today} is not a date as YYYY-MM-DD`);
  if (errors.length) {
    for (const e of errors) io.error(`versions: ${e}`);
    io.error(USAGE);
    return 2;
  }
  const app = require('./app');
  app.build();
  // The app's checks judge the calendar on the same day as the report.
  const saved = process.env.CDKTF_CONTEXT_JSON;
  process.env.CDKTF_CONTEXT_JSON = JSON.stringify({ ...JSON.parse(env.CDKTF_CONTEXT_JSON || '{}'), [DATE_CONTEXT]: today });
  let built;
  try {
    built = require(app.BUNDLE).buildApp();
  } catch (e) {
    io.error(`versions: the configuration in main.ts does not build:\n${e.message}`);
    return 1;
  } finally {
    if (saved === undefined) delete process.env.CDKTF_CONTEXT_JSON;
    else process.env.CDKTF_CONTEXT_JSON = saved;
  }
  const clusters = built.node.findAll().filter((c) => typeof c.versionReport === 'function' && typeof c.clusterName === 'string');
  if (clusters.length === 0) {
    io.error('versions: the app in main.ts has no CiliumEksCluster');
    return 1;
  }
  for (const cluster of clusters) io.log(formatVersionReport(cluster.versionReport(today), today, `${cluster.clusterName} (${cluster.node.path})`));
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2), process.env, consoleIo);

module.exports = { main };
