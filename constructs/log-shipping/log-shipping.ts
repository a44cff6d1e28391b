import { Construct } from 'constructs';
import { CloudformationStack } from '@cdktf/provider-aws/lib/cloudformation-stack';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DataAwsCloudwatchLogGroups } from '@cdktf/provider-aws/lib/data-aws-cloudwatch-log-groups';
import { DataAwsKmsKey } from '@cdktf/provider-aws/lib/data-aws-kms-key';
import { Release } from '@cdktf/provider-helm/lib/release';
import { IamStatement } from '../../core/iam';
import { clusterNames } from '../../core/names';
import { JsonObject, JsonValue, sortKeysDeep, toSortedYaml } from '../../core/yaml';
import { IHelmValuesSource } from '../helm-values-source';
import { ITerraformDependable, TerraformStack } from '../cdktf';
import { PssNamespace } from '../pss-namespace';
import { bool, declare, opaque, optional, parse, strict, text } from '../../core/schema';
import { kubernetesMinor, tags } from '../../core/rules';
import { clusterName, dependables } from '../inputs';
import { forgetWithoutDestroying, importWhenListed } from './terraform-blocks';
import {
  buildLogShipperValues,
  clusterLogGroupPrefix,
  evidenceKeyTemplate,
  LOG_SHIPPER_CHART,
  LOG_SHIPPER_CHART_VERSION,
  LOG_SHIPPER_HELM_REPOSITORY,
  LOG_SHIPPER_NAMESPACE,
  LOG_SHIPPER_PSS_EXCEPTION,
  LogGroupContext,
  LogGroupContextSchema,
  logShipperStatements,
  LogSourceKind,
  ON_DESTROY_TAG,
  ResolvedLogExport,
  ResolvedLogExportSchema,
} from './values';

/** The Terraform version the evidence blocks need: `import` with `for_each` and `removed` (both 1.7). */
export const LOG_EXPORT_TERRAFORM_VERSION = '>= 1.7.0';

/**
 * Terraform reads `${` in a string as interpolation; Fluent Bit's configuration uses `${VAR}` for
 * environment variables. `$${` is Terraform's escape for a literal `${`.
 */
export function escapeTerraformInterpolation(text: string): string {
  return text.split('${').join('$${');
}

/** {@link escapeTerraformInterpolation} on every string of a JSON value (keys included). */
export function escapeTerraformInterpolationDeep(value: JsonValue): JsonValue {
  if (typeof value === 'string') return escapeTerraformInterpolation(value);
  if (Array.isArray(value)) return value.map(escapeTerraformInterpolationDeep);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [escapeTerraformInterpolation(k), escapeTerraformInterpolationDeep(v)]));
  }
  return value;
}

/**
 * The props of {@link LogShipping}: the cluster and its log groups' account, the resolved export options, how
 * the shipper gets its IAM identity, what it waits for and tags. {@link CiliumEksCluster} fills them from
 * `logExport` of its props.
 */
