/**
 * The default cluster's day-2 story on one Terraform state (support/lifecycle.ts): planned on an
 * empty state, created, planned by a second deployer, a downgrade refused, Cilium then Kubernetes
 * one minor up as docs/day-2.md#upgrading says, tags changed, destroyed (the teardown).
 */
import type { CiliumEksStackProps } from '../constructs/cilium-eks-stack';
import { DEFAULT_CILIUM_CHART_VERSION } from '../core/versions';
import { proveHarness } from './support/lifecycle-selftest';
import { LIFECYCLE_TIMEOUT_MS, lifecycleFailure, LifecycleResult, LifecycleStep, runLifecycle, runningState } from './support/lifecycle';
import { ClusterState, KubeObject } from './support/plan-state';
import type { TfJson } from './support/synth';

/**
 * The synthesis modules (cdktf, the providers, the constructs), loaded only when a sequence's
 * sources changed: a warm run reads every result from the cache and loads none of them.
 */
const synth = () => require('./support/synth') as typeof import('./support/synth');
const appConfig = () => (require('../main') as typeof import('../main')).config;
/**
 * main.ts's cluster, with the two deployers of the second-deployer step named as admins beside
 * main.ts's own: both plan and apply it, and the admin check (a failing check is an error under
 * terraform test) wants whoever runs Terraform among the admins.
 */
const synthDefault = (props: Partial<CiliumEksStackProps> = {}) => synth().synthStack(synth().buildStack({ admins: [...(appConfig().admins ?? []), ...DEPLOYER_ROLES], ...props }));

/** The Cilium agent DaemonSet as the plan gate lists it, running `version`. */
function ciliumAgent(version: string): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'cilium', namespace: 'kube-system' },
    spec: { template: { spec: { containers: [{ name: 'cilium-agent', image: `quay.io/cilium/cilium:v${version}` }] } } },
  };
}

/** The default cluster running Kubernetes `kubernetes` and Cilium `cilium`. */
function running(kubernetes: string, cilium: string): ClusterState {
  return { clusters: [appConfig().clusterName], version: kubernetes, objects: [ciliumAgent(cilium)] };
}

function step(name: string, props: Partial<CiliumEksStackProps>, extra: Omit<LifecycleStep, 'name' | 'tf'> & { state?: ClusterState } = {}): LifecycleStep {
  const text = synthDefault(props);
  const tf = JSON.parse(text) as TfJson;
  const { state, overrideData = [], ...rest } = extra;
  return { name, tf: text, ...rest, overrideData: [...(state ? runningState(tf, state) : []), ...overrideData] };
}

/** The caller identity data source of a configuration, answering as `arn`. */
function caller(tf: TfJson, arn: string) {
  return Object.keys(tf.data?.aws_caller_identity ?? {}).map((name) => ({ target: `data.aws_caller_identity.${name}`, values: { arn, account_id: '111122223333', user_id: `AROAEXAMPLE:${arn.split('/').pop()}` } }));
}

/** Every access entry's and access policy association's principal, by address: what a second deployer must not change. */
function accessOutputs(tf: TfJson): Record<string, string> {
  const entries = (type: string) => Object.keys(tf.resource[type] ?? {}).map((name) => `${JSON.stringify(`${type}.${name}`)} = ${type}.${name}.principal_arn`);
  return { access_principals: `{ ${[...entries('aws_eks_access_entry'), ...entries('aws_eks_access_policy_association')].join(', ')} }` };
}

const LAPTOP = 'arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_PlatformAdmin_0123456789abcdef/alice';
/** The roles LAPTOP and CI are sessions of (an SSO role lives under a path; the check ignores it). */
const DEPLOYER_ROLES = ['arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_PlatformAdmin_0123456789abcdef', 'arn:aws:iam::111122223333:role/github-deploy'];
const CI = 'arn:aws:sts::111122223333:assumed-role/github-deploy/run-4242';
const CILIUM_NEXT = '1.20.0';

