/**
 * `npm run verify` (scripts/verify.js) against stub `aws`, `kubectl`, `cilium` and `hubble`
 * commands that return recorded (hand-written) outputs: the pass case and each failure.
 */
import { expectHelpDocumentsScript, fixture, fixtureJson, MAIN_TS_CONFIG as config, Recording, runScript, runWithStubs } from './support/stub-cli';

const v = require('../scripts/lib/verify-checks') as {
  CONNECTIVITY_TEST_ARGS: string[];
  CHECK_IMAGE: string;
  inCidr(ip: string, cidr: string): boolean;
  hubbleStatus(text: string): { pass: boolean; detail: string };
  parseEncryptStatus(text: string): { mode?: string; peers: number[] };
  nodePoolsWithSpot(json: unknown): string[];
  podIdentityTarget(json: unknown, wanted?: string): { association?: { namespace: string; serviceAccount: string }; skip?: string; fail?: string };
  roleNameOf(arn: string): string | undefined;
};

const AGENTS = ['cilium-4xq7m', 'cilium-9bz2k', 'cilium-tw8rd'];
const WG = fixture('cilium-dbg-encrypt-status-wireguard.txt');

const TETRAGON_GROUP = `/cilium-eks/${config.clusterName}/tetragon-events`;
const HUBBLE_GROUP = `/cilium-eks/${config.clusterName}/hubble-flows`;
const filterEvents = (group: string): string => `logs filter-log-events --region ${config.region} --log-group-name ${group}`;

/** The recordings of the context check and of the new checks (Pod Identity, export, Spot) on a healthy cluster. */
const EVIDENCE: Recording[] = [
  { cmd: 'kubectl', args: 'config view --minify -o json', stdout: fixture('kubeconfig-view.json') },
  { cmd: 'aws', args: 'eks list-pod-identity-associations', stdout: fixture('eks-pod-identity-associations.json') },
  { cmd: 'aws', args: 'eks describe-pod-identity-association', stdout: fixture('eks-pod-identity-association-log-shipper.json') },
  { cmd: 'kubectl', args: '-n log-shipping delete pod cilium-eks-verify-pod-identity', stdout: '' },
  { cmd: 'kubectl', args: '-n log-shipping run cilium-eks-verify-pod-identity', stdout: fixture('sts-caller-identity-log-shipper.json') },
  { cmd: 'aws', args: 'logs describe-log-groups', stdout: fixture('logs-describe-log-groups.json') },
  { cmd: 'kubectl', args: 'get tracingpolicies.cilium.io file-monitoring --ignore-not-found -o name', stdout: 'tracingpolicy.cilium.io/file-monitoring\n' },
  { cmd: 'kubectl', args: '-n default delete pod cilium-eks-verify-export', stdout: '' },
  { cmd: 'kubectl', args: '-n default run cilium-eks-verify-export', stdout: 'root:x:0:0:root:/root:/bin/sh\n' },
  { cmd: 'aws', args: filterEvents(TETRAGON_GROUP), stdout: fixture('logs-filter-events-found.json') },
  { cmd: 'hubble', args: 'observe -P --verdict DROPPED --last 1 -o json', stdout: fixture('hubble-observe-dropped.json') },
  { cmd: 'aws', args: filterEvents(HUBBLE_GROUP), stdout: fixture('logs-filter-events-found.json') },
  { cmd: 'kubectl', args: 'get customresourcedefinition nodepools.karpenter.sh --ignore-not-found -o name', stdout: 'customresourcedefinition.apiextensions.k8s.io/nodepools.karpenter.sh\n' },
  { cmd: 'kubectl', args: 'get nodepools.karpenter.sh -o json', stdout: fixture('k8s-nodepools.json') },
  { cmd: 'aws', args: 'eks list-nodegroups', stdout: fixture('eks-nodegroups.json') },
  { cmd: 'aws', args: 'eks describe-nodegroup', stdout: fixture('eks-describe-nodegroup-system.json') },
  { cmd: 'aws', args: 'iam get-role --role-name AWSServiceRoleForEC2Spot', stdout: fixture('iam-get-role-spot.json') },
];

