/**
 * cilium-eks: the public API. Everything a platform team imports is named here; modules not
 * re-exported from this file are internal and may change without notice.
 */

// ---- Stack and cluster -------------------------------------------------------------------------
export { CiliumEksStack } from './constructs/cilium-eks-stack';
export type { CiliumEksStackProps } from './constructs/cilium-eks-stack';
export { CiliumEksCluster } from './constructs/cilium-eks-cluster';
export type { CiliumEksClusterProps, CiliumOptions, ConfigureStackOptions, ControlPlaneOptions, NetworkOptions, PodIdentityOptions, SystemNodeGroupOptions } from './constructs/cilium-eks-cluster';
export type { IamConditionValue, IamConditionValues, IamPolicyDocument, IamStatement } from './core/iam';

// ---- AWS building blocks -------------------------------------------------------------------------
export { CiliumEksNetwork, DEFAULT_VPC_CIDR } from './constructs/network';
export type { CiliumEksNetworkProps, INetwork } from './constructs/network';
export { CiliumEksPodSubnets, POD_SUBNET_TAG_KEY } from './constructs/pod-subnets';
export type { CiliumEksPodSubnetsProps, PodSubnetZone } from './constructs/pod-subnets';
export { EKS_UNSUPPORTED_ZONE_IDS, EKS_ZONE_COUNT_LIMITS, assertZoneIdOfRegion, zoneIdPrefix } from './core/zones';
export { partitionContext, servicePrincipal, PARTITION_DNS_SUFFIX } from './core/partition';
export type { PartitionContext } from './core/partition';
export { awsContext } from './constructs/aws-context';
export type { AwsContext } from './constructs/aws-context';
export { EbsCsiDriver, EBS_CSI_ADDON_NAME, EBS_CSI_CONTROLLER_SERVICE_ACCOUNT, EBS_CSI_MANAGED_POLICY, DEFAULT_STORAGE_CLASS_NAME, ebsCsiKmsStatements } from './constructs/ebs-csi';
export type { EbsCsiDriverProps, StorageOptions } from './constructs/ebs-csi';
export { CRITICAL_ADDONS_ONLY_TAINT, CRITICAL_ADDONS_TOLERATION } from './core/k8s';
export { EksControlPlane, ALL_CONTROL_PLANE_LOG_TYPES, DEFAULT_SERVICE_IPV4_CIDR } from './constructs/eks-control-plane';
export type { AddonVersions, AdminPrincipal, ControlPlaneLogType, EksControlPlaneProps, EndpointAccessOptions } from './constructs/eks-control-plane';
export { CiliumOperatorIdentity, OperatorIdentityMode, ciliumOperatorPolicyStatements, CILIUM_OPERATOR_EC2_ACTIONS } from './constructs/cilium-operator-identity';
export type { CiliumOperatorEc2Action, CiliumOperatorIdentityProps, CiliumOperatorPolicyContext } from './constructs/cilium-operator-identity';
export { SystemNodeGroup, AL2023_AMI_TYPES, SYSTEM_NODE_LABEL } from './constructs/system-node-group';
export type { Al2023AmiType, NodeSizes, SystemNodeGroupProps } from './constructs/system-node-group';
export { CiliumNodeSecurityGroup, CILIUM_NODE_PORTS } from './constructs/node-security-group';
export type { CiliumNodeSecurityGroupProps } from './constructs/node-security-group';
export { NodeRole, NODE_MANAGED_POLICIES } from './constructs/node-role';
export type { NodeRoleProps } from './constructs/node-role';
export { configureKubernetesProviders, kubernetesAccess } from './constructs/kubernetes-access';
export type { EksClusterEndpoint, KubernetesAccess } from './constructs/kubernetes-access';

