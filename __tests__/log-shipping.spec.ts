/**
 * Off-node export: the shipper's values against the pinned aws-for-fluent-bit values.yaml (no
 * schema), golden YAML of its configuration, the IAM statements scoped to the cluster's log groups,
 * the KMS key policy, and every refusal (retention, sources whose export is off).
 */
import { valueAt } from '../core/helm-values';
import { parse } from 'yaml';
import {
  buildLogShipperValues,
  CLOUDWATCH_LOG_RETENTION_DAYS,
  clusterLogGroupsArnPattern,
  fluentBitPipeline,
  LOG_SHIPPER_CHART_VERSION,
  logGroupName,
  evidenceKeyTemplate,
  logsKmsKeyPolicy,
  logShipperStatements,
  ON_DESTROY_TAG,
  resolveLogExport,
} from '../constructs/log-shipping/values';
import { escapeTerraformInterpolation, escapeTerraformInterpolationDeep, LOG_EXPORT_TERRAFORM_VERSION } from '../constructs/log-shipping/log-shipping';
import { clusterNames } from '../core/names';
import { DEFAULT_FLOW_EXPORT_FILE } from '../bpf/hubble';
import { TETRAGON_EXPORT_FILE } from '../constructs/tetragon/values';
import { JsonObject } from '../core/yaml';
import { thrown } from './support/errors';
import { expectGolden } from './support/golden';
import { buildStack, defaultStack, dependsOn, resource, resourcesOfType, synthJson, TfJson } from './support/synth';
import { readUpstreamText, missingChartKeyPaths } from './support/upstream';
import { expectYamlGolden } from './support/yaml';

const chartText = readUpstreamText('aws-for-fluent-bit', LOG_SHIPPER_CHART_VERSION, 'values.yaml');
const chart = parse(chartText) as JsonObject;
const BOTH = { 'hubble-flows': DEFAULT_FLOW_EXPORT_FILE, 'tetragon-events': TETRAGON_EXPORT_FILE };
const RESOLVED = resolveLogExport({}, 'demo', BOTH);
const VALUES = buildLogShipperValues({ region: 'eu-west-1', resolved: RESOLVED });

/** Keys documented in values.yaml only as comments (`# additionalInputs: |`); the chart's configmap template reads them. */
const COMMENTED_KEYS = ['additionalInputs', 'additionalOutputs'];

describe('shipper values against the chart', () => {
  test('every key path exists in values.yaml, but the two the file documents as comments', () => {
    expect(missingChartKeyPaths(VALUES, chart)).toEqual(COMMENTED_KEYS);
    for (const key of COMMENTED_KEYS) expect(chartText).toMatch(new RegExp(`^# ${key}: \\|$`, 'm'));
    expect(missingChartKeyPaths(buildLogShipperValues({ region: 'eu-west-1', resolved: RESOLVED, serviceMonitor: true }), chart)).toEqual(COMMENTED_KEYS);
  });

  test('the chart\'s own container-log input, Kubernetes filter and default outputs are off; volumes replace its host paths', () => {
    expect(['input', 'filter', 'cloudWatch', 'cloudWatchLogs'].map((k) => valueAt(VALUES, `${k}.enabled`))).toEqual([false, false, false, false]);
    const v = VALUES as { volumes: { hostPath: { path: string } }[]; volumeMounts: { mountPath: string; readOnly?: boolean }[] };
    expect(v.volumes.map((x) => x.hostPath.path)).toEqual(['/var/run/cilium/hubble', '/var/run/cilium/tetragon', '/var/lib/cilium-eks-log-shipper']);
    expect(v.volumeMounts.filter((m) => m.readOnly).map((m) => m.mountPath)).toEqual(['/var/run/cilium/hubble', '/var/run/cilium/tetragon']);
  });

  test('golden YAML of the shipper values and of the Fluent Bit pipeline', () => {
    expectYamlGolden('log-shipping/values.yaml', VALUES);
    const p = fluentBitPipeline('eu-west-1', RESOLVED);
    expectGolden('log-shipping/pipeline.conf', `${p.inputs}\n${p.outputs}`);
  });

  test('one tail input and one output per source, each output to its own log group, one stream per node', () => {
    const { inputs, outputs } = fluentBitPipeline('eu-west-1', RESOLVED);
    expect(inputs.match(/^\s+Path\s+(\S+)$/gm)?.map((l) => l.trim().split(/\s+/)[1])).toEqual([DEFAULT_FLOW_EXPORT_FILE, TETRAGON_EXPORT_FILE]);
    expect(outputs.match(/^\s+log_group_name\s+(\S+)$/gm)?.map((l) => l.trim().split(/\s+/)[1])).toEqual(['/cilium-eks/demo/hubble-flows', '/cilium-eks/demo/tetragon-events']);
    expect(outputs).toMatch(/log_stream_name\s+\$\{NODE_NAME\}/);
    expect(outputs).toMatch(/auto_create_group Off/);
  });

  test('Terraform sees ${ escaped, so Fluent Bit gets the environment variable', () => {
    expect(escapeTerraformInterpolation('a ${NODE_NAME} b ${X}')).toBe('a $${NODE_NAME} b $${X}');
    expect(escapeTerraformInterpolationDeep({ k: ['${A}', 1, null], '${B}': true })).toEqual({ k: ['$${A}', 1, null], '$${B}': true });
  });
});

