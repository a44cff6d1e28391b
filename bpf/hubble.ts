import { check, ValidationError } from '../core/errors';
import { assertChartFeature, CiliumChartVersion } from './versions';
import { JsonObject } from '../core/yaml';
import { anyOf, bool, declare, int, list, literal, optional, opaque, strict, string, variant } from '../core/schema';
import { cidr, labels, prometheusDuration } from '../core/rules';
import { assertHubbleFlowFilters, DEFAULT_HUBBLE_EXPORT_ALLOW_LIST, HubbleFlowFilter, hubbleFilterStrings } from './hubble-export-filter';

/**
 * Hubble options beyond relay and UI: metrics, the Prometheus Operator ServiceMonitor, flow export
 * to a file on each node, and how the UI is reached. Value names are checked per chart version
 * (versions.ts features; the values-matrix test checks every emitted key against each version's
 * values.yaml).
 *
 * Decisions:
 * - ServiceMonitor: opt-in, and the project never sets `prometheus.serviceMonitor.trustCRDsExist`.
 *   That flag (the only one of its kind in values.yaml; there is no Hubble equivalent) only skips
 *   the chart's render-time check (templates/validate.yaml) for the monitoring.coreos.com/v1 CRDs;
 *   it does not make the CRD exist, and a ServiceMonitor without its CRD fails the whole release
 *   at apply ("no matches for kind ServiceMonitor"), here the cluster's CNI. The Cilium release is
 *   installed before any node exists, so on a new cluster the Prometheus Operator cannot be there
 *   yet: turn the ServiceMonitor on in a later apply, once its CRDs are installed.
 *   With it on, the chart drops the prometheus.io/scrape annotations from the hubble-metrics
 *   Service: the two discovery modes exclude each other.
 * - Flow export: on by default, to `/var/run/cilium/hubble/events.log` with size-based rotation
 *   (10 MB x 5 backups). /var/run/cilium is the agent's hostPath mount; on AL2023 it is on the /run
 *   tmpfs, so the files cost node memory (bounded below) and do not survive a reboot: they serve
 *   incident review on the node and a log shipper tailing the file. What is written: by default
 *   dropped flows, errors, policy verdicts and L7 HTTP errors
 *   ({@link DEFAULT_HUBBLE_EXPORT_ALLOW_LIST}: what the log shipper then pays CloudWatch for);
 *   `allFlows: true` writes every flow. Filters are checked against the chart version's FlowFilter
 *   fields and written as the JSON strings the chart expects ({@link hubbleFilterStrings}).
 * - Metrics: labels bounded by the cluster's namespaces and workloads, never by IP or pod (each
 *   label value is a Prometheus series: per-IP labels grow with every pod ever started).
 * - UI: ClusterIP, reachable only through `kubectl port-forward` / `cilium hubble ui`. The opt-in
 *   internal load balancer needs explicit source ranges (the UI has no authentication) and
 *   carries annotations understood both by EKS's built-in service controller and by the AWS Load
 *   Balancer Controller.
 */

/**
 * Hubble metrics enabled by default (Cilium docs, observability/metrics.rst, "Hubble Exported
 * Metrics"). Only `httpV2` carries context labels, and only bounded ones: namespace, workload and
 * direction (the labelsContext values of the docs' "Context Options" table; `source_ip`/
 * `destination_ip` since cilium PR #21322, v1.13). The other metrics carry no context label.
 */
export const DEFAULT_HUBBLE_METRICS: readonly string[] = Object.freeze([
  'dns',
  'drop',
  'tcp',
  'flow',
  'port-distribution',
  'icmp',
  'httpV2:exemplars=true;labelsContext=source_namespace,source_workload,destination_namespace,destination_workload,traffic_direction',
]);

