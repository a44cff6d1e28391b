import { Construct } from 'constructs';
import { EksAddon } from '@cdktf/provider-aws/lib/eks-addon';
import { Ec2Tag } from '@cdktf/provider-aws/lib/ec2-tag';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { EncryptionStrictModeOptions, HubbleOptions } from '../bpf/cilium-values';
import { DatapathOptions } from '../bpf/datapath';
import { check, ValidationError } from '../core/errors';
import { clusterNames } from '../core/names';
import { hubbleCertBootstrapJob, needsHubbleCertBootstrap } from '../bpf/hubble-certs';
import { moveFromLegacyId, stableId } from './moves';
import { withPropertyPrefix } from '../core/props';
import { assertZoneOfRegion } from '../core/regions';
import { assertPublicCidrs } from '../core/validate';
import { anyOf, bool, declare, int, isToken, list, opaque, optional, orFalse, parse, pattern, rules, strict, v } from '../core/schema';
import { dns1123Label, dns1123Subdomain, managedPolicyArn, region, regionMismatch, tagCountProblem, tags as tagsSchema } from '../core/rules';
import { isPlainObject } from '../core/json';
import { IamStatementSchema } from '../core/iam';
import { EncryptionStrictModeOptionsSchema } from '../bpf/cilium-values';
import { HubbleOptionsSchema } from '../bpf/hubble';
import { DatapathOptionsSchema } from '../bpf/datapath';
import { ClusterMeshOptionsSchema } from '../bpf/clustermesh';
import { CILIUM_CHART_VERSION_REASON, SUPPORTED_CILIUM_CHART_VERSIONS } from '../core/versions';
import { MonitoringOptionsSchema } from '../bpf/alerts';
import { KarpenterOptionsSchema } from './karpenter/karpenter';
import { INetworkSchema, networkOptionsEntries } from './network';
import { networkPoliciesSchema } from './network-policies';
import { systemNodeGroupEntries } from './system-node-group';
import { controlPlaneEntries } from './eks-control-plane';
import { CiliumEksSecurityChecksPropsSchema } from './security/security-aspect';
import { LogExportOptionsSchema } from './log-shipping/values';
import { TetragonOptionsSchema } from './tetragon/values';
import { StorageOptionsSchema } from './ebs-csi';
import { assertZoneIdOfRegion } from '../core/zones';
import { CILIUM_OPERATOR_NAMESPACE, CILIUM_OPERATOR_SERVICE_ACCOUNT, CiliumOperatorIdentity, OperatorIdentityMode } from './cilium-operator-identity';
import { Annotations, Aspects, Fn, ITerraformDependable, TerraformStack, Token, toolchainPackage } from './cdktf';
import { checkKubernetesUpgrade, CILIUM_STEP_RULE, ciliumVersionOfMinor, kernelUpgradeWarnings, kubernetesSupportWarnings, KUBERNETES_STEP_RULE, kubernetesVersionOfMinor } from '../bpf/upgrade';
import { assertCiliumChartVersion, assertKubernetesVersion, checkCiliumTestedWith, DEFAULT_CILIUM_CHART_VERSION, DEFAULT_KUBERNETES_VERSION } from '../bpf/versions';
import { ComponentVersion, componentVersionReport, StackComponents, supportCalendarDay } from './component-versions';
import { DEFAULT_AL2023_AMI_VERSION } from './karpenter/versions';
import { utcDay } from '../core/eks-support';
import { guard, PlanGate, RunningObjectOptions, versionStepCheck } from './plan-gate';
import { ClusterMeshOptions } from '../bpf/clustermesh';
import { ClusterProviders, ClusterProvidersSchema, ProviderAssignment } from './fleet/providers';
import { IamStatement, policyDocument, toJson } from '../core/iam';
import { AwsContext, awsContext } from './aws-context';
import { EBS_CSI_CONTROLLER_SERVICE_ACCOUNT, EBS_CSI_NAMESPACE, EbsCsiDriver, StorageOptions } from './ebs-csi';
import { CiliumRelease } from './cilium-release';
import { EksControlPlane, EksControlPlaneProps } from './eks-control-plane';
import { Karpenter, KARPENTER_NAMESPACE, KARPENTER_SERVICE_ACCOUNT, KarpenterNodeClassOptions, KarpenterNodePoolOptions, KarpenterOptions } from './karpenter/karpenter';
import { configureKubernetesProviders } from './kubernetes-access';
import { addSecurityChecks } from './stack-setup';
import { CiliumEksSecurityChecksProps } from './security/security-aspect';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { KubernetesManifest } from '../core/k8s';
import { KARPENTER_DISCOVERY_TAG_KEY } from './karpenter/node-resources';
import { ManifestRelease } from './manifest-release';
import { NetworkPolicies, WorkloadNamespaceOptions } from './network-policies';
import { CiliumEksNetwork, INetwork } from './network';
import { CiliumEksPodSubnets } from './pod-subnets';
import { PodSubnetsOptions, PodSubnetsOptionsSchema } from '../bpf/pod-subnets';
import { CapacityPlan, WarmPoolOptions, WarmPoolOptionsSchema } from '../bpf/ipam';
import { assertSystemNodesFit, CapacityPlanWarnings, clusterCapacityPlan, ClusterIpamLayout, clusterIpamLayout, clusterSystemPods } from './capacity-plan';
import { CiliumNodeSecurityGroup } from './node-security-group';
import { NodeRole } from './node-role';
import { PodIdentityPolicyAttachment, podIdentityRole } from './pod-identity';
import { NodeSizes, SYSTEM_NODE_LABEL, SystemNodeGroup } from './system-node-group';
// ---- Runtime security, off-node evidence and alerts (issue 17) ----
import { ciliumMonitoringValues, ciliumPrometheusRule, MonitoringOptions, resolveMonitoringOptions } from '../bpf/alerts';
import { TerraformResource } from './cdktf';
import { LogShipping } from './log-shipping/log-shipping';
import { LOG_SHIPPER_NAMESPACE, LOG_SHIPPER_SERVICE_ACCOUNT, LogExportOptions, resolveLogExport } from './log-shipping/values';
import { Tetragon } from './tetragon/tetragon';
import { TetragonOptions } from './tetragon/values';


/** The running Cilium agents' image, which the Cilium step check reads at plan time. */
export const CILIUM_AGENT_IMAGE: RunningObjectOptions = Object.freeze({
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  namespace: 'kube-system',
  name: 'cilium',
  field: 'spec.template.spec.containers[0].image',
  description: 'the running Cilium agent image',
});

/**
 * The new VPC a {@link CiliumEksCluster} builds (`network` of {@link CiliumEksClusterProps}, ignored with
 * `existingNetwork`): its CIDR, its zones and its NAT gateways, passed to {@link CiliumEksNetwork}.
 */
