/**
 * Cluster Mesh as pure code (bpf/clustermesh.ts, bpf/policy/clustermesh.ts): the values fragment
 * per chart version against the upstream schema and values.yaml, the fleet's input checks, and the
 * helpers that use the mesh. Synthesized fleets are in fleet-synth.spec.ts.
 */
import { buildCiliumValues } from '../bpf/cilium-values';
import { fleetMtu, FleetPathShape, WIREGUARD_OVERHEAD } from '../bpf/mtu';
import { ClusterMeshOptions, clusterMeshValues, coveringCidr, FleetMemberSpec, pairsOf, peersOf, validateFleet } from '../bpf/clustermesh';
import { anyClusterPeer, CLUSTER_LABEL, clusterPeer, globalService, globalServiceAnnotations, inCluster } from '../bpf/policy/clustermesh';
import { Selector } from '../bpf/policy/selector';
import { JsonObject, toSortedYaml } from '../core/yaml';
import { thrown } from './support/errors';
import { readUpstreamText, upstreamYaml, validateCiliumValues } from './support/upstream';
import { hasPath, unknownCiliumKeys } from './support/chart-keys';

const MESH: ClusterMeshOptions = {
  clusterName: 'eu-1',
  clusterId: 1,
  peers: [
    { name: 'us-1', address: 'us-1.mesh.cilium.io' },
    { name: 'eu-2', address: 'eu-2.mesh.cilium.io' },
  ],
  ca: { certBase64: 'Q0VSVA==', keyBase64: 'S0VZ' },
  nativeRoutingCidr: '10.0.0.0/11',
  serverDnsNames: ['eu-1.mesh.cilium.io'],
  apiServerNodeSelector: { 'cilium-eks/node-group': 'system' },
};

const SAMPLE = { k8sServiceHost: 'ABCDEF0123456789.gr7.eu-west-1.eks.amazonaws.com', region: 'eu-west-1', podSubnetIds: ['subnet-0000000a'] };

// ---------------------------------------------------------------------------------------------
// values.yaml key paths (the schema accepts unknown keys, so only this catches a wrong name).

/** The peer map, keyed by cluster name: its entries are checked against the documented peer keys. */
const PEER_MAP = 'clustermesh.config.clusters';

