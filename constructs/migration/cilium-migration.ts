import { Construct } from 'constructs';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsEksAddon } from '@cdktf/provider-aws/lib/data-aws-eks-addon';
import { DataAwsEksCluster } from '@cdktf/provider-aws/lib/data-aws-eks-cluster';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { DataAwsSubnet } from '@cdktf/provider-aws/lib/data-aws-subnet';
import { Ec2Tag } from '@cdktf/provider-aws/lib/ec2-tag';
import { EksAddon } from '@cdktf/provider-aws/lib/eks-addon';
import {
  allowedRecordedPhases,
  assertMigratable,
  assertMigrationCiliumOptions,
  assertOldNodeGroups,
  CILIUM_NODE_LABEL,
  ciliumStageOf,
  CurrentCniState,
  MigrationCiliumValuesOptions,
  migrationStageOverrides,
  NO_PHASE,
  ResolvedMigrationPhase,
  resolveMigrationPhase,
  vpcCniConfigurationValues,
  withMigrationAffinity,
} from '../../bpf/migration';
import {
  assertAcknowledged,
  assertExistingAddonSettings,
  CiliumNodeDemandInput,
  declaredEnv,
  declaredNonCarryingFeatures,
  ExistingAddonSettings,
  KUBE_PROXY_DEFAULT_MODE,
  MigrationAcknowledgements,
  PREFIX_HEADROOM_FACTOR,
  subnetDemand,
  VPC_CNI_ENV_DEFAULTS,
  VPC_CNI_INIT_ENV_DEFAULTS,
  VPC_CNI_NETWORK_POLICY,
  VPC_CNI_UNCOMPARED_ENV,
} from '../../bpf/migration-preflight';
import { resolveMaxPods } from '../../bpf/ipam';
import { HubbleOptions } from '../../bpf/cilium-values';
import { DatapathOptions } from '../../bpf/datapath';
import { assertKubernetesVersion } from '../../bpf/versions';
import { check } from '../../core/errors';
import { JsonObject } from '../../core/yaml';
import { Fn, ITerraformDependable, Token } from '../cdktf';
import { CiliumOperatorIdentity, OperatorIdentityMode } from '../cilium-operator-identity';
import { CiliumRelease } from '../cilium-release';
import { checkBlockName, guard } from '../plan-gate';
import { sortKeysDeep } from '../../core/yaml';
import { TerraformStack } from '../cdktf';
import { PlanCheck, PlanGate, PlanReading } from '../plan-gate';
import { NetworkPolicies, WorkloadNamespaceOptions } from '../network-policies';
import { CiliumNodeSecurityGroup } from '../node-security-group';
import { Karpenter, KarpenterOptions } from '../karpenter/karpenter';
import { KARPENTER_DISCOVERY_TAG_KEY } from '../karpenter/node-resources';
import { Al2023AmiType, amiArchitecture, DEFAULT_SYSTEM_AMI_TYPE, DEFAULT_SYSTEM_INSTANCE_TYPES, DEFAULT_SYSTEM_NODE_SIZES, SYSTEM_NODE_LABEL, SystemNodeGroup, systemNodeGroupEntries } from '../system-node-group';
import { SystemNodeGroupOptions } from '../cilium-eks-cluster';
import { OldNodeGroup } from './old-node-group';
import { PhaseGate } from './phase-gate';
import { declare, list, oneOf, omit, optional, parse, pattern, strict, text } from '../../core/schema';
import { addonVersion, ec2Id, goDuration, iamPrincipalArn, region, tags as tagsSchema } from '../../core/rules';
import { CurrentCniStateSchema } from '../../bpf/migration';
import { MigrationAcknowledgementsSchema } from '../../bpf/migration-preflight';
import { ciliumOptionsEntries } from '../cilium-eks-cluster';
import { KarpenterOptionsSchema } from '../karpenter/karpenter';
import { networkPoliciesSchema } from '../network-policies';
import {
  ciliumEverywhereChecks,
  envCheck,
  karpenterNodePoolsCheck,
  kubeProxyModeCheck,
  kubeProxyReplacementVerifiedCheck,
  managedAddonChecks,
  networkPolicyAgentCheck,
  networkPolicyCheck,
  notInstalledCheck,
  podIdentityAgentAbsentCheck,
  roleAnnotationCheck,
  runningFeatureCheck,
  securityGroupPoliciesGoneCheck,
  securityGroupPolicyCheck,
  SubnetCapacityOptions,
  subnetCapacityCheck,
  subnetPrefixHeadroomCheck,
} from './plan-checks';

/** Name and namespace of the ConfigMap that records the migration phase. */
export const MIGRATION_RECORD = Object.freeze({ name: 'cilium-eks-migration', namespace: 'kube-system' } as const);

/** An old node group: a managed node group whose nodes run VPC-CNI pods today. */
export interface OldNodeGroupOptions {
  /** The EKS managed node group name. */
  readonly name: string;
}
export const OldNodeGroupOptionsSchema = declare<OldNodeGroupOptions>()(strict({ name: text('an EKS managed node group name') }, 'an old node group { name }'));

/** A new node group whose nodes run only Cilium (labelled, with the Cilium startup taint). */
export interface CiliumNodeGroupOptions extends SystemNodeGroupOptions {
  /** A name for the group, unique among `ciliumNodeGroups`: its resources are keyed by it. */
  readonly name: string;
}
export const CiliumNodeGroupOptionsSchema = declare<CiliumNodeGroupOptions>()(
  strict({ ...systemNodeGroupEntries, name: pattern(/^[a-z0-9]([a-z0-9-]{0,18}[a-z0-9])?$/, 'a lower-case name of at most 20 letters, digits and -') }, 'a Cilium node group'),
);