export interface NetworkOptions {
  /** The VPC's IPv4 CIDR, split into a public and a private subnet per zone. @default '10.0.0.0/16' */
  readonly vpcCidr?: string;
  /**
   * Availability Zone IDs (`euw1-az1`), two or three, of the region: the same zones in every account.
   * @default - chosen once at the first apply and kept: the first available zones of the region,
   *   without Local Zones and the zone IDs EKS refuses (docs/getting-started.md#before-your-first-deploy)
   */
  readonly availabilityZoneIds?: string[];
  /** Availability zone names instead of IDs (account-specific: prefer `availabilityZoneIds`). @default - see availabilityZoneIds */
  readonly availabilityZones?: string[];
  /** One NAT gateway for all zones instead of one per zone: cheaper, and a zone's outage cuts the others' egress. @default false */
  readonly singleNatGateway?: boolean;
}
export const NetworkOptionsSchema = declare<NetworkOptions>()(strict(networkOptionsEntries, 'network options { vpcCidr?, availabilityZones?, singleNatGateway? }'));

/**
 * The managed node group that runs the cluster's own pods (`systemNodeGroup` of
 * {@link CiliumEksClusterProps}): AMI, instance types, sizes, disk and whether it is reserved for them;
 * passed to {@link SystemNodeGroup}.
 */
export interface SystemNodeGroupOptions extends NodeSizes {
  /** AL2023 AMI type. @default 'AL2023_x86_64_STANDARD' */
  readonly amiType?: string;
  /** Instance types of the system nodes. @default - ['m7i.large'] on x86_64, ['m7g.large'] on arm64 */
  readonly instanceTypes?: string[];
  /** kubelet maxPods of the system nodes; the kubelet's reservations follow it. @default - 110 with prefix delegation, the ENI formula without */
  readonly maxPods?: number;
  /** Root volume size in GiB (encrypted gp3). @default 50 */
  readonly diskSizeGiB?: number;
  /**
   * Keep the system nodes for the cluster's own add-ons (Cilium operator, CoreDNS, Karpenter,
   * Hubble, Tetragon's operator, the EBS CSI controller): a `CriticalAddonsOnly=true:NoSchedule`
   * taint that each of them tolerates, so workloads land on Karpenter's nodes.
   * @default - true with Karpenter, false without (the system nodes are then the only nodes)
   */
  readonly dedicated?: boolean;
  /** KMS key of the root volumes. @default - the account's default EBS key */
  readonly volumeKmsKeyArn?: string;
  /**
   * Release of the EKS-optimised AL2023 AMI of the system nodes, the same pin as Karpenter's
   * default alias; changing it replaces the nodes one at a time. Releases with a known
   * node-breaking defect (REFUSED_AL2023_AMI_RELEASES) are refused.
   * @default DEFAULT_AL2023_AMI_VERSION ('v20261012')
   */
  readonly amiReleaseVersion?: string;
}
export const SystemNodeGroupOptionsSchema = declare<SystemNodeGroupOptions>()(strict(systemNodeGroupEntries, 'system node group options'));

/**
 * The Cilium side of a cluster (`cilium` of {@link CiliumEksClusterProps}): chart version, IPAM, WireGuard,
 * Hubble, datapath, the operator and Cluster Mesh; {@link CiliumRelease} turns them into the chart's values
 * with {@link buildCiliumValues}.
 */
export interface CiliumOptions {
  /** Cilium chart version, one the project supports (`npm run versions`). @default '1.19.6' */
  readonly chartVersion?: string;
  /** ENI prefix delegation: a /28 per ENI slot (Nitro), so a node holds more pods. @default true */
  readonly prefixDelegation?: boolean;
  /** WireGuard encryption of pod traffic between nodes; `false` is an error of the `cilium-wireguard-off` check until suppressed with a reason. @default true */
  readonly wireguard?: boolean;
  /** Hubble: relay, UI, metrics and flow export (docs/configuration.md#hubble). @default - relay, UI (port-forward only), the default metrics and flow export on */
  readonly hubble?: HubbleOptions;
  /**
   * Datapath profile: `performance` (every tuning-guide item valid on the nodes' kernel and NIC),
   * `compatible`, or `custom`. See the tables of docs/reference.md#datapath-profiles.
   * @default { preset: 'performance' }
   */
  readonly datapath?: DatapathOptions;
  /** WireGuard strict mode: drop unencrypted pod traffic to the given CIDR. @default - off */
  readonly encryptionStrictMode?: EncryptionStrictModeOptions;
  /** Replicas of the Cilium operator (1 to 5). @default 2 */
  readonly operatorReplicas?: number;
  /**
   * Per-node address watermarks (Cilium `ipam.nodeSpec`, chart 1.19 or later): how many free
   * addresses each node keeps, allocates at boot, and holds at most
   * (docs/configuration.md#warm-pool).
   * @default - from the node shape: pre-allocate 8 with prefix delegation (at most one idle /28),
   *   otherwise 4, 8 or 16 by pods per node; at most what kubelet maxPods needs
   */
  readonly warmPool?: WarmPoolOptions;
  /**
   * Where the operator's ENI permissions live.
   * @default OperatorIdentityMode.POD_IDENTITY
   */
  readonly operatorIdentity?: OperatorIdentityMode;
  /**
   * The chart version running now, while `chartVersion` moves to the next minor: checked at synth
   * (one minor step) and written as `upgradeCompatibility` (docs/day-2.md#upgrading).
   * @default - none (the plan-time gate still refuses a jump against the running agents)
   */
  readonly upgradeFrom?: string;
  /**
   * Install the upgrade guide's pre-flight release (the new image pulled on every node) before the
   * chart is upgraded; turn off again in the next deploy.
   * @default false
   */
  readonly preflight?: boolean;
  /** Cluster Mesh membership; {@link CiliumEksFleet} sets it for each of its clusters. @default - not meshed */
  readonly clusterMesh?: ClusterMeshOptions;
  /**
   * Run a chart whose Cilium line is not e2e tested with the cluster's Kubernetes version (each
   * line's list: CILIUM_TESTED_KUBERNETES, from Cilium's Kubernetes compatibility page). Without it
   * such a pair is refused at synth; with it the synth warns.
   * @default false
   */
  readonly allowUntestedKubernetesVersion?: boolean;
}
export const ciliumOptionsEntries = {
  chartVersion: optional(pattern(new RegExp(`^(${SUPPORTED_CILIUM_CHART_VERSIONS.join('|').replace(/\./g, '\\.')})$`), `one of ${SUPPORTED_CILIUM_CHART_VERSIONS.join(', ')}`, CILIUM_CHART_VERSION_REASON)),
  prefixDelegation: optional(bool()),
  wireguard: optional(bool()),
  hubble: optional(HubbleOptionsSchema),
  datapath: optional(DatapathOptionsSchema),
  encryptionStrictMode: optional(EncryptionStrictModeOptionsSchema),
  operatorReplicas: optional(int(1, 5)),
  operatorIdentity: optional(v.enum(OperatorIdentityMode, `one of ${Object.values(OperatorIdentityMode).join(', ')}`)),
  upgradeFrom: optional(pattern(/^\d+\.\d+\.\d+$/, 'the running chart version, e.g. 1.18.12')),
  preflight: optional(bool()),
  clusterMesh: optional(ClusterMeshOptionsSchema),
  allowUntestedKubernetesVersion: optional(bool()),
  warmPool: optional(WarmPoolOptionsSchema),
} as const;
export const CiliumOptionsSchema = declare<CiliumOptions>()(strict(ciliumOptionsEntries, 'Cilium options'));

