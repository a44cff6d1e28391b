/**
 * Taking a cluster out of a fleet, as Terraform allows it (docs/fleet.md#removing-a-cluster).
 *
 * Terraform destroys a resource through the provider configuration that manages it: a change
 * that removes a cluster's resources together with its `helm` and `kubernetes` providers (alias
 * `cluster_<name>`) fails at plan with "Provider configuration not present" (Terraform docs,
 * "Provider configuration": a provider must stay while the state holds resources it manages). So a
 * cluster leaves in two applies:
 *
 * 1. `decommissioned: true` on its entry: the cluster's resources leave the configuration (they
 *    are destroyed), the other clusters drop it from their peers, routes, security group rules, DNS
 *    records and Cilium values, and its providers stay. They can no longer read the cluster's
 *    resource (it is being destroyed), so they read the running cluster with data sources, at
 *    plan: `data "aws_eks_clusters"` (the region's names) and, only where the name is listed,
 *    `data "aws_eks_cluster"` for the endpoint and CA; the token comes from `aws eks get-token`
 *    as for a live cluster. Data sources that depend on nothing pending are read during plan and
 *    their values carried into apply, so the providers keep working while the cluster's own
 *    resources are destroyed. After that apply the name is gone from the list and the providers
 *    are left unconfigured (null host): nothing uses them any more.
 * 2. The entry removed: the providers go, with nothing left in the state that needs them.
 *
 * The region's `aws` provider stays while any entry (decommissioned ones included) is in that
 * region, so removing a region's only cluster also takes two applies and leaves the provider
 * until the second.
 *
 * What synth can know: only this configuration, not the state. It refuses what the configuration
 * itself shows to be wrong (a decommissioned cluster still named by a policy of a live one, a
 * name or id used twice). An entry removed in one step is caught by Terraform at plan ("Provider
 * configuration not present", naming the `cluster_<name>` alias); docs/fleet.md says what to do.
 */
import { Construct } from 'constructs';
import { DataAwsEksCluster } from '@cdktf/provider-aws/lib/data-aws-eks-cluster';
import { DataAwsEksClusters } from '@cdktf/provider-aws/lib/data-aws-eks-clusters';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { CLUSTER_LABEL } from '../../bpf/policy/clustermesh';
import { ValidationError } from '../../core/errors';
import { Fn, TerraformProvider, Token } from '../cdktf';
import { ManifestRelease } from '../manifest-release';

/** A cluster entry with `decommissioned: true`. */
export interface DecommissionedCluster {
  readonly name: string;
  readonly region: string;
  readonly clusterId: number;
  /** Its position in `clusters`. */
  readonly index: number;
}

/**
 * The decommissioned entries of `clusters`. Names and ids stay unique across every entry,
 * decommissioned ones included: the cluster still runs until the decommissioning apply is done.
 */
export function decommissionedEntries(clusters: readonly { name: string; region: string; clusterId: number; decommissioned?: boolean }[]): DecommissionedCluster[] {
  const names = new Map<string, number>();
  const ids = new Map<number, number>();
  clusters.forEach((c, i) => {
    const sameName = names.get(c.name);
    const sameId = ids.get(c.clusterId);
    const retiring = (j: number): string => (clusters[j].decommissioned === true || c.decommissioned === true ? '; a decommissioned cluster keeps its name and id until its entry is removed' : '');
    if (sameName !== undefined) throw new ValidationError(`clusters[${i}].name`, c.name, `a name no other cluster has (clusters[${sameName}] has it${retiring(sameName)})`, 'cluster.name is the identity of a cluster in the mesh');
    if (sameId !== undefined) {
      throw new ValidationError(`clusters[${i}].clusterId`, c.clusterId, `an id no other cluster has (clusters[${sameId}] "${clusters[sameId].name}" has it${retiring(sameId)})`, 'cluster.id must be unique across connected clusters');
    }
    names.set(c.name, i);
    ids.set(c.clusterId, i);
  });
  return clusters.flatMap((c, index) => (c.decommissioned === true ? [{ name: c.name, region: c.region, clusterId: c.clusterId, index }] : []));
}

/**
 * The `helm` and `kubernetes` providers of a decommissioned cluster, configured from the running
 * cluster read at plan (null once it is gone), under the alias its resources were created with.
 */