/** Cilium settings of the migration (the greenfield {@link CiliumOptions} without strict mode). */
export interface MigrationCiliumOptions {
  /** Cilium chart version, one the project supports (`npm run versions`). @default '1.19.6' */
  readonly chartVersion?: string;
  /** ENI prefix delegation: a /28 per ENI slot (Nitro), so a node holds more pods. @default true */
  readonly prefixDelegation?: boolean;
  /** WireGuard encryption of pod traffic between Cilium nodes. @default true */
  readonly wireguard?: boolean;
  /** Hubble: relay, UI, metrics and flow export. @default - relay, UI (port-forward only), the default metrics and flow export on */
  readonly hubble?: HubbleOptions;
  /** Datapath profile of the final phase; the phases before run `compatible` (kube-proxy is still there). @default { preset: 'performance' } */
  readonly datapath?: DatapathOptions;
  /** Replicas of the Cilium operator (1 to 5). @default 2 */
  readonly operatorReplicas?: number;
  /** How the Cilium operator gets its AWS permissions for ENIs. @default OperatorIdentityMode.POD_IDENTITY */
  readonly operatorIdentity?: OperatorIdentityMode;
}
export const MigrationCiliumOptionsSchema = declare<MigrationCiliumOptions>()(
  strict(omit(ciliumOptionsEntries, ['encryptionStrictMode', 'upgradeFrom', 'preflight', 'clusterMesh', 'allowUntestedKubernetesVersion', 'warmPool']), 'Cilium options of the migration'),
);

/**
 * The props of {@link CiliumMigration}: the existing cluster (name, region, Kubernetes version, VPC), the
 * phase this deploy brings it to, its node groups old and new, and the add-ons and features as they run today
 * (every prop with its default: docs/inputs.md; the phases: docs/migration.md).
 */
export interface CiliumMigrationProps {
  /** Name of the existing EKS cluster. */
  readonly clusterName: string;
  /** Its AWS region. */
  readonly region: string;
  /** Its Kubernetes version (checked against the cluster at plan time): selects the nodes' kernel the datapath is gated on. */
  readonly kubernetesVersion: string;
  /** Its VPC. */
  readonly vpcId: string;
  /** Private subnets for the Cilium nodes and their pod ENIs (two or more zones). */
  readonly privateSubnetIds: string[];
  /** ARN of the node role the new nodes join with (one the cluster already admits, e.g. the old nodes'). */
  readonly nodeRoleArn: string;
  /** What the cluster runs today. */
  readonly current: CurrentCniState;
  /** The managed node groups running VPC-CNI pods, drained one per phase in this order. */
  readonly oldNodeGroups: readonly OldNodeGroupOptions[];
  /** The Cilium node groups. @default - one group named 'cilium' with the system node group defaults */
  readonly ciliumNodeGroups?: readonly CiliumNodeGroupOptions[];
  /** Extra security groups of the Cilium nodes, e.g. the old nodes' group when it is not the cluster security group. @default - none */
  readonly extraNodeSecurityGroupIds?: string[];
  /** The phase this deploy brings the cluster to: `prepare`, `cilium-nodes`, `drain:<old node group>` (each, in order), `finalize`. */
  readonly phase: string;
  /** Cilium as the migration installs it. @default - see MigrationCiliumOptions */
  readonly cilium?: MigrationCiliumOptions;
  /**
   * The `eks-pod-identity-agent` add-on, which the operator's identity needs: `install` it (from
   * `cilium-nodes` on; the plan of `prepare` refuses it when the agent runs already), `adopt` the
   * managed add-on that runs (imported in `prepare`, its settings in `current.podIdentityAgent`
   * kept, never removed by a rollback), or leave the agent that is `present` alone.
   * @default 'install'
   */
  readonly podIdentityAgent?: 'install' | 'adopt' | 'present';
  /**
   * Acknowledgements of VPC-CNI features that do not carry over to Cilium, one per feature found
   * in `current.vpcCni.configuration` (at synth) or on the running cluster (at plan): each is a
   * fixed value that names what it accepts (docs/migration.md#features-that-do-not-carry-over).
   * @default - none: a migration of a cluster that uses one of them is refused
   */
  readonly acknowledge?: MigrationAcknowledgements;
  /** Versions of the add-ons this stack manages. @default - the default version EKS picks for the cluster's Kubernetes version */
  readonly addonVersions?: { readonly vpcCni?: string; readonly kubeProxy?: string; readonly podIdentityAgent?: string };
  /** Workload namespaces and their ready-made policies, delivered in the final phase. @default - none */
  readonly networkPolicies?: { readonly namespaces?: readonly WorkloadNamespaceOptions[] };
  /**
   * Karpenter for more Cilium nodes, from the `cilium-nodes` phase on: its NodePools' nodes carry
   * the Cilium node label (forced on the default NodePool, checked on every NodePool at synth) and
   * the startup taint; its controller runs on the Cilium node groups. Not for a cluster that runs
   * Karpenter already; needs access entries (authentication mode API or API_AND_CONFIG_MAP).
   * @default - no Karpenter
   */
  readonly karpenter?: KarpenterOptions;
  /** `kubectl drain --timeout` of each old node group. @default '1h' */
  readonly drainTimeout?: string;
  /** Tags on the AWS resources this stack creates. @default - none */
  readonly tags?: Record<string, string>;
}
export const migrationPropsEntries = {
  clusterName: pattern(/^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/, '1 to 100 characters: letters, digits, hyphens and underscores, starting with a letter or digit', 'the EKS CreateCluster name rule'),
  region: region(),
  kubernetesVersion: pattern(/^1\.\d+$/, 'a Kubernetes minor version such as 1.34 (no patch)'),
  vpcId: ec2Id('vpc', 'a VPC ID'),
  privateSubnetIds: list(ec2Id('subnet', 'a subnet ID'), { min: 2, unique: true, duplicate: 'a subnet not listed before', allowed: 'a list of at least 2 subnet IDs', reason: 'the Cilium nodes and their pod ENIs need two or more zones' }),
  nodeRoleArn: iamPrincipalArn(['role']),
  current: CurrentCniStateSchema,
  oldNodeGroups: list(OldNodeGroupOptionsSchema, { unique: (g) => g.name, uniqueField: 'name', duplicate: 'a node group not listed before' }),
  ciliumNodeGroups: optional(list(CiliumNodeGroupOptionsSchema, { min: 1, unique: (g) => g.name, uniqueField: 'name', duplicate: 'a node group not listed before' })),
  extraNodeSecurityGroupIds: optional(list(ec2Id('sg', 'a security group ID'), { unique: true })),
  phase: text('a phase: prepare, cilium-nodes, drain:<old node group>, finalize'),
  cilium: optional(MigrationCiliumOptionsSchema),
  podIdentityAgent: optional(oneOf(['install', 'adopt', 'present'] as const)),
  acknowledge: optional(MigrationAcknowledgementsSchema),
  addonVersions: optional(strict({ vpcCni: optional(addonVersion()), kubeProxy: optional(addonVersion()), podIdentityAgent: optional(addonVersion()) }, 'add-on versions { vpcCni?, kubeProxy?, podIdentityAgent? }')),
  networkPolicies: optional(networkPoliciesSchema),
  karpenter: optional(KarpenterOptionsSchema),
  drainTimeout: optional(goDuration('a drain timeout')),
  tags: optional(tagsSchema()),
} as const;
export const CiliumMigrationPropsSchema = declare<CiliumMigrationProps>()(strict(migrationPropsEntries, 'migration props'));

