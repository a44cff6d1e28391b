import { Construct } from 'constructs';
import { EksPodIdentityAssociation } from '@cdktf/provider-aws/lib/eks-pod-identity-association';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { ITerraformDependable } from './cdktf';
import { IamStatement, policyDocument, toJson } from '../core/iam';
import { podIdentityRole } from './pod-identity';
import { clusterNames } from '../core/names';
import { declare, optional, parse, pattern, rules, strict, text, v } from '../core/schema';
import { ec2Id, region, tags } from '../core/rules';
import { clusterName, dependables, namePrefix, partition } from './inputs';

/** Namespace and service account of the Cilium operator (the chart installs into kube-system). */
export const CILIUM_OPERATOR_NAMESPACE = 'kube-system';
export const CILIUM_OPERATOR_SERVICE_ACCOUNT = 'cilium-operator';

/**
 * What one EC2 action of the operator needs, from the Service Authorization Reference for Amazon
 * EC2 ("Actions defined by Amazon EC2"): the resource types it authorizes (none: only `*`), and
 * whether the statement that grants it can name the cluster's VPC (`ec2:Vpc`, the VPC's ARN, is a
 * condition key of the `network-interface`, `subnet` and `security-group` resource types).
 */
export interface CiliumOperatorEc2Action {
  /**
   * The IAM action, with its service prefix (`ec2:CreateNetworkInterface`), as it appears in the operator's
   * policy.
   */
  readonly action: string;
  /** Resource types of the action; empty when it has no resource-level permissions (Describe, Get). */
  readonly resourceTypes: readonly ('network-interface' | 'subnet' | 'security-group' | 'instance')[];
  /** Where it comes from in Cilium (pkg/aws/ec2/ec2.go) and what it is for. */
  readonly use: string;
}

/**
 * Every EC2 action Cilium's ENI IPAM calls (Cilium docs network/concepts/ipam/eni, "Required
 * Privileges", and `pkg/aws/ec2/ec2.go`: ENIs are created with their tags in the request
 * (`TagSpecifications`), prefixes are assigned and released with Assign/UnassignPrivateIpAddresses),
 * with the resource types of each (Service Authorization Reference for Amazon EC2). The resource
 * types of the write actions are the ones AWS's own scoped ENI policies name for them
 * (`AmazonEKSNetworkingPolicy` v3 and `SageMakerStudioProjectRoleMachineLearningPolicy`, which
 * scope CreateNetworkInterface, AttachNetworkInterface and DeleteNetworkInterface to one VPC with
 * `ec2:Vpc` on network-interface, subnet and security-group ARNs).
 */
export const CILIUM_OPERATOR_EC2_ACTIONS: readonly CiliumOperatorEc2Action[] = Object.freeze([
  { action: 'ec2:DescribeInstanceTypes', resourceTypes: [], use: 'ENI and address limits per instance type' },
  { action: 'ec2:DescribeInstances', resourceTypes: [], use: 'instances with instance tag filters' },
  { action: 'ec2:DescribeManagedPrefixLists', resourceTypes: [], use: 'prefix lists' },
  { action: 'ec2:DescribeNetworkInterfaces', resourceTypes: [], use: 'the ENIs and their addresses' },
  { action: 'ec2:DescribeRouteTables', resourceTypes: [], use: 'route tables of the subnets' },
  { action: 'ec2:DescribeSecurityGroups', resourceTypes: [], use: 'security groups of new ENIs' },
  { action: 'ec2:DescribeSubnets', resourceTypes: [], use: 'subnets and their free addresses' },
  { action: 'ec2:DescribeTags', resourceTypes: [], use: 'ENI garbage collection by tag' },
  { action: 'ec2:DescribeVpcs', resourceTypes: [], use: 'the VPC and its CIDRs' },
  { action: 'ec2:GetManagedPrefixListEntries', resourceTypes: [], use: 'prefix list entries' },
  { action: 'ec2:CreateNetworkInterface', resourceTypes: ['network-interface', 'subnet', 'security-group'], use: 'a new ENI in a pod subnet' },
  { action: 'ec2:AttachNetworkInterface', resourceTypes: ['instance', 'network-interface'], use: 'the new ENI to its node' },
  { action: 'ec2:ModifyNetworkInterfaceAttribute', resourceTypes: ['instance', 'network-interface', 'security-group'], use: 'delete-on-termination of the attachment' },
  { action: 'ec2:DeleteNetworkInterface', resourceTypes: ['network-interface'], use: 'an ENI no longer needed, and dangling ones (garbage collection)' },
  { action: 'ec2:AssignPrivateIpAddresses', resourceTypes: ['network-interface'], use: 'addresses or /28 prefixes for pods' },
  { action: 'ec2:UnassignPrivateIpAddresses', resourceTypes: ['network-interface'], use: 'excess addresses and prefixes released' },
  { action: 'ec2:CreateTags', resourceTypes: ['network-interface'], use: 'tags of the ENIs it creates (in the CreateNetworkInterface request)' },
]);