export interface LogShippingProps {
  /**
   * The EKS cluster name as configured (a plain string): it names the evidence key's alias
   * (`alias/cilium-eks/<clusterName>/evidence`) and CloudFormation stack, and the prefix of the kept log
   * groups adopted at plan (`/cilium-eks/<clusterName>/`).
   */
  readonly clusterName: string;
  /**
   * The account, region and cluster of the log groups ({@link LogGroupContext}): their ARNs and the
   * evidence key's policy are built from it.
   */
  readonly context: LogGroupContext;
  /**
   * The export's options with the defaults applied ({@link resolveLogExport}): the kinds shipped with their
   * files and log groups, the retention and whether the evidence is kept on destroy.
   */
  readonly resolved: ResolvedLogExport;
  /** Kubernetes version of the cluster (pins the namespace's Pod Security version). */
  readonly kubernetesVersion: string;
  /** Emit the chart's ServiceMonitor. @default false */
  readonly serviceMonitor?: boolean;
  /** Bind the shipper's statements to its service account; returns what the release must wait for. */
  readonly bindIdentity: (statements: IamStatement[]) => ITerraformDependable[];
  /** Nodes Ready, DNS up, and the sources' releases. */
  readonly dependsOn: ITerraformDependable[];
  /**
   * Tags on the log groups, the key's CloudFormation stack and the key, beside the on-destroy tag
   * ({@link ON_DESTROY_TAG}) this construct sets.
   * @default - none
   */
  readonly tags?: Record<string, string>;
  /**
   * The EKS control plane's log group, which the evidence key encrypts too (the cluster sets the
   * group's `kms_key_id` to {@link LogShipping.kmsKeyArn}): the key policy names it, and the key is
   * kept on destroy when either that group or the export's groups are.
   * @default - none: the key serves the export's groups only
   */
  readonly controlPlaneLogGroup?: { readonly name: string; readonly keepOnDestroy: boolean };
}
/** The declaration of {@link LogShippingProps}. */
export const LogShippingPropsSchema = declare<LogShippingProps>()(
  strict(
    {
      clusterName: clusterName(),
      context: LogGroupContextSchema,
      resolved: ResolvedLogExportSchema,
      kubernetesVersion: kubernetesMinor(),
      serviceMonitor: optional(bool()),
      bindIdentity: opaque<LogShippingProps['bindIdentity']>('a function binding IAM statements to the shipper\'s service account', (f) => typeof f === 'function'),
      dependsOn: dependables(),
      tags: optional(tags()),
      controlPlaneLogGroup: optional(strict({ name: text('a log group name'), keepOnDestroy: bool() }, 'the control plane\'s log group { name, keepOnDestroy }')),
    },
    'LogShipping props { clusterName, context, resolved, kubernetesVersion, bindIdentity, dependsOn, serviceMonitor?, tags?, controlPlaneLogGroup? }',
  ),
);

/**
 * Hubble flows and Tetragon events shipped off the node to CloudWatch Logs: a KMS key (only this
 * cluster's log groups may use it through CloudWatch Logs), one log group per kind with retention,
 * the shipper's Pod Identity role limited to those groups, and the Fluent Bit DaemonSet in a
 * `privileged` namespace (its hostPath mounts; see {@link LOG_SHIPPER_PSS_EXCEPTION}).
 *
 * Evidence survives `destroy` by default (`keepOnDestroy`): the log groups carry `skip_destroy`
 * (the provider removes them from the state without deleting them), and the key lives in a
 * CloudFormation stack with `DeletionPolicy: Retain` ({@link evidenceKeyTemplate}). A later deploy
 * of a cluster with the same name adopts the kept log groups (an `import` block for each group that
 * exists at plan time) and encrypts new events with its own new key; the old events stay readable
 * with the kept one.
 */
export class LogShipping extends Construct implements IHelmValuesSource {
  /** The CloudFormation stack that holds the key. */
  public readonly keyStack: CloudformationStack;
  /** ARN of the key, read through its alias once the stack exists. */
  public readonly kmsKeyArn: string;
  /** The values YAML given to the release (see {@link IHelmValuesSource}). */
  public readonly valuesEntry: string;
  private readonly escapedValues: JsonObject;
  /** The log groups by kind. */
  public readonly logGroups: Readonly<Partial<Record<LogSourceKind, CloudwatchLogGroup>>>;
  public readonly release: Release;
  /**
   * The shipper's chart values, {@link buildLogShipperValues} of the region, the resolved options and
   * `serviceMonitor`, before Terraform escaping: {@link LogShipping.valuesEntry} is their YAML with `${`
   * escaped.
   */
  public readonly values: ReturnType<typeof buildLogShipperValues>;

