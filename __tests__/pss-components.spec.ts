/**
 * Every pod the project installs, evaluated at `restricted` against the exemption list: a new
 * violation fails, and so does an exemption no finding needs. The security values the project sets
 * are checked against the pinned charts' values.yaml, and the namespace labels of
 * `pssNamespaceManifest` are pinned here.
 */
import { buildCiliumValues } from '../bpf/cilium-values';
import { DEFAULT_KUBERNETES_VERSION } from '../bpf/versions';
import { mergeHelmValues } from '../core/helm-values';
import { ValidationError } from '../core/errors';
import { thrown } from './support/errors';
import { HUBBLE_CERT_BOOTSTRAP_JOB_NAME, hubbleCertBootstrapJob } from '../bpf/hubble-certs';
import { evaluatePodSecurity } from '../core/pss';
import {
  CILIUM_TEMPLATE_DEFAULTS,
  ComponentPodTemplate,
  KARPENTER_CONTROLLER_SECURITY_CONTEXT_FIELDS,
  KARPENTER_TEMPLATE_DEFAULTS,
  PSS_COMPONENTS,
  ciliumComponentPodTemplates,
  ebsCsiPodTemplates,
  helmTruthy,
  karpenterControllerPodTemplate,
  LOG_SHIPPER_TEMPLATE_DEFAULTS,
  logShipperPodTemplate,
  manifestPodTemplates,
  TETRAGON_TEMPLATE_DEFAULTS,
  tetragonOperatorPodTemplate,
} from '../core/pss/components';
import { valueAt } from '../core/helm-values';
import { isRecord } from '../core/json';
import { ComponentFindings, PSS_EXEMPTIONS, staleExemptions, unexemptedFindings, validateExemptions } from '../core/pss/exemptions';
import { DEFAULT_CILIUM_CHART_VERSION } from '../bpf/versions';
import { JsonObject } from '../core/yaml';
import { karpenterSecurityValues } from '../constructs/karpenter/security';
import { KARPENTER_DEFAULT_VERSION } from '../constructs/karpenter/versions';
import { KUBE_SYSTEM_PSS_EXCEPTION, podSecurityLabels, pssNamespaceManifest } from '../core/pss/namespace';
import { upstreamYaml, validateCiliumValues } from './support/upstream';
import { buildTetragonValues, TETRAGON_CHART_VERSION, TETRAGON_NAMESPACE, TETRAGON_PSS_EXCEPTION } from '../constructs/tetragon/values';
import { buildLogShipperValues, LOG_SHIPPER_CHART_VERSION, LOG_SHIPPER_PSS_EXCEPTION, resolveLogExport } from '../constructs/log-shipping/values';

const CILIUM_INPUT = {
  k8sServiceHost: 'abcdef0123456789.gr7.eu-west-1.eks.amazonaws.com',
  region: 'eu-west-1',
  podSubnetIds: ['subnet-0000000a', 'subnet-0000000b'],
};
const CILIUM_VALUES = buildCiliumValues(CILIUM_INPUT);
const KARPENTER_VALUES = karpenterSecurityValues();
const TETRAGON_VALUES = buildTetragonValues({ clusterName: 'demo' });
const SHIPPER_VALUES = buildLogShipperValues({
  region: 'eu-west-1',
  resolved: resolveLogExport({}, 'demo', { 'hubble-flows': '/var/run/cilium/hubble/events.log', 'tetragon-events': '/var/run/cilium/tetragon/tetragon.log' }),
});
/** The version the project's namespaces pin (the default cluster version). */
const VERSION = podSecurityLabels()['pod-security.kubernetes.io/enforce-version'];

