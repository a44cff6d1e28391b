/**
 * What a running VPC-CNI cluster brings into the migration, as pure data: the add-on settings it
 * keeps, the features that do not carry over to Cilium (and the acknowledgement each needs), the
 * pod addresses the Cilium nodes claim, and the NodePool / EC2NodeClass changes that move
 * existing Karpenter nodes onto Cilium. The construct turns these into plan-time gates
 * (`constructs/migration/plan-checks.ts`); everything decided here is testable without synth.
 *
 * Sources:
 * - [addon-create] EKS API `CreateAddon`, `resolveConflicts`: OVERWRITE "changes the value to the
 *   Amazon EKS default value" where a self-managed add-on differs; NONE and PRESERVE leave it and
 *   "Creation of the add-on might fail". The Terraform provider accepts NONE and OVERWRITE for
 *   `resolve_conflicts_on_create` ("PRESERVE can only be used for upgrading the add-ons").
 * - [addon-update] EKS API `UpdateAddon`, `resolveConflicts`: OVERWRITE "overwrites the changed
 *   value back to the Amazon EKS default value", PRESERVE "preserves the value"; the provider's
 *   docs: PRESERVE "can be used to retain the config changes applied to the add-on with kubectl".
 * - [field-management] EKS user guide, "Determine fields you can customize for Amazon EKS
 *   add-ons": EKS applies add-ons with server-side apply and manages a minimum set of fields
 *   (`manager: eks`); the others can be changed without conflict.
 * - [remove-role] EKS user guide, "Remove Pod Identity associations from an Amazon EKS add-on":
 *   an update with an empty list of associations removes them, so a kept add-on must carry its own.
 * - [vpc-cni-chart] aws/amazon-vpc-cni-k8s `charts/aws-vpc-cni/values.yaml` and
 *   `templates/{daemonset,configmap}.yaml` at commit b5218838 (2026-08-20, v1.23.1): the aws-node
 *   and aws-vpc-cni-init environment defaults, `enableNetworkPolicy` written to the ConfigMap
 *   `amazon-vpc-cni` as `enable-network-policy-controller` and to the node agent as
 *   `--enable-network-policy`.
 * - [cilium-46644] cilium/cilium #46644 (open, 2026-06): with ENI prefix delegation, a subnet with
 *   free addresses but no free /28 makes the operator fall back to /32 addresses on that ENI, and
 *   the node stays in /32 mode; cilium #20822 added the fallback.
 * - [karpenter-drift] Karpenter v1.14 docs `concepts/disruption.md`, "Drift": a NodeClaim whose
 *   NodePool or EC2NodeClass values no longer match is drifted (a hash of the template), and drift
 *   is a graceful disruption, rate-limited by the NodePool's disruption budgets.
 */
import { check, ValidationError } from '../core/errors';
import { isPlainObject } from '../core/json';
import { EniLimits, eniLimitsOf } from '../core/instance-types';
import { JsonObject, JsonValue } from '../core/yaml';
import { declare, int, list, literal, opaque, optional, parse, pattern, strict, string, text, v } from '../core/schema';

/**
 * The node label every Cilium node carries during the migration. aws-node's affinity excludes
 * exactly this label, and Cilium's agent DaemonSet selects exactly it, until the final phase.
 */
export const CILIUM_NODE_LABEL = Object.freeze({ key: 'cilium-eks/cni', value: 'cilium' } as const);
import { CILIUM_STARTUP_TAINT } from './cilium-values';
import { podsAddressable, IPV4_PREFIX_ADDRESSES } from './ipam';

// ---------------------------------------------------------------------------------------------
// The add-ons as they are
// ---------------------------------------------------------------------------------------------

/** An EKS Pod Identity association owned by an add-on (EKS API `AddonPodIdentityAssociations`). */
export interface AddonPodIdentityAssociation {
  /** The Kubernetes service account, e.g. `aws-node`. */
  readonly serviceAccount: string;
  /** The IAM role ARN. */
  readonly roleArn: string;
}

