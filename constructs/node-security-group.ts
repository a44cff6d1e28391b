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

export interface CiliumNodeSecurityGroupProps {
  readonly clusterName: string;
  readonly vpcId: string;
  /** @default - none */
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
  public readonly securityGroup: SecurityGroup;
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