/** The default Cilium node group. */
export const DEFAULT_CILIUM_NODE_GROUPS: readonly CiliumNodeGroupOptions[] = Object.freeze([{ name: 'cilium' }]);

/**
 * Moves a running EKS cluster from the AWS VPC CNI to Cilium, one phase per `cdktf deploy`
 * (docs/migration.md; the model is `resolveMigrationPhase` and `migrationCiliumValues`):
 *
 * 1. `prepare`: vpc-cni and kube-proxy (and an adopted Pod Identity agent) become managed add-ons
 *    of this stack (imported, or adopted from the self-managed DaemonSets) with the configuration,
 *    role and associations they have today (`current`), aws-node's affinity merged so it leaves out
 *    nodes labelled `cilium-eks/cni=cilium` (none exist yet). The plan refuses what runs but is not
 *    declared, features that do not carry over unless acknowledged, and subnets without room.
 * 2. `cilium-nodes`: the operator's identity, the Cilium release (ENI IPAM, native routing,
 *    agent only on labelled nodes, kube-proxy kept, policy audit mode) and the labelled Cilium
 *    node groups with the startup taint.
 * 3. `drain:<group>` per old node group: every old group tainted NoSchedule and cordoned (first
 *    drain phase), then this group drained (PodDisruptionBudgets honoured) and scaled to zero.
 *    The plan refuses while a running Karpenter NodePool would still launch VPC-CNI nodes.
 * 4. `kube-proxy-replacement`: vpc-cni removed, the project's own Cilium values (kube-proxy
 *    replacement with the cluster endpoint, agent on every node, enforcement on) and policies;
 *    refused while a node lacks the Cilium label or an aws-node pod runs.
 * 5. `finalize`: kube-proxy removed; refused until the running cluster shows kube-proxy
 *    replacement on every node (why two deploys: `FINALIZE_SPLIT`).
 *
 * The phase is recorded in the cluster and checked at plan time ({@link PhaseGate}): a skipped
 * phase fails the plan with the phase to deploy first. The scope must configure the `aws`,
 * `helm` and `kubernetes` providers for the cluster ({@link CiliumMigrationStack} does).
 */
export class CiliumMigration extends Construct {
  /**
   * The phase this deploy brings the cluster to, resolved against the old node groups (`phase` of the props):
   * its name and kind, its place in the sequence, the groups drained so far and whether vpc-cni and
   * kube-proxy still exist in it.
   */
  public readonly phase: ResolvedMigrationPhase;
  /**
   * The existing EKS cluster, read by name at plan (`aws_eks_cluster` data source): its cluster security
   * group goes on the Cilium nodes, and {@link CiliumMigrationStack} connects the `helm` and `kubernetes`
   * providers through its endpoint and CA.
   */
  public readonly cluster: DataAwsEksCluster;
  /** The vpc-cni add-on, until the last drain phase. */
  public readonly vpcCni?: EksAddon;
  /** The kube-proxy add-on, until `kube-proxy-replacement`. */
  public readonly kubeProxy?: EksAddon;
  /**
   * The `eks-pod-identity-agent` add-on when this stack manages it: with `podIdentityAgent: 'adopt'` in every
   * phase (imported in `prepare`, its current settings kept), with `'install'` from `cilium-nodes` on;
   * undefined with `'present'`, and in `prepare` with `'install'`.
   */
  public readonly podIdentityAgent?: EksAddon;
  /**
   * The Cilium operator's AWS identity ({@link CiliumOperatorIdentity}) from `cilium-nodes` on, by
   * `cilium.operatorIdentity`; undefined in `prepare`.
   */
  public readonly operatorIdentity?: CiliumOperatorIdentity;
  /**
   * The Cilium node-to-node security group ({@link CiliumNodeSecurityGroup}) in `vpcId`, from `cilium-nodes`
   * on (the stack outputs its ID); the Cilium node groups carry it with the cluster security group and
   * `extraNodeSecurityGroupIds`. Undefined in `prepare`.
   */
  public readonly nodeSecurityGroup?: CiliumNodeSecurityGroup;
  /**
   * The Cilium Helm release ({@link CiliumRelease}) from `cilium-nodes` on, with the values of the phase's
   * stage (see {@link CiliumMigration.ciliumValues}); undefined in `prepare`.
   */
  public readonly cilium?: CiliumRelease;
  /** Cilium node groups by name. */
  public readonly ciliumNodeGroups: ReadonlyMap<string, SystemNodeGroup>;
  /** Old node groups by name. */
  public readonly oldNodeGroups: ReadonlyMap<string, OldNodeGroup>;
  /**
   * The project's network policies and workload namespaces ({@link NetworkPolicies}, `networkPolicies` of the
   * props), from `kube-proxy-replacement` on, once Cilium runs on every node; undefined before.
   */
  public readonly networkPolicies?: NetworkPolicies;
  /** Karpenter, when asked for, from the `cilium-nodes` phase on. */
  public readonly karpenter?: Karpenter;
  /**
   * The record of the phase in the cluster, the ConfigMap {@link MIGRATION_RECORD} ({@link PhaseGate}):
   * written once everything of the phase is applied, and read at plan to refuse a phase deployed out of
   * order.
   */
  public readonly gate: PhaseGate;
  /** The readings of the running cluster the plan-time checks use. */
  public readonly planGate: PlanGate;
  /** The Cilium values of this phase, or undefined before Cilium is installed. */
  public readonly ciliumValues?: JsonObject;

