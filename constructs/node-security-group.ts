import { Construct } from 'constructs';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { clusterNames } from '../core/names';
import { KARPENTER_DISCOVERY_TAG_KEY } from './karpenter/node-resources';
import { declare, optional, parse, strict } from '../core/schema';
import { ec2Id, tags } from '../core/rules';
import { clusterName } from './inputs';

/** Ports every Cilium node must reach on every other (Cilium docs, "Firewall requirements"). */
export const CILIUM_NODE_PORTS = [
  { id: 'wireguard', protocol: 'udp', port: 51871, description: 'Cilium WireGuard tunnel between nodes' },
  { id: 'health', protocol: 'tcp', port: 4240, description: 'Cilium health checks between nodes' },
  { id: 'hubble-peer', protocol: 'tcp', port: 4244, description: 'Hubble server, for Hubble Relay peers' },
] as const;

/**
 * The props of {@link CiliumNodeSecurityGroup}: the cluster it serves and the VPC the security group is
 * created in.
 */
export interface CiliumNodeSecurityGroupProps {
  /**
   * The EKS cluster name: the start of the security group's name prefix (first 40 characters, then `-node-`),
   * its `Name` tag (`<clusterName>-node`) and the value of its `karpenter.sh/discovery` tag, by which
   * Karpenter's EC2NodeClass selects it.
   */
  readonly clusterName: string;
  /** The ID of the VPC (`vpc-...`) the security group is created in: the cluster's VPC. */
  readonly vpcId: string;
  /**
   * Tags on the security group and its rules, beside the `Name` and `karpenter.sh/discovery` tags this
   * construct sets (which win on a clash).
   * @default - none
   */
  readonly tags?: Record<string, string>;
}
/** The declaration of {@link CiliumNodeSecurityGroupProps}. */
export const CiliumNodeSecurityGroupPropsSchema = declare<CiliumNodeSecurityGroupProps>()(
  strict({ clusterName: clusterName(), vpcId: ec2Id('vpc', 'a VPC ID'), tags: optional(tags()) }, 'CiliumNodeSecurityGroup props { clusterName, vpcId, tags? }'),
);

/**
 * The security group of every Cilium node (system node group and Karpenter), tagged for Karpenter
 * discovery, with node-to-node rules for WireGuard, health and Hubble peers. Nodes also carry the
 * EKS cluster security group, which lets the control plane reach them.
 */
export class CiliumNodeSecurityGroup extends Construct {
  /**
   * The security group (`aws_security_group`, created before the old one is destroyed on replacement); attach
   * its `id` to every Cilium node.
   */
  public readonly securityGroup: SecurityGroup;
  /**
   * The ingress rules, one per entry of {@link CILIUM_NODE_PORTS} in its order, each admitting the port from
   * the security group itself; nodes depend on them so the ports are open before Cilium starts. The
   * all-traffic egress rule is not in this list.
   */
  public readonly rules: VpcSecurityGroupIngressRule[];

  constructor(scope: Construct, id: string, props: CiliumNodeSecurityGroupProps) {
    super(scope, id);
    parse(CiliumNodeSecurityGroupPropsSchema, props);
    this.securityGroup = new SecurityGroup(this, 'sg', {
      namePrefix: clusterNames.nodeSecurityGroupPrefix(props.clusterName),
      description: `Cilium nodes of ${props.clusterName}`,
      vpcId: props.vpcId,
      tags: { ...props.tags, Name: `${props.clusterName}-node`, [KARPENTER_DISCOVERY_TAG_KEY]: props.clusterName },
      lifecycle: { createBeforeDestroy: true },
    });
    this.rules = CILIUM_NODE_PORTS.map(
      (p) =>
        new VpcSecurityGroupIngressRule(this, p.id, {
          securityGroupId: this.securityGroup.id,
          referencedSecurityGroupId: this.securityGroup.id,
          ipProtocol: p.protocol,
          fromPort: p.port,
          toPort: p.port,
          description: p.description,
          tags: props.tags,
        }),
    );
    new VpcSecurityGroupEgressRule(this, 'egress', {
      securityGroupId: this.securityGroup.id,
      ipProtocol: '-1',
      cidrIpv4: '0.0.0.0/0',
      description: 'Nodes reach AWS APIs, registries and the internet through NAT',
      tags: props.tags,
    });
  }
}
