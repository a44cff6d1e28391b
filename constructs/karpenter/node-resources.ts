/**
 * Typed builders for Karpenter's `EC2NodeClass` (karpenter.k8s.aws/v1) and `NodePool`
 * (karpenter.sh/v1), as pure objects that fit the CRDs of the pinned release
 * (`shared/upstream/karpenter/1.14.1/`). Secure by default: AL2023 pinned to a dated release,
 * IMDSv2 only with a hop limit of 1, an encrypted gp3 root volume, and the Cilium startup taint on
 * every node.
 */
import { CILIUM_STARTUP_TAINT } from '../../bpf/cilium-values';
import { check } from '../../core/errors';
import { anyOf, bool, declare, format, int, list, oneOf, optional, parse, pattern, positive, record, rules, strict, string, text } from '../../core/schema';
import { dns1123Subdomain, karpenterDuration, kmsKeyRef, labelValue, qualifiedName, qualifiedNameProblem, tagKeyVerdict, tagValue } from '../../core/rules';
import { KARPENTER_REQUIREMENT_OPERATORS, requirementProblem, restrictedLabelProblem } from '../../core/karpenter-rules';
import { EniLimits, instanceTypeInfo } from '../../core/instance-types';
import { assertInstanceTypeExists } from '../../core/validate';
import { podsAddressable, FirstInterfaceIndex, resolveMaxPods } from '../../bpf/ipam';
import { JsonObject } from '../../core/yaml';
import { DEFAULT_TERMINATION_GRACE_PERIOD, durationSeconds } from './destroy-budget';
import { AL2023_AMI_FAMILY, assertAmiReleaseNotRefused, DEFAULT_AL2023_AMI_ALIAS } from './versions';

// ---------------------------------------------------------------------------------------------
// Constants
// ---------------------------------------------------------------------------------------------

/** CPU architectures of nodes (`kubernetes.io/arch`) EKS AL2023 AMIs exist for. */
export const ARCHITECTURES = ['amd64', 'arm64'] as const;
/**
 * A node CPU architecture as the `kubernetes.io/arch` label gives it, `amd64` or `arm64`: the two
 * architectures EKS AL2023 AMIs exist for. A NodePool's `architectures` lists those it may launch.
 */
export type Architecture = (typeof ARCHITECTURES)[number];
/** Karpenter capacity types (`karpenter.sh/capacity-type`). */
export const CAPACITY_TYPES = ['on-demand', 'spot', 'reserved'] as const;
/**
 * A Karpenter capacity type, as the `karpenter.sh/capacity-type` label gives it: `on-demand`, `spot` or
 * `reserved` (capacity reservations). A NodePool's `capacityTypes` lists those it may launch; Spot needs the
 * EC2 Spot service-linked role (`spotServiceLinkedRole`).
 */
export type CapacityType = (typeof CAPACITY_TYPES)[number];
/** `disruption.consolidationPolicy` values the NodePool CRD accepts. */
export const CONSOLIDATION_POLICIES = ['WhenEmpty', 'WhenEmptyOrUnderutilized', 'Balanced'] as const;
/**
 * A NodePool's `spec.disruption.consolidationPolicy`: `WhenEmpty`, `WhenEmptyOrUnderutilized` or `Balanced`,
 * the enum of the karpenter.sh/v1 NodePool CRD of Karpenter 1.14.1 (`karpenter.sh_nodepools.yaml` of its
 * chart; kubernetes-sigs/karpenter `pkg/apis/v1/nodepool.go`).
 */
export type ConsolidationPolicy = (typeof CONSOLIDATION_POLICIES)[number];
/** Kubernetes taint effects. */
export const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const;
/**
 * A Kubernetes taint effect: `NoSchedule`, `PreferNoSchedule` or `NoExecute`
 * (https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/).
 */
export type TaintEffect = (typeof TAINT_EFFECTS)[number];
/** Operators of a NodePool requirement (the NodePool CRD's enum). */
export const REQUIREMENT_OPERATORS = KARPENTER_REQUIREMENT_OPERATORS;
/**
 * The operator of a NodePool requirement (`spec.template.spec.requirements[].operator`): `In`, `NotIn`,
 * `Exists`, `DoesNotExist`, `Gt`, `Lt`, `Gte` or `Lte`: the enum of the NodePool CRD of Karpenter 1.14.1
 * (`karpenter.sh_nodepools.yaml` of its chart).
 */
export type RequirementOperator = (typeof REQUIREMENT_OPERATORS)[number];

/** `apiVersion` of EC2NodeClass in Karpenter v1. */
export const EC2_NODE_CLASS_API_VERSION = 'karpenter.k8s.aws/v1';
/** `apiVersion` of NodePool in Karpenter v1. */
export const NODE_POOL_API_VERSION = 'karpenter.sh/v1';

/**
 * Tag key by which the EC2NodeClass finds subnets and security groups; its value is the cluster
 * name. The construct tags the node subnets and security group with {@link karpenterDiscoveryTags}.
 */
export const KARPENTER_DISCOVERY_TAG_KEY = 'karpenter.sh/discovery';

/** Name of the default EC2NodeClass and NodePool. */
export const DEFAULT_KARPENTER_RESOURCE_NAME = 'default';
/** Root volume size of Karpenter nodes (AL2023 root device {@link AL2023_ROOT_DEVICE_NAME}). */
export const DEFAULT_ROOT_VOLUME_SIZE = '50Gi';
/** Root device name of the EKS AL2023 AMIs. */
export const AL2023_ROOT_DEVICE_NAME = '/dev/xvda';
/** Default `kubernetes.io/arch` requirement: both architectures EKS AL2023 AMIs exist for. */
export const DEFAULT_ARCHITECTURES: readonly Architecture[] = ARCHITECTURES;
/** Default `karpenter.sh/capacity-type` requirement. */
export const DEFAULT_CAPACITY_TYPES: readonly CapacityType[] = ['on-demand', 'spot'];
/** Default `karpenter.k8s.aws/instance-category` requirement: compute, general and memory optimised. */
export const DEFAULT_INSTANCE_CATEGORIES: readonly string[] = ['c', 'm', 'r'];
/** Default NodePool limits, as in the Karpenter getting-started NodePool. */
export const DEFAULT_NODE_POOL_LIMITS: Readonly<Required<NodePoolLimits>> = Object.freeze({ cpu: 1000, memory: '1000Gi' });
/** Default `disruption.consolidationPolicy` (also Karpenter's own default). */
export const DEFAULT_CONSOLIDATION_POLICY: ConsolidationPolicy = 'WhenEmptyOrUnderutilized';
/** Default `disruption.consolidateAfter`, as in the Karpenter getting-started NodePool. */
export const DEFAULT_CONSOLIDATE_AFTER = '1m';
/** Default `template.spec.expireAfter`: 30 days, Karpenter's own default, written out. */
export const DEFAULT_EXPIRE_AFTER = '720h';

