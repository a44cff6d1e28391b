import { datapathValues, DatapathOptions, DatapathOptionsSchema, resolveDatapathProfile, ResolvedDatapathProfile } from './datapath';
import { check, ValidationError } from '../core/errors';
import {
  hubbleExportValues,
  hubbleMetricsValues,
  HubbleOptions,
  HubbleOptionsSchema,
  hubbleUiServiceValues,
  resolveHubbleOptions,
  ResolvedHubbleOptions,
} from './hubble';
import {
  assertChartFeature,
  assertCiliumChartVersion,
  assertKubernetesVersion,
  chartHasFeature,
  CiliumChartVersion,
  DEFAULT_CILIUM_CHART_VERSION,
  DEFAULT_KUBERNETES_VERSION,
} from './versions';
import { isRecord } from '../core/json';
import { CRITICAL_ADDONS_TOLERATION } from '../core/k8s';
import { JsonObject, toSortedYaml } from '../core/yaml';
import { bool, declare, format, int, list, optional, parse, strict, string } from '../core/schema';
import { cidr, ec2Id, kubernetesMinor } from '../core/rules';
import { checkCiliumUpgrade, upgradeCompatibilityFor } from './upgrade';
import { clusterMeshValues, ClusterMeshOptions, ClusterMeshOptionsSchema } from './clustermesh';
import { CILIUM_DEFAULT_PRE_ALLOCATE, resolveWarmPool, ResolvedWarmPool, WarmPoolOptions, WarmPoolOptionsSchema } from './ipam';

export { DEFAULT_HUBBLE_METRICS } from './hubble';
export type { HubbleOptions, HubbleFlowExportOptions, HubbleServiceMonitorOptions, HubbleUiAccess, ResolvedHubbleOptions } from './hubble';
export type { DatapathOptions, DatapathPreset, ResolvedDatapathProfile } from './datapath';

/**
 * The Cilium Helm values for an EKS cluster in ENI mode, built as a typed object and serialised
 * once with sorted keys. Pure: testable without synth, and the construct passes the YAML to Helm.
 *
 * Every value set here is a decision with a reason (docs/design.md and docs/reference.md give each one's source):
 * - ENI IPAM + native routing: pods get VPC addresses; tunnel routing with ENI is fatal.
 * - kubeProxyReplacement "true" with an explicit API server host and port 443: there is no
 *   kube-proxy on these clusters, and `auto` only works on kubeadm (cilium #22039, #28882).
 * - WireGuard: node-to-node encryption on UDP 51871.
 * - Hubble TLS by `cronJob`: the `helm` method mints new certificates at every render, so every
 *   Terraform apply would change them.
 * - The datapath profile (datapath.ts, default `performance`) and the Hubble features (hubble.ts)
 *   are resolved for the nodes' kernel (from the Kubernetes version) and the chart version, and
 *   emitted with that chart version's value names.
 * - `egressMasqueradeInterfaces` is never set: AL2023 interfaces are ens5/ens6, not eth0
 *   (cilium #24397), and BPF masquerading refuses it (cilium #21198).
 */

/** The node taint Cilium's operator removes once the agent on the node is ready. */
export const CILIUM_STARTUP_TAINT = Object.freeze({
  key: 'node.cilium.io/agent-not-ready',
  value: 'true',
  effect: 'NoExecute',
} as const);

/** Operator replicas: two, so an operator restart never stalls IP allocation for new nodes. */
export const DEFAULT_OPERATOR_REPLICAS = 2;

/** A Kubernetes toleration, as the chart passes it through (unset fields mean what they mean in the Kubernetes API). */
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
  // The system nodes keep other workloads off with this taint; the operator must run there.
  { ...CRITICAL_ADDONS_TOLERATION },
]);

/** A container securityContext that passes the Pod Security Standards `restricted` profile. */
export const RESTRICTED_CONTAINER_SECURITY_CONTEXT = Object.freeze({
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  seccompProfile: { type: 'RuntimeDefault' },
});

/** The non-root user the project runs Cilium's own images as (the distroless images' `nonroot`). */
export const NONROOT_UID = 65532;

/**
 * A pod securityContext that passes `restricted`: non-root as `uid` (and its group), seccomp
 * `RuntimeDefault`, and `fsGroup` where the pod mounts volumes it must write.
 */
