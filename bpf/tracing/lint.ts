/**
 * A lint for TracingPolicies, like the network policy lint (bpf/policy/lint.ts): mistakes the CRD
 * schema accepts but Tetragon refuses at load time (the policy then sits in an error state and
 * traces nothing) or that trace something other than meant. See hooks.ts for what it knows and
 * where each fact comes from.
 */
import { ValidationError } from '../../core/errors';
import { asArray, asObject, asString, objectsOf } from '../../core/json';
import { JsonObject, JsonValue } from '../../core/yaml';
import { kernelAtLeast, KernelVersion } from '../versions';
import { KernelVersionSchema } from '../../core/versions';
import { declare, optional, parse, strict } from '../../core/schema';
import {
  ACTION_KERNEL_REQUIREMENTS,
  HOOK_KERNEL_REQUIREMENTS,
  isKnownSyscall,
  KERNEL_FUNCTION_SIGNATURES,
  KNOWN_TRACEPOINTS,
  MATCH_ARGS_OPERATORS,
  MAX_KPROBE_ARG_INDEX,
  OPERATOR_ARG_TYPES,
  TRACING_ACTIONS,
  TRACING_ARG_TYPES,
  TracingAction,
  TracingArgType,
} from './hooks';
import { TracingPolicy } from './policy';

/** What a TracingPolicy finding is about (all are errors). */
export type TracingLintCode =
  | 'no-hooks'
  | 'unknown-syscall'
  | 'unknown-tracepoint'
  | 'unknown-arg-type'
  | 'arg-index-out-of-range'
  | 'arg-type-mismatch'
  | 'duplicate-arg-index'
  | 'match-args-unknown-index'
  | 'operator-type-mismatch'
  | 'unknown-operator'
  | 'empty-selector'
  | 'empty-list'
  | 'binary-path-not-absolute'
  | 'namespace-value'
  | 'unknown-action'
  | 'action-missing-argument'
  | 'override-not-allowed'
  | 'needs-newer-kernel';

/** One problem in one TracingPolicy. */
export interface TracingLintFinding {
  /** `metadata.name` of the policy. */
  readonly policy: string;
  /** Path inside the spec, e.g. `kprobes[0].selectors[1].matchArgs[0].index`. */
  readonly path: string;
  /** What the finding is about, e.g. `unknown-syscall` or `arg-type-mismatch`: stable, for tests and filters. */
  readonly code: TracingLintCode;
  /** The value found at `path`, as JSON. */
  readonly value: JsonValue;
  /** What would be accepted. */
  readonly allowed: string;
  /** Why it is wrong. */
  readonly message: string;
}

/** Options of {@link lintTracingPolicy}. */
export interface TracingLintOptions {
  /** Kernel of the nodes the policy will run on (see `al2023Kernel`). @default - not checked */
  readonly kernel?: KernelVersion;
}
/** The declaration of {@link TracingLintOptions}. */
export const TracingLintOptionsSchema = declare<TracingLintOptions>()(strict({ kernel: optional(KernelVersionSchema) }, 'lint options { kernel? }'));

type Add = (code: TracingLintCode, path: string, value: JsonValue, allowed: string, message: string) => void;

const kernelText = (k: KernelVersion): string => `${k.major}.${k.minor}`;

/** Checks a TracingPolicy (built or raw) for mistakes the CRD schema accepts. */
export function lintTracingPolicy(policy: TracingPolicy | JsonObject, options: TracingLintOptions = {}): TracingLintFinding[] {
  parse(TracingLintOptionsSchema, options, 'lintTracingPolicy(options)');
  const manifest = (policy instanceof TracingPolicy ? policy.toManifest() : policy) as JsonObject;
  const name = asString(asObject(manifest.metadata)?.name) ?? '(unnamed)';
  const spec = asObject(manifest.spec) ?? {};
  const findings: TracingLintFinding[] = [];
  const add: Add = (code, path, value, allowed, message) => findings.push({ policy: name, path, code, value, allowed, message: `tracing policy ${name}, ${path}: ${message}` });

  const kprobes = objectsOf(spec.kprobes);
  const tracepoints = objectsOf(spec.tracepoints);
  if (kprobes.length + tracepoints.length === 0) add('no-hooks', 'spec', spec, 'at least one kprobe or tracepoint', 'a policy without hooks traces nothing');
  for (const [kind, list] of [['kprobes', kprobes], ['tracepoints', tracepoints]] as const) {
    const req = HOOK_KERNEL_REQUIREMENTS[kind];
    if (list.length > 0 && options.kernel && !kernelAtLeast(options.kernel, req.kernel.major, req.kernel.minor)) {
      add('needs-newer-kernel', kind, kernelText(options.kernel), `nodes with kernel ${kernelText(req.kernel)} or newer`, req.reason);
    }
  }
  for (const [i, k] of kprobes) lintKprobe(`kprobes[${i}]`, k, options, add);
  for (const [i, t] of tracepoints) lintTracepoint(`tracepoints[${i}]`, t, options, add);
  return findings;
}

