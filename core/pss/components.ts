/**
 * The pod templates of every component the project installs, derived from the Helm values the
 * project sets merged over the chart defaults, so the Pod Security Standards evaluator can be run
 * on what the cluster will actually admit.
 *
 * The chart templates are not part of the project, so each component's pod is modelled here from
 * its template: only the fields a Pod Security Standards check reads (pod and container
 * securityContext, hostNetwork/hostPID/hostIPC, hostPort, probe hosts, volume types, extra
 * containers). Each model names the template it follows and lists, in its `mappings`, which values
 * key becomes which pod field. Templates read:
 *
 * - Cilium chart 1.19.6 (`cilium-1.19.6.tgz` of cilium/charts, the tarball whose values.yaml is in
 *   shared/upstream/cilium/1.19.6): `templates/cilium-operator/deployment.yaml`,
 *   `templates/hubble-relay/deployment.yaml`, `templates/hubble-ui/deployment.yaml`,
 *   `templates/hubble/tls-cronjob/{_job-spec.tpl,job.yaml,cronjob.yaml}`.
 * - Karpenter chart 1.14.1 (aws/karpenter-provider-aws tag v1.14.1):
 *   `charts/karpenter/templates/deployment.yaml`.
 *
 * The chart defaults the models read are embedded ({@link CILIUM_TEMPLATE_DEFAULTS},
 * {@link KARPENTER_TEMPLATE_DEFAULTS}) so this module runs without the upstream files; the tests
 * compare every embedded default with the pinned values.yaml, so a drift fails the build.
 *
 * Not modelled (they add only configMap, secret or projected volumes, which every level allows, or
 * are off by default and unused by the project): etcd, clustermesh, Prometheus TLS, SPIRE sockets
 * beyond the hostPath they mount, standalone Hubble UI certificates beyond the volume source.
 */
import { ValidationError } from '../errors';
import { assertCiliumChartVersion, DEFAULT_CILIUM_CHART_VERSION } from '../versions';
import { mergeHelmValues, valueAt } from '../helm-values';
import { isRecord } from '../json';
import { JsonObject, JsonValue } from '../yaml';
import { Container, ContainerPort, PodSecurityContext, PodSpec, PodTemplateSpec, SecurityContext, Volume } from './types';

/** Workload names of the components: the Deployment, Job or CronJob name in the cluster. */
export const PSS_COMPONENTS = Object.freeze({
  ciliumOperator: 'cilium-operator',
  hubbleRelay: 'hubble-relay',
  hubbleUi: 'hubble-ui',
  /** The chart's certgen Job and CronJob (`hubble.tls.auto.method: cronJob`): one pod spec. */
  hubbleCertgen: 'hubble-generate-certs',
  karpenter: 'karpenter',
  /** The Tetragon operator Deployment (chart `tetragon`, release `tetragon`). */
  tetragonOperator: 'tetragon-operator',
  /** The log shipper DaemonSet (chart `aws-for-fluent-bit`). */
  logShipper: 'aws-for-fluent-bit',
  /** The EBS CSI driver add-on's controller Deployment. */
  ebsCsiController: 'ebs-csi-controller',
  /** The EBS CSI driver add-on's node DaemonSet. */
  ebsCsiNode: 'ebs-csi-node',
} as const);

/** Which chart a values key belongs to. */
export type ChartName = 'cilium' | 'karpenter' | 'tetragon' | 'aws-for-fluent-bit';

/**
 * How the chart template turns a values key into a pod field:
 * - `object`: the whole map is copied (`toYaml`), so any key inside it reaches the pod;
 * - `fields`: the template copies named sub-keys only, so a key the chart's values.yaml does not
 *   list under that path is silently dropped;
 * - `scalar`: a flag or a single value.
 */
export type ValuesRendering = 'object' | 'fields' | 'scalar';

/** One values key and the pod field it becomes. */
export interface ValuesMapping {
  /** Chart whose values the path is in. */
  readonly chart: ChartName;
  /** Dotted values path, e.g. `hubble.relay.podSecurityContext`. */
  readonly valuesPath: string;
  /** Pod-template field it becomes, e.g. `spec.containers[0].securityContext`. */
  readonly podField: string;
  /** How the template copies it. */
  readonly rendering: ValuesRendering;
}

