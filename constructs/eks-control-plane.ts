import { Construct } from 'constructs';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsEksAddonVersion } from '@cdktf/provider-aws/lib/data-aws-eks-addon-version';
import { DataAwsIamSessionContext } from '@cdktf/provider-aws/lib/data-aws-iam-session-context';
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
import { Annotations, Fn, ITerraformDependable, Op, Token } from './cdktf';
import { moveFromLegacyId } from './moves';
import { isToken } from '../core/validate';
import { cidrsOverlap, isWithin, parseCidr, RFC1918 } from '../core/cidr';
import { serviceTrustPolicy, toJson } from '../core/iam';
import { clusterNames } from '../core/names';
import { anyOf, bool, declare, list, oneOf, optional, pattern, strict } from '../core/schema';
import { addonVersion, cidr, iamPrincipalArn } from '../core/rules';

/** Control-plane log types, all enabled by default. */
export const ALL_CONTROL_PLANE_LOG_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'] as const;
export type ControlPlaneLogType = (typeof ALL_CONTROL_PLANE_LOG_TYPES)[number];

/** Service CIDR of new clusters: fixed, so the overlap with the VPC is checked at synth. */
export const DEFAULT_SERVICE_IPV4_CIDR = '172.20.0.0/16';
/** Days the control-plane logs are kept. */
export const DEFAULT_LOG_RETENTION_DAYS = 90;
/** The access policy that makes a principal cluster admin. */
export const CLUSTER_ADMIN_POLICY = 'AmazonEKSClusterAdminPolicy';

const CLUSTER_NAME_RE = /^[0-9A-Za-z][A-Za-z0-9_-]*$/;
const PRINCIPAL_ARN_RE = /^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/[\w+=,.@/-]+$/;

export function assertClusterName(name: string): string {
  if (name.length < 1 || name.length > 100 || !CLUSTER_NAME_RE.test(name)) {
    throw new ValidationError('clusterName', name, '1 to 100 characters: letters, digits, hyphens and underscores, starting with a letter or digit', 'the EKS CreateCluster name rule');
  }
  return name;
}

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

export interface AddonVersions {
  /** @default - the EKS default version for the cluster's Kubernetes version */
  readonly coredns?: string;
  /** @default - the EKS default version for the cluster's Kubernetes version */
  readonly podIdentityAgent?: string;
}
export const AddonVersionsSchema = declare<AddonVersions>()(strict({ coredns: optional(addonVersion()), podIdentityAgent: optional(addonVersion()) }, 'add-on versions'));

/** A cluster admin with a construct id of the caller's choosing (needed when the ARN is a Terraform token). */
export interface AdminPrincipal {
  /** Stable id of the admin's access entry: letters, digits, "-" and "_". */
  readonly id: string;
  /** IAM role or user ARN. */
  readonly principalArn: string;
}
export const AdminPrincipalSchema = declare<AdminPrincipal>()(
  strict({ id: pattern(/^[A-Za-z0-9_-]{1,100}$/, '1 to 100 letters, digits, "-" and "_"'), principalArn: iamPrincipalArn(['role', 'user']) }, '{ id, principalArn }'),
);
/** CloudWatch Logs retention values (PutRetentionPolicy `retentionInDays`). */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;
/** The control-plane settings a cluster's props carry (the rest of {@link EksControlPlaneProps} the cluster gives). */
export const controlPlaneEntries = {
  kubernetesVersion: optional(pattern(/^1\.\d+$/, 'a Kubernetes minor version such as 1.34 (no patch)')),
  serviceIpv4Cidr: optional(cidr(12, 24, 'a private IPv4 CIDR')),
  endpoint: optional(EndpointAccessOptionsSchema),
  admins: optional(list(anyOf([iamPrincipalArn(['role', 'user']), AdminPrincipalSchema], 'an IAM role or user ARN, or { id, principalArn }'))),
  deployerAdmin: optional(bool()),
  logTypes: optional(list(oneOf(ALL_CONTROL_PLANE_LOG_TYPES), { unique: true })),
  logRetentionDays: optional(oneOf<number>(LOG_RETENTION_DAYS, `one of ${LOG_RETENTION_DAYS.join(', ')}`, 'CloudWatch Logs retention values')),
  addonVersions: optional(AddonVersionsSchema),
} as const;

