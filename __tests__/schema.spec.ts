/**
 * The input declarations' building blocks (core/schema.ts) and shared rules (core/rules.ts): how a
 * mistake becomes the one ValidationError, named as the user wrote it, and that the compile-time
 * drift check refuses a schema that differs from its interface.
 */
import { declare, int, list, literal, optional, orFalse, parse, pattern, rules, strict, string, variant } from '../core/schema';
import { goDuration, kmsKeyArn, labels, qualifiedName, regionMismatch, tags } from '../core/rules';
import { requirementProblem, restrictedLabelProblem, KARPENTER_AWS_WELL_KNOWN_LABELS, KARPENTER_REQUIREMENT_OPERATORS } from '../core/karpenter-rules';
import { ValidationError } from '../core/errors';
import { thrown } from './support/errors';
import { readUpstreamText } from './support/upstream';

interface Pool {
  readonly name?: string;
  readonly limits?: { readonly cpu?: number };
  readonly taints?: readonly string[];
}
const POOL = declare<Pool>()(strict({ name: optional(pattern(/^[a-z]+$/, 'a lower-case name')), limits: optional(strict({ cpu: optional(int(1, 100)) }, 'limits')), taints: optional(list(string())) }, 'pool options'));
const TOP = strict(
  {
    pool: optional(orFalse(POOL)),
    tags: optional(tags()),
    sizes: optional(rules(strict({ min: int(0, 10), max: int(0, 10) }, 'sizes'), (s, report) => (s.min > s.max ? report(['min'], s.min, `at most max (${s.max})`) : undefined))),
    ca: optional(variant('kind', [strict({ kind: literal('a') }, '{ kind: a }'), strict({ kind: literal('b'), id: string() }, '{ kind: b, id }')], '{ kind: a } or { kind: b, id }')),
  },
  'top',
);
const refusal = (input: unknown, at = ''): ValidationError => thrown(() => parse(TOP, input, at));

describe('mapping onto ValidationError', () => {
  test('an unknown key names itself, the known keys and the closest one, at any depth', () => {
    const e = refusal({ pool: { limitz: {} } });
    expect([e.property, e.allowed, e.reason]).toEqual(['pool.limitz', 'no unknown key here; the known keys of pool are limits, name, taints', 'did you mean pool.limits?']);
  });
  test('a value out of range names the path, the value and the range', () => {
    expect(refusal({ pool: { limits: { cpu: 0 } } }).message).toBe('pool.limits.cpu: 0 is not valid; allowed: an integer from 1 to 100');
  });
  test('null and a hole in a list are refused where they are', () => {
    expect(refusal({ pool: { taints: ['a', null] } }).property).toBe('pool.taints[1]');
    expect(refusal({ pool: { taints: ['a', , 'c'] } }).property).toBe('pool.taints[1]');
    expect(refusal({ pool: null }).property).toBe('pool');
  });
  test('a map key is named as ["key"] and judged (the aws: prefix)', () => {
    const e = refusal({ tags: { 'aws:owner': 'x' } });
    expect([e.property, e.value, e.reason]).toEqual(['tags["aws:owner"]', 'aws:owner', 'AWS reserves the aws: prefix for its own tags']);
  });
  test('`false` or options: wrong type names the union; a mistake inside the options names the inside', () => {
    expect(refusal({ pool: true }).allowed).toBe('false, or pool options');
    expect(refusal({ pool: { name: 'A' } }).property).toBe('pool.name');
  });
  test('a variant names the field of the chosen alternative', () => {
    expect(refusal({ ca: { kind: 'b' } }).property).toBe('ca.id');
    expect(refusal({ ca: { kind: 'c' } }).property).toBe('ca.kind');
  });
  test('a rule between fields names the field; the prefix of a call goes first', () => {
    expect(refusal({ sizes: { min: 5, max: 2 } }, 'addThing(x)').message).toBe('addThing(x).sizes.min: 5 is not valid; allowed: at most max (2)');
  });
  test('a list where an object belongs is refused as the object, not by its indexes', () => {
    expect(refusal({ pool: [{ name: 'a' }] }).property).toBe('pool');
  });
  test('a Terraform token is not judged by a format', () => {
    expect(() => parse(strict({ key: kmsKeyArn() }), { key: '${TfToken[TOKEN.1]}' })).not.toThrow();
    expect(() => parse(strict({ ids: list(kmsKeyArn()) }), { ids: ['#{TfToken[TOKEN.2]}'] })).not.toThrow();
  });
});

