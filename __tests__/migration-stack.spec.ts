/**
 * The brownfield example (examples/migration/main.ts) synthesized at every phase: the invariants
 * (one CNI per node, no pod on a node without one, only the phase's changes in each plan, rollback
 * by setting the previous phase), the plan-time order check, per-phase golden Cilium values, the
 * values against the 1.19.6 and 1.20.0 schemas, and the refusals of bad input.
 */
import * as fs from 'fs';
import * as path from 'path';
import { IConstruct } from 'constructs';
import { parse } from 'yaml';
import { App, Testing } from 'cdktf';
import { buildApp as buildMigrationApp, migrationConfig } from '../examples/migration/main';
import { CILIUM_NODE_LABEL, EKS_NODEGROUP_LABEL, matchesNodeAffinity, matchesNodeSelector, migrationPhases, RequiredNodeAffinity } from '../bpf/migration';
import { CILIUM_STARTUP_TAINT } from '../bpf/cilium-values';
import { CiliumMigrationStack, CiliumMigrationStackProps } from '../constructs/migration/cilium-migration-stack';
import { synthSummary } from '../constructs/synth-summary';
import { thrown } from './support/errors';
import { expectGolden } from './support/golden';
import { validateCiliumValues } from './support/upstream';
import { TfBlock, synthStack } from './support/synth';

interface StackJson {
  resource: Record<string, Record<string, TfBlock>>;
  data: Record<string, Record<string, TfBlock>>;
  import?: { to: string; id: string }[];
}

const OLD_GROUPS = migrationConfig.oldNodeGroups.map((g) => g.name);
const PHASES = migrationPhases(OLD_GROUPS);

function stackOf(app: App): CiliumMigrationStack {
  return app.node.children.find((c) => c instanceof CiliumMigrationStack) as CiliumMigrationStack;
}

function synthPhase(phase: string, overrides: Partial<CiliumMigrationStackProps> = {}): { text: string; tf: StackJson; stack: CiliumMigrationStack } {
  const app = Testing.app();
  const stack = new CiliumMigrationStack(app, migrationConfig.clusterName, { ...migrationConfig, ...overrides, phase });
  const text = synthStack(stack);
  return { text, tf: JSON.parse(text) as StackJson, stack };
}

/** A resource's name in the plan tables: type and construct path below the migration, without cdktf's hash. */
function planName(type: string, key: string): string {
  return `${type}.${key.replace(/^migration_/, '').replace(/_[0-9A-F]{8}$/, '')}`;
}

/**
 * The stack's resources by plan name, without their preconditions: a precondition is a check at
 * plan time, not an attribute, so adding or changing one plans no change to the resource.
 */
function resources(tf: StackJson): Map<string, TfBlock> {
  const out = new Map<string, TfBlock>();
  for (const [type, blocks] of Object.entries(tf.resource)) {
    for (const [key, block] of Object.entries(blocks)) {
      const { precondition: _checks, ...lifecycle } = (block.lifecycle as TfBlock | undefined) ?? {};
      const { lifecycle: _lifecycle, ...rest } = block;
      out.set(planName(type, key), Object.keys(lifecycle).length > 0 ? { ...rest, lifecycle } : rest);
    }
  }
  return out;
}

function ofType(tf: StackJson, type: string): [string, TfBlock][] {
  return Object.entries(tf.resource[type] ?? {});
}

interface NodePoolManifest {
  kind: string;
  metadata: { name: string };
  spec: { template: { metadata?: { labels?: Record<string, string> }; spec: { startupTaints?: { key: string; value?: string; effect: string }[] } } };
}

/** The Karpenter NodePools the stack delivers (in the values of the node-resources release). */
function nodePools(tf: StackJson): NodePoolManifest[] {
  const release = ofType(tf, 'helm_release').find(([, b]) => b.name === 'karpenter-node-resources');
  if (!release) return [];
  return (parse((release[1].values as string[])[0]) as { manifests: NodePoolManifest[] }).manifests.filter((m) => m.kind === 'NodePool');
}

function ciliumValues(tf: StackJson): Record<string, unknown> | undefined {
  const release = ofType(tf, 'helm_release').find(([, b]) => b.name === 'cilium');
  return release ? (parse((release[1].values as string[])[0]) as Record<string, unknown>) : undefined;
}

