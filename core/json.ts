/**
 * Internal helpers for reading and writing plain JSON data (Helm values, Kubernetes objects,
 * policies). Not part of the public API.
 */

import { v } from './schema';

const JSON_ALLOWED = 'JSON data: a string, a finite number, true, false, null, or a list or object of them';

/** A JSON primitive: a string, a number, a boolean or null (the leaves of {@link JsonValue}). */
export type JsonPrimitive = string | number | boolean | null;
/** Any JSON value: a primitive, a list of values, or an object of values (Helm values, Kubernetes objects, CRD specs). */
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };
/** A JSON object: string keys to JSON values, e.g. a Helm values tree or a Kubernetes object's `spec`. */
export type JsonObject = { [key: string]: JsonValue };

/**
 * The declaration of {@link JsonValue}: strings, finite numbers, booleans, null, lists and objects
 * of them, at every depth (no `undefined`, function or class instance). Recursive, so declared
 * with its type written out rather than through `declare<T>()`.
 */
export const JsonValueSchema: v.GenericSchema<JsonValue> = v.lazy(() =>
  v.union([v.string(), v.pipe(v.number(), v.finite()), v.boolean(), v.null(), v.array(JsonValueSchema), v.record(v.string(), JsonValueSchema)], JSON_ALLOWED),
);
/** The declaration of {@link JsonObject}: an object of JSON values. */
export const JsonObjectSchema: v.GenericSchema<JsonObject> = v.record(v.string(), JsonValueSchema, 'an object of JSON data');

/** A map: an object that is not an array and not null. The project's one such test. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * An object literal (or `Object.create(null)`), from any realm: its prototype is an
 * `Object.prototype` (whose own prototype is null), or null. Arrays, class instances (constructs
 * included), `Date`s and `Map`s are not.
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (!isRecord(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === null || Object.getPrototypeOf(proto) === null;
}

/** A JSON object without the members whose value is `undefined`. */
export function compact(members: { [key: string]: JsonValue | undefined }): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(members)) {
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/** `value` as a JSON object, or undefined when it is anything else (array, primitive, absent). */
export function asObject(value: unknown): JsonObject | undefined {
  return isRecord(value) ? (value as JsonObject) : undefined;
}

/** `value` as an array, or undefined when it is not one. */
export function asArray(value: unknown): readonly JsonValue[] | undefined {
  return Array.isArray(value) ? (value as JsonValue[]) : undefined;
}

/** `value` as a string, or undefined when it is not one. */
export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The objects of an array member, each with its index; members that are not objects are skipped. */
export function objectsOf(value: unknown): Array<[number, JsonObject]> {
  const out: Array<[number, JsonObject]> = [];
  (asArray(value) ?? []).forEach((item, i) => {
    const obj = asObject(item);
    if (obj) out.push([i, obj]);
  });
  return out;
}

/** The rule specs of a policy manifest, each with the path prefix its findings use (`''` or `specs[1].`). */
export function specsOf(manifest: JsonObject): Array<[string, JsonObject]> {
  const single = asObject(manifest.spec);
  if (single) return [['', single]];
  return objectsOf(manifest.specs).map(([i, spec]) => [`specs[${i}].`, spec]);
}

/** The four rule lists of a spec and whether each is an ingress list. */
export const DIRECTIONS = [
  { key: 'ingress', ingress: true },
  { key: 'ingressDeny', ingress: true },
  { key: 'egress', ingress: false },
  { key: 'egressDeny', ingress: false },
] as const;

/** Rule members that hold label selectors, by direction. */
export const SELECTOR_LISTS = {
  ingress: ['fromEndpoints', 'fromRequires', 'fromNodes'],
  egress: ['toEndpoints', 'toRequires', 'toNodes'],
} as const;

/** Whether a label selector object selects everything (no labels and no expressions). */
export function isEmptySelector(selector: JsonObject): boolean {
  const labels = asObject(selector.matchLabels);
  const expressions = asArray(selector.matchExpressions);
  return (!labels || Object.keys(labels).length === 0) && (!expressions || expressions.length === 0);
}

/**
 * Paths (relative to the manifest, `endpointSelector`, `ingress[0].fromEndpoints[1]`, with a
 * `specs[i].` prefix for multi-rule policies) of every label selector that selects everything.
 */
export function emptySelectorPaths(manifest: JsonObject): string[] {
  const paths: string[] = [];
  for (const [prefix, spec] of specsOf(manifest)) {
    for (const key of ['endpointSelector', 'nodeSelector']) {
      const selector = asObject(spec[key]);
      if (selector && isEmptySelector(selector)) paths.push(`${prefix}${key}`);
    }
    for (const dir of DIRECTIONS) {
      for (const [i, rule] of objectsOf(spec[dir.key])) {
        for (const member of dir.ingress ? SELECTOR_LISTS.ingress : SELECTOR_LISTS.egress) {
          for (const [j, selector] of objectsOf(rule[member])) {
            if (isEmptySelector(selector)) paths.push(`${prefix}${dir.key}[${i}].${member}[${j}]`);
          }
        }
      }
    }
  }
  return paths;
}