/** EC2 actions the operator reads with: no resource-level permissions exist for them, so `*`. */
export const CILIUM_OPERATOR_READ_ACTIONS = CILIUM_OPERATOR_EC2_ACTIONS.filter((a) => a.resourceTypes.length === 0).map((a) => a.action);

/** EC2 actions the operator changes ENIs with: scoped to the cluster's VPC. */
export const CILIUM_OPERATOR_WRITE_ACTIONS = CILIUM_OPERATOR_EC2_ACTIONS.filter((a) => a.resourceTypes.length > 0).map((a) => a.action);

/**
 * Where the operator's ENI policy points: the partition, region and account of every EC2 ARN in it and the
 * VPC its writes are held to. Each field may be a Terraform reference. {@link CiliumEksCluster} fills it from
 * its {@link AwsContext} and network.
 */
export interface CiliumOperatorPolicyContext {
  /** The AWS partition of the EC2 ARNs (`aws`, `aws-cn`, `aws-us-gov`): `arn:<partition>:ec2:...`. */
  readonly partition: string;
  /**
   * The cluster's region (`eu-west-1`): the EC2 ARNs cover this region's ENIs, subnets, security groups and
   * instances only.
   */
  readonly region: string;
  /**
   * The 12-digit account ID of the cluster: the EC2 ARNs cover this account's resources only (e.g.
   * `aws_caller_identity.account_id`).
   */
  readonly accountId: string;
  /** The cluster's VPC: every ENI, subnet and security group the operator changes or uses is in it. */
  readonly vpcId: string;
}
/** The declaration of {@link CiliumOperatorPolicyContext} (each field may be a Terraform reference). */
export const CiliumOperatorPolicyContextSchema = declare<CiliumOperatorPolicyContext>()(
  strict(
    { partition: partition(), region: region(), accountId: pattern(/^\d{12}$/, 'a 12-digit AWS account ID'), vpcId: ec2Id('vpc', 'a VPC ID') },
    'a policy context { partition, region, accountId, vpcId }',
  ),
);

/**
 * The ENI permissions of the Cilium operator, and nothing more (see {@link CILIUM_OPERATOR_EC2_ACTIONS}).
 * `AmazonEKS_CNI_Policy` is not a superset, so it is not used. Scoping, per statement:
 *
 * - `CiliumEniRead`: the Describe and Get calls, on `*`: EC2 has no resource-level permissions for them.
 * - `CiliumEniInVpc...`: every write on the account's and region's ENIs, subnets and security
 *   groups, each action on exactly its resource types (one statement per set of types), only where
 *   `ec2:Vpc` is the cluster's VPC: no ENI of another VPC (another cluster's, a database's) can be
 *   created, changed, deleted or tagged.
 * - `CiliumEniInstances`: Attach and ModifyNetworkInterfaceAttribute on the account's and region's
 *   instances. The `instance` resource type has no `ec2:Vpc` key, and the node tags differ between
 *   the managed node group and Karpenter, so no condition; an ENI attaches only to an instance of
 *   its own zone and VPC, and the ENI itself is held to the VPC by `CiliumEniInVpc`.
 * - `CiliumEniTagOnCreate`: CreateTags on ENIs only as part of CreateNetworkInterface
 *   (`ec2:CreateAction`), the pattern of `AmazonEKSNetworkingPolicy`: at creation the new ENI's VPC
 *   key may not be known to the tagging check yet.
 */
