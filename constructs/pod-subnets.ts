import { Construct } from 'constructs';
import { DataAwsSubnet } from '@cdktf/provider-aws/lib/data-aws-subnet';
import { Ec2SubnetCidrReservation } from '@cdktf/provider-aws/lib/ec2-subnet-cidr-reservation';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { VpcIpv4CidrBlockAssociation } from '@cdktf/provider-aws/lib/vpc-ipv4-cidr-block-association';
import { formatCidr } from '../core/cidr';
import { PodSubnetLayout, PodSubnetLayoutSchema } from '../bpf/pod-subnets';
import { declare, list, optional, parse, strict, text } from '../core/schema';
import { ec2Id, tags } from '../core/rules';
import { clusterName } from './inputs';
import { ITerraformDependable } from './cdktf';
import { isToken } from '../core/schema';
import { stableId } from './moves';

/** Tag on every pod subnet: its cluster. Pod subnets carry no Karpenter discovery or load balancer role tag. */
export const POD_SUBNET_TAG_KEY = 'cilium-eks/pod-subnet';

/** Where the pod subnets of a new VPC go: the zone and private route table of each node subnet. */
export interface PodSubnetZone {
  /** The node subnet's Availability Zone ID (a Terraform reference). */
  readonly availabilityZoneId: string;
  /** The node subnet's route table: pods reach what the nodes reach. */
  readonly routeTableId: string;
}
/** The declaration of {@link PodSubnetZone}. */
export const PodSubnetZoneSchema = declare<PodSubnetZone>()(
  strict({ availabilityZoneId: text('an Availability Zone ID (or its reference)'), routeTableId: ec2Id('rtb', 'a route table ID') }, 'a pod subnet zone { availabilityZoneId, routeTableId }'),
);

/**
 * The props of {@link CiliumEksPodSubnets}: the cluster, its VPC and the checked pod subnet layout.
 * {@link CiliumEksCluster} fills them from its `podSubnets` props
 * (docs/configuration.md#pod-subnets-and-the-capacity-plan).
 */
export interface CiliumEksPodSubnetsProps {
  /**
   * The EKS cluster name: the pod subnets' `Name` tags (`<clusterName>-pods-<i>`), the value of their
   * `cilium-eks/pod-subnet` tag ({@link POD_SUBNET_TAG_KEY}), and the description of their CIDR reservations.
   */
  readonly clusterName: string;
  /**
   * The ID of the cluster's VPC (`vpc-...`): new pod subnets and the secondary CIDR association are created
   * in it; an existing pod subnet's `vpc_id` must equal it (a plan-time postcondition, when the ID is known
   * at synth).
   */
  readonly vpcId: string;
  /** The checked layout (`resolvePodSubnets`). */
  readonly layout: PodSubnetLayout;
  /** A new VPC: the zone and route table of each pod subnet, in the layout's order. @default - the layout's own placement (an existing VPC) */
  readonly zones?: readonly PodSubnetZone[];
  /** An existing VPC's node subnets: each must lie in a zone that has a pod subnet (checked at plan). @default - none checked */
  readonly nodeSubnetIds?: readonly string[];
  /**
   * Tags on the pod subnets it creates, beside `Name` and {@link POD_SUBNET_TAG_KEY}, which this construct
   * sets and which win on a clash. Existing subnets, CIDR reservations and the CIDR association get no tags.
   * @default - none
   */
  readonly tags?: Record<string, string>;
}
/** The declaration of {@link CiliumEksPodSubnetsProps}. */
export const CiliumEksPodSubnetsPropsSchema = declare<CiliumEksPodSubnetsProps>()(
  strict(
    {
      clusterName: clusterName(),
      vpcId: ec2Id('vpc', 'a VPC ID'),
      layout: PodSubnetLayoutSchema,
      zones: optional(list(PodSubnetZoneSchema)),
      nodeSubnetIds: optional(list(ec2Id('subnet', 'a subnet ID'))),
      tags: optional(tags()),
    },
    'CiliumEksPodSubnets props { clusterName, vpcId, layout, zones?, nodeSubnetIds?, tags? }',
  ),
);

/**
 * The pod subnets of a cluster (docs/configuration.md#pod-subnets-and-the-capacity-plan): a
 * secondary VPC CIDR split into one subnet per node zone, each associated with the route table of
 * the node subnets of its zone (so pods reach the NAT gateway, peered VPCs and any Transit Gateway
 * the nodes reach), or existing pod subnets, checked at plan against what the user declared; and
 * `prefix` CIDR reservations in each, so /28 blocks stay whole (EKS best-practices guide, prefix
 * mode). Cilium creates pod ENIs only here (`eni.nodeSpec.subnetIDs`); they inherit the node's
 * security groups, so every rule that admits nodes by security group admits their pods.
 */
