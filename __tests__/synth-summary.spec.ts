/**
 * What `npm run synth` says it built (constructs/synth-summary.ts): the clusters with their region
 * and versions, node groups and NodePools, the features on and off with the setting of each, the IP
 * capacity plan, and the warnings with their fixes.
 */
import { formatCapacityPlan } from '../bpf/ipam';
import { DEFAULT_CILIUM_CHART_VERSION } from '../core/versions';
import { synthSummary } from '../constructs/synth-summary';
import { config } from '../main';
import { buildStack, defaultStack, synthStack } from './support/synth';

describe('the synth summary of the default stack', () => {
  const { stack } = defaultStack();
  const lines = synthSummary(stack, { outdir: 'out' });
  const text = lines.join('\n');
  const line = (start: string) => lines.find((l) => l.trimStart().startsWith(start));

  test('names the stack file and the cluster with its region and versions', () => {
    expect(lines[0]).toBe(`stack ${stack.node.id}: out/stacks/${stack.node.id}/cdk.tf.json`);
    expect(line('cluster ')).toContain(`cluster ${config.clusterName} in ${config.region}: Kubernetes ${config.kubernetesVersion}, Cilium ${DEFAULT_CILIUM_CHART_VERSION}, Karpenter ${stack.cluster.karpenter!.version}`);
  });

  test('the system node group with its sizes, the admins, and the NodePools', () => {
    const g = config.systemNodeGroup!;
    expect(line('system node group:')).toContain(`${g.instanceTypes!.join(', ')}, ${g.minSize} to ${g.maxSize} nodes (${g.desiredSize} at first)`);
    expect(line('admins')).toContain(config.admins![0]);
    expect(line('Karpenter NodePools:')).toMatch(/^\s*Karpenter NodePools: default \(on-demand\+spot, amd64\+arm64/);
  });

  test('features on and off, each with the setting that turns it', () => {
    expect(line('on:')).toContain('Tetragon (tetragon)');
    expect(line('on:')).toContain('log export to CloudWatch Logs (logExport)');
    expect(line('off:')).toContain('pod subnets (podSubnets)');
    expect(line('off:')).not.toContain('Tetragon');
  });

  test('the IP capacity plan, as formatCapacityPlan prints it', () => {
    const plan = formatCapacityPlan(stack.cluster.capacityPlan()!);
    expect(plan.length).toBeGreaterThan(3);
    expect(text).toContain(plan.map((l) => `    ${l}`).join('\n'));
  });

  test('the warnings, counted, with a fix for the security check that warns', () => {
    expect(line('2 warnings')).toBeDefined();
    expect(text).toContain('endpoint.publicAccessCidrs: the public Kubernetes API endpoint is open to 0.0.0.0/0; list the networks');
    expect(line('[eks-public-endpoint-open] fix:')).toContain("securityChecks: { suppress: { 'eks-public-endpoint-open': '<why>' } }");
  });
});

describe('the synth summary of a cluster with Tetragon, the log export and Karpenter off', () => {
  const stack = buildStack({ tetragon: false, logExport: false, karpenter: false, endpoint: { publicAccess: false } });
  synthStack(stack);
  const lines = synthSummary(stack);

  test('lists them as off, shows no NodePools and no warnings', () => {
    const off = lines.find((l) => l.trimStart().startsWith('off:'))!;
    for (const f of ['Tetragon (tetragon)', 'log export to CloudWatch Logs (logExport)', 'Karpenter (karpenter)']) expect(off).toContain(f);
    expect(lines.some((l) => l.includes('NodePools'))).toBe(false);
    expect(lines.some((l) => /warning/.test(l))).toBe(false);
  });
});
