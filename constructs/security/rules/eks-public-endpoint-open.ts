/**
 * A public Kubernetes API endpoint reachable from anywhere: `aws_eks_cluster.vpc_config` with
 * `endpoint_public_access` on (the AWS default) and `public_access_cidrs` unset (AWS then uses
 * `0.0.0.0/0`) or containing `0.0.0.0/0`. A warning: the endpoint still requires IAM
 * authentication, and the deploying machine often needs it.
 */
import { asBoolean, asStringList, block, compliant, defineRule, isExpression, nonCompliant, notApplicable } from '../rule';

const OPEN = ['0.0.0.0/0', '::/0'];

export const eksPublicEndpointOpen = defineRule({
  id: 'eks-public-endpoint-open',
  level: 'warning',
  title: 'The public EKS API endpoint is limited to listed networks (or off)',
  cost:
    'The API server is reachable from the whole internet: every pre-authentication flaw of the API server or the IAM ' +
    'authenticator, and every leaked credential, is exploitable from anywhere.',
  resourceTypes: ['aws_eks_cluster'],
  check: (_type, config) => {
    const vpc = block(config, 'vpc_config');
    const publicAccess = asBoolean(vpc?.endpoint_public_access);
    if (publicAccess === false) return compliant('the public endpoint is off');
    if (vpc?.endpoint_public_access !== undefined && publicAccess === undefined) {
      return notApplicable('vpc_config.endpoint_public_access is an expression, known only at apply time');
    }
    const cidrs = vpc?.public_access_cidrs;
    if (isExpression(cidrs)) return notApplicable('vpc_config.public_access_cidrs is an expression, known only at apply time');
    const list = asStringList(cidrs);
    if (list === undefined) return nonCompliant('the public endpoint is on and vpc_config.public_access_cidrs is unset, which AWS reads as 0.0.0.0/0');
    const open = list.filter((c) => OPEN.includes(c));
    if (open.length > 0) return nonCompliant(`the public endpoint is on and vpc_config.public_access_cidrs contains ${open.join(', ')}`);
    return compliant(`the public endpoint admits ${list.join(', ')}`);
  },
});
