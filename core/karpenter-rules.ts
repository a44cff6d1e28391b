/**
 * Karpenter's rules for NodePool requirements and labels, as the NodePool CRD of Karpenter 1.14.1
 * (`shared/upstream/karpenter/1.14.1/karpenter.sh_nodepools.yaml`) states them in its schema and
 * its `x-kubernetes-validations`; the tests compare these lists with that file. Pure.
 *
 * - operators: `In, NotIn, Exists, DoesNotExist, Gt, Lt, Gte, Lte`;
 * - `In` needs at least one value; `Gt`, `Lt`, `Gte`, `Lte` exactly one, a non-negative integer;
 *   `Exists` and `DoesNotExist` none (the field's description); `NotIn` at least one (the same
 *   description: "If the operator is In or NotIn, the values array must be non-empty");
 * - `minValues` 1 to 50, and with `In` at most the number of values;
 * - a value at most 63 characters of a label value;
 * - restricted label keys (requirements and template labels): the `karpenter.sh` domain except
 *   `karpenter.sh/capacity-type` (and `karpenter.sh/nodepool`, refused by its own rule),
 *   `kubernetes.io/hostname`, and the `karpenter.k8s.aws` domain except the well-known labels below.
 */

/** Operators of a NodePool requirement (the CRD enum). */
export const KARPENTER_REQUIREMENT_OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt', 'Gte', 'Lte'] as const;

/** `karpenter.k8s.aws/*` labels a NodePool may name (the CRD's allowed list). */
export const KARPENTER_AWS_WELL_KNOWN_LABELS: readonly string[] = Object.freeze([
  'karpenter.k8s.aws/instance-tenancy',
  'karpenter.k8s.aws/capacity-reservation-type',
  'karpenter.k8s.aws/capacity-reservation-id',
  'karpenter.k8s.aws/capacity-reservation-interruptible',
  'karpenter.k8s.aws/ec2nodeclass',
  'karpenter.k8s.aws/instance-encryption-in-transit-supported',
  'karpenter.k8s.aws/instance-category',
  'karpenter.k8s.aws/instance-hypervisor',
  'karpenter.k8s.aws/instance-family',
  'karpenter.k8s.aws/instance-generation',
  'karpenter.k8s.aws/instance-local-nvme',
  'karpenter.k8s.aws/instance-size',
  'karpenter.k8s.aws/instance-cpu',
  'karpenter.k8s.aws/instance-cpu-manufacturer',
  'karpenter.k8s.aws/instance-cpu-sustained-clock-speed-mhz',
  'karpenter.k8s.aws/instance-memory',
  'karpenter.k8s.aws/instance-ebs-bandwidth',
  'karpenter.k8s.aws/instance-network-bandwidth',
  'karpenter.k8s.aws/instance-gpu-name',
  'karpenter.k8s.aws/instance-gpu-manufacturer',
  'karpenter.k8s.aws/instance-gpu-count',
  'karpenter.k8s.aws/instance-gpu-memory',
  'karpenter.k8s.aws/instance-accelerator-name',
  'karpenter.k8s.aws/instance-accelerator-manufacturer',
  'karpenter.k8s.aws/instance-accelerator-count',
  'karpenter.k8s.aws/instance-capability-flex',
  'karpenter.k8s.aws/placement-group-id',
  'karpenter.k8s.aws/placement-group-partition',
]);

/** Why Karpenter refuses `key` in a requirement or a template label, or undefined when it takes it. */
export function restrictedLabelProblem(key: string, where: 'requirement' | 'label'): string | undefined {
  const domain = key.includes('/') ? key.slice(0, key.indexOf('/')) : '';
  if (key === 'karpenter.sh/nodepool') return 'label "karpenter.sh/nodepool" is restricted (Karpenter sets it)';
  if (key === 'kubernetes.io/hostname') return 'label "kubernetes.io/hostname" is restricted';
  if (domain.endsWith('karpenter.sh') && key !== 'karpenter.sh/capacity-type') return 'label domain "karpenter.sh" is restricted';
  if (domain.endsWith('karpenter.k8s.aws') && !KARPENTER_AWS_WELL_KNOWN_LABELS.includes(key)) {
    return `label domain "karpenter.k8s.aws" is restricted to its well-known labels${where === 'requirement' ? ' (instance-family, instance-size, instance-gpu-count, ...)' : ''}`;
  }
  return undefined;
}

/** A requirement as the user writes it. */
export interface RequirementInput {
  readonly operator: string;
  readonly values?: readonly string[];
  readonly minValues?: number;
}

/** Why the CRD refuses the requirement's `values` or `minValues`, with the field, or undefined. */
export function requirementProblem(r: RequirementInput): { field: 'values' | 'minValues'; allowed: string } | undefined {
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In':
    case 'NotIn':
      if (values.length === 0) return { field: 'values', allowed: `at least one value with ${r.operator}` };
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (values.length > 0) return { field: 'values', allowed: `no values with ${r.operator}` };
      break;
    default:
      if (values.length !== 1 || !/^\d+$/.test(values[0])) return { field: 'values', allowed: `exactly one value, a non-negative integer, with ${r.operator}` };
  }
  if (r.minValues !== undefined && r.operator === 'In' && values.length < r.minValues) {
    return { field: 'minValues', allowed: `at most the number of values (${values.length})` };
  }
  return undefined;
}
