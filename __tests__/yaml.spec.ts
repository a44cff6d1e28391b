/**
 * The YAML writer (`core/yaml.ts`): layout, quoting that survives YAML 1.1 (Helm's go-yaml) and
 * YAML 1.2 readers, and refusal of anything that is not JSON data. The yaml package is the second
 * opinion on every text written here (`support/yaml.ts`). Every value the project writes is read
 * back in the tests that build it (values matrix, golden files, the security checks' reading of
 * each release); this file covers the strings and shapes those do not.
 */
import { ValidationError } from '../core/errors';
import { toSortedYaml } from '../core/yaml';
import { thrown } from './support/errors';
import { expectReadsBack } from './support/yaml';
import { AWKWARD_STRINGS, fuzzedStrings, fuzzedValue, random } from './support/yaml-corpus';

describe('layout', () => {
  test('block maps and sequences, sorted keys, sequences indented under their key, empty collections in flow form', () => {
    const text = toSortedYaml({ z: 1, a: { list: ['x', { k: 'v', b: [] }, ['p', 'q']], empty: {} }, m: null });
    expect(text).toBe(['a:', '  empty: {}', '  list:', '    - x', '    - b: []', '      k: v', '    - - p', '      - q', 'm: null', 'z: 1', ''].join('\n'));
  });

  test('multi-line strings are literal blocks, with the chomping that gives the same string back', () => {
    const data = { clip: 'a\nb\n', strip: 'a\n\nb', items: ['x\ny\n'] };
    const text = toSortedYaml(data);
    expect(text).toBe(['clip: |', '  a', '  b', 'items:', '  - |', '    x', '    y', 'strip: |-', '  a', '', '  b', ''].join('\n'));
    expectReadsBack(text, data);
  });

  test('undefined members are dropped, undefined array items are null (as JSON.stringify does)', () => {
    expect(toSortedYaml({ a: undefined, b: [undefined, 1] })).toBe('b:\n  - null\n  - 1\n');
  });

  test('equal data gives identical bytes whatever the key order', () => {
    expect(toSortedYaml({ b: { y: 1, x: [2] }, a: 'v' })).toBe(toSortedYaml({ a: 'v', b: { x: [2], y: 1 } }));
  });

  test('digit-first Kubernetes quantities and durations are quoted, Terraform references stay plain', () => {
    expect(toSortedYaml({ memory: '1Gi', expireAfter: '720h', role: '${aws_iam_role.r.name}', host: '${TfToken[TOKEN.3]}' })).toBe(
      'expireAfter: "720h"\nhost: ${TfToken[TOKEN.3]}\nmemory: "1Gi"\nrole: ${aws_iam_role.r.name}\n',
    );
  });
});

describe('every string reads back as itself in YAML 1.1 and 1.2', () => {
  test.each(AWKWARD_STRINGS.map((s) => [JSON.stringify(s), s]))('%s as a value, a key and an item', (_label, s) => {
    const data = { value: s, [s]: 'key', list: [s, { [s]: [s] }], nested: { [s]: { [s]: s } } };
    expectReadsBack(toSortedYaml(data), data);
  });

  test('YAML 1.1 words and numbers are quoted, as keys too (go-yaml reads a plain key n as false)', () => {
    const text = toSortedYaml({ n: 'on', y: 'yes', octal: '0777', time: '1:30' });
    expect(text).toBe('"n": "on"\noctal: "0777"\ntime: "1:30"\n"y": "yes"\n');
  });

  test('no character that go-yaml refuses (DEL, C1 controls) or takes for a line break (NEL, LS, PS, BOM) is written raw', () => {
    // The yaml package accepts these raw inside quotes; Helm does not (scripts/helm-yaml-check.js
    // fails with "control characters are not allowed" or a broken line when they are not escaped).
    const strings = [...AWKWARD_STRINGS, ...fuzzedStrings(2000, 7)];
    const text = toSortedYaml({ values: strings, keys: Object.fromEntries(strings.map((s, i) => [s, i])) });
    expect(text.match(/[\u007f-\u009f\u2028\u2029\ufeff]/g)).toBeNull();
    expect(toSortedYaml({ v: 'a\u0085b\u2028c' })).toBe('v: "a\\u0085b\\u2028c"\n');
  });

  test('2000 fuzzed strings from an alphabet of indicators, escapes and YAML 1.1 words', () => {
    const strings = fuzzedStrings(2000, 7);
    const data = { values: strings, keys: Object.fromEntries(strings.map((s, i) => [s, i])) };
    expectReadsBack(toSortedYaml(data), data);
  });

  test('300 fuzzed nested documents', () => {
    const next = random(11);
    const strings = [...AWKWARD_STRINGS, ...fuzzedStrings(300, 13)];
    for (let i = 0; i < 300; i++) {
      const data = { doc: fuzzedValue(next, strings, 4) };
      expectReadsBack(toSortedYaml(data), data);
    }
  });

  test('numbers, booleans and null keep their types', () => {
    const data = { ints: [0, -1, 65521, Number.MAX_SAFE_INTEGER], floats: [0.5, -2.25, 1e21, 1e-7], flags: [true, false], none: null };
    expectReadsBack(toSortedYaml(data), data);
  });
});

describe('anything that is not JSON data is refused with its path', () => {
  test.each([
    ['NaN', Number.NaN, 'value.hubble.ratio'],
    ['Infinity', Number.POSITIVE_INFINITY, 'value.hubble.ratio'],
    ['a Date', new Date(0), 'value.hubble.ratio'],
    ['a Map', new Map(), 'value.hubble.ratio'],
    ['a function', () => 1, 'value.hubble.ratio'],
    ['a bigint', BigInt(1), 'value.hubble.ratio'],
    ['a symbol', Symbol('s'), 'value.hubble.ratio'],
  ])('%s', (_label, bad, path) => {
    const e = thrown(() => toSortedYaml({ hubble: { ratio: bad } }));
    expect(e).toBeInstanceOf(ValidationError);
    expect(e.property).toBe(path);
    expect(e.message).toContain('allowed: JSON data');
    expect(e.message).not.toContain(': null is not valid');
  });

  test('inside an array, the index is in the path; the caller names the root', () => {
    expect(thrown(() => toSortedYaml({ list: [1, Number.NaN] })).property).toBe('value.list[1]');
    expect(thrown(() => toSortedYaml({ list: [Number.NaN] }, 'karpenter Helm values')).property).toBe('karpenter Helm values.list[0]');
  });

  test('a cycle is refused; the same object twice side by side is not a cycle', () => {
    const loop: { [key: string]: unknown } = { name: 'a' };
    loop.self = { back: loop };
    const e = thrown(() => toSortedYaml({ loop }));
    expect(e.property).toBe('value.loop.self.back');
    expect(e.message).toContain('the value contains itself');
    const shared = { k: ['v'] };
    expect(toSortedYaml({ a: shared, b: [shared, shared] })).toBe('a:\n  k:\n    - v\nb:\n  - k:\n      - v\n  - k:\n      - v\n');
  });
});
