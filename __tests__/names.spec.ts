import { AWS_NAME_LIMITS, AwsNameKind, clusterNames, fitName, NAME_HASH_LENGTH, shortHash } from '../core/names';
import { buildStack, synthJson, TfJson } from './support/synth';

/** Every name attribute the stack sets, with the limit that applies to it. */
const NAME_ATTRIBUTES: ReadonlyArray<readonly [resourceType: string, attribute: string, kind: AwsNameKind]> = [
  ['aws_cloudwatch_event_rule', 'name', 'eventBridgeRuleName'],
  ['aws_eks_node_group', 'node_group_name_prefix', 'eksNodeGroupNamePrefix'],
  ['aws_launch_template', 'name_prefix', 'launchTemplateNamePrefix'],
  ['aws_iam_role', 'name_prefix', 'iamRoleNamePrefix'],
  ['aws_iam_role', 'name', 'iamRoleName'],
  ['aws_iam_policy', 'name_prefix', 'iamPolicyNamePrefix'],
  ['aws_iam_policy', 'name', 'iamPolicyName'],
  ['aws_sqs_queue', 'name', 'sqsQueueName'],
  ['aws_kms_alias', 'name', 'kmsAliasName'],
  ['aws_cloudwatch_log_group', 'name', 'logGroupName'],
  ['aws_security_group', 'name_prefix', 'securityGroupNamePrefix'],
  ['aws_cloudformation_stack', 'name', 'cloudFormationStackName'],
];

/** A valid EKS cluster name (letters, digits, hyphens; starts with a letter) of exactly `length` characters. */
function clusterNameOf(length: number, seed = 'platform-prod-eu-west-1-'): string {
  return seed.repeat(Math.ceil(length / seed.length)).slice(0, length).replace(/-$/, 'x');
}

function namesIn(tf: TfJson): Array<{ where: string; kind: AwsNameKind; value: string }> {
  const out: Array<{ where: string; kind: AwsNameKind; value: string }> = [];
  for (const [type, attribute, kind] of NAME_ATTRIBUTES) {
    for (const [key, block] of Object.entries(tf.resource[type] ?? {})) {
      const value = block[attribute];
      if (typeof value === 'string') out.push({ where: `${type}.${key}.${attribute}`, kind, value });
    }
  }
  return out;
}

describe('AWS names fit their limits for every valid cluster name', () => {
  test.each([1, 20, 38, 64, 100])('cluster name of %i characters: every name in the default stack with Karpenter fits', (length) => {
    // GIVEN
    const clusterName = clusterNameOf(length);
    expect(clusterName).toHaveLength(length);
    // WHEN
    const tf = synthJson(buildStack({ clusterName, karpenter: {} }));
    // THEN
    const names = namesIn(tf);
    // Every kind of name the stack creates was seen (the table above is not stale).
    expect(new Set(names.map((n) => n.kind))).toEqual(
      new Set(['eventBridgeRuleName', 'eksNodeGroupNamePrefix', 'launchTemplateNamePrefix', 'iamRoleNamePrefix', 'iamPolicyNamePrefix', 'sqsQueueName', 'kmsAliasName', 'logGroupName', 'securityGroupNamePrefix', 'cloudFormationStackName']),
    );
    const over = names.filter((n) => n.value.length > AWS_NAME_LIMITS[n.kind].max || n.value.length < AWS_NAME_LIMITS[n.kind].min);
    expect(over).toEqual([]);
    // Exact names are unique within the stack.
    const exact = names.filter((n) => !n.kind.endsWith('Prefix')).map((n) => n.value);
    expect(new Set(exact).size).toBe(exact.length);
  });

  test('the 23-character cluster name of the issue gets EventBridge rule names of at most 64 characters', () => {
    const tf = synthJson(buildStack({ clusterName: 'platform-prod-eu-west-1' }));
    const rules = Object.values(tf.resource.aws_cloudwatch_event_rule).map((r) => r.name as string);
    expect(rules).toHaveLength(5);
    for (const r of rules) expect(r.length).toBeLessThanOrEqual(64);
    expect(rules).toContain('platform-prod-eu-west-1-karpenter-spot-interruption');
  });

  test('a 100-character cluster name gets an 80-character queue, which the Karpenter settings read from the queue resource', () => {
    const clusterName = clusterNameOf(100);
    const tf = synthJson(buildStack({ clusterName }));
    const queue = Object.values(tf.resource.aws_sqs_queue)[0].name as string;
    const karpenter = Object.entries(tf.resource.helm_release).find(([k]) => k.startsWith('cluster_karpenter_release'))?.[1];
    expect(queue).toHaveLength(80);
    const [queueKey] = Object.keys(tf.resource.aws_sqs_queue);
    expect((karpenter?.values as string[])[0]).toContain(`interruptionQueue: \${aws_sqs_queue.${queueKey}.name}`);
  });
});

describe('fitName', () => {
  test('a name that fits is unchanged (no resource deployed with 0.1.0 is renamed)', () => {
    expect(fitName('eksNodeGroupNamePrefix', 'a'.repeat(29), '-system-')).toBe(`${'a'.repeat(29)}-system-`);
    expect(clusterNames.clusterRolePrefix('cilium-eks')).toBe('cilium-eks-cluster-');
    expect(clusterNames.karpenterInterruptionQueue('cilium-eks')).toBe('cilium-eks');
  });

  test('a name that does not fit is cut to the limit, with a hash of the whole base before the suffix', () => {
    const base = 'b'.repeat(40);
    const name = fitName('eksNodeGroupNamePrefix', base, '-system-');
    expect(name).toHaveLength(37);
    expect(name).toBe(`${'b'.repeat(37 - 8 - NAME_HASH_LENGTH - 1)}-${shortHash(base)}-system-`);
  });

  test('two long cluster names that differ only at the end stay distinct', () => {
    const a = `${'x'.repeat(90)}-alpha`;
    const b = `${'x'.repeat(90)}-gamma`;
    for (const build of [clusterNames.karpenterInterruptionQueue, (c: string) => clusterNames.karpenterRule(c, 'spot-interruption'), clusterNames.systemNodeGroupPrefix]) {
      expect(build(a)).not.toBe(build(b));
      expect(build(a)).toBe(build(a));
    }
  });

  test('a cut never leaves a hyphen before the hash separator', () => {
    const name = fitName('sqsQueueName', `${'c'.repeat(68)}----------------`);
    expect(name).not.toMatch(/--/);
  });
});