describe('log groups, key and rights', () => {
  const c = { partition: 'aws', region: 'eu-west-1', accountId: '111122223333', clusterName: 'demo' };

  test('the shipper may only create streams and put events in the given log groups', () => {
    const arns = ['arn:aws:logs:eu-west-1:111122223333:log-group:/cilium-eks/demo/hubble-flows'];
    expect(logShipperStatements(arns)).toEqual([
      { Sid: 'WriteClusterLogGroups', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: [arns[0], `${arns[0]}:log-stream:*`] },
    ]);
    expect(thrown(() => logShipperStatements([])).property).toBe('logGroupArns');
  });

  test('the KMS key lets CloudWatch Logs of the region use it for this cluster\'s log groups only', () => {
    const doc = logsKmsKeyPolicy(c);
    const service = doc.Statement.find((s) => s.Principal?.Service !== undefined);
    expect(service?.Principal?.Service).toBe('logs.eu-west-1.amazonaws.com');
    expect(service?.Condition).toEqual({ ArnLike: { 'kms:EncryptionContext:aws:logs:arn': 'arn:aws:logs:eu-west-1:111122223333:log-group:/cilium-eks/demo/*' } });
    expect(clusterLogGroupsArnPattern(c)).toMatch(new RegExp(`^${'arn:aws:logs:eu-west-1:111122223333:log-group:'}`));
    expect(logGroupName('demo', 'tetragon-events')).toBe('/cilium-eks/demo/tetragon-events');
  });

  test('in the stack: KMS-encrypted groups with retention, the policy names exactly those groups, the release waits for the association', () => {
    const { tf } = defaultStack();
    const groups = resourcesOfType(tf, 'aws_cloudwatch_log_group').filter((g) => String(g.name).startsWith('/cilium-eks/'));
    const key = dataSource(tf, 'aws_kms_key', 'log-shipping/key-by-alias');
    expect(groups.map((g) => [g.name, g.retention_in_days, g.kms_key_id])).toEqual([
      ['/cilium-eks/cilium-eks/hubble-flows', 365, `\${${key.address}.arn}`],
      ['/cilium-eks/cilium-eks/tetragon-events', 365, `\${${key.address}.arn}`],
    ]);
    const policy = JSON.parse(String(resource(tf, 'aws_iam_policy', 'pod-identity-log-shipper/policy').block.policy));
    const hubble = resource(tf, 'aws_cloudwatch_log_group', 'log-shipping/log-group-hubble-flows').address;
    const tetragon = resource(tf, 'aws_cloudwatch_log_group', 'log-shipping/log-group-tetragon-events').address;
    expect(policy.Statement).toHaveLength(1);
    expect(policy.Statement[0].Resource).toEqual([`\${${hubble}.arn}`, `\${${hubble}.arn}:log-stream:*`, `\${${tetragon}.arn}`, `\${${tetragon}.arn}:log-stream:*`]);
    const association = resource(tf, 'aws_eks_pod_identity_association', 'pod-identity-log-shipper/association');
    expect(association.block).toMatchObject({ namespace: 'log-shipping', service_account: 'log-shipper' });
    const release = resource(tf, 'helm_release', 'log-shipping/release');
    expect(release.block).toMatchObject({ chart: 'aws-for-fluent-bit', version: LOG_SHIPPER_CHART_VERSION, namespace: 'log-shipping' });
    expect(dependsOn(release.block)).toEqual(expect.arrayContaining([association.address, hubble, tetragon, resource(tf, 'helm_release', 'tetragon/release').address]));
    expect((release.block.values as string[])[0]).toContain('log_stream_name   $${NODE_NAME}');
    const ns = resource(tf, 'kubernetes_namespace_v1', 'log-shipping/namespace');
    expect(valueAt(ns.block.metadata, 'labels')).toMatchObject({ 'pod-security.kubernetes.io/enforce': 'privileged' });
  });

  test('logExport: false creates none of it; the control plane\'s group keeps CloudWatch\'s own encryption, and is still kept', () => {
    const tf = synthJson(buildStack({ logExport: false }));
    expect(resource(tf, 'aws_cloudwatch_log_group', 'control-plane/log-group').block).toMatchObject({ skip_destroy: true, tags: { [ON_DESTROY_TAG]: 'keep' } });
    expect(resource(tf, 'aws_cloudwatch_log_group', 'control-plane/log-group').block.kms_key_id).toBeUndefined();
    expect(Object.keys(tf.resource.aws_kms_alias ?? {}).filter((k) => k.includes('log-shipping'))).toEqual([]);
    expect(Object.keys(tf.resource.aws_eks_pod_identity_association ?? {}).filter((k) => k.includes('log-shipper'))).toEqual([]);
    expect(resourcesOfType(tf, 'helm_release').map((r) => r.name)).not.toContain('log-shipper');
  });
});

