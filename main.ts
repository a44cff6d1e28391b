/**
 * The bundled app: one greenfield Cilium-on-EKS cluster. Edit `config` below (or import the
 * constructs into your own stack); `npm run synth` writes the Terraform to cdktf.out/.
 */
import { CiliumEksStackProps } from './constructs/cilium-eks-stack';
import { App, disableTokenStackTraces } from './constructs/cdktf';
import { CiliumEksStack } from './constructs/cilium-eks-stack';

/**
 * The stack's identity: its folder in cdktf.out/ and its state file, `terraform.<id>.tfstate`.
 * Fixed and apart from the cluster name, so a changed clusterName is refused (it would replace the
 * cluster) instead of silently starting an empty state. 0.1.0 named the stack after the cluster:
 * 'cilium-eks' is its default name; a stack deployed under another clusterName keeps its state by
 * setting that name here (docs/getting-started.md#before-your-first-deploy).
 */
export const STACK_ID = 'cilium-eks';

export const config: CiliumEksStackProps = {
  clusterName: 'cilium-eks',
  region: 'eu-west-1',
  kubernetesVersion: '1.35',
  network: {
    vpcCidr: '10.0.0.0/16',
    // Unset: zones chosen by zone ID at the first apply (without the IDs EKS refuses), then kept;
    // or pin them: availabilityZoneIds: ['euw1-az1', 'euw1-az2', 'euw1-az3'].
  },
  systemNodeGroup: {
    amiType: 'AL2023_x86_64_STANDARD',
    instanceTypes: ['m7i.large'],
    minSize: 2,
    desiredSize: 2,
    maxSize: 4,
  },
  // The IAM roles or users that get cluster admin (EKS access entries): every principal that runs
  // `cdktf deploy` (your SSO role, the CI role) and every operator. Replace the example account's
  // role with yours (docs/getting-started.md#before-your-first-deploy).
  admins: ['arn:aws:iam::111122223333:role/platform-admin'],
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
  new CiliumEksStack(app, STACK_ID, config);
  return app;
}

if (require.main === module) {
  buildApp().synth();
}
