/**
 * Migration of a running VPC-CNI EKS cluster to Cilium, as pure data: the phase model, the Cilium
 * values and the vpc-cni add-on configuration of each phase, and the scheduling rules the
 * invariants are checked against. The construct (`CiliumMigration`) turns one phase into
 * Terraform resources; everything decided here is testable without synth.
 *
 * Sources (see docs/migration.md):
 * - [migration] Cilium docs `installation/k8s-install-migration.rst`: node-by-node migration,
 *   policy enforcement off while pods of both CNIs talk ("Otherwise, traffic from non-Cilium pods
 *   may be incorrectly dropped"), `operator.unmanagedPodWatcher.restart: false` ("Don't restart
 *   unmigrated pods"), the final values switch enforcement and the watcher back on. It assumes
 *   cluster-pool IPAM with an overlay and does not cover ENI IPAM.
 * - [chaining] Cilium docs `installation/cni-chaining-aws-cni.rst`: chaining on top of the AWS CNI.
 * - [per-node] Cilium docs `configuration/per-node-config.rst`: CiliumNodeConfig overrides the
 *   agent's ConfigMap keys per node; the kube-proxy replacement rollout in it keeps kube-proxy on
 *   unmigrated nodes and needs `k8sServiceHost`/`k8sServicePort`.
 * - [facts] the project's design facts, "Migration from VPC-CNI": the vpc-cni add-on's `affinity`
 *   configuration keeps aws-node off labelled nodes (cilium #31041); both CNIs give pods VPC
 *   addresses, so pods on old and new nodes reach each other.
 *
 * Why there is no chaining ("visibility") phase: see {@link CHAINING_PHASE_EXCLUDED}.
 */
import { buildCiliumValues, ciliumValuesEntries, CiliumValuesOptions, ResolvedCiliumValuesOptions, resolveCiliumValuesOptions } from './cilium-values';
import { check, ValidationError } from '../core/errors';
import { mergeHelmValues } from '../core/helm-values';
import { isPlainObject } from '../core/json';
import type { ExistingAddonSettings, ExistingVpcCniSettings } from './migration-preflight';
import { ExistingAddonSettingsSchema, ExistingVpcCniSettingsSchema } from './migration-preflight';
import { JsonObject, JsonValue, sortKeysDeep } from '../core/yaml';
import { declare, omit, oneOf, optional, parse, strict } from '../core/schema';

// ---------------------------------------------------------------------------------------------
// Labels and constants
// ---------------------------------------------------------------------------------------------

// The node label lives with the preflight rules, which read it; imports run one way (migration -> preflight).
export { CILIUM_NODE_LABEL } from './migration-preflight';
import { CILIUM_NODE_LABEL } from './migration-preflight';

/** The label EKS puts on the nodes of a managed node group, with the group's name as value. */
export const EKS_NODEGROUP_LABEL = 'eks.amazonaws.com/nodegroup';

/**
 * The taint the migration puts on old node groups once workloads move: no new pod lands there.
 * NoSchedule: running pods stay until the drain evicts them through the Eviction API.
 */
export const MIGRATION_NO_SCHEDULE_TAINT = Object.freeze({ key: 'cilium-eks/migrating', value: 'true', effect: 'NO_SCHEDULE' } as const);

/**
 * Why the optional chaining phase (Cilium chained on the AWS CNI for Hubble and audit-mode policy,
 * [chaining]) is not part of the sequence, as data for tools that explain the plan; docs/migration.md
 * (`Why there is no chaining ("visibility") phase`) gives the same reasons.
 */
export const CHAINING_PHASE_EXCLUDED: readonly string[] = Object.freeze([
  'One Cilium release has one agent configuration. Chaining needs `cni.chainingMode: aws-cni` with the agent on the old nodes; the later phases need ENI IPAM with the agent only on the new nodes. A CiliumNodeConfig [per-node] can override agent keys such as `cni-chaining-mode` per node label, but ENI IPAM is also run by the operator (the chart picks the AWS operator image from `eni.enabled`) and the operator is not per node, so a chained node and an ENI node cannot be configured side by side in one release (inferred from [per-node], not tested upstream).',
  'Leaving chaining means taking the agent off the old nodes, which leaves their pods with the BPF programs the chained agent attached and the CNI configuration it wrote; [chaining] says existing pods must be restarted to be managed, so every pod would restart twice: once to be chained, once to move.',
  'Cilium\'s migration guide lists "Migrating from Cilium in chained mode" as not tested [migration].',
]);