/** The peer entry's keys as the chart documents them (commented example under `clusters:`). */
function documentedPeerKeys(version: string): string[] {
  const text = readUpstreamText('cilium', version, 'values.yaml');
  const block = text.slice(text.indexOf('    clusters: []'), text.indexOf('Or alternatively you can use a list'));
  return [...block.matchAll(/^\s*#\s{5}(\w+):/gm)].map((m) => m[1]);
}

describe('clusterMeshValues', () => {
  test.each(['1.19.6', '1.20.0'])('chart %s: validates against the schema and every key exists in values.yaml', (version) => {
    // WHEN
    const values = buildCiliumValues({ ...SAMPLE, chartVersion: version, clusterMesh: MESH });
    // THEN: the whole document against the schema; the mesh's own keys against values.yaml (the
    // rest is the chart matrix's business, values-matrix.spec.ts).
    expect(validateCiliumValues(version, values)).toEqual([]);
    expect(unknownCiliumKeys(version, clusterMeshValues(MESH, version), [PEER_MAP])).toEqual([]);
    const peerKeys = documentedPeerKeys(version);
    for (const peer of Object.values((values.clustermesh as JsonObject & { config: { clusters: JsonObject } }).config.clusters)) {
      expect(Object.keys(peer as JsonObject).every((k) => peerKeys.includes(k))).toBe(true);
    }
    expect(peerKeys).toEqual(expect.arrayContaining(['address', 'port']));
  });

  test('the server certificate names sit where each chart version reads them (1.20 dropped tls.server)', () => {
    const v19 = clusterMeshValues(MESH, '1.19.6') as { clustermesh: { apiserver: { tls: JsonObject } } };
    const v20 = clusterMeshValues(MESH, '1.20.0') as { clustermesh: { apiserver: { tls: JsonObject } } };
    expect(v19.clustermesh.apiserver.tls.server).toEqual({ extraDnsNames: ['eu-1.mesh.cilium.io'] });
    expect(v20.clustermesh.apiserver.tls.server).toBeUndefined();
    expect((v20.clustermesh.apiserver.tls.auto as JsonObject).server).toEqual({ extraDnsNames: ['eu-1.mesh.cilium.io'] });
    // 1.20 removed the key: a value written there would be ignored silently (facts.md).
    expect(hasPath(upstreamYaml('cilium', '1.20.0', 'values.yaml'), 'clustermesh.apiserver.tls.server'.split('.'))).toBe(false);
  });

  test('lists every peer once, keyed by name, with the apiserver port; the shared CA; authMode cluster; KVStoreMesh; two replicas with a PDB', () => {
    const v = clusterMeshValues(MESH, '1.19.6') as Record<string, JsonObject>;
    expect(v.cluster).toEqual({ name: 'eu-1', id: 1 });
    const cm = v.clustermesh as { config: JsonObject; apiserver: Record<string, JsonObject> } & JsonObject;
    expect(cm.useAPIServer).toBe(true);
    expect(cm.maxConnectedClusters).toBe(255);
    expect(cm.config.clusters).toEqual({ 'eu-2': { address: 'eu-2.mesh.cilium.io', port: 2379 }, 'us-1': { address: 'us-1.mesh.cilium.io', port: 2379 } });
    expect(v.tls).toEqual({ ca: { cert: 'Q0VSVA==', key: 'S0VZ' } });
    expect(cm.apiserver.tls.authMode).toBe('cluster');
    expect(cm.apiserver.tls.auto).toEqual({ enabled: true, method: 'cronJob' });
    expect(cm.apiserver.kvstoremesh).toEqual({ enabled: true });
    expect(cm.apiserver.replicas).toBe(2);
    expect(cm.apiserver.podDisruptionBudget).toEqual({ enabled: true, maxUnavailable: 1 });
    expect(cm.apiserver.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux', 'cilium-eks/node-group': 'system' });
    expect(cm.apiserver.podSecurityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(v.ipv4NativeRoutingCIDR).toBe('10.0.0.0/11');
  });

  test('a removed peer changes only its own entry', () => {
    const all = toSortedYaml(clusterMeshValues(MESH, '1.19.6')).split('\n');
    const fewer = toSortedYaml(clusterMeshValues({ ...MESH, peers: MESH.peers.filter((p) => p.name !== 'eu-2') }, '1.19.6')).split('\n');
    const removed = [...all];
    for (const line of fewer) removed.splice(removed.indexOf(line), 1);
    expect(removed).toEqual(['      eu-2:', '        address: eu-2.mesh.cilium.io', '        port: 2379']);
  });

  test('merges into the rest of the values without touching what they set', () => {
    const plain = buildCiliumValues(SAMPLE);
    const meshed = buildCiliumValues({ ...SAMPLE, clusterMesh: MESH });
    for (const key of Object.keys(plain)) expect(meshed[key]).toEqual(plain[key]);
    expect(Object.keys(meshed).filter((k) => !(k in plain)).sort()).toEqual(['cluster', 'clustermesh', 'ipv4NativeRoutingCIDR', 'tls']);
  });

  test('rejects chart 1.18, a bad name or id, a peer that is the cluster itself or listed twice', () => {
    expect(thrown(() => clusterMeshValues(MESH, '1.18.12')).message).toMatch(/^cilium\.chartVersion: "1\.18\.12" is not valid; allowed: one of 1\.19\.6, 1\.20\.0 in a Cluster Mesh/);
    expect(thrown(() => clusterMeshValues({ ...MESH, clusterName: 'EU-1' }, '1.19.6')).property).toBe('cilium.clusterMesh.name');
    expect(thrown(() => clusterMeshValues({ ...MESH, clusterId: 256 }, '1.19.6')).message).toMatch(/clusterId: 256 is not valid; allowed: an integer from 1 to 255/);
    expect(clusterMeshValues({ ...MESH, clusterId: 300, maxConnectedClusters: 511 }, '1.19.6').cluster).toEqual({ name: 'eu-1', id: 300 });
    expect(thrown(() => clusterMeshValues({ ...MESH, peers: [{ name: 'eu-1', address: 'x' }] }, '1.19.6')).property).toBe('cilium.clusterMesh.peers[0].name');
    expect(thrown(() => clusterMeshValues({ ...MESH, peers: [MESH.peers[0], MESH.peers[0]] }, '1.19.6')).property).toBe('cilium.clusterMesh.peers[1].name');
  });
});

// ---------------------------------------------------------------------------------------------

function member(i: number, extra: Partial<FleetMemberSpec> = {}): FleetMemberSpec {
  return {
    name: `c${i}`,
    clusterId: i + 1,
    region: 'eu-west-1',
    vpcCidr: `10.${i}.0.0/16`,
    serviceIpv4Cidr: `172.20.${i}.0/24`,
    chartVersion: '1.19.6',
    wireguard: true,
    ...extra,
  };
}
const three = (): FleetMemberSpec[] => [member(0), member(1), member(2)];

describe('validateFleet', () => {
  test('accepts a valid fleet of 2 and of 50', () => {
    expect(() => validateFleet([member(0), member(1)])).not.toThrow();
    expect(() => validateFleet(Array.from({ length: 50 }, (_, i) => member(i)))).not.toThrow();
  });

  test('a fleet of one', () => {
    const e = thrown(() => validateFleet([member(0)]));
    expect(e.message).toBe('clusters: ["c0"] is not valid; allowed: 2 to 50 clusters (a mesh of one cluster has no peer)');
  });

  test('more clusters than the limit', () => {
    const e = thrown(() => validateFleet(Array.from({ length: 51 }, (_, i) => member(i, { vpcCidr: `10.${i}.0.0/16`, serviceIpv4Cidr: `172.${16 + (i >> 4)}.${(i & 15) * 16}.0/20` }))));
    expect(e.property).toBe('clusters');
    expect(e.message).toMatch(/allowed: 2 to 50 clusters \(VPC peering takes at most 50 clusters/);
  });

  test('maxConnectedClusters other than 255 or 511', () => {
    expect(thrown(() => validateFleet(three(), 300)).message).toMatch(/^maxConnectedClusters: 300 is not valid; allowed: 255 or 511/);
  });

  test('duplicate names and ids name the second occurrence and the first', () => {
    const dupName = three();
    dupName[2] = member(2, { name: 'c0' });
    expect(thrown(() => validateFleet(dupName)).message).toBe(
      'clusters[2].name: "c0" is not valid; allowed: a name no other cluster has (clusters[0] has it) (cluster.name is the identity of a cluster in the mesh)',
    );
    const dupId = three();
    dupId[1] = member(1, { clusterId: 3 });
    expect(thrown(() => validateFleet(dupId)).message).toMatch(/^clusters\[2\]\.clusterId: 3 is not valid; allowed: an id no other cluster has \(clusters\[1\] "c1" has it\)/);
  });

  test.each([
    ['a-name-that-is-longer-than-32-chars', 'too long'],
    ['Upper', 'upper case'],
    ['-dash', 'leading dash'],
    ['under_score', 'underscore'],
  ])('name %s (%s)', (name) => {
    const f = three();
    f[1] = member(1, { name });
    const e = thrown(() => validateFleet(f));
    expect(e.property).toBe('clusters[1].name');
    expect(e.value).toBe(name);
    expect(e.allowed).toMatch(/at most 32 lower-case letters, digits and dashes/);
  });

  test('cluster id out of range', () => {
    const f = three();
    f[0] = member(0, { clusterId: 0 });
    expect(thrown(() => validateFleet(f)).property).toBe('clusters[0].clusterId');
  });

  test('overlapping VPC CIDRs', () => {
    const f = three();
    f[2] = member(2, { vpcCidr: '10.1.128.0/17' });
    expect(thrown(() => validateFleet(f)).message).toMatch(/^clusters\[2\]\.vpcCidr: "10\.1\.128\.0\/17" is not valid; allowed: a range that overlaps no other cluster's VPC \(clusters\[1\] "c1" has 10\.1\.0\.0\/16\)/);
  });

  test('overlapping service CIDRs, and a service CIDR inside another cluster VPC', () => {
    const f = three();
    f[1] = member(1, { serviceIpv4Cidr: '172.20.0.0/16' });
    expect(thrown(() => validateFleet(f)).message).toMatch(/^clusters\[1\]\.serviceIpv4Cidr: "172\.20\.0\.0\/16" is not valid; allowed: a range that overlaps no other cluster's service CIDR \(clusters\[0\] "c0" has 172\.20\.0\.0\/24\)/);
    const g = three();
    g[0] = member(0, { serviceIpv4Cidr: '10.2.0.0/24' });
    expect(thrown(() => validateFleet(g)).message).toMatch(/^clusters\[0\]\.serviceIpv4Cidr: "10\.2\.0\.0\/24" is not valid; allowed: a range outside every VPC of the fleet \(clusters\[2\] "c2" has 10\.2\.0\.0\/16\)/);
  });

  test('mixed Cilium minors', () => {
    const f = three();
    f[2] = member(2, { chartVersion: '1.20.0' });
    expect(thrown(() => validateFleet(f)).message).toBe(
      'clusters[2].cilium.chartVersion: "1.20.0" is not valid; allowed: a 1.19.x chart, as clusters[0] "c0" has (1.19.6) (one Cilium minor across the mesh)',
    );
  });

  test('WireGuard on in one cluster, off in another', () => {
    const f = three();
    f[1] = member(1, { wireguard: false });
    expect(thrown(() => validateFleet(f)).message).toBe(
      'clusters[1].cilium.wireguard: false is not valid; allowed: true, as clusters[0] "c0" has (all clusters of a mesh must use the same datapath)',
    );
  });
});

describe('peers, pairs and the covering CIDR', () => {
  test('peersOf lists every other member once; pairsOf gives n(n-1)/2 unordered pairs', () => {
    const f = Array.from({ length: 5 }, (_, i) => member(i));
    expect(peersOf(f, 'c2').map((m) => m.name)).toEqual(['c0', 'c1', 'c3', 'c4']);
    const pairs = pairsOf(f).map(([a, b]) => `${a.name}-${b.name}`);
    expect(pairs).toHaveLength(10);
    expect(new Set(pairs).size).toBe(10);
  });

  test.each([
    [['10.10.0.0/16', '10.11.0.0/16', '10.20.0.0/16'], '10.0.0.0/11'],
    [['10.0.0.0/16', '10.1.0.0/16'], '10.0.0.0/15'],
    [['10.0.0.0/16', '192.168.0.0/16'], '0.0.0.0/0'],
    [['172.16.0.0/20'], '172.16.0.0/20'],
  ])('coveringCidr(%j) = %s', (cidrs, expected) => {
    expect(coveringCidr(cidrs)).toBe(expected);
  });
});

describe('using the mesh: policy peers and global services', () => {
  test('a peer in a named cluster adds the cluster label', () => {
    expect(clusterPeer('us-1', Selector.labels({ app: 'db' })).toJson('ingress')).toEqual({
      fromEndpoints: [{ matchLabels: { app: 'db', [CLUSTER_LABEL]: 'us-1' } }],
    });
    expect(inCluster(Selector.namespace('shop'), 'eu-1').toJson()).toEqual({ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'shop', 'io.cilium.k8s.policy.cluster': 'eu-1' } });
  });

  test('a peer in any cluster requires the cluster label to exist (policyDefaultLocalCluster is true from 1.19)', () => {
    expect(anyClusterPeer(Selector.labels({ app: 'db' })).toJson('egress')).toEqual({
      toEndpoints: [{ matchLabels: { app: 'db' }, matchExpressions: [{ key: CLUSTER_LABEL, operator: 'Exists' }] }],
    });
  });

  test('rejects a cluster name Cilium would not accept, and a second value for the label', () => {
    expect(thrown(() => clusterPeer('US_1', Selector.labels({ app: 'db' }))).property).toBe('inCluster(clusterName)');
    expect(() => inCluster(inCluster(Selector.labels({ app: 'db' }), 'a'), 'b')).toThrow(/one label cannot have two values/);
  });

  test('global service annotations: global, optionally not shared, with affinity', () => {
    expect(globalServiceAnnotations()).toEqual({ 'service.cilium.io/global': 'true' });
    expect(globalServiceAnnotations({ shared: false, affinity: 'local' })).toEqual({
      'service.cilium.io/global': 'true',
      'service.cilium.io/shared': 'false',
      'service.cilium.io/affinity': 'local',
    });
    expect(thrown(() => globalServiceAnnotations({ affinity: 'nearest' as 'local' })).property).toBe('options.affinity');
  });

  test('globalService keeps the Service and its other annotations', () => {
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'catalog', namespace: 'shop', annotations: { team: 'a' } }, spec: { ports: [{ port: 80 }] } };
    const g = globalService(svc, { affinity: 'remote' });
    expect(g.metadata.annotations).toEqual({ team: 'a', 'service.cilium.io/global': 'true', 'service.cilium.io/affinity': 'remote' });
    expect(g.spec).toBe(svc.spec);
    expect(svc.metadata.annotations).toEqual({ team: 'a' });
    expect(thrown(() => globalService({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' } })).property).toBe('service');
  });
});

// ---------------------------------------------------------------------------------------------
// MTU per fleet shape (bpf/mtu.ts)

describe('fleetMtu', () => {
  test.each<[string, FleetPathShape, { pathMtu: number; podMtu: number; ciliumMtu?: number }]>([
    ['one region over peering, WireGuard: jumbo frames, Cilium detects them', { regions: ['eu-west-1', 'eu-west-1'], wireguard: true }, { pathMtu: 9001, podMtu: 8921 }],
    ['one region over peering, no WireGuard', { regions: ['eu-west-1', 'eu-west-1', 'eu-west-1'], wireguard: false }, { pathMtu: 9001, podMtu: 9001 }],
    ['two regions over peering, WireGuard: 8500 given to Cilium, pods 8420', { regions: ['eu-west-1', 'us-east-1'], wireguard: true }, { pathMtu: 8500, podMtu: 8420, ciliumMtu: 8500 }],
    ['two regions over peering, no WireGuard', { regions: ['eu-west-1', 'us-east-1'], wireguard: false }, { pathMtu: 8500, podMtu: 8500, ciliumMtu: 8500 }],
    ['one region through a Transit Gateway', { regions: ['eu-west-1', 'eu-west-1'], connectivity: 'transitGateway', wireguard: true }, { pathMtu: 8500, podMtu: 8420, ciliumMtu: 8500 }],
    ['three regions through Transit Gateway peering attachments', { regions: ['eu-west-1', 'us-east-1', 'ap-south-1'], connectivity: 'transitGateway', wireguard: false }, { pathMtu: 8500, podMtu: 8500, ciliumMtu: 8500 }],
  ])('%s', (_name, shape, expected) => {
    const mtu = fleetMtu(shape);
    expect({ pathMtu: mtu.pathMtu, podMtu: mtu.podMtu, ciliumMtu: mtu.ciliumMtu }).toEqual({ ciliumMtu: undefined, ...expected });
    // An encrypted packet of the largest pod size fits the narrowest path.
    expect(mtu.podMtu + (shape.wireguard ? WIREGUARD_OVERHEAD : 0)).toBeLessThanOrEqual(mtu.pathMtu);
  });

  test('the value reaches the Cilium values as MTU, a key of the chart', () => {
    const values = clusterMeshValues({ ...MESH, mtu: 8500 }, '1.20.0');
    expect(values.MTU).toBe(8500);
    expect(validateCiliumValues('1.20.0', buildCiliumValues({ ...SAMPLE, chartVersion: '1.20.0', clusterMesh: { ...MESH, mtu: 8500 } }))).toEqual([]);
    expect(clusterMeshValues(MESH, '1.20.0').MTU).toBeUndefined();
  });
});