/** Control-plane settings, documented on {@link EksControlPlaneProps}. */
export type ControlPlaneOptions = Pick<
  EksControlPlaneProps,
  'kubernetesVersion' | 'serviceIpv4Cidr' | 'endpoint' | 'admins' | 'deployerAdmin' | 'logTypes' | 'logRetentionDays' | 'keepControlPlaneLogsOnDestroy' | 'adoptExistingControlPlaneLogGroup' | 'addonVersions'
>;
/** The declaration of {@link ControlPlaneOptions}. */
export const ControlPlaneOptionsSchema = declare<ControlPlaneOptions>()(strict(controlPlaneEntries, 'control-plane options'));

/** Options of {@link CiliumEksCluster.configureStack}. */
export interface ConfigureStackOptions {
  /**
   * The security baseline checks over the stack (docs/security.md#security-baseline-checks); switch a rule
   * off with `{ suppress: { '<rule id>': '<reason>' } }`, or every rule with `false`.
   * @default - every rule on
   */
  readonly securityChecks?: CiliumEksSecurityChecksProps | false;
}
export const ConfigureStackOptionsSchema = declare<ConfigureStackOptions>()(strict({ securityChecks: optional(orFalse(CiliumEksSecurityChecksPropsSchema)) }, 'configureStack options { securityChecks? }'));

/** A workload's AWS identity through EKS Pod Identity. */
export interface PodIdentityOptions {
  /** Namespace of the service account. */
  readonly namespace: string;
  /** Service account name. */
  readonly serviceAccount: string;
  /** Statements of an inline-managed policy for the role. @default - none */
  readonly policyStatements?: IamStatement[];
  /** ARNs of managed policies to attach. @default - none */
  readonly managedPolicyArns?: string[];
}
export const PodIdentityOptionsSchema = declare<PodIdentityOptions>()(
  strict(
    {
      namespace: dns1123Label('a namespace'),
      serviceAccount: dns1123Subdomain('a service account name'),
      policyStatements: optional(list(IamStatementSchema)),
      managedPolicyArns: optional(list(managedPolicyArn(), { unique: true })),
    },
    'Pod Identity options { namespace, serviceAccount, policyStatements?, managedPolicyArns? }',
  ),
);

/**
 * The props of {@link CiliumEksCluster}: only `clusterName` and `region` are required, every other prop
 * defaults to the project's default cluster (every prop with its default: docs/inputs.md).
 *
 * The control-plane props (`kubernetesVersion`, `endpoint`, `admins`, ...) are those of
 * {@link EksControlPlaneProps}. Unknown keys and invalid values fail at synth, naming the property.
 */
export interface CiliumEksClusterProps extends ControlPlaneOptions {
  /** EKS cluster name. */
  readonly clusterName: string;
  /** AWS region of the cluster (the AWS provider's region). */
  readonly region: string;
  /** A greenfield VPC. Ignored when `existingNetwork` is given. @default - a new VPC, 10.0.0.0/16 over three zones */
  readonly network?: NetworkOptions;
  /** An existing VPC and subnets instead of a new one. @default - a new VPC */
  readonly existingNetwork?: INetwork;
  /**
   * Pods in subnets of their own (docs/configuration.md#pod-subnets-and-the-capacity-plan): a
   * secondary VPC CIDR from 100.64.0.0/10 (or existing pod subnets), one subnet per node zone, with
   * /28 prefix space reserved; Cilium then creates pod ENIs only there and keeps each node's
   * primary ENI for the node. `{}` takes every default.
   * @default - pods take addresses in the node subnets
   */
  readonly podSubnets?: PodSubnetsOptions;
  /** The managed node group for the cluster's own pods (CoreDNS, Karpenter, Cilium's operator). @default - see SystemNodeGroupOptions */
  readonly systemNodeGroup?: SystemNodeGroupOptions;
  /** Cilium: chart version, IPAM, encryption, Hubble, datapath. @default - see CiliumOptions */
  readonly cilium?: CiliumOptions;
  /**
   * Karpenter v1, with nodes that carry the Cilium startup taint; `false` leaves it out.
   * @default - on, version 1.14.1, a default EC2NodeClass and NodePool
   */
  readonly karpenter?: KarpenterOptions | false;
  /**
   * Workload namespaces to create (Pod Security `restricted`) with ready-made Cilium policies
   * switched on per namespace. More policies: {@link CiliumEksCluster.addNetworkPolicy}.
   * @default - none
   */
  readonly networkPolicies?: { readonly namespaces?: readonly WorkloadNamespaceOptions[] };
  /** Tags on every AWS resource that takes tags. @default - none */
  readonly tags?: Record<string, string>;
  /**
   * The Kubernetes version running now, while `kubernetesVersion` moves to the next minor: the
   * move is checked at synth, and datapath settings that the new nodes' kernel changes and running
   * nodes cannot follow (netkit, BPF map re-creation) are reported as synth warnings.
   * @default - none (the plan-time gate still refuses a jump against the running control plane)
   */
  readonly kubernetesUpgradeFrom?: string;
  /**
   * Plan-time version gates (docs/day-2.md#upgrading): data sources that read the running control
   * plane and Cilium agents, and preconditions that refuse a jump of more than one minor.
   * @default true
   */
  readonly planGates?: boolean;
  /**
   * Tetragon runtime security (chart 1.7.0) in its own Pod Security `privileged` namespace, with
   * ready-made TracingPolicies; `false` leaves it out.
   * @default - on, the three ready-made policies, events exported to a file on each node
   */
  readonly tetragon?: TetragonOptions | false;
  /**
   * Hubble flows and Tetragon events shipped off the nodes to CloudWatch Logs (KMS-encrypted log
   * groups per cluster and kind, Fluent Bit with Pod Identity); `false` leaves it out.
   * @default - on: every source whose export is on, 365 days
   */
  readonly logExport?: LogExportOptions | false;
  /**
   * Persistent volumes: the EBS CSI driver add-on (its controller's AWS identity through Pod
   * Identity) and a default StorageClass `gp3` of encrypted volumes; `false` leaves both out.
   * @default - on, with the default StorageClass
   */
  readonly storage?: StorageOptions | false;
  /**
   * ServiceMonitors, Grafana dashboards and alert rules for a cluster that runs the Prometheus
   * Operator (its CRDs must exist before the apply that sets this).
   * @default - none: nothing of it is emitted
   */
  readonly monitoring?: MonitoringOptions;
}
/** A network object that is not a literal (a CiliumEksNetwork of another stack): judged by its own construct. */
const networkConstruct = opaque<INetwork>('a network construct', (x) => typeof x === 'object' && x !== null && !isPlainObject(x));
export const clusterPropsEntries = {
  clusterName: pattern(/^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/, '1 to 100 characters: letters, digits, hyphens and underscores, starting with a letter or digit', 'the EKS CreateCluster name rule'),
  region: region(),
  network: optional(NetworkOptionsSchema),
  existingNetwork: optional(anyOf([networkConstruct, INetworkSchema], 'an existing network { vpcId, privateSubnetIds, ... }')),
  podSubnets: optional(PodSubnetsOptionsSchema),
  systemNodeGroup: optional(SystemNodeGroupOptionsSchema),
  cilium: optional(CiliumOptionsSchema),
  karpenter: optional(orFalse(KarpenterOptionsSchema)),
  networkPolicies: optional(networkPoliciesSchema),
  tags: optional(tagsSchema()),
  ...controlPlaneEntries,
  kubernetesUpgradeFrom: optional(pattern(/^1\.\d+$/, 'the running Kubernetes minor version, e.g. 1.33 (no patch)')),
  planGates: optional(bool()),
  tetragon: optional(orFalse(TetragonOptionsSchema)),
  logExport: optional(orFalse(LogExportOptionsSchema)),
  monitoring: optional(MonitoringOptionsSchema),
  storage: optional(orFalse(StorageOptionsSchema)),
} as const;

