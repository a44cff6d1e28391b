/**
 * A fleet's day 2, synthesized: a cluster decommissioned then removed (its providers outlive its
 * resources by one apply, the region's aws provider too), re-added, a fourth added; the mesh
 * identity gates on every Cilium release; the MTU per fleet shape; and the input refused on the
 * way. The same sequences run under `terraform` in the lifecycle tests.
 */
import { Testing } from 'cdktf';
import { parse } from 'yaml';
import { CiliumEksFleetStack } from '../constructs/fleet/cilium-eks-fleet-stack';
import { FleetClusterOptions } from '../constructs/fleet/cilium-eks-fleet';
import { meshIdentityChecks } from '../constructs/fleet/mesh-gates';
import { clusterPeer } from '../bpf/policy/clustermesh';
import { CiliumNetworkPolicy } from '../bpf/policy/policy';
import { Selector } from '../bpf/policy/selector';
import { Ingress } from '../bpf/policy/rules';
import { Port } from '../bpf/policy/ports';
import { JsonObject } from '../core/yaml';
import { thrown } from './support/errors';
import { TfBlock, TfJson, fleetSynthesis, synthStack } from './support/synth';
import { planPreconditions } from './support/terraform';

const ADMINS = ['arn:aws:iam::111122223333:role/platform-admin'];

/** Cluster `i` of the test fleets: even ones in eu-west-1, odd ones in us-east-1. */
function cluster(i: number, region = i % 2 === 0 ? 'eu-west-1' : 'us-east-1'): FleetClusterOptions {
  return { name: `mesh-${String(i).padStart(2, '0')}`, region, clusterId: i + 1, vpcCidr: `10.${i}.0.0/16`, serviceIpv4Cidr: `172.20.${i}.0/24`, admins: ADMINS, karpenter: false };
}

/** A fleet of `clusters`, synthesized once per input for the group (a fleet synth is the slow step of these tests; support/synth.ts). */
function synth(clusters: FleetClusterOptions[]): { readonly stack: CiliumEksFleetStack; readonly tf: TfJson } {
  return fleetSynthesis({ name: 'test', clusters });
}

/** Every resource address of a synthesized stack. */
const resourceKeys = (tf: TfJson): string[] => Object.entries(tf.resource).flatMap(([type, bs]) => Object.keys(bs).map((k) => `${type}.${k}`));
/** Provider addresses, `helm.cluster_mesh_01`. */
const providers = (tf: TfJson): string[] => Object.entries(tf.provider).flatMap(([type, ps]) => ps.map((p) => `${type}.${(p.alias as string | undefined) ?? 'default'}`)).sort();
/** The peers each Cilium release lists, by release key. */
function peerLists(tf: TfJson): Record<string, string[]> {
  return Object.fromEntries(
    Object.entries(tf.resource.helm_release)
      .filter(([, b]) => b.name === 'cilium')
      .map(([k, b]) => {
        const values = parse((b.values as string[])[0]) as JsonObject;
        return [k, Object.keys((((values.clustermesh as JsonObject).config as JsonObject).clusters as JsonObject) ?? {}).sort()];
      }),
  );
}
const ciliumValues = (tf: TfJson, name: string): JsonObject =>
  parse(((Object.entries(tf.resource.helm_release).find(([k, b]) => b.name === 'cilium' && k.startsWith(`fleet_${name}_`)) as [string, TfBlock])[1].values as string[])[0]) as JsonObject;
/** Resources whose address names the cluster (its own, and the pairs it is in). */
const ofCluster = (name: string) => (address: string): boolean => new RegExp(`[_-]${name}([_-]|$)`).test(address);
/** The configuration with the `clusters[i]` of messages made position-free: a precondition's message is not part of the state. */
const positionFree = (tf: TfJson): unknown => JSON.parse(JSON.stringify(tf.resource).replace(/clusters\[\d+\]/g, 'clusters[i]'));

// Three clusters over two regions: mesh-01 is the only one in us-east-1.
const THREE = [cluster(0), cluster(1), cluster(2)];
const full = synth(THREE).tf;

