/**
 * How a fleet's VPCs reach each other, as pure data: VPC peering (every pair once) or one Transit
 * Gateway per region (inter-region peering attachments between them). The fleet construct builds
 * exactly what the plan lists, so the plan's invariants are the synthesized fleet's; every item is
 * keyed by cluster, region or account names, never by list position, so a cluster that leaves
 * removes only its own items.
 *
 * Sources (AWS documentation, read 2026-12):
 * - VPC peering quotas (Amazon VPC quotas, docs.aws.amazon.com/general/latest/gr/vpc-service.html
 *   and vpc/latest/userguide/amazon-vpc-limits.html): "Active VPC peering connections per VPC" 50,
 *   adjustable up to 125; "Routes per route table" 50 (non-propagated), adjustable; "Inbound or
 *   outbound rules per security group" 60. A full mesh of n VPCs needs n(n-1)/2 connections and
 *   n-1 routes per route table and peer range (whitepaper "Building a Scalable and Secure
 *   Multi-VPC AWS Network Infrastructure", VPC peering: 100 VPCs take 4,950 connections).
 * - Transit Gateway quotas (vpc/latest/tgw/transit-gateway-quotas.html): 5 transit gateways per
 *   account and region, 5,000 attachments per transit gateway, 20 route tables per transit
 *   gateway, 10,000 routes across a transit gateway's route tables, "Static routes for a prefix to
 *   a single attachment" 1; one VPC attachment per VPC and transit gateway.
 * - Transit Gateway peering (vpc/latest/tgw/tgw-peering.html): the accepter's owner accepts the
 *   request; traffic crosses it only through static routes that point at the peering attachment;
 *   "We recommend using unique ASNs for each peered transit gateway". Peering attachments are not
 *   available on transit gateways shared with you: every gateway stays in the fleet's own account.
 * - MTU (vpc/latest/tgw/what-is-transit-gateway.html): 8500 bytes between VPCs and across
 *   peering attachments (the fleet's MTU choice lives with the MTU code, not here).
 */
import { formatCidr, isWithin, parseCidr } from '../core/cidr';
import { check, ValidationError } from '../core/errors';
import { coveringCidr, pairsOf } from './clustermesh';
import { declare, list, optional, parse, pattern, strict, text } from '../core/schema';
import { cidr, region } from '../core/rules';

/** How the fleet's VPCs are connected. */
export const FLEET_CONNECTIVITY = ['vpcPeering', 'transitGateway'] as const;
/** `vpcPeering`: a peering connection between every two clusters; `transitGateway`: one gateway per region, peered across regions. */
export type FleetConnectivity = (typeof FLEET_CONNECTIVITY)[number];
/** The default connectivity. */
export const DEFAULT_FLEET_CONNECTIVITY: FleetConnectivity = 'vpcPeering';

/** Default quotas the connectivity choices count against (sources above). */
export const CONNECTIVITY_QUOTAS = Object.freeze({
  /** "Active VPC peering connections per VPC", default (adjustable up to 125). */
  peeringConnectionsPerVpc: 50,
  /** "Routes per route table", default. */
  routesPerRouteTable: 50,
  /** "Transit gateways per account" (per region), default. */
  transitGatewaysPerRegion: 5,
  /** "Attachments per transit gateway" (not adjustable). */
  attachmentsPerTransitGateway: 5000,
  /** "Total combined routes (dynamic and static) across all route tables for a single transit gateway", default. */
  routesPerTransitGateway: 10000,
});

/** Most clusters a peered fleet takes: 50 peerings per VPC and 50 routes per route table by default. */
export const MAX_PEERING_FLEET_CLUSTERS = 50;
/**
 * Past this many clusters the docs recommend a Transit Gateway: each VPC route table of a peered
 * fleet with pod subnets holds 2(n-1)+1 routes, past the default 50 from 26 clusters on.
 */
export const PEERING_RECOMMENDED_MAX_CLUSTERS = 25;

/** One cluster as the network plan sees it. */
export interface FleetNetworkMember {
  /** The cluster's name (its routes' and attachments' keys carry it). */
  readonly name: string;
  /** The cluster's AWS region. */
  readonly region: string;
  /** The cluster's VPC CIDR. */
  readonly vpcCidr: string;
  /** The pod range (pod subnets), when the cluster has one. @default - none: pods take node subnet addresses */
  readonly podCidr?: string;
  /** The account the cluster is in. @default - the fleet's own account (its default providers) */
  readonly accountId?: string;
}

