import { check, ValidationError } from '../core/errors';
import { EniLimits, eniLimitsOf, EniLimitsSchema } from '../core/instance-types';
import { bool, declare, int, list, oneOf, optional, orFalse, parse, record, strict, string, text, v } from '../core/schema';
import { cidr } from '../core/rules';

/**
 * The address arithmetic of Cilium's ENI IPAM, pure: kubelet `maxPods` (one rule for the managed
 * node group and Karpenter's EC2NodeClass, so both kinds of node agree with what the operator can
 * address), the warm pool (`ipam.nodeSpec.*`), and the capacity plan of the subnets pods take
 * their addresses from.
 *
 * Sources: Cilium `Documentation/network/concepts/ipam/eni.rst` ("ENI Allocation Parameters",
 * "Determination of ENI IP deficits or excess", "IP Allocation", "ENI Creation"); the EKS
 * best-practices guide, "Prefix Mode for Linux" ("Use Subnet Reservations to Avoid Subnet
 * Fragmentation"); the Amazon VPC User Guide, "Subnet CIDR reservations"; cilium #46644 (a prefix
 * ENI that finds no free /28 is created with single addresses, and the node stays in that mode).
 */

/** Addresses in one delegated IPv4 prefix (/28), per ENI slot. Source: Cilium ENI IPAM docs. */
export const IPV4_PREFIX_ADDRESSES = 16;

/**
 * `maxPods` set when prefix delegation is on. nodeadm's own default assumes one IP per ENI slot,
 * which under-counts by 16x, so it must be set explicitly. 110 is the upstream Kubernetes
 * per-node recommendation and what EKS uses for instances under 30 vCPUs.
 */
export const PREFIX_DELEGATION_DEFAULT_MAX_PODS = 110;

/** Highest `maxPods` EKS recommends on any instance (EKS best-practices guide, "max pods"). */
export const KUBELET_MAX_PODS_CEILING = 250;

/** Host-network pods a node runs that take no ENI address (Cilium agent, kube-proxy slot kept by nodeadm's formula). */
const HOST_NETWORK_PODS = 2;

/**
 * Addresses AWS keeps in every subnet: the first four and the last (Amazon VPC User Guide,
 * "Subnet CIDR blocks"). They sit in the subnet's first and last /28.
 */
export const AWS_RESERVED_ADDRESSES_PER_SUBNET = 5;

/**
 * The index of the first ENI Cilium hands pod addresses out on (`spec.eni.first-interface-index`,
 * Cilium's default 0). 1 keeps the node's primary ENI, in the node subnet, for the node alone:
 * every pod address then comes from an ENI Cilium creates, in a pod subnet.
 */
export type FirstInterfaceIndex = 0 | 1;

/**
 * The ENI IPAM mode of the nodes, which decides how many pod addresses an ENI slot carries and
 * which ENIs carry them: the input of {@link addressablePods}, {@link resolveMaxPods} and
 * {@link planCapacity}.
 */
export interface IpamOptions {
  /** Whether the operator hands out /28 prefixes (`eni.awsEnablePrefixDelegation`). */
  readonly prefixDelegation: boolean;
  /** `eni.nodeSpec.firstInterfaceIndex`: 1 with dedicated pod subnets. @default 0 */
  readonly firstInterfaceIndex?: FirstInterfaceIndex;
}
const ipamEntries = {
  prefixDelegation: bool(),
  firstInterfaceIndex: optional(oneOf<FirstInterfaceIndex>([0, 1], '0, or 1 to keep the primary ENI for the node')),
};
/** The declaration of {@link IpamOptions}. */
export const IpamOptionsSchema = declare<IpamOptions>()(strict(ipamEntries, 'IPAM options { prefixDelegation, firstInterfaceIndex? }'));

/** ENIs of an instance that carry pod addresses: all of them, or all but the primary. */
export function podEnisOf(limits: EniLimits, ipam: IpamOptions): number {
  return Math.max(0, limits.maxEnis - (ipam.firstInterfaceIndex ?? 0));
}

/**
 * Pods a node can address under ENI IPAM: `ENIs * (IPs per ENI - 1) + 2` without prefix
 * delegation (nodeadm's formula), and `ENIs * (IPs per ENI - 1) * 16 + 2` with it, where ENIs
 * leaves out the primary ENI when `firstInterfaceIndex` is 1 (Karpenter's `reservedENIs`, the
 * VPC CNI custom-networking formula).
 */
export function addressablePods(limits: EniLimits, ipam: IpamOptions): number {
  parse(EniLimitsSchema, limits, 'addressablePods(limits)');
  parse(IpamOptionsSchema, ipam, 'addressablePods(ipam)');
  return podsAddressable(limits, ipam);
}

/** {@link addressablePods} of values the project has checked (or built) itself. */
export function podsAddressable(limits: EniLimits, ipam: IpamOptions): number {
  const slots = podEnisOf(limits, ipam) * (limits.ipv4PerEni - 1);
  return slots * (ipam.prefixDelegation ? IPV4_PREFIX_ADDRESSES : 1) + HOST_NETWORK_PODS;
}

