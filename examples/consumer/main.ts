import { Construct } from 'constructs';
import { App, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { CiliumEksCluster, CiliumNetworkPolicy, Egress, Peer, Port, Selector } from 'cilium-eks';

/** A platform team's own stack: its provider settings, its VPC, one Cilium cluster. */
class TeamClusterStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new AwsProvider(this, 'aws', {
      region: 'us-west-2',
      assumeRole: [{ roleArn: 'arn:aws:iam::111122223333:role/platform-deployer' }],
    });

    const cluster = new CiliumEksCluster(this, 'cluster', {
      clusterName: 'team-a',
      region: 'us-west-2',
      // Who deploys (the role the provider assumes) and who operates: each gets an access entry.
      admins: ['arn:aws:iam::111122223333:role/platform-deployer', 'arn:aws:iam::111122223333:role/team-a-operators'],
      existingNetwork: {
        vpcId: 'vpc-0a1b2c3d4e5f60718',
        vpcCidr: '10.20.0.0/16',
        privateSubnetIds: ['subnet-0aaa1111', 'subnet-0bbb2222', 'subnet-0ccc3333'],
      },
      endpoint: { publicAccessCidrs: ['203.0.113.0/24'] },
      networkPolicies: { namespaces: [{ name: 'team-a' }] },
    });
    // One call: the helm and kubernetes providers from the cluster, and the security checks.
    cluster.configureStack();

    // A spot-only arm64 pool; its nodes carry the Cilium startup taint like every other.
    cluster.addNodePool({ name: 'batch', capacityTypes: ['spot'], architectures: ['arm64'] });
    // A GPU pool on its own EC2NodeClass with a larger root volume; only pods that tolerate the
    // taint land there.
    cluster.addNodeClass({ name: 'gpu', rootVolumeSize: '200Gi' });
    cluster.addNodePool({
      name: 'gpu',
      nodeClassName: 'gpu',
      instanceCategories: ['g'],
      capacityTypes: ['on-demand'],
      taints: [{ key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' }],
    });

    // The team's API may call the Kubernetes API server; everything else stays denied.
    cluster.addNetworkPolicy(
      new CiliumNetworkPolicy({
        name: 'api-to-apiserver',
        namespace: 'team-a',
        spec: {
          endpointSelector: Selector.labels({ app: 'api' }),
          egress: [Egress.to(Peer.entities('kube-apiserver')).on(Port.tcp(443))],
        },
      }),
    );
  }
}

/** The app: one stack of the team's cluster (synthesized into `$CDKTF_OUTDIR`, else cdktf.out). */
export function buildApp(app: App = new App()): App {
  new TeamClusterStack(app, 'team-a');
  return app;
}

if (require.main === module) {
  buildApp().synth();
}