/** `labelsContext` values (Cilium docs, observability/metrics.rst, "Context Options"). */
export const HUBBLE_METRIC_LABELS: readonly string[] = Object.freeze([
  'source_ip',
  'source_namespace',
  'source_pod',
  'source_workload',
  'source_workload_kind',
  'source_app',
  'destination_ip',
  'destination_namespace',
  'destination_pod',
  'destination_workload',
  'destination_workload_kind',
  'destination_app',
  'traffic_direction',
]);
/** `sourceContext`/`destinationContext` identifiers (the same docs table; `pod-short` from pkg/hubble/metrics/api/context.go). */
export const HUBBLE_METRIC_CONTEXTS: readonly string[] = Object.freeze(['identity', 'namespace', 'pod', 'pod-name', 'pod-short', 'dns', 'ip', 'reserved-identity', 'workload', 'workload-name', 'app']);
/** Labels and contexts whose values grow with pods or addresses rather than with workloads: one series each. */
export const UNBOUNDED_METRIC_LABELS: readonly string[] = Object.freeze(['source_ip', 'destination_ip', 'source_pod', 'destination_pod', 'ip', 'pod', 'pod-name', 'pod-short', 'dns', 'identity']);
const CONTEXT_OPTIONS = ['sourceContext', 'sourceEgressContext', 'sourceIngressContext', 'destinationContext', 'destinationEgressContext', 'destinationIngressContext'];

/**
 * The context labels a metric asks for (`labelsContext` values and context identifiers), checked
 * against the documented ones: the agent refuses an unknown one (`parseLabels`, `parseContextIdentifier`).
 */
export function metricContextLabels(metric: string): string[] {
  const [, options = ''] = metric.split(/:(.*)/s);
  const labels: string[] = [];
  for (const option of options.split(';').filter(Boolean)) {
    const [key, value = ''] = option.split('=');
    if (key.toLowerCase() === 'labelscontext') {
      for (const l of value.split(',')) {
        check(HUBBLE_METRIC_LABELS.includes(l), 'cilium.hubble.metrics', metric, `labelsContext values among ${HUBBLE_METRIC_LABELS.join(', ')}`, `the agent refuses "${l}"`);
        labels.push(l);
      }
    } else if (CONTEXT_OPTIONS.some((c) => c.toLowerCase() === key.toLowerCase())) {
      for (const c of value.split('|')) {
        check(HUBBLE_METRIC_CONTEXTS.includes(c.toLowerCase()), 'cilium.hubble.metrics', metric, `${key} identifiers among ${HUBBLE_METRIC_CONTEXTS.join(', ')}`, `the agent refuses "${c}"`);
        labels.push(c.toLowerCase());
      }
    }
  }
  return labels;
}

/** Opt-in ServiceMonitor for the Prometheus Operator (`hubble.metrics.serviceMonitor`). */
export interface HubbleServiceMonitorOptions {
  /** Create the ServiceMonitor. Needs the monitoring.coreos.com/v1 CRDs in the cluster already. */
  readonly enabled: boolean;
  /** Labels on the ServiceMonitor, e.g. the `release` label a Prometheus selects on. @default - none */
  readonly labels?: Readonly<Record<string, string>>;
  /** Scrape interval, e.g. `30s`. @default '10s' (the chart default) */
  readonly interval?: string;
}
export const HubbleServiceMonitorOptionsSchema = declare<HubbleServiceMonitorOptions>()(
  strict({ enabled: bool(), labels: optional(labels()), interval: optional(prometheusDuration()) }, 'Hubble ServiceMonitor options'),
);

