/**
 * The cluster's side of the capacity plan (`planCapacity`): the node kinds read from
 * what the cluster built (the system node group, and Karpenter's NodePools and EC2NodeClasses as
 * their manifests hold them), and the warnings added at synth, once every NodePool is known.
 */
import { IConstruct } from 'constructs';
import { EniLimits, eniLimitsOf } from '../core/instance-types';
import { KubernetesManifest } from '../core/k8s';
import { Annotations, IAspect } from './cdktf';
import {
  addressablePods,
  CapacityPlan,
  FirstInterfaceIndex,
  NodeShape,
  poolNodeBound,
} from '../bpf/ipam';

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
    podsPerNode: g.maxPods ?? addressablePods(eniLimits, ipam),
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
      const formula = addressablePods(eniLimits, ipam);
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
