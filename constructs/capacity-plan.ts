/**
 * The cluster's side of the capacity plan (`planCapacity`): the node kinds read from
 * what the cluster built (the system node group, and Karpenter's NodePools and EC2NodeClasses as
 * their manifests hold them), and the warnings added at synth, once every NodePool is known.
 */
import { Construct, IConstruct } from 'constructs';
import { formatCidr, parseCidr } from '../core/cidr';
import { ValidationError } from '../core/errors';
import { EniLimits, eniLimitsOf } from '../core/instance-types';
import { KubernetesManifest } from '../core/k8s';
import { withPropertyPrefix } from '../core/props';
import { Annotations, IAspect } from './cdktf';
import {
  podsAddressable,
  CapacityPlan,
  FirstInterfaceIndex,
  NodeShape,
  planCapacity,
  PlanZone,
  poolNodeBound,
  PREFIX_DELEGATION_DEFAULT_MAX_PODS,
  systemPodCount,
} from '../bpf/ipam';
import { rangeOf, resolvePodSubnets } from '../bpf/pod-subnets';
import { assertChartFeature, assertCiliumChartVersion, DEFAULT_CILIUM_CHART_VERSION } from '../bpf/versions';
import type { ResolvedCiliumValuesOptions } from '../bpf/cilium-values';
import type { PodSubnetsOptions } from '../bpf/pod-subnets';
import type { Karpenter } from './karpenter/karpenter';
import type { SystemNodeGroup } from './system-node-group';
import { DEFAULT_SERVICE_IPV4_CIDR } from './eks-control-plane';
import { CiliumEksNetwork, INetwork } from './network';
import { CiliumEksPodSubnets } from './pod-subnets';
import { systemNodeMaxPods } from './system-node-group';

/**
 * ENI limits assumed for a node whose instance type the project's ENI table does not know: a Nitro
 * `large`, 3 ENIs x 10 IPv4 (m5.large, c6g.large; the EC2 ENI table), the smallest size a pool
 * with prefix delegation launches (`prefixDelegationExcludedSizes`) and a common one without it.
 */
export const ASSUMED_ENI_LIMITS: EniLimits = Object.freeze({ maxEnis: 3, ipv4PerEni: 10 });

/** The instance type of `types` with the fewest addresses per ENI (then the fewest ENIs); undefined when the table knows none. */
export function leanestEniLimits(types: readonly string[], extra?: Readonly<Record<string, EniLimits>>): EniLimits | undefined {
  const known = types.map((t) => extra?.[t] ?? eniLimitsOf(t)).filter((l): l is EniLimits => l !== undefined);
  if (known.length === 0) return undefined;
  return known.reduce((a, b) => (b.ipv4PerEni < a.ipv4PerEni || (b.ipv4PerEni === a.ipv4PerEni && b.maxEnis < a.maxEnis) ? b : a));
}

/** The system node group as a node kind of the plan. */
export function systemNodeShape(g: { instanceTypes: readonly string[]; maxPods?: number; sizes: { desiredSize: number; maxSize: number } }, ipam: { prefixDelegation: boolean; firstInterfaceIndex: FirstInterfaceIndex }): NodeShape {
  const eniLimits = leanestEniLimits(g.instanceTypes) ?? ASSUMED_ENI_LIMITS;
  return {
    name: 'system node group',
    maxNodes: g.sizes.maxSize,
    maxNodesFrom: `maxSize ${g.sizes.maxSize}`,
    podsPerNode: g.maxPods ?? podsAddressable(eniLimits, ipam),
    eniLimits,
    initialNodes: g.sizes.desiredSize,
  };
}

interface PoolSpec {
  readonly nodeClassRef?: { readonly name?: string };
  readonly requirements?: readonly { readonly key: string; readonly operator: string; readonly values?: readonly string[] }[];
}

/**
 * Karpenter's NodePools as node kinds: the most nodes their `limits` allow
 * (`poolNodeBound`), the maxPods of their EC2NodeClass (where Karpenter computes it per type, the
 * ENI formula of the leanest listed type, or of {@link ASSUMED_ENI_LIMITS}), and the leanest ENI
 * limits of the types they list.
 */
