/**
 * The IP capacity arithmetic (bpf/ipam.ts) and the pod subnet layout (bpf/pod-subnets.ts), pure:
 * every number below is worked out by hand in the comment beside it.
 */
import {
  addressablePods,
  formatCapacityPlan,
  nodeAddressDemand,
  nodesThatFit,
  NodeShape,
  parseQuantity,
  planCapacity,
  PlanZone,
  poolNodeBound,
  resolveMaxPods,
  resolveWarmPool,
  subnetSpace,
  systemPodCount,
} from '../bpf/ipam';
import { checkFleetPodRanges, fleetQuotaWarnings, PodSubnetContext, prefixReservations, rangeOf, resolvePodSubnets, splitPodCidr } from '../bpf/pod-subnets';
import { formatCidr, parseCidr } from '../core/cidr';
import { thrown } from './support/errors';

/** m7i.large: 3 ENIs x 10 IPv4 (EC2 ENI table). */
const M7I_LARGE = { maxEnis: 3, ipv4PerEni: 10 };
const cidr = (c: string): ReturnType<typeof parseCidr> => parseCidr(c, 'test');
const zone = (name: string, c: string, reservations: string[] = []): PlanZone => ({
  name,
  cidr: c,
  range: rangeOf(cidr(c)),
  reservations: reservations.map((r) => ({ cidr: r, range: rangeOf(cidr(r)) })),
});
const SYSTEM: NodeShape = { name: 'system node group', maxNodes: 4, maxNodesFrom: 'maxSize 4', podsPerNode: 110, eniLimits: M7I_LARGE, initialNodes: 2 };

describe('maxPods with the primary ENI kept for the node', () => {
  test('one ENI fewer counts', () => {
    // Without prefix delegation: (3 - 1) x (10 - 1) + 2 = 20; with it: 2 x 9 x 16 + 2 = 290.
    expect(addressablePods(M7I_LARGE, { prefixDelegation: false, firstInterfaceIndex: 1 })).toBe(20);
    expect(addressablePods(M7I_LARGE, { prefixDelegation: true, firstInterfaceIndex: 1 })).toBe(290);
    // nodeadm's formula, every ENI: 3 x 9 + 2 = 29.
    expect(addressablePods(M7I_LARGE, { prefixDelegation: false })).toBe(29);
  });

  test("a managed node group gets the formula computed here, since nodeadm's counts the primary ENI", () => {
    // m7i.large 20, m5.xlarge (4 x 15): 3 x 14 + 2 = 44; the lower wins.
    expect(resolveMaxPods({ prefixDelegation: false, firstInterfaceIndex: 1, instanceTypes: ['m7i.large', 'm5.xlarge'], nodeadmFormula: true })).toBe(20);
    expect(resolveMaxPods({ prefixDelegation: false, firstInterfaceIndex: 0, instanceTypes: ['m7i.large'], nodeadmFormula: true })).toBeUndefined();
    // Karpenter subtracts its reservedENIs itself: left unset.
    expect(resolveMaxPods({ prefixDelegation: false, firstInterfaceIndex: 1, instanceTypes: ['m7i.large'] })).toBeUndefined();
  });

  test('an instance type the ENI table does not know needs an explicit maxPods', () => {
    thrown(() => resolveMaxPods({ prefixDelegation: false, firstInterfaceIndex: 1, instanceTypes: ['x9z.large'], nodeadmFormula: true }), /^maxPods: .* allowed: an explicit maxPods while x9z\.large is among the instance types/);
  });

  test('a maxPods the pod ENIs cannot address is refused with the numbers', () => {
    thrown(() => resolveMaxPods({ prefixDelegation: false, firstInterfaceIndex: 1, maxPods: 21, instanceTypes: ['m7i.large'] }), 'at most 20 on m7i.large (m7i.large has 3 ENIs x 10 IPv4 addresses, prefix delegation off, the primary ENI kept for the node (pod subnets))');
  });
});

