import { Construct } from 'constructs';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { EksAccessEntry } from '@cdktf/provider-aws/lib/eks-access-entry';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamServiceLinkedRole } from '@cdktf/provider-aws/lib/iam-service-linked-role';
import { DataAwsIamRoles } from '@cdktf/provider-aws/lib/data-aws-iam-roles';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { SqsQueuePolicy } from '@cdktf/provider-aws/lib/sqs-queue-policy';
import { Release } from '@cdktf/provider-helm/lib/release';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { mergeHelmValues } from '../../core/helm-values';
import { PssNamespace } from '../pss-namespace';
import { karpenterSecurityValues } from './security';
import { check } from '../../core/errors';
import { servicePrincipal } from '../../core/partition';
import { KubernetesManifest } from '../../core/k8s';
import { checkJsonData, JsonObject, toSortedYaml } from '../../core/yaml';
import { ITerraformDependable, TerraformStack } from '../cdktf';
import { IHelmValuesSource } from '../helm-values-source';
import { ManifestRelease } from '../manifest-release';
import { bool, declare, list, omit, oneOf, optional, orFalse, parse, pattern, record, strict, string, opaque, text } from '../../core/schema';
import { kubernetesMinor, labels, region, regionMismatch, tags as tagsSchema } from '../../core/rules';
import { clusterName, dependables, partition } from '../inputs';
import { clusterNames } from '../../core/names';
import { NodeRole } from '../node-role';
import { podIdentityRole } from '../pod-identity';
import { IamStatement, iamPolicyDocumentJson, karpenterControllerPolicies } from './controller-policy';
import { interruptionQueueName, interruptionQueuePolicyDocument, INTERRUPTION_QUEUE_MESSAGE_RETENTION_SECONDS, INTERRUPTION_RULE_TARGET_ID, karpenterInterruptionRules } from './interruption-rules';
import { buildEc2NodeClass, buildNodePool, DEFAULT_KARPENTER_RESOURCE_NAME, Ec2NodeClassOptions, ec2NodeClassEntries, NodePoolOptions, nodePoolEntries, toJsonObject } from './node-resources';
import { FirstInterfaceIndex } from '../../bpf/ipam';
import { nodeResourcesDeleteTimeout, nodeResourcesReleaseTimeoutSeconds } from './destroy-budget';
import { assertSupportedKarpenterVersion, KARPENTER_CHART_NAME, KARPENTER_CRD_CHART_NAME, KARPENTER_CHART_REPOSITORY, KARPENTER_DEFAULT_VERSION } from './versions';

/**
 * The namespace Karpenter's controller runs in, `karpenter`: created by {@link Karpenter} at Pod Security
 * `restricted`, bound with the controller's Pod Identity association, and the namespace of its Helm releases.
 */
export const KARPENTER_NAMESPACE = 'karpenter';
export const KARPENTER_SERVICE_ACCOUNT = 'karpenter';

/** Controller resources: requests equal limits for memory (no OOM surprises), CPU burstable. */
export const DEFAULT_KARPENTER_CONTROLLER_RESOURCES = {
  requests: { cpu: '500m', memory: '1Gi' },
  limits: { cpu: '1', memory: '1Gi' },
};

