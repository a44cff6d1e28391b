/**
 * Every validation rule of issue 12 with one failing input: each must be a ValidationError that
 * names the property as the user wrote it, and that property must exist in the props type (checked
 * against the key tables of constructs/props-keys.ts, which type-checking ties to the interfaces).
 */
import { CiliumEksStackProps, CiliumEksStackPropsSchema } from '../constructs/cilium-eks-stack';
import { PodIdentityOptionsSchema } from '../constructs/cilium-eks-cluster';
import { declaresPath } from '../core/schema';
import { defaultDeny } from '../bpf/policy';
import { config } from '../main';
import { thrown } from './support/errors';
import { buildStack, synthApp } from './support/synth';

/** True when `path` names a place the stack's declaration (or a documented call's) declares. */
function pathExists(path: string): boolean {
  const call = /^addPodIdentity\([^)]*\)\.?/.exec(path);
  if (call) return declaresPath(PodIdentityOptionsSchema, path.slice(call[0].length));
  if (path.startsWith('addNetworkPolicy(policy)')) return path === 'addNetworkPolicy(policy).metadata.name';
  return declaresPath(CiliumEksStackPropsSchema, path);
}

const payments = config.networkPolicies!.namespaces![1];
const withFqdns = (fqdns: string[]): Partial<CiliumEksStackProps> => ({
  networkPolicies: { namespaces: [config.networkPolicies!.namespaces![0], { ...payments, fqdnEgress: [{ labels: { app: 'payments' }, fqdns }] }] },
});
const existing = (n: Partial<NonNullable<CiliumEksStackProps['existingNetwork']>>): Partial<CiliumEksStackProps> => ({
  network: undefined,
  existingNetwork: { vpcId: 'vpc-0123abcd', privateSubnetIds: ['subnet-0000000a', 'subnet-0000000b'], ...n },
});
const pool = (p: object): Partial<CiliumEksStackProps> => ({ karpenter: { defaultNodePool: p } });
const manyTags = (n: number): Record<string, string> => Object.fromEntries(Array.from({ length: n }, (_, i) => [`team-${i}`, 'x']));