/** Flow export to a file on each node (`hubble.export.static.*`, chart 1.18+). */
export interface HubbleFlowExportOptions {
  /** Export flows. @default true */
  readonly enabled?: boolean;
  /** File on the node, under /var/run/cilium/ (the agent's hostPath mount). @default '/var/run/cilium/hubble/events.log' */
  readonly filePath?: string;
  /** Size at which the file is rotated, in MB. @default 10 */
  readonly fileMaxSizeMb?: number;
  /** Rotated files kept. @default 5 */
  readonly fileMaxBackups?: number;
  /** Gzip rotated files (chart 1.18+). @default false */
  readonly fileCompress?: boolean;
  /**
   * Export every flow (no allow list). Every packet trace of every connection is then written and
   * shipped: see docs/security.md#what-it-costs before turning it on.
   * @default false
   */
  readonly allFlows?: boolean;
  /**
   * Flow filters a flow must match to be exported (Hubble FlowFilter objects by proto field names,
   * e.g. `{ verdict: ['DROPPED'] }`); replaces the default list.
   * @default - dropped flows and errors, policy verdicts, HTTP 4xx/5xx ({@link DEFAULT_HUBBLE_EXPORT_ALLOW_LIST})
   */
  readonly allowList?: readonly HubbleFlowFilter[];
  /** Flow filters that exclude a flow. @default - none */
  readonly denyList?: readonly HubbleFlowFilter[];
  /** Flow fields to export, e.g. `['time', 'source', 'destination', 'verdict']`. @default - every field */
  readonly fieldMask?: readonly string[];
}
/** A Hubble FlowFilter object: Cilium's API judges its fields (flow.proto), the project only its shape. */
// (Its fields are judged per chart version when the options resolve: assertHubbleFlowFilters.)
const flowFilter = opaque<HubbleFlowFilter>('a Hubble FlowFilter object such as { verdict: ["DROPPED"] }', (x) => typeof x === 'object' && x !== null && !Array.isArray(x));
export const HubbleFlowExportOptionsSchema = declare<HubbleFlowExportOptions>()(
  strict(
    {
      enabled: optional(bool()),
      filePath: optional(string('a file path under /var/run/cilium/')),
      fileMaxSizeMb: optional(int(1, 512)),
      fileMaxBackups: optional(int(1, 100)),
      fileCompress: optional(bool()),
      allFlows: optional(bool()),
      allowList: optional(list(flowFilter)),
      denyList: optional(list(flowFilter)),
      fieldMask: optional(list(string('a flow field name'), { min: 1 })),
    },
    'Hubble flow export options',
  ),
);

/** How the Hubble UI is reached. */
export type HubbleUiAccess =
  /** ClusterIP service: `kubectl -n kube-system port-forward svc/hubble-ui 12000:80` or `cilium hubble ui`. */
  | { readonly mode: 'port-forward' }
  /**
   * An internal AWS load balancer (service type LoadBalancer). The UI has no authentication:
   * `sourceRanges` (IPv4 CIDRs) are the networks allowed to reach it.
   */
  | { readonly mode: 'internal-load-balancer'; readonly sourceRanges: readonly string[] };
export const HubbleUiAccessSchema = declare<HubbleUiAccess>()(
  variant(
    'mode',
    [
      strict({ mode: literal('port-forward') }, "{ mode: 'port-forward' }"),
      strict({ mode: literal('internal-load-balancer'), sourceRanges: list(cidr(1, 32, 'an IPv4 CIDR narrower than /0'), { min: 1, allowed: 'at least one IPv4 CIDR narrower than /0', reason: 'the Hubble UI has no authentication: name the networks that may reach it' }) }, "{ mode: 'internal-load-balancer', sourceRanges }"),
    ],
    "{ mode: 'port-forward' } or { mode: 'internal-load-balancer', sourceRanges: [...] }",
  ),
);

/** Hubble: relay, UI, metrics, ServiceMonitor, flow export and UI access. */
export interface HubbleOptions {
  /** Deploy Hubble Relay (the UI needs it). @default true */
  readonly relay?: boolean;
  /** Deploy Hubble UI. @default true */
  readonly ui?: boolean;
  /** Hubble metrics to enable; an empty list turns metrics off. @default DEFAULT_HUBBLE_METRICS */
  readonly metrics?: readonly string[];
  /** Serve metrics in OpenMetrics format (`hubble.metrics.enableOpenMetrics`), which exemplars need. @default - true when a metric asks for exemplars */
  readonly openMetrics?: boolean;
  /** ServiceMonitor for the Prometheus Operator. @default - none */
  readonly serviceMonitor?: HubbleServiceMonitorOptions;
  /** Flow export to a file on each node. @default - on, 10 MB x 5 backups */
  readonly flowExport?: HubbleFlowExportOptions;
  /** How the UI is reached. @default { mode: 'port-forward' } */
  readonly uiAccess?: HubbleUiAccess;
}
export const HubbleOptionsSchema = declare<HubbleOptions>()(
  strict(
    {
      relay: optional(bool()),
      ui: optional(bool()),
      metrics: optional(list(string('a Hubble metric name with optional options, e.g. "drop" or "httpV2:exemplars=true"'))),
      openMetrics: optional(bool()),
      serviceMonitor: optional(HubbleServiceMonitorOptionsSchema),
      flowExport: optional(HubbleFlowExportOptionsSchema),
      uiAccess: optional(HubbleUiAccessSchema),
    },
    'Hubble options',
  ),
);
void anyOf;