export interface EksControlPlaneProps {
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
  /** @default '172.20.0.0/16' */
  readonly serviceIpv4Cidr?: string;
  /** @default - public on, open to the world with a synth warning; private always on */
  readonly endpoint?: EndpointAccessOptions;
  /**
   * IAM role or user ARNs that get cluster admin, besides the deploying principal. Each admin's
   * access entry is keyed by its ARN (or the `id` given with it), never by its position, so
   * removing one admin changes only that admin's entry. A principal may be listed once, and not
   * when it is the deploying principal with `deployerAdmin` on (checked at plan: EKS refuses a
   * second access entry for one principal).
   * @default - none
   */
  readonly admins?: ReadonlyArray<string | AdminPrincipal>;
  /** Give the principal that runs `cdktf deploy` cluster admin through an access entry. @default true */
  readonly deployerAdmin?: boolean;
  /** Control-plane log types. @default - all five */
  readonly logTypes?: ControlPlaneLogType[];
  /** @default 90 */
  readonly logRetentionDays?: number;
  /** @default - EKS defaults for the Kubernetes version */
  readonly addonVersions?: AddonVersions;
  /** @default - none */
  readonly tags?: Record<string, string>;
}

/**
 * The EKS control plane for a Cilium-only cluster: `bootstrap_self_managed_addons = false` (no
 * aws-node, no kube-proxy, no self-managed CoreDNS, ever), access entries only, secrets encrypted
 * with a KMS key, control-plane logs on, and the Pod Identity agent add-on.
 */
export class EksControlPlane extends Construct {
  public readonly cluster: EksCluster;
  public readonly clusterRole: IamRole;
  public readonly kmsKey: KmsKey;
  public readonly logGroup: CloudwatchLogGroup;
  public readonly podIdentityAgent: EksAddon;
  public readonly kubernetesVersion: string;
  public readonly serviceIpv4Cidr: string;
  /** Access policy associations that make admins; Helm and Kubernetes resources wait for them. */
  public readonly adminAccess: ITerraformDependable[] = [];
  private readonly addonVersions: AddonVersions;
  private readonly adminPolicies = new Map<string, EksAccessPolicyAssociation>();
  private readonly partition: string;

  constructor(scope: Construct, id: string, props: EksControlPlaneProps) {
    super(scope, id);
    const name = assertClusterName(props.clusterName);
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
    for (const t of logTypes) {
      check((ALL_CONTROL_PLANE_LOG_TYPES as readonly string[]).includes(t), 'logTypes', t, ALL_CONTROL_PLANE_LOG_TYPES.join(', '));
    }
    const retention = props.logRetentionDays ?? DEFAULT_LOG_RETENTION_DAYS;
    const allowedRetention = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];
    check(allowedRetention.includes(retention), 'logRetentionDays', retention, `one of ${allowedRetention.join(', ')} (CloudWatch Logs retention values)`);