/** The default NodePool, with Spot allowed. */
function spotNodePools(): string {
  const pools = fixtureJson<{ items: { spec: { template: { spec: { requirements: unknown[] } } } }[] }>('k8s-nodepools.json');
  pools.items[0].spec.template.spec.requirements.push({ key: 'karpenter.sh/capacity-type', operator: 'In', values: ['on-demand', 'spot'] });
  return JSON.stringify(pools);
}

/** A healthy cluster; an override replaces the recording of the same command and arguments. */
function healthy(overrides: Recording[] = []): Recording[] {
  const base: Recording[] = [
    { cmd: 'cilium', args: 'status --wait --wait-duration 5m', stdout: '    /¯¯\\\n /¯¯\\__/¯¯\\    Cilium:             OK\n \\__/¯¯\\__/    Operator:           OK\n' },
    { cmd: 'kubectl', args: '-n kube-system get daemonset kube-proxy --ignore-not-found -o name', stdout: '' },
    { cmd: 'aws', args: 'eks describe-cluster', stdout: fixture('eks-describe-cluster.json') },
    { cmd: 'aws', args: 'ec2 describe-vpcs', stdout: fixture('ec2-describe-vpcs.json') },
    { cmd: 'kubectl', args: 'get pods --all-namespaces -o json', stdout: fixture('k8s-pods.json') },
    { cmd: 'hubble', args: 'status -P', stdout: fixture('hubble-status-ok.txt') },
    { cmd: 'kubectl', args: 'get nodes -o json', stdout: fixture('k8s-nodes.json') },
    { cmd: 'kubectl', args: '-n kube-system get pods -l k8s-app=cilium -o json', stdout: fixture('k8s-cilium-pods.json') },
    ...AGENTS.map((pod): Recording => ({ cmd: 'kubectl', args: `-n kube-system exec ${pod} -c cilium-agent -- cilium-dbg encrypt status`, stdout: WG })),
    ...EVIDENCE,
    { cmd: 'cilium', args: 'connectivity test', stdout: '✅ [cilium-eks] All 61 tests (512 actions) successful, 41 tests skipped, 1 scenarios skipped.\n' },
  ];
  return [...overrides, ...base.filter((b) => !overrides.some((o) => o.cmd === b.cmd && o.args === b.args))];
}

/** The table row of a check: `[result, detail]`. */
function row(stdout: string, check: string): [string, string] {
  const line = stdout.split('\n').find((l) => l.startsWith(`${check}  `));
  if (!line) throw new Error(`no row for ${check} in:\n${stdout}`);
  const m = /^(.*?)\s{2,}(PASS|FAIL|SKIP)\s+(.*)$/.exec(line);
  if (!m) throw new Error(`malformed row: ${line}`);
  return [m[2], m[3]];
}

