/**
 * Which cluster the day-2 scripts look at: `--cluster` / `--region` / `--vpc-id` on the command
 * line, else `CLUSTER_NAME` / `AWS_REGION` (or `AWS_DEFAULT_REGION`), else the `clusterName` and
 * `region` of the `config` object in main.ts (read as text: the scripts are plain Node and load no
 * TypeScript). The VPC, unless given, comes from `aws eks describe-cluster`.
 */
'use strict';
const fs = require('fs');
const path = require('path');

const MAIN_TS = path.resolve(__dirname, '..', '..', 'main.ts');

/** `clusterName` and `region` of the `config` object in main.ts's text (undefined when absent). */
function mainTsDefaults(text) {
  const start = text.indexOf('export const config');
  const body = start >= 0 ? text.slice(start) : '';
  const field = (name) => {
    const m = new RegExp(`\\n\\s*${name}:\\s*'([^']+)'`).exec(body);
    return m ? m[1] : undefined;
  };
  return { clusterName: field('clusterName'), region: field('region') };
}

/**
 * Parses `argv` (without node and the script) into `{ options, flags, errors }`: options take a
 * value (`--cluster x` or `--cluster=x`), flags do not.
 */
function parseArgs(argv, optionNames, flagNames) {
  const options = {};
  const flags = {};
  const errors = [];
  for (let i = 0; i < argv.length; i++) {
    const [key, inline] = argv[i].split(/=(.*)/s, 2);
    const name = key.replace(/^--/, '');
    if (!key.startsWith('--')) errors.push(`unexpected argument ${JSON.stringify(argv[i])}`);
    else if (flagNames.includes(name)) flags[name] = true;
    else if (optionNames.includes(name)) {
      const value = inline !== undefined ? inline : argv[++i];
      if (value === undefined || value === '') errors.push(`${key} needs a value`);
      else options[name] = value;
    } else errors.push(`unknown option ${key}`);
  }
  return { options, flags, errors };
}

/** Cluster name, region and (optional) VPC id, each with where it came from. */
function resolveTarget(options, env, mainTsText) {
  const defaults = mainTsText === undefined ? {} : mainTsDefaults(mainTsText);
  const pick = (opt, envNames, def) => {
    if (options[opt]) return { value: options[opt], from: `--${opt}` };
    for (const e of envNames) if (env[e]) return { value: env[e], from: `$${e}` };
    return def ? { value: def, from: 'main.ts config' } : undefined;
  };
  const cluster = pick('cluster', ['CLUSTER_NAME'], defaults.clusterName);
  const region = pick('region', ['AWS_REGION', 'AWS_DEFAULT_REGION'], defaults.region);
  const vpc = pick('vpc-id', ['VPC_ID'], undefined);
  const errors = [];
  if (!cluster) errors.push('no cluster name: pass --cluster or set CLUSTER_NAME');
  if (!region) errors.push('no region: pass --region or set AWS_REGION');
  return { cluster, region, vpc, errors };
}

function readMainTs() {
  try {
    return fs.readFileSync(MAIN_TS, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * The start every day-2 script shares: parses `argv` (options `optionNames` and the `help` flag
 * besides `flagNames`), answers `--help` with `help` (the usage line when none), resolves the cluster and region (main.ts as the
 * default), and reports every error with the usage. `check(flags, target, options)` may add errors.
 * Returns `{ exit }` when the script ends there (0 after help, 2 after errors), else
 * `{ options, flags, target }` after printing the target line.
 */
function startScript({ name, usage, help = usage, optionNames, flagNames, check = () => [] }, argv, env, io) {
  const { options, flags, errors } = parseArgs(argv, optionNames, [...flagNames, 'help']);
  if (flags.help) {
    io.log(help);
    return { exit: 0 };
  }
  const target = resolveTarget(options, env, readMainTs());
  const all = [...errors, ...check(flags, target, options), ...target.errors];
  if (all.length) {
    for (const e of all) io.error(`${name}: ${e}`);
    io.error(usage);
    return { exit: 2 };
  }
  io.log(`${name}: cluster ${target.cluster.value} (${target.cluster.from}), region ${target.region.value} (${target.region.from})`);
  return { options, flags, target };
}

module.exports = { mainTsDefaults, parseArgs, readMainTs, resolveTarget, startScript };
