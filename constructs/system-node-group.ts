import { Construct } from 'constructs';
import { EksNodeGroup } from '@cdktf/provider-aws/lib/eks-node-group';
import { DataAwsSsmParameter } from '@cdktf/provider-aws/lib/data-aws-ssm-parameter';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { CILIUM_STARTUP_TAINT } from '../bpf/cilium-values';
import { check, ValidationError } from '../core/errors';
import { FirstInterfaceIndex, resolveMaxPods } from '../bpf/ipam';
import { clusterNames } from '../core/names';
import { instanceTypeInfo } from '../core/instance-types';
import { assertInstanceTypeFits } from '../core/validate';
import { Fn, ITerraformDependable } from './cdktf';
import { CRITICAL_ADDONS_ONLY_TAINT } from '../core/k8s';
import { assertAmiReleaseNotRefused, DEFAULT_AL2023_AMI_VERSION } from './karpenter/versions';
import { bool, declare, int, list, oneOf, optional, parse, pattern, strict, text } from '../core/schema';
import { cidr, ec2Id, iamPrincipalArn, kmsKeyArn, kubernetesMinor, labels, tags } from '../core/rules';
import { clusterName, dependables, namePrefix } from './inputs';

/** AL2023 AMI types of EKS managed node groups (EKS API `AMITypes`). AL2 is end of life and not offered. */
export const AL2023_AMI_TYPES = [
  'AL2023_x86_64_STANDARD',
  'AL2023_ARM_64_STANDARD',
  'AL2023_x86_64_NVIDIA',
  'AL2023_ARM_64_NVIDIA',
  'AL2023_x86_64_NEURON',
] as const;
/**
 * One of {@link AL2023_AMI_TYPES}: an EKS managed node group AMI type on Amazon Linux 2023 (`x86_64` or
 * `ARM_64`; standard, NVIDIA or Neuron). It selects the SSM parameter the AMI ID is read from and the
 * architecture the instance types must match.
 */
export type Al2023AmiType = (typeof AL2023_AMI_TYPES)[number];

export const DEFAULT_SYSTEM_AMI_TYPE: Al2023AmiType = 'AL2023_x86_64_STANDARD';
/** Default instance types: current-generation Nitro general purpose, per architecture. */
export const DEFAULT_SYSTEM_INSTANCE_TYPES: Readonly<Record<'x86_64' | 'arm64', readonly string[]>> = {
  x86_64: ['m7i.large'],
  arm64: ['m7g.large'],
};
/** Default sizes: two nodes for the two operator replicas (anti-affinity), room for one more. */
export const DEFAULT_SYSTEM_NODE_SIZES = { minSize: 2, desiredSize: 2, maxSize: 4 };
/** Node label that marks the system node group (controllers such as Karpenter run there). */
export const SYSTEM_NODE_LABEL = 'cilium-eks/node-group';
/** Root volume size in GiB. */
export const DEFAULT_ROOT_VOLUME_GIB = 50;

/**
 * The sizes of a managed node group (the node group's `scaling_config`), in nodes: `minSize <= desiredSize <=
 * maxSize`, `maxSize >= 1`, each at most 450. Part of `systemNodeGroup` of {@link CiliumEksClusterProps}.
 */
export interface NodeSizes {
  /** Fewest nodes. @default 2 */
  readonly minSize?: number;
  /** Nodes at creation (later changes are the autoscaler's). @default 2 */
  readonly desiredSize?: number;
  /** Most nodes. @default 4 */
  readonly maxSize?: number;
}
/** The declaration of {@link NodeSizes}, part of every node group's options. */
export const nodeSizesEntries = { minSize: optional(int(0, 450)), desiredSize: optional(int(0, 450)), maxSize: optional(int(1, 450)) } as const;

/** What a node needs to join the cluster without EKS's bootstrap (nodeadm `spec.cluster`). */
export interface NodeClusterDetails {
  /** Cluster name (a token from the cluster resource, so the nodes wait for the cluster). */
  readonly name: string;
  /** API server endpoint, `https://...` (the cluster resource's `endpoint`). */
  readonly apiServerEndpoint: string;
  /** The cluster CA, base64 PEM (the cluster resource's `certificate_authority[0].data`). */
  readonly certificateAuthority: string;
  /** The service CIDR (nodeadm derives the cluster DNS address from it). */
  readonly serviceIpv4Cidr: string;
}