describe('subnet space', () => {
  test('a /24 without reservations: 16 blocks less the first and last, 256 - 5 addresses', () => {
    expect(subnetSpace(rangeOf(cidr('10.0.1.0/24')), [])).toEqual({ addresses: 256, reservedBlocks: 0, freeBlocks: 14, unreservedAddresses: 251 });
  });

  test('a /26 reserved in its second quarter: 4 blocks reserved, 10 free, 256 - 64 - 5 addresses', () => {
    expect(subnetSpace(rangeOf(cidr('10.0.1.0/24')), [rangeOf(cidr('10.0.1.64/26'))])).toEqual({ addresses: 256, reservedBlocks: 4, freeBlocks: 10, unreservedAddresses: 187 });
  });

  test("a reservation holding AWS's last address loses that block and counts the address as reserved", () => {
    // 10.0.1.128/25: 8 blocks, the last holds .255 -> 7; outside: 8 blocks less the first -> 7; 256 - 128 - 4.
    expect(subnetSpace(rangeOf(cidr('10.0.1.0/24')), [rangeOf(cidr('10.0.1.128/25'))])).toEqual({ addresses: 256, reservedBlocks: 7, freeBlocks: 7, unreservedAddresses: 124 });
  });
});

describe('per-node demand', () => {
  test('prefix delegation, pod subnets: 108 addresses -> 7 prefixes on 1 pod ENI (9 slots), its one primary address', () => {
    expect(nodeAddressDemand(SYSTEM, { prefixDelegation: true, firstInterfaceIndex: 1 })).toEqual({ prefixes: 7, singles: 1, podEnis: 1 });
  });

  test("prefix delegation in the node subnet: the 7 prefixes fit eth0's 9 slots; the node's own address", () => {
    expect(nodeAddressDemand(SYSTEM, { prefixDelegation: true, firstInterfaceIndex: 0 })).toEqual({ prefixes: 7, singles: 1, podEnis: 0 });
  });

  test('an uncapped warm pool: 108 + 8 = 116 addresses -> 8 prefixes', () => {
    expect(nodeAddressDemand(SYSTEM, { prefixDelegation: true, firstInterfaceIndex: 1, overflow: 8 }).prefixes).toBe(8);
  });

  test('single addresses, pod subnets: 20 pods -> 18 addresses on 2 pod ENIs, plus their 2 primaries', () => {
    expect(nodeAddressDemand({ podsPerNode: 20, eniLimits: M7I_LARGE }, { prefixDelegation: false, firstInterfaceIndex: 1 })).toEqual({ prefixes: 0, singles: 20, podEnis: 2 });
  });
});

describe('nodes that fit', () => {
  const space = subnetSpace(rangeOf(cidr('100.64.0.0/18')), ['100.64.4.0/22', '100.64.8.0/21', '100.64.16.0/20', '100.64.32.0/20', '100.64.48.0/21', '100.64.56.0/22'].map((c) => rangeOf(cidr(c))));

  test('reserved: min(896 blocks / 7, 2043 addresses / 1) = 128', () => {
    // 14336 reserved addresses = 896 blocks; 16384 - 14336 - 5 = 2043 unreserved.
    expect([space.reservedBlocks, space.unreservedAddresses]).toEqual([896, 2043]);
    expect(nodesThatFit(space, { prefixes: 7, singles: 1, podEnis: 1 }, true)).toBe(128);
  });

  test('unreserved /18: 1022 free blocks, each node spoils one more with its single address: 1022 / 8 = 127', () => {
    const bare = subnetSpace(rangeOf(cidr('10.0.0.0/18')), []);
    expect(nodesThatFit(bare, { prefixes: 7, singles: 1, podEnis: 0 }, false)).toBe(127);
  });

  test('single addresses: 16379 / 20 = 818', () => {
    expect(nodesThatFit(subnetSpace(rangeOf(cidr('10.0.0.0/18')), []), { prefixes: 0, singles: 20, podEnis: 2 }, false)).toBe(818);
  });
});

