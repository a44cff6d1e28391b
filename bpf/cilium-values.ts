import { check, ValidationError } from './errors';
import { assertCiliumChartVersion, CiliumChartVersion, DEFAULT_CILIUM_CHART_VERSION } from './versions';
import { JsonObject, toSortedYaml } from './yaml';

/**
 * The Cilium Helm values for an EKS cluster in ENI mode, built as a typed object and serialised
 * once with sorted keys. Pure: testable without synth, and the construct passes the YAML to Helm.
 *
 * Every value set here is a decision with a reason (see ../shared/docs/facts.md):
 * - ENI IPAM + native routing: pods get VPC addresses; tunnel routing with ENI is fatal.
 * - kubeProxyReplacement "true" with an explicit API server host and port 443: there is no
 *   kube-proxy on these clusters, and `auto` only works on kubeadm (cilium #22039, #28882).
 * - WireGuard: node-to-node encryption on UDP 51871.
 * - Hubble TLS by `cronJob`: the `helm` method mints new certificates at every render, so every
 *   Terraform apply would change them.
 */

/** The node taint Cilium's operator removes once the agent on the node is ready. */
export const CILIUM_STARTUP_TAINT = Object.freeze({
  key: 'node.cilium.io/agent-not-ready',
  value: 'true',
  effect: 'NoExecute',
} as const);

/** Hubble metrics enabled by default (Cilium docs, "Hubble metrics"). */
export const DEFAULT_HUBBLE_METRICS: readonly string[] = Object.freeze([
  'dns',
  'drop',
  'tcp',
  'flow',
  'port-distribution',
  'icmp',
  'httpV2:exemplars=true;labelsContext=source_ip,source_namespace,source_workload,destination_ip,destination_namespace,destination_workload,traffic_direction',
]);

/** Operator replicas: two, so an operator restart never stalls IP allocation for new nodes. */
export const DEFAULT_OPERATOR_REPLICAS = 2;