const ciliumChartValues = upstreamYaml('cilium', DEFAULT_CILIUM_CHART_VERSION, 'values.yaml') as JsonObject;
const karpenterChartValues = upstreamYaml('karpenter', KARPENTER_DEFAULT_VERSION, 'values.yaml') as JsonObject;
const tetragonChartValues = upstreamYaml('tetragon', TETRAGON_CHART_VERSION, 'values.yaml') as JsonObject;
const shipperChartValues = upstreamYaml('aws-for-fluent-bit', LOG_SHIPPER_CHART_VERSION, 'values.yaml') as JsonObject;
const chartValues = { cilium: ciliumChartValues, karpenter: karpenterChartValues, tetragon: tetragonChartValues, 'aws-for-fluent-bit': shipperChartValues } as const;

function projectComponents(
  ciliumValues: JsonObject = CILIUM_VALUES,
  karpenterValues: JsonObject = KARPENTER_VALUES,
  tetragonValues: JsonObject = TETRAGON_VALUES,
  shipperValues: JsonObject = SHIPPER_VALUES,
): ComponentPodTemplate[] {
  return [
    ...ciliumComponentPodTemplates(ciliumValues),
    karpenterControllerPodTemplate(karpenterValues),
    ...manifestPodTemplates([hubbleCertBootstrapJob({ chartVersion: '1.18.12' })]),
    ...[tetragonOperatorPodTemplate(tetragonValues)].filter((c): c is ComponentPodTemplate => c !== undefined),
    logShipperPodTemplate(shipperValues),
    ...ebsCsiPodTemplates(),
  ];
}

function evaluateAll(components: readonly ComponentPodTemplate[]): ComponentFindings[] {
  return components.map((c) => ({ component: c.component, findings: evaluatePodSecurity(c.template, { level: 'restricted', version: VERSION }) }));
}

/** `[path, value]` of every leaf; an empty map or list is a leaf. */
function leaves(value: unknown, prefix = ''): [string, unknown][] {
  if (isRecord(value) && Object.keys(value).length > 0) {
    return Object.entries(value).flatMap(([k, v]) => leaves(v, prefix === '' ? k : `${prefix}.${k}`));
  }
  return [[prefix, value]];
}

/** Every path in `values` whose last key is a securityContext / podSecurityContext. */
function securityContextPaths(values: unknown, prefix = ''): string[] {
  if (!isRecord(values)) return [];
  return Object.entries(values).flatMap(([k, v]) => {
    const path = prefix === '' ? k : `${prefix}.${k}`;
    return /securityContext$/i.test(k) ? [path] : securityContextPaths(v, path);
  });
}


// ---------------------------------------------------------------------------------------------

