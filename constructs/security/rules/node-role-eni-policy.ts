/**
 * The Cilium operator's ENI permissions on a node role while EKS Pod Identity is available.
 *
 * With the permissions on the node role, every host-network pod on every node can create, attach
 * and delete ENIs and assign addresses; Pod Identity gives them to `kube-system/cilium-operator`
 * only. `OperatorIdentityMode.NODE_ROLE` (constructs/cilium-operator-identity.ts) is the
 * documented fallback where Pod Identity cannot be used, so this is a warning, and it can be
 * switched off with a reason.
 *
 * Recognised from the synthesized stack alone, without construct ids:
 * - an ENI policy is an `aws_iam_policy` (or inline `aws_iam_role_policy`) with an Allow statement
 *   reaching `ec2:CreateNetworkInterface`, `ec2:AttachNetworkInterface` or
 *   `ec2:AssignPrivateIpAddresses` (the operator's ENI writes), or the AWS managed
 *   `AmazonEKS_CNI_Policy`;
 * - a node role is an `aws_iam_role` of the stack whose trust policy admits `ec2.amazonaws.com`,
 *   or that an `aws_eks_node_group` uses as `node_role_arn`;
 * - Pod Identity is available when the stack installs the `eks-pod-identity-agent` add-on or has
 *   an `aws_eks_pod_identity_association`.
 * A role or policy outside the stack (a literal ARN or name the stack does not create) is not
 * judged.
 */
import { allowsAction, policyStatements } from '../parse';
import { compliant, defineRule, nonCompliant, notApplicable, RuleContext, SynthesizedResource } from '../rule';

/** The operator's ENI write actions that mark a policy as an ENI policy. */
export const ENI_MARKER_ACTIONS: readonly string[] = ['ec2:CreateNetworkInterface', 'ec2:AttachNetworkInterface', 'ec2:AssignPrivateIpAddresses'];

const CNI_MANAGED_POLICY = /:policy\/AmazonEKS_CNI_Policy$/;

function grantsEni(policy: unknown): boolean {
  const statements = policyStatements(policy);
  return statements !== undefined && statements.some((s) => ENI_MARKER_ACTIONS.some((a) => allowsAction(s, a)));
}

function isNodeRole(role: SynthesizedResource, ctx: RuleContext): boolean {
  const trust = policyStatements(role.config.assume_role_policy) ?? [];
  const trustsEc2 = trust.some((s) => s.effect === 'Allow' && s.servicePrincipals.includes('ec2.amazonaws.com'));
  const usedByNodeGroup = ctx.ofType('aws_eks_node_group').some((g) => ctx.resolve(g.config.node_role_arn, 'aws_iam_role') === role);
  return trustsEc2 || usedByNodeGroup;
}

function podIdentityAvailable(ctx: RuleContext): boolean {
  return (
    ctx.ofType('aws_eks_addon').some((a) => a.config.addon_name === 'eks-pod-identity-agent') ||
    ctx.ofType('aws_eks_pod_identity_association').length > 0
  );
}

export const nodeRoleEniPolicy = defineRule({
  id: 'node-role-eni-policy',
  level: 'warning',
  title: 'The Cilium ENI permissions are not on a node role when Pod Identity is available',
  cost:
    'Every pod with hostNetwork on any node (and anything that reaches IMDS) can create, attach and delete ENIs and assign ' +
    'addresses in the VPC: it can take over pod addresses or exhaust the subnets.',
  resourceTypes: ['aws_iam_role_policy_attachment', 'aws_iam_role_policy'],
  check: (type, config, ctx) => {
    const role = ctx.resolve(config.role, 'aws_iam_role');
    if (role === undefined) return notApplicable('the role is not created in this stack');
    const eni =
      type === 'aws_iam_role_policy'
        ? grantsEni(config.policy)
        : (typeof config.policy_arn === 'string' && CNI_MANAGED_POLICY.test(config.policy_arn)) ||
          grantsEni(ctx.resolve(config.policy_arn, 'aws_iam_policy')?.config.policy);
    if (!eni) return compliant('no ENI permissions');
    if (!isNodeRole(role, ctx)) return compliant(`ENI permissions on ${role.address}, which is not a node role`);
    if (!podIdentityAvailable(ctx)) return notApplicable('Pod Identity is not available in this stack: the node role is the only way');
    return nonCompliant(
      `the ENI permissions are attached to node role ${role.address} while Pod Identity is available: ` +
        'use OperatorIdentityMode.POD_IDENTITY (the default) so only kube-system/cilium-operator holds them',
    );
  },
});