/** How an add-on the migration takes over is set up today: all of it is kept through the phases. */
export interface ExistingAddonSettings {
  /**
   * The add-on's configuration values today, as an object: for a managed add-on what
   * `aws eks describe-addon --cluster-name <c> --addon-name <a> --query addon.configurationValues`
   * prints (JSON or YAML); for a self-managed DaemonSet, the same keys for what was changed on it
   * (for vpc-cni, `env` of the aws-node container, `init.env`, `enableNetworkPolicy`). The plan of
   * `prepare` compares it with what runs and refuses a difference, naming it.
   * @default - none: the add-on's defaults
   */
  readonly configuration?: JsonObject;
  /** The IAM role of the add-on's service account (IRSA), e.g. the aws-node role. @default - none: the node role */
  readonly serviceAccountRoleArn?: string;
  /** The Pod Identity associations the managed add-on owns. @default - none */
  readonly podIdentityAssociations?: readonly AddonPodIdentityAssociation[];
}

/** The vpc-cni add-on as it is. */
export interface ExistingVpcCniSettings extends ExistingAddonSettings {
  /**
   * Environment variables of the running aws-node or aws-vpc-cni-init container that you accept
   * to see reset to the add-on's defaults (a variable the add-on's configuration schema does not
   * take, for example). Every other variable that differs from the default must be in
   * `configuration` (`env`, `init.env`), or the plan of `prepare` refuses it.
   * @default - none
   */
  readonly resetEnv?: readonly string[];
}

/**
 * The literal environment of the aws-node container in the upstream chart [vpc-cni-chart]: a
 * running variable with this value needs no declaration. `VPC_CNI_VERSION` changes with every
 * release and is left out of the comparison ({@link VPC_CNI_UNCOMPARED_ENV}).
 */
export const VPC_CNI_ENV_DEFAULTS: Readonly<Record<string, string>> = Object.freeze({
  ADDITIONAL_ENI_TAGS: '{}',
  AWS_VPC_CNI_NODE_PORT_SUPPORT: 'true',
  AWS_VPC_ENI_MTU: '9001',
  AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG: 'false',
  AWS_VPC_K8S_CNI_EXTERNALSNAT: 'false',
  AWS_VPC_K8S_CNI_LOG_FILE: '/host/var/log/aws-routed-eni/ipamd.log',
  AWS_VPC_K8S_CNI_LOGLEVEL: 'DEBUG',
  AWS_VPC_K8S_CNI_RANDOMIZESNAT: 'prng',
  AWS_VPC_K8S_CNI_VETHPREFIX: 'eni',
  AWS_VPC_K8S_PLUGIN_LOG_FILE: '/var/log/aws-routed-eni/plugin.log',
  AWS_VPC_K8S_PLUGIN_LOG_LEVEL: 'DEBUG',
  DISABLE_INTROSPECTION: 'false',
  DISABLE_METRICS: 'false',
  DISABLE_NETWORK_RESOURCE_PROVISIONING: 'false',
  ENABLE_IMDS_ONLY_MODE: 'false',
  ENABLE_IPv4: 'true',
  ENABLE_IPv6: 'false',
  ENABLE_MULTI_NIC: 'false',
  ENABLE_POD_ENI: 'false',
  ENABLE_PREFIX_DELEGATION: 'false',
  ENABLE_SUBNET_DISCOVERY: 'true',
  NETWORK_POLICY_ENFORCING_MODE: 'standard',
  WARM_ENI_TARGET: '1',
  WARM_PREFIX_TARGET: '1',
});

/** The aws-vpc-cni-init container's environment defaults [vpc-cni-chart]. */
export const VPC_CNI_INIT_ENV_DEFAULTS: Readonly<Record<string, string>> = Object.freeze({ DISABLE_TCP_EARLY_DEMUX: 'false', ENABLE_IPv6: 'false' });

/** Variables whose running value is not compared: the add-on version writes its own. */
export const VPC_CNI_UNCOMPARED_ENV: readonly string[] = Object.freeze(['VPC_CNI_VERSION']);

