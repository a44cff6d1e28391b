/**
 * Pod subnets as pure code: the option, its checks, the split of a secondary CIDR into one subnet
 * per node zone, and where the prefix reservations go. The construct that creates them is
 * `CiliumEksPodSubnets`; the capacity arithmetic is `planCapacity`.
 *
 * Sources:
 * - Cilium `Documentation/network/concepts/ipam/eni.rst`: `spec.eni.subnet-ids` narrows the
 *   subnets the operator creates ENIs in ("an additional requirement on top of requiring to match
 *   the availability zone and VPC of the instance"); `spec.eni.first-interface-index` 1 leaves
 *   eth0 out of pod allocation; a new ENI inherits eth0's security groups unless
 *   `spec.eni.security-groups` says otherwise.
 * - Amazon VPC User Guide, "VPC CIDR blocks" (IPv4 CIDR block association restrictions): a VPC
 *   whose primary CIDR is in one RFC 1918 range cannot add a block from another; 100.64.0.0/10 can
 *   be added to any of them; from 172.16.0.0/12, 172.31.0.0/16 is refused. Blocks are /16 to /28.
 * - Amazon VPC User Guide, "Subnet CIDR reservations": a reservation sets addresses aside so AWS
 *   cannot assign them to network interfaces, except as prefixes for a `prefix` reservation.
 * - EKS best-practices guide, "Prefix Mode for Linux": reserve prefix space in a new subnet so
 *   /28 blocks stay contiguous; the VPC CNI's custom networking (EKS docs) puts pods in a secondary
 *   CIDR from 100.64.0.0/10, as Smana/cloud-native-ref does for Cilium (100.64.0.0/16).
 */
import { cidrSubnet, cidrsOverlap, formatCidr, Ipv4Cidr, Ipv4CidrSchema, isWithin, parseCidr, RFC1918 } from '../core/cidr';
import { ec2Id } from '../core/rules';
import { check, ValidationError } from '../core/errors';
import { AddressRange, IPV4_PREFIX_ADDRESSES } from './ipam';
import { anyOf, declare, int, list, literal, optional, orFalse, strict, string, text } from '../core/schema';

/** The shared address space of RFC 6598, routed nowhere on the internet: where pod ranges usually go. */
export const SHARED_ADDRESS_SPACE = parseCidr('100.64.0.0/10', 'SHARED_ADDRESS_SPACE');
/** Pod range of a cluster that names none: the first /16 of 100.64.0.0/10 (a VPC block is at most /16). */
export const DEFAULT_POD_CIDR = '100.64.0.0/16';
/** Largest and smallest pod range: a VPC CIDR block is /16 to /28; /22 still gives three zones a /24 each. */
export const POD_CIDR_PREFIX_RANGE = Object.freeze({ min: 16, max: 22 });

/** An existing pod subnet (with `existingNetwork`): its ID, CIDR and zone. */
export interface ExistingPodSubnet {
  /** The subnet ID. */
  readonly subnetId: string;
  /** Its IPv4 CIDR (the capacity plan and the reservations are computed from it; checked at plan). */
  readonly cidr: string;
  /** Its Availability Zone ID (`euw1-az1`); each node zone needs one pod subnet (checked at plan). */
  readonly availabilityZoneId: string;
}

/** Where one new pod subnet of an existing VPC goes. */
export interface PodSubnetPlacement {
  /** Availability Zone ID of a node zone (`euw1-az1`). */
  readonly availabilityZoneId: string;
  /** Route table of the node subnets of that zone: pods then reach what the nodes reach (NAT, peering, Transit Gateway). */
  readonly routeTableId: string;
}

/** A prefix reservation of a set size: one block in each pod subnet. */
export interface PrefixReservationSize {
  /** Prefix length of the block reserved in each pod subnet: at least two bits longer than the subnet's, at most /28. */
  readonly prefixLength: number;
}

/**
 * Pods in their own subnets, apart from the nodes: Cilium creates pod ENIs only there (and never
 * uses the node's primary ENI for pods), with /28 prefix space reserved.
 */