/** Hubble options with every default applied. */
export interface ResolvedHubbleOptions {
  /** Whether Hubble Relay is deployed (`hubble.relay.enabled`): `relay`, or true. The UI needs it. */
  readonly relay: boolean;
  /** Whether Hubble UI is deployed (`hubble.ui.enabled`): `ui`, or true. */
  readonly ui: boolean;
  /**
   * The Hubble metrics written to `hubble.metrics.enabled` (name plus `:options`), each at most
   * once: `metrics`, or `DEFAULT_HUBBLE_METRICS`. Empty: metrics off (`enabled: null`).
   */
  readonly metrics: readonly string[];
  /**
   * Whether metrics are served in the OpenMetrics format (`hubble.metrics.enableOpenMetrics`):
   * `openMetrics`, or true exactly when a metric asks for `exemplars=true`.
   */
  readonly openMetrics: boolean;
  /**
   * The ServiceMonitor for the Prometheus Operator (`hubble.metrics.serviceMonitor`): enabled
   * only when asked (refused while metrics are off); `labels` (empty when none) and `interval`
   * are written when given, else the chart's 10s interval applies (values.yaml of chart 1.19.6).
   */
  readonly serviceMonitor: { readonly enabled: boolean; readonly labels: Readonly<Record<string, string>>; readonly interval?: string };
  /**
   * The static flow exporter (`hubble.export.static.*`) with its defaults: on, the file
   * `/var/run/cilium/hubble/events.log`, 10 MB x 5 backups, uncompressed, and the default allow
   * list unless `allFlows` or an own list.
   */
  readonly flowExport: Required<Omit<HubbleFlowExportOptions, 'allowList' | 'denyList' | 'fieldMask'>> &
    Pick<HubbleFlowExportOptions, 'denyList' | 'fieldMask'> & {
      /** The allow list in use: empty with `allFlows`. */
      readonly allowList: readonly HubbleFlowFilter[];
    };
  /**
   * How the UI is reached (`hubble.ui.service`): a ClusterIP service for port-forward, or an
   * internal AWS load balancer limited to `sourceRanges`. `uiAccess`, or port-forward.
   */
  readonly uiAccess: HubbleUiAccess;
}

/** Where flow files go by default: the chart's default `filePath`. */
export const DEFAULT_FLOW_EXPORT_FILE = '/var/run/cilium/hubble/events.log';
/** Directory of the agent's hostPath mount (`daemon.runPath`): the only place an export file reaches the node. */
export const FLOW_EXPORT_DIRECTORY = '/var/run/cilium/';
/** Upper bound of the export files on one node, in MB: they live on the /run tmpfs, i.e. in node memory. */
export const FLOW_EXPORT_MAX_TOTAL_MB = 512;

/**
 * Annotations of the opt-in internal load balancer for the Hubble UI:
 * - `aws-load-balancer-internal` for EKS's built-in service controller, `aws-load-balancer-scheme`
 *   for the AWS Load Balancer Controller: internal either way (private subnets carry the
 *   `kubernetes.io/role/internal-elb` tag, set by CiliumEksNetwork).
 * - `aws-load-balancer-type: nlb`: an NLB rather than a Classic ELB from the built-in controller.
 * The source ranges go into `service.beta.kubernetes.io/load-balancer-source-ranges`, which both
 * controllers honour (hubble.ui.service has no loadBalancerSourceRanges value in the schema).
 */
export const HUBBLE_UI_INTERNAL_LB_ANNOTATIONS: Readonly<Record<string, string>> = Object.freeze({
  'service.beta.kubernetes.io/aws-load-balancer-internal': 'true',
  'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal',
  'service.beta.kubernetes.io/aws-load-balancer-type': 'nlb',
});
/** The annotation that carries the UI load balancer's allowed source ranges. */
export const LOAD_BALANCER_SOURCE_RANGES_ANNOTATION = 'service.beta.kubernetes.io/load-balancer-source-ranges';

/** An IPv4 CIDR such as 10.0.0.0/16. */
export const IPV4_CIDR = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}\/([0-9]|[12]\d|3[0-2])$/;
/** Terraform tokens look like `${TfToken[TOKEN.12]}` until synth resolves them. */
export const isToken = (s: string): boolean => s.includes('${');
const isPositiveInt = (n: number, max: number): boolean => Number.isInteger(n) && n >= 1 && n <= max;

