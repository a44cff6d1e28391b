import { Construct } from 'constructs';
import { Release } from '@cdktf/provider-helm/lib/release';
import { buildCiliumPreflightValues, buildCiliumValues, CiliumValuesOptions, CiliumValuesOptionsSchema, resolveCiliumValuesOptions, ResolvedCiliumValuesOptions } from '../bpf/cilium-values';
import { JsonObjectSchema } from '../core/json';
import { bool, declare, int, optional, parse, strict } from '../core/schema';
import { dependables } from './inputs';
import { needsHubbleCertBootstrap } from '../bpf/hubble-certs';
import { CILIUM_HELM_REPOSITORY } from '../bpf/versions';
import { mergeHelmValues } from '../core/helm-values';
import { JsonObject, toSortedYaml } from '../core/yaml';
import { ITerraformDependable } from './cdktf';
import { IHelmValuesSource } from './helm-values-source';

/**
 * The props of {@link CiliumRelease}: the options its values are built from, what it waits for, its Helm
 * timeouts, the upgrade's pre-flight release and values laid over the built ones. {@link CiliumEksCluster}
 * fills them from `cilium` of its props.
 */
export interface CiliumReleaseProps {
  /** Options of the values builder (`buildCiliumValues`). */
  readonly values: CiliumValuesOptions;
  /** What must exist before the chart is installed (the operator's identity, admin access). */
  readonly dependsOn: ITerraformDependable[];
  /** Helm timeout in seconds. @default 900 */
  readonly timeout?: number;
  /**
   * Install the pre-flight release of the upgrade guide (`cilium-preflight`: the new image pulled
   * on every node, no agent, no operator) and upgrade the main release only once it is ready.
   * Turn it on for the deploy that changes `chartVersion`, and off in the next one (which removes it).
   * @default false
   */
  readonly preflight?: boolean;
  /** Timeout of the pre-flight release: every node pulls the image. @default 600 */
  readonly preflightTimeout?: number;
  /** Values merged over the built ones, Helm-style (e.g. the opt-in monitoring values of `ciliumMonitoringValues`). @default - none */
  readonly overlayValues?: JsonObject;
}
const helmTimeout = () => optional(int(1, 86400, 'a number of seconds from 1 to 86400'));
/** The declaration of {@link CiliumReleaseProps}. */
export const CiliumReleasePropsSchema = declare<CiliumReleaseProps>()(
  strict(
    { values: CiliumValuesOptionsSchema, dependsOn: dependables(), timeout: helmTimeout(), preflight: optional(bool()), preflightTimeout: helmTimeout(), overlayValues: optional(JsonObjectSchema) },
    'CiliumRelease props { values, dependsOn, timeout?, preflight?, preflightTimeout?, overlayValues? }',
  ),
);

/**
 * The Cilium Helm release in kube-system.
 *
 * - `wait = false`: nothing can be Ready before nodes exist, and the nodes come after this release.
 * - `atomic = false`: a failed upgrade must never uninstall the CNI of a running cluster.
 * - hooks off (`disable_webhooks`) only for chart versions whose Hubble certgen Job is a Helm hook
 *   (1.18): Helm waits for hook Jobs even without `wait`, and that Job cannot run before nodes
 *   exist; `hubbleCertBootstrapJob` makes the first certificates instead. From 1.19 the Job is a
 *   plain object that runs once nodes exist, and hooks stay on.
 */
export class CiliumRelease extends Construct implements IHelmValuesSource {
  public readonly release: Release;
  /**
   * The Helm values of the release: {@link buildCiliumValues} of `values`, with `overlayValues` merged over
   * them Helm-style; {@link CiliumRelease.valuesEntry} is their sorted YAML.
   */
  public readonly values: JsonObject;
  /** The values YAML given to the release (see {@link IHelmValuesSource}). */
  public readonly valuesEntry: string;
  /**
   * The values options with every default applied (chart version, prefix delegation, WireGuard, Hubble,
   * datapath ...): what the release was built from. The cluster reads them for the Cilium step check,
   * the node groups' IPAM, the capacity plan, the version report and the synth summary.
   */
  public readonly options: ResolvedCiliumValuesOptions;
  /** The pre-flight release, while `preflight` is on. */
  public readonly preflight?: Release;

  constructor(scope: Construct, id: string, props: CiliumReleaseProps) {
    super(scope, id);
    parse(CiliumReleasePropsSchema, props);
    this.options = resolveCiliumValuesOptions(props.values);
    this.values = props.overlayValues ? mergeHelmValues(buildCiliumValues(props.values), props.overlayValues) : buildCiliumValues(props.values);
    this.valuesEntry = toSortedYaml(this.values, 'cilium Helm values');
    if (props.preflight) {
      this.preflight = new Release(this, 'preflight', {
        name: 'cilium-preflight',
        repository: CILIUM_HELM_REPOSITORY,
        chart: 'cilium',
        version: this.options.chartVersion,
        namespace: 'kube-system',
        values: [toSortedYaml(buildCiliumPreflightValues(props.values), 'cilium pre-flight Helm values')],
        // The point of it: every node has the image before the agents restart.
        wait: true,
        atomic: false,
        maxHistory: 3,
        timeout: props.preflightTimeout ?? 600,
        dependsOn: props.dependsOn,
      });
    }
    this.release = new Release(this, 'release', {
      name: 'cilium',
      repository: CILIUM_HELM_REPOSITORY,
      chart: 'cilium',
      version: this.options.chartVersion,
      namespace: 'kube-system',
      values: [this.valuesEntry],
      wait: false,
      atomic: false,
      cleanupOnFail: false,
      disableWebhooks: needsHubbleCertBootstrap(this.options.chartVersion),
      maxHistory: 10,
      timeout: props.timeout ?? 900,
      dependsOn: [...props.dependsOn, ...(this.preflight ? [this.preflight] : [])],
    });
  }

  /** The Helm values the release is given. */
  public valuesData(): JsonObject {
    return this.values;
  }
}
