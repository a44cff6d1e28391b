/**
 * Tetragon's Helm values and options, as pure code. Chart `tetragon` 1.7.0 from
 * https://helm.cilium.io (pinned). The chart has no values.schema.json, so the project's tests check
 * every key path emitted here against its values.yaml.
 *
 * Decisions, with the chart default each one keeps or changes:
 * - Own namespace `tetragon`, Pod Security `privileged` (the documented exception
 *   {@link TETRAGON_PSS_EXCEPTION}): the agent DaemonSet is privileged (`tetragon.securityContext.privileged: true`),
 *   on the host network (`hostNetwork: true`, which the chart says process visibility needs) and
 *   mounts host paths (BPF filesystem, /proc, cgroups, the export directory).
 * - The operator runs `restricted` on its own: the project adds seccomp `RuntimeDefault`,
 *   `runAsNonRoot` at pod level and a read-only root filesystem to the chart's container context
 *   (`tetragonOperator.containerSecurityContext`: uid 65532, no privilege escalation, drop ALL).
 * - Events go to `/var/run/cilium/tetragon/tetragon.log` (chart defaults `exportDirectory` and
 *   `tetragon.exportFilename`), rotated at 10 MB with 5 backups (chart defaults). That directory is
 *   on the node's /run tmpfs (as the Hubble flow file): node memory, lost at reboot, which is why
 *   the log shipper sends it off the node.
 * - Export filters (`tetragon.exportAllowList` / `exportDenyList`), replacing the chart's defaults:
 *   the chart ships every process exec and exit (a bill that grows with every process started) and
 *   drops every event of the host ("" namespace), `cilium` and `kube-system`, which is where the
 *   file-monitoring policy's evidence comes from. The project ships the events of the cluster's
 *   TracingPolicies and drops only exec-probe health checks
 *   ({@link DEFAULT_TETRAGON_ALLOW_LIST}, {@link DEFAULT_TETRAGON_DENY_LIST}); each ready-made
 *   policy's sample events are checked against the lists in use ({@link unshippedSamples}).
 * - CRDs: registered by the operator at start-up (`crds.installMethod: operator`, the default),
 *   so TracingPolicies are delivered through the project's local chart after the release is ready.
 * - ServiceMonitors (`tetragon.prometheus.serviceMonitor.enabled`,
 *   `tetragonOperator.prometheus.serviceMonitor.enabled`) only with `monitoring`.
 */
import { check } from '../../core/errors';
import { JsonObject } from '../../core/yaml';
import {
  DEFAULT_TETRAGON_DENY_LIST,
  DEFAULT_TETRAGON_ALLOW_LIST,
  ReadyMadeTracingPolicyName,
  READY_MADE_TRACING_POLICIES,
  TetragonExportFilter,
  tetragonFilterListText,
  TracingPolicy,
} from '../../bpf/tracing';
import { RESTRICTED_CONTAINER_SECURITY_CONTEXT } from '../../bpf/cilium-values';
import { bool, declare, instance, int, list, oneOf, optional, parse, strict, text } from '../../core/schema';
import { labels } from '../../core/rules';
import { TetragonExportFilterSchema } from '../../bpf/tracing/export-filter';
import { CRITICAL_ADDONS_TOLERATION } from '../../core/k8s';

/**
 * The pinned Tetragon chart version: the newest in cilium/charts (charts snapshot of 2026-08-03;
 * tag v1.7.0 is also the newest of cilium/tetragon on 2026-08-21). A newer one:
 * `helm search repo cilium/tetragon --versions` (`npm run versions`).
 */
export const TETRAGON_CHART_VERSION = '1.7.0';
/** Helm repository of the Tetragon chart (the same as Cilium's). */
export const TETRAGON_HELM_REPOSITORY = 'https://helm.cilium.io';
/** Namespace Tetragon is installed into. */
export const TETRAGON_NAMESPACE = 'tetragon';
/** Directory of the JSON export on each node (chart default `exportDirectory`). */
export const TETRAGON_EXPORT_DIRECTORY = '/var/run/cilium/tetragon';
/** File name of the JSON export (chart default `tetragon.exportFilename`). */
export const TETRAGON_EXPORT_FILENAME = 'tetragon.log';
/** The export file a log shipper reads. */
export const TETRAGON_EXPORT_FILE = `${TETRAGON_EXPORT_DIRECTORY}/${TETRAGON_EXPORT_FILENAME}`;
/** Upper bound of the export files on a node, in MB (the files live in node memory). */
export const TETRAGON_EXPORT_MAX_TOTAL_MB = 512;

/** The ready-made policies switched on by default: all of them (they only observe). */
export const DEFAULT_TETRAGON_POLICIES: readonly ReadyMadeTracingPolicyName[] = Object.freeze(
  Object.keys(READY_MADE_TRACING_POLICIES) as ReadyMadeTracingPolicyName[],
);

