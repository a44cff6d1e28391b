import { Construct } from 'constructs';
import { Lb } from '@cdktf/provider-aws/lib/lb';
import { LbListener } from '@cdktf/provider-aws/lib/lb-listener';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { CLUSTERMESH_APISERVER_PORT } from '../../bpf/clustermesh';
import { TerraformResource } from '../cdktf';
import type { CiliumEksCluster } from '../cilium-eks-cluster';
import { SYSTEM_NODE_LABEL } from '../system-node-group';
import { LOAD_BALANCER_CONTROLLER_NAMESPACE, LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT, LoadBalancerController } from './load-balancer-controller';
import { declare, list, optional, parse, strict, text } from '../../core/schema';
import { cidr, ec2Id, tags } from '../../core/rules';
import { clusterName, construct } from '../inputs';

/**
 * The props of {@link ClusterMeshEndpoint}: the cluster and its VPC, subnets and node security group, and the
 * fleet's hosted zone and this cluster's name in it. {@link CiliumEksFleet} fills them for each of its
 * clusters.
 */
export interface ClusterMeshEndpointProps {
  /**
   * The cluster's EKS name: the load balancer's `Name` tag (`<clusterName>-clustermesh`), the
   * `cilium-eks/cluster` tag on the endpoint's resources, and the load balancer controller's `clusterName`.
   */
  readonly clusterName: string;
  /**
   * The ID of the cluster's VPC (`vpc-...`): the target group's VPC, and the `vpcId` of the load balancer
   * controller and its `TargetGroupBinding`.
   */
  readonly vpcId: string;
  /**
   * The cluster's VPC CIDR: the node security group admits TCP 2379 from it, since the load balancer's health
   * checks and (client addresses not preserved) every client arrive from the load balancer's addresses in
   * this VPC.
   */
  readonly vpcCidr: string;
  /** Private subnets of the cluster: the load balancer's. */
  readonly subnetIds: string[];
  /**
   * The cluster: the AWS Load Balancer Controller is installed in it (on its system nodes, where
   * the clustermesh-apiserver runs) with a Pod Identity role of its own.
   */
  readonly cluster: CiliumEksCluster;
  /** The node security group (pod ENIs carry it), opened on 2379 to the load balancer's addresses. */
  readonly nodeSecurityGroupId: string;
  /** Private hosted zone of the fleet and this cluster's name in it. */
  readonly zoneId: string;
  /**
   * The name peers dial, `<cluster>.<domain>`: a 60-second CNAME in `zoneId` to the load balancer's DNS name.
   */
  readonly dnsName: string;
  /**
   * Tags on the load balancer, target group, listener and security group rule, beside `cilium-eks/cluster` =
   * `clusterName` (set by this construct, winning on a clash). The DNS record takes no tags.
   * @default - none
   */
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
      cluster: construct<CiliumEksCluster>('the CiliumEksCluster'),
      nodeSecurityGroupId: ec2Id('sg', 'a security group ID'),
      zoneId: text('a Route 53 hosted zone ID'),
      dnsName: text('a DNS name'),
      tags: optional(tags()),
    },
    'ClusterMeshEndpoint props { clusterName, vpcId, vpcCidr, subnetIds, cluster, nodeSecurityGroupId, zoneId, dnsName, tags? }',
  ),
);

/** Construct id of the controller's Pod Identity (`pod-identity-<id>` under the cluster). */
const IDENTITY_ID = 'lb-controller';

/**
 * The address peers dial, created by Terraform so that it exists before any Cilium release and
 * never depends on one: a stable private DNS name (`<cluster>.<domain>`, in the fleet's private
 * hosted zone) pointing at an internal Network Load Balancer whose target group holds the
 * clustermesh-apiserver pods themselves (IP targets, port 2379: in ENI mode pods have VPC
 * addresses).
 *
 * The targets are kept by the AWS Load Balancer Controller through a `TargetGroupBinding` of the
 * clustermesh-apiserver Service: it registers the Service's ready endpoints and deregisters the
 * ones that leave, wherever the pods run. Nothing refers to a node, an instance or an Auto Scaling
 * group, so a node group update (which EKS may do by replacing the group's instances, or the group)
 * changes nothing here: the apiserver pods are evicted under their disruption budget, come back on
 * new nodes with new addresses, and the controller follows. Attaching the target group to the
 * managed node group's Auto Scaling group instead, as this construct did before, is not something
 * EKS supports (aws/containers-roadmap#709 and #728: the node group API has no target groups, and
 * an attachment made to its Auto Scaling group can be lost when the group is replaced). With the
 * controller's pod readiness gate a replacement pod only counts as ready once the target group
 * finds it healthy, so the disruption budget never lets the last healthy target go.
 *
 * Why not a Service of type LoadBalancer: its address exists only once the chart is installed and
 * a controller made it, and Terraform never sees it. Here Terraform owns the load balancer and the
 * name; the controller only manages targets.
 */