/** The rules between a cluster's props (`at` is the path of the props, e.g. `clusters[0]` in a fleet). */
export function clusterPropsRules(p: CiliumEksClusterProps, report: (at: (string | number)[], value: unknown, allowed: string, reason?: string) => void, extraTags = 0): void {
  if (p.existingNetwork !== undefined && p.network !== undefined) report(['network'], p.network, 'no greenfield network options together with existingNetwork', 'existingNetwork replaces the new VPC');
  (p.network?.availabilityZones ?? []).forEach((z, i) => assertZoneOfRegion(z, p.region, `network.availabilityZones[${i}]`));
  if (!isToken(p.region)) (p.network?.availabilityZoneIds ?? []).forEach((z, i) => assertZoneIdOfRegion(z, p.region, `network.availabilityZoneIds[${i}]`));
  const key = p.systemNodeGroup?.volumeKmsKeyArn;
  const mismatch = key === undefined ? undefined : regionMismatch(key, p.region, 'the key');
  if (mismatch !== undefined) report(['systemNodeGroup', 'volumeKmsKeyArn'], key, `a KMS key of ${p.region}`, mismatch);
  const tooMany = tagCountProblem(p.tags, PROJECT_TAGS_PER_RESOURCE + extraTags);
  if (tooMany) report(['tags'], `${Object.keys(p.tags ?? {}).length} tags`, tooMany.allowed, tooMany.reason);
  const karpenterTags = p.karpenter ? p.karpenter.tags : undefined;
  const tooManyKarpenter = tagCountProblem(karpenterTags, KARPENTER_OWN_TAGS);
  if (tooManyKarpenter) report(['karpenter', 'tags'], `${Object.keys(karpenterTags ?? {}).length} tags`, tooManyKarpenter.allowed, tooManyKarpenter.reason);
  const endpoint = p.endpoint;
  if (endpoint?.publicAccess !== false && endpoint?.publicAccessCidrs !== undefined) assertPublicCidrs(endpoint.publicAccessCidrs, 'endpoint.publicAccessCidrs');
}

export const CiliumEksClusterPropsSchema = declare<CiliumEksClusterProps>()(
  rules(strict(clusterPropsEntries, 'cluster props'), (p, report) => clusterPropsRules(p, report)),
);

/**
 * The most tags the project puts on one AWS resource itself (a private subnet: `Name`,
 * `kubernetes.io/role/internal-elb`, `karpenter.sh/discovery`); they count toward AWS's 50.
 */
export const PROJECT_TAGS_PER_RESOURCE = 3;
/** Tags Karpenter adds to the instances it launches (karpenter.sh/nodepool, nodeclaim, ec2nodeclass, eks:eks-cluster-name, kubernetes.io/cluster/<name>, Name). */
const KARPENTER_OWN_TAGS = 6;

/**
 * A complete EKS cluster whose only CNI is Cilium, created in the one order that works in a
 * single apply (docs/design.md#what-one-stack-creates-in-order):
 *
 * network -> control plane (no self-managed add-ons) -> admin access and Pod Identity agent ->
 * operator identity -> Cilium release (no wait) -> system nodes (startup taint) -> CoreDNS ->
 * first Hubble certificates and other in-cluster objects.
 *
 * The scope must configure the `aws` and `helm` providers; {@link CiliumEksStack} does.
 */