describe('decommissioning a cluster (first apply)', () => {
  const { stack, tf } = synth(THREE.map((c) => (c.name === 'mesh-02' ? { ...c, decommissioned: true } : c)));

  test("its resources leave the configuration and nothing else's does; the live clusters' resources keep their addresses", () => {
    const before = resourceKeys(full);
    const after = resourceKeys(tf);
    const gone = before.filter((k) => !after.includes(k));
    expect(gone.length).toBeGreaterThan(50);
    expect(gone.filter((k) => !ofCluster('mesh-02')(k))).toEqual([]);
    expect(after.filter((k) => !before.includes(k))).toEqual([]);
    expect(stack.fleet.decommissioned).toEqual(['mesh-02']);
  });

  test('the other clusters drop it from their peers, routes, security group rules, peerings, DNS records and the zone', () => {
    expect(Object.values(peerLists(tf))).toEqual([['mesh-01'], ['mesh-00']]);
    const vpcOf02 = THREE[2].vpcCidr;
    expect(Object.values(tf.resource.aws_route).filter((r) => r.destination_cidr_block === vpcOf02)).toEqual([]);
    expect(Object.values(tf.resource.aws_vpc_security_group_ingress_rule).filter((r) => r.cidr_ipv4 === vpcOf02)).toEqual([]);
    expect(Object.values(tf.resource.aws_vpc_peering_connection).map((p) => p.tags)).toEqual([{ Name: 'mesh-00--mesh-01' }]);
    expect(Object.values(tf.resource.aws_route53_record).map((r) => r.name).sort()).toEqual(['mesh-00.mesh.cilium.io', 'mesh-01.mesh.cilium.io']);
    expect((Object.values(tf.resource.aws_route53_zone)[0].vpc as TfBlock[]).map((v) => v.vpc_region)).toEqual(['eu-west-1', 'us-east-1']);
  });

  test('its helm and kubernetes providers stay, configured from the running cluster read at plan, not from a resource', () => {
    expect(providers(tf)).toEqual(providers(full));
    const helm = tf.provider.helm.find((p) => p.alias === 'cluster_mesh_02') as TfBlock;
    const kubernetes = tf.provider.kubernetes.find((p) => p.alias === 'cluster_mesh_02') as TfBlock;
    const [dataKey] = Object.keys(tf.data?.aws_eks_cluster ?? {}).filter((k) => k.includes('decommissioned-mesh-02'));
    expect(kubernetes.host).toBe(`\${one(data.aws_eks_cluster.${dataKey}[*].endpoint)}`);
    expect((helm.kubernetes as TfBlock).host).toBe(kubernetes.host);
    expect(String(kubernetes.cluster_ca_certificate)).toBe(`\${try(base64decode(one(data.aws_eks_cluster.${dataKey}[*].certificate_authority[0].data)), null)}`);
    expect((kubernetes.exec as TfBlock[])[0].args).toEqual(['eks', 'get-token', '--cluster-name', 'mesh-02', '--region', 'eu-west-1', '--output', 'json']);
    // Read only where the region lists the name: nothing is looked up once the cluster is gone.
    const data = tf.data!.aws_eks_cluster[dataKey];
    expect(data).toMatchObject({ name: 'mesh-02', provider: 'aws.aws_eu_west_1' });
    expect(String(data.count)).toMatch(/^\$\{contains\(tolist\(data\.aws_eks_clusters\.[^.]+\.names\), "mesh-02"\) \? 1 : 0\}$/);
    // No reference to any managed resource: they are all being destroyed.
    expect(JSON.stringify([helm, kubernetes])).not.toMatch(/\$\{(?!data\.)[a-z_]+\.[^}]*\}/);
  });

  test("the only cluster of a region: the region's aws provider stays, and the providers read through it", () => {
    const { tf: t } = synth(THREE.map((c) => (c.name === 'mesh-01' ? { ...c, decommissioned: true } : c)));
    expect(t.provider.aws.map((p) => p.alias)).toEqual(['aws_eu_west_1', 'aws_us_east_1']);
    const reads = Object.entries(t.data?.aws_eks_clusters ?? {}).filter(([k]) => k.includes('decommissioned-mesh-01'));
    expect(reads.map(([, d]) => d.provider)).toEqual(['aws.aws_us_east_1']);
    // Nothing else uses it any more: the entry's removal then takes the provider with it.
    const users = [...Object.values(t.resource), ...Object.values(t.data ?? {})].flatMap((bs) => Object.values(bs)).filter((b) => b.provider === 'aws.aws_us_east_1');
    expect(users).toHaveLength(2);
  });

  test("every helm and kubernetes resource of a cluster waits on its control plane by reference or depends_on, so Terraform destroys them first without the provider's reference", () => {
    const nodes = new Map<string, TfBlock>(Object.entries(full.resource).flatMap(([type, bs]) => Object.entries(bs).map(([k, b]) => [`${type}.${k}`, b] as [string, TfBlock])));
    const edges = (b: TfBlock): string[] => {
      const { provider: _p, ['//']: _m, ...body } = b;
      void [_p, _m];
      return [...JSON.stringify(body).matchAll(/\b([a-z0-9_]+\.[A-Za-z0-9_-]+)/g)].map((m) => m[1]).filter((a) => nodes.has(a));
    };
    const reaches = (from: string, target: string): boolean => {
      const seen = new Set<string>();
      const todo = [from];
      while (todo.length > 0) {
        const n = todo.pop() as string;
        if (n === target) return true;
        if (seen.has(n)) continue;
        seen.add(n);
        todo.push(...edges(nodes.get(n) as TfBlock));
      }
      return false;
    };
    const eks = Object.keys(full.resource.aws_eks_cluster).find((k) => k.startsWith('fleet_mesh-02_')) as string;
    const kube = [...nodes.keys()].filter((a) => /^(helm|kubernetes)_/.test(a) && a.includes('.fleet_mesh-02_'));
    expect(kube.length).toBeGreaterThan(3);
    expect(kube.filter((a) => !reaches(a, `aws_eks_cluster.${eks}`))).toEqual([]);
  });
});

