import { JsonObject } from './yaml';

/** A Kubernetes object as plain data, ready to serialise. */
export interface KubernetesManifest extends JsonObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
}