/** The one data source of a type whose construct path ends with `pathSuffix`. */
function dataSource(tf: TfJson, type: string, pathSuffix: string): { address: string; block: Record<string, unknown> } {
  const wanted = `_${pathSuffix.replace(/\//g, '_')}_`;
  const matches = Object.entries(tf.data?.[type] ?? {}).filter(([k]) => k.includes(wanted));
  if (matches.length !== 1) throw new Error(`expected one data.${type} at */${pathSuffix}, found ${matches.length}`);
  return { address: `data.${type}.${matches[0][0]}`, block: matches[0][1] };
}

describe('evidence survives destroy', () => {
  const { tf } = defaultStack();
  const stack = resource(tf, 'aws_cloudformation_stack', 'log-shipping/key');
  const template = JSON.parse(String(stack.block.template_body)) as { Resources: { Key: JsonObject; Alias: JsonObject } };
  const context = { partition: 'aws', region: 'eu-west-1', accountId: '111122223333', clusterName: 'demo' };

  test('by default the log groups are kept out of destroy (skip_destroy) and tagged so', () => {
    const groups = resourcesOfType(tf, 'aws_cloudwatch_log_group').filter((g) => String(g.name).startsWith('/cilium-eks/'));
    expect(groups.map((g) => [g.skip_destroy, (g.tags as Record<string, string>)[ON_DESTROY_TAG]])).toEqual([
      [true, 'keep'],
      [true, 'keep'],
    ]);
  });

  test('the key lives in a CloudFormation stack that retains it: Retain on delete and on replacement, rotation on, the cluster-only key policy', () => {
    expect(stack.block.name).toBe('cilium-eks-cilium-eks-evidence-key');
    expect(template.Resources.Key).toMatchObject({ Type: 'AWS::KMS::Key', DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain', Properties: { EnableKeyRotation: true, PendingWindowInDays: 30 } });
    expect(template.Resources.Alias).toEqual({ Type: 'AWS::KMS::Alias', Properties: { AliasName: 'alias/cilium-eks/cilium-eks/evidence', TargetKeyId: { Ref: 'Key' } } });
    const sids = ((template.Resources.Key.Properties as JsonObject).KeyPolicy as { Statement: { Sid: string }[] }).Statement.map((st) => st.Sid);
    expect(sids).toEqual(['AccountAdministers', 'CloudWatchLogsUsesForThisClusterOnly']);
    // The key is found through the alias the stack makes, once the stack exists.
    const key = dataSource(tf, 'aws_kms_key', 'log-shipping/key-by-alias');
    expect(key.block).toEqual({ key_id: 'alias/cilium-eks/cilium-eks/evidence', depends_on: [stack.address] });
  });

  test('keepOnDestroy: false and keepControlPlaneLogsOnDestroy: false let destroy delete the groups and the stack delete the key (30-day window); adoptExistingControlPlaneLogGroup: false reads and imports nothing', () => {
    const off = synthJson(buildStack({ logExport: { keepOnDestroy: false }, keepControlPlaneLogsOnDestroy: false, adoptExistingControlPlaneLogGroup: false }));
    expect(resource(off, 'aws_cloudwatch_log_group', 'control-plane/log-group').block).toMatchObject({ skip_destroy: false, tags: { [ON_DESTROY_TAG]: 'delete' } });
    expect(Object.keys(off.data?.aws_cloudwatch_log_groups ?? {}).filter((k) => k.includes('control-plane'))).toEqual([]);
    expect(((off as unknown as { import: JsonObject[] }).import ?? []).filter((i) => String(i.to).includes('control-plane'))).toEqual([]);
    const groups = resourcesOfType(off, 'aws_cloudwatch_log_group').filter((g) => String(g.name).startsWith('/cilium-eks/'));
    expect(groups.map((g) => [g.skip_destroy, (g.tags as Record<string, string>)[ON_DESTROY_TAG]])).toEqual([
      [false, 'delete'],
      [false, 'delete'],
    ]);
    const t = JSON.parse(String(resource(off, 'aws_cloudformation_stack', 'log-shipping/key').block.template_body)) as typeof template;
    expect([t.Resources.Key.DeletionPolicy, t.Resources.Key.UpdateReplacePolicy]).toEqual(['Delete', 'Retain']);
    expect(evidenceKeyTemplate(context, false, 'alias/x').Resources).toMatchObject({ Key: { Properties: { Tags: [{ Key: ON_DESTROY_TAG, Value: 'delete' }] } } });
  });

  test('the key is kept while the control plane\'s kept logs use it, though the export\'s groups go', () => {
    const tf2 = synthJson(buildStack({ logExport: { keepOnDestroy: false } }));
    const key = resource(tf2, 'aws_cloudformation_stack', 'log-shipping/key').block;
    expect((JSON.parse(String(key.template_body)) as typeof template).Resources.Key.DeletionPolicy).toBe('Retain');
    expect((key.tags as Record<string, string>)[ON_DESTROY_TAG]).toBe('keep');
  });

  test('a deploy after a destroy adopts the kept log groups: one import per group, when the group exists at plan time', () => {
    const kept = dataSource(tf, 'aws_cloudwatch_log_groups', 'log-shipping/kept-log-groups');
    expect(kept.block).toEqual({ log_group_name_prefix: '/cilium-eks/cilium-eks/' });
    const imports = (tf as unknown as { import: JsonObject[] }).import.filter((i) => String(i.to).includes('_log-shipping_'));
    expect(imports).toEqual(
      ['hubble-flows', 'tetragon-events'].map((kind) => {
        const name = JSON.stringify(`/cilium-eks/cilium-eks/${kind}`);
        return {
          for_each: `\${contains(${kept.address}.log_group_names, ${name}) ? toset([${name}]) : toset([])}`,
          to: resource(tf, 'aws_cloudwatch_log_group', `log-shipping/log-group-${kind}`).address,
          id: '${each.value}',
        };
      }),
    );
  });

  test("0.1.0's key (an aws_kms_key at this construct path) is forgotten, not destroyed: its events stay readable", () => {
    // The log export's own (the control plane lets go of 0.1.0's deployer entry the same way: first-apply.spec.ts).
    const removed = (tf as unknown as { removed: JsonObject[] }).removed.filter((r) => String(r.from).startsWith('aws_kms_key.'));
    expect(removed).toEqual([{ from: `aws_kms_key.${stack.address.split('.')[1]}`, lifecycle: { destroy: false } }]);
    expect((tf.terraform as JsonObject).required_version).toBe(LOG_EXPORT_TERRAFORM_VERSION);
  });

  test('a cluster name with "_" gets a stack name CloudFormation accepts, apart from the same name with "-"', () => {
    const a = clusterNames.evidenceKeyStack('team_a');
    const b = clusterNames.evidenceKeyStack('team-a');
    expect(a).toMatch(/^[a-zA-Z][-a-zA-Z0-9]*$/);
    expect(a).not.toBe(b);
    expect(clusterNames.evidenceKeyStack('x'.repeat(100)).length).toBeLessThanOrEqual(128);
  });
});

describe("the control plane's log group", () => {
  const { tf } = defaultStack();
  const group = resource(tf, 'aws_cloudwatch_log_group', 'control-plane/log-group');

  test('created before the cluster with the retention given, kept on destroy, tagged, under the evidence key', () => {
    const key = dataSource(tf, 'aws_kms_key', 'log-shipping/key-by-alias');
    expect(group.block).toMatchObject({ name: '/aws/eks/cilium-eks/cluster', retention_in_days: 90, skip_destroy: true, kms_key_id: `\${${key.address}.arn}`, tags: { [ON_DESTROY_TAG]: 'keep' } });
    expect(dependsOn(resource(tf, 'aws_eks_cluster', 'control-plane/cluster').block)).toContain(group.address);
    // The key policy lets CloudWatch Logs use the key for that group too.
    const template = JSON.parse(String(resource(tf, 'aws_cloudformation_stack', 'log-shipping/key').block.template_body)) as { Resources: { Key: { Properties: { KeyPolicy: { Statement: Array<{ Condition?: JsonObject }> } } } } };
    const condition = template.Resources.Key.Properties.KeyPolicy.Statement[1].Condition as { ArnLike: Record<string, string[]> };
    const account = `\${data.aws_caller_identity.${accountKey(tf)}.account_id}`;
    expect(condition.ArnLike['kms:EncryptionContext:aws:logs:arn']).toEqual([
      `arn:aws:logs:eu-west-1:${account}:log-group:/cilium-eks/cilium-eks/*`,
      `arn:aws:logs:eu-west-1:${account}:log-group:/aws/eks/cilium-eks/cluster`,
    ]);
  });

  test('adopted when a group of its name exists at plan time: one import, from a listing by its name', () => {
    const existing = dataSource(tf, 'aws_cloudwatch_log_groups', 'control-plane/existing-log-group');
    expect(existing.block).toEqual({ log_group_name_prefix: '/aws/eks/cilium-eks/cluster' });
    const name = JSON.stringify('/aws/eks/cilium-eks/cluster');
    expect((tf as unknown as { import: JsonObject[] }).import.filter((i) => i.to === group.address)).toEqual([
      { for_each: `\${contains(${existing.address}.log_group_names, ${name}) ? toset([${name}]) : toset([])}`, to: group.address, id: '${each.value}' },
    ]);
  });

  test('the key policy names other groups of the cluster when given, the prefix alone otherwise', () => {
    const c = { partition: 'aws-cn', region: 'cn-north-1', accountId: '111122223333', clusterName: 'demo' };
    const arns = (doc: ReturnType<typeof logsKmsKeyPolicy>): unknown => (doc.Statement[1].Condition as { ArnLike: Record<string, unknown> }).ArnLike['kms:EncryptionContext:aws:logs:arn'];
    expect(arns(logsKmsKeyPolicy(c))).toBe('arn:aws-cn:logs:cn-north-1:111122223333:log-group:/cilium-eks/demo/*');
    expect(arns(logsKmsKeyPolicy({ ...c, otherLogGroupNames: ['/aws/eks/demo/cluster'] }))).toEqual([
      'arn:aws-cn:logs:cn-north-1:111122223333:log-group:/cilium-eks/demo/*',
      'arn:aws-cn:logs:cn-north-1:111122223333:log-group:/aws/eks/demo/cluster',
    ]);
  });
});

/** The logical id of the stack's `aws_caller_identity` (the account). */
function accountKey(tf: TfJson): string {
  const keys = Object.keys(tf.data?.aws_caller_identity ?? {});
  if (keys.length !== 1) throw new Error(`expected one aws_caller_identity, found ${keys.length}`);
  return keys[0];
}

describe('bad input', () => {
  test('keepOnDestroy that is not a boolean is refused', () => {
    thrown(() => resolveLogExport({ keepOnDestroy: 'no' as unknown as boolean }, 'demo', BOTH), /^logExport\.keepOnDestroy: "no" is not valid; allowed: true or false/);
  });

  test.each(CLOUDWATCH_LOG_RETENTION_DAYS.map((d) => [d]))('retention %d is accepted', (d) => {
    expect(resolveLogExport({ retentionDays: d }, 'demo', BOTH).retentionDays).toBe(d);
  });

  test.each([[0], [2], [366], [-1], [1.5]])('retention %d is refused', (d) => {
    const e = thrown(() => resolveLogExport({ retentionDays: d }, 'demo', BOTH));
    expect(e.property).toBe('logExport.retentionDays');
    expect(e.message).toMatch(/one of 1, 3, 5/);
  });

  test('a source whose export is off at the source is refused', () => {
    const e = thrown(() => resolveLogExport({ sources: ['hubble-flows'] }, 'demo', { 'tetragon-events': TETRAGON_EXPORT_FILE }));
    expect(e.property).toBe('logExport.sources');
    expect(e.message).toMatch(/cilium\.hubble\.flowExport\.enabled/);
    expect(thrown(() => resolveLogExport({}, 'demo', {})).property).toBe('logExport');
  });

  test('by default the sources that are on are shipped', () => {
    expect(resolveLogExport({}, 'demo', { 'tetragon-events': TETRAGON_EXPORT_FILE }).sources.map((s) => s.kind)).toEqual(['tetragon-events']);
  });

  test.each([
    ['logExport.sources', { sources: [] }],
    ['logExport.sources[0]', { sources: ['syslog' as never] }],
    ['logExport.sources[1]', { sources: ['hubble-flows', 'hubble-flows'] as const }],
  ])('%s is validated (case %#)', (property, options) => {
    expect(thrown(() => resolveLogExport(options, 'demo', BOTH)).property).toBe(property);
  });

  test('in the stack: Hubble flow export off with the shipper asked to ship it fails at synth', () => {
    const e = thrown(() => buildStack({ cilium: { hubble: { flowExport: { enabled: false } } }, logExport: { sources: ['hubble-flows'] } }));
    expect(e.property).toBe('logExport.sources');
    const e2 = thrown(() => buildStack({ tetragon: { exportFile: { enabled: false } }, logExport: { sources: ['tetragon-events'] } }));
    expect(e2.property).toBe('logExport.sources');
  });
});
