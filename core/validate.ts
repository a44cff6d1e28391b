/**
 * Synth-time checks of AWS and Kubernetes values a user writes: each throws a
 * {@link ValidationError} naming the property as given, the value, and what is allowed. Values
 * that are Terraform tokens (unknown until apply) are not judged.
 */
import { check, ValidationError } from './errors';
import { isWithin, parseCidr } from './cidr';
import { INSTANCE_TYPE_TABLE_SOURCE, InstanceTypeInfo, instanceTypeInfo, sizesOfFamily } from './instance-types';

/** True for a string holding a Terraform token (`${...}`), which synth cannot judge. */
export function isToken(value: unknown): boolean {
  return typeof value === 'string' && value.includes('${');
}

// ---- IDs -----------------------------------------------------------------------------------------

/** EC2 resource IDs: the prefix, then 8 (older) or 17 hexadecimal characters (EC2 API reference, "Resource IDs"). */
const EC2_ID = (prefix: string): RegExp => new RegExp(`^${prefix}-([0-9a-f]{8}|[0-9a-f]{17})$`);

/** A VPC ID, `vpc-` and 8 or 17 hex characters. */
export function assertVpcId(id: string, property: string): void {
  if (isToken(id)) return;
  check(typeof id === 'string' && EC2_ID('vpc').test(id), property, id, 'a VPC ID: "vpc-" and 8 or 17 hexadecimal characters, e.g. vpc-0a1b2c3d4e5f67890');
}

/** A list of subnet IDs: each `subnet-...`, none empty, none twice. */
export function assertSubnetIds(ids: readonly string[], property: string, minimum = 1): void {
  check(Array.isArray(ids) && ids.length >= minimum, property, ids, `a list of at least ${minimum} subnet ID${minimum === 1 ? '' : 's'}`);
  const seen = new Map<string, number>();
  ids.forEach((id, i) => {
    if (isToken(id)) return;
    check(typeof id === 'string' && EC2_ID('subnet').test(id), `${property}[${i}]`, id, 'a subnet ID: "subnet-" and 8 or 17 hexadecimal characters, e.g. subnet-0a1b2c3d4e5f67890');
    const first = seen.get(id);
    check(first === undefined, `${property}[${i}]`, id, `a subnet not listed before (it is ${property}[${first}] too)`);
    seen.set(id, i);
  });
}

// ---- CIDRs ---------------------------------------------------------------------------------------

/** A VPC's primary IPv4 CIDR: /16 to /28 (Amazon VPC User Guide, "VPC CIDR blocks"). */
export function assertVpcCidr(cidr: string, property: string): void {
  if (isToken(cidr)) return;
  const c = parseCidr(cidr, property);
  check(c.prefix >= 16 && c.prefix <= 28, property, cidr, 'a CIDR from /16 to /28', 'the block sizes Amazon VPC allows');
}

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

// ---- Tags ----------------------------------------------------------------------------------------

/**
 * AWS tag rules (Tagging AWS Resources user guide, "Tag naming limits and requirements"; the same
 * in the SQS developer guide's tag quotas): at most 50 tags per resource, keys 1 to 128 and values
 * 0 to 256 Unicode characters of letters, digits, spaces and `_ . : / = + - @`, and no key with
 * the reserved `aws:` prefix.
 */
export const AWS_TAG_LIMITS = { maxTags: 50, maxKeyLength: 128, maxValueLength: 256 } as const;
const TAG_CHARS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/**
 * Checks user tags. `projectTagCount` is the most tags the project itself puts on one resource
 * (Name, discovery and load-balancer tags, the provider's default tags), which count toward 50.
 */
export function assertTags(tags: Readonly<Record<string, string>> | undefined, property: string, projectTagCount: number): void {
  if (tags === undefined) return;
  check(tags !== null && typeof tags === 'object' && !Array.isArray(tags), property, tags, 'an object of tag keys to string values');
  const entries = Object.entries(tags);
  check(
    entries.length + projectTagCount <= AWS_TAG_LIMITS.maxTags,
    property,
    `${entries.length} tags`,
    `at most ${AWS_TAG_LIMITS.maxTags - projectTagCount} tags`,
    `AWS allows ${AWS_TAG_LIMITS.maxTags} tags per resource and the project adds up to ${projectTagCount} of its own`,
  );
  for (const [key, value] of entries) {
    const where = `${property}[${JSON.stringify(key)}]`;
    check(!key.toLowerCase().startsWith('aws:'), where, key, 'a tag key without the aws: prefix', 'AWS reserves it for its own tags');
    check(key.length >= 1 && key.length <= AWS_TAG_LIMITS.maxKeyLength && TAG_CHARS.test(key), where, key, 'a tag key of 1 to 128 letters, digits, spaces and _ . : / = + - @');
    if (isToken(value)) continue;
    check(typeof value === 'string' && value.length <= AWS_TAG_LIMITS.maxValueLength && TAG_CHARS.test(value), where, value, 'a tag value of at most 256 letters, digits, spaces and _ . : / = + - @');
  }
}

// ---- Versions ------------------------------------------------------------------------------------

/** An EKS add-on version as DescribeAddonVersions lists it: `v1.11.3-eksbuild.2`. */
export function assertAddonVersion(version: string, property: string): void {
  if (isToken(version)) return;
  check(typeof version === 'string' && /^v\d+\.\d+\.\d+-eksbuild\.\d+$/.test(version), property, version, 'an EKS add-on version such as v1.11.3-eksbuild.2 (aws eks describe-addon-versions)');
}

// ---- Kubernetes names ----------------------------------------------------------------------------

/** A DNS-1123 label (namespaces): 1 to 63 of a-z, 0-9 and `-`, starting and ending alphanumeric. */
export function assertDns1123Label(name: string, property: string): void {
  check(typeof name === 'string' && /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(name), property, name, 'a DNS-1123 label: 1 to 63 lower-case letters, digits and "-", starting and ending with a letter or digit');
}

/** A DNS-1123 subdomain (service accounts): at most 253 of a-z, 0-9, `-` and `.`. */
export function assertDns1123Subdomain(name: string, property: string): void {
  check(
    typeof name === 'string' && name.length <= 253 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(name),
    property,
    name,
    'a DNS-1123 subdomain: at most 253 lower-case letters, digits, "-" and ".", each part starting and ending with a letter or digit',
  );
}

// ---- IAM -----------------------------------------------------------------------------------------

/** The ARN of an IAM managed policy: AWS-managed (`iam::aws:policy/...`) or the account's own. */
export function assertManagedPolicyArn(arn: string, property: string): void {
  if (isToken(arn)) return;
  check(
    typeof arn === 'string' && /^arn:aws(-cn|-us-gov)?:iam::(aws|\d{12}):policy\/[\w+=,.@/-]+$/.test(arn),
    property,
    arn,
    'an IAM managed policy ARN, e.g. arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess or arn:aws:iam::123456789012:policy/my-policy',
  );
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

/** Throws unless `arn` is a KMS key ARN (`arn:<partition>:kms:<region>:<account>:key/<id>`). */
export function assertKmsKeyArn(arn: string, property: string): void {
  check(
    typeof arn === 'string' && /^arn:(aws|aws-cn|aws-us-gov):kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/.test(arn),
    property,
    arn,
    'a KMS key ARN, e.g. arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    'the EBS CSI driver takes the full ARN of the key (its parameters.md, kmsKeyId)',
  );
}
