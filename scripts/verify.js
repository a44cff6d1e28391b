#!/usr/bin/env node
/**
 * Proves a deployed cluster works as designed, after the first deploy and after every upgrade
 * (`npm run verify`). Refuses to run against a kube context that is not the cluster's; then runs
 * each check as a numbered step (what it tries, the commands, the result, what to do on failure)
 * and prints a pass/fail table. The flags and exit codes are in HELP below (`--help`).
 *
 * The checks (pure judgements in scripts/lib/verify-checks.js):
 * 1. `cilium status --wait`: agents, operator, Hubble relay and UI ready.
 * 2. No kube-proxy: no DaemonSet kube-system/kube-proxy (the cluster is created with
 *    `bootstrap_self_managed_addons = false` and no kube-proxy add-on; Cilium replaces it).
 * 3. Pods with VPC addresses: every running pod on the pod network has an address in one of the
 *    VPC's associated CIDRs (`aws ec2 describe-vpcs`), as Cilium's ENI IPAM gives them.
 * 4. Hubble relay answering: `hubble status -P`, which port-forwards to the relay itself (hubble
 *    CLI `--auto-port-forward`, cilium/cilium PR #35483) and asks it for its health and the nodes
 *    it reaches: it proves the relay serves, not only that its Deployment is Ready.
 * 5. WireGuard on every node: each node has a running agent, and in each agent
 *    `cilium-dbg encrypt status` (cilium `cilium-dbg/cmd/encrypt_status.go`) reports WireGuard with
 *    one peer per other node.
 * 6. Pod Identity from a pod: a pod on the pod network, with a service account that has a Pod
 *    Identity association (the log shipper's by default), runs `aws sts get-caller-identity` and
 *    must get the association's role. Pods fetch the credentials from the Pod Identity agent at
 *    169.254.170.23; with eBPF host routing that traffic was dropped in Cilium 1.16 ("FIB lookup
 *    failed", cilium #35989) and again in a 1.18 pre-release (cilium #40273, fixed by PR #40722),
 *    and a default-deny egress policy blocks it (cilium #34387): only a pod proves it.
 * 7. Tetragon events reach CloudWatch: a pod reads /etc/passwd, which the file-monitoring policy
 *    reports; the event (it names the pod) must appear in `/cilium-eks/<cluster>/tetragon-events`
 *    within `--export-timeout`.
 * 8. Hubble flows reach CloudWatch: the newest dropped flow the relay holds (`hubble observe`)
 *    must appear, by its uuid, in `/cilium-eks/<cluster>/hubble-flows` within the same timeout.
 * 9. Spot service-linked role: where a NodePool or node group uses Spot, `aws iam get-role
 *    --role-name AWSServiceRoleForEC2Spot` must find it (EC2 needs it to launch Spot instances).
 * 10. `cilium connectivity test`, with the flags of Cilium's own EKS (ENI) conformance job
 *    (cilium/cilium `.github/workflows/conformance-eks.yaml`); `--quick` skips it (SKIP).
 * A check that does not apply (no log export, no Spot, no dropped flow to follow) is SKIP with the
 * reason; a CLI that is missing or fails is a FAIL, never a SKIP.
 */
'use strict';
const v = require('./lib/verify-checks');
const { checkContext } = require('./lib/context-checks');
const { commandLine, consoleIo, run, runJson } = require('./lib/run');
const { createChecks, createSteps, sleepSync } = require('./lib/steps');
const { parseArgs, startScript } = require('./lib/target');
const { MESH_IMAGE, MESH_NAMESPACE, runFleet } = require('./lib/verify-fleet');

const USAGE =
  'usage: node scripts/verify.js [--cluster NAME] [--region REGION] [--vpc-id VPC] [--quick] [--test FILTER] [--pod-identity NS/SA] [--check-namespace NS] [--check-image IMAGE] [--export-timeout SECONDS] [--help]\n' +
  '       node scripts/verify.js --fleet CLUSTER[=CONTEXT],CLUSTER[=CONTEXT][,...] [--mesh-namespace NS] [--check-image IMAGE] [--quick]';

