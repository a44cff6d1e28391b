/**
 * Every AWS name and name prefix the project builds from the cluster name, in one place that
 * knows each resource type's limit.
 *
 * Rule: a name that fits its limit is left exactly as it is (so no resource deployed with 0.1.0 is
 * renamed, and renaming would replace it); a name that does not fit keeps as much of the cluster
 * name as the limit allows, then `-` and a 6-character hash of the whole cluster name, then the
 * fixed suffix. Two long cluster names that share their first characters therefore still get
 * distinct names, and the same cluster name always gets the same one.
 *
 * Prefixes (`name_prefix`): Terraform appends a 26-character unique suffix
 * (`id.UniqueIDSuffixLength` of terraform-plugin-sdk), so the prefix limit is the name limit
 * minus 26. Prefixes that 0.1.0 cut to a fixed number of cluster-name characters keep that cut:
 * it always fitted, and a new prefix would replace the IAM role (and, for the cluster role, the
 * EKS cluster, whose `role_arn` cannot change in place).
 */
import { createHash } from 'crypto';
import { ValidationError } from './errors';

/** What the provider or AWS allows for one kind of name. */
export interface AwsNameLimit {
  /** Maximum length in characters. */
  readonly max: number;
  /** Minimum length in characters. */
  readonly min: number;
  /** Where the limit comes from. */
  readonly source: string;
}

const SDK_UNIQUE_SUFFIX = 26; // terraform-plugin-sdk helper/id.UniqueIDSuffixLength
const TPA = 'hashicorp/terraform-provider-aws';

/**
 * The limits, each with its source. "verified" sources were read in the provider's Go source
 * (`internal/service/...`) or the AWS API reference with the search tools; docs/configuration.md
 * repeats this table.
 */
export const AWS_NAME_LIMITS = {
  /** `aws_cloudwatch_event_rule.name`. */
  eventBridgeRuleName: { max: 64, min: 1, source: 'EventBridge PutRule: Name length <= 64 (AWS API error "Member must have length less than or equal to 64")' },
  /** `aws_eks_node_group.node_group_name_prefix`. */
  eksNodeGroupNamePrefix: { max: 63 - SDK_UNIQUE_SUFFIX, min: 1, source: `${TPA} internal/service/eks/node_group.go: StringLenBetween(0, 63-id.UniqueIDSuffixLength)` },
  /** `aws_launch_template.name_prefix`. */
  launchTemplateNamePrefix: { max: 99, min: 3, source: `${TPA} internal/verify/validate.go ValidLaunchTemplateName: prefix 3 to 99 (name 125)` },
  /** `aws_iam_role.name`. */
  iamRoleName: { max: 64, min: 1, source: `${TPA} internal/service/iam/role.go: roleNameMaxLen = 64` },
  /** `aws_iam_role.name_prefix`. */
  iamRoleNamePrefix: { max: 64 - SDK_UNIQUE_SUFFIX, min: 1, source: `${TPA} internal/service/iam/role.go: roleNamePrefixMaxLen = roleNameMaxLen - id.UniqueIDSuffixLength` },
  /** `aws_iam_policy.name`. */
  iamPolicyName: { max: 128, min: 1, source: `${TPA} internal/service/iam/policy.go: policyNameMaxLen = 128` },
  /** `aws_iam_policy.name_prefix`. */
  iamPolicyNamePrefix: { max: 128 - SDK_UNIQUE_SUFFIX, min: 1, source: `${TPA} internal/service/iam/policy.go: policyNamePrefixMaxLen = policyNameMaxLen - id.UniqueIDSuffixLength` },
  /** `aws_sqs_queue.name`. */
  sqsQueueName: { max: 80, min: 1, source: 'SQS CreateQueue API reference: "A queue name can have up to 80 characters"' },
  /** `aws_kms_alias.name`, `alias/` included. */
  kmsAliasName: { max: 256, min: 7, source: 'KMS CreateAlias API reference: "The AliasName value must be string of 1-256 characters", starting with alias/' },
  /** `aws_cloudwatch_log_group.name`. */
  logGroupName: { max: 512, min: 1, source: 'CloudWatch Logs CreateLogGroup API reference: "Log group names can be between 1 and 512 characters long"' },
  /** `aws_cloudformation_stack.name`. */
  cloudFormationStackName: { max: 128, min: 1, source: 'CloudFormation CreateStack API reference: StackName "[a-zA-Z][-a-zA-Z0-9]*", up to 128 characters' },
  /** `aws_security_group.name_prefix`. */
  securityGroupNamePrefix: { max: 255 - SDK_UNIQUE_SUFFIX, min: 1, source: 'EC2 CreateSecurityGroup: GroupName up to 255 characters, minus the provider\'s unique suffix (unverified here)' },
} as const satisfies Record<string, AwsNameLimit>;

/** One kind of name in {@link AWS_NAME_LIMITS}. */
export type AwsNameKind = keyof typeof AWS_NAME_LIMITS;

/** Length of the hash that keeps two truncated names apart. */
export const NAME_HASH_LENGTH = 6;

/** A short, stable hash of `text` (hex of its SHA-256). */
export function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, NAME_HASH_LENGTH);
}

/**
 * `base + suffix` when it fits `kind`'s limit; otherwise `base` cut short, `-`, the hash of the
 * whole `base`, then `suffix`. Throws a {@link ValidationError} (naming `property`) when even the
 * suffix with a hash cannot fit, which only a programming error can cause.
 */
