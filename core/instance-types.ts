import { declare, int, strict } from './schema';
/**
 * ENI limits of the EC2 instance types the project offers by default, used to prove at synth that
 * kubelet `maxPods` never exceeds what Cilium's ENI IPAM can address on a node.
 *
 * Source: the "Elastic network interfaces" table of the Amazon EC2 User Guide (maximum network
 * interfaces, IPv4 addresses per interface). Only Nitro types are listed: prefix delegation needs
 * Nitro. A type that is not listed is not judged; pass its limits to the functions that take them.
 */
export interface EniLimits {
  /** Maximum number of network interfaces. */
  readonly maxEnis: number;
  /** Maximum IPv4 addresses per interface, the primary address included. */
  readonly ipv4PerEni: number;
}
/** The declaration of {@link EniLimits}. */
export const EniLimitsSchema = declare<EniLimits>()(
  strict({ maxEnis: int(1, 1024, 'a number of network interfaces from 1 to 1024'), ipv4PerEni: int(1, 1024, 'a number of IPv4 addresses per interface from 1 to 1024') }, 'ENI limits { maxEnis, ipv4PerEni }'),
);

const SIZES: Record<string, EniLimits> = {
  large: { maxEnis: 3, ipv4PerEni: 10 },
  xlarge: { maxEnis: 4, ipv4PerEni: 15 },
  '2xlarge': { maxEnis: 4, ipv4PerEni: 15 },
  '4xlarge': { maxEnis: 8, ipv4PerEni: 30 },
  '8xlarge': { maxEnis: 8, ipv4PerEni: 30 },
};

const GENERAL_FAMILIES = ['m5', 'm6i', 'm6a', 'm7i', 'm7a', 'm6g', 'm7g', 'c5', 'c6i', 'c6a', 'c7i', 'c6g', 'c7g', 'r6i', 'r7i', 'r6g', 'r7g'];

export const INSTANCE_ENI_LIMITS: Readonly<Record<string, EniLimits>> = Object.freeze({
  ...Object.fromEntries(
    GENERAL_FAMILIES.flatMap((family) => Object.entries(SIZES).map(([size, limits]) => [`${family}.${size}`, limits])),
  ),
  't3.medium': { maxEnis: 3, ipv4PerEni: 6 },
  't3.large': { maxEnis: 3, ipv4PerEni: 12 },
  't3.xlarge': { maxEnis: 4, ipv4PerEni: 15 },
  't3.2xlarge': { maxEnis: 4, ipv4PerEni: 15 },
  't4g.medium': { maxEnis: 3, ipv4PerEni: 6 },
  't4g.large': { maxEnis: 3, ipv4PerEni: 12 },
  't4g.xlarge': { maxEnis: 4, ipv4PerEni: 15 },
  't4g.2xlarge': { maxEnis: 4, ipv4PerEni: 15 },
});

/** ENI limits of an instance type, or undefined when the table does not know it. */
export function eniLimitsOf(instanceType: string): EniLimits | undefined {
  return INSTANCE_ENI_LIMITS[instanceType];
}

// ---------------------------------------------------------------------------------------------
// Which instance types exist, their architecture and whether they are Nitro
// ---------------------------------------------------------------------------------------------

/**
 * Every EC2 instance type, by family, as listed in awslabs/amazon-eks-ami
 * `nodeadm/internal/kubelet/instance-info.jsonl` at commit 81fec2e89585 (2026-07-23), read on
 * 2026-11-28. That file is generated from EC2 DescribeInstanceTypes for every type nodeadm can
 * run on. Mac families are left out (EKS does not run on them). A type launched after that date
 * is refused by the system node group; in a Karpenter pool, list it with its `eniLimits` to use it.
 */
export const INSTANCE_TYPE_TABLE_SOURCE = 'awslabs/amazon-eks-ami nodeadm/internal/kubelet/instance-info.jsonl at 81fec2e89585 (2026-07-23), read 2026-11-28';