function defaultSequence(): LifecycleStep[] {
  const base = synthDefault();
  const baseTf = JSON.parse(base) as TfJson;
  const clusterAddress = `aws_eks_cluster.${Object.keys(baseTf.resource.aws_eks_cluster)[0]}`;
  return [
    { name: 'plan-on-empty-state', command: 'plan', tf: base },
    { name: 'create', tf: base, overrideData: caller(baseTf, LAPTOP), outputs: accessOutputs(baseTf) },
    {
      name: 'second-deployer',
      command: 'plan',
      tf: base,
      overrideData: [...runningState(baseTf, running(appConfig().kubernetesVersion!, DEFAULT_CILIUM_CHART_VERSION)), ...caller(baseTf, CI)],
      outputs: accessOutputs(baseTf),
      asserts: [{ condition: 'output.access_principals == run.create.access_principals', errorMessage: 'a second deployer changes the access entries' }],
    },
    step('downgrade-refused', { kubernetesVersion: '1.34' }, { command: 'plan', state: running('1.35', DEFAULT_CILIUM_CHART_VERSION), expectFailures: [clusterAddress] }),
    step('cilium-minor-up', { cilium: { chartVersion: CILIUM_NEXT, upgradeFrom: DEFAULT_CILIUM_CHART_VERSION } }, { state: running('1.35', DEFAULT_CILIUM_CHART_VERSION) }),
    step('kubernetes-minor-up', { kubernetesVersion: '1.36', kubernetesUpgradeFrom: '1.35', cilium: { chartVersion: CILIUM_NEXT } }, { state: running('1.35', CILIUM_NEXT) }),
    step('tags-changed', { kubernetesVersion: '1.36', cilium: { chartVersion: CILIUM_NEXT }, tags: { team: 'platform', 'cost-center': '4711' } }, { state: running('1.36', CILIUM_NEXT) }),
  ];
}

let sequence: Promise<LifecycleResult> | undefined;
const defaultDay2 = () => (sequence ??= runLifecycle('default-day2', defaultSequence));

