/**
 * Input declarations: one schema per public input type, from which every check of that input
 * derives (unknown keys at every depth, types, enums, ranges, formats, `null` and holes in lists,
 * and the shared domain rules (the project's `rules` module) layered on them), and the one mapping of a schema's
 * issues onto the project's {@link ValidationError}, named as the user wrote the value
 * (`clusters[2].network.vpcCidr`, `addNodePool(gpu).requirements[0].values`).
 *
 * The library is valibot, pinned exactly in `dependencies` (the compiled library requires it at
 * run time). Chosen over zod 4 on this project's numbers (node 20, 2 shared cores, 2026-12;
 * issue 23's report has the whole table):
 *
 * | | installed size | cold `require` | 150 strict objects declared | 20 parses of a 40-deep object |
 * |---|---|---|---|---|
 * | valibot 1.5.0 | 1.9 MB | 9-13 ms | 21-24 ms | 9-14 ms |
 * | zod 4.6.7 (`zod`) | 8.2 MB (the package holds v3, v4 and mini) | 75-85 ms | 135-153 ms | 52-54 ms |
 * | zod 4.6.7 (`zod/mini`) | same package | 76-107 ms | 111-149 ms | 16-20 ms |
 *
 * Every synth and every test process pays the declaration and load cost once, so the cheaper one
 * wins where both can say the same things: strict objects, discriminated unions (`variant`),
 * record keys, and raw checks that add issues at a path of their choice.
 *
 * What a declaration says about each value is the `allowed` text of the error (the schema's
 * message); a check that knows why (an upstream rule) adds a reason. Values that are Terraform
 * tokens (unknown until deploy) are not judged by a format ({@link isToken}).
 *
 * The TypeScript interfaces stay the public API, with their TSDoc; each schema is declared beside
 * its interface through {@link declare}, which fails type-checking when the interface and the
 * schema differ (a prop added to one and not the other, or typed differently).
 */
import * as v from 'valibot';
import { ValidationError } from './errors';

export { v };

type Issue = v.BaseIssue<unknown>;

/** A schema of any input. */
export type Schema = v.GenericSchema;
/** What a schema accepts. */
export type Input<S extends Schema> = v.InferInput<S>;

// ---- Type-level drift check ------------------------------------------------------------------------

/** `T` without `readonly`, at every depth (the interfaces are readonly, the inferred types are not). */
export type Plain<T> = T extends (...args: never[]) => unknown
  ? T
  : T extends readonly (infer U)[]
    ? Plain<U>[]
    : T extends object
      ? { -readonly [K in keyof T]: Plain<T[K]> }
      : T;

/** True when `A` and `B` are the same type. */
export type Same<A, B> = (<G>() => G extends A ? 1 : 2) extends <G>() => G extends B ? 1 : 2 ? true : false;

/** What the compiler shows when a schema and its interface differ. */
export interface DriftError<T, S> {
  readonly 'the schema and the interface differ': {
    readonly keysOnlyInTheSchema: Exclude<keyof S, keyof T>;
    readonly keysOnlyInTheInterface: Exclude<keyof T, keyof S>;
    readonly differentTypes: { [K in keyof T & keyof S]: Same<Plain<T[K]>, Plain<S[K]>> extends true ? never : K }[keyof T & keyof S];
  };
}

/**
 * Declares the schema of interface `T`: `declare<NetworkOptions>()(strict({...}))`. Type-checking
 * fails at the declaration when what the schema accepts is not exactly `T` (readonly aside), and
 * the error names the keys that differ.
 */
export function declare<T>() {
  return <S extends Schema>(schema: S & (Same<Plain<Input<S>>, Plain<T>> extends true ? unknown : DriftError<T, Input<S>>)): v.GenericSchema<T, T> =>
    schema as unknown as v.GenericSchema<T, T>;
}

// ---- Messages ---------------------------------------------------------------------------------------

