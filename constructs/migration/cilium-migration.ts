import { Construct } from 'constructs';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsEksCluster } from '@cdktf/provider-aws/lib/data-aws-eks-cluster';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
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
} from '../../bpf/migration';
import { HubbleOptions } from '../../bpf/cilium-values';
import { DatapathOptions } from '../../bpf/datapath';
import { assertKubernetesVersion } from '../../bpf/versions';
import { check } from '../../core/errors';
import { JsonObject } from '../../core/yaml';
import { Fn, ITerraformDependable, Token } from '../cdktf';
import { CiliumOperatorIdentity, OperatorIdentityMode } from '../cilium-operator-identity';
import { CiliumRelease } from '../cilium-release';
import { guard } from '../plan-gate';
import { NetworkPolicies, WorkloadNamespaceOptions } from '../network-policies';
import { CiliumNodeSecurityGroup } from '../node-security-group';
import { Karpenter, KarpenterOptions } from '../karpenter/karpenter';
import { KARPENTER_DISCOVERY_TAG_KEY } from '../karpenter/node-resources';
import { SYSTEM_NODE_LABEL, SystemNodeGroup } from '../system-node-group';
import { SystemNodeGroupOptions } from '../cilium-eks-cluster';
import { OldNodeGroup } from './old-node-group';
import { PhaseGate } from './phase-gate';
import { declare, list, oneOf, omit, optional, parse, pattern, strict, text } from '../../core/schema';
import { addonVersion, ec2Id, goDuration, iamPrincipalArn, region, tags as tagsSchema } from '../../core/rules';
import { CurrentCniStateSchema } from '../../bpf/migration';
import { ciliumOptionsEntries, systemNodeGroupEntries } from '../cilium-eks-cluster';
import { KarpenterOptionsSchema } from '../karpenter/karpenter';
import { networkPoliciesSchema } from '../network-policies';

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
  /** @default '1.19.6' */
  readonly chartVersion?: string;
  /** @default true */
  readonly prefixDelegation?: boolean;
  /** @default true */
  readonly wireguard?: boolean;
  /** @default - relay, UI (port-forward only), the default metrics and flow export on */
  readonly hubble?: HubbleOptions;
  /** Datapath profile of the final phase; the phases before run `compatible` (kube-proxy is still there). @default { preset: 'performance' } */
  readonly datapath?: DatapathOptions;
  /** @default 2 */
  readonly operatorReplicas?: number;
  /** @default OperatorIdentityMode.POD_IDENTITY */
  readonly operatorIdentity?: OperatorIdentityMode;
}
export const MigrationCiliumOptionsSchema = declare<MigrationCiliumOptions>()(
  strict(omit(ciliumOptionsEntries, ['encryptionStrictMode', 'upgradeFrom', 'preflight', 'clusterMesh', 'allowUntestedKubernetesVersion']), 'Cilium options of the migration'),
);

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
  /** @default - see MigrationCiliumOptions */
  readonly cilium?: MigrationCiliumOptions;
  /**
   * Whether the `eks-pod-identity-agent` add-on is to be installed (the operator's identity needs
   * it) or is already on the cluster.
   * @default 'install'
   */
  readonly podIdentityAgent?: 'install' | 'present';
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
  podIdentityAgent: optional(oneOf(['install', 'present'] as const)),
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
 * 1. `prepare`: vpc-cni and kube-proxy become managed add-ons of this stack (imported, or adopted
 *    from the self-managed DaemonSets), aws-node's affinity leaves out nodes labelled
 *    `cilium-eks/cni=cilium` (none exist yet).
 * 2. `cilium-nodes`: the operator's identity, the Cilium release (ENI IPAM, native routing,
 *    agent only on labelled nodes, kube-proxy kept, policy audit mode) and the labelled Cilium
 *    node groups with the startup taint.
 * 3. `drain:<group>` per old node group: every old group tainted NoSchedule and cordoned (first
 *    drain phase), then this group drained (PodDisruptionBudgets honoured) and scaled to zero.
 * 4. `finalize`: vpc-cni and kube-proxy add-ons removed, the project's own Cilium values (kube-proxy
 *    replacement with the cluster endpoint, agent on every node, enforcement on) and policies.
 *
 * The phase is recorded in the cluster and checked at plan time ({@link PhaseGate}): a skipped
 * phase fails the plan with the phase to deploy first. The scope must configure the `aws`,
 * `helm` and `kubernetes` providers for the cluster ({@link CiliumMigrationStack} does).
 */
