/**
 * Tetragon: the Helm values against the pinned chart's values.yaml (the chart has no schema), the
 * options' validation, and the construct in a cluster stack (namespace, ordering, policies linted
 * against the nodes' kernel).
 */
import { valueAt } from '../core/helm-values';
import { parse } from 'yaml';
import { buildTetragonValues, DEFAULT_TETRAGON_POLICIES, resolveTetragonOptions, TETRAGON_CHART_VERSION, TETRAGON_EXPORT_FILE } from '../constructs/tetragon/values';
import { JsonObject } from '../core/yaml';
import { TracingPolicy } from '../bpf/tracing';
import { securityAnnotations } from './support/annotations';
import { thrown } from './support/errors';
import { buildStack, defaultStack, dependsOn, resource, resourcesOfType, synthJson } from './support/synth';
import { upstreamYaml, missingChartKeyPaths } from './support/upstream';

const chart = upstreamYaml('tetragon', TETRAGON_CHART_VERSION, 'values.yaml') as JsonObject;

describe('Tetragon values', () => {
  test.each([
    ['defaults', {}],
    ['service monitors, node selector, no export', { serviceMonitors: true, operatorNodeSelector: { a: 'b' }, options: { exportFile: { enabled: false } } }],
  ])('every key path (%s) exists in the pinned values.yaml', (_, input) => {
    const values = buildTetragonValues({ clusterName: 'demo', ...input });
    expect(missingChartKeyPaths(values, chart)).toEqual([]);
    expect(missingChartKeyPaths({ tetragon: { exportFilenam: 'x' } }, chart)).toEqual(['tetragon.exportFilenam']);
  });

  test('the export file the shipper reads is the chart default directory and file name', () => {
    expect(TETRAGON_EXPORT_FILE).toBe(`${chart.exportDirectory}/${(chart.tetragon as JsonObject).exportFilename}`);
    const v = buildTetragonValues({ clusterName: 'demo' });
    expect(valueAt(v, 'tetragon.exportFilename')).toBe('tetragon.log');
    expect(valueAt(v, 'tetragon.clusterName')).toBe('demo');
  });

  test('turning the export off empties the file name, as values.yaml says', () => {
    const v = buildTetragonValues({ clusterName: 'demo', options: { exportFile: { enabled: false } } });
    expect(valueAt(v, 'tetragon.exportFilename')).toBe('');
  });

  test('CRDs stay with the operator and ServiceMonitors only on request', () => {
    const off = buildTetragonValues({ clusterName: 'demo' });
    const on = buildTetragonValues({ clusterName: 'demo', serviceMonitors: true });
    const monitors = (v: JsonObject): unknown[] => ['tetragon', 'tetragonOperator'].map((k) => valueAt(v, `${k}.prometheus.serviceMonitor.enabled`));
    expect(valueAt(off, 'crds.installMethod')).toBe('operator');
    expect(monitors(off)).toEqual([false, false]);
    expect(monitors(on)).toEqual([true, true]);
  });

  test.each([
    ['tetragon.policies[0]', { policies: ['no-such-policy' as never] }],
    ['tetragon.policies[1]', { policies: ['file-monitoring', 'file-monitoring'] as const }],
    ['tetragon.exportFile.maxSizeMb', { exportFile: { maxSizeMb: 0 } }],
    ['tetragon.exportFile.maxBackups', { exportFile: { maxBackups: 1.5 } }],
    ['tetragon.exportFile', { exportFile: { maxSizeMb: 100, maxBackups: 10 } }],
    ['tetragon.customPolicies[0].name', { customPolicies: [new TracingPolicy({ name: 'file-monitoring', kprobes: [{ call: 'fd_install' }] })] }],
  ])('%s is validated', (property, options) => {
    expect(thrown(() => resolveTetragonOptions(options)).property).toBe(property);
  });

  test('every ready-made policy is on by default', () => {
    expect(resolveTetragonOptions().policies).toEqual(DEFAULT_TETRAGON_POLICIES);
    expect(DEFAULT_TETRAGON_POLICIES).toEqual(['file-monitoring', 'shell-in-container', 'pod-instance-metadata-access']);
  });
});