function lintKprobe(path: string, k: JsonObject, options: TracingLintOptions, add: Add): void {
  const call = asString(k.call) ?? '';
  const syscall = k.syscall === true;
  if (syscall && !isKnownSyscall(call)) {
    add('unknown-syscall', `${path}.call`, call, 'a Linux syscall name such as sys_openat or openat (generic table plus x86_64 legacy calls)', 'not a syscall of the nodes\' kernels, so Tetragon cannot attach the kprobe');
  }
  const signatureKey = syscall ? `sys_${call.replace(/^(__x64_|__arm64_)?sys_/, '')}` : call;
  const signature = KERNEL_FUNCTION_SIGNATURES[signatureKey];
  const args = lintArgs(path, k.args, signature, add);
  const overrideOk = syscall || call.startsWith('security_');
  lintSelectors(path, k.selectors, args, options, overrideOk, add);
}

function lintTracepoint(path: string, t: JsonObject, options: TracingLintOptions, add: Add): void {
  const subsystem = asString(t.subsystem) ?? '';
  const event = asString(t.event) ?? '';
  const known = KNOWN_TRACEPOINTS[subsystem];
  if (known !== undefined && !(typeof known === 'function' ? known(event) : known.has(event))) {
    add('unknown-tracepoint', `${path}.event`, `${subsystem}/${event}`, `an event of the ${subsystem} subsystem (e.g. ${subsystem === 'syscalls' ? 'sys_enter_openat' : [...(known as ReadonlySet<string>)][0]})`, 'no such tracepoint, so Tetragon cannot attach');
  }
  const args = lintArgs(path, t.args, undefined, add);
  lintSelectors(path, t.selectors, args, options, false, add);
}

/** Checks the args and returns index -> type of the valid ones. */
function lintArgs(path: string, value: JsonValue | undefined, signature: readonly (readonly TracingArgType[])[] | undefined, add: Add): Map<number, string> {
  const out = new Map<number, string>();
  for (const [j, a] of objectsOf(value)) {
    const p = `${path}.args[${j}]`;
    const index = a.index;
    const type = asString(a.type) ?? '';
    if (!(TRACING_ARG_TYPES as readonly string[]).includes(type)) {
      add('unknown-arg-type', `${p}.type`, type, 'a type of the TracingPolicy CRD enum', 'Tetragon does not know how to read it');
    }
    const max = signature ? signature.length - 1 : MAX_KPROBE_ARG_INDEX;
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index > max) {
      add('arg-index-out-of-range', `${p}.index`, index ?? null, `an integer from 0 to ${max}${signature ? ' (the function\'s arguments)' : ''}`, signature ? 'the function has no argument at that position' : 'kprobes see at most six register arguments');
      continue;
    }
    if (out.has(index)) add('duplicate-arg-index', `${p}.index`, index, 'each index once', 'two readers of one argument');
    if (signature && type !== 'auto' && !signature[index].includes(type as TracingArgType)) {
      add('arg-type-mismatch', `${p}.type`, type, signature[index].join(' or '), `argument ${index} of this function is not of that type`);
    }
    out.set(index, type);
  }
  return out;
}

function lintSelectors(path: string, value: JsonValue | undefined, args: Map<number, string>, options: TracingLintOptions, overrideOk: boolean, add: Add): void {
  const list = asArray(value);
  if (list && list.length === 0) add('empty-list', `${path}.selectors`, [], 'at least one selector, or leave selectors out', 'an empty list is read as absent');
  for (const [s, sel] of objectsOf(list)) {
    const p = `${path}.selectors[${s}]`;
    const members = ['matchArgs', 'matchBinaries', 'matchNamespaces', 'matchActions', 'matchPIDs', 'matchCapabilities', 'matchNamespaceChanges', 'matchCapabilityChanges', 'matchReturnArgs', 'matchParentBinaries', 'matchData', 'matchReturnActions'];
    if (!members.some((m) => sel[m] !== undefined)) {
      add('empty-selector', p, {}, 'a selector with at least one match* filter or action, or no selectors at all', 'an empty selector matches every event and says nothing');
    }
    for (const m of members) {
      const l = asArray(sel[m]);
      if (l && l.length === 0) add('empty-list', `${p}.${m}`, [], `at least one entry, or leave ${m} out`, 'an empty list is read as absent');
    }
    for (const [j, ma] of objectsOf(sel.matchArgs)) lintMatchArgs(`${p}.matchArgs[${j}]`, ma, args, add);
    for (const [j, mb] of objectsOf(sel.matchBinaries)) {
      const values = asArray(mb.values) ?? [];
      if (values.length === 0) add('empty-list', `${p}.matchBinaries[${j}].values`, [], 'at least one path', 'an empty value list matches nothing');
      const op = asString(mb.operator) ?? '';
      if (op === 'In' || op === 'NotIn' || op === 'Prefix' || op === 'NotPrefix') {
        values.forEach((v, n) => {
          if (typeof v !== 'string' || !v.startsWith('/')) add('binary-path-not-absolute', `${p}.matchBinaries[${j}].values[${n}]`, v, 'an absolute path such as /usr/bin/curl', `${op} compares the full path of the executable`);
        });
      }
    }
    for (const [j, mn] of objectsOf(sel.matchNamespaces)) {
      const values = asArray(mn.values) ?? [];
      if (values.length === 0) add('empty-list', `${p}.matchNamespaces[${j}].values`, [], 'host_ns or namespace inode numbers', 'an empty value list matches nothing');
      values.forEach((v, n) => {
        if (!(v === 'host_ns' || (typeof v === 'string' && /^\d+$/.test(v)))) add('namespace-value', `${p}.matchNamespaces[${j}].values[${n}]`, v, 'host_ns or a namespace inode number', 'Tetragon compares namespace inode numbers');
      });
    }
    for (const [j, a] of objectsOf(sel.matchActions)) lintAction(`${p}.matchActions[${j}]`, a, options, overrideOk, add);
  }
}

