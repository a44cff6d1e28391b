import { Construct } from 'constructs';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DataAwsCloudwatchLogGroups } from '@cdktf/provider-aws/lib/data-aws-cloudwatch-log-groups';
import { DataAwsEksAddonVersion } from '@cdktf/provider-aws/lib/data-aws-eks-addon-version';
import { EksAccessEntry } from '@cdktf/provider-aws/lib/eks-access-entry';
import { EksAccessPolicyAssociation } from '@cdktf/provider-aws/lib/eks-access-policy-association';
import { EksAddon } from '@cdktf/provider-aws/lib/eks-addon';
import { EksCluster } from '@cdktf/provider-aws/lib/eks-cluster';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { check, ValidationError } from '../core/errors';
import { assertKubernetesVersion, DEFAULT_KUBERNETES_VERSION } from '../bpf/versions';
import { Annotations, DataResource, ITerraformDependable, TerraformStack, Token } from './cdktf';
import { checkBlockName, guard } from './plan-gate';
import { forgetWithoutDestroying, importWhenListed } from './log-shipping/terraform-blocks';
import { CLOUDWATCH_LOG_RETENTION_DAYS, ON_DESTROY_TAG, retentionDaysRule } from './log-shipping/values';
import { LOG_EXPORT_TERRAFORM_VERSION as TOP_LEVEL_BLOCKS_TERRAFORM_VERSION } from './log-shipping/log-shipping';
import { moveFromLegacyId } from './moves';
import { isToken } from '../core/schema';
import { cidrsOverlap, isWithin, parseCidr, RFC1918 } from '../core/cidr';
import { principalKeyHcl, serviceTrustPolicy, toJson } from '../core/iam';
import { clusterNames } from '../core/names';
import { anyOf, bool, declare, list, oneOf, optional, parse, pattern, strict, string } from '../core/schema';
import { addonVersion, cidr, ec2Id, tags } from '../core/rules';
import { clusterName, partition } from './inputs';
import { servicePrincipal } from '../core/partition';
import { CRITICAL_ADDONS_TOLERATION } from '../core/k8s';
import { JsonObject } from '../core/yaml';

/** Control-plane log types, all enabled by default. */
export const ALL_CONTROL_PLANE_LOG_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'] as const;
/**
 * One of {@link ALL_CONTROL_PLANE_LOG_TYPES}: an EKS control-plane log stream sent to CloudWatch Logs (the
 * cluster's `enabled_cluster_log_types`): `api`, `audit`, `authenticator`, `controllerManager` or
 * `scheduler`.
 */
export type ControlPlaneLogType = (typeof ALL_CONTROL_PLANE_LOG_TYPES)[number];

/** Service CIDR of new clusters: fixed, so the overlap with the VPC is checked at synth. */
export const DEFAULT_SERVICE_IPV4_CIDR = '172.20.0.0/16';
/** Days the control-plane logs are kept. */
export const DEFAULT_LOG_RETENTION_DAYS = 90;
/** The access policy that makes a principal cluster admin. */
export const CLUSTER_ADMIN_POLICY = 'AmazonEKSClusterAdminPolicy';

const CLUSTER_NAME_RE = /^[0-9A-Za-z][A-Za-z0-9_-]*$/;
/** An IAM role or user ARN: `arn:<partition>:iam::<account>:(role|user)/<path><name>`. */
const PRINCIPAL_ARN_RE = /^arn:(aws|aws-cn|aws-us-gov):iam::\d{12}:(role|user)\/[\w+=,.@/-]+$/;
/** An STS assumed-role session ARN: `arn:<partition>:sts::<account>:assumed-role/<role>/<session>`. */
const ASSUMED_ROLE_ARN_RE = /^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role\/([\w+=,.@-]+)\/.+$/;

export function assertClusterName(name: string): string {
  if (name.length < 1 || name.length > 100 || !CLUSTER_NAME_RE.test(name)) {
    throw new ValidationError('clusterName', name, '1 to 100 characters: letters, digits, hyphens and underscores, starting with a letter or digit', 'the EKS CreateCluster name rule');
  }
  return name;
}

/**
 * Who reaches the cluster's Kubernetes API endpoint (`endpoint` of {@link CiliumEksClusterProps}): whether
 * the public endpoint is on and which networks may use it. The private endpoint is always on.
 */