// ---------------------------------------------------------------------------------------------
// Shared types
// ---------------------------------------------------------------------------------------------

/** A resource quantity: an integer or a Kubernetes quantity string (`100`, `500m`, `1000Gi`). */
export type Quantity = number | string;

/** A node taint. */
export interface Taint {
  /** Taint key. */
  readonly key: string;
  /** Taint value. @default - no value */
  readonly value?: string;
  /** Effect on pods that do not tolerate it. */
  readonly effect: TaintEffect;
}
export const TaintSchema = declare<Taint>()(
  strict({ key: qualifiedName('a taint key'), value: optional(labelValue()), effect: oneOf(TAINT_EFFECTS) }, 'a taint { key, value?, effect }'),
);

/** A NodePool requirement (a node selector requirement with Karpenter's `minValues`). */
export interface NodeSelectorRequirement {
  /** Label key. */
  readonly key: string;
  /** Relation of the label to `values`. */
  readonly operator: RequirementOperator;
  /** Values; required and non-empty for `In` / `NotIn`. @default - none */
  readonly values?: readonly string[];
  /** Minimum number of distinct values Karpenter must keep (alpha). @default - none */
  readonly minValues?: number;
}
/** A label key a NodePool may name (a requirement or a template label): Karpenter's restricted domains refused. */
const nodePoolLabelKey = (where: 'requirement' | 'label'): ReturnType<typeof format> =>
  format('a label key Karpenter lets a NodePool name', (s) => qualifiedNameProblem(s) ?? restrictedLabelProblem(s, where) ?? true, 'the NodePool CRD of Karpenter 1.14.1');
export const NodeSelectorRequirementSchema = declare<NodeSelectorRequirement>()(
  rules(
    strict(
      {
        key: nodePoolLabelKey('requirement'),
        operator: oneOf(REQUIREMENT_OPERATORS),
        values: optional(list(labelValue(), { max: 100 })),
        minValues: optional(int(1, 50)),
      },
      'a requirement { key, operator, values?, minValues? }',
    ),
    (r, report) => {
      const problem = requirementProblem(r);
      if (problem !== undefined) report([problem.field], r[problem.field], problem.allowed, 'the NodePool CRD of Karpenter 1.14.1');
    },
  ),
);

/** IPAM settings that decide kubelet `maxPods`; pass the same values to both builders. */
export interface KarpenterIpamOptions {
  /**
   * Whether Cilium's operator hands out /28 prefixes (`eni.awsEnablePrefixDelegation` in the
   * Cilium values of the same cluster). It must match them: it decides `maxPods`.
   */
  readonly prefixDelegation: boolean;
  /**
   * kubelet `maxPods`, judged by `resolveMaxPods`, the one rule shared with the
   * managed node group.
   * @default - 110 with prefix delegation; without it, unset so Karpenter computes the ENI formula per instance type
   */
  readonly maxPods?: number;
  /**
   * `eni.nodeSpec.firstInterfaceIndex` of the cluster's Cilium: 1 with pod subnets, where the
   * primary ENI carries no pod address (and Karpenter's `settings.reservedENIs` is 1).
   * @default 0
   */
  readonly firstInterfaceIndex?: FirstInterfaceIndex;
}
const karpenterIpamEntries = { prefixDelegation: bool(), maxPods: optional(int(1, 250)), firstInterfaceIndex: optional(oneOf<FirstInterfaceIndex>([0, 1], '0, or 1 to keep the primary ENI for the node')) };
/** The declaration of {@link KarpenterIpamOptions}. */
export const KarpenterIpamOptionsSchema = declare<KarpenterIpamOptions>()(strict(karpenterIpamEntries, 'Karpenter IPAM options { prefixDelegation, maxPods?, firstInterfaceIndex? }'));

// ---------------------------------------------------------------------------------------------
// EC2NodeClass
// ---------------------------------------------------------------------------------------------

