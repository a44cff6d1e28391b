/**
 * The keys of every props object a user writes, declared once per type as a `KeyTable`
 * (core/props.ts): adding a prop to an interface without adding it here fails type-checking.
 * {@link checkClusterPropsKeys} and {@link checkStackPropsKeys} walk a whole configuration and
 * refuse the first key no table knows, naming it as the user wrote it
 * (`systemNodeGroup.instanceType`, `networkPolicies.namespaces[1].fqdnEgres`).
 */
import type { EncryptionStrictModeOptions, HubbleOptions } from '../bpf/cilium-values';
import type { DatapathOptions } from '../bpf/datapath';
import type { HubbleFlowExportOptions, HubbleServiceMonitorOptions } from '../bpf/hubble';
import { isPlainObject } from '../core/json';
import { checkKnownKeys, forEachItem, keysOf } from '../core/props';
import type { CiliumEksClusterProps, CiliumOptions, NetworkOptions, PodIdentityOptions, SystemNodeGroupOptions } from './cilium-eks-cluster';
import type { CiliumEksStackProps } from './cilium-eks-stack';
import type { AddonVersions, AdminPrincipal, EndpointAccessOptions } from './eks-control-plane';
import type { StorageOptions } from './ebs-csi';
import type { KarpenterOptions } from './karpenter/karpenter';
import type { AllowMissingCiliumStartupTaint } from './karpenter/node-resources';
import { EC2_NODE_CLASS_KEYS, NODE_POOL_KEYS, NODE_POOL_LIMITS_KEYS } from './karpenter/node-resources';
import type { INetwork } from './network';
import type { WorkloadNamespaceOptions } from './network-policies';
import type { CiliumEksSecurityChecksProps } from './security/security-aspect';
import type { MonitoringOptions } from '../bpf/alerts';
import type { LogExportOptions } from './log-shipping/values';
import type { TetragonOptions } from './tetragon/values';

type StackOnly = Omit<CiliumEksStackProps, keyof CiliumEksClusterProps>;
type FqdnEgressOptions = NonNullable<WorkloadNamespaceOptions['fqdnEgress']>[number];