export interface EndpointAccessOptions {
  /** Public API endpoint. @default true (the deploying machine needs it unless it runs inside the VPC) */
  readonly publicAccess?: boolean;
  /**
   * CIDRs allowed to reach the public endpoint. Leaving it open to `0.0.0.0/0` synthesises with a
   * warning; list your networks instead.
   * @default ['0.0.0.0/0'], with a synth warning
   */
  readonly publicAccessCidrs?: string[];
}
export const EndpointAccessOptionsSchema = declare<EndpointAccessOptions>()(
  strict({ publicAccess: optional(bool()), publicAccessCidrs: optional(list(cidr(), { unique: true })) }, 'endpoint access options'),
);

/**
 * Pinned versions of the EKS managed add-ons the cluster installs (`addonVersions` of
 * {@link CiliumEksClusterProps}), as EKS names them (`v1.11.3-eksbuild.2`). A version left out is the EKS
 * default version for the cluster's Kubernetes version, read at plan (`aws_eks_addon_version`).
 */
export interface AddonVersions {
  /** Version of the CoreDNS add-on. @default - the EKS default version for the cluster's Kubernetes version */
  readonly coredns?: string;
  /** Version of the EKS Pod Identity agent add-on. @default - the EKS default version for the cluster's Kubernetes version */
  readonly podIdentityAgent?: string;
  /** The EBS CSI driver (`storage`). @default - the EKS default version for the cluster's Kubernetes version */
  readonly ebsCsiDriver?: string;
}
export const AddonVersionsSchema = declare<AddonVersions>()(strict({ coredns: optional(addonVersion()), podIdentityAgent: optional(addonVersion()), ebsCsiDriver: optional(addonVersion()) }, 'add-on versions'));

/** A cluster admin given as an object: an id of your choosing, or the upgrade mark of 0.1.0's deployer entry. */
export interface AdminPrincipal {
  /**
   * Stable id of the admin's access entry: letters, digits, "-" and "_". Needed when the ARN is a
   * Terraform token (the entry is keyed by it).
   * @default - derived from the ARN
   */
  readonly id?: string;
  /** IAM role or user ARN of the stack's partition. */
  readonly principalArn: string;
  /**
   * This principal ran `cdktf deploy` under 0.1.0, which gave the deployer an access entry of its
   * own (`deployerAdmin`): that entry becomes this admin's (a `moved` block), instead of a second
   * entry for one principal, which EKS refuses. At most one admin carries it.
   * @default false
   */
  readonly formerDeployerAdmin?: boolean;
}
export const AdminPrincipalSchema = declare<AdminPrincipal>()(
  strict(
    { id: optional(pattern(/^[A-Za-z0-9_-]{1,100}$/, '1 to 100 letters, digits, "-" and "_"')), principalArn: string('an IAM role or user ARN'), formerDeployerAdmin: optional(bool()) },
    '{ principalArn, id?, formerDeployerAdmin? }',
  ),
);
/** CloudWatch Logs retention values (PutRetentionPolicy `retentionInDays`): the log export's list, one source. */
export const LOG_RETENTION_DAYS = CLOUDWATCH_LOG_RETENTION_DAYS;
/** The control-plane settings a cluster's props carry (the rest of {@link EksControlPlaneProps} the cluster gives). */
export const controlPlaneEntries = {
  kubernetesVersion: optional(pattern(/^1\.\d+$/, 'a Kubernetes minor version such as 1.34 (no patch)')),
  serviceIpv4Cidr: optional(cidr(12, 24, 'a private IPv4 CIDR')),
  endpoint: optional(EndpointAccessOptionsSchema),
  // The ARNs and their count are judged by the control plane against the stack's partition (its
  // messages name the role ARN to use for an assumed-role session); the declaration, the shape.
  admins: list(anyOf([string('an IAM role or user ARN'), AdminPrincipalSchema], 'an IAM role or user ARN, or { principalArn, id?, formerDeployerAdmin? }')),
  deployerAdmin: optional(bool()),
  logTypes: optional(list(oneOf(ALL_CONTROL_PLANE_LOG_TYPES), { unique: true })),
  logRetentionDays: optional(retentionDaysRule()),
  keepControlPlaneLogsOnDestroy: optional(bool()),
  adoptExistingControlPlaneLogGroup: optional(bool()),
  addonVersions: optional(AddonVersionsSchema),
} as const;

/** The 0.1.0 construct ids of the deploying principal's access entry and its policy association. */
const LEGACY_DEPLOYER_ENTRY_ID = 'deployer-admin';

/**
 * The props of {@link EksControlPlane}. {@link CiliumEksCluster} passes its own control-plane props (the same
 * names) and fills the rest: partition, subnets and VPC CIDR.
 */