// ---- Kubernetes side -----------------------------------------------------------------------------
export { CiliumRelease } from './constructs/cilium-release';
export type { CiliumReleaseProps } from './constructs/cilium-release';
export { ManifestRelease } from './constructs/manifest-release';
export type { ManifestReleaseProps } from './constructs/manifest-release';
export { NetworkPolicies } from './constructs/network-policies';
export type { NetworkPoliciesProps, WorkloadNamespaceOptions } from './constructs/network-policies';
export { PssNamespace } from './constructs/pss-namespace';
export type { PssNamespaceProps } from './constructs/pss-namespace';
export { pssNamespaceManifest, podSecurityLabels, KUBE_SYSTEM_PSS_EXCEPTION, POD_SECURITY_EXCEPTION_ANNOTATION } from './core/pss/namespace';
export type { PodSecurityLevel, PodSecurityOptions, PssNamespaceException, PssNamespaceOptions } from './core/pss/namespace';

// ---- Security baseline -----------------------------------------------------------------------------
export { CiliumEksSecurityChecks, SECURITY_ANNOTATION_PREFIX } from './constructs/security/security-aspect';
export type { CiliumEksSecurityChecksProps, SecurityCheckResult } from './constructs/security/security-aspect';
export { SECURITY_RULES } from './constructs/security/rules';
export type { SecurityRuleId } from './constructs/security/rules';
export type { RuleCompliance, RuleContext, RuleLevel, RuleResult, SecurityRule, SynthesizedConfig, SynthesizedResource } from './constructs/security/rule';
export { PSS_EXEMPTIONS } from './core/pss/exemptions';
export type { PssExemption } from './core/pss/exemptions';

// ---- Karpenter -----------------------------------------------------------------------------------
export { Karpenter, KARPENTER_NAMESPACE, SPOT_SERVICE_LINKED_ROLE_MODES, SPOT_SERVICE_LINKED_ROLE_NAME } from './constructs/karpenter/karpenter';
export type { KarpenterClusterInfo, KarpenterNodeClassOptions, KarpenterNodePoolOptions, KarpenterOptions, KarpenterProps, SpotServiceLinkedRole } from './constructs/karpenter/karpenter';
export { buildEc2NodeClass, buildNodePool } from './constructs/karpenter/node-resources';
export type {
  AllowMissingCiliumStartupTaint,
  Architecture,
  CapacityType,
  ConsolidationPolicy,
  Ec2NodeClass,
  Ec2NodeClassOptions,
  KarpenterIpamOptions,
  NodePool,
  NodePoolLimits,
  NodePoolOptions,
  NodeSelectorRequirement,
  Quantity,
  RequirementOperator,
  Taint,
  TaintEffect,
} from './constructs/karpenter/node-resources';
export { KARPENTER_DEFAULT_VERSION, SUPPORTED_KARPENTER_VERSIONS } from './constructs/karpenter/versions';