const FAMILY_SIZES: Readonly<Record<string, string>> = {
  'a1': '2xlarge 4xlarge large medium metal xlarge',
  'bmn-sf1': 'metal',
  'c1': 'medium xlarge',
  'c3': '2xlarge 4xlarge 8xlarge large xlarge',
  'c4': '2xlarge 4xlarge 8xlarge large xlarge',
  'c5': '12xlarge 18xlarge 24xlarge 2xlarge 4xlarge 9xlarge large metal xlarge',
  'c5a': '12xlarge 16xlarge 24xlarge 2xlarge 4xlarge 8xlarge large metal xlarge',
  'c5ad': '12xlarge 16xlarge 24xlarge 2xlarge 4xlarge 8xlarge large metal xlarge',
  'c5d': '12xlarge 18xlarge 24xlarge 2xlarge 4xlarge 9xlarge large metal xlarge',
  'c5n': '18xlarge 2xlarge 4xlarge 9xlarge large metal xlarge',
  'c6a': '12xlarge 16xlarge 24xlarge 2xlarge 32xlarge 48xlarge 4xlarge 8xlarge large metal xlarge',
  'c6g': '12xlarge 16xlarge 2xlarge 4xlarge 8xlarge large medium metal xlarge',
  'c6gd': '12xlarge 16xlarge 2xlarge 4xlarge 8xlarge large medium metal xlarge',
  'c6gn': '12xlarge 16xlarge 2xlarge 4xlarge 8xlarge large medium xlarge',
  'c6i': '12xlarge 16xlarge 24xlarge 2xlarge 32xlarge 4xlarge 8xlarge large metal xlarge',
  'c6id': '12xlarge 16xlarge 24xlarge 2xlarge 32xlarge 4xlarge 8xlarge large metal xlarge',
  'c6in': '12xlarge 16xlarge 24xlarge 2xlarge 32xlarge 4xlarge 8xlarge large metal xlarge',
  'c7a': '12xlarge 16xlarge 24xlarge 2xlarge 32xlarge 48xlarge 4xlarge 8xlarge large medium metal-48xl xlarge',
  'c7g': '12xlarge 16xlarge 2xlarge 4xlarge 8xlarge large medium metal xlarge',
  'c7gd': '12xlarge 16xlarge 2xlarge 4xlarge 8xlarge large medium metal xlarge',
  'c7gn': '12xlarge 16xlarge 2xlarge 4xlarge 8xlarge large medium metal xlarge',
  'c7i-flex': '12xlarge 16xlarge 2xlarge 4xlarge 8xlarge large xlarge',
  'c7i': '12xlarge 16xlarge 24xlarge 2xlarge 48xlarge 4xlarge 8xlarge large metal-24xl metal-48xl xlarge',
  'c8a': '12xlarge 16xlarge 24xlarge 2xlarge 48xlarge 4xlarge 8xlarge large medium metal-24xl metal-48xl xlarge',
  'c8g': '12xlarge 16xlarge 24xlarge 2xlarge 48xlarge 4xlarge 8xlarge large medium metal-24xl metal-48xl xlarge',
  'c8gb': '12xlarge 16xlarge 24xlarge 2xlarge 48xlarge 4xlarge 8xlarge large medium metal-24xl metal-48xl xlarge',
  'c8gd': '12xlarge 16xlarge 24xlarge 2xlarge 48xlarge 4xlarge 8xlarge large medium metal-24xl metal-48xl xlarge',
  'c8gn': '12xlarge 16xlarge 24xlarge 2xlarge 48xlarge 4xlarge 8xlarge large medium metal-24xl metal-48xl xlarge',
  'c8i-flex': '12xlarge 16xlarge 2xlarge 4xlarge 8xlarge large xlarge',
  'c8i': '12xlarge 16xlarge 24xlarge 2xlarge 32xlarge 48xlarge 4xlarge 8xlarge 96xlarge large metal-48xl metal-96xl xlarge',
  'c8ib': '12xlarge 16xlarge 24xlarge 2xlarge 32xlarge 48xlarge 4xlarge 8xlarge 96xlarge large metal-48xl metal-96xl xlarge',
  'c8id': '12xlarge 16xlarge 24xlarge 2xlarge 32xlarge 48xlarge 4xlarge 8xlarge 96xlarge large metal-48xl metal-96xl xlarge',
  'c8in': '12xlarge 16xlarge 24xlarge 2xlarge 32xlarge 48xlarge 4xlarge 8xlarge 96xlarge large metal-48xl metal-96xl xlarge',
  'c8ine': '12xlarge 2xlarge 4xlarge 8xlarge large xlarge',
  'c9g': '12xlarge 16xlarge 24xlarge 2xlarge 48xlarge 4xlarge 8xlarge large medium metal-48xl xlarge',
  'c9gd': '12xlarge 16xlarge 24xlarge 2xlarge 48xlarge 4xlarge 8xlarge large medium metal-48xl xlarge',
  'cr1': '8xlarge',
  'd2': '2xlarge 4xlarge 8xlarge xlarge',
  'd3': '2xlarge 4xlarge 8xlarge xlarge',
  'd3en': '12xlarge 2xlarge 4xlarge 6xlarge 8xlarge xlarge',
  'dl1': '24xlarge',
  'dl2q': '24xlarge',
  'f2': '12xlarge 48xlarge 6xlarge',
  'g4ad': '16xlarge 2xlarge 4xlarge 8xlarge xlarge',
  'g4dn': '12xlarge 16xlarge 2xlarge 4xlarge 8xlarge metal xlarge',
  'g5': '12xlarge 16xlarge 24xlarge 2xlarge 48xlarge 4xlarge 8xlarge xlarge',
  'g5g': '16xlarge 2xlarge 4xlarge 8xlarge metal xlarge',
  'g6': '12xlarge 16xlarge 24xlarge 2xlarge 48xlarge 4xlarge 8xlarge xlarge',
  'g6e': '12xlarge 16xlarge 24xlarge 2xlarge 48xlarge 4xlarge 8xlarge xlarge',
  'g6f': '2xlarge 4xlarge large xlarge',
  'g7': '12xlarge 24xlarge 2xlarge 48xlarge 4xlarge 8xlarge',
  'g7e': '12xlarge 24xlarge 2xlarge 48xlarge 4xlarge 8xlarge',
  'gr6': '4xlarge 8xlarge',
  'gr6f': '4xlarge',
  'h1': '16xlarge 2xlarge 4xlarge 8xlarge',
  'hpc6a': '48xlarge',
  'hpc6id': '32xlarge',
  'hpc7a': '12xlarge 24xlarge 48xlarge 96xlarge',
  'hpc7g': '16xlarge 4xlarge 8xlarge',
  'hpc8a': '96xlarge',
  'hs1': '8xlarge',
  'i2': '2xlarge 4xlarge 8xlarge xlarge',
  'i3': '16xlarge 2xlarge 4xlarge 8xlarge large xlarge',
  'i3en': '12xlarge 24xlarge 2xlarge 3xlarge 6xlarge large metal xlarge',
  'i4g': '16xlarge 2xlarge 4xlarge 8xlarge large xlarge',
  'i4i': '12xlarge 16xlarge 24xlarge 2xlarge 32xlarge 4xlarge 8xlarge large metal xlarge',
  'i7i': '12xlarge 16xlarge 24xlarge 2xlarge 48xlarge 4xlarge 8xlarge large metal-24xl metal-48xl xlarge',
  'i7ie': '12xlarge 18xlarge 24xlarge 2xlarge 3xlarge 48xlarge 6xlarge large metal-24xl metal-48xl xlarge',
  'i8g': '12xlarge 16xlarge 24xlarge 2xlarge 48xlarge 4xlarge 8xlarge large metal-24xl metal-48xl xlarge',
  'i8ge': '12xlarge 18xlarge 24xlarge 2xlarge 3xlarge 48xlarge 6xlarge large metal-24xl metal-48xl xlarge',
  'im4gn': '16xlarge 2xlarge 4xlarge 8xlarge large xlarge',
  'inf1': '24xlarge 2xlarge 6xlarge xlarge',
  'inf2': '24xlarge 48xlarge 8xlarge xlarge',
  'is4gen': '2xlarge 4xlarge 8xlarge large medium xlarge',
  'm1': 'large medium small xlarge',
  'm2': '2xlarge 4xlarge xlarge',
  'm3': '2xlarge large medium xlarge',
  'm4': '10xlarge 16xlarge 2xlarge 4xlarge large xlarge',
  'm5': '12xlarge 16xlarge 24xlarge 2xlarge 4xlarge 8xlarge large metal xlarge',
  'm5a': '12xlarge 16xlarge 24xlarge 2xlarge 4xlarge 8xlarge large xlarge',
  'm5ad': '12xlarge 16xlarge 24xlarge 2xlarge 4xlarge 8xlarge large xlarge',
  'm5d': '12xlarge 16xlarge 24xlarge 2xlarge 4xlarge 8xlarge large metal xlarge',
  'm5dn': '12xlarge 16xlarge 24xlarge 2xlarge 4xlarge 8xlarge large metal xlarge',
  'm5n': '12xlarge 16xlarge 24xlarge 2xlarge 4xlarge 8xlarge large metal xlarge',
  'm5zn': '12xlarge 2xlarge 3xlarge 6xlarge large metal xlarge',
  'm6a': '12xlarge 16xlarge 24xlarge 2xlarge 32xlarge 48xlarge 4xlarge 8xlarge large metal xlarge',
  'm6g': '12xlarge 16xlarge 2xlarge 4xlarge 8xlarge large medium metal xlarge',
  'm6gd': '12xlarge 16xlarge 2xlarge 4xlarge 8xlarge large medium metal xlarge',
  'm6i': '12xlarge 16xlarge 24xlarge 2xlarge 32xlarge 4xlarge 8xlarge large metal xlarge',
  'm6id': '12xlarge 16xlarge 24xlarge 2xlarge 32xlarge 4xlarge 8xlarge large metal xlarge',
  'm6idn': '12xlarge 16xlarge 24xlarge 2xlarge 32xlarge 4xlarge 8xlarge large metal xlarge',
  'm6in': '12xlarge 16xlarge 24xlarge 2xlarge 32xlarge 4xlarge 8xlarge large metal xlarge',
  'm7a': '12xlarge 16xlarge 24xlarge 2xlarge 32xlarge 48xlarge 4xlarge 8xlarge large medium metal-48xl xlarge',
  'm7g': '12xlarge 16xlarge 2xlarge 4xlarge 8xlarge large medium metal xlarge',
  'm7gd': '12xlarge 16xlarge 2xlarge 4xlarge 8xlarge large medium metal xlarge',
  'm7i-flex': '12xlarge 16xlarge 2xlarge 4xlarge 8xlarge large xlarge',
  'm7i': '12xlarge 16xlarge 24xlarge 2xlarge 48xlarge 4xlarge 8xlarge large metal-24xl metal-48xl xlarge',
  'm8a': '12xlarge 16xlarge 24xlarge 2xlarge 48xlarge 4xlarge 8xlarge large medium metal-24xl metal-48xl xlarge',
  'm8azn': '12xlarge 24xlarge 3xlarge 6xlarge large medium metal-12xl metal-24xl xlarge',
  'm8g': '12xlarge 16xlarge 24xlarge 2xlarge 48xlarge 4xlarge 8xlarge large medium metal-24xl metal-48xl xlarge',
  'm8gb': '12xlarge 16xlarge 24xlarge 2xlarge 48xlarge 4xlarge 8xlarge large medium metal-24xl metal-48xl xlarge',
  'm8gd': '12xlarge 16xlarge 24xlarge 2xlarge 48xlarge 4xlarge 8xlarge large medium metal-24xl metal-48xl xlarge',
  'm8gn': '12xlarge 16xlarge 24xlarge 2xlarge 48xlarge 4xlarge 8xlarge large medium metal-24xl metal-48xl xlarge',
  'm8i-flex': '12xlarge 16xlarge 2xlarge 4xlarge 8xlarge large xlarge',
  'm8i': '12xlarge 16xlarge 24xlarge 2xlarge 32xlarge 48xlarge 4xlarge 8xlarge 96xlarge large metal-48xl metal-96xl xlarge',
  'm8ib': '12xlarge 16xlarge 24xlarge 2xlarge 32xlarge 48xlarge 4xlarge 8xlarge 96xlarge large metal-48xl metal-96xl xlarge',
  'm8id': '12xlarge 16xlarge 24xlarge 2xlarge 32xlarge 48xlarge 4xlarge 8xlarge 96xlarge large metal-48xl metal-96xl xlarge',
  'm8idb': '12xlarge 16xlarge 24xlarge 2xlarge 32xlarge 48xlarge 4xlarge 8xlarge 96xlarge large metal-48xl metal-96xl xlarge',
  'm8idn': '12xlarge 16xlarge 24xlarge 2xlarge 32xlarge 48xlarge 4xlarge 8xlarge 96xlarge large metal-48xl metal-96xl xlarge',
  'm8in': '12xlarge 16xlarge 24xlarge 2xlarge 32xlarge 48xlarge 4xlarge 8xlarge 96xlarge large metal-48xl metal-96xl xlarge',
  'm8ine': '12xlarge 2xlarge 4xlarge 8xlarge large xlarge',
  'm9g': '12xlarge 16xlarge 24xlarge 2xlarge 48xlarge 4xlarge 8xlarge large medium metal-48xl xlarge',
  'm9gd': '12xlarge 16xlarge 24xlarge 2xlarge 48xlarge 4xlarge 8xlarge large medium metal-48xl xlarge',
  'p3dn': '24xlarge',
  'p4d': '24xlarge',
  'p4de': '24xlarge',
  'p5': '48xlarge 4xlarge',
  'p5e': '48xlarge',
  'p5en': '48xlarge',
  'p6-b200': '48xlarge',
  'p6-b300': '48xlarge',
  'r3': '2xlarge 4xlarge 8xlarge large xlarge',
  'r4': '16xlarge 2xlarge 4xlarge 8xlarge large xlarge',
  'r5': '12xlarge 16xlarge 24xlarge 2xlarge 4xlarge 8xlarge large metal xlarge',
  'r5a': '12xlarge 16xlarge 24xlarge 2xlarge 4xlarge 8xlarge large xlarge',
  'r5ad': '12xlarge 16xlarge 24xlarge 2xlarge 4xlarge 8xlarge large xlarge',
  'r5b': '12xlarge 16xlarge 24xlarge 2xlarge 4xlarge 8xlarge large metal xlarge',
  'r5d': '12xlarge 16xlarge 24xlarge 2xlarge 4xlarge 8xlarge large metal xlarge',
  'r5dn': '12xlarge 16xlarge 24xlarge 2xlarge 4xlarge 8xlarge large metal xlarge',
  'r5n': '12xlarge 16xlarge 24xlarge 2xlarge 4xlarge 8xlarge large metal xlarge',
  'r6a': '12xlarge 16xlarge 24xlarge 2xlarge 32xlarge 48xlarge 4xlarge 8xlarge large metal xlarge',
  'r6g': '12xlarge 16xlarge 2xlarge 4xlarge 8xlarge large medium metal xlarge',
  'r6gd': '12xlarge 16xlarge 2xlarge 4xlarge 8xlarge large medium metal xlarge',
  'r6i': '12xlarge 16xlarge 24xlarge 2xlarge 32xlarge 4xlarge 8xlarge large metal xlarge',
  'r6id': '12xlarge 16xlarge 24xlarge 2xlarge 32xlarge 4xlarge 8xlarge large metal xlarge',
  'r6idn': '12xlarge 16xlarge 24xlarge 2xlarge 32xlarge 4xlarge 8xlarge large metal xlarge',
  'r6in': '12xlarge 16xlarge 24xlarge 2xlarge 32xlarge 4xlarge 8xlarge large metal xlarge',
  'r7a': '12xlarge 16xlarge 24xlarge 2xlarge 32xlarge 48xlarge 4xlarge 8xlarge large medium metal-48xl xlarge',
  'r7g': '12xlarge 16xlarge 2xlarge 4xlarge 8xlarge large medium metal xlarge',
  'r7gd': '12xlarge 16xlarge 2xlarge 4xlarge 8xlarge large medium metal xlarge',
  'r7i': '12xlarge 16xlarge 24xlarge 2xlarge 48xlarge 4xlarge 8xlarge large metal-24xl metal-48xl xlarge',
  'r7iz': '12xlarge 16xlarge 2xlarge 32xlarge 4xlarge 8xlarge large metal-16xl metal-32xl xlarge',
  'r8a': '12xlarge 16xlarge 24xlarge 2xlarge 48xlarge 4xlarge 8xlarge large medium metal-24xl metal-48xl xlarge',
  'r8g': '12xlarge 16xlarge 24xlarge 2xlarge 48xlarge 4xlarge 8xlarge large medium metal-24xl metal-48xl xlarge',
  'r8gb': '12xlarge 16xlarge 24xlarge 2xlarge 48xlarge 4xlarge 8xlarge large medium metal-24xl metal-48xl xlarge',
  'r8gd': '12xlarge 16xlarge 24xlarge 2xlarge 48xlarge 4xlarge 8xlarge large medium metal-24xl metal-48xl xlarge',
  'r8gn': '12xlarge 16xlarge 24xlarge 2xlarge 48xlarge 4xlarge 8xlarge large medium metal-24xl metal-48xl xlarge',
  'r8i-flex': '12xlarge 16xlarge 2xlarge 4xlarge 8xlarge large xlarge',
  'r8i': '12xlarge 16xlarge 24xlarge 2xlarge 32xlarge 48xlarge 4xlarge 8xlarge 96xlarge large metal-48xl metal-96xl xlarge',
  'r8ib': '12xlarge 16xlarge 24xlarge 2xlarge 32xlarge 48xlarge 4xlarge 8xlarge 96xlarge large metal-48xl metal-96xl xlarge',
  'r8id': '12xlarge 16xlarge 24xlarge 2xlarge 32xlarge 48xlarge 4xlarge 8xlarge 96xlarge large metal-48xl metal-96xl xlarge',
  'r8idb': '12xlarge 16xlarge 24xlarge 2xlarge 32xlarge 48xlarge 4xlarge 8xlarge 96xlarge large metal-48xl metal-96xl xlarge',
  'r8idn': '12xlarge 16xlarge 24xlarge 2xlarge 32xlarge 48xlarge 4xlarge 8xlarge 96xlarge large metal-48xl metal-96xl xlarge',
  'r8in': '12xlarge 16xlarge 24xlarge 2xlarge 32xlarge 48xlarge 4xlarge 8xlarge 96xlarge large metal-48xl metal-96xl xlarge',
  't1': 'micro',
  't2': '2xlarge large medium micro nano small xlarge',
  't3': '2xlarge large medium micro nano small xlarge',
  't3a': '2xlarge large medium micro nano small xlarge',
  't4g': '2xlarge large medium micro nano small xlarge',
  'trn1': '2xlarge 32xlarge',
  'trn1n': '32xlarge',
  'trn2': '3xlarge 48xlarge',
  'u-12tb1': 'metal',
  'u-18tb1': 'metal',
  'u-24tb1': 'metal',
  'u-3tb1': '56xlarge',
  'u-6tb1': '112xlarge 56xlarge metal',
  'u-9tb1': 'metal',
  'u7i-12tb': '224xlarge',
  'u7i-6tb': '112xlarge',
  'u7i-8tb': '112xlarge',
  'u7in-16tb': '224xlarge',
  'u7in-24tb': '224xlarge',
  'u7in-32tb': '224xlarge',
  'vt1': '24xlarge 3xlarge 6xlarge',
  'x1': '16xlarge 32xlarge',
  'x1e': '16xlarge 2xlarge 32xlarge 4xlarge 8xlarge xlarge',
  'x2gd': '12xlarge 16xlarge 2xlarge 4xlarge 8xlarge large medium metal xlarge',
  'x2idn': '16xlarge 24xlarge 32xlarge metal',
  'x2iedn': '16xlarge 24xlarge 2xlarge 32xlarge 4xlarge 8xlarge metal xlarge',
  'x2iezn': '12xlarge 2xlarge 4xlarge 6xlarge 8xlarge metal',
  'x8aedz': '12xlarge 24xlarge 3xlarge 6xlarge large metal-12xl metal-24xl xlarge',
  'x8g': '12xlarge 16xlarge 24xlarge 2xlarge 48xlarge 4xlarge 8xlarge large medium metal-24xl metal-48xl xlarge',
  'x8i': '12xlarge 16xlarge 24xlarge 2xlarge 32xlarge 48xlarge 4xlarge 64xlarge 8xlarge 96xlarge large metal-48xl metal-96xl xlarge',
  'z1d': '12xlarge 2xlarge 3xlarge 6xlarge large metal xlarge',
};

