/**
 * Opt-in alerts and dashboards for a cluster that runs the Prometheus Operator: the Cilium
 * chart's ServiceMonitors and Grafana dashboards (as Helm values), and a PrometheusRule with the
 * alerts the seeds name. Pure; the PrometheusRule is delivered through the project's local chart,
 * so no monitoring.coreos.com CRD is needed at plan time. Without `monitoring` nothing here is
 * emitted.
 *
 * Metric names (Cilium docs, Documentation/observability/metrics.rst, "Cluster health",
 * "Controllers", and Hubble's `drop` metric):
 * - `cilium_controllers_failing`: number of failing controllers (agent).
 * - `cilium_unreachable_nodes`, `cilium_unreachable_health_endpoints`: nodes, and health endpoints
 *   (a pod per node), that the agent's health checks cannot reach.
 * - `hubble_drop_total{reason, protocol}`: dropped flows. The policy-denial reason is the enum
 *   name `POLICY_DENIED` in recent releases and was `Policy denied` in older ones (seen in public
 *   dashboards, not in the docs): the rule matches both.
 * - WireGuard: the metrics reference has no per-peer WireGuard metric. Pod-to-pod traffic between
 *   nodes is what WireGuard carries here, so "peers down" is inferred from health endpoints that
 *   are unreachable while their nodes are not (`cilium_unreachable_health_endpoints >
 *   cilium_unreachable_nodes`). Inferred, not verified against a failing tunnel.
 * The agent serves these only with `prometheus.enabled` (chart default false), which monitoring
 * turns on.
 */
import { check } from '../core/errors';
import { KubernetesManifest } from '../core/k8s';
import { JsonObject } from '../core/yaml';
import { bool, declare, literal, optional, positive, strict } from '../core/schema';
import { labels } from '../core/rules';

/** Alerts and dashboards for a cluster that runs the Prometheus Operator. */
export interface MonitoringOptions {
  /**
   * The cluster runs the Prometheus Operator: its monitoring.coreos.com/v1 CRDs exist before this
   * apply. Set it in an apply after the operator is installed: a ServiceMonitor without its CRD
   * fails the Cilium release, the cluster's CNI (see the Hubble ServiceMonitor note in docs/configuration.md#hubble).
   */
  readonly prometheusOperator: true;
  /** Labels on the ServiceMonitors and the PrometheusRule, e.g. the `release` label a Prometheus selects on. @default - none */
  readonly labels?: Readonly<Record<string, string>>;
  /** The Cilium chart's Grafana dashboards (ConfigMaps for the Grafana sidecar). @default true */
  readonly dashboards?: boolean;
  /** The PrometheusRule. @default true */
  readonly alerts?: boolean;
  /** Policy-denied drops per second (cluster-wide, 5-minute rate) above which an alert fires. @default 10 */
  readonly policyDropRateThreshold?: number;
  /** Drops of any reason per second above which an alert fires. @default 50 */
  readonly dropRateThreshold?: number;
}
export const MonitoringOptionsSchema = declare<MonitoringOptions>()(
  strict(
    {
      prometheusOperator: literal(true, 'true (leave monitoring out when the cluster has no Prometheus Operator)'),
      labels: optional(labels()),
      dashboards: optional(bool()),
      alerts: optional(bool()),
      policyDropRateThreshold: optional(positive('a positive number of drops per second')),
      dropRateThreshold: optional(positive('a positive number of drops per second')),
    },
    'monitoring options',
  ),
);

/** Monitoring options with the defaults applied. */
export interface ResolvedMonitoringOptions {
  /**
   * Labels put on every ServiceMonitor the chart renders and on the PrometheusRule (e.g. the
   * `release` label a Prometheus selects on); empty when `monitoring.labels` is not given.
   */
  readonly labels: Readonly<Record<string, string>>;
  /**
   * Whether the chart's Grafana dashboards are rendered (`dashboards.enabled`,
   * `operator.dashboards.enabled`, `hubble.metrics.dashboards.enabled`): `monitoring.dashboards`, or true.
   */
  readonly dashboards: boolean;
  /**
   * Whether the PrometheusRule with the Cilium alerts is delivered (a `ManifestRelease` named
   * `alerts` on the cluster): `monitoring.alerts`, or true.
   */
  readonly alerts: boolean;
  /**
   * Policy-denied drops per second, cluster-wide over a 5-minute rate, above which
   * `CiliumPolicyDenialSpike` fires: `monitoring.policyDropRateThreshold`, or 10. Positive.
   */
  readonly policyDropRateThreshold: number;
  /**
   * Drops per second of any one reason, over a 5-minute rate, above which `CiliumDropRateHigh`
   * fires: `monitoring.dropRateThreshold`, or 50. Positive.
   */
  readonly dropRateThreshold: number;
}

const LABEL_KEY = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Applies the defaults and checks the options. */
export function resolveMonitoringOptions(m: MonitoringOptions): ResolvedMonitoringOptions {
  check(m.prometheusOperator === true, 'monitoring.prometheusOperator', m.prometheusOperator, 'true (leave monitoring out when the cluster has no Prometheus Operator)');
  for (const [k, v] of Object.entries(m.labels ?? {})) {
    check(LABEL_KEY.test(k) && LABEL_VALUE.test(v) && v.length <= 63, `monitoring.labels.${k}`, v, 'Kubernetes label keys and values');
  }
  const positive = (n: number, property: string): number => {
    check(typeof n === 'number' && Number.isFinite(n) && n > 0, property, n, 'a positive number of drops per second');
    return n;
  };
  return {
    labels: { ...(m.labels ?? {}) },
    dashboards: m.dashboards ?? true,
    alerts: m.alerts ?? true,
    policyDropRateThreshold: positive(m.policyDropRateThreshold ?? 10, 'monitoring.policyDropRateThreshold'),
    dropRateThreshold: positive(m.dropRateThreshold ?? 50, 'monitoring.dropRateThreshold'),
  };
}