    this.clusterRole = new IamRole(this, 'cluster-role', {
      namePrefix: clusterNames.clusterRolePrefix(name),
      assumeRolePolicy: toJson(serviceTrustPolicy('eks.amazonaws.com', ['sts:AssumeRole', 'sts:TagSession'])),
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

    // Created here, not by EKS, so the retention is ours and destroy removes it.
    this.logGroup = new CloudwatchLogGroup(this, 'log-group', {
      name: clusterNames.controlPlaneLogGroup(name),
      retentionInDays: retention,
      tags: props.tags,
    });

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

    const admins = resolveAdmins(props.admins ?? []);
    if (props.deployerAdmin ?? true) {
      const caller = new DataAwsCallerIdentity(this, 'caller');
      // An assumed-role session ARN is not a valid access entry principal: use the role's ARN.
      const session = new DataAwsIamSessionContext(this, 'deployer', { arn: caller.arn });
      const entry = this.addAdmin('deployer-admin', session.issuerArn, props.tags);
      // The deployer is known only at plan: a precondition refuses it in `admins` too, before EKS
      // would refuse the second access entry for one principal half-way through the apply.
      if (admins.length > 0) {
        entry.lifecycle = {
          precondition: [
            {
              condition: Op.not(Fn.contains(admins.map((a) => a.principalArn), session.issuerArn)),
              errorMessage: `cilium-eks: the deploying principal \${${session.fqn}.issuer_arn} is also listed in admins; remove it from admins or set deployerAdmin: false (EKS allows one access entry per principal)`,
            },
          ],
        };
      }
    }
    for (const admin of admins) {
      const entry = this.addAdmin(admin.id, admin.principalArn, props.tags);
      moveFromLegacyId(entry, admin.legacyId, this);
      moveFromLegacyId(this.adminPolicies.get(admin.id)!, `${admin.legacyId}-policy`, this);
    }

    this.podIdentityAgent = this.addon('eks-pod-identity-agent', this.addonVersions.podIdentityAgent, props.tags);
  }

  /** A managed add-on pinned to `version`, or to the EKS default version for the Kubernetes version. */
  public addon(addonName: string, version: string | undefined, tags?: Record<string, string>, dependsOn?: ITerraformDependable[]): EksAddon {
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
      tags,
      dependsOn,
    });
  }

  /** The CoreDNS add-on; call it with the node group as `dependsOn` (it stays DEGRADED without nodes). */
  public addCoreDns(dependsOn: ITerraformDependable[], tags?: Record<string, string>): EksAddon {
    return this.addon('coredns', this.addonVersions.coredns, tags, dependsOn);
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
}

/**
 * The admins keyed by principal: `admin-<ARN with every run of other characters as "-">`, or
 * `admin-<id>` when the caller gives one. Refuses a malformed ARN, a token without an id, and a
 * principal or id listed twice.
 */
function resolveAdmins(admins: ReadonlyArray<string | AdminPrincipal>): ResolvedAdmin[] {
  const byArn = new Map<string, number>();
  const byId = new Map<string, number>();
  return admins.map((a, i) => {
    const where = `admins[${i}]`;
    const arn = typeof a === 'string' ? a : a?.principalArn;
    const token = Token.isUnresolved(arn) || isToken(arn);
    if (!token) {
      check(typeof arn === 'string' && PRINCIPAL_ARN_RE.test(arn), typeof a === 'string' ? where : `${where}.principalArn`, arn, 'an IAM role or user ARN, e.g. arn:aws:iam::123456789012:role/platform-admin (not an sts assumed-role ARN)');
      const first = byArn.get(arn);
      check(first === undefined, where, arn, `a principal not listed before (it is admins[${first}] too)`, 'EKS allows one access entry per principal');
      byArn.set(arn, i);
    }
    let id: string;
    if (typeof a === 'string') {
      check(!token, where, a, '{ id, principalArn } for an ARN that is a Terraform token', 'the access entry is keyed by the ARN, which a token does not give at synth');
      id = `admin-${a.replace(/[^A-Za-z0-9_-]+/g, '-')}`;
    } else {
      check(typeof a.id === 'string' && /^[A-Za-z0-9_-]{1,100}$/.test(a.id), `${where}.id`, a.id, '1 to 100 letters, digits, "-" and "_"');
      id = `admin-${a.id}`;
    }
    const firstId = byId.get(id);
    check(firstId === undefined, typeof a === 'string' ? where : `${where}.id`, typeof a === 'string' ? a : a.id, `an id no other admin has (admins[${firstId}] has it)`);
    byId.set(id, i);
    return { id, principalArn: arn, legacyId: `admin-${i}` };
  });
}
