/**
 * The Karpenter controller's IAM policy, statement for statement as in the getting-started
 * CloudFormation template of the pinned release (`shared/upstream/karpenter/1.14.1/
 * cloudformation.yaml`, managed policies NodeLifecyclePolicy, IAMIntegrationPolicy,
 * EKSIntegrationPolicy, InterruptionPolicy, ZonalShiftPolicy and ResourceDiscoveryPolicy).
 * `__tests__/karpenter-policy.spec.ts` compares it with that file, so a difference fails the build.
 *
 * Pure data: every context string may be a Terraform token; it is interpolated exactly where the
 * template has `${AWS::Partition}`, `${AWS::Region}`, `${AWS::AccountId}`, `${ClusterName}`,
 * `${KarpenterNodeRole.Arn}` or `${KarpenterInterruptionQueue.Arn}`. Some condition keys carry the
 * cluster name, so serialise documents as a JSON string ({@link iamPolicyDocumentJson}), as the
 * template does, rather than as a map whose keys Terraform would have to resolve.
 */
import { ValidationError } from '../../core/errors';
import { IamConditionValues, IamStatement as BaseIamStatement, IAM_POLICY_VERSION, policyDocument } from '../../core/iam';

export { IAM_POLICY_VERSION };

/** `Condition` block: operator (`StringEquals`, ...) to condition key to value. */
export type IamCondition = Record<string, IamConditionValues>;

/** A statement of the template: the project's IAM statement with the template's Sid and action list always set. */
export interface IamStatement extends BaseIamStatement {
  /** Statement id, as in the upstream template. */
  Sid: string;
  /** `Allow` or `Deny`. */
  Effect: 'Allow' | 'Deny';
  /** Actions, always as a list (the template writes a single action as a string). */
  Action: string[];
  /** Resource ARN or ARNs, in the template's form (a string where it has one). */
  Resource: string | string[];
  /** Conditions. @default - none */
  Condition?: IamCondition;
}

/** What the controller policy is scoped to. Each value may be a Terraform token. */
export interface KarpenterPolicyContext {
  /** AWS partition (`aws`, `aws-cn`, `aws-us-gov`). */
  readonly partition: string;
  /** Region of the cluster. */
  readonly region: string;
  /** Account id of the cluster. */
  readonly accountId: string;
  /** EKS cluster name: the `kubernetes.io/cluster/<name>` and `eks:eks-cluster-name` tag scope. */
  readonly clusterName: string;
  /** ARN of the node role, the only role the controller may pass (`iam:PassRole`). */
  readonly nodeRoleArn: string;
  /**
   * Name of the node role. The template's statements do not use it (they use the ARN); it is here
   * so one context object feeds the policy and the EC2NodeClass `role`.
   */
  readonly nodeRoleName: string;
  /** ARN of the interruption SQS queue the controller reads. */
  readonly interruptionQueueArn: string;
}

/** One managed policy of the template: the unit the controller role attaches. */
export interface KarpenterControllerPolicy {
  /** Logical id of the template resource (`NodeLifecyclePolicy`): stable, token-free, fit for a construct id. */
  readonly logicalId: string;
  /**
   * `ManagedPolicyName` as the template builds it: `KarpenterController<Part>Policy-<clusterName>`.
   * IAM caps policy names at 128 characters, which a cluster name over 85 characters breaks: use
   * it as a name prefix, or shorten it, in that case.
   */
  readonly name: string;
  /** The statements of that policy, in the template's order. */
  readonly statements: IamStatement[];
}

/**
 * Maximum size of a customer managed policy document in characters, white space not counted
 * (IAM quotas, "Managed policy size"). The template splits the controller policy into several
 * managed policies to stay under it.
 */
export const IAM_MANAGED_POLICY_MAX_CHARS = 6144;

/** `Version` of every policy document. */

