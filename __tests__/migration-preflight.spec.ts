/**
 * What a running VPC-CNI cluster brings into the migration (bpf/migration-preflight.ts): the
 * features that do not carry over and their acknowledgements, the add-on settings' shape, the
 * pod addresses the Cilium nodes claim per subnet, and the NodePool / EC2NodeClass changes that
 * move existing Karpenter nodes onto Cilium, validated against Karpenter's CRDs.
 */
import {
  applyJsonPatch,
  assertAcknowledged,
  assertExistingAddonSettings,
  declaredEnv,
  declaredNonCarryingFeatures,
  ec2NodeClassPatch,
  KARPENTER_CILIUM_STARTUP_TAINT,
  NON_CARRYING_FEATURES,
  NonCarryingFeature,
  nodePoolPatch,
  subnetDemand,
} from '../bpf/migration-preflight';
import { CILIUM_NODE_LABEL } from '../bpf/migration';
import { addressablePods } from '../bpf/ipam';
import { eniLimitsOf } from '../core/instance-types';
import { KARPENTER_DEFAULT_VERSION } from '../constructs/karpenter/versions';
import { JsonObject } from '../core/yaml';
import { thrown } from './support/errors';
import { validateCustomResource } from './support/upstream';

describe('features that do not carry over', () => {
  const matrix: [string, JsonObject | undefined, NonCarryingFeature[]][] = [
    ['the add-on defaults', undefined, []],
    ['prefix delegation and warm targets', { env: { ENABLE_PREFIX_DELEGATION: 'true', WARM_PREFIX_TARGET: '1', WARM_IP_TARGET: '5' } }, []],
    ['custom networking (ENIConfig)', { env: { AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG: 'true', ENI_CONFIG_LABEL_DEF: 'topology.kubernetes.io/zone' } }, ['customNetworking']],
    ['security groups for pods', { env: { ENABLE_POD_ENI: 'true', POD_SECURITY_GROUP_ENFORCING_MODE: 'standard' }, init: { env: { DISABLE_TCP_EARLY_DEMUX: 'true' } } }, ['securityGroupsForPods']],
    ['the network policy agent', { enableNetworkPolicy: 'true', nodeAgent: { enablePolicyEventLogs: 'true' } }, ['networkPolicyAgent']],
    ['all three', { enableNetworkPolicy: 'true', env: { ENABLE_POD_ENI: 'true', AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG: 'true' } }, ['securityGroupsForPods', 'networkPolicyAgent', 'customNetworking']],
    ['a feature switched off explicitly', { enableNetworkPolicy: 'false', env: { ENABLE_POD_ENI: 'false' } }, []],
  ];

  test.each(matrix)('%s', (_name, configuration, features) => {
    expect(declaredNonCarryingFeatures(configuration)).toEqual(features);
    // Refused without the acknowledgements, accepted with them.
    for (const f of features) {
      const e = thrown(() => assertAcknowledged(features, {}));
      expect(e.property).toBe(`acknowledge.${features[0]}`);
      expect(() => assertAcknowledged(features, Object.fromEntries(features.filter((x) => x !== f).map((x) => [x, NON_CARRYING_FEATURES[x].acknowledgement])))).toThrow(`acknowledge.${f}`);
    }
    expect(() => assertAcknowledged(features, Object.fromEntries(features.map((x) => [x, NON_CARRYING_FEATURES[x].acknowledgement])))).not.toThrow();
  });

  test('the refusal names the option, its one value, what the feature loses and where the docs say what protects the pods', () => {
    const e = thrown(() => assertAcknowledged(['securityGroupsForPods'], undefined));
    expect(e.message).toMatch(/^acknowledge\.securityGroupsForPods: undefined is not valid; allowed: "pods-get-node-security-groups" \(the vpc-cni configuration turns it on \(aws-node ENABLE_POD_ENI=true/);
    expect(e.message).toContain('allow the Cilium node security group wherever a pod security group is allowed');
    expect(e.message).toContain("Set acknowledge.securityGroupsForPods: 'pods-get-node-security-groups'");
    expect(e.message).toContain('docs/migration.md#features-that-do-not-carry-over');
  });

  test('an acknowledgement with another value is refused, even for a feature not found', () => {
    const e = thrown(() => assertAcknowledged([], { networkPolicyAgent: 'yes' as never }));
    expect(e.message).toBe('acknowledge.networkPolicyAgent: "yes" is not valid; allowed: "policies-audited-until-kube-proxy-replacement"');
  });
});

describe('the add-on settings', () => {
  test('environment maps are strings, as the add-on takes them', () => {
    expect(declaredEnv({ env: { A: 'true' }, init: { env: { B: 'false' } } }, 'init.env', 'current.vpcCni.configuration')).toEqual({ B: 'false' });
    expect(thrown(() => declaredEnv({ env: { ENABLE_PREFIX_DELEGATION: true } }, 'env', 'current.vpcCni.configuration')).property).toBe('current.vpcCni.configuration.env.ENABLE_PREFIX_DELEGATION');
    expect(thrown(() => declaredEnv({ env: ['A=1'] }, 'env', 'current.vpcCni.configuration')).property).toBe('current.vpcCni.configuration.env');
  });

  test('roles are role ARNs; associations name a service account once; a self-managed add-on owns none', () => {
    const role = 'arn:aws:iam::111122223333:role/aws-node';
    expect(() => assertExistingAddonSettings({ serviceAccountRoleArn: role, podIdentityAssociations: [{ serviceAccount: 'aws-node', roleArn: role }] }, 'current.vpcCni', 'managed')).not.toThrow();
    expect(thrown(() => assertExistingAddonSettings({ serviceAccountRoleArn: 'aws-node' }, 'current.vpcCni', 'managed')).property).toBe('current.vpcCni.serviceAccountRoleArn');
    const twice = { podIdentityAssociations: [{ serviceAccount: 'aws-node', roleArn: role }, { serviceAccount: 'aws-node', roleArn: role }] };
    expect(thrown(() => assertExistingAddonSettings(twice, 'current.vpcCni', 'managed')).property).toBe('current.vpcCni.podIdentityAssociations[1].serviceAccount');
    expect(thrown(() => assertExistingAddonSettings({ podIdentityAssociations: [{ serviceAccount: 'aws-node', roleArn: role }] }, 'current.vpcCni', 'self-managed')).message).toMatch(
      /^current\.vpcCni\.podIdentityAssociations: .* allowed: none with current\.addons 'self-managed'/,
    );
  });
});

describe('pod addresses the Cilium nodes claim', () => {
  test('prefix delegation: each node its own address and maxPods in whole /28 blocks, nodes spread over the subnets', () => {
    const d = subnetDemand([{ name: 'cilium', maxNodes: 9, maxPods: 110, instanceTypes: ['m7i.xlarge'] }], 3, true);
    // ceil(110 / 16) = 7 blocks; 3 nodes per subnet.
    expect(d).toEqual({ addresses: 3 * (1 + 7 * 16), prefixes: 21, explanation: 'cilium: 3 node(s) x (1 + 7 /28 x 16) = 339' });
    // An uneven spread counts the fuller subnet.
    expect(subnetDemand([{ name: 'a', maxNodes: 4, maxPods: 16, instanceTypes: [] }], 3, true).addresses).toBe(2 * 17);
  });

  test("without prefix delegation: the ENI formula's pods of the largest instance type, less the host-network ones", () => {
    const limits = eniLimitsOf('m7i.2xlarge')!;
    const pods = addressablePods(limits, { prefixDelegation: false }) - 2;
    const d = subnetDemand([{ name: 'a', maxNodes: 2, maxPods: undefined, instanceTypes: ['m7i.large', 'm7i.2xlarge'] }], 2, false);
    expect(d).toEqual({ addresses: 1 + pods, prefixes: 0, explanation: `a: 1 node(s) x (1 + ${pods} pods) = ${1 + pods}` });
  });

  test('several groups add up', () => {
    const one = subnetDemand([{ name: 'a', maxNodes: 2, maxPods: 110, instanceTypes: [] }], 2, true);
    const two = subnetDemand([{ name: 'b', maxNodes: 4, maxPods: 32, instanceTypes: [] }], 2, true);
    const both = subnetDemand(
      [
        { name: 'a', maxNodes: 2, maxPods: 110, instanceTypes: [] },
        { name: 'b', maxNodes: 4, maxPods: 32, instanceTypes: [] },
      ],
      2,
      true,
    );
    expect([both.addresses, both.prefixes]).toEqual([one.addresses + two.addresses, one.prefixes + two.prefixes]);
  });
});

describe('existing Karpenter NodePools and EC2NodeClasses', () => {
  const NODEPOOL_CRD = ['karpenter', KARPENTER_DEFAULT_VERSION, 'karpenter.sh_nodepools.yaml'];
  const NODECLASS_CRD = ['karpenter', KARPENTER_DEFAULT_VERSION, 'karpenter.k8s.aws_ec2nodeclasses.yaml'];
  const requirements = [{ key: 'karpenter.sh/capacity-type', operator: 'In', values: ['on-demand'] }];
  const nodeClassRef = { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' };
  const pool = (template: JsonObject): JsonObject => ({ apiVersion: 'karpenter.sh/v1', kind: 'NodePool', metadata: { name: 'general' }, spec: { template } });
  const pools: [string, JsonObject][] = [
    ['a bare pool', pool({ spec: { nodeClassRef, requirements } })],
    ['a pool with labels and a startup taint of its own', pool({ metadata: { labels: { team: 'web' } }, spec: { nodeClassRef, requirements, startupTaints: [{ key: 'example.com/init', effect: 'NoSchedule' }] } })],
    ['a pool with metadata but no labels', pool({ metadata: { annotations: { a: 'b' } }, spec: { nodeClassRef, requirements, startupTaints: [] } })],
  ];

  test.each(pools)('%s: the patch adds the Cilium label and startup taint, keeps the rest, and still fits the CRD', (_name, nodePool) => {
    const patched = applyJsonPatch(nodePool, nodePoolPatch(nodePool));
    expect(validateCustomResource(NODEPOOL_CRD, patched)).toEqual([]);
    const template = (patched.spec as { template: { metadata: { labels: Record<string, string> }; spec: { startupTaints: unknown[] } } }).template;
    expect(template.metadata.labels[CILIUM_NODE_LABEL.key]).toBe(CILIUM_NODE_LABEL.value);
    expect(template.spec.startupTaints).toContainEqual(KARPENTER_CILIUM_STARTUP_TAINT);
    // What was there stays.
    const before = (nodePool.spec as { template: { metadata?: { labels?: Record<string, string> }; spec: { startupTaints?: unknown[] } } }).template;
    expect(template.metadata.labels).toMatchObject(before.metadata?.labels ?? {});
    for (const t of before.spec.startupTaints ?? []) expect(template.spec.startupTaints).toContainEqual(t);
    // A second run changes nothing.
    expect(nodePoolPatch(patched)).toEqual([]);
  });

  test('every change is in the NodeClaim template, the part whose hash Karpenter compares for drift (not weight, limits or disruption)', () => {
    for (const [, nodePool] of pools) for (const op of nodePoolPatch(nodePool)) expect(op.path).toMatch(/^\/spec\/template\//);
  });

  test('an EC2NodeClass gets the Cilium node security group and, with prefix delegation, maxPods; it still fits the CRD', () => {
    const nodeClass: JsonObject = {
      apiVersion: 'karpenter.k8s.aws/v1',
      kind: 'EC2NodeClass',
      metadata: { name: 'default' },
      spec: {
        role: 'KarpenterNodeRole-shop',
        amiSelectorTerms: [{ alias: 'al2023@v20260714' }],
        subnetSelectorTerms: [{ tags: { 'karpenter.sh/discovery': 'shop' } }],
        securityGroupSelectorTerms: [{ tags: { 'karpenter.sh/discovery': 'shop' } }],
      },
    };
    const ops = ec2NodeClassPatch(nodeClass, { securityGroupId: 'sg-0123456789abcdef0', maxPods: 110 });
    const patched = applyJsonPatch(nodeClass, ops);
    expect(validateCustomResource(NODECLASS_CRD, patched)).toEqual([]);
    expect(patched.spec).toMatchObject({ securityGroupSelectorTerms: [{ tags: { 'karpenter.sh/discovery': 'shop' } }, { id: 'sg-0123456789abcdef0' }], kubelet: { maxPods: 110 } });
    expect(ec2NodeClassPatch(patched, { securityGroupId: 'sg-0123456789abcdef0', maxPods: 110 })).toEqual([]);
    // Without prefix delegation the node's own maxPods formula is right: only the security group.
    expect(ec2NodeClassPatch(nodeClass, { securityGroupId: 'sg-0123456789abcdef0' }).map((o) => o.path)).toEqual(['/spec/securityGroupSelectorTerms/-']);
  });
});