/**
 * What {@link resolveMaxPods} needs to choose the kubelet `maxPods` of a kind of node and check it
 * against what the IPAM mode can address on each instance type.
 */
export interface MaxPodsOptions extends IpamOptions {
  /**
   * An explicit `maxPods`.
   * @default - 110 with prefix delegation; without it, unset so nodeadm / Karpenter compute the
   * ENI formula per instance type (see `nodeadmFormula`)
   */
  readonly maxPods?: number;
  /** Instance types the nodes may be; each known type bounds `maxPods`. @default - none judged */
  readonly instanceTypes?: readonly string[];
  /** ENI limits for instance types the built-in table does not know. @default - none */
  readonly eniLimits?: Readonly<Record<string, EniLimits>>;
  /** Property named in error messages. @default 'maxPods' */
  readonly property?: string;
  /**
   * The nodes get nodeadm's formula when `maxPods` is unset (a managed node group), which counts
   * every ENI. With `firstInterfaceIndex` 1 and no prefix delegation that over-counts, so the
   * value is computed here from `instanceTypes` instead. (Karpenter subtracts its `reservedENIs`
   * itself.)
   * @default false
   */
  readonly nodeadmFormula?: boolean;
}
/**
 * The declaration of {@link MaxPodsOptions}: the shape; `maxPods`'s range and what the instance
 * types can address are judged by {@link resolveMaxPods}, named as `property`.
 */
export const MaxPodsOptionsSchema = declare<MaxPodsOptions>()(
  strict(
    {
      ...ipamEntries,
      maxPods: optional(v.number('a number of pods')),
      instanceTypes: optional(list(text('an instance type such as m7i.large'))),
      eniLimits: optional(record(text('an instance type'), EniLimitsSchema)),
      property: optional(text('the property named in messages')),
      nodeadmFormula: optional(bool()),
    },
    'maxPods options { prefixDelegation, maxPods?, instanceTypes?, eniLimits?, ... }',
  ),
);

/**
 * The kubelet `maxPods` to write into the node configuration, or undefined where the
 * per-instance-type default is right. Throws a {@link ValidationError} for a value the IPAM mode
 * cannot address on one of the given instance types.
 */
export function resolveMaxPods(opts: MaxPodsOptions): number | undefined {
  parse(MaxPodsOptionsSchema, opts, 'resolveMaxPods(opts)');
  const property = opts.property ?? 'maxPods';
  const limitsOf = (type: string): EniLimits | undefined => opts.eniLimits?.[type] ?? eniLimitsOf(type);
  let maxPods = opts.maxPods ?? (opts.prefixDelegation ? PREFIX_DELEGATION_DEFAULT_MAX_PODS : undefined);
  if (maxPods === undefined && opts.nodeadmFormula && (opts.firstInterfaceIndex ?? 0) === 1) {
    const types = opts.instanceTypes ?? [];
    const unknown = types.filter((t) => limitsOf(t) === undefined);
    check(
      unknown.length === 0,
      property,
      opts.maxPods,
      `an explicit maxPods while ${unknown.join(', ')} is among the instance types`,
      'with pod subnets the primary ENI carries no pod address, nodeadm counts it anyway, and the ENI limits of that type are not in the project\'s table',
    );
    maxPods = Math.min(KUBELET_MAX_PODS_CEILING, ...types.map((t) => podsAddressable(limitsOf(t) as EniLimits, opts)));
  }
  if (maxPods === undefined) return undefined;
  if (!Number.isInteger(maxPods) || maxPods < 1 || maxPods > KUBELET_MAX_PODS_CEILING) {
    throw new ValidationError(property, maxPods, `an integer from 1 to ${KUBELET_MAX_PODS_CEILING}`, 'EKS recommends at most 250 pods per node');
  }
  for (const type of opts.instanceTypes ?? []) {
    const limits = limitsOf(type);
    if (!limits) continue;
    const capacity = podsAddressable(limits, opts);
    if (maxPods > capacity) {
      throw new ValidationError(
        property,
        maxPods,
        `at most ${capacity} on ${type}`,
        `${type} has ${limits.maxEnis} ENIs x ${limits.ipv4PerEni} IPv4 addresses, ` +
          `prefix delegation ${opts.prefixDelegation ? 'on' : 'off'}` +
          ((opts.firstInterfaceIndex ?? 0) === 1 ? ', the primary ENI kept for the node (pod subnets)' : ''),
      );
    }
  }
  return maxPods;
}

// ---------------------------------------------------------------------------------------------
// Warm pool
// ---------------------------------------------------------------------------------------------