export interface EksControlPlaneProps {
  /**
   * The EKS cluster name: 1 to 100 letters, digits, hyphens and underscores, starting with a letter or digit
   * (EKS CreateCluster's rule). EKS cannot rename a cluster, so a different name on an existing stack fails
   * at plan. It also names the secrets key alias (`alias/eks/<clusterName>`), the log group
   * (`/aws/eks/<clusterName>/cluster`) and starts the cluster role's name.
   */
  readonly clusterName: string;
  /** AWS partition (`aws`, `aws-cn`, `aws-us-gov`), usually a data source token. */
  readonly partition: string;
  /**
   * Kubernetes minor of the control plane, one the project knows (an AL2023 kernel and EKS support
   * dates for it). {@link CiliumEksCluster} refuses one past EKS extended support and warns from 90
   * days before extended support (billed per cluster-hour) starts. `npm run versions` shows the dates.
   * @default '1.35' (DEFAULT_KUBERNETES_VERSION)
   */
  readonly kubernetesVersion?: string;
  /** Subnets for the control plane's ENIs (the private subnets). */
  readonly subnetIds: string[];
  /** The VPC CIDR when known, for the service CIDR overlap check. @default - not checked */
  readonly vpcCidr?: string;
  /** The Kubernetes service CIDR; must not overlap the VPC (or a fleet peer's). @default '172.20.0.0/16' */
  readonly serviceIpv4Cidr?: string;
  /** Who reaches the Kubernetes API: the public endpoint and the networks allowed to it. @default - public on, open to the world with a synth warning; private always on */
  readonly endpoint?: EndpointAccessOptions;
  /**
   * IAM role or user ARNs of the stack's partition that get cluster admin, through EKS access
   * entries: every principal that runs `cdktf deploy` (the Helm and Kubernetes providers act as it)
   * and every operator. Each entry is keyed by its ARN (or the `id` given with it), never by
   * position and never by who runs Terraform, so the plan is the same for every deployer and
   * removing one admin changes only its entry. At least one; a principal at most once. EKS's own
   * creator bootstrap is off (`bootstrap_cluster_creator_admin_permissions = false`,
   * docs/getting-started.md#before-your-first-deploy).
   */
  readonly admins: ReadonlyArray<string | AdminPrincipal>;
  /**
   * Removed in 0.2: the deployer's access entry was derived from whoever ran Terraform, so a second
   * deployer replaced it. Any value is refused; list the deployers in `admins`.
   * @deprecated list every deploying principal in `admins`
   * @default - unset: any value is refused
   */
  readonly deployerAdmin?: boolean;
  /** Control-plane log types. @default - all five */
  readonly logTypes?: ControlPlaneLogType[];
  /** Days CloudWatch Logs keeps the control-plane logs; a CloudWatch retention value. @default 90 */
  readonly logRetentionDays?: number;
  /**
   * Keep the control-plane log group (`/aws/eks/<cluster>/cluster`: the API server's audit and
   * authenticator logs) when the stack is destroyed, as the log export's groups are: the record of
   * who did what to the cluster outlives it, and its retention still expires it. `false` lets
   * `cdktf destroy` delete it (deploy once with `false`, then destroy:
   * docs/security.md#deleting-the-evidence-deliberately).
   * @default true
   */
  readonly keepControlPlaneLogsOnDestroy?: boolean;
  /**
   * Adopt a control-plane log group that exists already (kept by an earlier destroy of a cluster
   * with this name, or made by EKS for an earlier cluster): an `import` block takes it into the
   * state instead of the apply failing with ResourceAlreadyExistsException. The group is listed at
   * plan time by name; a group already in the state is left as it is. `false` for a group of that
   * name this stack must not manage (the apply then fails while it exists).
   * @default true
   */
  readonly adoptExistingControlPlaneLogGroup?: boolean;
  /** Pinned versions of the EKS add-ons the cluster installs. @default - EKS defaults for the Kubernetes version */
  readonly addonVersions?: AddonVersions;
  /**
   * Tags on the cluster, its IAM role, KMS key, log group, access entries and add-ons (the log group also
   * gets the project's on-destroy tag).
   * @default - none
   */
  readonly tags?: Record<string, string>;
}
/** The declaration of {@link EksControlPlaneProps}. */
export const EksControlPlanePropsSchema = declare<EksControlPlaneProps>()(
  strict(
    {
      ...controlPlaneEntries,
      clusterName: clusterName(),
      partition: partition(),
      subnetIds: list(ec2Id('subnet', 'a subnet ID'), { min: 2, reason: 'EKS needs subnets in at least two zones' }),
      vpcCidr: optional(cidr(16, 28, 'a VPC CIDR')),
      tags: optional(tags()),
    },
    'EksControlPlane props { clusterName, partition, subnetIds, admins, ... }',
  ),
);

