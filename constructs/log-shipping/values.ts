/**
 * Off-node export of Hubble flows and Tetragon events to CloudWatch Logs, as pure code: log group
 * names, retention, the KMS key policy, the shipper's IAM statements and its Helm values.
 *
 * The shipper is AWS's Fluent Bit chart, `aws-for-fluent-bit` 0.2.0 from
 * https://aws.github.io/eks-charts (pinned; image `public.ecr.aws/aws-observability/aws-for-fluent-bit:3.2.1`,
 * the chart's default). Why it and not the OpenTelemetry Collector chart 0.170.0:
 * - it is AWS's own chart and image for exactly this job (tail files, write CloudWatch Logs with
 *   the `cloudwatch_logs` output), with its image pinned in the chart's values; the collector
 *   chart leaves `image.repository` empty and the CloudWatch Logs exporter is only in the
 *   `-contrib` distribution, a much larger image with hundreds of components;
 * - a small C process per node (chart default limit 250 MiB) next to the agents it reads.
 * What it costs: the chart has no values.schema.json and its pipeline is Fluent Bit's classic
 * configuration text, so the tests check every emitted key path against its values.yaml (two keys,
 * `additionalInputs` and `additionalOutputs`, are documented there only as comments) and the
 * configuration is golden text.
 *
 * Pod Identity: Fluent Bit's AWS credential chain reads `AWS_CONTAINER_CREDENTIALS_FULL_URI` with
 * `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` since fluent/fluent-bit PR #10115 (merged March 2025).
 * That image 3.2.1 carries it is inferred from its date, not verified.
 */
import * as path from 'path';
import { check, ValidationError } from '../../core/errors';
import { IamPolicyDocument, IamStatement, policyDocument } from '../../core/iam';
import { JsonObject } from '../../core/yaml';
import { bool, declare, list, oneOf, optional, parse, pattern, strict, text } from '../../core/schema';
import { region } from '../../core/rules';
import { partitionContext } from '../../core/partition';

/**
 * The pinned chart version: the newest `aws-for-fluent-bit` in aws/eks-charts (its Chart.yaml at
 * commit 52396092, 2026-08-03; unchanged since 2026-02-03). A newer one:
 * `helm search repo eks/aws-for-fluent-bit --versions` (`npm run versions`).
 */
export const LOG_SHIPPER_CHART_VERSION = '0.2.0';
/** Chart name and repository. */
export const LOG_SHIPPER_CHART = 'aws-for-fluent-bit';
export const LOG_SHIPPER_HELM_REPOSITORY = 'https://aws.github.io/eks-charts';
/** Namespace and service account of the shipper (the Pod Identity association names them). */
export const LOG_SHIPPER_NAMESPACE = 'log-shipping';
/**
 * The shipper's service account, `log-shipper` in {@link LOG_SHIPPER_NAMESPACE}: created by its chart, and
 * bound by a Pod Identity association to the role that may write the cluster's log groups.
 */
export const LOG_SHIPPER_SERVICE_ACCOUNT = 'log-shipper';
/** Where the shipper keeps its read positions on the node, so a restart neither loses nor repeats lines. */
export const LOG_SHIPPER_STATE_DIRECTORY = '/var/lib/cilium-eks-log-shipper';

/**
 * Retention values CloudWatch Logs accepts (CloudWatch Logs API reference, PutRetentionPolicy
 * `retentionInDays`: "Possible values are: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400,
 * 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, and 3653"; the AWS provider's
 * `aws_cloudwatch_log_group.retention_in_days` takes the same list plus 0, "never expire", which the
 * project does not offer: a bill without end).
 */
export const CLOUDWATCH_LOG_RETENTION_DAYS: readonly number[] = Object.freeze([
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
]);
/**
 * The declaration of a retention in days (a valibot entry): one of {@link CLOUDWATCH_LOG_RETENTION_DAYS}.
 * The one rule for every log group the project makes (the evidence groups and the control plane's).
 */
export function retentionDaysRule() {
  return oneOf(CLOUDWATCH_LOG_RETENTION_DAYS, `one of ${CLOUDWATCH_LOG_RETENTION_DAYS.join(', ')}`, 'CloudWatch Logs retention values');
}