/** What Karpenter needs to know of the cluster it runs in. */
export interface KarpenterClusterInfo {
  /** The configured cluster name (a plain string: used in names and tags). */
  readonly clusterName: string;
  /** The cluster resource's name attribute (a token, so resources wait for the cluster). */
  readonly clusterNameRef: string;
  /** The cluster's API endpoint. */
  readonly clusterEndpoint: string;
  /**
   * The AWS partition (`aws`, `aws-cn`, `aws-us-gov`) of the node role's managed policy ARNs, the controller
   * policies' ARNs and the Spot service principal.
   */
  readonly partition: string;
  /**
   * The cluster's region (`eu-west-1`): the controller policies' ARNs are scoped to it, and an EC2NodeClass's
   * `kmsKeyId` must be a key of it.
   */
  readonly region: string;
  /**
   * The cluster's 12-digit account ID: the controller policies' ARNs and the Spot service-linked role's ARN
   * are in it.
   */
  readonly accountId: string;
  /** Whether Cilium hands out ENI prefixes: decides kubelet `maxPods` on Karpenter's nodes. */
  readonly prefixDelegation: boolean;
  /**
   * Cilium's first pod ENI index: 1 with pod subnets. Karpenter then leaves the primary ENI out of
   * its max-pods and kube-reserved figures (`settings.reservedENIs`, values.yaml: "most often used
   * in the VPC CNI custom networking setup").
   * @default 0
   */
  readonly firstInterfaceIndex?: FirstInterfaceIndex;
  /** Node labels of the nodes the controller runs on (the system node group). */
  readonly controllerNodeSelector: Record<string, string>;
  /** What the controller's release waits for: nodes Ready and CoreDNS. */
  readonly clusterReady: ITerraformDependable[];
  /** Kubernetes version of the cluster: pins the namespace's Pod Security policy version. */
  readonly kubernetesVersion: string;
}
/** The declaration of {@link KarpenterClusterInfo} (references may be Terraform tokens). */
export const KarpenterClusterInfoSchema = declare<KarpenterClusterInfo>()(
  strict(
    {
      clusterName: clusterName(),
      clusterNameRef: text('the cluster resource\'s name attribute'),
      clusterEndpoint: text('the cluster\'s API endpoint'),
      partition: partition(),
      region: region(),
      accountId: pattern(/^\d{12}$/, 'a 12-digit AWS account ID'),
      prefixDelegation: bool(),
      firstInterfaceIndex: optional(oneOf<FirstInterfaceIndex>([0, 1], '0, or 1 to keep the primary ENI for the node')),
      controllerNodeSelector: labels(),
      clusterReady: dependables(),
      kubernetesVersion: kubernetesMinor(),
    },
    'the cluster facts (given by CiliumEksCluster)',
  ),
);

/**
 * How the account gets the EC2 Spot service-linked role (`AWSServiceRoleForEC2Spot`), without which
 * EC2 refuses Spot launches (`AuthFailure.ServiceLinkedRoleCreationNotPermitted`, Karpenter
 * karpenter-provider-aws #504). A new account does not have it, and creating it where it exists
 * fails (`InvalidInput: Service role name AWSServiceRoleForEC2Spot has been taken in this account`,
 * AWS Batch guide "Create Amazon EC2 spot fleet roles"), so it cannot simply always be created.
 *
 * - `on-first-launch`: the controller may create exactly that role (`iam:CreateServiceLinkedRole`
 *   on its ARN, for `spot.amazonaws.com` only), and EC2 creates it at the first Spot launch where it
 *   is missing; where it exists nothing happens. The grant eksctl gives Karpenter (eksctl #6102)
 *   narrowed to the one role (AutoSpotting #416).
 * - `create`: the stack creates it (`aws_iam_service_linked_role`): only in an account that does not
 *   have it, and `destroy` deletes it again, also for other users of Spot in the account.
 * - `existing`: neither; the account has it (`aws iam get-role --role-name AWSServiceRoleForEC2Spot`),
 *   or no NodePool allows Spot.
 */
export type SpotServiceLinkedRole = 'on-first-launch' | 'create' | 'existing';
/**
 * Every value `karpenter.spotServiceLinkedRole` accepts, in the order the docs list them: `on-first-launch`
 * (the default), `create`, `existing` ({@link SpotServiceLinkedRole} says what each does).
 */
export const SPOT_SERVICE_LINKED_ROLE_MODES: readonly SpotServiceLinkedRole[] = ['on-first-launch', 'create', 'existing'];
/** The role's name (IAM docs, service-linked roles for EC2 Spot). */
export const SPOT_SERVICE_LINKED_ROLE_NAME = 'AWSServiceRoleForEC2Spot';

/**
 * Karpenter on a cluster (`karpenter` of {@link CiliumEksClusterProps}; `false` there installs none): its
 * version, its default EC2NodeClass and NodePool, further node classes and pools, the Spot service-linked
 * role, the controller's resources and extra Helm values (docs/configuration.md).
 */