/**
 * The EKS control plane for a Cilium-only cluster: `bootstrap_self_managed_addons = false` (no
 * aws-node, no kube-proxy, no self-managed CoreDNS, ever), access entries only, secrets encrypted
 * with a KMS key, control-plane logs on, and the Pod Identity agent add-on.
 */
export class EksControlPlane extends Construct {
  /**
   * The EKS cluster (`aws_eks_cluster`): no self-managed add-ons, access entries only (`authenticationMode:
   * API`, no creator bootstrap), secrets encrypted with {@link EksControlPlane.kmsKey}, the private endpoint
   * on; its `name`, `endpoint` and `certificateAuthority` are what nodes and providers connect with.
   */
  public readonly cluster: EksCluster;
  /**
   * The IAM role the EKS service assumes for the cluster (trust `eks` with `sts:AssumeRole` and
   * `sts:TagSession`, the `AmazonEKSClusterPolicy` managed policy attached); its name starts with the cluster
   * name (first 24 characters) and `-cluster-`.
   */
  public readonly clusterRole: IamRole;
  /**
   * The KMS key that encrypts the cluster's Kubernetes secrets (rotation on, 30-day deletion window), aliased
   * `alias/eks/<clusterName>`.
   */
  public readonly kmsKey: KmsKey;
  /**
   * The control-plane log group, `/aws/eks/<clusterName>/cluster`, created before the cluster so its
   * retention (`logRetentionDays`) applies; kept on destroy unless `keepControlPlaneLogsOnDestroy` is false,
   * and adopted when it exists unless `adoptExistingControlPlaneLogGroup` is false.
   */
  public readonly logGroup: CloudwatchLogGroup;
  /**
   * The EKS Pod Identity agent add-on (`eks-pod-identity-agent`), at `addonVersions.podIdentityAgent` or the
   * EKS default; Pod Identity associations (the Cilium operator's, the EBS CSI driver's) depend on it.
   */
  public readonly podIdentityAgent: EksAddon;
  /**
   * The Kubernetes minor of the control plane (`1.35`): `kubernetesVersion` as given, else
   * {@link DEFAULT_KUBERNETES_VERSION}. It selects the node AMIs and the add-ons' default versions.
   */
  public readonly kubernetesVersion: string;
  /**
   * The Kubernetes service CIDR (`serviceIpv4Cidr`, else {@link DEFAULT_SERVICE_IPV4_CIDR}): a /12 to /24
   * inside RFC 1918 space, clear of the VPC CIDR. Nodes derive the cluster DNS address from it.
   */
  public readonly serviceIpv4Cidr: string;
  /** The name the cluster was created with, kept in the state (`input` never updated): a rename fails at plan. */
  public readonly nameRecord: DataResource;
  /** Access policy associations that make admins; Helm and Kubernetes resources wait for them. */
  public readonly adminAccess: ITerraformDependable[] = [];
  /** The add-on versions as given (`addonVersions`). */
  public readonly addonVersions: AddonVersions;
  private readonly adminPolicies = new Map<string, EksAccessPolicyAssociation>();
  private readonly partition: string;
  /** Whether a destroy keeps {@link logGroup} (`keepControlPlaneLogsOnDestroy`). */
  public readonly keepLogsOnDestroy: boolean;
  /** The name the cluster is created with. */
  public readonly clusterName: string;
  /** The admins' principal ARNs, as given (tokens included). */
  private readonly adminArns: string[];

