import { Construct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Route53VpcAssociationAuthorization } from '@cdktf/provider-aws/lib/route53-vpc-association-authorization';
import { Route53Zone } from '@cdktf/provider-aws/lib/route53-zone';
import { Route53ZoneAssociation } from '@cdktf/provider-aws/lib/route53-zone-association';
import { ValidationError } from '../../core/errors';
import { iamPrincipalArn, parseArn } from '../../core/rules';
import { bool, declare, list, optional, pattern, strict } from '../../core/schema';

/** The 12 digits of an AWS account id. */
export const ACCOUNT_ID_PATTERN = /^\d{12}$/;
/** A cluster's or an account's `accountId`: 12 digits. */
export const accountIdSchema = (): ReturnType<typeof pattern> => pattern(ACCOUNT_ID_PATTERN, 'a 12-digit AWS account id such as 444455556666', 'AWS account ids are 12 digits');

/**
 * Another AWS account clusters of the fleet live in. Terraform reaches it through a role it
 * assumes there (the `aws` provider's `assume_role`); the Helm and Kubernetes providers of its
 * clusters take their tokens through the same role (`aws eks get-token --role-arn`).
 */
export interface FleetAccountOptions {
  /** The account's 12-digit id: clusters name it in their `accountId`. */
  readonly accountId: string;
  /** A role in that account the deployer may assume, with the rights to build a cluster there. */
  readonly assumeRoleArn: string;
  /**
   * The account is outside the fleet account's AWS Organization, or RAM sharing with Organizations
   * is off: a Transit Gateway share reaches it as an invitation, which Terraform accepts there
   * (`aws_ram_resource_share_accepter`). Inside the organization with sharing on, no invitation
   * exists and accepting one fails.
   * @default false
   */
  readonly ramInvitation?: boolean;
}
export const FleetAccountOptionsSchema = declare<FleetAccountOptions>()(
  strict({ accountId: accountIdSchema(), assumeRoleArn: iamPrincipalArn(['role']), ramInvitation: optional(bool()) }, 'an account { accountId, assumeRoleArn, ramInvitation? }'),
);
/** The fleet's `accounts`: each listed once. */
export const FleetAccountsSchema = list(FleetAccountOptionsSchema, { unique: (a) => a.accountId, duplicate: 'an account not listed before' });

/**
 * Checks the accounts against the clusters: each role in its own account, each cluster's
 * `accountId` listed. Errors name `accounts[i].assumeRoleArn` and `clusters[i].accountId`.
 */
export function checkFleetAccounts(accounts: readonly FleetAccountOptions[], clusters: readonly { readonly accountId?: string }[]): void {
  accounts.forEach((a, i) => {
    const arn = parseArn(a.assumeRoleArn);
    if (arn !== undefined && arn.account !== a.accountId) {
      throw new ValidationError(`accounts[${i}].assumeRoleArn`, a.assumeRoleArn, `a role in account ${a.accountId} (accounts[${i}].accountId)`, 'Terraform reaches the account through this role');
    }
  });
  const listed = accounts.map((a) => a.accountId);
  clusters.forEach((c, i) => {
    if (c.accountId === undefined || listed.includes(c.accountId)) return;
    throw new ValidationError(
      `clusters[${i}].accountId`,
      c.accountId,
      listed.length ? `one of the fleet's accounts (${listed.join(', ')}), or unset for the fleet's own account` : 'an account listed in the fleet\'s accounts ({ accountId, assumeRoleArn }), or unset for the fleet\'s own account',
      'Terraform needs a role to reach the account',
    );
  });
}

/** Terraform provider aliases must start with a letter: `aws_444455556666_eu_west_1`. */
function accountAlias(accountId: string, region: string): string {
  return `aws_${accountId}_${region.replace(/-/g, '_')}`;
}

/**
 * The `aws` providers of the fleet's other accounts, one per account and region its clusters use,
 * with the fleet's default tags. `get(accountId, region)` creates one on first use.
 */
export class FleetAccountProviders {
  private readonly providers = new Map<string, AwsProvider>();
  private readonly roles: ReadonlyMap<string, FleetAccountOptions>;

  constructor(
    private readonly scope: Construct,
    accounts: readonly FleetAccountOptions[],
    private readonly defaultTags: Record<string, string>,
  ) {
    this.roles = new Map(accounts.map((a) => [a.accountId, a]));
  }

  /** The assumed role of `accountId`. */
  roleArn(accountId: string): string {
    return (this.roles.get(accountId) as FleetAccountOptions).assumeRoleArn;
  }

  /** Accounts whose Transit Gateway share is an invitation. */
  invitationAccounts(): Set<string> {
    return new Set([...this.roles.values()].filter((a) => a.ramInvitation === true).map((a) => a.accountId));
  }

  get(accountId: string, region: string): AwsProvider {
    const key = `${accountId}/${region}`;
    let p = this.providers.get(key);
    if (p === undefined) {
      p = new AwsProvider(this.scope, `aws-${accountId}-${region}`, {
        region,
        alias: accountAlias(accountId, region),
        assumeRole: [{ roleArn: this.roleArn(accountId), sessionName: 'cilium-eks-fleet' }],
        // The fleet's own account's providers are the only ones allowed to act there: this one
        // refuses to run in any account but its own.
        allowedAccountIds: [accountId],
        defaultTags: [{ tags: this.defaultTags }],
      });
      this.providers.set(key, p);
    }
    return p;
  }
}

/**
 * Associates VPCs of other accounts with the fleet's private hosted zone: the zone's account
 * authorizes each VPC, the VPC's account associates it (Route 53 developer guide, "Associating an
 * Amazon VPC and a private hosted zone that you created with different AWS accounts"). The zone
 * then ignores changes to its inline `vpc` list, which holds the fleet account's VPCs only (the
 * provider's documented pattern when both are used).
 */
export function associateForeignVpcs(
  scope: Construct,
  zone: Route53Zone,
  vpcs: readonly { readonly cluster: string; readonly vpcId: string; readonly region: string; readonly provider: AwsProvider }[],
  homeProvider: AwsProvider,
): void {
  if (vpcs.length === 0) return;
  zone.addOverride('lifecycle.ignore_changes', ['vpc']);
  for (const v of vpcs) {
    const authorization = new Route53VpcAssociationAuthorization(scope, `zone-authorization-${v.cluster}`, { zoneId: zone.zoneId, vpcId: v.vpcId, vpcRegion: v.region, provider: homeProvider });
    new Route53ZoneAssociation(scope, `zone-association-${v.cluster}`, { zoneId: authorization.zoneId, vpcId: authorization.vpcId, vpcRegion: v.region, provider: v.provider });
  }
}
