/**
 * A destroy that completes: NodePools carry a termination grace period, the node-resources
 * release (EC2NodeClass + NodePools) is destroyed before the Karpenter controller and waits longer
 * than the slowest NodePool can take to drain and terminate its nodes.
 */
import { parse } from 'yaml';
import {
  DEFAULT_TERMINATION_GRACE_PERIOD,
  durationSeconds,
  FINALIZER_ALLOWANCE_SECONDS,
  INSTANCE_TERMINATION_ALLOWANCE_SECONDS,
  MIN_NODE_RESOURCES_TIMEOUT_SECONDS,
  nodePoolDestroyBudget,
  nodeResourcesReleaseTimeoutSeconds,
} from '../constructs/karpenter/destroy-budget';
import { buildNodePool } from '../constructs/karpenter/node-resources';
import { KARPENTER_DEFAULT_VERSION } from '../constructs/karpenter/versions';
import { CiliumEksStackProps } from '../constructs/cilium-eks-stack';
import { TfBlock, TfJson, buildStack, dependsOn, resource, synthJson, synthStack } from './support/synth';
import { thrown } from './support/errors';
import { validateCustomResource } from './support/upstream';

const NODEPOOL_CRD = ['karpenter', KARPENTER_DEFAULT_VERSION, 'karpenter.sh_nodepools.yaml'];

interface Manifest {
  kind: string;
  metadata: { name: string };
  spec: { template: { spec: { terminationGracePeriod?: string } } };
}

/** Seconds of a Go duration as Terraform's `timeouts` take it (`4801s`, `1h20m`). */
function goDurationSeconds(d: string): number {
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(d);
  if (!m || d === '') throw new Error(`not a duration: ${d}`);
  return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
}

function synth(props: Partial<CiliumEksStackProps> = {}, addPools: (s: ReturnType<typeof buildStack>) => void = () => undefined): TfJson {
  const stack = buildStack(props);
  addPools(stack);
  return synthJson(stack);
}

function nodeResources(tf: TfJson): { address: string; block: TfBlock; pools: Manifest[] } {
  const r = resource(tf, 'helm_release', 'karpenter/node-resources/release');
  const manifests = (parse((r.block.values as string[])[0]) as { manifests: Manifest[] }).manifests;
  return { ...r, pools: manifests.filter((m) => m.kind === 'NodePool') };
}

describe('durationSeconds', () => {
  test.each([
    ['90s', 90],
    ['30m', 1800],
    ['1h', 3600],
    ['1h30m', 5400],
    ['2h0m10s', 7210],
  ])('%s is %d s', (d, s) => {
    expect(durationSeconds(d, 'p')).toBe(s);
  });

  test.each(['Never', '1d', '', '1.5h', 'h'])('refuses %j, naming the property', (d) => {
    const e = thrown(() => durationSeconds(d, 'karpenter.defaultNodePool.terminationGracePeriod'));
    expect(e.message).toContain(`karpenter.defaultNodePool.terminationGracePeriod: ${JSON.stringify(d)} is not valid`);
  });
});

describe('destroy budget arithmetic', () => {
  test('one pool: grace period (drain and volume detachment) + instance termination + finalizers', () => {
    // WHEN
    const b = nodePoolDestroyBudget('2h');
    // THEN
    expect(b.gracePeriodSeconds).toBe(7200);
    expect(b.totalSeconds).toBe(b.gracePeriodSeconds + b.instanceTerminationSeconds + b.finalizerSeconds);
    expect(b.instanceTerminationSeconds).toBeGreaterThanOrEqual(300);
  });

  test('the release timeout exceeds the slowest pool, not the sum (pools drain in parallel)', () => {
    const pools = ['10m', '3h', '1h'];
    const timeout = nodeResourcesReleaseTimeoutSeconds(pools);
    for (const g of pools) expect(timeout).toBeGreaterThan(nodePoolDestroyBudget(g).totalSeconds);
    expect(timeout).toBeLessThan(pools.map((g) => nodePoolDestroyBudget(g).totalSeconds).reduce((a, b) => a + b, 0));
  });

  test('never below the install timeout, even with no pool or a zero grace period', () => {
    expect(nodeResourcesReleaseTimeoutSeconds([])).toBe(MIN_NODE_RESOURCES_TIMEOUT_SECONDS);
    expect(nodeResourcesReleaseTimeoutSeconds(['0s'])).toBeGreaterThan(INSTANCE_TERMINATION_ALLOWANCE_SECONDS + FINALIZER_ALLOWANCE_SECONDS);
  });
});

describe('NodePool terminationGracePeriod', () => {
  test('set by default, and the pool still fits the upstream NodePool CRD', () => {
    // WHEN
    const pool = buildNodePool({ prefixDelegation: true });
    // THEN
    expect(pool.spec.template.spec.terminationGracePeriod).toBe(DEFAULT_TERMINATION_GRACE_PERIOD);
    expect(durationSeconds(DEFAULT_TERMINATION_GRACE_PERIOD, 'default')).toBeGreaterThan(0);
    expect(validateCustomResource(NODEPOOL_CRD, pool)).toEqual([]);
  });

  test('a value given is kept', () => {
    expect(buildNodePool({ prefixDelegation: false, terminationGracePeriod: '45m' }).spec.template.spec.terminationGracePeriod).toBe('45m');
  });
});