export const CLUSTER_PROPS_KEYS = keysOf<CiliumEksClusterProps>({
  clusterName: true,
  region: true,
  network: true,
  existingNetwork: true,
  systemNodeGroup: true,
  cilium: true,
  karpenter: true,
  networkPolicies: true,
  tags: true,
  kubernetesVersion: true,
  serviceIpv4Cidr: true,
  endpoint: true,
  admins: true,
  deployerAdmin: true,
  logTypes: true,
  logRetentionDays: true,
  addonVersions: true,
  kubernetesUpgradeFrom: true,
  planGates: true,
  tetragon: true,
  logExport: true,
  monitoring: true,
  storage: true,
});
export const STACK_ONLY_PROPS_KEYS = keysOf<StackOnly>({ defaultTags: true, localBackend: true, securityChecks: true });
export const NETWORK_OPTIONS_KEYS = keysOf<NetworkOptions>({ vpcCidr: true, availabilityZoneIds: true, availabilityZones: true, singleNatGateway: true });
export const INETWORK_KEYS = keysOf<INetwork>({ vpcId: true, vpcCidr: true, privateSubnetIds: true, publicSubnetIds: true });
export const SYSTEM_NODE_GROUP_OPTIONS_KEYS = keysOf<SystemNodeGroupOptions>({
  minSize: true,
  desiredSize: true,
  maxSize: true,
  amiType: true,
  instanceTypes: true,
  maxPods: true,
  diskSizeGiB: true,
  volumeKmsKeyArn: true,
  amiReleaseVersion: true,
  dedicated: true,
});
export const CILIUM_OPTIONS_KEYS = keysOf<CiliumOptions>({
  chartVersion: true,
  prefixDelegation: true,
  wireguard: true,
  hubble: true,
  datapath: true,
  encryptionStrictMode: true,
  operatorReplicas: true,
  operatorIdentity: true,
  upgradeFrom: true,
  preflight: true,
  clusterMesh: true,
  allowUntestedKubernetesVersion: true,
});
export const HUBBLE_OPTIONS_KEYS = keysOf<HubbleOptions>({ relay: true, ui: true, metrics: true, openMetrics: true, serviceMonitor: true, flowExport: true, uiAccess: true });
export const HUBBLE_SERVICE_MONITOR_KEYS = keysOf<HubbleServiceMonitorOptions>({ enabled: true, labels: true, interval: true });
export const HUBBLE_FLOW_EXPORT_KEYS = keysOf<HubbleFlowExportOptions>({
  enabled: true,
  filePath: true,
  fileMaxSizeMb: true,
  fileMaxBackups: true,
  allFlows: true,
  fileCompress: true,
  allowList: true,
  denyList: true,
  fieldMask: true,
});
export const DATAPATH_OPTIONS_KEYS = keysOf<DatapathOptions>({
  preset: true,
  base: true,
  hostRouting: true,
  masquerade: true,
  bandwidthManager: true,
  bbr: true,
  loadBalancerAlgorithm: true,
  maglevTableSize: true,
  distributedLRU: true,
  mapDynamicSizeRatio: true,
  clockProbe: true,
  netkit: true,
  socketLbHostNamespaceOnly: true,
  bigTcp: true,
  xdpAcceleration: true,
  dsr: true,
});
export const ENCRYPTION_STRICT_MODE_KEYS = keysOf<EncryptionStrictModeOptions>({ cidr: true, ingress: true });
export const ENDPOINT_ACCESS_KEYS = keysOf<EndpointAccessOptions>({ publicAccess: true, publicAccessCidrs: true });
export const ADMIN_PRINCIPAL_KEYS = keysOf<AdminPrincipal>({ id: true, principalArn: true, formerDeployerAdmin: true });
export const ADDON_VERSIONS_KEYS = keysOf<AddonVersions>({ coredns: true, podIdentityAgent: true, ebsCsiDriver: true });
export const STORAGE_OPTIONS_KEYS = keysOf<StorageOptions>({ defaultStorageClass: true, volumeKmsKeyArn: true });
export const KARPENTER_OPTIONS_KEYS = keysOf<KarpenterOptions>({
  spotServiceLinkedRole: true,
  version: true,
  amiAlias: true,
  maxPods: true,
  rootVolumeSize: true,
  defaultNodePool: true,
  controllerResources: true,
  extraValues: true,
  tags: true,
});
export const NODE_POOL_OPTIONS_KEYS = NODE_POOL_KEYS;
/** What `karpenter.defaultNodePool` takes: the cluster decides the rest. */
export const CLUSTER_NODE_POOL_KEYS = NODE_POOL_OPTIONS_KEYS.filter((k) => !['prefixDelegation', 'maxPods', 'nodeClassName'].includes(k));
/** What `Karpenter.addNodeClass` takes. */
export const ADD_NODE_CLASS_KEYS = EC2_NODE_CLASS_KEYS.filter((k) => !['clusterName', 'nodeRoleName', 'prefixDelegation', 'maxPods'].includes(k));
export const ALLOW_MISSING_TAINT_KEYS = keysOf<AllowMissingCiliumStartupTaint>({ reason: true });
export const CONTROLLER_RESOURCES_KEYS = keysOf<NonNullable<KarpenterOptions['controllerResources']>>({ requests: true, limits: true });
export const NETWORK_POLICIES_KEYS = keysOf<NonNullable<CiliumEksClusterProps['networkPolicies']>>({ namespaces: true });
export const WORKLOAD_NAMESPACE_KEYS = keysOf<WorkloadNamespaceOptions>({
  name: true,
  podSecurity: true,
  defaultDeny: true,
  allowKubeApiserver: true,
  fqdnEgress: true,
  storefrontExample: true,
});
export const FQDN_EGRESS_KEYS = keysOf<FqdnEgressOptions>({ labels: true, fqdns: true, port: true, name: true });
export const POD_IDENTITY_OPTIONS_KEYS = keysOf<PodIdentityOptions>({ namespace: true, serviceAccount: true, policyStatements: true, managedPolicyArns: true });
export const TETRAGON_OPTIONS_KEYS = keysOf<TetragonOptions>({ policies: true, customPolicies: true, exportFile: true });
export const TETRAGON_EXPORT_FILE_KEYS = keysOf<NonNullable<TetragonOptions['exportFile']>>({ enabled: true, maxSizeMb: true, maxBackups: true, allowList: true, denyList: true });
export const LOG_EXPORT_OPTIONS_KEYS = keysOf<LogExportOptions>({ sources: true, retentionDays: true, keepOnDestroy: true });
export const MONITORING_OPTIONS_KEYS = keysOf<MonitoringOptions>({
  prometheusOperator: true,
  labels: true,
  dashboards: true,
  alerts: true,
  policyDropRateThreshold: true,
  dropRateThreshold: true,
});
export const SECURITY_CHECKS_KEYS = keysOf<CiliumEksSecurityChecksProps>({ suppress: true, rules: true });


/**
 * The keys of `cilium` (the given top-level table) and of its Hubble and datapath options, shared by
 * every props type that takes Cilium options; true when `cilium` is an object to look further into.
 */
export function checkCiliumKeys(cilium: unknown, allowed: readonly string[]): cilium is Record<string, unknown> {
  checkKnownKeys(cilium, allowed, 'cilium');
  if (!isPlainObject(cilium)) return false;
  checkKnownKeys(cilium.hubble, HUBBLE_OPTIONS_KEYS, 'cilium.hubble');
  if (isPlainObject(cilium.hubble)) {
    checkKnownKeys(cilium.hubble.serviceMonitor, HUBBLE_SERVICE_MONITOR_KEYS, 'cilium.hubble.serviceMonitor');
    checkKnownKeys(cilium.hubble.flowExport, HUBBLE_FLOW_EXPORT_KEYS, 'cilium.hubble.flowExport');
  }
  checkKnownKeys(cilium.datapath, DATAPATH_OPTIONS_KEYS, 'cilium.datapath');
  return true;
}