describe('the drift check', () => {
  test('a schema that differs from its interface does not compile (checked by the type-check step)', () => {
    // @ts-expect-error: `taints` is in the interface and not in the schema.
    const missing = declare<Pool>()(strict({ name: optional(string()), limits: optional(strict({ cpu: optional(int(1, 2)) })) }));
    // @ts-expect-error: `cpu` is a number in the interface.
    const retyped = declare<Pool>()(strict({ name: optional(string()), limits: optional(strict({ cpu: optional(string()) })), taints: optional(list(string())) }));
    expect([missing, retyped].every((s) => s !== undefined)).toBe(true);
  });
});

describe('shared rules', () => {
  test('label keys and values by the apiserver rules', () => {
    const L = strict({ l: labels() });
    expect(thrown(() => parse(L, { l: { 'app/': 'x' } })).property).toBe('l["app/"]');
    expect(thrown(() => parse(L, { l: { app: 'x y' } })).property).toBe('l["app"]');
    expect(() => parse(L, { l: { 'example.com/team': 'a.b-c_d', empty: '' } })).not.toThrow();
    expect(() => parse(strict({ k: qualifiedName() }), { k: 'a/b/c' })).toThrow(ValidationError);
  });
  test('Go durations as kubectl reads them', () => {
    const D = strict({ d: goDuration() });
    for (const ok of ['30s', '90m', '1h30m', '1.5h']) expect(() => parse(D, { d: ok })).not.toThrow();
    for (const bad of ['90 minutes', '1d', '0s', 'h']) expect(() => parse(D, { d: bad })).toThrow(ValidationError);
  });
  test('a KMS key of another region or partition is refused; a token is not judged', () => {
    const key = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    expect(regionMismatch(key, 'eu-west-1', 'the key')).toMatch(/us-east-1.*eu-west-1/);
    expect(regionMismatch(key, 'us-east-1', 'the key')).toBeUndefined();
    expect(regionMismatch(key.replace('arn:aws:', 'arn:aws-cn:'), 'us-east-1', 'the key')).toMatch(/partition aws-cn/);
    expect(regionMismatch('${TfToken[TOKEN.3]}', 'eu-west-1', 'the key')).toBeUndefined();
  });
  test("Karpenter's requirement rules are the NodePool CRD's (1.14.1)", () => {
    const text = readUpstreamText('karpenter', '1.14.1', 'karpenter.sh_nodepools.yaml');
    for (const op of KARPENTER_REQUIREMENT_OPERATORS) expect(text).toContain(`- ${op}\n`);
    for (const label of KARPENTER_AWS_WELL_KNOWN_LABELS) expect(text).toContain(label);
    expect(requirementProblem({ operator: 'Gt', values: ['0', '1'] })?.field).toBe('values');
    expect(requirementProblem({ operator: 'Gt', values: ['-1'] })?.field).toBe('values');
    expect(requirementProblem({ operator: 'Exists', values: ['x'] })?.field).toBe('values');
    expect(requirementProblem({ operator: 'In', values: ['a'], minValues: 2 })?.field).toBe('minValues');
    expect(requirementProblem({ operator: 'Lte', values: ['8'] })).toBeUndefined();
    expect(restrictedLabelProblem('karpenter.sh/nodepool', 'requirement')).toBeDefined();
    expect(restrictedLabelProblem('karpenter.k8s.aws/instance-family', 'requirement')).toBeUndefined();
    expect(restrictedLabelProblem('karpenter.k8s.aws/made-up', 'label')).toBeDefined();
  });
});