/** The add-on's `enableNetworkPolicy` default ("false") and where the running value is read [vpc-cni-chart]. */
export const VPC_CNI_NETWORK_POLICY = Object.freeze({ configMap: 'amazon-vpc-cni', key: 'enable-network-policy-controller', default: 'false' } as const);

/** kube-proxy's mode when neither the add-on configuration nor the ConfigMap says one (kube-proxy's own default). */
export const KUBE_PROXY_DEFAULT_MODE = 'iptables';

/** `configuration.env` (or `init.env`) as a string map, refused when it is not one. */
export function declaredEnv(configuration: JsonObject | undefined, path: 'env' | 'init.env', property: string): Record<string, string> {
  const value = path === 'env' ? configuration?.env : (isPlainObject(configuration?.init) ? (configuration!.init as JsonObject).env : undefined);
  if (value === undefined) return {};
  check(isPlainObject(value), `${property}.${path}`, value, 'an object of environment variable names to string values');
  for (const [k, v] of Object.entries(value as JsonObject)) {
    check(typeof v === 'string', `${property}.${path}.${k}`, v, 'a string (EKS add-on configuration takes environment values as strings, e.g. "true")');
  }
  return value as Record<string, string>;
}

/** The settings checked for shape: the role ARNs, the associations, the environment maps. */
export function assertExistingAddonSettings(settings: ExistingAddonSettings | undefined, property: string, addons: 'managed' | 'self-managed'): void {
  if (settings === undefined) return;
  if (settings.configuration !== undefined) check(isPlainObject(settings.configuration), `${property}.configuration`, settings.configuration, 'an object (the add-on configuration values)');
  const roleArn = /^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/;
  if (settings.serviceAccountRoleArn !== undefined) check(roleArn.test(settings.serviceAccountRoleArn), `${property}.serviceAccountRoleArn`, settings.serviceAccountRoleArn, 'an IAM role ARN');
  const seen = new Set<string>();
  (settings.podIdentityAssociations ?? []).forEach((a, i) => {
    check(
      addons === 'managed',
      `${property}.podIdentityAssociations`,
      settings.podIdentityAssociations,
      "none with current.addons 'self-managed'",
      'a self-managed add-on owns no association: one made with the Pod Identity API stays as it is, and an add-on association for the same service account would collide with it',
    );
    check(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(a.serviceAccount), `${property}.podIdentityAssociations[${i}].serviceAccount`, a.serviceAccount, 'a Kubernetes service account name');
    check(!seen.has(a.serviceAccount), `${property}.podIdentityAssociations[${i}].serviceAccount`, a.serviceAccount, 'a service account listed once');
    seen.add(a.serviceAccount);
    check(roleArn.test(a.roleArn), `${property}.podIdentityAssociations[${i}].roleArn`, a.roleArn, 'an IAM role ARN');
  });
}

// ---------------------------------------------------------------------------------------------
// Features that do not carry over, and their acknowledgements
// ---------------------------------------------------------------------------------------------

/** A VPC-CNI feature that has no equivalent on the Cilium nodes of this migration. */
export type NonCarryingFeature = 'securityGroupsForPods' | 'networkPolicyAgent' | 'customNetworking';

/** What each feature is, how it is found, what it loses, and the acknowledgement that accepts it. */
export interface NonCarryingFeatureInfo {
  /** The value the `acknowledge.<feature>` option must have. */
  readonly acknowledgement: string;
  /** How the configuration or the running cluster shows it. */
  readonly detectedBy: string;
  /** What changes for the pods, and what protects them (docs/migration.md#features-that-do-not-carry-over). */
  readonly consequence: string;
}

/**
 * Each VPC-CNI feature that does not carry over to the Cilium nodes (security groups for pods, the
 * network policy agent, custom networking): how it is found, what it changes for the pods, and
 * the acknowledgement (`acknowledge.<feature>`) the migration asks for before it proceeds.
 * See docs/migration.md#features-that-do-not-carry-over.
 */