/** The keys of a NodePool's options, nested objects included. */
export function checkNodePoolKeys(pool: unknown, allowed: readonly string[], path: string): void {
  checkKnownKeys(pool, allowed, path);
  if (!isPlainObject(pool)) return;
  checkKnownKeys(pool.limits, NODE_POOL_LIMITS_KEYS, `${path}.limits`);
  checkKnownKeys(pool.allowMissingCiliumStartupTaint, ALLOW_MISSING_TAINT_KEYS, `${path}.allowMissingCiliumStartupTaint`);
}

/** The keys of `karpenter` (a {@link KarpenterOptions}), nested objects included. */
export function checkKarpenterKeys(k: unknown, path: string, extra: readonly string[] = []): void {
  checkKnownKeys(k, [...KARPENTER_OPTIONS_KEYS, ...extra], path);
  if (!isPlainObject(k)) return;
  if (k.defaultNodePool !== false) checkNodePoolKeys(k.defaultNodePool, CLUSTER_NODE_POOL_KEYS, `${path}.defaultNodePool`);
  checkKnownKeys(k.controllerResources, CONTROLLER_RESOURCES_KEYS, `${path}.controllerResources`);
}

/** Every key of a {@link CiliumEksClusterProps}, top level and nested; `extra` top-level keys are allowed too. */
export function checkClusterPropsKeys(props: unknown, extra: readonly string[] = []): void {
  checkKnownKeys(props, [...CLUSTER_PROPS_KEYS, ...extra], '');
  if (!isPlainObject(props)) return;
  checkKnownKeys(props.network, NETWORK_OPTIONS_KEYS, 'network');
  if (isPlainObject(props.existingNetwork)) checkKnownKeys(props.existingNetwork, INETWORK_KEYS, 'existingNetwork');
  checkKnownKeys(props.systemNodeGroup, SYSTEM_NODE_GROUP_OPTIONS_KEYS, 'systemNodeGroup');
  checkKnownKeys(props.endpoint, ENDPOINT_ACCESS_KEYS, 'endpoint');
  checkKnownKeys(props.addonVersions, ADDON_VERSIONS_KEYS, 'addonVersions');
  forEachItem(props.admins, 'admins', (a, p) => {
    if (isPlainObject(a)) checkKnownKeys(a, ADMIN_PRINCIPAL_KEYS, p);
  });
  const cilium = props.cilium;
  if (checkCiliumKeys(cilium, CILIUM_OPTIONS_KEYS)) {
    checkKnownKeys(cilium.encryptionStrictMode, ENCRYPTION_STRICT_MODE_KEYS, 'cilium.encryptionStrictMode');
  }
  if (props.karpenter !== false) checkKarpenterKeys(props.karpenter, 'karpenter');
  if (props.tetragon !== false) {
    checkKnownKeys(props.tetragon, TETRAGON_OPTIONS_KEYS, 'tetragon');
    if (isPlainObject(props.tetragon)) checkKnownKeys(props.tetragon.exportFile, TETRAGON_EXPORT_FILE_KEYS, 'tetragon.exportFile');
  }
  if (props.logExport !== false) checkKnownKeys(props.logExport, LOG_EXPORT_OPTIONS_KEYS, 'logExport');
  checkKnownKeys(props.monitoring, MONITORING_OPTIONS_KEYS, 'monitoring');
  if (props.storage !== false) checkKnownKeys(props.storage, STORAGE_OPTIONS_KEYS, 'storage');
  checkNetworkPoliciesKeys(props.networkPolicies, NETWORK_POLICIES_KEYS);
}

/** The keys of `networkPolicies` (top level `allowed`), of each namespace and of each FQDN egress. */
export function checkNetworkPoliciesKeys(policies: unknown, allowed: readonly string[]): void {
  checkKnownKeys(policies, allowed, 'networkPolicies');
  if (!isPlainObject(policies)) return;
  forEachItem(policies.namespaces, 'networkPolicies.namespaces', (ns, p) => {
    checkKnownKeys(ns, WORKLOAD_NAMESPACE_KEYS, p);
    if (isPlainObject(ns)) forEachItem(ns.fqdnEgress, `${p}.fqdnEgress`, (e, q) => checkKnownKeys(e, FQDN_EGRESS_KEYS, q));
  });
}

/** The keys of a stack's `securityChecks` (`false` switches them off and has none). */
export function checkSecurityChecksKeys(securityChecks: unknown): void {
  if (securityChecks !== false) checkKnownKeys(securityChecks, SECURITY_CHECKS_KEYS, 'securityChecks');
}

/** Every key of a {@link CiliumEksStackProps}: the stack's own and the cluster's. */
export function checkStackPropsKeys(props: unknown): void {
  checkClusterPropsKeys(props, STACK_ONLY_PROPS_KEYS);
  if (isPlainObject(props)) checkSecurityChecksKeys(props.securityChecks);
}