/** The declaration of {@link FleetNetworkMember}. */
export const FleetNetworkMemberSchema = declare<FleetNetworkMember>()(
  strict(
    { name: text('a cluster name'), region: region(), vpcCidr: cidr(), podCidr: optional(cidr()), accountId: optional(pattern(/^\d{12}$/, 'a 12-digit AWS account id')) },
    'a fleet network member { name, region, vpcCidr, podCidr?, accountId? }',
  ),
);

/** What a VPC route points at. */
export type RouteTarget = { readonly kind: 'vpcPeering'; readonly connection: string } | { readonly kind: 'transitGateway'; readonly region: string };

/**
 * One route in every private route table of `from` (the construct adds the table's index to the
 * key). `key` is unique per cluster.
 */
export interface VpcRouteSpec {
  /** Unique per cluster; stable while the destination's cluster stays in the fleet. */
  readonly key: string;
  /** The cluster whose private route tables take the route. */
  readonly from: string;
  /** The CIDR routed: a peer's VPC or pod range, or a summary of the fleet's ranges. */
  readonly destination: string;
  /** The peering connection or the region's Transit Gateway. */
  readonly target: RouteTarget;
}

/** A VPC peering connection between two clusters, requested by the first name in name order. */
export interface PeeringConnectionSpec {
  /** `peering-<a>--<b>`: the construct id (unchanged since the first fleet). */
  readonly key: string;
  /** The cluster that requests the connection (first in name order). */
  readonly requester: string;
  /** The cluster that accepts it. */
  readonly accepter: string;
  /** Accepted by the requester itself (same region and account), or by an accepter resource on the peer's side. */
  readonly acceptance: 'auto' | 'accepter';
  /** The peer's account when it is not the requester's: the connection names it (`peer_owner_id`). */
  readonly crossAccount: boolean;
  /** The two clusters are in different regions (the connection names the peer's region). */
  readonly crossRegion: boolean;
}

/** A peered fleet: n(n-1)/2 connections and a route per peer range in every private route table. */
export interface PeeringPlan {
  /** Which plan this is. */
  readonly connectivity: 'vpcPeering';
  /** One connection per pair of clusters. */
  readonly connections: readonly PeeringConnectionSpec[];
  /** The VPC routes to the peers. */
  readonly routes: readonly VpcRouteSpec[];
}

/** One Transit Gateway, in the fleet's own account. */
export interface TransitGatewaySpec {
  /** `tgw-<region>`. */
  readonly key: string;
  /** Its region. */
  readonly region: string;
  /** A private 32-bit ASN derived from the region name: unique per region, never changes (a change replaces the gateway). */
  readonly amazonSideAsn: number;
  /** Accounts of clusters in this region other than the fleet's own: the gateway is shared with them (AWS RAM). */
  readonly sharedWith: readonly string[];
}

/** A cluster VPC's attachment to its region's gateway, over its private subnets (one per zone). */
export interface TgwVpcAttachmentSpec {
  /** `tgw-attachment-<cluster>`. */
  readonly key: string;
  /** The cluster whose VPC is attached. */
  readonly cluster: string;
  /** The region of the cluster and of the gateway. */
  readonly region: string;
  /**
   * The cluster's account when it is not the fleet's: the attachment is requested there and accepted by the gateway's owner.
   * @default - absent: the fleet's own account
   */
  readonly accountId?: string;
}

/** An inter-region peering attachment between two gateways, requested from the first region in name order. */
export interface TgwPeeringSpec {
  /** `tgw-peering-<region a>--<region b>`. */
  readonly key: string;
  /** The region whose gateway requests the attachment. */
  readonly requesterRegion: string;
  /** The region whose gateway accepts it. */
  readonly accepterRegion: string;
}

/** A static route in a region's gateway route table. */
export interface TgwRouteSpec {
  /** Unique per region: `<cluster>` or `<cluster>-pods`. */
  readonly key: string;
  /** The region of the gateway whose route table takes the route. */
  readonly region: string;
  /** A cluster's VPC CIDR or pod range. */
  readonly destination: string;
  /** The cluster's VPC attachment (same region) or the peering attachment towards its region. */
  readonly target: { readonly kind: 'vpc'; readonly cluster: string } | { readonly kind: 'peering'; readonly peering: string };
}

/** A fleet through Transit Gateways: one per region, peered across regions. */
export interface TransitGatewayPlan {
  /** Which plan this is. */
  readonly connectivity: 'transitGateway';
  /** One gateway per region. */
  readonly gateways: readonly TransitGatewaySpec[];
  /** One VPC attachment per cluster. */
  readonly attachments: readonly TgwVpcAttachmentSpec[];
  /** One peering attachment per pair of regions. */
  readonly peerings: readonly TgwPeeringSpec[];
  /** The static routes of the gateways' route tables. */
  readonly tgwRoutes: readonly TgwRouteSpec[];
  /** The summary routes of the clusters' private route tables. */
  readonly routes: readonly VpcRouteSpec[];
}

