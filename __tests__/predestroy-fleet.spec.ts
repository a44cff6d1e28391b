/**
 * `npm run predestroy -- --fleet FILE` (scripts/predestroy.js, scripts/lib/predestroy-fleet.js)
 * against stub `aws` and `kubectl`: a cluster leaving a meshed fleet is drained, then dropped from
 * the others' mesh Secrets, then checked as a single cluster, in that order; the whole fleet going
 * is each cluster's own checks; every context is checked first.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { fixture, fixtureJson, Recording, runScript } from './support/stub-cli';

const fleetChecks = require('../scripts/lib/predestroy-fleet') as {
  readFleet(text: string): { name?: string; clusters: { name: string; region: string; awsProfile?: string }[] };
  peersStillListed(text: string, peer: string, leaving: string[]): { what: string; fix: string[] }[];
};

const CLUSTERS = [
  { name: 'a', region: 'eu-west-1' },
  { name: 'b', region: 'eu-west-1' },
  { name: 'c', region: 'us-east-1', awsProfile: 'platform-us' },
];
const endpoint = (name: string): string => `https://${name.toUpperCase().repeat(32)}.gr7.example.eks.amazonaws.com`;
const vpc = (name: string): string => `vpc-0${name.repeat(16)}`;

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** The fleet file as `cdktf output cluster-mesh --outputs-file` writes the stack's `fleet_clusters` output. */
function fleetFile(clusters = CLUSTERS): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cilium-eks-fleet-'));
  dirs.push(dir);
  const file = path.join(dir, 'fleet.json');
  fs.writeFileSync(file, JSON.stringify({ 'cluster-mesh': { fleet_clusters: JSON.stringify({ name: 'demo-mesh', clusters }) } }));
  return file;
}

/** describe-cluster and the kube context of one cluster: the context named after it reaches it. */
function identity(c: { name: string; region: string; awsProfile?: string }, server = endpoint(c.name)): Recording[] {
  const describe = fixtureJson<{ cluster: Record<string, unknown> & { resourcesVpcConfig: Record<string, unknown> } }>('eks-describe-cluster.json');
  describe.cluster.name = c.name;
  describe.cluster.arn = `arn:aws:eks:${c.region}:111122223333:cluster/${c.name}`;
  describe.cluster.endpoint = endpoint(c.name);
  describe.cluster.resourcesVpcConfig.vpcId = vpc(c.name);
  const view = { 'current-context': c.name, contexts: [{ name: c.name, context: { cluster: c.name, user: c.name } }], clusters: [{ name: c.name, cluster: { server } }] };
  return [
    { cmd: 'aws', args: `eks describe-cluster --region ${c.region} --name ${c.name}`, stdout: JSON.stringify(describe) },
    { cmd: 'kubectl', args: `--context ${c.name} config view --minify -o json`, stdout: JSON.stringify(view) },
  ];
}

/** One cluster's own checks, all clean. */
function clean(c: { name: string; region: string }): Recording[] {
  const k = `--context ${c.name}`;
  const nodeClaims = fixtureJson<{ items: { metadata: { labels: Record<string, string> } }[] }>('k8s-nodeclaims.json');
  nodeClaims.items = nodeClaims.items.filter((x) => x.metadata.labels['karpenter.sh/nodepool'] === 'default');
  return [
    { cmd: 'kubectl', args: `${k} get services --all-namespaces -o json`, stdout: fixture('k8s-services-clusterip.json') },
    { cmd: 'kubectl', args: `${k} get persistentvolumeclaims --all-namespaces -o json`, stdout: fixture('k8s-pvcs-none.json') },
    { cmd: 'kubectl', args: `${k} get customresourcedefinition nodeclaims.karpenter.sh --ignore-not-found -o name`, stdout: 'customresourcedefinition.apiextensions.k8s.io/nodeclaims.karpenter.sh\n' },
    { cmd: 'kubectl', args: `${k} get nodepools.karpenter.sh -o json`, stdout: fixture('k8s-nodepools.json') },
    { cmd: 'kubectl', args: `${k} get nodeclaims.karpenter.sh -o json`, stdout: JSON.stringify(nodeClaims) },
    { cmd: 'kubectl', args: `${k} -n kube-system get secrets cilium-clustermesh cilium-kvstoremesh --ignore-not-found -o json`, stdout: JSON.stringify(meshSecrets(CLUSTERS.map((x) => x.name).filter((x) => x !== c.name))) },
    { cmd: 'kubectl', args: `${k} -n kube-system patch secret`, stdout: 'secret patched\n' },
    { cmd: 'kubectl', args: `${k} -n storefront annotate service echo`, stdout: 'service/echo annotated\n' },
  ];
}