  constructor(scope: Construct, id: string, props: EksControlPlaneProps) {
    super(scope, id);
    parse(EksControlPlanePropsSchema, props);
    const name = assertClusterName(props.clusterName);
    this.clusterName = name;
    this.kubernetesVersion = assertKubernetesVersion(props.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION);
    this.addonVersions = props.addonVersions ?? {};
    this.partition = props.partition;

    // Service CIDR: RFC 1918, /12 to /24, clear of the VPC (EKS CreateCluster rules).
    this.serviceIpv4Cidr = props.serviceIpv4Cidr ?? DEFAULT_SERVICE_IPV4_CIDR;
    const svc = parseCidr(this.serviceIpv4Cidr, 'serviceIpv4Cidr');
    if (svc.prefix < 12 || svc.prefix > 24 || !RFC1918.some((r) => isWithin(svc, r))) {
      throw new ValidationError('serviceIpv4Cidr', this.serviceIpv4Cidr, 'a /12 to /24 inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16', 'the EKS rule for kubernetes_network_config');
    }
    if (props.vpcCidr !== undefined && !Token.isUnresolved(props.vpcCidr) && cidrsOverlap(svc, parseCidr(props.vpcCidr, 'vpcCidr'))) {
      throw new ValidationError('serviceIpv4Cidr', this.serviceIpv4Cidr, `a range that does not overlap the VPC CIDR ${JSON.stringify(props.vpcCidr)}`);
    }

    const endpoint = this.resolveEndpoint(props.endpoint);
    const logTypes = props.logTypes ?? [...ALL_CONTROL_PLANE_LOG_TYPES];
    const retention = props.logRetentionDays ?? DEFAULT_LOG_RETENTION_DAYS;
    this.keepLogsOnDestroy = props.keepControlPlaneLogsOnDestroy ?? true;
    const adopt = props.adoptExistingControlPlaneLogGroup ?? true;

    this.clusterRole = new IamRole(this, 'cluster-role', {
      namePrefix: clusterNames.clusterRolePrefix(name),
      assumeRolePolicy: toJson(serviceTrustPolicy(servicePrincipal('eks', props.partition), ['sts:AssumeRole', 'sts:TagSession'])),
      tags: props.tags,
    });
    const clusterPolicy = new IamRolePolicyAttachment(this, 'cluster-policy', {
      role: this.clusterRole.name,
      policyArn: `arn:${props.partition}:iam::aws:policy/AmazonEKSClusterPolicy`,
    });

    this.kmsKey = new KmsKey(this, 'secrets-key', {
      description: `EKS secrets encryption for ${name}`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      tags: props.tags,
    });
    new KmsAlias(this, 'secrets-key-alias', { name: clusterNames.secretsKeyAlias(name), targetKeyId: this.kmsKey.keyId });

    // Created here, before the cluster (EKS would otherwise create it on first write, with no
    // retention: EKS User Guide, "Send control plane logs to CloudWatch Logs"; the AWS provider's
    // aws_eks_cluster docs create it first with depends_on), so the retention is ours. Kept on
    // destroy like the log export's groups (`skip_destroy`, tagged), and adopted when it exists.
    const logGroupName = clusterNames.controlPlaneLogGroup(name);
    this.logGroup = new CloudwatchLogGroup(this, 'log-group', {
      name: logGroupName,
      retentionInDays: retention,
      skipDestroy: this.keepLogsOnDestroy,
      tags: { ...(props.tags ?? {}), [ON_DESTROY_TAG]: this.keepLogsOnDestroy ? 'keep' : 'delete' },
    });
    if (adopt) {
      const existing = new DataAwsCloudwatchLogGroups(this, 'existing-log-group', { logGroupNamePrefix: logGroupName });
      importWhenListed(this, 'adopt-log-group', this.logGroup, `${existing.fqn}.log_group_names`, logGroupName);
      TerraformStack.of(this).addOverride('terraform.required_version', TOP_LEVEL_BLOCKS_TERRAFORM_VERSION);
    }

    this.cluster = new EksCluster(this, 'cluster', {
      name,
      version: this.kubernetesVersion,
      roleArn: this.clusterRole.arn,
      // No aws-node, kube-proxy or self-managed CoreDNS; forces replacement, so right at creation.
      bootstrapSelfManagedAddons: false,
      accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: false },
      encryptionConfig: { resources: ['secrets'], provider: { keyArn: this.kmsKey.arn } },
      enabledClusterLogTypes: logTypes,
      kubernetesNetworkConfig: { ipFamily: 'ipv4', serviceIpv4Cidr: this.serviceIpv4Cidr },
      vpcConfig: {
        subnetIds: props.subnetIds,
        endpointPrivateAccess: true,
        endpointPublicAccess: endpoint.publicAccess,
        publicAccessCidrs: endpoint.publicAccess ? endpoint.publicAccessCidrs : undefined,
      },
      tags: props.tags,
      dependsOn: [clusterPolicy, this.logGroup],
    });

