/**
 * The bundled app: one greenfield Cilium-on-EKS cluster. Edit `config` below (or import the
 * constructs into your own stack); `npm run synth` writes the Terraform to cdktf.out/.
 */
import { CiliumEksStackProps } from './constructs/cilium-eks-stack';
import { App, disableTokenStackTraces } from './constructs/cdktf';
import { CiliumEksStack } from './constructs/cilium-eks-stack';

export const config: CiliumEksStackProps = {
  clusterName: 'cilium-eks',
  region: 'eu-west-1',
  kubernetesVersion: '1.35',
  network: {
    vpcCidr: '10.0.0.0/16',
    // Unset: the first three available zones of the region.
  },
  systemNodeGroup: {
    amiType: 'AL2023_x86_64_STANDARD',
    instanceTypes: ['m7i.large'],
    minSize: 2,
    desiredSize: 2,
    maxSize: 4,
  },
  // IAM role or user ARNs that get cluster admin besides whoever runs `cdktf deploy`.
  admins: [],
  // Karpenter v1 with a default EC2NodeClass and NodePool (nodes carry the Cilium startup taint).
  karpenter: {},
  // Workload namespaces (Pod Security restricted) with ready-made Cilium policies switched on.
  networkPolicies: {
    namespaces: [
      { name: 'storefront', defaultDeny: true, storefrontExample: true },
      {
        name: 'payments',
        defaultDeny: true,
        // Exactly these names are allowed (nothing is added; a name listed twice is refused).
        fqdnEgress: [{ labels: { app: 'payments' }, fqdns: ['api.stripe.com', '*.s3.eu-west-1.amazonaws.com'], port: 443 }],
      },
    ],
  },
  endpoint: {
    publicAccess: true,
    // Open to the world synthesises with a warning: list your networks here.
    publicAccessCidrs: ['0.0.0.0/0'],
  },
};

export function buildApp(app: App = new App()): App {
  disableTokenStackTraces();
  new CiliumEksStack(app, config.clusterName, config);
  return app;
}

if (require.main === module) {
  buildApp().synth();
}
