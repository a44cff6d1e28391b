/**
 * Plan-time version gates: the synthesized preconditions, and their logic evaluated by a real
 * `terraform plan` on the shapes the data sources return (no cluster: no instance; a cluster
 * without Cilium: no objects; a running agent: its image), compared with the TypeScript rule of
 * core/version-step.ts on the same table.
 */
import { ciliumVersionOfMinor, CILIUM_STEP_RULE, kubernetesVersionOfMinor, KUBERNETES_STEP_RULE } from '../bpf/upgrade';
import { PlanReading, versionStepCheck } from '../constructs/plan-gate';
import { DEFAULT_KUBERNETES_VERSION } from '../bpf/versions';
import { versionStep, VersionStepRule } from '../core/version-step';
import { CiliumEksStack } from '../constructs/cilium-eks-stack';
import { CILIUM_AGENT_IMAGE } from '../constructs/cilium-eks-cluster';
import { buildStack, resource, synthJson, TfBlock, TfJson } from './support/synth';
import { planPreconditions } from './support/terraform';


let stack: CiliumEksStack;
let tf: TfJson;
beforeAll(() => {
  stack = buildStack();
  tf = synthJson(stack);
});

const preconditionsOf = (type: string, path: string): TfBlock[] => ((resource(tf, type, path).block.lifecycle as TfBlock | undefined)?.precondition as TfBlock[]) ?? [];
const dataAddress = (type: string): string => {
  const names = Object.keys(tf.data?.[type] ?? {});
  expect(names).toHaveLength(1);
  return `data.${type}.${names[0]}`;
};

describe('synthesized gates', () => {
  test('the control plane carries the Kubernetes step check, reading the running cluster by its configured name', () => {
    const gate = stack.cluster.planGate!;
    const expected = versionStepCheck({
      ...KUBERNETES_STEP_RULE,
      running: gate.runningClusterVersion(),
      target: DEFAULT_KUBERNETES_VERSION,
      subject: 'an EKS control plane',
      property: 'kubernetesVersion',
      versionOfMinor: kubernetesVersionOfMinor(),
      advice: 'Each step updates the control plane, the add-ons, the system nodes and Karpenter nodes (docs/day-2.md#upgrading).',
    });
    // Besides the rename check every cluster carries (first-apply.spec.ts), the version step.
    const steps = preconditionsOf('aws_eks_cluster', 'control-plane/cluster').filter((p) => !String(p.error_message).startsWith('cilium-eks: clusterName is'));
    expect(steps).toEqual([{ condition: `\${${expected.condition}}`, error_message: expected.errorMessage }]);
    const cluster = Object.values(tf.data!.aws_eks_cluster)[0];
    expect(cluster.name).toBe('cilium-eks');
    expect(cluster.count).toBe(`\${contains(tolist(${dataAddress('aws_eks_clusters')}.names), "cilium-eks") ? 1 : 0}`);
  });

  test('the Cilium release carries the Cilium step check, reading the agent DaemonSet only where the cluster exists', () => {
    const reading = stack.cluster.planGate!.runningObject('cilium-agent', CILIUM_AGENT_IMAGE);
    const expected = versionStepCheck({
      ...CILIUM_STEP_RULE,
      running: reading,
      target: '1.19.6',
      subject: 'Cilium',
      property: 'cilium.chartVersion',
      versionOfMinor: ciliumVersionOfMinor(),
      advice: 'Set cilium.upgradeFrom to the running version for that deploy (docs/day-2.md#upgrading).',
    });
    expect(preconditionsOf('helm_release', 'cilium/release')).toEqual([{ condition: `\${${expected.condition}}`, error_message: expected.errorMessage }]);
    expect(String(preconditionsOf('helm_release', 'cilium/release')[0].condition)).toContain('spec.template.spec.containers[0].image');
    const ds = Object.values(tf.data!.kubernetes_resources)[0];
    expect(ds).toMatchObject({ api_version: 'apps/v1', kind: 'DaemonSet', namespace: 'kube-system', field_selector: 'metadata.name=cilium' });
    expect(ds.count).toBe(Object.values(tf.data!.aws_eks_cluster)[0].count);
  });

  test('the pre-flight release is gated like the main release; planGates: false removes every reading', () => {
    const withPreflight = synthJson(buildStack({ cilium: { preflight: true } }));
    const main = (resource(withPreflight, 'helm_release', 'cilium/release').block.lifecycle as TfBlock).precondition;
    expect((resource(withPreflight, 'helm_release', 'cilium/preflight').block.lifecycle as TfBlock).precondition).toEqual(main);
    const off = synthJson(buildStack({ planGates: false }));
    expect(Object.keys(off.data ?? {}).filter((t) => /eks_cluster|kubernetes_resources/.test(t))).toEqual([]);
    // Only the rename check, which reads the state, not the running cluster, stays.
    const left = (resource(off, 'aws_eks_cluster', 'control-plane/cluster').block.lifecycle as { precondition: Array<{ error_message: string }> }).precondition;
    expect(left.map((p) => p.error_message.split(',')[0])).toEqual(['cilium-eks: clusterName is "cilium-eks"']);
  });
});