/** {@link retentionDaysRule} at construction, for callers that skip the declarations: the error names `property`. */
export function assertRetentionDays(days: unknown, property: string): number {
  check(
    typeof days === 'number' && CLOUDWATCH_LOG_RETENTION_DAYS.includes(days),
    property,
    days,
    `one of ${CLOUDWATCH_LOG_RETENTION_DAYS.join(', ')} (CloudWatch Logs retention values)`,
    'PutRetentionPolicy refuses any other number of days',
  );
  return days as number;
}

/** Default retention: a year, so "what happened last quarter" still has an answer. */
export const DEFAULT_LOG_EXPORT_RETENTION_DAYS = 365;

/** What is shipped. */
export type LogSourceKind = 'hubble-flows' | 'tetragon-events';
/**
 * Every {@link LogSourceKind}, in the order they are shipped and listed: `hubble-flows`, `tetragon-events`;
 * the values `logExport.sources` accepts.
 */
export const LOG_SOURCE_KINDS: readonly LogSourceKind[] = Object.freeze(['hubble-flows', 'tetragon-events']);

/** Off-node export options of a cluster. */
export interface LogExportOptions {
  /** Which files to ship. @default - both, where their export is on */
  readonly sources?: readonly LogSourceKind[];
  /** Days CloudWatch Logs keeps the events; one of {@link CLOUDWATCH_LOG_RETENTION_DAYS}. @default 365 */
  readonly retentionDays?: number;
  /**
   * Keep the log groups and their KMS key when the stack is destroyed: the evidence of an incident
   * outlives the cluster, and CloudWatch's retention still expires it. `false` lets `cdktf
   * destroy` delete the log groups and schedule the key's deletion (deploy once with `false`,
   * then destroy: docs/security.md#deleting-the-evidence-deliberately).
   * @default true
   */
  readonly keepOnDestroy?: boolean;
}
export const LogExportOptionsSchema = declare<LogExportOptions>()(
  strict(
    {
      sources: optional(list(oneOf(LOG_SOURCE_KINDS), { min: 1, unique: true, reason: 'logExport: false ships nothing' })),
      retentionDays: optional(retentionDaysRule()),
      keepOnDestroy: optional(bool()),
    },
    'log export options',
  ),
);

/** Tag on the log groups and the key saying what a destroy does with them (`keep` or `delete`); `npm run predestroy` reads it. */
export const ON_DESTROY_TAG = 'cilium-eks/on-destroy';

/** `/cilium-eks/<cluster>/<kind>`: one log group per cluster and kind. */
export function logGroupName(clusterName: string, kind: LogSourceKind): string {
  return `${clusterLogGroupPrefix(clusterName)}${kind}`;
}

/** What the sources are on the nodes: the file of each kind, or why it is not there. */
export interface LogSourceFiles {
  /** The Hubble flow file. @default - absent when `cilium.hubble.flowExport.enabled` is false */
  readonly 'hubble-flows'?: string;
  /** The Tetragon event file. @default - absent when Tetragon or its export file is off */
  readonly 'tetragon-events'?: string;
}
/** The declaration of {@link LogSourceFiles}. */
export const LogSourceFilesSchema = declare<LogSourceFiles>()(
  strict({ 'hubble-flows': optional(text('a file path on the nodes')), 'tetragon-events': optional(text('a file path on the nodes')) }, 'source files { hubble-flows?, tetragon-events? }'),
);

/** Where the source of a kind is switched on, for error messages. */
const SOURCE_SWITCH: Readonly<Record<LogSourceKind, string>> = {
  'hubble-flows': 'cilium.hubble.flowExport.enabled',
  'tetragon-events': 'tetragon (not false) with tetragon.exportFile.enabled',
};

/** Resolved options: the kinds shipped, each with its file and log group. */
export interface ResolvedLogExport {
  /**
   * Days CloudWatch Logs keeps the events: `retentionDays` as given, else
   * {@link DEFAULT_LOG_EXPORT_RETENTION_DAYS} (365); one of {@link CLOUDWATCH_LOG_RETENTION_DAYS}.
   */
  readonly retentionDays: number;
  /** Whether the log groups and their key outlive `cdktf destroy`: `keepOnDestroy` as given, else true. */
  readonly keepOnDestroy: boolean;
  /**
   * The kinds shipped (`sources` in the order given, else every kind whose export is on, in
   * {@link LOG_SOURCE_KINDS} order), each with the file the shipper tails on the node and its log group,
   * `/cilium-eks/<cluster>/<kind>` ({@link logGroupName}).
   */
  readonly sources: readonly { readonly kind: LogSourceKind; readonly file: string; readonly logGroupName: string }[];
}
/** The declaration of {@link ResolvedLogExport} (what {@link resolveLogExport} returns). */
export const ResolvedLogExportSchema = declare<ResolvedLogExport>()(
  strict(
    {
      retentionDays: oneOf(CLOUDWATCH_LOG_RETENTION_DAYS, `one of ${CLOUDWATCH_LOG_RETENTION_DAYS.join(', ')}`, 'CloudWatch Logs retention values'),
      keepOnDestroy: bool(),
      sources: list(strict({ kind: oneOf(LOG_SOURCE_KINDS), file: text('a file path on the nodes'), logGroupName: text('a log group name') }, 'a source { kind, file, logGroupName }'), { min: 1 }),
    },
    'a resolved log export { retentionDays, keepOnDestroy, sources } (resolveLogExport)',
  ),
);

