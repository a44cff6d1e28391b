/**
 * A brownfield migration: an existing EKS cluster (`shop-prod`, created by eksctl) with the AWS VPC
 * CNI as EKS installed it (self-managed aws-node and kube-proxy), tuned over the years (prefix
 * delegation and a warm target set on aws-node, an IRSA role for its service account), and two
 * managed node groups, moved to Cilium one `cdktf deploy` at a time.
 *
 * Edit `phase` below, deploy, run the checks of docs/migration.md (which also
 * gives the commands that synthesize this file and every phase of it), then set the next phase.
 * From this directory, `npx cdktf deploy` deploys the phase set here (cdktf.json runs this file).
 */
import { App, checkTerraformVersionOnce, disableTokenStackTraces } from '../../constructs/cdktf';
import { CiliumMigrationStack, CiliumMigrationStackProps } from '../../constructs/migration/cilium-migration-stack';

export const migrationConfig: CiliumMigrationStackProps = {
  clusterName: 'shop-prod',
  region: 'eu-west-1',
  kubernetesVersion: '1.34',
  vpcId: 'vpc-0a1b2c3d4e5f60718',
  privateSubnetIds: ['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f60002', 'subnet-0a1b2c3d4e5f60003'],
  nodeRoleArn: 'arn:aws:iam::111122223333:role/eksctl-shop-prod-nodegroup-NodeInstanceRole',
  // eksctl clusters run aws-node and kube-proxy as the self-managed DaemonSets EKS installs. What
  // was changed on them is declared, so prepare keeps it (the plan of prepare compares it with what runs).
  current: {
    cni: 'aws-vpc-cni',
    addons: 'self-managed',
    vpcCni: {
      configuration: { env: { ENABLE_PREFIX_DELEGATION: 'true', WARM_PREFIX_TARGET: '1' } },
      serviceAccountRoleArn: 'arn:aws:iam::111122223333:role/eksctl-shop-prod-addon-iamserviceaccount-aws-node',
    },
  },
  // Drained in this order: the stateless group first.
  oldNodeGroups: [{ name: 'web' }, { name: 'workers' }],
  ciliumNodeGroups: [{ name: 'cilium', instanceTypes: ['m7i.xlarge'], minSize: 3, desiredSize: 3, maxSize: 9 }],
  // More Cilium nodes on demand; the default NodePool's nodes get the Cilium node label.
  karpenter: {},
  networkPolicies: { namespaces: [{ name: 'storefront', defaultDeny: false, allowKubeApiserver: true }] },
  // One of: prepare, cilium-nodes, drain:web, drain:workers, kube-proxy-replacement, finalize.
  phase: 'prepare',
};

/** The app of this example at `phase` (default: the phase set above): what `npm run synth -- --example migration` synthesizes. */
export function buildApp(app: App = new App(), phase: string = migrationConfig.phase): App {
  disableTokenStackTraces();
  checkTerraformVersionOnce();
  new CiliumMigrationStack(app, migrationConfig.clusterName, { ...migrationConfig, phase });
  return app;
}

if (require.main === module) {
  buildApp().synth();
}