// ---- bpf/: the datapath as pure code ----------------------------------------------------------------
export { ValidationError } from './core/errors';
export { buildCiliumValues, renderCiliumValuesYaml, CILIUM_STARTUP_TAINT } from './bpf/cilium-values';
export type { CiliumValuesOptions, EncryptionStrictModeOptions, ResolvedCiliumValuesOptions } from './bpf/cilium-values';
export type { HubbleFlowExportOptions, HubbleOptions, HubbleServiceMonitorOptions, HubbleUiAccess, ResolvedHubbleOptions } from './bpf/hubble';
export { HUBBLE_METRIC_CONTEXTS, HUBBLE_METRIC_LABELS, metricContextLabels, UNBOUNDED_METRIC_LABELS } from './bpf/hubble';
export {
  assertHubbleFlowFilters,
  DEFAULT_HUBBLE_EXPORT_ALLOW_LIST,
  HUBBLE_FLOW_FILTER_FIELDS,
  hubbleExportDecision,
  hubbleFilterMatches,
  hubbleFilterStrings,
  MONITOR_MESSAGE_TYPES,
} from './bpf/hubble-export-filter';
export type { HubbleFlowFilter } from './bpf/hubble-export-filter';
export { HUBBLE_FLOW_SAMPLES } from './bpf/hubble-flow-samples';
export type { HubbleFlowSample } from './bpf/hubble-flow-samples';
export { resolveDatapathProfile, renderDatapathProfileTable } from './bpf/datapath';
export type {
  DatapathContext,
  DatapathHelmValue,
  DatapathOptions,
  DatapathPreset,
  DatapathRow,
  DatapathSettings,
  LoadBalancerAlgorithm,
  MasqueradeMode,
  ResolvedDatapathProfile,
  ResolvedDatapathSettings,
} from './bpf/datapath';
export {
  DEFAULT_CILIUM_CHART_VERSION,
  DEFAULT_KUBERNETES_VERSION,
  SUPPORTED_CILIUM_CHART_VERSIONS,
  SUPPORTED_KUBERNETES_VERSIONS,
  al2023Kernel,
} from './bpf/versions';
export type { CiliumChartVersion, KernelVersion } from './bpf/versions';
export { resolveMaxPods, addressablePods, formatCapacityPlan, planCapacity, resolveWarmPool } from './bpf/ipam';
export { synthSummary } from './constructs/synth-summary';
export type { SynthSummaryOptions } from './constructs/synth-summary';
export type {
  AddressRange,
  CapacityPlan,
  CapacityPlanError,
  CapacityPlanInput,
  FirstInterfaceIndex,
  IpamOptions,
  MaxPodsOptions,
  NodeAddressDemand,
  NodeShape,
  PlanZone,
  ResolvedWarmPool,
  SubnetSpace,
  WarmPoolOptions,
  ZoneCapacity,
} from './bpf/ipam';
export { DEFAULT_POD_CIDR } from './bpf/pod-subnets';
export type { Ipv4Cidr } from './core/cidr';
export type { ExistingPodSubnet, PodSubnetLayout, PodSubnetPlacement, PodSubnetSpec, PodSubnetsOptions, PrefixReservationSize } from './bpf/pod-subnets';
export type { EniLimits } from './core/instance-types';
export type { JsonObject, JsonPrimitive, JsonValue } from './core/yaml';
export type { KubernetesManifest } from './core/k8s';
export * from './bpf/policy';
export * from './core/pss';

// ---- simplify (issue 13): Helm values sources the security checks read ------------------------------
export { isHelmValuesSource } from './constructs/helm-values-source';
export type { IHelmValuesSource } from './constructs/helm-values-source';
export { UNREADABLE_ANNOTATION_ID } from './constructs/security/security-aspect';
export { helmReleaseValues } from './constructs/security/parse';
export type { HelmValuesReading } from './constructs/security/parse';
export { podIdentityRole } from './constructs/pod-identity';
export type { PodIdentityPolicyAttachment, PodIdentityRole, PodIdentityRoleProps } from './constructs/pod-identity';
export type { DatapathSettingName } from './bpf/datapath';

// ---- Day 2: destroy (issue 14) -------------------------------------------------------------------
export {
  DEFAULT_TERMINATION_GRACE_PERIOD,
  durationSeconds,
  nodePoolDestroyBudget,
  nodeResourcesReleaseTimeoutSeconds,
} from './constructs/karpenter/destroy-budget';
export type { NodePoolDestroyBudget } from './constructs/karpenter/destroy-budget';
// ---- Day 2: upgrades and node settings (issue 14) ------------------------------------------------
export { PlanGate, guard, versionStepCheck } from './constructs/plan-gate';
export type { PlanCheck, PlanGateProps, PlanReading, RunningObjectOptions, RunningObjectsOptions, VersionStepCheckOptions } from './constructs/plan-gate';
export { versionStep, parseMinor, VERSION_MINOR_PATTERN } from './core/version-step';
export type { MinorVersion, VersionStepResult, VersionStepRule } from './core/version-step';
export {
  CILIUM_STEP_RULE,
  KUBERNETES_STEP_RULE,
  checkCiliumUpgrade,
  checkKubernetesUpgrade,
  ciliumVersionOfMinor,
  datapathUpgradeChanges,
  kernelUpgradeWarnings,
  kubernetesVersionOfMinor,
  minorLine,
  upgradeCompatibilityFor,
} from './bpf/upgrade';
export type { DatapathUpgradeChange, FixedDatapathSetting, KernelUpgradeContext } from './bpf/upgrade';
export { buildCiliumPreflightValues } from './bpf/cilium-values';
export { al2023AmiSsmParameter, systemNodeConfig, MAX_PODS_EXPRESSION_RELEASE } from './constructs/system-node-group';
export type { NodeClusterDetails, SystemNodeConfigOptions } from './constructs/system-node-group';
export { KARPENTER_CRD_CHART_NAME, DEFAULT_AL2023_AMI_VERSION } from './constructs/karpenter/versions';

