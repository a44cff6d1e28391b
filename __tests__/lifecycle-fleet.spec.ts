/**
 * A fleet's day 2 on one Terraform state (support/lifecycle.ts; docs/fleet.md#removing-a-cluster,
 * #adding-a-cluster, #changing-a-clusters-id-or-name), each step as the docs tell it:
 * - three clusters in two regions; one decommissioned (its region stays), its entry removed, then
 *   added again (3 -> 2 -> 3);
 * - the only cluster of the first region (the one whose provider holds the private zone) taken
 *   out the same way, then a fourth cluster added;
 * - a live cluster's id or the fleet's maxConnectedClusters changed: refused at plan by the mesh
 *   identity gate; a renamed entry (a deleted one plus a new one): refused by Terraform ("Provider
 *   configuration not present" for the old name's providers).
 */
import type { FleetClusterOptions } from '../constructs/fleet/cilium-eks-fleet';
import type { CiliumEksFleetStackProps } from '../constructs/fleet/cilium-eks-fleet-stack';
import { proveHarness } from './support/lifecycle-selftest';
import { LIFECYCLE_TIMEOUT_MS, lifecycleFailure, LifecycleResult, LifecycleStep, runLifecycle } from './support/lifecycle';
import type { TfJson } from './support/synth';

/** Loaded only when a sequence's sources changed (a warm run reads the cached results). */
const synthFleet = (clusters: FleetClusterOptions[], extra: Partial<CiliumEksFleetStackProps> = {}): string => {
  const { synthStack } = require('./support/synth') as typeof import('./support/synth');
  const { Testing } = require('cdktf') as typeof import('cdktf');
  const { CiliumEksFleetStack } = require('../constructs/fleet/cilium-eks-fleet-stack') as typeof import('../constructs/fleet/cilium-eks-fleet-stack');
  return synthStack(new CiliumEksFleetStack(Testing.app(), 'fleet', { name: 'day2', clusters, ...extra }));
};

/** A small cluster: what the mesh needs, without the in-cluster extras these sequences are not about. */
function cluster(i: number, region: string): FleetClusterOptions {
  return {
    name: `mesh-${String(i).padStart(2, '0')}`,
    region,
    clusterId: i + 1,
    vpcCidr: `10.${i}.0.0/16`,
    serviceIpv4Cidr: `172.20.${i}.0/24`,
    admins: ['arn:aws:iam::111122223333:role/platform-admin'],
    karpenter: false,
    tetragon: false,
    logExport: false,
  };
}
const decommission = (c: FleetClusterOptions): FleetClusterOptions => ({ ...c, decommissioned: true });

/** The Cilium release of `name` in a synthesized fleet. */
function ciliumRelease(text: string, name: string): string {
  const tf = JSON.parse(text) as TfJson;
  const key = Object.keys(tf.resource.helm_release).find((k) => k.startsWith(`fleet_${name}_`) && tf.resource.helm_release[k].name === 'cilium');
  if (!key) throw new Error(`no Cilium release of ${name}`);
  return `helm_release.${key}`;
}
/** Asserts that the Cilium release of `name` lists exactly `peers`. */
function peers(text: string, name: string, expected: string[]): { condition: string; errorMessage: string } {
  const all = ['mesh-00', 'mesh-01', 'mesh-02', 'mesh-03'];
  const listed = expected.map((p) => `strcontains(${ciliumRelease(text, name)}.values[0], "${p}.mesh.cilium.io")`);
  const absent = all.filter((p) => p !== name && !expected.includes(p)).map((p) => `!strcontains(${ciliumRelease(text, name)}.values[0], "${p}.mesh.cilium.io")`);
  return { condition: [...listed, ...absent].join(' && '), errorMessage: `${name} does not list exactly ${expected.join(', ')}` };
}

// 1. Three clusters in two regions; mesh-02 (eu-west-1, which keeps mesh-00) leaves and comes back.
const A = [cluster(0, 'eu-west-1'), cluster(1, 'us-east-1'), cluster(2, 'eu-west-1')];
function removeAndReadd(): LifecycleStep[] {
  const three = synthFleet(A);
  const decommissioned = synthFleet([A[0], A[1], decommission(A[2])]);
  const two = synthFleet([A[0], A[1]]);
  return [
    { name: 'create-three', tf: three, asserts: [peers(three, 'mesh-00', ['mesh-01', 'mesh-02'])] },
    { name: 'decommission', tf: decommissioned, asserts: [peers(decommissioned, 'mesh-00', ['mesh-01']), peers(decommissioned, 'mesh-01', ['mesh-00'])] },
    { name: 'remove-entry', tf: two },
    { name: 'readd', tf: three, asserts: [peers(three, 'mesh-01', ['mesh-00', 'mesh-02']), peers(three, 'mesh-02', ['mesh-00', 'mesh-01'])] },
  ];
}