/** Condition keys that scope an EC2 or IAM request or resource to this cluster. */
function tagScope(c: KarpenterPolicyContext) {
  return {
    resourceOwned: { [`aws:ResourceTag/kubernetes.io/cluster/${c.clusterName}`]: 'owned' },
    requestOwned: { [`aws:RequestTag/kubernetes.io/cluster/${c.clusterName}`]: 'owned' },
    requestClusterName: { 'aws:RequestTag/eks:eks-cluster-name': c.clusterName },
    resourceRegion: { 'aws:ResourceTag/topology.kubernetes.io/region': c.region },
    requestRegion: { 'aws:RequestTag/topology.kubernetes.io/region': c.region },
    resourceNodePool: { 'aws:ResourceTag/karpenter.sh/nodepool': '*' },
    requestNodePool: { 'aws:RequestTag/karpenter.sh/nodepool': '*' },
    resourceNodeClass: { 'aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass': '*' },
    requestNodeClass: { 'aws:RequestTag/karpenter.k8s.aws/ec2nodeclass': '*' },
  };
}

/** `arn:<partition>:ec2:<region>:<account>:<resource>`; the template uses `*` or empty for the account. */
function ec2Arn(c: KarpenterPolicyContext, resource: string, account: '*' | '' = '*'): string {
  return `arn:${c.partition}:ec2:${c.region}:${account}:${resource}`;
}

function ec2Arns(c: KarpenterPolicyContext, resources: readonly string[]): string[] {
  return resources.map((r) => ec2Arn(c, `${r}/*`));
}

/** EC2 resources Karpenter creates with the cluster's tags (fleets, instances, their volumes and ENIs, ...). */
const TAGGED_ON_CREATION = ['fleet', 'instance', 'volume', 'network-interface', 'launch-template', 'spot-instances-request'];

function nodeLifecycleStatements(c: KarpenterPolicyContext): IamStatement[] {
  const t = tagScope(c);
  return [
    {
      Sid: 'AllowScopedEC2InstanceAccessActions',
      Effect: 'Allow',
      Resource: [
        ec2Arn(c, 'image/*', ''),
        ec2Arn(c, 'snapshot/*', ''),
        ...ec2Arns(c, ['security-group', 'subnet', 'capacity-reservation', 'placement-group']),
      ],
      Action: ['ec2:RunInstances', 'ec2:CreateFleet'],
    },
    {
      Sid: 'AllowScopedEC2LaunchTemplateAccessActions',
      Effect: 'Allow',
      Resource: ec2Arn(c, 'launch-template/*'),
      Action: ['ec2:RunInstances', 'ec2:CreateFleet'],
      Condition: { StringEquals: { ...t.resourceOwned }, StringLike: { ...t.resourceNodePool } },
    },
    {
      Sid: 'AllowScopedEC2InstanceActionsWithTags',
      Effect: 'Allow',
      Resource: ec2Arns(c, TAGGED_ON_CREATION),
      Action: ['ec2:RunInstances', 'ec2:CreateFleet', 'ec2:CreateLaunchTemplate'],
      Condition: {
        StringEquals: { ...t.requestOwned, ...t.requestClusterName },
        StringLike: { ...t.requestNodePool },
      },
    },
    {
      Sid: 'AllowScopedResourceCreationTagging',
      Effect: 'Allow',
      Resource: ec2Arns(c, TAGGED_ON_CREATION),
      Action: ['ec2:CreateTags'],
      Condition: {
        StringEquals: {
          ...t.requestOwned,
          ...t.requestClusterName,
          'ec2:CreateAction': ['RunInstances', 'CreateFleet', 'CreateLaunchTemplate'],
        },
        StringLike: { ...t.requestNodePool },
      },
    },
    {
      Sid: 'AllowScopedResourceTagging',
      Effect: 'Allow',
      Resource: ec2Arn(c, 'instance/*'),
      Action: ['ec2:CreateTags'],
      Condition: {
        StringEquals: { ...t.resourceOwned },
        StringLike: { ...t.resourceNodePool },
        StringEqualsIfExists: { ...t.requestClusterName },
        'ForAllValues:StringEquals': { 'aws:TagKeys': ['eks:eks-cluster-name', 'karpenter.sh/nodeclaim', 'Name'] },
      },
    },
    {
      Sid: 'AllowScopedDeletion',
      Effect: 'Allow',
      Resource: ec2Arns(c, ['instance', 'launch-template']),
      Action: ['ec2:TerminateInstances', 'ec2:DeleteLaunchTemplate'],
      Condition: { StringEquals: { ...t.resourceOwned }, StringLike: { ...t.resourceNodePool } },
    },
  ];
}

