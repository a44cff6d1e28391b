import { JsonObject } from './yaml';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
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
    else if (isObject(value) && isObject(current)) out[key] = mergeHelmValues(current as JsonObject, value as JsonObject);
    else out[key] = value;
  }
  return out;
}