  constructor(scope: Construct, id: string, props: CiliumMigrationProps) {
    super(scope, id);
    // ---- Validation: everything every phase needs, whatever the phase.
    // Every key known (a typo fails here, naming it), then the values.
    parse(CiliumMigrationPropsSchema, props);
    assertMigratable(props.current, 'current');
    const kubernetesVersion = assertKubernetesVersion(props.kubernetesVersion, 'kubernetesVersion');
    const oldNames = props.oldNodeGroups.map((g) => g.name);
    assertOldNodeGroups(oldNames, 'oldNodeGroups');
    const ciliumGroups = props.ciliumNodeGroups ?? DEFAULT_CILIUM_NODE_GROUPS;
    check(ciliumGroups.length > 0, 'ciliumNodeGroups', ciliumGroups, 'at least one node group for the Cilium nodes');
    const seen = new Set<string>();
    ciliumGroups.forEach((g, i) => {
      check(/^[a-z0-9]([a-z0-9-]{0,18}[a-z0-9])?$/.test(g.name), `ciliumNodeGroups[${i}].name`, g.name, 'a lower-case name of at most 20 letters, digits and -');
      check(!seen.has(g.name) && !oldNames.includes(g.name), `ciliumNodeGroups[${i}].name`, g.name, 'a name no other Cilium or old node group has');
      seen.add(g.name);
    });
    const agent = props.podIdentityAgent ?? 'install';
    check(agent === 'install' || agent === 'adopt' || agent === 'present', 'podIdentityAgent', agent, "'install', 'adopt' or 'present'");
    this.phase = resolveMigrationPhase(props.phase, oldNames, 'phase');
    // What the cluster has today, kept: checked for shape, and the features it turns on acknowledged.
    const current = props.current;
    const addons = current.addons as 'managed' | 'self-managed';
    assertExistingAddonSettings(current.vpcCni, 'current.vpcCni', addons);
    assertExistingAddonSettings(current.kubeProxy, 'current.kubeProxy', addons);
    assertExistingAddonSettings(current.podIdentityAgent, 'current.podIdentityAgent', 'managed');
    check(current.podIdentityAgent === undefined || agent === 'adopt', 'current.podIdentityAgent', current.podIdentityAgent, "nothing unless podIdentityAgent is 'adopt'", 'only an adopted add-on keeps settings from before the migration');
    const vpcCniConfiguration = current.vpcCni?.configuration;
    const vpcCniValues = vpcCniConfigurationValues(vpcCniConfiguration, 'current.vpcCni.configuration');
    const env = {
      main: declaredEnv(vpcCniConfiguration, 'env', 'current.vpcCni.configuration'),
      init: declaredEnv(vpcCniConfiguration, 'init.env', 'current.vpcCni.configuration'),
    };
    (current.vpcCni?.resetEnv ?? []).forEach((name, i) => check(/^[A-Za-z_][A-Za-z0-9_]*$/.test(name), `current.vpcCni.resetEnv[${i}]`, name, 'an environment variable name'));
    const networkPolicy = vpcCniConfiguration?.enableNetworkPolicy ?? VPC_CNI_NETWORK_POLICY.default;
    check(networkPolicy === 'true' || networkPolicy === 'false', 'current.vpcCni.configuration.enableNetworkPolicy', networkPolicy, '"true" or "false" (a string, as the add-on takes it)');
    const kubeProxyMode = current.kubeProxy?.configuration?.mode ?? KUBE_PROXY_DEFAULT_MODE;
    check(typeof kubeProxyMode === 'string', 'current.kubeProxy.configuration.mode', kubeProxyMode, "a kube-proxy mode such as 'iptables' or 'ipvs'");
    const acknowledge = props.acknowledge ?? {};
    assertAcknowledged(declaredNonCarryingFeatures(vpcCniConfiguration), acknowledge, 'acknowledge');
    const c = props.cilium ?? {};
    const ciliumOptions = (host: string): MigrationCiliumValuesOptions => ({
      chartVersion: c.chartVersion,
      k8sServiceHost: host,
      k8sServicePort: 443,
      region: props.region,
      kubernetesVersion,
      prefixDelegation: c.prefixDelegation,
      wireguard: c.wireguard,
      hubble: c.hubble,
      datapath: c.datapath,
      operatorReplicas: c.operatorReplicas,
      podSubnetIds: props.privateSubnetIds,
    });
    // Every stage's values are judged now: a setting the last phase refuses fails at the first.
    const prefixDelegation = assertMigrationCiliumOptions(ciliumOptions('cluster.example.com')).prefixDelegation;
    // The addresses the Cilium nodes claim in each subnet (the maxPods rule judges each group again in SystemNodeGroup).
    const demand = subnetDemand(
      ciliumGroups.map((g, i): CiliumNodeDemandInput => {
        const instanceTypes = g.instanceTypes ?? [...DEFAULT_SYSTEM_INSTANCE_TYPES[amiArchitecture((g.amiType ?? DEFAULT_SYSTEM_AMI_TYPE) as Al2023AmiType)]];
        return {
          name: g.name,
          maxNodes: g.maxSize ?? DEFAULT_SYSTEM_NODE_SIZES.maxSize,
          maxPods: resolveMaxPods({ prefixDelegation, maxPods: g.maxPods, instanceTypes, property: `ciliumNodeGroups[${i}].maxPods` }),
          instanceTypes,
        };
      }),
      props.privateSubnetIds.length,
      prefixDelegation,
    );

    const tags = props.tags;
    const stage = ciliumStageOf(this.phase.kind);
    const kind = this.phase.kind;

    // ---- The cluster as it is.
    this.cluster = new DataAwsEksCluster(this, 'cluster', { name: props.clusterName });
    const partition = new DataAwsPartition(this, 'partition').partition;
    const accountId = new DataAwsCallerIdentity(this, 'account').accountId;
    this.planGate = new PlanGate(this, 'plan-gate', { clusterName: props.clusterName });
    const readings = new MigrationReadings(this.planGate);
    const changes: ITerraformDependable[] = [];

    // ---- 1. prepare: the add-ons, managed by this stack with what they have today, aws-node off Cilium nodes.
    if (this.phase.vpcCniPresent) {
      this.vpcCni = this.addon('vpc-cni', props, props.addonVersions?.vpcCni, current.vpcCni, vpcCniValues);
      changes.push(this.vpcCni);
    }
    if (this.phase.kubeProxyPresent) {
      const kubeProxyConfiguration = current.kubeProxy?.configuration;
      this.kubeProxy = this.addon('kube-proxy', props, props.addonVersions?.kubeProxy, current.kubeProxy, kubeProxyConfiguration ? JSON.stringify(sortKeysDeep(kubeProxyConfiguration)) : undefined);
      changes.push(this.kubeProxy);
    }
    if (agent === 'adopt') {
      const configuration = current.podIdentityAgent?.configuration;
      this.podIdentityAgent = this.addon('eks-pod-identity-agent', props, props.addonVersions?.podIdentityAgent, current.podIdentityAgent, configuration ? JSON.stringify(sortKeysDeep(configuration)) : undefined, 'pod-identity-agent', 'managed');
      changes.push(this.podIdentityAgent);
    }
    if (kind === 'prepare') {
      const guardVpcCni = (check: PlanCheck): void => guard(this.vpcCni!, check);
      // What runs on aws-node is what is declared (kubectl edits included), or prepare would reset it.
      const reset = current.vpcCni?.resetEnv ?? [];
      const envOptions = { podSpec: readings.awsNodePodSpec(), uncompared: VPC_CNI_UNCOMPARED_ENV, reset };
      guardVpcCni(envCheck({ ...envOptions, list: 'containers', container: 'aws-node', declared: env.main, defaults: VPC_CNI_ENV_DEFAULTS, property: 'current.vpcCni.configuration.env' }));
      guardVpcCni(envCheck({ ...envOptions, list: 'initContainers', container: 'aws-vpc-cni-init', declared: env.init, defaults: VPC_CNI_INIT_ENV_DEFAULTS, property: 'current.vpcCni.configuration.init.env' }));
      guardVpcCni(networkPolicyCheck(readings.vpcCniConfigMap(), networkPolicy as string, 'current.vpcCni.configuration.enableNetworkPolicy'));
      if (addons === 'self-managed') {
        guardVpcCni(roleAnnotationCheck(readings.serviceAccountAnnotations('aws-node'), current.vpcCni?.serviceAccountRoleArn, 'current.vpcCni.serviceAccountRoleArn'));
        guard(this.kubeProxy!, kubeProxyModeCheck(readings.kubeProxyConfig(), kubeProxyMode as string, KUBE_PROXY_DEFAULT_MODE, 'current.kubeProxy.configuration.mode'));
      } else {
        const merged = withMigrationAffinity(vpcCniConfiguration);
        for (const check of this.managedAddonChecks('vpc-cni', props.clusterName, current.vpcCni, [vpcCniConfiguration ?? {}, merged], 'current.vpcCni')) guardVpcCni(check);
        for (const check of this.managedAddonChecks('kube-proxy', props.clusterName, current.kubeProxy, [current.kubeProxy?.configuration ?? {}], 'current.kubeProxy')) guard(this.kubeProxy!, check);
      }
      if (agent === 'adopt') {
        const configuration = current.podIdentityAgent?.configuration ?? {};
        for (const check of this.managedAddonChecks('eks-pod-identity-agent', props.clusterName, current.podIdentityAgent, [configuration], 'current.podIdentityAgent')) guard(this.podIdentityAgent!, check);
      }
      if (agent === 'install') guardVpcCni(podIdentityAgentAbsentCheck(readings.podIdentityAgentDaemonSet()));
      // What cilium-nodes installs must not be there before it (a failed cilium-nodes apply is judged no more: prepare is planned before it).
      guardVpcCni(notInstalledCheck(readings.ciliumAgent(), 'Cilium', "Manage a cluster that runs Cilium with CiliumEksCluster, or remove the other installation first; current.cni is 'aws-vpc-cni' only for a cluster whose pods use the VPC CNI."));
      if (props.karpenter) {
        guardVpcCni(notInstalledCheck(readings.karpenterCrd(), 'Karpenter', 'Leave karpenter out and move the NodePools of the Karpenter that runs (docs/migration.md#karpenter-nodes).'));
      }
      // Features that do not carry over: refused unless acknowledged (the synth judged what is declared).
      if (acknowledge.securityGroupsForPods === undefined) {
        guardVpcCni(securityGroupPolicyCheck(readings.securityGroupPolicies()));
        guardVpcCni(runningFeatureCheck(readings.awsNodePodSpec(), 'ENABLE_POD_ENI', 'securityGroupsForPods'));
      }
      if (acknowledge.networkPolicyAgent === undefined) guardVpcCni(networkPolicyAgentCheck(readings.vpcCniConfigMap()));
      if (acknowledge.customNetworking === undefined) guardVpcCni(runningFeatureCheck(readings.awsNodePodSpec(), 'AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG', 'customNetworking'));
    }
    // Room for the Cilium nodes' addresses: judged when prepare is planned, and again when the
    // nodes are about to be created (not once they exist: their own addresses would count twice).
    const capacity: ((check: PlanCheck) => void) | undefined = kind === 'prepare' ? (check) => guard(this.vpcCni!, check) : undefined;
    const subnetChecks = kind === 'prepare' || kind === 'cilium-nodes' ? this.subnetChecks(props.privateSubnetIds, demand, prefixDelegation, `length(${readings.ciliumNodes().hcl}) == 0`, kind) : [];
    if (capacity) subnetChecks.forEach((o) => capacity(subnetCapacityCheck(o)));

    // ---- 2. cilium-nodes: identity, Cilium, the new nodes.
    const ciliumNodeGroups = new Map<string, SystemNodeGroup>();
    if (kind !== 'prepare') {
      if (agent === 'install') {
        this.podIdentityAgent = new EksAddon(this, 'pod-identity-agent', {
          clusterName: this.cluster.name,
          addonName: 'eks-pod-identity-agent',
          addonVersion: props.addonVersions?.podIdentityAgent,
          resolveConflictsOnCreate: 'OVERWRITE',
          tags,
        });
        changes.push(this.podIdentityAgent);
      }
      this.operatorIdentity = new CiliumOperatorIdentity(this, 'cilium-operator-identity', {
        clusterName: this.cluster.name,
        namePrefix: props.clusterName,
        policyContext: { partition, region: props.region, accountId, vpcId: props.vpcId },
        mode: c.operatorIdentity,
        // The role name is the ARN's last path segment.
        nodeRoleName: Token.isUnresolved(props.nodeRoleArn) ? Token.asString(Fn.element(Fn.reverse(Fn.split('/', props.nodeRoleArn)), 0)) : props.nodeRoleArn.split('/').pop(),
        dependsOn: this.podIdentityAgent ? [this.podIdentityAgent] : [],
        tags,
      });
      this.nodeSecurityGroup = new CiliumNodeSecurityGroup(this, 'node-security-group', { clusterName: props.clusterName, vpcId: props.vpcId, tags });
      const host = Token.asString(Fn.replace(this.cluster.endpoint, 'https://', ''));
      const override: JsonObject | undefined = stage === 'migrating' ? migrationStageOverrides() : undefined;
      this.cilium = new CiliumRelease(this, 'cilium', {
        values: { ...ciliumOptions(host), datapath: stage === 'migrating' ? { preset: 'compatible' } : c.datapath },
        overlayValues: override,
        dependsOn: [...this.operatorIdentity.dependables, ...(this.podIdentityAgent ? [this.podIdentityAgent] : [])],
      });
      // The kernel the datapath is gated on follows the version given; the cluster must run it.
      const clusterAddress = `data.${this.cluster.terraformResourceType}.${this.cluster.friendlyUniqueId}`;
      guard(this.cilium.release, {
        condition: `${clusterAddress}.version == ${JSON.stringify(kubernetesVersion)}`,
        errorMessage: `cilium-eks migration: kubernetesVersion is ${kubernetesVersion} but cluster ${props.clusterName} runs \${${clusterAddress}.version}; set kubernetesVersion to the cluster's version (it selects the nodes' kernel).`,
      });
      // Cilium on every node only once every node is a Cilium node and aws-node runs nowhere.
      if (stage === 'final') {
        for (const check of ciliumEverywhereChecks({ unlabelledNodes: readings.nodesWithoutCiliumLabel(), awsNodePods: readings.awsNodePods(), phase: this.phase.name })) guard(this.cilium.release, check);
      }
      this.ciliumValues = this.cilium.values;
      changes.push(this.cilium.release);
      for (const g of ciliumGroups) {
        const { name, ...options } = g;
        const group = new SystemNodeGroup(this, `cilium-nodes-${name}`, {
          clusterName: this.cluster.name,
          namePrefix: `${props.clusterName.slice(0, 20)}-${name}`,
          nodeRoleArn: props.nodeRoleArn,
          subnetIds: props.privateSubnetIds,
          securityGroupIds: [this.cluster.vpcConfig.get(0).clusterSecurityGroupId, this.nodeSecurityGroup.securityGroup.id, ...(props.extraNodeSecurityGroupIds ?? [])],
          prefixDelegation: this.cilium.options.prefixDelegation,
          // The nodes join with a complete NodeConfig, from the running cluster's details.
          kubernetesVersion,
          cluster: {
            name: this.cluster.name,
            apiServerEndpoint: this.cluster.endpoint,
            certificateAuthority: this.cluster.certificateAuthority.get(0).data,
            serviceIpv4Cidr: this.cluster.kubernetesNetworkConfig.get(0).serviceIpv4Cidr,
          },
          ...options,
          labels: { [CILIUM_NODE_LABEL.key]: CILIUM_NODE_LABEL.value },
          tags,
          dependsOn: [this.cilium.release, ...this.nodeSecurityGroup.rules],
        });
        // On the first group: the demand is every group's.
        if (kind === 'cilium-nodes' && ciliumNodeGroups.size === 0) subnetChecks.forEach((o) => guard(group.nodeGroup, subnetCapacityCheck(o)));
        ciliumNodeGroups.set(name, group);
        changes.push(group.nodeGroup);
      }
    }
    this.ciliumNodeGroups = ciliumNodeGroups;
    // With prefix delegation, a warning (not a refusal) where free addresses may hold no free /28.
    if (prefixDelegation && subnetChecks.length > 0) {
      const headroom = subnetChecks.map((o) => subnetPrefixHeadroomCheck(o, PREFIX_HEADROOM_FACTOR));
      TerraformStack.of(this).addOverride(`check.${checkBlockName(this.node.path, 'pod_prefix_headroom')}`, {
        assert: headroom.map((h) => ({ condition: `\${${h.condition}}`, error_message: h.errorMessage })),
      });
    }

    // ---- 2b. Karpenter (opt-in): more Cilium nodes, labelled like the node groups'.
    if (props.karpenter && this.cilium) {
      const k = props.karpenter;
      // The EC2NodeClass finds subnets and security groups by this tag; the node security group has it.
      // Keyed by subnet ID (by position only when the IDs are Terraform tokens).
      props.privateSubnetIds.forEach((subnetId, i) =>
        new Ec2Tag(this, `subnet-discovery-tag-${Token.isUnresolved(subnetId) ? i : subnetId}`, { resourceId: subnetId, key: KARPENTER_DISCOVERY_TAG_KEY, value: props.clusterName }),
      );
      new Ec2Tag(this, 'cluster-sg-discovery-tag', { resourceId: this.cluster.vpcConfig.get(0).clusterSecurityGroupId, key: KARPENTER_DISCOVERY_TAG_KEY, value: props.clusterName });
      const nodeGroups = [...ciliumNodeGroups.values()].map((g) => g.nodeGroup);
      this.karpenter = new Karpenter(this, 'karpenter', {
        ...k,
        defaultNodePool: k.defaultNodePool === false ? false : { ...k.defaultNodePool, labels: { ...k.defaultNodePool?.labels, [CILIUM_NODE_LABEL.key]: CILIUM_NODE_LABEL.value } },
        tags: k.tags ?? tags,
        cluster: {
          clusterName: props.clusterName,
          clusterNameRef: this.cluster.name,
          clusterEndpoint: this.cluster.endpoint,
          partition,
          region: props.region,
          accountId,
          prefixDelegation: this.cilium.options.prefixDelegation,
          // The Cilium managed node groups, never a node Karpenter manages itself.
          controllerNodeSelector: { [SYSTEM_NODE_LABEL]: 'system' },
          clusterReady: nodeGroups,
          kubernetesVersion,
        },
      });
      changes.push(this.karpenter.crdRelease, this.karpenter.release, this.karpenter.nodeResources.release);
      const karpenter = this.karpenter;
      // A NodePool without the label would get aws-node and the Cilium agent on its nodes.
      this.node.addValidation({
        validate: () =>
          karpenter.nodeResources.manifests
            .filter((m) => m.kind === 'NodePool')
            .filter((m) => ((m.spec as { template?: { metadata?: { labels?: Record<string, string> } } }).template?.metadata?.labels ?? {})[CILIUM_NODE_LABEL.key] !== CILIUM_NODE_LABEL.value)
            .map((m) => `karpenter NodePool ${m.metadata.name}: its nodes must carry the label ${CILIUM_NODE_LABEL.key}=${CILIUM_NODE_LABEL.value} during the migration (labels: { '${CILIUM_NODE_LABEL.key}': '${CILIUM_NODE_LABEL.value}' }), or aws-node and the Cilium agent would both run on them`),
      });
    }

    // ---- 3. drain: every old group stops taking pods, then one group per phase is drained.
    const oldGroups = new Map<string, OldNodeGroup>();
    for (const name of oldNames) {
      const group = new OldNodeGroup(this, `old-nodes-${name}`, {
        clusterName: props.clusterName,
        region: props.region,
        nodeGroupName: name,
        cordon: this.phase.oldNodesTainted,
        drain: this.phase.drained.includes(name),
        drainTimeout: props.drainTimeout,
        // The Cilium nodes must be up before pods are pushed off the old ones.
        dependsOn: [...ciliumNodeGroups.values()].map((g) => g.nodeGroup),
      });
      oldGroups.set(name, group);
      changes.push(...group.steps);
    }
    // Every old group is cordoned before any is drained (and, undone in reverse, every drain restored
    // before any cordon goes): without it Terraform's parallel walk may drain one group while another
    // still takes pods (seen as a reordered teardown in the lifecycle sequence under load).
    const cordons = [...oldGroups.values()].flatMap((g) => (g.cordonStep ? [g.cordonStep] : []));
    for (const group of oldGroups.values()) group.drainAfter(cordons);
    this.oldNodeGroups = oldGroups;
    // Once pods move, a Karpenter that runs already launches only Cilium nodes.
    const firstCordon = oldGroups.get(oldNames[0])?.cordonStep;
    if (firstCordon) {
      guard(firstCordon, karpenterNodePoolsCheck(readings.karpenterNodePools()));
      guard(firstCordon, securityGroupPoliciesGoneCheck(readings.securityGroupPolicies()));
    }

    // ---- 4. kube-proxy-replacement: the project's policies, once Cilium runs everywhere.
    if (stage === 'final' && this.cilium) {
      this.networkPolicies = new NetworkPolicies(this, 'network-policies', {
        dependsOn: [this.cilium.release, ...[...ciliumNodeGroups.values()].map((g) => g.nodeGroup)],
        kubernetesVersion,
        region: props.region,
        namespaces: props.networkPolicies?.namespaces,
      });
      changes.push(this.networkPolicies.release.release);
    }

    // ---- The record, written last, and the plan-time check of the order.
    this.gate = new PhaseGate(this, 'phase-gate', {
      clusterName: props.clusterName,
      configMapName: MIGRATION_RECORD.name,
      namespace: MIGRATION_RECORD.namespace,
      subject: 'cilium-eks migration',
      sequence: this.phase.sequence,
      phase: this.phase.name,
      allowedRecorded: allowedRecordedPhases(this.phase),
      initial: NO_PHASE,
      dependsOn: changes,
      planGate: this.planGate,
    });
    // ---- 5. finalize: kube-proxy goes only once its replacement runs on every node.
    if (kind === 'finalize') guard(this.gate.record, kubeProxyReplacementVerifiedCheck(readings.kubeProxyReplacement()));
  }