// ---------------------------------------------------------------------------------------------
// Phases
// ---------------------------------------------------------------------------------------------

/**
 * Kind of a phase; `drain` phases carry the node group they drain. `kube-proxy-replacement` and
 * `finalize` are the two halves of the end: Cilium everywhere with kube-proxy replacement on (and
 * aws-node gone) first, kube-proxy removed in a later deploy once the running cluster shows the
 * replacement on every node ({@link FINALIZE_SPLIT}).
 */
export type MigrationPhaseKind = 'prepare' | 'cilium-nodes' | 'drain' | 'kube-proxy-replacement' | 'finalize';

/** The phase recorded before the first deploy. */
export const NO_PHASE = 'none';

/**
 * A phase name: `prepare`, `cilium-nodes`, `drain:<node group>` (one per old node group, in order),
 * `kube-proxy-replacement`, `finalize`.
 */
export type MigrationPhaseName = 'prepare' | 'cilium-nodes' | `drain:${string}` | 'kube-proxy-replacement' | 'finalize';

/**
 * Why the end is two deploys, not one apply with a wait, as data for tools that explain the plan
 * (docs/migration.md#why-the-end-takes-two-deploys says the same).
 */
export const FINALIZE_SPLIT: readonly string[] = Object.freeze([
  'A plan-time gate can only read what runs before the apply starts. With kube-proxy replacement switched on and kube-proxy deleted in one apply, nothing that Terraform can check stands between the two: a Helm wait proves the agents are Ready, not that they replaced kube-proxy.',
  'Two deploys let the second plan read the running cluster: cilium-config says kube-proxy-replacement "true", and the agent DaemonSet has rolled out (every scheduled agent updated and available, generation observed). Only then is kube-proxy deleted.',
  'Between the two, a person can run `cilium status` and the connectivity checks, and each half rolls back on its own (kube-proxy comes back by deploying kube-proxy-replacement again).',
]);

/** A phase resolved against the node groups of the cluster. */
export interface ResolvedMigrationPhase {
  /** The phase as the user names it: `prepare`, `cilium-nodes`, `drain:<node group>`, `kube-proxy-replacement` or `finalize`. */
  readonly name: MigrationPhaseName;
  /** The phase's kind: its name, or `drain` for every `drain:<node group>` phase. */
  readonly kind: MigrationPhaseKind;
  /** Position in {@link migrationPhases}. */
  readonly index: number;
  /** Every phase, in order. */
  readonly sequence: readonly MigrationPhaseName[];
  /** The old node groups drained by this phase and the ones before it, in order. */
  readonly drained: readonly string[];
  /** Whether the old node groups no longer take pods (from the first drain phase on). */
  readonly oldNodesTainted: boolean;
  /** The phase the cluster must be in before this one is deployed (`none` before the first). */
  readonly previous: string;
  /** Whether the vpc-cni add-on (aws-node) exists in this phase (until the last drain). */
  readonly vpcCniPresent: boolean;
  /** Whether the kube-proxy add-on exists in this phase (until `kube-proxy-replacement`). */
  readonly kubeProxyPresent: boolean;
}

/** Every phase of a migration whose old node groups are `oldNodeGroups`, in deploy order. */
export function migrationPhases(oldNodeGroups: readonly string[]): MigrationPhaseName[] {
  return ['prepare', 'cilium-nodes', ...oldNodeGroups.map((n): MigrationPhaseName => `drain:${n}`), 'kube-proxy-replacement', 'finalize'];
}

/** A managed node group name (EKS: 1-63 letters, digits, `-` and `_`, starting with a letter or digit). */
const NODE_GROUP_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/;

/** Checks the old node group names: EKS names, each listed once. */
export function assertOldNodeGroups(names: readonly string[], property = 'oldNodeGroups'): void {
  check(names.length > 0, property, names, 'at least one managed node group that runs the VPC-CNI pods today', 'the migration drains the old nodes one node group at a time');
  const seen = new Set<string>();
  names.forEach((n, i) => {
    check(typeof n === 'string' && NODE_GROUP_NAME.test(n), `${property}[${i}].name`, n, 'an EKS managed node group name (letters, digits, - and _, at most 63)');
    check(!seen.has(n), `${property}[${i}].name`, n, 'a name listed once');
    seen.add(n);
  });
}

