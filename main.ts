/**
 * The bundled app: one greenfield Cilium-on-EKS cluster. Edit `config` below (or import the
 * constructs into your own stack); `npm run synth` writes the Terraform to cdktf.out/.
 */
import { CiliumEksStackProps } from './constructs/cilium-eks-stack';
import { App, checkTerraformVersionOnce, disableTokenStackTraces } from './constructs/cdktf';
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
  // Karpenter v1 with a default EC2NodeClass and NodePool (nodes carry the Cilium startup taint);
  // `karpenter: false` leaves it out (docs/configuration.md#karpenter).
  karpenter: {
    // The default NodePool, its defaults written out; `defaultNodePool: false` creates none.
    defaultNodePool: {
      capacityTypes: ['on-demand', 'spot'],
      architectures: ['amd64', 'arm64'],
      instanceCategories: ['c', 'm', 'r'],
      limits: { cpu: 1000, memory: '1000Gi' },
    },
    // More NodePools as data (each what cluster.addNodePool takes), e.g. a spot-only arm64 pool:
    //   nodePools: [{ name: 'batch', capacityTypes: ['spot'], architectures: ['arm64'] }],
    // with nodeClasses: [{ name: ..., rootVolumeSize: ... }] for pools that need their own EC2NodeClass.
    nodePools: [],
  },
  // Tetragon runtime security on every node, with the ready-made TracingPolicies and its events in a
  // file on each node; `tetragon: false` leaves it out (docs/security.md#runtime-security-and-off-node-evidence).
  tetragon: {
    policies: ['file-monitoring', 'shell-in-container', 'pod-instance-metadata-access'],
  },
  // Hubble flows and Tetragon events shipped to CloudWatch Logs (KMS-encrypted log groups, kept
  // after a destroy); `logExport: false` ships nothing (docs/security.md#where-it-is-kept-and-for-how-long).
  // Ships every source whose export is on (`sources: ['hubble-flows', 'tetragon-events']`).
  logExport: {
    retentionDays: 365,
    keepOnDestroy: true,
  },
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
  checkTerraformVersionOnce();
  new CiliumEksStack(app, STACK_ID, config);
  return app;
}

if (require.main === module) {
  buildApp().synth();
}
