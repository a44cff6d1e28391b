import { JsonObject, JsonValueSchema } from './json';
import { declare, optional, record, strict, string, text, v } from './schema';
import { dns1123Label, labels, qualifiedName } from './rules';

/** A Kubernetes object as plain data, ready to serialise. */
export interface KubernetesManifest extends JsonObject {
  /** The object's API group and version, e.g. `v1`, `apps/v1` or `cilium.io/v2`. */
  apiVersion: string;
  /** The object's kind, e.g. `ConfigMap` or `CiliumNetworkPolicy`. */
  kind: string;
  /**
   * The object's `metadata`: its `name`, and its `namespace` (a DNS-1123 label; absent for a
   * cluster-scoped object), `labels` and `annotations` where set.
   */
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
}
/** Any other top-level field is JSON data (`spec`, `data`, `rules`...); `metadata` is strict. */
export const KubernetesManifestSchema = declare<KubernetesManifest>()(
  v.objectWithRest(
    {
      apiVersion: text('an apiVersion such as v1 or apps/v1'),
      kind: text('a kind such as ConfigMap'),
      metadata: strict(
        { name: text('an object name'), namespace: optional(dns1123Label('a namespace')), labels: optional(labels()), annotations: optional(record(qualifiedName('an annotation key'), string())) },
        'metadata { name, namespace?, labels?, annotations? }',
      ),
    },
    JsonValueSchema,
    'a Kubernetes object { apiVersion, kind, metadata, ... }',
  ),
);

/**
 * The taint of nodes kept for cluster-critical add-ons (`CriticalAddonsOnly`: the key Karpenter's,
 * the EBS CSI controller's and CoreDNS's pods tolerate by default, the convention of EKS and
 * eksctl for system node groups): pods that do not tolerate it are not scheduled there.
 */
export const CRITICAL_ADDONS_ONLY_TAINT = Object.freeze({ key: 'CriticalAddonsOnly', value: 'true', effect: 'NoSchedule' } as const);

/** The toleration of {@link CRITICAL_ADDONS_ONLY_TAINT}, as every add-on the project puts on the system nodes carries it. */
export const CRITICAL_ADDONS_TOLERATION = Object.freeze({ key: CRITICAL_ADDONS_ONLY_TAINT.key, operator: 'Exists' } as const);