export interface PodSubnetsOptions {
  /**
   * The pod range, a secondary CIDR added to the VPC and split into one subnet per node zone
   * (halves for two zones, quarters for three): from 100.64.0.0/10, or from the RFC 1918 range of
   * the VPC's primary CIDR; /16 to /22; disjoint from the VPC, the service CIDR and, in a fleet,
   * every other cluster's ranges.
   * @default '100.64.0.0/16' (unless `subnets` names existing ones)
   */
  readonly cidr?: string;
  /**
   * Existing pod subnets, one per node zone, instead of a new range (with `existingNetwork` only).
   * @default - new subnets from `cidr`
   */
  readonly subnets?: readonly ExistingPodSubnet[];
  /**
   * With `existingNetwork` and `cidr`: the zone and route table of each new pod subnet, one per
   * node zone. (A new VPC places them by its own zones and private route tables.)
   * @default - required with existingNetwork and without subnets
   */
  readonly placement?: readonly PodSubnetPlacement[];
  /**
   * Prefix reservations in each pod subnet: `'auto'` reserves all but a sixteenth at each end
   * (the ends hold the pod ENIs' own addresses and AWS's five; the capacity plan checks them
   * against the node limits); `{ prefixLength }` one block of that size in the second quarter;
   * `false` none. Prefix delegation only.
   * @default 'auto' with prefix delegation, none without
   */
  readonly prefixReservation?: 'auto' | PrefixReservationSize | false;
}

const cidrText = string('an IPv4 CIDR such as 100.64.0.0/16');
export const ExistingPodSubnetSchema = declare<ExistingPodSubnet>()(
  strict({ subnetId: string('a subnet ID'), cidr: cidrText, availabilityZoneId: string('an Availability Zone ID such as euw1-az1') }, 'an existing pod subnet { subnetId, cidr, availabilityZoneId }'),
);
export const PodSubnetPlacementSchema = declare<PodSubnetPlacement>()(
  strict({ availabilityZoneId: string('an Availability Zone ID such as euw1-az1'), routeTableId: string('a route table ID') }, 'a pod subnet placement { availabilityZoneId, routeTableId }'),
);
export const PrefixReservationSizeSchema = declare<PrefixReservationSize>()(strict({ prefixLength: int(16, 32) }, 'a reservation size { prefixLength }'));
export const PodSubnetsOptionsSchema = declare<PodSubnetsOptions>()(
  strict(
    {
      cidr: optional(cidrText),
      subnets: optional(list(ExistingPodSubnetSchema)),
      placement: optional(list(PodSubnetPlacementSchema)),
      prefixReservation: optional(orFalse(anyOf([literal('auto'), PrefixReservationSizeSchema], "'auto' or { prefixLength }"))),
    },
    'pod subnet options { cidr?, subnets?, placement?, prefixReservation? }',
  ),
);

/** One pod subnet as the construct creates or adopts it. */
export interface PodSubnetSpec {
  /** Stable key of its resources: `zone-<i>` for a new VPC, the zone ID, or the subnet ID. */
  readonly key: string;
  /** How the capacity plan names its zone. */
  readonly zoneLabel: string;
  /** The subnet's IPv4 range: a share of the pod CIDR for a new subnet, or the declared range of an adopted one. */
  readonly cidr: Ipv4Cidr;
  /** Prefix reservations inside it. */
  readonly reservations: readonly Ipv4Cidr[];
  /** The existing subnet, when adopted. @default - absent: a new subnet */
  readonly subnetId?: string;
  /** Where a new one goes in an existing VPC. @default - absent: an adopted subnet, or a new VPC's own zone and route table */
  readonly placement?: PodSubnetPlacement;
  /**
   * The zone ID the subnet is in (e.g. `euw1-az1`): from the adopted subnet's declaration or the
   * placement. The construct checks an adopted subnet against it.
   * @default - absent for the subnets of a new VPC (their zone follows the VPC's zones at apply)
   */
  readonly availabilityZoneId?: string;
}
/** The declaration of {@link PodSubnetSpec}. */
export const PodSubnetSpecSchema = declare<PodSubnetSpec>()(
  strict(
    {
      key: text('a stable key'),
      zoneLabel: text('a zone label'),
      cidr: Ipv4CidrSchema,
      reservations: list(Ipv4CidrSchema),
      subnetId: optional(ec2Id('subnet', 'a subnet ID')),
      placement: optional(PodSubnetPlacementSchema),
      availabilityZoneId: optional(text('an Availability Zone ID such as euw1-az1')),
    },
    'a pod subnet { key, zoneLabel, cidr, reservations, subnetId?, placement?, availabilityZoneId? }',
  ),
);

