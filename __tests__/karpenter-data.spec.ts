/**
 * Karpenter NodePools and EC2NodeClasses as data (`karpenter.nodePools`, `karpenter.nodeClasses`):
 * the same objects and checks as `addNodePool` and `addNodeClass`, errors named where the data sits.
 */
import { KarpenterNodeClassOptions, KarpenterNodePoolOptions } from '../constructs/karpenter/karpenter';
import { thrown } from './support/errors';
import { buildStack, synthStack } from './support/synth';

const GPU_CLASS: KarpenterNodeClassOptions = { name: 'gpu', rootVolumeSize: '200Gi' };
const POOLS: KarpenterNodePoolOptions[] = [
  { name: 'batch', capacityTypes: ['spot'], architectures: ['arm64'] },
  { name: 'gpu', nodeClassName: 'gpu', instanceCategories: ['g'], taints: [{ key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' }] },
];

describe('NodePools and EC2NodeClasses as data', () => {
  test('are the objects addNodeClass and addNodePool make, and the stack synthesizes', () => {
    // GIVEN the same pools once as data and once in code
    const asData = buildStack({ karpenter: { nodeClasses: [GPU_CLASS], nodePools: POOLS } });
    const inCode = buildStack({ karpenter: {} });
    inCode.cluster.addNodeClass(GPU_CLASS);
    for (const p of POOLS) inCode.cluster.addNodePool(p);
    // THEN
    const manifests = (s: typeof asData) => s.cluster.karpenter!.nodeResources.manifests;
    expect(manifests(asData).map((m) => `${m.kind}/${m.metadata.name}`)).toEqual(['EC2NodeClass/default', 'EC2NodeClass/gpu', 'NodePool/batch', 'NodePool/default', 'NodePool/gpu']);
    // Equal but for the node role's name, a token of each stack.
    const masked = (s: typeof asData) => JSON.stringify(manifests(s)).replace(/\$\{TfToken\[TOKEN\.\d+\]\}/g, '<role>');
    expect(masked(asData)).toBe(masked(inCode));
    expect(masked(asData)).toContain('"role":"<role>"');
    expect(synthStack(asData)).toContain('name: batch');
  });

  test('a name taken twice is refused at the position of the second', () => {
    const e = thrown(() => buildStack({ karpenter: { nodePools: [POOLS[0], { name: 'batch' }] } }));
    expect(e.message).toMatch(/^karpenter\.nodePools\[1\]\.name: "batch" is not valid/);
    // `default` is the default pool's.
    expect(thrown(() => buildStack({ karpenter: { nodePools: [{}] } })).message).toMatch(/^karpenter\.nodePools\[0\]\.name: "default" is not valid/);
  });

  test('a pool on an EC2NodeClass the cluster does not have is refused, naming the ones it has', () => {
    const e = thrown(() => buildStack({ karpenter: { nodePools: [POOLS[1]] } }));
    expect(e.message).toMatch(/^karpenter\.nodePools\[0\]\.nodeClassName: "gpu" is not valid; allowed: an EC2NodeClass of this cluster: default/);
  });

  test('an unknown key in a pool is refused with its path', () => {
    const e = thrown(() => buildStack({ karpenter: { nodePools: [{ name: 'x', capacityType: ['spot'] } as unknown as KarpenterNodePoolOptions] } }));
    expect(e.message).toContain('karpenter.nodePools[0].capacityType');
  });
});