export interface KarpenterOptions {
  /**
   * How the account gets the EC2 Spot service-linked role: {@link SpotServiceLinkedRole}.
   * @default 'on-first-launch'
   */
  readonly spotServiceLinkedRole?: SpotServiceLinkedRole;
  /** Karpenter version (chart and controller). @default '1.14.1' */
  readonly version?: string;
  /** AL2023 AMI alias of the default EC2NodeClass. @default DEFAULT_AL2023_AMI_ALIAS */
  readonly amiAlias?: string;
  /** kubelet `maxPods` on Karpenter's nodes. @default - the same rule as the system node group */
  readonly maxPods?: number;
  /** Root volume size of Karpenter's nodes. @default '50Gi' */
  readonly rootVolumeSize?: string;
  /** The default NodePool's options; `false` creates no default NodePool. @default - Cilium startup taint, amd64+arm64, on-demand+spot, c/m/r */
  readonly defaultNodePool?: Omit<NodePoolOptions, 'prefixDelegation' | 'maxPods' | 'firstInterfaceIndex' | 'nodeClassName'> | false;
  /**
   * EC2NodeClasses besides `default`, as data: each what {@link Karpenter.addNodeClass} takes (a
   * pool that needs another AMI, root volume or KMS key gets its own). @default - none
   */
  readonly nodeClasses?: readonly KarpenterNodeClassOptions[];
  /**
   * NodePools besides the default one, as data: each what {@link Karpenter.addNodePool} takes, on
   * the `default` EC2NodeClass or one of `nodeClasses`. @default - none
   */
  readonly nodePools?: readonly KarpenterNodePoolOptions[];
  /** Controller container resources. @default DEFAULT_KARPENTER_CONTROLLER_RESOURCES */
  readonly controllerResources?: { requests: Record<string, string>; limits: Record<string, string> };
  /** Extra Helm values merged over the project's (top-level keys replace). @default - none */
  readonly extraValues?: JsonObject;
  /** Tags on Karpenter's AWS resources (its roles, queue, rules). @default - the cluster's tags */
  readonly tags?: Record<string, string>;
}

/** Options of {@link Karpenter.addNodeClass}: the cluster-wide settings come from the cluster. */
export type KarpenterNodeClassOptions = Omit<Ec2NodeClassOptions, 'clusterName' | 'nodeRoleName' | 'prefixDelegation' | 'maxPods' | 'firstInterfaceIndex'>;

/** Options of {@link Karpenter.addNodePool}: `nodeClassName` names an EC2NodeClass of this cluster. */
export type KarpenterNodePoolOptions = Omit<NodePoolOptions, 'prefixDelegation' | 'maxPods' | 'firstInterfaceIndex'>;

export const KarpenterNodeClassOptionsSchema = declare<KarpenterNodeClassOptions>()(
  strict(omit(ec2NodeClassEntries, ['clusterName', 'nodeRoleName', 'prefixDelegation', 'maxPods', 'firstInterfaceIndex']), 'EC2NodeClass options'),
);
export const KarpenterNodePoolOptionsSchema = declare<KarpenterNodePoolOptions>()(strict(omit(nodePoolEntries, ['prefixDelegation', 'maxPods', 'firstInterfaceIndex']), 'NodePool options'));
const resources = record(string('a resource name (cpu, memory)'), string('a Kubernetes quantity such as "500m" or "1Gi"'), 'an object of resource names to quantities');
const karpenterEntries = {
  spotServiceLinkedRole: optional(oneOf(SPOT_SERVICE_LINKED_ROLE_MODES)),
  version: optional(string('a Karpenter version')),
  amiAlias: optional(string('an AL2023 alias such as al2023@v20260714')),
  maxPods: optional(nodePoolEntries.maxPods),
  rootVolumeSize: optional(ec2NodeClassEntries.rootVolumeSize),
  defaultNodePool: optional(orFalse(strict(omit(nodePoolEntries, ['prefixDelegation', 'maxPods', 'firstInterfaceIndex', 'nodeClassName']), 'the default NodePool\'s options'))),
  nodeClasses: optional(list(KarpenterNodeClassOptionsSchema)),
  nodePools: optional(list(KarpenterNodePoolOptionsSchema)),
  controllerResources: optional(strict({ requests: resources, limits: resources }, 'controller resources { requests, limits }')),
  extraValues: optional(opaque<JsonObject>('an object of Helm values', (x) => typeof x === 'object' && x !== null && !Array.isArray(x))),
  tags: optional(tagsSchema()),
} as const;
export const KarpenterOptionsSchema = declare<KarpenterOptions>()(strict(karpenterEntries, 'Karpenter options'));