/** The pod subnets of a cluster: a new secondary range, or existing subnets. */
export interface PodSubnetLayout {
  /** The secondary CIDR to add to the VPC (new subnets only). @default - absent: existing subnets adopted */
  readonly secondaryCidr?: Ipv4Cidr;
  /** One pod subnet per node zone, in zone order. */
  readonly subnets: readonly PodSubnetSpec[];
}
/** The declaration of {@link PodSubnetLayout}. */
export const PodSubnetLayoutSchema = declare<PodSubnetLayout>()(strict({ secondaryCidr: optional(Ipv4CidrSchema), subnets: list(PodSubnetSpecSchema) }, 'a pod subnet layout { secondaryCidr?, subnets } (resolvePodSubnets)'));

/** What the checks need to know of the cluster. */
export interface PodSubnetContext {
  /** Zones of the node subnets of a new VPC; undefined with an existing VPC. */
  readonly nodeZoneCount?: number;
  /** The VPC's primary CIDR, when known at synth. */
  readonly vpcCidr?: string;
  readonly serviceCidr: string;
  readonly existingNetwork: boolean;
  readonly prefixDelegation: boolean;
}

const ZONE_ID = /^[a-z]{2,5}\d+-(?:[a-z]+\d*-)?az\d+$/;
const SUBNET_ID = /^subnet-([0-9a-f]{8}|[0-9a-f]{17})$/;
const ROUTE_TABLE_ID = /^rtb-([0-9a-f]{8}|[0-9a-f]{17})$/;
const isTokenString = (v: unknown): boolean => typeof v === 'string' && v.includes('${');

/** Where a range may sit: 100.64.0.0/10 or RFC 1918. */
function checkPodRange(c: Ipv4Cidr, text: string, property: string, ctx: PodSubnetContext): void {
  const rfc1918 = RFC1918.find((r) => isWithin(c, r));
  check(
    isWithin(c, SHARED_ADDRESS_SPACE) || rfc1918 !== undefined,
    property,
    text,
    'a range inside 100.64.0.0/10 (shared address space, RFC 6598) or an RFC 1918 range (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16)',
    'pod addresses must be private to the VPC and its peers',
  );
  const service = parseCidr(ctx.serviceCidr, 'serviceIpv4Cidr');
  check(!cidrsOverlap(c, service), property, text, `a range disjoint from the service CIDR ${ctx.serviceCidr} (serviceIpv4Cidr)`, 'a pod address inside the service range would be routed as a service');
  if (ctx.vpcCidr !== undefined && !isTokenString(ctx.vpcCidr)) {
    const vpc = parseCidr(ctx.vpcCidr, 'vpcCidr');
    const vpcRange = RFC1918.find((r) => isWithin(vpc, r));
    if (rfc1918 !== undefined && vpcRange !== undefined && rfc1918 !== vpcRange) {
      throw new ValidationError(
        property,
        text,
        `a range inside 100.64.0.0/10 or inside ${formatCidr(vpcRange)}, the RFC 1918 range of the VPC CIDR ${ctx.vpcCidr}`,
        'AWS refuses a secondary CIDR from another RFC 1918 range (Amazon VPC User Guide, IPv4 CIDR block association restrictions)',
      );
    }
    if (vpcRange !== undefined && formatCidr(vpcRange) === '172.16.0.0/12') {
      check(!cidrsOverlap(c, parseCidr('172.31.0.0/16', 'x')), property, text, 'a range outside 172.31.0.0/16', 'AWS refuses a block from 172.31.0.0/16 in a VPC whose primary CIDR is in 172.16.0.0/12');
    }
  }
}