export const NON_CARRYING_FEATURES: Readonly<Record<NonCarryingFeature, NonCarryingFeatureInfo>> = Object.freeze({
  securityGroupsForPods: {
    acknowledgement: 'pods-get-node-security-groups',
    detectedBy: 'aws-node ENABLE_POD_ENI=true, or SecurityGroupPolicy objects',
    consequence:
      'a pod that moves to a Cilium node gets its address from the node\'s ENIs and their security groups (the cluster security group and the Cilium node group\'s), not its SecurityGroupPolicy groups: allow the Cilium node security group wherever a pod security group is allowed (RDS, caches) and delete the SecurityGroupPolicy objects before the first drain (the drains refuse while any remains: the pods they select request vpc.amazonaws.com/pod-eni, which no Cilium node offers), and replace the isolation with CiliumNetworkPolicies, enforced from kube-proxy-replacement on',
  },
  networkPolicyAgent: {
    acknowledgement: 'policies-audited-until-kube-proxy-replacement',
    detectedBy: 'enableNetworkPolicy "true" (ConfigMap amazon-vpc-cni enable-network-policy-controller)',
    consequence:
      'pods on old nodes keep the VPC CNI agent\'s enforcement until their drain; on Cilium nodes the same NetworkPolicy objects are only audited (policyAuditMode) until kube-proxy-replacement, when Cilium enforces them',
  },
  customNetworking: {
    acknowledgement: 'pods-get-addresses-from-private-subnets',
    detectedBy: 'aws-node AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG=true (ENIConfig subnets)',
    consequence:
      'pods on Cilium nodes get addresses from privateSubnetIds, not the ENIConfig subnets (and their security groups): the pod-capacity preflight counts them there',
  },
});

/** The acknowledgements, one per feature, each a fixed value that names what it accepts. */
export type MigrationAcknowledgements = {
  /** Pods that use security groups for pods get the node security groups once on Cilium nodes. @default - not acknowledged: refused where the feature is found */
  readonly securityGroupsForPods?: 'pods-get-node-security-groups';
  /** NetworkPolicies are audited, not enforced, on Cilium nodes until kube-proxy-replacement. @default - not acknowledged: refused where the feature is found */
  readonly networkPolicyAgent?: 'policies-audited-until-kube-proxy-replacement';
  /** Pods on Cilium nodes get addresses from the private subnets, not ENIConfig's. @default - not acknowledged: refused where the feature is found */
  readonly customNetworking?: 'pods-get-addresses-from-private-subnets';
};

/** The features the vpc-cni configuration declares. */
export function declaredNonCarryingFeatures(configuration: JsonObject | undefined): NonCarryingFeature[] {
  const env = isPlainObject(configuration?.env) ? (configuration!.env as JsonObject) : {};
  const found: NonCarryingFeature[] = [];
  if (env.ENABLE_POD_ENI === 'true') found.push('securityGroupsForPods');
  if (configuration?.enableNetworkPolicy === 'true') found.push('networkPolicyAgent');
  if (env.AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG === 'true') found.push('customNetworking');
  return found;
}