/** The declaration of {@link NodeClusterDetails} (references may be Terraform tokens). */
export const NodeClusterDetailsSchema = declare<NodeClusterDetails>()(
  strict(
    { name: text('a cluster name'), apiServerEndpoint: text('the API server endpoint'), certificateAuthority: text('the base64 cluster CA'), serviceIpv4Cidr: cidr() },
    'cluster details { name, apiServerEndpoint, certificateAuthority, serviceIpv4Cidr }',
  ),
);

/**
 * The props of {@link SystemNodeGroup}. {@link CiliumEksCluster} fills the cluster-side ones (cluster, role,
 * subnets, security groups, IPAM) and passes `systemNodeGroup` of its props for the rest.
 */
export interface SystemNodeGroupProps extends NodeSizes {
  /** Cluster name (a token from the cluster resource, so the group waits for the cluster). */
  readonly clusterName: string;
  /** Join details written into the nodes' NodeConfig. */
  readonly cluster: NodeClusterDetails;
  /** Kubernetes version of the control plane: selects the AMI. */
  readonly kubernetesVersion: string;
  /**
   * Release of the EKS-optimised AL2023 AMI (`v20261012`), the same pin as Karpenter's alias; a
   * release on REFUSED_AL2023_AMI_RELEASES is refused.
   * @default DEFAULT_AL2023_AMI_VERSION
   */
  readonly amiReleaseVersion?: string;
  /** Cluster name as configured, for names. */
  readonly namePrefix: string;
  /** Node role ARN. */
  readonly nodeRoleArn: string;
  /** Private subnets of the nodes. */
  readonly subnetIds: string[];
  /** Security groups of the nodes (the cluster security group and the Cilium node group). */
  readonly securityGroupIds: string[];
  /** Whether Cilium hands out ENI prefixes: decides kubelet `maxPods`. */
  readonly prefixDelegation: boolean;
  /**
   * The first ENI Cilium puts pod addresses on: 1 with pod subnets (the primary ENI stays the
   * node's), which takes one ENI out of the maxPods formula.
   * @default 0
   */
  readonly firstInterfaceIndex?: FirstInterfaceIndex;
  /** AMI type; AL2023 only. @default 'AL2023_x86_64_STANDARD' */
  readonly amiType?: string;
  /** Instance types. @default - ['m7i.large'] on x86_64, ['m7g.large'] on arm64 */
  readonly instanceTypes?: string[];
  /** kubelet maxPods; the kubelet's reservations follow it. @default - 110 with prefix delegation, the ENI formula without */
  readonly maxPods?: number;
  /** Root volume size in GiB. @default 50 */
  readonly diskSizeGiB?: number;
  /** KMS key for the root volume. @default - the account's default EBS key */
  readonly volumeKmsKeyArn?: string;
  /** Extra node labels. @default - none */
  readonly labels?: Record<string, string>;
  /**
   * Keep the nodes for cluster-critical add-ons: they carry the `CriticalAddonsOnly=true:NoSchedule`
   * taint, so only pods that tolerate it are scheduled there (workloads go to other nodes).
   * @default false
   */
  readonly dedicated?: boolean;
  /** What the nodes wait for: the Cilium release, so the agent DaemonSet exists when they join. */
  readonly dependsOn: ITerraformDependable[];
  /** Tags. @default - none */
  readonly tags?: Record<string, string>;
}
/** The system node group's options, shared with the cluster's `systemNodeGroup` props. */
export const systemNodeGroupEntries = {
  ...nodeSizesEntries,
  dedicated: optional(bool()),
  amiType: optional(pattern(new RegExp(`^(${AL2023_AMI_TYPES.join('|')})$`), `one of ${AL2023_AMI_TYPES.join(', ')}`, 'nodes must run AL2023 (AL2 is end of life)')),
  instanceTypes: optional(list(pattern(/^[a-z0-9-]+\.[a-z0-9-]+$/, 'an instance type such as m7i.large'), { min: 1, unique: true })),
  maxPods: optional(int(1, 250)),
  diskSizeGiB: optional(int(20, 16384)),
  volumeKmsKeyArn: optional(kmsKeyArn()),
  amiReleaseVersion: optional(pattern(/^v\d{8}$/, `an amazon-eks-ami release such as ${DEFAULT_AL2023_AMI_VERSION}`)),
} as const;
/** The declaration of {@link SystemNodeGroupProps}. */
export const SystemNodeGroupPropsSchema = declare<SystemNodeGroupProps>()(
  strict(
    {
      ...systemNodeGroupEntries,
      clusterName: clusterName(),
      cluster: NodeClusterDetailsSchema,
      kubernetesVersion: kubernetesMinor(),
      namePrefix: namePrefix(),
      nodeRoleArn: iamPrincipalArn(['role']),
      subnetIds: list(ec2Id('subnet', 'a subnet ID'), { min: 1 }),
      securityGroupIds: list(ec2Id('sg', 'a security group ID'), { min: 1 }),
      prefixDelegation: bool(),
      firstInterfaceIndex: optional(oneOf<FirstInterfaceIndex>([0, 1], '0, or 1 to keep the primary ENI for the node')),
      labels: optional(labels()),
      dependsOn: dependables(),
      tags: optional(tags()),
    },
    'SystemNodeGroup props { clusterName, cluster, kubernetesVersion, namePrefix, nodeRoleArn, subnetIds, securityGroupIds, prefixDelegation, dependsOn, ... }',
  ),
);