export class CiliumMigration extends Construct {
  public readonly phase: ResolvedMigrationPhase;
  public readonly cluster: DataAwsEksCluster;
  /** The vpc-cni and kube-proxy add-ons, in every phase but `finalize`. */
  public readonly vpcCni?: EksAddon;
  public readonly kubeProxy?: EksAddon;
  public readonly podIdentityAgent?: EksAddon;
  public readonly operatorIdentity?: CiliumOperatorIdentity;
  public readonly nodeSecurityGroup?: CiliumNodeSecurityGroup;
  public readonly cilium?: CiliumRelease;
  /** Cilium node groups by name. */
  public readonly ciliumNodeGroups: ReadonlyMap<string, SystemNodeGroup>;
  /** Old node groups by name. */
  public readonly oldNodeGroups: ReadonlyMap<string, OldNodeGroup>;
  public readonly networkPolicies?: NetworkPolicies;
  /** Karpenter, when asked for, from the `cilium-nodes` phase on. */
  public readonly karpenter?: Karpenter;
  public readonly gate: PhaseGate;
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
    check(agent === 'install' || agent === 'present', 'podIdentityAgent', agent, "'install' or 'present'");
    this.phase = resolveMigrationPhase(props.phase, oldNames, 'phase');
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
    assertMigrationCiliumOptions(ciliumOptions('cluster.example.com'));

    const tags = props.tags;
    const stage = ciliumStageOf(this.phase.kind);

    // ---- The cluster as it is.
    this.cluster = new DataAwsEksCluster(this, 'cluster', { name: props.clusterName });
    const partition = new DataAwsPartition(this, 'partition').partition;
    const accountId = new DataAwsCallerIdentity(this, 'account').accountId;
    const changes: ITerraformDependable[] = [];

    // ---- 1. prepare: the add-ons, managed by this stack, aws-node off Cilium nodes.
    if (this.phase.kind !== 'finalize') {
      this.vpcCni = this.addon('vpc-cni', props, props.addonVersions?.vpcCni, vpcCniConfigurationValues());
      this.kubeProxy = this.addon('kube-proxy', props, props.addonVersions?.kubeProxy);
      changes.push(this.vpcCni, this.kubeProxy);
    }

    // ---- 2. cilium-nodes: identity, Cilium, the new nodes.
    const ciliumNodeGroups = new Map<string, SystemNodeGroup>();
    if (this.phase.kind !== 'prepare') {
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
        ciliumNodeGroups.set(name, group);
        changes.push(group.nodeGroup);
      }
    }
    this.ciliumNodeGroups = ciliumNodeGroups;

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
    this.oldNodeGroups = oldGroups;

    // ---- 4. finalize: the project's policies, once Cilium runs everywhere.
    if (this.phase.kind === 'finalize' && this.cilium) {
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
    });
  }

  /**
   * A managed add-on of this stack: imported when it is a managed add-on already, adopted from
   * the self-managed DaemonSet otherwise (`OVERWRITE`: "Amazon EKS changes the value to the Amazon
   * EKS default value", EKS API `CreateAddon`).
   *
   * The import block is written in `prepare` only. Later phases find the add-on in the state; and
   * rolling `finalize` back must create the add-on `finalize` deleted, which an import block would
   * turn into an import of an object that no longer exists.
   */
  private addon(name: 'vpc-cni' | 'kube-proxy', props: CiliumMigrationProps, version: string | undefined, configurationValues?: string): EksAddon {
    const addon = new EksAddon(this, name, {
      clusterName: props.clusterName,
      addonName: name,
      addonVersion: version,
      configurationValues,
      resolveConflictsOnCreate: 'OVERWRITE',
      resolveConflictsOnUpdate: 'OVERWRITE',
      tags: props.tags,
    });
    // aws_eks_addon import ID: <cluster name>:<add-on name>.
    if (props.current.addons === 'managed' && this.phase.kind === 'prepare') addon.importFrom(`${props.clusterName}:${name}`);
    return addon;
  }
}