/** Refuses an acknowledgement with another value, and a declared feature without one. */
export function assertAcknowledged(declared: readonly NonCarryingFeature[], acknowledge: MigrationAcknowledgements | undefined, property = 'acknowledge'): void {
  for (const [feature, info] of Object.entries(NON_CARRYING_FEATURES) as [NonCarryingFeature, NonCarryingFeatureInfo][]) {
    const given = acknowledge?.[feature];
    if (given !== undefined) check(given === info.acknowledgement, `${property}.${feature}`, given, JSON.stringify(info.acknowledgement));
    if (declared.includes(feature) && given === undefined) {
      throw new ValidationError(
        `${property}.${feature}`,
        given,
        JSON.stringify(info.acknowledgement),
        `the vpc-cni configuration turns it on (${info.detectedBy}) and it does not carry over: ${info.consequence}. Set ${property}.${feature}: '${info.acknowledgement}' once that is in place (docs/migration.md#features-that-do-not-carry-over)`,
      );
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Pod addresses the Cilium nodes claim
// ---------------------------------------------------------------------------------------------

/** One group of Cilium nodes, as the capacity preflight counts it. */
export interface CiliumNodeDemandInput {
  /** The group's name, for messages. */
  readonly name: string;
  /** Nodes at most (the managed node group's maxSize). */
  readonly maxNodes: number;
  /** kubelet maxPods, or undefined for the ENI formula of the instance types. */
  readonly maxPods: number | undefined;
  /** The instance types (for the ENI formula). */
  readonly instanceTypes: readonly string[];
}
/** The declaration of {@link CiliumNodeDemandInput}. */
export const CiliumNodeDemandInputSchema = declare<CiliumNodeDemandInput>()(
  strict(
    { name: text('a node group name'), maxNodes: int(0, 100000), maxPods: v.undefinedable(int(1, 250)), instanceTypes: list(text('an instance type such as m7i.large')) },
    'a node group demand { name, maxNodes, maxPods, instanceTypes }',
  ),
);

/** What one subnet must hold for the Cilium nodes placed in it. */
export interface SubnetDemand {
  /** Addresses the nodes and their pods take at most: each node's own address plus its pods'. */
  readonly addresses: number;
  /** With prefix delegation, the /28 blocks the pods' addresses come in (0 without). */
  readonly prefixes: number;
  /** How the numbers were reached, for messages. */
  readonly explanation: string;
}

/** Pod addresses one node takes at most: maxPods, or the ENI formula's largest figure of its instance types less the two host-network pods. */
function podsPerNode(input: CiliumNodeDemandInput, prefixDelegation: boolean, eniLimits?: Readonly<Record<string, EniLimits>>): number {
  if (input.maxPods !== undefined) return input.maxPods;
  const known = input.instanceTypes.map((t) => eniLimits?.[t] ?? eniLimitsOf(t)).filter((l): l is EniLimits => l !== undefined);
  return Math.max(0, ...known.map((l) => podsAddressable(l, { prefixDelegation }) - 2));
}

/**
 * The addresses (and /28 blocks) each subnet must have free for the Cilium node groups at their
 * maxSize, with the nodes spread evenly over the subnets (a managed node group balances its Auto
 * Scaling group across the subnets' zones, so one subnet gets at most ceil(maxSize / subnets)).
 * A lower bound: ENIs beyond the first also take one address each, and Karpenter's nodes are not
 * counted (their number has no fixed ceiling).
 */
export function subnetDemand(groups: readonly CiliumNodeDemandInput[], subnets: number, prefixDelegation: boolean, eniLimits?: Readonly<Record<string, EniLimits>>): SubnetDemand {
  parse(list(CiliumNodeDemandInputSchema), groups, 'subnetDemand(groups)');
  check(subnets > 0, 'privateSubnetIds', subnets, 'at least one subnet');
  let addresses = 0;
  let prefixes = 0;
  const parts: string[] = [];
  for (const g of groups) {
    const nodes = Math.ceil(g.maxNodes / subnets);
    const pods = podsPerNode(g, prefixDelegation, eniLimits);
    const blocks = prefixDelegation ? Math.ceil(pods / IPV4_PREFIX_ADDRESSES) : 0;
    const perNode = 1 + (prefixDelegation ? blocks * IPV4_PREFIX_ADDRESSES : pods);
    addresses += nodes * perNode;
    prefixes += nodes * blocks;
    parts.push(
      prefixDelegation
        ? `${g.name}: ${nodes} node(s) x (1 + ${blocks} /28 x ${IPV4_PREFIX_ADDRESSES}) = ${nodes * perNode}`
        : `${g.name}: ${nodes} node(s) x (1 + ${pods} pods) = ${nodes * perNode}`,
    );
  }
  return { addresses, prefixes, explanation: parts.join('; ') };
}

/**
 * With prefix delegation, the free addresses under which a subnet is only warned about: twice the
 * demand. A subnet's free addresses say nothing about how many free /28 blocks it has; a
 * fragmented one may have none [cilium-46644], and each node that meets it stays in /32 mode.
 */
export const PREFIX_HEADROOM_FACTOR = 2;

// ---------------------------------------------------------------------------------------------
// Existing Karpenter NodePools and EC2NodeClasses
// ---------------------------------------------------------------------------------------------

/** A JSON patch operation (RFC 6902), as `kubectl patch --type json` takes it. */
export interface JsonPatchOperation {
  /** `add` (creates the member, or sets it when present) or `replace` (the member must exist). */
  readonly op: 'add' | 'replace';
  /** A JSON Pointer into the object, `~` and `/` escaped as `~0` and `~1` (e.g. `/spec/template/metadata/labels/cilium-eks~1cni`). */
  readonly path: string;
  /** The value set at `path`. */
  readonly value: JsonValue;
}

/** The Cilium startup taint as a Karpenter NodePool takes it. */
export const KARPENTER_CILIUM_STARTUP_TAINT = Object.freeze({ key: CILIUM_STARTUP_TAINT.key, value: CILIUM_STARTUP_TAINT.value, effect: 'NoExecute' } as const);

const escapePointer = (s: string): string => s.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * The changes that move a running NodePool's nodes onto Cilium: the Cilium node label in
 * `spec.template.metadata.labels` (aws-node's affinity then leaves the nodes, the Cilium agent
 * takes them) and the Cilium startup taint in `spec.template.spec.startupTaints` (no pod before
 * the agent is ready). Both are in the NodeClaim template, so every existing node of the pool
 * drifts and Karpenter replaces it within the pool's disruption budgets [karpenter-drift]. Empty
 * when the pool carries both already.
 */
export function nodePoolPatch(nodePool: JsonObject): JsonPatchOperation[] {
  const template = isPlainObject((nodePool.spec as JsonObject | undefined)?.template) ? ((nodePool.spec as JsonObject).template as JsonObject) : {};
  const labels = isPlainObject((template.metadata as JsonObject | undefined)?.labels) ? ((template.metadata as JsonObject).labels as JsonObject) : undefined;
  const startupTaints = (template.spec as JsonObject | undefined)?.startupTaints;
  const ops: JsonPatchOperation[] = [];
  if (labels?.[CILIUM_NODE_LABEL.key] !== CILIUM_NODE_LABEL.value) {
    ops.push(
      labels === undefined
        ? { op: 'add', path: template.metadata === undefined ? '/spec/template/metadata' : '/spec/template/metadata/labels', value: template.metadata === undefined ? { labels: { [CILIUM_NODE_LABEL.key]: CILIUM_NODE_LABEL.value } } : { [CILIUM_NODE_LABEL.key]: CILIUM_NODE_LABEL.value } }
        : { op: 'add', path: `/spec/template/metadata/labels/${escapePointer(CILIUM_NODE_LABEL.key)}`, value: CILIUM_NODE_LABEL.value },
    );
  }
  const taints = Array.isArray(startupTaints) ? (startupTaints as JsonObject[]) : undefined;
  if (!taints?.some((t) => t.key === KARPENTER_CILIUM_STARTUP_TAINT.key && t.effect === KARPENTER_CILIUM_STARTUP_TAINT.effect)) {
    ops.push(taints === undefined ? { op: 'add', path: '/spec/template/spec/startupTaints', value: [{ ...KARPENTER_CILIUM_STARTUP_TAINT }] } : { op: 'add', path: '/spec/template/spec/startupTaints/-', value: { ...KARPENTER_CILIUM_STARTUP_TAINT } });
  }
  return ops;
}

/**
 * The changes that make an EC2NodeClass's nodes fit Cilium: the Cilium node security group among
 * `spec.securityGroupSelectorTerms` (WireGuard, health and Hubble peer ports between Cilium
 * nodes), and, with prefix delegation, kubelet `maxPods` (`spec.kubelet.maxPods`; the node's own
 * default assumes one address per ENI slot). Both drift the class's nodes [karpenter-drift].
 */
export function ec2NodeClassPatch(nodeClass: JsonObject, o: { readonly securityGroupId: string; readonly maxPods?: number }): JsonPatchOperation[] {
  const spec = isPlainObject(nodeClass.spec) ? (nodeClass.spec as JsonObject) : {};
  const terms = Array.isArray(spec.securityGroupSelectorTerms) ? (spec.securityGroupSelectorTerms as JsonObject[]) : undefined;
  const ops: JsonPatchOperation[] = [];
  if (!terms?.some((t) => t.id === o.securityGroupId)) {
    ops.push(terms === undefined ? { op: 'add', path: '/spec/securityGroupSelectorTerms', value: [{ id: o.securityGroupId }] } : { op: 'add', path: '/spec/securityGroupSelectorTerms/-', value: { id: o.securityGroupId } });
  }
  if (o.maxPods !== undefined) {
    const kubelet = isPlainObject(spec.kubelet) ? (spec.kubelet as JsonObject) : undefined;
    if (kubelet?.maxPods !== o.maxPods) ops.push(kubelet === undefined ? { op: 'add', path: '/spec/kubelet', value: { maxPods: o.maxPods } } : { op: 'add', path: '/spec/kubelet/maxPods', value: o.maxPods });
  }
  return ops;
}

/** Applies `add`/`replace` operations the way RFC 6902 does (for tests and previews; kubectl applies them in the cluster). */
export function applyJsonPatch(document: JsonObject, ops: readonly JsonPatchOperation[]): JsonObject {
  const copy = JSON.parse(JSON.stringify(document)) as JsonObject;
  for (const op of ops) {
    const parts = op.path.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
    const last = parts.pop()!;
    let target: JsonValue = copy;
    for (const p of parts) {
      target = Array.isArray(target) ? target[Number(p)] : (target as JsonObject)[p];
      if (target === undefined || target === null || typeof target !== 'object') throw new Error(`json patch: ${op.path}: no parent`);
    }
    if (Array.isArray(target)) {
      if (last === '-') target.push(op.value);
      else target.splice(Number(last), op.op === 'replace' ? 1 : 0, op.value);
    } else {
      (target as JsonObject)[last] = op.value;
    }
  }
  return copy;
}

// ---- Declarations of the settings a migration declares (their meaning is judged above, with the
// add-on's own schema for `configuration`).
export const AddonPodIdentityAssociationSchema = declare<AddonPodIdentityAssociation>()(
  strict({ serviceAccount: string('a service account name'), roleArn: string('an IAM role ARN') }, 'a Pod Identity association { serviceAccount, roleArn }'),
);
const configuration = opaque<JsonObject>("the add-on's configuration object (as `aws eks describe-addon` shows it)", (x) => typeof x === 'object' && x !== null && !Array.isArray(x));
const addonEntries = {
  configuration: optional(configuration),
  serviceAccountRoleArn: optional(string('an IAM role ARN')),
  podIdentityAssociations: optional(list(AddonPodIdentityAssociationSchema)),
} as const;
export const ExistingAddonSettingsSchema = declare<ExistingAddonSettings>()(strict(addonEntries, "an add-on's settings { configuration?, serviceAccountRoleArn?, podIdentityAssociations? }"));
export const ExistingVpcCniSettingsSchema = declare<ExistingVpcCniSettings>()(
  strict({ ...addonEntries, resetEnv: optional(list(pattern(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name'))) }, 'the vpc-cni settings { configuration?, serviceAccountRoleArn?, podIdentityAssociations?, resetEnv? }'),
);
export const MigrationAcknowledgementsSchema = declare<MigrationAcknowledgements>()(
  strict(
    {
      securityGroupsForPods: optional(literal('pods-get-node-security-groups')),
      networkPolicyAgent: optional(literal('policies-audited-until-kube-proxy-replacement')),
      customNetworking: optional(literal('pods-get-addresses-from-private-subnets')),
    },
    'acknowledgements { securityGroupsForPods?, networkPolicyAgent?, customNetworking? }',
  ),
);

