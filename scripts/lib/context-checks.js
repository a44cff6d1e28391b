/**
 * The right cluster or nothing: whether the current kube context talks to the cluster the day-2
 * scripts were given (`--cluster`), judged from `aws eks describe-cluster` (its `endpoint` and
 * `arn`) and `kubectl config view --minify -o json` (the current context's cluster `server`).
 * Pure functions; scripts/verify.js and scripts/predestroy.js run the commands before anything else.
 *
 * The endpoint decides: it is what kubectl connects to. `aws eks update-kubeconfig` names the
 * kubeconfig cluster after the ARN, which is shown too, but a kubeconfig entry named after the
 * right ARN with another server (a cluster deleted and created again) is still the wrong cluster.
 */
'use strict';
const { commandLine, runJson } = require('./run');

/** What `kubectl` is asked for: the current context only, as JSON. */
const KUBECONFIG_VIEW_ARGS = ['config', 'view', '--minify', '-o', 'json'];

/** `https://HOST[:443][/]` -> `host`, lower case: the same API server written two ways compares equal. */
function normalizeServer(url) {
  return String(url || '')
    .trim()
    .replace(/^https?:\/\//i, '')
    .replace(/\/+$/, '')
    .replace(/:443$/, '')
    .toLowerCase();
}

/** Name, ARN and endpoint of the cluster from `aws eks describe-cluster` output. */
function clusterOf(describeClusterJson) {
  const c = describeClusterJson && describeClusterJson.cluster;
  if (!c || typeof c.endpoint !== 'string' || c.endpoint === '') throw new Error('aws eks describe-cluster printed no cluster.endpoint (is the cluster still being created?)');
  return { name: c.name, arn: c.arn, endpoint: c.endpoint };
}

/** The current context, its kubeconfig cluster entry and that entry's server, from `kubectl config view --minify -o json`. */
function currentContextOf(kubeconfigJson) {
  const context = kubeconfigJson && kubeconfigJson['current-context'];
  if (!context) throw new Error('kubectl has no current context (run aws eks update-kubeconfig)');
  const ctx = ((kubeconfigJson.contexts || []).find((c) => c.name === context) || {}).context || {};
  const entry = (kubeconfigJson.clusters || []).find((c) => c.name === ctx.cluster) || (kubeconfigJson.clusters || [])[0];
  if (!entry || !entry.cluster || !entry.cluster.server) throw new Error(`kubectl's current context ${context} has no cluster server`);
  return { context, cluster: entry.name, server: entry.cluster.server };
}

/**
 * `{ ok, detail, fix }`: ok when the current context's server is the cluster's endpoint; otherwise
 * a detail naming both and the commands that point kubectl at the right one.
 */
function contextVerdict(cluster, current, region) {
  if (normalizeServer(cluster.endpoint) === normalizeServer(current.server)) {
    return { ok: true, detail: `kube context ${current.context} is cluster ${cluster.name} (${cluster.endpoint})`, fix: [] };
  }
  return {
    ok: false,
    detail:
      `the current kube context ${current.context} points at ${current.server} (kubeconfig cluster ${current.cluster}), ` +
      `not at cluster ${cluster.name} (${cluster.arn}, endpoint ${cluster.endpoint})`,
    fix: [commandLine('aws', ['eks', 'update-kubeconfig', '--region', region, '--name', cluster.name]), 'or: kubectl config use-context <the context of that cluster>'],
  };
}

/**
 * Runs `aws eks describe-cluster` and `kubectl config view --minify -o json`, printing each, and
 * judges them; with `context`, the kube context of that name instead of the current one (a fleet's
 * contexts are named after its clusters), with `awsProfile` the AWS CLI's profile for the cluster's
 * account. Returns `{ ok: true, describe, detail }` (describe: the parsed describe-cluster
 * output, which the scripts reuse) or `{ ok: false, detail, fix }`: a command failed, or the
 * context is another cluster's.
 */
function checkContext(cluster, region, env, io, { context, awsProfile } = {}) {
  const profile = awsProfile ? ['--profile', awsProfile] : [];
  const describe = runJson('aws', ['eks', 'describe-cluster', '--region', region, '--name', cluster, '--output', 'json', ...profile], { env });
  io.log(`  $ ${describe.command}`);
  if (!describe.ok) return { ok: false, detail: `could not read cluster ${cluster} in ${region}: ${describe.error}`, fix: ['check --cluster, --region and the AWS credentials (aws sts get-caller-identity)'] };
  const view = runJson('kubectl', [...(context ? ['--context', context] : []), ...KUBECONFIG_VIEW_ARGS], { env });
  io.log(`  $ ${view.command}`);
  if (!view.ok) return { ok: false, detail: `could not read the kube context: ${view.error}`, fix: [commandLine('aws', ['eks', 'update-kubeconfig', '--region', region, '--name', cluster])] };
  try {
    const verdict = contextVerdict(clusterOf(describe.json), currentContextOf(view.json), region);
    return { ...verdict, describe: describe.json };
  } catch (e) {
    return { ok: false, detail: e.message, fix: [commandLine('aws', ['eks', 'update-kubeconfig', '--region', region, '--name', cluster])] };
  }
}

module.exports = { KUBECONFIG_VIEW_ARGS, checkContext, clusterOf, contextVerdict, currentContextOf, normalizeServer };
