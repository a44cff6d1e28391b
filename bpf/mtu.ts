/**
 * The MTU a fleet's pods can use: the smallest MTU of any path a pod's packets take between the
 * clusters of the fleet, less WireGuard's overhead when WireGuard is on. Pure code.
 *
 * Sources:
 * - AWS EC2 User Guide, "Network maximum transmission unit (MTU) for your EC2 instance"
 *   (AWSEC2/latest/UserGuide/network_mtu): jumbo frames (9001) inside a VPC and over intra-Region
 *   VPC peering; "MTU limit 8500 bytes: traffic over an inter-Region VPC peering connection";
 *   1500 for traffic between Regions other than over a transit gateway or peering, internet
 *   gateways and VPN. (Older revisions of that page gave 1500 for inter-Region peering; the current
 *   one, read in December 2026, gives 8500.) Packets over the limit are dropped when the IP header
 *   carries Don't Fragment, which TCP sets (path MTU discovery).
 * - AWS Transit Gateway guide, "What is AWS Transit Gateway": "A transit gateway supports an MTU
 *   of 8500 bytes for traffic between VPCs, AWS Direct Connect, Transit Gateway Connect, and
 *   peering attachments (intra-Region, inter-Region, ...)".
 * - Cilium Helm value `MTU` (values.yaml of 1.19.6 and 1.20.0: "Configure the underlying network
 *   MTU to overwrite auto-detected MTU"; 0 = auto-detect, the ENI's 9001 on EKS). Cilium
 *   `pkg/mtu`: `WireguardOverhead = 80`; with WireGuard on, the route MTU of pods and the
 *   `cilium_wg0` link MTU are the device MTU less 80 (`mtu_test.go`: `GetRouteMTU() ==
 *   GetDeviceMTU() - WireguardOverhead`; the WireGuard agent sets `DeviceMTU - WireguardOverhead`
 *   on its link). So the value to give Cilium is the path MTU itself: the agent takes WireGuard's
 *   share off for the pods, and an encrypted packet is at most the path MTU.
 */

import { FLEET_CONNECTIVITY, type FleetConnectivity } from './fleet-network';
import { bool, declare, list, oneOf, optional, parse, strict } from '../core/schema';
import { region } from '../core/rules';

/** Jumbo frames: inside a VPC and over VPC peering within a Region (EC2 network_mtu page). */
export const JUMBO_MTU = 9001;
/** Inter-Region VPC peering (EC2 network_mtu page, "MTU limit 8500 bytes"). */
export const INTER_REGION_PEERING_MTU = 8500;
/** Transit Gateway, its VPC attachments and its peering attachments, in one Region or across (Transit Gateway guide). */
export const TRANSIT_GATEWAY_MTU = 8500;
/** What WireGuard adds to each packet, as Cilium counts it (`pkg/mtu`: `WireguardOverhead`). */
export const WIREGUARD_OVERHEAD = 80;

/** The shape of a fleet, as far as packet sizes go. */
export interface FleetPathShape {
  /** The regions of the fleet's clusters (duplicates allowed). */
  readonly regions: readonly string[];
  /** How the VPCs reach each other. @default 'vpcPeering' */
  readonly connectivity?: FleetConnectivity;
  /** Cilium's WireGuard encryption (the fleet's one setting). */
  readonly wireguard: boolean;
}

/** The declaration of {@link FleetPathShape}. */
export const FleetPathShapeSchema = declare<FleetPathShape>()(
  strict(
    { regions: list(region()), connectivity: optional(oneOf(FLEET_CONNECTIVITY, "'vpcPeering' or 'transitGateway'")), wireguard: bool() },
    'a fleet path shape { regions, connectivity?, wireguard }',
  ),
);

/** The MTUs of a fleet's paths and what Cilium is given. */
export interface FleetMtu {
  /** The smallest MTU of any path between two nodes of the fleet. */
  readonly pathMtu: number;
  /** The MTU pods use: the path MTU less WireGuard's 80 bytes when WireGuard is on. */
  readonly podMtu: number;
  /**
   * The Helm value `MTU`: undefined where the path is jumbo everywhere (Cilium's own detection of
   * the ENI's 9001 stands), the path MTU otherwise (Cilium takes WireGuard's share off itself).
   * @default - absent where the path is jumbo everywhere
   */
  readonly ciliumMtu?: number;
  /** Why, for docs and messages. */
  readonly reason: string;
}

/**
 * The MTU a fleet needs: jumbo frames for a fleet in one region over VPC peering; 8500 as soon
 * as a path crosses regions over peering, or any path goes through a Transit Gateway.
 */
export function fleetMtu(shape: FleetPathShape): FleetMtu {
  parse(FleetPathShapeSchema, shape, 'fleetMtu(shape)');
  const regions = new Set(shape.regions);
  const connectivity = shape.connectivity ?? 'vpcPeering';
  const [pathMtu, reason] =
    connectivity === 'transitGateway'
      ? [TRANSIT_GATEWAY_MTU, 'Transit Gateway carries at most 8500 bytes (Transit Gateway guide)']
      : regions.size > 1
        ? [INTER_REGION_PEERING_MTU, 'inter-Region VPC peering carries at most 8500 bytes (EC2 network_mtu page)']
        : [JUMBO_MTU, 'one Region over VPC peering: jumbo frames on every path (EC2 network_mtu page)'];
  const podMtu = pathMtu - (shape.wireguard ? WIREGUARD_OVERHEAD : 0);
  return { pathMtu, podMtu, ...(pathMtu < JUMBO_MTU ? { ciliumMtu: pathMtu } : {}), reason };
}
