/**
 * Control-plane logs that record who did what: `api`, `audit` and `authenticator` in
 * `aws_eks_cluster.enabled_cluster_log_types`. `controllerManager` and `scheduler` are operational
 * logs and are not required.
 */
import { asStringList, compliant, defineRule, isExpression, nonCompliant, notApplicable, show } from '../rule';

/** The log types without which an incident cannot be reconstructed. */
export const REQUIRED_CONTROL_PLANE_LOG_TYPES: readonly string[] = ['api', 'audit', 'authenticator'];

export const eksControlPlaneLogging = defineRule({
  id: 'eks-control-plane-logging',
  level: 'error',
  title: 'EKS sends the api, audit and authenticator control-plane logs to CloudWatch',
  cost:
    'Without the audit and authenticator logs there is no record of which principal read a Secret, exec-ed into a pod or changed ' +
    'RBAC; CloudWatch ingestion of these logs is the cost they save.',
  resourceTypes: ['aws_eks_cluster'],
  check: (_type, config) => {
    const value = config.enabled_cluster_log_types;
    if (isExpression(value)) return notApplicable('enabled_cluster_log_types is an expression, known only at apply time');
    const types = asStringList(value) ?? [];
    const missing = REQUIRED_CONTROL_PLANE_LOG_TYPES.filter((t) => !types.includes(t));
    if (missing.length > 0) {
      return nonCompliant(`enabled_cluster_log_types is ${show(value)}; missing ${missing.map((m) => JSON.stringify(m)).join(', ')}`);
    }
    return compliant(`control-plane logs: ${types.join(', ')}`);
  },
});