/**
 * Cilium's per-node address watermarks (`ipam.nodeSpec.*` of chart 1.19 and 1.20, written into
 * each CiliumNode's `spec.ipam`). The operator keeps `preAllocate` addresses free on every node,
 * allocates at least `minAllocate` at boot and never more than `maxAllocate` (eni.rst,
 * "Determination of ENI IP deficits or excess").
 *
 * The trade-off: every allocation is an EC2 API call by the one operator (rate-limited, 4 per second
 * by default); a larger `preAllocate` means fewer calls and pods that start without waiting for
 * one (a cycle takes about a second, an ENI attachment up to ten), but more addresses idle on every
 * node; a smaller one saves addresses and costs pod start latency under bursts.
 */
export interface WarmPoolOptions {
  /**
   * Free addresses kept on every node (`ipamPreAllocate`).
   * @default - with prefix delegation 8 (Cilium's default: at most one idle /28 per node); without
   *   it, from the pods per node: 4 up to 30 (small nodes), 8 up to 110, 16 above (large nodes)
   */
  readonly preAllocate?: number;
  /** Addresses allocated when a node boots (`ipamMinAllocate`). @default - none (Cilium's) */
  readonly minAllocate?: number;
  /**
   * Most addresses a node holds (`ipamMaxAllocate`); `false` for no cap.
   * @default - what kubelet maxPods needs (rounded up to whole /28 prefixes with prefix
   *   delegation), so a full node asks for nothing it cannot use; no cap where maxPods is left to
   *   the per-instance-type formula
   */
  readonly maxAllocate?: number | false;
  /**
   * Release addresses above the watermarks (`eni.awsReleaseExcessIPs`): addresses go back to the
   * subnet when nodes empty, at the cost of more API calls when they fill again.
   * @default false
   */
  readonly releaseExcess?: boolean;
}

/** Most addresses a warm pool setting may name (well above any node's: 15 ENIs x 50 addresses). */
const WARM_POOL_CEILING = 1024;
const warmPoolCount = int(0, WARM_POOL_CEILING);
export const WarmPoolOptionsSchema = declare<WarmPoolOptions>()(
  strict(
    { preAllocate: optional(warmPoolCount), minAllocate: optional(warmPoolCount), maxAllocate: optional(orFalse(warmPoolCount)), releaseExcess: optional(bool()) },
    'warm pool options { preAllocate?, minAllocate?, maxAllocate?, releaseExcess? }',
  ),
);

/** The warm pool with every default applied. */
export interface ResolvedWarmPool {
  /**
   * Free addresses the operator keeps on every node (`ipam.nodeSpec.ipamPreAllocate`, written
   * only when it differs from Cilium's default of 8): the option, or the default for the node shape.
   */
  readonly preAllocate: number;
  /**
   * Addresses allocated when a node boots (`ipam.nodeSpec.ipamMinAllocate`).
   * @default - absent: not written, Cilium's own behaviour applies
   */
  readonly minAllocate?: number;
  /**
   * Most addresses a node holds (`ipam.nodeSpec.ipamMaxAllocate`): the option, or what kubelet
   * maxPods needs (rounded up to whole /28 prefixes with prefix delegation).
   * @default - absent: no cap (`maxAllocate: false`, or maxPods left to the per-instance-type formula)
   */
  readonly maxAllocate?: number;
  /**
   * Whether addresses above the watermarks go back to the subnet (`eni.awsReleaseExcessIPs`,
   * written only when true): the option, or false.
   */
  readonly releaseExcess: boolean;
  /** Addresses a full node may hold beyond its pods: 0 under a cap, `preAllocate` without one. */
  readonly overflow: number;
}

/** Cilium's own `spec.ipam.pre-allocate` default (eni.rst: "If unspecified, this value defaults to 8"). */
export const CILIUM_DEFAULT_PRE_ALLOCATE = 8;

/**
 * Applies the warm pool defaults for the node shape: `maxPods` is the largest kubelet maxPods of
 * the cluster's nodes, undefined where it is left to the per-instance-type formula.
 */