function iamIntegrationStatements(c: KarpenterPolicyContext): IamStatement[] {
  const t = tagScope(c);
  const instanceProfiles = `arn:${c.partition}:iam::${c.accountId}:instance-profile/*`;
  return [
    {
      Sid: 'AllowPassingInstanceRole',
      Effect: 'Allow',
      Resource: c.nodeRoleArn,
      Action: ['iam:PassRole'],
      Condition: { StringEquals: { 'iam:PassedToService': ['ec2.amazonaws.com', 'ec2.amazonaws.com.cn'] } },
    },
    {
      Sid: 'AllowScopedInstanceProfileCreationActions',
      Effect: 'Allow',
      Resource: instanceProfiles,
      Action: ['iam:CreateInstanceProfile'],
      Condition: {
        StringEquals: { ...t.requestOwned, ...t.requestClusterName, ...t.requestRegion },
        StringLike: { ...t.requestNodeClass },
      },
    },
    {
      Sid: 'AllowScopedInstanceProfileTagActions',
      Effect: 'Allow',
      Resource: instanceProfiles,
      Action: ['iam:TagInstanceProfile'],
      Condition: {
        StringEquals: { ...t.resourceOwned, ...t.resourceRegion, ...t.requestOwned, ...t.requestClusterName, ...t.requestRegion },
        StringLike: { ...t.resourceNodeClass, ...t.requestNodeClass },
      },
    },
    {
      Sid: 'AllowScopedInstanceProfileActions',
      Effect: 'Allow',
      Resource: instanceProfiles,
      Action: ['iam:AddRoleToInstanceProfile', 'iam:RemoveRoleFromInstanceProfile', 'iam:DeleteInstanceProfile'],
      Condition: {
        StringEquals: { ...t.resourceOwned, ...t.resourceRegion },
        StringLike: { ...t.resourceNodeClass },
      },
    },
  ];
}

function clusterArn(c: KarpenterPolicyContext): string {
  return `arn:${c.partition}:eks:${c.region}:${c.accountId}:cluster/${c.clusterName}`;
}

function eksIntegrationStatements(c: KarpenterPolicyContext): IamStatement[] {
  return [{ Sid: 'AllowAPIServerEndpointDiscovery', Effect: 'Allow', Resource: clusterArn(c), Action: ['eks:DescribeCluster'] }];
}