const HELP = `${USAGE}

Proves a deployed cluster works as designed. Run it after the first deploy and after every upgrade.
First it checks that the current kube context is the cluster's (its API server is the endpoint of
\`aws eks describe-cluster\`) and refuses to run otherwise; then each check runs as a numbered step.

Flags:
  --cluster NAME          the EKS cluster (default: $CLUSTER_NAME, then main.ts's config)
  --region REGION         its region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then main.ts)
  --vpc-id VPC            the VPC whose CIDRs pod addresses must be in (default: the cluster's)
  --quick                 skip \`cilium connectivity test\` (shown as SKIP)
  --test FILTER           a test filter passed to \`cilium connectivity test --test\`
  --pod-identity NS/SA    the service account whose Pod Identity a test pod borrows
                          (default: log-shipping/log-shipper, else the first outside kube-system)
  --check-namespace NS    namespace of the pod that produces a known Tetragon event (default: default)
  --check-image IMAGE     image of the test pods (default: ${v.CHECK_IMAGE})
  --export-timeout SECS   how long to wait for a known event in CloudWatch Logs (default: 180)
  --help                  this text

A meshed fleet (docs/fleet.md), across the kube contexts of its clusters instead of one cluster:
  --fleet LIST            the clusters, comma-separated, each CLUSTER or CLUSTER=CONTEXT (the
                          context defaults to the cluster's name, as the stack's
                          kubeconfig_command_* outputs write it). Runs, per cluster,
                          \`cilium clustermesh status --context CONTEXT --wait\` (every peer
                          connected) and a global-Service check: a pod asks the echo Service of
                          examples/cluster-mesh/echo.yaml for the answering pod, and every answer
                          must come from another cluster (SKIP until echo.yaml is applied in every
                          cluster). Then \`cilium connectivity test --context FIRST --multi-cluster
                          SECOND\` where the installed cilium CLI has --multi-cluster (SKIP otherwise,
                          and with --quick). The single-cluster flags do not apply.
  --mesh-namespace NS     the namespace of echo.yaml (default: ${MESH_NAMESPACE})
                          (--check-image and --quick apply too; the client's image defaults to
                          ${MESH_IMAGE})

Needs on the PATH: kubectl, the AWS CLI v2, the cilium CLI and the hubble CLI (1.17 or later).
The test pods are started with \`kubectl run --rm\` and removed when they end.

Exit status:
  0  every check passed (SKIP included: a check that does not apply, with the reason)
  1  a check failed (its row says why; the step above it says what to do)
  2  bad usage (an unknown flag, a missing value, no cluster or region)
  3  refused: the current kube context is not the cluster (both are named), or neither could be read`;

const NS = 'kube-system';
const STEP_COUNT = 10;
/** The flags that take a value, and those that do not (`--help` besides). */
const OPTION_NAMES = ['cluster', 'region', 'vpc-id', 'test', 'pod-identity', 'check-namespace', 'check-image', 'export-timeout', 'fleet', 'mesh-namespace'];
/** The flags that check one cluster, which `--fleet` does not take. */
const SINGLE_CLUSTER_ONLY = ['cluster', 'region', 'vpc-id', 'test', 'pod-identity', 'check-namespace', 'export-timeout'];
const FLAG_NAMES = ['quick'];

/**
 * The run: `argv` without node and the script, `env` for the commands and the defaults, `io` where
 * lines go (`consoleIo` from the command line). Returns the exit status.
 */
