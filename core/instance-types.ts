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