/** Graviton instance types (`m7g`, `c6gn`, `t4g`, `a1`, ...) are arm64 (the project's instance-type table). */
export function instanceArchitecture(instanceType: string): 'arm64' | 'x86_64' {
  return instanceTypeInfo(instanceType)?.architecture ?? (/^[a-z]+\d+g[a-z]*\./.test(instanceType) ? 'arm64' : 'x86_64');
}

export function amiArchitecture(amiType: Al2023AmiType): 'arm64' | 'x86_64' {
  return amiType.includes('ARM_64') ? 'arm64' : 'x86_64';
}

/** The SSM path segments of each AMI type (EKS docs, "Retrieve recommended Amazon Linux AMI IDs"). */
const AMI_TYPE_SSM: Readonly<Record<Al2023AmiType, { arch: string; variant: string }>> = {
  AL2023_x86_64_STANDARD: { arch: 'x86_64', variant: 'standard' },
  AL2023_ARM_64_STANDARD: { arch: 'arm64', variant: 'standard' },
  AL2023_x86_64_NVIDIA: { arch: 'x86_64', variant: 'nvidia' },
  AL2023_ARM_64_NVIDIA: { arch: 'arm64', variant: 'nvidia' },
  AL2023_x86_64_NEURON: { arch: 'x86_64', variant: 'neuron' },
};

/**
 * The public SSM parameter holding the image ID of one AMI release for one Kubernetes version:
 * `/aws/service/eks/optimized-ami/<k8s>/amazon-linux-2023/<arch>/<variant>/<AMI name>/image_id`,
 * where the AMI name is `amazon-eks-node-al2023-<arch>-<variant>-<k8s>-<release>` (names as in
 * amazon-eks-ami CHANGELOG.md, e.g. `amazon-eks-node-al2023-x86_64-standard-1.36-v20260714`). The
 * `recommended` parameter beside it moves with every release (a node rotation on any plan); the
 * release one moves only when the pin does. The per-release path is the one the EKS docs'
 * `recommended` path sits beside and Karpenter's `al2023@<release>` alias resolves (inferred from
 * public scripts that list it; unverified against the AWS API from here).
 */
export function al2023AmiSsmParameter(kubernetesVersion: string, amiType: Al2023AmiType, release: string): string {
  const { arch, variant } = AMI_TYPE_SSM[amiType];
  return `/aws/service/eks/optimized-ami/${kubernetesVersion}/amazon-linux-2023/${arch}/${variant}/amazon-eks-node-al2023-${arch}-${variant}-${kubernetesVersion}-${release}/image_id`;
}

/** The instance types of a system node group: the given ones, or the default of the AMI type's architecture. */
export function systemInstanceTypes(amiType: string | undefined, instanceTypes: readonly string[] | undefined): string[] {
  const type = amiType ?? DEFAULT_SYSTEM_AMI_TYPE;
  const arch = (AL2023_AMI_TYPES as readonly string[]).includes(type) ? amiArchitecture(type as Al2023AmiType) : 'x86_64';
  return [...(instanceTypes ?? DEFAULT_SYSTEM_INSTANCE_TYPES[arch])];
}

/**
 * kubelet `maxPods` of the system nodes, the one rule of {@link SystemNodeGroup} (`resolveMaxPods`):
 * 110 with prefix delegation, the ENI formula without (computed here when the primary ENI is kept
 * for the node, since nodeadm's own formula would count it). The cluster reads it before the node
 * group exists, for Cilium's warm pool.
 */