/** What connects a fleet's VPCs, by connectivity. */
export type FleetNetworkPlan = PeeringPlan | TransitGatewayPlan;

/** The ranges of a member other clusters route to: its VPC, then its pod range. */
export function rangesOf(m: FleetNetworkMember): { readonly destination: string; readonly suffix: string }[] {
  return [{ destination: m.vpcCidr, suffix: '' }, ...(m.podCidr !== undefined ? [{ destination: m.podCidr, suffix: 'pods-' }] : [])];
}

/**
 * The plan of `connectivity` for `members`. `nativeRoutingCidr` (covering every VPC) is the one
 * route a Transit Gateway fleet's VPC route tables take for every VPC of the fleet.
 */
export function planFleetNetwork(members: readonly FleetNetworkMember[], connectivity: FleetConnectivity, nativeRoutingCidr: string): FleetNetworkPlan {
  parse(list(FleetNetworkMemberSchema), members, 'planFleetNetwork(members)');
  check((FLEET_CONNECTIVITY as readonly string[]).includes(connectivity), 'connectivity', connectivity, `one of ${FLEET_CONNECTIVITY.join(', ')}`);
  return connectivity === 'vpcPeering' ? planPeering(members) : planTransitGateway(members, nativeRoutingCidr);
}

function planPeering(members: readonly FleetNetworkMember[]): PeeringPlan {
  const connections: PeeringConnectionSpec[] = [];
  const routes: VpcRouteSpec[] = [];
  for (const [a, b] of pairsOf(members)) {
    const key = `peering-${a.name}--${b.name}`;
    const crossRegion = a.region !== b.region;
    const crossAccount = a.accountId !== b.accountId;
    connections.push({ key, requester: a.name, accepter: b.name, acceptance: crossRegion || crossAccount ? 'accepter' : 'auto', crossAccount, crossRegion });
    for (const [from, to] of [
      [a, b],
      [b, a],
    ]) {
      for (const r of rangesOf(to)) routes.push({ key: `${from.name}-to-${to.name}-${r.suffix}`, from: from.name, destination: r.destination, target: { kind: 'vpcPeering', connection: key } });
    }
  }
  return { connectivity: 'vpcPeering', connections, routes };
}

/** The private 32-bit ASN range (64512-65534 is the 16-bit one): AWS takes 4200000000 to 4294967294 for a transit gateway. */
export const TGW_ASN_RANGE = Object.freeze({ first: 4200000000, last: 4294967294 });

/** A region's gateway ASN: FNV-1a of its name in the 32-bit private range, the same for a region in every fleet. */
export function transitGatewayAsn(region: string): number {
  let h = 0x811c9dc5;
  for (const ch of region) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return TGW_ASN_RANGE.first + (h % (TGW_ASN_RANGE.last - TGW_ASN_RANGE.first + 1));
}

/**
 * The summary routes of a Transit Gateway fleet's VPC route tables: the native routing CIDR (it
 * covers every VPC), and the smallest block covering every pod range when that block is /8 or
 * longer and not the same block; else one route per pod range. The VPC's own ranges keep their
 * more specific `local` routes (longest prefix wins), so a VPC route table holds 2 or 3 routes
 * however large the fleet.
 */
export function summaryDestinations(members: readonly FleetNetworkMember[], nativeRoutingCidr: string): { readonly destination: string; readonly key: string }[] {
  const native = parseCidr(nativeRoutingCidr, 'nativeRoutingCidr');
  const pods = members.filter((m) => m.podCidr !== undefined).map((m) => m.podCidr as string);
  const out = [{ destination: nativeRoutingCidr, key: 'fleet' }];
  if (pods.length === 0) return out;
  // One pod range alone is its cluster's own (local) range: per-range routes below.
  const cover = parseCidr(coveringCidr(pods), 'pod ranges');
  if (pods.length > 1 && cover.prefix >= 8) {
    if (!isWithin(cover, native)) out.push({ destination: formatCidr(cover), key: 'fleet-pods' });
    return out;
  }
  // Pod ranges too far apart to summarize: each one not already inside the native routing CIDR.
  for (const m of members) {
    if (m.podCidr === undefined || isWithin(parseCidr(m.podCidr, 'podCidr'), native)) continue;
    out.push({ destination: m.podCidr, key: `${m.name}-pods` });
  }
  return out;
}