describe('default stack: destroy order and timeouts', () => {
  let tf: TfJson;
  beforeAll(() => {
    tf = synth();
  });

  test('the node-resources release depends on the controller release, so it is destroyed first', () => {
    const controller = resource(tf, 'helm_release', 'karpenter/release');
    expect(dependsOn(nodeResources(tf).block)).toContain(controller.address);
  });

  test('the controller release depends on its identity and policies, which therefore outlive it', () => {
    const controller = resource(tf, 'helm_release', 'karpenter/release').block;
    expect(dependsOn(controller)).toContain(resource(tf, 'aws_eks_pod_identity_association', 'karpenter/controller-identity').address);
    expect(dependsOn(controller).filter((d) => d.startsWith('aws_iam_role_policy_attachment.')).length).toBeGreaterThan(0);
  });

  test('what the drain needs outlives it: the controller runs on the system nodes, which need Cilium', () => {
    const controller = resource(tf, 'helm_release', 'karpenter/release').block;
    const nodeGroup = resource(tf, 'aws_eks_node_group', 'system-nodes/node-group');
    expect(dependsOn(controller)).toContain(nodeGroup.address);
    expect(dependsOn(nodeGroup.block)).toContain(resource(tf, 'helm_release', 'cilium/release').address);
  });

  test('the node-resources uninstall waits (helm polls each object, finalizers included, until it is gone)', () => {
    expect(nodeResources(tf).block.wait).toBe(true);
  });

  test('every NodePool has a grace period, and the Helm timeout exceeds grace period + instance termination + finalizers of each', () => {
    const { block, pools } = nodeResources(tf);
    expect(pools.map((p) => p.metadata.name)).toEqual(['default']);
    for (const pool of pools) {
      const grace = pool.spec.template.spec.terminationGracePeriod;
      expect(grace).toBeDefined();
      const b = nodePoolDestroyBudget(grace as string);
      expect(block.timeout as number).toBeGreaterThan(b.gracePeriodSeconds + INSTANCE_TERMINATION_ALLOWANCE_SECONDS + FINALIZER_ALLOWANCE_SECONDS);
    }
  });

  test('default: 1h grace period gives 1h15m of Helm timeout and a longer Terraform delete timeout', () => {
    const { block } = nodeResources(tf);
    expect(block.timeout).toBe(3600 + 600 + 300 + 1);
    const deleteTimeout = goDurationSeconds((block.timeouts as { delete: string }).delete);
    expect(deleteTimeout).toBeGreaterThan(block.timeout as number);
  });
});

describe('timeouts follow the NodePools', () => {
  test('a longer pool added later raises both timeouts', () => {
    // WHEN
    const tf = synth({}, (s) => s.cluster.karpenter?.addNodePool({ name: 'batch', terminationGracePeriod: '3h' }));
    // THEN
    const { block, pools } = nodeResources(tf);
    expect(pools.map((p) => [p.metadata.name, p.spec.template.spec.terminationGracePeriod])).toEqual([
      ['batch', '3h'],
      ['default', '1h'],
    ]);
    expect(block.timeout as number).toBeGreaterThan(nodePoolDestroyBudget('3h').totalSeconds);
    expect(goDurationSeconds((block.timeouts as { delete: string }).delete)).toBeGreaterThan(block.timeout as number);
  });

  test('a pool on another EC2NodeClass counts too (the uninstall waits for every class)', () => {
    const tf = synth({}, (s) => {
      s.cluster.addNodeClass({ name: 'gpu', rootVolumeSize: '200Gi' });
      s.cluster.addNodePool({ name: 'gpu', nodeClassName: 'gpu', terminationGracePeriod: '2h' });
    });
    expect(nodeResources(tf).block.timeout as number).toBeGreaterThan(nodePoolDestroyBudget('2h').totalSeconds);
  });

  test('a shorter pool does not lower them', () => {
    const base = nodeResources(synth()).block.timeout as number;
    const tf = synth({}, (s) => s.cluster.karpenter?.addNodePool({ name: 'quick', terminationGracePeriod: '5m' }));
    expect(nodeResources(tf).block.timeout).toBe(base);
  });

  test('the default pool grace period is configurable and drives the timeout', () => {
    // WHEN
    const tf = synth({ karpenter: { defaultNodePool: { terminationGracePeriod: '20m' } } });
    // THEN
    const { block, pools } = nodeResources(tf);
    expect(pools[0].spec.template.spec.terminationGracePeriod).toBe('20m');
    expect(block.timeout).toBe(nodeResourcesReleaseTimeoutSeconds(['20m']));
    expect(block.timeout as number).toBeLessThan(nodeResourcesReleaseTimeoutSeconds(['1h']));
  });

  test('an invalid grace period fails at synth, named where the user wrote it', () => {
    const stack = buildStack();
    const e = thrown(() => stack.cluster.karpenter?.addNodePool({ name: 'batch', terminationGracePeriod: '2d' }));
    expect(e.message).toContain('addNodePool(batch).terminationGracePeriod: "2d" is not valid');
    const e2 = thrown(() => buildStack({ karpenter: { defaultNodePool: { terminationGracePeriod: 'Never' } } }));
    expect(e2.message).toContain('karpenter.defaultNodePool.terminationGracePeriod: "Never" is not valid');
  });

  test('without a default pool the release keeps the install timeout until a pool is added', () => {
    const tf = synth({ karpenter: { defaultNodePool: false } });
    expect(nodeResources(tf).block.timeout).toBe(MIN_NODE_RESOURCES_TIMEOUT_SECONDS);
    expect(synthStack(buildStack({ karpenter: false }))).not.toContain('karpenter-node-resources');
  });
});