// ---------------------------------------------------------------------------------------------
// The logic, evaluated by terraform on the data sources' shapes.

interface Row {
  readonly name: string;
  /** What the data source holds: undefined = no cluster (count 0); null = cluster but no object. */
  readonly running: string | null | undefined;
  readonly target: string;
  /** The version the message names, when refused. */
  readonly next?: string;
}

const CILIUM_ROWS: Row[] = [
  { name: 'new cluster', running: undefined, target: '1.20.0' },
  { name: 'cluster without Cilium', running: null, target: '1.20.0' },
  { name: 'patch', running: 'quay.io/cilium/cilium:v1.18.12@sha256:5923f9d9', target: '1.18.12' },
  { name: 'one minor up', running: 'quay.io/cilium/cilium:v1.19.6@sha256:21c43cf5', target: '1.20.0' },
  { name: 'two minors up', running: 'quay.io/cilium/cilium:v1.18.12@sha256:5923f9d9', target: '1.20.0', next: '1.19.6' },
  { name: 'three minors up from an older release', running: 'quay.io/cilium/cilium:v1.16.4', target: '1.19.6', next: '1.17' },
  { name: 'one minor down (rollback)', running: 'quay.io/cilium/cilium:v1.20.0@sha256:c5f01391', target: '1.19.6' },
  { name: 'two minors down', running: 'quay.io/cilium/cilium:v1.20.0@sha256:c5f01391', target: '1.18.12', next: '1.19.6' },
  { name: 'an unreadable tag', running: 'quay.io/cilium/cilium:latest', target: '1.20.0' },
  { name: 'a mirror registry with a port', running: 'registry.example.com:5000/cilium/cilium:v1.18.12', target: '1.20.0', next: '1.19.6' },
];

const KUBERNETES_ROWS: Row[] = [
  { name: 'new cluster', running: undefined, target: '1.34' },
  { name: 'no change', running: '1.34', target: '1.34' },
  { name: 'one minor up', running: '1.35', target: '1.36' },
  { name: 'two minors up', running: '1.32', target: '1.34', next: '1.33' },
  { name: 'five minors up', running: '1.31', target: '1.36', next: '1.32' },
  { name: 'a downgrade', running: '1.34', target: '1.33', next: '1.34' },
  { name: 'the previous default to the default', running: '1.34', target: DEFAULT_KUBERNETES_VERSION },
  { name: 'the previous default straight to 1.36', running: '1.34', target: '1.36', next: '1.35' },
];

function reading(hcl: string, address: string, local: string, description: string): PlanReading {
  expect(hcl).toContain(address);
  return { hcl: hcl.split(address).join(`local.${local}`), description };
}

