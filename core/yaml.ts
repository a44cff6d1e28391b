/**
 * The project's one YAML writer: Helm values and Kubernetes objects as block YAML with sorted keys.
 *
 * Why not a YAML library: the values are plain JSON data, and writing them is a small, fixed job.
 * Loading and running a general YAML library cost about a third of the default stack's synth time
 * (issue 7). This writer handles exactly JSON data and is checked in `__tests__/yaml.spec.ts`:
 * every value the project writes, and a corpus of awkward strings, must read back equal through a
 * YAML 1.2 parser and through a YAML 1.1 parser (Helm reads values with go-yaml, whose plain
 * scalars follow YAML 1.1: `on`, `yes`, `y`, `0777` and `1:30` are not strings there).
 *
 * The rules, chosen to be safe for both YAML versions rather than minimal:
 * - a string is written plain only when it starts with a letter, `_`, `/`, `$` or `^`, holds
 *   only printable ASCII, has no `: ` or ` #` and no trailing `:` or space, and is not a YAML 1.1
 *   boolean or null word (`on`, `Yes`, `n`, `NULL`, ...). A string that starts with a digit, a
 *   sign or a dot is quoted (`"1m"`, `"50Gi"`): YAML 1.1 reads many such forms as numbers or
 *   times. Terraform references stay plain (`${aws_iam_role.node.name}`), so the synthesized
 *   text, where cdktf has put the expression (quotes included), still reads as YAML;
 * - a string with line breaks is written as a block literal (`|` or `|-`) when it can be read back
 *   exactly; every other string is double-quoted with JSON escapes (which YAML shares), non-printable
 *   characters escaped;
 * - numbers must be finite; anything that is not JSON data is refused with the path to it.
 */
import { ValidationError } from './errors';
import { isPlainObject } from './json';

// The JSON types live beside the JSON helpers (imports run one way: json <- yaml).
export type { JsonObject, JsonPrimitive, JsonValue } from './json';

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
 * Serialises JSON data as YAML with sorted keys, block style, no anchors and no line folding: the
 * form that gives a line-level diff in a pull request or a Terraform plan. Throws a
 * {@link ValidationError} naming the path, below `property`, of any value that is not JSON data
 * (a function, a `Date`, `NaN`, a cycle, ...).
 * @param property what `value` is, for error messages. @default 'value'
 */
export function toSortedYaml(value: unknown, property = 'value'): string {
  const lines: string[] = [];
  // Written from `value` itself, so a Date or a Map is seen (and refused) before it is copied.
  writeNode(value, '', property, lines, new Set());
  return `${lines.join('\n')}\n`;
}

/**
 * Throws the {@link ValidationError} {@link toSortedYaml} would for `value`, naming the path below
 * `property`: for checking user-given data (extra Helm values) where the user wrote it.
 */
export function checkJsonData(value: unknown, property: string): void {
  writeNode(value, '', property, [], new Set());
}

// ---------------------------------------------------------------------------------------------
// Writer

function notJson(path: string, value: unknown, what: string): ValidationError {
  return new ValidationError(path, typeof value === 'function' ? '[function]' : value, 'JSON data: strings, finite numbers, booleans, null, arrays and plain objects', what);
}

/** A scalar, or the flow form of an empty collection; undefined for a non-empty collection. */
function inline(value: unknown, path: string): string | undefined {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'string':
      return scalarString(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw notJson(path, value, 'YAML has no portable form for it');
      return String(value);
    case 'object':
      if (Array.isArray(value)) return value.length === 0 ? '[]' : undefined;
      if (!isPlainObject(value)) throw notJson(path, value, `a ${(value as object).constructor?.name ?? 'non-plain'} object is not JSON data`);
      return Object.values(value).every((v) => v === undefined) ? '{}' : undefined;
    default:
      throw notJson(path, value, `a ${typeof value} is not JSON data`);
  }
}

/**
 * Writes `value` at `indent`. A collection is written as the lines that follow its key (or its
 * `- `); the caller has written that prefix. `open` holds the collections being written, to
 * refuse a cycle rather than recurse without end.
 */
