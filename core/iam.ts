import { anyOf, bool, declare, list, oneOf, optional, record, strict, string } from './schema';
/**
 * Typed IAM policy documents, serialised deterministically. Pure: no cdktf.
 */
/** A value of one condition key: a string, a list of strings (ORed) or a boolean (`Bool`). */
export type IamConditionValue = string | string[] | boolean;
/**
 * The condition keys of one condition operator and their values, e.g. `{ 'aws:SourceAccount':
 * '123456789012' }` under `StringEquals`: several keys are ANDed, several values of one key ORed
 * (IAM User Guide, "IAM JSON policy elements: Condition",
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html).
 */
export type IamConditionValues = Record<string, IamConditionValue>;

/**
 * One statement of an IAM policy document, in the JSON shape IAM reads (the keys capitalised as IAM spells
 * them): who (`Principal`, trust and resource policies only) may or may not (`Effect`) do what (`Action`) on
 * what (`Resource`), under which `Condition`s (IAM JSON policy element reference:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html).
 * {@link PodIdentityOptions} takes a list of them; the project's own policies are built from them.
 */
export interface IamStatement {
  /**
   * The statement's id: for IAM, letters and digits, unique within its policy
   * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_sid.html); the project
   * names its own statements by what they grant (`CiliumEniRead`).
   * @default - no id
   */
  readonly Sid?: string;
  /**
   * `Allow` grants the actions; `Deny` refuses them explicitly, overriding any `Allow` (IAM JSON policy
   * element `Effect`).
   */
  readonly Effect: 'Allow' | 'Deny';
  /**
   * Who the statement applies to: AWS service principals (`Service`, e.g. `pods.eks.amazonaws.com`) or AWS
   * account, role or user ARNs (`AWS`). Only in trust and resource-based policies (a role's trust policy, a
   * key or queue policy); an identity policy attached to a role has none (IAM JSON policy element
   * `Principal`).
   * @default - none: an identity policy
   */
  readonly Principal?: { readonly Service?: string | string[]; readonly AWS?: string | string[] };
  /**
   * The actions, `<service>:<action>` (`ec2:CreateNetworkInterface`, `sts:AssumeRole`), one or a non-empty
   * list. IAM allows `*` wildcards; the security check `iam-wildcard-action` fails the synth on an `Allow`
   * of `*` or `<service>:*` unless suppressed.
   */
  readonly Action: string | string[];
  /**
   * The resources the actions apply to: ARNs, `*` wildcards allowed (IAM JSON policy element `Resource`).
   * Required in an identity policy; a trust policy, whose resource is the role itself, has none.
   * @default - none: a trust policy
   */
  readonly Resource?: string | string[];
  /**
   * When the statement applies: condition operator (`StringEquals`, `ArnEquals`, `Bool`) to condition key
   * (`ec2:Vpc`) to the value or values, a list ORed (IAM JSON policy element `Condition`:
   * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html).
   * @default - none: the statement always applies
   */
  readonly Condition?: Record<string, IamConditionValues>;
}
const conditionValue = anyOf([string(), list(string()), bool()], 'a string, a list of strings or a boolean');
/** The declaration of {@link IamConditionValue}. */
export const IamConditionValueSchema = declare<IamConditionValue>()(conditionValue);
/** The declaration of {@link IamConditionValues}: condition keys to values. */
export const IamConditionValuesSchema = declare<IamConditionValues>()(record(string('a condition key'), conditionValue));
const oneOrMore = anyOf([string(), list(string(), { min: 1 })], 'a string or a non-empty list of strings');
export const IamStatementSchema = declare<IamStatement>()(
  strict(
    {
      Sid: optional(string()),
      Effect: oneOf(['Allow', 'Deny'] as const),
      Principal: optional(strict({ Service: optional(oneOrMore), AWS: optional(oneOrMore) }, 'a principal { Service?, AWS? }')),
      Action: oneOrMore,
      Resource: optional(oneOrMore),
      Condition: optional(record(string('a condition operator'), IamConditionValuesSchema)),
    },
    'an IAM statement { Effect, Action, Resource?, ... }',
  ),
);

/** The IAM policy language version every document uses. */
export const IAM_POLICY_VERSION = '2012-10-17';

/**
 * An IAM policy document (identity policy or role trust policy), as the AWS provider takes it
 * JSON-encoded; `policyDocument` builds one.
 */
export interface IamPolicyDocument {
  /** The policy language version, always `2012-10-17` (`IAM_POLICY_VERSION`), the current one. */
  readonly Version: typeof IAM_POLICY_VERSION;
  /** The statements, in order; each allows or denies actions on resources (or, in a trust policy, to principals). */
  readonly Statement: IamStatement[];
}

export function policyDocument(statements: readonly IamStatement[]): IamPolicyDocument {
  return { Version: IAM_POLICY_VERSION, Statement: [...statements] };
}

/** Trust policy for a role assumed by an AWS service principal. */
export function serviceTrustPolicy(service: string, actions: string[] = ['sts:AssumeRole']): IamPolicyDocument {
  return policyDocument([{ Effect: 'Allow', Principal: { Service: service }, Action: actions }]);
}

/** Trust policy for EKS Pod Identity: `pods.eks.amazonaws.com` assumes the role and tags the session. */
export const POD_IDENTITY_TRUST_POLICY = serviceTrustPolicy('pods.eks.amazonaws.com', ['sts:AssumeRole', 'sts:TagSession']);

export function toJson(doc: IamPolicyDocument): string {
  return JSON.stringify(doc);
}

/**
 * Who an ARN that `sts get-caller-identity` prints is, as an IAM principal: the forms come from
 * the IAM User Guide, "IAM identifiers" (IAM ARNs): a user `arn:<p>:iam::<account>:user/<path><name>`,
 * a role `arn:<p>:iam::<account>:role/<path><name>`, and a role session
 * `arn:<p>:sts::<account>:assumed-role/<role name>/<session name>`, which carries the role's name
 * but not its path (hashicorp/terraform-provider-aws PR #19957, the review of
 * `aws_iam_session_context`). IAM names are unique in an account whatever the path, so the key is
 * `arn:<p>:iam::<account>:<role|user>/<name>`: a role ARN with a path and a session of that role
 * give the same key. Any other ARN (the root user, a federated user) is returned unchanged and
 * matches no admin. {@link principalKeyHcl} is the same rule in Terraform's language.
 */
export function principalKey(arn: string): string {
  return arn.replace(ASSUMED_ROLE_RE, 'arn:$1:iam::$2:role/$3').replace(IAM_PRINCIPAL_RE, '$1$2');
}
/** An STS role session: partition, account, role name. */
const ASSUMED_ROLE_RE = /^arn:([^:]+):sts::([0-9]+):assumed-role\/([^/]+)\/.*$/;
/** An IAM role or user: the ARN up to the type, and the name after any path. */
const IAM_PRINCIPAL_RE = /^(arn:[^:]+:iam::[0-9]+:(?:role|user)\/)(?:.*\/)?([^/]+)$/;

/**
 * {@link principalKey} as a Terraform expression of `expression` (Terraform's `replace` with a
 * `/regex/` pattern and `$1` references; RE2 accepts both patterns as written).
 */
export function principalKeyHcl(expression: string): string {
  const re = (r: RegExp): string => JSON.stringify(`/${r.source.replace(/\\\//g, '/')}/`);
  return `replace(replace(${expression}, ${re(ASSUMED_ROLE_RE)}, "arn:$1:iam::$2:role/$3"), ${re(IAM_PRINCIPAL_RE)}, "$1$2")`;
}
