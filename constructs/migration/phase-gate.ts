import { Construct } from 'constructs';
import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1';
import { ITerraformDependable } from '../cdktf';
import { guard, PlanGate } from '../plan-gate';
import { declare, list, optional, parse, rules, strict, text } from '../../core/schema';
import { dns1123Label, dns1123Subdomain } from '../../core/rules';
import { clusterName, construct, dependables } from '../inputs';

/**
 * The props of {@link PhaseGate}: the cluster, the ConfigMap that records the phase, the sequence and the
 * phase this deploy brings the cluster to, the phases it may come from, and what the record waits for.
 * {@link CiliumMigration} fills them with {@link MIGRATION_RECORD} and its phases.
 */
export interface PhaseGateProps {
  /** The cluster name as configured (the plan-time readings look it up by this name). */
  readonly clusterName: string;
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
  /** The plan gate that reads the record (shared with the scope's other readings). @default - one of its own */
  readonly planGate?: PlanGate;
}
/** The declaration of {@link PhaseGateProps}: `phase`, `initial` and the allowed phases are of the sequence. */
export const PhaseGatePropsSchema = declare<PhaseGateProps>()(
  rules(
    strict(
      {
        clusterName: clusterName(),
        configMapName: dns1123Subdomain('a ConfigMap name'),
        namespace: dns1123Label('a namespace'),
        subject: text('what the sequence is of'),
        sequence: list(text('a phase'), { min: 1, unique: true }),
        phase: text('a phase'),
        allowedRecorded: list(text('a phase')),
        initial: text('a phase'),
        dependsOn: dependables(),
        planGate: optional(construct<PlanGate>('a PlanGate')),
      },
      'PhaseGate props { clusterName, configMapName, namespace, subject, sequence, phase, allowedRecorded, initial, dependsOn, planGate? }',
    ),
    (p, report) => {
      if (!p.sequence.includes(p.phase)) report(['phase'], p.phase, `one of ${p.sequence.join(', ')}`);
    },
  ),
);

/** HCL (no `${}`) of the phase recorded in the ConfigMap, `initial` when nothing is recorded. */
export function recordedPhase(gate: PlanGate, o: { readonly configMapName: string; readonly namespace: string; readonly initial: string }): string {
  const reading = gate.runningObject('phase', {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    namespace: o.namespace,
    name: o.configMapName,
    field: 'data.phase',
    description: `the phase recorded in ${o.namespace}/${o.configMapName}`,
  });
  return `coalesce(${reading.hcl}, ${JSON.stringify(o.initial)})`;
}

/**
 * A plan-time gate over an ordered sequence of deploys, built on the project's plan gates
 * (`PlanGate`, `guard`). The phase the cluster is in lives in the cluster, in a ConfigMap this
 * gate writes last (after everything else of the phase, so a failed apply leaves the previous
 * phase recorded). During plan, `PlanGate.runningObject` reads it with a `kubernetes_resources`
 * data source (null when it does not exist yet, then `initial`), and a `precondition` on the
 * ConfigMap refuses the plan unless the recorded phase is one of `allowedRecorded`, naming the
 * phase to deploy next.
 *
 * Generic (a sequence of names), so any ordered rollout can use it; the migration is the first.
 */
export class PhaseGate extends Construct {
  /** HCL (no `${}`) of the recorded phase, `initial` when nothing is recorded. */
  public readonly recorded: string;
  /**
   * The ConfigMap `configMapName` in `namespace` (`kubernetes_config_map_v1`) holding `data.phase` (the phase
   * deployed) and `data.sequence`; written after `dependsOn`, and its precondition refuses the plan unless
   * the recorded phase is one of `allowedRecorded`.
   */
  public readonly record: ConfigMapV1;

  constructor(scope: Construct, id: string, props: PhaseGateProps) {
    super(scope, id);
    parse(PhaseGatePropsSchema, props);
    const gate = props.planGate ?? new PlanGate(this, 'plan', { clusterName: props.clusterName });
    this.recorded = recordedPhase(gate, props);
    // From each recorded phase, the one to deploy next.
    const order = [props.initial, ...props.sequence];
    const next = order.map((p, i) => `${JSON.stringify(p)} = ${JSON.stringify(order[i + 1] ?? p)}`).join(', ');
    const nextPhase = `lookup({${next}}, ${this.recorded}, ${JSON.stringify(props.sequence[0])})`;

    this.record = new ConfigMapV1(this, 'record', {
      metadata: {
        name: props.configMapName,
        namespace: props.namespace,
        labels: { 'app.kubernetes.io/managed-by': 'cilium-eks' },
      },
      data: { phase: props.phase, sequence: props.sequence.join(' ') },
      dependsOn: props.dependsOn,
    });
    guard(this.record, {
      condition: `contains(${JSON.stringify(props.allowedRecorded)}, ${this.recorded})`,
      errorMessage: `${props.subject}: phase ${props.phase} cannot be deployed while the cluster is in phase \${${this.recorded}}. Phases go one deploy at a time, in this order: ${props.sequence.join(' -> ')}. Deploy phase \${${nextPhase}} first (or roll back one phase at a time).`,
    });
  }
}