    if (props.deployerAdmin !== undefined) {
      throw new ValidationError(
        'deployerAdmin',
        props.deployerAdmin,
        'no value: the option was removed in 0.2',
        "the deployer's access entry followed whoever ran Terraform, so a second deployer replaced it; list every deploying principal in admins, and mark the one that deployed with 0.1.0 { principalArn, formerDeployerAdmin: true } to keep its entry (docs/getting-started.md#before-your-first-deploy)",
      );
    }
    // EKS cannot rename a cluster: a new name would replace it and everything in it. The name the
    // cluster was created with stays in the state, and a plan with another one stops here.
    this.nameRecord = new DataResource(this, 'name-record', { input: { name }, lifecycle: { ignoreChanges: ['input'] } });
    const recorded = `terraform_data.${this.nameRecord.friendlyUniqueId}.output.name`;
    guard(this.cluster, {
      condition: `${recorded} == ${JSON.stringify(name)}`,
      errorMessage:
        `cilium-eks: clusterName is ${JSON.stringify(name)}, but this stack's cluster is "\${${recorded}}". EKS cannot rename a cluster: this plan would replace it and everything in it. ` +
        `Set clusterName back to "\${${recorded}}" to keep the cluster; for a cluster under the new name, deploy it as a new stack (its own stack id) and destroy this one when it is no longer needed (docs/getting-started.md#before-your-first-deploy).`,
    });

    const admins = resolveAdmins(props.admins, Token.isUnresolved(props.partition) ? undefined : props.partition);
    this.adminArns = admins.map((a) => a.principalArn);
    for (const admin of admins) {
      const entry = this.addAdmin(admin.id, admin.principalArn, props.tags);
      moveFromLegacyId(entry, admin.legacyId, this);
      moveFromLegacyId(this.adminPolicies.get(admin.id)!, `${admin.legacyId}-policy`, this);
    }
    if (!admins.some((a) => a.formerDeployerAdmin)) this.letGoOfLegacyDeployerEntry();