const synthesized = new Map<string, { text: string; tf: StackJson; stack: CiliumMigrationStack }>();
beforeAll(() => {
  for (const phase of PHASES) synthesized.set(phase, synthPhase(phase));
});
const tfOf = (phase: string): StackJson => synthesized.get(phase)!.tf;

// ---------------------------------------------------------------------------------------------

describe('every phase of the example synthesizes', () => {
  test('the documented entry point builds the stack of the phase it is given', () => {
    const app = Testing.app();
    buildMigrationApp(app, 'drain:web');
    expect(stackOf(app).migration.phase.name).toBe('drain:web');
  });

  test('its synth summary names the phase deployed and the next one', () => {
    const lines = synthSummary(synthesized.get('cilium-nodes')!.stack);
    expect(lines).toContain(`  migration of ${migrationConfig.clusterName} to Cilium: phase cilium-nodes (2 of ${PHASES.length}: ${PHASES.join(', ')})`);
    expect(lines).toContain(`    next phase: ${PHASES[2]}, once the checks of docs/migration.md pass`);
  });

  test('deterministic: the same phase twice gives the same text', () => {
    expect(synthPhase('cilium-nodes').text).toBe(synthesized.get('cilium-nodes')!.text);
  });

  test('no security check fails in any phase', () => {
    for (const phase of PHASES) {
      const errors: string[] = [];
      const walk = (c: IConstruct): void => {
        errors.push(...c.node.metadata.filter((m) => m.type === '@cdktf/error').map((m) => `${phase}: ${String(m.data)}`));
        c.node.children.forEach(walk);
      };
      walk(synthesized.get(phase)!.stack);
      expect(errors).toEqual([]);
    }
  });
});

describe('invariant: one working CNI on every node, in every phase', () => {
  interface NodeKind {
    id: string;
    labels: Record<string, string>;
  }
  const base = { 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64' };

  /** The node kinds that exist in a phase: old groups not yet drained, the Cilium groups created, Karpenter's NodePools. */
  function nodeKinds(tf: StackJson): NodeKind[] {
    const drained = new Set(ofType(tf, 'terraform_data').filter(([k]) => k.includes('_drain_')).map(([, b]) => (b.input as { nodegroup: string }).nodegroup));
    const old = OLD_GROUPS.filter((n) => !drained.has(n)).map((n) => ({ id: `old:${n}`, labels: { ...base, [EKS_NODEGROUP_LABEL]: n } }));
    const cilium = ofType(tf, 'aws_eks_node_group').map(([k, b]) => ({ id: `cilium:${k}`, labels: { ...base, [EKS_NODEGROUP_LABEL]: 'generated', ...(b.labels as Record<string, string>) } }));
    const karpenter = nodePools(tf).map((p) => ({ id: `cilium:karpenter/${p.metadata.name}`, labels: { ...base, 'karpenter.sh/nodepool': p.metadata.name, ...p.spec.template.metadata?.labels } }));
    return [...old, ...cilium, ...karpenter];
  }

  /** The CNIs whose DaemonSet schedules on `labels`, read from the synthesized add-on and release. */
  function cnis(tf: StackJson, labels: Record<string, string>): string[] {
    const out: string[] = [];
    const vpcCni = ofType(tf, 'aws_eks_addon').find(([, b]) => b.addon_name === 'vpc-cni');
    if (vpcCni) {
      const config = JSON.parse(vpcCni[1].configuration_values as string) as { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: RequiredNodeAffinity } } };
      if (matchesNodeAffinity(config.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution, labels)) out.push('aws-node');
    }
    const values = ciliumValues(tf);
    if (values) {
      // The chart's default agent nodeSelector is kubernetes.io/os: linux (values.yaml).
      const selector = (values.nodeSelector as Record<string, string> | undefined) ?? { 'kubernetes.io/os': 'linux' };
      if (matchesNodeSelector(selector, labels)) out.push('cilium');
    }
    return out;
  }

  test.each(PHASES.map((p) => [p]))('%s', (phase) => {
    const tf = tfOf(phase);
    const kinds = nodeKinds(tf);
    expect(kinds.length).toBeGreaterThan(0);
    for (const kind of kinds) {
      const found = cnis(tf, kind.labels);
      expect([kind.id, found]).toEqual([kind.id, [kind.id.startsWith('old:') ? 'aws-node' : 'cilium']]);
    }
  });

  test('Karpenter: the default NodePool gets the Cilium node label; a NodePool without it fails the synth', () => {
    expect(nodePools(tfOf('cilium-nodes')).map((p) => p.metadata.name)).toEqual(['default']);
    const { stack } = synthPhase('cilium-nodes');
    stack.migration.karpenter!.addNodePool({ name: 'batch', capacityTypes: ['spot'] });
    expect(() => synthStack(stack)).toThrow(/karpenter NodePool batch: its nodes must carry the label cilium-eks\/cni=cilium during the migration/);
    const labelled = synthPhase('cilium-nodes').stack;
    labelled.migration.karpenter!.addNodePool({ name: 'batch', capacityTypes: ['spot'], labels: { [CILIUM_NODE_LABEL.key]: CILIUM_NODE_LABEL.value } });
    expect(() => synthStack(labelled)).not.toThrow();
  });

  test('the check fails on a cluster where a node runs two CNIs', () => {
    // The vpc-cni add-on of `prepare` and the final Cilium values on the same node.
    const tf = { ...tfOf('prepare'), resource: { ...tfOf('prepare').resource, helm_release: tfOf('finalize').resource.helm_release } };
    expect(cnis(tf, { ...base, [EKS_NODEGROUP_LABEL]: 'web' })).toEqual(['aws-node', 'cilium']);
  });
});

