import { Construct } from 'constructs';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { Release } from '@cdktf/provider-helm/lib/release';
import { IamStatement, toJson } from '../../core/iam';
import { JsonObject, JsonValue, toSortedYaml } from '../../core/yaml';
import { IHelmValuesSource } from '../helm-values-source';
import { ITerraformDependable } from '../cdktf';
import { PssNamespace } from '../pss-namespace';
import {
  buildLogShipperValues,
  LOG_SHIPPER_CHART,
  LOG_SHIPPER_CHART_VERSION,
  LOG_SHIPPER_HELM_REPOSITORY,
  LOG_SHIPPER_NAMESPACE,
  LOG_SHIPPER_PSS_EXCEPTION,
  LogGroupContext,
  logsKmsKeyPolicy,
  logShipperStatements,
  LogSourceKind,
  ResolvedLogExport,
} from './values';

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

export interface LogShippingProps {
  readonly clusterName: string;
  /** The cluster resource's name attribute (a token), for the Pod Identity association. */
  readonly context: LogGroupContext;
  readonly resolved: ResolvedLogExport;
  /** Kubernetes version of the cluster (pins the namespace's Pod Security version). */
  readonly kubernetesVersion: string;
  /** Emit the chart's ServiceMonitor. @default false */
  readonly serviceMonitor?: boolean;
  /** Bind the shipper's statements to its service account; returns what the release must wait for. */
  readonly bindIdentity: (statements: IamStatement[]) => ITerraformDependable[];
  /** Nodes Ready, DNS up, and the sources' releases. */
  readonly dependsOn: ITerraformDependable[];
  readonly tags?: Record<string, string>;
}

/**
 * Hubble flows and Tetragon events shipped off the node to CloudWatch Logs: a KMS key (only this
 * cluster's log groups may use it through CloudWatch Logs), one log group per kind with retention,
 * the shipper's Pod Identity role limited to those groups, and the Fluent Bit DaemonSet in a
 * `privileged` namespace (its hostPath mounts; see {@link LOG_SHIPPER_PSS_EXCEPTION}).
 */
export class LogShipping extends Construct implements IHelmValuesSource {
  public readonly kmsKey: KmsKey;
  /** The values YAML given to the release (see {@link IHelmValuesSource}). */
  public readonly valuesEntry: string;
  private readonly escapedValues: JsonObject;
  /** The log groups by kind. */
  public readonly logGroups: Readonly<Partial<Record<LogSourceKind, CloudwatchLogGroup>>>;
  public readonly release: Release;
  public readonly values: ReturnType<typeof buildLogShipperValues>;

  constructor(scope: Construct, id: string, props: LogShippingProps) {
    super(scope, id);
    const tags = props.tags;
    this.kmsKey = new KmsKey(this, 'key', {
      description: `CloudWatch Logs encryption of the Hubble flows and Tetragon events of ${props.clusterName}`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: toJson(logsKmsKeyPolicy(props.context)),
      tags,
    });
    new KmsAlias(this, 'key-alias', { name: `alias/cilium-eks/${props.clusterName}/logs`, targetKeyId: this.kmsKey.keyId });

    const groups: Partial<Record<LogSourceKind, CloudwatchLogGroup>> = {};
    for (const s of props.resolved.sources) {
      // Keyed by kind: removing one kind removes only its group.
      groups[s.kind] = new CloudwatchLogGroup(this, `log-group-${s.kind}`, {
        name: s.logGroupName,
        retentionInDays: props.resolved.retentionDays,
        kmsKeyId: this.kmsKey.arn,
        tags,
      });
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