/** [rule, props, property named, a fragment of what is allowed]. */
const STACK_RULES: ReadonlyArray<readonly [string, Partial<CiliumEksStackProps>, string, string]> = [
  ['region outside every partition', { region: 'eu-west-4' }, 'region', 'an AWS region (aws: af-south-1'],
  ['a China region is accepted as a region name, its zones are checked', { region: 'cn-north-1', network: { availabilityZones: ['eu-west-1a', 'eu-west-1b'] } }, 'network.availabilityZones[0]', 'an availability zone of cn-north-1'],
  ['zones of another region', { network: { availabilityZones: ['us-east-1a', 'us-east-1b'] } }, 'network.availabilityZones[0]', 'an availability zone of eu-west-1'],
  ['duplicate zones', { network: { availabilityZones: ['eu-west-1a', 'eu-west-1a'] } }, 'network.availabilityZones[1]', 'a zone not listed before'],
  ['a VPC ID that is not vpc-...', existing({ vpcId: 'vpc-xyz' }), 'existingNetwork.vpcId', 'a VPC ID'],
  ['a subnet ID that is not subnet-...', existing({ privateSubnetIds: ['sg-0000000a', 'subnet-0000000b'] }), 'existingNetwork.privateSubnetIds[0]', 'a subnet ID'],
  ['an empty subnet ID', existing({ privateSubnetIds: ['subnet-0000000a', ''] }), 'existingNetwork.privateSubnetIds[1]', 'a subnet ID'],
  ['a duplicate subnet ID', existing({ privateSubnetIds: ['subnet-0000000a', 'subnet-0000000a'] }), 'existingNetwork.privateSubnetIds[1]', 'a subnet not listed before'],
  ['a public subnet ID that is not subnet-...', existing({ publicSubnetIds: ['igw-0000000a'] }), 'existingNetwork.publicSubnetIds[0]', 'a subnet ID'],
  ['an existing VPC CIDR no VPC can have', existing({ vpcCidr: '10.0.0.0/8' }), 'existingNetwork.vpcCidr', 'a prefix length from /16 to /28'],
  ['a private range for the public endpoint', { endpoint: { publicAccessCidrs: ['10.20.0.0/16'] } }, 'endpoint.publicAccessCidrs[0]', 'a public IPv4 range'],
  ['a shared-address range for the public endpoint', { endpoint: { publicAccessCidrs: ['203.0.113.0/24', '100.64.0.0/16'] } }, 'endpoint.publicAccessCidrs[1]', 'a public IPv4 range'],
  ['a tag with the aws: prefix', { tags: { 'aws:owner': 'x' } }, 'tags["aws:owner"]', 'without the aws: prefix'],
  ['more tags than fit with the project\'s own', { tags: manyTags(47) }, 'tags', 'at most 46 tags'],
  ['a tag key over 128 characters', { tags: { ['k'.repeat(129)]: 'x' } }, `tags["${'k'.repeat(129)}"]`, 'a tag key of 1 to 128'],
  ['a tag value over 256 characters', { tags: { team: 'v'.repeat(257) } }, 'tags["team"]', 'a tag value of at most 256'],
  ['a tag character AWS refuses', { tags: { team: 'a#b' } }, 'tags["team"]', 'a tag value of at most 256 letters'],
  ['a default tag with the aws: prefix', { defaultTags: { 'aws:cost': 'x' } }, 'defaultTags["aws:cost"]', 'without the aws: prefix'],
  ['a Karpenter tag with the aws: prefix', { karpenter: { tags: { 'aws:x': 'y' } } }, 'karpenter.tags["aws:x"]', 'without the aws: prefix'],
  ['a system instance type that does not exist', { systemNodeGroup: { instanceTypes: ['m7i.huge'] } }, 'systemNodeGroup.instanceTypes[0]', 'a size of m7i that exists'],
  ['a system instance type of the other architecture', { systemNodeGroup: { instanceTypes: ['m7g.large'] } }, 'systemNodeGroup.instanceTypes[0]', 'an x86_64 instance type'],
  ['a Xen system instance type with prefix delegation', { systemNodeGroup: { instanceTypes: ['m4.large'] } }, 'systemNodeGroup.instanceTypes[0]', 'a Nitro instance type'],
  ['a pool instance type that does not exist', pool({ instanceTypes: ['c7q.large'] }), 'karpenter.defaultNodePool.instanceTypes[0]', 'an EC2 instance type that exists'],
  ['a pool instance type of no pool architecture', pool({ architectures: ['amd64'], instanceTypes: ['m7g.large'] }), 'karpenter.defaultNodePool.instanceTypes[0]', "the pool's architectures"],
  ['a pool instance type of no pool category', pool({ instanceTypes: ['t3.large'] }), 'karpenter.defaultNodePool.instanceTypes[0]', "the pool's categories"],
  ['a Xen pool instance type with prefix delegation', pool({ instanceTypes: ['m4.large'] }), 'karpenter.defaultNodePool.instanceTypes[0]', 'a Nitro instance type'],
  ['a pool instance size prefix delegation excludes', pool({ instanceTypes: ['m6g.medium'] }), 'karpenter.defaultNodePool.instanceTypes[0]', 'a size other than nano, micro, small, medium'],
  ['a Kubernetes version EKS has not released', { kubernetesVersion: '1.37' }, 'kubernetesVersion', 'one of 1.31'],
  ['an add-on version that is not a version', { addonVersions: { coredns: 'latest' } }, 'addonVersions.coredns', 'an EKS add-on version'],
  ['an empty FQDN allow-list', withFqdns([]), 'networkPolicies.namespaces[1].fqdnEgress[0].fqdns', 'at least one name'],
  ['a name listed twice in an allow-list', withFqdns(['api.stripe.com', 'API.stripe.com.']), 'networkPolicies.namespaces[1].fqdnEgress[0].fqdns[1]', 'a name not listed before'],
  ['a malformed FQDN', withFqdns(['api..stripe.com']), 'networkPolicies.namespaces[1].fqdnEgress[0].fqdns[0]', 'a DNS name'],
  ['a namespace listed twice', { networkPolicies: { namespaces: [{ name: 'shop' }, { name: 'shop' }] } }, 'networkPolicies.namespaces[1].name', 'a namespace not listed before'],
  ['a namespace that is not a DNS-1123 label', { networkPolicies: { namespaces: [{ name: 'Shop' }] } }, 'networkPolicies.namespaces[0].name', 'a DNS-1123 label'],
  ['a suppression of a rule that does not exist', { securityChecks: { suppress: { 'no-such-rule': 'why' } } }, 'securityChecks.suppress', 'a rule id'],
  ['an admin listed twice', { admins: ['arn:aws:iam::123456789012:role/ops', 'arn:aws:iam::123456789012:role/ops'] }, 'admins[1]', 'a principal not listed before'],
  ['an admin that is an assumed-role session', { admins: ['arn:aws:sts::123456789012:assumed-role/ops/me'] }, 'admins[0]', 'an IAM role or user ARN'],
  ['an admin id given twice', { admins: [{ id: 'ops', principalArn: 'arn:aws:iam::123456789012:role/a' }, { id: 'ops', principalArn: 'arn:aws:iam::123456789012:role/b' }] }, 'admins[1].id', 'an id no other admin has'],
  ['an AL2 AMI type on the system nodes', { systemNodeGroup: { amiType: 'AL2_x86_64' } }, 'systemNodeGroup.amiType', 'one of AL2023_x86_64_STANDARD'],
  ['a non-AL2023 Karpenter AMI alias', { karpenter: { amiAlias: 'bottlerocket@latest' } }, 'karpenter.amiAlias', 'an AL2023 alias'],
];

