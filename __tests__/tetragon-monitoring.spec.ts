/**
 * Opt-in monitoring: nothing without it; with it, the Cilium chart's ServiceMonitors and dashboards
 * (every key in each supported chart's values.yaml, values valid against its schema), the
 * Tetragon and shipper ServiceMonitors, and the PrometheusRule delivered through the local chart.
 */
import { valueAt } from '../core/helm-values';
import { parse } from 'yaml';
import { buildCiliumValues } from '../bpf/cilium-values';
import { ciliumAlertRules, ciliumMonitoringValues, ciliumPrometheusRule, resolveMonitoringOptions } from '../bpf/alerts';
import { SUPPORTED_CILIUM_CHART_VERSIONS } from '../bpf/versions';
import { mergeHelmValues } from '../core/helm-values';
import { JsonObject } from '../core/yaml';
import { thrown } from './support/errors';
import { buildStack, defaultStack, dependsOn, resource, resourcesOfType, synthJson } from './support/synth';
import { upstreamYaml, validateCiliumValues } from './support/upstream';

const M = resolveMonitoringOptions({ prometheusOperator: true, labels: { release: 'kube-prometheus-stack' } });

function keyPaths(v: unknown, prefix = ''): string[] {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return [prefix];
  return Object.entries(v).flatMap(([k, x]) => (k === 'labels' ? [`${prefix}.${k}`] : keyPaths(x, prefix === '' ? k : `${prefix}.${k}`)));
}
function has(values: unknown, path: string): boolean {
  let c: unknown = values;
  for (const k of path.split('.')) {
    if (typeof c !== 'object' || c === null || !(k in c)) return false;
    c = (c as Record<string, unknown>)[k];
  }
  return true;
}

describe('Cilium monitoring values', () => {
  test.each(SUPPORTED_CILIUM_CHART_VERSIONS.map((v) => [v]))('chart %s: every key exists and the merged values pass the schema', (version) => {
    const chart = upstreamYaml('cilium', version, 'values.yaml') as JsonObject;
    const overlay = ciliumMonitoringValues(M);
    expect(keyPaths(overlay).filter((p) => !has(chart, p))).toEqual([]);
    const merged = mergeHelmValues(buildCiliumValues({ chartVersion: version, k8sServiceHost: 'x.eks.amazonaws.com', region: 'eu-west-1', podSubnetIds: ['subnet-0000000a'] }), overlay);
    expect(validateCiliumValues(version, merged)).toEqual([]);
  });

  test('agent metrics on, the ServiceMonitors labelled, dashboards as asked', () => {
    const v = ciliumMonitoringValues(M);
    expect(v.prometheus).toEqual({ enabled: true, serviceMonitor: { enabled: true, labels: { release: 'kube-prometheus-stack' } } });
    expect(valueAt(v, 'dashboards.enabled')).toBe(true);
    const noDash = ciliumMonitoringValues(resolveMonitoringOptions({ prometheusOperator: true, dashboards: false }));
    expect(['dashboards', 'hubble.metrics.dashboards', 'operator.dashboards'].map((p) => valueAt(noDash, `${p}.enabled`))).toEqual([false, false, false]);
    expect(valueAt(noDash, 'prometheus.serviceMonitor')).toEqual({ enabled: true });
  });
});

