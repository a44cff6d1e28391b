import { Construct } from 'constructs';
import { EksPodIdentityAssociation } from '@cdktf/provider-aws/lib/eks-pod-identity-association';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { POD_IDENTITY_TRUST_POLICY, toJson } from '../core/iam';
import { ITerraformDependable } from './cdktf';
import { declare, list, optional, parse, strict, text } from '../core/schema';
import { dns1123Label, dns1123Subdomain, managedPolicyArn, tags } from '../core/rules';
import { clusterName, dependables, namePrefix } from './inputs';

/** One policy attached to a Pod Identity role, under the construct id of its attachment. */
export interface PodIdentityPolicyAttachment {
  /** Construct id of the `aws_iam_role_policy_attachment`: part of its Terraform address. */
  readonly id: string;
  /**
   * The ARN of the IAM managed policy to attach: an AWS managed one (`arn:aws:iam::aws:policy/...`) or one of
   * the account (`arn:aws:iam::<account>:policy/...`), in the partitions `aws`, `aws-cn` or `aws-us-gov`;
   * usually an `aws_iam_policy`'s `arn` reference.
   */
  readonly policyArn: string;
}
/** The declaration of {@link PodIdentityPolicyAttachment}. */
export const PodIdentityPolicyAttachmentSchema = declare<PodIdentityPolicyAttachment>()(strict({ id: text('a construct id'), policyArn: managedPolicyArn() }, 'a policy attachment { id, policyArn }'));

/**
 * The props of {@link podIdentityRole}: the cluster, the service account whose pods get the role, the role's
 * name prefix and policies, and what the association waits for.
 */
export interface PodIdentityRoleProps {
  /** Cluster name, best as the cluster resource's `name` attribute so the association waits for it. */
  readonly clusterName: string;
  /** Namespace of the service account. */
  readonly namespace: string;
  /** Service account whose pods get the role. */
  readonly serviceAccount: string;
  /** IAM role `name_prefix` (at most 38 characters, an AWS provider limit). */
  readonly roleNamePrefix: string;
  /** Policies to attach. @default - none */
  readonly policies?: readonly PodIdentityPolicyAttachment[];
  /** What the association waits for (the Pod Identity agent add-on). @default - nothing */
  readonly dependsOn?: ITerraformDependable[];
  /** Tags on the role and the association. @default - none */
  readonly tags?: Record<string, string>;
  /**
   * Construct ids of the role and the association: part of their Terraform addresses, so a
   * caller keeps its own ids and nothing is replaced. @default { role: 'role', association: 'association' }
   */
  readonly ids?: { readonly role?: string; readonly association?: string };
}
/** The declaration of {@link PodIdentityRoleProps}. */
export const PodIdentityRolePropsSchema = declare<PodIdentityRoleProps>()(
  strict(
    {
      clusterName: clusterName(),
      namespace: dns1123Label('a namespace'),
      serviceAccount: dns1123Subdomain('a service account name'),
      roleNamePrefix: namePrefix(),
      policies: optional(list(PodIdentityPolicyAttachmentSchema, { unique: (p) => p.id, uniqueField: 'id', duplicate: 'a construct id not used before' })),
      dependsOn: optional(dependables()),
      tags: optional(tags()),
      ids: optional(strict({ role: optional(text('a construct id')), association: optional(text('a construct id')) }, 'construct ids { role?, association? }')),
    },
    'Pod Identity role props { clusterName, namespace, serviceAccount, roleNamePrefix, policies?, ... }',
  ),
);

/** What {@link podIdentityRole} created. */
export interface PodIdentityRole {
  /**
   * The IAM role (`aws_iam_role`), trusting `pods.eks.amazonaws.com` with `sts:AssumeRole` and
   * `sts:TagSession`, named from `roleNamePrefix`.
   */
  readonly role: IamRole;
  /** The attachments of `policies` to the role, one per entry in their order, each under its `id`. */
  readonly attachments: IamRolePolicyAttachment[];
  /**
   * The EKS Pod Identity association (`aws_eks_pod_identity_association`) of `namespace`/`serviceAccount`
   * with the role; it waits for `dependsOn`.
   */
  readonly association: EksPodIdentityAssociation;
  /** What a Helm release of the workload must wait for: the association and the attachments. */
  readonly dependables: ITerraformDependable[];
}

/**
 * An IAM role that EKS Pod Identity gives to the pods of one service account: the role (trusting
 * `pods.eks.amazonaws.com`), its policy attachments and the association, created in `scope`. The
 * project's one way to make such a role (the Cilium operator, the Karpenter controller,
 * `CiliumEksCluster.addPodIdentity`). A function, not a construct, so each caller keeps the
 * construct paths (and so the Terraform addresses) it always had.
 */
export function podIdentityRole(scope: Construct, props: PodIdentityRoleProps): PodIdentityRole {
  parse(PodIdentityRolePropsSchema, props, 'podIdentityRole(props)');
  const role = new IamRole(scope, props.ids?.role ?? 'role', {
    namePrefix: props.roleNamePrefix,
    description: `Pod Identity role of ${props.namespace}/${props.serviceAccount}`,
    assumeRolePolicy: toJson(POD_IDENTITY_TRUST_POLICY),
    tags: props.tags,
  });
  const attachments = (props.policies ?? []).map((p) => new IamRolePolicyAttachment(scope, p.id, { role: role.name, policyArn: p.policyArn }));
  const association = new EksPodIdentityAssociation(scope, props.ids?.association ?? 'association', {
    clusterName: props.clusterName,
    namespace: props.namespace,
    serviceAccount: props.serviceAccount,
    roleArn: role.arn,
    tags: props.tags,
    dependsOn: props.dependsOn,
  });
  return { role, attachments, association, dependables: [association, ...attachments] };
}