/** The split of a pod range: one subnet per zone, halves for two zones, quarters for three. */
export function splitPodCidr(cidr: Ipv4Cidr, zones: number): Ipv4Cidr[] {
  const bits = Math.ceil(Math.log2(Math.max(1, zones)));
  return Array.from({ length: zones }, (_, i) => cidrSubnet(cidr, bits, i));
}

/**
 * The prefix reservations of one pod subnet. `'auto'`: every aligned block between an unreserved
 * head and tail of a sixteenth of the subnet each (at least a /28), so no reservation holds the
 * subnet's first four or last address (AWS keeps them) and the ends hold the pod ENIs' own
 * addresses (and single addresses after a fallback). The layout is a function of the subnet
 * alone: a layout that moved with the node limits would, on a later apply, create blocks that
 * overlap ones Terraform has not yet deleted, which AWS refuses. The capacity plan judges it
 * against the limits. A set size: one block at the start of the subnet's second quarter.
 */
export function prefixReservations(subnet: Ipv4Cidr, mode: 'auto' | PrefixReservationSize | false, property: string): Ipv4Cidr[] {
  const size = 2 ** (32 - subnet.prefix);
  if (mode === false) return [];
  if (mode === 'auto') {
    const edge = Math.max(IPV4_PREFIX_ADDRESSES, size / 16);
    if (2 * edge >= size) return [];
    const blocks: Ipv4Cidr[] = [];
    // Lower half: [edge, 2 edge), [2 edge, 4 edge), ... up to the middle.
    for (let o = edge; o < size / 2; o *= 2) blocks.push({ network: (subnet.network + o) >>> 0, prefix: 32 - Math.log2(o) });
    // Upper half: the largest aligned blocks from the middle down to the tail.
    for (let o = size / 2, b = size / 4; b >= edge; o += b, b /= 2) blocks.push({ network: (subnet.network + o) >>> 0, prefix: 32 - Math.log2(b) });
    return blocks;
  }
  const n = mode.prefixLength;
  const subnetText = `the /${subnet.prefix} pod subnet ${formatCidr(subnet)} (${size} addresses)`;
  check(Number.isInteger(n), `${property}.prefixLength`, n, 'an integer prefix length');
  check(n >= subnet.prefix, `${property}.prefixLength`, n, `at least ${subnet.prefix + 2}: a /${n} reservation (${2 ** (32 - n)} addresses) is larger than ${subnetText}`);
  check(
    n >= subnet.prefix + 2,
    `${property}.prefixLength`,
    n,
    `at least ${subnet.prefix + 2} (a quarter of ${subnetText}), or 'auto'`,
    'a larger block would hold the first four or the last address of the subnet, which AWS keeps, and pod ENIs take their own address outside the reservation',
  );
  check(n <= 28, `${property}.prefixLength`, n, 'at most 28: a prefix is a /28');
  return [{ network: (subnet.network + size / 4) >>> 0, prefix: n }];
}

/** The number range of a CIDR, for the capacity arithmetic. */
export function rangeOf(c: Ipv4Cidr): AddressRange {
  return { first: c.network, size: 2 ** (32 - c.prefix) };
}

/**
 * Checks the option and lays the pod subnets out. Throws a {@link ValidationError} naming the
 * property (`podSubnets.cidr`, `podSubnets.subnets[1].cidr`, ...) with the numbers.
 */
