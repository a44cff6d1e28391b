/**
 * IMDSv2 only, with a PUT response hop limit of 1, on every node: pods in their own network
 * namespace are one hop further and cannot reach the instance metadata service, so they cannot take
 * the node role's credentials.
 *
 * - `aws_launch_template` and `aws_instance`: `metadata_options` with `http_tokens = "required"`
 *   and `http_put_response_hop_limit = 1` (or `http_endpoint = "disabled"`).
 * - `aws_eks_node_group` without a `launch_template`: metadata options cannot be set, so it is
 *   non-compliant (the group's own launch template is checked as above).
 * - `helm_release` values holding Karpenter `EC2NodeClass` objects (as `ManifestRelease` delivers
 *   them): `spec.metadataOptions`, where an unset field takes the CRD default (`httpTokens:
 *   required`, `httpPutResponseHopLimit: 1`; karpenter.k8s.aws_ec2nodeclasses.yaml of 1.14.1).
 *   Applies only when the values are YAML text.
 */
import { judgeNodeClasses } from '../node-classes';
import { isRecord } from '../../../core/json';
import { asNumber, block, compliant, defineRule, nonCompliant, RuleResult, show, SynthesizedConfig } from '../rule';

/** What is wrong with metadata options given as (tokens, hop limit, endpoint); empty when compliant. */
function metadataProblems(where: string, tokens: unknown, hopLimit: unknown, endpoint: unknown): string[] {
  if (endpoint === 'disabled') return [];
  const problems: string[] = [];
  if (tokens !== 'required') problems.push(`${where} http tokens is ${show(tokens)}, must be "required" (IMDSv2 only)`);
  if (asNumber(hopLimit) !== 1) problems.push(`${where} hop limit is ${show(hopLimit)}, must be 1`);
  return problems;
}

function resultOf(problems: string[], ok: string): RuleResult {
  return problems.length > 0 ? nonCompliant(problems.join('; ')) : compliant(ok);
}

function checkEc2(config: SynthesizedConfig): RuleResult {
  const m = block(config, 'metadata_options');
  if (m === undefined) return nonCompliant('metadata_options is unset: the AMI default applies (IMDSv1 allowed or hop limit above 1)');
  return resultOf(metadataProblems('metadata_options', m.http_tokens, m.http_put_response_hop_limit, m.http_endpoint), 'IMDSv2 only, hop limit 1');
}

function nodeClassProblems(spec: Record<string, unknown>, where: string): string[] {
  const m = isRecord(spec.metadataOptions) ? spec.metadataOptions : {};
  // Unset fields take the CRD defaults: required, 1, enabled.
  return metadataProblems(`${where}.metadataOptions`, m.httpTokens ?? 'required', m.httpPutResponseHopLimit ?? 1, m.httpEndpoint ?? 'enabled');
}

export const imdsV2HopLimit = defineRule({
  id: 'imds-v2-hop-limit',
  level: 'error',
  title: 'Every node requires IMDSv2 with a hop limit of 1',
  cost:
    'Any pod can call the instance metadata service and act with the node role (ECR pull, EC2 describe, SSM, and the Cilium ENI ' +
    'permissions when they live on the node role); with IMDSv1, also through any server-side request forgery.',
  resourceTypes: ['aws_launch_template', 'aws_instance', 'aws_eks_node_group', 'helm_release'],
  check: (type, config, ctx) => {
    if (type === 'helm_release') return judgeNodeClasses(config, ctx, nodeClassProblems, 'IMDSv2 only, hop limit 1');
    if (type === 'aws_eks_node_group') {
      return block(config, 'launch_template') === undefined
        ? nonCompliant('the node group has no launch_template, so the stack cannot set its metadata options (IMDSv2 only, hop limit 1)')
        : compliant('metadata options come from the node group launch template, checked on its own');
    }
    return checkEc2(config);
  },
});