export class CiliumEksCluster extends Construct {
  /**
   * The EKS cluster name, as given in `clusterName`: the name of the EKS cluster, the start of the names of
   * the cluster's AWS resources, and the value of its `karpenter.sh/discovery` tags.
   */
  public readonly clusterName: string;
  /**
   * The AWS region of the cluster, as given in `region` (e.g. `eu-west-1`): the region of the ARNs in the
   * cluster's IAM policies and the `AWS_REGION` of the Cilium operator, which calls EC2 there.
   */
  public readonly region: string;
  /**
   * The VPC and subnets the cluster runs in: the {@link CiliumEksNetwork} built from `network`, or
   * `existingNetwork` as given. The control plane and the system nodes use its private subnets.
   */
  public readonly network: INetwork;
  /** The pod subnets, with `podSubnets`. */
  public readonly podSubnets?: CiliumEksPodSubnets;
  /**
   * The EKS control plane ({@link EksControlPlane}): the `aws_eks_cluster`, its IAM role, secrets KMS key,
   * log group, admin access entries and the Pod Identity agent add-on.
   */
  public readonly controlPlane: EksControlPlane;
  /**
   * The security group of the Cilium node-to-node ports ({@link CiliumNodeSecurityGroup}), on the system
   * nodes beside the EKS cluster security group; tagged `karpenter.sh/discovery` so Karpenter's nodes get it
   * too.
   */
  public readonly nodeSecurityGroup: CiliumNodeSecurityGroup;
  /**
   * The IAM role of the system nodes ({@link NodeRole}: EC2 trust, {@link NODE_MANAGED_POLICIES}); its name
   * starts with the cluster name (first 24 characters) and `-node-`.
   */
  public readonly nodeRole: NodeRole;
  /**
   * The AWS identity of the Cilium operator, which creates, attaches and tags the pods' ENIs
   * ({@link CiliumOperatorIdentity}): a Pod Identity role or a policy on the node role, by
   * `cilium.operatorIdentity`.
   */
  public readonly operatorIdentity: CiliumOperatorIdentity;
  /**
   * The Cilium Helm release in `kube-system` ({@link CiliumRelease}), with the resolved options and chart
   * values it was built from and, with `cilium.preflight`, the pre-flight release of an upgrade.
   */
  public readonly cilium: CiliumRelease;
  /**
   * The managed node group for the cluster's own pods ({@link SystemNodeGroup}), created after the Cilium
   * release; its nodes carry Cilium's startup taint until the agent runs on them.
   */
  public readonly systemNodes: SystemNodeGroup;
  /**
   * The CoreDNS EKS add-on (`aws_eks_addon` `coredns`), created after the system node group; it tolerates
   * `CriticalAddonsOnly` when the system node group is dedicated.
   */
  public readonly coreDns: EksAddon;
  /** The first Hubble certificates, for chart versions that cannot make them on a new cluster (1.18). */
  public readonly bootstrap?: ManifestRelease;
  /** CiliumNetworkPolicies and workload namespaces, delivered after the operator is up. */
  public readonly networkPolicies: NetworkPolicies;
  /** Karpenter, unless turned off. */
  public readonly karpenter?: Karpenter;
  /** Tetragon and its TracingPolicies, unless turned off. */
  public readonly tetragon?: Tetragon;
  /** The CloudWatch Logs export, unless turned off. */
  public readonly logShipping?: LogShipping;
  /** The EBS CSI driver and the default StorageClass, unless `storage` is false. */
  public readonly storage?: EbsCsiDriver;
  /** The PrometheusRule, with `monitoring`. */
  public readonly alerts?: ManifestRelease;
  /** `aws`, `aws-cn` or `aws-us-gov`, derived from the region (docs/getting-started.md#before-your-first-deploy). */
  public readonly partition: string;
  /** The account the stack deploys into (`aws_caller_identity.account_id`). */
  public readonly accountId: string;
  /** Partition, region, account and service principals: what every ARN and trust policy of the cluster is built from. */
  public readonly aws: AwsContext;
  /** Everything after which in-cluster workloads can run: nodes Ready, DNS up. */
  public readonly clusterReady: ITerraformDependable[];
  /** `namespace/serviceAccount` of every Pod Identity association, with who binds it. */
  private readonly podIdentityBindings = new Map<string, string>();
  /** The plan-time reader of the running cluster, unless `planGates` is false; reuse it for more gates. */
  public readonly planGate?: PlanGate;
  /** What this cluster runs, for {@link CiliumEksCluster.versionReport}. */
  private readonly components: StackComponents;
  /** Pod subnets, first pod ENI index, maxPods and the zones of the capacity plan. */
  private readonly ipam: ClusterIpamLayout;
  /** Pods the cluster runs itself. */
  private systemPods = 0;

