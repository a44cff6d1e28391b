import { Construct } from 'constructs';
import { EksNodeGroup } from '@cdktf/provider-aws/lib/eks-node-group';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { CILIUM_STARTUP_TAINT } from '../bpf/cilium-values';
import { check, ValidationError } from '../core/errors';
import { resolveMaxPods } from '../bpf/ipam';
import { clusterNames } from '../core/names';
import { instanceTypeInfo } from '../core/instance-types';
import { assertInstanceTypeFits } from '../core/validate';
import { Fn, ITerraformDependable } from './cdktf';

/** AL2023 AMI types of EKS managed node groups (EKS API `AMITypes`). AL2 is end of life and not offered. */
export const AL2023_AMI_TYPES = [
  'AL2023_x86_64_STANDARD',
  'AL2023_ARM_64_STANDARD',
  'AL2023_x86_64_NVIDIA',
  'AL2023_ARM_64_NVIDIA',
  'AL2023_x86_64_NEURON',
] as const;
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

export interface NodeSizes {
  /** @default 2 */
  readonly minSize?: number;
  /** @default 2 */
  readonly desiredSize?: number;
  /** @default 4 */
  readonly maxSize?: number;
}

export interface SystemNodeGroupProps extends NodeSizes {
  /** Cluster name (a token from the cluster resource, so the group waits for the cluster). */
  readonly clusterName: string;
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
  /** AMI type; AL2023 only. @default 'AL2023_x86_64_STANDARD' */
  readonly amiType?: string;
  /** Instance types. @default - ['m7i.large'] on x86_64, ['m7g.large'] on arm64 */
  readonly instanceTypes?: string[];
  /** kubelet maxPods. @default - 110 with prefix delegation, the ENI formula without */
  readonly maxPods?: number;
  /** Root volume size in GiB. @default 50 */
  readonly diskSizeGiB?: number;
  /** KMS key for the root volume. @default - the account's default EBS key */
  readonly volumeKmsKeyArn?: string;
  /** Extra node labels. @default - none */
  readonly labels?: Record<string, string>;
  /** What the nodes wait for: the Cilium release, so the agent DaemonSet exists when they join. */
  readonly dependsOn: ITerraformDependable[];
  /** Tags. @default - none */
  readonly tags?: Record<string, string>;
}

/** Graviton instance types (`m7g`, `c6gn`, `t4g`, `a1`, ...) are arm64 (the project's instance-type table). */
export function instanceArchitecture(instanceType: string): 'arm64' | 'x86_64' {
  return instanceTypeInfo(instanceType)?.architecture ?? (/^[a-z]+\d+g[a-z]*\./.test(instanceType) ? 'arm64' : 'x86_64');
}

export function amiArchitecture(amiType: Al2023AmiType): 'arm64' | 'x86_64' {
  return amiType.includes('ARM_64') ? 'arm64' : 'x86_64';
}

/**
 * The nodeadm NodeConfig that sets kubelet `maxPods`, as a MIME part of the launch template's user
 * data. EKS merges it with its own NodeConfig for managed node groups on AL2023.
 */
export function nodeadmUserData(maxPods: number | undefined): string | undefined {
  if (maxPods === undefined) return undefined;
  return [
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="CILIUMEKS"',
    '',
    '--CILIUMEKS',
    'Content-Type: application/node.eks.aws',
    '',
    '---',
    'apiVersion: node.eks.aws/v1alpha1',
    'kind: NodeConfig',
    'spec:',
    '  kubelet:',
    '    config:',
    `      maxPods: ${maxPods}`,
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
  public readonly launchTemplate: LaunchTemplate;
  public readonly nodeGroup: EksNodeGroup;
  public readonly maxPods: number | undefined;

  constructor(scope: Construct, id: string, props: SystemNodeGroupProps) {
    super(scope, id);
    const amiType = props.amiType ?? DEFAULT_SYSTEM_AMI_TYPE;
    if (!(AL2023_AMI_TYPES as readonly string[]).includes(amiType)) {
      throw new ValidationError('amiType', amiType, `one of ${AL2023_AMI_TYPES.join(', ')}`, 'nodes must run AL2023: its kernel carries the eBPF features the datapath uses, and AL2 is end of life');
    }
    const arch = amiArchitecture(amiType as Al2023AmiType);
    const instanceTypes = props.instanceTypes ?? [...DEFAULT_SYSTEM_INSTANCE_TYPES[arch]];
    check(instanceTypes.length > 0, 'instanceTypes', instanceTypes, 'at least one instance type');
    instanceTypes.forEach((t, i) => {
      assertInstanceTypeFits(t, `instanceTypes[${i}]`, { architecture: arch, architectureFrom: `amiType ${JSON.stringify(amiType)}`, prefixDelegation: props.prefixDelegation });
      check(instanceTypes.indexOf(t) === i, `instanceTypes[${i}]`, t, 'an instance type not listed before');
    });
    const sizes = { ...DEFAULT_SYSTEM_NODE_SIZES, ...definedOnly({ minSize: props.minSize, desiredSize: props.desiredSize, maxSize: props.maxSize }) };
    for (const [k, v] of Object.entries(sizes)) {
      check(Number.isInteger(v) && v >= 0, k, v, 'a non-negative integer');
    }
    if (!(sizes.minSize <= sizes.desiredSize && sizes.desiredSize <= sizes.maxSize) || sizes.maxSize < 1) {
      throw new ValidationError(
        'minSize/desiredSize/maxSize',
        `${sizes.minSize}/${sizes.desiredSize}/${sizes.maxSize}`,
        'minSize <= desiredSize <= maxSize, with maxSize >= 1',
      );
    }
    const diskSize = props.diskSizeGiB ?? DEFAULT_ROOT_VOLUME_GIB;
    check(Number.isInteger(diskSize) && diskSize >= 20 && diskSize <= 16384, 'diskSizeGiB', diskSize, 'an integer from 20 to 16384');

    this.maxPods = resolveMaxPods({
      prefixDelegation: props.prefixDelegation,
      maxPods: props.maxPods,
      instanceTypes,
      property: 'maxPods',
    });
    const userData = nodeadmUserData(this.maxPods);

    this.launchTemplate = new LaunchTemplate(this, 'launch-template', {
      namePrefix: clusterNames.systemLaunchTemplatePrefix(props.namePrefix),
      description: 'Cilium system nodes: IMDSv2 only, encrypted root volume, kubelet maxPods for ENI IPAM',
      updateDefaultVersion: true,
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
      userData: userData === undefined ? undefined : Fn.base64encode(Fn.rawString(userData)),
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
      amiType,
      capacityType: 'ON_DEMAND',
      instanceTypes,
      scalingConfig: sizes,
      updateConfig: { maxUnavailable: 1 },
      launchTemplate: { id: this.launchTemplate.id, version: Fn.tostring(this.launchTemplate.latestVersion) },
      labels: { [SYSTEM_NODE_LABEL]: 'system', ...props.labels },
      taint: [{ key: CILIUM_STARTUP_TAINT.key, value: CILIUM_STARTUP_TAINT.value, effect: 'NO_EXECUTE' }],
      tags: props.tags,
      lifecycle: { createBeforeDestroy: true },
      dependsOn: props.dependsOn,
    });
  }
}

function definedOnly<T extends Record<string, number | undefined>>(o: T): Partial<Record<keyof T, number>> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<Record<keyof T, number>>;
}