describe('alert rules', () => {
  test('the seeds\' metrics, one rule each', () => {
    const rules = ciliumAlertRules(M);
    expect(rules.map((r) => r.alert)).toEqual(['CiliumControllersFailing', 'CiliumPolicyDenialSpike', 'CiliumDropRateHigh', 'CiliumNodesUnreachable', 'CiliumWireGuardPeersDown']);
    expect(rules[0].expr).toMatch(/cilium_controllers_failing\) > 0$/);
    expect(rules[1].expr).toBe('sum(rate(hubble_drop_total{reason=~"POLICY_DENIED|Policy denied"}[5m])) > 10');
    expect(rules[2].expr).toBe('sum by (reason) (rate(hubble_drop_total[5m])) > 50');
    expect(rules[3].expr).toMatch(/cilium_unreachable_nodes/);
  });

  test('thresholds are taken as given and checked', () => {
    const r = ciliumAlertRules(resolveMonitoringOptions({ prometheusOperator: true, policyDropRateThreshold: 2.5 }));
    expect(r[1].expr).toMatch(/> 2\.5$/);
    expect(thrown(() => resolveMonitoringOptions({ prometheusOperator: true, dropRateThreshold: 0 })).property).toBe('monitoring.dropRateThreshold');
    expect(thrown(() => resolveMonitoringOptions({ prometheusOperator: true, labels: { 'bad key': 'x' } })).property).toBe('monitoring.labels.bad key');
    expect(thrown(() => resolveMonitoringOptions({ prometheusOperator: false as unknown as true })).property).toBe('monitoring.prometheusOperator');
  });

  test('the PrometheusRule is a monitoring.coreos.com/v1 object in kube-system with the labels', () => {
    const rule = ciliumPrometheusRule(M);
    expect(rule).toMatchObject({ apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule', metadata: { name: 'cilium-eks-alerts', namespace: 'kube-system', labels: { release: 'kube-prometheus-stack' } } });
    expect((valueAt(rule, 'spec.groups') as JsonObject[])[0].rules).toHaveLength(5);
  });
});

describe('in the stack', () => {
  test('without monitoring nothing of it is emitted', () => {
    const { tf } = defaultStack();
    expect(resourcesOfType(tf, 'helm_release').map((r) => r.name)).not.toContain('cilium-eks-alerts');
    const text = JSON.stringify(tf);
    expect(text).not.toContain('PrometheusRule');
    expect(text).not.toContain('serviceMonitor:\\n    enabled: true');
    const cilium = parse((resource(tf, 'helm_release', 'cilium/release').block.values as string[])[0]);
    expect(cilium.dashboards).toBeUndefined();
  });

  test('with monitoring: Cilium, Tetragon and shipper ServiceMonitors, dashboards, and the rule after the Cilium release', () => {
    const tf = synthJson(buildStack({ monitoring: { prometheusOperator: true } }));
    const values = (path: string, key: string): unknown => valueAt(parse((resource(tf, 'helm_release', path).block.values as string[])[0]), key);
    expect(values('cilium/release', 'prometheus.serviceMonitor.enabled')).toBe(true);
    expect(values('cilium/release', 'dashboards.enabled')).toBe(true);
    expect(values('tetragon/release', 'tetragon.prometheus.serviceMonitor.enabled')).toBe(true);
    expect(values('log-shipping/release', 'serviceMonitor.enabled')).toBe(true);
    const alerts = resource(tf, 'helm_release', 'alerts/release');
    expect(dependsOn(alerts.block)).toContain(resource(tf, 'helm_release', 'cilium/release').address);
    expect(parse((alerts.block.values as string[])[0]).manifests[0].kind).toBe('PrometheusRule');
  });

  test('alerts: false keeps the ServiceMonitors and drops the rule', () => {
    const tf = synthJson(buildStack({ monitoring: { prometheusOperator: true, alerts: false } }));
    expect(resourcesOfType(tf, 'helm_release').map((r) => r.name)).not.toContain('cilium-eks-alerts');
  });
});

describe('docs/security.md', () => {
  const readme = require('fs').readFileSync(require('path').join(__dirname, '..', 'docs', 'security.md'), 'utf8') as string;

  test('the alert table shows every rule with its expression', () => {
    for (const r of ciliumAlertRules(resolveMonitoringOptions({ prometheusOperator: true }))) {
      expect(readme).toContain(`| \`${r.alert}\` | \`${r.expr.replace(/\|/g, '\\|')}\` | ${r.for} |`);
    }
  });
});