export function fitName(kind: AwsNameKind, base: string, suffix = '', property = 'clusterName'): string {
  const { max, min } = AWS_NAME_LIMITS[kind];
  const whole = `${base}${suffix}`;
  if (whole.length <= max && whole.length >= min) return whole;
  const room = max - suffix.length - NAME_HASH_LENGTH - 1;
  if (room < 1 || whole.length < min) {
    throw new ValidationError(property, base, `a value that gives a ${kind} of ${min} to ${max} characters`, AWS_NAME_LIMITS[kind].source);
  }
  return `${base.slice(0, room).replace(/[-_]+$/, '')}-${shortHash(base)}${suffix}`;
}

/** True when `value` fits `kind`'s limit. */
export function fitsLimit(kind: AwsNameKind, value: string): boolean {
  const { max, min } = AWS_NAME_LIMITS[kind];
  return value.length <= max && value.length >= min;
}

/**
 * The names of one cluster's AWS resources. Every construct takes its names from here; the
 * `names.spec.ts` suite synthesizes stacks with cluster names of 1 to 100 characters and checks
 * each against {@link AWS_NAME_LIMITS}.
 */
export const clusterNames = {
  /** IAM role of the EKS control plane (0.1.0: first 24 characters of the cluster name). */
  clusterRolePrefix: (cluster: string): string => fitName('iamRoleNamePrefix', cluster.slice(0, 24), '-cluster-'),
  /** KMS alias of the secrets key. */
  secretsKeyAlias: (cluster: string): string => exact('kmsAliasName', `alias/eks/${cluster}`),
  /** The control-plane log group: EKS writes to exactly this name, so it is never shortened. */
  controlPlaneLogGroup: (cluster: string): string => exact('logGroupName', `/aws/eks/${cluster}/cluster`),
  /** Node role of the system node group (0.1.0: first 24 characters). */
  systemNodeRolePrefix: (cluster: string): string => fitName('iamRoleNamePrefix', cluster.slice(0, 24), '-node-'),
  /** Security group of the Cilium node ports (0.1.0: first 40 characters). */
  nodeSecurityGroupPrefix: (cluster: string): string => fitName('securityGroupNamePrefix', cluster.slice(0, 40), '-node-'),
  /** Launch template of the system node group. */
  systemLaunchTemplatePrefix: (cluster: string): string => fitName('launchTemplateNamePrefix', cluster, '-system-'),
  /** The system managed node group. */
  systemNodeGroupPrefix: (cluster: string): string => fitName('eksNodeGroupNamePrefix', cluster, '-system-'),
  /** Policy with the Cilium operator's ENI permissions (0.1.0: first 40 characters). */
  ciliumOperatorPolicyPrefix: (cluster: string): string => fitName('iamPolicyNamePrefix', cluster.slice(0, 40), '-cilium-operator-'),
  /** Pod Identity role of the Cilium operator (0.1.0: first 20 characters). */
  ciliumOperatorRolePrefix: (cluster: string): string => fitName('iamRoleNamePrefix', cluster.slice(0, 20), '-cilium-op-'),
  /** Karpenter's node role (0.1.0: first 20 characters). */
  karpenterNodeRolePrefix: (cluster: string): string => fitName('iamRoleNamePrefix', cluster.slice(0, 20), '-karpenter-node-'),
  /** Karpenter's controller role (0.1.0: first 20 characters). */
  karpenterControllerRolePrefix: (cluster: string): string => fitName('iamRoleNamePrefix', cluster.slice(0, 20), '-karpenter-'),
  /** One of Karpenter's controller policies (0.1.0: first 40 characters, the whole cut to 100). */
  karpenterPolicyPrefix: (cluster: string, logicalId: string): string => fitName('iamPolicyNamePrefix', `${cluster.slice(0, 40)}-${logicalId}-`.slice(0, 100)),
  /** Karpenter's interruption queue: the getting-started template names it after the cluster. */
  karpenterInterruptionQueue: (cluster: string): string => fitName('sqsQueueName', cluster),
  /** One of Karpenter's EventBridge interruption rules. */
  karpenterRule: (cluster: string, ruleSuffix: string): string => fitName('eventBridgeRuleName', cluster, `-karpenter-${ruleSuffix}`),
  /**
   * A workload role bound through Pod Identity (`addPodIdentity`), and its policy (0.1.0: first 20
   * characters of the cluster name and first 10 of the id).
   */
  podIdentityRolePrefix: (cluster: string, id: string): string => fitName('iamRoleNamePrefix', `${cluster.slice(0, 20)}-${id.slice(0, 10)}`, '-'),
  /**
   * The CloudFormation stack that holds the evidence key (constructs/log-shipping): letters, digits
   * and `-` only, so a cluster name with `_` gets `-` instead and the hash of its real name.
   */
  evidenceKeyStack: (cluster: string): string => {
    const safe = cluster.replace(/_/g, '-');
    return fitName('cloudFormationStackName', `cilium-eks-${safe}${safe === cluster ? '' : `-${shortHash(cluster)}`}`, '-evidence-key');
  },
  /** The KMS alias of the evidence key (made by that stack). */
  evidenceKeyAlias: (cluster: string): string => exact('kmsAliasName', `alias/cilium-eks/${cluster}/evidence`),
  /** The inline-managed policy of a Pod Identity role. */
  podIdentityPolicyPrefix: (cluster: string, id: string): string => fitName('iamPolicyNamePrefix', `${cluster.slice(0, 20)}-${id.slice(0, 10)}`, '-'),
} as const;

function exact(kind: AwsNameKind, value: string): string {
  if (!fitsLimit(kind, value)) {
    throw new ValidationError('clusterName', value, `a cluster name that gives a ${kind} of at most ${AWS_NAME_LIMITS[kind].max} characters`, AWS_NAME_LIMITS[kind].source);
  }
  return value;
}