describe('every validation rule names the property the user wrote', () => {
  test.each(STACK_RULES)('%s', (_rule, props, property, allowed) => {
    // WHEN
    const e = thrown(() => buildStack(props));
    // THEN
    expect(e.property).toBe(property);
    expect(e.allowed).toContain(allowed);
    expect(e.message).toContain(property);
    expect(pathExists(e.property)).toBe(true);
  });
});

describe('calls on the cluster name the call and the argument', () => {
  const cluster = buildStack().cluster;
  const CALL_RULES: ReadonlyArray<readonly [string, () => unknown, string, string]> = [
    ['a namespace that is not a DNS-1123 label', () => cluster.addPodIdentity('reports', { namespace: 'Payments', serviceAccount: 'reports' }), 'addPodIdentity("reports", options).namespace', 'a DNS-1123 label'],
    ['a service account that is not a DNS-1123 subdomain', () => cluster.addPodIdentity('reports', { namespace: 'payments', serviceAccount: 'Reports_1' }), 'addPodIdentity("reports", options).serviceAccount', 'a DNS-1123 subdomain'],
    ['a managed policy that is not an ARN', () => cluster.addPodIdentity('reports', { namespace: 'payments', serviceAccount: 'reports', managedPolicyArns: ['AmazonS3ReadOnlyAccess'] }), 'addPodIdentity("reports", options).managedPolicyArns[0]', 'an IAM managed policy ARN'],
    ['the Cilium operator\'s service account', () => cluster.addPodIdentity('op', { namespace: 'kube-system', serviceAccount: 'cilium-operator' }), 'addPodIdentity("op", options).serviceAccount', 'a service account no other Pod Identity association'],
    ['Karpenter\'s service account', () => cluster.addPodIdentity('kp', { namespace: 'karpenter', serviceAccount: 'karpenter' }), 'addPodIdentity("kp", options).serviceAccount', 'a service account no other Pod Identity association'],
    ['a policy that is already delivered', () => cluster.addNetworkPolicy(defaultDeny('storefront')), 'addNetworkPolicy(policy).metadata.name', 'a name no other CiliumNetworkPolicy in namespace storefront'],
  ];
  test.each(CALL_RULES)('%s', (_rule, call, property, allowed) => {
    const e = thrown(call);
    expect(e.property).toBe(property);
    expect(e.allowed).toContain(allowed);
    expect(pathExists(e.property)).toBe(true);
  });

  test('an unknown option of a call is refused, naming the call', () => {
    const e = thrown(() => cluster.addPodIdentity('typo', { namespace: 'payments', serviceAccount: 'x', managedPolicyArn: [] } as never));
    expect(e.property).toBe('addPodIdentity("typo", options).managedPolicyArn');
    expect(e.reason).toContain('did you mean addPodIdentity("typo", options).managedPolicyArns?');
  });

  test('a service account bound twice by the user is refused, naming the first binding', () => {
    cluster.addPodIdentity('reports-a', { namespace: 'payments', serviceAccount: 'reports' });
    const e = thrown(() => cluster.addPodIdentity('reports-b', { namespace: 'payments', serviceAccount: 'reports' }));
    expect(e.property).toBe('addPodIdentity("reports-b", options).serviceAccount');
    expect(e.reason).toContain('addPodIdentity("reports-a", options)');
  });
});