/**
 * Families on the Xen hypervisor: previous generations before the Nitro System (EC2 User Guide,
 * "Instances built on the AWS Nitro System": every other family is Nitro; unverified here beyond
 * that page's list as remembered, checked against the families of the table above). `i3.metal` is
 * the one Nitro type of a Xen family. Bare-metal types of other families run on Nitro hardware.
 */
const XEN_FAMILIES: ReadonlySet<string> = new Set(['c1', 'c3', 'c4', 'cr1', 'd2', 'h1', 'hs1', 'i2', 'i3', 'm1', 'm2', 'm3', 'm4', 'r3', 'r4', 't1', 't2', 'x1', 'x1e']);

/** What the project needs to know of an instance type. */
export interface InstanceTypeInfo {
  /** CPU architecture as EKS AMI types name it. */
  readonly architecture: 'x86_64' | 'arm64';
  /** Built on the Nitro System (needed for ENI prefix delegation). */
  readonly nitro: boolean;
}

/** The instance type's architecture and hypervisor, or undefined when the table does not list it. */
export function instanceTypeInfo(instanceType: string): InstanceTypeInfo | undefined {
  const dot = instanceType.indexOf('.');
  if (dot < 1) return undefined;
  const family = instanceType.slice(0, dot);
  const size = instanceType.slice(dot + 1);
  const sizes = Object.prototype.hasOwnProperty.call(FAMILY_SIZES, family) ? FAMILY_SIZES[family].split(' ') : [];
  if (!sizes.includes(size)) return undefined;
  return {
    // Graviton families carry a `g` after the generation digit (m7g, c6gn, is4gen, x2gd); a1 is the first Graviton.
    architecture: family === 'a1' || /^[a-z]+\d+g[a-z]*$/.test(family) ? 'arm64' : 'x86_64',
    nitro: !XEN_FAMILIES.has(family) || instanceType === 'i3.metal',
  };
}

/** The sizes the table lists for `family` (for error messages), or an empty list. */
export function sizesOfFamily(family: string): readonly string[] {
  return Object.prototype.hasOwnProperty.call(FAMILY_SIZES, family) ? FAMILY_SIZES[family].split(' ') : [];
}