/** Applies the defaults of {@link HubbleOptions} and checks them against each other and the chart. */
export function resolveHubbleOptions(h: HubbleOptions = {}, chartVersion: CiliumChartVersion): ResolvedHubbleOptions {
  const metrics = [...(h.metrics ?? DEFAULT_HUBBLE_METRICS)];
  for (const m of metrics) {
    check(/^[a-zA-Z0-9-]+(:.*)?$/.test(m) && !/\s/.test(m), 'cilium.hubble.metrics', m, 'a metric name with optional options, e.g. "drop" or "httpV2:exemplars=true"');
    metricContextLabels(m);
  }
  if (new Set(metrics.map((m) => m.split(':')[0])).size !== metrics.length) {
    throw new ValidationError('cilium.hubble.metrics', metrics, 'each metric at most once');
  }
  const exemplars = metrics.some((m) => m.includes('exemplars=true'));
  const openMetrics = h.openMetrics ?? exemplars;
  check(openMetrics || !exemplars, 'cilium.hubble.openMetrics', openMetrics, 'true while a metric asks for exemplars', 'exemplars are only served in the OpenMetrics format');

  const sm = h.serviceMonitor ?? { enabled: false };
  if (sm.enabled) {
    check(metrics.length > 0, 'cilium.hubble.serviceMonitor.enabled', true, 'false while hubble.metrics is empty', 'the chart renders the ServiceMonitor only with metrics enabled');
  }
  if (sm.interval !== undefined) check(/^\d+(ms|s|m|h)$/.test(sm.interval), 'cilium.hubble.serviceMonitor.interval', sm.interval, 'a Prometheus duration such as 30s or 1m');
  for (const [k, val] of Object.entries(sm.labels ?? {})) {
    check(/^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(k) && /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/.test(val) && val.length <= 63, 'cilium.hubble.serviceMonitor.labels', { [k]: val }, 'Kubernetes label keys and values');
  }

  const fe = h.flowExport ?? {};
  const allFlows = fe.allFlows ?? false;
  check(!(allFlows && fe.allowList !== undefined), 'cilium.hubble.flowExport.allowList', fe.allowList, 'no allow list while allFlows is true', 'allFlows exports every flow; an allow list limits them');
  if (fe.allowList !== undefined) {
    assertHubbleFlowFilters(fe.allowList, 'cilium.hubble.flowExport.allowList', chartVersion);
    check(fe.allowList.length > 0, 'cilium.hubble.flowExport.allowList', fe.allowList, 'at least one filter, or allFlows: true', 'an empty allow list exports every flow: say so with allFlows');
  }
  if (fe.denyList !== undefined) assertHubbleFlowFilters(fe.denyList, 'cilium.hubble.flowExport.denyList', chartVersion);
  const flowExport = {
    enabled: fe.enabled ?? true,
    filePath: fe.filePath ?? DEFAULT_FLOW_EXPORT_FILE,
    fileMaxSizeMb: fe.fileMaxSizeMb ?? 10,
    fileMaxBackups: fe.fileMaxBackups ?? 5,
    fileCompress: fe.fileCompress ?? false,
    allFlows,
    allowList: allFlows ? [] : (fe.allowList ?? DEFAULT_HUBBLE_EXPORT_ALLOW_LIST),
    ...(fe.denyList && fe.denyList.length > 0 ? { denyList: fe.denyList } : {}),
    ...(fe.fieldMask ? { fieldMask: fe.fieldMask } : {}),
  };
  if (flowExport.enabled) {
    assertChartFeature(chartVersion, 'flowExportStaticRotation', 'cilium.hubble.flowExport.enabled', true);
    check(
      flowExport.filePath.startsWith(FLOW_EXPORT_DIRECTORY) && !flowExport.filePath.endsWith('/') && !flowExport.filePath.includes('..'),
      'cilium.hubble.flowExport.filePath',
      flowExport.filePath,
      `a file under ${FLOW_EXPORT_DIRECTORY}`,
      "that directory is the agent's hostPath mount; a file elsewhere stays inside the container",
    );
    check(isPositiveInt(flowExport.fileMaxSizeMb, FLOW_EXPORT_MAX_TOTAL_MB), 'cilium.hubble.flowExport.fileMaxSizeMb', flowExport.fileMaxSizeMb, `an integer from 1 to ${FLOW_EXPORT_MAX_TOTAL_MB}`);
    check(isPositiveInt(flowExport.fileMaxBackups, 100), 'cilium.hubble.flowExport.fileMaxBackups', flowExport.fileMaxBackups, 'an integer from 1 to 100');
    const total = flowExport.fileMaxSizeMb * (flowExport.fileMaxBackups + 1);
    check(
      total <= FLOW_EXPORT_MAX_TOTAL_MB,
      'cilium.hubble.flowExport',
      { fileMaxSizeMb: flowExport.fileMaxSizeMb, fileMaxBackups: flowExport.fileMaxBackups },
      `fileMaxSizeMb x (fileMaxBackups + 1) <= ${FLOW_EXPORT_MAX_TOTAL_MB} (here ${total})`,
      'the files live on the node\'s /run tmpfs, i.e. in node memory',
    );
    if (flowExport.fileCompress) assertChartFeature(chartVersion, 'flowExportCompress', 'cilium.hubble.flowExport.fileCompress', true);
  }

  const ui = h.ui ?? true;
  const relay = h.relay ?? true;
  // The chart's templates/validate.yaml: "Hubble UI requires .Values.hubble.relay.enabled=true".
  check(!ui || relay, 'cilium.hubble.relay', relay, 'true while ui is true', 'the Hubble UI reads flows through Hubble Relay');
  const uiAccess: HubbleUiAccess = h.uiAccess ?? { mode: 'port-forward' };
  if (uiAccess.mode === 'internal-load-balancer') {
    // The ranges' count and format: HubbleUiAccessSchema.
    check(ui, 'cilium.hubble.uiAccess', uiAccess.mode, "'port-forward', or ui: true", 'there is no UI to expose');
  }
  return {
    relay,
    ui,
    metrics,
    openMetrics,
    serviceMonitor: { enabled: sm.enabled, labels: { ...(sm.labels ?? {}) }, ...(sm.interval ? { interval: sm.interval } : {}) },
    flowExport,
    uiAccess,
  };
}