    this.podIdentityAgent = this.addon('eks-pod-identity-agent', this.addonVersions.podIdentityAgent, props.tags);
  }

  /** A managed add-on pinned to `version`, or to the EKS default version for the Kubernetes version. */
  public addon(addonName: string, version: string | undefined, tags?: Record<string, string>, dependsOn?: ITerraformDependable[], configurationValues?: JsonObject): EksAddon {
    const addonVersion =
      version ??
      new DataAwsEksAddonVersion(this, `${addonName}-version`, {
        addonName,
        kubernetesVersion: this.cluster.version,
        mostRecent: false,
      }).version;
    return new EksAddon(this, addonName, {
      clusterName: this.cluster.name,
      addonName,
      addonVersion,
      resolveConflictsOnCreate: 'OVERWRITE',
      resolveConflictsOnUpdate: 'OVERWRITE',
      configurationValues: configurationValues ? JSON.stringify(configurationValues) : undefined,
      tags,
      dependsOn,
    });
  }

  /**
   * The CoreDNS add-on; call it with the node group as `dependsOn` (it stays DEGRADED without
   * nodes). With `tolerateCriticalAddonsOnly` its pods tolerate the system nodes' taint, through the
   * add-on's `tolerations` setting (added to its configuration schema after aws/containers-roadmap
   * #1930), which replaces the add-on's default list: that default's control-plane toleration
   * (aws/containers-roadmap #2167) is kept.
   */
  public addCoreDns(dependsOn: ITerraformDependable[], tags?: Record<string, string>, options: { tolerateCriticalAddonsOnly?: boolean } = {}): EksAddon {
    const tolerations: JsonObject[] = [{ ...CRITICAL_ADDONS_TOLERATION }, { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }];
    const configuration = options.tolerateCriticalAddonsOnly ? { tolerations } : undefined;
    return this.addon('coredns', this.addonVersions.coredns, tags, dependsOn, configuration);
  }

  /**
   * A warning at plan (a Terraform `check` block: never an error, and nothing in the plan changes)
   * when the identity running Terraform is none of the `admins`: the cluster gives it no access
   * entry, so the Helm and Kubernetes providers, which act as it, are refused by the cluster's API.
   * `callerIdentity` is the address of an `aws_caller_identity` data source of the cluster's
   * account (`AwsContext.callerIdentityAddress`); its `arn` is compared as the `principalKey` rule
   * says: a role session matches its role's ARN whatever the role's path.
   *
   * The data source is the stack's own, not one scoped inside the check block: Terraform plans a
   * scoped data source as a read during apply on every plan, so `terraform plan -detailed-exitcode`
   * would never report "no changes" (hashicorp/terraform #35226, #36536; measured with 1.11).
   */
  public warnUnlessCallerIsAdmin(callerIdentity: string): void {
    const caller = `${callerIdentity}.arn`;
    const admins = this.adminArns.map((a) => JSON.stringify(a)).join(', ');
    TerraformStack.of(this).addOverride(`check.${checkBlockName(this.node.path, 'caller_is_admin')}`, {
      assert: [
        {
          condition: `\${contains([for a in [${admins}] : ${principalKeyHcl('a')}], ${principalKeyHcl(caller)})}`,
          error_message:
            `cilium-eks: Terraform runs as \${${caller}}, which is none of the admins of cluster ${JSON.stringify(this.clusterName)}. ` +
            'Only the admins get an access entry, so the Helm and Kubernetes providers, which act as this identity, will be refused by the cluster (Unauthorized). ' +
            'Add this identity to admins (for an assumed-role session, its role ARN: aws iam get-role --role-name <role> --query Role.Arn), or run Terraform as one of the admins (docs/getting-started.md#before-your-first-deploy). ' +
            'This is a warning: the plan is the same either way.',
        },
      ],
    });
  }

  /**
   * 0.1.0's access entry of the deploying principal (`deployer-admin`, keyed by whoever ran
   * Terraform), when no admin is marked `formerDeployerAdmin` (which moves it instead): let go of
   * without deleting it (`removed` blocks with `destroy = false`), so upgrading never takes the
   * deployer's access away in the middle of the apply that still needs it. Nothing happens when
   * the state holds no such entry (a stack made after 0.1.0).
   */
  private letGoOfLegacyDeployerEntry(): void {
    const stack = TerraformStack.of(this);
    for (const [type, id] of [['aws_eks_access_entry', LEGACY_DEPLOYER_ENTRY_ID], ['aws_eks_access_policy_association', `${LEGACY_DEPLOYER_ENTRY_ID}-policy`]]) {
      const probe = new Construct(this, id);
      const address = `${type}.${stack.getLogicalId(probe.node)}`;
      this.node.tryRemoveChild(id);
      forgetWithoutDestroying(this, `${id}-removed`, () => address);
    }
    // `removed` blocks are Terraform 1.7's: an older one is told so.
    stack.addOverride('terraform.required_version', TOP_LEVEL_BLOCKS_TERRAFORM_VERSION);
  }

  private addAdmin(id: string, principalArn: string, tags?: Record<string, string>): EksAccessEntry {
    const entry = new EksAccessEntry(this, id, { clusterName: this.cluster.name, principalArn, type: 'STANDARD', tags });
    const association = new EksAccessPolicyAssociation(this, `${id}-policy`, {
      clusterName: this.cluster.name,
      principalArn: entry.principalArn,
      policyArn: `arn:${this.partition}:eks::aws:cluster-access-policy/${CLUSTER_ADMIN_POLICY}`,
      accessScope: { type: 'cluster' },
    });
    this.adminPolicies.set(id, association);
    this.adminAccess.push(association);
    return entry;
  }

  private resolveEndpoint(e: EndpointAccessOptions | undefined): { publicAccess: boolean; publicAccessCidrs: string[] } {
    const publicAccess = e?.publicAccess ?? true;
    if (!publicAccess && e?.publicAccessCidrs !== undefined) {
      throw new ValidationError(
        'endpoint.publicAccessCidrs',
        e.publicAccessCidrs,
        'no CIDRs while endpoint.publicAccess is false',
        'the CIDRs restrict the public endpoint, which is off',
      );
    }
    const cidrs = e?.publicAccessCidrs ?? ['0.0.0.0/0'];
    if (publicAccess) {
      check(cidrs.length > 0, 'endpoint.publicAccessCidrs', cidrs, 'at least one CIDR, or endpoint.publicAccess: false');
      cidrs.forEach((c, i) => parseCidr(c, `endpoint.publicAccessCidrs[${i}]`));
      if (cidrs.includes('0.0.0.0/0')) {
        Annotations.of(this).addWarning(
          'endpoint.publicAccessCidrs: the public Kubernetes API endpoint is open to 0.0.0.0/0; list the networks that deploy and operate the cluster',
        );
      }
    }
    return { publicAccess, publicAccessCidrs: cidrs };
  }
}

/** One admin with the construct id of its access entry and the id 0.1.0 gave it (by position). */
interface ResolvedAdmin {
  readonly id: string;
  readonly principalArn: string;
  readonly legacyId: string;
  readonly formerDeployerAdmin: boolean;
}

/** What a principal ARN must look like, with the partition when it is known (`article` false: "IAM role ..."). */
function principalArnAllowed(partition: string | undefined, article = true): string {
  const p = partition ?? 'aws';
  return `${article ? 'an ' : ''}IAM role or user ARN${partition ? ` of the ${partition} partition` : ''}, e.g. arn:${p}:iam::123456789012:role/platform-admin`;
}