/**
 * Applies the defaults and checks the options against what the nodes export: a kind asked for
 * whose export is off at the source is an error; by default the kinds that are on are shipped.
 */
export function resolveLogExport(options: LogExportOptions, clusterName: string, files: LogSourceFiles): ResolvedLogExport {
  parse(LogExportOptionsSchema, options, 'logExport');
  parse(LogSourceFilesSchema, files, 'resolveLogExport(files)');
  const retentionDays = options.retentionDays ?? DEFAULT_LOG_EXPORT_RETENTION_DAYS;
  const keepOnDestroy = options.keepOnDestroy ?? true;
  const asked = options.sources;
  if (asked !== undefined) {
    for (const k of asked) {
      if (files[k] === undefined) {
        throw new ValidationError('logExport.sources', k, `a source whose export is on (${SOURCE_SWITCH[k]})`, 'the export is turned off at the source, so there is no file on the nodes to ship');
      }
    }
  }
  const kinds = asked ?? LOG_SOURCE_KINDS.filter((k) => files[k] !== undefined);
  if (kinds.length === 0) {
    throw new ValidationError('logExport', options, `logExport: false, or a source to ship (${LOG_SOURCE_KINDS.map((k) => SOURCE_SWITCH[k]).join('; ')})`, 'every export is turned off at the source');
  }
  return { retentionDays, keepOnDestroy, sources: kinds.map((kind) => ({ kind, file: files[kind] as string, logGroupName: logGroupName(clusterName, kind) })) };
}

/** Context of the account the log groups live in (tokens allowed). */
export interface LogGroupContext {
  /**
   * The AWS partition (`aws`, `aws-cn`, `aws-us-gov`) of the log groups' and the account root's ARNs in the
   * key policy.
   */
  readonly partition: string;
  /**
   * The region of the log groups (`eu-west-1`): in their ARNs, and the region whose CloudWatch Logs service
   * principal the key policy names when `logsServicePrincipal` is not given.
   */
  readonly region: string;
  /**
   * The 12-digit account the log groups and the key are in: in the log groups' ARNs, and the account whose
   * root the key policy trusts.
   */
  readonly accountId: string;
  /**
   * The EKS cluster name: the key policy lets CloudWatch Logs use the key only for
   * `/cilium-eks/<clusterName>/*` ({@link clusterLogGroupsArnPattern}) and `otherLogGroupNames`.
   */
  readonly clusterName: string;
  /**
   * CloudWatch Logs' regional service principal (`aws_service_principal.id`), which the key policy
   * names: `logs.<region>.amazonaws.com`, `logs.<region>.amazonaws.com.cn` in aws-cn.
   * @default - derived from `region` (`partitionContext`)
   */
  readonly logsServicePrincipal?: string;
  /**
   * Names of other log groups of the cluster the key encrypts too (the EKS control plane's
   * `/aws/eks/<cluster>/cluster`): the key policy lets CloudWatch Logs use it for them as well.
   * @default - none: only `/cilium-eks/<cluster>/*`
   */
  readonly otherLogGroupNames?: readonly string[];
}
/** The declaration of {@link LogGroupContext}. */
export const LogGroupContextSchema = declare<LogGroupContext>()(
  strict(
    {
      partition: pattern(/^aws(-cn|-us-gov)?$/, 'an AWS partition: aws, aws-cn or aws-us-gov'),
      region: region(),
      accountId: pattern(/^\d{12}$/, 'a 12-digit AWS account ID'),
      clusterName: text('a cluster name'),
      logsServicePrincipal: optional(pattern(/^logs\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/, 'the CloudWatch Logs service principal, e.g. logs.eu-west-1.amazonaws.com')),
      otherLogGroupNames: optional(list(text('a log group name'))),
    },
    'a log group context { partition, region, accountId, clusterName, logsServicePrincipal?, otherLogGroupNames? }',
  ),
);

