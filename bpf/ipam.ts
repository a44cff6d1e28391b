import { ValidationError } from '../core/errors';
import { EniLimits, eniLimitsOf } from '../core/instance-types';

/**
 * kubelet `maxPods` for Cilium's ENI IPAM: one rule for the managed node group and Karpenter's
 * EC2NodeClass, so both kinds of node agree with what the operator can address.
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

export interface IpamOptions {
  /** Whether the operator hands out /28 prefixes (`eni.awsEnablePrefixDelegation`). */
  readonly prefixDelegation: boolean;
}

/**
 * Pods a node can address under ENI IPAM: `ENIs * (IPs per ENI - 1) + 2` without prefix
 * delegation (nodeadm's formula), and `ENIs * (IPs per ENI - 1) * 16 + 2` with it.
 */
export function addressablePods(limits: EniLimits, ipam: IpamOptions): number {
  const slots = limits.maxEnis * (limits.ipv4PerEni - 1);
  return slots * (ipam.prefixDelegation ? IPV4_PREFIX_ADDRESSES : 1) + HOST_NETWORK_PODS;
}

export interface MaxPodsOptions extends IpamOptions {
  /**
   * An explicit `maxPods`.
   * @default - 110 with prefix delegation; without it, unset so nodeadm / Karpenter compute the
   * ENI formula per instance type
   */
  readonly maxPods?: number;
  /** Instance types the nodes may be; each known type bounds `maxPods`. @default - none judged */
  readonly instanceTypes?: readonly string[];
  /** ENI limits for instance types the built-in table does not know. @default - none */
  readonly eniLimits?: Readonly<Record<string, EniLimits>>;
  /** Property named in error messages. @default 'maxPods' */
  readonly property?: string;
}

/**
 * The kubelet `maxPods` to write into the node configuration, or undefined where the
 * per-instance-type default is right. Throws a {@link ValidationError} for a value the IPAM mode
 * cannot address on one of the given instance types.
 */
export function resolveMaxPods(opts: MaxPodsOptions): number | undefined {
  const property = opts.property ?? 'maxPods';
  const maxPods = opts.maxPods ?? (opts.prefixDelegation ? PREFIX_DELEGATION_DEFAULT_MAX_PODS : undefined);
  if (maxPods === undefined) return undefined;
  if (!Number.isInteger(maxPods) || maxPods < 1 || maxPods > KUBELET_MAX_PODS_CEILING) {
    throw new ValidationError(property, maxPods, `an integer from 1 to ${KUBELET_MAX_PODS_CEILING}`, 'EKS recommends at most 250 pods per node');
  }
  for (const type of opts.instanceTypes ?? []) {
    const limits = opts.eniLimits?.[type] ?? eniLimitsOf(type);
    if (!limits) continue;
    const capacity = addressablePods(limits, opts);
    if (maxPods > capacity) {
      throw new ValidationError(
        property,
        maxPods,
        `at most ${capacity} on ${type}`,
        `${type} has ${limits.maxEnis} ENIs x ${limits.ipv4PerEni} IPv4 addresses, ` +
          `prefix delegation ${opts.prefixDelegation ? 'on' : 'off'}`,
      );
    }
  }
  return maxPods;
}