describe('the capacity plan', () => {
  const pool: NodeShape = { name: 'NodePool "default"', maxNodes: 250, maxNodesFrom: 'limits.memory 1000Gi / 4 GiB', podsPerNode: 110, eniLimits: M7I_LARGE };

  test('three /24 pod subnets cannot hold 254 nodes: a warning with the numbers, and the /32 fallback', () => {
    const zones = ['100.64.0.0/24', '100.64.1.0/24', '100.64.2.0/24'].map((c, i) => {
      const subnet = cidr(c);
      const reserved = prefixReservations(subnet, 'auto', 'podSubnets.prefixReservation').map(formatCidr);
      return zone(`zone ${i + 1}`, c, reserved);
    });
    // Ends of a sixteenth (16 addresses): 16-31 | 32-63 | 64-127 | 128-191 | 192-223 | 224-239 reserved, 224 addresses = 14 blocks; 256 - 224 - 5 = 27.
    expect(zones[0].reservations.map((r) => r.cidr)).toEqual(['100.64.0.16/28', '100.64.0.32/27', '100.64.0.64/26', '100.64.0.128/26', '100.64.0.192/27', '100.64.0.224/28']);
    const plan = planCapacity({ prefixDelegation: true, firstInterfaceIndex: 1, zones, shapes: [SYSTEM, pool], systemPods: 9, podSubnets: true });
    // min(14 / 7, 27 / 1) = 2 nodes per zone; 254 nodes / 3 zones = 85 per zone.
    expect(plan.zones.map((z) => z.mostNodes)).toEqual([2, 2, 2]);
    expect(plan.demand).toEqual({ nodes: 254, perZone: 85 });
    // A node that fell back to /32s: (3 - 1) x 9 + 2 = 20 pods.
    expect(plan.fallbackPodsPerNode).toBe(20);
    expect(plan.warnings).toHaveLength(3);
    expect(plan.warnings[0]).toBe(
      'zone 1 pod subnet 100.64.0.0/24: room for 2 nodes of 110 pods (14 reserved /28 blocks, 27 unreserved addresses; 7 /28 prefixes and 1 single address per node), ' +
        'but the node limits allow 254 nodes, 85 per zone (system node group: 4 from maxSize 4; NodePool "default": 250 from limits.memory 1000Gi / 4 GiB). ' +
        'Past that, nodes fall back to single addresses and hold 20 pods, not 110 (cilium #46644). ' +
        'Give pods a larger range (podSubnets.cidr), lower the limits, or lower maxPods (docs/configuration.md#pod-subnets-and-the-capacity-plan).',
    );
    // 6 nodes fit the 2 system nodes: no error.
    expect(plan.errors).toEqual([]);
  });

  test('the default /16 holds the default limits: no warning', () => {
    const zones = splitPodCidr(cidr('100.64.0.0/16'), 3).map((c, i) =>
      zone(`zone ${i + 1}`, formatCidr(c), prefixReservations(c, 'auto', 'p').map(formatCidr)),
    );
    const plan = planCapacity({ prefixDelegation: true, firstInterfaceIndex: 1, zones, shapes: [SYSTEM, pool], systemPods: 9, podSubnets: true });
    expect(plan.zones.map((z) => [z.mostNodes, z.mostPods])).toEqual([
      [128, 14080],
      [128, 14080],
      [128, 14080],
    ]);
    expect(plan.warnings).toEqual([]);
    expect(formatCapacityPlan(plan)).toEqual([
      'IP capacity (pod subnets, prefix delegation on):',
      '  zone 1 100.64.0.0/18: 16384 addresses, 896 /28 blocks reserved (100.64.4.0/22 to 100.64.56.0/22, 6 reservations), 126 free /28 blocks outside reservations, 2043 unreserved; at most 128 nodes, 14080 pods',
      '  zone 2 100.64.64.0/18: 16384 addresses, 896 /28 blocks reserved (100.64.68.0/22 to 100.64.120.0/22, 6 reservations), 126 free /28 blocks outside reservations, 2043 unreserved; at most 128 nodes, 14080 pods',
      '  zone 3 100.64.128.0/18: 16384 addresses, 896 /28 blocks reserved (100.64.132.0/22 to 100.64.184.0/22, 6 reservations), 126 free /28 blocks outside reservations, 2043 unreserved; at most 128 nodes, 14080 pods',
      '  per node: 110 pods = 7 /28 prefixes + 1 single address (1 pod ENI); 20 pods after a fallback to single addresses (cilium #46644)',
      '  limits: 254 nodes (system node group 4: maxSize 4; NodePool "default" 250: limits.memory 1000Gi / 4 GiB), 85 per zone; 9 system pods',
    ]);
  });

  test('an error when the subnets cannot address the system node group', () => {
    // One reserved /28 per zone: 0 nodes of 7 prefixes anywhere; the system node group starts with 2.
    const zones = ['100.64.0.0/24', '100.64.1.0/24'].map((c, i) => zone(`zone ${i + 1}`, c, [prefixReservations(cidr(c), { prefixLength: 28 }, 'p').map(formatCidr)[0]]));
    const plan = planCapacity({ prefixDelegation: true, firstInterfaceIndex: 1, zones, shapes: [SYSTEM], systemPods: 9, podSubnets: true });
    expect(plan.errors).toEqual([
      { subject: 'subnets', message: 'the pod subnets (100.64.0.0/24, 100.64.1.0/24) address 0 nodes of 110 pods; the system node group starts with 2 (each needs 7 /28 prefixes and 1 single address)' },
    ]);
  });

  test("an error when the system nodes' maxPods cannot hold the cluster's own pods", () => {
    const plan = planCapacity({ prefixDelegation: true, firstInterfaceIndex: 0, zones: [zone('zone 1', '10.0.0.0/18'), zone('zone 2', '10.0.64.0/18')], shapes: [{ ...SYSTEM, podsPerNode: 4 }], systemPods: 9, podSubnets: false });
    expect(plan.errors).toEqual([{ subject: 'maxPods', message: "the system node group's 2 nodes x maxPods 4 hold 8 pods; the cluster runs 9 of its own" }]);
  });

  test('the /32 fallback in a fragmented node subnet: no reservation, each single address spoils a block', () => {
    // A /22 node subnet: 64 blocks - 2 = 62 free; (7 + 1) per node -> 7 nodes.
    const plan = planCapacity({ prefixDelegation: true, firstInterfaceIndex: 0, zones: [zone('zone 1', '10.0.0.0/22')], shapes: [SYSTEM], systemPods: 9, podSubnets: false });
    expect(plan.zones[0]).toMatchObject({ freeBlocks: 62, mostNodes: 7, mostPods: 770 });
    // After the fallback a node holds the formula with every ENI: 3 x 9 + 2 = 29.
    expect(plan.fallbackPodsPerNode).toBe(29);
  });
});