/** A component's pod template, as the cluster will get it, and where each security field comes from. */
export interface ComponentPodTemplate {
  /** Workload name, one of {@link PSS_COMPONENTS} for chart components. */
  readonly component: string;
  /** Where the pod comes from: a chart, a manifest the project writes, or an EKS add-on. */
  readonly source: ChartName | 'project' | 'eks-addon';
  /** Kind of the workload that carries the template. */
  readonly workload: string;
  /** Namespace the workload runs in. */
  readonly namespace: string;
  /** The pod template (`{metadata, spec}`), fit for `evaluatePodSecurity`. */
  readonly template: PodTemplateSpec;
  /** The values keys that decide the security fields of this pod (empty for project manifests). */
  readonly mappings: readonly ValuesMapping[];
}

// ---------------------------------------------------------------------------------------------
// Values helpers

/** Helm's truth: false, 0, '', null, an empty list and an empty map are false (as in `with` / `if`). */
export function helmTruthy(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (isRecord(value)) return Object.keys(value).length > 0;
  return true;
}

/** `{{- with .Values.<path> }}`: the value when Helm-truthy, else undefined. */
function withValue(values: JsonObject, path: string): unknown {
  const v = valueAt(values, path);
  return helmTruthy(v) ? v : undefined;
}

function withObject<T>(values: JsonObject, path: string): T | undefined {
  const v = withValue(values, path);
  if (v === undefined) return undefined;
  if (!isRecord(v)) throw new ValidationError(path, v, 'a map (the chart copies it into the pod as an object)');
  return v as T;
}

function withList<T>(values: JsonObject, path: string): T[] {
  const v = withValue(values, path);
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new ValidationError(path, v, 'a list');
  return v as T[];
}

/** Drops undefined members so a modelled object has only the fields the template renders. */
function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

// ---------------------------------------------------------------------------------------------
// Chart defaults the models read

/**
 * The Cilium 1.19.6 chart defaults every model below reads, copied from its values.yaml
 * (the PSS tests check each leaf against the pinned file).
 */