/** Options of {@link buildEc2NodeClass}. */
export interface Ec2NodeClassOptions extends KarpenterIpamOptions {
  /** EKS cluster name: the value of the discovery tag on the node subnets and security groups. */
  readonly clusterName: string;
  /** Name (not ARN) of the IAM role of the nodes; Karpenter creates the instance profile. */
  readonly nodeRoleName: string;
  /** Name of the EC2NodeClass. @default 'default' */
  readonly name?: string;
  /**
   * AMI alias, `al2023@v<YYYYMMDD>` (a release of awslabs/amazon-eks-ami) or `al2023@latest`
   * (drifts every node at each AMI release; not for production). Only AL2023 is allowed: the node
   * bootstrap (nodeadm), interface names and kernel features the project relies on are AL2023's.
   * @default DEFAULT_AL2023_AMI_ALIAS ('al2023@v20261012')
   */
  readonly amiAlias?: string;
  /** Size of the encrypted gp3 root volume, in `Gi`, `G`, `Ti` or `T`. @default '50Gi' */
  readonly rootVolumeSize?: string;
  /** KMS key (id, alias or ARN) that encrypts the root volume. @default - the account's default EBS encryption key */
  readonly kmsKeyId?: string;
  /** Tags for the instances, volumes and launch templates Karpenter creates. @default - none besides Karpenter's own */
  readonly tags?: Readonly<Record<string, string>>;
}
/** Tag keys Karpenter sets itself; the EC2NodeClass CRD refuses them in `spec.tags`. */
const KARPENTER_OWN_TAG_KEYS = ['eks:eks-cluster-name', 'karpenter.sh/nodepool', 'karpenter.sh/nodeclaim', 'karpenter.k8s.aws/ec2nodeclass'];
/** A tag key an EC2NodeClass may set. */
const nodeClassTagKey = format(
  `a tag key of 1 to 128 letters, digits, spaces and _ . : / = + - @, other than aws:*, ${KARPENTER_OWN_TAG_KEYS.join(', ')} and kubernetes.io/cluster/*`,
  (k) => (KARPENTER_OWN_TAG_KEYS.includes(k) || k.startsWith('kubernetes.io/cluster') ? 'Karpenter sets these tags itself and the EC2NodeClass CRD refuses them' : tagKeyVerdict(k)),
);
/** `eni.nodeSpec.firstInterfaceIndex` of the cluster: 0, or 1 with pod subnets. */
const firstInterfaceIndex = oneOf([0, 1] as const, '0, or 1 (pod subnets: the primary ENI carries no pod address)');
const ec2NodeClassEntries = {
  prefixDelegation: bool(),
  maxPods: optional(int(1, 250)),
  firstInterfaceIndex: optional(firstInterfaceIndex),
  clusterName: text('the non-empty EKS cluster name'),
  nodeRoleName: text('the non-empty name of the node IAM role'),
  name: optional(dns1123Subdomain('an EC2NodeClass name')),
  amiAlias: optional(string('an AL2023 alias such as al2023@v20260714')),
  rootVolumeSize: optional(pattern(/^[1-9]\d*(Gi|G|Ti|T)$/, 'a positive whole size in Gi, G, Ti or T, e.g. "50Gi"')),
  kmsKeyId: optional(kmsKeyRef()),
  tags: optional(record(nodeClassTagKey, tagValue(), 'an object of tag keys to string values')),
} as const;
export const Ec2NodeClassOptionsSchema = declare<Ec2NodeClassOptions>()(strict(ec2NodeClassEntries, 'EC2NodeClass options'));

/**
 * A Karpenter v1 EC2NodeClass as built here; the tests validate it against the EC2NodeClass CRD of
 * the pinned release. Field meanings: https://karpenter.sh/docs/concepts/nodeclasses/
 */
export interface Ec2NodeClass {
  /** The EC2NodeClass API group and version, `karpenter.k8s.aws/v1`. */
  apiVersion: 'karpenter.k8s.aws/v1';
  /** The Kubernetes kind, always `EC2NodeClass`. */
  kind: 'EC2NodeClass';
  /** Object metadata. */
  metadata: {
    /** The EC2NodeClass name (`Ec2NodeClassOptions.name`, default `default`), which a NodePool's `nodeClassRef.name` points at. */
    name: string;
  };
  /** How Karpenter launches EC2 instances for the NodePools that reference this class. */
  spec: {
    /** Name of the IAM role the nodes' instance profile carries (`Ec2NodeClassOptions.nodeRoleName`). */
    role: string;
    /** Which AMI the nodes boot: a single term selecting by AL2023 alias. */
    amiSelectorTerms: Array<{
      /** The AMI alias, `al2023@v<YYYYMMDD>` (a pinned amazon-eks-ami release) or `al2023@latest`. */
      alias: string;
    }>;
    /** Which subnets nodes launch in: those tagged `karpenter.sh/discovery=<cluster name>`. */
    subnetSelectorTerms: Array<{
      /** Tags a subnet must carry to be selected (the discovery tag). */
      tags: Record<string, string>;
    }>;
    /** Which security groups nodes get: those tagged `karpenter.sh/discovery=<cluster name>`. */
    securityGroupSelectorTerms: Array<{
      /** Tags a security group must carry to be selected (the discovery tag). */
      tags: Record<string, string>;
    }>;
    /** Instance metadata service (IMDS) settings: IMDSv2 only, unreachable from the pod network. */
    metadataOptions: {
      /** Whether IMDS answers at all; always `enabled` (kubelet and nodeadm need it). */
      httpEndpoint: 'enabled';
      /** Whether IMDS answers on its IPv6 address; always `disabled`. */
      httpProtocolIPv6: 'disabled';
      /** Network hops an IMDS response may travel; always 1, so pods behind the node cannot reach IMDS. */
      httpPutResponseHopLimit: 1;
      /** Whether a session token is needed; always `required` (IMDSv2 only). */
      httpTokens: 'required';
    };
    /** The EBS volumes attached to each node: the root volume only. */
    blockDeviceMappings: Array<{
      /** Device the volume attaches as; the AL2023 root device, `/dev/xvda`. */
      deviceName: string;
      /** Marks this mapping as the root volume Karpenter sizes ephemeral storage from; always true. */
      rootVolume: true;
      /** The EBS volume's settings. */
      ebs: {
        /** Volume size as a Kubernetes quantity in Gi, G, Ti or T (`Ec2NodeClassOptions.rootVolumeSize`, default `50Gi`). */
        volumeSize: string;
        /** EBS volume type; always `gp3`. */
        volumeType: 'gp3';
        /** Whether the volume is encrypted; always true. */
        encrypted: true;
        /** Whether the volume is deleted with the instance; always true. */
        deleteOnTermination: true;
        /** KMS key (id, alias or ARN) encrypting the volume (`Ec2NodeClassOptions.kmsKeyId`); unset: the account's default EBS key. */
        kmsKeyID?: string;
      };
    }>;
    /** Kubelet settings; present only when `maxPods` is set or prefix delegation resolves one. */
    kubelet?: {
      /** Most pods kubelet admits on a node. */
      maxPods: number;
    };
    /** Extra tags Karpenter puts on the instances, volumes and network interfaces it launches (`Ec2NodeClassOptions.tags`); absent when none. */
    tags?: Record<string, string>;
  };
}

/** Tags the node subnets and security groups must carry for the EC2NodeClass to find them. */
export function karpenterDiscoveryTags(clusterName: string): Record<string, string> {
  return { [KARPENTER_DISCOVERY_TAG_KEY]: clusterName };
}