describe('unknown keys fail the synth, naming the key and listing the allowed ones', () => {
  const TYPOS: ReadonlyArray<readonly [string, object, string, string]> = [
    ['top level', { kubernetesVerison: '1.33' }, 'kubernetesVerison', 'did you mean kubernetesVersion?'],
    ['systemNodeGroup', { systemNodeGroup: { instanceType: 'm7i.large' } }, 'systemNodeGroup.instanceType', 'did you mean systemNodeGroup.instanceTypes?'],
    ['cilium.hubble', { cilium: { hubble: { relays: true } } }, 'cilium.hubble.relays', 'did you mean cilium.hubble.relay?'],
    ['karpenter.defaultNodePool', { karpenter: { defaultNodePool: { capacityType: ['spot'] } } }, 'karpenter.defaultNodePool.capacityType', 'did you mean karpenter.defaultNodePool.capacityTypes?'],
    ['a namespace', { networkPolicies: { namespaces: [{ name: 'shop', defaultdeny: false }] } }, 'networkPolicies.namespaces[0].defaultdeny', 'did you mean networkPolicies.namespaces[0].defaultDeny?'],
    ['an FQDN allow-list', { networkPolicies: { namespaces: [{ name: 'shop', fqdnEgress: [{ labels: {}, fqdn: ['a.com'] }] }] } }, 'networkPolicies.namespaces[0].fqdnEgress[0].fqdn', 'did you mean'],
    ['securityChecks', { securityChecks: { supress: {} } }, 'securityChecks.supress', 'did you mean securityChecks.suppress?'],
    ['endpoint', { endpoint: { publicAccesCidrs: ['203.0.113.0/24'] } }, 'endpoint.publicAccesCidrs', 'did you mean endpoint.publicAccessCidrs?'],
  ];
  test.each(TYPOS)('%s', (_where, props, property, hint) => {
    const e = thrown(() => buildStack(props as Partial<CiliumEksStackProps>));
    expect(e.property).toBe(property);
    expect(e.reason).toContain(hint);
    // The parent of the unknown key is a real props object, and the message lists its keys.
    const parent = property.replace(/\.?[^.]+$/, '');
    expect(parent === '' || pathExists(parent)).toBe(true);
    expect(e.allowed).toMatch(/the known keys/);
  });

  test('a JSON config (no TypeScript types at all) is checked the same way', () => {
    const json = JSON.parse(JSON.stringify({ ...config, systemNodeGroup: { ...config.systemNodeGroup, instanceType: 'm7i.large' } })) as CiliumEksStackProps;
    expect(thrown(() => buildStack(json)).property).toBe('systemNodeGroup.instanceType');
  });

  test('the bundled config and every key it uses is known', () => {
    expect(() => buildStack()).not.toThrow();
  });
});