describe('removing the entry (second apply), re-adding it, adding a fourth', () => {
  const decommissioned = synth(THREE.map((c) => (c.name === 'mesh-01' ? { ...c, decommissioned: true } : c))).tf;
  const removed = synth([cluster(0), cluster(2)]).tf;

  test('the second change removes only the providers and their readings: every resource stays as the first apply left it', () => {
    expect(positionFree(removed)).toEqual(positionFree(decommissioned));
    expect(providers(decommissioned).filter((p) => !providers(removed).includes(p))).toEqual(['aws.aws_us_east_1', 'helm.cluster_mesh_01', 'kubernetes.cluster_mesh_01']);
  });

  test('re-added under the same entry (or decommissioned: false), the fleet is the one it was (3 -> 2 -> 3)', () => {
    expect(synth(THREE.map((c) => (c.name === 'mesh-01' ? { ...c, decommissioned: false } : c))).tf).toEqual(full);
  });

  test('a fourth cluster adds its own resources and pairs; no address of the three changes', () => {
    const four = synth([...THREE, cluster(3)]).tf;
    const added = resourceKeys(four).filter((k) => !resourceKeys(full).includes(k));
    expect(added.filter((k) => !ofCluster('mesh-03')(k))).toEqual([]);
    expect(resourceKeys(full).filter((k) => !resourceKeys(four).includes(k))).toEqual([]);
    expect(Object.values(peerLists(four))).toEqual([
      ['mesh-01', 'mesh-02', 'mesh-03'],
      ['mesh-00', 'mesh-02', 'mesh-03'],
      ['mesh-00', 'mesh-01', 'mesh-03'],
      ['mesh-00', 'mesh-01', 'mesh-02'],
    ]);
  });
});