export function resolveWarmPool(opts: WarmPoolOptions | undefined, shape: { prefixDelegation: boolean; maxPods?: number }, property = 'cilium.warmPool'): ResolvedWarmPool {
  const o = opts ?? {};
  const count = (v: unknown, p: string): void => check(Number.isInteger(v) && (v as number) >= 0 && (v as number) <= WARM_POOL_CEILING, `${property}.${p}`, v, `an integer from 0 to ${WARM_POOL_CEILING}`);
  if (o.preAllocate !== undefined) count(o.preAllocate, 'preAllocate');
  if (o.minAllocate !== undefined) count(o.minAllocate, 'minAllocate');
  if (o.maxAllocate !== undefined && o.maxAllocate !== false) count(o.maxAllocate, 'maxAllocate');
  if (o.releaseExcess !== undefined) check(typeof o.releaseExcess === 'boolean', `${property}.releaseExcess`, o.releaseExcess, 'true or false');
  const pods = shape.maxPods;
  const defaultPre = shape.prefixDelegation || pods === undefined ? CILIUM_DEFAULT_PRE_ALLOCATE : pods <= 30 ? 4 : pods <= PREFIX_DELEGATION_DEFAULT_MAX_PODS ? 8 : 16;
  const preAllocate = o.preAllocate ?? defaultPre;
  const needed = pods === undefined ? undefined : shape.prefixDelegation ? Math.ceil(pods / IPV4_PREFIX_ADDRESSES) * IPV4_PREFIX_ADDRESSES : pods;
  const maxAllocate = o.maxAllocate === false ? undefined : (o.maxAllocate ?? needed);
  if (maxAllocate !== undefined) {
    if (pods !== undefined) {
      check(maxAllocate >= pods, `${property}.maxAllocate`, maxAllocate, `at least kubelet maxPods (${pods}), or false`, 'pods above the cap would get no address');
    }
    check(maxAllocate >= preAllocate, `${property}.maxAllocate`, maxAllocate, `at least preAllocate (${preAllocate})`);
    if (o.minAllocate !== undefined) check(maxAllocate >= o.minAllocate, `${property}.minAllocate`, o.minAllocate, `at most maxAllocate (${maxAllocate})`);
  }
  return {
    preAllocate,
    ...(o.minAllocate !== undefined ? { minAllocate: o.minAllocate } : {}),
    ...(maxAllocate !== undefined ? { maxAllocate } : {}),
    releaseExcess: o.releaseExcess ?? false,
    overflow: maxAllocate !== undefined ? 0 : preAllocate,
  };
}

// ---------------------------------------------------------------------------------------------
// Subnet arithmetic
// ---------------------------------------------------------------------------------------------

/** A CIDR as a number range: `first` is the network address, `size` the number of addresses. */
export interface AddressRange {
  /** The network address as an unsigned 32-bit integer (`10.0.0.0` is 167772160). */
  readonly first: number;
  /** The number of addresses, 1 to 2^32 (a /28 is 16). */
  readonly size: number;
}
/** The declaration of {@link AddressRange}: inside the IPv4 space. */
export const AddressRangeSchema = declare<AddressRange>()(
  strict({ first: int(0, 0xffffffff, 'an IPv4 address as an unsigned 32-bit integer'), size: int(1, 2 ** 32, 'a number of addresses from 1 to 2^32') }, 'an address range { first, size }'),
);

/** The /28 blocks and single addresses a subnet offers for pods, after AWS's and the prefix reservations. */
export interface SubnetSpace {
  /** Addresses in the subnet. */
  readonly addresses: number;
  /** Whole /28 blocks inside the prefix reservations, without the ones holding an AWS-reserved address. */
  readonly reservedBlocks: number;
  /** Whole /28 blocks outside the reservations, without the ones holding an AWS-reserved address. */
  readonly freeBlocks: number;
  /** Addresses outside the reservations that AWS may assign (AWS's own five left out). */
  readonly unreservedAddresses: number;
}

/** Counts what a subnet offers; every reservation must lie inside it, /28-aligned. */
export function subnetSpace(subnet: AddressRange, reservations: readonly AddressRange[]): SubnetSpace {
  const blocks = Math.floor(subnet.size / IPV4_PREFIX_ADDRESSES);
  const last = subnet.first + subnet.size - 1;
  const awsReserved = [subnet.first, subnet.first + 1, subnet.first + 2, subnet.first + 3, last];
  const inReservation = (a: number): boolean => reservations.some((r) => a >= r.first && a < r.first + r.size);
  const blockOf = (a: number): number => Math.floor((a - subnet.first) / IPV4_PREFIX_ADDRESSES);
  const awsBlocks = new Set(awsReserved.map(blockOf));
  let reservedBlocks = 0;
  let freeBlocks = 0;
  for (let b = 0; b < blocks; b++) {
    if (awsBlocks.has(b)) continue;
    if (inReservation(subnet.first + b * IPV4_PREFIX_ADDRESSES)) reservedBlocks++;
    else freeBlocks++;
  }
  const reservedAddresses = reservations.reduce((n, r) => n + r.size, 0);
  const awsOutside = awsReserved.filter((a) => !inReservation(a)).length;
  return { addresses: subnet.size, reservedBlocks, freeBlocks, unreservedAddresses: Math.max(0, subnet.size - reservedAddresses - awsOutside) };
}

// ---------------------------------------------------------------------------------------------
// Capacity plan
// ---------------------------------------------------------------------------------------------

/** A kind of node the cluster may run, and how many. */
export interface NodeShape {
  /** What it is, as the user knows it: `system node group`, `NodePool "default"`. */
  readonly name: string;
  /** The most nodes of this kind. */
  readonly maxNodes: number;
  /** Where `maxNodes` comes from: `maxSize 4`, `limits.cpu 1000 / 2 vCPU`. */
  readonly maxNodesFrom: string;
  /** kubelet maxPods of these nodes. */
  readonly podsPerNode: number;
  /** ENI limits of the instance type with the fewest addresses per ENI these nodes may be. */
  readonly eniLimits: EniLimits;
  /**
   * Nodes that exist from the first apply (the system node group's desired size); only the system shape has them.
   * @default - none: nodes that Karpenter launches on demand
   */
  readonly initialNodes?: number;
}
/** The declaration of {@link NodeShape}. */
export const NodeShapeSchema = declare<NodeShape>()(
  strict(
    { name: text('a name such as NodePool "default"'), maxNodes: v.pipe(v.number('a number of nodes'), v.minValue(0, 'a number of nodes')), maxNodesFrom: string(), podsPerNode: int(1, 250), eniLimits: EniLimitsSchema, initialNodes: optional(int(0, Number.MAX_SAFE_INTEGER)) },
    'a node shape { name, maxNodes, maxNodesFrom, podsPerNode, eniLimits, initialNodes? }',
  ),
);