export class ClusterMeshEndpoint extends Construct {
  /**
   * The internal Network Load Balancer (`aws_lb`, name prefix `cm-`, cross-zone on) in the cluster's private
   * subnets; its listener forwards TCP 2379 to {@link ClusterMeshEndpoint.targetGroup}.
   */
  public readonly loadBalancer: Lb;
  /**
   * The target group of the clustermesh-apiserver pods (`aws_lb_target_group`: IP targets, TCP 2379, client
   * IP not preserved, source-IP stickiness, 30 s deregistration delay, TCP health checks); its targets are
   * kept by {@link ClusterMeshEndpoint.controller}, not by Terraform.
   */
  public readonly targetGroup: LbTargetGroup;
  /**
   * The `dnsName` record (`aws_route53_record`): a CNAME with a 60-second TTL to the load balancer's DNS
   * name, in the fleet's private hosted zone.
   */
  public readonly record: Route53Record;
  /**
   * The AWS Load Balancer Controller installed in the cluster ({@link LoadBalancerController}), whose
   * `TargetGroupBinding` registers the clustermesh-apiserver pods in {@link ClusterMeshEndpoint.targetGroup};
   * it runs on the system nodes with a Pod Identity role limited to that target group.
   */
  public readonly controller: LoadBalancerController;

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
      port: CLUSTERMESH_APISERVER_PORT,
      protocol: 'TCP',
      targetType: 'ip',
      // The pod sees the load balancer's address in this VPC, not the peer's: the one own-VPC rule
      // below admits every client, and no reply has to find its way back to a peer VPC around the
      // load balancer.
      preserveClientIp: 'false',
      // A peer stays on one replica: each replica runs its own etcd, and a client that moves to
      // another needs a full resync (the chart's `clustermesh.apiserver.service.enableSessionAffinity`).
      stickiness: { type: 'source_ip', enabled: true },
      // A deregistered pod is on its way out: 30 s, not the default 300, before its slot is gone.
      deregistrationDelay: '30',
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
    // Health checks and (client IP not preserved) every client arrive from the load balancer's
    // addresses in this VPC, at the pods' 2379 (pod ENIs carry the node security group).
    new VpcSecurityGroupIngressRule(this, 'load-balancer', {
      securityGroupId: props.nodeSecurityGroupId,
      cidrIpv4: props.vpcCidr,
      ipProtocol: 'tcp',
      fromPort: CLUSTERMESH_APISERVER_PORT,
      toPort: CLUSTERMESH_APISERVER_PORT,
      description: 'clustermesh-apiserver pods: load balancer health checks and clients in this VPC',
      tags,
    });
    const cluster = props.cluster;
    this.controller = new LoadBalancerController(this, 'load-balancer-controller', {
      clusterName: props.clusterName,
      region: cluster.region,
      vpcId: props.vpcId,
      nodeSelector: { [SYSTEM_NODE_LABEL]: 'system' },
      targetGroupArn: this.targetGroup.arn,
      servicePort: CLUSTERMESH_APISERVER_PORT,
      host: {
        bindIdentity: (statements) => {
          cluster.addPodIdentity(IDENTITY_ID, { namespace: LOAD_BALANCER_CONTROLLER_NAMESPACE, serviceAccount: LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT, policyStatements: statements });
          // Everything addPodIdentity made (role, policy, association): the pods need it at start.
          return cluster.node
            .findChild(`pod-identity-${IDENTITY_ID}`)
            .node.findAll()
            .filter((c): c is TerraformResource => TerraformResource.isTerraformResource(c));
        },
      },
      dependsOn: [...cluster.clusterReady, cluster.cilium.release],
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
