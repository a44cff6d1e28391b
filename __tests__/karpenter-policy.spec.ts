/**
 * The Karpenter controller policy, queue policy and interruption rules against the pinned
 * release's getting-started CloudFormation template, parsed from the upstream directory at test
 * time (never copied in).
 */
import { parse, ScalarTag } from 'yaml';
import {
  IAM_MANAGED_POLICY_MAX_CHARS,
  IamStatement,
  KarpenterPolicyContext,
  iamPolicyDocumentSize,
  karpenterControllerPolicies,
  karpenterControllerPolicyStatements,
} from '../constructs/karpenter/controller-policy';
import {
  INTERRUPTION_QUEUE_MESSAGE_RETENTION_SECONDS,
  INTERRUPTION_QUEUE_POLICY_ID,
  INTERRUPTION_QUEUE_SQS_MANAGED_SSE,
  INTERRUPTION_RULE_TARGET_ID,
  interruptionQueueName,
  interruptionQueuePolicyDocument,
  interruptionQueuePolicyStatements,
  karpenterInterruptionRules,
} from '../constructs/karpenter/interruption-rules';
import { KARPENTER_DEFAULT_VERSION } from '../constructs/karpenter/versions';
import { readUpstreamText } from './support/upstream';

// ---------------------------------------------------------------------------------------------
// The template, with CloudFormation's short-form tags parsed into plain objects
// ---------------------------------------------------------------------------------------------

type Intrinsic = { Sub: string } | { GetAtt: string } | { Ref: string };

const CFN_TAGS: ScalarTag[] = [
  { tag: '!Sub', resolve: (value: string) => ({ Sub: value }) },
  { tag: '!GetAtt', resolve: (value: string) => ({ GetAtt: value }) },
  { tag: '!Ref', resolve: (value: string) => ({ Ref: value }) },
];

interface CfnResource {
  Type: string;
  Properties: Record<string, unknown>;
}

interface CfnTemplate {
  Resources: Record<string, CfnResource>;
}

const template = parse(readUpstreamText('karpenter', KARPENTER_DEFAULT_VERSION, 'cloudformation.yaml'), {
  customTags: CFN_TAGS,
}) as CfnTemplate;

function resourcesOfType(type: string): Array<[string, CfnResource]> {
  return Object.entries(template.Resources).filter(([, r]) => r.Type === type);
}

const SAMPLE: KarpenterPolicyContext = {
  partition: 'aws-sample',
  region: 'eu-sample-1',
  accountId: '123456789012',
  clusterName: 'sample-cluster',
  nodeRoleArn: 'arn:aws-sample:iam::123456789012:role/sample-node-role',
  nodeRoleName: 'sample-node-role',
  interruptionQueueArn: 'arn:aws-sample:sqs:eu-sample-1:123456789012:sample-cluster',
};

/** Values of the template's `${...}` variables for the sample context. */
const SUB_VALUES: Record<string, string> = {
  'AWS::Partition': SAMPLE.partition,
  'AWS::Region': SAMPLE.region,
  'AWS::AccountId': SAMPLE.accountId,
  ClusterName: SAMPLE.clusterName,
  'KarpenterNodeRole.Arn': SAMPLE.nodeRoleArn,
  'KarpenterInterruptionQueue.Arn': SAMPLE.interruptionQueueArn,
};

const GETATT_VALUES: Record<string, string> = { 'KarpenterInterruptionQueue.Arn': SAMPLE.interruptionQueueArn };

function resolveSub(text: string): string {
  return text.replace(/\$\{([^}]+)\}/g, (_, name: string) => {
    const value = SUB_VALUES[name];
    if (value === undefined) throw new Error(`template uses \${${name}}, which the test does not resolve`);
    return value;
  });
}

/** Resolves every intrinsic in a parsed template value with the sample values. */
function resolveIntrinsics(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(resolveIntrinsics);
  if (value !== null && typeof value === 'object') {
    const v = value as Partial<Record<'Sub' | 'GetAtt' | 'Ref', string>> & Record<string, unknown>;
    const keys = Object.keys(v);
    if (keys.length === 1 && typeof v.Sub === 'string') return resolveSub(v.Sub);
    if (keys.length === 1 && typeof v.GetAtt === 'string') {
      const resolved = GETATT_VALUES[v.GetAtt];
      if (resolved === undefined) throw new Error(`template uses !GetAtt ${v.GetAtt}, which the test does not resolve`);
      return resolved;
    }
    return Object.fromEntries(Object.entries(v).map(([k, inner]) => [k, resolveIntrinsics(inner)]));
  }
  return value;
}

interface RawStatement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: string | string[];
  Condition?: unknown;
  Principal?: unknown;
}