export function systemNodeMaxPods(o: { prefixDelegation: boolean; firstInterfaceIndex?: FirstInterfaceIndex; maxPods?: number; amiType?: string; instanceTypes?: readonly string[] }): number | undefined {
  return resolveMaxPods({
    prefixDelegation: o.prefixDelegation,
    firstInterfaceIndex: o.firstInterfaceIndex,
    maxPods: o.maxPods,
    instanceTypes: systemInstanceTypes(o.amiType, o.instanceTypes),
    nodeadmFormula: true,
    property: 'maxPods',
  });
}

/** The first amazon-eks-ami release whose nodeadm reads `kubelet.maxPodsExpression` (tag v20251007 contains amazon-eks-ami #2446). */
export const MAX_PODS_EXPRESSION_RELEASE = 'v20251007';

/** What the system nodes' NodeConfig says. */
export interface SystemNodeConfigOptions {
  /** The cluster the node joins: written into the NodeConfig's `spec.cluster` (name, API server endpoint, CA and service CIDR). */
  readonly cluster: NodeClusterDetails;
  /** kubelet maxPods. @default - unset: nodeadm's ENI formula for the instance type */
  readonly maxPods?: number;
  /** Labels the kubelet registers the node with. */
  readonly labels: Readonly<Record<string, string>>;
  /** Taints the kubelet registers the node with (`key=value:Effect`). */
  readonly taints: readonly string[];
}
/** The declaration of {@link SystemNodeConfigOptions}. */
export const SystemNodeConfigOptionsSchema = declare<SystemNodeConfigOptions>()(
  strict(
    { cluster: NodeClusterDetailsSchema, maxPods: optional(int(1, 250)), labels: labels(), taints: list(pattern(/^[^=:\s]+(=[^:\s]*)?:(NoSchedule|PreferNoSchedule|NoExecute)$/, 'a taint key=value:Effect')) },
    'node config options { cluster, labels, taints, maxPods? }',
  ),
);

/**
 * Labels a kubelet may not set on itself (NodeRestriction admission: the `kubernetes.io` and
 * `k8s.io` namespaces, apart from a few allowed keys); those stay node group labels that EKS applies.
 */
function kubeletMaySetLabel(key: string): boolean {
  const prefix = key.includes('/') ? key.split('/')[0] : '';
  return !/(^|\.)(kubernetes\.io|k8s\.io)$/.test(prefix);
}

/**
 * The complete nodeadm NodeConfig of a system node, as the launch template's user data (a MIME
 * multipart document with one `application/node.eks.aws` part).
 *
 * The launch template names an AMI, so the node group counts as custom-AMI and EKS adds nothing to
 * the user data (EKS docs, "Customize managed nodes with launch templates": with an AMI ID "Amazon EKS
 * doesn't merge" the bootstrap; aws/containers-roadmap #596). The NodeConfig therefore carries
 * what EKS's own would: the cluster name, endpoint, CA and service CIDR, as terraform-aws-eks
 * writes for custom AMIs. Why not EKS's AMI with our part merged: EKS appends its NodeConfig, with
 * its own `maxPods`, after the user's parts (eksctl docs "Node bootstrapping"; terraform-aws-eks
 * user-data docs), and nodeadm merges parts in order with later values overriding
 * (amazon-eks-ami `nodeadm/internal/api/merge.go`: mergo `WithOverride`), so EKS's value would win.
 *
 * `maxPodsExpression` is the constant: nodeadm computes the kubelet's `kubeReserved` memory
 * (11 MiB x maxPods + 255 MiB) from its own max-pods figure, which is the ENI formula or this
 * expression, never `config.maxPods` (amazon-eks-ami `nodeadm/internal/kubelet/config.go`,
 * `withDefaultReservedResources`; `api/types.go`: "kubeReserved will always be calculated on its
 * result"; nodeadm in AMI releases from v20251007). `config.maxPods` says the same, for nodeadm
 * versions that write only the drop-in.
 */
