/**
 * A fleet's connectivity as pure data (bpf/fleet-network.ts): the invariants of VPC peering and of
 * Transit Gateways over fleets of 2, 3, 10 and 20 clusters, stable keys when a cluster leaves,
 * the gateways' ASNs, the summary routes and the size limits. The synthesized resources are
 * compared with the plan in fleet-connectivity.spec.ts.
 */
import { FleetMemberSpec, validateFleet } from '../bpf/clustermesh';
import {
  connectivityWarnings,
  FleetConnectivity,
  FleetNetworkMember,
  FleetNetworkPlan,
  MAX_PEERING_FLEET_CLUSTERS,
  PEERING_RECOMMENDED_MAX_CLUSTERS,
  planFleetNetwork,
  routesPerTable,
  summaryDestinations,
  TGW_ASN_RANGE,
  transitGatewayAsn,
  TransitGatewayPlan,
  tgwRoutesPerTable,
} from '../bpf/fleet-network';
import { AWS_REGIONS } from '../core/regions';
import { thrown } from './support/errors';

const REGIONS = ['eu-west-1', 'us-east-1', 'ap-southeast-2'];

/** n clusters over up to three regions; every other one with a pod range; one in another account when asked. */
function fleet(n: number, opts: { pods?: boolean; foreign?: boolean } = {}): FleetNetworkMember[] {
  return Array.from({ length: n }, (_, i) => ({
    name: `mesh-${String(i).padStart(2, '0')}`,
    region: REGIONS[i % REGIONS.length],
    vpcCidr: `10.${i}.0.0/16`,
    ...(opts.pods && i % 2 === 0 ? { podCidr: `100.${64 + i}.0.0/16` } : {}),
    ...(opts.foreign && i === 1 ? { accountId: '444455556666' } : {}),
  }));
}
const NATIVE = '10.0.0.0/11';
const plan = (members: FleetNetworkMember[], c: FleetConnectivity): FleetNetworkPlan => planFleetNetwork(members, c, NATIVE);
const rangesCount = (m: FleetNetworkMember): number => (m.podCidr === undefined ? 1 : 2);
const choose2 = (k: number): number => (k * (k - 1)) / 2;

describe.each([2, 3, 10, 20])('a fleet of %i clusters', (n) => {
  describe.each([false, true])('pod ranges: %s', (pods) => {
    const members = fleet(n, { pods, foreign: true });
    const regions = new Set(members.map((m) => m.region));

    test('peering: one connection per pair, accepted on the peer side across regions or accounts; every peer range in every table', () => {
      // WHEN
      const p = plan(members, 'vpcPeering');
      // THEN
      if (p.connectivity !== 'vpcPeering') throw new Error('a peering plan');
      expect(p.connections).toHaveLength(choose2(n));
      expect(new Set(p.connections.map((c) => [c.requester, c.accepter].sort().join('+'))).size).toBe(choose2(n));
      for (const c of p.connections) {
        const [a, b] = [c.requester, c.accepter].map((x) => members.find((m) => m.name === x) as FleetNetworkMember);
        expect(c.acceptance).toBe(a.region !== b.region || a.accountId !== b.accountId ? 'accepter' : 'auto');
        expect(c.crossAccount).toBe(a.accountId !== b.accountId);
      }
      for (const m of members) {
        const peers = members.filter((o) => o !== m);
        expect(routesPerTable(p, m.name)).toBe(peers.reduce((s, o) => s + rangesCount(o), 0));
        const mine = p.routes.filter((r) => r.from === m.name);
        expect(new Set(mine.map((r) => r.key)).size).toBe(mine.length);
        expect(mine.map((r) => r.destination).sort()).toEqual(peers.flatMap((o) => [o.vpcCidr, ...(o.podCidr ? [o.podCidr] : [])]).sort());
      }
    });

    test('transit gateway: a gateway per region, an attachment per cluster, regions-choose-2 peering attachments, every range in every gateway table, 1 or 2 routes per VPC table', () => {
      // WHEN
      const p = plan(members, 'transitGateway');
      // THEN
      if (p.connectivity !== 'transitGateway') throw new Error('a transit gateway plan');
      expect(p.gateways.map((g) => g.region).sort()).toEqual([...regions].sort());
      expect(p.attachments.map((a) => a.cluster).sort()).toEqual(members.map((m) => m.name).sort());
      expect(p.peerings).toHaveLength(choose2(regions.size));
      const ranges = members.reduce((s, m) => s + rangesCount(m), 0);
      for (const region of regions) {
        expect(tgwRoutesPerTable(p, region)).toBe(ranges);
        for (const r of p.tgwRoutes.filter((x) => x.region === region)) {
          const owner = members.find((m) => r.key === m.name || r.key === `${m.name}-pods`) as FleetNetworkMember;
          // In the owner's region to its attachment; elsewhere to the peering of the two regions.
          expect(r.target).toEqual(owner.region === region ? { kind: 'vpc', cluster: owner.name } : { kind: 'peering', peering: `tgw-peering-${[region, owner.region].sort().join('--')}` });
        }
      }
      for (const m of members) {
        // With two pod ranges or more, one block covers them; one range alone is its own cluster's (local).
        expect(routesPerTable(p, m.name)).toBe(!pods ? 1 : n > 2 ? 2 : m.podCidr !== undefined ? 1 : 2);
        for (const r of p.routes.filter((x) => x.from === m.name)) expect(r.target).toEqual({ kind: 'transitGateway', region: m.region });
      }
      // The other account's cluster: its gateway is shared with that account only.
      const foreign = members[1];
      expect(p.gateways.find((g) => g.region === foreign.region)?.sharedWith).toEqual(['444455556666']);
      expect(p.gateways.filter((g) => g.region !== foreign.region).every((g) => g.sharedWith.length === 0)).toBe(true);
      expect(p.attachments.find((a) => a.cluster === foreign.name)?.accountId).toBe('444455556666');
    });
  });
});