/** The region-wide AWS answers: nothing in any VPC; no log group. */
const AWS_CLEAN: Recording[] = [
  { cmd: 'aws', args: 'elbv2 describe-load-balancers', stdout: fixture('elbv2-load-balancers-other-vpc.json') },
  { cmd: 'aws', args: 'elb describe-load-balancers', stdout: fixture('elb-none.json') },
  { cmd: 'aws', args: 'elbv2 describe-target-groups', stdout: fixture('elbv2-target-groups-none.json') },
  { cmd: 'aws', args: 'ec2 describe-volumes', stdout: fixture('ec2-volumes-none.json') },
  { cmd: 'aws', args: 'ec2 describe-network-interfaces', stdout: '{"NetworkInterfaces":[]}' },
  { cmd: 'aws', args: 'logs describe-log-groups', stdout: '{"logGroups":[]}' },
];

/** The two mesh Secrets of a cluster whose peers are `peers` (the chart's keys: one per peer name). */
function meshSecrets(peers: string[]): unknown {
  const data = Object.fromEntries(peers.map((p) => [p, 'ZW5kcG9pbnRzOiBbXQo=']));
  return { kind: 'List', items: ['cilium-clustermesh', 'cilium-kvstoremesh'].map((name) => ({ kind: 'Secret', metadata: { name, namespace: 'kube-system' }, data })) };
}

const SHARED_ECHO = JSON.stringify({
  kind: 'List',
  items: [
    { metadata: { namespace: 'storefront', name: 'echo', annotations: { 'service.cilium.io/global': 'true' } }, spec: { type: 'ClusterIP' } },
    { metadata: { namespace: 'storefront', name: 'local-only', annotations: { 'service.cilium.io/global': 'true', 'service.cilium.io/shared': 'false' } }, spec: { type: 'ClusterIP' } },
  ],
});

function table(overrides: Recording[] = []): Recording[] {
  return [...overrides, ...CLUSTERS.flatMap((c) => [...identity(c), ...clean(c)]), ...AWS_CLEAN];
}

describe('predestroy --fleet with stub aws and kubectl', () => {
  test('a cluster leaving: every context checked first, then its shared global Services, then the others\' mesh Secrets, then its own checks (exit 1)', () => {
    // GIVEN c's echo Service is shared with the mesh; a and b still dial c
    const r = runScript('predestroy.js', ['--fleet', fleetFile(), '--cluster', 'c'], table([{ cmd: 'kubectl', args: '--context c get services --all-namespaces -o json', stdout: SHARED_ECHO }]));
    // THEN
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('predestroy: fleet demo-mesh: c leaves; a, b stay');
    const order = r.calls.map((c) => c.replace(/ --output json.*| -o json.*| -o name.*/, ''));
    expect(order.slice(0, 9)).toEqual([
      'aws eks describe-cluster --region eu-west-1 --name a',
      'kubectl --context a config view --minify',
      'aws eks describe-cluster --region eu-west-1 --name b',
      'kubectl --context b config view --minify',
      'aws eks describe-cluster --region us-east-1 --name c',
      'kubectl --context c config view --minify',
      'kubectl --context c get services --all-namespaces',
      'kubectl --context a -n kube-system get secrets cilium-clustermesh cilium-kvstoremesh --ignore-not-found',
      'kubectl --context b -n kube-system get secrets cilium-clustermesh cilium-kvstoremesh --ignore-not-found',
    ]);
    // c's own checks follow, in its context and with its account's profile; a and b are not checked.
    expect(r.calls.slice(9).every((c) => c.includes('--context c') || (c.startsWith('aws ') && c.includes('--region us-east-1') && c.endsWith('--profile platform-us')))).toBe(true);
    expect(r.calls.filter((c) => /describe-cluster --region us-east-1 --name c --output json --profile platform-us/.test(c))).toHaveLength(1);
    expect(r.stdout).toContain('[1/13] Global Services of c shared with the other clusters');
    expect(r.stdout).toContain('BLOCKS  global Service storefront/echo of c, shared with the other clusters');
    expect(r.stdout).not.toContain('local-only');
    expect(r.stdout).toContain('BLOCKS  a still dials c (Secret kube-system/cilium-clustermesh, key c)');
    expect(r.stdout).toContain('BLOCKS  b still dials c (Secret kube-system/cilium-kvstoremesh, key c)');
    expect(r.stdout).toContain('[13/13] Evidence the destroy keeps (log groups and their key) (c)');
    expect(r.stdout).toContain('predestroy: 5 item(s) would block');
  });

  test('--delete --yes drains first, then disconnects, in the order listed; without --yes nothing runs', () => {
    const overrides: Recording[] = [{ cmd: 'kubectl', args: '--context c get services --all-namespaces -o json', stdout: SHARED_ECHO }];
    const refused = runScript('predestroy.js', ['--fleet', fleetFile(), '--cluster', 'c', '--delete'], table(overrides));
    expect(refused.status).toBe(3);
    expect(refused.calls.filter((c) => / annotate | patch /.test(c))).toEqual([]);
    // WHEN
    const r = runScript('predestroy.js', ['--fleet', fleetFile(), '--cluster', 'c', '--delete', '--yes'], table(overrides));
    // THEN
    const patch = `[{"op":"remove","path":"/data/c"}]`;
    const expected = [
      'kubectl --context c -n storefront annotate service echo service.cilium.io/shared=false --overwrite',
      `kubectl --context a -n kube-system patch secret cilium-clustermesh --type json -p ${patch}`,
      `kubectl --context a -n kube-system patch secret cilium-kvstoremesh --type json -p ${patch}`,
      `kubectl --context b -n kube-system patch secret cilium-clustermesh --type json -p ${patch}`,
      `kubectl --context b -n kube-system patch secret cilium-kvstoremesh --type json -p ${patch}`,
    ];
    expect(r.calls.filter((c) => / annotate | patch /.test(c))).toEqual(expected);
    expect(r.stdout).toContain(`predestroy --delete will run these 5 command(s), in this order:\n  ${expected[0]}\n  kubectl --context a -n kube-system patch secret cilium-clustermesh --type json -p '${patch}'`);
    expect(r.status).toBe(1);
  });

  test('the whole fleet going: no drain or disconnect, each cluster\'s own checks in its own context (exit 0)', () => {
    const r = runScript('predestroy.js', ['--fleet', fleetFile()], table());
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('every cluster leaves (a, b, c)');
    expect(r.calls.filter((c) => /secrets cilium-clustermesh/.test(c))).toEqual([]);
    expect(r.stdout).toContain('[30/30] Evidence the destroy keeps (log groups and their key) (c)');
    for (const name of ['a', 'b', 'c']) expect(r.calls).toContain(`kubectl --context ${name} get persistentvolumeclaims --all-namespaces -o json`);
    expect(r.calls).toContain(`aws ec2 describe-network-interfaces --region eu-west-1 --filters Name=vpc-id,Values=${vpc('b')} --output json`);
  });

  test('a context that reaches another cluster is refused before any check (exit 3)', () => {
    const wrong = identity(CLUSTERS[1], endpoint('a')).filter((x) => x.cmd === 'kubectl');
    const r = runScript('predestroy.js', ['--fleet', fleetFile(), '--cluster', 'c'], table(wrong));
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/^predestroy: refused: the current kube context b points at https:\/\/AAAA.*not at cluster b/);
    expect(r.stderr).toContain('--alias b');
    expect(r.calls.some((c) => / get services /.test(c))).toBe(false);
  });

  test('bad usage: a cluster not in the fleet, a missing or empty file, --aws-only or --region beside --fleet (exit 2, nothing runs)', () => {
    const cases: [string[], RegExp][] = [
      [['--fleet', fleetFile(), '--cluster', 'd'], /--cluster d is not in the fleet \(a, b, c\)/],
      [['--fleet', '/nonexistent/fleet.json'], /no fleet file \/nonexistent\/fleet\.json/],
      [['--fleet', fleetFile([])], /the fleet file has no clusters/],
      [['--fleet', fleetFile(), '--aws-only'], /--aws-only checks one VPC: leave out --fleet/],
      [['--fleet', fleetFile(), '--region', 'eu-west-1'], /--vpc-id and --region come from the fleet file/],
    ];
    for (const [args, message] of cases) {
      const r = runScript('predestroy.js', args, []);
      expect([r.status, r.calls]).toEqual([2, []]);
      expect(r.stderr).toMatch(message);
    }
  });
});

