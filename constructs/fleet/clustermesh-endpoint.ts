import { Construct } from 'constructs';
import { AutoscalingAttachment } from '@cdktf/provider-aws/lib/autoscaling-attachment';
import { EksNodeGroup } from '@cdktf/provider-aws/lib/eks-node-group';
import { Lb } from '@cdktf/provider-aws/lib/lb';
import { LbListener } from '@cdktf/provider-aws/lib/lb-listener';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { CLUSTERMESH_APISERVER_NODE_PORT, CLUSTERMESH_APISERVER_PORT } from '../../bpf/clustermesh';
import { Token } from '../cdktf';
import { declare, list, optional, parse, strict, text } from '../../core/schema';
import { cidr, ec2Id, tags } from '../../core/rules';
import { clusterName, construct } from '../inputs';

export interface ClusterMeshEndpointProps {
  readonly clusterName: string;
  readonly vpcId: string;
  readonly vpcCidr: string;
  /** Private subnets of the cluster: the load balancer's. */
  readonly subnetIds: string[];
  /** The system node group: the clustermesh-apiserver runs there and its instances are the targets. */
  readonly nodeGroup: EksNodeGroup;
  /** The node security group, opened to the load balancer's health checks. */
  readonly nodeSecurityGroupId: string;
  /** Private hosted zone of the fleet and this cluster's name in it. */
  readonly zoneId: string;
  readonly dnsName: string;
  /** @default - none */
  readonly tags?: Record<string, string>;
}
/** The declaration of {@link ClusterMeshEndpointProps}. */
export const ClusterMeshEndpointPropsSchema = declare<ClusterMeshEndpointProps>()(
  strict(
    {
      clusterName: clusterName(),
      vpcId: ec2Id('vpc', 'a VPC ID'),
      vpcCidr: cidr(),
      subnetIds: list(ec2Id('subnet', 'a subnet ID'), { min: 1 }),
      nodeGroup: construct<EksNodeGroup>('the system node group (an EksNodeGroup)'),
      nodeSecurityGroupId: ec2Id('sg', 'a security group ID'),
      zoneId: text('a Route 53 hosted zone ID'),
      dnsName: text('a DNS name'),
      tags: optional(tags()),
    },
    'ClusterMeshEndpoint props { clusterName, vpcId, vpcCidr, subnetIds, nodeGroup, nodeSecurityGroupId, zoneId, dnsName, tags? }',
  ),
);

/**
 * The address peers dial, created by Terraform so that it exists before any Cilium release and
 * never depends on one: a stable private DNS name (`<cluster>.<domain>`, in the fleet's private
 * hosted zone) pointing at an internal Network Load Balancer that forwards TCP 2379 to the
 * clustermesh-apiserver's NodePort (32379, the chart default) on the system nodes.
 *
 * Why not a Service of type LoadBalancer: its address exists only once the chart is installed and
 * a controller made it, and Terraform never sees it. Targets are the system node group's Auto
 * Scaling group (instance targets, client IP not preserved); with kube-proxy replacement every node
 * answers on the NodePort and forwards to a ready apiserver pod (`externalTrafficPolicy: Cluster`).
 */
export class ClusterMeshEndpoint extends Construct {
  public readonly loadBalancer: Lb;
  public readonly targetGroup: LbTargetGroup;
  public readonly record: Route53Record;

  constructor(scope: Construct, id: string, props: ClusterMeshEndpointProps) {
    super(scope, id);
    parse(ClusterMeshEndpointPropsSchema, props);
    const tags = { ...props.tags, 'cilium-eks/cluster': props.clusterName };
    // Names are prefixes (Terraform adds a unique suffix): LB and target group names are at most 32
    // characters and unique per region, which a cluster name of up to 32 characters cannot promise.
    this.loadBalancer = new Lb(this, 'nlb', {
      namePrefix: 'cm-',
      internal: true,
      loadBalancerType: 'network',
      subnets: props.subnetIds,
      enableCrossZoneLoadBalancing: true,
      tags: { ...tags, Name: `${props.clusterName}-clustermesh` },
    });
    this.targetGroup = new LbTargetGroup(this, 'target-group', {
      namePrefix: 'cm-',
      port: CLUSTERMESH_APISERVER_NODE_PORT,
      protocol: 'TCP',
      targetType: 'instance',
      // The node sees the load balancer's address in this VPC, not the peer's: the one
      // own-VPC rule below admits every client, and no reply has to find its way back to a peer
      // VPC around the load balancer.
      preserveClientIp: 'false',
      vpcId: props.vpcId,
      healthCheck: { protocol: 'TCP', port: 'traffic-port' },
      tags,
      lifecycle: { createBeforeDestroy: true },
    });
    new LbListener(this, 'listener', {
      loadBalancerArn: this.loadBalancer.arn,
      port: CLUSTERMESH_APISERVER_PORT,
      protocol: 'TCP',
      defaultAction: [{ type: 'forward', targetGroupArn: this.targetGroup.arn }],
      tags,
    });
    new AutoscalingAttachment(this, 'targets', {
      autoscalingGroupName: Token.asString(props.nodeGroup.resources.get(0).autoscalingGroups.get(0).name),
      lbTargetGroupArn: this.targetGroup.arn,
    });
    // Health checks and (client IP not preserved) every client arrive from the load balancer's
    // addresses in this VPC.
    new VpcSecurityGroupIngressRule(this, 'health-check', {
      securityGroupId: props.nodeSecurityGroupId,
      cidrIpv4: props.vpcCidr,
      ipProtocol: 'tcp',
      fromPort: CLUSTERMESH_APISERVER_NODE_PORT,
      toPort: CLUSTERMESH_APISERVER_NODE_PORT,
      description: 'clustermesh-apiserver NodePort: load balancer health checks and clients in this VPC',
      tags,
    });
    // A CNAME, not an alias: the name resolves the same from every region's VPCs.
    this.record = new Route53Record(this, 'dns', {
      zoneId: props.zoneId,
      name: props.dnsName,
      type: 'CNAME',
      ttl: 60,
      records: [this.loadBalancer.dnsName],
    });
  }
}