// ---- Names, limits, identities and validation (issue 12) ---------------------------------------------
export { AWS_NAME_LIMITS, clusterNames, fitName, NAME_HASH_LENGTH } from './core/names';
export type { AwsNameKind, AwsNameLimit } from './core/names';
export { AWS_REGIONS, partitionOf } from './core/regions';
export type { AwsPartition } from './core/regions';
export { instanceTypeInfo, INSTANCE_TYPE_TABLE_SOURCE } from './core/instance-types';
export type { InstanceTypeInfo } from './core/instance-types';


// ---- Cluster Mesh fleet (issue 15) -----------------------------------------------------------------
export { CiliumEksFleet } from './constructs/fleet/cilium-eks-fleet';
export type { CiliumEksFleetProps, FleetClusterOptions } from './constructs/fleet/cilium-eks-fleet';
export { CiliumEksFleetStack } from './constructs/fleet/cilium-eks-fleet-stack';
export type { CiliumEksFleetStackProps } from './constructs/fleet/cilium-eks-fleet-stack';
export { FleetCa, DEFAULT_FLEET_CA_VALIDITY_DAYS } from './constructs/fleet/fleet-ca';
export type { FleetCaOptions, FleetCaProps, FleetCaRotation, FleetCaSource } from './constructs/fleet/fleet-ca';
export { ClusterMeshEndpoint } from './constructs/fleet/clustermesh-endpoint';
export {
  LoadBalancerController,
  LOAD_BALANCER_CONTROLLER_CHART_VERSION,
  loadBalancerControllerStatements,
  loadBalancerControllerValues,
  clusterMeshTargetGroupBinding,
} from './constructs/fleet/load-balancer-controller';
export type { LoadBalancerControllerHost, LoadBalancerControllerProps, LoadBalancerControllerValuesOptions } from './constructs/fleet/load-balancer-controller';
export type { ClusterMeshEndpointProps } from './constructs/fleet/clustermesh-endpoint';
export { ProviderAssignment } from './constructs/fleet/providers';
export type { ClusterProviders } from './constructs/fleet/providers';
export { FleetTransitGateway } from './constructs/fleet/transit-gateway';
export type { FleetTransitGatewayProps, FleetVpc } from './constructs/fleet/transit-gateway';
export type { FleetAccountOptions } from './constructs/fleet/accounts';
export {
  connectivityWarnings,
  CONNECTIVITY_QUOTAS,
  DEFAULT_FLEET_CONNECTIVITY,
  FLEET_CONNECTIVITY,
  MAX_PEERING_FLEET_CLUSTERS,
  PEERING_RECOMMENDED_MAX_CLUSTERS,
  planFleetNetwork,
  transitGatewayAsn,
} from './bpf/fleet-network';
export type {
  FleetConnectivity,
  FleetNetworkMember,
  FleetNetworkPlan,
  PeeringConnectionSpec,
  PeeringPlan,
  RouteTarget,
  TgwPeeringSpec,
  TgwRouteSpec,
  TgwVpcAttachmentSpec,
  TransitGatewayPlan,
  TransitGatewaySpec,
  VpcRouteSpec,
} from './bpf/fleet-network';
export {
  clusterMeshValues,
  validateFleet,
  coveringCidr,
  peersOf,
  pairsOf,
  CLUSTERMESH_APISERVER_NODE_PORT,
  CLUSTERMESH_APISERVER_PORT,
  CLUSTERMESH_CHART_VERSIONS,
  DEFAULT_CLUSTERMESH_APISERVER_REPLICAS,
  DEFAULT_CLUSTERMESH_DOMAIN,
  DEFAULT_MAX_CONNECTED_CLUSTERS,
  MAX_FLEET_CLUSTERS,
} from './bpf/clustermesh';
export type { ClusterMeshCa, ClusterMeshOptions, ClusterMeshPeer, FleetMemberSpec, MaxConnectedClusters } from './bpf/clustermesh';
export { fleetMtu, INTER_REGION_PEERING_MTU, JUMBO_MTU, TRANSIT_GATEWAY_MTU, WIREGUARD_OVERHEAD } from './bpf/mtu';
export type { FleetMtu, FleetPathShape } from './bpf/mtu';
export { anyClusterPeer, CLUSTER_LABEL, clusterPeer, globalService, globalServiceAnnotations, inAnyCluster, inCluster } from './bpf/policy/clustermesh';
export type { GlobalServiceAffinity, GlobalServiceOptions } from './bpf/policy/clustermesh';
// ---- Runtime security, off-node evidence and alerts (issue 17) --------------------------------------
export * from './bpf/tracing';
export { Tetragon } from './constructs/tetragon/tetragon';
export type { TetragonProps } from './constructs/tetragon/tetragon';
export {
  buildTetragonValues,
  resolveTetragonOptions,
  DEFAULT_TETRAGON_POLICIES,
  TETRAGON_CHART_VERSION,
  TETRAGON_EXPORT_FILE,
  TETRAGON_NAMESPACE,
  TETRAGON_OPERATOR_POD_SECURITY_CONTEXT,
  TETRAGON_PSS_EXCEPTION,
} from './constructs/tetragon/values';
export type { ResolvedTetragonOptions, TetragonOptions, TetragonValuesInput } from './constructs/tetragon/values';
export { LogShipping, escapeTerraformInterpolation, escapeTerraformInterpolationDeep, LOG_EXPORT_TERRAFORM_VERSION } from './constructs/log-shipping/log-shipping';
export { CLOUDWATCH_LOGS_PRICES, estimateExportCost, exampleScenario, renderExportCostTable } from './constructs/log-shipping/cost';
export type { ExportCost, ExportCostInput, ShippedLine } from './constructs/log-shipping/cost';
export type { LogShippingProps } from './constructs/log-shipping/log-shipping';
export {
  buildLogShipperValues,
  clusterLogGroupPrefix,
  clusterLogGroupsArnPattern,
  evidenceKeyTemplate,
  ON_DESTROY_TAG,
  fluentBitPipeline,
  logGroupName,
  logsKmsKeyPolicy,
  logShipperStatements,
  resolveLogExport,
  CLOUDWATCH_LOG_RETENTION_DAYS,
  DEFAULT_LOG_EXPORT_RETENTION_DAYS,
  LOG_SHIPPER_CHART,
  LOG_SHIPPER_CHART_VERSION,
  LOG_SHIPPER_NAMESPACE,
  LOG_SHIPPER_PSS_EXCEPTION,
  LOG_SHIPPER_SERVICE_ACCOUNT,
  LOG_SOURCE_KINDS,
} from './constructs/log-shipping/values';
export type { LogExportOptions, LogGroupContext, LogShipperValuesInput, LogSourceFiles, LogSourceKind, ResolvedLogExport } from './constructs/log-shipping/values';
export { ciliumAlertRules, ciliumMonitoringValues, ciliumPrometheusRule, resolveMonitoringOptions } from './bpf/alerts';
export type { AlertRule, MonitoringOptions, ResolvedMonitoringOptions } from './bpf/alerts';