/**
 * The documented Pod Security exception: the `tetragon` namespace is `privileged`. The chart
 * installs the agent and the operator into one namespace (the release's); the operator passes
 * `restricted` on its own (checked by the project's Pod Security tests).
 */
export const TETRAGON_PSS_EXCEPTION = Object.freeze({
  namespace: TETRAGON_NAMESPACE,
  level: 'privileged' as const,
  workloads: Object.freeze(['tetragon (agent DaemonSet: privileged, hostNetwork, host paths)']),
  reason:
    'the Tetragon agent loads eBPF programs and reads every process on the node: privileged container, host network ' +
    '(process visibility needs it, chart values.yaml) and host paths (BPF filesystem, /proc, cgroups, the export directory)',
});

/** Tetragon options of a cluster. */
export interface TetragonOptions {
  /** Ready-made TracingPolicies to switch on, by name. @default DEFAULT_TETRAGON_POLICIES (all three) */
  readonly policies?: readonly ReadyMadeTracingPolicyName[];
  /** More TracingPolicies; each is linted against the nodes' kernel at synth. @default - none */
  readonly customPolicies?: readonly TracingPolicy[];
  /** JSON export file on each node; the log shipper needs it on. @default - on, 10 MB x 5 backups */
  readonly exportFile?: {
    /** Whether the agent writes its events to the JSON export file; the log shipper reads them from it. @default true */
    readonly enabled?: boolean;
    /**
     * Size in MB at which the file is rotated (chart value `tetragon.exportFileMaxSizeMB`). The file and
     * its backups live in node memory (/run tmpfs): `maxSizeMb x (maxBackups + 1)` is capped.
     * @default 10
     */
    readonly maxSizeMb?: number;
    /** Rotated files kept beside the current one (chart value `tetragon.exportFileMaxBackups`), 1 to 100. @default 5 */
    readonly maxBackups?: number;
    /**
     * Events written to the file must match one of these filters (Tetragon export filters, one
     * object each). `[]` lets every event through, process exec and exit included.
     * @default - the events of TracingPolicies: `[{ event_set: ['PROCESS_KPROBE', 'PROCESS_TRACEPOINT', 'PROCESS_UPROBE', 'PROCESS_LSM'] }]`
     */
    readonly allowList?: readonly TetragonExportFilter[];
    /** Events matching one of these filters are not written. `[]` drops none. @default `[{ health_check: true }]` (exec probes) */
    readonly denyList?: readonly TetragonExportFilter[];
  };
}
/** Tetragon export filters: each field by Tetragon's Filter message (assertTetragonExportFilters). */
const exportFilters = list(TetragonExportFilterSchema, { allowed: 'a list of Tetragon export filters such as { event_set: ["PROCESS_KPROBE"] }' });
/** The entries of {@link TetragonOptionsSchema}, for declarations that extend it. */
export const tetragonEntries = {
      policies: optional(list(oneOf(Object.keys(READY_MADE_TRACING_POLICIES) as ReadyMadeTracingPolicyName[]), { unique: true })),
      customPolicies: optional(list(instance(TracingPolicy, 'a TracingPolicy (new TracingPolicy({...}))'), { unique: (p) => p.name })),
      exportFile: optional(
        strict(
          { enabled: optional(bool()), maxSizeMb: optional(int(1, TETRAGON_EXPORT_MAX_TOTAL_MB)), maxBackups: optional(int(1, 100)), allowList: optional(exportFilters), denyList: optional(exportFilters) },
          'Tetragon export file options',
        ),
      ),
} as const;
export const TetragonOptionsSchema = declare<TetragonOptions>()(strict(tetragonEntries, 'Tetragon options'));

/** Tetragon options with the defaults applied. */
export interface ResolvedTetragonOptions {
  /**
   * The ready-made TracingPolicies installed, by name: `policies` as given, else
   * {@link DEFAULT_TETRAGON_POLICIES}.
   */
  readonly policies: readonly ReadyMadeTracingPolicyName[];
  /**
   * The user's own TracingPolicies (`customPolicies`, else none); none may take a ready-made policy's name
   * that is on.
   */
  readonly customPolicies: readonly TracingPolicy[];
  /**
   * The JSON event file on each node ({@link TETRAGON_EXPORT_FILE}), defaults applied: on, 10 MB per file, 5
   * rotated backups (at most a total the node's `/run` tmpfs can hold, in node memory), and the allow and
   * deny lists of events written (the project's defaults unless either list is given).
   */
  readonly exportFile: {
    readonly enabled: boolean;
    readonly maxSizeMb: number;
    readonly maxBackups: number;
    readonly allowList: readonly TetragonExportFilter[];
    readonly denyList: readonly TetragonExportFilter[];
    /** Whether the lists are the project's defaults (the ready-made samples must pass them). */
    readonly defaultFilters: boolean;
  };
}

