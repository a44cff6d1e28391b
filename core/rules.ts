/**
 * Domain rules, each written once and used by every declaration that takes such a value: AWS ids
 * and ARNs (with partition, region and account), Kubernetes names, label keys and values, taint
 * and annotation keys, tags, durations in the format their consumer reads, CIDRs. Pure: no cdktf,
 * nothing Cilium-specific.
 *
 * Sources:
 * - Kubernetes: k8s.io/apimachinery `pkg/util/validation/validation.go` (IsDNS1123Label: at most
 *   63 of `[a-z0-9]([-a-z0-9]*[a-z0-9])?`; IsDNS1123Subdomain: at most 253, labels joined by
 *   dots; IsQualifiedName: an optional DNS-1123 subdomain prefix and `/`, then a name of at most
 *   63 of `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`; IsValidLabelValue: empty or at most 63 of
 *   the same). Label keys, annotation keys and taint keys are qualified names (apimachinery
 *   `ValidateLabelName`, `ValidateAnnotations`, core `validateTaints`).
 * - AWS: ARN format `arn:<partition>:<service>:<region>:<account>:<resource>` (IAM User Guide,
 *   "IAM ARNs"; AWS General Reference, "Amazon Resource Names"); KMS key ARNs carry the key's
 *   region, and EBS and CloudWatch Logs accept only a key in the resource's own region ("KMS keys
 *   are Regional"; EC2 User Guide, "Amazon EBS encryption": "the KMS key must be in the same Region
 *   as the volume"). EC2 ids: the prefix and 8 or 17 hexadecimal characters (EC2 API reference,
 *   "Resource IDs"). Tags: Tagging AWS Resources, "Tag naming limits and requirements".
 * - Durations: Go's `time.ParseDuration` (what kubectl's `--timeout` and Tetragon's rate limits
 *   read), Karpenter's CRD pattern `^([0-9]+(s|m|h))+$` (NodePool 1.14.1), Prometheus's duration
 *   (`monitoring.coreos.com/v1` `Duration`, the ServiceMonitor interval).
 */
import { cidrsOverlap, parseCidr, Ipv4Cidr } from './cidr';
import { ValidationError } from './errors';
import { AWS_REGIONS, AwsPartition, partitionOf } from './regions';
import { format, isToken, pattern, record, says, string, v } from './schema';

/** A string schema. */
type Str = v.GenericSchema<string>;
/** A schema of a map of strings. */
type StrMap = v.GenericSchema<Record<string, string>>;