// 2. The only cluster of eu-west-1 (the first region: its provider holds the zone) leaves; a fourth comes.
const B = [cluster(0, 'eu-west-1'), cluster(1, 'us-east-1'), cluster(2, 'us-east-1')];
function regionLeaves(): LifecycleStep[] {
  const decommissioned = synthFleet([decommission(B[0]), B[1], B[2]]);
  const four = synthFleet([B[1], B[2], cluster(3, 'eu-west-1'), cluster(4, 'us-east-1')]);
  return [
    { name: 'create-three', tf: synthFleet(B) },
    { name: 'decommission-region', tf: decommissioned, asserts: [peers(decommissioned, 'mesh-01', ['mesh-02'])] },
    { name: 'remove-region', tf: synthFleet([B[1], B[2]]) },
    { name: 'add-two', tf: four },
  ];
}

// 3. Mesh identity changes refused at plan, then an entry deleted in one step (last: it fails the run).
function refused(): LifecycleStep[] {
  const three = synthFleet(A);
  const newId = synthFleet([A[0], { ...A[1], clusterId: 9 }, A[2]]);
  const wider = synthFleet(A, { maxConnectedClusters: 511 });
  const renamed = synthFleet([A[0], { ...A[1], name: 'mesh-05' }, A[2]]);
  return [
    { name: 'create-three', tf: three },
    { name: 'id-changed', command: 'plan', tf: newId, expectFailures: [ciliumRelease(newId, 'mesh-01')] },
    { name: 'max-changed', command: 'plan', tf: wider, expectFailures: ['mesh-00', 'mesh-01', 'mesh-02'].map((n) => ciliumRelease(wider, n)) },
    { name: 'renamed', command: 'plan', tf: renamed },
  ];
}

const runs = new Map<string, Promise<LifecycleResult>>();
const sequence = (name: string, steps: () => LifecycleStep[]): Promise<LifecycleResult> => {
  if (!runs.has(name)) runs.set(name, runLifecycle(name, steps));
  return runs.get(name)!;
};
const SEQUENCES: Record<string, () => LifecycleStep[]> = { 'fleet-remove-readd': removeAndReadd, 'fleet-region-leaves': regionLeaves, 'fleet-refused': refused };

describe('a fleet on one state', () => {
  beforeAll(() => {
    for (const [name, steps] of Object.entries(SEQUENCES)) void sequence(name, steps).catch(() => undefined);
  });

  test('3 -> 2 -> 3: decommissioned (providers kept, peers drop it), entry removed, added again; then destroyed', async () => {
    await proveHarness();
    const r = await sequence('fleet-remove-readd', removeAndReadd);
    expect(lifecycleFailure(r)).toBeUndefined();
    expect(r.runs).toEqual({ 'create-three': 'pass', decommission: 'pass', 'remove-entry': 'pass', readd: 'pass' });
  }, LIFECYCLE_TIMEOUT_MS);

  test("the only cluster of the zone's region leaves in two applies; two clusters added after; then destroyed", async () => {
    await proveHarness();
    const r = await sequence('fleet-region-leaves', regionLeaves);
    expect(lifecycleFailure(r)).toBeUndefined();
    expect(r.runs).toEqual({ 'create-three': 'pass', 'decommission-region': 'pass', 'remove-region': 'pass', 'add-two': 'pass' });
  }, LIFECYCLE_TIMEOUT_MS);

  test("a live cluster's id or the fleet's maxConnectedClusters changed: refused at plan by the mesh identity gate", async () => {
    await proveHarness();
    const r = await sequence('fleet-refused', refused);
    expect([r.runs['create-three'], r.runs['id-changed'], r.runs['max-changed']]).toEqual(['pass', 'pass', 'pass']);
  }, LIFECYCLE_TIMEOUT_MS);

  test("a rename (an entry deleted in one step) is refused at plan by Terraform: the old name's providers are missing", async () => {
    const r = await sequence('fleet-refused', refused);
    expect(r.runs.renamed).toBe('fail');
    expect(r.failures.length).toBeGreaterThan(0);
    expect(new Set(r.failures)).toEqual(new Set(['Provider configuration not present']));
    expect(r.output).toMatch(/\.helm__cluster_mesh_01 is required,\s+but it has been removed/);
  }, LIFECYCLE_TIMEOUT_MS);
});