function main(argv, env, io) {
  const pre = parseArgs(argv, OPTION_NAMES, [...FLAG_NAMES, 'help']);
  if (pre.options.fleet !== undefined && !pre.flags.help) {
    const wrong = [...pre.errors, ...SINGLE_CLUSTER_ONLY.filter((o) => pre.options[o] !== undefined).map((o) => `--${o} checks one cluster and does not go with --fleet`)];
    if (wrong.length) {
      for (const e of wrong) io.error(`verify: ${e}`);
      io.error(USAGE);
      return 2;
    }
    return runFleet(pre.options, pre.flags, env, io);
  }
  const start = startScript(
    {
      name: 'verify',
      usage: USAGE,
      help: HELP,
      optionNames: OPTION_NAMES,
      flagNames: FLAG_NAMES,
      check: (_flags, _target, options) => [
        ...(options['mesh-namespace'] !== undefined ? ['--mesh-namespace goes with --fleet'] : []),
        ...(options['pod-identity'] !== undefined && !/^[a-z0-9-]+\/[a-z0-9.-]+$/.test(options['pod-identity']) ? ['--pod-identity takes NAMESPACE/SERVICEACCOUNT'] : []),
        ...(options['export-timeout'] !== undefined && !/^\d+$/.test(options['export-timeout']) ? ['--export-timeout takes a number of seconds'] : []),
      ],
    },
    argv,
    env,
    io,
  );
  if ('exit' in start) return start.exit;
  const { options, flags, target } = start;
  const cluster = target.cluster.value;
  const region = target.region.value;
  const image = options['check-image'] || v.CHECK_IMAGE;
  const exportTimeout = Number(options['export-timeout'] || 180);

  // The right cluster or nothing: before any check.
  io.log(`\nThe kube context must be cluster ${cluster}:`);
  const context = checkContext(cluster, region, env, io);
  if (!context.ok) {
    io.error(`verify: refused: ${context.detail}`);
    for (const f of context.fix) io.error(`verify: what to do: ${f}`);
    return 3;
  }
  io.log(`  ok    ${context.detail}`);

  const steps = createSteps(io, STEP_COUNT);
  const results = [];
  /** Runs a command, printing it; a failure to run becomes the check's FAIL. */
  const exec = (cmd, args, asJson, opts) => {
    io.log(`  $ ${commandLine(cmd, args)}`);
    const runOptions = { env, stream: Boolean(opts && opts.stream && io.stream) };
    const r = asJson ? runJson(cmd, args, runOptions) : run(cmd, args, runOptions);
    if (!r.ok) throw Object.assign(new Error(`${r.command}: ${r.error}`), { result: r });
    return asJson ? r.json : r.stdout;
  };
  /** One step: `fn` returns `{ pass, detail }` or `{ result: 'SKIP', detail }`; `whatToDo` is printed on failure. */
  const check = createChecks(steps, results);
  const logGroupsOf = () => v.logGroupNames(exec('aws', ['logs', 'describe-log-groups', '--region', region, '--log-group-name-prefix', `/cilium-eks/${cluster}/`, '--output', 'json'], true));
  /** Polls a log group for `pattern` from `startMs` until found or the timeout; returns the seconds it took, or undefined. */
  const waitForEvent = (group, pattern, startMs) => {
    const began = Date.now();
    for (;;) {
      const found = v.foundEvents(exec('aws', ['logs', 'filter-log-events', '--region', region, '--log-group-name', group, '--filter-pattern', `"${pattern}"`, '--start-time', String(startMs), '--max-items', '1', '--output', 'json'], true));
      const waited = Math.round((Date.now() - began) / 1000);
      if (found) return waited;
      if (waited + 15 > exportTimeout) return undefined;
      io.log(`  not there yet after ${waited} s; again in 15 s (--export-timeout ${exportTimeout})`);
      sleepSync(15000);
    }
  };

  check('cilium status', 'agents, operator, Hubble relay and UI ready within 5 minutes', ['cilium status (without --wait) names the component that is not ready; kubectl -n kube-system get pods -l k8s-app=cilium'], () => {
    exec('cilium', ['status', '--wait', '--wait-duration', '5m'], false, { stream: true });
    return { pass: true, detail: 'agents, operator and Hubble ready' };
  });
  check('no kube-proxy', 'no DaemonSet kube-system/kube-proxy beside Cilium\'s replacement', ['delete it: kubectl -n kube-system delete daemonset kube-proxy (and remove the kube-proxy add-on if one was added)'], () =>
    v.noKubeProxy(exec('kubectl', ['-n', NS, 'get', 'daemonset', 'kube-proxy', '--ignore-not-found', '-o', 'name'], false)),
  );
  check('pods with VPC addresses', 'every running pod on the pod network has an address of the VPC (ENI IPAM)', ['kubectl -n kube-system get ciliumnodes -o yaml: the ENI allocation of the node of the pod named'], () => {
    let vpcId = target.vpc && target.vpc.value;
    if (!vpcId) {
      const c = context.describe;
      vpcId = c && c.cluster && c.cluster.resourcesVpcConfig && c.cluster.resourcesVpcConfig.vpcId;
      if (!vpcId) throw new Error('aws eks describe-cluster printed no cluster.resourcesVpcConfig.vpcId');
    }
    const cidrs = v.vpcCidrs(exec('aws', ['ec2', 'describe-vpcs', '--region', region, '--vpc-ids', vpcId, '--output', 'json'], true));
    return v.podAddresses(exec('kubectl', ['get', 'pods', '--all-namespaces', '-o', 'json'], true), cidrs);
  });
  check('Hubble relay answering', 'the relay answers its health check and reaches every node', ['kubectl -n kube-system logs deploy/hubble-relay; a node missing: the agent of that node (cilium status)'], () =>
    v.hubbleStatus(exec('hubble', ['status', '-P'], false)),
  );
  check('WireGuard on every node', 'each node runs an agent that reports WireGuard with a peer per other node', ['kubectl -n kube-system exec <agent of the node named> -c cilium-agent -- cilium-dbg encrypt status; UDP 51871 between nodes'], () => {
    const nodes = exec('kubectl', ['get', 'nodes', '-o', 'json'], true);
    const agents = exec('kubectl', ['-n', NS, 'get', 'pods', '-l', 'k8s-app=cilium', '-o', 'json'], true);
    const statusByPod = {};
    for (const pod of agents.items || []) {
      if (!(pod.status && pod.status.phase === 'Running')) continue;
      statusByPod[pod.metadata.name] = exec('kubectl', ['-n', NS, 'exec', pod.metadata.name, '-c', 'cilium-agent', '--', 'cilium-dbg', 'encrypt', 'status'], false);
    }
    return v.wireguardEverywhere(nodes, agents, statusByPod);
  });
  check(
    'Pod Identity from a pod',
    'a pod on the pod network with a Pod Identity service account calls STS and must get its role',
    [
      'hubble observe -P --to-ip 169.254.170.23 --last 20: "FIB lookup failed" DROPPED is the eBPF host-routing regression (cilium #35989, #40273; fixed by PR #40722: upgrade Cilium); "Policy denied" is a default-deny egress policy without the Pod Identity agent rule (cilium #34387)',
      'kubectl -n kube-system get daemonset eks-pod-identity-agent: the agent must run on the pod\'s node',
    ],
    () => {
      const listed = exec('aws', ['eks', 'list-pod-identity-associations', '--region', region, '--cluster-name', cluster, '--output', 'json'], true);
      const picked = v.podIdentityTarget(listed, options['pod-identity']);
      if (picked.skip) return { result: 'SKIP', detail: picked.skip };
      if (picked.fail) return { pass: false, detail: picked.fail };
      const a = picked.association;
      const described = exec('aws', ['eks', 'describe-pod-identity-association', '--region', region, '--cluster-name', cluster, '--association-id', a.associationId, '--output', 'json'], true);
      const roleArn = described.association && described.association.roleArn;
      if (!roleArn) throw new Error('aws eks describe-pod-identity-association printed no association.roleArn');
      exec('kubectl', ['-n', a.namespace, 'delete', 'pod', v.POD_IDENTITY_POD, '--ignore-not-found', '--wait=true'], false);
      const out = exec('kubectl', v.checkPodRunArgs(a.namespace, v.POD_IDENTITY_POD, image, ['aws', 'sts', 'get-caller-identity', '--output', 'json'], a.serviceAccount), false);
      return v.podIdentityResult(out, roleArn, `${a.namespace} as ${a.serviceAccount}`);
    },
  );
  check(
    'Tetragon events reach CloudWatch',
    `a pod reads /etc/passwd (the file-monitoring policy reports it); the event must reach /cilium-eks/${cluster}/tetragon-events within ${exportTimeout} s`,
    [
      `the node's file: kubectl -n tetragon exec ds/tetragon -c tetragon -- tail -n 20 /var/run/cilium/tetragon/tetragon.log (empty: tetragon.exportFile.allowList drops it)`,
      'the shipper: kubectl -n log-shipping logs ds/log-shipper-aws-for-fluent-bit (AccessDenied: its Pod Identity; no output: its tail input)',
    ],
    () => {
      const group = `/cilium-eks/${cluster}/tetragon-events`;
      if (!logGroupsOf().includes(group)) return { result: 'SKIP', detail: `no log group ${group}: Tetragon or logExport is off` };
      const policy = exec('kubectl', ['get', 'tracingpolicies.cilium.io', 'file-monitoring', '--ignore-not-found', '-o', 'name'], false).trim();
      if (!policy) return { result: 'SKIP', detail: 'no file-monitoring TracingPolicy: no known event to follow' };
      const ns = options['check-namespace'] || 'default';
      const since = Date.now() - 60000;
      exec('kubectl', ['-n', ns, 'delete', 'pod', v.EXPORT_POD, '--ignore-not-found', '--wait=true'], false);
      exec('kubectl', v.checkPodRunArgs(ns, v.EXPORT_POD, image, ['cat', '/etc/passwd']), false);
      const took = waitForEvent(group, v.EXPORT_POD, since);
      return took === undefined
        ? { pass: false, detail: `no event of pod ${ns}/${v.EXPORT_POD} in ${group} within ${exportTimeout} s` }
        : { pass: true, detail: `the event of pod ${ns}/${v.EXPORT_POD} reading /etc/passwd is in ${group} (${took} s)` };
    },
  );
  check(
    'Hubble flows reach CloudWatch',
    `the newest dropped flow the relay holds must reach /cilium-eks/${cluster}/hubble-flows within ${exportTimeout} s`,
    [
      "the node's file: kubectl -n kube-system exec ds/cilium -c cilium-agent -- tail -n 5 /var/run/cilium/hubble/events.log (empty: the flow export filters drop it)",
      'the shipper: kubectl -n log-shipping logs ds/log-shipper-aws-for-fluent-bit',
    ],
    () => {
      const group = `/cilium-eks/${cluster}/hubble-flows`;
      if (!logGroupsOf().includes(group)) return { result: 'SKIP', detail: `no log group ${group}: the flow export or logExport is off` };
      const flow = v.newestFlow(exec('hubble', ['observe', '-P', '--verdict', 'DROPPED', '--last', '1', '-o', 'json'], false));
      if (!flow) return { result: 'SKIP', detail: 'the relay holds no dropped flow to follow (the Tetragon check covers the shipper)' };
      const since = (Date.parse(flow.time) || Date.now()) - 60000;
      const took = waitForEvent(group, flow.uuid, since);
      return took === undefined
        ? { pass: false, detail: `dropped flow ${flow.uuid} (${flow.time}) is not in ${group} after ${exportTimeout} s` }
        : { pass: true, detail: `dropped flow ${flow.uuid} is in ${group} (${took} s)` };
    },
  );
  check(
    'Spot service-linked role',
    'where a NodePool or node group uses Spot, the role AWSServiceRoleForEC2Spot exists',
    ['create it once per account: aws iam create-service-linked-role --aws-service-name spot.amazonaws.com (it fails if the role exists)'],
    () => {
      const spot = [];
      if (exec('kubectl', ['get', 'customresourcedefinition', 'nodepools.karpenter.sh', '--ignore-not-found', '-o', 'name'], false).trim()) {
        spot.push(...v.nodePoolsWithSpot(exec('kubectl', ['get', 'nodepools.karpenter.sh', '-o', 'json'], true)).map((p) => `NodePool ${p}`));
      }
      for (const ng of exec('aws', ['eks', 'list-nodegroups', '--region', region, '--cluster-name', cluster, '--output', 'json'], true).nodegroups || []) {
        const d = exec('aws', ['eks', 'describe-nodegroup', '--region', region, '--cluster-name', cluster, '--nodegroup-name', ng, '--output', 'json'], true);
        if (d.nodegroup && d.nodegroup.capacityType === 'SPOT') spot.push(`node group ${ng}`);
      }
      if (spot.length === 0) return { result: 'SKIP', detail: 'no Spot capacity: no NodePool admits karpenter.sh/capacity-type spot, no SPOT node group' };
      const r = runJson('aws', ['iam', 'get-role', '--role-name', 'AWSServiceRoleForEC2Spot', '--output', 'json'], { env });
      io.log(`  $ ${r.command}`);
      if (r.ok) return { pass: true, detail: `${r.json.Role && r.json.Role.Arn} exists (Spot used by ${spot.join(', ')})` };
      if (/NoSuchEntity/.test(r.error)) return { pass: false, detail: `AWSServiceRoleForEC2Spot does not exist, and ${spot.join(', ')} use Spot: EC2 refuses to launch Spot instances without it` };
      throw new Error(`${r.command}: ${r.error}`);
    },
  );
  if (flags.quick) {
    steps.start('cilium connectivity test', 'skipped (--quick)');
    steps.result('SKIP', 'skipped (--quick): run without --quick before calling the cluster verified');
    results.push({ name: 'cilium connectivity test', result: 'SKIP', detail: 'skipped (--quick): run without --quick before calling the cluster verified' });
  } else {
    check('cilium connectivity test', "Cilium's EKS conformance test suite (the slow one)", ['the sysdump it collected (cilium-sysdump-*.zip); --test FILTER runs one test again'], () => {
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

module.exports = { FLAG_NAMES, HELP, OPTION_NAMES, main };
