import { check } from '../../core/errors';
import { KubernetesManifest } from '../../core/k8s';
import { CLUSTER_NAME_PATTERN, MAX_CLUSTER_NAME_LENGTH } from '../clustermesh';
import { Peer } from './peer';
import { MatchExpression, Selector } from './selector';
import { bool, declare, oneOf, optional, parse, strict } from '../../core/schema';

/**
 * Using a Cluster Mesh from workloads: global Services and policy peers in named clusters.
 *
 * - Policies (Cilium docs `network/clustermesh/policy.rst`): the label `io.cilium.k8s.policy.cluster`
 *   names an endpoint's cluster. From Cilium 1.19 `clustermesh.policyDefaultLocalCluster` is true:
 *   a selector that does not mention that label selects endpoints of the local cluster only. To
 *   reach another cluster, name it ({@link inCluster}); to reach every cluster, require the label
 *   to exist ({@link inAnyCluster}, the docs' own form).
 * - Global services (docs `network/clustermesh/services.rst`): `service.cilium.io/global: "true"`
 *   on a Service of the same name and namespace in each cluster load-balances over the backends of
 *   every cluster; `service.cilium.io/shared: "false"` keeps this cluster's backends out of the
 *   others; `service.cilium.io/affinity` prefers `local` or `remote` backends (default `none`).
 *   A namespace must also be global (`clustermesh.defaultGlobalNamespace`, 1.20, default true).
 */

/** The label Cilium puts on every endpoint with its cluster's name. */
export const CLUSTER_LABEL = 'io.cilium.k8s.policy.cluster';

function checkClusterName(property: string, name: string): void {
  check(
    typeof name === 'string' && name.length <= MAX_CLUSTER_NAME_LENGTH && CLUSTER_NAME_PATTERN.test(name),
    property,
    name,
    `a Cilium cluster.name: at most ${MAX_CLUSTER_NAME_LENGTH} lower-case letters, digits and dashes`,
  );
}

/** `selector` narrowed to endpoints of cluster `clusterName`. */
export function inCluster(selector: Selector, clusterName: string): Selector {
  checkClusterName('inCluster(clusterName)', clusterName);
  return selector.withLabels({ [CLUSTER_LABEL]: clusterName });
}

/** `selector` widened to endpoints of every cluster of the mesh (needed from 1.19, see above). */
export function inAnyCluster(selector: Selector): Selector {
  return selector.where(MatchExpression.exists(CLUSTER_LABEL));
}

/** A policy peer: endpoints matching `selector` in cluster `clusterName`. */
export function clusterPeer(clusterName: string, selector: Selector): Peer {
  return Peer.endpoints(inCluster(selector, clusterName));
}

/** A policy peer: endpoints matching `selector` in any cluster of the mesh. */
export function anyClusterPeer(selector: Selector): Peer {
  return Peer.endpoints(inAnyCluster(selector));
}

/** How a global Service prefers backends (`service.cilium.io/affinity`). */
export type GlobalServiceAffinity = 'local' | 'remote' | 'none';

/**
 * How `globalServiceAnnotations` and `globalService` make a Service global in a Cluster Mesh: the
 * `service.cilium.io/global: "true"` annotation, plus `service.cilium.io/shared` and
 * `service.cilium.io/affinity` when asked (Cilium docs, "Load-balancing & Service Discovery",
 * https://docs.cilium.io/en/latest/network/clustermesh/load-balancing/).
 */
export interface GlobalServiceOptions {
  /** Share this cluster's backends with the other clusters. @default true */
  readonly shared?: boolean;
  /** Backend preference. @default - unset, which Cilium treats as 'none' */
  readonly affinity?: GlobalServiceAffinity;
}
export const GlobalServiceOptionsSchema = declare<GlobalServiceOptions>()(
  strict({ shared: optional(bool()), affinity: optional(oneOf(['local', 'remote', 'none'] as const)) }, 'global Service options { shared?, affinity? }'),
);

/** The annotations that make a Service global. */
export function globalServiceAnnotations(options: GlobalServiceOptions = {}): Record<string, string> {
  parse(GlobalServiceOptionsSchema, options, 'options');
  const affinity = options.affinity;
  check(affinity === undefined || ['local', 'remote', 'none'].includes(affinity), 'affinity', affinity, 'local, remote or none');
  return {
    'service.cilium.io/global': 'true',
    ...(options.shared === false ? { 'service.cilium.io/shared': 'false' } : {}),
    ...(affinity !== undefined ? { 'service.cilium.io/affinity': affinity } : {}),
  };
}

/** A copy of `service` (a v1 Service) marked global; other annotations are kept. */
export function globalService<T extends KubernetesManifest>(service: T, options: GlobalServiceOptions = {}): T {
  check(service.apiVersion === 'v1' && service.kind === 'Service', 'service', `${service.apiVersion}/${service.kind}`, 'a v1 Service');
  return {
    ...service,
    metadata: { ...service.metadata, annotations: { ...service.metadata.annotations, ...globalServiceAnnotations(options) } },
  };
}