/** What one node takes from its zone's pod subnet at full `maxPods`. */
export interface NodeAddressDemand {
  /** /28 prefixes (prefix delegation). */
  readonly prefixes: number;
  /** Single addresses: pod ENIs' primary addresses, the node's own where it shares the subnet, and pod addresses without prefix delegation. */
  readonly singles: number;
  /** ENIs Cilium attaches for pods beyond the primary. */
  readonly podEnis: number;
}

export interface AddressDemandOptions extends IpamOptions {
  /** Addresses a full node may hold beyond its pods (the warm pool's `overflow`). @default 0 */
  readonly overflow?: number;
}

/**
 * What one node of `shape` takes at full `maxPods`: its pods' addresses (maxPods less the two
 * host-network pods of the ENI formula) plus the warm pool's overflow; with prefix delegation
 * those come in `ceil(addresses / 16)` prefixes spread over ENIs of `ipv4PerEni - 1` slots each.
 * Every ENI Cilium adds takes one single address (its primary) from the same subnet; without pod
 * subnets (index 0) the node's own address does too, and its primary ENI holds pod slots.
 */
export function nodeAddressDemand(shape: Pick<NodeShape, 'podsPerNode' | 'eniLimits'>, o: AddressDemandOptions): NodeAddressDemand {
  const slots = Math.max(1, shape.eniLimits.ipv4PerEni - 1);
  const dedicated = (o.firstInterfaceIndex ?? 0) === 1;
  const addresses = Math.max(0, shape.podsPerNode - HOST_NETWORK_PODS) + (o.overflow ?? 0);
  const units = o.prefixDelegation ? Math.ceil(addresses / IPV4_PREFIX_ADDRESSES) : addresses;
  const podEnis = dedicated ? Math.ceil(units / slots) : Math.ceil(Math.max(0, units - slots) / slots);
  const ownAddress = dedicated ? 0 : 1;
  return o.prefixDelegation ? { prefixes: units, singles: podEnis + ownAddress, podEnis } : { prefixes: 0, singles: units + podEnis + ownAddress, podEnis };
}

/** One zone's pod subnet, as the plan sees it. */
export interface PlanZone {
  /** The zone as the user knows it: `zone 1`, `euw1-az1`. */
  readonly name: string;
  /** The subnet's CIDR. */
  readonly cidr: string;
  /** The same CIDR as a number range, which the plan counts /28 blocks in. */
  readonly range: AddressRange;
  /** The prefix reservations inside it. */
  readonly reservations: readonly { readonly cidr: string; readonly range: AddressRange }[];
}
/** The declaration of {@link PlanZone}. */
export const PlanZoneSchema = declare<PlanZone>()(
  strict(
    { name: text('a zone name'), cidr: cidr(), range: AddressRangeSchema, reservations: list(strict({ cidr: cidr(), range: AddressRangeSchema }, 'a reservation { cidr, range }')) },
    'a zone { name, cidr, range, reservations }',
  ),
);

/**
 * What {@link planCapacity} weighs: the subnets pods take addresses from, one per zone, against
 * the kinds of node the limits allow and the cluster's own pods.
 */
export interface CapacityPlanInput extends IpamOptions {
  /** One entry per zone: the subnet pods take their addresses from there, with its prefix reservations. */
  readonly zones: readonly PlanZone[];
  /** The node kinds; the first is the system node group. */
  readonly shapes: readonly NodeShape[];
  /** Pods the cluster runs itself (CoreDNS, controllers, per-node agents off the host network). */
  readonly systemPods: number;
  /** The warm pool's overflow. @default 0 */
  readonly overflow?: number;
  /** The pods take their addresses from dedicated pod subnets (else the node subnets). */
  readonly podSubnets: boolean;
}
/** The declaration of {@link CapacityPlanInput}. */
export const CapacityPlanInputSchema = declare<CapacityPlanInput>()(
  strict(
    { ...ipamEntries, zones: list(PlanZoneSchema), shapes: list(NodeShapeSchema, { min: 1 }), systemPods: int(0, Number.MAX_SAFE_INTEGER), overflow: optional(int(0, Number.MAX_SAFE_INTEGER)), podSubnets: bool() },
    'capacity plan input { prefixDelegation, zones, shapes, systemPods, podSubnets, ... }',
  ),
);