export function ciliumOperatorPolicyStatements(ctx: CiliumOperatorPolicyContext): IamStatement[] {
  const ec2 = `arn:${ctx.partition}:ec2:${ctx.region}:${ctx.accountId}`;
  const inVpcTypes: readonly string[] = ['network-interface', 'subnet', 'security-group'];
  // One statement per set of in-VPC resource types, so each action reaches exactly its own types.
  const groups = new Map<string, string[]>();
  for (const a of CILIUM_OPERATOR_EC2_ACTIONS) {
    const types = a.resourceTypes.filter((t) => inVpcTypes.includes(t));
    if (types.length === 0) continue;
    const key = inVpcTypes.filter((t) => types.includes(t as never)).join(',');
    groups.set(key, [...(groups.get(key) ?? []), a.action]);
  }
  const inVpc = [...groups.entries()].map(([key, actions]): IamStatement => ({
    Sid: `CiliumEniInVpc${key.split(',').map((t) => t.split('-').map((w) => w[0].toUpperCase() + w.slice(1)).join('')).join('')}`,
    Effect: 'Allow',
    Action: actions,
    Resource: key.split(',').map((t) => `${ec2}:${t}/*`),
    Condition: { ArnEquals: { 'ec2:Vpc': `${ec2}:vpc/${ctx.vpcId}` } },
  }));
  const instanceActions = CILIUM_OPERATOR_EC2_ACTIONS.filter((a) => a.resourceTypes.includes('instance')).map((a) => a.action);
  return [
    { Sid: 'CiliumEniRead', Effect: 'Allow', Action: [...CILIUM_OPERATOR_READ_ACTIONS], Resource: '*' },
    ...inVpc,
    { Sid: 'CiliumEniInstances', Effect: 'Allow', Action: instanceActions, Resource: `${ec2}:instance/*` },
    {
      Sid: 'CiliumEniTagOnCreate',
      Effect: 'Allow',
      Action: ['ec2:CreateTags'],
      Resource: `${ec2}:network-interface/*`,
      Condition: { StringEquals: { 'ec2:CreateAction': 'CreateNetworkInterface' } },
    },
  ];
}

/** Where the operator's AWS permissions live. */
export enum OperatorIdentityMode {
  /**
   * An IAM role for `kube-system/cilium-operator`, bound through an EKS Pod Identity association.
   * Least privilege: only the operator's pods get the ENI permissions.
   */
  POD_IDENTITY = 'pod-identity',
  /**
   * The same policy on the node role. Every host-network pod on every node can then use it; use
   * this only where Pod Identity is unavailable.
   */
  NODE_ROLE = 'node-role',
}

/**
 * The props of {@link CiliumOperatorIdentity}: the cluster, the names' prefix, what the policy is scoped to
 * and where it goes. {@link CiliumEksCluster} fills them; `cilium.operatorIdentity` of its props gives
 * `mode`.
 */
export interface CiliumOperatorIdentityProps {
  /** Cluster name, best as the cluster resource's `name` attribute so the association waits for it. */
  readonly clusterName: string;
  /** Prefix of IAM names: the configured cluster name (a plain string, never a token). */
  readonly namePrefix: string;
  /**
   * The partition, region, account and VPC the ENI policy is scoped to
   * ({@link ciliumOperatorPolicyStatements}).
   */
  readonly policyContext: CiliumOperatorPolicyContext;
  /** Where the permissions go. @default OperatorIdentityMode.POD_IDENTITY */
  readonly mode?: OperatorIdentityMode;
  /** Node role name, required for {@link OperatorIdentityMode.NODE_ROLE}. @default - none */
  readonly nodeRoleName?: string;
  /** What the association waits for (the Pod Identity agent add-on). @default - nothing */
  readonly dependsOn?: ITerraformDependable[];
  /** Tags on the IAM resources. @default - none */
  readonly tags?: Record<string, string>;
}
/** The declaration of {@link CiliumOperatorIdentityProps}: `nodeRoleName` is required with `mode: NODE_ROLE`. */
export const CiliumOperatorIdentityPropsSchema = declare<CiliumOperatorIdentityProps>()(
  rules(
    strict(
      {
        clusterName: clusterName(),
        namePrefix: namePrefix(),
        policyContext: CiliumOperatorPolicyContextSchema,
        mode: optional(v.enum(OperatorIdentityMode, `one of ${Object.values(OperatorIdentityMode).join(', ')}`)),
        nodeRoleName: optional(text('an IAM role name')),
        dependsOn: optional(dependables()),
        tags: optional(tags()),
      },
      'CiliumOperatorIdentity props { clusterName, namePrefix, policyContext, mode?, nodeRoleName?, ... }',
    ),
    (p, report) => {
      if (p.mode === OperatorIdentityMode.NODE_ROLE && !p.nodeRoleName) report(['nodeRoleName'], p.nodeRoleName, 'the name of the node IAM role when mode is OperatorIdentityMode.NODE_ROLE', "the operator's ENI policy is attached to that role");
    },
  ),
);

