/**
 * Unknown keys in props fail the synth: a typo (`kubernetesVerison`) would otherwise be ignored
 * and the default deployed, in TypeScript apps run with `--transpile-only` and in plain-JavaScript
 * or JSON configs alike.
 *
 * Each props type declares its keys once, as a {@link KeyTable}: an object with one `true` per
 * key of the interface. Adding a prop to the interface without adding it to the table, or listing
 * a key the interface does not have, fails type-checking. The check itself is one pass over the
 * object's own keys (no schema, no reflection), so it costs nothing measurable at synth.
 */
import { ValidationError } from './errors';

/** One `true` per key of `T`, optional keys included; excess or missing keys are type errors. */
export type KeyTable<T> = { readonly [K in keyof Required<T>]: true };

/** The keys of a {@link KeyTable}, sorted, for messages and {@link checkKnownKeys}. */
export function keysOf<T>(table: KeyTable<T>): readonly string[] {
  return Object.freeze(Object.keys(table).sort());
}

/** Calls `fn` for each item of `list` when it is an array, with the item's path (`path[i]`). */
export function forEachItem(list: unknown, path: string, fn: (item: unknown, itemPath: string) => void): void {
  if (Array.isArray(list)) list.forEach((item, i) => fn(item, `${path}[${i}]`));
}

/**
 * Throws a {@link ValidationError} naming `path.key` when `obj` has an own key not in `allowed`;
 * the message lists the allowed keys and the closest one. `undefined`, `null`, `false` and
 * non-objects pass (the props' own type checks judge those); so do arrays.
 */
export function checkKnownKeys(obj: unknown, allowed: readonly string[], path: string): void {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return;
  for (const key of Object.keys(obj)) {
    if (allowed.includes(key)) continue;
    const near = closest(key, allowed);
    throw new ValidationError(
      path ? `${path}.${key}` : key,
      (obj as Record<string, unknown>)[key],
      `no unknown key here; the known keys${path ? ` of ${path}` : ''} are ${allowed.join(', ')}`,
      near ? `did you mean ${path ? `${path}.` : ''}${near}?` : 'an unknown key would be ignored and the default used',
    );
  }
}

/** The allowed key within edit distance 3 of `key` (case-insensitive), if one is. */
function closest(key: string, allowed: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 4;
  for (const candidate of allowed) {
    const d = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/** Damerau-Levenshtein (optimal string alignment) distance: a swapped pair of letters counts 1. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/**
 * Runs `fn`; a {@link ValidationError} it throws is thrown again with `prefix` before its
 * property, so an error raised by a building block names the property as the user wrote it
 * (`securityChecks.suppress.x` rather than `suppress.x`).
 */
export function withPropertyPrefix<T>(prefix: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ValidationError) throw new ValidationError(`${prefix}.${e.property}`, e.value, e.allowed, e.reason);
    throw e;
  }
}

/**
 * Runs `fn`; a {@link ValidationError} it throws is thrown again naming `property` instead (a
 * builder's internal name such as `Fqdn.name` becomes the place the user wrote the value).
 */
export function withProperty<T>(property: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ValidationError) throw new ValidationError(property, e.value, e.allowed, e.reason);
    throw e;
  }
}