const END_KINDS: readonly MigrationPhaseKind[] = ['kube-proxy-replacement', 'finalize'];

/** Resolves `phase` against the old node groups; an unknown name is a {@link ValidationError} listing the phases. */
export function resolveMigrationPhase(phase: string, oldNodeGroups: readonly string[], property = 'phase'): ResolvedMigrationPhase {
  const sequence = migrationPhases(oldNodeGroups);
  const index = (sequence as readonly string[]).indexOf(phase);
  if (index < 0) {
    const drainOf = /^drain:(.*)$/.exec(phase);
    if (drainOf) {
      throw new ValidationError(property, phase, `a drain phase of a node group in oldNodeGroups: ${sequence.filter((p) => p.startsWith('drain:')).join(', ')}`, `node group ${JSON.stringify(drainOf[1])} is not in oldNodeGroups`);
    }
    throw new ValidationError(property, phase, `one of ${sequence.join(', ')}`, 'each phase is one cdktf deploy, in this order');
  }
  const name = sequence[index];
  const kind: MigrationPhaseKind = name.startsWith('drain:') ? 'drain' : (name as MigrationPhaseKind);
  const end = END_KINDS.includes(kind);
  const drainIndex = kind === 'drain' ? index - 2 : end ? oldNodeGroups.length - 1 : -1;
  return {
    name,
    kind,
    index,
    sequence,
    drained: oldNodeGroups.slice(0, drainIndex + 1),
    oldNodesTainted: kind === 'drain' || end,
    previous: index === 0 ? NO_PHASE : sequence[index - 1],
    vpcCniPresent: !end,
    kubeProxyPresent: kind !== 'finalize',
  };
}

/**
 * The phases the cluster may be in when `phase` is deployed: the one before (a step forward),
 * itself (a re-deploy), the one after (a rollback by one). Anything else is a skipped phase.
 */
export function allowedRecordedPhases(phase: ResolvedMigrationPhase): string[] {
  const before = phase.index === 0 ? [NO_PHASE] : [phase.sequence[phase.index - 1]];
  const after = phase.index + 1 < phase.sequence.length ? [phase.sequence[phase.index + 1]] : [];
  return [...before, phase.name, ...after];
}

// ---------------------------------------------------------------------------------------------
// The cluster as it is
// ---------------------------------------------------------------------------------------------

/** The CNI a cluster's pods use today. */
export type CurrentCni = 'aws-vpc-cni' | 'cilium' | 'other';
/** How `vpc-cni` and `kube-proxy` are installed today. */
export type CurrentAddons = 'managed' | 'self-managed' | 'none';

/** What the cluster runs today, as the user declares it. */
export interface CurrentCniState {
  /** The CNI of the cluster's pods. Only `aws-vpc-cni` can be migrated. */
  readonly cni: CurrentCni;
  /**
   * How `vpc-cni` and `kube-proxy` are installed: `managed` EKS add-ons (imported into this
   * stack's state), `self-managed` (the EKS default DaemonSets, adopted as managed add-ons with
   * `resolve_conflicts_on_create = OVERWRITE` and the declared configuration), or `none` (cannot
   * be migrated).
   */
  readonly addons: CurrentAddons;
  /**
   * The vpc-cni add-on's configuration, role and associations today: kept, with the migration's
   * node affinity merged in (docs/migration.md#what-prepare-keeps). The plan of `prepare` refuses a
   * difference from what runs.
   * @default - the add-on's defaults
   */
  readonly vpcCni?: ExistingVpcCniSettings;
  /** The kube-proxy add-on's configuration today (e.g. `{ mode: 'ipvs' }`), kept until `finalize`. @default - the add-on's defaults */
  readonly kubeProxy?: ExistingAddonSettings;
  /** The eks-pod-identity-agent add-on's settings, with `podIdentityAgent: 'adopt'`. @default - the add-on's defaults */
  readonly podIdentityAgent?: ExistingAddonSettings;
}
export const CurrentCniStateSchema = declare<CurrentCniState>()(
  strict(
    {
      cni: oneOf(['aws-vpc-cni', 'cilium', 'other'] as const),
      addons: oneOf(['managed', 'self-managed', 'none'] as const),
      vpcCni: optional(ExistingVpcCniSettingsSchema),
      kubeProxy: optional(ExistingAddonSettingsSchema),
      podIdentityAgent: optional(ExistingAddonSettingsSchema),
    },
    'what the cluster runs { cni, addons, vpcCni?, kubeProxy?, podIdentityAgent? }',
  ),
);

