/**
 * Items a user lists are keyed by what they are, never by position: removing one changes only its
 * own resources. Each test synthesizes before and after removing one item and compares every
 * resource of the stack.
 */
import { parse } from 'yaml';
import { CiliumEksStackProps } from '../constructs/cilium-eks-stack';
import { CiliumEksStack } from '../constructs/cilium-eks-stack';
import { thrown } from './support/errors';
import { buildStack, synthJson, TfBlock, TfJson } from './support/synth';

const OPS_A = 'arn:aws:iam::123456789012:role/ops-a';
const OPS_B = 'arn:aws:iam::123456789012:role/ops-b';
const OPS_C = 'arn:aws:iam::123456789012:user/ops-c';

/** Every resource by address. */
function resources(tf: TfJson): Map<string, TfBlock> {
  const out = new Map<string, TfBlock>();
  for (const [type, blocks] of Object.entries(tf.resource)) for (const [name, block] of Object.entries(blocks)) out.set(`${type}.${name}`, block);
  return out;
}

/**
 * What removing an item changed: the addresses that went away or appeared, and those whose
 * configuration changed other than by dropping a `depends_on` on a removed resource.
 */
function diff(before: TfJson, after: TfJson): { removed: string[]; added: string[]; changed: string[] } {
  const b = resources(before);
  const a = resources(after);
  const removed = [...b.keys()].filter((k) => !a.has(k)).sort();
  const added = [...a.keys()].filter((k) => !b.has(k)).sort();
  const changed = [...a.keys()]
    .filter((k) => b.has(k))
    .filter((k) => {
      // A precondition is evaluated at plan and not stored in state: changing it changes no resource.
      const strip = (block: TfBlock): string =>
        JSON.stringify({ ...block, lifecycle: { ...(block.lifecycle as object), precondition: undefined }, depends_on: ((block.depends_on as string[] | undefined) ?? []).filter((d) => !removed.some((r) => d === r || d.startsWith(`${r}.`))) });
      return strip(b.get(k) as TfBlock) !== strip(a.get(k) as TfBlock);
    })
    .sort();
  return { removed, added, changed };
}

const synth = (props: Partial<CiliumEksStackProps>, extra?: (stack: CiliumEksStack) => void): TfJson => {
  const stack = buildStack(props);
  extra?.(stack);
  return synthJson(stack);
};