/** `/cilium-eks/<cluster>/`: the prefix every log group of the cluster starts with. */
export function clusterLogGroupPrefix(clusterName: string): string {
  return `/cilium-eks/${clusterName}/`;
}

/** ARN of every log group of the cluster: `arn:<p>:logs:<region>:<account>:log-group:/cilium-eks/<cluster>/*`. */
export function clusterLogGroupsArnPattern(c: LogGroupContext): string {
  return logGroupArn(c, `${clusterLogGroupPrefix(c.clusterName)}*`);
}

/** The ARN of a log group of the cluster's account and region. */
function logGroupArn(c: LogGroupContext, name: string): string {
  return `arn:${c.partition}:logs:${c.region}:${c.accountId}:log-group:${name}`;
}

/** What the key may encrypt: the pattern of {@link clusterLogGroupsArnPattern}, or it and the other groups' ARNs. */
function encryptedLogGroupArns(c: LogGroupContext): string | string[] {
  const others = (c.otherLogGroupNames ?? []).map((n) => logGroupArn(c, n));
  return others.length === 0 ? clusterLogGroupsArnPattern(c) : [clusterLogGroupsArnPattern(c), ...others];
}

/**
 * Key policy of the KMS key that encrypts the log groups (CloudWatch Logs User Guide, "Encrypt log
 * data in CloudWatch Logs using AWS KMS"): the account administers the key; the CloudWatch Logs
 * service principal of the region may use it only for this cluster's log groups (encryption
 * context `aws:logs:arn`).
 */
export function logsKmsKeyPolicy(c: LogGroupContext): IamPolicyDocument {
  parse(LogGroupContextSchema, c, 'logsKmsKeyPolicy(c)');
  return policyDocument([
    {
      Sid: 'AccountAdministers',
      Effect: 'Allow',
      Principal: { AWS: `arn:${c.partition}:iam::${c.accountId}:root` },
      Action: 'kms:*',
      Resource: '*',
    },
    {
      Sid: 'CloudWatchLogsUsesForThisClusterOnly',
      Effect: 'Allow',
      Principal: { Service: c.logsServicePrincipal ?? partitionContext(c.region).regionalServicePrincipal('logs') },
      Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      Resource: '*',
      // Several values of one condition key: any of them matches (IAM User Guide, "Creating a
      // condition with multiple keys or values").
      Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': encryptedLogGroupArns(c) } },
    },
  ]);
}

/**
 * The CloudFormation template of the evidence key: an `AWS::KMS::Key` (rotation on, the key policy
 * of {@link logsKmsKeyPolicy}) and its alias. Why CloudFormation: the AWS provider's `aws_kms_key`
 * has no `skip_destroy` (provider 6.25 documents none; destroying it always schedules the key's
 * deletion), while a CloudFormation resource with `DeletionPolicy: Retain` outlives its stack
 * (CloudFormation User Guide, "DeletionPolicy attribute"): `cdktf destroy` deletes the stack and
 * the key stays, enabled, readable. `UpdateReplacePolicy: Retain` keeps the old key if a change
 * ever replaces it (its data stays encrypted with it). With `keepOnDestroy: false` the key is
 * deleted with the stack: CloudFormation schedules it with `PendingWindowInDays` (30, the
 * maximum) to let a mistake be undone (`aws kms cancel-key-deletion`).
 */
export function evidenceKeyTemplate(c: LogGroupContext, keepOnDestroy: boolean, aliasName: string, tags: Readonly<Record<string, string>> = {}): JsonObject {
  const allTags: Record<string, string> = { ...tags, [ON_DESTROY_TAG]: keepOnDestroy ? 'keep' : 'delete' };
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `Evidence key of ${c.clusterName}: encrypts its Hubble flow and Tetragon event log groups${(c.otherLogGroupNames ?? []).length > 0 ? ' and its control-plane logs' : ''} (cilium-eks)`,
    Resources: {
      Key: {
        Type: 'AWS::KMS::Key',
        DeletionPolicy: keepOnDestroy ? 'Retain' : 'Delete',
        UpdateReplacePolicy: 'Retain',
        Properties: {
          Description: `CloudWatch Logs encryption of the Hubble flows and Tetragon events${(c.otherLogGroupNames ?? []).length > 0 ? ' and the control-plane logs' : ''} of ${c.clusterName}`,
          EnableKeyRotation: true,
          PendingWindowInDays: 30,
          KeyPolicy: logsKmsKeyPolicy(c) as unknown as JsonObject,
          Tags: Object.keys(allTags)
            .sort()
            .map((k) => ({ Key: k, Value: allTags[k] })),
        },
      },
      Alias: { Type: 'AWS::KMS::Alias', Properties: { AliasName: aliasName, TargetKeyId: { Ref: 'Key' } } },
    },
    Outputs: { KeyArn: { Value: { 'Fn::GetAtt': ['Key', 'Arn'] } } },
  };
}

