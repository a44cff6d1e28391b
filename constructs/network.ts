import { Construct } from 'constructs';
import { DataAwsAvailabilityZones } from '@cdktf/provider-aws/lib/data-aws-availability-zones';
import { Eip } from '@cdktf/provider-aws/lib/eip';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway';
import { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway';
import { Route } from '@cdktf/provider-aws/lib/route';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { ValidationError } from '../core/errors';
import { Fn, ITerraformDependable, Token } from './cdktf';
import { cidrSubnet, formatCidr, parseCidr } from '../core/cidr';
import { KARPENTER_DISCOVERY_TAG_KEY } from './karpenter/node-resources';
import { bool, declare, list, optional, parse, pattern, strict } from '../core/schema';
import { cidr, ec2Id, region, tags } from '../core/rules';
import { clusterName } from './inputs';
import { assertZoneIdOfRegion, EKS_UNSUPPORTED_ZONE_IDS, EKS_ZONE_COUNT_LIMITS } from '../core/zones';

/** What the cluster needs of a network: a greenfield {@link CiliumEksNetwork} or an existing VPC. */
export interface INetwork {
  /** The VPC ID. */
  readonly vpcId: string;
  /**
   * The VPC's primary IPv4 CIDR, when known at synth; used to reject an overlapping service CIDR.
   * @default - unknown: the overlap is not checked at synth
   */
  readonly vpcCidr?: string;
  /** Private subnets: nodes and pod ENIs live here (at least two, in different zones). */
  readonly privateSubnetIds: string[];
  /** Public subnets, for internet-facing load balancers. @default - none */
  readonly publicSubnetIds?: string[];
}
export const INetworkSchema = declare<INetwork>()(
  strict(
    {
      vpcId: ec2Id('vpc', 'a VPC ID'),
      vpcCidr: optional(cidr(16, 28, 'a VPC CIDR')),
      privateSubnetIds: list(ec2Id('subnet', 'a subnet ID'), { min: 2, unique: true, duplicate: 'a subnet not listed before', allowed: 'a list of at least 2 subnet IDs', reason: 'EKS needs subnets in at least two zones' }),
      publicSubnetIds: optional(list(ec2Id('subnet', 'a subnet ID'), { unique: true, duplicate: 'a subnet not listed before' })),
    },
    'an existing network { vpcId, privateSubnetIds, ... }',
  ),
);

/** Default VPC CIDR of a greenfield network. */
export const DEFAULT_VPC_CIDR = '10.0.0.0/16';
/** Availability zones of a greenfield network when none are named (fewer where the region has fewer: `EKS_ZONE_COUNT_LIMITS`). */
export const DEFAULT_AZ_COUNT = 3;

/** Every zone ID EKS refuses, in any region: excluding another region's IDs changes nothing. */
const ALL_UNSUPPORTED_ZONE_IDS = Object.values(EKS_UNSUPPORTED_ZONE_IDS).flat().sort();

/**
 * The props of {@link CiliumEksNetwork}: the cluster it serves, the VPC's CIDR, its zones and its NAT
 * gateways. {@link CiliumEksCluster} passes its `network` props, its `clusterName`, `region` and `tags`.
 */
export interface CiliumEksNetworkProps {
  /** Cluster name: used in names and in the `karpenter.sh/discovery` tag. */
  readonly clusterName: string;
  /**
   * VPC CIDR, /16 to /22. The private subnets get the first three quarters (one per zone), the
   * public subnets eighths of the last quarter. With ENI IPAM every pod takes a VPC address, so the
   * private subnets are the large ones.
   * @default '10.0.0.0/16'
   */
  readonly vpcCidr?: string;
  /** The region, to check zone IDs and size the default selection. @default - not checked */
  readonly region?: string;
  /**
   * Availability Zone IDs, two or three, of the stack's region (`euw1-az1`): the same physical zones
   * in every account. Not one EKS refuses (`EKS_UNSUPPORTED_ZONE_IDS`). The zones of an existing network cannot
   * change: a different list fails at plan.
   * @default - chosen once, at the first apply: the first available zones of the region by name
   *   (three, two in us-west-1), skipping Local Zones and the zone IDs EKS refuses; kept afterwards
   */
  readonly availabilityZoneIds?: string[];
  /**
   * Availability zone names, two or three (`eu-west-1a`). Names map to different zones in each
   * account: prefer `availabilityZoneIds`. A zone EKS refuses fails at plan.
   * @default - see availabilityZoneIds
   */
  readonly availabilityZones?: string[];
  /** One NAT gateway for all zones instead of one per zone (cheaper, not zone-resilient). @default false */
  readonly singleNatGateway?: boolean;
  /** Extra tags on every network resource. @default - none */
  readonly tags?: Record<string, string>;
}
/** The greenfield network's options, shared with the cluster's `network` props. */
export const networkOptionsEntries = {
  vpcCidr: optional(cidr(16, 22, 'a VPC CIDR')),
  availabilityZoneIds: optional(list(pattern(/^[a-z]{2,}\d?-[a-z]+\d?-az\d+$|^[a-z0-9]+-az\d+$/, 'an availability zone ID such as euw1-az1'), { min: 2, max: 3, unique: true, duplicate: 'a zone not listed before', allowed: 'two or three availability zones, by zone ID', reason: 'EKS requires subnets in at least two zones' })),
  availabilityZones: optional(list(pattern(/^[a-z]{2}(-[a-z]+)+-\d+[a-z]$|^[a-z]{2}(-[a-z]+)+-\d+-[a-z]+-\d+[a-z]$/, 'an availability zone name such as eu-west-1a'), { min: 2, max: 3, unique: true, duplicate: 'a zone not listed before', allowed: 'two or three availability zones', reason: 'EKS requires subnets in at least two zones' })),
  singleNatGateway: optional(bool()),
} as const;
/** The declaration of {@link CiliumEksNetworkProps}. */
export const CiliumEksNetworkPropsSchema = declare<CiliumEksNetworkProps>()(
  strict({ ...networkOptionsEntries, clusterName: clusterName(), region: optional(region()), tags: optional(tags()) }, 'CiliumEksNetwork props { clusterName, vpcCidr?, region?, availabilityZoneIds?, ... }'),
);

/**
 * A VPC over two or three availability zones with public and private subnets and NAT, tagged for
 * load balancers (`kubernetes.io/role/elb`, `kubernetes.io/role/internal-elb`) and for Karpenter
 * discovery (`karpenter.sh/discovery` on the private subnets).
 */
export class CiliumEksNetwork extends Construct implements INetwork {
  /**
   * The VPC (`aws_vpc`, DNS support and hostnames on, tagged `Name` = the cluster name);
   * {@link CiliumEksNetwork.vpcId} is its `id`.
   */
  public readonly vpc: Vpc;
  public readonly vpcId: string;
  public readonly vpcCidr: string;
  /**
   * The private subnets, one per zone in zone order, each a quarter of the VPC CIDR, routed to the internet
   * through a NAT gateway: the nodes, the control plane's ENIs and (without pod subnets) the pods' ENIs live
   * here. Tagged `kubernetes.io/role/internal-elb` and `karpenter.sh/discovery` = the cluster name.
   */
  public readonly privateSubnets: Subnet[] = [];
  /**
   * The public subnets, one per zone in zone order, each an eighth of the VPC CIDR's last quarter, routed
   * through the internet gateway; they hold the NAT gateways and internet-facing load balancers (tag
   * `kubernetes.io/role/elb`). Instances launched there get no public address.
   */
  public readonly publicSubnets: Subnet[] = [];
  public readonly privateSubnetIds: string[];
  public readonly publicSubnetIds: string[];
  /** IDs of the private route tables, one per zone (routes to peered VPCs go here). */
  public readonly privateRouteTableIds: string[] = [];
  /** The private default routes: nodes need them (through NAT) to pull images. */
  public readonly dependables: ITerraformDependable[] = [];

  constructor(scope: Construct, id: string, props: CiliumEksNetworkProps) {
    super(scope, id);
    parse(CiliumEksNetworkPropsSchema, props);
    const vpcCidr = props.vpcCidr ?? DEFAULT_VPC_CIDR;
    const base = parseCidr(vpcCidr, 'vpcCidr');
    const zones = this.resolveZones(props);
    const azCount = zones.count;
    const zone = zones.zone;

    const name = props.clusterName;
    const tags = (extra: Record<string, string>): Record<string, string> => ({ ...props.tags, ...extra });

    this.vpcCidr = vpcCidr;
    this.vpc = new Vpc(this, 'vpc', {
      cidrBlock: vpcCidr,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      tags: tags({ Name: name }),
    });
    this.vpcId = this.vpc.id;

    const igw = new InternetGateway(this, 'igw', { vpcId: this.vpc.id, tags: tags({ Name: name }) });
    const publicRt = new RouteTable(this, 'public-rt', { vpcId: this.vpc.id, tags: tags({ Name: `${name}-public` }) });
    new Route(this, 'public-default', { routeTableId: publicRt.id, destinationCidrBlock: '0.0.0.0/0', gatewayId: igw.id });

    const publicQuarter = cidrSubnet(base, 2, 3);
    const nats: NatGateway[] = [];
    for (let i = 0; i < azCount; i++) {
      const pub = new Subnet(this, `public-${i}`, {
        vpcId: this.vpc.id,
        ...zone(i),
        cidrBlock: formatCidr(cidrSubnet(publicQuarter, 3, i)),
        mapPublicIpOnLaunch: false,
        tags: tags({ Name: `${name}-public-${i}`, 'kubernetes.io/role/elb': '1' }),
      });
      new RouteTableAssociation(this, `public-${i}-rta`, { subnetId: pub.id, routeTableId: publicRt.id });
      this.publicSubnets.push(pub);
      if (i === 0 || !props.singleNatGateway) {
        const eip = new Eip(this, `nat-${i}-eip`, { domain: 'vpc', tags: tags({ Name: `${name}-nat-${i}` }) });
        nats.push(
          new NatGateway(this, `nat-${i}`, {
            allocationId: eip.id,
            subnetId: pub.id,
            tags: tags({ Name: `${name}-nat-${i}` }),
            dependsOn: [igw],
          }),
        );
      }
    }

    for (let i = 0; i < azCount; i++) {
      const priv = new Subnet(this, `private-${i}`, {
        vpcId: this.vpc.id,
        ...zone(i),
        cidrBlock: formatCidr(cidrSubnet(base, 2, i)),
        tags: tags({
          Name: `${name}-private-${i}`,
          'kubernetes.io/role/internal-elb': '1',
          [KARPENTER_DISCOVERY_TAG_KEY]: name,
        }),
      });
      const rt = new RouteTable(this, `private-${i}-rt`, { vpcId: this.vpc.id, tags: tags({ Name: `${name}-private-${i}` }) });
      const route = new Route(this, `private-${i}-default`, {
        routeTableId: rt.id,
        destinationCidrBlock: '0.0.0.0/0',
        natGatewayId: nats[props.singleNatGateway ? 0 : i].id,
      });
      const rta = new RouteTableAssociation(this, `private-${i}-rta`, { subnetId: priv.id, routeTableId: rt.id });
      this.dependables.push(route, rta);
      this.privateRouteTableIds.push(rt.id);
      this.privateSubnets.push(priv);
    }
    this.privateSubnetIds = this.privateSubnets.map((s) => s.id);
    this.publicSubnetIds = this.publicSubnets.map((s) => s.id);
  }

  /**
   * How many zones and where each subnet goes: pinned zone IDs, pinned names, or the region's
   * zones as the `aws_availability_zones` data source lists them (sorted by name; `zone_ids` in the
   * same order) without Local Zones and without the IDs EKS refuses. The selection is read at
   * every plan, but a subnet keeps the zone it was created in (`ignore_changes`), so a zone the
   * region gains, or one that becomes unavailable, never moves a subnet; pinned IDs that differ
   * from an existing subnet's zone fail at plan instead (a postcondition).
   */
  private resolveZones(props: CiliumEksNetworkProps): { count: number; zone: (i: number) => ZonePlacement } {
    const ids = props.availabilityZoneIds;
    const names = props.availabilityZones;
    if (ids !== undefined && names !== undefined) {
      throw new ValidationError('availabilityZoneIds', ids, 'either availabilityZoneIds or availabilityZones, not both', 'both name where the subnets go');
    }
    const pinned = ids ?? names;
    const property = ids !== undefined ? 'availabilityZoneIds' : 'availabilityZones';
    if (pinned !== undefined) {
      if (!Array.isArray(pinned) || pinned.length < 2 || pinned.length > 3) {
        throw new ValidationError(property, pinned, 'two or three availability zones', 'EKS requires subnets in at least two zones');
      }
      pinned.forEach((z, i) => {
        if (pinned.indexOf(z) !== i) throw new ValidationError(`${property}[${i}]`, z, `a zone not listed before (it is ${property}[${pinned.indexOf(z)}] too)`);
        if (ids !== undefined && props.region !== undefined && !Token.isUnresolved(props.region)) assertZoneIdOfRegion(z, props.region, `${property}[${i}]`);
      });
    }
    if (ids !== undefined) {
      return {
        count: ids.length,
        zone: (i) => ({
          availabilityZoneId: ids[i],
          lifecycle: {
            ignoreChanges: ['availability_zone', 'availability_zone_id'],
            postcondition: [
              {
                condition: `\${self.availability_zone_id == ${JSON.stringify(ids[i])}}`,
                errorMessage: `cilium-eks: network.availabilityZoneIds[${i}] is ${ids[i]}, but this subnet exists in \${self.availability_zone_id}; the zones of an existing network cannot change (a subnet cannot move, and a new one would replace the cluster). Set availabilityZoneIds[${i}] back to \${self.availability_zone_id}.`,
              },
            ],
          },
        }),
      };
    }
    if (names !== undefined) {
      // Names are account-specific: the zone IDs behind them are read, and one EKS refuses fails the plan.
      const named = new DataAwsAvailabilityZones(this, 'named-azs', { filter: [{ name: 'zone-name', values: [...names] }] });
      named.lifecycle = {
        postcondition: [
          {
            condition: `\${length(setintersection(self.zone_ids, ${JSON.stringify(ALL_UNSUPPORTED_ZONE_IDS)})) == 0}`,
            errorMessage: `cilium-eks: network.availabilityZones ${JSON.stringify(names)} are the zone IDs \${join(", ", self.zone_ids)} in this account; EKS cannot place a control plane in ${ALL_UNSUPPORTED_ZONE_IDS.join(', ')} (UnsupportedAvailabilityZoneException). Name other zones, or use availabilityZoneIds.`,
          },
        ],
      };
      return { count: names.length, zone: (i) => ({ availabilityZone: names[i] }) };
    }
    const region = props.region !== undefined && !Token.isUnresolved(props.region) ? props.region : undefined;
    const count = Math.min(DEFAULT_AZ_COUNT, (region && EKS_ZONE_COUNT_LIMITS[region]) || DEFAULT_AZ_COUNT);
    const available = new DataAwsAvailabilityZones(this, 'azs', {
      state: 'available',
      filter: [{ name: 'opt-in-status', values: ['opt-in-not-required'] }],
      excludeZoneIds: [...ALL_UNSUPPORTED_ZONE_IDS],
    });
    available.lifecycle = {
      postcondition: [
        {
          condition: `\${length(self.zone_ids) >= ${count}}`,
          errorMessage: `cilium-eks: the region offers \${length(self.zone_ids)} zone(s) EKS can use (\${join(", ", self.zone_ids)}); the network needs ${count}. Name two with network.availabilityZoneIds.`,
        },
      ],
    };
    return {
      count,
      zone: (i) => ({
        availabilityZoneId: Token.asString(Fn.element(available.zoneIds, i)),
        // Chosen at the first apply, kept afterwards: a new zone in the region moves nothing.
        lifecycle: { ignoreChanges: ['availability_zone', 'availability_zone_id'] },
      }),
    };
  }
}

/** Where one subnet goes: by zone ID, by name, and how it keeps its zone. */
interface ZonePlacement {
  readonly availabilityZoneId?: string;
  readonly availabilityZone?: string;
  readonly lifecycle?: { ignoreChanges?: string[]; postcondition?: Array<{ condition: string; errorMessage: string }> };
}