describe('invariant: no pod on a node without a working CNI', () => {
  test('every Cilium node joins with the startup taint, and the agent tolerates it', () => {
    for (const phase of PHASES.slice(1)) {
      for (const [, group] of ofType(tfOf(phase), 'aws_eks_node_group')) {
        expect(group.taint).toEqual([{ key: CILIUM_STARTUP_TAINT.key, value: CILIUM_STARTUP_TAINT.value, effect: 'NO_EXECUTE' }]);
        expect(group.labels).toMatchObject({ [CILIUM_NODE_LABEL.key]: CILIUM_NODE_LABEL.value });
      }
      for (const pool of nodePools(tfOf(phase))) {
        expect(pool.spec.template.spec.startupTaints).toEqual([{ key: CILIUM_STARTUP_TAINT.key, value: CILIUM_STARTUP_TAINT.value, effect: 'NoExecute' }]);
        expect(pool.spec.template.metadata?.labels).toMatchObject({ [CILIUM_NODE_LABEL.key]: CILIUM_NODE_LABEL.value });
      }
      // The agent keeps the chart's `tolerations: [{operator: Exists}]` (checked against values.yaml in migration-model.spec.ts).
      expect(ciliumValues(tfOf(phase))).not.toHaveProperty('tolerations');
    }
  });

  test('the Cilium nodes wait for the Cilium release; pods are pushed off old nodes only once the Cilium nodes exist and every old group is cordoned', () => {
    for (const phase of ['drain:web', 'drain:workers'] as const) {
      const tf = tfOf(phase);
      const [[releaseKey]] = ofType(tf, 'helm_release').filter(([, b]) => b.name === 'cilium');
      for (const [, group] of ofType(tf, 'aws_eks_node_group')) expect(group.depends_on).toContain(`helm_release.${releaseKey}`);
      const groups = ofType(tf, 'aws_eks_node_group').map(([k]) => `aws_eks_node_group.${k}`);
      const steps = ofType(tf, 'terraform_data');
      const cordons = steps.filter(([k]) => k.includes('_cordon_')).map(([k]) => `terraform_data.${k}`);
      expect(cordons).toHaveLength(OLD_GROUPS.length);
      const drains = steps.filter(([k]) => k.includes('_drain_'));
      expect(drains).toHaveLength(phase === 'drain:web' ? 1 : 2);
      // A drain evicts onto the nodes that take pods: every old group must be cordoned first (and, in
      // reverse, every drain undone before a cordon is removed). Terraform's parallel walk orders only
      // what depends_on says.
      for (const [key, step] of steps) {
        if (key.includes('_cordon_')) expect(step.depends_on).toEqual(groups);
        else if (key.includes('_drain_')) expect([...(step.depends_on as string[])].sort()).toEqual([...cordons].sort());
      }
    }
  });

  test('from the first drain on, every old node group stops taking pods, not only the one drained', () => {
    for (const phase of PHASES) {
      const cordoned = ofType(tfOf(phase), 'terraform_data')
        .filter(([k]) => k.includes('_cordon_'))
        .map(([, b]) => (b.input as { nodegroup: string }).nodegroup);
      expect([phase, cordoned.sort()]).toEqual([phase, ['prepare', 'cilium-nodes'].includes(phase) ? [] : [...OLD_GROUPS].sort()]);
    }
  });
});