/**
 * Cilium chart values for monitoring, merged over the project's: agent metrics on, the agent,
 * operator, Envoy and Hubble ServiceMonitors, and the chart's dashboards. Every key exists in
 * the values.yaml of 1.18.12, 1.19.6 and 1.20.0 (checked by the tests).
 */
export function ciliumMonitoringValues(m: ResolvedMonitoringOptions): JsonObject {
  const sm = (): JsonObject => ({ enabled: true, ...(Object.keys(m.labels).length > 0 ? { labels: { ...m.labels } } : {}) });
  return {
    prometheus: { enabled: true, serviceMonitor: sm() },
    operator: { prometheus: { enabled: true, serviceMonitor: sm() }, dashboards: { enabled: m.dashboards } },
    envoy: { prometheus: { serviceMonitor: sm() } },
    hubble: { metrics: { serviceMonitor: sm(), dashboards: { enabled: m.dashboards } } },
    dashboards: { enabled: m.dashboards },
  };
}

/** One alerting rule. */
export interface AlertRule {
  /** The alert's name, e.g. `CiliumNodesUnreachable`: the `alertname` label Alertmanager routes on. */
  readonly alert: string;
  /**
   * The PromQL expression; every series it returns is an active alert
   * (https://prometheus.io/docs/prometheus/latest/configuration/alerting_rules/).
   */
  readonly expr: string;
  /**
   * How long the expression must stay true before the alert fires (pending until then), as a
   * Prometheus duration such as `5m` or `10m`.
   */
  readonly for: string;
  /** Labels added to the alert: `severity` is `warning` or `critical`, for Alertmanager routing. */
  readonly labels: { readonly severity: 'warning' | 'critical' };
  /**
   * Text for the notification: a one-line `summary` and a `description` saying where to look;
   * both may use Prometheus templating (`{{ $labels.pod }}`, `{{ $value }}`).
   */
  readonly annotations: { readonly summary: string; readonly description: string };
}

/** The alert rules of {@link ciliumPrometheusRule}. */
export function ciliumAlertRules(m: ResolvedMonitoringOptions): AlertRule[] {
  return [
    {
      alert: 'CiliumControllersFailing',
      expr: 'max by (pod) (cilium_controllers_failing) > 0',
      for: '10m',
      labels: { severity: 'warning' },
      annotations: { summary: 'Cilium agent {{ $labels.pod }} has failing controllers', description: 'See `cilium-dbg status --all-controllers` in the pod.' },
    },
    {
      alert: 'CiliumPolicyDenialSpike',
      expr: `sum(rate(hubble_drop_total{reason=~"POLICY_DENIED|Policy denied"}[5m])) > ${m.policyDropRateThreshold}`,
      for: '10m',
      labels: { severity: 'warning' },
      annotations: { summary: 'Policy denials above {{ $value | humanize }} per second', description: 'Flows dropped by network policy; find them in the Hubble flow log group (docs/security.md#runtime-security-and-off-node-evidence).' },
    },
    {
      alert: 'CiliumDropRateHigh',
      expr: `sum by (reason) (rate(hubble_drop_total[5m])) > ${m.dropRateThreshold}`,
      for: '10m',
      labels: { severity: 'warning' },
      annotations: { summary: 'Drops for {{ $labels.reason }} above {{ $value | humanize }} per second', description: 'Hubble drop rate by reason.' },
    },
    {
      alert: 'CiliumNodesUnreachable',
      expr: 'max by (pod) (cilium_unreachable_nodes) > 0',
      for: '5m',
      labels: { severity: 'critical' },
      annotations: { summary: 'Agent {{ $labels.pod }} cannot reach {{ $value }} node(s)', description: 'Cilium health checks fail between nodes: check security groups (TCP 4240) and node state.' },
    },
    {
      alert: 'CiliumWireGuardPeersDown',
      expr: 'max by (pod) (cilium_unreachable_health_endpoints - cilium_unreachable_nodes) > 0',
      for: '5m',
      labels: { severity: 'critical' },
      annotations: {
        summary: 'Agent {{ $labels.pod }} reaches nodes but not their pods',
        description: 'Pod-to-pod traffic between nodes (WireGuard-encrypted) fails while the nodes answer: check UDP 51871 between nodes and `cilium-dbg encrypt status`.',
      },
    },
  ];
}

/** The PrometheusRule (monitoring.coreos.com/v1) with the Cilium alerts, in kube-system. */
export function ciliumPrometheusRule(m: ResolvedMonitoringOptions): KubernetesManifest {
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: { name: 'cilium-eks-alerts', namespace: 'kube-system', ...(Object.keys(m.labels).length > 0 ? { labels: { ...m.labels } } : {}) },
    spec: { groups: [{ name: 'cilium-eks', rules: ciliumAlertRules(m).map((r) => ({ ...r, labels: { ...r.labels }, annotations: { ...r.annotations } })) }] },
  };
}
