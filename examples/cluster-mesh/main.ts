// A meshed fleet: three Cilium-on-EKS clusters in two regions, connected by VPC peering and meshed
// with Cilium Cluster Mesh, in one stack and one `cdktf deploy` (docs/fleet.md):
//
//   npm run synth -- --example cluster-mesh                       # into examples/cluster-mesh/cdktf.out, with a summary
//   cd examples/cluster-mesh && CHECKPOINT_DISABLE=1 npx cdktf deploy  # creates it (its cdktf.json runs this file)
import { App, checkTerraformVersionOnce, disableTokenStackTraces } from '../../constructs/cdktf';
import { CiliumEksFleetStack, CiliumEksFleetStackProps, FleetClusterOptions } from '../../index';

/** What the three clusters share. */
const common: Omit<FleetClusterOptions, 'name' | 'region' | 'clusterId' | 'vpcCidr'> = {
  kubernetesVersion: '1.35',
  // The roles that deploy and operate the clusters: each gets an access entry on every cluster.
  admins: ['arn:aws:iam::111122223333:role/platform-deployer'],
  systemNodeGroup: { instanceTypes: ['m7i.large'], minSize: 2, desiredSize: 2, maxSize: 4 },
  endpoint: { publicAccess: true, publicAccessCidrs: ['203.0.113.0/24'] },
  networkPolicies: {
    namespaces: [
      { name: 'storefront', defaultDeny: true, storefrontExample: true },
      // Where the mesh check runs (examples/cluster-mesh/echo.yaml, client.yaml): restricted, default deny.
      { name: 'mesh-echo' },
    ],
  },
};

export const meshConfig: CiliumEksFleetStackProps = {
  name: 'demo-mesh',
  // VPC and service CIDRs are disjoint across the fleet; cluster ids are unique and fixed.
  clusters: [
    { ...common, name: 'eu-west-1a', region: 'eu-west-1', clusterId: 1, vpcCidr: '10.10.0.0/16', serviceIpv4Cidr: '172.20.0.0/16' },
    { ...common, name: 'eu-west-1b', region: 'eu-west-1', clusterId: 2, vpcCidr: '10.11.0.0/16', serviceIpv4Cidr: '172.21.0.0/16' },
    { ...common, name: 'us-east-1a', region: 'us-east-1', clusterId: 3, vpcCidr: '10.20.0.0/16', serviceIpv4Cidr: '172.22.0.0/16' },
  ],
};

/** The app of this example: what `npm run synth -- --example cluster-mesh` synthesizes. */
export function buildApp(app: App = new App()): App {
  disableTokenStackTraces();
  checkTerraformVersionOnce();
  new CiliumEksFleetStack(app, 'cluster-mesh', meshConfig);
  return app;
}

if (require.main === module) {
  buildApp().synth();
}