// ---- Migration from VPC-CNI (issue 16) ------------------------------------------------------------
export { CiliumMigrationStack } from './constructs/migration/cilium-migration-stack';
export type { CiliumMigrationStackProps } from './constructs/migration/cilium-migration-stack';
export { CiliumMigration, DEFAULT_CILIUM_NODE_GROUPS, MIGRATION_RECORD } from './constructs/migration/cilium-migration';
export type { CiliumMigrationProps, CiliumNodeGroupOptions, MigrationCiliumOptions, OldNodeGroupOptions } from './constructs/migration/cilium-migration';
export { OldNodeGroup, DEFAULT_DRAIN_TIMEOUT } from './constructs/migration/old-node-group';
export type { OldNodeGroupProps } from './constructs/migration/old-node-group';
export { PhaseGate } from './constructs/migration/phase-gate';
export type { PhaseGateProps } from './constructs/migration/phase-gate';
export {
  allowedRecordedPhases,
  assertMigratable,
  CHAINING_PHASE_EXCLUDED,
  CILIUM_NODE_LABEL,
  EKS_NODEGROUP_LABEL,
  matchesNodeAffinity,
  matchesNodeSelector,
  migrationCiliumValues,
  migrationPhases,
  migrationStageOverrides,
  MIGRATION_NO_SCHEDULE_TAINT,
  resolveMigrationPhase,
  vpcCniAffinity,
  vpcCniConfigurationValues,
  withMigrationAffinity,
  NOT_A_CILIUM_NODE,
  FINALIZE_SPLIT,
} from './bpf/migration';
export {
  applyJsonPatch,
  declaredNonCarryingFeatures,
  ec2NodeClassPatch,
  KARPENTER_CILIUM_STARTUP_TAINT,
  NON_CARRYING_FEATURES,
  nodePoolPatch,
  subnetDemand,
  VPC_CNI_ENV_DEFAULTS,
} from './bpf/migration-preflight';
export type {
  AddonPodIdentityAssociation,
  CiliumNodeDemandInput,
  ExistingAddonSettings,
  ExistingVpcCniSettings,
  JsonPatchOperation,
  MigrationAcknowledgements,
  NonCarryingFeature,
  NonCarryingFeatureInfo,
  SubnetDemand,
} from './bpf/migration-preflight';
export type {
  CiliumStage,
  CurrentAddons,
  CurrentCni,
  CurrentCniState,
  MigrationCiliumValuesOptions,
  MigrationPhaseKind,
  MigrationPhaseName,
  NodeAffinityRequirement,
  RequiredNodeAffinity,
  ResolvedMigrationPhase,
} from './bpf/migration';

// ---- Versions that stay current, and the CDK Terrain path (issue 28) -------------------------------
export { disableTokenStackTraces } from './constructs/token-stack-traces';
export { checkTerraformVersionOnce } from './constructs/terraform-version-check';
export { CILIUM_TESTED_KUBERNETES, chartVersionsTestedWith, checkCiliumTestedWith, ciliumTestedKubernetes } from './bpf/versions';
export type { CiliumTestedKubernetes } from './bpf/versions';
export { EKS_SUPPORT_CALENDAR, EKS_SUPPORT_CALENDAR_SOURCE, SUPPORT_CALENDAR_DATE_CONTEXT, SUPPORT_WARNING_DAYS, eksSupportStatus } from './core/eks-support';
export type { EksSupportPhase, EksSupportStatus, EksVersionDates } from './core/eks-support';
export { kubernetesSupportWarnings, nextKubernetesVersion } from './bpf/upgrade';
export { chooseDefaultKubernetesVersion, componentVersionReport } from './constructs/component-versions';
export type { ComponentVersion, StackComponents } from './constructs/component-versions';
export { KARPENTER_KUBERNETES_RANGE, REFUSED_AL2023_AMI_RELEASES } from './constructs/karpenter/versions';