/** Refuses a cluster this migration cannot start from. */
export function assertMigratable(state: CurrentCniState, property = 'current'): void {
  if (state.cni === 'cilium') {
    throw new ValidationError(`${property}.cni`, state.cni, "'aws-vpc-cni'", 'the cluster already runs Cilium; manage it with CiliumEksCluster instead of migrating');
  }
  check(state.cni === 'aws-vpc-cni', `${property}.cni`, state.cni, "'aws-vpc-cni'", 'the migration keeps pods reachable only because both CNIs give them VPC addresses');
  check(
    state.addons === 'managed' || state.addons === 'self-managed',
    `${property}.addons`,
    state.addons,
    "'managed' or 'self-managed'",
    'the phases steer aws-node and kube-proxy through the vpc-cni and kube-proxy EKS add-ons; without them nothing keeps aws-node off the Cilium nodes',
  );
}

// ---------------------------------------------------------------------------------------------
// Scheduling: which nodes each CNI runs on
// ---------------------------------------------------------------------------------------------

/** A node selector requirement (Kubernetes `NodeSelectorRequirement`, the operators used here). */
export interface NodeAffinityRequirement {
  /** The node label key the requirement reads, e.g. `kubernetes.io/os`. */
  readonly key: string;
  /**
   * How the label is compared: `In` (present, with one of `values`), `NotIn` (absent, or with
   * none of `values`), `Exists` or `DoesNotExist` (`matchesNodeAffinity` applies these).
   */
  readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  /**
   * The label values `In` and `NotIn` compare with; unused by `Exists` and `DoesNotExist`.
   * @default - none (`In` then matches no node)
   */
  readonly values?: readonly string[];
}

/** `requiredDuringSchedulingIgnoredDuringExecution` node affinity: terms are ORed, requirements ANDed. */
export interface RequiredNodeAffinity {
  /** The terms: a node qualifies when every requirement of at least one term holds. */
  readonly nodeSelectorTerms: readonly { readonly matchExpressions: readonly NodeAffinityRequirement[] }[];
}

/** Whether a node with `labels` satisfies the required node affinity (Kubernetes semantics for these operators). */
export function matchesNodeAffinity(affinity: RequiredNodeAffinity, labels: Readonly<Record<string, string>>): boolean {
  return affinity.nodeSelectorTerms.some((term) =>
    term.matchExpressions.every((r) => {
      const has = Object.prototype.hasOwnProperty.call(labels, r.key);
      switch (r.operator) {
        case 'In':
          return has && (r.values ?? []).includes(labels[r.key]);
        case 'NotIn':
          return !has || !(r.values ?? []).includes(labels[r.key]);
        case 'Exists':
          return has;
        case 'DoesNotExist':
          return !has;
      }
    }),
  );
}

/** Whether a node with `labels` satisfies a `nodeSelector` map. */
export function matchesNodeSelector(selector: Readonly<Record<string, JsonValue>>, labels: Readonly<Record<string, string>>): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

/** The requirement the migration adds to aws-node's required node affinity: "not a Cilium node". */
export const NOT_A_CILIUM_NODE: NodeAffinityRequirement = Object.freeze({ key: CILIUM_NODE_LABEL.key, operator: 'NotIn', values: Object.freeze([CILIUM_NODE_LABEL.value]) });

/**
 * aws-node's node affinity during the migration when the add-on's configuration has none: the
 * add-on's own requirements (Linux, amd64 or arm64, not Fargate, hybrid or Auto Mode nodes;
 * aws/amazon-vpc-cni-k8s `charts/aws-vpc-cni/values.yaml` `affinity` at commit b5218838,
 * 2026-08-20, v1.23.1) plus {@link NOT_A_CILIUM_NODE}. The add-on's `affinity` configuration
 * replaces the whole default, so the defaults are restated.
 */