/** What one zone's pod subnet offers, and how many nodes of the most demanding shape it can address. */
export interface ZoneCapacity extends SubnetSpace {
  /** The zone as the user knows it (`zone 1`, `euw1-az1`), from {@link PlanZone}. */
  readonly name: string;
  /** The subnet's CIDR. */
  readonly cidr: string;
  /** The CIDRs of the subnet's prefix reservations, in the order given (empty without reservations). */
  readonly reservations: readonly string[];
  /** The most nodes of the most demanding shape whose pods the zone can address. */
  readonly mostNodes: number;
  /** Their pods. */
  readonly mostPods: number;
}

/** A finding that fails the synth, and what it is about. */
export interface CapacityPlanError {
  /** `subnets`: they cannot address the system node group's first nodes; `maxPods`: those nodes cannot hold the cluster's own pods. */
  readonly subject: 'subnets' | 'maxPods';
  /** The finding in words, with the numbers: what the subnets or nodes hold against what the system node group needs. */
  readonly message: string;
}

/**
 * The IP capacity plan of a cluster ({@link planCapacity}): what each zone's subnet addresses
 * against what the node limits allow, with warnings for limits the subnets cannot hold and errors
 * for a system node group that cannot start. {@link formatCapacityPlan} prints it.
 */
export interface CapacityPlan {
  /** Whether the plan counts /28 prefixes (prefix delegation on) or single addresses. */
  readonly prefixDelegation: boolean;
  /** Whether pods take their addresses from dedicated pod subnets, or share the node subnets. */
  readonly podSubnets: boolean;
  /** One entry per zone, in the order of the input. */
  readonly zones: readonly ZoneCapacity[];
  /** The node kinds and the most of each. */
  readonly shapes: readonly NodeShape[];
  /** The most nodes the limits allow, and per zone when they spread evenly. */
  readonly demand: { readonly nodes: number; readonly perZone: number };
  /** Per node of the most demanding shape. */
  readonly perNode: NodeAddressDemand & { readonly pods: number };
  /**
   * With prefix delegation: pods a node holds once it has fallen back to single addresses
   * (cilium #46644: a prefix ENI that finds no free /28 is created with /32s, and the node stays so).
   * @default - absent: without prefix delegation
   */
  readonly fallbackPodsPerNode?: number;
  /** Pods the cluster runs itself, as given: the system node group's first nodes must hold them. */
  readonly systemPods: number;
  /** Limits the subnets cannot hold, with the numbers. */
  readonly warnings: readonly string[];
  /** What keeps even the system node group from running its pods: too few addresses in the subnets, or too small a maxPods. */
  readonly errors: readonly CapacityPlanError[];
}

/** `count` and the noun, singular or plural. */
function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** What one node takes, in words: `7 /28 prefixes and 1 single address`. */
function demandText(d: NodeAddressDemand): string {
  return `${d.prefixes > 0 ? `${plural(d.prefixes, '/28 prefix', '/28 prefixes')} and ` : ''}${plural(d.singles, 'single address', 'single addresses')}`;
}

/** The most demanding shape: the one whose node takes the most of a zone. */
function heaviest(shapes: readonly NodeShape[], o: AddressDemandOptions): NodeShape {
  const weight = (s: NodeShape): number => {
    const d = nodeAddressDemand(s, o);
    return d.prefixes * IPV4_PREFIX_ADDRESSES + d.singles;
  };
  return shapes.reduce((a, b) => (weight(b) > weight(a) ? b : a));
}

/**
 * Nodes of a given per-node demand a zone can address. With prefix delegation and reservations,
 * prefixes come from the reserved blocks (AWS assigns automatically assigned prefixes from them:
 * EKS best-practices guide) and single addresses from the rest. Without reservations the worst
 * case counts: every single address may land in a different free /28 and spoil it (the
 * fragmentation of cilium #38499 and #46644). Without prefix delegation only single addresses count.
 */
export function nodesThatFit(space: SubnetSpace, d: NodeAddressDemand, hasReservations: boolean): number {
  if (d.prefixes === 0) return d.singles === 0 ? Infinity : Math.floor(space.unreservedAddresses / d.singles);
  if (hasReservations) return Math.min(Math.floor(space.reservedBlocks / d.prefixes), d.singles === 0 ? Infinity : Math.floor(space.unreservedAddresses / d.singles));
  return Math.floor(space.freeBlocks / (d.prefixes + d.singles));
}

