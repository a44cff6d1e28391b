import { Construct } from 'constructs';
import { Release } from '@cdktf/provider-helm/lib/release';
import { assertTracingPolicyValid, READY_MADE_TRACING_POLICIES, TracingPolicy, unshippedSamples } from '../../bpf/tracing';
import { al2023Kernel } from '../../bpf/versions';
import { ValidationError } from '../../core/errors';
import { KubernetesManifest } from '../../core/k8s';
import { JsonObject, toSortedYaml } from '../../core/yaml';
import { IHelmValuesSource } from '../helm-values-source';
import { Annotations, ITerraformDependable } from '../cdktf';
import { ManifestRelease } from '../manifest-release';
import { PssNamespace } from '../pss-namespace';
import { bool, declare, optional, parse, strict } from '../../core/schema';
import { kubernetesMinor, labels } from '../../core/rules';
import { clusterName, dependables } from '../inputs';
import {
  buildTetragonValues,
  resolveTetragonOptions,
  ResolvedTetragonOptions,
  TETRAGON_CHART_VERSION,
  TETRAGON_EXPORT_FILE,
  TETRAGON_HELM_REPOSITORY,
  TETRAGON_NAMESPACE,
  TETRAGON_PSS_EXCEPTION,
  TetragonOptions,
  tetragonEntries,
} from './values';

/**
 * The props of {@link Tetragon}: the options a user writes ({@link TetragonOptions}), and the cluster's name,
 * Kubernetes version, what it waits for, ServiceMonitors and the operator's nodes. {@link CiliumEksCluster}
 * fills them from `tetragon` of its props.
 */
export interface TetragonProps extends TetragonOptions {
  /** The EKS cluster name: the chart's `tetragon.clusterName`, shown in every event Tetragon writes. */
  readonly clusterName: string;
  /** Kubernetes version: the nodes' kernel (for the policy lint) and the namespace's Pod Security version. */
  readonly kubernetesVersion: string;
  /** Nodes Ready and DNS up. */
  readonly dependsOn: ITerraformDependable[];
  /** Emit the chart's ServiceMonitors. @default false */
  readonly serviceMonitors?: boolean;
  /** Node labels of the operator's nodes. @default - none */
  readonly operatorNodeSelector?: Readonly<Record<string, string>>;
}
/** The declaration of {@link TetragonProps}. */
export const TetragonPropsSchema = declare<TetragonProps>()(
  strict(
    { ...tetragonEntries, clusterName: clusterName(), kubernetesVersion: kubernetesMinor(), dependsOn: dependables(), serviceMonitors: optional(bool()), operatorNodeSelector: optional(labels()) },
    'Tetragon props { clusterName, kubernetesVersion, dependsOn, policies?, customPolicies?, exportFile?, ... }',
  ),
);

/**
 * Tetragon 1.7.0 in its own `privileged` namespace, after the nodes are up, and its
 * TracingPolicies through the project's local chart once the release is ready: the operator
 * registers the TracingPolicy CRDs at start-up (`crds.installMethod: operator`), so no CRD is
 * needed at plan time. Every policy is linted against the nodes' AL2023 kernel at synth.
 */
export class Tetragon extends Construct implements IHelmValuesSource {
  public readonly release: Release;
  /** The Helm values of the release. */
  public readonly values: JsonObject;
  /** The values YAML given to the release (see {@link IHelmValuesSource}). */
  public readonly valuesEntry: string;
  /**
   * The Helm release `cilium-eks-tracing-policies` in Tetragon's namespace ({@link ManifestRelease}) that
   * delivers every TracingPolicy (the ready-made ones of `policies`, `customPolicies`, and those added with
   * {@link Tetragon.addPolicy}); after the Tetragon release, whose operator registers the CRDs.
   */
  public readonly policies: ManifestRelease;
  /**
   * The options with the defaults applied ({@link resolveTetragonOptions}): the ready-made and custom
   * policies and the export file's settings.
   */
  public readonly options: ResolvedTetragonOptions;
  /** The JSON event file on each node, or undefined when the export is off. */
  public readonly exportFile?: string;
  private readonly kubernetesVersion: string;
  private readonly names = new Set<string>();

  constructor(scope: Construct, id: string, props: TetragonProps) {
    super(scope, id);
    parse(TetragonPropsSchema, props);
    const { clusterName: name, kubernetesVersion: _k, dependsOn: _d, serviceMonitors, operatorNodeSelector, ...options } = props;
    this.options = resolveTetragonOptions(options);
    this.kubernetesVersion = props.kubernetesVersion;
    this.exportFile = this.options.exportFile.enabled ? TETRAGON_EXPORT_FILE : undefined;
    const namespace = PssNamespace.forException(this, 'namespace', TETRAGON_PSS_EXCEPTION, { kubernetesVersion: props.kubernetesVersion, dependsOn: props.dependsOn });
    this.values = buildTetragonValues({ clusterName: name, options, serviceMonitors, operatorNodeSelector });
    this.valuesEntry = toSortedYaml(this.values, 'tetragon Helm values');
    this.release = new Release(this, 'release', {
      name: 'tetragon',
      repository: TETRAGON_HELM_REPOSITORY,
      chart: 'tetragon',
      version: TETRAGON_CHART_VERSION,
      namespace: TETRAGON_NAMESPACE,
      createNamespace: false,
      values: [this.valuesEntry],
      // Ready means the operator runs, and it registers the CRDs at start-up.
      wait: true,
      atomic: false,
      timeout: 600,
      maxHistory: 10,
      dependsOn: [namespace.namespace, ...props.dependsOn],
    });
    this.policies = new ManifestRelease(this, 'policies', {
      releaseName: 'cilium-eks-tracing-policies',
      namespace: TETRAGON_NAMESPACE,
      dependsOn: [this.release],
    });
    this.options.policies.forEach((name) => this.addPolicy(READY_MADE_TRACING_POLICIES[name](), `tetragon.policies[${name}]`));
    this.options.customPolicies.forEach((p) => this.addPolicy(p, `tetragon.customPolicies[${p.name}]`));
    // Export lists of the user's: say which ready-made evidence they keep on the node.
    if (this.exportFile !== undefined) {
      for (const v of unshippedSamples(this.options.policies, this.options.exportFile.allowList, this.options.exportFile.denyList)) {
        Annotations.of(this).addWarning(
          `tetragon.exportFile: the ${v.policy} event "${v.sample}" is ${v.decision.outcome === 'dropped' ? 'not exported' : 'perhaps not exported'} (${v.decision.reason}): it stays on the node and never reaches the log shipper`,
        );
      }
    }
  }

  /** The Helm values the release is given. */
  public valuesData(): JsonObject {
    return this.values;
  }

  /** Adds a TracingPolicy; the lint (with the nodes' kernel) throws a ValidationError on a finding. */
  public addPolicy(policy: TracingPolicy, property = `tetragon.policies[${policy.name}]`): KubernetesManifest {
    assertTracingPolicyValid(policy, { kernel: al2023Kernel(this.kubernetesVersion), property });
    if (this.names.has(policy.name)) throw new ValidationError(`${property}.name`, policy.name, 'a name no other TracingPolicy of the cluster has');
    this.names.add(policy.name);
    const manifest = policy.toManifest();
    this.policies.addManifest(manifest);
    return manifest;
  }
}
