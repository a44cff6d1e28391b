/**
 * What the IAM rules share: which resources carry a policy document and how to read it.
 */
import { policyStatements, PolicyStatement } from './parse';
import { notApplicable, RuleResult, SynthesizedConfig } from './rule';

/** Resources whose `policy` attribute is an identity-based policy document. */
export const IAM_POLICY_RESOURCE_TYPES: readonly string[] = ['aws_iam_policy', 'aws_iam_role_policy', 'aws_iam_user_policy', 'aws_iam_group_policy'];

/**
 * Runs `judge` on the statements of the resource's `policy`, or reports `not-applicable` when the
 * document is not readable JSON (e.g. a reference to an `aws_iam_policy_document` data source).
 */
export function withStatements(config: SynthesizedConfig, judge: (statements: PolicyStatement[]) => RuleResult): RuleResult {
  const statements = policyStatements(config.policy);
  return statements === undefined ? notApplicable('the policy is not a JSON document the rule can read') : judge(statements);
}