/** Separates what is allowed from the reason in a message. */
const REASON = '\u001f';
/** Starts the message of a ValidationError thrown by a rule: its fields as JSON. */
const THROWN = '\u0002';

/** A message from what is allowed and, where an upstream rule forces it, why. */
export function says(allowed: string, reason?: string): string {
  return reason === undefined ? allowed : `${allowed}${REASON}${reason}`;
}

/** The allowed text of a schema, for a parent's message (`a list of <item>`). */
export function allowedOf(schema: Schema): string {
  const known = ALLOWED.get(schema);
  if (known !== undefined) return known;
  const message = (schema as { message?: unknown }).message;
  return typeof message === 'string' ? message.split(REASON)[0] : 'a valid value';
}

// ---- Tokens -----------------------------------------------------------------------------------------

/**
 * True for a value that is a Terraform token until deploy: a string holding `${...}` (cdktf's
 * `Token.asString`) or `#{...}` (an element of `Token.asList`). A format says nothing about it.
 */
export function isToken(value: unknown): boolean {
  return typeof value === 'string' && (value.includes('${') || value.includes('#{'));
}

// ---- Building blocks ----------------------------------------------------------------------------------

/** A string. */
export function string(allowed = 'a string'): v.GenericSchema<string> {
  return v.string(allowed);
}

/** A string of at least one character that is not only spaces. */
export function text(allowed = 'a non-empty string'): v.GenericSchema<string> {
  return v.pipe(v.string(allowed), v.check((s) => s.trim().length > 0, allowed));
}

/**
 * A string `test` accepts (a token is accepted: it is judged where it resolves). `test` returns
 * true, or false, or the reason the value is refused.
 */
export function format(allowed: string, test: (s: string) => boolean | string, reason?: string): v.GenericSchema<string> {
  return v.pipe(
    v.string(says(allowed, reason)),
    v.rawCheck(({ dataset, addIssue }) => {
      if (!dataset.typed || isToken(dataset.value)) return;
      const verdict = test(dataset.value);
      if (verdict !== true) addIssue({ message: says(allowed, typeof verdict === 'string' ? verdict : reason) });
    }),
  );
}

/** A string matching `pattern` (a token is accepted). */
export function pattern(re: RegExp, allowed: string, reason?: string): v.GenericSchema<string> {
  return format(allowed, (s) => re.test(s), reason);
}

/** true or false. */
export function bool(allowed = 'true or false'): v.GenericSchema<boolean> {
  return v.boolean(allowed);
}

/** An integer from `min` to `max`. */
export function int(min: number, max: number, allowed = max === Number.MAX_SAFE_INTEGER ? `an integer of at least ${min}` : `an integer from ${min} to ${max}`, reason?: string): v.GenericSchema<number> {
  const m = says(allowed, reason);
  return v.pipe(v.number(m), v.integer(m), v.minValue(min, m), v.maxValue(max, m));
}

/** A finite number above `above` (exclusive) and at most `max`. */
export function positive(allowed = 'a positive number', max = Number.MAX_VALUE): v.GenericSchema<number> {
  return v.pipe(v.number(allowed), v.finite(allowed), v.gtValue(0, allowed), v.maxValue(max, allowed));
}

/** One of `values` (a string or number enum). */
export function oneOf<const T extends string | number>(values: readonly T[], allowed = `one of ${values.join(', ')}`, reason?: string): v.GenericSchema<T> {
  return v.picklist(values as T[], says(allowed, reason));
}

/** Exactly `value`. */
export function literal<const T extends string | number | boolean>(value: T, allowed = JSON.stringify(value)): v.GenericSchema<T> {
  return v.literal(value, allowed);
}

/** An instance of `Class` (a builder's output: a `TracingPolicy`, a `Selector`...). */
export function instance<T>(Class: { readonly prototype: T }, allowed: string): v.GenericSchema<T> {
  return v.custom<T>((x) => x instanceof (Class as unknown as abstract new () => unknown), allowed);
}