  /**
   * An add-on of this stack with the settings it has today: imported when it is a managed add-on
   * already, adopted from the self-managed DaemonSet otherwise. On create `OVERWRITE` (EKS API
   * `CreateAddon`: NONE and PRESERVE fail on the self-managed DaemonSet's conflicts; OVERWRITE
   * resets what differs from the EKS default, which is why the configuration passed holds what the
   * cluster runs); on update `PRESERVE` (`UpdateAddon`: "preserves the value"; what kubectl
   * changed on fields EKS does not manage stays).
   *
   * The import block is written in `prepare` only. Later phases find the add-on in the state; and
   * rolling `kube-proxy-replacement` or `finalize` back must create the add-on they deleted, which
   * an import block would turn into an import of an object that no longer exists.
   */
  private addon(
    name: 'vpc-cni' | 'kube-proxy' | 'eks-pod-identity-agent',
    props: CiliumMigrationProps,
    version: string | undefined,
    settings: ExistingAddonSettings | undefined,
    configurationValues: string | undefined,
    id: string = name,
    addons: string = props.current.addons,
  ): EksAddon {
    const addon = new EksAddon(this, id, {
      clusterName: props.clusterName,
      addonName: name,
      addonVersion: version,
      configurationValues,
      serviceAccountRoleArn: settings?.serviceAccountRoleArn,
      podIdentityAssociation: settings?.podIdentityAssociations?.map((a) => ({ serviceAccount: a.serviceAccount, roleArn: a.roleArn })),
      resolveConflictsOnCreate: 'OVERWRITE',
      resolveConflictsOnUpdate: 'PRESERVE',
      tags: props.tags,
    });
    // aws_eks_addon import ID: <cluster name>:<add-on name>.
    if (addons === 'managed' && this.phase.kind === 'prepare') addon.importFrom(`${props.clusterName}:${name}`);
    return addon;
  }