/**
 * The props of {@link Karpenter}: the options a user writes, and the cluster it is installed in.
 * {@link CiliumEksCluster} gives `cluster` and passes its `karpenter` props.
 */
export interface KarpenterProps extends KarpenterOptions {
  /**
   * The cluster Karpenter is installed in: its names, endpoint, partition, region and account, IPAM settings,
   * system nodes and readiness ({@link KarpenterClusterInfo}).
   */
  readonly cluster: KarpenterClusterInfo;
}
/** The declaration of {@link KarpenterProps}: the options and the cluster (which the cluster itself gives). */
export const KarpenterPropsSchema = declare<KarpenterProps>()(strict({ ...karpenterEntries, cluster: KarpenterClusterInfoSchema }, 'Karpenter props'));

/**
 * Karpenter v1 on a Cilium cluster: controller identity through Pod Identity, the node role and
 * its EC2_LINUX access entry, the interruption queue and rules, the Helm release in a `restricted`
 * namespace, and a default EC2NodeClass and NodePool whose nodes carry the Cilium startup taint.
 *
 * Ordering: the `karpenter-crd` release, then the controller release (`skip_crds`: the CRD release
 * owns them), both after the system nodes and CoreDNS; the EC2NodeClass and NodePools are
 * delivered through a {@link ManifestRelease} after both.
 */
export class Karpenter extends Construct implements IHelmValuesSource {
  /**
   * The Karpenter version of the chart and controller (`1.14.1`): `version` as given, else
   * {@link KARPENTER_DEFAULT_VERSION}; one of {@link SUPPORTED_KARPENTER_VERSIONS}.
   */
  public readonly version: string;
  /**
   * The `karpenter` namespace (`kubernetes_namespace_v1`), Pod Security `restricted` pinned to the cluster's
   * Kubernetes version, created once the cluster is ready; both Karpenter releases wait for it.
   */
  public readonly namespace: NamespaceV1;
  /**
   * The controller's IAM role, through EKS Pod Identity for `karpenter/karpenter`, with the controller
   * policies of the pinned version's getting-started CloudFormation template (and, with
   * `spotServiceLinkedRole: 'on-first-launch'`, the grant to create the Spot service-linked role).
   */
  public readonly controllerRole: IamRole;
  /**
   * The IAM role of Karpenter's nodes ({@link NodeRole}: {@link NODE_MANAGED_POLICIES}), named from the
   * cluster name (first 20 characters) and `-karpenter-node-`; the EC2NodeClasses name it, and
   * {@link Karpenter.nodeAccessEntry} lets its nodes join.
   */
  public readonly nodeRole: NodeRole;
  /**
   * The EKS access entry of {@link Karpenter.nodeRole}, type `EC2_LINUX`: nodes launched with the role join
   * the cluster (in the `system:nodes` group). The node resources release waits for it.
   */
  public readonly nodeAccessEntry: EksAccessEntry;
  /**
   * The interruption queue (`aws_sqs_queue`, named after the cluster, SQS-managed encryption, 300 s message
   * retention), fed by EventBridge rules for Spot interruption warnings, rebalance recommendations, instance
   * state changes, scheduled AWS Health events and capacity reservation interruptions; the controller reads
   * it to drain nodes ahead of time.
   */
  public readonly queue: SqsQueue;
  /** The `karpenter-crd` release: EC2NodeClass, NodePool, NodeClaim (and the chart's other CRDs), upgraded with the version. */
  public readonly crdRelease: Release;
  public readonly release: Release;
  /** The controller's Helm values as given to {@link release} (see {@link IHelmValuesSource}). */
  public readonly valuesEntry: string;
  /**
   * The Helm release `karpenter-node-resources` in `karpenter` ({@link ManifestRelease}) that delivers every
   * EC2NodeClass and NodePool (the defaults, `nodeClasses`, `nodePools` and those added later); after both
   * Karpenter releases and the node access entry, and destroyed before the controller, its timeouts following
   * the NodePools' grace periods.
   */
  public readonly nodeResources: ManifestRelease;
  /** The Spot service-linked role, with `spotServiceLinkedRole: 'create'`. */
  public readonly spotServiceLinkedRole?: IamServiceLinkedRole;
  private readonly props: KarpenterProps;
  private readonly helmValues: JsonObject;
  private readonly nodePoolNames = new Set<string>();
  private readonly nodeClassNames = new Set<string>();
  /** `terminationGracePeriod` of every NodePool: the node-resources release's timeouts follow the largest. */
  private readonly terminationGracePeriods: string[] = [];

