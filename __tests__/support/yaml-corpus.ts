/**
 * Strings that break naive YAML writers or that a YAML 1.1 reader (Helm's go-yaml) takes for
 * something else, and a seeded generator of more. Shared by __tests__/yaml.spec.ts and
 * scripts/helm-yaml-check.ts (which feeds them to a real Helm).
 */
import { JsonValue } from '../../core/yaml';

/** Strings each YAML reader is known to take for something else, or that break a naive writer. */
export const AWKWARD_STRINGS = [
  '', ' ', '  ', 'a ', ' a', 'a  b',
  // YAML 1.1 booleans and nulls (go-yaml reads them so, as keys too), YAML 1.2 ones.
  'y', 'Y', 'n', 'N', 'yes', 'Yes', 'YES', 'no', 'No', 'on', 'On', 'ON', 'off', 'Off', 'OFF', 'true', 'True', 'FALSE', 'null', 'Null', 'NULL', '~',
  // Numbers and times in one version or the other.
  '0', '-1', '+1', '1.5', '.5', '1e3', '1E-3', '0777', '0o17', '0x1F', '0b101', '1_000', '1:30', '190:20:30', '.inf', '-.Inf', '.NaN', '2001-12-14', '2001-12-14t21:59:43.10-05:00', '1m', '50Gi', '720h', '1.19.6',
  // Indicators at the start, and the sequences that end a plain scalar.
  '-', '- a', '-a', '?', '? a', ':', ':a', 'a:', 'a: b', 'a:b', 'a #b', 'a#b', '#a', '*a', '&a', '!a', '!!str', '|', '|-', '>', '%a', '@a', '`a', "'a'", '"a"', "it's", 'say "hi"',
  '[a]', '{a}', 'a, b', '[', '}', '---', '...', '<<', '=', 'a=b', '^/api/books$', '*.s3.eu-west-1.amazonaws.com', 'arn:aws:iam::123456789012:role/x',
  // Terraform template text as cdktf leaves it in a configuration, before and after resolution.
  '${TfToken[TOKEN.12]}', '${replace(aws_eks_cluster.c.endpoint, "https://", "")}', '${a: b}', '${aws_iam_role.r.name}-suffix', 'prefix-${var.x}',
  // Escapes and characters outside printable ASCII.
  '\\', 'C:\\path\\to', 'a\tb', '\t', 'a\rb', '\r\n', 'a\u0000b', '\u001b[0m', '\u007f', '\u0085', '\u00a0', '\u2028', '\u2029', '\ufeff', 'ünïcödé', '日本語', 'rocket 🚀',
  // Line breaks: literal blocks where they read back exactly, quoted otherwise.
  'line1\nline2', 'line1\nline2\n', 'line1\n\nline3\n', 'x\n\n', '\n', '\nlead', ' lead\nx', 'x\n  indented\n', 'trail \nx', 'x\n \ny', 'x\n#not a comment\n', 'x\n---\n', 'key: value\nlist:\n  - a\n',
];

/** A small deterministic generator (mulberry32), so the fuzzed corpus is the same on every run. */
export function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const ALPHABET = [...'aZy n0179 _-:#\'"\\\n\t.,[]{}&*!|>%@`?~=<+^$/\r', '\u0085', '\u2028', 'é', '🚀', 'on', 'yes', 'Null', '0x', '1e', ': ', ' #'];

export function fuzzedStrings(count: number, seed: number): string[] {
  const next = random(seed);
  return Array.from({ length: count }, () => {
    const length = Math.floor(next() * 10);
    return Array.from({ length }, () => ALPHABET[Math.floor(next() * ALPHABET.length)]).join('');
  });
}

/** A random JSON value of bounded depth built from the corpus. */
export function fuzzedValue(next: () => number, strings: readonly string[], depth: number): JsonValue {
  const pick = next();
  const str = (): string => strings[Math.floor(next() * strings.length)];
  if (depth === 0 || pick < 0.35) {
    const scalars: JsonValue[] = [str(), Math.floor(next() * 2000) - 1000, next() < 0.5, null, next() * 10, str()];
    return scalars[Math.floor(next() * scalars.length)];
  }
  const size = Math.floor(next() * 4);
  if (pick < 0.65) return Array.from({ length: size }, () => fuzzedValue(next, strings, depth - 1));
  const out: { [key: string]: JsonValue } = {};
  for (let i = 0; i < size; i++) out[str()] = fuzzedValue(next, strings, depth - 1);
  return out;
}