describe('the default cluster on one state', () => {
  beforeAll(() => {
    // Started at once, beside the self-test and the other sequences: they all wait on Terraform.
    void defaultDay2().catch(() => undefined);
  });

  test('the harness proved it can fail (self-test) before any sequence counts', async () => {
    await expect(proveHarness()).resolves.toBeUndefined();
  }, LIFECYCLE_TIMEOUT_MS);

  test.each([
    ['is planned on an empty state: nothing is keyed on a value unknown until apply', ['plan-on-empty-state']],
    ['a second deployer plans the stack the first created without changing an access entry', ['create', 'second-deployer']],
    ['a Kubernetes downgrade is refused at plan by the upgrade gate', ['downgrade-refused']],
  ])('%s', async (_title, steps) => {
    await proveHarness();
    const r = await defaultDay2();
    expect(Object.fromEntries(steps.map((n) => [n, r.runs[n]]))).toEqual(Object.fromEntries(steps.map((n) => [n, 'pass'])));
  }, LIFECYCLE_TIMEOUT_MS);

  test('Cilium then Kubernetes one minor up, tags changed, then destroyed: every step and the teardown pass', async () => {
    await proveHarness();
    const r = await defaultDay2();
    expect(lifecycleFailure(r)).toBeUndefined();
    expect(r.runs).toEqual(Object.fromEntries(defaultStepNames.map((n) => [n, 'pass'])));
  }, LIFECYCLE_TIMEOUT_MS);

  test('version skew is listed, never silent: the default cluster needs no argument the offline AWS provider lacks', async () => {
    const r = await defaultDay2();
    console.log(`default-day2 ran with ${r.terraform} and hashicorp/aws ${r.provider.version} (${r.provider.from}); 6.x-only arguments left out: ${r.skew.join(', ') || 'none'}; not modelled: ${r.notModelled.join('; ') || 'nothing'}`);
    // A new argument of the 6.x bindings that the mirror's 5.100.0 lacks shows here first.
    expect(r.skew).toEqual([]);
    // The log groups' adoption (the control plane's and the export's import blocks, for_each over the
    // groups that exist: none on an empty account); their import is tested in evidence-terraform.spec.ts.
    expect(r.notModelled).toEqual([
      expect.stringMatching(/^import \(to aws_cloudwatch_log_group\..*control-plane_log-group/),
      expect.stringMatching(/^import \(to aws_cloudwatch_log_group\..*hubble-flows/),
      expect.stringMatching(/^import \(to aws_cloudwatch_log_group\..*tetragon-events/),
    ]);
  }, LIFECYCLE_TIMEOUT_MS);
});

const defaultStepNames = ['plan-on-empty-state', 'create', 'second-deployer', 'downgrade-refused', 'cilium-minor-up', 'kubernetes-minor-up', 'tags-changed'];

// ---------------------------------------------------------------------------------------------
// The migration (examples/migration): every phase applied in order on one state, each planned
// against the cluster its gates must see (support/migration-cluster.ts, the states the plan-check
// tables use).

const ROLLED_OUT = { kubeProxyReplacement: 'true', desired: 2, updated: 2, available: 2, generation: 7, observed: 7 };

/**
 * The deploys of the migration and the running cluster each is planned against: every phase in
 * order (the phase before recorded, the nodes moved as the runbook moves them), then the rollback
 * of docs/migration.md#rollback, one phase back at a time (the phase after recorded).
 */
function migrationDeploys(): { name: string; phase: string; state: ClusterState }[] {
  const { cluster, CILIUM_NODES, OLD_NODES } = require('./support/migration-cluster') as typeof import('./support/migration-cluster');
  const allCilium = { nodes: CILIUM_NODES, awsNodeOn: [] as string[] };
  return [
    { name: 'prepare', phase: 'prepare', state: cluster() },
    { name: 'cilium-nodes', phase: 'cilium-nodes', state: cluster({ recorded: 'prepare' }) },
    { name: 'drain-web', phase: 'drain:web', state: cluster({ recorded: 'cilium-nodes', nodes: [...OLD_NODES, ...CILIUM_NODES] }) },
    { name: 'drain-workers', phase: 'drain:workers', state: cluster({ recorded: 'drain:web', nodes: [OLD_NODES[1], ...CILIUM_NODES] }) },
    { name: 'kube-proxy-replacement', phase: 'kube-proxy-replacement', state: cluster({ recorded: 'drain:workers', ...allCilium }) },
    { name: 'finalize', phase: 'finalize', state: cluster({ recorded: 'kube-proxy-replacement', ...allCilium, cilium: ROLLED_OUT }) },
    { name: 'rollback-to-kube-proxy-replacement', phase: 'kube-proxy-replacement', state: cluster({ recorded: 'finalize', ...allCilium, cilium: ROLLED_OUT }) },
    { name: 'rollback-to-drain-workers', phase: 'drain:workers', state: cluster({ recorded: 'kube-proxy-replacement', ...allCilium }) },
    { name: 'rollback-to-drain-web', phase: 'drain:web', state: cluster({ recorded: 'drain:workers', ...allCilium }) },
  ];
}

function migrationSequence(): LifecycleStep[] {
  const { migrationConfig } = require('../examples/migration/main') as typeof import('../examples/migration/main');
  const { migrationPhases } = require('../bpf/migration') as typeof import('../bpf/migration');
  const { CiliumMigrationStack } = require('../constructs/migration/cilium-migration-stack') as typeof import('../constructs/migration/cilium-migration-stack');
  const { Testing } = require('cdktf') as typeof import('cdktf');
  const deploys = migrationDeploys();
  // Forward, every phase of the example in its order.
  expect(deploys.slice(0, 6).map((d) => d.phase)).toEqual(migrationPhases((migrationConfig.oldNodeGroups ?? []).map((g) => g.name)));
  const texts = new Map<string, string>();
  return deploys.map(({ name, phase, state }) => {
    if (!texts.has(phase)) texts.set(phase, synth().synthStack(new CiliumMigrationStack(Testing.app(), migrationConfig.clusterName, { ...migrationConfig, phase })));
    const text = texts.get(phase)!;
    return { name, tf: text, overrideData: runningState(JSON.parse(text) as TfJson, state) };
  });
}

let migration: Promise<LifecycleResult> | undefined;
const migrationRun = () => (migration ??= runLifecycle('migration-phases', migrationSequence));

describe('the migration from the VPC CNI on one state', () => {
  beforeAll(() => {
    void migrationRun().catch(() => undefined);
  });

  test('every phase (prepare, cilium-nodes, each drain, kube-proxy-replacement, finalize) applies in order, rolls back one phase at a time, then everything is destroyed', async () => {
    await proveHarness();
    const r = await migrationRun();
    expect(lifecycleFailure(r)).toBeUndefined();
    expect(Object.keys(r.runs)).toEqual(migrationDeploys().map((d) => d.name));
  }, LIFECYCLE_TIMEOUT_MS);

  test('the old node groups are cordoned at the first drain, drained in their order, the last drain undone by its rollback, the rest by the destroy', async () => {
    const r = await migrationRun();
    // The provisioners' node group changes (stubbed `aws`), in the order they ran; calls that run
    // side by side (one per node group) are compared as sets.
    const changes = r.commands
      .map((c) => /update-nodegroup-config .*--nodegroup-name (\S+) (--taints (add|remove)|--scaling-config minSize=\d+,maxSize=\d+,desiredSize=(\d+))/.exec(c))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => `${m[1]} ${m[3] ? `${m[3]} taint` : `desired ${m[4]}`}`);
    expect(changes).toHaveLength(8);
    expect([new Set(changes.slice(0, 2)), ...changes.slice(2, 6), new Set(changes.slice(6))]).toEqual([
      new Set(['web add taint', 'workers add taint']),
      'web desired 0',
      'workers desired 0',
      // Rolled back to drain:web: the workers' drain undone (back to its size).
      'workers desired 2',
      // The teardown: the web drain undone, then the cordons.
      'web desired 2',
      new Set(['web remove taint', 'workers remove taint']),
    ]);
  }, LIFECYCLE_TIMEOUT_MS);
});