export function keepProviders(scope: Construct, c: DecommissionedCluster, aws: TerraformProvider, alias: string, roleArn?: string): { helm: HelmProvider; kubernetes: KubernetesProvider } {
  const reading = new Construct(scope, `decommissioned-${c.name}`);
  const listed = new DataAwsEksClusters(reading, 'clusters', { provider: aws });
  const running = new DataAwsEksCluster(reading, 'cluster', {
    name: c.name,
    count: Token.asNumber(Fn.conditional(Fn.contains(listed.names, c.name), 1, 0)),
    provider: aws,
  });
  const address = `data.${running.terraformResourceType}.${running.friendlyUniqueId}`;
  const host = `\${one(${address}[*].endpoint)}`;
  const ca = `\${try(base64decode(one(${address}[*].certificate_authority[0].data)), null)}`;
  const exec = {
    apiVersion: 'client.authentication.k8s.io/v1beta1',
    command: 'aws',
    // A cluster in another account: the token of the account's role, as while it ran (kubernetes-access.ts).
    args: ['eks', 'get-token', '--cluster-name', c.name, '--region', c.region, ...(roleArn !== undefined ? ['--role-arn', roleArn] : []), '--output', 'json'],
  };
  return {
    helm: new HelmProvider(scope, `helm-${c.name}`, { alias, kubernetes: { host, clusterCaCertificate: ca, exec } }),
    kubernetes: new KubernetesProvider(scope, `kubernetes-${c.name}`, { alias, host, clusterCaCertificate: ca, exec: [exec] }),
  };
}

/** Every cluster name a manifest's selectors pin (`io.cilium.k8s.policy.cluster`), with where. */
export function clusterNamesIn(value: unknown, path = ''): { path: string; name: string }[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => clusterNamesIn(v, `${path}[${i}]`));
  if (value === null || typeof value !== 'object') return [];
  const o = value as Record<string, unknown>;
  const found: { path: string; name: string }[] = [];
  // matchLabels { io.cilium.k8s.policy.cluster: name } (also with the k8s: source prefix).
  for (const [k, v] of Object.entries(o)) {
    if ((k === CLUSTER_LABEL || k === `k8s:${CLUSTER_LABEL}`) && typeof v === 'string') found.push({ path: `${path}.${k}`, name: v });
  }
  // matchExpressions { key: io.cilium.k8s.policy.cluster, operator: In, values: [...] }
  if ((o.key === CLUSTER_LABEL || o.key === `k8s:${CLUSTER_LABEL}`) && o.operator === 'In' && Array.isArray(o.values)) {
    o.values.forEach((v, i) => typeof v === 'string' && found.push({ path: `${path}.values[${i}]`, name: v }));
  }
  for (const [k, v] of Object.entries(o)) if (typeof v === 'object') found.push(...clusterNamesIn(v, `${path}.${k}`));
  return found;
}

/**
 * Refuses at synth a policy (or any manifest a live cluster installs) whose selector pins a
 * cluster that is decommissioned or not in the fleet: its peers would select nothing, silently.
 */
export function checkMeshReferences(scope: Construct, live: ReadonlyMap<string, Construct>, decommissioned: readonly string[]): void {
  scope.node.addValidation({
    validate: () =>
      [...live].flatMap(([name, cluster]) =>
        cluster.node
          .findAll()
          .filter((n): n is ManifestRelease => n instanceof ManifestRelease)
          .flatMap((release) => release.manifests)
          .flatMap((m) =>
            clusterNamesIn(m.spec ?? m.specs ?? m, '')
              .filter((r) => !live.has(r.name))
              .map((r) => {
                const at = `clusters.get(${JSON.stringify(name)}): ${m.kind} ${m.metadata.namespace ? `${m.metadata.namespace}/` : ''}${m.metadata.name}${m.spec !== undefined ? '.spec' : m.specs !== undefined ? '.specs' : ''}${r.path}`;
                const why = decommissioned.includes(r.name) ? `"${r.name}" is decommissioned` : `"${r.name}" is not a cluster of this fleet`;
                return new ValidationError(at, r.name, `a live cluster of the fleet (${[...live.keys()].sort().join(', ')})`, `${why}: the policy would select nothing there; remove the rule or name another cluster`).message;
              }),
          ),
      ),
  });
}
