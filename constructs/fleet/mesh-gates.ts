/**
 * Plan-time gates on a live cluster's mesh identity: its `cluster.id` and the fleet's
 * `maxConnectedClusters` are fixed once Cilium runs (setup.rst: maxConnectedClusters "can only be
 * set once during Cilium installation"; a cluster's id is in every identity the mesh shares). A
 * change restarts every agent with other identities and cuts the mesh, so the plan stops before
 * anything changes, naming the property and the procedure.
 *
 * A cluster's name needs no gate of its own: every construct id and provider alias of a cluster
 * carries its name, so a renamed entry is a deleted one plus a new one, and Terraform refuses the
 * plan before any precondition runs ("Provider configuration not present" for the old
 * `cluster_<name>` providers: the fleet lifecycle test shows it); docs/fleet.md says what to do.
 *
 * Two readings, both plan-time (`PlanGate`, `guard`):
 * - what this fleet recorded in the state: a `terraform_data` per cluster with the id and
 *   maxConnectedClusters it was created with, with `ignore_changes = [input]` (never updated,
 *   like the control plane's name record), so a new cluster passes and a changed one is compared
 *   with what it was created with;
 * - what runs: the `cilium-config` ConfigMap's `cluster-id` and `max-connected-clusters` keys (the
 *   agent's option names; inferred, not read from the chart template here), read only where the
 *   cluster exists: a cluster deployed before the records existed is judged too. Unreadable
 *   passes.
 */
import { Construct } from 'constructs';
import { DataResource, TerraformResource } from '../cdktf';
import { guard, PlanCheck, PlanGate, PlanReading } from '../plan-gate';

/** The docs section a refused plan names. */
export const MESH_IDENTITY_PROCEDURE = 'docs/fleet.md#changing-a-clusters-id-or-name';

/** What a cluster of the fleet is configured with. */
export interface MeshIdentity {
  /** The property prefix as the user wrote it, e.g. `clusters[1]`. */
  readonly at: string;
  readonly name: string;
  readonly clusterId: number;
  readonly maxConnectedClusters: number;
}

/** HCL of the recorded values (each an expression of a `terraform_data` output). */
export interface RecordedIdentity {
  /** The cluster id this name was created with. */
  readonly clusterId: string;
  /** The maxConnectedClusters this name was created with. */
  readonly maxConnectedClusters: string;
}

/** What runs, where it can be read (null otherwise). */
export interface RunningIdentity {
  readonly clusterId: PlanReading;
  readonly maxConnectedClusters: PlanReading;
}

/** `reading` as a number, or `fallback` where it is null or not a number. */
const numberOr = (reading: string, fallback: number): string => `coalesce(try(tonumber(${reading}), null), ${fallback})`;

/** The checks of one cluster: its id and maxConnectedClusters. Pure: HCL in, HCL out. */
export function meshIdentityChecks(c: MeshIdentity, recorded: RecordedIdentity, running?: RunningIdentity): PlanCheck[] {
  const procedure = `To give the mesh another id, add a cluster with it and decommission this one (${MESH_IDENTITY_PROCEDURE}).`;
  const was = (rec: string, run: PlanReading | undefined, fallback: number): string =>
    run === undefined ? `\${${rec}}` : `\${${rec} != ${fallback} ? ${rec} : ${numberOr(run.hcl, fallback)}}`;
  const idOk = `${recorded.clusterId} == ${c.clusterId}` + (running ? ` && ${numberOr(running.clusterId.hcl, c.clusterId)} == ${c.clusterId}` : '');
  const maxOk = `${recorded.maxConnectedClusters} == ${c.maxConnectedClusters}` + (running ? ` && ${numberOr(running.maxConnectedClusters.hcl, c.maxConnectedClusters)} == ${c.maxConnectedClusters}` : '');
  return [
    {
      condition: idOk,
      errorMessage:
        `cilium-eks: ${c.at}.clusterId is ${c.clusterId}, but the live cluster "${c.name}" runs with cluster.id ${was(recorded.clusterId, running?.clusterId, c.clusterId)}. ` +
        `Changing cluster.id restarts every agent with other identities and cuts the mesh. Set ${c.at}.clusterId back. ${procedure}`,
    },
    {
      condition: maxOk,
      errorMessage:
        `cilium-eks: maxConnectedClusters is ${c.maxConnectedClusters}, but the live cluster "${c.name}" runs with ${was(recorded.maxConnectedClusters, running?.maxConnectedClusters, c.maxConnectedClusters)}. ` +
        `It is fixed when Cilium is installed (setup.rst) and must be the same in every cluster of the mesh. Set maxConnectedClusters back; a fleet with another value is a new fleet.`,
    },
  ];
}

/** The address of a `terraform_data` output field, for HCL. */
function outputOf(record: DataResource, field: string): string {
  return `terraform_data.${record.friendlyUniqueId}.output.${field}`;
}

/** A record that keeps what it was created with. */
function record(scope: Construct, id: string, input: Record<string, string | number>): DataResource {
  return new DataResource(scope, id, { input, lifecycle: { ignoreChanges: ['input'] } });
}

export interface MeshIdentityGateProps extends MeshIdentity {
  /** Where the records go: the fleet (they hold no provider). */
  readonly recordScope: Construct;
  /** The resources to guard: the cluster's Cilium release (and its pre-flight). */
  readonly guarded: readonly TerraformResource[];
  /** The cluster's plan-time reader, when plan gates are on. @default - the records only */
  readonly planGate?: PlanGate;
}

/** Records a cluster's mesh identity in the state and refuses a plan that changes it. */
export function gateMeshIdentity(p: MeshIdentityGateProps): PlanCheck[] {
  const identity = record(p.recordScope, `mesh-identity-${p.name}`, { cluster_id: p.clusterId, max_connected_clusters: p.maxConnectedClusters });
  // One reading of the ConfigMap; each key is a field of it.
  const config = (key: string, description: string): PlanReading =>
    (p.planGate as PlanGate).runningObject('cilium-config', { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'kube-system', name: 'cilium-config', field: `data["${key}"]`, description });
  const running = p.planGate
    ? { clusterId: config('cluster-id', "the running cilium-config's cluster-id"), maxConnectedClusters: config('max-connected-clusters', "the running cilium-config's max-connected-clusters") }
    : undefined;
  const checks = meshIdentityChecks(
    p,
    { clusterId: outputOf(identity, 'cluster_id'), maxConnectedClusters: outputOf(identity, 'max_connected_clusters') },
    running,
  );
  for (const r of p.guarded) for (const c of checks) guard(r, c);
  return checks;
}