describe('verify with stub CLIs', () => {
  test('a healthy cluster, run as a user runs it (node scripts/verify.js): every check passes, exit 0, commands printed as run', () => {
    // WHEN
    const r = runWithStubs('verify.js', [], healthy());
    // THEN
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(row(r.stdout, 'cilium status')[0]).toBe('PASS');
    expect(row(r.stdout, 'no kube-proxy')).toEqual(['PASS', 'no DaemonSet kube-system/kube-proxy']);
    expect(row(r.stdout, 'pods with VPC addresses')).toEqual(['PASS', '4 pods, all in 10.0.0.0/16, 100.64.0.0/16']);
    expect(row(r.stdout, 'Hubble relay answering')).toEqual(['PASS', 'relay answers, 3/3 nodes connected']);
    expect(row(r.stdout, 'WireGuard on every node')).toEqual(['PASS', '3 nodes, WireGuard with 2 peers each']);
    expect(row(r.stdout, 'Pod Identity from a pod')).toEqual([
      'PASS',
      'a pod in log-shipping as log-shipper got role cilium-eks-log-shipper-20261120091500000000000007 through Pod Identity (arn:aws:sts::111122223333:assumed-role/cilium-eks-log-shipper-20261120091500000000000007/eks-cilium-eks-cilium-eks--3b1f2a4c-5d6e-4f70-8192-a3b4c5d6e7f8)',
    ]);
    expect(row(r.stdout, 'Tetragon events reach CloudWatch')).toEqual(['PASS', `the event of pod default/cilium-eks-verify-export reading /etc/passwd is in ${TETRAGON_GROUP} (0 s)`]);
    expect(row(r.stdout, 'Hubble flows reach CloudWatch')).toEqual(['PASS', `dropped flow 6f1c2d3e-4a5b-4c6d-9e7f-8091a2b3c4d5 is in ${HUBBLE_GROUP} (0 s)`]);
    expect(row(r.stdout, 'Spot service-linked role')).toEqual(['SKIP', 'no Spot capacity: no NodePool admits karpenter.sh/capacity-type spot, no SPOT node group']);
    expect(row(r.stdout, 'cilium connectivity test')[0]).toBe('PASS');
    expect(r.stdout).toContain('verify: all checks passed');
    // The context first, then the checks, each announced as a step before its commands.
    expect(r.calls.slice(0, 2)).toEqual([`aws eks describe-cluster --region ${config.region} --name ${config.clusterName} --output json`, 'kubectl config view --minify -o json']);
    expect(r.stdout.indexOf('[1/10] cilium status')).toBeLessThan(r.stdout.indexOf('$ cilium status'));
    expect(r.stdout).toContain('[10/10] cilium connectivity test');
    expect(r.calls).toContain(`aws ec2 describe-vpcs --region ${config.region} --vpc-ids vpc-0a1b2c3d4e5f60718 --output json`);
    expect(r.calls).toContain(`cilium ${v.CONNECTIVITY_TEST_ARGS.join(' ')}`);
    // The pod that borrows the log shipper's identity: its service account, a restricted-compliant context.
    const podRun = r.calls.find((c) => c.startsWith('kubectl -n log-shipping run cilium-eks-verify-pod-identity'));
    const overrides = JSON.parse(/--overrides=(\{.*\})$/.exec(podRun ?? '')?.[1] ?? '{}') as { spec: { serviceAccountName: string; containers: { image: string; command: string[]; securityContext: object }[] } };
    expect(overrides.spec.serviceAccountName).toBe('log-shipper');
    expect(overrides.spec.containers[0]).toMatchObject({ image: v.CHECK_IMAGE, command: ['aws', 'sts', 'get-caller-identity', '--output', 'json'], securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } });
    // Printed as typed: arguments with quotes or JSON are quoted for the shell (scripts/lib/run.js quote).
    for (const call of r.calls.filter((c) => !/["{]/.test(c))) expect(r.stdout).toContain(`$ ${call}`);
  });

  test('a kube context of another cluster is refused before anything runs, naming both (exit 3)', () => {
    // WHEN: kubectl points at staging, --cluster (main.ts) is cilium-eks
    const r = runScript('verify.js', [], healthy([{ cmd: 'kubectl', args: 'config view --minify -o json', stdout: fixture('kubeconfig-view-staging.json') }]));
    // THEN
    expect(r.status).toBe(3);
    expect(r.stderr).toContain(
      'verify: refused: the current kube context arn:aws:eks:eu-west-1:111122223333:cluster/staging points at https://FEDCBA9876543210FEDCBA9876543210.yl4.eu-west-1.eks.amazonaws.com (kubeconfig cluster arn:aws:eks:eu-west-1:111122223333:cluster/staging), not at cluster cilium-eks (arn:aws:eks:eu-west-1:111122223333:cluster/cilium-eks, endpoint https://0123456789ABCDEF0123456789ABCDEF.gr7.eu-west-1.eks.amazonaws.com)',
    );
    expect(r.stderr).toContain(`verify: what to do: aws eks update-kubeconfig --region ${config.region} --name cilium-eks`);
    expect(r.calls).toEqual([`aws eks describe-cluster --region ${config.region} --name ${config.clusterName} --output json`, 'kubectl config view --minify -o json']);
    expect(r.stdout).not.toContain('[1/10]');
  });

  test('a cluster that cannot be read is refused too (exit 3): nothing is checked against an unknown cluster', () => {
    const r = runScript('verify.js', ['--cluster', 'gone'], healthy([{ cmd: 'aws', args: 'eks describe-cluster', status: 254, stderr: 'An error occurred (ResourceNotFoundException) when calling the DescribeCluster operation: No cluster found for name: gone.' }]));
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('verify: refused: could not read cluster gone in eu-west-1: exited 254: An error occurred (ResourceNotFoundException)');
    expect(r.calls).toHaveLength(1);
  });

  test('cilium status failing fails its row and the run', () => {
    const r = runScript('verify.js', ['--quick'], healthy([{ cmd: 'cilium', args: 'status --wait --wait-duration 5m', status: 1, stderr: 'Error: Unable to determine status: timeout while waiting for status to become successful: context deadline exceeded' }]));
    expect(r.status).toBe(1);
    expect(row(r.stdout, 'cilium status')).toEqual(['FAIL', expect.stringContaining('exited 1')]);
    expect(row(r.stdout, 'no kube-proxy')[0]).toBe('PASS');
  });

  test('a kube-proxy DaemonSet fails', () => {
    const r = runScript('verify.js', ['--quick'], healthy([{ cmd: 'kubectl', args: '-n kube-system get daemonset kube-proxy --ignore-not-found -o name', stdout: 'daemonset.apps/kube-proxy\n' }]));
    expect(r.status).toBe(1);
    expect(row(r.stdout, 'no kube-proxy')).toEqual(['FAIL', "daemonset.apps/kube-proxy exists: kube-proxy runs beside Cilium's replacement"]);
  });

  test('a pod address outside the VPC fails, naming the pod', () => {
    // WHEN: a pod with an overlay address (cluster-pool IPAM's default 10.0.0.0/8 would not be in a /16 VPC)
    const pods = fixtureJson<{ items: { metadata: { name: string }; status: { podIP?: string; podIPs?: { ip: string }[] } }[] }>('k8s-pods.json');
    const web = pods.items.find((p) => p.metadata.name === 'web-5f7c9d8b6-q2w3e');
    if (!web) throw new Error('fixture changed');
    web.status.podIP = '10.244.1.7';
    web.status.podIPs = [{ ip: '10.244.1.7' }];
    const r = runScript('verify.js', ['--quick'], healthy([{ cmd: 'kubectl', args: 'get pods --all-namespaces -o json', stdout: JSON.stringify(pods) }]));
    // THEN
    expect(r.status).toBe(1);
    expect(row(r.stdout, 'pods with VPC addresses')).toEqual(['FAIL', '1 pod address(es) outside 10.0.0.0/16, 100.64.0.0/16: storefront/web-5f7c9d8b6-q2w3e 10.244.1.7']);
  });

  test('Hubble relay not reaching every node fails; a relay that does not answer fails', () => {
    const partial = runScript('verify.js', ['--quick'], healthy([{ cmd: 'hubble', args: 'status -P', stdout: fixture('hubble-status-2of3.txt') }]));
    expect(partial.status).toBe(1);
    expect(row(partial.stdout, 'Hubble relay answering')).toEqual(['FAIL', 'relay answers but only 2/3 nodes are connected']);
    const down = runScript('verify.js', ['--quick'], healthy([{ cmd: 'hubble', args: 'status -P', status: 1, stderr: 'failed to connect to \'127.0.0.1:4245\': context deadline exceeded' }]));
    expect(row(down.stdout, 'Hubble relay answering')).toEqual(['FAIL', expect.stringContaining("could not check: hubble status -P: exited 1: failed to connect to '127.0.0.1:4245'")]);
  });

  test('a node without WireGuard fails, naming the node', () => {
    const r = runScript('verify.js', ['--quick'], healthy([{ cmd: 'kubectl', args: '-n kube-system exec cilium-tw8rd -c cilium-agent -- cilium-dbg encrypt status', stdout: fixture('cilium-dbg-encrypt-status-disabled.txt') }]));
    expect(r.status).toBe(1);
    expect(row(r.stdout, 'WireGuard on every node')).toEqual(['FAIL', 'ip-10-0-37-118.eu-west-1.compute.internal: encryption Disabled']);
  });

  test('a node without a running agent fails', () => {
    const agents = fixtureJson<{ items: unknown[] }>('k8s-cilium-pods.json');
    agents.items = agents.items.slice(0, 2);
    const r = runScript('verify.js', ['--quick'], healthy([{ cmd: 'kubectl', args: '-n kube-system get pods -l k8s-app=cilium -o json', stdout: JSON.stringify(agents) }]));
    expect(row(r.stdout, 'WireGuard on every node')).toEqual(['FAIL', 'ip-10-0-37-118.eu-west-1.compute.internal: no running Cilium agent']);
  });

  test('a failing connectivity test fails; --test passes a filter through', () => {
    const r = runScript('verify.js', ['--test', '!no-unexpected-packet-drops'], healthy([{ cmd: 'cilium', args: 'connectivity test', status: 1, stdout: '❌ 1/61 tests failed (1/512 actions), 41 tests skipped\n' }]));
    expect(r.status).toBe(1);
    expect(row(r.stdout, 'cilium connectivity test')[0]).toBe('FAIL');
    expect(r.calls).toContain(`cilium ${v.CONNECTIVITY_TEST_ARGS.join(' ')} --test !no-unexpected-packet-drops`);
    expect(r.stdout).toContain(`$ cilium ${v.CONNECTIVITY_TEST_ARGS.join(' ')} --test '!no-unexpected-packet-drops'`);
  });

  test('a CLI missing from the PATH is a failure, not a skip', () => {
    const r = runScript('verify.js', ['--quick'], healthy(), {}, ['aws', 'kubectl', 'cilium']);
    expect(r.status).toBe(1);
    expect(row(r.stdout, 'Hubble relay answering')).toEqual(['FAIL', 'could not check: hubble status -P: hubble is not on the PATH']);
    expect(row(r.stdout, 'WireGuard on every node')[0]).toBe('PASS');
  });

  test('Pod Identity: a pod that gets another role fails, saying what it got and what to look at', () => {
    // WHEN: the SDK fell back to the node's role (the Pod Identity agent unreachable)
    const node = JSON.stringify({ UserId: 'AROANODE:i-0abc', Account: '111122223333', Arn: 'arn:aws:sts::111122223333:assumed-role/cilium-eks-node-20261120/i-0abc' });
    const r = runScript('verify.js', ['--quick'], healthy([{ cmd: 'kubectl', args: '-n log-shipping run cilium-eks-verify-pod-identity', stdout: node }]));
    // THEN
    expect(r.status).toBe(1);
    expect(row(r.stdout, 'Pod Identity from a pod')).toEqual([
      'FAIL',
      'a pod in log-shipping as log-shipper got arn:aws:sts::111122223333:assumed-role/cilium-eks-node-20261120/i-0abc, not role cilium-eks-log-shipper-20261120091500000000000007 of its association (arn:aws:iam::111122223333:role/cilium-eks-log-shipper-20261120091500000000000007)',
    ]);
    expect(r.stdout).toContain('what to do: hubble observe -P --to-ip 169.254.170.23 --last 20: "FIB lookup failed" DROPPED is the eBPF host-routing regression (cilium #35989, #40273');
  });

  test('Pod Identity: a pod that gets no credentials fails with its output; --pod-identity picks another account', () => {
    const denied = runScript('verify.js', ['--quick'], healthy([{ cmd: 'kubectl', args: '-n log-shipping run cilium-eks-verify-pod-identity', status: 1, stdout: 'Unable to locate credentials. You can configure credentials by running "aws configure".\n' }]));
    expect(row(denied.stdout, 'Pod Identity from a pod')).toEqual(['FAIL', expect.stringContaining('could not check: kubectl -n log-shipping run cilium-eks-verify-pod-identity')]);
    const other = runScript('verify.js', ['--quick', '--pod-identity', 'payments/api'], healthy());
    expect(row(other.stdout, 'Pod Identity from a pod')).toEqual(['FAIL', 'no Pod Identity association for payments/api (the cluster has: kube-system/cilium-operator, log-shipping/log-shipper)']);
    expect(other.calls.some((c) => c.includes(' run cilium-eks-verify-pod-identity'))).toBe(false);
  });

  test('export pipeline: an event that never arrives fails after the timeout, with where to look', () => {
    // WHEN
    const none = fixture('logs-filter-events-none.json');
    const r = runScript('verify.js', ['--quick', '--export-timeout', '0'], healthy([
      { cmd: 'aws', args: filterEvents(TETRAGON_GROUP), stdout: none },
      { cmd: 'aws', args: filterEvents(HUBBLE_GROUP), stdout: none },
    ]));
    // THEN
    expect(r.status).toBe(1);
    expect(row(r.stdout, 'Tetragon events reach CloudWatch')).toEqual(['FAIL', `no event of pod default/cilium-eks-verify-export in ${TETRAGON_GROUP} within 0 s`]);
    expect(row(r.stdout, 'Hubble flows reach CloudWatch')).toEqual(['FAIL', `dropped flow 6f1c2d3e-4a5b-4c6d-9e7f-8091a2b3c4d5 (2026-12-01T09:29:41.018273651Z) is not in ${HUBBLE_GROUP} after 0 s`]);
    expect(r.stdout).toContain('what to do: the shipper: kubectl -n log-shipping logs ds/log-shipper-aws-for-fluent-bit');
    expect(r.calls).toContain(`aws ${filterEvents(TETRAGON_GROUP)} --filter-pattern "cilium-eks-verify-export" --start-time ${/--start-time (\d+)/.exec(r.calls.find((c) => c.includes(TETRAGON_GROUP) && c.includes('filter-log-events')) ?? '')?.[1]} --max-items 1 --output json`);
  });

  test('export pipeline: without log groups, or without a known event to follow, the checks are SKIP with the reason', () => {
    const r = runScript('verify.js', ['--quick'], healthy([
      { cmd: 'aws', args: 'logs describe-log-groups', stdout: '{"logGroups":[]}' },
    ]));
    expect(r.status).toBe(0);
    expect(row(r.stdout, 'Tetragon events reach CloudWatch')).toEqual(['SKIP', `no log group ${TETRAGON_GROUP}: Tetragon or logExport is off`]);
    expect(row(r.stdout, 'Hubble flows reach CloudWatch')).toEqual(['SKIP', `no log group ${HUBBLE_GROUP}: the flow export or logExport is off`]);
    const quiet = runScript('verify.js', ['--quick'], healthy([{ cmd: 'hubble', args: 'observe -P --verdict DROPPED --last 1 -o json', stdout: '' }]));
    expect(row(quiet.stdout, 'Hubble flows reach CloudWatch')).toEqual(['SKIP', "the relay holds no dropped flow to follow (the Tetragon check covers the shipper)"]);
  });

  test('Spot: a NodePool with Spot needs AWSServiceRoleForEC2Spot; present passes, missing fails with the command that creates it', () => {
    const withSpot = { cmd: 'kubectl' as const, args: 'get nodepools.karpenter.sh -o json', stdout: spotNodePools() };
    const ok = runScript('verify.js', ['--quick'], healthy([withSpot]));
    expect(row(ok.stdout, 'Spot service-linked role')).toEqual(['PASS', 'arn:aws:iam::111122223333:role/aws-service-role/spot.amazonaws.com/AWSServiceRoleForEC2Spot exists (Spot used by NodePool default)']);
    expect(ok.calls).toContain('aws iam get-role --role-name AWSServiceRoleForEC2Spot --output json');
    const missing = runScript('verify.js', ['--quick'], healthy([
      withSpot,
      { cmd: 'aws', args: 'iam get-role --role-name AWSServiceRoleForEC2Spot', status: 254, stderr: '\nAn error occurred (NoSuchEntity) when calling the GetRole operation: The role with name AWSServiceRoleForEC2Spot cannot be found.\n' },
    ]));
    expect(missing.status).toBe(1);
    expect(row(missing.stdout, 'Spot service-linked role')).toEqual(['FAIL', 'AWSServiceRoleForEC2Spot does not exist, and NodePool default use Spot: EC2 refuses to launch Spot instances without it']);
    expect(missing.stdout).toContain('what to do: create it once per account: aws iam create-service-linked-role --aws-service-name spot.amazonaws.com');
  });

  test('--quick skips only the connectivity test and says so', () => {
    const r = runScript('verify.js', ['--quick'], healthy());
    expect(r.status).toBe(0);
    expect(row(r.stdout, 'cilium connectivity test')).toEqual(['SKIP', expect.stringContaining('run without --quick')]);
    expect(r.calls.some((c) => c.startsWith('cilium connectivity'))).toBe(false);
  });
});

describe('verify --help', () => {
  test('documents every flag the script accepts, and only those, and every exit status', () => {
    expectHelpDocumentsScript('verify.js');
  });

  test('bad values are refused before anything runs (exit 2)', () => {
    const r = runScript('verify.js', ['--pod-identity', 'log-shipper', '--export-timeout', 'soon'], healthy());
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('verify: --pod-identity takes NAMESPACE/SERVICEACCOUNT');
    expect(r.stderr).toContain('verify: --export-timeout takes a number of seconds');
    expect(r.calls).toEqual([]);
  });
});

describe('verify rules', () => {
  test('Spot: only a capacity-type requirement that admits spot counts (Karpenter v1 defaults to on-demand)', () => {
    const pool = (requirements: object[]) => ({ items: [{ metadata: { name: 'p' }, spec: { template: { spec: { requirements } } } }] });
    const ct = (operator: string, values?: string[]) => pool([{ key: 'karpenter.sh/capacity-type', operator, ...(values ? { values } : {}) }]);
    expect([ct('In', ['spot']), ct('In', ['on-demand']), ct('NotIn', ['on-demand']), ct('NotIn', ['spot']), ct('Exists'), pool([])].map((p) => v.nodePoolsWithSpot(p).length)).toEqual([1, 0, 1, 0, 1, 0]);
  });

  test('Pod Identity: the log shipper first, else the first outside kube-system; none: SKIP', () => {
    const a = (namespace: string, serviceAccount: string) => ({ namespace, serviceAccount, associationId: `a-${serviceAccount}` });
    expect(v.podIdentityTarget({ associations: [a('kube-system', 'cilium-operator'), a('zeta', 'app'), a('alpha', 'app')] }).association).toEqual(a('alpha', 'app'));
    expect(v.podIdentityTarget({ associations: [a('kube-system', 'cilium-operator')] }).skip).toMatch(/pass --pod-identity/);
    expect(v.roleNameOf('arn:aws:iam::1:role/team/app-role')).toBe('app-role');
  });

  test.each([
    ['10.0.255.255', '10.0.0.0/16', true],
    ['10.1.0.0', '10.0.0.0/16', false],
    ['100.64.3.17', '100.64.0.0/10', true],
    ['192.168.0.1', '0.0.0.0/0', true],
    ['not-an-ip', '10.0.0.0/8', false],
  ])('inCidr(%s, %s) is %s', (ip, cidr, expected) => {
    expect(v.inCidr(ip, cidr)).toBe(expected);
  });

  test('encrypt status and hubble status parsing', () => {
    expect(v.parseEncryptStatus(WG)).toEqual({ mode: 'Wireguard', peers: [2] });
    expect(v.hubbleStatus('Healthcheck (via 127.0.0.1:4245): Ok\n').pass).toBe(false);
    expect(v.hubbleStatus('Healthcheck (via 127.0.0.1:4245): Unavailable\nConnected Nodes: 3/3\n')).toEqual({ pass: false, detail: 'relay health check via 127.0.0.1:4245: Unavailable' });
  });
});