// ---- Kubernetes ---------------------------------------------------------------------------------------

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** True for a DNS-1123 label (namespaces, most object names' parts). */
export function isDns1123Label(s: string): boolean {
  return s.length <= 63 && DNS1123_LABEL.test(s);
}

/** True for a DNS-1123 subdomain (object names: NodePools, policies, service accounts). */
export function isDns1123Subdomain(s: string): boolean {
  return s.length > 0 && s.length <= 253 && s.split('.').every((l) => l.length > 0 && DNS1123_LABEL.test(l));
}

/** Why `s` is not a qualified name (label, annotation and taint keys), or undefined when it is one. */
export function qualifiedNameProblem(s: string): string | undefined {
  const parts = s.split('/');
  if (parts.length > 2) return 'a qualified name has at most one "/"';
  const [prefix, name] = parts.length === 2 ? parts : [undefined, parts[0]];
  if (prefix !== undefined && !isDns1123Subdomain(prefix)) return `the prefix ${JSON.stringify(prefix)} is not a DNS-1123 subdomain`;
  if (name.length === 0 || name.length > 63 || !QUALIFIED_NAME.test(name)) return `the name part ${JSON.stringify(name)} must be 1 to 63 letters, digits, "-", "_" and ".", starting and ending with a letter or digit`;
  return undefined;
}

/** A namespace, or another DNS-1123 label. */
export const dns1123Label = (what = 'a name'): Str =>
  format(`${what}, a DNS-1123 label: 1 to 63 lower-case letters, digits and "-", starting and ending with a letter or digit`, isDns1123Label, 'the Kubernetes apiserver rule (apimachinery IsDNS1123Label)');

/** An object name that is a DNS-1123 subdomain. */
export const dns1123Subdomain = (what = 'a Kubernetes object name'): Str =>
  format(`${what}, a DNS-1123 subdomain: at most 253 lower-case letters, digits, "-" and ".", each part starting and ending with a letter or digit`, isDns1123Subdomain, 'the Kubernetes apiserver rule (apimachinery IsDNS1123Subdomain)');

/** A label key (also an annotation or taint key): `[prefix/]name`. */
export const qualifiedName = (what = 'a Kubernetes label key'): Str =>
  format(`${what}: an optional DNS-subdomain prefix and "/", then 1 to 63 letters, digits, "-", "_" and "."`, (s) => qualifiedNameProblem(s) ?? true);

/** A label value: empty, or at most 63 letters, digits, `-`, `_` and `.`, starting and ending alphanumeric. */
export const labelValue = (): Str =>
  format('a Kubernetes label value: empty, or at most 63 letters, digits, "-", "_" and ".", starting and ending with a letter or digit', (s) => s.length <= 63 && LABEL_VALUE.test(s), 'the Kubernetes apiserver rule (apimachinery IsValidLabelValue)');

/** Kubernetes labels: keys and values by the apiserver's rules. */
export const labels = (): StrMap => record(qualifiedName(), labelValue(), 'an object of Kubernetes label keys to label values');

// ---- Durations ------------------------------------------------------------------------------------------

const GO_DURATION = /^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$/;

/** A Go duration (`30s`, `1h30m`, `1.5h`), as `time.ParseDuration` reads it; positive. */
export const goDuration = (what = 'a duration'): Str =>
  format(`${what} as Go writes it: numbers with units ns, us, ms, s, m, h, e.g. "30s", "90m", "1h30m"`, (s) => GO_DURATION.test(s) && /[1-9]/.test(s), 'a Go program reads it (time.ParseDuration)');

/** Karpenter's NodePool durations: `^([0-9]+(s|m|h))+$`, or `Never` where `never` allows it. */
export const karpenterDuration = (never: boolean): Str =>
  format(
    `a duration of whole s, m and h such as "30s", "1m", "1h30m"${never ? ', or "Never"' : ''}`,
    (s) => (never && s === 'Never') || /^([0-9]+(s|m|h))+$/.test(s),
    'the NodePool CRD pattern of Karpenter 1.14.1',
  );

/** A Prometheus duration (`30s`, `1m`, `1h30m`): the ServiceMonitor `interval`. */
export const prometheusDuration = (): Str =>
  format('a Prometheus duration such as "10s", "30s" or "1m"', (s) => /^(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?$/.test(s) && s.length > 0, 'the monitoring.coreos.com/v1 Duration pattern');

// ---- Networks -------------------------------------------------------------------------------------------

/** Why `s` is not an IPv4 network in CIDR notation, or undefined. */
export function cidrProblem(s: string): string | undefined {
  try {
    parseCidr(s, 'cidr');
    return undefined;
  } catch (e) {
    return e instanceof ValidationError ? (e.reason ?? 'not an IPv4 network in CIDR notation') : String(e);
  }
}

/** An IPv4 network in CIDR notation, with prefix lengths from `min` to `max`. */
export function cidr(min = 0, max = 32, what?: string): Str {
  const notation = `an IPv4 network in CIDR notation${what ? ` (${what})` : ''}, e.g. 10.0.0.0/16, with no host bits set`;
  const range = `a prefix length from /${min} to /${max}${what ? ` (${what})` : ''}`;
  return v.pipe(
    format(notation, (s) => cidrProblem(s) ?? true),
    v.check((s) => isToken(s) || cidrProblem(s) !== undefined || (parseCidr(s, 'cidr').prefix >= min && parseCidr(s, 'cidr').prefix <= max), range),
  );
}

/** True when two CIDR strings overlap (both must be valid). */
export function overlaps(a: string, b: string): boolean {
  return cidrsOverlap(parseCidr(a, 'a'), parseCidr(b, 'b'));
}
export type { Ipv4Cidr };

// ---- AWS ids and ARNs ---------------------------------------------------------------------------------

/** An EC2 resource id: `prefix-` and 8 or 17 hexadecimal characters. */
export const ec2Id = (prefix: string, what: string): Str =>
  pattern(new RegExp(`^${prefix}-([0-9a-f]{8}|[0-9a-f]{17})$`), `${what}: "${prefix}-" and 8 or 17 hexadecimal characters, e.g. ${prefix}-0a1b2c3d4e5f67890`, 'the EC2 resource id format');

/** An AWS region of one of the partitions this project builds in ({@link AWS_REGIONS}). */
export const region = (): Str => {
  const all = Object.entries(AWS_REGIONS).map(([p, rs]) => `${p}: ${rs.join(', ')}`);
  return format(`an AWS region (${all.join('; ')})`, (s) => partitionOf(s) !== undefined, 'the region list of botocore partitions.json (AWS_REGIONS)');
};

/** The parts of an ARN. */
export interface Arn {
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  readonly account: string;
  readonly resource: string;
}

/** The parts of `arn`, or undefined when it is not an ARN. */
export function parseArn(arn: string): Arn | undefined {
  const m = /^arn:(aws|aws-cn|aws-us-gov):([a-z0-9-]+):([a-z0-9-]*):(\d{12}|aws|):(.+)$/.exec(arn);
  return m ? { partition: m[1], service: m[2], region: m[3], account: m[4], resource: m[5] } : undefined;
}

/** A KMS key: an ARN `arn:<partition>:kms:<region>:<account>:key/<id>` or `alias/<name>`. */
export const kmsKeyArn = (what = 'a KMS key ARN'): Str =>
  format(`${what}: arn:<partition>:kms:<region>:<12-digit account>:key/<key id> (or alias/<name>)`, (s) => {
    const arn = parseArn(s);
    return arn !== undefined && arn.service === 'kms' && arn.region !== '' && /^\d{12}$/.test(arn.account) && /^(key\/[A-Za-z0-9-]+|alias\/[\w/+=,.@-]+)$/.test(arn.resource);
  });

/** A KMS key as an EC2NodeClass takes it: a key id, an alias (`alias/...`) or a key ARN. */
export const kmsKeyRef = (): Str =>
  format('a KMS key id (1234abcd-...), alias (alias/<name>) or key ARN', (s) =>
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(s) || /^mrk-[0-9a-f]{32}$/.test(s) || /^alias\/[\w/+=,.@-]+$/.test(s) || (parseArn(s)?.service === 'kms'),
  );

/** An IAM role ARN (or a user ARN with `users`). */
export const iamPrincipalArn = (kinds: readonly ('role' | 'user')[] = ['role']): Str =>
  format(
    `an IAM ${kinds.join(' or ')} ARN such as arn:aws:iam::111122223333:${kinds[0]}/name (12-digit account)`,
    (s) => {
      const arn = parseArn(s);
      return arn !== undefined && arn.service === 'iam' && arn.region === '' && /^\d{12}$/.test(arn.account) && new RegExp(`^(${kinds.join('|')})/[\\w+=,.@/-]+$`).test(arn.resource);
    },
  );

/** An IAM managed policy ARN: AWS-managed (`iam::aws:policy/...`) or the account's own. */
export const managedPolicyArn = (): Str =>
  format('an IAM managed policy ARN, e.g. arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess or arn:aws:iam::123456789012:policy/my-policy', (s) => /^arn:aws(-cn|-us-gov)?:iam::(aws|\d{12}):policy\/[\w+=,.@/-]+$/.test(s));

/**
 * Why `arn` (already well-formed) cannot be used from `region`: a regional resource of another
 * region, or of another partition. Undefined when it can, or when either is a token.
 */
export function regionMismatch(arn: string, region: string, what: string): string | undefined {
  if (isToken(arn) || isToken(region)) return undefined;
  const parts = parseArn(arn);
  if (parts === undefined) return undefined;
  const partition: AwsPartition | undefined = partitionOf(region);
  if (partition !== undefined && parts.partition !== partition) return `${what} is in partition ${parts.partition}, the stack in ${partition} (${region})`;
  if (parts.region !== '' && parts.region !== region) return `${what} is in ${parts.region} and the stack in ${region}: AWS refuses a key of another region for this resource (KMS keys are regional)`;
  return undefined;
}

// ---- Tags ---------------------------------------------------------------------------------------------

/**
 * AWS tag rules: at most 50 tags per resource, keys 1 to 128 and values 0 to 256 Unicode
 * letters, digits, spaces and `_ . : / = + - @`, and no key with the reserved `aws:` prefix.
 */
export const AWS_TAG_LIMITS = { maxTags: 50, maxKeyLength: 128, maxValueLength: 256 } as const;
const TAG_CHARS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/** A tag key: 1 to 128 allowed characters, not starting with `aws:`. */
export const tagKey = (): Str => format('a tag key of 1 to 128 letters, digits, spaces and _ . : / = + - @, without the aws: prefix', tagKeyVerdict);

/** true for a tag key AWS takes, else false or why not. */
export function tagKeyVerdict(s: string): boolean | string {
  if (s.toLowerCase().startsWith('aws:')) return 'AWS reserves the aws: prefix for its own tags';
  return s.length >= 1 && s.length <= AWS_TAG_LIMITS.maxKeyLength && TAG_CHARS.test(s);
}

/** A tag value: at most 256 allowed characters. */
export const tagValue = (): Str =>
  format('a tag value of at most 256 letters, digits, spaces and _ . : / = + - @', (s) => s.length <= AWS_TAG_LIMITS.maxValueLength && TAG_CHARS.test(s));

/** AWS tags, wherever a prop takes them. */
export const tags = (): StrMap => record(tagKey(), tagValue(), 'an object of tag keys to string values');

/** Refuses more tags than fit beside the `projectTagCount` the project puts on one resource itself. */
export function tagCountProblem(tags: Readonly<Record<string, string>> | undefined, projectTagCount: number): { allowed: string; reason: string } | undefined {
  const n = Object.keys(tags ?? {}).length;
  if (n + projectTagCount <= AWS_TAG_LIMITS.maxTags) return undefined;
  return {
    allowed: `at most ${AWS_TAG_LIMITS.maxTags - projectTagCount} tags`,
    reason: `AWS allows ${AWS_TAG_LIMITS.maxTags} tags per resource and the project adds up to ${projectTagCount} of its own`,
  };
}

// ---- Versions ---------------------------------------------------------------------------------------------

/** An EKS add-on version as DescribeAddonVersions lists it: `v1.11.3-eksbuild.2`. */
export const addonVersion = (): Str =>
  pattern(/^v\d+\.\d+\.\d+-eksbuild\.\d+$/, 'an EKS add-on version such as v1.11.3-eksbuild.2 (aws eks describe-addon-versions)');

/** A Kubernetes minor version as EKS names it: `1.34`. */
export const kubernetesMinor = (): Str => pattern(/^1\.\d+$/, 'a Kubernetes minor version such as 1.33 (no patch)');

export { says, string };