function planTransitGateway(members: readonly FleetNetworkMember[], nativeRoutingCidr: string): TransitGatewayPlan {
  const regions = [...new Set(members.map((m) => m.region))].sort();
  const gateways: TransitGatewaySpec[] = regions.map((region) => ({
    key: `tgw-${region}`,
    region,
    amazonSideAsn: transitGatewayAsn(region),
    sharedWith: [...new Set(members.filter((m) => m.region === region && m.accountId !== undefined).map((m) => m.accountId as string))].sort(),
  }));
  const asns = new Map<number, string>();
  for (const g of gateways) {
    const other = asns.get(g.amazonSideAsn);
    // Not seen for any region AWS lists (tested); kept as a guard for a new one.
    if (other !== undefined) throw new ValidationError('clusters', g.region, `regions whose gateway ASNs differ (${g.region} and ${other} both hash to ${g.amazonSideAsn})`);
    asns.set(g.amazonSideAsn, g.region);
  }
  const attachments: TgwVpcAttachmentSpec[] = [...members]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((m) => ({ key: `tgw-attachment-${m.name}`, cluster: m.name, region: m.region, ...(m.accountId !== undefined ? { accountId: m.accountId } : {}) }));
  const peerings: TgwPeeringSpec[] = [];
  for (let i = 0; i < regions.length; i++) {
    for (let j = i + 1; j < regions.length; j++) peerings.push({ key: `tgw-peering-${regions[i]}--${regions[j]}`, requesterRegion: regions[i], accepterRegion: regions[j] });
  }
  const peeringBetween = (x: string, y: string): string => `tgw-peering-${[x, y].sort().join('--')}`;
  const tgwRoutes: TgwRouteSpec[] = [];
  for (const region of regions) {
    for (const m of [...members].sort((a, b) => a.name.localeCompare(b.name))) {
      for (const r of rangesOf(m)) {
        tgwRoutes.push({
          key: `${m.name}${r.suffix === '' ? '' : '-pods'}`,
          region,
          destination: r.destination,
          target: m.region === region ? { kind: 'vpc', cluster: m.name } : { kind: 'peering', peering: peeringBetween(region, m.region) },
        });
      }
    }
  }
  const summary = summaryDestinations(members, nativeRoutingCidr);
  const routes: VpcRouteSpec[] = [];
  for (const m of members) {
    for (const s of summary) {
      // A per-range pod route never names the cluster's own range (that is `local`).
      if (s.key === `${m.name}-pods`) continue;
      routes.push({ key: `${m.name}-to-${s.key}-`, from: m.name, destination: s.destination, target: { kind: 'transitGateway', region: m.region } });
    }
  }
  return { connectivity: 'transitGateway', gateways, attachments, peerings, tgwRoutes, routes };
}

/** Routes in each private route table of `cluster`. */
export function routesPerTable(plan: FleetNetworkPlan, cluster: string): number {
  return plan.routes.filter((r) => r.from === cluster).length;
}

/** Routes in the gateway route table of `region` (Transit Gateway plans). */
export function tgwRoutesPerTable(plan: TransitGatewayPlan, region: string): number {
  return plan.tgwRoutes.filter((r) => r.region === region).length;
}

/**
 * Warnings for a plan past the connectivity's default quotas, which a raised quota allows: a
 * gateway with more routes than the 10,000 across its tables; a peered fleet past
 * {@link PEERING_RECOMMENDED_MAX_CLUSTERS}, where a Transit Gateway keeps routes at 2 or 3 per table.
 */
export function connectivityWarnings(plan: FleetNetworkPlan, clusters: number): string[] {
  if (plan.connectivity === 'vpcPeering') {
    return clusters > PEERING_RECOMMENDED_MAX_CLUSTERS
      ? [
          `a peered fleet of ${clusters} clusters needs ${(clusters * (clusters - 1)) / 2} VPC peering connections and ${clusters - 1} routes per route table and peer range: past ${PEERING_RECOMMENDED_MAX_CLUSTERS} clusters, connectivity: 'transitGateway' keeps every VPC route table at 2 or 3 routes (docs/fleet.md#connectivity)`,
        ]
      : [];
  }
  return plan.gateways
    .filter((g) => tgwRoutesPerTable(plan, g.region) > CONNECTIVITY_QUOTAS.routesPerTransitGateway)
    .map((g) => `the Transit Gateway of ${g.region} gets ${tgwRoutesPerTable(plan, g.region)} static routes, above the default quota of ${CONNECTIVITY_QUOTAS.routesPerTransitGateway}: raise it before deploying`);
}
