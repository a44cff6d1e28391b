/**
 * No Allow statement grants every action, or every action of a service: `Action: "*"`,
 * `Action: "<service>:*"`, or a `NotAction` (which grants everything it does not list). Deny
 * statements are not judged (a wildcard there only narrows).
 */
import { IAM_POLICY_RESOURCE_TYPES, withStatements } from '../iam-policies';
import { isWildcardAction, statementLabel } from '../parse';
import { compliant, defineRule, nonCompliant } from '../rule';

export const iamWildcardAction = defineRule({
  id: 'iam-wildcard-action',
  level: 'error',
  title: 'No IAM statement allows "*" or "<service>:*" actions (or NotAction)',
  cost:
    'The principal gets every present and future action of the service, including ones that change IAM, delete data or ' +
    'disable logging; a compromised pod or node with this role owns the service in the account.',
  resourceTypes: IAM_POLICY_RESOURCE_TYPES,
  check: (_type, config) =>
    withStatements(config, (statements) => {
      const problems = statements.flatMap((s, i) => {
        if (s.effect !== 'Allow') return [];
        if (s.notActions.length > 0) return [`${statementLabel(s, i)} allows NotAction ${JSON.stringify(s.notActions)}: every other action`];
        const wild = s.actions.filter(isWildcardAction);
        return wild.length > 0 ? [`${statementLabel(s, i)} allows ${wild.map((a) => JSON.stringify(a)).join(', ')}`] : [];
      });
      return problems.length > 0 ? nonCompliant(problems.join('; ')) : compliant(`${statements.length} statement(s), no wildcard action`);
    }),
});