export function systemNodeConfig(o: SystemNodeConfigOptions): string {
  parse(SystemNodeConfigOptionsSchema, o, 'systemNodeConfig(o)');
  // Single-quoted YAML scalars and an unquoted boundary: Terraform function arguments must not hold
  // unescaped double quotes (cdktf refuses them), and the values carry Terraform references.
  const q = (v: string): string => `'${v.replace(/'/g, "''")}'`;
  const labels = Object.entries(o.labels)
    .filter(([k]) => kubeletMaySetLabel(k))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`);
  const flags = [...(labels.length > 0 ? [`--node-labels=${labels.join(',')}`] : []), ...(o.taints.length > 0 ? [`--register-with-taints=${o.taints.join(',')}`] : [])];
  return [
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary=CILIUMEKS',
    '',
    '--CILIUMEKS',
    'Content-Type: application/node.eks.aws',
    '',
    '---',
    'apiVersion: node.eks.aws/v1alpha1',
    'kind: NodeConfig',
    'spec:',
    '  cluster:',
    `    name: ${q(o.cluster.name)}`,
    `    apiServerEndpoint: ${q(o.cluster.apiServerEndpoint)}`,
    `    certificateAuthority: ${q(o.cluster.certificateAuthority)}`,
    `    cidr: ${q(o.cluster.serviceIpv4Cidr)}`,
    '  kubelet:',
    ...(o.maxPods !== undefined ? ['    config:', `      maxPods: ${o.maxPods}`, `    maxPodsExpression: ${q(String(o.maxPods))}`] : []),
    ...(flags.length > 0 ? ['    flags:', ...flags.map((f) => `      - ${q(f)}`)] : []),
    '',
    '--CILIUMEKS--',
    '',
  ].join('\n');
}

/**
 * The system managed node group on AL2023: created after the Cilium release, tainted with the
 * Cilium startup taint so no pod runs before the agent is ready, IMDSv2 with hop limit 1,
 * encrypted gp3 root volume, kubelet `maxPods` matched to the IPAM mode.
 */
export class SystemNodeGroup extends Construct {
  /**
   * The launch template of the nodes (`aws_launch_template`): the pinned AL2023 AMI read from SSM, IMDSv2
   * only with hop limit 1, an encrypted gp3 root volume and the nodeadm NodeConfig of
   * {@link systemNodeConfig} as user data. The node group uses its latest version.
   */
  public readonly launchTemplate: LaunchTemplate;
  /**
   * The EKS managed node group (`aws_eks_node_group`, on-demand, one node unavailable at a time in updates,
   * created before the old one is destroyed on replacement): depend on it for anything that needs a node, as
   * `clusterReady` of {@link CiliumEksCluster} does.
   */
  public readonly nodeGroup: EksNodeGroup;
  /**
   * The kubelet `maxPods` written into the NodeConfig: `maxPods` as given, else the figure the IPAM mode
   * needs (110 with prefix delegation); `undefined` when nodeadm's per-instance-type ENI formula is right,
   * and nothing is written.
   */
  public readonly maxPods: number | undefined;
  /** The instance types. */
  public readonly instanceTypes: readonly string[];
  /** The node group's sizes, defaults applied. */
  public readonly sizes: Readonly<Required<NodeSizes>>;
  /** Whether the nodes carry the `CriticalAddonsOnly` taint. */
  public readonly dedicated: boolean;
  /** The SSM parameter the AMI ID is read from. */
  public readonly amiParameter: DataAwsSsmParameter;

  constructor(scope: Construct, id: string, props: SystemNodeGroupProps) {
    super(scope, id);
    parse(SystemNodeGroupPropsSchema, props);
    const amiType = props.amiType ?? DEFAULT_SYSTEM_AMI_TYPE;
    const arch = amiArchitecture(amiType as Al2023AmiType);
    const instanceTypes = props.instanceTypes ?? [...DEFAULT_SYSTEM_INSTANCE_TYPES[arch]];
    instanceTypes.forEach((t, i) => {
      assertInstanceTypeFits(t, `instanceTypes[${i}]`, { architecture: arch, architectureFrom: `amiType ${JSON.stringify(amiType)}`, prefixDelegation: props.prefixDelegation });
    });
    const sizes = { ...DEFAULT_SYSTEM_NODE_SIZES, ...definedOnly({ minSize: props.minSize, desiredSize: props.desiredSize, maxSize: props.maxSize }) };
    if (!(sizes.minSize <= sizes.desiredSize && sizes.desiredSize <= sizes.maxSize) || sizes.maxSize < 1) {
      throw new ValidationError(
        'minSize/desiredSize/maxSize',
        `${sizes.minSize}/${sizes.desiredSize}/${sizes.maxSize}`,
        'minSize <= desiredSize <= maxSize, with maxSize >= 1',
      );
    }
    const diskSize = props.diskSizeGiB ?? DEFAULT_ROOT_VOLUME_GIB;

    this.maxPods = systemNodeMaxPods({ ...props, instanceTypes });
    this.instanceTypes = instanceTypes;
    this.sizes = sizes;
    const release = props.amiReleaseVersion ?? DEFAULT_AL2023_AMI_VERSION;
    assertAmiReleaseNotRefused(release, 'amiReleaseVersion');
    if (this.maxPods !== undefined) {
      check(
        release >= MAX_PODS_EXPRESSION_RELEASE,
        'amiReleaseVersion',
        release,
        `${MAX_PODS_EXPRESSION_RELEASE} or later while kubelet maxPods is set`,
        'the kubelet reservations follow maxPods through nodeadm maxPodsExpression, first released in v20251007 (amazon-eks-ami #2446)',
      );
    }
    this.amiParameter = new DataAwsSsmParameter(this, 'ami', { name: al2023AmiSsmParameter(props.kubernetesVersion, amiType as Al2023AmiType, release) });
    const labels = { [SYSTEM_NODE_LABEL]: 'system', ...props.labels };
    this.dedicated = props.dedicated ?? false;
    const taints: Array<{ key: string; value: string; effect: 'NoExecute' | 'NoSchedule' }> = [CILIUM_STARTUP_TAINT, ...(this.dedicated ? [CRITICAL_ADDONS_ONLY_TAINT] : [])];
    const userData = systemNodeConfig({
      cluster: props.cluster,
      maxPods: this.maxPods,
      labels,
      // The kubelet registers the node with them (the launch template names an AMI, so EKS adds no
      // NodeConfig of its own); the node group declares the same taints.
      taints: taints.map((t) => `${t.key}=${t.value}:${t.effect}`),
    });

    this.launchTemplate = new LaunchTemplate(this, 'launch-template', {
      namePrefix: clusterNames.systemLaunchTemplatePrefix(props.namePrefix),
      description: 'Cilium system nodes: pinned EKS AL2023 AMI, IMDSv2 only, encrypted root volume, kubelet maxPods for ENI IPAM',
      updateDefaultVersion: true,
      // An AMI ID: EKS adds no NodeConfig of its own; the one below is complete.
      imageId: this.amiParameter.insecureValue,
      vpcSecurityGroupIds: props.securityGroupIds,
      metadataOptions: {
        httpEndpoint: 'enabled',
        httpTokens: 'required',
        // 1: pods in their own network namespace cannot reach IMDS and the node role.
        httpPutResponseHopLimit: 1,
      },
      blockDeviceMappings: [
        {
          deviceName: '/dev/xvda',
          ebs: {
            volumeSize: diskSize,
            volumeType: 'gp3',
            encrypted: 'true',
            kmsKeyId: props.volumeKmsKeyArn,
            deleteOnTermination: 'true',
          },
        },
      ],
      userData: Fn.base64encode(userData),
      tagSpecifications: [
        { resourceType: 'instance', tags: { ...props.tags, Name: `${props.namePrefix}-system` } },
        { resourceType: 'volume', tags: { ...props.tags, Name: `${props.namePrefix}-system` } },
      ],
      tags: props.tags,
    });

    this.nodeGroup = new EksNodeGroup(this, 'node-group', {
      clusterName: props.clusterName,
      nodeGroupNamePrefix: clusterNames.systemNodeGroupPrefix(props.namePrefix),
      nodeRoleArn: props.nodeRoleArn,
      subnetIds: props.subnetIds,
      // No ami_type or release_version: the launch template's AMI decides (a custom-AMI node group).
      capacityType: 'ON_DEMAND',
      instanceTypes,
      scalingConfig: sizes,
      updateConfig: { maxUnavailable: 1 },
      launchTemplate: { id: this.launchTemplate.id, version: Fn.tostring(this.launchTemplate.latestVersion) },
      labels,
      taint: taints.map((t) => ({ key: t.key, value: t.value, effect: t.effect === 'NoExecute' ? 'NO_EXECUTE' : 'NO_SCHEDULE' })),
      tags: props.tags,
      lifecycle: { createBeforeDestroy: true },
      dependsOn: props.dependsOn,
    });
  }
}

function definedOnly<T extends Record<string, number | undefined>>(o: T): Partial<Record<keyof T, number>> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<Record<keyof T, number>>;
}