  /** The checks of a managed add-on's settings, read with `data aws_eks_addon` (prepare only). */
  private managedAddonChecks(name: string, clusterName: string, settings: ExistingAddonSettings | undefined, accepted: JsonObject[], property: string): PlanCheck[] {
    const data = new DataAwsEksAddon(this, `running-${name}`, { clusterName, addonName: name });
    return managedAddonChecks({ address: `data.${data.terraformResourceType}.${data.friendlyUniqueId}`, addonName: name, settings, accepted, property, envFromDaemonSet: name === 'vpc-cni' });
  }

  /** The subnets the Cilium nodes use, read at plan, keyed by subnet ID (by position only for Terraform tokens). */
  private subnetChecks(subnetIds: readonly string[], demand: ReturnType<typeof subnetDemand>, prefixDelegation: boolean, applies: string, phase: string): SubnetCapacityOptions[] {
    return subnetIds.map((subnetId, i) => {
      const subnet = new DataAwsSubnet(this, `subnet-${Token.isUnresolved(subnetId) ? i : subnetId}`, { id: subnetId });
      return { subnet: `data.${subnet.terraformResourceType}.${subnet.friendlyUniqueId}`, demand, prefixDelegation, applies, phase };
    });
  }
}

/** The running objects the migration's checks read, each created once on first use. */
class MigrationReadings {
  constructor(private readonly gate: PlanGate) {}
  private readonly cache = new Map<string, PlanReading>();
  private once(key: string, read: () => PlanReading): PlanReading {
    let r = this.cache.get(key);
    if (!r) {
      r = read();
      this.cache.set(key, r);
    }
    return r;
  }

