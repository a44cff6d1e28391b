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
import { declare, list, optional, strict } from '../core/schema';
import { cidr, ec2Id } from '../core/rules';

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
/** Availability zones of a greenfield network when none are named. */
export const DEFAULT_AZ_COUNT = 3;

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
  /**
   * Availability zones, two or three, in the stack's region.
   * @default - the first three available zones of the region (a data source)
   */
  readonly availabilityZones?: string[];
  /** One NAT gateway for all zones instead of one per zone (cheaper, not zone-resilient). @default false */
  readonly singleNatGateway?: boolean;
  /** Extra tags on every network resource. @default - none */
  readonly tags?: Record<string, string>;
}

/**
 * A VPC over two or three availability zones with public and private subnets and NAT, tagged for
 * load balancers (`kubernetes.io/role/elb`, `kubernetes.io/role/internal-elb`) and for Karpenter
 * discovery (`karpenter.sh/discovery` on the private subnets).
 */
export class CiliumEksNetwork extends Construct implements INetwork {
  public readonly vpc: Vpc;
  public readonly vpcId: string;
  public readonly vpcCidr: string;
  public readonly privateSubnets: Subnet[] = [];
  public readonly publicSubnets: Subnet[] = [];
  public readonly privateSubnetIds: string[];
  public readonly publicSubnetIds: string[];
  /** IDs of the private route tables, one per zone (routes to peered VPCs go here). */
  public readonly privateRouteTableIds: string[] = [];
  /** The private default routes: nodes need them (through NAT) to pull images. */
  public readonly dependables: ITerraformDependable[] = [];

  constructor(scope: Construct, id: string, props: CiliumEksNetworkProps) {
    super(scope, id);
    const vpcCidr = props.vpcCidr ?? DEFAULT_VPC_CIDR;
    const base = parseCidr(vpcCidr, 'vpcCidr');
    if (base.prefix < 16 || base.prefix > 22) {
      throw new ValidationError('vpcCidr', vpcCidr, 'a prefix length from /16 to /22', 'AWS VPCs are at most /16; below /22 the private subnets are too small for ENI IPAM');
    }
    const azs = props.availabilityZones;
    if (azs !== undefined) {
      if (azs.length < 2 || azs.length > 3) {
        throw new ValidationError('availabilityZones', azs, 'two or three availability zones', 'EKS requires subnets in at least two zones');
      }
      azs.forEach((z, i) => {
        if (azs.indexOf(z) !== i) throw new ValidationError(`availabilityZones[${i}]`, z, `a zone not listed before (it is availabilityZones[${azs.indexOf(z)}] too)`);
      });
    }
    const azCount = azs?.length ?? DEFAULT_AZ_COUNT;
    const zoneNames = azs
      ? azs
      : new DataAwsAvailabilityZones(this, 'azs', {
          state: 'available',
          filter: [{ name: 'opt-in-status', values: ['opt-in-not-required'] }],
        }).names;
    const zone = (i: number): string => (azs ? azs[i] : Token.asString(Fn.element(zoneNames, i)));

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
        availabilityZone: zone(i),
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
        availabilityZone: zone(i),
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
}