export function karpenterPoolShapes(manifests: readonly KubernetesManifest[], ipam: { prefixDelegation: boolean; firstInterfaceIndex: FirstInterfaceIndex }): NodeShape[] {
  const classMaxPods = new Map<string, number | undefined>();
  for (const m of manifests.filter((x) => x.kind === 'EC2NodeClass')) {
    const kubelet = (m.spec as { kubelet?: { maxPods?: number } } | undefined)?.kubelet;
    classMaxPods.set(m.metadata.name, kubelet?.maxPods);
  }
  return manifests
    .filter((m) => m.kind === 'NodePool')
    .flatMap((m): NodeShape[] => {
      const spec = m.spec as { limits?: Record<string, number | string>; template?: { spec?: PoolSpec } } | undefined;
      const bound = poolNodeBound(spec?.limits ?? {}, ipam.prefixDelegation);
      if (!bound) return [];
      const pool = spec?.template?.spec;
      const types = pool?.requirements?.find((r) => r.key === 'node.kubernetes.io/instance-type' && r.operator === 'In')?.values ?? [];
      const eniLimits = leanestEniLimits(types) ?? ASSUMED_ENI_LIMITS;
      const maxPods = classMaxPods.get(pool?.nodeClassRef?.name ?? 'default');
      const formula = podsAddressable(eniLimits, ipam);
      return [
        {
          name: `NodePool "${m.metadata.name}"${maxPods === undefined ? ` (maxPods ${formula} from the ENI formula)` : ''}`,
          maxNodes: bound.nodes,
          maxNodesFrom: bound.from,
          podsPerNode: Math.min(maxPods ?? formula, formula),
          eniLimits,
        },
      ];
    });
}

/**
 * Adds the plan's warnings to the cluster at synth (after every NodePool has been added). The
 * plan's errors are thrown by the cluster's constructor: they concern only the system node group.
 */
export class CapacityPlanWarnings implements IAspect {
  private done = false;
  constructor(
    private readonly cluster: IConstruct,
    private readonly plan: () => CapacityPlan | undefined,
  ) {}

  public visit(node: IConstruct): void {
    if (node !== this.cluster || this.done) return;
    this.done = true;
    for (const warning of this.plan()?.warnings ?? []) Annotations.of(this.cluster).addWarning(`IP capacity: ${warning}`);
  }
}

// ---------------------------------------------------------------------------------------------
// The cluster's hooks
// ---------------------------------------------------------------------------------------------

/** What the hooks read of the cluster's props (a `CiliumEksClusterProps` is one). */
export interface IpamLayoutProps {
  readonly clusterName: string;
  readonly serviceIpv4Cidr?: string;
  readonly podSubnets?: PodSubnetsOptions;
  readonly cilium?: { readonly prefixDelegation?: boolean; readonly chartVersion?: string };
  readonly systemNodeGroup?: { readonly maxPods?: number; readonly amiType?: string; readonly instanceTypes?: string[] };
  readonly karpenter?: { readonly maxPods?: number } | false;
}

/** What the plan reads of a built cluster (a `CiliumEksCluster` is one). */
export interface CapacityPlanCluster {
  readonly cilium: { readonly options: ResolvedCiliumValuesOptions };
  readonly systemNodes: SystemNodeGroup;
  readonly karpenter?: Karpenter;
  readonly tetragon?: unknown;
  readonly logShipping?: unknown;
}

/** What the cluster decides about pod addresses before anything else is built. */
export interface ClusterIpamLayout {
  readonly prefixDelegation: boolean;
  /** 1 with pod subnets (eth0 stays the node's), else 0. */
  readonly firstInterfaceIndex: FirstInterfaceIndex;
  /** The pod subnets, with `podSubnets`. */
  readonly podSubnets?: CiliumEksPodSubnets;
  /** The largest kubelet maxPods of the cluster's nodes (the warm pool's cap), undefined when any is per instance type. */
  readonly nodeMaxPods?: number;
  /** The subnets the plan counts, when their CIDRs are known at synth. */
  readonly zones?: readonly PlanZone[];
}

/**
 * Step 1b of the cluster: the pod subnets (checked, laid out and built), the first pod ENI index
 * and maxPods that follow from them, and the zones of the capacity plan: the pod subnets, or the
 * node subnets of a new VPC (an existing VPC's are unknown at synth).
 */