export function resolvePodSubnets(opts: PodSubnetsOptions, ctx: PodSubnetContext, p = 'podSubnets'): PodSubnetLayout {
  check(typeof opts === 'object' && opts !== null && !Array.isArray(opts), p, opts, 'an object (pod subnet options), or leave it out');
  const mode = opts.prefixReservation ?? (ctx.prefixDelegation ? 'auto' : false);
  check(
    mode === 'auto' || mode === false || (typeof mode === 'object' && mode !== null),
    `${p}.prefixReservation`,
    mode,
    "'auto', false, or { prefixLength }",
  );
  if (!ctx.prefixDelegation) {
    check(mode === false, `${p}.prefixReservation`, mode, 'false or unset while cilium.prefixDelegation is false', 'a prefix reservation only serves /28 prefixes');
  }
  if (opts.subnets !== undefined) {
    check(ctx.existingNetwork, `${p}.subnets`, opts.subnets, 'unset with a new VPC (podSubnets.cidr makes its pod subnets)', 'existing pod subnets belong to an existing VPC (existingNetwork)');
    check(opts.cidr === undefined, `${p}.cidr`, opts.cidr, 'unset together with podSubnets.subnets', 'the existing subnets are the pod range');
    check(opts.placement === undefined, `${p}.placement`, opts.placement, 'unset together with podSubnets.subnets');
    return { subnets: existingSubnets(opts.subnets, mode, ctx, `${p}.subnets`, `${p}.prefixReservation`) };
  }
  const text = opts.cidr ?? DEFAULT_POD_CIDR;
  const cidr = parseCidr(text, `${p}.cidr`);
  check(
    cidr.prefix >= POD_CIDR_PREFIX_RANGE.min && cidr.prefix <= POD_CIDR_PREFIX_RANGE.max,
    `${p}.cidr`,
    text,
    `a prefix length from /${POD_CIDR_PREFIX_RANGE.min} to /${POD_CIDR_PREFIX_RANGE.max}`,
    'a VPC CIDR block is at most a /16; below a /22 a zone gets less than a /24',
  );
  checkPodRange(cidr, text, `${p}.cidr`, ctx);
  if (ctx.vpcCidr !== undefined && !isTokenString(ctx.vpcCidr)) {
    check(!cidrsOverlap(cidr, parseCidr(ctx.vpcCidr, 'vpcCidr')), `${p}.cidr`, text, `a range disjoint from the VPC CIDR ${ctx.vpcCidr}`, 'it is added to the VPC as a secondary CIDR');
  }
  let placements: readonly PodSubnetPlacement[] | undefined;
  let zones: number;
  if (ctx.existingNetwork) {
    placements = opts.placement;
    check(Array.isArray(placements) && placements.length >= 2 && placements.length <= 3, `${p}.placement`, placements, 'two or three { availabilityZoneId, routeTableId }, one per node zone (or podSubnets.subnets)', 'with an existing VPC the node zones and their route tables are not known at synth');
    const list = placements as readonly PodSubnetPlacement[];
    list.forEach((pl, i) => {
      const q = `${p}.placement[${i}]`;
      check(typeof pl === 'object' && pl !== null, q, pl, '{ availabilityZoneId, routeTableId }');
      check(isTokenString(pl.availabilityZoneId) || (typeof pl.availabilityZoneId === 'string' && ZONE_ID.test(pl.availabilityZoneId)), `${q}.availabilityZoneId`, pl.availabilityZoneId, 'an Availability Zone ID such as euw1-az1');
      check(isTokenString(pl.routeTableId) || (typeof pl.routeTableId === 'string' && ROUTE_TABLE_ID.test(pl.routeTableId)), `${q}.routeTableId`, pl.routeTableId, 'a route table ID: "rtb-" and 8 or 17 hexadecimal characters');
      const first = list.findIndex((o) => o.availabilityZoneId === pl.availabilityZoneId);
      check(first === i, `${q}.availabilityZoneId`, pl.availabilityZoneId, `a zone not listed before (it is ${p}.placement[${first}] too)`, 'one pod subnet per node zone');
    });
    zones = list.length;
  } else {
    check(opts.placement === undefined, `${p}.placement`, opts.placement, 'unset with a new VPC', 'the pod subnets follow the new VPC\'s zones and private route tables');
    zones = ctx.nodeZoneCount ?? 0;
  }
  const subnets = splitPodCidr(cidr, zones).map((c, i): PodSubnetSpec => {
    const placement = placements?.[i];
    return {
      key: placement && !isTokenString(placement.availabilityZoneId) ? placement.availabilityZoneId : `zone-${i}`,
      zoneLabel: placement?.availabilityZoneId && !isTokenString(placement.availabilityZoneId) ? placement.availabilityZoneId : `zone ${i + 1}`,
      cidr: c,
      reservations: prefixReservations(c, mode, `${p}.prefixReservation`),
      ...(placement ? { placement, availabilityZoneId: placement.availabilityZoneId } : {}),
    };
  });
  return { secondaryCidr: cidr, subnets };
}