/** `hubble.metrics` values. */
export function hubbleMetricsValues(h: ResolvedHubbleOptions): JsonObject {
  if (h.metrics.length === 0) return { enabled: null };
  const sm = h.serviceMonitor;
  return {
    enabled: [...h.metrics],
    enableOpenMetrics: h.openMetrics,
    serviceMonitor: sm.enabled
      ? { enabled: true, ...(Object.keys(sm.labels).length > 0 ? { labels: { ...sm.labels } } : {}), ...(sm.interval ? { interval: sm.interval } : {}) }
      : { enabled: false },
  };
}

/** `hubble.export` values: the static exporter with size-based rotation (`hubble.export.static.*`, chart 1.18+). */
export function hubbleExportValues(h: ResolvedHubbleOptions): JsonObject {
  const fe = h.flowExport;
  if (!fe.enabled) return { static: { enabled: false } };
  return {
    static: {
      enabled: true,
      filePath: fe.filePath,
      fileMaxSizeMb: fe.fileMaxSizeMb,
      fileMaxBackups: fe.fileMaxBackups,
      fileCompress: fe.fileCompress,
      // JSON strings, as the chart joins the items into the agent's flag (see hubbleFilterStrings).
      ...(fe.allowList.length > 0 ? { allowList: hubbleFilterStrings(fe.allowList) } : {}),
      ...(fe.denyList ? { denyList: hubbleFilterStrings(fe.denyList) } : {}),
      ...(fe.fieldMask ? { fieldMask: [...fe.fieldMask] } : {}),
    },
  };
}

/** `hubble.ui.service` values: ClusterIP, or an internal load balancer limited to the source ranges. */
export function hubbleUiServiceValues(h: ResolvedHubbleOptions): JsonObject {
  if (h.uiAccess.mode !== 'internal-load-balancer') return { type: 'ClusterIP' };
  return {
    type: 'LoadBalancer',
    annotations: { ...HUBBLE_UI_INTERNAL_LB_ANNOTATIONS, [LOAD_BALANCER_SOURCE_RANGES_ANNOTATION]: h.uiAccess.sourceRanges.join(',') },
  };
}