/** Tag keys Karpenter sets itself; the EC2NodeClass CRD refuses them in `spec.tags`. */
const RESTRICTED_TAG_KEYS = ['eks:eks-cluster-name', 'karpenter.sh/nodepool', 'karpenter.sh/nodeclaim', 'karpenter.k8s.aws/ec2nodeclass'];

const AL2023_ALIAS = new RegExp(`^${AL2023_AMI_FAMILY}@(v\\d{8}|latest)$`);
const ALIAS_MAX_LENGTH = 30; // EC2NodeClass CRD, amiSelectorTerms[].alias maxLength
const VOLUME_SIZE = /^[1-9]\d*(Gi|G|Ti|T)$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

function checkName(name: string, property: string): void {
  check(DNS_SUBDOMAIN.test(name), property, name, 'a Kubernetes object name: lower-case letters, digits, "-" and ".", at most 253 characters');
}

function checkNonEmpty(value: string, property: string, what: string): void {
  check(typeof value === 'string' && value.length > 0, property, value, what);
}

/** Throws a {@link ValidationError} unless `alias` is an AL2023 alias (`al2023@v<YYYYMMDD>` or `al2023@latest`). */
export function assertAl2023Alias(alias: string, property = 'amiAlias'): void {
  check(
    typeof alias === 'string' && AL2023_ALIAS.test(alias) && alias.length <= ALIAS_MAX_LENGTH,
    property,
    alias,
    `an AL2023 alias, "${AL2023_AMI_FAMILY}@v<YYYYMMDD>" (an amazon-eks-ami release, e.g. "${DEFAULT_AL2023_AMI_ALIAS}") or "${AL2023_AMI_FAMILY}@latest"`,
    'nodes must run EKS AL2023 (nodeadm bootstrap, ens* interfaces, kernel 6.1+)',
  );
  assertAmiReleaseNotRefused(alias.slice(AL2023_AMI_FAMILY.length + 1), property, alias);
}

/**
 * Builds the EC2NodeClass. Throws a {@link ValidationError} for an option it cannot accept, naming
 * it under `path` (the options' place in the caller's props; by default the builder's argument).
 */
export function buildEc2NodeClass(opts: Ec2NodeClassOptions, path = 'buildEc2NodeClass(options)'): Ec2NodeClass {
  const p = path;
  parse(Ec2NodeClassOptionsSchema, opts, p);
  const name = opts.name ?? DEFAULT_KARPENTER_RESOURCE_NAME;
  const alias = opts.amiAlias ?? DEFAULT_AL2023_AMI_ALIAS;
  const volumeSize = opts.rootVolumeSize ?? DEFAULT_ROOT_VOLUME_SIZE;

  checkName(name, `${p}.name`);
  checkNonEmpty(opts.clusterName, `${p}.clusterName`, 'the non-empty EKS cluster name');
  checkNonEmpty(opts.nodeRoleName, `${p}.nodeRoleName`, 'the non-empty name of the node IAM role');
  assertAl2023Alias(alias, `${p}.amiAlias`);
  check(VOLUME_SIZE.test(volumeSize), `${p}.rootVolumeSize`, volumeSize, 'a positive whole size in Gi, G, Ti or T, e.g. "50Gi"');
  if (opts.kmsKeyId !== undefined) checkNonEmpty(opts.kmsKeyId, `${p}.kmsKeyId`, 'a KMS key id, alias or ARN');
  for (const key of Object.keys(opts.tags ?? {})) {
    check(
      key.length > 0 && !RESTRICTED_TAG_KEYS.includes(key) && !key.startsWith('kubernetes.io/cluster'),
      `${p}.tags`,
      key,
      `a non-empty tag key other than ${RESTRICTED_TAG_KEYS.join(', ')} and kubernetes.io/cluster/*`,
      'Karpenter sets these tags itself and the EC2NodeClass CRD refuses them',
    );
  }
  const maxPods = resolveMaxPods({ prefixDelegation: opts.prefixDelegation, firstInterfaceIndex: opts.firstInterfaceIndex, maxPods: opts.maxPods, property: `${p}.maxPods` });

  const discovery = karpenterDiscoveryTags(opts.clusterName);
  const spec: Ec2NodeClass['spec'] = {
    role: opts.nodeRoleName,
    amiSelectorTerms: [{ alias }],
    subnetSelectorTerms: [{ tags: { ...discovery } }],
    securityGroupSelectorTerms: [{ tags: { ...discovery } }],
    // IMDSv2 only, not reachable from the pod network (hop limit 1).
    metadataOptions: { httpEndpoint: 'enabled', httpProtocolIPv6: 'disabled', httpPutResponseHopLimit: 1, httpTokens: 'required' },
    blockDeviceMappings: [
      {
        deviceName: AL2023_ROOT_DEVICE_NAME,
        rootVolume: true,
        ebs: {
          volumeSize,
          volumeType: 'gp3' as const,
          encrypted: true,
          deleteOnTermination: true,
          ...(opts.kmsKeyId !== undefined ? { kmsKeyID: opts.kmsKeyId } : {}),
        },
      },
    ],
    ...(maxPods !== undefined ? { kubelet: { maxPods } } : {}),
    ...(opts.tags && Object.keys(opts.tags).length > 0 ? { tags: { ...opts.tags } } : {}),
  };
  return { apiVersion: EC2_NODE_CLASS_API_VERSION, kind: 'EC2NodeClass' as const, metadata: { name }, spec };
}

// ---------------------------------------------------------------------------------------------
// NodePool
// ---------------------------------------------------------------------------------------------