/** A value the project cannot judge (a construct, a provider, a Terraform reference). */
export function opaque<T>(allowed: string, test: (x: unknown) => boolean = (x) => x !== undefined && x !== null): v.GenericSchema<T> {
  return v.custom<T>(test, allowed);
}

/** Options of {@link list}. */
export interface ListOptions<T> {
  /** Fewest items. @default 0 */
  readonly min?: number;
  /** Most items. @default - no limit */
  readonly max?: number;
  /** Each item at most once, compared by this key (or by value with `true`). @default - duplicates allowed */
  readonly unique?: true | ((item: T) => unknown);
  /** With `unique`: the field of an item the duplicate error names (`name`). @default - the item */
  readonly uniqueField?: string;
  /** With `unique`: what a duplicate is refused for, e.g. `a zone not listed before`. @default 'an item not listed before' */
  readonly duplicate?: string;
  /** Why the bounds, for the message. @default - none */
  readonly reason?: string;
  /** What the list is, instead of `a list of <item>`. @default - from the item's schema */
  readonly allowed?: string;
}

/** A list of `item`s (a hole or `null` is judged as the item). */
export function list<S extends Schema>(item: S, options: ListOptions<Input<S>> = {}): v.GenericSchema<Input<S>[], v.InferOutput<S>[]> {
  const { min = 0, max, unique } = options;
  const bounds = max !== undefined ? (min === max ? ` (exactly ${min})` : ` (${min} to ${max})`) : min > 0 ? ` (at least ${min})` : '';
  const allowed = options.allowed ?? `a list of ${allowedOf(item)}${bounds}`;
  const m = says(allowed, options.reason);
  const checks: v.PipeItem<unknown[], unknown[], v.BaseIssue<unknown>>[] = [v.minLength(min, m)];
  if (max !== undefined) checks.push(v.maxLength(max, m));
  if (unique !== undefined) {
    const key = unique === true ? (x: unknown) => x : (unique as (x: unknown) => unknown);
    checks.push(
      v.rawCheck(({ dataset, addIssue }) => {
        if (!dataset.typed) return;
        const seen = new Map<unknown, number>();
        (dataset.value as unknown[]).forEach((item, i) => {
          const k = key(item);
          if (isToken(k)) return;
          const first = seen.get(k);
          if (first === undefined) seen.set(k, i);
          else if (!dataset.issues) {
            const field = options.uniqueField;
            const path = pathTo(dataset.value, field === undefined ? [i] : [i, field]);
            addIssue({ message: says(`${options.duplicate ?? 'an item not listed before'} (it is [${first}]${field ? `.${field}` : ''} too)`), input: field === undefined ? item : k, path });
          }
        });
      }),
    );
  }
  return v.pipe(v.array(item, m), ...(checks as [])) as unknown as v.GenericSchema<Input<S>[], v.InferOutput<S>[]>;
}

/** A map of the user's own keys (tags, labels, rule ids) to values. */
export function record<V extends Schema>(key: v.GenericSchema<string>, value: V, allowed = `an object of ${allowedOf(key)} to ${allowedOf(value)}`): v.GenericSchema<Record<string, Input<V>>> {
  return v.record(key, value, allowed) as unknown as v.GenericSchema<Record<string, Input<V>>>;
}

/** May be left out. */
export function optional<S extends Schema>(schema: S): v.OptionalSchema<S, undefined> {
  return v.optional(schema);
}

/** `false` (the feature off) or its options. */
export function orFalse<S extends Schema>(schema: S): v.GenericSchema<Input<S> | false> {
  return v.union([v.literal(false), schema], `false, or ${allowedOf(schema)}`) as unknown as v.GenericSchema<Input<S> | false>;
}

