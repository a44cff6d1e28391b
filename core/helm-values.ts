/**
 * Helm values paths: reading and writing a value at a dotted path, `--set` names, and merging
 * values files as Helm does. The project's one module for these (the values builders, the PSS
 * model of the charts and the security checks all use it).
 */
import { isRecord } from './json';
import { JsonObject, JsonValue } from './yaml';

/** The value at a dotted path (`hubble.ui.enabled`), or undefined when any step is missing or not a map. */
export function valueAt(values: unknown, path: string): unknown {
  let current: unknown = values;
  for (const part of path.split('.')) {
    if (!isRecord(current)) return undefined;
    current = current[part];
  }
  return current;
}

/** Sets `value` at dotted `path` in `target`, creating maps on the way (a non-map on the way is replaced). */
export function setValuePath(target: JsonObject, path: string, value: JsonValue): void {
  const parts = path.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    if (!isRecord(node[part])) node[part] = {};
    node = node[part] as JsonObject;
  }
  node[parts[parts.length - 1]] = value;
}

/** A `--set` name (`a.b\.c`) split on the dots that are not escaped, as Helm's `strvals` reads it. */
export function splitSetName(name: string): string[] {
  return name.split(/(?<!\\)\./).map((p) => p.replace(/\\\./g, '.'));
}

/**
 * A copy of `values` with the `--set`-style `name` set to `value` (the strings `true`/`false` read
 * as booleans, as `--set` does). Names with list indexes (`a[0]`) are not supported.
 */
export function withSetValue(values: JsonObject, name: string, value: unknown): JsonObject {
  const leaf: unknown = value === 'true' ? true : value === 'false' ? false : value;
  const override = splitSetName(name).reduceRight<unknown>((inner, key) => ({ [key]: inner }), leaf);
  return mergeHelmValues(values, override as JsonObject);
}

/**
 * Merges Helm values the way Helm does for `-f` files: maps merge key by key, lists and scalars
 * replace, and a `null` override deletes the key. Returns a new object.
 */
export function mergeHelmValues(base: JsonObject, override: JsonObject): JsonObject {
  const out: JsonObject = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const current = out[key];
    if (value === null) delete out[key];
    else if (isRecord(value) && isRecord(current)) out[key] = mergeHelmValues(current as JsonObject, value as JsonObject);
    else out[key] = value;
  }
  return out;
}