// ---------------------------------------------------------------------------------------------

/** What deploying `to` after `from` changes: resources added, removed, changed (plan names). */
function planDiff(from: StackJson | undefined, to: StackJson): { added: string[]; removed: string[]; changed: string[] } {
  const a = from ? resources(from) : new Map<string, TfBlock>();
  const b = resources(to);
  return {
    added: [...b.keys()].filter((k) => !a.has(k)).sort(),
    removed: [...a.keys()].filter((k) => !b.has(k)).sort(),
    changed: [...b.keys()].filter((k) => a.has(k) && JSON.stringify(a.get(k)) !== JSON.stringify(b.get(k))).sort(),
  };
}

/** docs/migration.md's table of what each phase's plan changes (the example's names). */
function planTable(): string {
  const cell = (names: string[]): string => (names.length === 0 ? '-' : names.map((n) => `\`${n}\``).join('<br>'));
  const rows = PHASES.map((phase, i) => {
    const d = planDiff(i === 0 ? undefined : tfOf(PHASES[i - 1]), tfOf(phase));
    return `| \`${phase}\` | ${cell(d.added)} | ${cell(d.removed)} | ${cell(d.changed)} |`;
  });
  return ['| Phase | Creates | Destroys | Updates |', '|---|---|---|---|', ...rows].join('\n');
}

const PAGE = path.join(__dirname, '..', 'docs', 'migration.md');
const TABLE_START = '<!-- migration-plan-table:start (generated by __tests__/migration-stack.spec.ts; UPDATE_DOCS=1 rewrites it) -->';
const TABLE_END = '<!-- migration-plan-table:end -->';

describe("invariant: every phase's plan holds only that phase's changes", () => {
  test('the docs/migration.md table lists exactly what each phase creates, destroys and updates', () => {
    const text = fs.readFileSync(PAGE, 'utf8');
    const start = text.indexOf(TABLE_START);
    const end = text.indexOf(TABLE_END);
    expect([start >= 0, end > start]).toEqual([true, true]);
    const actual = planTable();
    if (process.env.UPDATE_DOCS === '1') {
      fs.writeFileSync(PAGE, `${text.slice(0, start + TABLE_START.length)}\n${actual}\n${text.slice(end)}`);
      return;
    }
    expect(text.slice(start + TABLE_START.length, end).trim()).toBe(actual);
  });

  test('each phase touches only its own kind of resources', () => {
    const kinds = PHASES.map((phase, i) => {
      const d = planDiff(i === 0 ? undefined : tfOf(PHASES[i - 1]), tfOf(phase));
      const all = [...d.added, ...d.removed, ...d.changed].filter((n) => !n.startsWith('kubernetes_config_map_v1.phase-gate'));
      return [phase, [...new Set(all.map((n) => n.split('.')[0]))].sort()];
    });
    expect(kinds).toEqual([
      ['prepare', ['aws_eks_addon']],
      [
        'cilium-nodes',
        [
          'aws_cloudwatch_event_rule',
          'aws_cloudwatch_event_target',
          'aws_ec2_tag',
          'aws_eks_access_entry',
          'aws_eks_addon',
          'aws_eks_node_group',
          'aws_eks_pod_identity_association',
          'aws_iam_policy',
          'aws_iam_role',
          'aws_iam_role_policy_attachment',
          'aws_launch_template',
          'aws_security_group',
          'aws_sqs_queue',
          'aws_sqs_queue_policy',
          'aws_vpc_security_group_egress_rule',
          'aws_vpc_security_group_ingress_rule',
          'helm_release',
          'kubernetes_namespace_v1',
        ],
      ],
      ['drain:web', ['terraform_data']],
      ['drain:workers', ['terraform_data']],
      // vpc-cni goes, Cilium takes every node with kube-proxy replacement, the policies arrive.
      ['kube-proxy-replacement', ['aws_eks_addon', 'helm_release']],
      // Only kube-proxy goes.
      ['finalize', ['aws_eks_addon']],
    ]);
  });

  test('the phase record changes in every phase and is written after every change of the phase', () => {
    for (const phase of PHASES) {
      const tf = tfOf(phase);
      const [[, record]] = ofType(tf, 'kubernetes_config_map_v1');
      expect((record.data as { phase: string }).phase).toBe(phase);
      // The resources that act on the cluster; IAM, security groups and launch templates are
      // dependencies of these (the release waits for the identity, the node groups for the rest).
      const acting = ['aws_eks_addon', 'helm_release', 'aws_eks_node_group', 'terraform_data'].flatMap((type) => ofType(tf, type).map(([k]) => `${type}.${k}`));
      expect(acting.filter((a) => !(record.depends_on as string[]).includes(a))).toEqual([]);
    }
  });
});

