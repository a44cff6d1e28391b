/**
 * Unknown keys are refused at every depth of every declaration, and at every public constructor
 * and builder, with the path as the user wrote it. Both lists are generated: the declarations from
 * the type-checker's walk of index.ts (support/input-types.ts), the places inside each from the
 * schema itself (every strict object reachable through optional values, lists, maps, unions and
 * `{ kind }` variants), and the constructors from the same walk (`new X(props)`).
 *
 * A place reached through a union is probed on its own object (the union's other members would
 * answer first for the whole value); every other place is probed from the top of its declaration,
 * so the error must name the whole path (`exportFile.allowList[0].zzUnknownKey`).
 */
import * as path from 'path';
import { App, TerraformStack } from 'cdktf';
import * as api from '../index';
import { parse, Schema } from '../core/schema';
import { ValidationError } from '../core/errors';
import { publicInputTypes } from './support/input-types';
import { thrown } from './support/errors';

const ROOT = path.join(__dirname, '..');
const UNKNOWN = 'zzUnknownKey';

/** A valibot schema's parts, as far as the walk needs them. */
interface Node {
  readonly type: string;
  readonly wrapped?: Node;
  readonly options?: readonly Node[];
  readonly entries?: Readonly<Record<string, Node>>;
  readonly item?: Node;
  readonly value?: Node;
  readonly key?: string;
  readonly literal?: unknown;
}

/** One strict object inside a declaration: the value that puts an unknown key there, and the path the error must name. */
interface Place {
  readonly value: unknown;
  readonly path: string;
  /** Reached through a union: probed on its own object. */
  readonly own: boolean;
  readonly node: Node;
  readonly base: Record<string, unknown>;
}

/** Every strict object of `root`, with the value that reaches it. */
function places(root: Node): Place[] {
  const out: Place[] = [];
  const seen = new Set<Node>();
  const walk = (n: Node | undefined, build: (inner: unknown) => unknown, at: string, own: boolean, base: Record<string, unknown>): void => {
    let s = n;
    while (s?.wrapped !== undefined) s = s.wrapped;
    if (s === undefined || seen.has(s) || s.type === 'lazy') return;
    if (s.options !== undefined) {
      seen.add(s);
      for (const o of s.options) {
        const key = s.type === 'variant' ? s.key : undefined;
        const literal = key !== undefined ? (o.entries?.[key] as Node | undefined)?.literal : undefined;
        walk(o, build, at, true, key !== undefined ? { [key]: literal } : {});
      }
      return;
    }
    if (s.type === 'strict_object' && s.entries !== undefined) {
      seen.add(s);
      out.push({ value: build({ ...base, [UNKNOWN]: 1 }), path: at === '' ? UNKNOWN : `${at}.${UNKNOWN}`, own, node: s, base });
      for (const [k, child] of Object.entries(s.entries)) walk(child, (inner) => build({ ...base, [k]: inner }), at === '' ? k : `${at}.${k}`, own, {});
      return;
    }
    if (s.type === 'object_with_rest' && s.entries !== undefined) {
      for (const [k, child] of Object.entries(s.entries)) walk(child, (inner) => build({ ...base, [k]: inner }), at === '' ? k : `${at}.${k}`, own, {});
      return;
    }
    if (s.type === 'array' && s.item !== undefined) return walk(s.item, (inner) => build([inner]), `${at}[0]`, own, {});
    if (s.type === 'record' && s.value !== undefined) return walk(s.value, (inner) => build({ x: inner }), `${at}["x"]`, own, {});
  };
  walk(root, (v) => v, '', false, {});
  return out;
}

const declared = publicInputTypes()
  .map((t) => ({ t, schema: (require(path.join(ROOT, t.file)) as Record<string, unknown>)[`${t.name}Schema`] as Schema | undefined }))
  .filter((d): d is { t: (typeof d)['t']; schema: Schema } => d.schema !== undefined);

const cases = declared.flatMap(({ t, schema }) => places(schema as unknown as Node).map((p) => [`${t.name}: ${p.path}${p.own ? ` (inside a union${Object.keys(p.base).length > 0 ? `, ${JSON.stringify(p.base)}` : ''})` : ''}`, schema, p] as const));

describe('every declaration refuses an unknown key at every depth', () => {
  test('the places are generated from the declarations (more than one per declaration on average)', () => {
    expect(declared.length).toBeGreaterThan(150);
    expect(cases.length).toBeGreaterThan(declared.length);
  });
  test.each(cases)('%s (case %#)', (_name, schema, p) => {
    const error = p.own ? thrown(() => parse(p.node as unknown as Schema, { ...p.base, [UNKNOWN]: 1 })) : thrown(() => parse(schema, p.value));
    expect(error.property).toBe(p.own ? UNKNOWN : p.path);
    expect(error.allowed).toMatch(/^no unknown key here; the known keys/);
  });
});

