import { stringify } from 'yaml';

/** A JSON-compatible value: what Helm values, Kubernetes objects and CRD specs are made of. */
export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/**
 * Returns a deep copy with object keys sorted and `undefined` members dropped, so equal inputs
 * always serialise to identical bytes.
 */
export function sortKeysDeep<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => sortKeysDeep(v)) as unknown as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value as Record<string, unknown>).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeysDeep(v);
    }
    return out as T;
  }
  return value;
}

/**
 * Serialises a value as YAML with sorted keys, no anchors and no line folding: the form that
 * gives a line-level diff in a pull request or a Terraform plan.
 */
export function toSortedYaml(value: unknown): string {
  // sortKeysDeep has ordered every map already.
  return stringify(sortKeysDeep(value), { aliasDuplicateObjects: false, lineWidth: 0 });
}
