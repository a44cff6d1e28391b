/**
 * A platform team's app, run inside a scratch consumer app (support/consumer-app.ts) with the
 * installed package: `node toolchain-app.js <toolchain> <outdir>`, where <toolchain> is the package
 * the team imports its App and TerraformStack from (`cdktf`, or `cdktn` for CDK Terrain). It
 * synthesizes three stacks into <outdir>: the bundled app's stack (CiliumEksStack), the consumer
 * pattern (the team's own stack with its AWS provider, one cluster, `configureStack`, extra pools
 * and a policy) and a meshed fleet (CiliumEksFleetStack), then prints, as JSON, what the test
 * compares besides the output: which package files answer to `cdktf` and to the toolchain, and the
 * creation stack of a token of each after `disableTokenStackTraces()`.
 *
 * Plain JavaScript: it runs as is under either toolchain, with no compile step.
 */
'use strict';
const [, , toolchain, outdir] = process.argv;
const tc = require(toolchain);
const { AwsProvider } = require('@cdktf/provider-aws/lib/provider');
const lib = require('cilium-eks');

lib.disableTokenStackTraces();

const app = new tc.App({ outdir });

// 1. The bundled app's stack.
new lib.CiliumEksStack(app, 'default', {
  clusterName: 'cilium-eks',
  region: 'eu-west-1',
  admins: ['arn:aws:iam::111122223333:role/platform-admin'],
  karpenter: {},
  networkPolicies: { namespaces: [{ name: 'storefront', defaultDeny: true, storefrontExample: true }] },
  endpoint: { publicAccess: true, publicAccessCidrs: ['203.0.113.0/24'] },
});

// 2. The consumer pattern: the team's own stack.
class TeamClusterStack extends tc.TerraformStack {
  constructor(scope, id) {
    super(scope, id);
    new AwsProvider(this, 'aws', { region: 'us-west-2' });
    const cluster = new lib.CiliumEksCluster(this, 'cluster', {
      clusterName: 'team-a',
      region: 'us-west-2',
      admins: ['arn:aws:iam::111122223333:role/platform-deployer'],
      existingNetwork: { vpcId: 'vpc-0a1b2c3d4e5f60718', vpcCidr: '10.20.0.0/16', privateSubnetIds: ['subnet-0aaa1111', 'subnet-0bbb2222', 'subnet-0ccc3333'] },
      endpoint: { publicAccessCidrs: ['203.0.113.0/24'] },
      networkPolicies: { namespaces: [{ name: 'team-a' }] },
    });
    cluster.configureStack();
    cluster.addNodePool({ name: 'batch', capacityTypes: ['spot'], architectures: ['arm64'] });
    cluster.addPodIdentity('reports', { namespace: 'team-a', serviceAccount: 'reports', managedPolicyArns: ['arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess'] });
    cluster.addNetworkPolicy(
      new lib.CiliumNetworkPolicy({
        name: 'api-to-apiserver',
        namespace: 'team-a',
        spec: { endpointSelector: lib.Selector.labels({ app: 'api' }), egress: [lib.Egress.to(lib.Peer.entities('kube-apiserver')).on(lib.Port.tcp(443))] },
      }),
    );
  }
}
new TeamClusterStack(app, 'team-a');

// 3. A meshed fleet: one stack, two clusters in two regions, their own providers.
const common = { admins: ['arn:aws:iam::111122223333:role/platform-deployer'], endpoint: { publicAccess: true, publicAccessCidrs: ['203.0.113.0/24'] } };
new lib.CiliumEksFleetStack(app, 'fleet', {
  name: 'demo-mesh',
  clusters: [
    { ...common, name: 'eu-west-1a', region: 'eu-west-1', clusterId: 1, vpcCidr: '10.10.0.0/16', serviceIpv4Cidr: '172.20.0.0/16' },
    { ...common, name: 'us-east-1a', region: 'us-east-1', clusterId: 2, vpcCidr: '10.20.0.0/16', serviceIpv4Cidr: '172.22.0.0/16' },
  ],
});

app.synth();

/** The creation stack of a fresh token of the package `name`. */
function creationStack(name) {
  const m = require(name);
  return m.Tokenization.reverseString(m.Lazy.stringValue({ produce: () => 'x' })).firstToken.creationStack;
}
const packageOf = (name) => {
  const file = require.resolve(`${name}/package.json`);
  return { file, name: require(file).name, version: require(file).version };
};
process.stdout.write(
  JSON.stringify({
    cdktf: packageOf('cdktf'),
    toolchain: packageOf(toolchain),
    creationStacks: { cdktf: creationStack('cdktf'), [toolchain]: creationStack(toolchain) },
  }),
);