describe('the path check itself', () => {
  test('refuses a path that is not in the props types', () => {
    expect(pathExists('nodeGroup.amiType')).toBe(false);
    expect(pathExists('network.vpcId')).toBe(false);
    expect(pathExists('karpenter.nodeClass.amiAlias')).toBe(false);
    expect(pathExists('systemNodeGroup.amiType')).toBe(true);
    expect(pathExists('networkPolicies.namespaces[3].fqdnEgress[0].fqdns[2]')).toBe(true);
  });
});

describe('the app command (scripts/app.js, cdktf.json)', () => {
  const fs = require('fs') as typeof import('fs');
  const path = require('path') as typeof import('path');
  const os = require('os') as typeof import('os');
  const { spawnSync } = require('child_process') as typeof import('child_process');
  const app = require('../scripts/app') as { build(): boolean; BUNDLE: string; OUT: string };

  test('a misspelt key in the bundled config exits non-zero and names the key', () => {
    // GIVEN main.ts bundled without a type-check, as `node scripts/app.js` does, with one key
    // misspelt in the bundled config
    app.build();
    const bundle = fs.readFileSync(app.BUNDLE, 'utf8');
    const key = /kubernetesVersion: (["'])1\.35\1/;
    expect(bundle.match(new RegExp(key.source, 'g'))).toHaveLength(1);
    const typo = path.join(app.OUT, `.typo-main-${process.pid}.js`);
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cilium-eks-typo-'));
    fs.writeFileSync(typo, bundle.replace(key, 'kubernetesVerison: $11.35$1'));
    try {
      // WHEN
      const run = spawnSync(process.execPath, [typo], { cwd: outdir, encoding: 'utf8', timeout: 120_000, env: { ...process.env, CDKTF_OUTDIR: outdir } });
      // THEN
      expect(run.status).not.toBe(0);
      expect(run.stderr).toContain('kubernetesVerison');
      expect(run.stderr).toContain('did you mean kubernetesVersion?');
    } finally {
      fs.rmSync(typo, { force: true });
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('synthesizes byte for byte what main.ts synthesizes unbundled', () => {
    // GIVEN the app command's output, and main.ts's buildApp run from the sources in this process
    const bundled = fs.mkdtempSync(path.join(os.tmpdir(), 'cilium-eks-app-'));
    const direct = fs.mkdtempSync(path.join(os.tmpdir(), 'cilium-eks-direct-'));
    try {
      const run = spawnSync(process.execPath, [path.join(__dirname, '..', 'scripts', 'app.js')], { encoding: 'utf8', env: { ...process.env, CDKTF_OUTDIR: bundled } });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      const { App } = require('cdktf') as typeof import('cdktf');
      synthApp((require('../main') as typeof import('../main')).buildApp(new App({ outdir: direct })));
      // THEN
      const read = (dir: string) => fs.readFileSync(path.join(dir, 'stacks', 'cilium-eks', 'cdk.tf.json'), 'utf8');
      expect(read(bundled).length).toBeGreaterThan(10_000);
      expect(read(bundled) === read(direct)).toBe(true);
    } finally {
      fs.rmSync(bundled, { recursive: true, force: true });
      fs.rmSync(direct, { recursive: true, force: true });
    }
  });
});

describe('constructs used directly', () => {
  test('CiliumOperatorIdentity in node-role mode without a node role is a ValidationError', () => {
    const { Testing, TerraformStack } = require('cdktf') as typeof import('cdktf');
    const { CiliumOperatorIdentity, OperatorIdentityMode } = require('../constructs/cilium-operator-identity') as typeof import('../constructs/cilium-operator-identity');
    const stack = new TerraformStack(Testing.app(), 'direct');
    const e = thrown(
      () =>
        new CiliumOperatorIdentity(stack, 'op', {
          clusterName: 'c',
          namePrefix: 'c',
          policyContext: { partition: 'aws', region: 'eu-west-1', accountId: '123456789012', vpcId: 'vpc-0123456789abcdef0' },
          mode: OperatorIdentityMode.NODE_ROLE,
          dependsOn: [],
        }),
    );
    expect(e.property).toBe('nodeRoleName');
  });
});