describe('stable keys', () => {
  test.each(['vpcPeering', 'transitGateway'] as const)('%s: a cluster that leaves removes only its own items', (c) => {
    // GIVEN
    const all = fleet(10, { pods: true });
    const leaving = all[4].name;
    const keys = (p: FleetNetworkPlan): string[] =>
      p.connectivity === 'vpcPeering'
        ? [...p.connections.map((x) => x.key), ...p.routes.map((r) => `${r.from}/${r.key}`)]
        : [...p.gateways.map((g) => g.key), ...p.attachments.map((a) => a.key), ...p.peerings.map((x) => x.key), ...p.tgwRoutes.map((r) => `${r.region}/${r.key}`), ...p.routes.map((r) => `${r.from}/${r.key}`)];
    // WHEN
    const before = keys(plan(all, c));
    const after = keys(plan(all.filter((m) => m.name !== leaving), c));
    // THEN every key kept is unchanged, and every key gone names the leaving cluster
    expect(after.every((k) => before.includes(k))).toBe(true);
    const gone = before.filter((k) => !after.includes(k));
    expect(gone.length).toBeGreaterThan(0);
    expect(gone.every((k) => k.includes(leaving))).toBe(true);
  });
});

describe('gateway ASNs', () => {
  test('unique for every region AWS lists, in the private 32-bit range, and the same in every fleet', () => {
    const all = Object.values(AWS_REGIONS).flat();
    const asns = all.map(transitGatewayAsn);
    expect(new Set(asns).size).toBe(all.length);
    for (const a of asns) expect(a >= TGW_ASN_RANGE.first && a <= TGW_ASN_RANGE.last).toBe(true);
    const p = plan(fleet(3), 'transitGateway') as TransitGatewayPlan;
    expect(p.gateways.map((g) => g.amazonSideAsn)).toEqual(p.gateways.map((g) => transitGatewayAsn(g.region)));
  });
});

