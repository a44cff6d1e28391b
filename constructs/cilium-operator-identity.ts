import { Construct } from 'constructs';
import { EksPodIdentityAssociation } from '@cdktf/provider-aws/lib/eks-pod-identity-association';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { ITerraformDependable } from './cdktf';
import { IamStatement, policyDocument, toJson } from '../core/iam';
import { podIdentityRole } from './pod-identity';
import { clusterNames } from '../core/names';
import { ValidationError } from '../core/errors';

/** Namespace and service account of the Cilium operator (the chart installs into kube-system). */
export const CILIUM_OPERATOR_NAMESPACE = 'kube-system';
export const CILIUM_OPERATOR_SERVICE_ACCOUNT = 'cilium-operator';

/** EC2 actions the operator reads with: no resource-level scoping exists for Describe calls. */
export const CILIUM_OPERATOR_READ_ACTIONS = [
  'ec2:DescribeInstanceTypes',
  'ec2:DescribeInstances',
  'ec2:DescribeManagedPrefixLists',
  'ec2:DescribeNetworkInterfaces',
  'ec2:DescribeRouteTables',
  'ec2:DescribeSecurityGroups',
  'ec2:DescribeSubnets',
  'ec2:DescribeTags',
  'ec2:DescribeVpcs',
  'ec2:GetManagedPrefixListEntries',
];

/** EC2 actions the operator changes ENIs with, scoped to the account and region. */
export const CILIUM_OPERATOR_WRITE_ACTIONS = [
  'ec2:AssignPrivateIpAddresses',
  'ec2:AttachNetworkInterface',
  'ec2:CreateNetworkInterface',
  'ec2:DeleteNetworkInterface',
  'ec2:ModifyNetworkInterfaceAttribute',
  'ec2:UnassignPrivateIpAddresses',
];

export interface CiliumOperatorPolicyContext {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
}

/**
 * The ENI permissions of the Cilium operator, and nothing more (Cilium docs,
 * network/concepts/ipam/eni "Required Privileges", plus UnassignPrivateIpAddresses for releasing
 * excess addresses, DescribeTags for ENI garbage collection and DescribeInstances for instance
 * tag filters). `AmazonEKS_CNI_Policy` is not a superset, so it is not used.
 */
export function ciliumOperatorPolicyStatements(ctx: CiliumOperatorPolicyContext): IamStatement[] {
  const ec2 = `arn:${ctx.partition}:ec2:${ctx.region}:${ctx.accountId}`;
  return [
    { Sid: 'CiliumEniRead', Effect: 'Allow', Action: [...CILIUM_OPERATOR_READ_ACTIONS], Resource: '*' },
    {
      Sid: 'CiliumEniWrite',
      Effect: 'Allow',
      Action: [...CILIUM_OPERATOR_WRITE_ACTIONS],
      Resource: [`${ec2}:instance/*`, `${ec2}:network-interface/*`, `${ec2}:security-group/*`, `${ec2}:subnet/*`],
    },
    { Sid: 'CiliumEniTag', Effect: 'Allow', Action: ['ec2:CreateTags'], Resource: `${ec2}:network-interface/*` },
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

export interface CiliumOperatorIdentityProps {
  /** Cluster name, best as the cluster resource's `name` attribute so the association waits for it. */
  readonly clusterName: string;
  /** Prefix of IAM names: the configured cluster name (a plain string, never a token). */
  readonly namePrefix: string;
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

/**
 * The Cilium operator's AWS identity: the ENI policy, and either a Pod Identity role and
 * association (default) or an attachment to the node role.
 */
export class CiliumOperatorIdentity extends Construct {
  public readonly policy: IamPolicy;
  public readonly role?: IamRole;
  public readonly association?: EksPodIdentityAssociation;
  public readonly nodeRoleAttachment?: IamRolePolicyAttachment;
  public readonly mode: OperatorIdentityMode;
  /** What the Cilium release must wait for. */
  public readonly dependables: ITerraformDependable[];

  constructor(scope: Construct, id: string, props: CiliumOperatorIdentityProps) {
    super(scope, id);
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
      if (!props.nodeRoleName) {
        throw new ValidationError('nodeRoleName', props.nodeRoleName, 'the name of the node IAM role when mode is OperatorIdentityMode.NODE_ROLE', 'the operator\'s ENI policy is attached to that role');
      }
      this.nodeRoleAttachment = new IamRolePolicyAttachment(this, 'node-role-attachment', {
        role: props.nodeRoleName,
        policyArn: this.policy.arn,
      });
      this.dependables = [this.nodeRoleAttachment];
    }
  }
}