/** Upper bounds on what a NodePool may provision. */
export interface NodePoolLimits {
  /** Total vCPUs. @default 1000 */
  readonly cpu?: Quantity;
  /** Total memory. @default '1000Gi' */
  readonly memory?: Quantity;
}
const QUANTITY_RE = /^\+?(\d+(\.\d*)?|\.\d+)([KMGTPE]i|[numkMGTPE]|[eE][+-]?(\d+(\.\d*)?|\.\d+))?$/;
/** A positive quantity: a number or a Kubernetes quantity string. */
const quantity = anyOf(
  [positive('a positive integer or Kubernetes quantity, e.g. 1000, "500m", "1000Gi"'), format('a positive integer or Kubernetes quantity, e.g. 1000, "500m", "1000Gi"', (s) => { const m = QUANTITY_RE.exec(s); return m !== null && Number(m[1]) > 0; })],
  'a positive integer or Kubernetes quantity, e.g. 1000, "500m", "1000Gi"',
);
export const NodePoolLimitsSchema = declare<NodePoolLimits>()(strict({ cpu: optional(quantity), memory: optional(quantity) }, 'NodePool limits { cpu?, memory? }'));

/** Explicit consent to a NodePool without the Cilium startup taint. */
export interface AllowMissingCiliumStartupTaint {
  /** Why this pool's nodes need no Cilium startup taint; must not be empty. */
  readonly reason: string;
}
export const AllowMissingCiliumStartupTaintSchema = declare<AllowMissingCiliumStartupTaint>()(
  strict({ reason: text('a non-empty explanation of why nodes of this pool need no Cilium startup taint') }, '{ reason }'),
);

/** Options of {@link buildNodePool}. */
export interface NodePoolOptions extends KarpenterIpamOptions {
  /** Name of the NodePool. @default 'default' */
  readonly name?: string;
  /** Name of the EC2NodeClass the pool launches from. @default 'default' */
  readonly nodeClassName?: string;
  /** `kubernetes.io/arch` values. @default ['amd64', 'arm64'] */
  readonly architectures?: readonly Architecture[];
  /** `karpenter.sh/capacity-type` values. @default ['on-demand', 'spot'] */
  readonly capacityTypes?: readonly CapacityType[];
  /** `karpenter.k8s.aws/instance-category` values. @default ['c', 'm', 'r'] */
  readonly instanceCategories?: readonly string[];
  /**
   * Instance types the pool may launch (`node.kubernetes.io/instance-type In`); each type
   * the project's instance-type table knows bounds `maxPods` through `resolveMaxPods`.
   * @default - any type the other requirements allow
   */
  readonly instanceTypes?: readonly string[];
  /** ENI limits of `instanceTypes` the built-in table does not know. @default - none */
  readonly eniLimits?: Readonly<Record<string, EniLimits>>;
  /** Further requirements, ANDed with the ones built here. @default - none */
  readonly requirements?: readonly NodeSelectorRequirement[];
  /**
   * Startup taints. A list given here replaces the default and must contain
   * {@link CILIUM_STARTUP_TAINT}, unless `allowMissingCiliumStartupTaint` says why not.
   * @default [CILIUM_STARTUP_TAINT]
   */
  readonly startupTaints?: readonly Taint[];
  /**
   * Lets `startupTaints` omit the Cilium taint; the reason is required and must not be empty.
   * @default - the Cilium startup taint is required
   */
  readonly allowMissingCiliumStartupTaint?: AllowMissingCiliumStartupTaint;
  /** Taints the nodes keep (pods must tolerate them). @default - none */
  readonly taints?: readonly Taint[];
  /** Labels of the nodes. @default - none */
  readonly labels?: Readonly<Record<string, string>>;
  /** Provisioning limits; each must be positive. @default { cpu: 1000, memory: '1000Gi' } */
  readonly limits?: NodePoolLimits;
  /** `disruption.consolidationPolicy`. @default 'WhenEmptyOrUnderutilized' */
  readonly consolidationPolicy?: ConsolidationPolicy;
  /** `disruption.consolidateAfter` (`30s`, `1m`, `1h30m` or `Never`). @default '1m' */
  readonly consolidateAfter?: string;
  /** `template.spec.expireAfter` (`720h` or `Never`). @default '720h' */
  readonly expireAfter?: string;
  /**
   * `template.spec.terminationGracePeriod`: how long a deleted node may drain before Karpenter
   * deletes the pods a PodDisruptionBudget or `karpenter.sh/do-not-disrupt` still protects (NodePool
   * CRD of Karpenter 1.14.1; format `^([0-9]+(s|m|h))+$`). It bounds every drain, and with it the
   * destroy: the node-resources release's Helm timeout is derived from the largest value
   * (`nodeResourcesReleaseTimeoutSeconds`). Changing it drifts (replaces) the pool's nodes: the
   * field is part of the NodePool hash, and each NodeClaim keeps the value it was created with.
   * @default '1h' (DEFAULT_TERMINATION_GRACE_PERIOD; Karpenter's own default, unset, waits forever)
   */
  readonly terminationGracePeriod?: string;
}
const nodePoolEntries = {
  prefixDelegation: bool(),
  maxPods: optional(int(1, 250)),
  firstInterfaceIndex: optional(firstInterfaceIndex),
  name: optional(dns1123Subdomain('a NodePool name')),
  nodeClassName: optional(dns1123Subdomain('an EC2NodeClass name')),
  architectures: optional(list(oneOf(ARCHITECTURES), { min: 1 })),
  capacityTypes: optional(list(oneOf(CAPACITY_TYPES), { min: 1 })),
  instanceCategories: optional(list(pattern(/^[a-z]+$/, 'an instance category (c, m, r, g, ...)'), { min: 1 })),
  instanceTypes: optional(list(pattern(/^[a-z0-9-]+\.[a-z0-9-]+$/, 'an instance type such as m7i.large'), { min: 1, unique: true })),
  eniLimits: optional(record(string('an instance type'), strict({ maxEnis: int(1, 100), ipv4PerEni: int(1, 100) }, 'ENI limits { maxEnis, ipv4PerEni }'))),
  requirements: optional(list(NodeSelectorRequirementSchema, { max: 100, reason: 'the NodePool CRD maxItems' })),
  startupTaints: optional(list(TaintSchema)),
  allowMissingCiliumStartupTaint: optional(AllowMissingCiliumStartupTaintSchema),
  taints: optional(list(TaintSchema)),
  labels: optional(record(nodePoolLabelKey('label'), labelValue(), 'an object of label keys to label values')),
  limits: optional(NodePoolLimitsSchema),
  consolidationPolicy: optional(oneOf(CONSOLIDATION_POLICIES)),
  consolidateAfter: optional(karpenterDuration(true)),
  expireAfter: optional(karpenterDuration(true)),
  terminationGracePeriod: optional(karpenterDuration(false)),
} as const;
export const NodePoolOptionsSchema = declare<NodePoolOptions>()(strict(nodePoolEntries, 'NodePool options'));

