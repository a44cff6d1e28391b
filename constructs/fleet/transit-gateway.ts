import { Construct } from 'constructs';
import { Ec2TransitGateway } from '@cdktf/provider-aws/lib/ec2-transit-gateway';
import { Ec2TransitGatewayPeeringAttachment } from '@cdktf/provider-aws/lib/ec2-transit-gateway-peering-attachment';
import { Ec2TransitGatewayPeeringAttachmentAccepter } from '@cdktf/provider-aws/lib/ec2-transit-gateway-peering-attachment-accepter';
import { Ec2TransitGatewayRoute } from '@cdktf/provider-aws/lib/ec2-transit-gateway-route';
import { Ec2TransitGatewayRouteTable } from '@cdktf/provider-aws/lib/ec2-transit-gateway-route-table';
import { Ec2TransitGatewayRouteTableAssociation } from '@cdktf/provider-aws/lib/ec2-transit-gateway-route-table-association';
import { Ec2TransitGatewayVpcAttachment } from '@cdktf/provider-aws/lib/ec2-transit-gateway-vpc-attachment';
import { Ec2TransitGatewayVpcAttachmentAccepter } from '@cdktf/provider-aws/lib/ec2-transit-gateway-vpc-attachment-accepter';
import { RamPrincipalAssociation } from '@cdktf/provider-aws/lib/ram-principal-association';
import { RamResourceAssociation } from '@cdktf/provider-aws/lib/ram-resource-association';
import { RamResourceShare } from '@cdktf/provider-aws/lib/ram-resource-share';
import { RamResourceShareAccepter } from '@cdktf/provider-aws/lib/ram-resource-share-accepter';
import { Route } from '@cdktf/provider-aws/lib/route';
import { TerraformProvider, TerraformResource } from '../cdktf';
import { TransitGatewayPlan } from '../../bpf/fleet-network';
import { declare, opaque, parse, strict, text } from '../../core/schema';

/** What the gateways need of one cluster's VPC. */
export interface FleetVpc {
  /** The VPC's id. */
  readonly vpcId: string;
  /** Private subnets, one per zone: the attachment's network interfaces go there. */
  readonly privateSubnetIds: string[];
  /** Route tables of the private subnets (and of the pod subnets, which share them). */
  readonly privateRouteTableIds: string[];
}

/** What {@link FleetTransitGateway} builds from, and through which providers. */
export interface FleetTransitGatewayProps {
  /** The fleet's name: in the gateways' names and tags. */
  readonly fleetName: string;
  /** The plan the construct builds exactly, as `planFleetNetwork` makes it. */
  readonly plan: TransitGatewayPlan;
  /** The VPC of each cluster, by name. */
  readonly vpc: (cluster: string) => FleetVpc;
  /** The fleet's own account's provider in `region`: the gateways, their tables and routes. */
  readonly homeProvider: (region: string) => TerraformProvider;
  /** The provider of the account and region a cluster is in. */
  readonly clusterProvider: (cluster: string) => TerraformProvider;
  /** The provider of another account in `region` (to accept the gateway's share there). */
  readonly accountProvider: (accountId: string, region: string) => TerraformProvider;
  /** Accounts that accept the share through a RAM invitation (outside the fleet account's organization). */
  readonly invitationAccounts: ReadonlySet<string>;
}

/** The declaration of {@link FleetTransitGatewayProps}. */
export const FleetTransitGatewayPropsSchema = declare<FleetTransitGatewayProps>()(
  strict(
    {
      fleetName: text('a fleet name'),
      plan: opaque<TransitGatewayPlan>("a Transit Gateway plan from planFleetNetwork(members, 'transitGateway', ...)", (x) => typeof x === 'object' && x !== null && (x as { connectivity?: unknown }).connectivity === 'transitGateway'),
      vpc: opaque<FleetTransitGatewayProps['vpc']>('a function from a cluster name to its VPC', (x: unknown) => typeof x === 'function'),
      homeProvider: opaque<FleetTransitGatewayProps['homeProvider']>('a function from a region to the fleet account\'s provider', (x: unknown) => typeof x === 'function'),
      clusterProvider: opaque<FleetTransitGatewayProps['clusterProvider']>('a function from a cluster name to its provider', (x: unknown) => typeof x === 'function'),
      accountProvider: opaque<FleetTransitGatewayProps['accountProvider']>('a function from an account and a region to its provider', (x: unknown) => typeof x === 'function'),
      invitationAccounts: opaque<FleetTransitGatewayProps['invitationAccounts']>('a set of account ids', (x) => x instanceof Set),
    },
    'Transit Gateway props { fleetName, plan, vpc, homeProvider, clusterProvider, accountProvider, invitationAccounts }',
  ),
);