describe('warm pool', () => {
  test('prefix delegation: Cilium pre-allocate 8, capped at the /28s 110 pods need (7 x 16 = 112)', () => {
    expect(resolveWarmPool(undefined, { prefixDelegation: true, maxPods: 110 })).toEqual({ preAllocate: 8, maxAllocate: 112, releaseExcess: false, overflow: 0 });
  });

  test('single addresses: 4 on small nodes, 8 up to 110 pods, 16 on large ones; capped at maxPods', () => {
    expect(resolveWarmPool(undefined, { prefixDelegation: false, maxPods: 20 })).toMatchObject({ preAllocate: 4, maxAllocate: 20 });
    expect(resolveWarmPool(undefined, { prefixDelegation: false, maxPods: 58 })).toMatchObject({ preAllocate: 8, maxAllocate: 58 });
    expect(resolveWarmPool(undefined, { prefixDelegation: false, maxPods: 234 })).toMatchObject({ preAllocate: 16, maxAllocate: 234 });
  });

  test('no cap where maxPods is per instance type: the overflow is the pre-allocation', () => {
    expect(resolveWarmPool(undefined, { prefixDelegation: false })).toEqual({ preAllocate: 8, releaseExcess: false, overflow: 8 });
  });

  test('overrides, and a cap below maxPods refused', () => {
    expect(resolveWarmPool({ preAllocate: 32, minAllocate: 16, maxAllocate: false, releaseExcess: true }, { prefixDelegation: true, maxPods: 110 })).toEqual({
      preAllocate: 32,
      minAllocate: 16,
      releaseExcess: true,
      overflow: 32,
    });
    thrown(() => resolveWarmPool({ maxAllocate: 100 }, { prefixDelegation: true, maxPods: 110 }), 'cilium.warmPool.maxAllocate: 100 is not valid; allowed: at least kubelet maxPods (110), or false (pods above the cap would get no address)');
    thrown(() => resolveWarmPool({ preAllocate: -1 }, { prefixDelegation: true, maxPods: 110 }), /^cilium\.warmPool\.preAllocate: -1 is not valid/);
  });
});