export function restrictedPodSecurityContext(uid: number = NONROOT_UID, options: { fsGroup?: boolean } = {}): JsonObject {
  return {
    runAsNonRoot: true,
    runAsUser: uid,
    runAsGroup: uid,
    ...(options.fsGroup ? { fsGroup: uid } : {}),
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/**
 * WireGuard strict mode: drop unencrypted pod-to-pod traffic to a CIDR. In ENI mode pods have VPC
 * addresses, so the CIDR is the VPC's (or the pod subnets'); every destination in it that is not a
 * Cilium-managed pod of this cluster (databases, VPC endpoints, the API server's ENIs) must be
 * outside it, or its traffic is dropped: an opt-in, never a default.
 */
export interface EncryptionStrictModeOptions {
  /** The IPv4 CIDR whose pod traffic must be encrypted. May be a Terraform token. */
  readonly cidr: string;
  /** Also drop unencrypted pod-to-pod ingress (chart 1.20 with native routing). @default false */
  readonly ingress?: boolean;
}
export const EncryptionStrictModeOptionsSchema = declare<EncryptionStrictModeOptions>()(
  strict({ cidr: cidr(0, 32, 'an IPv4 CIDR (the VPC CIDR in ENI mode)'), ingress: optional(bool()) }, 'WireGuard strict mode options'),
);

/**
 * What {@link buildCiliumValues} needs to write the Cilium chart's Helm values for one EKS
 * cluster: ENI IPAM with native routing, kube-proxy replacement, WireGuard, Hubble and the
 * datapath profile. `CiliumEksCluster` fills it from its `cilium` props; paths in errors are
 * named `cilium.<option>`.
 */
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
  /**
   * With dedicated pod subnets (`podSubnetIds` then names them): the node subnets. Every pod ENI
   * goes to a pod subnet (`eni.nodeSpec.subnetIDs`) and the node's primary ENI carries no pod
   * address (`eni.nodeSpec.firstInterfaceIndex: 1`); the operator's filter keeps both kinds, as
   * the chart asks that every node have an ENI in a filtered subnet. Chart 1.19 or later.
   * @default - pods share the node subnets
   */
  readonly nodeSubnetIds?: readonly string[];
  /** Per-node address watermarks (`ipam.nodeSpec.*`, chart 1.19 or later). @default - from the node shape ({@link resolveWarmPool}) */
  readonly warmPool?: WarmPoolOptions;
  /** The largest kubelet maxPods of the cluster's nodes: the warm pool's defaults follow it. @default - left to the per-instance-type formula */
  readonly nodeMaxPods?: number;
  /** Hubble relay, UI, metrics, flow export and UI access. @default - relay, UI (port-forward), DEFAULT_HUBBLE_METRICS, flow export on */
  readonly hubble?: HubbleOptions;
  /** cilium-operator replicas. @default 2 */
  readonly operatorReplicas?: number;
  /** Kubernetes version of the nodes: selects the AL2023 kernel the datapath is gated on. @default DEFAULT_KUBERNETES_VERSION */
  readonly kubernetesVersion?: string;
  /** Datapath profile (datapath.ts). @default { preset: 'performance' } */
  readonly datapath?: DatapathOptions;
  /** WireGuard strict mode; needs `wireguard`. @default - off */
  readonly encryptionStrictMode?: EncryptionStrictModeOptions;
  /**
   * The chart version running now, during an upgrade. The move to `chartVersion` is refused at
   * synth unless it is one minor step (Cilium upgrade guide), and while the minor changes the
   * values carry `upgradeCompatibility: <its minor>`, which keeps that minor's defaults. Remove it
   * in a later deploy, after reading the new minor's upgrade notes.
   * @default - no upgrade in progress (the plan-time gate still refuses a jump against what runs)
   */
  readonly upgradeFrom?: string;
  /** Cluster Mesh membership ({@link ClusterMeshOptions}; a fleet sets it). @default - not meshed */
  readonly clusterMesh?: ClusterMeshOptions;
}

/** A DNS host name. Case-insensitive: EKS endpoints are upper-case hex (ABCDEF0123456789.gr7.eu-west-1.eks.amazonaws.com). */
const HOSTNAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/i;
const subnetIds = () => optional(list(ec2Id('subnet', 'a subnet ID'), { unique: true, duplicate: 'a subnet not listed before' }));
/** The entries of {@link CiliumValuesOptionsSchema}; the chart version is judged against the supported ones when resolved. */
export const ciliumValuesEntries = {
  chartVersion: optional(string('a Cilium chart version')),
  k8sServiceHost: format('a host name without scheme, e.g. ABC.gr7.eu-west-1.eks.amazonaws.com', (s) => (/^[a-z]+:\/\//i.test(s) ? 'the agent dials host:port itself' : HOSTNAME.test(s))),
  k8sServicePort: optional(int(1, 65535, 'an integer from 1 to 65535 (443 on EKS)')),
  region: string('an AWS region'),
  prefixDelegation: optional(bool()),
  wireguard: optional(bool()),
  podSubnetIds: subnetIds(),
  nodeSubnetIds: subnetIds(),
  warmPool: optional(WarmPoolOptionsSchema),
  nodeMaxPods: optional(int(1, 250)),
  hubble: optional(HubbleOptionsSchema),
  operatorReplicas: optional(int(1, 5)),
  kubernetesVersion: optional(kubernetesMinor()),
  datapath: optional(DatapathOptionsSchema),
  encryptionStrictMode: optional(EncryptionStrictModeOptionsSchema),
  // Judged by checkCiliumUpgrade, whose message names the supported versions.
  upgradeFrom: optional(string('the running chart version, e.g. 1.18.12')),
  clusterMesh: optional(ClusterMeshOptionsSchema),
} as const;
/** The declaration of {@link CiliumValuesOptions}; its paths are named under `cilium`, as the cluster's props name them. */
export const CiliumValuesOptionsSchema = declare<CiliumValuesOptions>()(strict(ciliumValuesEntries, 'Cilium values options { k8sServiceHost, region, chartVersion?, ... }'));

/** The resolved options: every default applied. */
export interface ResolvedCiliumValuesOptions {
  /**
   * The Cilium chart version the values are written for, one of the supported versions
   * (`cilium.chartVersion`, default `DEFAULT_CILIUM_CHART_VERSION`); it gates which keys are
   * written (e.g. `eni.nodeSpec` from 1.19).
   */
  readonly chartVersion: CiliumChartVersion;
  /**
   * Host of the Kubernetes API server (the EKS endpoint's host, possibly a Terraform token),
   * written to the `k8sServiceHost` value: without kube-proxy the agents reach the API server
   * directly, not through the `kubernetes` Service.
   */
  readonly k8sServiceHost: string;
  /** API server port written to `k8sServicePort`: `cilium.k8sServicePort`, or 443. */
  readonly k8sServicePort: number;
  /**
   * AWS region (possibly a token), passed to cilium-operator as the `AWS_REGION` environment
   * variable (`operator.extraEnv`) for its EC2 calls.
   */
  readonly region: string;
  /**
   * Whether the operator attaches /28 IPv4 prefixes instead of single addresses to each ENI slot
   * (`eni.awsEnablePrefixDelegation`): `cilium.prefixDelegation`, or true.
   */
  readonly prefixDelegation: boolean;
  /**
   * Whether node-to-node pod traffic is encrypted with WireGuard (`encryption.enabled`,
   * `encryption.type: wireguard`): `cilium.wireguard`, or true. The datapath profile and strict
   * mode are resolved against it.
   */
  readonly wireguard: boolean;
  /**
   * Subnet ids the operator may create pod ENIs in (`eni.subnetIDsFilter`, together with
   * `nodeSubnetIds`; with `nodeSubnetIds` also `eni.nodeSpec.subnetIDs`). Empty (with no
   * `nodeSubnetIds`): no filter is written and the chart's default, no subnet filter
   * (values.yaml `eni.subnetIDsFilter: []`), applies.
   */
  readonly podSubnetIds: readonly string[];
  /** The node subnets, when pods have subnets of their own. @default - absent: pods share the node subnets */
  readonly nodeSubnetIds?: readonly string[];
  /** The warm pool written to `ipam.nodeSpec` (chart 1.19 or later); on 1.18 Cilium's own defaults (pre-allocate 8, no cap). */
  readonly warmPool: ResolvedWarmPool;
  /** Whether the chart takes `eni.nodeSpec` and `ipam.nodeSpec` (1.19 or later). */
  readonly nodeSpec: boolean;
  /** Hubble with every default applied, written to the `hubble.*` values; see {@link ResolvedHubbleOptions}. */
  readonly hubble: ResolvedHubbleOptions;
  /**
   * cilium-operator replicas (`operator.replicas`): `cilium.operatorReplicas`, or
   * `DEFAULT_OPERATOR_REPLICAS` (2).
   */
  readonly operatorReplicas: number;
  /**
   * Kubernetes minor of the nodes, e.g. `1.34` (`cilium.kubernetesVersion`, or
   * `DEFAULT_KUBERNETES_VERSION`): it selects the AL2023 kernel the datapath profile is gated on.
   */
  readonly kubernetesVersion: string;
  /**
   * The datapath profile resolved for these nodes and this chart; its rows are merged into the
   * values. See {@link ResolvedDatapathProfile}.
   */
  readonly datapath: ResolvedDatapathProfile;
  /**
   * WireGuard strict mode with `ingress` defaulted to false, written to `encryption.strictMode`
   * (1.18's flat keys, or `egress.*`/`ingress.*` from 1.19). Present only with `wireguard`.
   * @default - absent: strict mode off
   */
  readonly encryptionStrictMode?: Required<EncryptionStrictModeOptions>;
  /** `upgradeCompatibility` (the minor upgraded from), during a minor upgrade. @default - absent: no upgrade in progress */
  readonly upgradeCompatibility?: string;
}

/** Applies every default and checks the options against each other, the nodes and the chart version. Throws a {@link ValidationError}. */
export function resolveCiliumValuesOptions(opts: CiliumValuesOptions): ResolvedCiliumValuesOptions {
  parse(CiliumValuesOptionsSchema, opts, 'cilium');
  const chartVersion = assertCiliumChartVersion(opts.chartVersion ?? DEFAULT_CILIUM_CHART_VERSION, 'cilium.chartVersion');
  if (opts.upgradeFrom !== undefined) checkCiliumUpgrade(opts.upgradeFrom, chartVersion);
  const upgradeCompatibility = upgradeCompatibilityFor(opts.upgradeFrom, chartVersion);
  const host = opts.k8sServiceHost;
  const port = opts.k8sServicePort ?? 443;
  const replicas = opts.operatorReplicas ?? DEFAULT_OPERATOR_REPLICAS;
  const wireguard = opts.wireguard ?? true;
  const kubernetesVersion = assertKubernetesVersion(opts.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION, 'kubernetesVersion');
  const datapath = resolveDatapathProfile(opts.datapath ?? {}, { kubernetesVersion, chartVersion, wireguard });
  const strict = opts.encryptionStrictMode;
  if (strict !== undefined) {
    check(wireguard, 'cilium.encryptionStrictMode', strict, 'unset, or wireguard: true', 'strict mode drops what WireGuard did not encrypt');
    if (strict.ingress) assertChartFeature(chartVersion, 'encryptionStrictIngressNativeRouting', 'cilium.encryptionStrictMode.ingress', true);
  }
  const prefixDelegation = opts.prefixDelegation ?? true;
  const nodeSpec = chartHasFeature(chartVersion, 'eniNodeSpec');
  if (opts.nodeSubnetIds !== undefined) {
    assertChartFeature(chartVersion, 'eniNodeSpec', 'podSubnets', 'on');
    if (datapath.settings.masquerade !== 'none') {
      throw new ValidationError(
        'cilium.datapath.masquerade',
        datapath.settings.masquerade,
        "'none' with pod subnets",
        'in ENI mode the native routing CIDR is the VPC\'s primary CIDR, so pod traffic to the pod range would be masqueraded too; with masquerading off (the default) pods keep their own addresses everywhere',
      );
    }
  }
  if (opts.warmPool !== undefined) assertChartFeature(chartVersion, 'eniNodeSpec', 'cilium.warmPool', opts.warmPool);
  const warmPool = nodeSpec
    ? resolveWarmPool(opts.warmPool, { prefixDelegation, maxPods: opts.nodeMaxPods })
    : { preAllocate: CILIUM_DEFAULT_PRE_ALLOCATE, releaseExcess: false, overflow: CILIUM_DEFAULT_PRE_ALLOCATE };
  return {
    chartVersion,
    k8sServiceHost: host,
    k8sServicePort: port,
    region: opts.region,
    prefixDelegation,
    wireguard,
    podSubnetIds: [...(opts.podSubnetIds ?? [])],
    ...(opts.nodeSubnetIds !== undefined ? { nodeSubnetIds: [...opts.nodeSubnetIds] } : {}),
    warmPool,
    nodeSpec,
    hubble: resolveHubbleOptions(opts.hubble, chartVersion),
    operatorReplicas: replicas,
    kubernetesVersion,
    datapath,
    ...(strict !== undefined ? { encryptionStrictMode: { cidr: strict.cidr, ingress: strict.ingress ?? false } } : {}),
    ...(upgradeCompatibility !== undefined ? { upgradeCompatibility } : {}),
  };
}

/** Builds the Helm values for the Cilium chart. Throws a {@link ValidationError} on invalid options. */
export function buildCiliumValues(options: CiliumValuesOptions): JsonObject {
  const o = resolveCiliumValuesOptions(options);
  const values: JsonObject = {
    // ENI IPAM with native routing (facts: "Cilium in ENI mode").
    eni: eniValues(o),
    ipam: { mode: 'eni', ...(o.nodeSpec && Object.keys(warmPoolValues(o.warmPool)).length > 0 ? { nodeSpec: warmPoolValues(o.warmPool) } : {}) },
    routingMode: 'native',
    // No kube-proxy on the cluster: the agent must reach the API server directly.
    kubeProxyReplacement: 'true',
    k8sServiceHost: o.k8sServiceHost,
    k8sServicePort: o.k8sServicePort,
    encryption: encryptionValues(o),
    hubble: hubbleValues(o.hubble),
    // The chart's certificate Job (hubble.tls.auto.method: cronJob) runs while only the system nodes exist.
    certgen: { tolerations: [{ ...CRITICAL_ADDONS_TOLERATION }] },
    operator: {
      replicas: o.operatorReplicas,
      // hostNetwork stays the chart default (true): in ENI mode the operator runs before any pod
      // network exists. Its containers still carry a restricted-compliant securityContext.
      podSecurityContext: restrictedPodSecurityContext(),
      securityContext: { ...RESTRICTED_CONTAINER_SECURITY_CONTEXT, readOnlyRootFilesystem: false },
      extraEnv: [{ name: 'AWS_REGION', value: o.region }],
      tolerations: OPERATOR_TOLERATIONS.map((t) => ({ ...t })),
    },
    // During a minor upgrade: the previous minor's defaults (values.yaml: "helps users upgrading to
    // ensure that the configMap for Cilium will not change critical values").
    ...(o.upgradeCompatibility !== undefined ? { upgradeCompatibility: o.upgradeCompatibility } : {}),
  };
  // The datapath profile owns its keys (bpf.*, loadBalancer.*, bandwidthManager.*, ...); none of
  // them is set above, which the merge asserts.
  const merged = mergeDisjoint(values, datapathValues(o.datapath));
  // Cluster Mesh owns cluster.*, clustermesh.*, tls.ca.* and ipv4NativeRoutingCIDR.
  return options.clusterMesh ? mergeDisjoint(merged, clusterMeshValues(options.clusterMesh, o.chartVersion)) : merged;
}

/**
 * `eni` values: ENI IPAM with prefix delegation, the operator's subnet filter and, with dedicated
 * pod subnets, the per-node ENI spec every agent writes into its CiliumNode (eni.rst, "ENI
 * Allocation Parameters"; chart 1.19+ `eni.nodeSpec`): pod ENIs only in the pod subnets
 * (`subnetIDs`, matched with the node's zone by the operator) and never on eth0
 * (`firstInterfaceIndex: 1`). Managed nodes and Karpenter nodes run the same agent
 * configuration, so both get it.
 */
function eniValues(o: ResolvedCiliumValuesOptions): JsonObject {
  const filter = [...(o.nodeSubnetIds ?? []), ...o.podSubnetIds];
  return {
    enabled: true,
    awsEnablePrefixDelegation: o.prefixDelegation,
    ...(filter.length > 0 ? { subnetIDsFilter: filter } : {}),
    ...(o.warmPool.releaseExcess ? { awsReleaseExcessIPs: true } : {}),
    ...(o.nodeSubnetIds !== undefined ? { nodeSpec: { firstInterfaceIndex: 1, subnetIDs: [...o.podSubnetIds] } } : {}),
  };
}

/** `ipam.nodeSpec`: the warm pool of every node (`spec.ipam.pre-allocate`, `min-allocate`, `max-allocate`); Cilium's own default of pre-allocate left unwritten. */
function warmPoolValues(w: ResolvedWarmPool): JsonObject {
  return {
    ...(w.preAllocate !== CILIUM_DEFAULT_PRE_ALLOCATE ? { ipamPreAllocate: w.preAllocate } : {}),
    ...(w.minAllocate !== undefined ? { ipamMinAllocate: w.minAllocate } : {}),
    ...(w.maxAllocate !== undefined ? { ipamMaxAllocate: w.maxAllocate } : {}),
  };
}

/** Merges `extra` into `base`; a leaf set by both is a programming error. */
function mergeDisjoint(base: JsonObject, extra: JsonObject, path = ''): JsonObject {
  for (const [key, value] of Object.entries(extra)) {
    const existing = base[key];
    if (existing === undefined) {
      base[key] = value;
    } else if (isRecord(existing) && isRecord(value)) {
      mergeDisjoint(existing as JsonObject, value as JsonObject, `${path}${key}.`);
    } else {
      throw new Error(`cilium values: ${path}${key} is set twice`);
    }
  }
  return base;
}

/**
 * `encryption` values. WireGuard strict mode moved between chart versions (values.yaml): 1.18 has
 * `encryption.strictMode.{enabled,cidr,allowRemoteNodeIdentities}`; 1.19 adds
 * `encryption.strictMode.egress.*` (the old keys deprecated) and `ingress.enabled`; 1.20 keeps
 * only `egress.*` and `ingress.*`. `allowRemoteNodeIdentities` is on: values.yaml says it "is
 * required when ... direct routing is used and the node CIDR and pod CIDR overlap", which is
 * always so in ENI mode (nodes and pods take addresses from the same VPC subnets).
 */
function encryptionValues(o: ResolvedCiliumValuesOptions): JsonObject {
  if (!o.wireguard) return { enabled: false };
  const encryption: JsonObject = { enabled: true, type: 'wireguard' };
  const strict = o.encryptionStrictMode;
  if (strict) {
    const egress = { enabled: true, cidr: strict.cidr, allowRemoteNodeIdentities: true };
    encryption.strictMode = chartHasFeature(o.chartVersion, 'encryptionStrictModeEgress')
      ? { egress, ...(strict.ingress ? { ingress: { enabled: true } } : {}) }
      : egress;
  }
  return encryption;
}

function hubbleValues(h: ResolvedHubbleOptions): JsonObject {
  return {
    enabled: true,
    // cronJob: certificates are made in the cluster once, not at every render.
    tls: { enabled: true, auto: { enabled: true, method: 'cronJob' } },
    relay: h.relay
      ? {
          enabled: true,
          podSecurityContext: restrictedPodSecurityContext(NONROOT_UID, { fsGroup: true }),
          securityContext: { ...RESTRICTED_CONTAINER_SECURITY_CONTEXT, runAsUser: NONROOT_UID, runAsGroup: NONROOT_UID },
          tolerations: [{ ...CRITICAL_ADDONS_TOLERATION }],
        }
      : { enabled: false },
    ui: h.ui
      ? {
          enabled: true,
          service: hubbleUiServiceValues(h),
          // The UI images run as 1001 (the chart default).
          securityContext: restrictedPodSecurityContext(1001, { fsGroup: true }),
          frontend: { securityContext: { ...RESTRICTED_CONTAINER_SECURITY_CONTEXT, readOnlyRootFilesystem: false } },
          backend: { securityContext: { ...RESTRICTED_CONTAINER_SECURITY_CONTEXT, readOnlyRootFilesystem: false } },
          tolerations: [{ ...CRITICAL_ADDONS_TOLERATION }],
        }
      : { enabled: false },
    metrics: hubbleMetricsValues(h),
    export: hubbleExportValues(h),
  };
}

/**
 * Values of the pre-flight release of the Cilium upgrade guide ("Running pre-flight check"): the
 * same chart and version as a second Helm release (`cilium-preflight`) with `preflight.enabled`,
 * no agent and no operator, so a DaemonSet pulls the new image on every node before the agents
 * restart. Without kube-proxy the guide adds the API server host and port, as here.
 */
export function buildCiliumPreflightValues(options: CiliumValuesOptions): JsonObject {
  const o = resolveCiliumValuesOptions(options);
  return {
    preflight: { enabled: true },
    agent: false,
    operator: { enabled: false },
    k8sServiceHost: o.k8sServiceHost,
    k8sServicePort: o.k8sServicePort,
  };
}

/** The values as YAML with sorted keys: what the Helm release receives and the golden files hold. */
export function renderCiliumValuesYaml(options: CiliumValuesOptions): string {
  return toSortedYaml(buildCiliumValues(options));
}