function existingSubnets(list: readonly ExistingPodSubnet[], mode: 'auto' | PrefixReservationSize | false, ctx: PodSubnetContext, p: string, rp: string): PodSubnetSpec[] {
  check(Array.isArray(list) && list.length >= 2 && list.length <= 3, p, list, 'two or three existing pod subnets, one per node zone');
  const parsed: Ipv4Cidr[] = [];
  return list.map((s, i) => {
    const q = `${p}[${i}]`;
    check(typeof s === 'object' && s !== null, q, s, '{ subnetId, cidr, availabilityZoneId }');
    check(isTokenString(s.subnetId) || (typeof s.subnetId === 'string' && SUBNET_ID.test(s.subnetId)), `${q}.subnetId`, s.subnetId, 'a subnet ID: "subnet-" and 8 or 17 hexadecimal characters');
    check(typeof s.availabilityZoneId === 'string' && ZONE_ID.test(s.availabilityZoneId), `${q}.availabilityZoneId`, s.availabilityZoneId, 'an Availability Zone ID such as euw1-az1');
    const c = parseCidr(s.cidr, `${q}.cidr`);
    check(c.prefix <= 26, `${q}.cidr`, s.cidr, 'a subnet of /26 or larger', 'a smaller one holds too few /28 blocks for a node');
    checkPodRange(c, s.cidr, `${q}.cidr`, ctx);
    parsed.forEach((o, j) => check(!cidrsOverlap(c, o), `${q}.cidr`, s.cidr, `a range disjoint from ${p}[${j}].cidr ${formatCidr(o)}`));
    parsed.push(c);
    list.forEach((o, j) => {
      if (j < i) {
        check(o.subnetId !== s.subnetId, `${q}.subnetId`, s.subnetId, `a subnet not listed before (it is ${p}[${j}] too)`);
        check(o.availabilityZoneId !== s.availabilityZoneId, `${q}.availabilityZoneId`, s.availabilityZoneId, `a zone no other pod subnet is in (${p}[${j}] is)`, 'one pod subnet per node zone: the operator picks the pod subnet of the node\'s zone');
      }
    });
    return {
      key: isTokenString(s.subnetId) ? `subnet-${i}` : s.subnetId,
      zoneLabel: s.availabilityZoneId,
      cidr: c,
      reservations: prefixReservations(c, mode, rp),
      subnetId: s.subnetId,
      availabilityZoneId: s.availabilityZoneId,
    };
  });
}

/** The CIDRs pods take addresses from: the secondary range, or the existing subnets. */
export function podRanges(layout: PodSubnetLayout): Ipv4Cidr[] {
  return layout.secondaryCidr ? [layout.secondaryCidr] : layout.subnets.map((s) => s.cidr);
}

/** A fleet member's address ranges, for the overlap check between peers. */
export interface FleetAddressRanges {
  readonly name: string;
  readonly vpcCidr: string;
  readonly serviceCidr: string;
  /** The pod range, when the cluster has pod subnets. */
  readonly podCidr?: string;
}