describe('node bounds of NodePools and the system pods', () => {
  test('quantities', () => {
    expect([parseQuantity(1000), parseQuantity('1000'), parseQuantity('500m'), parseQuantity('1000Gi'), parseQuantity('1Ti'), parseQuantity('x')]).toEqual([1000, 1000, 0.5, 1000 * 2 ** 30, 2 ** 40, undefined]);
  });

  test('the default limits: min(1000 vCPU / 2, 1000 GiB / 4 GiB) = 250 nodes with prefix delegation', () => {
    expect(poolNodeBound({ cpu: 1000, memory: '1000Gi' }, true)).toEqual({ nodes: 250, from: 'limits.memory 1000Gi / 4 GiB' });
    expect(poolNodeBound({ cpu: 100, memory: '1000Gi' }, true)).toEqual({ nodes: 50, from: 'limits.cpu 100 / 2 vCPU' });
    expect(poolNodeBound({ cpu: 1000, nodes: 12 }, true)).toEqual({ nodes: 12, from: 'limits.nodes 12' });
  });

  test("the cluster's own pods: CoreDNS 2, relay, UI, Karpenter 2, Tetragon operator, 2 apiservers, a shipper per node; a fleet's load balancer controller 2", () => {
    const all = { nodes: 3, hubbleRelay: true, hubbleUi: true, karpenter: true, tetragon: true, logShipper: true, clusterMeshApiServers: 2 };
    expect(systemPodCount(all)).toBe(2 + 1 + 1 + 2 + 1 + 2 + 3);
    expect(systemPodCount({ ...all, loadBalancerController: true })).toBe(2 + 1 + 1 + 2 + 1 + 2 + 2 + 3);
  });
});