/**
 * A Karpenter v1 NodePool as built here; the tests validate it against the NodePool CRD of the
 * pinned release. Field meanings: https://karpenter.sh/docs/concepts/nodepools/
 */
export interface NodePool {
  /** The NodePool API group and version, `karpenter.sh/v1`. */
  apiVersion: 'karpenter.sh/v1';
  /** The Kubernetes kind, always `NodePool`. */
  kind: 'NodePool';
  /** Object metadata. */
  metadata: {
    /** The NodePool name (`NodePoolOptions.name`, default `default`). */
    name: string;
  };
  /** What nodes the pool may launch, how many, and when Karpenter replaces them. */
  spec: {
    /** The template of every NodeClaim (node) the pool launches. */
    template: {
      /** Metadata given to the nodes; present only when `labels` are set. */
      metadata?: {
        /** Labels put on every node of the pool (`NodePoolOptions.labels`). */
        labels: Record<string, string>;
      };
      /** The nodes' specification. */
      spec: {
        /** The EC2NodeClass the nodes launch from. */
        nodeClassRef: {
          /** API group of the node class, `karpenter.k8s.aws`. */
          group: 'karpenter.k8s.aws';
          /** Kind of the node class, `EC2NodeClass`. */
          kind: 'EC2NodeClass';
          /** Name of the EC2NodeClass (`NodePoolOptions.nodeClassName`, default `default`). */
          name: string;
        };
        /** Node selector requirements (architecture, capacity type, instance category, excluded sizes, ...) every launched instance meets. */
        requirements: NodeSelectorRequirement[];
        /** Taints the node starts with and that a daemon removes once ready; by default the Cilium agent-not-ready taint. */
        startupTaints: Taint[];
        /** Lasting taints on every node (`NodePoolOptions.taints`); absent when none. */
        taints?: Taint[];
        /** Age after which Karpenter replaces a node: a duration such as `720h`, or `Never` (default `720h`). */
        expireAfter: string;
        /** Longest time a node drains before Karpenter deletes it regardless, a duration (default `1h`). */
        terminationGracePeriod: string;
      };
    };
    /** Ceiling on the total resources of all nodes in the pool; Karpenter launches no node past it. */
    limits: {
      /** Total CPU, as cores or a quantity such as `500m` (default 1000). */
      cpu: Quantity;
      /** Total memory, a quantity such as `1000Gi` (default `1000Gi`). */
      memory: Quantity;
    };
    /** When Karpenter removes or replaces nodes to save cost. */
    disruption: {
      /** Which nodes consolidation may remove: `WhenEmpty`, `WhenEmptyOrUnderutilized` (default) or `Balanced`. */
      consolidationPolicy: ConsolidationPolicy;
      /** How long a node must be consolidatable before Karpenter acts, a duration or `Never` (default `1m`). */
      consolidateAfter: string;
    };
  };
}

/**
 * Worst-case ENI limits of the smallest instance sizes over every instance type in
 * awslabs/amazon-eks-ami `nodeadm/internal/kubelet/instance-info.jsonl` (snapshot of 2026-07-23,
 * commit 81fec2e89585), with the example type that sets each bound:
 *   nano, micro: 2 ENIs x 2 IPv4 (t3.nano, t3a.micro, t4g.nano) -> addressablePods = 2*1*16+2 = 34
 *   small:       2 ENIs x 4 IPv4 (t3a.small)                    -> 2*3*16+2 = 98
 *   medium:      2 ENIs x 4 IPv4 (c6g.medium, m6g.medium, ...)  -> 98
 * With prefix delegation, kubelet `maxPods` (110 by default) above that bound would leave pods
 * without an address on such a node, so those sizes are excluded (`instance-size NotIn`). In the
 * default categories c, m and r every size from `large` up has at least 2 ENIs x 10 IPv4
 * (m4.large): 290 addressable pods, above KUBELET_MAX_PODS_CEILING (250), so no larger size is
 * ever excluded. Other categories have exceptions no size rule can express (g4ad.xlarge and
 * g4ad.2xlarge: 2 ENIs x 4 IPv4, 98 pods): list such types in `instanceTypes` (with `eniLimits`)
 * so that `resolveMaxPods` judges them. With pod subnets (`firstInterfaceIndex` 1) one ENI fewer
 * counts: nano..medium address 18 to 50 pods, and a Nitro `large` (3 ENIs x 10 IPv4, e.g.
 * m5.large, c6g.large; m4.large's 2 ENIs are Xen, left out by the Nitro requirement) 2*9*16+2 = 290.
 */
const SMALL_SIZE_WORST_CASE_ENI_LIMITS: ReadonlyArray<readonly [string, EniLimits]> = [
  ['nano', { maxEnis: 2, ipv4PerEni: 2 }],
  ['micro', { maxEnis: 2, ipv4PerEni: 2 }],
  ['small', { maxEnis: 2, ipv4PerEni: 4 }],
  ['medium', { maxEnis: 2, ipv4PerEni: 4 }],
];

/**
 * Instance sizes (`karpenter.k8s.aws/instance-size`) on which some instance type cannot address
 * `maxPods` with /28 prefixes (`addressablePods`): for the default 110, `nano`,
 * `micro`, `small` and `medium`.
 */
export function prefixDelegationExcludedSizes(maxPods: number, firstInterfaceIndex: FirstInterfaceIndex = 0): string[] {
  return SMALL_SIZE_WORST_CASE_ENI_LIMITS.filter(([, limits]) => podsAddressable(limits, { prefixDelegation: true, firstInterfaceIndex }) < maxPods).map(
    ([size]) => size,
  );
}

