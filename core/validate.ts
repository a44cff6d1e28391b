/**
 * The synth-time checks that need more than a declaration (core/schema.ts, core/rules.ts): the
 * ranges a public endpoint may be opened to, and instance types against the table of those that
 * exist (architecture, Nitro). Each throws a {@link ValidationError} naming the property as given,
 * the value, and what is allowed. Values that are Terraform tokens (unknown until apply) are not judged.
 */
import { check, ValidationError } from './errors';
import { isToken } from './schema';
import { isWithin, parseCidr } from './cidr';
import { INSTANCE_TYPE_TABLE_SOURCE, InstanceTypeInfo, instanceTypeInfo, sizesOfFamily } from './instance-types';

// ---- CIDRs ---------------------------------------------------------------------------------------

/** Ranges that can never be the source address of a request to a public endpoint. */
const NON_PUBLIC = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '0.0.0.0/8'].map((c) => ({
  text: c,
  cidr: parseCidr(c, 'NON_PUBLIC'),
}));

/** CIDRs for a public endpoint: valid, distinct, and not inside a private, shared or loopback range. */
export function assertPublicCidrs(cidrs: readonly string[], property: string): void {
  const seen = new Set<string>();
  cidrs.forEach((c, i) => {
    if (isToken(c)) return;
    const parsed = parseCidr(c, `${property}[${i}]`);
    const inside = NON_PUBLIC.find((r) => isWithin(parsed, r.cidr));
    if (inside) {
      throw new ValidationError(
        `${property}[${i}]`,
        c,
        'a public IPv4 range (the public addresses your operators and CI reach the internet from)',
        `${c} is inside ${inside.text}, which is never the source of a request to a public endpoint; private access is always on`,
      );
    }
    check(!seen.has(c), `${property}[${i}]`, c, 'a CIDR not listed before');
    seen.add(c);
  });
}


// ---- Instance types ------------------------------------------------------------------------------

/** Checks that `instanceType` exists; returns its architecture and hypervisor. */
export function assertInstanceTypeExists(instanceType: string, property: string): InstanceTypeInfo {
  const info = typeof instanceType === 'string' ? instanceTypeInfo(instanceType) : undefined;
  if (info === undefined) {
    const family = typeof instanceType === 'string' ? instanceType.split('.')[0] : '';
    const sizes = sizesOfFamily(family);
    throw new ValidationError(
      property,
      instanceType,
      sizes.length > 0 ? `a size of ${family} that exists: ${sizes.join(', ')}` : 'an EC2 instance type that exists, such as m7i.large or m7g.large',
      `instance types as listed in ${INSTANCE_TYPE_TABLE_SOURCE}`,
    );
  }
  return info;
}

/**
 * Checks that an instance type exists, has the architecture the AMI needs, and is Nitro when ENI
 * prefix delegation is on (Cilium ENI IPAM docs: prefix delegation needs Nitro instances).
 */
export function assertInstanceTypeFits(
  instanceType: string,
  property: string,
  need: { readonly architecture?: 'x86_64' | 'arm64'; readonly architectureFrom?: string; readonly prefixDelegation: boolean },
): InstanceTypeInfo {
  const info = assertInstanceTypeExists(instanceType, property);
  if (need.architecture !== undefined && info.architecture !== need.architecture) {
    throw new ValidationError(property, instanceType, `an ${need.architecture} instance type to match ${need.architectureFrom ?? 'the AMI'}`, `${instanceType} is ${info.architecture}`);
  }
  if (need.prefixDelegation && !info.nitro) {
    throw new ValidationError(
      property,
      instanceType,
      'a Nitro instance type while cilium.prefixDelegation is on',
      `${instanceType} runs on Xen; ENI prefix delegation needs the Nitro System`,
    );
  }
  return info;
}