describe('invariant: rollback by setting the previous phase', () => {
  test('what a phase creates outside Terraform has a destroy-time step that undoes it', () => {
    const tf = tfOf('finalize');
    for (const [key, step] of ofType(tf, 'terraform_data')) {
      const provisioners = step.provisioner as { 'local-exec': { command: string; when?: string } }[];
      const undo = provisioners.find((p) => p['local-exec'].when === 'destroy');
      expect([key, undo !== undefined]).toEqual([key, true]);
      expect(undo!['local-exec'].command).toMatch(key.includes('_drain_') ? /--scaling-config "minSize=\$MIN_SIZE,maxSize=\$MAX_SIZE,desiredSize=\$DESIRED_SIZE"/ : /removeTaints=.*uncordon/s);
    }
  });

  test('the sizes a rollback restores are the ones read before the drain, never the drained ones', () => {
    for (const [, step] of ofType(tfOf('drain:workers'), 'terraform_data').filter(([k]) => k.includes('_drain_'))) {
      expect(step.lifecycle).toEqual({ ignore_changes: ['input'] });
      expect(step.input).toMatchObject({ min_size: expect.stringMatching(/^\$\{data\.aws_eks_node_group\..*\.scaling_config\[0\]\.min_size\}$/) });
      expect(step.triggers_replace).toEqual({ cluster: 'shop-prod', region: 'eu-west-1', nodegroup: (step.input as { nodegroup: string }).nodegroup });
    }
  });

  test('each phase admits the recorded phase one ahead, so the previous phase deploys as a rollback', () => {
    PHASES.forEach((phase, i) => {
      const [[, record]] = ofType(tfOf(phase), 'kubernetes_config_map_v1');
      const condition = (record.lifecycle as { precondition: { condition: string }[] }).precondition[0].condition;
      const allowed = JSON.parse(/contains\((\[[^\]]*\])/.exec(condition)![1].replace(/, /g, ',')) as string[];
      expect(allowed).toEqual([i === 0 ? 'none' : PHASES[i - 1], phase, ...(i + 1 < PHASES.length ? [PHASES[i + 1]] : [])]);
    });
  });

  test('rolling back a phase is the reverse of its plan', () => {
    for (let i = 1; i < PHASES.length; i++) {
      const forward = planDiff(tfOf(PHASES[i - 1]), tfOf(PHASES[i]));
      const back = planDiff(tfOf(PHASES[i]), tfOf(PHASES[i - 1]));
      expect([PHASES[i], back.added, back.removed, back.changed]).toEqual([PHASES[i], forward.removed, forward.added, forward.changed]);
    }
  });
});