/** One of several schemas. */
export function anyOf<const S extends Schema[]>(options: S, allowed: string): v.GenericSchema<Input<S[number]>> {
  return v.union(options, allowed) as unknown as v.GenericSchema<Input<S[number]>>;
}

/** Objects told apart by the value of `key` (`{ kind: 'generated', ... } | { kind: 'secretsManager', ... }`). */
export function variant<const K extends string, const O extends v.VariantOptions<K>>(key: K, options: O, allowed: string): v.VariantSchema<K, O, string> {
  return v.variant(key, options, allowed);
}

/** The allowed text of object declarations, whose message is a function (see {@link strict}). */
const ALLOWED = new WeakMap<object, string>();
/** Starts the message of an issue about a key: the declaration's keys as JSON. */
const KEYS = '\u0003';

/**
 * An object with exactly these keys: an unknown key is refused, naming it and the closest known
 * key; a required key that is missing is refused naming it.
 */
export function strict<const E extends v.ObjectEntries>(entries: E, allowed = 'an object'): v.StrictObjectSchema<E, string> {
  const keys = Object.keys(entries).sort();
  const message = (issue: Issue): string => {
    const last = issue.path?.[issue.path.length - 1];
    return last !== undefined && 'origin' in last && last.origin === 'key' ? KEYS + JSON.stringify({ keys, allowed }) : allowed;
  };
  const schema = v.strictObject(entries, message as unknown as string);
  ALLOWED.set(schema, allowed);
  return schema;
}

/** `entries` without `keys`: the declaration of an `Omit<>` of an interface. */
export function omit<const E extends v.ObjectEntries, const K extends keyof E & string>(entries: E, keys: readonly K[]): Omit<E, K> {
  const out = { ...entries } as Record<string, unknown>;
  for (const k of keys) delete out[k];
  return out as Omit<E, K>;
}

/** The object declaration `schema` with more keys (an interface that extends another). */
export function extend<const E extends v.ObjectEntries, const F extends v.ObjectEntries>(base: v.StrictObjectSchema<E, string>, entries: F, allowed = allowedOf(base)): v.StrictObjectSchema<Omit<E, keyof F> & F, string> {
  return strict({ ...base.entries, ...entries } as Omit<E, keyof F> & F, allowed);
}

/** The object declaration `schema` without `keys` (an `Omit<>` of its interface). */
export function without<const E extends v.ObjectEntries, const K extends keyof E & string>(base: v.StrictObjectSchema<E, string>, keys: readonly K[], allowed = allowedOf(base)): v.StrictObjectSchema<Omit<E, K>, string> {
  const entries = { ...base.entries } as Record<string, unknown>;
  for (const k of keys) delete entries[k];
  return strict(entries as Omit<E, K>, allowed);
}

// ---- Rules over a whole value ---------------------------------------------------------------------------

/** Reports a refused value from inside {@link rules}. */
export interface Report {
  /**
   * Refuses the value at `at` (a path below the checked value: `['minSize']`, `['peers', 2, 'name']`),
   * with what is allowed and why.
   */
  (at: readonly (string | number)[], value: unknown, allowed: string, reason?: string): void;
}

/**
 * `schema` with rules that need the whole value (one field against another, a cross-reference):
 * `check` runs only when the value has passed `schema`, and refuses through `report` or by throwing
 * a {@link ValidationError} whose property is relative to the value (the existing `assert*`
 * functions, called with a relative property such as `'minSize'`).
 */
export function rules<S extends Schema>(schema: S, check: (value: v.InferOutput<S>, report: Report) => void): S {
  return v.pipe(
    schema,
    v.rawCheck(({ dataset, addIssue }) => {
      if (!dataset.typed || dataset.issues) return;
      const report: Report = (at, value, allowed, reason) => {
        if (!dataset.issues) addIssue({ message: says(allowed, reason), input: value, path: pathTo(dataset.value, at) });
      };
      try {
        check(dataset.value as v.InferOutput<S>, report);
      } catch (e) {
        if (!(e instanceof ValidationError)) throw e;
        addIssue({ message: THROWN + JSON.stringify({ property: e.property, allowed: e.allowed, reason: e.reason }), input: e.value });
      }
    }),
  ) as unknown as S;
}