// ---- Constructors and builders ----------------------------------------------------------------------

const exported = api as unknown as Record<string, unknown>;
const constructors = [...new Set(publicInputTypes().flatMap((t) => /^new (\w+)\(props\)$/.exec(t.via)?.[1] ?? []))].sort();

/** Calls constructor `name` with props holding only an unknown key. */
function construct(name: string): unknown {
  const Class = exported[name] as new (...args: unknown[]) => unknown;
  const props = { [UNKNOWN]: 1 };
  // Constructs take (scope, id, props); stacks are made in an App, the rest in a stack.
  if (Class.length < 3) return new Class(props);
  const app = new App({ outdir: '/tmp/unused' });
  const isStack = Object.prototype.isPrototypeOf.call(TerraformStack.prototype, Class.prototype);
  return new Class(isStack ? app : new TerraformStack(app, 'stack'), 'probe', props);
}

describe('every public constructor refuses an unknown key in its props', () => {
  test('the constructors are generated from the walk (every construct of the public API with props)', () => {
    expect(constructors.length).toBeGreaterThanOrEqual(30);
  });
  test.each(constructors)('new %s', (name) => {
    const error = thrown(() => construct(name));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.property).toMatch(new RegExp(`(^|\\.)${UNKNOWN}$`));
  });
});

describe('builders and methods refuse an unknown key, named under their call', () => {
  const stack = (): api.CiliumEksStack => new api.CiliumEksStack(new App({ outdir: '/tmp/unused' }), 'probe', require('../main').config);
  const bad = { [UNKNOWN]: 1 } as never;
  test.each([
    ['buildNodePool(options)', () => api.buildNodePool({ prefixDelegation: true, ...(bad as object) } as never)],
    ['buildEc2NodeClass(options)', () => api.buildEc2NodeClass({ prefixDelegation: true, clusterName: 'c', nodeRoleName: 'r', ...(bad as object) } as never)],
    ['addNodePool(gpu)', () => stack().cluster.addNodePool({ name: 'gpu', ...(bad as object) } as never)],
    ['addNodeClass(gpu)', () => stack().cluster.addNodeClass({ name: 'gpu', ...(bad as object) } as never)],
    ['addPodIdentity(app)', () => stack().cluster.addPodIdentity('app', { namespace: 'shop', serviceAccount: 'app', ...(bad as object) } as never)],
    ['configureStack(options)', () => stack().cluster.configureStack(bad)],
    ['useProviders(providers)', () => stack().cluster.useProviders(bad)],
    ['podIdentityRole(props)', () => api.podIdentityRole(new TerraformStack(new App({ outdir: '/tmp/unused' }), 's'), bad)],
    ['planCapacity(input)', () => api.planCapacity(bad)],
    ['resolveMaxPods(opts)', () => api.resolveMaxPods({ prefixDelegation: true, ...(bad as object) } as never)],
    ['resolveDatapathProfile(context)', () => api.resolveDatapathProfile({}, bad)],
    ['datapathUpgradeChanges(ctx)', () => api.datapathUpgradeChanges(bad)],
    ['versionStepCheck(o)', () => api.versionStepCheck(bad)],
    ['versionStep(rule)', () => api.versionStep('1.33', '1.34', bad)],
    ['estimateExportCost(input)', () => api.estimateExportCost(bad)],
    ['buildLogShipperValues(input)', () => api.buildLogShipperValues(bad)],
    ['buildTetragonValues(input)', () => api.buildTetragonValues({ clusterName: 'c', ...(bad as object) } as never)],
    ['componentVersionReport(s)', () => api.componentVersionReport(bad, '2026-12-05')],
    ['subnetDemand(groups)', () => api.subnetDemand([bad], 2, true)],
    ['grpcClientToService(props)', () => api.grpcClientToService(bad)],
    ['defaultDeny(options)', () => api.defaultDeny('shop', bad)],
    ['HttpRule.of(props)', () => api.HttpRule.of(bad)],
    ['HttpHeader.matches(options)', () => api.HttpHeader.matches('x-team', bad)],
    ['Peer.cidrSet', () => api.Peer.cidrSet(bad)],
  ] as const)('%s', (call, fn) => {
    const error = thrown(fn);
    expect(error.property).toMatch(new RegExp(`${UNKNOWN}$`));
    expect(`${error.property}`).toContain(call.replace(/\(.*\)$/, ''));
  });
});