const QUANTITY = /^\+?(\d+(\.\d*)?|\.\d+)([KMGTPE]i|[numkMGTPE]|[eE][+-]?(\d+(\.\d*)?|\.\d+))?$/;
const DURATION_OR_NEVER = /^(([0-9]+(s|m|h))+|Never)$/;

/** A positive quantity as the CRD takes it (an integer or a string), or a {@link ValidationError}. */
function positiveQuantity(value: Quantity, property: string): Quantity {
  const allowed = 'a positive integer or Kubernetes quantity, e.g. 1000, "500m", "1000Gi"';
  if (typeof value === 'number') {
    check(Number.isFinite(value) && value > 0, property, value, allowed);
    return Number.isInteger(value) ? value : String(value);
  }
  const match = typeof value === 'string' ? QUANTITY.exec(value) : null;
  check(match !== null && Number(match[1]) > 0, property, value, allowed);
  return value;
}

function nonEmptyList<T>(values: readonly T[], property: string, allowed: readonly T[] | undefined, what: string): T[] {
  check(values.length > 0, property, values, `a non-empty list of ${what}`);
  for (const v of values) {
    check(allowed ? allowed.includes(v) : typeof v === 'string' && v.length > 0, property, v, allowed ? `one of ${allowed.join(', ')}` : what);
  }
  return [...values];
}

function copyTaint(t: Taint, property: string): Taint {
  check(TAINT_EFFECTS.includes(t.effect), `${property}.effect`, t.effect, `one of ${TAINT_EFFECTS.join(', ')}`);
  checkNonEmpty(t.key, `${property}.key`, 'a non-empty taint key');
  return t.value === undefined ? { key: t.key, effect: t.effect } : { key: t.key, value: t.value, effect: t.effect };
}

function copyRequirement(r: NodeSelectorRequirement, property: string): NodeSelectorRequirement {
  checkNonEmpty(r.key, `${property}.key`, 'a non-empty label key');
  check(REQUIREMENT_OPERATORS.includes(r.operator), `${property}.operator`, r.operator, `one of ${REQUIREMENT_OPERATORS.join(', ')}`);
  return {
    key: r.key,
    operator: r.operator,
    ...(r.values !== undefined ? { values: [...r.values] } : {}),
    ...(r.minValues !== undefined ? { minValues: r.minValues } : {}),
  };
}

function isCiliumTaint(t: Taint): boolean {
  const c = CILIUM_STARTUP_TAINT;
  return t.key === c.key && t.value === c.value && t.effect === c.effect;
}

/** The startup taints, with the Cilium taint required unless an override with a reason is given. */
function startupTaintsOf(opts: NodePoolOptions, p: string): Taint[] {
  const override = opts.allowMissingCiliumStartupTaint;
  if (override !== undefined) {
    check(
      typeof override.reason === 'string' && override.reason.trim().length > 0,
      `${p}.allowMissingCiliumStartupTaint.reason`,
      override.reason,
      'a non-empty explanation of why nodes of this pool need no Cilium startup taint',
    );
  }
  const taints = opts.startupTaints ?? [CILIUM_STARTUP_TAINT];
  const c = CILIUM_STARTUP_TAINT;
  check(
    override !== undefined || taints.some(isCiliumTaint),
    `${p}.startupTaints`,
    taints,
    `a list containing {key: "${c.key}", value: "${c.value}", effect: "${c.effect}"}, ` +
      `or allowMissingCiliumStartupTaint: {reason: "..."} to go without it`,
    'Cilium is the only CNI: without the taint pods start before the agent is ready, unmanaged by Cilium, ' +
      'and Karpenter over-provisions (cilium #29405, karpenter-provider-aws #628)',
  );
  return taints.map((t, i) => copyTaint(t, `${p}.startupTaints[${i}]`));
}

/** The requirements: architecture, capacity type, category, optional types, Nitro-only sizes with prefixes, then the caller's. */
function requirementsOf(opts: NodePoolOptions, p: string): NodeSelectorRequirement[] {
  const maxPods = resolveMaxPods({
    prefixDelegation: opts.prefixDelegation,
    firstInterfaceIndex: opts.firstInterfaceIndex,
    maxPods: opts.maxPods,
    instanceTypes: opts.instanceTypes,
    eniLimits: opts.eniLimits,
    property: `${p}.maxPods`,
  });
  const requirements: NodeSelectorRequirement[] = [
    {
      key: 'kubernetes.io/arch',
      operator: 'In',
      values: nonEmptyList(opts.architectures ?? DEFAULT_ARCHITECTURES, `${p}.architectures`, ARCHITECTURES, 'architectures'),
    },
    {
      key: 'karpenter.sh/capacity-type',
      operator: 'In',
      values: nonEmptyList(opts.capacityTypes ?? DEFAULT_CAPACITY_TYPES, `${p}.capacityTypes`, CAPACITY_TYPES, 'capacity types'),
    },
    {
      key: 'karpenter.k8s.aws/instance-category',
      operator: 'In',
      values: nonEmptyList(opts.instanceCategories ?? DEFAULT_INSTANCE_CATEGORIES, `${p}.instanceCategories`, undefined, 'instance categories (c, m, r, ...)'),
    },
  ];
  if (opts.instanceTypes !== undefined) {
    const values = nonEmptyList(opts.instanceTypes, `${p}.instanceTypes`, undefined, 'instance types (m7i.large, ...)');
    checkPoolInstanceTypes(values, opts, p, maxPods);
    requirements.push({ key: 'node.kubernetes.io/instance-type', operator: 'In', values });
  }
  if (opts.prefixDelegation) {
    // Prefix delegation needs Nitro (Cilium ENI IPAM docs; bare metal reports no hypervisor and is left out too).
    requirements.push({ key: 'karpenter.k8s.aws/instance-hypervisor', operator: 'In', values: ['nitro'] });
    const excluded = prefixDelegationExcludedSizes(maxPods ?? 0, opts.firstInterfaceIndex);
    if (excluded.length > 0) requirements.push({ key: 'karpenter.k8s.aws/instance-size', operator: 'NotIn', values: excluded });
  }
  return [...requirements, ...(opts.requirements ?? []).map((r, i) => copyRequirement(r, `${p}.requirements[${i}]`))];
}