/** A Kubernetes toleration, as the chart passes it through. */
export interface Toleration {
  readonly key?: string;
  readonly operator: 'Exists' | 'Equal';
  readonly value?: string;
  readonly effect?: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

/**
 * The operator's tolerations: the chart's defaults since 1.18 (cilium #40137: control-plane,
 * master, not-ready, uninitialized) plus the Cilium startup taint. In ENI mode an agent waits for
 * the operator to allocate its addresses before it is ready, so on a fresh cluster, where every
 * node carries the startup taint, an operator that does not tolerate it can never be scheduled.
 */
export const OPERATOR_TOLERATIONS: readonly Toleration[] = Object.freeze([
  { key: 'node-role.kubernetes.io/control-plane', operator: 'Exists' },
  { key: 'node-role.kubernetes.io/master', operator: 'Exists' },
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists' },
  { key: 'node.cloudprovider.kubernetes.io/uninitialized', operator: 'Exists' },
  { key: CILIUM_STARTUP_TAINT.key, operator: 'Exists' },
]);

/** A container securityContext that passes the Pod Security Standards `restricted` profile. */
export const RESTRICTED_CONTAINER_SECURITY_CONTEXT = Object.freeze({
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  seccompProfile: { type: 'RuntimeDefault' },
});

export interface HubbleOptions {
  /** Deploy Hubble Relay. @default true */
  readonly relay?: boolean;
  /** Deploy Hubble UI (reachable through a port-forward). @default true */
  readonly ui?: boolean;
  /** Hubble metrics to enable; an empty list turns metrics off. @default DEFAULT_HUBBLE_METRICS */
  readonly metrics?: readonly string[];
}

export interface CiliumValuesOptions {
  /** Cilium chart version the values are for. @default DEFAULT_CILIUM_CHART_VERSION (1.19.6) */
  readonly chartVersion?: string;
  /**
   * Host name of the Kubernetes API server, without scheme: the EKS cluster endpoint's host.
   * May be an unresolved Terraform token.
   */
  readonly k8sServiceHost: string;
  /** API server port. @default 443 */
  readonly k8sServicePort?: number;
  /** AWS region, passed to the operator as `AWS_REGION` (cilium #39307). May be a token. */
  readonly region: string;
  /** Hand out /28 prefixes per ENI slot (Nitro only). @default true */
  readonly prefixDelegation?: boolean;
  /** Transparent encryption between nodes with WireGuard. @default true */
  readonly wireguard?: boolean;
  /** Subnets the operator may create pod ENIs in (the private subnets). @default - the subnet choice of the operator */
  readonly podSubnetIds?: readonly string[];
  /** Hubble relay, UI and metrics. @default - all on, metrics DEFAULT_HUBBLE_METRICS */
  readonly hubble?: HubbleOptions;
  /** cilium-operator replicas. @default 2 */
  readonly operatorReplicas?: number;
}

/** The resolved options: every default applied. */
export interface ResolvedCiliumValuesOptions {
  readonly chartVersion: CiliumChartVersion;
  readonly k8sServiceHost: string;
  readonly k8sServicePort: number;
  readonly region: string;
  readonly prefixDelegation: boolean;
  readonly wireguard: boolean;
  readonly podSubnetIds: readonly string[];
  readonly hubble: Required<HubbleOptions>;
  readonly operatorReplicas: number;
}

const HOSTNAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** Terraform tokens look like `${TfToken[TOKEN.12]}` until synth resolves them. */
const isToken = (s: string): boolean => s.includes('${');

export function resolveCiliumValuesOptions(opts: CiliumValuesOptions): ResolvedCiliumValuesOptions {
  const chartVersion = assertCiliumChartVersion(opts.chartVersion ?? DEFAULT_CILIUM_CHART_VERSION, 'cilium.chartVersion');
  const host = opts.k8sServiceHost;
  if (!isToken(host)) {
    check(!/^[a-z]+:\/\//i.test(host), 'cilium.k8sServiceHost', host, 'a host name without scheme, e.g. ABC.gr7.eu-west-1.eks.amazonaws.com', 'the agent dials host:port itself');
    check(HOSTNAME.test(host), 'cilium.k8sServiceHost', host, 'a DNS host name');
  }
  const port = opts.k8sServicePort ?? 443;
  check(Number.isInteger(port) && port >= 1 && port <= 65535, 'cilium.k8sServicePort', port, 'an integer from 1 to 65535 (443 on EKS)');
  const replicas = opts.operatorReplicas ?? DEFAULT_OPERATOR_REPLICAS;
  check(Number.isInteger(replicas) && replicas >= 1 && replicas <= 5, 'cilium.operatorReplicas', replicas, 'an integer from 1 to 5');
  const metrics = [...(opts.hubble?.metrics ?? DEFAULT_HUBBLE_METRICS)];
  for (const m of metrics) {
    check(/^[a-zA-Z0-9-]+(:.*)?$/.test(m) && !/\s/.test(m), 'cilium.hubble.metrics', m, 'a metric name with optional options, e.g. "drop" or "httpV2:exemplars=true"');
  }
  if (new Set(metrics.map((m) => m.split(':')[0])).size !== metrics.length) {
    throw new ValidationError('cilium.hubble.metrics', metrics, 'each metric at most once');
  }
  return {
    chartVersion,
    k8sServiceHost: host,
    k8sServicePort: port,
    region: opts.region,
    prefixDelegation: opts.prefixDelegation ?? true,
    wireguard: opts.wireguard ?? true,
    podSubnetIds: [...(opts.podSubnetIds ?? [])],
    hubble: { relay: opts.hubble?.relay ?? true, ui: opts.hubble?.ui ?? true, metrics },
    operatorReplicas: replicas,
  };
}

/** Builds the Helm values for the Cilium chart. Throws a {@link ValidationError} on invalid options. */
export function buildCiliumValues(options: CiliumValuesOptions): JsonObject {
  const o = resolveCiliumValuesOptions(options);
  const values: JsonObject = {
    // ENI IPAM with native routing (facts: "Cilium in ENI mode").
    eni: {
      enabled: true,
      awsEnablePrefixDelegation: o.prefixDelegation,
      ...(o.podSubnetIds.length > 0 ? { subnetIDsFilter: [...o.podSubnetIds] } : {}),
    },
    ipam: { mode: 'eni' },
    routingMode: 'native',
    // No kube-proxy on the cluster: the agent must reach the API server directly.
    kubeProxyReplacement: 'true',
    k8sServiceHost: o.k8sServiceHost,
    k8sServicePort: o.k8sServicePort,
    encryption: o.wireguard ? { enabled: true, type: 'wireguard' } : { enabled: false },
    hubble: hubbleValues(o.hubble),
    operator: {
      replicas: o.operatorReplicas,
      // hostNetwork stays the chart default (true): in ENI mode the operator runs before any pod
      // network exists. Its containers still carry a restricted-compliant securityContext.
      podSecurityContext: { runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' } },
      securityContext: { ...RESTRICTED_CONTAINER_SECURITY_CONTEXT, readOnlyRootFilesystem: false },
      extraEnv: [{ name: 'AWS_REGION', value: o.region }],
      tolerations: OPERATOR_TOLERATIONS.map((t) => ({ ...t })),
    },
  };
  return values;
}

function hubbleValues(h: Required<HubbleOptions>): JsonObject {
  const podSecurityContext = { runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, fsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' } };
  return {
    enabled: true,
    // cronJob: certificates are made in the cluster once, not at every render.
    tls: { enabled: true, auto: { enabled: true, method: 'cronJob' } },
    relay: h.relay
      ? { enabled: true, podSecurityContext, securityContext: { ...RESTRICTED_CONTAINER_SECURITY_CONTEXT, runAsUser: 65532, runAsGroup: 65532 } }
      : { enabled: false },
    ui: h.ui
      ? {
          enabled: true,
          service: { type: 'ClusterIP' },
          securityContext: { runAsNonRoot: true, runAsUser: 1001, runAsGroup: 1001, fsGroup: 1001, seccompProfile: { type: 'RuntimeDefault' } },
          frontend: { securityContext: { ...RESTRICTED_CONTAINER_SECURITY_CONTEXT, readOnlyRootFilesystem: false } },
          backend: { securityContext: { ...RESTRICTED_CONTAINER_SECURITY_CONTEXT, readOnlyRootFilesystem: false } },
        }
      : { enabled: false },
    metrics:
      h.metrics.length > 0
        ? { enabled: [...h.metrics], enableOpenMetrics: h.metrics.some((m) => m.includes('exemplars=true')) }
        : { enabled: null },
  };
}

/** The values as YAML with sorted keys: what the Helm release receives and the golden files hold. */
export function renderCiliumValuesYaml(options: CiliumValuesOptions): string {
  return toSortedYaml(buildCiliumValues(options));
}