  constructor(scope: Construct, id: string, props: KarpenterProps) {
    super(scope, id);
    this.props = props;
    const c = props.cluster;
    parse(KarpenterPropsSchema, props, 'karpenter');
    const version = props.version ?? KARPENTER_DEFAULT_VERSION;
    assertSupportedKarpenterVersion(version, 'karpenter.version');
    this.version = version;
    const queueName = interruptionQueueName(c.clusterName);
    if (props.extraValues !== undefined) checkJsonData(props.extraValues, 'karpenter.extraValues');
    const tags = props.tags;

    // Namespace first: Pod Security restricted, pinned to the policy version of the cluster.
    this.namespace = new PssNamespace(this, 'namespace', {
      name: KARPENTER_NAMESPACE,
      level: 'restricted',
      kubernetesVersion: c.kubernetesVersion,
      dependsOn: c.clusterReady,
    }).namespace;

    // Node role and its access entry (EC2_LINUX: the node joins with the system:nodes group).
    this.nodeRole = new NodeRole(this, 'node-role', { namePrefix: clusterNames.karpenterNodeRolePrefix(c.clusterName), partition: c.partition, tags });
    this.nodeAccessEntry = new EksAccessEntry(this, 'node-access-entry', {
      clusterName: c.clusterNameRef,
      principalArn: this.nodeRole.role.arn,
      type: 'EC2_LINUX',
      tags,
    });

    // Interruption handling, as the pinned version's CloudFormation defines it.
    this.queue = new SqsQueue(this, 'interruption-queue', {
      name: queueName,
      messageRetentionSeconds: INTERRUPTION_QUEUE_MESSAGE_RETENTION_SECONDS,
      sqsManagedSseEnabled: true,
      tags,
    });
    new SqsQueuePolicy(this, 'interruption-queue-policy', {
      queueUrl: this.queue.url,
      policy: JSON.stringify(interruptionQueuePolicyDocument(this.queue.arn)),
    });
    for (const rule of karpenterInterruptionRules()) {
      const r = new CloudwatchEventRule(this, `rule-${rule.nameSuffix}`, {
        name: clusterNames.karpenterRule(c.clusterName, rule.nameSuffix),
        description: `Karpenter interruption handling: ${rule.logicalId}`,
        eventPattern: JSON.stringify(rule.eventPattern),
        tags,
      });
      new CloudwatchEventTarget(this, `rule-${rule.nameSuffix}-target`, { rule: r.name, targetId: INTERRUPTION_RULE_TARGET_ID, arn: this.queue.arn });
    }

    // Controller identity: the template's managed policies on a Pod Identity role.
    const policyContext = {
      partition: c.partition,
      region: c.region,
      accountId: c.accountId,
      clusterName: c.clusterNameRef,
      nodeRoleArn: this.nodeRole.role.arn,
      nodeRoleName: this.nodeRole.role.name,
      interruptionQueueArn: this.queue.arn,
    };
    const policies = karpenterControllerPolicies(policyContext).map((p) => {
      const policy = new IamPolicy(this, p.logicalId, {
        namePrefix: clusterNames.karpenterPolicyPrefix(c.clusterName, p.logicalId),
        description: `Karpenter controller: ${p.logicalId} (getting-started CloudFormation of ${version})`,
        policy: iamPolicyDocumentJson(p.statements),
        tags,
      });
      return { id: `${p.logicalId}-attachment`, policyArn: policy.arn };
    });
    const spot = props.spotServiceLinkedRole ?? 'on-first-launch';
    check(SPOT_SERVICE_LINKED_ROLE_MODES.includes(spot), 'karpenter.spotServiceLinkedRole', spot, SPOT_SERVICE_LINKED_ROLE_MODES.map((m) => `'${m}'`).join(', '));
    const spotPrincipal = servicePrincipal('spot', c.partition);
    if (spot === 'on-first-launch') {
      const policy = new IamPolicy(this, 'SpotServiceLinkedRole', {
        namePrefix: clusterNames.karpenterPolicyPrefix(c.clusterName, 'SpotServiceLinkedRole'),
        description: 'Karpenter controller: EC2 may create the Spot service-linked role at the first Spot launch',
        policy: iamPolicyDocumentJson(spotServiceLinkedRoleStatements(c.partition, c.accountId, spotPrincipal)),
        tags,
      });
      policies.push({ id: 'SpotServiceLinkedRole-attachment', policyArn: policy.arn });
    } else if (spot === 'create') {
      this.spotServiceLinkedRole = new IamServiceLinkedRole(this, 'spot-service-linked-role', {
        awsServiceName: spotPrincipal,
        description: 'EC2 Spot: created by cilium-eks (karpenter.spotServiceLinkedRole: create)',
      });
    } else {
      // The account should have it: a plan that finds it missing warns (a Terraform check block:
      // a warning, never an error). IAM ListRoles with the role's path gives an empty list, not an
      // error, when there is none.
      const found = new DataAwsIamRoles(this, 'spot-service-linked-role', { pathPrefix: `/aws-service-role/${spotPrincipal}/`, nameRegex: `^${SPOT_SERVICE_LINKED_ROLE_NAME}$` });
      TerraformStack.of(this).addOverride(`check.${found.friendlyUniqueId}`, {
        assert: [
          {
            condition: `\${length(data.aws_iam_roles.${found.friendlyUniqueId}.names) > 0}`,
            error_message: `cilium-eks: the account has no ${SPOT_SERVICE_LINKED_ROLE_NAME}, so EC2 refuses Karpenter's Spot launches (karpenter.spotServiceLinkedRole is 'existing'). Create it once (aws iam create-service-linked-role --aws-service-name ${spotPrincipal}) or set spotServiceLinkedRole to 'on-first-launch'.`,
          },
        ],
      });
    }
    const identity = podIdentityRole(this, {
      clusterName: c.clusterNameRef,
      namespace: KARPENTER_NAMESPACE,
      serviceAccount: KARPENTER_SERVICE_ACCOUNT,
      roleNamePrefix: clusterNames.karpenterControllerRolePrefix(c.clusterName),
      policies,
      tags,
      ids: { role: 'controller-role', association: 'controller-identity' },
    });
    this.controllerRole = identity.role;

    this.helmValues = this.values();
    this.valuesEntry = toSortedYaml(this.helmValues, 'karpenter Helm values');

    // CRDs first, as their own release, so a version bump upgrades them (Karpenter upgrade guide).
    this.crdRelease = new Release(this, 'crd-release', {
      name: KARPENTER_CRD_CHART_NAME,
      repository: KARPENTER_CHART_REPOSITORY,
      chart: KARPENTER_CRD_CHART_NAME,
      version,
      namespace: KARPENTER_NAMESPACE,
      createNamespace: false,
      // The chart's defaults: no values.
      wait: true,
      atomic: false,
      timeout: 300,
      maxHistory: 10,
      dependsOn: [this.namespace, ...c.clusterReady],
    });

    this.release = new Release(this, 'release', {
      name: 'karpenter',
      repository: KARPENTER_CHART_REPOSITORY,
      chart: KARPENTER_CHART_NAME,
      version,
      namespace: KARPENTER_NAMESPACE,
      createNamespace: false,
      values: [this.valuesEntry],
      // The controller chart's crds/ folder holds the same CRDs: the karpenter-crd release owns them.
      skipCrds: true,
      wait: true,
      atomic: false,
      timeout: 600,
      maxHistory: 10,
      dependsOn: [this.crdRelease, this.namespace, ...identity.dependables, ...c.clusterReady],
    });

    this.nodeResources = new ManifestRelease(this, 'node-resources', {
      releaseName: 'karpenter-node-resources',
      namespace: KARPENTER_NAMESPACE,
      dependsOn: [this.crdRelease, this.release, this.nodeAccessEntry],
    });
    // Destroyed before the controller (reverse dependency order); its uninstall waits until every
    // EC2NodeClass is gone, which Karpenter allows only once no NodeClaim refers to it. Its
    // timeouts follow the NodePools' grace periods (destroy-budget.ts).
    this.updateNodeResourcesTimeouts();
    this.addNodeClassAt({ amiAlias: props.amiAlias, rootVolumeSize: props.rootVolumeSize, tags }, 'karpenter');
    if (props.defaultNodePool !== false) {
      this.addNodePoolAt({ ...props.defaultNodePool }, 'karpenter.defaultNodePool');
    }
    // The ones given as data, keyed by name like every other (a name taken twice is refused).
    (props.nodeClasses ?? []).forEach((nodeClass, i) => this.addNodeClassAt(nodeClass, `karpenter.nodeClasses[${i}]`));
    (props.nodePools ?? []).forEach((pool, i) => this.addNodePoolAt(pool, `karpenter.nodePools[${i}]`));
  }