/**
 * The shipper's rights: create its streams and put events, in the given log groups only (the
 * groups exist; `auto_create_group` is off, so no CreateLogGroup). Fluent Bit docs, "Amazon
 * CloudWatch" output, permissions: logs:CreateLogStream, logs:PutLogEvents (CreateLogGroup and
 * PutRetentionPolicy only when it creates groups or sets retention, which it does not here).
 * Resources: the Service Authorization Reference for CloudWatch Logs names the `log-group`
 * resource (`arn:...:log-group:NAME`, CreateLogStream) and the `log-stream` resource
 * (`arn:...:log-group:NAME:log-stream:STREAM`, PutLogEvents); both are listed for each group.
 * Writing to a KMS-encrypted group needs no KMS right of the caller: CloudWatch Logs uses the key
 * (inferred from the key policy model: the service principal, not the caller, uses the key).
 */
export function logShipperStatements(logGroupArns: readonly string[]): IamStatement[] {
  check(logGroupArns.length > 0, 'logGroupArns', logGroupArns, 'at least one log group ARN');
  return [
    {
      Sid: 'WriteClusterLogGroups',
      Effect: 'Allow',
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: logGroupArns.flatMap((arn) => [arn, `${arn}:log-stream:*`]),
    },
  ];
}

/** Tag of a source in the Fluent Bit pipeline. */
const tagOf = (kind: LogSourceKind): string => kind.replace('-', '.');

/**
 * Fluent Bit's pipeline: one `tail` input per file (a read-position database on the node, lines
 * kept whole under `log`) and one `cloudwatch_logs` output per log group, one stream per node.
 * Returned as the two text blocks the chart appends to its configuration.
 */
export function fluentBitPipeline(region: string, resolved: ResolvedLogExport): { inputs: string; outputs: string } {
  const section = (name: string, entries: [string, string][]): string =>
    [`[${name}]`, ...entries.map(([k, v]) => `    ${k.padEnd(18)}${v}`)].join('\n');
  const inputs = resolved.sources.map((s) =>
    section('INPUT', [
      ['Name', 'tail'],
      ['Tag', tagOf(s.kind)],
      ['Path', s.file],
      ['DB', `${LOG_SHIPPER_STATE_DIRECTORY}/${s.kind}.db`],
      // The first start ships what the file already holds; the DB keeps the position afterwards.
      ['Read_from_Head', 'On'],
      ['Mem_Buf_Limit', '16MB'],
      ['Buffer_Max_Size', '1MB'],
      ['Skip_Long_Lines', 'On'],
      ['Rotate_Wait', '30'],
      ['Refresh_Interval', '10'],
    ]),
  );
  const outputs = resolved.sources.map((s) =>
    section('OUTPUT', [
      ['Name', 'cloudwatch_logs'],
      ['Match', tagOf(s.kind)],
      ['region', region],
      ['log_group_name', s.logGroupName],
      ['log_stream_name', '${NODE_NAME}'],
      // Each line is a JSON object (a flow or an event): send it as it is.
      ['log_key', 'log'],
      ['auto_create_group', 'Off'],
      ['Retry_Limit', '10'],
    ]),
  );
  return { inputs: `${inputs.join('\n\n')}\n`, outputs: `${outputs.join('\n\n')}\n` };
}

/** The directories the shipper mounts read-only: the one of each file. */
export function sourceDirectories(resolved: ResolvedLogExport): string[] {
  return [...new Set(resolved.sources.map((s) => path.posix.dirname(s.file)))].sort();
}