/** A statement in one comparable shape: Action always a sorted list. */
function normalise(s: RawStatement | IamStatement) {
  return {
    Sid: s.Sid,
    Effect: s.Effect,
    Action: (Array.isArray(s.Action) ? [...s.Action] : [s.Action]).sort(),
    Resource: s.Resource,
    Condition: s.Condition,
  };
}

/** The template's managed policies, in its order, with their documents resolved. */
function templatePolicies(): Array<{ logicalId: string; name: string; statements: RawStatement[] }> {
  return resourcesOfType('AWS::IAM::ManagedPolicy').map(([logicalId, r]) => {
    const document = JSON.parse(resolveSub((r.Properties.PolicyDocument as { Sub: string }).Sub)) as { Statement: RawStatement[] };
    return { logicalId, name: resolveSub((r.Properties.ManagedPolicyName as { Sub: string }).Sub), statements: document.Statement };
  });
}

// ---------------------------------------------------------------------------------------------
// Controller policy
// ---------------------------------------------------------------------------------------------

describe('karpenterControllerPolicies', () => {
  test('the template is parsed with its intrinsic tags', () => {
    // THEN: a short-form tag became an object the test resolves, not a string
    const queue = template.Resources.KarpenterInterruptionQueue.Properties.QueueName as Intrinsic;
    expect(queue).toEqual({ Sub: '${ClusterName}' });
    expect(templatePolicies().map((p) => p.logicalId)).toEqual([
      'NodeLifecyclePolicy',
      'IAMIntegrationPolicy',
      'EKSIntegrationPolicy',
      'InterruptionPolicy',
      'ZonalShiftPolicy',
      'ResourceDiscoveryPolicy',
    ]);
  });

  test('has exactly the template managed policies, in order, with the template names', () => {
    // WHEN
    const policies = karpenterControllerPolicies(SAMPLE);
    // THEN
    expect(policies.map((p) => [p.logicalId, p.name])).toEqual(templatePolicies().map((p) => [p.logicalId, p.name]));
  });

  test.each(templatePolicies().map((p) => [p.logicalId, p] as const))('%s matches the template statement by statement', (logicalId, expected) => {
    // WHEN
    const actual = karpenterControllerPolicies(SAMPLE).find((p) => p.logicalId === logicalId);
    // THEN
    expect(actual).toBeDefined();
    expect(actual!.statements.map((s) => s.Sid)).toEqual(expected.statements.map((s) => s.Sid));
    actual!.statements.forEach((statement, i) => {
      expect(normalise(statement)).toEqual(normalise(expected.statements[i]));
    });
  });

  test('karpenterControllerPolicyStatements is every policy statement in order', () => {
    const expected = templatePolicies().flatMap((p) => p.statements.map(normalise));
    expect(karpenterControllerPolicyStatements(SAMPLE).map(normalise)).toEqual(expected);
  });

  test('no statement grants a wildcard action', () => {
    for (const statement of karpenterControllerPolicyStatements(SAMPLE)) {
      for (const action of statement.Action) expect(action).not.toContain('*');
    }
  });

  test('every statement is scoped to the given context values, not to others', () => {
    // WHEN: two clusters in different accounts
    const other: KarpenterPolicyContext = {
      ...SAMPLE,
      clusterName: 'other',
      accountId: '210987654321',
      region: 'us-other-2',
      nodeRoleArn: 'arn:aws-sample:iam::210987654321:role/other-node-role',
      interruptionQueueArn: 'arn:aws-sample:sqs:us-other-2:210987654321:other',
    };
    const json = JSON.stringify(karpenterControllerPolicyStatements(other));
    // THEN
    expect(json).not.toContain(SAMPLE.clusterName);
    expect(json).not.toContain(SAMPLE.accountId);
    expect(json).not.toContain(SAMPLE.region);
  });

  test('Terraform tokens are interpolated verbatim, in condition keys too', () => {
    // WHEN
    const tokens: KarpenterPolicyContext = {
      partition: '${TfToken[TOKEN.1]}',
      region: '${TfToken[TOKEN.2]}',
      accountId: '${TfToken[TOKEN.3]}',
      clusterName: '${TfToken[TOKEN.4]}',
      nodeRoleArn: '${TfToken[TOKEN.5]}',
      nodeRoleName: '${TfToken[TOKEN.6]}',
      interruptionQueueArn: '${TfToken[TOKEN.7]}',
    };
    const statements = karpenterControllerPolicyStatements(tokens);
    // THEN
    const launchTemplate = statements.find((s) => s.Sid === 'AllowScopedEC2LaunchTemplateAccessActions');
    expect(launchTemplate?.Condition?.StringEquals).toEqual({ 'aws:ResourceTag/kubernetes.io/cluster/${TfToken[TOKEN.4]}': 'owned' });
    expect(statements.find((s) => s.Sid === 'AllowPassingInstanceRole')?.Resource).toBe('${TfToken[TOKEN.5]}');
  });

  test('each policy fits the managed policy size limit even with the longest cluster name', () => {
    // WHEN: a 100-character cluster name (the EKS maximum) and a long role path
    const long: KarpenterPolicyContext = {
      ...SAMPLE,
      partition: 'aws-us-gov',
      region: 'ap-southeast-7',
      clusterName: 'c'.repeat(100),
      nodeRoleArn: `arn:aws-us-gov:iam::123456789012:role/${'p/'.repeat(100)}${'r'.repeat(64)}`,
    };
    const policies = karpenterControllerPolicies(long);
    // THEN: still the six template policies, each under the limit
    expect(policies).toHaveLength(6);
    for (const p of policies) expect(iamPolicyDocumentSize(p.statements)).toBeLessThan(IAM_MANAGED_POLICY_MAX_CHARS);
    // and together they would not fit in one: the split is needed
    expect(iamPolicyDocumentSize(policies.flatMap((p) => p.statements))).toBeGreaterThan(IAM_MANAGED_POLICY_MAX_CHARS);
  });

  test('a policy that would exceed the limit is split without losing a statement', () => {
    // WHEN: an absurdly long cluster name pushes NodeLifecycle over 6144 characters
    const huge: KarpenterPolicyContext = { ...SAMPLE, clusterName: 'x'.repeat(1500) };
    const policies = karpenterControllerPolicies(huge);
    // THEN
    expect(policies.map((p) => p.logicalId)).toContain('NodeLifecyclePolicy2');
    for (const p of policies) expect(iamPolicyDocumentSize(p.statements)).toBeLessThanOrEqual(IAM_MANAGED_POLICY_MAX_CHARS);
    expect(policies.flatMap((p) => p.statements).map((s) => s.Sid)).toEqual(karpenterControllerPolicyStatements(SAMPLE).map((s) => s.Sid));
  });

  test('an empty context value is refused with its property named', () => {
    expect(() => karpenterControllerPolicies({ ...SAMPLE, clusterName: '' })).toThrow(
      'karpenterPolicy.clusterName: "" is not valid; allowed: a non-empty string',
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Interruption queue and rules
// ---------------------------------------------------------------------------------------------

describe('interruption rules and queue', () => {
  test('the rules are the template rules with its event patterns, each with one target: the queue, under the template target id', () => {
    // WHEN
    const expected = resourcesOfType('AWS::Events::Rule').map(([logicalId, r]) => ({
      logicalId,
      eventPattern: r.Properties.EventPattern,
      targets: resolveIntrinsics(r.Properties.Targets),
    }));
    // THEN: what Karpenter builds from these (one target per rule, INTERRUPTION_RULE_TARGET_ID,
    // the queue's ARN); the stack test reads the synthesized targets.
    expect(expected).toHaveLength(5);
    expect(
      karpenterInterruptionRules().map((r) => ({
        logicalId: r.logicalId,
        eventPattern: r.eventPattern,
        targets: [{ Id: INTERRUPTION_RULE_TARGET_ID, Arn: SAMPLE.interruptionQueueArn }],
      })),
    ).toEqual(expected);
  });

  test('rule name suffixes are distinct kebab-case names', () => {
    const suffixes = karpenterInterruptionRules().map((r) => r.nameSuffix);
    expect(new Set(suffixes).size).toBe(suffixes.length);
    for (const s of suffixes) expect(s).toMatch(/^[a-z]+(-[a-z]+)*$/);
  });

  test('the queue policy statements are the template ones', () => {
    // WHEN
    const policy = resolveIntrinsics(template.Resources.KarpenterInterruptionQueuePolicy.Properties.PolicyDocument) as {
      Id: string;
      Statement: RawStatement[];
    };
    const actual = interruptionQueuePolicyStatements(SAMPLE.interruptionQueueArn);
    // THEN
    expect(actual.map((s) => ({ ...normalise(s), Principal: s.Principal }))).toEqual(
      policy.Statement.map((s) => ({ ...normalise(s), Principal: s.Principal })),
    );
    expect(interruptionQueuePolicyDocument(SAMPLE.interruptionQueueArn).Id).toBe(policy.Id);
    expect(INTERRUPTION_QUEUE_POLICY_ID).toBe(policy.Id);
  });

  test('the queue settings are the template ones', () => {
    const queue = resolveIntrinsics(template.Resources.KarpenterInterruptionQueue.Properties) as Record<string, unknown>;
    expect(queue).toEqual({
      QueueName: interruptionQueueName(SAMPLE.clusterName),
      MessageRetentionPeriod: INTERRUPTION_QUEUE_MESSAGE_RETENTION_SECONDS,
      SqsManagedSseEnabled: INTERRUPTION_QUEUE_SQS_MANAGED_SSE,
    });
  });
});