function interruptionStatements(c: KarpenterPolicyContext): IamStatement[] {
  return [
    {
      Sid: 'AllowInterruptionQueueActions',
      Effect: 'Allow',
      Resource: c.interruptionQueueArn,
      Action: ['sqs:DeleteMessage', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage'],
    },
  ];
}

function zonalShiftStatements(c: KarpenterPolicyContext): IamStatement[] {
  return [
    {
      Sid: 'AllowZonalShiftStatusReadOnly',
      Effect: 'Allow',
      Resource: '*',
      Action: ['arc-zonal-shift:GetManagedResource'],
      Condition: { StringEquals: { 'arc-zonal-shift:ResourceIdentifier': clusterArn(c) } },
    },
  ];
}

function resourceDiscoveryStatements(c: KarpenterPolicyContext): IamStatement[] {
  return [
    {
      Sid: 'AllowRegionalReadActions',
      Effect: 'Allow',
      Resource: '*',
      Action: [
        'ec2:DescribeCapacityReservations',
        'ec2:DescribeImages',
        'ec2:DescribeInstances',
        'ec2:DescribeInstanceStatus',
        'ec2:DescribeInstanceTypeOfferings',
        'ec2:DescribeInstanceTypes',
        'ec2:DescribeLaunchTemplates',
        'ec2:DescribePlacementGroups',
        'ec2:DescribeSecurityGroups',
        'ec2:DescribeSpotPriceHistory',
        'ec2:DescribeSubnets',
      ],
      Condition: { StringEquals: { 'aws:RequestedRegion': c.region } },
    },
    {
      Sid: 'AllowSSMReadActions',
      Effect: 'Allow',
      Resource: `arn:${c.partition}:ssm:${c.region}::parameter/aws/service/*`,
      Action: ['ssm:GetParameter'],
    },
    { Sid: 'AllowPricingReadActions', Effect: 'Allow', Resource: '*', Action: ['pricing:GetProducts'] },
    { Sid: 'AllowUnscopedInstanceProfileListAction', Effect: 'Allow', Resource: '*', Action: ['iam:ListInstanceProfiles'] },
    {
      Sid: 'AllowInstanceProfileReadActions',
      Effect: 'Allow',
      Resource: `arn:${c.partition}:iam::${c.accountId}:instance-profile/*`,
      Action: ['iam:GetInstanceProfile'],
    },
  ];
}

/** The template's managed policies, in its order: logical id, name part, statements. */
const POLICY_PARTS: ReadonlyArray<readonly [string, string, (c: KarpenterPolicyContext) => IamStatement[]]> = [
  ['NodeLifecyclePolicy', 'NodeLifecycle', nodeLifecycleStatements],
  ['IAMIntegrationPolicy', 'IAMIntegration', iamIntegrationStatements],
  ['EKSIntegrationPolicy', 'EKSIntegration', eksIntegrationStatements],
  ['InterruptionPolicy', 'Interruption', interruptionStatements],
  ['ZonalShiftPolicy', 'ZonalShift', zonalShiftStatements],
  ['ResourceDiscoveryPolicy', 'ResourceDiscovery', resourceDiscoveryStatements],
];

function checkContext(ctx: KarpenterPolicyContext): void {
  for (const key of ['partition', 'region', 'accountId', 'clusterName', 'nodeRoleArn', 'nodeRoleName', 'interruptionQueueArn'] as const) {
    const value: unknown = ctx[key];
    if (typeof value !== 'string' || value.length === 0) {
      throw new ValidationError(`karpenterPolicy.${key}`, value, 'a non-empty string (a Terraform token is fine)');
    }
  }
}

/** Every statement of the controller policy, in the template's order. */
export function karpenterControllerPolicyStatements(ctx: KarpenterPolicyContext): IamStatement[] {
  return karpenterControllerPolicies(ctx).flatMap((p) => p.statements);
}

/** `{Version, Statement}` of a policy document. */
export function iamPolicyDocument(statements: readonly IamStatement[]): { Version: string; Statement: IamStatement[] } {
  return policyDocument(statements) as { Version: string; Statement: IamStatement[] };
}

/** A policy document as the JSON string IAM takes (tokens inside stay as they are, keys included). */
export function iamPolicyDocumentJson(statements: readonly IamStatement[]): string {
  return JSON.stringify(iamPolicyDocument(statements));
}

/**
 * Size IAM counts for a document: its JSON without white space. With tokens in the context the
 * result measures the token text, not the deploy-time value.
 */
export function iamPolicyDocumentSize(statements: readonly IamStatement[]): number {
  return iamPolicyDocumentJson(statements).length;
}

/**
 * The controller policy as the template's managed policies, so that no document reaches
 * {@link IAM_MANAGED_POLICY_MAX_CHARS}: one entry per template policy, in its order. A policy that
 * would still exceed the limit with the given (resolved) values is split further into
 * `<logicalId>2`, `<logicalId>3`, ... without changing any statement. With the longest cluster name
 * EKS allows (100 characters) the largest template policy stays well under the limit, so with
 * tokens in the context the result is always the six template policies.
 */
export function karpenterControllerPolicies(ctx: KarpenterPolicyContext): KarpenterControllerPolicy[] {
  checkContext(ctx);
  const out: KarpenterControllerPolicy[] = [];
  for (const [logicalId, part, build] of POLICY_PARTS) {
    const name = `KarpenterController${part}Policy-${ctx.clusterName}`;
    const chunks: IamStatement[][] = [[]];
    for (const statement of build(ctx)) {
      const current = chunks[chunks.length - 1];
      if (current.length > 0 && iamPolicyDocumentSize([...current, statement]) > IAM_MANAGED_POLICY_MAX_CHARS) {
        chunks.push([statement]);
      } else {
        current.push(statement);
      }
    }
    chunks.forEach((statements, i) => {
      const suffix = i === 0 ? '' : String(i + 1);
      out.push({ logicalId: `${logicalId}${suffix}`, name: i === 0 ? name : `${name}-${i + 1}`, statements });
    });
  }
  return out;
}