/** The shipper pod's securityContext: root (the export files are root's, mode 600), seccomp RuntimeDefault. */
export const LOG_SHIPPER_POD_SECURITY_CONTEXT = Object.freeze({ runAsUser: 0, runAsGroup: 0, seccompProfile: Object.freeze({ type: 'RuntimeDefault' }) });
/** The shipper container's securityContext: no capability, no privilege escalation. */
export const LOG_SHIPPER_CONTAINER_SECURITY_CONTEXT = Object.freeze({ allowPrivilegeEscalation: false, privileged: false, capabilities: Object.freeze({ drop: Object.freeze(['ALL']) }) });

/** Inputs of {@link buildLogShipperValues}. */
export interface LogShipperValuesInput {
  /**
   * The region of the log groups (`eu-west-1`): the `region` of every CloudWatch Logs output of the Fluent
   * Bit pipeline.
   */
  readonly region: string;
  /**
   * The resolved export ({@link resolveLogExport}): one tail input per source file and one CloudWatch Logs
   * output per log group, and the node directories mounted read-only.
   */
  readonly resolved: ResolvedLogExport;
  /** Emit the chart's ServiceMonitor. @default false */
  readonly serviceMonitor?: boolean;
}
/** The declaration of {@link LogShipperValuesInput}. */
export const LogShipperValuesInputSchema = declare<LogShipperValuesInput>()(
  strict({ region: region(), resolved: ResolvedLogExportSchema, serviceMonitor: optional(bool()) }, 'log shipper values input { region, resolved, serviceMonitor? }'),
);

/**
 * Helm values of the shipper. The chart's own container-log input, Kubernetes filter and default
 * `cloudWatchLogs` output are off; the pipeline is {@link fluentBitPipeline}. Volumes replace the
 * chart's (`/var/log`, `/var/lib/docker/containers`): the source directories read-only, and the
 * state directory.
 */
export function buildLogShipperValues(input: LogShipperValuesInput): JsonObject {
  parse(LogShipperValuesInputSchema, input, 'buildLogShipperValues(input)');
  const pipeline = fluentBitPipeline(input.region, input.resolved);
  const dirs = sourceDirectories(input.resolved);
  const sourceName = (d: string): string => `source-${d.split('/').filter(Boolean).pop()}`;
  return {
    serviceAccount: { create: true, name: LOG_SHIPPER_SERVICE_ACCOUNT },
    input: { enabled: false },
    filter: { enabled: false },
    cloudWatch: { enabled: false },
    cloudWatchLogs: { enabled: false },
    additionalInputs: pipeline.inputs,
    additionalOutputs: pipeline.outputs,
    env: [{ name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }],
    volumes: [
      ...dirs.map((d) => ({ name: sourceName(d), hostPath: { path: d, type: 'DirectoryOrCreate' } })),
      { name: 'state', hostPath: { path: LOG_SHIPPER_STATE_DIRECTORY, type: 'DirectoryOrCreate' } },
    ],
    volumeMounts: [
      ...dirs.map((d) => ({ name: sourceName(d), mountPath: d, readOnly: true })),
      { name: 'state', mountPath: LOG_SHIPPER_STATE_DIRECTORY },
    ],
    podSecurityContext: { ...LOG_SHIPPER_POD_SECURITY_CONTEXT, seccompProfile: { type: 'RuntimeDefault' } },
    containerSecurityContext: { ...LOG_SHIPPER_CONTAINER_SECURITY_CONTEXT, capabilities: { drop: ['ALL'] } },
    // Every node, whatever its taints: evidence from a tainted node matters as much.
    tolerations: [{ operator: 'Exists' }],
    hostNetwork: false,
    serviceMonitor: { enabled: input.serviceMonitor ?? false },
  };
}

/**
 * The documented Pod Security exception of the shipper's namespace: `privileged`, the minimum its
 * host mounts need (Pod Security `baseline` already forbids every hostPath volume, and no level
 * lies between baseline and privileged). The pod itself drops every capability, is not privileged
 * and stays off the host network; its exemptions are listed in `PSS_EXEMPTIONS`.
 */
export const LOG_SHIPPER_PSS_EXCEPTION = Object.freeze({
  namespace: LOG_SHIPPER_NAMESPACE,
  level: 'privileged' as const,
  workloads: Object.freeze(['aws-for-fluent-bit (DaemonSet: hostPath, uid 0)']),
  reason: `read-only hostPath mounts of the export directories and a hostPath state directory (${LOG_SHIPPER_STATE_DIRECTORY}); baseline forbids hostPath volumes`,
});