export function vpcCniAffinity(): { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: RequiredNodeAffinity } } {
  return {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [
          {
            matchExpressions: [
              { key: 'kubernetes.io/os', operator: 'In', values: ['linux'] },
              { key: 'kubernetes.io/arch', operator: 'In', values: ['amd64', 'arm64'] },
              { key: 'eks.amazonaws.com/compute-type', operator: 'NotIn', values: ['fargate', 'hybrid', 'auto'] },
              { ...NOT_A_CILIUM_NODE, values: [CILIUM_NODE_LABEL.value] },
            ],
          },
        ],
      },
    },
  };
}

const sameRequirement = (a: JsonValue, b: NodeAffinityRequirement): boolean => JSON.stringify(sortKeysDeep(a)) === JSON.stringify(sortKeysDeep({ ...b, values: [...(b.values ?? [])] }));

/**
 * The vpc-cni add-on's configuration with {@link NOT_A_CILIUM_NODE} merged in, every other key as
 * given: no `affinity` -> {@link vpcCniAffinity}; an `affinity` with required node selector terms ->
 * the requirement added to each term (terms are ORed, so each must exclude Cilium nodes); an
 * `affinity` without them -> one term with only the requirement. Running it on its own output
 * changes nothing.
 */
export function withMigrationAffinity(configuration: JsonObject = {}, property = 'current.vpcCni.configuration'): JsonObject {
  const affinity = configuration.affinity;
  if (affinity === undefined) return { ...configuration, affinity: vpcCniAffinity() as unknown as JsonObject };
  const at = (suffix: string): string => `${property}.affinity${suffix}`;
  check(isPlainObject(affinity), at(''), affinity, 'a Kubernetes Affinity object');
  const nodeAffinity = (affinity as JsonObject).nodeAffinity ?? {};
  check(isPlainObject(nodeAffinity), at('.nodeAffinity'), nodeAffinity, 'a Kubernetes NodeAffinity object');
  const required = (nodeAffinity as JsonObject).requiredDuringSchedulingIgnoredDuringExecution;
  let terms: JsonValue[];
  if (required === undefined) {
    terms = [{ matchExpressions: [{ ...NOT_A_CILIUM_NODE, values: [CILIUM_NODE_LABEL.value] }] }];
  } else {
    const p = at('.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms');
    const given = isPlainObject(required) ? (required as JsonObject).nodeSelectorTerms : undefined;
    check(Array.isArray(given) && given.length > 0, p, given, 'a non-empty list of node selector terms');
    terms = (given as JsonValue[]).map((term, i) => {
      check(isPlainObject(term), `${p}[${i}]`, term, 'a node selector term');
      const expressions = (term as JsonObject).matchExpressions ?? [];
      check(Array.isArray(expressions), `${p}[${i}].matchExpressions`, expressions, 'a list of node selector requirements');
      const list = expressions as JsonValue[];
      return { ...(term as JsonObject), matchExpressions: list.some((r) => sameRequirement(r, NOT_A_CILIUM_NODE)) ? list : [...list, { ...NOT_A_CILIUM_NODE, values: [CILIUM_NODE_LABEL.value] }] };
    });
  }
  const nodeAffinityMerged: JsonObject = {
    ...(nodeAffinity as JsonObject),
    requiredDuringSchedulingIgnoredDuringExecution: { ...(isPlainObject(required) ? (required as JsonObject) : {}), nodeSelectorTerms: terms },
  };
  return { ...configuration, affinity: { ...(affinity as JsonObject), nodeAffinity: nodeAffinityMerged } };
}

/**
 * The vpc-cni add-on's `configuration_values`: the configuration the cluster has today with the
 * migration's affinity merged in ({@link withMigrationAffinity}), as the JSON EKS takes, keys sorted.
 */
export function vpcCniConfigurationValues(configuration?: JsonObject, property?: string): string {
  return JSON.stringify(sortKeysDeep(withMigrationAffinity(configuration, property)));
}

// ---------------------------------------------------------------------------------------------
// Cilium values per phase
// ---------------------------------------------------------------------------------------------

/** Which Cilium configuration a phase runs: none yet, the migration one, or the project's own. */
export type CiliumStage = 'absent' | 'migrating' | 'final';

/** The Cilium configuration of a phase kind. */
export function ciliumStageOf(kind: MigrationPhaseKind): CiliumStage {
  return kind === 'prepare' ? 'absent' : END_KINDS.includes(kind) ? 'final' : 'migrating';
}