describe('admins are keyed by principal', () => {
  test('removing the first of three admins changes only its access entry and policy association', () => {
    // GIVEN
    const before = synth({ admins: [OPS_A, OPS_B, OPS_C] });
    // WHEN
    const after = synth({ admins: [OPS_B, OPS_C] });
    // THEN
    const d = diff(before, after);
    expect(d.added).toEqual([]);
    expect(d.changed).toEqual([]);
    expect(d.removed).toHaveLength(2);
    expect(d.removed.every((r) => r.includes('admin-arn-aws-iam-123456789012-role-ops-a'))).toBe(true);
  });

  test('an admin with an id of the caller\'s choosing is keyed by that id', () => {
    const tf = synth({ admins: [{ id: 'platform', principalArn: OPS_A }] });
    expect([...resources(tf).keys()].filter((k) => k.includes('_admin-platform'))).toHaveLength(2);
  });

  test('moved blocks carry 0.1.0\'s position-keyed addresses to the principal-keyed ones', () => {
    const tf = synth({ admins: [OPS_A, OPS_B] }) as TfJson & { moved?: Array<{ from: string; to: string }> };
    const moves = (tf.moved ?? []).map((m) => [m.from.replace(/_[0-9A-F]{8}$/, ''), m.to.replace(/_[0-9A-F]{8}$/, '')]);
    expect(moves).toEqual(
      expect.arrayContaining([
        ['aws_eks_access_entry.cluster_control-plane_admin-0', 'aws_eks_access_entry.cluster_control-plane_admin-arn-aws-iam-123456789012-role-ops-a'],
        ['aws_eks_access_policy_association.cluster_control-plane_admin-0-policy', 'aws_eks_access_policy_association.cluster_control-plane_admin-arn-aws-iam-123456789012-role-ops-a-policy'],
        ['aws_eks_access_entry.cluster_control-plane_admin-1', 'aws_eks_access_entry.cluster_control-plane_admin-arn-aws-iam-123456789012-role-ops-b'],
      ]),
    );
    // Each move points at a resource of the configuration.
    for (const m of tf.moved ?? []) expect(resources(tf).has(m.to)).toBe(true);
  });

  test("0.1.0's deployer entry moves to the admin marked formerDeployerAdmin, and no positional move targets that admin", () => {
    const tf = synth({ admins: [OPS_A, { principalArn: OPS_B, formerDeployerAdmin: true }] }) as TfJson & { moved?: Array<{ from: string; to: string }>; removed?: unknown[] };
    const moves = (tf.moved ?? []).map((m) => [m.from.replace(/_[0-9A-F]{8}$/, ''), m.to.replace(/_[0-9A-F]{8}$/, '')]);
    expect(moves).toEqual(
      expect.arrayContaining([
        ['aws_eks_access_entry.cluster_control-plane_deployer-admin', 'aws_eks_access_entry.cluster_control-plane_admin-arn-aws-iam-123456789012-role-ops-b'],
        ['aws_eks_access_policy_association.cluster_control-plane_deployer-admin-policy', 'aws_eks_access_policy_association.cluster_control-plane_admin-arn-aws-iam-123456789012-role-ops-b-policy'],
        ['aws_eks_access_entry.cluster_control-plane_admin-0', 'aws_eks_access_entry.cluster_control-plane_admin-arn-aws-iam-123456789012-role-ops-a'],
      ]),
    );
    // Terraform refuses two moves into one address: each target appears once.
    const targets = (tf.moved ?? []).map((m) => m.to);
    expect(new Set(targets).size).toBe(targets.length);
    expect((tf.removed ?? []).filter((r) => JSON.stringify(r).includes('deployer-admin'))).toEqual([]);
  });

  test("without formerDeployerAdmin, 0.1.0's deployer entry is let go of, never destroyed", () => {
    const tf = synth({ admins: [OPS_A] }) as TfJson & { removed?: Array<{ from: string; lifecycle: { destroy: boolean } }> };
    expect((tf.removed ?? []).filter((r) => r.from.startsWith('aws_eks_access')).map((r) => [r.from.replace(/_[0-9A-F]{8}$/, ''), r.lifecycle.destroy])).toEqual([
      ['aws_eks_access_entry.cluster_control-plane_deployer-admin', false],
      ['aws_eks_access_policy_association.cluster_control-plane_deployer-admin-policy', false],
    ]);
    // The removed addresses are 0.1.0's: no resource of the configuration has them.
    for (const r of tf.removed ?? []) expect(resources(tf).has(r.from)).toBe(false);
    // Terraform reads `removed` from 1.7: the stack says so.
    expect((tf.terraform as { required_version?: string }).required_version).toBe('>= 1.7.0');
  });

  test('an admin ARN that is a Terraform token needs an id', () => {
    const e = thrown(() => buildStack({ admins: ['${aws_iam_role.x.arn}'] }));
    expect(e.property).toBe('admins[0]');
    expect(e.allowed).toContain('{ id, principalArn }');
  });
});

describe('subnet discovery tags are keyed by subnet ID', () => {
  const network = (ids: string[]): Partial<CiliumEksStackProps> => ({ network: undefined, existingNetwork: { vpcId: 'vpc-0123abcd', vpcCidr: '10.1.0.0/16', privateSubnetIds: ids } });

  test('removing one subnet removes only its tag (and the subnet from the cluster\'s list)', () => {
    const before = synth(network(['subnet-0000000a', 'subnet-0000000b', 'subnet-0000000c']));
    const after = synth(network(['subnet-0000000b', 'subnet-0000000c']));
    const d = diff(before, after);
    expect(d.added).toEqual([]);
    expect(d.removed).toHaveLength(1);
    expect(d.removed[0]).toMatch(/^aws_ec2_tag\.cluster_subnet-discovery-tag-subnet-0000000a_/);
    // The subnet list is the removed subnet's own effect on the cluster and the Cilium values.
    expect(d.changed.every((c) => /^(aws_eks_cluster|aws_eks_node_group|helm_release)\./.test(c))).toBe(true);
  });
});