describe('predestroy --fleet rules', () => {
  test('the fleet file: the stack output as cdktf and terraform write it, or the description itself; a bad entry is named', () => {
    const fleet = { name: 'demo-mesh', clusters: [{ name: 'a', region: 'eu-west-1' }] };
    for (const text of [JSON.stringify({ 'cluster-mesh': { fleet_clusters: JSON.stringify(fleet) } }), JSON.stringify({ fleet_clusters: { value: JSON.stringify(fleet), type: 'string' } }), JSON.stringify(fleet)]) {
      expect(fleetChecks.readFleet(text)).toEqual(fleet);
    }
    expect(() => fleetChecks.readFleet(JSON.stringify({ clusters: [{ name: 'A', region: 'eu-west-1' }] }))).toThrow('clusters[0].name in the fleet file is not a cluster name: "A"');
    expect(() => fleetChecks.readFleet('{')).toThrow(/the fleet file is not JSON/);
  });

  test('a peer lists a leaving cluster by its key and its certificate keys; no Secret at all is nothing to do', () => {
    const secret = { kind: 'Secret', metadata: { name: 'cilium-clustermesh' }, data: { c: 'x', 'c.etcd-client.crt': 'y', cc: 'z' } };
    const [f] = fleetChecks.peersStillListed(JSON.stringify(secret), 'a', ['c']);
    expect(f.what).toBe('a still dials c (Secret kube-system/cilium-clustermesh, key c, c.etcd-client.crt)');
    expect(f.fix).toEqual([`kubectl --context a -n kube-system patch secret cilium-clustermesh --type json -p '[{"op":"remove","path":"/data/c"},{"op":"remove","path":"/data/c.etcd-client.crt"}]'`]);
    expect(fleetChecks.peersStillListed('', 'a', ['c'])).toEqual([]);
  });
});