export const CILIUM_TEMPLATE_DEFAULTS: Readonly<JsonObject> = Object.freeze({
  authentication: { mutual: { spire: { enabled: false } } },
  certgen: { extraVolumes: [], extraVolumeMounts: [] },
  hubble: {
    enabled: true,
    tls: { enabled: true, auto: { enabled: true, method: 'helm', schedule: '0 0 1 */4 *' } },
    relay: {
      enabled: false,
      extraVolumes: [],
      podSecurityContext: { fsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' } },
      securityContext: {
        allowPrivilegeEscalation: false,
        runAsNonRoot: true,
        runAsUser: 65532,
        runAsGroup: 65532,
        seccompProfile: { type: 'RuntimeDefault' },
        capabilities: { drop: ['ALL'] },
      },
      tls: { server: { enabled: false } },
    },
    ui: {
      enabled: false,
      securityContext: { runAsUser: 1001, runAsGroup: 1001, fsGroup: 1001 },
      frontend: { securityContext: { allowPrivilegeEscalation: false }, extraVolumes: [] },
      backend: { securityContext: { allowPrivilegeEscalation: false }, extraVolumes: [] },
      tmpVolume: {},
      standalone: { enabled: false },
    },
  },
  ipv4: { enabled: true },
  kubeConfigPath: '',
  operator: {
    enabled: true,
    hostNetwork: true,
    podSecurityContext: { seccompProfile: { type: 'RuntimeDefault' } },
    securityContext: { capabilities: { drop: ['ALL'] }, allowPrivilegeEscalation: false },
    prometheus: { enabled: true, port: 9963 },
    extraHostPathMounts: [],
    extraVolumes: [],
  },
});

/**
 * The Karpenter 1.14.1 chart defaults the model reads, copied from its values.yaml (checked
 * against the pinned file by the tests).
 */
export const KARPENTER_TEMPLATE_DEFAULTS: Readonly<JsonObject> = Object.freeze({
  podSecurityContext: { fsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' } },
  hostNetwork: false,
  initContainers: {},
  extraVolumes: [],
  controller: {
    securityContext: { appArmorProfile: {}, seLinuxOptions: {}, seccompProfile: {} },
    sidecarContainer: [],
  },
});

/** Karpenter chart versions the model follows. */
export const SUPPORTED_KARPENTER_TEMPLATE_VERSIONS = ['1.14.1'] as const;

// ---------------------------------------------------------------------------------------------
// Cilium chart components

/** `[valuesPath, podField, rendering]` of a Cilium values key. */
type CiliumMapping = readonly [string, string, ValuesRendering?];

/** A Cilium chart workload: the chart installs every component into kube-system. */
function ciliumComponent(component: string, workload: string, labels: Record<string, string>, spec: PodSpec, mappings: readonly CiliumMapping[]): ComponentPodTemplate {
  return {
    component,
    source: 'cilium',
    workload,
    namespace: 'kube-system',
    template: { metadata: { labels }, spec },
    mappings: mappings.map(([valuesPath, podField, rendering]) => ({ chart: 'cilium', valuesPath, podField, rendering: rendering ?? 'object' })),
  };
}

/** The hostPath volumes the operator template adds for `kubeConfigPath`, extra host paths and SPIRE. */
function operatorHostPathVolumes(v: JsonObject): Volume[] {
  const out: Volume[] = [];
  const kubeConfigPath = valueAt(v, 'kubeConfigPath');
  if (helmTruthy(kubeConfigPath)) out.push({ name: 'kube-config', hostPath: { path: String(kubeConfigPath), type: 'FileOrCreate' } });
  for (const m of withList<Record<string, unknown>>(v, 'operator.extraHostPathMounts')) {
    out.push({ name: String(m.name), hostPath: { path: String(m.hostPath) } });
  }
  if (helmTruthy(valueAt(v, 'authentication.mutual.spire.enabled'))) {
    out.push({ name: 'spire-agent-socket', hostPath: { path: '/run/spire/sockets', type: 'DirectoryOrCreate' } });
  }
  return out;
}

/**
 * cilium-operator (templates/cilium-operator/deployment.yaml). With `operator.hostNetwork` the
 * template also publishes the health port (9234) and, with `operator.prometheus.enabled`, the
 * metrics port as `hostPort`s, and points both probes at `127.0.0.1` (`::1` without IPv4).
 */
function ciliumOperator(v: JsonObject): ComponentPodTemplate | undefined {
  if (!helmTruthy(valueAt(v, 'operator.enabled'))) return undefined;
  const hostNetwork = helmTruthy(valueAt(v, 'operator.hostNetwork'));
  const hostPort = (port: number): Partial<ContainerPort> => (hostNetwork ? { hostPort: port } : {});
  const ports: ContainerPort[] = [{ name: 'health', containerPort: 9234, ...hostPort(9234) }];
  if (helmTruthy(valueAt(v, 'operator.prometheus.enabled'))) {
    const port = Number(valueAt(v, 'operator.prometheus.port'));
    ports.push({ name: 'prometheus', containerPort: port, ...hostPort(port), protocol: 'TCP' });
  }
  const probeHost = hostNetwork ? (helmTruthy(valueAt(v, 'ipv4.enabled')) ? '127.0.0.1' : '::1') : undefined;
  const probe = { httpGet: defined({ host: probeHost, path: '/healthz', port: 'health', scheme: 'HTTP' }) };
  const container: Container = defined({
    name: 'cilium-operator',
    ports,
    livenessProbe: probe,
    readinessProbe: probe,
    securityContext: withObject<SecurityContext>(v, 'operator.securityContext'),
  });
  const spec: PodSpec = defined({
    securityContext: withObject<PodSecurityContext>(v, 'operator.podSecurityContext'),
    containers: [container],
    hostNetwork,
    volumes: [
      { name: 'cilium-config-path', configMap: { name: 'cilium-config' } },
      ...operatorHostPathVolumes(v),
      ...withList<Volume>(v, 'operator.extraVolumes'),
    ],
  });
  return ciliumComponent(PSS_COMPONENTS.ciliumOperator, 'Deployment', { 'io.cilium/app': 'operator', name: 'cilium-operator' }, spec, [
    ['operator.podSecurityContext', 'spec.securityContext'],
    ['operator.securityContext', 'spec.containers[0].securityContext'],
    ['operator.hostNetwork', 'spec.hostNetwork, spec.containers[0].ports[*].hostPort, probes httpGet.host', 'scalar'],
    ['operator.prometheus.enabled', 'spec.containers[0].ports[1] (a hostPort with hostNetwork)', 'scalar'],
    ['operator.extraHostPathMounts', 'spec.volumes[*].hostPath'],
    ['operator.extraVolumes', 'spec.volumes'],
  ]);
}

/** hubble-relay (templates/hubble-relay/deployment.yaml); gRPC probes, no host fields. */
function hubbleRelay(v: JsonObject): ComponentPodTemplate | undefined {
  if (!(helmTruthy(valueAt(v, 'hubble.enabled')) && helmTruthy(valueAt(v, 'hubble.relay.enabled')))) return undefined;
  const volumes: Volume[] = [{ name: 'config', configMap: { name: 'hubble-relay-config' } }];
  if (helmTruthy(valueAt(v, 'hubble.tls.enabled'))) volumes.push({ name: 'tls', projected: { sources: [{ secret: { name: 'hubble-relay-client-certs' } }] } });
  volumes.push(...withList<Volume>(v, 'hubble.relay.extraVolumes'));
  const spec: PodSpec = defined({
    securityContext: withObject<PodSecurityContext>(v, 'hubble.relay.podSecurityContext'),
    containers: [defined({ name: 'hubble-relay', securityContext: withObject<SecurityContext>(v, 'hubble.relay.securityContext') })],
    volumes,
  });
  return ciliumComponent(PSS_COMPONENTS.hubbleRelay, 'Deployment', { 'k8s-app': 'hubble-relay' }, spec, [
    ['hubble.relay.podSecurityContext', 'spec.securityContext'],
    ['hubble.relay.securityContext', 'spec.containers[0].securityContext'],
    ['hubble.relay.extraVolumes', 'spec.volumes'],
  ]);
}

/**
 * hubble-ui (templates/hubble-ui/deployment.yaml): frontend (nginx) and backend containers. The
 * pod securityContext is `hubble.ui.securityContext` without its `enabled` key.
 */
function hubbleUi(v: JsonObject): ComponentPodTemplate | undefined {
  const hubbleOn = helmTruthy(valueAt(v, 'hubble.enabled')) || helmTruthy(valueAt(v, 'hubble.ui.standalone.enabled'));
  if (!(hubbleOn && helmTruthy(valueAt(v, 'hubble.ui.enabled')))) return undefined;
  const podSc = withObject<Record<string, unknown>>(v, 'hubble.ui.securityContext');
  const { enabled: _omitted, ...podSecurityContext } = podSc ?? {};
  const tmpVolume = withObject<Record<string, unknown>>(v, 'hubble.ui.tmpVolume') ?? { emptyDir: {} };
  const volumes: Volume[] = [
    { name: 'hubble-ui-nginx-conf', configMap: { name: 'hubble-ui-nginx' } },
    { name: 'tmp-dir', ...tmpVolume },
  ];
  if (helmTruthy(valueAt(v, 'hubble.relay.tls.server.enabled'))) {
    volumes.push({ name: 'hubble-ui-client-certs', projected: { sources: [{ secret: { name: 'hubble-ui-client-certs' } }] } });
  }
  volumes.push(...withList<Volume>(v, 'hubble.ui.frontend.extraVolumes'), ...withList<Volume>(v, 'hubble.ui.backend.extraVolumes'));
  const spec: PodSpec = defined({
    securityContext: podSc === undefined ? undefined : (podSecurityContext as PodSecurityContext),
    containers: [
      defined({ name: 'frontend', securityContext: withObject<SecurityContext>(v, 'hubble.ui.frontend.securityContext') }),
      defined({ name: 'backend', securityContext: withObject<SecurityContext>(v, 'hubble.ui.backend.securityContext') }),
    ],
    volumes,
  });
  return ciliumComponent(PSS_COMPONENTS.hubbleUi, 'Deployment', { 'k8s-app': 'hubble-ui' }, spec, [
    ['hubble.ui.securityContext', 'spec.securityContext (less its `enabled` key)'],
    ['hubble.ui.frontend.securityContext', 'spec.containers[0].securityContext'],
    ['hubble.ui.backend.securityContext', 'spec.containers[1].securityContext'],
    ['hubble.ui.tmpVolume', 'spec.volumes[1] (emptyDir when empty)'],
  ]);
}

/**
 * The chart's certgen pod (templates/hubble/tls-cronjob/_job-spec.tpl), shared by the one-off Job
 * (in 1.19.6 a plain Job named by a checksum, not a Helm hook) and the CronJob. Its securityContext
 * is written in the template, with no values key: pod `seccompProfile: RuntimeDefault`, container
 * `capabilities.drop: [ALL]` and `allowPrivilegeEscalation: false`, no `runAsNonRoot`.
 */
function hubbleCertgen(v: JsonObject): ComponentPodTemplate | undefined {
  const on =
    helmTruthy(valueAt(v, 'hubble.enabled')) &&
    helmTruthy(valueAt(v, 'hubble.tls.enabled')) &&
    helmTruthy(valueAt(v, 'hubble.tls.auto.enabled')) &&
    valueAt(v, 'hubble.tls.auto.method') === 'cronJob';
  if (!on) return undefined;
  const extraVolumes = withList<Volume>(v, 'certgen.extraVolumes');
  const spec: PodSpec = defined({
    securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
    containers: [{ name: 'certgen', securityContext: { capabilities: { drop: ['ALL'] }, allowPrivilegeEscalation: false } }],
    hostNetwork: false,
    volumes: extraVolumes.length > 0 ? extraVolumes : undefined,
  });
  const workload = helmTruthy(valueAt(v, 'hubble.tls.auto.schedule')) ? 'Job, CronJob' : 'Job';
  return ciliumComponent(PSS_COMPONENTS.hubbleCertgen, workload, { 'k8s-app': 'hubble-generate-certs' }, spec, [['certgen.extraVolumes', 'spec.volumes']]);
}

/**
 * The pod templates of the Cilium chart components that the values switch on, modelled from the
 * chart's templates. `projectValues` are the values the project passes (e.g. `buildCiliumValues`);
 * they are merged over {@link CILIUM_TEMPLATE_DEFAULTS}. The agent and envoy DaemonSets are not
 * returned: they are privileged by design (see `KUBE_SYSTEM_PSS_EXCEPTION` in
 * PssNamespace).
 */
export function ciliumComponentPodTemplates(projectValues: JsonObject, chartVersion: string = DEFAULT_CILIUM_CHART_VERSION): ComponentPodTemplate[] {
  assertCiliumChartVersion(chartVersion, 'chartVersion');
  const v = mergeHelmValues(CILIUM_TEMPLATE_DEFAULTS as JsonObject, projectValues);
  return [ciliumOperator(v), hubbleRelay(v), hubbleUi(v), hubbleCertgen(v)].filter((c): c is ComponentPodTemplate => c !== undefined);
}

// ---------------------------------------------------------------------------------------------
// Karpenter chart

/**
 * The Karpenter controller's container securityContext as the 1.14.1 template writes it: fixed
 * fields, plus `appArmorProfile`, `seLinuxOptions` and `seccompProfile` copied one by one from
 * `controller.securityContext` when set. Any other key under `controller.securityContext` is ignored.
 */
export const KARPENTER_CONTROLLER_FIXED_SECURITY_CONTEXT: Readonly<SecurityContext> = Object.freeze({
  privileged: false,
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  runAsUser: 65532,
  runAsGroup: 65532,
  capabilities: { drop: ['ALL'] },
});

/** The sub-keys of `controller.securityContext` the Karpenter template copies. */
export const KARPENTER_CONTROLLER_SECURITY_CONTEXT_FIELDS = ['appArmorProfile', 'seLinuxOptions', 'seccompProfile'] as const;

/** Options of {@link karpenterControllerPodTemplate}. */
export interface KarpenterPodTemplateOptions {
  /** Karpenter chart version. @default '1.14.1' */
  readonly version?: string;
  /** Namespace of the release. @default 'karpenter' */
  readonly namespace?: string;
}

/**
 * The Karpenter controller pod (charts/karpenter/templates/deployment.yaml of v1.14.1) for the
 * values the project passes, merged over {@link KARPENTER_TEMPLATE_DEFAULTS}.
 */
export function karpenterControllerPodTemplate(projectValues: JsonObject, options: KarpenterPodTemplateOptions = {}): ComponentPodTemplate {
  const version = options.version ?? SUPPORTED_KARPENTER_TEMPLATE_VERSIONS[0];
  if (!(SUPPORTED_KARPENTER_TEMPLATE_VERSIONS as readonly string[]).includes(version)) {
    throw new ValidationError('version', version, `one of ${SUPPORTED_KARPENTER_TEMPLATE_VERSIONS.join(', ')}`, 'the pod model follows the templates of these chart versions only');
  }
  const v = mergeHelmValues(KARPENTER_TEMPLATE_DEFAULTS as JsonObject, projectValues);
  const copied = Object.fromEntries(
    KARPENTER_CONTROLLER_SECURITY_CONTEXT_FIELDS.map((f) => [f, withValue(v, `controller.securityContext.${f}`)]).filter(([, x]) => x !== undefined),
  ) as SecurityContext;
  const initContainers = withValue(v, 'initContainers');
  const spec: PodSpec = defined({
    securityContext: withObject<PodSecurityContext>(v, 'podSecurityContext'),
    hostNetwork: helmTruthy(valueAt(v, 'hostNetwork')) ? true : undefined,
    containers: [
      { name: 'controller', securityContext: { ...KARPENTER_CONTROLLER_FIXED_SECURITY_CONTEXT, ...copied } },
      ...withList<Container>(v, 'controller.sidecarContainer'),
    ],
    initContainers: initContainers === undefined ? undefined : (initContainers as Container[]),
    volumes: withValue(v, 'extraVolumes') === undefined ? undefined : withList<Volume>(v, 'extraVolumes'),
  });
  return {
    component: PSS_COMPONENTS.karpenter,
    source: 'karpenter',
    workload: 'Deployment',
    namespace: options.namespace ?? 'karpenter',
    template: { metadata: { labels: { 'app.kubernetes.io/name': 'karpenter' } }, spec },
    mappings: [
      { chart: 'karpenter', valuesPath: 'podSecurityContext', podField: 'spec.securityContext', rendering: 'object' },
      { chart: 'karpenter', valuesPath: 'hostNetwork', podField: 'spec.hostNetwork', rendering: 'scalar' },
      { chart: 'karpenter', valuesPath: 'controller.securityContext', podField: 'spec.containers[0].securityContext (appArmorProfile, seLinuxOptions, seccompProfile only)', rendering: 'fields' },
      { chart: 'karpenter', valuesPath: 'controller.sidecarContainer', podField: 'spec.containers[1..]', rendering: 'object' },
      { chart: 'karpenter', valuesPath: 'initContainers', podField: 'spec.initContainers', rendering: 'object' },
      { chart: 'karpenter', valuesPath: 'extraVolumes', podField: 'spec.volumes', rendering: 'object' },
    ],
  };
}

// ---------------------------------------------------------------------------------------------
// Project manifests

const POD_TEMPLATE_KINDS: Readonly<Record<string, (m: Record<string, unknown>) => unknown>> = {
  Deployment: (m) => valueAt(m, 'spec.template'),
  DaemonSet: (m) => valueAt(m, 'spec.template'),
  StatefulSet: (m) => valueAt(m, 'spec.template'),
  ReplicaSet: (m) => valueAt(m, 'spec.template'),
  Job: (m) => valueAt(m, 'spec.template'),
  CronJob: (m) => valueAt(m, 'spec.jobTemplate.spec.template'),
  Pod: (m) => ({ metadata: m.metadata, spec: m.spec }),
};

/**
 * The pod templates of the workloads among manifests the project writes itself (e.g. the Hubble
 * certificate bootstrap Job), one per workload, named by `metadata.name`. Objects that carry no
 * pod (ConfigMaps, custom resources) are skipped.
 */
export function manifestPodTemplates(manifests: readonly JsonValue[]): ComponentPodTemplate[] {
  return manifests.flatMap((m): ComponentPodTemplate[] => {
    if (!isRecord(m) || typeof m.kind !== 'string') return [];
    const extract = POD_TEMPLATE_KINDS[m.kind];
    if (extract === undefined) return [];
    const template = extract(m);
    const name = valueAt(m, 'metadata.name');
    if (!isRecord(template) || typeof name !== 'string') {
      throw new ValidationError(`manifests[${m.kind}].spec`, template, 'a pod template with metadata.name set');
    }
    const namespace = valueAt(m, 'metadata.namespace');
    return [{
      component: name,
      source: 'project',
      workload: m.kind,
      namespace: typeof namespace === 'string' ? namespace : 'default',
      template: template as PodTemplateSpec,
      mappings: [],
    }];
  });
}

// ---------------------------------------------------------------------------------------------
// Tetragon chart (operator) and the log shipper (aws-for-fluent-bit chart)

/**
 * The Tetragon 1.7.0 chart defaults the operator model reads, copied from its values.yaml
 * (checked against the pinned file by the tests).
 */
export const TETRAGON_TEMPLATE_DEFAULTS: Readonly<JsonObject> = Object.freeze({
  tetragonOperator: {
    enabled: true,
    podSecurityContext: {},
    containerSecurityContext: {
      runAsUser: 65532,
      runAsGroup: 65532,
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    },
    securityContext: {},
    extraVolumes: [],
    prometheus: { enabled: true, port: 2113 },
  },
});

/**
 * The Tetragon operator pod (templates/operator_deployment.yaml). Pod `securityContext` from
 * `tetragonOperator.podSecurityContext`, container from `containerSecurityContext` (values.yaml:
 * "securityContext for the Tetragon Operator Deployment Pods" / "...Pod container"; the deprecated
 * container key `securityContext` is modelled as merged under it). The 1.7.0 template itself is
 * not in the stored snapshots: the older templates read show no hostNetwork, hostPort or hostPath,
 * only the operator ConfigMap volume and `extraVolumes`. The agent DaemonSet is not modelled: it
 * is privileged by design (see `TETRAGON_PSS_EXCEPTION`).
 */
export function tetragonOperatorPodTemplate(projectValues: JsonObject, namespace = 'tetragon'): ComponentPodTemplate | undefined {
  const v = mergeHelmValues(TETRAGON_TEMPLATE_DEFAULTS as JsonObject, projectValues);
  if (!helmTruthy(valueAt(v, 'tetragonOperator.enabled'))) return undefined;
  const deprecated = withObject<SecurityContext>(v, 'tetragonOperator.securityContext') ?? {};
  const container = withObject<SecurityContext>(v, 'tetragonOperator.containerSecurityContext') ?? {};
  const securityContext = { ...deprecated, ...container };
  const spec: PodSpec = defined({
    securityContext: withObject<PodSecurityContext>(v, 'tetragonOperator.podSecurityContext'),
    containers: [
      defined({
        name: 'tetragon-operator',
        securityContext: Object.keys(securityContext).length > 0 ? securityContext : undefined,
        ports: helmTruthy(valueAt(v, 'tetragonOperator.prometheus.enabled')) ? [{ name: 'metrics', containerPort: Number(valueAt(v, 'tetragonOperator.prometheus.port')), protocol: 'TCP' }] : undefined,
      }),
    ],
    volumes: [{ name: 'tetragon-operator-config', configMap: { name: 'tetragon-operator-config' } }, ...withList<Volume>(v, 'tetragonOperator.extraVolumes')],
  });
  const mapping = (valuesPath: string, podField: string): ValuesMapping => ({ chart: 'tetragon', valuesPath, podField, rendering: 'object' });
  return {
    component: PSS_COMPONENTS.tetragonOperator,
    source: 'tetragon',
    workload: 'Deployment',
    namespace,
    template: { metadata: { labels: { 'app.kubernetes.io/name': 'tetragon-operator' } }, spec },
    mappings: [
      mapping('tetragonOperator.podSecurityContext', 'spec.securityContext'),
      mapping('tetragonOperator.containerSecurityContext', 'spec.containers[0].securityContext'),
      mapping('tetragonOperator.securityContext', 'spec.containers[0].securityContext (deprecated, under containerSecurityContext)'),
      mapping('tetragonOperator.extraVolumes', 'spec.volumes'),
    ],
  };
}

/**
 * The aws-for-fluent-bit 0.2.0 chart defaults the shipper model reads, copied from its
 * values.yaml (checked against the pinned file by the tests).
 */
export const LOG_SHIPPER_TEMPLATE_DEFAULTS: Readonly<JsonObject> = Object.freeze({
  podSecurityContext: {},
  containerSecurityContext: {},
  hostNetwork: false,
  volumes: [
    { name: 'varlog', hostPath: { path: '/var/log' } },
    { name: 'varlibdockercontainers', hostPath: { path: '/var/lib/docker/containers' } },
  ],
});

/**
 * The log shipper pod (aws-for-fluent-bit templates/daemonset.yaml): pod securityContext from
 * `podSecurityContext`, container from `containerSecurityContext`, `hostNetwork`, and the
 * configuration ConfigMap plus `volumes`. The liveness probe has no host. Modelled from the
 * chart's values.yaml and its older template (the 0.2.0 template is not in the stored snapshots).
 */
export function logShipperPodTemplate(projectValues: JsonObject, namespace = 'log-shipping'): ComponentPodTemplate {
  // `volumes` is a list: the project's replaces the chart's, as Helm merges.
  const v = mergeHelmValues(LOG_SHIPPER_TEMPLATE_DEFAULTS as JsonObject, projectValues);
  const spec: PodSpec = defined({
    securityContext: withObject<PodSecurityContext>(v, 'podSecurityContext'),
    hostNetwork: helmTruthy(valueAt(v, 'hostNetwork')) ? true : undefined,
    containers: [defined({ name: 'aws-for-fluent-bit', securityContext: withObject<SecurityContext>(v, 'containerSecurityContext') })],
    volumes: [{ name: 'fluentbit-config', configMap: { name: 'aws-for-fluent-bit' } }, ...withList<Volume>(v, 'volumes')],
  });
  const mapping = (valuesPath: string, podField: string, rendering: ValuesRendering = 'object'): ValuesMapping => ({ chart: 'aws-for-fluent-bit', valuesPath, podField, rendering });
  return {
    component: PSS_COMPONENTS.logShipper,
    source: 'aws-for-fluent-bit',
    workload: 'DaemonSet',
    namespace,
    template: { metadata: { labels: { 'app.kubernetes.io/name': 'aws-for-fluent-bit' } }, spec },
    mappings: [
      mapping('podSecurityContext', 'spec.securityContext'),
      mapping('containerSecurityContext', 'spec.containers[0].securityContext'),
      mapping('hostNetwork', 'spec.hostNetwork', 'scalar'),
      mapping('volumes', 'spec.volumes[1..]'),
    ],
  };
}

// ---------------------------------------------------------------------------------------------
// The EBS CSI driver (EKS add-on `aws-ebs-csi-driver`)

/**
 * The EBS CSI driver's pods as the add-on installs them into `kube-system`, modelled from the
 * driver's Helm chart, which the add-on is built from: `aws-ebs-csi-driver` chart 2.64.0 (driver
 * v1.64.0; kubernetes-sigs/aws-ebs-csi-driver commit 429e202e589798e55c0f8ddcc81b2850b7f000d0),
 * `templates/controller.yaml` and `templates/_node.tpl` with the values.yaml defaults. The project
 * sets no add-on configuration, so the defaults are what runs. That the add-on's manifests follow the
 * chart of the same driver version is inferred (EKS does not publish them), and the add-on version
 * is the EKS default for the cluster's Kubernetes version unless `addonVersions.ebsCsiDriver` pins it.
 *
 * - controller: pod `runAsNonRoot`, uid/gid 1000, no pod seccomp profile; the plugin and the
 *   provisioner, attacher, snapshotter and resizer sidecars set seccomp `RuntimeDefault`, a
 *   read-only root and no privilege escalation; the liveness probe only the last two; no container
 *   drops capabilities; one `emptyDir` (the socket).
 * - node: uid 0 (it binds the kubelet's registration and plugin sockets), the plugin `privileged`
 *   (it formats and mounts block devices), host paths for the kubelet, plugin, registration and
 *   device directories and the SELinux files; `hostNetwork` false.
 */
export function ebsCsiPodTemplates(): ComponentPodTemplate[] {
  const sidecar = (name: string, seccomp: boolean): Container => ({
    name,
    securityContext: { ...(seccomp ? { seccompProfile: { type: 'RuntimeDefault' } } : {}), readOnlyRootFilesystem: true, allowPrivilegeEscalation: false },
  });
  const controller: PodSpec = {
    securityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000 },
    containers: [
      sidecar('ebs-plugin', true),
      sidecar('csi-provisioner', true),
      sidecar('csi-attacher', true),
      sidecar('csi-snapshotter', true),
      sidecar('csi-resizer', true),
      sidecar('liveness-probe', false),
    ],
    volumes: [{ name: 'socket-dir', emptyDir: {} }],
  };
  const hostPath = (name: string, path: string): Volume => ({ name, hostPath: { path } });
  const node: PodSpec = {
    securityContext: { runAsNonRoot: false, runAsUser: 0, runAsGroup: 0, fsGroup: 0 },
    containers: [
      { name: 'ebs-plugin', securityContext: { readOnlyRootFilesystem: true, privileged: true } },
      { name: 'node-driver-registrar', securityContext: { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false } },
      { name: 'liveness-probe', securityContext: { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false } },
    ],
    volumes: [
      hostPath('kubelet-dir', '/var/lib/kubelet'),
      hostPath('plugin-dir', '/var/lib/kubelet/plugins/ebs.csi.aws.com/'),
      hostPath('registration-dir', '/var/lib/kubelet/plugins_registry/'),
      hostPath('device-dir', '/dev'),
      hostPath('selinux-sysfs', '/sys/fs/selinux'),
      hostPath('selinux-config', '/etc/selinux/config'),
      { name: 'probe-dir', emptyDir: {} },
    ],
  };
  const component = (name: string, workload: string, spec: PodSpec): ComponentPodTemplate => ({
    component: name,
    source: 'eks-addon',
    workload,
    namespace: 'kube-system',
    template: { metadata: { labels: { app: name } }, spec },
    mappings: [],
  });
  return [component(PSS_COMPONENTS.ebsCsiController, 'Deployment', controller), component(PSS_COMPONENTS.ebsCsiNode, 'DaemonSet', node)];
}
