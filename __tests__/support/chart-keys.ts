/**
 * Whether the value paths the project writes are keys of a Cilium chart. The chart schemas accept
 * unknown keys, so only this catches a misspelt value name. One check for every spec that writes
 * Cilium values (the version matrix, the fleet's mesh values, the migration stages).
 *
 * A path is known when it is in the chart's values.yaml; when it is below a map the chart passes
 * through to Kubernetes objects unchanged (securityContext fields, annotation names, labels, node
 * selectors); when values.yaml documents it as a commented-out key inside its parent's block (the
 * chart reads e.g. `loadBalancer.algorithm`, `maglev.tableSize`, `socketLB.hostNamespaceOnly`
 * although values.yaml ships them commented); or, at the top level, as a commented key at column 0
 * (`# policyAuditMode: false`).
 */
import { isRecord } from '../../core/json';
import { JsonValue } from '../../core/yaml';
import { readUpstreamText, upstreamYaml } from './upstream';

interface KeyLine {
  readonly indent: number;
  readonly line: number;
}

/** A chart's parsed values.yaml, its lines, and the line and indent each key path starts on. */
export interface ValuesIndex {
  readonly values: unknown;
  readonly lines: readonly string[];
  readonly keys: ReadonlyMap<string, KeyLine>;
}

const KEY_LINE = /^(\s*)([A-Za-z0-9_.\/-]+|"[^"]+"):(\s|$)/;

/** Maps whose contents the chart copies to the object unchanged: any key below them is the object's own. */
const PASS_THROUGH = new Set(['securityContext', 'podSecurityContext', 'annotations', 'labels', 'nodeSelector']);

const indexes = new Map<string, ValuesIndex>();

/** The index of the Cilium chart `version`'s values.yaml (read and parsed once per test file). */
export function ciliumValuesIndex(version: string): ValuesIndex {
  let index = indexes.get(version);
  if (!index) {
    const lines = readUpstreamText('cilium', version, 'values.yaml').split('\n');
    const keys = new Map<string, KeyLine>();
    const stack: { indent: number; key: string }[] = [];
    lines.forEach((raw, line) => {
      if (/^\s*(#|-|$)/.test(raw)) return;
      const m = KEY_LINE.exec(raw);
      if (!m) return;
      const indent = m[1].length;
      while (stack.length > 0 && stack[stack.length - 1].indent >= indent) stack.pop();
      stack.push({ indent, key: m[2].replace(/^"|"$/g, '') });
      const path = stack.map((s) => s.key).join('.');
      if (!keys.has(path)) keys.set(path, { indent, line });
    });
    index = { values: upstreamYaml('cilium', version, 'values.yaml'), lines, keys };
    indexes.set(version, index);
  }
  return index;
}

/**
 * Leaf paths of values: objects are walked; arrays, scalars, empty maps and the paths in `opaque`
 * (maps keyed by the user's names, such as the mesh's peers) are leaves.
 */
export function leafPaths(value: JsonValue, opaque: readonly string[] = [], prefix = ''): string[] {
  if (isRecord(value) && !opaque.includes(prefix)) {
    const entries = Object.entries(value);
    if (entries.length === 0) return [prefix];
    return entries.flatMap(([k, v]) => leafPaths(v, opaque, prefix ? `${prefix}.${k}` : k));
  }
  return [prefix];
}

export function hasPath(values: unknown, parts: readonly string[]): boolean {
  let node = values;
  for (const p of parts) {
    if (!isRecord(node) || !(p in node)) return false;
    node = node[p];
  }
  return true;
}

/** Why `path` is a key of the chart (see the file comment), or undefined when it is not. */
export function knownBecause(index: ValuesIndex, path: string): string | undefined {
  const parts = path.split('.');
  if (hasPath(index.values, parts)) return 'in values.yaml';
  for (let i = parts.length - 1; i >= 1; i--) {
    if (PASS_THROUGH.has(parts[i - 1]) && hasPath(index.values, parts.slice(0, i))) return `below pass-through map ${parts.slice(0, i).join('.')}`;
  }
  const leaf = parts[parts.length - 1].replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  if (parts.length === 1) {
    return index.lines.some((l) => new RegExp(`^# ${leaf}:(\\s|$)`).test(l)) ? 'commented top-level key' : undefined;
  }
  const parent = parts.slice(0, -1).join('.');
  const start = index.keys.get(parent);
  if (start) {
    const commented = new RegExp(`^\\s*#\\s?${leaf}:(\\s|$)`);
    for (let l = start.line + 1; l < index.lines.length; l++) {
      const raw = index.lines[l];
      const m = KEY_LINE.exec(raw);
      if (m && !/^\s*#/.test(raw) && m[1].length <= start.indent) break;
      if (commented.test(raw)) return `commented key in ${parent}`;
    }
  }
  return undefined;
}

/** The leaf paths of `values` that are not keys of the Cilium chart `version`. */
export function unknownCiliumKeys(version: string, values: JsonValue, opaque: readonly string[] = []): string[] {
  const index = ciliumValuesIndex(version);
  return leafPaths(values, opaque).filter((p) => knownBecause(index, p) === undefined);
}