/**
 * Checks one admin ARN: an IAM role or user of the stack's partition. An STS assumed-role session
 * ARN (what `aws sts get-caller-identity` prints for a role) is refused with the role ARN to use:
 * EKS access entries take the role, and a session ARN changes with every session.
 */
function assertPrincipalArn(arn: unknown, property: string, partition: string | undefined): void {
  const session = typeof arn === 'string' ? ASSUMED_ROLE_ARN_RE.exec(arn) : null;
  if (session) {
    const [, p, account, role] = session;
    throw new ValidationError(
      property,
      arn,
      `${principalArnAllowed(partition)}; for this session's role: arn:${p}:iam::${account}:role/${role} (with the role's path if it has one: aws iam get-role --role-name ${role} --query Role.Arn)`,
      'an assumed-role ARN names one STS session, not a principal EKS can give an access entry',
    );
  }
  check(typeof arn === 'string' && PRINCIPAL_ARN_RE.test(arn), property, arn, `${principalArnAllowed(partition)} (not an sts assumed-role ARN)`);
  const own = (arn as string).split(':')[1];
  check(partition === undefined || own === partition, property, arn, principalArnAllowed(partition), `the stack is in the ${partition} partition; a principal of ${own} cannot be given access to it`);
}

/**
 * The admins keyed by principal: `admin-<ARN with every run of other characters as "-">`, or
 * `admin-<id>` when the caller gives one. Refuses no admin at all, a malformed ARN or one of
 * another partition, a token without an id, a principal or id listed twice, and more than one
 * `formerDeployerAdmin`.
 */
function resolveAdmins(admins: ReadonlyArray<string | AdminPrincipal> | undefined, partition: string | undefined): ResolvedAdmin[] {
  check(
    Array.isArray(admins) && admins.length > 0,
    'admins',
    admins,
    `at least one ${principalArnAllowed(partition, false)}`,
    'the deploying principal needs an access entry: the Helm and Kubernetes providers act as it, and the cluster grants no one access otherwise (bootstrap_cluster_creator_admin_permissions is off)',
  );
  const byArn = new Map<string, number>();
  const byId = new Map<string, number>();
  let former: number | undefined;
  let listed = 0;
  return (admins as ReadonlyArray<string | AdminPrincipal>).map((a, i) => {
    const where = `admins[${i}]`;
    const arn = typeof a === 'string' ? a : a?.principalArn;
    const arnProperty = typeof a === 'string' ? where : `${where}.principalArn`;
    const token = Token.isUnresolved(arn) || isToken(arn);
    if (!token) {
      assertPrincipalArn(arn, arnProperty, partition);
      const first = byArn.get(arn);
      check(first === undefined, where, arn, `a principal not listed before (it is admins[${first}] too)`, 'EKS allows one access entry per principal');
      byArn.set(arn, i);
    }
    let id: string;
    if (typeof a === 'string' || a.id === undefined) {
      check(!token, where, a, '{ id, principalArn } for an ARN that is a Terraform token', 'the access entry is keyed by the ARN, which a token does not give at synth');
      id = `admin-${arn.replace(/[^A-Za-z0-9_-]+/g, '-')}`;
    } else {
      check(typeof a.id === 'string' && /^[A-Za-z0-9_-]{1,100}$/.test(a.id), `${where}.id`, a.id, '1 to 100 letters, digits, "-" and "_"');
      id = `admin-${a.id}`;
    }
    const firstId = byId.get(id);
    check(firstId === undefined, typeof a === 'string' ? where : `${where}.id`, typeof a === 'string' ? a : (a.id ?? arn), `an id no other admin has (admins[${firstId}] has it)`);
    byId.set(id, i);
    const formerDeployerAdmin = typeof a !== 'string' && a.formerDeployerAdmin !== undefined ? a.formerDeployerAdmin : false;
    if (typeof a !== 'string') check(typeof formerDeployerAdmin === 'boolean', `${where}.formerDeployerAdmin`, a.formerDeployerAdmin, 'true or false');
    if (formerDeployerAdmin) {
      check(former === undefined, `${where}.formerDeployerAdmin`, true, `true on one admin only (admins[${former}] has it)`, '0.1.0 kept one access entry for the deployer');
      former = i;
    }
    // 0.1.0 kept the deployer out of its position-keyed list (one entry per principal).
    const legacyId = formerDeployerAdmin ? LEGACY_DEPLOYER_ENTRY_ID : `admin-${listed++}`;
    return { id, principalArn: arn, legacyId, formerDeployerAdmin };
  });
}