/**
 * Refuses a fleet whose clusters' pod ranges overlap any other cluster's VPC, service or pod
 * range: peered VPCs cannot share addresses (AWS refuses a peering between VPCs with overlapping
 * CIDR blocks, secondary ones included), and Cluster Mesh needs disjoint pod ranges (setup.rst).
 */
export function checkFleetPodRanges(members: readonly FleetAddressRanges[]): void {
  members.forEach((m, i) => {
    if (m.podCidr === undefined) return;
    const pod = parseCidr(m.podCidr, `clusters[${i}].podSubnets.cidr`);
    members.forEach((o, j) => {
      if (j === i) return;
      const ranges: [string, string | undefined][] = [
        ['VPC CIDR', o.vpcCidr],
        ['service CIDR', o.serviceCidr],
        ['pod range', o.podCidr],
      ];
      for (const [what, cidr] of ranges) {
        if (cidr === undefined) continue;
        check(
          !cidrsOverlap(pod, parseCidr(cidr, what)),
          `clusters[${i}].podSubnets.cidr`,
          m.podCidr,
          `a range disjoint from the ${what} ${cidr} of clusters[${j}] "${o.name}" (e.g. one /16 of 100.64.0.0/10 per cluster: 100.64.0.0/16, 100.65.0.0/16, ...)`,
          'peered VPCs cannot share addresses, and Cluster Mesh needs pod ranges that do not overlap',
        );
      }
    });
  });
}

/**
 * The pod range of a fleet member: its `podSubnets.cidr` (or the default), undefined without pod
 * subnets. A fleet builds every VPC, so existing pod subnets have no place in it.
 */
export function fleetPodCidr(opts: PodSubnetsOptions | undefined, p: string): string | undefined {
  if (opts === undefined) return undefined;
  check(opts.subnets === undefined, `${p}.subnets`, opts.subnets, 'unset in a fleet (podSubnets.cidr)', 'a fleet builds each cluster\'s VPC, so there are no existing pod subnets');
  return opts.cidr ?? DEFAULT_POD_CIDR;
}

/** Default quotas a fleet's peer routes and rules count against (Amazon VPC quotas). */
export const DEFAULT_VPC_QUOTAS = Object.freeze({
  /** "Inbound or outbound rules per security group". */
  inboundRulesPerSecurityGroup: 60,
  /** "Routes per route table" (non-propagated). */
  routesPerRouteTable: 50,
});

/**
 * Warnings when pod ranges push a fleet cluster past the default quotas AWS would enforce at
 * apply, which a raised quota allows: its node security group gets one inbound rule per peer VPC
 * and one more per peer pod range besides its own; each private route table (shared by the pod
 * subnets) a route per peer VPC and per peer pod range besides its default route.
 */
export function fleetQuotaWarnings(clusterName: string, ownRules: number, peers: number, peerPodRanges: number): string[] {
  if (peerPodRanges === 0) return [];
  const warnings: string[] = [];
  const rules = ownRules + peers + peerPodRanges;
  if (rules > DEFAULT_VPC_QUOTAS.inboundRulesPerSecurityGroup) {
    warnings.push(
      `the node security group of ${clusterName} gets ${rules} inbound rules (${ownRules} of its own, ${peers} peer VPCs, ${peerPodRanges} peer pod ranges), above the default quota of ${DEFAULT_VPC_QUOTAS.inboundRulesPerSecurityGroup}: raise "Inbound or outbound rules per security group" before deploying, or mesh fewer clusters with pod subnets`,
    );
  }
  const routes = 1 + peers + peerPodRanges;
  if (routes > DEFAULT_VPC_QUOTAS.routesPerRouteTable) {
    warnings.push(
      `each private route table of ${clusterName} gets ${routes} routes (the default route, ${peers} peer VPCs, ${peerPodRanges} peer pod ranges), above the default quota of ${DEFAULT_VPC_QUOTAS.routesPerRouteTable}: raise "Routes per route table" before deploying, or mesh fewer clusters with pod subnets`,
    );
  }
  return warnings;
}
