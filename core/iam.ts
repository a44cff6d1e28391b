import { anyOf, bool, declare, list, oneOf, optional, record, strict, string } from './schema';
/**
 * Typed IAM policy documents, serialised deterministically. Pure: no cdktf.
 */
/** A value of one condition key: a string, a list of strings (ORed) or a boolean (`Bool`). */
export type IamConditionValue = string | string[] | boolean;
export type IamConditionValues = Record<string, IamConditionValue>;

export interface IamStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: { readonly Service?: string | string[]; readonly AWS?: string | string[] };
  readonly Action: string | string[];
  /** Omitted only in trust policies. */
  readonly Resource?: string | string[];
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

export interface IamPolicyDocument {
  readonly Version: typeof IAM_POLICY_VERSION;
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