/**
 * The overrides of the migration stage, on top of the project's values with the `compatible`
 * datapath preset:
 * - `kubeProxyReplacement: "false"`: kube-proxy still runs on every node until the final phase,
 *   and the `performance` preset's host routing, bandwidth manager and socket LB need kube-proxy
 *   replacement (docs/reference.md#datapath-profiles), so the migration stage uses `compatible`.
 * - `nodeSelector`: the agent runs only on nodes labelled {@link CILIUM_NODE_LABEL}, the nodes
 *   aws-node leaves alone; the chart's default `kubernetes.io/os: linux` is kept (values.yaml).
 * - `policyAuditMode: true`: policy verdicts are computed and shown (`hubble observe --verdict
 *   AUDIT`) but nothing is dropped. Pods on old nodes are not Cilium endpoints, so their traffic
 *   has no pod identity; [migration] turns enforcement off for this reason (`policyEnforcementMode:
 *   never`); audit mode keeps that effect and adds the verdicts. The chart documents the key as a
 *   commented top-level `# policyAuditMode: false` in values.yaml.
 * - `operator.unmanagedPodWatcher.restart: false`: the operator would otherwise restart every pod
 *   on the old nodes, which Cilium does not manage, over and over [migration].
 */
export function migrationStageOverrides(): JsonObject {
  return {
    kubeProxyReplacement: 'false',
    nodeSelector: { 'kubernetes.io/os': 'linux', [CILIUM_NODE_LABEL.key]: CILIUM_NODE_LABEL.value },
    policyAuditMode: true,
    operator: { unmanagedPodWatcher: { restart: false } },
  };
}

/**
 * The options of the Cilium values in a migration. Strict mode is not offered: it drops
 * unencrypted pod traffic within its CIDR, which is all traffic to pods on the old nodes.
 */
export type MigrationCiliumValuesOptions = Omit<CiliumValuesOptions, 'encryptionStrictMode'>;
/** The declaration of {@link MigrationCiliumValuesOptions}. */
export const MigrationCiliumValuesOptionsSchema = declare<MigrationCiliumValuesOptions>()(strict(omit(ciliumValuesEntries, ['encryptionStrictMode']), 'migration Cilium values options { k8sServiceHost, region, chartVersion?, ... }'));

/**
 * The Cilium Helm values of a stage: `migrating` is the project's values with the `compatible`
 * datapath and {@link migrationStageOverrides}; `final` is exactly what a new cluster of this
 * project gets with the same options. Both are built (and so validated) whatever the stage, so a
 * setting the last phase would refuse fails at the first.
 */
export function migrationCiliumValues(options: MigrationCiliumValuesOptions, stage: Exclude<CiliumStage, 'absent'>): JsonObject {
  parse(MigrationCiliumValuesOptionsSchema, options, 'cilium');
  const final = buildCiliumValues(options);
  const migrating = mergeHelmValues(buildCiliumValues({ ...options, datapath: { preset: 'compatible' } }), migrationStageOverrides());
  return stage === 'final' ? final : migrating;
}

/** Validates the options for every stage at once (kernel gating, chart version, Hubble); returns the final stage's. */
export function assertMigrationCiliumOptions(options: MigrationCiliumValuesOptions): ResolvedCiliumValuesOptions {
  parse(MigrationCiliumValuesOptionsSchema, options, 'cilium');
  resolveCiliumValuesOptions({ ...options, datapath: { preset: 'compatible' } });
  return resolveCiliumValuesOptions(options);
}

// ---------------------------------------------------------------------------------------------
// What runs where, per phase (the invariants' model)
// ---------------------------------------------------------------------------------------------

/** The CNIs whose DaemonSet schedules on a node with `labels` in a phase. */
export function cnisOn(labels: Readonly<Record<string, string>>, phase: ResolvedMigrationPhase, ciliumValues: JsonObject | undefined): ('aws-node' | 'cilium')[] {
  const cnis: ('aws-node' | 'cilium')[] = [];
  // The vpc-cni add-on exists, with the affinity, until the last drain.
  if (phase.vpcCniPresent && matchesNodeAffinity(vpcCniAffinity().nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution, labels)) cnis.push('aws-node');
  if (ciliumValues) {
    const selector = (ciliumValues.nodeSelector as Record<string, JsonValue> | undefined) ?? { 'kubernetes.io/os': 'linux' };
    if (matchesNodeSelector(selector, labels)) cnis.push('cilium');
  }
  return cnis;
}