/**
 * The Cilium operator's AWS identity: the ENI policy, and either a Pod Identity role and
 * association (default) or an attachment to the node role.
 */
export class CiliumOperatorIdentity extends Construct {
  /**
   * The customer-managed IAM policy holding {@link ciliumOperatorPolicyStatements} (`aws_iam_policy`, name
   * prefix from the cluster name), attached to {@link CiliumOperatorIdentity.role} or to the node role by
   * `mode`.
   */
  public readonly policy: IamPolicy;
  /**
   * The operator's IAM role, trusted by EKS Pod Identity, with {@link CiliumOperatorIdentity.policy}
   * attached; only in {@link OperatorIdentityMode.POD_IDENTITY} mode.
   */
  public readonly role?: IamRole;
  /**
   * The EKS Pod Identity association of `kube-system/cilium-operator` with
   * {@link CiliumOperatorIdentity.role}; only in {@link OperatorIdentityMode.POD_IDENTITY} mode. It waits for
   * `dependsOn` (the Pod Identity agent add-on).
   */
  public readonly association?: EksPodIdentityAssociation;
  /**
   * The attachment of {@link CiliumOperatorIdentity.policy} to the node role `nodeRoleName`; only in
   * {@link OperatorIdentityMode.NODE_ROLE} mode.
   */
  public readonly nodeRoleAttachment?: IamRolePolicyAttachment;
  /** Where the permissions went: `mode` as given, else {@link OperatorIdentityMode.POD_IDENTITY}. */
  public readonly mode: OperatorIdentityMode;
  /** What the Cilium release must wait for. */
  public readonly dependables: ITerraformDependable[];

  constructor(scope: Construct, id: string, props: CiliumOperatorIdentityProps) {
    super(scope, id);
    parse(CiliumOperatorIdentityPropsSchema, props);
    this.mode = props.mode ?? OperatorIdentityMode.POD_IDENTITY;
    this.policy = new IamPolicy(this, 'policy', {
      namePrefix: clusterNames.ciliumOperatorPolicyPrefix(props.namePrefix),
      description: 'ENI IPAM permissions of the Cilium operator',
      policy: toJson(policyDocument(ciliumOperatorPolicyStatements(props.policyContext))),
      tags: props.tags,
    });
    if (this.mode === OperatorIdentityMode.POD_IDENTITY) {
      const identity = podIdentityRole(this, {
        clusterName: props.clusterName,
        namespace: CILIUM_OPERATOR_NAMESPACE,
        serviceAccount: CILIUM_OPERATOR_SERVICE_ACCOUNT,
        roleNamePrefix: clusterNames.ciliumOperatorRolePrefix(props.namePrefix),
        policies: [{ id: 'policy-attachment', policyArn: this.policy.arn }],
        dependsOn: props.dependsOn,
        tags: props.tags,
      });
      this.role = identity.role;
      this.association = identity.association;
      this.dependables = identity.dependables;
    } else {
      this.nodeRoleAttachment = new IamRolePolicyAttachment(this, 'node-role-attachment', {
        role: props.nodeRoleName as string,
        policyArn: this.policy.arn,
      });
      this.dependables = [this.nodeRoleAttachment];
    }
  }
}