describe('pod subnet layout', () => {
  const ctx: PodSubnetContext = { nodeZoneCount: 3, vpcCidr: '10.0.0.0/16', serviceCidr: '172.20.0.0/16', existingNetwork: false, prefixDelegation: true };

  test('the default: 100.64.0.0/16 in quarters, six reservations between ends of a sixteenth', () => {
    const layout = resolvePodSubnets({}, ctx);
    expect(formatCidr(layout.secondaryCidr!)).toBe('100.64.0.0/16');
    expect(layout.subnets.map((s) => [s.key, formatCidr(s.cidr)])).toEqual([
      ['zone-0', '100.64.0.0/18'],
      ['zone-1', '100.64.64.0/18'],
      ['zone-2', '100.64.128.0/18'],
    ]);
    expect(layout.subnets[0].reservations.map(formatCidr)).toEqual(['100.64.4.0/22', '100.64.8.0/21', '100.64.16.0/20', '100.64.32.0/20', '100.64.48.0/21', '100.64.56.0/22']);
  });

  test('two zones get halves; a set reservation size goes to the second quarter', () => {
    const layout = resolvePodSubnets({ cidr: '10.100.0.0/20', prefixReservation: { prefixLength: 24 } }, { ...ctx, nodeZoneCount: 2 });
    expect(layout.subnets.map((s) => [formatCidr(s.cidr), s.reservations.map(formatCidr)])).toEqual([
      ['10.100.0.0/21', ['10.100.2.0/24']],
      ['10.100.8.0/21', ['10.100.10.0/24']],
    ]);
  });

  test('no reservation without prefix delegation; asking for one then is refused', () => {
    expect(resolvePodSubnets({}, { ...ctx, prefixDelegation: false }).subnets[0].reservations).toEqual([]);
    thrown(() => resolvePodSubnets({ prefixReservation: 'auto' }, { ...ctx, prefixDelegation: false }), /^podSubnets\.prefixReservation: "auto" is not valid; allowed: false or unset while cilium\.prefixDelegation is false/);
  });

  test.each([
    ['outside 100.64.0.0/10 and RFC 1918', { cidr: '100.128.0.0/16' }, /^podSubnets\.cidr: "100\.128\.0\.0\/16" is not valid; allowed: a range inside 100\.64\.0\.0\/10/],
    ['overlapping the VPC', { cidr: '10.0.0.0/16' }, /^podSubnets\.cidr: "10\.0\.0\.0\/16" is not valid; allowed: a range disjoint from the VPC CIDR 10\.0\.0\.0\/16/],
    ['overlapping the service CIDR', { cidr: '172.20.0.0/16' }, /^podSubnets\.cidr: "172\.20\.0\.0\/16" is not valid; allowed: a range disjoint from the service CIDR 172\.20\.0\.0\/16 \(serviceIpv4Cidr\)/],
    ['in another RFC 1918 range than the VPC', { cidr: '192.168.0.0/16' }, /allowed: a range inside 100\.64\.0\.0\/10 or inside 10\.0\.0\.0\/8, the RFC 1918 range of the VPC CIDR 10\.0\.0\.0\/16 \(AWS refuses a secondary CIDR from another RFC 1918 range/],
    ['larger than a VPC block', { cidr: '100.64.0.0/15' }, /^podSubnets\.cidr: "100\.64\.0\.0\/15" is not valid; allowed: a prefix length from \/16 to \/22/],
    ['with a reservation larger than the subnet', { prefixReservation: { prefixLength: 17 } }, 'podSubnets.prefixReservation.prefixLength: 17 is not valid; allowed: at least 20: a /17 reservation (32768 addresses) is larger than the /18 pod subnet 100.64.0.0/18 (16384 addresses)'],
    ['with a reservation of half the subnet', { prefixReservation: { prefixLength: 19 } }, /prefixLength: 19 is not valid; allowed: at least 20 \(a quarter of the \/18 pod subnet 100\.64\.0\.0\/18 \(16384 addresses\)\), or 'auto'/],
    ['with a placement in a new VPC', { placement: [{ availabilityZoneId: 'euw1-az1', routeTableId: 'rtb-0a1b2c3d' }] }, /^podSubnets\.placement: .* allowed: unset with a new VPC/],
  ])('a pod range %s is refused', (_what, opts, message) => {
    thrown(() => resolvePodSubnets(opts, ctx), message);
  });

  test('the service CIDR inside the pod range is refused', () => {
    thrown(() => resolvePodSubnets({ cidr: '100.64.0.0/16' }, { ...ctx, serviceCidr: '100.64.128.0/20' }), /allowed: a range disjoint from the service CIDR 100\.64\.128\.0\/20 \(serviceIpv4Cidr\)/);
  });

  describe('an existing VPC', () => {
    const existing = { ...ctx, nodeZoneCount: undefined, existingNetwork: true };
    const placement = [
      { availabilityZoneId: 'euw1-az1', routeTableId: 'rtb-0a1b2c3d' },
      { availabilityZoneId: 'euw1-az2', routeTableId: 'rtb-0a1b2c3e' },
    ];

    test('new pod subnets follow the placement, keyed by zone ID', () => {
      const layout = resolvePodSubnets({ placement }, existing);
      expect(layout.subnets.map((s) => [s.key, formatCidr(s.cidr), s.placement?.routeTableId])).toEqual([
        ['euw1-az1', '100.64.0.0/17', 'rtb-0a1b2c3d'],
        ['euw1-az2', '100.64.128.0/17', 'rtb-0a1b2c3e'],
      ]);
    });

    test('without placement or subnets it is refused: the node zones are unknown at synth', () => {
      thrown(() => resolvePodSubnets({}, existing), /^podSubnets\.placement: undefined is not valid; allowed: two or three \{ availabilityZoneId, routeTableId \}/);
    });

    test('existing pod subnets: one per zone, keyed by subnet ID', () => {
      const subnets = [
        { subnetId: 'subnet-0a1b2c3d', cidr: '100.64.0.0/19', availabilityZoneId: 'euw1-az1' },
        { subnetId: 'subnet-0a1b2c3e', cidr: '100.64.32.0/19', availabilityZoneId: 'euw1-az2' },
      ];
      const layout = resolvePodSubnets({ subnets }, existing);
      expect(layout.secondaryCidr).toBeUndefined();
      expect(layout.subnets.map((s) => [s.key, formatCidr(s.cidr), s.reservations.length])).toEqual([
        ['subnet-0a1b2c3d', '100.64.0.0/19', 6],
        ['subnet-0a1b2c3e', '100.64.32.0/19', 6],
      ]);
      thrown(() => resolvePodSubnets({ subnets: [subnets[0], { ...subnets[1], availabilityZoneId: 'euw1-az1' }] }, existing), /^podSubnets\.subnets\[1\]\.availabilityZoneId: "euw1-az1" is not valid; allowed: a zone no other pod subnet is in \(podSubnets\.subnets\[0\] is\)/);
      thrown(() => resolvePodSubnets({ subnets: [subnets[0], { ...subnets[1], cidr: '100.64.16.0/20' }] }, existing), /^podSubnets\.subnets\[1\]\.cidr: "100\.64\.16\.0\/20" is not valid; allowed: a range disjoint from podSubnets\.subnets\[0\]\.cidr 100\.64\.0\.0\/19/);
      thrown(() => resolvePodSubnets({ subnets: [subnets[0]] }, existing), /^podSubnets\.subnets: .* allowed: two or three existing pod subnets, one per node zone/);
      thrown(() => resolvePodSubnets({ subnets }, ctx), /^podSubnets\.subnets: .* allowed: unset with a new VPC/);
    });
  });

  test('fleet: a pod range overlapping a peer is refused with both clusters named', () => {
    const members = [
      { name: 'a', vpcCidr: '10.10.0.0/16', serviceCidr: '172.20.0.0/16', podCidr: '100.64.0.0/16' },
      { name: 'b', vpcCidr: '10.11.0.0/16', serviceCidr: '172.21.0.0/16', podCidr: '100.64.0.0/16' },
    ];
    thrown(() => checkFleetPodRanges(members), 'clusters[0].podSubnets.cidr: "100.64.0.0/16" is not valid; allowed: a range disjoint from the pod range 100.64.0.0/16 of clusters[1] "b" (e.g. one /16 of 100.64.0.0/10 per cluster: 100.64.0.0/16, 100.65.0.0/16, ...) (peered VPCs cannot share addresses, and Cluster Mesh needs pod ranges that do not overlap)');
    thrown(() => checkFleetPodRanges([members[0], { ...members[1], podCidr: undefined, vpcCidr: '100.64.0.0/16' }]), /a range disjoint from the VPC CIDR 100\.64\.0\.0\/16 of clusters\[1\] "b"/);
    expect(() => checkFleetPodRanges([members[0], { ...members[1], podCidr: '100.65.0.0/16' }])).not.toThrow();
  });

  test("fleet: pod ranges past the default quotas are a warning with the numbers (a raised quota allows them)", () => {
    // 29 clusters: 4 own rules + 28 peers + 28 pod ranges = 60 rules, 57 routes.
    expect(fleetQuotaWarnings('a', 4, 28, 28)).toEqual([
      'each private route table of a gets 57 routes (the default route, 28 peer VPCs, 28 peer pod ranges), above the default quota of 50: raise "Routes per route table" before deploying, or mesh fewer clusters with pod subnets',
    ]);
    expect(fleetQuotaWarnings('a', 4, 29, 29)[0]).toBe(
      'the node security group of a gets 62 inbound rules (4 of its own, 29 peer VPCs, 29 peer pod ranges), above the default quota of 60: raise "Inbound or outbound rules per security group" before deploying, or mesh fewer clusters with pod subnets',
    );
    // 25 clusters fit both: 52 rules, 49 routes; and without pod ranges nothing is said.
    expect(fleetQuotaWarnings('a', 4, 24, 24)).toEqual([]);
    expect(fleetQuotaWarnings('a', 4, 49, 0)).toEqual([]);
  });
});