  constructor(scope: Construct, id: string, props: CiliumEksClusterProps) {
    super(scope, id);
    this.clusterName = props.clusterName;
    this.region = props.region;
    validateClusterProps(props);
    // The versions, before anything is built: refused past EKS extended support or with an
    // untested Cilium line; warnings ahead of extended support (only they depend on the date).
    for (const warning of versionWarnings(props, supportCalendarDay(this))) Annotations.of(this).addWarning(warning);
    const tags = props.tags;
    const monitoring = props.monitoring ? resolveMonitoringOptions(props.monitoring) : undefined;
    this.aws = awsContext(this, props.region);
    this.partition = this.aws.partition;
    this.accountId = this.aws.accountId;

    // 1. Network.
    if (props.existingNetwork) {
      const n = props.existingNetwork;
      this.network = n;
      // Karpenter finds node subnets by this tag; add it to subnets we do not own. Keyed by subnet
      // ID, so removing one subnet removes only its tag (0.1.0 keyed them by position: moved below).
      n.privateSubnetIds.forEach((subnetId, i) => {
        const tag = new Ec2Tag(this, stableId('subnet-discovery-tag', subnetId, i), { resourceId: subnetId, key: KARPENTER_DISCOVERY_TAG_KEY, value: props.clusterName });
        moveFromLegacyId(tag, `subnet-discovery-tag-${i}`, this);
      });
    } else {
      this.network = withPropertyPrefix('network', () => new CiliumEksNetwork(this, 'network', { clusterName: props.clusterName, region: props.region, ...props.network, tags }));
    }

    // 1b. Pod subnets, and the zones the IP capacity plan counts (constructs/capacity-plan.ts).
    const ciliumOptions = props.cilium ?? {};
    const ipam = clusterIpamLayout(this, props, this.network, tags);
    this.podSubnets = ipam.podSubnets;
    this.ipam = ipam;

    // 2. Control plane.
    this.controlPlane = new EksControlPlane(this, 'control-plane', {
      clusterName: props.clusterName,
      partition: this.partition,
      kubernetesVersion: props.kubernetesVersion,
      subnetIds: this.network.privateSubnetIds,
      vpcCidr: this.network.vpcCidr,
      serviceIpv4Cidr: props.serviceIpv4Cidr,
      endpoint: props.endpoint,
      admins: props.admins,
      deployerAdmin: props.deployerAdmin,
      logTypes: props.logTypes,
      logRetentionDays: props.logRetentionDays,
      keepControlPlaneLogsOnDestroy: props.keepControlPlaneLogsOnDestroy,
      adoptExistingControlPlaneLogGroup: props.adoptExistingControlPlaneLogGroup,
      addonVersions: props.addonVersions,
      tags,
    });
    const cluster = this.controlPlane.cluster;
    // A warning at plan when whoever runs Terraform is not among the admins.
    this.controlPlane.warnUnlessCallerIsAdmin(this.aws.callerIdentityAddress);
    if (props.kubernetesUpgradeFrom !== undefined) checkKubernetesUpgrade(props.kubernetesUpgradeFrom, this.controlPlane.kubernetesVersion);
    if (props.planGates ?? true) {
      this.planGate = new PlanGate(this, 'plan-gate', { clusterName: props.clusterName });
      // EKS: one minor at a time, never down. Checked before the control plane changes.
      guard(
        cluster,
        versionStepCheck({
          ...KUBERNETES_STEP_RULE,
          running: this.planGate.runningClusterVersion(),
          target: this.controlPlane.kubernetesVersion,
          subject: 'an EKS control plane',
          property: 'kubernetesVersion',
          versionOfMinor: kubernetesVersionOfMinor(),
          advice: 'Each step updates the control plane, the add-ons, the system nodes and Karpenter nodes (docs/day-2.md#upgrading).',
        }),
      );
    }
    new Ec2Tag(this, 'cluster-sg-discovery-tag', {
      resourceId: cluster.vpcConfig.clusterSecurityGroupId,
      key: KARPENTER_DISCOVERY_TAG_KEY,
      value: props.clusterName,
    });
    this.nodeSecurityGroup = new CiliumNodeSecurityGroup(this, 'node-security-group', {
      clusterName: props.clusterName,
      vpcId: this.network.vpcId,
      tags,
    });
    this.nodeRole = new NodeRole(this, 'node-role', { namePrefix: clusterNames.systemNodeRolePrefix(props.clusterName), partition: this.partition, tags });

    // 3. Operator identity, before Cilium.
    this.operatorIdentity = new CiliumOperatorIdentity(this, 'cilium-operator-identity', {
      clusterName: cluster.name,
      namePrefix: props.clusterName,
      policyContext: { partition: this.partition, region: props.region, accountId: this.accountId, vpcId: this.network.vpcId },
      mode: ciliumOptions.operatorIdentity,
      nodeRoleName: this.nodeRole.role.name,
      dependsOn: [this.controlPlane.podIdentityAgent],
      tags,
    });

    this.podIdentityBindings.set(`${CILIUM_OPERATOR_NAMESPACE}/${CILIUM_OPERATOR_SERVICE_ACCOUNT}`, 'the project (the Cilium operator\'s ENI permissions)');

    // 4. Cilium, without waiting: no node exists yet.
    this.cilium = new CiliumRelease(this, 'cilium', {
      values: {
        chartVersion: ciliumOptions.chartVersion,
        // The endpoint is https://<host>; the agent wants the bare host.
        k8sServiceHost: Token.asString(Fn.replace(cluster.endpoint, 'https://', '')),
        k8sServicePort: 443,
        region: props.region,
        kubernetesVersion: this.controlPlane.kubernetesVersion,
        datapath: ciliumOptions.datapath,
        encryptionStrictMode: ciliumOptions.encryptionStrictMode,
        prefixDelegation: ciliumOptions.prefixDelegation,
        wireguard: ciliumOptions.wireguard,
        podSubnetIds: this.podSubnets ? this.podSubnets.subnetIds : this.network.privateSubnetIds,
        ...(this.podSubnets ? { nodeSubnetIds: this.network.privateSubnetIds } : {}),
        warmPool: ciliumOptions.warmPool,
        nodeMaxPods: ipam.nodeMaxPods,
        hubble: ciliumOptions.hubble,
        operatorReplicas: ciliumOptions.operatorReplicas,
        upgradeFrom: ciliumOptions.upgradeFrom,
        clusterMesh: ciliumOptions.clusterMesh,
      },
      preflight: ciliumOptions.preflight,
      overlayValues: monitoring ? ciliumMonitoringValues(monitoring) : undefined,
      dependsOn: [...this.operatorIdentity.dependables, this.controlPlane.podIdentityAgent, ...this.controlPlane.adminAccess],
    });
    if (this.planGate) {
      // Cilium: one minor at a time, read from the running agents' image.
      const ciliumStep = versionStepCheck({
        ...CILIUM_STEP_RULE,
        running: this.planGate.runningObject('cilium-agent', CILIUM_AGENT_IMAGE),
        target: this.cilium.options.chartVersion,
        subject: 'Cilium',
        property: 'cilium.chartVersion',
        versionOfMinor: ciliumVersionOfMinor(),
        advice: 'Set cilium.upgradeFrom to the running version for that deploy (docs/day-2.md#upgrading).',
      });
      guard(this.cilium.release, ciliumStep);
      if (this.cilium.preflight) guard(this.cilium.preflight, ciliumStep);
    }
    if (props.kubernetesUpgradeFrom !== undefined) {
      for (const warning of kernelUpgradeWarnings({
        datapath: ciliumOptions.datapath,
        fromKubernetesVersion: props.kubernetesUpgradeFrom,
        toKubernetesVersion: this.controlPlane.kubernetesVersion,
        chartVersion: this.cilium.options.chartVersion,
        wireguard: this.cilium.options.wireguard,
      })) {
        Annotations.of(this).addWarning(warning);
      }
    }

    // 5. System nodes, after the Cilium release, carrying the startup taint.
    const networkReady = [...(this.network instanceof CiliumEksNetwork ? this.network.dependables : []), ...(this.podSubnets?.dependables ?? [])];
    this.systemNodes = withPropertyPrefix('systemNodeGroup', () => new SystemNodeGroup(this, 'system-nodes', {
      clusterName: cluster.name,
      namePrefix: props.clusterName,
      nodeRoleArn: this.nodeRole.role.arn,
      subnetIds: this.network.privateSubnetIds,
      securityGroupIds: [cluster.vpcConfig.clusterSecurityGroupId, this.nodeSecurityGroup.securityGroup.id],
      prefixDelegation: this.cilium.options.prefixDelegation,
      firstInterfaceIndex: ipam.firstInterfaceIndex,
      kubernetesVersion: this.controlPlane.kubernetesVersion,
      cluster: {
        name: cluster.name,
        apiServerEndpoint: cluster.endpoint,
        certificateAuthority: cluster.certificateAuthority.get(0).data,
        serviceIpv4Cidr: this.controlPlane.serviceIpv4Cidr,
      },
      ...props.systemNodeGroup,
      dedicated: props.systemNodeGroup?.dedicated ?? props.karpenter !== false,
      tags,
      dependsOn: [this.cilium.release, ...this.nodeRole.attachments, ...this.nodeSecurityGroup.rules, ...networkReady],
    }));

    // 6. CoreDNS once nodes can run it.
    this.coreDns = this.controlPlane.addCoreDns([this.systemNodes.nodeGroup], tags, { tolerateCriticalAddonsOnly: this.systemNodes.dedicated });
    this.clusterReady = [this.coreDns, this.systemNodes.nodeGroup];

    // 6b. Persistent volumes, once nodes can run the driver (its controller on the system nodes).
    const storage = props.storage;
    if (storage !== false) {
      this.storage = withPropertyPrefix('storage', () => new EbsCsiDriver(this, 'storage', {
        controlPlane: this.controlPlane,
        namePrefix: props.clusterName,
        partition: this.partition,
        options: storage,
        addonVersion: props.addonVersions?.ebsCsiDriver,
        dependsOn: [this.systemNodes.nodeGroup],
        tags,
      }));
      this.podIdentityBindings.set(`${EBS_CSI_NAMESPACE}/${EBS_CSI_CONTROLLER_SERVICE_ACCOUNT}`, 'the project (the EBS CSI driver)');
    }

    // 7. Chart 1.18 only: the first Hubble certificates, once nodes can run the Job.
    if (needsHubbleCertBootstrap(this.cilium.options.chartVersion)) {
      this.bootstrap = new ManifestRelease(this, 'bootstrap', {
        releaseName: 'cilium-eks-bootstrap',
        namespace: 'kube-system',
        manifests: [hubbleCertBootstrapJob({ chartVersion: this.cilium.options.chartVersion, relay: this.cilium.options.hubble.relay })],
        waitForJobs: true,
        dependsOn: [...this.clusterReady, this.cilium.release],
      });
    }

    // 8. Network policies: the operator registers the Cilium CRDs at start-up, and CoreDNS can
    // only be running once the agents, and so the operator, are.
    this.networkPolicies = new NetworkPolicies(this, 'network-policies', {
      dependsOn: [...this.clusterReady, this.cilium.release],
      kubernetesVersion: this.controlPlane.kubernetesVersion,
      region: props.region,
      namespaces: props.networkPolicies?.namespaces,
    });

    // 9. Karpenter after CoreDNS; its node resources after its chart (which brings the CRDs).
    if (props.karpenter !== false) {
      this.karpenter = new Karpenter(this, 'karpenter', {
        ...props.karpenter,
        tags: props.karpenter?.tags ?? tags,
        cluster: {
          clusterName: props.clusterName,
          clusterNameRef: cluster.name,
          clusterEndpoint: cluster.endpoint,
          partition: this.partition,
          region: props.region,
          accountId: this.accountId,
          prefixDelegation: this.cilium.options.prefixDelegation,
          firstInterfaceIndex: ipam.firstInterfaceIndex,
          controllerNodeSelector: { [SYSTEM_NODE_LABEL]: 'system' },
          clusterReady: this.clusterReady,
          kubernetesVersion: this.controlPlane.kubernetesVersion,
        },
      });
      this.podIdentityBindings.set(`${KARPENTER_NAMESPACE}/${KARPENTER_SERVICE_ACCOUNT}`, 'the project (the Karpenter controller)');
    }

    // 10. Tetragon once nodes are up; its TracingPolicies after its operator (constructs/tetragon).
    if (props.tetragon !== false) {
      this.tetragon = new Tetragon(this, 'tetragon', {
        ...props.tetragon,
        clusterName: props.clusterName,
        kubernetesVersion: this.controlPlane.kubernetesVersion,
        dependsOn: this.clusterReady,
        serviceMonitors: monitoring !== undefined,
        operatorNodeSelector: { [SYSTEM_NODE_LABEL]: 'system' },
      });
    }

    // 11. Flows and events off the nodes, to CloudWatch Logs (constructs/log-shipping).
    if (props.logExport !== false) {
      const hubbleExport = this.cilium.options.hubble.flowExport;
      const resolved = resolveLogExport(props.logExport ?? {}, props.clusterName, {
        'hubble-flows': hubbleExport.enabled ? hubbleExport.filePath : undefined,
        'tetragon-events': this.tetragon?.exportFile,
      });
      this.logShipping = new LogShipping(this, 'log-shipping', {
        clusterName: props.clusterName,
        context: { partition: this.partition, region: props.region, accountId: this.accountId, clusterName: props.clusterName, logsServicePrincipal: this.aws.regionalServicePrincipal('logs') },
        resolved,
        kubernetesVersion: this.controlPlane.kubernetesVersion,
        serviceMonitor: monitoring !== undefined,
        bindIdentity: (statements) => {
          this.addPodIdentity('log-shipper', { namespace: LOG_SHIPPER_NAMESPACE, serviceAccount: LOG_SHIPPER_SERVICE_ACCOUNT, policyStatements: statements });
          // Everything addPodIdentity made (role, policy, association): the pods need it at start.
          return this.node.findChild('pod-identity-log-shipper').node.findAll().filter((c): c is TerraformResource => TerraformResource.isTerraformResource(c));
        },
        dependsOn: [...this.clusterReady, this.cilium.release, ...(this.tetragon ? [this.tetragon.release] : [])],
        tags,
        controlPlaneLogGroup: { name: clusterNames.controlPlaneLogGroup(props.clusterName), keepOnDestroy: this.controlPlane.keepLogsOnDestroy },
      });
      // The control plane's logs under the evidence key too (its policy names their group).
      this.controlPlane.logGroup.kmsKeyId = this.logShipping.kmsKeyArn;
    }

    this.components = {
      kubernetesVersion: this.controlPlane.kubernetesVersion,
      chartVersion: this.cilium.options.chartVersion,
      ...(this.karpenter ? { karpenterVersion: this.karpenter.version } : {}),
      tetragon: this.tetragon !== undefined,
      logShipper: this.logShipping !== undefined,
      amiRelease: props.systemNodeGroup?.amiReleaseVersion ?? DEFAULT_AL2023_AMI_VERSION,
      toolchain: toolchainPackage(),
    };

    // The capacity plan: an error now when the system node group cannot run the cluster's own
    // pods; the warnings at synth, once every NodePool is known.
    this.systemPods = clusterSystemPods(this, ciliumOptions.clusterMesh);
    assertSystemNodesFit(this.capacityPlan(), props, this.systemNodes.maxPods);
    Aspects.of(this).add(new CapacityPlanWarnings(this, () => this.capacityPlan()));

    // 12. Alert rules, only with the Prometheus Operator (its CRD is resolved at apply time).
    if (monitoring?.alerts) {
      this.alerts = new ManifestRelease(this, 'alerts', {
        releaseName: 'cilium-eks-alerts',
        namespace: 'kube-system',
        manifests: [ciliumPrometheusRule(monitoring)],
        dependsOn: [...this.clusterReady, this.cilium.release],
      });
    }
  }