  constructor(scope: Construct, id: string, props: LogShippingProps) {
    super(scope, id);
    parse(LogShippingPropsSchema, props);
    const keep = props.resolved.keepOnDestroy;
    const tags = { ...(props.tags ?? {}), [ON_DESTROY_TAG]: keep ? 'keep' : 'delete' };
    // The key outlives the stack when any group it encrypts does: kept events stay readable.
    const keepKey = keep || (props.controlPlaneLogGroup?.keepOnDestroy ?? false);
    const context: LogGroupContext = props.controlPlaneLogGroup ? { ...props.context, otherLogGroupNames: [props.controlPlaneLogGroup.name] } : props.context;
    TerraformStack.of(this).addOverride('terraform.required_version', LOG_EXPORT_TERRAFORM_VERSION);

    // The key: in CloudFormation, which can keep it after its stack is gone. Construct id `key`, as
    // 0.1.0's aws_kms_key: that one is forgotten, not destroyed (its events stay readable).
    const alias = clusterNames.evidenceKeyAlias(props.clusterName);
    this.keyStack = new CloudformationStack(this, 'key', {
      name: clusterNames.evidenceKeyStack(props.clusterName),
      templateBody: JSON.stringify(sortKeysDeep(evidenceKeyTemplate(context, keepKey, alias, props.tags))),
      tags: { ...tags, [ON_DESTROY_TAG]: keepKey ? 'keep' : 'delete' },
    });
    forgetWithoutDestroying(this, 'legacy-key', () => `aws_kms_key.${this.keyStack.friendlyUniqueId}`);
    // By the alias the stack makes, after it: no index into the stack's outputs, which are unknown
    // (and empty under a mocked provider) until the stack exists.
    this.kmsKeyArn = new DataAwsKmsKey(this, 'key-by-alias', { keyId: alias, dependsOn: [this.keyStack] }).arn;

    // Log groups kept by an earlier destroy of a cluster with this name, read at plan time.
    const kept = new DataAwsCloudwatchLogGroups(this, 'kept-log-groups', { logGroupNamePrefix: clusterLogGroupPrefix(props.clusterName) });
    const groups: Partial<Record<LogSourceKind, CloudwatchLogGroup>> = {};
    for (const s of props.resolved.sources) {
      // Keyed by kind: removing one kind removes only its group.
      const group = new CloudwatchLogGroup(this, `log-group-${s.kind}`, {
        name: s.logGroupName,
        retentionInDays: props.resolved.retentionDays,
        kmsKeyId: this.kmsKeyArn,
        skipDestroy: keep,
        tags,
      });
      groups[s.kind] = group;
      importWhenListed(this, `adopt-log-group-${s.kind}`, group, `${kept.fqn}.log_group_names`, s.logGroupName);
    }
    this.logGroups = groups;
    const identity = props.bindIdentity(logShipperStatements(Object.values(groups).map((g) => (g as CloudwatchLogGroup).arn)));

    const namespace = PssNamespace.forException(this, 'namespace', LOG_SHIPPER_PSS_EXCEPTION, { kubernetesVersion: props.kubernetesVersion, dependsOn: props.dependsOn });
    this.values = buildLogShipperValues({ region: props.context.region, resolved: props.resolved, serviceMonitor: props.serviceMonitor });
    // Escaped in the data, so the text is the writer's and Terraform hands Helm `${NODE_NAME}`.
    this.escapedValues = escapeTerraformInterpolationDeep(this.values) as JsonObject;
    this.valuesEntry = toSortedYaml(this.escapedValues, 'log shipper Helm values');
    this.release = new Release(this, 'release', {
      name: 'log-shipper',
      repository: LOG_SHIPPER_HELM_REPOSITORY,
      chart: LOG_SHIPPER_CHART,
      version: LOG_SHIPPER_CHART_VERSION,
      namespace: LOG_SHIPPER_NAMESPACE,
      createNamespace: false,
      values: [this.valuesEntry],
      wait: true,
      atomic: false,
      timeout: 600,
      maxHistory: 10,
      dependsOn: [namespace.namespace, ...Object.values(groups).map((g) => g as CloudwatchLogGroup), ...identity, ...props.dependsOn],
    });
  }

  /** The data of {@link valuesEntry}: the values with `${` escaped for Terraform. */
  public valuesData(): JsonObject {
    return this.escapedValues;
  }
}
