#!/usr/bin/env node
/**
 * Proves a deployed cluster works as designed, after the first deploy and after every upgrade
 * (`npm run verify`). Prints each command it runs, then a pass/fail table; exits 1 when a check
 * fails (a CLI that is missing or fails is a failed check, never a skipped one).
 *
 *   node scripts/verify.js [--cluster NAME] [--region REGION] [--vpc-id VPC] [--test FILTER] [--quick]
 *
 * Needs on the PATH: `kubectl` (pointed at the cluster), the AWS CLI v2, the `cilium` CLI and the
 * `hubble` CLI (v1.17 or later, for `--auto-port-forward`/`-P`). Defaults as in predestroy.js.
 *
 * The checks:
 * 1. `cilium status --wait`: agents, operator, Hubble relay and UI ready.
 * 2. No kube-proxy: no DaemonSet kube-system/kube-proxy (the cluster is created with
 *    `bootstrap_self_managed_addons = false` and no kube-proxy add-on; Cilium replaces it).
 * 3. Pods with VPC addresses: every running pod on the pod network has an address in one of the
 *    VPC's associated CIDRs (`aws ec2 describe-vpcs`), as Cilium's ENI IPAM gives them.
 * 4. Hubble relay answering: `hubble status -P`, which port-forwards to the relay itself (hubble
 *    CLI `--auto-port-forward`, cilium/cilium PR #35483) and asks it for its health and the nodes
 *    it reaches: it proves the relay serves, not only that its Deployment is Ready, and needs no
 *    background `cilium hubble port-forward` process to start and stop.
 * 5. WireGuard on every node: each node has a running agent, and in each agent
 *    `cilium-dbg encrypt status` (the in-pod CLI is `cilium-dbg` since Cilium 1.15; it prints
 *    `Encryption: Wireguard` and `Number of peers: N`, cilium `cilium-dbg/cmd/encrypt_status.go`)
 *    reports WireGuard with one peer per other node. Per agent, rather than `cilium encrypt status`
 *    of cilium-cli, so that a node without WireGuard is named.
 * 6. `cilium connectivity test`, with the flags of Cilium's own EKS (ENI) conformance job
 *    (cilium/cilium `.github/workflows/conformance-eks.yaml`): `--flow-validation=disabled
 *    --hubble=false` (Hubble is checked by 4), `--external-target amazon.com.`, and a sysdump on
 *    failure. No `--test` exclusions: cilium-cli picks the tests from the features it reads from
 *    the cluster (the pod-to-pod encryption test checks WireGuard; the node-to-node one needs
 *    `encryption.nodeEncryption`, off here; tests that need a node without Cilium are skipped). `--test FILTER` passes a filter
 *    through; `--quick` skips this check (shown as SKIP).
 */
'use strict';
const v = require('./lib/verify-checks');
const { commandLine, consoleIo, run, runJson } = require('./lib/run');
const { startScript } = require('./lib/target');

const USAGE = 'usage: node scripts/verify.js [--cluster NAME] [--region REGION] [--vpc-id VPC] [--test FILTER] [--quick]';
const NS = 'kube-system';

/**
 * The run: `argv` without node and the script, `env` for the commands and the defaults, `io` where
 * lines go (`consoleIo` from the command line). Returns the exit status.
 */
function main(argv, env, io) {
  const start = startScript({ name: 'verify', usage: USAGE, optionNames: ['cluster', 'region', 'vpc-id', 'test'], flagNames: ['quick'] }, argv, env, io);
  if ('exit' in start) return start.exit;
  const { options, flags, target } = start;
  const cluster = target.cluster.value;
  const region = target.region.value;

  const results = [];
  const record = (name, outcome) => results.push({ name, result: outcome.result || (outcome.pass ? 'PASS' : 'FAIL'), detail: outcome.detail });
  /** Runs a command, printing it; a failure to run becomes the check's FAIL. */
  const exec = (cmd, args, asJson, opts) => {
    io.log(`\n$ ${commandLine(cmd, args)}`);
    const runOptions = { env, stream: Boolean(opts && opts.stream && io.stream) };
    const r = asJson ? runJson(cmd, args, runOptions) : run(cmd, args, runOptions);
    if (!r.ok) throw new Error(`${r.command}: ${r.error}`);
    return asJson ? r.json : r.stdout;
  };
  const check = (name, fn) => {
    try {
      record(name, fn());
    } catch (e) {
      record(name, { pass: false, detail: `could not check: ${e.message}` });
    }
  };

  check('cilium status', () => {
    exec('cilium', ['status', '--wait', '--wait-duration', '5m'], false, { stream: true });
    return { pass: true, detail: 'agents, operator and Hubble ready' };
  });
  check('no kube-proxy', () => v.noKubeProxy(exec('kubectl', ['-n', NS, 'get', 'daemonset', 'kube-proxy', '--ignore-not-found', '-o', 'name'], false)));
  check('pods with VPC addresses', () => {
    let vpcId = target.vpc && target.vpc.value;
    if (!vpcId) {
      const c = exec('aws', ['eks', 'describe-cluster', '--region', region, '--name', cluster, '--output', 'json'], true);
      vpcId = c && c.cluster && c.cluster.resourcesVpcConfig && c.cluster.resourcesVpcConfig.vpcId;
      if (!vpcId) throw new Error('aws eks describe-cluster printed no cluster.resourcesVpcConfig.vpcId');
    }
    const cidrs = v.vpcCidrs(exec('aws', ['ec2', 'describe-vpcs', '--region', region, '--vpc-ids', vpcId, '--output', 'json'], true));
    return v.podAddresses(exec('kubectl', ['get', 'pods', '--all-namespaces', '-o', 'json'], true), cidrs);
  });
  check('Hubble relay answering', () => v.hubbleStatus(exec('hubble', ['status', '-P'], false)));
  check('WireGuard on every node', () => {
    const nodes = exec('kubectl', ['get', 'nodes', '-o', 'json'], true);
    const agents = exec('kubectl', ['-n', NS, 'get', 'pods', '-l', 'k8s-app=cilium', '-o', 'json'], true);
    const statusByPod = {};
    for (const pod of agents.items || []) {
      if (!(pod.status && pod.status.phase === 'Running')) continue;
      statusByPod[pod.metadata.name] = exec('kubectl', ['-n', NS, 'exec', pod.metadata.name, '-c', 'cilium-agent', '--', 'cilium-dbg', 'encrypt', 'status'], false);
    }
    return v.wireguardEverywhere(nodes, agents, statusByPod);
  });
  if (flags.quick) {
    record('cilium connectivity test', { result: 'SKIP', detail: 'skipped (--quick): run without --quick before calling the cluster verified' });
  } else {
    check('cilium connectivity test', () => {
      exec('cilium', [...v.CONNECTIVITY_TEST_ARGS, ...(options.test ? ['--test', options.test] : [])], false, { stream: true });
      return { pass: true, detail: 'all tests that apply passed' };
    });
  }

  io.log(`\n${v.table(results)}\n`);
  const failed = results.filter((r) => r.result === 'FAIL').length;
  io.log(failed ? `verify: ${failed} check(s) FAILED` : `verify: all checks passed${flags.quick ? ' (connectivity test skipped)' : ''}`);
  return failed ? 1 : 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2), process.env, consoleIo);

module.exports = { main };