describe('components at restricted, held to the exemption list', () => {
  const components = projectComponents();
  const results = evaluateAll(components);

  test('every component the project installs is evaluated', () => {
    expect(components.map((c) => c.component).sort()).toEqual(
      [
        PSS_COMPONENTS.ciliumOperator,
        PSS_COMPONENTS.hubbleRelay,
        PSS_COMPONENTS.hubbleUi,
        PSS_COMPONENTS.hubbleCertgen,
        PSS_COMPONENTS.karpenter,
        HUBBLE_CERT_BOOTSTRAP_JOB_NAME,
        PSS_COMPONENTS.tetragonOperator,
        PSS_COMPONENTS.logShipper,
        PSS_COMPONENTS.ebsCsiController,
        PSS_COMPONENTS.ebsCsiNode,
      ].sort(),
    );
  });

  test.each(components.map((c) => [c.component]))('%s: no finding outside the exemption list', (component) => {
    const r = results.find((x) => x.component === component);
    expect(unexemptedFindings(component, r?.findings ?? [])).toEqual([]);
  });

  test('every exemption still matches a finding', () => {
    expect(staleExemptions(results)).toEqual([]);
  });

  test('the exemption list is well formed, one entry per (component, check)', () => {
    expect(() => validateExemptions(PSS_EXEMPTIONS)).not.toThrow();
    const keys = PSS_EXEMPTIONS.map((e) => `${e.component}/${e.check}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  test('Relay, UI (frontend and backend), Karpenter and the Tetragon operator pass restricted outright', () => {
    for (const name of [PSS_COMPONENTS.hubbleRelay, PSS_COMPONENTS.hubbleUi, PSS_COMPONENTS.karpenter, PSS_COMPONENTS.tetragonOperator]) {
      expect(results.find((r) => r.component === name)?.findings).toEqual([]);
    }
  });

  test('the operator fails only what hostNetwork brings: host namespaces, its host ports and probe hosts', () => {
    const operator = results.find((r) => r.component === PSS_COMPONENTS.ciliumOperator);
    expect(operator?.findings.map((f) => [f.check, f.path])).toEqual([
      ['hostProbesAndHostLifecycle', 'spec.containers[0].livenessProbe.httpGet.host'],
      ['hostPorts', 'spec.containers[0].ports[0].hostPort'],
      ['hostPorts', 'spec.containers[0].ports[1].hostPort'],
      ['hostProbesAndHostLifecycle', 'spec.containers[0].readinessProbe.httpGet.host'],
      ['hostNamespaces', 'spec.hostNetwork'],
    ]);
  });

  test('a new violation is reported; a fixed one makes its exemption stale', () => {
    const loosened = mergeHelmValues(CILIUM_VALUES, { hubble: { relay: { securityContext: { allowPrivilegeEscalation: true } } } });
    const relay = evaluateAll(projectComponents(loosened)).find((r) => r.component === PSS_COMPONENTS.hubbleRelay);
    expect(unexemptedFindings(PSS_COMPONENTS.hubbleRelay, relay?.findings ?? []).map((f) => f.check)).toEqual(['allowPrivilegeEscalation']);

    const noHostNetwork = mergeHelmValues(CILIUM_VALUES, { operator: { hostNetwork: false } });
    const stale = staleExemptions(evaluateAll(projectComponents(noHostNetwork)));
    expect(stale.map((e) => `${e.component}/${e.check}`)).toEqual([
      'cilium-operator/hostNamespaces',
      'cilium-operator/hostPorts',
      'cilium-operator/hostProbesAndHostLifecycle',
    ]);
  });

  test('the log shipper fails only what reading root-owned files on the node brings: host paths and uid 0', () => {
    const shipper = results.find((r) => r.component === PSS_COMPONENTS.logShipper);
    expect([...new Set(shipper?.findings.map((f) => f.check))].sort()).toEqual(['restrictedVolumes', 'runAsNonRoot', 'runAsUser']);
    expect(shipper?.findings.filter((f) => f.check === 'restrictedVolumes').map((f) => f.path)).toEqual(['spec.volumes[1].hostPath', 'spec.volumes[2].hostPath', 'spec.volumes[3].hostPath']);
  });

  test('a new violation of the Tetragon operator or the shipper is reported', () => {
    const privileged = mergeHelmValues(SHIPPER_VALUES, { containerSecurityContext: { privileged: true } });
    const shipper = evaluateAll(projectComponents(CILIUM_VALUES, KARPENTER_VALUES, TETRAGON_VALUES, privileged)).find((r) => r.component === PSS_COMPONENTS.logShipper);
    expect(unexemptedFindings(PSS_COMPONENTS.logShipper, shipper?.findings ?? []).map((f) => f.check)).toEqual(['privileged']);

    const noSeccomp = mergeHelmValues(TETRAGON_VALUES, { tetragonOperator: { podSecurityContext: null, containerSecurityContext: { seccompProfile: null } } });
    const operator = evaluateAll(projectComponents(CILIUM_VALUES, KARPENTER_VALUES, noSeccomp)).find((r) => r.component === PSS_COMPONENTS.tetragonOperator);
    expect(unexemptedFindings(PSS_COMPONENTS.tetragonOperator, operator?.findings ?? []).map((f) => f.check)).toEqual(['seccompProfile_restricted']);
  });

  test('the Tetragon and log-shipping namespaces are the documented privileged exceptions', () => {
    expect(TETRAGON_PSS_EXCEPTION).toMatchObject({ namespace: TETRAGON_NAMESPACE, level: 'privileged' });
    expect(LOG_SHIPPER_PSS_EXCEPTION).toMatchObject({ namespace: 'log-shipping', level: 'privileged' });
    expect(components.find((c) => c.component === PSS_COMPONENTS.tetragonOperator)?.namespace).toBe(TETRAGON_NAMESPACE);
  });

  test('an exemption whose component is no longer installed is stale', () => {
    const noHubble = mergeHelmValues(CILIUM_VALUES, { hubble: { relay: { enabled: false }, ui: { enabled: false }, tls: { auto: { method: 'helm' } } } });
    const names = projectComponents(noHubble).map((c) => c.component);
    expect(names).not.toContain(PSS_COMPONENTS.hubbleRelay);
    expect(names).not.toContain(PSS_COMPONENTS.hubbleUi);
    expect(staleExemptions(evaluateAll(projectComponents(noHubble))).map((e) => e.component)).toEqual([PSS_COMPONENTS.hubbleCertgen]);
  });

  test('every component that fails restricted runs in the namespace of the documented exception, which names it', () => {
    const failing = results.filter((r) => r.findings.length > 0).map((r) => components.find((c) => c.component === r.component));
    expect(failing.map((c) => c?.component)).toContain(PSS_COMPONENTS.ciliumOperator);
    // kube-system, or the namespace of the Tetragon or log-shipping exception, whose workloads name the component.
    const exceptions = [KUBE_SYSTEM_PSS_EXCEPTION, TETRAGON_PSS_EXCEPTION, LOG_SHIPPER_PSS_EXCEPTION];
    for (const c of failing) {
      const exception = exceptions.find((e) => e.namespace === c?.namespace);
      expect([c?.component, exception?.namespace]).toEqual([c?.component, c?.namespace]);
      if (exception !== KUBE_SYSTEM_PSS_EXCEPTION) expect([c?.component, exception?.workloads.some((w) => w.startsWith(`${c?.component} `))]).toEqual([c?.component, true]);
    }
    // Workloads the exception names: the failing Deployments and DaemonSets (Jobs are exempted one by one in PSS_EXEMPTIONS).
    expect(KUBE_SYSTEM_PSS_EXCEPTION.workloads.filter((w) => w.startsWith(`${PSS_COMPONENTS.ciliumOperator} `))).toHaveLength(1);
    expect(components.find((c) => c.component === PSS_COMPONENTS.karpenter)?.namespace).toBe('karpenter');
  });
});

// ---------------------------------------------------------------------------------------------

describe('the values the project sets, against the pinned charts', () => {
  const components = projectComponents();
  const mappings = components.flatMap((c) => c.mappings);

  test('the Cilium values pass the chart schema', () => {
    expect(validateCiliumValues(DEFAULT_CILIUM_CHART_VERSION, CILIUM_VALUES)).toEqual([]);
  });

  test.each([
    ['cilium', CILIUM_TEMPLATE_DEFAULTS],
    ['karpenter', KARPENTER_TEMPLATE_DEFAULTS],
    ['tetragon', TETRAGON_TEMPLATE_DEFAULTS],
    ['aws-for-fluent-bit', LOG_SHIPPER_TEMPLATE_DEFAULTS],
  ] as const)('every %s default the models read equals the pinned values.yaml', (chart, defaults) => {
    for (const [path, value] of leaves(defaults)) {
      expect([path, valueAt(chartValues[chart], path)]).toEqual([path, value]);
    }
  });

  test('every values path a model maps exists in the pinned values.yaml', () => {
    for (const m of mappings) {
      expect([m.chart, m.valuesPath, valueAt(chartValues[m.chart], m.valuesPath) !== undefined]).toEqual([m.chart, m.valuesPath, true]);
    }
  });

  test.each([
    ['cilium', CILIUM_VALUES],
    ['karpenter', KARPENTER_VALUES],
    ['tetragon', TETRAGON_VALUES],
    ['aws-for-fluent-bit', SHIPPER_VALUES],
  ] as const)('every securityContext key %s values set exists at the same path in the chart and reaches the pod', (chart, values) => {
    const paths = securityContextPaths(values);
    expect(paths.length).toBeGreaterThan(0);
    for (const path of paths) {
      // The key is a map in the chart's values.yaml, so the template reads it there.
      expect([path, isRecord(valueAt(chartValues[chart], path))]).toEqual([path, true]);
      const mapping = mappings.find((m) => m.chart === chart && m.valuesPath === path);
      expect([path, mapping?.podField !== undefined]).toEqual([path, true]);
      if (mapping?.rendering === 'fields') {
        // The template copies named sub-keys only: each key set must be one the chart lists.
        const listed = Object.keys(valueAt(chartValues[chart], path) as object);
        for (const key of Object.keys(valueAt(values, path) as object)) {
          expect([path, key, listed.includes(key)]).toEqual([path, key, true]);
        }
      }
    }
  });

  test('a controller.securityContext key the Karpenter template drops is not modelled', () => {
    const pod = karpenterControllerPodTemplate({ controller: { securityContext: { runAsUser: 0, seccompProfile: { type: 'RuntimeDefault' } } } });
    const sc = pod.template.spec?.containers?.[0].securityContext;
    expect(sc?.runAsUser).toBe(65532);
    expect(sc?.seccompProfile).toEqual({ type: 'RuntimeDefault' });
    expect(KARPENTER_CONTROLLER_SECURITY_CONTEXT_FIELDS).toEqual(
      Object.keys(valueAt(karpenterChartValues, 'controller.securityContext') as object),
    );
  });

  test('the project pins restricted values on top of the chart defaults', () => {
    const relay = components.find((c) => c.component === PSS_COMPONENTS.hubbleRelay);
    expect(relay?.template.spec?.securityContext).toEqual(valueAt(CILIUM_VALUES, 'hubble.relay.podSecurityContext'));
    const ui = components.find((c) => c.component === PSS_COMPONENTS.hubbleUi);
    expect(ui?.template.spec?.containers?.map((c) => c.securityContext?.capabilities)).toEqual([{ drop: ['ALL'] }, { drop: ['ALL'] }]);
  });
});

// ---------------------------------------------------------------------------------------------

describe('component models', () => {
  test('mergeHelmValues merges maps, replaces lists and deletes on null', () => {
    expect(mergeHelmValues({ a: { b: 1, c: [1, 2] }, d: 1 }, { a: { c: [3] }, d: null })).toEqual({ a: { b: 1, c: [3] } });
  });

  test('helmTruthy follows Helm', () => {
    expect([{}, [], '', 0, false, null, undefined].map(helmTruthy)).toEqual([false, false, false, false, false, false, false]);
    expect([{ a: 1 }, [0], 'x', 1, true].map(helmTruthy)).toEqual([true, true, true, true, true]);
  });

  test('operator host paths from values reach the pod as hostPath volumes', () => {
    const values = mergeHelmValues(CILIUM_VALUES, { operator: { extraHostPathMounts: [{ name: 'x', hostPath: '/etc/x', mountPath: '/x' }] } });
    const operator = ciliumComponentPodTemplates(values).find((c) => c.component === PSS_COMPONENTS.ciliumOperator);
    const findings = evaluatePodSecurity(operator?.template ?? {}, { version: VERSION });
    expect(unexemptedFindings(PSS_COMPONENTS.ciliumOperator, findings).map((f) => [f.check, f.path])).toEqual([['restrictedVolumes', 'spec.volumes[1].hostPath']]);
  });

  test('chart defaults alone: Hubble UI and Relay are off, the operator pod has no runAsNonRoot', () => {
    const components = ciliumComponentPodTemplates({});
    expect(components.map((c) => c.component)).toEqual([PSS_COMPONENTS.ciliumOperator]);
    const checks = evaluatePodSecurity(components[0].template, { version: VERSION }).map((f) => f.check);
    expect(checks).toContain('runAsNonRoot');
  });

  test('manifestPodTemplates takes the pod of workloads and skips other objects', () => {
    const job = hubbleCertBootstrapJob({ chartVersion: '1.18.12' });
    const templates = manifestPodTemplates([job, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }]);
    expect(templates).toHaveLength(1);
    expect(templates[0]).toMatchObject({ component: HUBBLE_CERT_BOOTSTRAP_JOB_NAME, source: 'project', workload: 'Job', namespace: 'kube-system' });
  });

  test('an unsupported chart version is refused', () => {
    expect(() => ciliumComponentPodTemplates({}, '1.15.0')).toThrow(ValidationError);
    expect(() => karpenterControllerPodTemplate({}, { version: '0.37.0' })).toThrow(/version/);
  });

  test('unexemptedFindings and staleExemptions take a custom list', () => {
    const custom = [{ component: 'app', check: 'runAsNonRoot' as const, reason: 'legacy image' }];
    const findings = evaluatePodSecurity({ containers: [{ name: 'c' }] });
    expect(unexemptedFindings('app', findings, custom).map((f) => f.check)).not.toContain('runAsNonRoot');
    expect(staleExemptions([{ component: 'app', findings: [] }], custom)).toEqual(custom);
    expect(() => validateExemptions([{ component: 'app', check: 'runAsNonRoot', reason: ' ' }])).toThrow(/reason/);
  });
});

// ---------------------------------------------------------------------------------------------

describe('pssNamespaceManifest', () => {
  test('restricted by default, every mode pinned to the cluster version', () => {
    expect(pssNamespaceManifest('karpenter', { labels: { team: 'platform' } })).toEqual({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: 'karpenter',
        labels: {
          team: 'platform',
          'pod-security.kubernetes.io/enforce': 'restricted',
          'pod-security.kubernetes.io/enforce-version': `v${DEFAULT_KUBERNETES_VERSION}`,
          'pod-security.kubernetes.io/audit': 'restricted',
          'pod-security.kubernetes.io/audit-version': `v${DEFAULT_KUBERNETES_VERSION}`,
          'pod-security.kubernetes.io/warn': 'restricted',
          'pod-security.kubernetes.io/warn-version': `v${DEFAULT_KUBERNETES_VERSION}`,
        },
      },
    });
  });

  test('level and version are taken as given; the version follows kubernetesVersion', () => {
    const labels = pssNamespaceManifest('ci', { level: 'baseline', version: 'v1.33' }).metadata.labels ?? {};
    expect(labels['pod-security.kubernetes.io/warn']).toBe('baseline');
    expect(labels['pod-security.kubernetes.io/audit-version']).toBe('v1.33');
    expect(podSecurityLabels({ kubernetesVersion: '1.36' })['pod-security.kubernetes.io/enforce-version']).toBe('v1.36');
  });

  test.each([
    ['name', () => pssNamespaceManifest('Karpenter')],
    ['name', () => pssNamespaceManifest('a'.repeat(64))],
    ['version', () => pssNamespaceManifest('x', { version: 'latest' })],
    ['version', () => pssNamespaceManifest('x', { version: '1.34' })],
    ['level', () => pssNamespaceManifest('x', { level: 'strict' as unknown as 'restricted' })],
    ['kubernetesVersion', () => pssNamespaceManifest('x', { kubernetesVersion: '1.20' })],
    ['labels["pod-security.kubernetes.io/enforce"]', () => pssNamespaceManifest('x', { labels: { 'pod-security.kubernetes.io/enforce': 'privileged' } })],
    ['labels["bad key!"]', () => pssNamespaceManifest('x', { labels: { 'bad key!': 'v' } })],
    ['labels["app"]', () => pssNamespaceManifest('x', { labels: { app: 'my app' } })],
    ['lables', () => pssNamespaceManifest('x', { lables: { app: 'shop' } } as never)],
  ])('%s is validated (case %#)', (property, fn) => {
    expect(thrown(fn).property).toBe(property);
  });
});
