/**
 * Reading back what `core/yaml.ts` writes, the way its two audiences read it: a YAML 1.2 parser
 * (tools, reviewers, the `yaml` package) and a YAML 1.1 one (Helm reads values with go-yaml,
 * whose plain scalars follow YAML 1.1: `on` is true, `0777` is 511, a key `n` is false).
 */
import { parseAllDocuments } from 'yaml';
import { sortKeysDeep, toSortedYaml } from '../../core/yaml';
import { expectGolden } from './golden';

/** The one document of `text`, read as YAML `version`; throws on any parse error or a second document. */
export function readYaml(text: string, version: '1.1' | '1.2'): unknown {
  const docs = parseAllDocuments(text, { version, uniqueKeys: true });
  if (!Array.isArray(docs)) throw new Error('not YAML');
  if (docs.length !== 1) throw new Error(`expected one YAML document, found ${docs.length}`);
  const [doc] = docs;
  if (doc.errors.length > 0) throw doc.errors[0];
  return doc.toJS({ maxAliasCount: 0 });
}

/** Asserts that `text` reads back as `data` (keys sorted) in YAML 1.2 and in YAML 1.1. */
export function expectReadsBack(text: string, data: unknown): void {
  const expected = sortKeysDeep(data);
  expect(readYaml(text, '1.2')).toStrictEqual(expected);
  expect(readYaml(text, '1.1')).toStrictEqual(expected);
}

/** `toSortedYaml(data)` against its golden file, and read back as `data` in both YAML versions. */
export function expectYamlGolden(name: string, data: unknown): void {
  const text = toSortedYaml(data);
  expectGolden(name, text);
  expectReadsBack(text, data);
}