  /**
   * Adds an EC2NodeClass (a GPU or other-AMI pool needs its own), with the project's node role,
   * discovery tags, IMDSv2 and encrypted-volume settings and the cluster's `maxPods` rule. The
   * default class is named `default`.
   */
  public addNodeClass(options: KarpenterNodeClassOptions): KubernetesManifest {
    return this.addNodeClassAt(parse(KarpenterNodeClassOptionsSchema, options, `addNodeClass(${nameOf(options)})`), `addNodeClass(${nameOf(options)})`);
  }

  /**
   * Adds a NodePool on an EC2NodeClass of this cluster (`nodeClassName`, default `default`). Its
   * nodes carry the Cilium startup taint unless the options say why not
   * (`allowMissingCiliumStartupTaint`).
   */
  public addNodePool(options: KarpenterNodePoolOptions): KubernetesManifest {
    return this.addNodePoolAt(parse(KarpenterNodePoolOptionsSchema, options, `addNodePool(${nameOf(options)})`), `addNodePool(${nameOf(options)})`);
  }

  /** {@link addNodeClass}, with errors named under `path`, where the options sit in the user's props. */
  private addNodeClassAt(options: KarpenterNodeClassOptions, path: string): KubernetesManifest {
    const c = this.props.cluster;
    const mismatch = options.kmsKeyId === undefined ? undefined : regionMismatch(options.kmsKeyId, c.region, 'the key');
    check(mismatch === undefined, `${path}.kmsKeyId`, options.kmsKeyId, `a KMS key of ${c.region}`, mismatch);
    const nodeClass = toJsonObject(
      buildEc2NodeClass({
        ...options,
        clusterName: c.clusterName,
        nodeRoleName: this.nodeRole.role.name,
        prefixDelegation: c.prefixDelegation,
        firstInterfaceIndex: c.firstInterfaceIndex,
        maxPods: this.props.maxPods,
      }, path),
    ) as KubernetesManifest;
    check(!this.nodeClassNames.has(nodeClass.metadata.name), `${path}.name`, nodeClass.metadata.name, 'a name no other EC2NodeClass of this cluster has');
    this.nodeClassNames.add(nodeClass.metadata.name);
    this.nodeResources.addManifest(nodeClass);
    return nodeClass;
  }