  awsNodePodSpec(): PlanReading {
    return this.once('aws-node', () => this.gate.runningObject('aws-node', { apiVersion: 'apps/v1', kind: 'DaemonSet', namespace: 'kube-system', name: 'aws-node', field: 'spec.template.spec', description: 'the aws-node DaemonSet' }));
  }
  vpcCniConfigMap(): PlanReading {
    return this.once('cm', () =>
      this.gate.runningObject('amazon-vpc-cni', { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'kube-system', name: VPC_CNI_NETWORK_POLICY.configMap, field: 'data', description: `the ConfigMap kube-system/${VPC_CNI_NETWORK_POLICY.configMap}` }),
    );
  }
  serviceAccountAnnotations(name: string): PlanReading {
    return this.once(`sa-${name}`, () => this.gate.runningObject(`sa-${name}`, { apiVersion: 'v1', kind: 'ServiceAccount', namespace: 'kube-system', name, field: 'metadata.annotations', description: `the service account kube-system/${name}` }));
  }
  kubeProxyConfig(): PlanReading {
    return this.once('kube-proxy-config', () =>
      this.gate.runningObject('kube-proxy-config', { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'kube-system', name: 'kube-proxy-config', field: 'data.config', description: 'the ConfigMap kube-system/kube-proxy-config' }),
    );
  }
  podIdentityAgentDaemonSet(): PlanReading {
    return this.once('pia', () =>
      this.gate.runningObject('eks-pod-identity-agent', { apiVersion: 'apps/v1', kind: 'DaemonSet', namespace: 'kube-system', name: 'eks-pod-identity-agent', field: 'metadata.name', description: 'the DaemonSet kube-system/eks-pod-identity-agent' }),
    );
  }
  securityGroupPolicies(): PlanReading {
    return this.once('sgp', () =>
      this.gate.runningObjects('security-group-policies', { apiVersion: 'vpcresources.k8s.aws/v1beta1', kind: 'SecurityGroupPolicy', crd: 'securitygrouppolicies.vpcresources.k8s.aws', description: 'the SecurityGroupPolicy objects' }),
    );
  }
  ciliumNodes(): PlanReading {
    return this.once('cilium-nodes', () => this.gate.runningObjects('cilium-nodes', { apiVersion: 'v1', kind: 'Node', labelSelector: `${CILIUM_NODE_LABEL.key}=${CILIUM_NODE_LABEL.value}`, description: 'the Cilium nodes' }));
  }
  nodesWithoutCiliumLabel(): PlanReading {
    return this.once('unlabelled', () =>
      this.gate.runningObjects('nodes-without-cilium-label', {
        apiVersion: 'v1',
        kind: 'Node',
        // Fargate, hybrid and Auto Mode nodes run neither CNI (aws-node's own affinity leaves them out).
        labelSelector: `${CILIUM_NODE_LABEL.key}!=${CILIUM_NODE_LABEL.value},eks.amazonaws.com/compute-type notin (fargate,hybrid,auto)`,
        description: 'the nodes without the Cilium label',
      }),
    );
  }
  awsNodePods(): PlanReading {
    return this.once('aws-node-pods', () => this.gate.runningObjects('aws-node-pods', { apiVersion: 'v1', kind: 'Pod', namespace: 'kube-system', labelSelector: 'k8s-app=aws-node', description: 'the aws-node pods' }));
  }
  ciliumAgent(): PlanReading {
    return this.once('cilium-agent-list', () => this.gate.runningObjects('cilium-daemonset', { apiVersion: 'apps/v1', kind: 'DaemonSet', namespace: 'kube-system', fieldSelector: 'metadata.name=cilium', description: 'the DaemonSet kube-system/cilium' }));
  }
  karpenterCrd(): PlanReading {
    return this.once('karpenter-crd', () =>
      this.gate.runningObjects('karpenter-crd', { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', fieldSelector: 'metadata.name=nodepools.karpenter.sh', description: 'the CustomResourceDefinition nodepools.karpenter.sh' }),
    );
  }
  karpenterNodePools(): PlanReading {
    return this.once('nodepools', () => this.gate.runningObjects('karpenter-nodepools', { apiVersion: 'karpenter.sh/v1', kind: 'NodePool', crd: 'nodepools.karpenter.sh', description: 'the Karpenter NodePools' }));
  }
  kubeProxyReplacement(): { ciliumConfig: PlanReading; agentStatus: PlanReading; agentGeneration: PlanReading } {
    const agent = { apiVersion: 'apps/v1', kind: 'DaemonSet', namespace: 'kube-system', name: 'cilium', description: 'the Cilium agent DaemonSet' };
    return {
      ciliumConfig: this.once('cilium-config', () => this.gate.runningObject('cilium-config', { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'kube-system', name: 'cilium-config', field: 'data', description: 'the ConfigMap kube-system/cilium-config' })),
      agentStatus: this.once('cilium-status', () => this.gate.runningObject('cilium-agent', { ...agent, field: 'status' })),
      agentGeneration: this.once('cilium-generation', () => this.gate.runningObject('cilium-agent', { ...agent, field: 'metadata.generation' })),
    };
  }
}