/** The capacity plan: what each zone holds against what the limits allow. Pure; the cluster turns its findings into annotations. */
export function planCapacity(input: CapacityPlanInput): CapacityPlan {
  parse(CapacityPlanInputSchema, input, 'planCapacity(input)');
  const o: AddressDemandOptions = { prefixDelegation: input.prefixDelegation, firstInterfaceIndex: input.firstInterfaceIndex, overflow: input.overflow };
  const shape = heaviest(input.shapes, o);
  const perNode = nodeAddressDemand(shape, o);
  const zones: ZoneCapacity[] = input.zones.map((z) => {
    const space = subnetSpace(z.range, z.reservations.map((r) => r.range));
    const mostNodes = nodesThatFit(space, perNode, z.reservations.length > 0);
    return { name: z.name, cidr: z.cidr, reservations: z.reservations.map((r) => r.cidr), ...space, mostNodes, mostPods: mostNodes * shape.podsPerNode };
  });
  const totalNodes = input.shapes.reduce((n, s) => n + s.maxNodes, 0);
  const perZone = Math.ceil(totalNodes / Math.max(1, zones.length));
  const fallbackPodsPerNode = input.prefixDelegation
    ? Math.min(...input.shapes.map((s) => Math.min(s.podsPerNode, podsAddressable(s.eniLimits, { prefixDelegation: false, firstInterfaceIndex: input.firstInterfaceIndex }))))
    : undefined;

  const warnings: string[] = [];
  const sources = input.shapes.map((s) => `${s.name}: ${s.maxNodes} from ${s.maxNodesFrom}`).join('; ');
  const where = input.podSubnets ? 'pod subnet' : 'node subnet (pods share it)';
  for (const z of zones) {
    if (z.mostNodes >= perZone) continue;
    const room = input.prefixDelegation
      ? z.reservations.length > 0
        ? `${z.reservedBlocks} reserved /28 blocks, ${z.unreservedAddresses} unreserved addresses`
        : `${z.freeBlocks} free /28 blocks, counting one spoiled by each single address`
      : `${z.unreservedAddresses} addresses`;
    warnings.push(
      `${z.name} ${where} ${z.cidr}: room for ${plural(z.mostNodes, 'node')} of ${shape.podsPerNode} pods (${room}; ` +
        `${demandText(perNode)} per node), ` +
        `but the node limits allow ${totalNodes} nodes, ${perZone} per zone (${sources}). ` +
        (fallbackPodsPerNode !== undefined && fallbackPodsPerNode < shape.podsPerNode
          ? `Past that, nodes fall back to single addresses and hold ${fallbackPodsPerNode} pods, not ${shape.podsPerNode} (cilium #46644). `
          : '') +
        'Give pods a larger range (podSubnets.cidr), lower the limits, or lower maxPods (docs/configuration.md#pod-subnets-and-the-capacity-plan).',
    );
  }

  const errors: CapacityPlanError[] = [];
  const system = input.shapes[0];
  if (system) {
    const systemDemand = nodeAddressDemand(system, o);
    const fit = zones.reduce((n, z) => n + nodesThatFit(z, systemDemand, z.reservations.length > 0), 0);
    const initial = system.initialNodes ?? system.maxNodes;
    if (fit < initial) {
      errors.push({
        subject: 'subnets',
        message:
          `the ${where}s (${zones.map((z) => z.cidr).join(', ')}) address ${plural(fit, 'node')} of ${system.podsPerNode} pods; the ${system.name} starts with ${initial}` +
          ` (each needs ${demandText(systemDemand)})`,
      });
    } else if (system.podsPerNode * initial < input.systemPods) {
      errors.push({ subject: 'maxPods', message: `the ${system.name}'s ${plural(initial, 'node')} x maxPods ${system.podsPerNode} hold ${system.podsPerNode * initial} pods; the cluster runs ${input.systemPods} of its own` });
    }
  }
  return {
    prefixDelegation: input.prefixDelegation,
    podSubnets: input.podSubnets,
    zones,
    shapes: input.shapes,
    demand: { nodes: totalNodes, perZone },
    perNode: { ...perNode, pods: shape.podsPerNode },
    ...(fallbackPodsPerNode !== undefined ? { fallbackPodsPerNode } : {}),
    systemPods: input.systemPods,
    warnings,
    errors,
  };
}

/** The plan as the synth summary and the example print it: one line per zone, then the per-node figures and the limits. */
export function formatCapacityPlan(plan: CapacityPlan): string[] {
  const n = plural;
  const lines = [
    `IP capacity (${plan.podSubnets ? 'pod subnets' : 'pods in the node subnets'}, prefix delegation ${plan.prefixDelegation ? 'on' : 'off'}):`,
  ];
  for (const z of plan.zones) {
    const span = z.reservations.length === 1 ? z.reservations[0] : `${z.reservations[0]} to ${z.reservations[z.reservations.length - 1]}`;
    const reserved = z.reservations.length > 0 ? `, ${n(z.reservedBlocks, '/28 block')} reserved (${span}, ${n(z.reservations.length, 'reservation')})` : '';
    const blocks = plan.prefixDelegation ? `, ${n(z.freeBlocks, 'free /28 block')} outside reservations` : '';
    lines.push(`  ${z.name} ${z.cidr}: ${z.addresses} addresses${reserved}${blocks}, ${z.unreservedAddresses} unreserved; at most ${n(z.mostNodes, 'node')}, ${n(z.mostPods, 'pod')}`);
  }
  const p = plan.perNode;
  lines.push(
    `  per node: ${n(p.pods, 'pod')} = ${demandText(p).replace(' and ', ' + ')} (${n(p.podEnis, 'pod ENI')})` +
      (plan.fallbackPodsPerNode !== undefined ? `; ${plan.fallbackPodsPerNode} pods after a fallback to single addresses (cilium #46644)` : ''),
  );
  lines.push(`  limits: ${n(plan.demand.nodes, 'node')} (${plan.shapes.map((s) => `${s.name} ${s.maxNodes}: ${s.maxNodesFrom}`).join('; ')}), ${plan.demand.perZone} per zone; ${n(plan.systemPods, 'system pod')}`);
  return lines;
}