describe('refused at synth', () => {
  test('a name or id of a decommissioned cluster used again before its entry is removed', () => {
    const retired = { ...cluster(2), decommissioned: true };
    const sameName = thrown(() => synth([cluster(0), cluster(1), retired, { ...cluster(3), name: 'mesh-02' }]));
    expect([sameName.property, sameName.message]).toEqual(['clusters[3].name', expect.stringContaining('a decommissioned cluster keeps its name and id until its entry is removed')]);
    expect(thrown(() => synth([cluster(0), cluster(1), retired, { ...cluster(3), clusterId: 3 }])).property).toBe('clusters[3].clusterId');
  });

  test('errors of the live clusters name their own index in clusters, past a decommissioned entry', () => {
    const overlapping = { ...cluster(3), vpcCidr: '10.0.0.0/16' };
    expect(thrown(() => synth([cluster(0), { ...cluster(1), decommissioned: true }, cluster(2), overlapping])).property).toBe('clusters[3].vpcCidr');
    expect(thrown(() => synth([cluster(0), { ...cluster(1), decommissioned: true }, { ...cluster(2), decommissioned: true }])).property).toBe('clusters');
    expect(thrown(() => synth([cluster(0), { ...cluster(1), decommissioned: 'yes' as unknown as boolean }, cluster(2)])).property).toBe('clusters[1].decommissioned');
  });

  test('a policy of a live cluster that still names a decommissioned (or unknown) cluster as its peer', () => {
    const stack = new CiliumEksFleetStack(Testing.app(), 'fleet', { name: 'test', clusters: [cluster(0), cluster(1), { ...cluster(2), decommissioned: true }] });
    const policy = (peer: string): CiliumNetworkPolicy =>
      new CiliumNetworkPolicy({
        name: `from-${peer}`,
        namespace: 'shop',
        spec: { endpointSelector: Selector.labels({ app: 'api' }), ingress: [Ingress.from(clusterPeer(peer, Selector.labels({ app: 'web' }))).on(Port.tcp(8080))] },
      });
    stack.fleet.clusters.get('mesh-00')!.networkPolicies.addPolicy(policy('mesh-01'));
    expect(() => synthStack(stack)).not.toThrow();
    stack.fleet.clusters.get('mesh-01')!.networkPolicies.addPolicy(policy('mesh-02'));
    expect(() => synthStack(stack)).toThrow(/clusters\.get\("mesh-01"\): CiliumNetworkPolicy shop\/from-mesh-02\.spec\..*io\.cilium\.k8s\.policy\.cluster: "mesh-02" is not valid; allowed: a live cluster of the fleet \(mesh-00, mesh-01\) \("mesh-02" is decommissioned/);
  });
});

describe('MTU per fleet shape', () => {
  test('a fleet across regions gives Cilium the 8500 of inter-region peering; one region keeps the jumbo frames Cilium detects', () => {
    for (const name of ['mesh-00', 'mesh-01', 'mesh-02']) expect(ciliumValues(full, name).MTU).toBe(8500);
    const oneRegion = synth([cluster(0), cluster(2)]).tf;
    for (const name of ['mesh-00', 'mesh-02']) expect(ciliumValues(oneRegion, name).MTU).toBeUndefined();
  });

  test('decommissioning the only cluster of the other region brings jumbo frames back to the rest', () => {
    const { stack, tf } = synth(THREE.map((c) => (c.name === 'mesh-01' ? { ...c, decommissioned: true } : c)));
    expect(ciliumValues(tf, 'mesh-00').MTU).toBeUndefined();
    expect(stack.fleet.mtu).toMatchObject({ pathMtu: 9001, podMtu: 8921 });
  });
});

describe('mesh identity gates', () => {
  test("every live cluster's Cilium release carries the id and maxConnectedClusters checks over its record", () => {
    for (const [key, b] of Object.entries(full.resource.helm_release).filter(([, r]) => r.name === 'cilium')) {
      const name = /^fleet_(mesh-\d\d)_/.exec(key)![1];
      const messages = ((b.lifecycle as TfBlock).precondition as TfBlock[]).map((p) => String(p.error_message));
      expect(messages.filter((m) => m.includes(`live cluster "${name}"`))).toHaveLength(2);
    }
    const records = full.resource.terraform_data;
    const identity = Object.entries(records).filter(([k]) => k.includes('mesh-identity-'));
    expect(identity.map(([, r]) => [r.input, (r.lifecycle as TfBlock).ignore_changes])).toEqual([
      [{ cluster_id: 1, max_connected_clusters: 255 }, ['input']],
      [{ cluster_id: 2, max_connected_clusters: 255 }, ['input']],
      [{ cluster_id: 3, max_connected_clusters: 255 }, ['input']],
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// The checks' logic under terraform: records and running values as the data sources hold them.

interface GateRow {
  readonly name: string;
  /** The state's record: absent = a new cluster (the record is planned from the configuration). */
  readonly recorded?: { clusterId: number; max: number };
  /** What cilium-config says: undefined = not readable (new cluster, no ConfigMap). */
  readonly running?: { clusterId: string; max: string };
  readonly configured: { clusterId: number; max: number };
  /** Which checks refuse: 0 id, 1 maxConnectedClusters. */
  readonly refused: number[];
  /** A text the first refusal's message holds. */
  readonly says?: string;
}

const LIVE = { clusterId: 1, max: 255 };
const GATE_ROWS: GateRow[] = [
  { name: 'a new cluster', configured: LIVE, refused: [] },
  { name: 'no change', recorded: LIVE, running: { clusterId: '1', max: '255' }, configured: LIVE, refused: [] },
  { name: 'the id changed', recorded: LIVE, running: { clusterId: '1', max: '255' }, configured: { clusterId: 4, max: 255 }, refused: [0], says: 'cilium-eks: clusters[0].clusterId is 4, but the live cluster "a" runs with cluster.id 1.' },
  { name: 'maxConnectedClusters changed', recorded: LIVE, configured: { clusterId: 1, max: 511 }, refused: [1], says: 'cilium-eks: maxConnectedClusters is 511, but the live cluster "a" runs with 255.' },
  { name: 'a cluster deployed before the records: the running id judges', recorded: { clusterId: 7, max: 255 }, running: { clusterId: '3', max: '255' }, configured: { clusterId: 7, max: 255 }, refused: [0], says: 'runs with cluster.id 3.' },
  { name: 'an unreadable running value passes', recorded: LIVE, running: { clusterId: 'n/a', max: '' }, configured: LIVE, refused: [] },
];

test('mesh identity checks under terraform: new clusters pass, a changed id or maxConnectedClusters is refused with the procedure', () => {
  const cases: Record<string, { condition: string; errorMessage: string }> = {};
  const locals: Record<string, unknown> = {};
  GATE_ROWS.forEach((row, i) => {
    const rec = row.recorded ?? row.configured;
    locals[`rec_${i}`] = { cluster_id: rec.clusterId, max_connected_clusters: rec.max };
    locals[`cfg_${i}`] = row.running === undefined ? [] : [{ objects: [{ data: { 'cluster-id': row.running.clusterId, 'max-connected-clusters': row.running.max } }] }];
    const checks = meshIdentityChecks(
      { at: 'clusters[0]', name: 'a', clusterId: row.configured.clusterId, maxConnectedClusters: row.configured.max },
      { clusterId: `local.rec_${i}.cluster_id`, maxConnectedClusters: `local.rec_${i}.max_connected_clusters` },
      {
        clusterId: { hcl: `try(local.cfg_${i}[0].objects[0].data["cluster-id"], null)`, description: 'id' },
        maxConnectedClusters: { hcl: `try(local.cfg_${i}[0].objects[0].data["max-connected-clusters"], null)`, description: 'max' },
      },
    );
    checks.forEach((c, j) => (cases[`case_${i}_${j}`] = { condition: `\${${c.condition}}`, errorMessage: c.errorMessage }));
  });
  const outcomes = planPreconditions(cases, locals);
  GATE_ROWS.forEach((row, i) => {
    const refused = [0, 1].filter((j) => !outcomes[`case_${i}_${j}`].ok);
    expect([row.name, refused]).toEqual([row.name, row.refused]);
    if (row.says) {
      const message = outcomes[`case_${i}_${row.refused[0]}`].message as string;
      expect(message).toContain(row.says);
      if (row.refused[0] === 0) expect(message).toContain('add a cluster with it and decommission this one (docs/fleet.md#changing-a-clusters-id-or-name)');
    }
  });
});