function arrayItem(input: unknown[], key: number): v.ArrayPathItem {
  return { type: 'array', origin: 'value', input, key, value: input[key] };
}

/** Path items from `root` down `at`, as valibot writes them. */
function pathTo(root: unknown, at: readonly (string | number)[]): [v.IssuePathItem, ...v.IssuePathItem[]] | undefined {
  const items: v.IssuePathItem[] = [];
  let node = root as Record<string | number, unknown>;
  for (const key of at) {
    const value = node?.[key];
    items.push(typeof key === 'number' ? arrayItem(node as unknown as unknown[], key) : ({ type: 'object', origin: 'value', input: node, key, value } as v.ObjectPathItem));
    node = value as Record<string | number, unknown>;
  }
  return items.length > 0 ? (items as [v.IssuePathItem, ...v.IssuePathItem[]]) : undefined;
}

// ---- Parsing and the one error ------------------------------------------------------------------------

/**
 * Checks `input` against `schema`; returns it unchanged, or throws the {@link ValidationError} of
 * its first mistake, named under `at` (where the value sits in what the user wrote: `''` for
 * top-level props, `addNodePool(gpu)`, `clusters[2]`).
 */
export function parse<T>(schema: v.GenericSchema<T, unknown>, input: unknown, at = ''): T {
  const result = v.safeParse(schema, input, { abortEarly: false, abortPipeEarly: true });
  if (!result.success) throw toValidationError(schema, result.issues, at);
  return input as T;
}

/** Joins a property path: `join('a', 'b')` is `a.b`, `join('a', '[0]')` is `a[0]`, `join('', 'b')` is `b`. */
export function joinPath(prefix: string, rest: string): string {
  if (prefix === '') return rest.replace(/^\./, '');
  if (rest === '') return prefix;
  return rest.startsWith('[') ? `${prefix}${rest}` : `${prefix}.${rest.replace(/^\./, '')}`;
}

/** A schema's parts as valibot keeps them. */
interface Parts {
  readonly type: string;
  readonly wrapped?: Parts;
  readonly options?: readonly Parts[];
  readonly entries?: Readonly<Record<string, Parts>>;
  readonly value?: Parts;
  readonly item?: Parts;
}

/** The schema a path item leads to from `schema`, and whether it is a map's value. */
function step(schema: Parts | undefined, key: unknown): { child?: Parts; map: boolean } {
  let s = schema;
  while (s?.wrapped !== undefined) s = s.wrapped;
  if (s === undefined) return { map: false };
  if (s.options !== undefined) {
    for (const option of s.options) {
      const next = step(option, key);
      if (next.child !== undefined) return next;
    }
    return { map: false };
  }
  if (s.type === 'record') return { child: s.value, map: true };
  if (s.entries !== undefined) return { child: s.entries[String(key)], map: false };
  if (s.item !== undefined) return { child: s.item, map: false };
  return { map: false };
}

/**
 * Whether `path` (`systemNodeGroup.instanceTypes[0]`, `tags["team"]`) names a place `schema`
 * declares: every key a declared key, every index into a list, every `["key"]` into a map.
 */
