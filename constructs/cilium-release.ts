import { Construct } from 'constructs';
import { Release } from '@cdktf/provider-helm/lib/release';
import { buildCiliumValues, CiliumValuesOptions, resolveCiliumValuesOptions, ResolvedCiliumValuesOptions } from '../bpf/cilium-values';
import { CILIUM_HELM_REPOSITORY } from '../bpf/versions';
import { JsonObject, toSortedYaml } from '../bpf/yaml';
import { ITerraformDependable } from './cdktf';

export interface CiliumReleaseProps {
  /** Options of the values builder (`bpf/cilium-values.ts`). */
  readonly values: CiliumValuesOptions;
  /** What must exist before the chart is installed (the operator's identity, admin access). */
  readonly dependsOn: ITerraformDependable[];
  /** Helm timeout in seconds. @default 900 */
  readonly timeout?: number;
}

/**
 * The Cilium Helm release in kube-system.
 *
 * - `wait = false`: nothing can be Ready before nodes exist, and the nodes come after this release.
 * - `atomic = false`: a failed upgrade must never uninstall the CNI of a running cluster.
 * - hooks off (`disable_webhooks`): the chart's only hook is the Hubble certgen Job, which Helm
 *   waits for even without `wait`, and which cannot run before nodes exist; see
 *   `bpf/hubble-certs.ts` for how the first certificates are made instead.
 */
export class CiliumRelease extends Construct {
  public readonly release: Release;
  public readonly values: JsonObject;
  public readonly options: ResolvedCiliumValuesOptions;

  constructor(scope: Construct, id: string, props: CiliumReleaseProps) {
    super(scope, id);
    this.options = resolveCiliumValuesOptions(props.values);
    this.values = buildCiliumValues(props.values);
    this.release = new Release(this, 'release', {
      name: 'cilium',
      repository: CILIUM_HELM_REPOSITORY,
      chart: 'cilium',
      version: this.options.chartVersion,
      namespace: 'kube-system',
      values: [toSortedYaml(this.values)],
      wait: false,
      atomic: false,
      cleanupOnFail: false,
      disableWebhooks: true,
      maxHistory: 10,
      timeout: props.timeout ?? 900,
      dependsOn: props.dependsOn,
    });
  }
}