describe('the plan-time order check', () => {
  const tf = (): StackJson => tfOf('drain:web');

  test("reads the record with the project's plan gate (a kubernetes_resources data source, read once the cluster is listed)", () => {
    const [[, source]] = Object.entries(tf().data.kubernetes_resources);
    expect(source).toEqual({
      api_version: 'v1',
      kind: 'ConfigMap',
      namespace: 'kube-system',
      field_selector: 'metadata.name=cilium-eks-migration',
      count: expect.stringMatching(/^\$\{contains\(tolist\(data\.aws_eks_clusters\.\S+\.names\), "shop-prod"\) \? 1 : 0\}$/),
    });
  });

  test('refuses a skipped phase with the order and the phase to deploy next', () => {
    const [[, record]] = ofType(tf(), 'kubernetes_config_map_v1');
    const [pre] = (record.lifecycle as { precondition: { condition: string; error_message: string }[] }).precondition;
    expect(pre.condition).toMatch(/^\$\{contains\(\["cilium-nodes","drain:web","drain:workers"\], coalesce\(try\(data\.kubernetes_resources\.\S+\[0\]\.objects\[0\]\.data\.phase, null\), "none"\)\)\}$/);
    expect(pre.error_message).toContain('cilium-eks migration: phase drain:web cannot be deployed while the cluster is in phase ${coalesce(try(');
    expect(pre.error_message).toContain(
      'in this order: prepare -> cilium-nodes -> drain:web -> drain:workers -> kube-proxy-replacement -> finalize. Deploy phase ${lookup({"none" = "prepare", "prepare" = "cilium-nodes", "cilium-nodes" = "drain:web"',
    );
  });

  test('the Cilium release refuses a cluster whose Kubernetes version is not the one given', () => {
    const [[, release]] = ofType(tf(), 'helm_release');
    const cilium = ofType(tf(), 'helm_release').find(([, b]) => b.name === 'cilium')![1];
    expect(release).toBeDefined();
    expect((cilium.lifecycle as { precondition: { condition: string }[] }).precondition[0].condition).toMatch(/^\$\{data\.aws_eks_cluster\.\S+\.version == "1\.34"\}$/);
  });
});

describe('add-ons', () => {
  test('self-managed DaemonSets are adopted as managed add-ons, with the aws-node affinity from the first phase', () => {
    const addons = ofType(tfOf('prepare'), 'aws_eks_addon').map(([, b]) => b);
    expect(addons.map((a) => [a.addon_name, a.resolve_conflicts_on_create])).toEqual([
      ['kube-proxy', 'OVERWRITE'],
      ['vpc-cni', 'OVERWRITE'],
    ]);
    expect(tfOf('prepare').import).toBeUndefined();
  });

  test('managed add-ons are imported into the state in prepare only, so rolling the end back creates them again', () => {
    const managed = { current: { ...migrationConfig.current, addons: 'managed' } } as const;
    const { tf } = synthPhase('prepare', managed);
    expect((tf.import ?? []).map((i) => i.id).sort()).toEqual(['shop-prod:kube-proxy', 'shop-prod:vpc-cni']);
    expect(synthPhase('drain:workers', managed).tf.import).toBeUndefined();
    // The add-on blocks are those of the self-managed case: only the import and the plan-time checks (what runs is read differently) differ.
    const withoutChecks = (t: StackJson) => ofType(t, 'aws_eks_addon').map(([k, { lifecycle: _checks, ...b }]) => [k, b]);
    expect(withoutChecks(tf)).toEqual(withoutChecks(tfOf('prepare')));
  });

  test('kube-proxy-replacement removes vpc-cni, finalize kube-proxy; the Pod Identity agent stays', () => {
    expect(ofType(tfOf('kube-proxy-replacement'), 'aws_eks_addon').map(([, b]) => b.addon_name).sort()).toEqual(['eks-pod-identity-agent', 'kube-proxy']);
    expect(ofType(tfOf('finalize'), 'aws_eks_addon').map(([, b]) => b.addon_name)).toEqual(['eks-pod-identity-agent']);
  });
});

