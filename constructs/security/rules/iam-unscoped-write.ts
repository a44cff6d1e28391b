/**
 * No Allow statement grants a write action on every resource: `Resource: "*"` (or a
 * `NotResource`) with an action that is not `Describe*`, `Get*` or `List*`, unless the statement
 * has a Condition that scopes it (a resource or request tag, the resource account or
 * organisation, or a service-specific key such as `ec2:CreateAction` or `iam:PassedToService`).
 * Global keys about the caller or the transport (`aws:RequestedRegion`, `aws:SecureTransport`,
 * `aws:SourceIp`) do not scope: the statement still reaches every resource.
 *
 * The project's own policies pass: the Cilium operator's ENI writes are scoped to the account's
 * and region's instance, ENI, security-group and subnet ARNs, and only its Describe/Get reads use
 * `*`; Karpenter's template statements with `*` are reads (`AllowRegionalReadActions`,
 * `AllowZonalShiftStatusReadOnly`, `AllowPricingReadActions`,
 * `AllowUnscopedInstanceProfileListAction`), and its writes name ARNs with tag conditions.
 */
import { IAM_POLICY_RESOURCE_TYPES, withStatements } from '../iam-policies';
import { hasScopingCondition, isReadAction, statementLabel } from '../parse';
import { compliant, defineRule, nonCompliant } from '../rule';

export const iamUnscopedWrite = defineRule({
  id: 'iam-unscoped-write',
  level: 'error',
  title: 'No IAM statement allows a write action on Resource "*" without a scoping condition',
  cost:
    'The principal can change or delete every resource of that type in the account (other clusters’ ENIs, instances, ' +
    'roles), not just the ones it manages.',
  resourceTypes: IAM_POLICY_RESOURCE_TYPES,
  check: (_type, config) =>
    withStatements(config, (statements) => {
      const problems = statements.flatMap((s, i) => {
        if (s.effect !== 'Allow') return [];
        const everyResource = s.resources.includes('*') || s.notResources.length > 0;
        if (!everyResource || hasScopingCondition(s)) return [];
        const writes = s.notActions.length > 0 ? ['NotAction ' + JSON.stringify(s.notActions)] : s.actions.filter((a) => !isReadAction(a));
        return writes.length > 0 ? [`${statementLabel(s, i)} allows ${writes.join(', ')} on every resource without a scoping condition`] : [];
      });
      return problems.length > 0 ? nonCompliant(problems.join('; ')) : compliant(`${statements.length} statement(s), writes scoped`);
    }),
});
