import { Construct } from 'constructs';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { serviceTrustPolicy, toJson } from '../core/iam';
import { servicePrincipal } from '../core/partition';
import { declare, optional, parse, strict } from '../core/schema';
import { tags } from '../core/rules';
import { namePrefix, partition } from './inputs';

/**
 * AWS managed policies of a Cilium node: worker node, ECR read-only and SSM core. No
 * `AmazonEKS_CNI_Policy`: Cilium's operator, not the node, manages ENIs.
 */
export const NODE_MANAGED_POLICIES = ['AmazonEKSWorkerNodePolicy', 'AmazonEC2ContainerRegistryReadOnly', 'AmazonSSMManagedInstanceCore'];

/** The props of {@link NodeRole}: the role's name prefix, its partition and its tags. */
export interface NodeRoleProps {
  /** Prefix of the role name (a random suffix is added at apply time). */
  readonly namePrefix: string;
  /** AWS partition, for the managed policy ARNs and the EC2 service principal. */
  readonly partition: string;
  /** Tags on the role. @default - none */
  readonly tags?: Record<string, string>;
}
/** The declaration of {@link NodeRoleProps}. */
export const NodeRolePropsSchema = declare<NodeRoleProps>()(strict({ namePrefix: namePrefix(), partition: partition(), tags: optional(tags()) }, 'NodeRole props { namePrefix, partition, tags? }'));

/** An EC2 node role with exactly {@link NODE_MANAGED_POLICIES}. */
export class NodeRole extends Construct {
  /**
   * The IAM role (`aws_iam_role`) EC2 instances assume: its `arn` goes to the node group's `node_role_arn`,
   * its `name` to the instance profile or access entry that uses it.
   */
  public readonly role: IamRole;
  /**
   * The attachments of {@link NODE_MANAGED_POLICIES}, one per policy in that order; depend on them before
   * launching nodes, or the first nodes may start without the policies.
   */
  public readonly attachments: IamRolePolicyAttachment[];

  constructor(scope: Construct, id: string, props: NodeRoleProps) {
    super(scope, id);
    parse(NodeRolePropsSchema, props);
    this.role = new IamRole(this, 'role', {
      namePrefix: props.namePrefix.slice(0, 38),
      assumeRolePolicy: toJson(serviceTrustPolicy(servicePrincipal('ec2', props.partition))),
      tags: props.tags,
    });
    this.attachments = NODE_MANAGED_POLICIES.map(
      (p) =>
        new IamRolePolicyAttachment(this, p, {
          role: this.role.name,
          policyArn: `arn:${props.partition}:iam::aws:policy/${p}`,
        }),
    );
  }
}