describe('Pod Identity roles are keyed by id, their policies by ARN', () => {
  const S3 = 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess';
  const SQS = 'arn:aws:iam::aws:policy/AmazonSQSReadOnlyAccess';

  test('removing one Pod Identity changes only its role, policy and association', () => {
    const before = synth({}, (s) => {
      s.cluster.addPodIdentity('reports', { namespace: 'payments', serviceAccount: 'reports', managedPolicyArns: [S3] });
      s.cluster.addPodIdentity('billing', { namespace: 'payments', serviceAccount: 'billing', managedPolicyArns: [S3] });
    });
    const after = synth({}, (s) => s.cluster.addPodIdentity('billing', { namespace: 'payments', serviceAccount: 'billing', managedPolicyArns: [S3] }));
    const d = diff(before, after);
    expect(d.added).toEqual([]);
    expect(d.removed.length).toBeGreaterThanOrEqual(3);
    expect(d.removed.every((r) => r.includes('pod-identity-reports'))).toBe(true);
    // The agent egress policy for the removed service account goes with it: only the policies' release changes.
    expect(d.changed.every((c) => c.startsWith('helm_release.cluster_network-policies_delivery_release'))).toBe(true);
  });

  test('removing one managed policy detaches only it', () => {
    const before = synth({}, (s) => s.cluster.addPodIdentity('reports', { namespace: 'payments', serviceAccount: 'reports', managedPolicyArns: [S3, SQS] }));
    const after = synth({}, (s) => s.cluster.addPodIdentity('reports', { namespace: 'payments', serviceAccount: 'reports', managedPolicyArns: [SQS] }));
    const d = diff(before, after);
    expect(d).toEqual({ removed: [expect.stringMatching(/^aws_iam_role_policy_attachment\.cluster_pod-identity-reports_managed-arn-aws-iam-aws-policy-AmazonS3ReadOnlyAccess_/)], added: [], changed: [] });
  });
});

describe('NodePools are keyed by name', () => {
  const manifests = (tf: TfJson): Array<{ kind: string; metadata: { name: string } }> => {
    const release = Object.entries(tf.resource.helm_release).find(([k]) => k.startsWith('cluster_karpenter_node-resources'))?.[1] as TfBlock;
    return (parse((release.values as string[])[0]) as { manifests: Array<{ kind: string; metadata: { name: string } }> }).manifests;
  };

  test('removing one NodePool removes only its object from the node-resources release', () => {
    const before = synth({}, (s) => {
      s.cluster.karpenter?.addNodePool({ name: 'batch', capacityTypes: ['spot'] });
      s.cluster.karpenter?.addNodePool({ name: 'web' });
    });
    const after = synth({}, (s) => s.cluster.karpenter?.addNodePool({ name: 'web' }));
    const d = diff(before, after);
    expect(d.removed).toEqual([]);
    expect(d.added).toEqual([]);
    expect(d.changed).toEqual([expect.stringMatching(/^helm_release\.cluster_karpenter_node-resources_release_/)]);
    const keep = (tf: TfJson): unknown[] => manifests(tf).filter((m) => m.metadata.name !== 'batch');
    expect(keep(after)).toEqual(keep(before));
    expect(manifests(before).map((m) => m.metadata.name)).toContain('batch');
    expect(manifests(after).map((m) => m.metadata.name)).not.toContain('batch');
  });

  test('a second NodePool of one name is refused', () => {
    const stack = buildStack();
    stack.cluster.karpenter?.addNodePool({ name: 'batch' });
    const e = thrown(() => stack.cluster.karpenter?.addNodePool({ name: 'batch' }));
    expect(e.property).toBe('addNodePool(batch).name');
  });
});
