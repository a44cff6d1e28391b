// A cluster whose pods live in their own subnets (docs/configuration.md#pod-subnets-and-the-capacity-plan):
// nodes in a small 10.20.0.0/20 VPC, pods in the secondary range 100.64.0.0/16 split into one /18
// per zone, /28 prefix space reserved in each, Cilium creating pod ENIs only there. The synth's
// summary shows its IP capacity plan:
//
//   npm run synth -- --example pod-subnets                       # into examples/pod-subnets/cdktf.out, with a summary
//   cd examples/pod-subnets && CHECKPOINT_DISABLE=1 npx cdktf deploy  # creates it (its cdktf.json runs this file)
import { App, checkTerraformVersionOnce, disableTokenStackTraces } from '../../constructs/cdktf';
import { CiliumEksStack, CiliumEksStackProps } from '../../index';

export const podSubnetsConfig: CiliumEksStackProps = {
  clusterName: 'pods-apart',
  region: 'eu-west-1',
  kubernetesVersion: '1.35',
  // Cluster admins (IAM role ARNs): the principal that deploys must be one of them.
  admins: ['arn:aws:iam::111122223333:role/platform-admin'],
  // A small routable range for the nodes: a corporate VPC rarely has more to give.
  network: { vpcCidr: '10.20.0.0/20' },
  // Pods in 100.64.0.0/16 (the default range, written out), prefix space reserved automatically.
  podSubnets: { cidr: '100.64.0.0/16', prefixReservation: 'auto' },
  systemNodeGroup: { instanceTypes: ['m7i.large'], minSize: 2, desiredSize: 2, maxSize: 4 },
  // At most 200 Karpenter nodes (400 vCPU of 2-vCPU nodes at most): the plan shows they fit.
  karpenter: { defaultNodePool: { limits: { cpu: 400, memory: '1600Gi' } } },
  endpoint: { publicAccess: true, publicAccessCidrs: ['203.0.113.0/24'] },
};

/** The app of this example: what `npm run synth -- --example pod-subnets` synthesizes. */
export function buildApp(app: App = new App()): App {
  disableTokenStackTraces();
  checkTerraformVersionOnce();
  new CiliumEksStack(app, 'pod-subnets', podSubnetsConfig);
  return app;
}

if (require.main === module) {
  buildApp().synth();
}