function writeNode(value: unknown, indent: string, path: string, lines: string[], open: Set<object>): void {
  const one = inline(value, path);
  if (one !== undefined) {
    lines.push(indent + one);
    return;
  }
  const collection = value as object;
  if (open.has(collection)) throw notJson(path, '[cycle]', 'the value contains itself');
  open.add(collection);
  if (Array.isArray(value)) {
    value.forEach((item, i) => writeEntry(`${indent}- `, `${indent}  `, item, `${path}[${i}]`, lines, open));
  } else {
    const map = value as Record<string, unknown>;
    for (const key of Object.keys(map).sort()) {
      const item = map[key];
      if (item === undefined) continue;
      writeEntry(`${indent}${scalarString(key)}:`, `${indent}  `, item, `${path}.${key}`, lines, open, true);
    }
  }
  // Only ancestors count: the same object twice side by side is written twice, not refused.
  open.delete(collection);
}

/**
 * One map member (`prefix` is `key:`) or one sequence item (`prefix` is `- `), with `value`
 * written on the same line when it is inline, or below at `childIndent`.
 */
function writeEntry(prefix: string, childIndent: string, value: unknown, path: string, lines: string[], open: Set<object>, isKey = false): void {
  const sep = isKey ? ' ' : '';
  if (typeof value === 'string') {
    const block = blockLiteral(value, childIndent);
    if (block !== undefined) {
      lines.push(`${prefix}${sep}${block[0]}`, ...block.slice(1));
      return;
    }
  }
  const one = inline(value, path);
  if (one !== undefined) {
    lines.push(`${prefix}${sep}${one}`);
    return;
  }
  if (isKey) {
    lines.push(prefix);
    // A sequence under a key is indented like a map: `key:\n  - item`.
    writeNode(value, childIndent, path, lines, open);
    return;
  }
  // A collection as a sequence item starts on the `- ` line: `- a: 1\n  b: 2`, `- - x`.
  const start = lines.length;
  writeNode(value, childIndent, path, lines, open);
  lines[start] = prefix + lines[start].slice(childIndent.length);
}

/** Words a YAML 1.1 or 1.2 reader takes for a boolean or null when written plain. */
const RESERVED_WORDS = new Set(['y', 'yes', 'n', 'no', 'true', 'false', 'on', 'off', 'null', '~']);

const PLAIN = /^[A-Za-z_/$^][\x20-\x7e]*$/;

/** Whether `s` reads back as the same string when written plain, in YAML 1.1 and 1.2 alike. */
function isPlainSafe(s: string): boolean {
  return PLAIN.test(s) && !s.endsWith(' ') && !s.endsWith(':') && !s.includes(': ') && !s.includes(' #') && !RESERVED_WORDS.has(s.toLowerCase());
}

/** Characters a YAML reader must not see raw in a double-quoted scalar (non-printable or line breaks). */
const ESCAPE_IN_QUOTES = /[\u007f-\u009f\u2028\u2029\ufeff]/g;

function scalarString(s: string): string {
  if (isPlainSafe(s)) return s;
  // JSON escapes (\" \\ \n \t \uXXXX ...) are YAML double-quoted escapes too.
  return JSON.stringify(s).replace(ESCAPE_IN_QUOTES, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Printable characters other than the line feed, as a block literal holds them (no tabs, no CR). */
const NOT_IN_BLOCK = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\ufeff\ud800-\udfff]/;

/**
 * `s` as a block literal (`|` when it ends with one line break, `|-` when it ends with none): the
 * header, then the lines at `indent`. Undefined when a literal cannot give `s` back exactly: no
 * line break, a leading space or blank first line (the indentation would be misread), trailing
 * blank lines, or characters that need escaping. Every line is written below `indent`, so a line
 * of spaces or with trailing spaces is content, as in the string.
 */
function blockLiteral(s: string, indent: string): string[] | undefined {
  if (!s.includes('\n') || NOT_IN_BLOCK.test(s)) return undefined;
  const body = s.endsWith('\n') ? s.slice(0, -1) : s;
  if (body.endsWith('\n') || body === '') return undefined;
  const lines = body.split('\n');
  if (lines[0] === '' || lines[0].startsWith(' ')) return undefined;
  return [s.endsWith('\n') ? '|' : '|-', ...lines.map((l) => (l === '' ? '' : indent + l))];
}