/**
 * Each explicit instance type must be one the pool can launch: it exists (the table of
 * the project's instance-type table, or `eniLimits` for a newer type), its architecture and category are
 * among the pool's, it is Nitro and of a size prefix delegation keeps when that is on. A type that
 * fails any of these could never be launched, and a pool of only such types never launches a node.
 */
function checkPoolInstanceTypes(types: readonly string[], opts: NodePoolOptions, p: string, maxPods: number | undefined): void {
  const architectures = opts.architectures ?? DEFAULT_ARCHITECTURES;
  const categories = opts.instanceCategories ?? DEFAULT_INSTANCE_CATEGORIES;
  const excludedSizes = opts.prefixDelegation ? prefixDelegationExcludedSizes(maxPods ?? 0, opts.firstInterfaceIndex) : [];
  types.forEach((t, i) => {
    const where = `${p}.instanceTypes[${i}]`;
    check(types.indexOf(t) === i, where, t, 'an instance type not listed before');
    const known = instanceTypeInfo(t);
    if (known === undefined && opts.eniLimits?.[t] !== undefined) return; // a type newer than the table, described by the caller
    const info = assertInstanceTypeExists(t, where);
    const arch: Architecture = info.architecture === 'arm64' ? 'arm64' : 'amd64';
    check(architectures.includes(arch), where, t, `an instance type of the pool's architectures (${architectures.join(', ')})`, `${t} is ${arch}: the pool could never launch it`);
    const category = /^[a-z]+/.exec(t)?.[0] ?? '';
    check(categories.includes(category), where, t, `an instance type of the pool's categories (${categories.join(', ')}); add "${category}" to instanceCategories`, `${t} is in category ${category}: the pool could never launch it`);
    if (opts.prefixDelegation) {
      check(info.nitro, where, t, 'a Nitro instance type while prefix delegation is on', `${t} runs on Xen and the pool requires instance-hypervisor nitro`);
      const size = t.slice(t.indexOf('.') + 1);
      check(!excludedSizes.includes(size), where, t, `a size other than ${excludedSizes.join(', ')} while prefix delegation is on`, `the pool excludes those sizes: some types of them cannot address maxPods ${maxPods} pods`);
    }
  });
}

/**
 * Builds the NodePool. Throws a {@link ValidationError} for an option it cannot accept, naming it
 * under `path` (the options' place in the caller's props; by default the builder's argument).
 */
export function buildNodePool(opts: NodePoolOptions, path = 'buildNodePool(options)'): NodePool {
  const p = path;
  parse(NodePoolOptionsSchema, opts, p);
  const name = opts.name ?? DEFAULT_KARPENTER_RESOURCE_NAME;
  const nodeClassName = opts.nodeClassName ?? DEFAULT_KARPENTER_RESOURCE_NAME;
  const consolidateAfter = opts.consolidateAfter ?? DEFAULT_CONSOLIDATE_AFTER;
  const expireAfter = opts.expireAfter ?? DEFAULT_EXPIRE_AFTER;
  const consolidationPolicy = opts.consolidationPolicy ?? DEFAULT_CONSOLIDATION_POLICY;

  checkName(name, `${p}.name`);
  checkName(nodeClassName, `${p}.nodeClassName`);
  check(DURATION_OR_NEVER.test(consolidateAfter), `${p}.consolidateAfter`, consolidateAfter, 'a duration such as "30s", "1m", "1h30m", or "Never"');
  check(DURATION_OR_NEVER.test(expireAfter), `${p}.expireAfter`, expireAfter, 'a duration such as "720h", or "Never"');
  check(CONSOLIDATION_POLICIES.includes(consolidationPolicy), `${p}.consolidationPolicy`, consolidationPolicy, `one of ${CONSOLIDATION_POLICIES.join(', ')}`);
  const terminationGracePeriod = opts.terminationGracePeriod ?? DEFAULT_TERMINATION_GRACE_PERIOD;
  durationSeconds(terminationGracePeriod, `${p}.terminationGracePeriod`);

  const startupTaints = startupTaintsOf(opts, p);
  const taints = (opts.taints ?? []).map((t, i) => {
    check(
      t.key !== CILIUM_STARTUP_TAINT.key,
      `${p}.taints[${i}].key`,
      t.key,
      'a key other than the Cilium startup taint',
      'as a lasting taint Karpenter would expect pods to tolerate it; it belongs in startupTaints',
    );
    return copyTaint(t, `${p}.taints[${i}]`);
  });

  const limits = {
    cpu: positiveQuantity(opts.limits?.cpu ?? DEFAULT_NODE_POOL_LIMITS.cpu, `${p}.limits.cpu`),
    memory: positiveQuantity(opts.limits?.memory ?? DEFAULT_NODE_POOL_LIMITS.memory, `${p}.limits.memory`),
  };

  return {
    apiVersion: NODE_POOL_API_VERSION,
    kind: 'NodePool' as const,
    metadata: { name },
    spec: {
      template: {
        ...(opts.labels && Object.keys(opts.labels).length > 0 ? { metadata: { labels: { ...opts.labels } } } : {}),
        spec: {
          nodeClassRef: { group: 'karpenter.k8s.aws' as const, kind: 'EC2NodeClass' as const, name: nodeClassName },
          requirements: requirementsOf(opts, p),
          startupTaints,
          ...(taints.length > 0 ? { taints } : {}),
          expireAfter,
          terminationGracePeriod,
        },
      },
      limits,
      disruption: { consolidationPolicy, consolidateAfter },
    },
  };
}

/**
 * A built resource as a plain JSON object (optional members that are unset dropped), for a Helm
 * value, a `kubernetes_manifest` or `toSortedYaml`.
 */
export function toJsonObject(resource: Ec2NodeClass | NodePool): JsonObject {
  return JSON.parse(JSON.stringify(resource)) as JsonObject;
}

/** The object declarations a cluster's Karpenter options reuse. */
export { ec2NodeClassEntries, nodePoolEntries };
