import { Construct } from 'constructs';
import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1';
import { DataKubernetesResources } from '@cdktf/provider-kubernetes/lib/data-kubernetes-resources';
import { check } from '../../core/errors';
import { Fn, ITerraformDependable, Token } from '../cdktf';

export interface PhaseGateProps {
  /** Name of the ConfigMap that records the phase. */
  readonly configMapName: string;
  /** Its namespace. */
  readonly namespace: string;
  /** What the sequence is of, for the messages (`cilium-eks migration`). */
  readonly subject: string;
  /** Every phase, in deploy order. */
  readonly sequence: readonly string[];
  /** The phase this deploy brings the cluster to. */
  readonly phase: string;
  /** The phases the cluster may be in when `phase` is deployed. */
  readonly allowedRecorded: readonly string[];
  /** The phase recorded when no ConfigMap exists yet. */
  readonly initial: string;
  /** Everything the phase changes: the record is written only once all of it is applied. */
  readonly dependsOn: ITerraformDependable[];
}

/**
 * A plan-time gate over an ordered sequence of deploys. The phase the cluster is in lives in the
 * cluster, in a ConfigMap this gate writes last (after everything else of the phase, so a failed
 * apply leaves the previous phase recorded). During plan, a `kubernetes_resources` data source
 * lists that ConfigMap (an empty list when it does not exist yet: the data source's own examples
 * test `length(...objects)`, hashicorp/terraform-provider-kubernetes
 * `examples/data-sources/resources/example_4.tf`), and a `precondition` on the ConfigMap refuses
 * the plan unless the recorded phase is one of `allowedRecorded`, naming the phase to deploy next.
 *
 * Generic (a sequence of names), so any ordered rollout can use it; the migration is the first.
 */
export class PhaseGate extends Construct {
  public readonly recorded: string;
  public readonly record: ConfigMapV1;

  constructor(scope: Construct, id: string, props: PhaseGateProps) {
    super(scope, id);
    check(props.sequence.includes(props.phase), 'phase', props.phase, `one of ${props.sequence.join(', ')}`);
    const current = new DataKubernetesResources(this, 'current', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      namespace: props.namespace,
      fieldSelector: `metadata.name=${props.configMapName}`,
    });
    const objects = current.getAnyMapAttribute('objects');
    // The recorded phase, or `initial` when the ConfigMap does not exist (an empty list) or has no
    // phase key: `try` falls back when the index or the key is missing.
    this.recorded = Token.asString(Fn.try([Fn.lookupNested(objects, [0, 'data', 'phase']), props.initial]));
    // From each recorded phase, the one to deploy next.
    const order = [props.initial, ...props.sequence];
    const next: Record<string, string> = {};
    order.forEach((p, i) => (next[p] = order[i + 1] ?? p));
    const nextPhase = Token.asString(Fn.lookup(next, this.recorded, props.sequence[0]));

    this.record = new ConfigMapV1(this, 'record', {
      metadata: {
        name: props.configMapName,
        namespace: props.namespace,
        labels: { 'app.kubernetes.io/managed-by': 'cilium-eks' },
      },
      data: { phase: props.phase, sequence: props.sequence.join(' ') },
      dependsOn: props.dependsOn,
      lifecycle: {
        precondition: [
          {
            condition: Fn.contains([...props.allowedRecorded], this.recorded),
            errorMessage: `${props.subject}: phase ${props.phase} cannot be deployed while the cluster is in phase ${this.recorded}. Phases go one deploy at a time, in this order: ${props.sequence.join(' -> ')}. Deploy phase ${nextPhase} first (or roll back one phase at a time).`,
          },
        ],
      },
    });
  }
}