export class CiliumEksPodSubnets extends Construct {
  /** The pod subnets' IDs, in zone order. */
  public readonly subnetIds: string[];
  /** The pod subnets' CIDRs, in zone order. */
  public readonly cidrs: string[];
  /** The secondary CIDR association, when a range was added to the VPC. */
  public readonly cidrAssociation?: VpcIpv4CidrBlockAssociation;
  /**
   * The `prefix` CIDR reservations (`aws_ec2_subnet_cidr_reservation`) of every pod subnet, subnet by subnet
   * in the layout's order: blocks AWS keeps for prefixes, so Cilium's /28 prefixes find whole blocks (EKS
   * best-practices guide, prefix mode). Keyed by position, so a changed block is replaced in place.
   */
  public readonly reservations: Ec2SubnetCidrReservation[] = [];
  /** Everything pods need before a node starts: subnets, route table associations, reservations. */
  public readonly dependables: ITerraformDependable[] = [];

  constructor(scope: Construct, id: string, props: CiliumEksPodSubnetsProps) {
    super(scope, id);
    parse(CiliumEksPodSubnetsPropsSchema, props);
    const layout = props.layout;
    const tags = (i: number): Record<string, string> => ({ ...props.tags, Name: `${props.clusterName}-pods-${i}`, [POD_SUBNET_TAG_KEY]: props.clusterName });
    if (layout.secondaryCidr) {
      this.cidrAssociation = new VpcIpv4CidrBlockAssociation(this, 'cidr', { vpcId: props.vpcId, cidrBlock: formatCidr(layout.secondaryCidr) });
    }
    const podZoneIds = layout.subnets.map((s) => s.availabilityZoneId).filter((z): z is string => z !== undefined);
    this.subnetIds = layout.subnets.map((spec, i) => {
      const cidr = formatCidr(spec.cidr);
      let subnetId: string;
      if (spec.subnetId !== undefined) {
        // An existing subnet: what the user declared must be what AWS has.
        const found = new DataAwsSubnet(this, stableId('existing', spec.key, i), { id: spec.subnetId });
        found.lifecycle = {
          postcondition: [
            {
              // A VPC ID known only at apply (a reference) is not compared.
              condition: `\${${isToken(props.vpcId) ? '' : `self.vpc_id == ${JSON.stringify(props.vpcId)} && `}self.cidr_block == ${JSON.stringify(cidr)} && self.availability_zone_id == ${JSON.stringify(spec.availabilityZoneId)}}`,
              errorMessage: `cilium-eks: podSubnets.subnets[${i}] (${spec.subnetId}) is declared as ${cidr} in ${spec.availabilityZoneId} of ${props.vpcId}, but AWS has \${self.cidr_block} in \${self.availability_zone_id} of \${self.vpc_id}. Declare what the subnet is: the capacity plan and the prefix reservations are computed from it.`,
            },
          ],
        };
        subnetId = spec.subnetId;
      } else {
        const zone = props.zones?.[i] ?? spec.placement;
        if (!zone) throw new Error(`pod subnet ${spec.key}: no zone to place it in`);
        const subnet = new Subnet(this, spec.key, {
          vpcId: props.vpcId,
          availabilityZoneId: zone.availabilityZoneId,
          cidrBlock: cidr,
          mapPublicIpOnLaunch: false,
          tags: tags(i),
          // The subnet's CIDR is in the secondary block: the association comes first.
          dependsOn: this.cidrAssociation ? [this.cidrAssociation] : [],
        });
        const rta = new RouteTableAssociation(this, `${spec.key}-rta`, { subnetId: subnet.id, routeTableId: zone.routeTableId });
        this.dependables.push(subnet, rta);
        subnetId = subnet.id;
      }
      // Keyed by position: a block whose CIDR changes is replaced in place, deleted before its
      // successor is created (AWS refuses a reservation that overlaps an existing one).
      spec.reservations.forEach((r, j) => {
        const reservation = new Ec2SubnetCidrReservation(this, `${spec.key}-reserve-${j}`, {
          subnetId,
          cidrBlock: formatCidr(r),
          reservationType: 'prefix',
          description: `Cilium /28 prefixes for pods of ${props.clusterName}`,
        });
        this.reservations.push(reservation);
        this.dependables.push(reservation);
      });
      return subnetId;
    });
    this.cidrs = layout.subnets.map((s) => formatCidr(s.cidr));
    // An existing VPC: every node zone needs a pod subnet, or the operator finds none for its nodes.
    (props.nodeSubnetIds ?? []).forEach((nodeSubnetId, i) => {
      const node = new DataAwsSubnet(this, stableId('node-subnet', nodeSubnetId, i), { id: nodeSubnetId });
      node.lifecycle = {
        postcondition: [
          {
            condition: `\${contains(${JSON.stringify(podZoneIds)}, self.availability_zone_id)}`,
            errorMessage: `cilium-eks: the node subnet ${nodeSubnetId} (existingNetwork.privateSubnetIds[${i}]) is in \${self.availability_zone_id}, which has no pod subnet (podSubnets: ${podZoneIds.join(', ')}); Cilium would find no subnet for the pods of its nodes. Add a pod subnet in that zone.`,
          },
        ],
      };
    });
  }
}