  /** {@link addNodePool}, with errors named under `path`, where the options sit in the user's props. */
  private addNodePoolAt(options: KarpenterNodePoolOptions, path: string): KubernetesManifest {
    const nodeClassName = options.nodeClassName ?? DEFAULT_KARPENTER_RESOURCE_NAME;
    check(
      this.nodeClassNames.has(nodeClassName),
      `${path}.nodeClassName`,
      nodeClassName,
      `an EC2NodeClass of this cluster: ${[...this.nodeClassNames].sort().join(', ') || 'none'} (add one with addNodeClass first)`,
    );
    const built = buildNodePool({
      ...options,
      prefixDelegation: this.props.cluster.prefixDelegation,
      firstInterfaceIndex: this.props.cluster.firstInterfaceIndex,
      maxPods: this.props.maxPods,
      nodeClassName,
    }, path);
    const pool = toJsonObject(built) as KubernetesManifest;
    check(!this.nodePoolNames.has(pool.metadata.name), `${path}.name`, pool.metadata.name, `a name no other NodePool of this cluster has (taken: ${[...this.nodePoolNames].join(', ')})`, 'NodePools are keyed by name: a second one would replace the first');
    this.nodePoolNames.add(pool.metadata.name);
    this.nodeResources.addManifest(pool);
    this.terminationGracePeriods.push(built.spec.template.spec.terminationGracePeriod);
    this.updateNodeResourcesTimeouts();
    return pool;
  }