/** Applies the defaults and checks the options. */
export function resolveTetragonOptions(o: TetragonOptions = {}): ResolvedTetragonOptions {
  parse(TetragonOptionsSchema, o, 'tetragon');
  const policies = [...(o.policies ?? DEFAULT_TETRAGON_POLICIES)];
  const customPolicies = [...(o.customPolicies ?? [])];
  customPolicies.forEach((p, i) => check(!policies.includes(p.name as ReadyMadeTracingPolicyName), `tetragon.customPolicies[${i}].name`, p.name, 'a name no other TracingPolicy of the cluster has', `the ready-made policy ${p.name} is on`));
  const e = o.exportFile ?? {};
  const exportFile = {
    enabled: e.enabled ?? true,
    maxSizeMb: e.maxSizeMb ?? 10,
    maxBackups: e.maxBackups ?? 5,
    allowList: e.allowList ?? DEFAULT_TETRAGON_ALLOW_LIST,
    denyList: e.denyList ?? DEFAULT_TETRAGON_DENY_LIST,
    defaultFilters: e.allowList === undefined && e.denyList === undefined,
  };
  const total = exportFile.maxSizeMb * (exportFile.maxBackups + 1);
  check(total <= TETRAGON_EXPORT_MAX_TOTAL_MB, 'tetragon.exportFile', { maxSizeMb: exportFile.maxSizeMb, maxBackups: exportFile.maxBackups }, `maxSizeMb x (maxBackups + 1) <= ${TETRAGON_EXPORT_MAX_TOTAL_MB} (here ${total})`, "the files live on the node's /run tmpfs, i.e. in node memory");
  return { policies, customPolicies, exportFile };
}

/** Inputs of {@link buildTetragonValues}. */
export interface TetragonValuesInput {
  /** EKS cluster name, shown in every event (`tetragon.clusterName`). */
  readonly clusterName: string;
  /**
   * The Tetragon options ({@link TetragonOptions}) the values are built from, resolved with their defaults.
   * @default - every default: the default policies, the export file on
   */
  readonly options?: TetragonOptions;
  /** Emit the chart's ServiceMonitors (needs the Prometheus Operator's CRDs). @default false */
  readonly serviceMonitors?: boolean;
  /** Node labels of the nodes the operator runs on. @default - none */
  readonly operatorNodeSelector?: Readonly<Record<string, string>>;
}
/** The declaration of {@link TetragonValuesInput}. */
export const TetragonValuesInputSchema = declare<TetragonValuesInput>()(
  strict(
    { clusterName: text('a cluster name'), options: optional(TetragonOptionsSchema), serviceMonitors: optional(bool()), operatorNodeSelector: optional(labels()) },
    'Tetragon values input { clusterName, options?, serviceMonitors?, operatorNodeSelector? }',
  ),
);

/** The Tetragon operator's pod securityContext: non-root, seccomp RuntimeDefault. */
export const TETRAGON_OPERATOR_POD_SECURITY_CONTEXT = Object.freeze({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });

/** The Helm values of the Tetragon release. */
export function buildTetragonValues(input: TetragonValuesInput): JsonObject {
  // The options are named as the cluster's `tetragon` (resolveTetragonOptions).
  parse(TetragonValuesInputSchema, { ...input, options: undefined }, 'buildTetragonValues(input)');
  const o = resolveTetragonOptions(input.options);
  const sm = input.serviceMonitors ?? false;
  return {
    exportDirectory: TETRAGON_EXPORT_DIRECTORY,
    tetragon: {
      clusterName: input.clusterName,
      // An empty file name turns the export off (values.yaml).
      exportFilename: o.exportFile.enabled ? TETRAGON_EXPORT_FILENAME : '',
      exportFileMaxSizeMB: o.exportFile.maxSizeMb,
      exportFileMaxBackups: o.exportFile.maxBackups,
      exportAllowList: tetragonFilterListText(o.exportFile.allowList),
      exportDenyList: tetragonFilterListText(o.exportFile.denyList),
      prometheus: { enabled: true, serviceMonitor: { enabled: sm } },
    },
    tetragonOperator: {
      podSecurityContext: { ...TETRAGON_OPERATOR_POD_SECURITY_CONTEXT, seccompProfile: { type: 'RuntimeDefault' } },
      containerSecurityContext: {
        runAsUser: 65532,
        runAsGroup: 65532,
        ...RESTRICTED_CONTAINER_SECURITY_CONTEXT,
        capabilities: { drop: ['ALL'] },
        seccompProfile: { type: 'RuntimeDefault' },
      },
      ...(input.operatorNodeSelector ? { nodeSelector: { ...input.operatorNodeSelector } } : {}),
      // The chart default is none; the system nodes admit only pods that tolerate CriticalAddonsOnly.
      tolerations: [{ ...CRITICAL_ADDONS_TOLERATION }],
      prometheus: { enabled: true, serviceMonitor: { enabled: sm } },
    },
    crds: { installMethod: 'operator' },
  };
}
