/**
 * The migration's pure model (bpf/migration.ts): phases, the order check, the current-state
 * refusals, the scheduling rules, and the Cilium values of each stage against the 1.19.6 and
 * 1.20.0 chart schemas and values.yaml key paths, with golden values per stage.
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  allowedRecordedPhases,
  assertMigratable,
  assertMigrationCiliumOptions,
  assertOldNodeGroups,
  CHAINING_PHASE_EXCLUDED,
  CILIUM_NODE_LABEL,
  ciliumStageOf,
  cnisOn,
  FINALIZE_SPLIT,
  NOT_A_CILIUM_NODE,
  RequiredNodeAffinity,
  matchesNodeAffinity,
  migrationCiliumValues,
  MigrationCiliumValuesOptions,
  migrationPhases,
  resolveMigrationPhase,
  vpcCniAffinity,
  vpcCniConfigurationValues,
  withMigrationAffinity,
} from '../bpf/migration';
import { buildCiliumValues } from '../bpf/cilium-values';
import { JsonObject } from '../core/yaml';
import { thrown } from './support/errors';
import { expectGolden } from './support/golden';
import { readUpstreamText, upstreamYaml, validateCiliumValues } from './support/upstream';
import { unknownCiliumKeys } from './support/chart-keys';

const OPTIONS: MigrationCiliumValuesOptions = {
  k8sServiceHost: 'ABCDEF0123456789.gr7.eu-west-1.eks.amazonaws.com',
  region: 'eu-west-1',
  podSubnetIds: ['subnet-0000000a', 'subnet-0000000b', 'subnet-0000000c'],
  kubernetesVersion: '1.34',
};
const GROUPS = ['web', 'workers'];

describe('phases', () => {
  test('one phase per deploy: prepare, the Cilium nodes, one drain per old node group in order, kube-proxy replacement, finalize', () => {
    expect(migrationPhases(GROUPS)).toEqual(['prepare', 'cilium-nodes', 'drain:web', 'drain:workers', 'kube-proxy-replacement', 'finalize']);
  });

  test('a drain phase drains its group and the ones before it; the old nodes stop taking pods from the first drain on', () => {
    const cases = migrationPhases(GROUPS).map((p) => {
      const r = resolveMigrationPhase(p, GROUPS);
      return [p, r.kind, r.drained, r.oldNodesTainted, r.previous, r.vpcCniPresent, r.kubeProxyPresent];
    });
    expect(cases).toEqual([
      ['prepare', 'prepare', [], false, 'none', true, true],
      ['cilium-nodes', 'cilium-nodes', [], false, 'prepare', true, true],
      ['drain:web', 'drain', ['web'], true, 'cilium-nodes', true, true],
      ['drain:workers', 'drain', ['web', 'workers'], true, 'drain:web', true, true],
      // aws-node goes with kube-proxy replacement; kube-proxy one deploy later.
      ['kube-proxy-replacement', 'kube-proxy-replacement', ['web', 'workers'], true, 'drain:workers', false, true],
      ['finalize', 'finalize', ['web', 'workers'], true, 'kube-proxy-replacement', false, false],
    ]);
  });

  test('the cluster may be one phase behind (a step), at the phase (a re-deploy) or one ahead (a rollback)', () => {
    expect(allowedRecordedPhases(resolveMigrationPhase('prepare', GROUPS))).toEqual(['none', 'prepare', 'cilium-nodes']);
    expect(allowedRecordedPhases(resolveMigrationPhase('drain:workers', GROUPS))).toEqual(['drain:web', 'drain:workers', 'kube-proxy-replacement']);
    expect(allowedRecordedPhases(resolveMigrationPhase('finalize', GROUPS))).toEqual(['kube-proxy-replacement', 'finalize']);
  });

  test('an unknown phase name fails with the phases that exist', () => {
    const e = thrown(() => resolveMigrationPhase('cutover', GROUPS));
    expect(e.property).toBe('phase');
    expect(e.message).toBe('phase: "cutover" is not valid; allowed: one of prepare, cilium-nodes, drain:web, drain:workers, kube-proxy-replacement, finalize (each phase is one cdktf deploy, in this order)');
  });

  test('a drain phase of a node group not in the props fails naming it', () => {
    const e = thrown(() => resolveMigrationPhase('drain:batch', GROUPS));
    expect(e.message).toBe('phase: "drain:batch" is not valid; allowed: a drain phase of a node group in oldNodeGroups: drain:web, drain:workers (node group "batch" is not in oldNodeGroups)');
  });

  test('old node groups: at least one, EKS names, each once', () => {
    expect(thrown(() => assertOldNodeGroups([])).property).toBe('oldNodeGroups');
    expect(thrown(() => assertOldNodeGroups(['web', 'web'])).message).toMatch(/^oldNodeGroups\[1\]\.name: "web" is not valid; allowed: a name listed once/);
    expect(thrown(() => assertOldNodeGroups(['web', 'no spaces'])).property).toBe('oldNodeGroups[1].name');
    expect(() => assertOldNodeGroups(GROUPS)).not.toThrow();
  });
});

describe('the chaining phase', () => {
  test('is left out for three reasons, each in the docs section that explains it', () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', 'docs', 'migration.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Why there is no chaining ("visibility") phase'), readme.indexOf('## What is verified and what is not'));
    expect(CHAINING_PHASE_EXCLUDED).toHaveLength(3);
    // One agent configuration vs. a per-node override that cannot reach the operator; pods restarted twice; untested upstream.
    for (const phrase of ['CiliumNodeConfig', 'operator is one per cluster', 'restart twice', 'Migrating from Cilium in chained mode']) expect(section).toContain(phrase);
    for (const phrase of ['CiliumNodeConfig', 'operator is not per node', 'restart twice', 'Migrating from Cilium in chained mode']) expect(CHAINING_PHASE_EXCLUDED.join(' ')).toContain(phrase);
  });
});

describe('the end in two deploys', () => {
  test("kube-proxy replacement first, kube-proxy removed later: the reasons are the migration page's", () => {
    const page = fs.readFileSync(path.join(__dirname, '..', 'docs', 'migration.md'), 'utf8');
    const section = page.slice(page.indexOf('## Why the end takes two deploys'), page.indexOf('## Rollback'));
    expect(FINALIZE_SPLIT).toHaveLength(3);
    for (const phrase of ['plan-time gate can only read what runs', 'kube-proxy-replacement "true"', 'rolls back on its own']) {
      expect(section).toContain(phrase);
      expect(FINALIZE_SPLIT.join(' ')).toContain(phrase);
    }
  });
});

describe('the cluster as it is', () => {
  test('a cluster that already runs Cilium is refused', () => {
    const e = thrown(() => assertMigratable({ cni: 'cilium', addons: 'managed' }));
    expect(e.message).toMatch(/^current\.cni: "cilium" is not valid; allowed: 'aws-vpc-cni' \(the cluster already runs Cilium/);
  });

  test('another CNI is refused', () => {
    expect(thrown(() => assertMigratable({ cni: 'other', addons: 'managed' })).property).toBe('current.cni');
  });

  test('a cluster without managed or adoptable add-ons is refused', () => {
    const e = thrown(() => assertMigratable({ cni: 'aws-vpc-cni', addons: 'none' }));
    expect(e.message).toMatch(/^current\.addons: "none" is not valid; allowed: 'managed' or 'self-managed' \(the phases steer aws-node and kube-proxy through/);
  });

  test.each([['managed'], ['self-managed']] as const)('%s add-ons can be migrated', (addons) => {
    expect(() => assertMigratable({ cni: 'aws-vpc-cni', addons })).not.toThrow();
  });
});

describe('scheduling', () => {
  const oldNode = { 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', 'eks.amazonaws.com/nodegroup': 'web' };
  const ciliumNode = { ...oldNode, 'eks.amazonaws.com/nodegroup': 'shop-cilium-system-1', [CILIUM_NODE_LABEL.key]: CILIUM_NODE_LABEL.value };
  const affinity = vpcCniAffinity().nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution;

  test('aws-node runs on the old nodes and never on a node with the Cilium label', () => {
    expect(matchesNodeAffinity(affinity, oldNode)).toBe(true);
    expect(matchesNodeAffinity(affinity, ciliumNode)).toBe(false);
  });

  test('aws-node keeps the add-on defaults: not on Fargate, hybrid or Auto Mode nodes, not on other architectures', () => {
    expect(matchesNodeAffinity(affinity, { ...oldNode, 'eks.amazonaws.com/compute-type': 'fargate' })).toBe(false);
    expect(matchesNodeAffinity(affinity, { ...oldNode, 'eks.amazonaws.com/compute-type': 'hybrid' })).toBe(false);
    expect(matchesNodeAffinity(affinity, { ...oldNode, 'kubernetes.io/arch': 's390x' })).toBe(false);
  });

  test('the add-on configuration is the affinity, as JSON', () => {
    expect(JSON.parse(vpcCniConfigurationValues())).toEqual({ affinity: vpcCniAffinity() });
  });

  test('the affinity merges into a configuration that has one: every term excludes Cilium nodes, the rest is kept', () => {
    const own: JsonObject = {
      env: { ENABLE_PREFIX_DELEGATION: 'true' },
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [
              { matchExpressions: [{ key: 'kubernetes.io/os', operator: 'In', values: ['linux'] }] },
              { matchExpressions: [{ key: 'team', operator: 'In', values: ['data'] }], matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['n1'] }] },
            ],
          },
          preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, preference: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] } }],
        },
        podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [] },
      },
    };
    const merged = withMigrationAffinity(own);
    const terms = (merged.affinity as unknown as { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: RequiredNodeAffinity } }).nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution;
    expect(terms.nodeSelectorTerms.map((t) => t.matchExpressions.at(-1))).toEqual([NOT_A_CILIUM_NODE, NOT_A_CILIUM_NODE]);
    // Without the added requirement, exactly the configuration given.
    const stripped = JSON.parse(JSON.stringify(merged, (k, v) => (k === 'matchExpressions' ? (v as unknown[]).filter((r) => JSON.stringify(r) !== JSON.stringify(NOT_A_CILIUM_NODE)) : v)));
    expect(stripped).toEqual(own);
    // The user's terms still select what they selected, and never a Cilium node.
    expect(matchesNodeAffinity(terms, { 'kubernetes.io/os': 'linux' })).toBe(true);
    expect(matchesNodeAffinity(terms, ciliumNode)).toBe(false);
    expect(matchesNodeAffinity(terms, { team: 'data', [CILIUM_NODE_LABEL.key]: CILIUM_NODE_LABEL.value })).toBe(false);
    // Merging twice changes nothing (a second prepare, or a later phase).
    expect(withMigrationAffinity(merged)).toEqual(merged);
    // An affinity without required node terms gets one term: only "not a Cilium node".
    expect(withMigrationAffinity({ affinity: { podAntiAffinity: {} } })).toEqual({
      affinity: { podAntiAffinity: {}, nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [NOT_A_CILIUM_NODE] }] } } },
    });
  });

  test('an affinity that is not one is refused, naming the path', () => {
    expect(thrown(() => withMigrationAffinity({ affinity: 'none' })).property).toBe('current.vpcCni.configuration.affinity');
    const e = thrown(() => withMigrationAffinity({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] } } } }));
    expect(e.property).toBe('current.vpcCni.configuration.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms');
  });

  test('the evaluator follows Kubernetes: NotIn and DoesNotExist match a missing label, In and Exists do not', () => {
    const term = (operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist') => ({ nodeSelectorTerms: [{ matchExpressions: [{ key: 'k', operator, values: ['v'] }] }] });
    expect([matchesNodeAffinity(term('In'), {}), matchesNodeAffinity(term('NotIn'), {}), matchesNodeAffinity(term('Exists'), {}), matchesNodeAffinity(term('DoesNotExist'), {})]).toEqual([false, true, false, true]);
    expect([matchesNodeAffinity(term('In'), { k: 'v' }), matchesNodeAffinity(term('NotIn'), { k: 'v' })]).toEqual([true, false]);
  });

  test('exactly one CNI on every node kind in every phase where it exists', () => {
    for (const name of migrationPhases(GROUPS)) {
      const phase = resolveMigrationPhase(name, GROUPS);
      const stage = ciliumStageOf(phase.kind);
      const values = stage === 'absent' ? undefined : migrationCiliumValues(OPTIONS, stage);
      // The old nodes exist until the last drain; from kube-proxy-replacement on every node is a Cilium node.
      if (phase.vpcCniPresent) expect([name, 'old', cnisOn(oldNode, phase, values)]).toEqual([name, 'old', ['aws-node']]);
      if (phase.kind !== 'prepare') expect([name, 'cilium', cnisOn(ciliumNode, phase, values)]).toEqual([name, 'cilium', ['cilium']]);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// values.yaml key paths (the schemas accept unknown keys, so only this catches a wrong name).

describe('Cilium values per stage', () => {
  const versions = ['1.19.6', '1.20.0'];

  test.each(versions.map((v) => [v]))('chart %s: every stage validates against values.schema.json and names only keys of values.yaml', (version) => {
    for (const stage of ['migrating', 'final'] as const) {
      const values = migrationCiliumValues({ ...OPTIONS, chartVersion: version }, stage);
      expect([stage, validateCiliumValues(version, values)]).toEqual([stage, []]);
      expect([stage, unknownCiliumKeys(version, values)]).toEqual([stage, []]);
    }
  });

  test('the key check catches a key the chart does not have', () => {
    expect(unknownCiliumKeys('1.19.6', { policyAuditMod: true, operator: { unmanagedPodWatcher: { restarts: false } } })).toEqual(['policyAuditMod', 'operator.unmanagedPodWatcher.restarts']);
  });

  test('the keys the migration stage relies on exist in both charts, with the defaults the final stage returns to', () => {
    for (const version of versions) {
      const text = readUpstreamText('cilium', version, 'values.yaml');
      const chart = upstreamYaml('cilium', version, 'values.yaml') as { operator: { unmanagedPodWatcher: { restart: boolean } }; nodeSelector: Record<string, string>; tolerations: unknown[] };
      expect(chart.operator.unmanagedPodWatcher.restart).toBe(true);
      expect(chart.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux' });
      // The agent tolerates every taint, the Cilium startup taint included.
      expect(chart.tolerations).toEqual([{ operator: 'Exists' }]);
      expect(text).toContain('\n# policyAuditMode: false\n');
    }
  });

  test('migrating: agent only on labelled nodes, kube-proxy kept, audit mode, unmanaged pods left alone, compatible datapath', () => {
    const values = migrationCiliumValues(OPTIONS, 'migrating');
    expect(values).toMatchObject({
      kubeProxyReplacement: 'false',
      nodeSelector: { 'kubernetes.io/os': 'linux', 'cilium-eks/cni': 'cilium' },
      policyAuditMode: true,
      operator: { unmanagedPodWatcher: { restart: false }, replicas: 2 },
      ipam: { mode: 'eni' },
      routingMode: 'native',
      bpf: { hostLegacyRouting: true },
      bandwidthManager: { enabled: false },
    });
    expect(values).not.toHaveProperty('tolerations');
    expect(values).not.toHaveProperty('cni');
  });

  test('final: exactly the values of a new cluster of this project', () => {
    expect(migrationCiliumValues(OPTIONS, 'final')).toEqual(buildCiliumValues(OPTIONS));
    expect(migrationCiliumValues(OPTIONS, 'final')).toMatchObject({ kubeProxyReplacement: 'true', k8sServiceHost: OPTIONS.k8sServiceHost, k8sServicePort: 443 });
    expect(migrationCiliumValues(OPTIONS, 'final')).not.toHaveProperty('nodeSelector');
    expect(migrationCiliumValues(OPTIONS, 'final')).not.toHaveProperty('policyAuditMode');
  });

  test('golden vpc-cni add-on configuration', () => {
    expectGolden('migration/vpc-cni-configuration.json', `${JSON.stringify(JSON.parse(vpcCniConfigurationValues()), null, 2)}\n`);
  });

  test('a Kubernetes version without a known kernel fails for every stage, naming the property', () => {
    const e = thrown(() => assertMigrationCiliumOptions({ ...OPTIONS, kubernetesVersion: '1.29' }));
    expect(e.property).toBe('kubernetesVersion');
  });

  test("a datapath setting the nodes' kernel refuses fails at the first phase, though only the final stage uses it", () => {
    // netkit needs kernel 6.8; Kubernetes 1.32 nodes run AL2023 kernel 6.1.
    const options = { ...OPTIONS, kubernetesVersion: '1.32', datapath: { preset: 'custom' as const, base: 'performance' as const, netkit: true } };
    const e = thrown(() => assertMigrationCiliumOptions(options));
    expect(e.property).toBe('cilium.datapath.netkit');
    expect(() => migrationCiliumValues(options, 'migrating')).toThrow(/cilium\.datapath\.netkit/);
  });
});