function lintMatchArgs(p: string, ma: JsonObject, args: Map<number, string>, add: Add): void {
  const op = asString(ma.operator) ?? '';
  if (!(MATCH_ARGS_OPERATORS as readonly string[]).includes(op)) {
    add('unknown-operator', `${p}.operator`, op, 'an operator of the CRD enum', 'Tetragon refuses it');
    return;
  }
  const values = asArray(ma.values);
  if (!values || values.length === 0) add('empty-list', `${p}.values`, values ? [] : null, 'at least one value', 'a comparison with nothing matches nothing');
  const index = ma.index;
  const type = typeof index === 'number' ? args.get(index) : undefined;
  if (type === undefined) {
    add('match-args-unknown-index', `${p}.index`, index ?? null, args.size > 0 ? `one of the hook's argument indexes: ${[...args.keys()].join(', ')}` : 'an index declared in the hook\'s args (it has none)', 'matchArgs reads an argument the hook does not read');
    return;
  }
  const fits = OPERATOR_ARG_TYPES[op as keyof typeof OPERATOR_ARG_TYPES];
  if (fits && type !== 'auto' && !fits.includes(type as TracingArgType)) {
    add('operator-type-mismatch', `${p}.operator`, op, `an argument of type ${fits.join(', ')}, or another operator`, `argument ${String(index)} is read as ${type}, which ${op} does not compare`);
  }
}

const ACTION_ARGUMENTS: Partial<Record<TracingAction, readonly string[]>> = { Signal: ['argSig'], Override: ['argError'], FollowFD: ['argFd', 'argName'], CopyFD: ['argFd', 'argName'], UnfollowFD: ['argFd'] };

function lintAction(p: string, a: JsonObject, options: TracingLintOptions, overrideOk: boolean, add: Add): void {
  const action = asString(a.action) ?? '';
  if (!(TRACING_ACTIONS as readonly string[]).includes(action)) {
    add('unknown-action', `${p}.action`, action, TRACING_ACTIONS.join(', '), 'not an action of the CRD enum');
    return;
  }
  for (const arg of ACTION_ARGUMENTS[action as TracingAction] ?? []) {
    if (typeof a[arg] !== 'number') add('action-missing-argument', `${p}.${arg}`, a[arg] ?? null, `a number: ${action} needs ${arg}`, `${action} without ${arg} has nothing to act on`);
  }
  if (action === 'Override' && !overrideOk) {
    add('override-not-allowed', `${p}.action`, action, 'Override only on a syscall kprobe or a security_* hook', 'bpf_override_return works only on functions on the kernel\'s error-injection list');
  }
  const req = ACTION_KERNEL_REQUIREMENTS[action as TracingAction];
  if (req && options.kernel && !kernelAtLeast(options.kernel, req.kernel.major, req.kernel.minor)) {
    add('needs-newer-kernel', `${p}.action`, action, `nodes with kernel ${kernelText(req.kernel)} or newer (these run ${kernelText(options.kernel)})`, req.reason);
  }
}

/**
 * Throws a {@link ValidationError} for the first finding (naming `property` and the path inside
 * the policy, counting the others).
 */
export function assertTracingPolicyValid(policy: TracingPolicy | JsonObject, options: TracingLintOptions & { property?: string } = {}): void {
  const { property, ...lint } = options;
  const findings = lintTracingPolicy(policy, lint);
  if (findings.length === 0) return;
  const [first, ...rest] = findings;
  const more = rest.length > 0 ? `; ${rest.length} more: ${rest.map((f) => `${f.path} ${f.code}`).join(', ')}` : '';
  const prefix = property ?? first.policy;
  throw new ValidationError(`${prefix}.${first.path}`, first.value, first.allowed, `${first.code}: ${first.message}${more}`);
}