  /**
   * Every pinned component of this cluster (Kubernetes, the Cilium, Karpenter, Tetragon and Fluent
   * Bit charts, the AL2023 AMI release, the toolchain): its version, where the pin comes from, the
   * Kubernetes versions it supports, when its support ends where that has a date, what to do next
   * on `today` (`YYYY-MM-DD`) and the command that shows a newer version. `npm run versions` prints it.
   */
  public versionReport(today: string = utcDay(new Date())): ComponentVersion[] {
    return componentVersionReport(this.components, today);
  }

  /**
   * The IP capacity plan of the subnets pods take addresses from (docs/configuration.md#pod-subnets-and-the-capacity-plan):
   * per zone the /28 blocks and single addresses left after AWS's and the prefix reservations, the
   * most nodes and pods they address, against the most nodes the system node group and the
   * NodePools' limits allow. Undefined when the subnets' CIDRs are unknown at synth (an existing
   * VPC without pod subnets). Read it after every NodePool is added; the synth warns with its
   * findings.
   */
  public capacityPlan(): CapacityPlan | undefined {
    return clusterCapacityPlan(this, this.ipam, this.systemPods);
  }

  /**
   * Use these providers for every `aws_*`, `helm_*` and `kubernetes_*` resource and data source of
   * this cluster that names none, including ones added later (applied at synth). Needed when one
   * stack holds several clusters, as a {@link CiliumEksFleet} does; a stack of one cluster uses the
   * stack's default providers and never calls this.
   */
  public useProviders(providers: ClusterProviders): void {
    parse(ClusterProvidersSchema, providers, 'useProviders(providers)');
    Aspects.of(this).add(new ProviderAssignment(providers));
  }