// ---------------------------------------------------------------------------------------------
// Node counts of Karpenter pools and the cluster's own pods
// ---------------------------------------------------------------------------------------------

/**
 * The smallest node a Karpenter pool can launch, for bounding its node count by its `limits`:
 * with prefix delegation the pools exclude sizes below `large` (`prefixDelegationExcludedSizes`), and every EC2
 * `large` has 2 vCPUs and, on Nitro, at least 4 GiB (c5.large, c6g.large); without it the
 * smallest sizes count (`nano`: 2 vCPUs and 0.5 GiB; `medium` Graviton: 1 vCPU). From the
 * EC2 instance type specifications; not checked type by type.
 */
export const SMALLEST_POOL_NODE = Object.freeze({
  prefixDelegation: { vcpu: 2, memoryGiB: 4 },
  singleAddresses: { vcpu: 1, memoryGiB: 0.5 },
});

const QUANTITY = /^(\d+(?:\.\d+)?)(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/;
const UNIT: Readonly<Record<string, number>> = { '': 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };

/** A Kubernetes quantity as a number (`1000`, `'500m'` -> 0.5, `'1000Gi'` -> bytes), or undefined when it is not one this reads. */
export function parseQuantity(q: number | string | undefined): number | undefined {
  if (typeof q === 'number') return q;
  const m = typeof q === 'string' ? QUANTITY.exec(q) : null;
  return m ? Number(m[1]) * UNIT[m[2] ?? ''] : undefined;
}

/** The most nodes a NodePool's `limits` allow: `nodes`, or the smallest node's share of `cpu` and `memory`. */
export function poolNodeBound(limits: { cpu?: number | string; memory?: number | string; nodes?: number | string }, prefixDelegation: boolean): { nodes: number; from: string } | undefined {
  const nodes = parseQuantity(limits.nodes);
  if (nodes !== undefined) return { nodes: Math.floor(nodes), from: `limits.nodes ${limits.nodes}` };
  const small = prefixDelegation ? SMALLEST_POOL_NODE.prefixDelegation : SMALLEST_POOL_NODE.singleAddresses;
  const bounds: { nodes: number; from: string }[] = [];
  const cpu = parseQuantity(limits.cpu);
  if (cpu !== undefined) bounds.push({ nodes: Math.floor(cpu / small.vcpu), from: `limits.cpu ${limits.cpu} / ${small.vcpu} vCPU` });
  const memory = parseQuantity(limits.memory);
  if (memory !== undefined) bounds.push({ nodes: Math.floor(memory / (small.memoryGiB * 2 ** 30)), from: `limits.memory ${limits.memory} / ${small.memoryGiB} GiB` });
  if (bounds.length === 0) return undefined;
  return bounds.reduce((a, b) => (b.nodes < a.nodes ? b : a));
}

/** What the cluster runs besides the workloads, for {@link systemPodCount}. */
export interface SystemPodsInput {
  /** Nodes of the system node group at the first apply. */
  readonly nodes: number;
  readonly hubbleRelay: boolean;
  readonly hubbleUi: boolean;
  readonly karpenter: boolean;
  readonly tetragon: boolean;
  readonly logShipper: boolean;
  /** clustermesh-apiserver replicas (0 outside a mesh). */
  readonly clusterMeshApiServers: number;
  /** The AWS Load Balancer Controller's 2 replicas (every cluster of a fleet runs it). @default false */
  readonly loadBalancerController?: boolean;
}

/**
 * Pods of the cluster's own that take a pod address (host-network pods take none: the Cilium
 * agent and operator, the Pod Identity agent, Tetragon's agent): CoreDNS 2 (the EKS add-on's
 * replicas), Hubble Relay 1 and UI 1, the Karpenter controller 2 (its chart's `replicas`), the
 * Tetragon operator 1 (its chart's `tetragonOperator.replicas`), the clustermesh-apiservers, the
 * AWS Load Balancer Controller 2 (the fleet's `replicaCount`), and one log shipper per node
 * (aws-for-fluent-bit `hostNetwork: false`).
 */
export function systemPodCount(s: SystemPodsInput): number {
  return 2 + (s.hubbleRelay ? 1 : 0) + (s.hubbleUi ? 1 : 0) + (s.karpenter ? 2 : 0) + (s.tetragon ? 1 : 0) + s.clusterMeshApiServers + (s.loadBalancerController ? 2 : 0) + (s.logShipper ? s.nodes : 0);
}