describe('Cilium values per phase', () => {
  test.each(PHASES.slice(1).map((p) => [p]))('golden: %s', (phase) => {
    const release = ofType(tfOf(phase), 'helm_release').find(([, b]) => b.name === 'cilium')!;
    expectGolden(`migration/phase-${phase.replace(':', '-')}.cilium.yaml`, (release[1].values as string[])[0]);
  });

  test.each([['1.19.6'], ['1.20.0']])('chart %s: every phase validates against the schema', (chartVersion) => {
    for (const phase of PHASES.slice(1)) {
      const { tf } = synthPhase(phase, { cilium: { chartVersion } });
      const release = ofType(tf, 'helm_release').find(([, b]) => b.name === 'cilium')!;
      expect(release[1].version).toBe(chartVersion);
      expect([phase, validateCiliumValues(chartVersion, ciliumValues(tf))]).toEqual([phase, []]);
    }
  });

  test('final: kube-proxy replacement with the cluster endpoint, the agent on every node, enforcement on, the policies delivered', () => {
    const values = ciliumValues(tfOf('finalize'))!;
    expect(values).toMatchObject({ kubeProxyReplacement: 'true', k8sServicePort: 443, k8sServiceHost: expect.stringMatching(/^\$\{replace\(data\.aws_eks_cluster\.\S+\.endpoint, "https:\/\/", ""\)\}$/) });
    expect(values).not.toHaveProperty('nodeSelector');
    expect(values).not.toHaveProperty('policyAuditMode');
    const policies = ofType(tfOf('finalize'), 'helm_release').find(([, b]) => b.name === 'cilium-eks-network-policies');
    expect(policies).toBeDefined();
    expect(ofType(tfOf('drain:workers'), 'helm_release').map(([, b]) => b.name).sort()).toEqual(['cilium', 'karpenter', 'karpenter-crd', 'karpenter-node-resources']);
  });
});

describe('bad input fails at synth, naming the property', () => {
  const build = (overrides: Partial<CiliumMigrationStackProps>, phase = 'prepare') => () => new CiliumMigrationStack(Testing.app(), 'x', { ...migrationConfig, ...overrides, phase });

  test('a cluster that already runs Cilium', () => {
    expect(thrown(build({ current: { cni: 'cilium', addons: 'managed' } })).property).toBe('current.cni');
  });

  test('a cluster without managed or adoptable add-ons', () => {
    expect(thrown(build({ current: { cni: 'aws-vpc-cni', addons: 'none' } })).property).toBe('current.addons');
  });

  test('a phase name that does not exist', () => {
    expect(thrown(build({}, 'switch-over')).message).toMatch(/^phase: "switch-over" is not valid; allowed: one of prepare, cilium-nodes, drain:web, drain:workers, kube-proxy-replacement, finalize/);
  });

  test('a drain phase of a node group not in the props', () => {
    expect(thrown(build({}, 'drain:batch')).message).toMatch(/^phase: "drain:batch" is not valid; .*node group "batch" is not in oldNodeGroups/);
  });

  test('node groups listed twice, or a Cilium group named like an old one', () => {
    expect(thrown(build({ oldNodeGroups: [{ name: 'web' }, { name: 'web' }] })).property).toBe('oldNodeGroups[1].name');
    expect(thrown(build({ ciliumNodeGroups: [{ name: 'web' }] })).property).toBe('ciliumNodeGroups[0].name');
  });

  test('a Kubernetes version whose kernel is unknown, and a datapath setting the kernel refuses', () => {
    expect(thrown(build({ kubernetesVersion: '1.29' })).property).toBe('kubernetesVersion');
    expect(thrown(build({ kubernetesVersion: '1.32', cilium: { datapath: { preset: 'custom', base: 'performance', netkit: true } } })).property).toBe('cilium.datapath.netkit');
  });

  test('an unknown key, named as written, with the closest known one', () => {
    const e = thrown(build({ ciliumNodeGroups: [{ name: 'cilium', instanceType: ['m7i.large'] } as never] }));
    expect(e.property).toBe('ciliumNodeGroups[0].instanceType');
    expect(e.message).toContain('did you mean ciliumNodeGroups[0].instanceTypes?');
    expect(thrown(build({ drainTimout: '2h' } as never)).message).toContain('did you mean drainTimeout?');
    expect(thrown(build({ cilium: { datapath: { preset: 'performance', netkt: true } } } as never)).property).toBe('cilium.datapath.netkt');
  });

  test('a region, VPC or subnet list that cannot be', () => {
    expect(thrown(build({ region: 'eu-west-9' })).property).toBe('region');
    expect(thrown(build({ vpcId: 'vpc-1' })).property).toBe('vpcId');
    expect(thrown(build({ privateSubnetIds: ['subnet-0a1b2c3d4e5f60001'] })).property).toBe('privateSubnetIds');
  });

  test('a drain timeout kubectl does not read, a node role that is not a role ARN', () => {
    expect(thrown(build({ drainTimeout: 'forever' })).property).toBe('drainTimeout');
    expect(thrown(build({ nodeRoleArn: 'eks-node' })).property).toBe('nodeRoleArn');
  });
});