describe('gate logic under terraform, against the TypeScript rule', () => {
  test('Cilium: one minor at a time, up or down; passes where nothing runs or the tag is unreadable', () => {
    const real = stack.cluster.planGate!.runningObject('cilium-agent', CILIUM_AGENT_IMAGE);
    const address = dataAddress('kubernetes_resources');
    const cases: Record<string, { condition: string; errorMessage: string }> = {};
    const locals: Record<string, unknown> = {};
    CILIUM_ROWS.forEach((row, i) => {
      const local = `cilium_${i}`;
      // The shapes of data.kubernetes_resources: count 0, no objects, or the DaemonSet.
      locals[local] =
        row.running === undefined ? [] : [{ objects: row.running === null ? [] : [{ spec: { template: { spec: { containers: [{ name: 'cilium-agent', image: row.running }] } } } }] }];
      const check = versionStepCheck({
        ...CILIUM_STEP_RULE,
        running: reading(real.hcl, address, local, real.description),
        target: row.target,
        subject: 'Cilium',
        property: 'cilium.chartVersion',
        versionOfMinor: ciliumVersionOfMinor(),
      });
      cases[`case_${i}`] = { condition: `\${${check.condition}}`, errorMessage: check.errorMessage };
    });
    const outcomes = planPreconditions(cases, locals);
    CILIUM_ROWS.forEach((row, i) => {
      const o = outcomes[`case_${i}`];
      expect([row.name, o.ok]).toEqual([row.name, row.next === undefined]);
      expect([row.name, o.ok]).toEqual([row.name, versionStep(row.running, row.target, CILIUM_STEP_RULE as VersionStepRule).ok]);
      if (row.next !== undefined) {
        expect(o.message).toContain(`cilium.chartVersion: ${row.target} is not a step from the running Cilium agent image (${row.running})`);
        expect(o.message).toContain(`Deploy cilium.chartVersion ${row.next} first, then ${row.target}.`);
      }
    });
  });

  test('Kubernetes: one minor up at a time, never down; passes on a new cluster', () => {
    const real = stack.cluster.planGate!.runningClusterVersion();
    const address = dataAddress('aws_eks_cluster');
    const cases: Record<string, { condition: string; errorMessage: string }> = {};
    const locals: Record<string, unknown> = {};
    KUBERNETES_ROWS.forEach((row, i) => {
      const local = `eks_${i}`;
      locals[local] = row.running === undefined || row.running === null ? [] : [{ name: 'cilium-eks', version: row.running }];
      const check = versionStepCheck({
        ...KUBERNETES_STEP_RULE,
        running: reading(real.hcl, address, local, real.description),
        target: row.target,
        subject: 'an EKS control plane',
        property: 'kubernetesVersion',
        versionOfMinor: kubernetesVersionOfMinor(),
      });
      cases[`case_${i}`] = { condition: `\${${check.condition}}`, errorMessage: check.errorMessage };
    });
    const outcomes = planPreconditions(cases, locals);
    KUBERNETES_ROWS.forEach((row, i) => {
      const o = outcomes[`case_${i}`];
      expect([row.name, o.ok]).toEqual([row.name, row.next === undefined]);
      expect([row.name, o.ok]).toEqual([row.name, versionStep(row.running, row.target, KUBERNETES_STEP_RULE as VersionStepRule).ok]);
      if (row.next !== undefined) {
        expect(o.message).toContain(`kubernetesVersion: ${row.target} is not a step from the running EKS control plane's version (${row.running})`);
        expect(o.message).toContain(`Deploy kubernetesVersion ${row.next} first, then ${row.target}.`);
      }
    });
  });

  test('a reading is made only where the cluster exists', () => {
    const count = String(Object.values(tf.data!.aws_eks_cluster)[0].count).replace(/^\$\{|\}$/g, '');
    const address = dataAddress('aws_eks_clusters');
    const table: [string, string[], number][] = [
      ['no cluster in the region', [], 0],
      ['other clusters only', ['payments', 'cilium-eks-old'], 0],
      ['the cluster exists', ['payments', 'cilium-eks'], 1],
    ];
    const cases: Record<string, { condition: string; errorMessage: string }> = {};
    const locals: Record<string, unknown> = {};
    table.forEach(([, names, expected], i) => {
      locals[`clusters_${i}`] = { names };
      cases[`case_${i}`] = { condition: `\${(${count.split(address).join(`local.clusters_${i}`)}) == ${expected}}`, errorMessage: `count is not ${expected}` };
    });
    const outcomes = planPreconditions(cases, locals);
    table.forEach(([name], i) => expect([name, outcomes[`case_${i}`]]).toEqual([name, { ok: true }]));
  });
});