  /** Helm `timeout` and Terraform `timeouts.delete` of the node-resources release, from the NodePools' grace periods. */
  private updateNodeResourcesTimeouts(): void {
    const timeout = nodeResourcesReleaseTimeoutSeconds(this.terminationGracePeriods);
    this.nodeResources.release.timeout = timeout;
    this.nodeResources.release.putTimeouts({ delete: nodeResourcesDeleteTimeout(timeout) });
  }

  /** The controller's Helm values. */
  public valuesData(): JsonObject {
    return this.helmValues;
  }

  /** The Helm values of the controller. */
  private values(): JsonObject {
    const c = this.props.cluster;
    // Restricted-compliant pod and container security (constructs/karpenter/security.ts), under
    // the project's settings.
    return mergeHelmValues(karpenterSecurityValues(), {
      settings: {
        clusterName: c.clusterName,
        clusterEndpoint: c.clusterEndpoint,
        interruptionQueue: this.queue.name,
        ...(c.firstInterfaceIndex === 1 ? { reservedENIs: '1' } : {}),
      },
      serviceAccount: { name: KARPENTER_SERVICE_ACCOUNT },
      // On the system node group, never on a node Karpenter manages itself.
      nodeSelector: { 'kubernetes.io/os': 'linux', ...c.controllerNodeSelector },
      controller: {
        resources: this.props.controllerResources ?? DEFAULT_KARPENTER_CONTROLLER_RESOURCES,
      },
      ...this.props.extraValues,
    });
  }
}

/** The name a call's options give, for the path of its errors (`addNodePool(gpu)`). */
function nameOf(options: unknown): string {
  const name = typeof options === 'object' && options !== null ? (options as { name?: unknown }).name : undefined;
  return typeof name === 'string' ? name : DEFAULT_KARPENTER_RESOURCE_NAME;
}

/**
 * The controller's one IAM right beyond the getting-started template: creating the EC2 Spot
 * service-linked role, so that EC2 can create it at the first Spot launch (see
 * {@link SpotServiceLinkedRole}). Only that role's ARN, only for the Spot service.
 */
export function spotServiceLinkedRoleStatements(partition: string, accountId: string, spotPrincipal: string): IamStatement[] {
  return [
    {
      Sid: 'AllowSpotServiceLinkedRoleCreation',
      Effect: 'Allow',
      Action: ['iam:CreateServiceLinkedRole'],
      Resource: `arn:${partition}:iam::${accountId}:role/aws-service-role/${spotPrincipal}/${SPOT_SERVICE_LINKED_ROLE_NAME}`,
      Condition: { StringEquals: { 'iam:AWSServiceName': spotPrincipal } },
    },
  ];
}