describe('summary routes of a Transit Gateway fleet', () => {
  test('the native routing CIDR, and one block over the pod ranges', () => {
    expect(summaryDestinations(fleet(4, { pods: true }), NATIVE)).toEqual([
      { destination: NATIVE, key: 'fleet' },
      { destination: '100.64.0.0/14', key: 'fleet-pods' },
    ]);
  });

  test('pod ranges inside the native routing CIDR need no route of their own', () => {
    const members = fleet(2).map((m, i) => ({ ...m, podCidr: `10.${16 + i}.0.0/16` }));
    expect(summaryDestinations(members, '10.0.0.0/8')).toEqual([{ destination: '10.0.0.0/8', key: 'fleet' }]);
  });

  test('pod ranges too far apart for one /8 block, or one range alone: a route per range, never to the cluster\'s own', () => {
    // GIVEN pod ranges in 100.64.0.0/10 and in 172.16.0.0/12
    const members: FleetNetworkMember[] = [
      { name: 'a', region: 'eu-west-1', vpcCidr: '10.0.0.0/16', podCidr: '100.64.0.0/16' },
      { name: 'b', region: 'eu-west-1', vpcCidr: '10.1.0.0/16', podCidr: '172.16.0.0/16' },
      { name: 'c', region: 'eu-west-1', vpcCidr: '10.2.0.0/16' },
    ];
    // WHEN
    const p = planFleetNetwork(members, 'transitGateway', '10.0.0.0/14');
    // THEN
    expect(p.routes.filter((r) => r.from === 'a').map((r) => r.destination)).toEqual(['10.0.0.0/14', '172.16.0.0/16']);
    expect(p.routes.filter((r) => r.from === 'c').map((r) => r.destination)).toEqual(['10.0.0.0/14', '100.64.0.0/16', '172.16.0.0/16']);
    const one = planFleetNetwork([members[0], members[2]], 'transitGateway', '10.0.0.0/14');
    expect(one.routes.filter((r) => r.from === 'a').map((r) => r.destination)).toEqual(['10.0.0.0/14']);
    expect(one.routes.filter((r) => r.from === 'c').map((r) => r.destination)).toEqual(['10.0.0.0/14', '100.64.0.0/16']);
  });
});

describe('size limits and advice', () => {
  const member = (i: number): FleetMemberSpec => ({
    name: `c${i}`,
    clusterId: i + 1,
    region: 'eu-west-1',
    vpcCidr: `10.${i}.0.0/16`,
    serviceIpv4Cidr: `172.${16 + (i >> 4)}.${(i & 15) * 16}.0/20`,
    chartVersion: '1.19.6',
    wireguard: true,
  });
  const many = (n: number): FleetMemberSpec[] => Array.from({ length: n }, (_, i) => member(i));

  test('VPC peering refuses a fleet past 50 clusters, naming Transit Gateway; Transit Gateway takes it, up to maxConnectedClusters', () => {
    expect(() => validateFleet(many(MAX_PEERING_FLEET_CLUSTERS), 255, MAX_PEERING_FLEET_CLUSTERS)).not.toThrow();
    const e = thrown(() => validateFleet(many(MAX_PEERING_FLEET_CLUSTERS + 1), 255, MAX_PEERING_FLEET_CLUSTERS));
    expect(e.property).toBe('clusters');
    expect(e.message).toMatch(/allowed: 2 to 50 clusters \(VPC peering takes at most 50 clusters .*set connectivity: 'transitGateway' for more\)/);
    expect(() => validateFleet(many(60), 255, Number.POSITIVE_INFINITY)).not.toThrow();
    expect(thrown(() => validateFleet(many(256), 255, Number.POSITIVE_INFINITY)).message).toMatch(/allowed: 2 to 255 clusters \(at most maxConnectedClusters \(255\)\)$/);
  });

  test('a peered fleet past 25 clusters is advised to use a Transit Gateway; a gateway fleet of 20 has no warning', () => {
    expect(connectivityWarnings(plan(fleet(PEERING_RECOMMENDED_MAX_CLUSTERS), 'vpcPeering'), PEERING_RECOMMENDED_MAX_CLUSTERS)).toEqual([]);
    const [w] = connectivityWarnings(plan(fleet(26), 'vpcPeering'), 26);
    expect(w).toMatch(/^a peered fleet of 26 clusters needs 325 VPC peering connections .* connectivity: 'transitGateway'/);
    expect(connectivityWarnings(plan(fleet(20, { pods: true }), 'transitGateway'), 20)).toEqual([]);
  });

  test('an unknown connectivity is refused by name', () => {
    expect(thrown(() => planFleetNetwork(fleet(2), 'mesh' as FleetConnectivity, NATIVE)).message).toBe("connectivity: \"mesh\" is not valid; allowed: one of vpcPeering, transitGateway");
  });
});