  /**
   * An IAM role for `namespace/serviceAccount`, bound through EKS Pod Identity (the agent add-on is
   * part of every cluster). Returns the role, to attach more to it.
   */
  public addPodIdentity(id: string, options: PodIdentityOptions): IamRole {
    const where = `addPodIdentity(${JSON.stringify(id)}, options)`;
    check(typeof id === 'string' && /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/.test(id), `addPodIdentity(id)`, id, '1 to 63 letters, digits, "-" and "_", starting with a letter or digit', 'the id keys the role and goes into its IAM name');
    parse(PodIdentityOptionsSchema, options, where);
    const binding = `${options.namespace}/${options.serviceAccount}`;
    const owner = this.podIdentityBindings.get(binding);
    check(
      owner === undefined,
      `${where}.serviceAccount`,
      binding,
      'a service account no other Pod Identity association of this cluster binds',
      `${binding} is bound by ${owner}; EKS allows one association per service account`,
    );
    this.podIdentityBindings.set(binding, where);
    const scope = new Construct(this, `pod-identity-${id}`);
    const policies: PodIdentityPolicyAttachment[] = [];
    if (options.policyStatements && options.policyStatements.length > 0) {
      const policy = new IamPolicy(scope, 'policy', {
        namePrefix: clusterNames.podIdentityPolicyPrefix(this.clusterName, id),
        policy: toJson(policyDocument(options.policyStatements)),
      });
      policies.push({ id: 'policy-attachment', policyArn: policy.arn });
    }
    // Keyed by policy ARN: removing one policy detaches only it (0.1.0 keyed them by position: moved).
    const managed = (options.managedPolicyArns ?? []).map((arn, i) => ({ id: stableId('managed', arn, i), policyArn: arn, legacyId: `managed-${i}` }));
    policies.push(...managed.map(({ id: attachmentId, policyArn }) => ({ id: attachmentId, policyArn })));
    const identity = podIdentityRole(scope, {
      clusterName: this.controlPlane.cluster.name,
      namespace: options.namespace,
      serviceAccount: options.serviceAccount,
      roleNamePrefix: clusterNames.podIdentityRolePrefix(this.clusterName, id),
      policies,
      dependsOn: [this.controlPlane.podIdentityAgent],
    });
    identity.attachments.forEach((attachment) => {
      const legacy = managed.find((m) => m.id === attachment.node.id)?.legacyId;
      if (legacy !== undefined) moveFromLegacyId(attachment, legacy, scope);
    });
    // Behind a default-deny egress policy the pod could not reach the Pod Identity agent.
    this.networkPolicies.allowPodIdentityAgent(options.namespace, options.serviceAccount);
    return identity.role;
  }

  /**
   * Sets up this cluster's stack for a consumer in one call: the `helm` and `kubernetes` providers,
   * connected to this cluster with a token from `aws eks get-token` (the cluster's region and name,
   * nothing to pass again), and the security baseline checks over the whole stack. What
   * {@link CiliumEksStack} does for the bundled app. Call it once per stack; the stack must not
   * configure its own `helm` or `kubernetes` provider.
   */
  public configureStack(options: ConfigureStackOptions = {}): { helm: HelmProvider; kubernetes: KubernetesProvider } {
    parse(ConfigureStackOptionsSchema, options, 'configureStack(options)');
    const stack = TerraformStack.of(this);
    const providers = configureKubernetesProviders(stack, this.controlPlane.cluster, this.region);
    addSecurityChecks(stack, options.securityChecks);
    return providers;
  }

  /**
   * Adds a Karpenter NodePool (see {@link Karpenter.addNodePool}). An error when Karpenter is off:
   * a pool that can never launch a node is a mistake, not a no-op.
   */
  public addNodePool(options: KarpenterNodePoolOptions): KubernetesManifest {
    return this.requireKarpenter('addNodePool').addNodePool(options);
  }

  /** Adds a Karpenter EC2NodeClass (see {@link Karpenter.addNodeClass}); an error when Karpenter is off. */
  public addNodeClass(options: KarpenterNodeClassOptions): KubernetesManifest {
    return this.requireKarpenter('addNodeClass').addNodeClass(options);
  }

  private requireKarpenter(method: string): Karpenter {
    if (!this.karpenter) {
      throw new ValidationError('karpenter', false, `Karpenter on (not false) to call ${method}`, `${method} adds Karpenter objects, and this cluster has no Karpenter`);
    }
    return this.karpenter;
  }

  /** Adds a CiliumNetworkPolicy or CiliumClusterwideNetworkPolicy; it is linted at synth. */
  public addNetworkPolicy(policy: Parameters<NetworkPolicies['addPolicy']>[0]): void {
    this.networkPolicies.addPolicy(policy);
  }
}

/**
 * The version checks of a cluster on `today`: the Kubernetes version and the Cilium chart, each
 * known to the project; the chart's line e2e tested with the Kubernetes version (or
 * `cilium.allowUntestedKubernetesVersion`); the Kubernetes version not past EKS extended support.
 * Throws a ValidationError; returns the synth warnings.
 */
function versionWarnings(props: CiliumEksClusterProps, today: string): string[] {
  const kubernetesVersion = assertKubernetesVersion(props.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION);
  const chartVersion = assertCiliumChartVersion(props.cilium?.chartVersion ?? DEFAULT_CILIUM_CHART_VERSION, 'cilium.chartVersion');
  const allowUntested = props.cilium?.allowUntestedKubernetesVersion ?? false;
  check(typeof allowUntested === 'boolean', 'cilium.allowUntestedKubernetesVersion', allowUntested, 'true or false');
  // The calendar first: a version past extended support is wrong whatever the chart.
  const calendar = kubernetesSupportWarnings(kubernetesVersion, chartVersion, today);
  const untested = checkCiliumTestedWith(chartVersion, kubernetesVersion, allowUntested);
  return [...(untested !== undefined ? [untested] : []), ...calendar];
}

/** Every check of the cluster's props that needs no construct: runs first, so nothing is half built. */
function validateClusterProps(props: CiliumEksClusterProps): void {
  parse(CiliumEksClusterPropsSchema, props);
}