describe('Tetragon in the cluster', () => {
  const { tf } = defaultStack();

  test('the release is pinned, in its own privileged namespace, after the nodes and CoreDNS', () => {
    const release = resource(tf, 'helm_release', 'tetragon/release');
    expect(release.block).toMatchObject({ chart: 'tetragon', version: TETRAGON_CHART_VERSION, repository: 'https://helm.cilium.io', namespace: 'tetragon', wait: true });
    const ns = resource(tf, 'kubernetes_namespace_v1', 'tetragon/namespace');
    expect(valueAt(ns.block.metadata, 'labels')).toMatchObject({ 'pod-security.kubernetes.io/enforce': 'privileged' });
    expect(dependsOn(release.block)).toEqual(expect.arrayContaining([ns.address, resource(tf, 'aws_eks_addon', 'coredns').address, resource(tf, 'aws_eks_node_group', 'system-nodes/node-group').address]));
  });

  test('the TracingPolicies come after the release, through the local chart, without kubernetes_manifest', () => {
    const policies = resource(tf, 'helm_release', 'tetragon/policies/release');
    expect(dependsOn(policies.block)).toEqual([resource(tf, 'helm_release', 'tetragon/release').address]);
    const manifests = (parse((policies.block.values as string[])[0]) as { manifests: { kind: string; metadata: { name: string } }[] }).manifests;
    expect(manifests.map((m) => `${m.kind}/${m.metadata.name}`)).toEqual(['TracingPolicy/file-monitoring', 'TracingPolicy/pod-instance-metadata-access', 'TracingPolicy/shell-in-container']);
    expect(tf.resource.kubernetes_manifest).toBeUndefined();
  });

  test('tetragon: false leaves it out, and the shipper then ships Hubble flows only', () => {
    const off = synthJson(buildStack({ tetragon: false }));
    expect(resourcesOfType(off, 'helm_release').map((r) => r.name)).not.toContain('tetragon');
    expect(resourcesOfType(off, 'aws_cloudwatch_log_group').map((g) => g.name).filter((n) => String(n).startsWith('/cilium-eks/'))).toEqual(['/cilium-eks/cilium-eks/hubble-flows']);
  });

  test.each([
    ['tetragon.polices', { tetragon: { polices: [] } }],
    ['tetragon.exportFile.maxSizeMB', { tetragon: { exportFile: { maxSizeMB: 10 } } }],
    ['logExport.retention', { logExport: { retention: 30 } }],
    ['monitoring.dashboard', { monitoring: { prometheusOperator: true, dashboard: false } }],
  ])('an unknown key %s is refused where the user wrote it', (property, props) => {
    expect(thrown(() => buildStack(props as never)).property).toBe(property);
  });

  test('the security baseline has nothing to say about Tetragon, the shipper or their IAM and KMS resources', () => {
    const { stack } = defaultStack();
    const mine = [...securityAnnotations(stack, 'error'), ...securityAnnotations(stack, 'warn')].filter((t) => /tetragon|log-shipp|pod-identity-log-shipper/.test(t));
    expect(mine).toEqual([]);
  });

  test('a custom policy the nodes\' kernel cannot run is refused at synth, naming the property', () => {
    const kill = new TracingPolicy({ name: 'kill', kprobes: [{ call: 'fd_install', args: [{ index: 0, type: 'int' }], selectors: [{ matchActions: [{ action: 'Signal' }] }] }] });
    const e = thrown(() => buildStack({ tetragon: { customPolicies: [kill] } }));
    expect(e.property).toBe('tetragon.customPolicies[kill].kprobes[0].selectors[0].matchActions[0].argSig');
  });
});

describe('Tetragon export lists of the user\'s', () => {
  /** Warning annotations of the Tetragon construct. */
  const warnings = (stack: ReturnType<typeof buildStack>): string[] =>
    stack.node
      .findAll()
      .filter((n) => n.node.path.endsWith('/tetragon'))
      .flatMap((n) => n.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => String(m.data)));

  test('a deny list that drops a ready-made policy\'s evidence is a synth warning naming the policy, the event and the filter', () => {
    // WHEN: the chart's old deny list, which drops the host and kube-system
    const stack = buildStack({ tetragon: { exportFile: { denyList: [{ namespace: ['', 'kube-system'] }] } } });
    // THEN
    expect(warnings(stack)).toEqual([
      'tetragon.exportFile: the file-monitoring event "a host process (no pod) reads /etc/shadow" is not exported (deny filter {"namespace":["","kube-system"]} matches it): it stays on the node and never reaches the log shipper',
      'tetragon.exportFile: the file-monitoring event "a kube-system pod reads /etc/passwd" is not exported (deny filter {"namespace":["","kube-system"]} matches it): it stays on the node and never reaches the log shipper',
      'tetragon.exportFile: the shell-in-container event "a shell in a kube-system pod" is not exported (deny filter {"namespace":["","kube-system"]} matches it): it stays on the node and never reaches the log shipper',
      'tetragon.exportFile: the pod-instance-metadata-access event "a kube-system pod connects to the instance metadata address" is not exported (deny filter {"namespace":["","kube-system"]} matches it): it stays on the node and never reaches the log shipper',
    ]);
  });

  test('the default lists, and lists that keep every sample, give no warning', () => {
    expect(warnings(defaultStack().stack)).toEqual([]);
    expect(warnings(buildStack({ tetragon: { exportFile: { denyList: [{ namespace: ['scratch'] }] } } }))).toEqual([]);
  });

  test('an unknown filter field is refused at synth, naming the property', () => {
    thrown(() => buildStack({ tetragon: { exportFile: { denyList: [{ namespaces: ['kube-system'] } as never] } } }), /^tetragon\.exportFile\.denyList\[0\]\.namespaces: /);
  });
});