export function clusterIpamLayout(scope: Construct, props: IpamLayoutProps, network: INetwork, tags: Record<string, string> | undefined): ClusterIpamLayout {
  const cilium = props.cilium ?? {};
  const prefixDelegation = cilium.prefixDelegation ?? true;
  const firstInterfaceIndex: FirstInterfaceIndex = props.podSubnets !== undefined ? 1 : 0;
  const ipam = { prefixDelegation, firstInterfaceIndex };
  const systemMaxPods = withPropertyPrefix('systemNodeGroup', () => systemNodeMaxPods({ ...ipam, ...props.systemNodeGroup }));
  const karpenterMaxPods = props.karpenter === false ? systemMaxPods : (props.karpenter?.maxPods ?? (prefixDelegation ? PREFIX_DELEGATION_DEFAULT_MAX_PODS : undefined));
  const nodeMaxPods = systemMaxPods === undefined || karpenterMaxPods === undefined ? undefined : Math.max(systemMaxPods, karpenterMaxPods);
  const newVpc = network instanceof CiliumEksNetwork ? network : undefined;
  if (props.podSubnets === undefined) {
    const zones = newVpc?.privateSubnets.map((subnet, i) => {
      const cidr = subnet.cidrBlockInput as string;
      return { name: `zone ${i + 1}`, cidr, range: rangeOf(parseCidr(cidr, `network private subnet ${i}`)), reservations: [] };
    });
    return { ...ipam, nodeMaxPods, ...(zones ? { zones } : {}) };
  }
  // eni.nodeSpec is a Helm value from chart 1.19 (1.18 takes it only in a hand-written CNI configuration).
  assertChartFeature(assertCiliumChartVersion(cilium.chartVersion ?? DEFAULT_CILIUM_CHART_VERSION, 'cilium.chartVersion'), 'eniNodeSpec', 'podSubnets', props.podSubnets);
  const layout = resolvePodSubnets(props.podSubnets, {
    nodeZoneCount: newVpc?.privateSubnets.length,
    vpcCidr: network.vpcCidr,
    serviceCidr: props.serviceIpv4Cidr ?? DEFAULT_SERVICE_IPV4_CIDR,
    existingNetwork: newVpc === undefined,
    prefixDelegation,
  });
  const podSubnets = new CiliumEksPodSubnets(scope, 'pod-subnets', {
    clusterName: props.clusterName,
    vpcId: network.vpcId,
    layout,
    zones: newVpc?.privateSubnets.map((subnet, i) => ({ availabilityZoneId: subnet.availabilityZoneId, routeTableId: newVpc.privateRouteTableIds[i] })),
    nodeSubnetIds: newVpc ? undefined : network.privateSubnetIds,
    tags,
  });
  const zones = layout.subnets.map((z) => ({
    name: z.zoneLabel,
    cidr: formatCidr(z.cidr),
    range: rangeOf(z.cidr),
    reservations: z.reservations.map((r) => ({ cidr: formatCidr(r), range: rangeOf(r) })),
  }));
  return { ...ipam, podSubnets, nodeMaxPods, zones };
}

/** The cluster's own pods (`systemPodCount`), from what it built. */
export function clusterSystemPods(c: CapacityPlanCluster, mesh: { apiServerReplicas?: number } | undefined): number {
  const o = c.cilium.options;
  return systemPodCount({
    nodes: c.systemNodes.sizes.desiredSize,
    hubbleRelay: o.hubble.relay,
    hubbleUi: o.hubble.ui,
    karpenter: c.karpenter !== undefined,
    tetragon: c.tetragon !== undefined,
    logShipper: c.logShipping !== undefined,
    clusterMeshApiServers: mesh ? (mesh.apiServerReplicas ?? 2) : 0,
    // A fleet installs the controller in every meshed cluster (counted for any mesh: on the safe side).
    loadBalancerController: mesh !== undefined,
  });
}

/** The plan of a built cluster: its zones against the system node group and every NodePool so far. */
export function clusterCapacityPlan(c: CapacityPlanCluster, layout: ClusterIpamLayout, systemPods: number): CapacityPlan | undefined {
  if (!layout.zones) return undefined;
  const o = c.cilium.options;
  const ipam = { prefixDelegation: o.prefixDelegation, firstInterfaceIndex: layout.firstInterfaceIndex };
  return planCapacity({
    ...ipam,
    zones: layout.zones,
    podSubnets: layout.podSubnets !== undefined,
    overflow: o.warmPool.overflow,
    systemPods,
    shapes: [systemNodeShape(c.systemNodes, ipam), ...(c.karpenter ? karpenterPoolShapes(c.karpenter.nodeResources.manifests, ipam) : [])],
  });
}

/** Throws the plan's first error as a {@link ValidationError} naming the property to change. */
export function assertSystemNodesFit(plan: CapacityPlan | undefined, props: IpamLayoutProps, systemMaxPods: number | undefined): void {
  const error = plan?.errors[0];
  if (!plan || !error) return;
  const maxPods = error.subject === 'maxPods';
  const property = maxPods ? 'systemNodeGroup.maxPods' : props.podSubnets ? (props.podSubnets.subnets ? 'podSubnets.subnets' : 'podSubnets.cidr') : 'network.vpcCidr';
  const value = maxPods ? systemMaxPods : plan.zones.map((z) => z.cidr).join(', ');
  throw new ValidationError(property, value, "a shape whose system node group can run the cluster's own pods", error.message);
}
