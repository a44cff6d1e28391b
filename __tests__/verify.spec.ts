/**
 * `npm run verify` (scripts/verify.js) against stub `aws`, `kubectl`, `cilium` and `hubble`
 * commands that return recorded (hand-written) outputs: the pass case and each failure.
 */
import { fixture, fixtureJson, MAIN_TS_CONFIG as config, Recording, runScript, runWithStubs } from './support/stub-cli';

const v = require('../scripts/lib/verify-checks') as {
  CONNECTIVITY_TEST_ARGS: string[];
  inCidr(ip: string, cidr: string): boolean;
  hubbleStatus(text: string): { pass: boolean; detail: string };
  parseEncryptStatus(text: string): { mode?: string; peers: number[] };
};

const AGENTS = ['cilium-4xq7m', 'cilium-9bz2k', 'cilium-tw8rd'];
const WG = fixture('cilium-dbg-encrypt-status-wireguard.txt');

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
    expect(row(r.stdout, 'cilium connectivity test')[0]).toBe('PASS');
    expect(r.stdout).toContain('verify: all checks passed');
    expect(r.calls).toContain(`aws eks describe-cluster --region ${config.region} --name ${config.clusterName} --output json`);
    expect(r.calls).toContain(`aws ec2 describe-vpcs --region ${config.region} --vpc-ids vpc-0a1b2c3d4e5f60718 --output json`);
    expect(r.calls).toContain(`cilium ${v.CONNECTIVITY_TEST_ARGS.join(' ')}`);
    for (const call of r.calls) expect(r.stdout).toContain(`$ ${call}`);
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

  test('--quick skips only the connectivity test and says so', () => {
    const r = runScript('verify.js', ['--quick'], healthy());
    expect(r.status).toBe(0);
    expect(row(r.stdout, 'cilium connectivity test')).toEqual(['SKIP', expect.stringContaining('run without --quick')]);
    expect(r.calls.some((c) => c.startsWith('cilium connectivity'))).toBe(false);
  });
});

describe('verify rules', () => {
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