export function declaresPath(schema: Schema, path: string): boolean {
  let node: Parts | undefined = schema as unknown as Parts;
  const parts = path.match(/[^.[\]]+|\[\d+\]|\["[^"]*"\]/g) ?? [];
  for (const part of parts) {
    const key = part.startsWith('["') ? JSON.parse(part.slice(1, -1)) : part.startsWith('[') ? Number(part.slice(1, -1)) : part;
    node = step(node, key).child;
    if (node === undefined) return false;
  }
  return true;
}

/** A path as the user writes it: `a.b[0]`, with map keys as `["key"]`. */
function formatPath(root: Schema, path: readonly v.IssuePathItem[] | undefined): string {
  let out = '';
  let schema: Parts | undefined = root as unknown as Parts;
  for (const item of path ?? []) {
    const { child, map } = step(schema, item.key);
    schema = child;
    if (item.type === 'array') out += `[${String(item.key)}]`;
    else if (!map && typeof item.key === 'string' && /^[A-Za-z_$][\w$]*$/.test(item.key)) out += `.${item.key}`;
    else out += `[${JSON.stringify(String(item.key))}]`;
  }
  return out.replace(/^\./, '');
}

/** Depth of an issue's path. */
const depth = (issue: Issue): number => issue.path?.length ?? 0;
const isUnknownKey = (issue: Issue): boolean => issue.type === 'strict_object' && issue.expected === 'never';

/**
 * The issue to report: an unknown key first (it usually explains the rest: a misspelt required
 * key), then the first in declaration order. A union reports its deepest alternative's issue when
 * that alternative got further than the union's own level (`karpenter: { typo }` names the typo),
 * else the union's own message (`one of false, or an object ...`).
 */
function pick(issues: readonly Issue[]): Issue {
  const chosen = issues.find(isUnknownKey) ?? issues[0];
  if (chosen.type === 'union' || chosen.type === 'variant') {
    const sub = chosen.issues ?? [];
    const deepest = [...sub].sort((a, b) => depth(b) - depth(a))[0];
    if (deepest !== undefined && depth(deepest) > 0) {
      const path = [...(chosen.path ?? []), ...(deepest.path ?? [])] as [v.IssuePathItem, ...v.IssuePathItem[]];
      return pick([{ ...deepest, path }]);
    }
  }
  return chosen;
}

/** The {@link ValidationError} of valibot issues, named under `at`. */
export function toValidationError(root: Schema, issues: readonly Issue[], at: string): ValidationError {
  const issue = pick(issues);
  const property = joinPath(at, formatPath(root, issue.path));
  const last = issue.path?.[issue.path.length - 1];
  if (issue.message.startsWith(THROWN)) {
    const thrown = JSON.parse(issue.message.slice(THROWN.length)) as { property: string; allowed: string; reason?: string };
    return new ValidationError(joinPath(property, thrown.property.startsWith('[') || property === '' ? thrown.property : `.${thrown.property}`), issue.input, thrown.allowed, thrown.reason);
  }
  if (issue.message.startsWith(KEYS)) {
    const parent = joinPath(at, formatPath(root, issue.path?.slice(0, -1)));
    const { keys, allowed } = JSON.parse(issue.message.slice(KEYS.length)) as { keys: string[]; allowed: string };
    // A list where an object belongs: its indexes are no keys of the object.
    if (Array.isArray(last?.input)) return new ValidationError(parent, last?.input, allowed);
    const key = String(last?.key);
    if (issue.expected !== 'never') {
      return new ValidationError(property, undefined, `a value: ${key} is required${parent ? ` in ${parent}` : ''}`);
    }
    const near = closest(key, keys);
    return new ValidationError(
      property,
      last?.value,
      `no unknown key here; the known keys${parent ? ` of ${parent}` : ''} are ${keys.join(', ')}`,
      near ? `did you mean ${parent ? `${parent}.` : ''}${near}?` : 'an unknown key would be ignored and the default used',
    );
  }
  const [allowed, reason] = issue.message.split(REASON);
  // A refused map key names the key itself; any other issue, the value.
  const value = last !== undefined && 'origin' in last && last.origin === 'key' ? last.key : issue.input;
  return new ValidationError(property, value, allowed, reason);
}

// ---- Closest key ------------------------------------------------------------------------------------------

/** The allowed key within edit distance 3 of `key` (case-insensitive), if one is. */
export function closest(key: string, allowed: readonly string[]): string | undefined {
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