/**
 * A fleet connected through one Transit Gateway per region, all in the fleet's own account
 * (peering attachments are not available on a shared gateway: AWS Transit Gateway guide,
 * tgw-peering.html):
 *
 * - each gateway with its own route table and neither default association nor propagation, so
 *   only the routes below exist;
 * - a VPC attachment per cluster over its private subnets, associated with its region's table; in
 *   another account the gateway is shared with that account (AWS RAM), the attachment is requested
 *   there and accepted here;
 * - a peering attachment between every two regions, requested from the first region in name order
 *   and accepted in the other, associated with both regions' tables;
 * - static routes in every region's table to every cluster's VPC and pod range: to the cluster's
 *   attachment in its region, to the peering attachment elsewhere (peering attachments carry only
 *   static routes);
 * - in each cluster's private route tables, the plan's summary routes to its region's gateway.
 */
export class FleetTransitGateway extends Construct {
  /** The gateways, by region. */
  public readonly gateways: ReadonlyMap<string, Ec2TransitGateway>;

  constructor(scope: Construct, id: string, props: FleetTransitGatewayProps) {
    super(scope, id);
    parse(FleetTransitGatewayPropsSchema, props, 'FleetTransitGateway props');
    const { plan } = props;
    const gateways = new Map<string, Ec2TransitGateway>();
    const tables = new Map<string, Ec2TransitGatewayRouteTable>();
    /** Per region, per account: what its attachments wait for. */
    const shares = new Map<string, Map<string, TerraformResource[]>>();
    for (const g of plan.gateways) {
      const provider = props.homeProvider(g.region);
      const gw = new Ec2TransitGateway(this, g.key, {
        description: `Cilium fleet ${props.fleetName}, ${g.region}`,
        amazonSideAsn: g.amazonSideAsn,
        defaultRouteTableAssociation: 'disable',
        defaultRouteTablePropagation: 'disable',
        autoAcceptSharedAttachments: 'disable',
        dnsSupport: 'enable',
        tags: { Name: `${props.fleetName}-${g.region}` },
        provider,
      });
      gateways.set(g.region, gw);
      tables.set(g.region, new Ec2TransitGatewayRouteTable(this, `${g.key}-routes`, { transitGatewayId: gw.id, tags: { Name: `${props.fleetName}-${g.region}` }, provider }));
      if (g.sharedWith.length > 0) {
        const share = new RamResourceShare(this, `${g.key}-share`, {
          name: `${props.fleetName}-${g.region}-transit-gateway`,
          allowExternalPrincipals: g.sharedWith.some((a) => props.invitationAccounts.has(a)),
          provider,
        });
        new RamResourceAssociation(this, `${g.key}-share-gateway`, { resourceArn: gw.arn, resourceShareArn: share.arn, provider });
        // What an account waits for before it can attach: its principal association and, outside
        // the organization, its acceptance of the invitation (once per account and region).
        const ready = new Map<string, TerraformResource[]>();
        for (const account of g.sharedWith) {
          const principal = new RamPrincipalAssociation(this, `${g.key}-share-${account}`, { principal: account, resourceShareArn: share.arn, provider });
          const accepted = props.invitationAccounts.has(account)
            ? [new RamResourceShareAccepter(this, `${g.key}-share-accepter-${account}`, { shareArn: share.arn, provider: props.accountProvider(account, g.region), dependsOn: [principal] })]
            : [];
          ready.set(account, [principal, ...accepted]);
        }
        shares.set(g.region, ready);
      }
    }
    const gateway = (region: string): Ec2TransitGateway => gateways.get(region) as Ec2TransitGateway;
    const table = (region: string): Ec2TransitGatewayRouteTable => tables.get(region) as Ec2TransitGatewayRouteTable;

    // ---- VPC attachments --------------------------------------------------------------------------
    const attachmentIds = new Map<string, string>();
    /** The resource whose completion makes a cluster's attachment usable (the accepter across accounts). */
    const attachments = new Map<string, TerraformResource>();
    for (const a of plan.attachments) {
      const vpc = props.vpc(a.cluster);
      const home = props.homeProvider(a.region);
      const common = { transitGatewayId: gateway(a.region).id, vpcId: vpc.vpcId, subnetIds: vpc.privateSubnetIds, dnsSupport: 'enable', tags: { Name: a.cluster } };
      if (a.accountId === undefined) {
        const attachment = new Ec2TransitGatewayVpcAttachment(this, a.key, {
          ...common,
          transitGatewayDefaultRouteTableAssociation: false,
          transitGatewayDefaultRouteTablePropagation: false,
          provider: home,
        });
        attachmentIds.set(a.cluster, attachment.id);
        attachments.set(a.cluster, attachment);
      } else {
        // Requested in the cluster's account once the gateway is shared with it, accepted here.
        const waitFor = (shares.get(a.region) as Map<string, TerraformResource[]>).get(a.accountId) as TerraformResource[];
        const request = new Ec2TransitGatewayVpcAttachment(this, a.key, { ...common, provider: props.clusterProvider(a.cluster), dependsOn: waitFor });
        const accepted = new Ec2TransitGatewayVpcAttachmentAccepter(this, `${a.key}-accepter`, {
          transitGatewayAttachmentId: request.id,
          transitGatewayDefaultRouteTableAssociation: false,
          transitGatewayDefaultRouteTablePropagation: false,
          tags: { Name: a.cluster },
          provider: home,
        });
        attachmentIds.set(a.cluster, accepted.transitGatewayAttachmentId);
        attachments.set(a.cluster, accepted);
      }
      new Ec2TransitGatewayRouteTableAssociation(this, `${a.key}-association`, {
        transitGatewayAttachmentId: attachmentIds.get(a.cluster) as string,
        transitGatewayRouteTableId: table(a.region).id,
        provider: home,
      });
    }

    // ---- Peering attachments between regions ------------------------------------------------------
    const peeringIds = new Map<string, string>();
    for (const p of plan.peerings) {
      const request = new Ec2TransitGatewayPeeringAttachment(this, p.key, {
        transitGatewayId: gateway(p.requesterRegion).id,
        peerTransitGatewayId: gateway(p.accepterRegion).id,
        peerRegion: p.accepterRegion,
        tags: { Name: `${props.fleetName}-${p.requesterRegion}--${p.accepterRegion}` },
        provider: props.homeProvider(p.requesterRegion),
      });
      const accepted = new Ec2TransitGatewayPeeringAttachmentAccepter(this, `${p.key}-accepter`, {
        transitGatewayAttachmentId: request.id,
        tags: { Name: `${props.fleetName}-${p.requesterRegion}--${p.accepterRegion}` },
        provider: props.homeProvider(p.accepterRegion),
      });
      // The accepter's id is the attachment's: referencing it makes both sides wait for the acceptance.
      const id = accepted.transitGatewayAttachmentId;
      peeringIds.set(p.key, id);
      for (const region of [p.requesterRegion, p.accepterRegion]) {
        new Ec2TransitGatewayRouteTableAssociation(this, `${p.key}-association-${region}`, {
          transitGatewayAttachmentId: id,
          transitGatewayRouteTableId: table(region).id,
          provider: props.homeProvider(region),
        });
      }
    }

    // ---- Static routes in the gateways' tables ----------------------------------------------------
    for (const r of plan.tgwRoutes) {
      new Ec2TransitGatewayRoute(this, `tgw-${r.region}-to-${r.key}`, {
        transitGatewayRouteTableId: table(r.region).id,
        destinationCidrBlock: r.destination,
        transitGatewayAttachmentId: r.target.kind === 'vpc' ? (attachmentIds.get(r.target.cluster) as string) : (peeringIds.get(r.target.peering) as string),
        provider: props.homeProvider(r.region),
      });
    }

    // ---- The VPCs' routes to their gateway --------------------------------------------------------
    for (const r of plan.routes) {
      if (r.target.kind !== 'transitGateway') continue;
      const region = r.target.region;
      // After the attachment: a route to a gateway the VPC is not attached to is refused.
      const attachment = attachments.get(r.from) as TerraformResource;
      props.vpc(r.from).privateRouteTableIds.forEach(
        (routeTableId, i) =>
          new Route(this, `${r.key}${i}`, {
            routeTableId,
            destinationCidrBlock: r.destination,
            transitGatewayId: gateway(region).id,
            provider: props.clusterProvider(r.from),
            dependsOn: [attachment],
          }),
      );
    }
    this.gateways = gateways;
  }
}
