/**
 * Tetragon TracingPolicy (`cilium.io/v1alpha1`, cluster-scoped) as typed code: kprobes and
 * tracepoints with arguments and selectors (`matchArgs`, `matchBinaries`, `matchNamespaces`,
 * `matchActions`). The builders check the shape; `lint.ts` checks meaning (argument indexes and
 * types, syscall names, kernel requirements). Pure: the output is plain JSON.
 *
 * Field names and enums follow the CRD of the Tetragon 1.7.0 chart
 * (`crds-yaml/cilium.io_tracingpolicies.yaml` of tetragon-1.7.0.tgz); the project's tests validate every
 * built policy against its openAPIV3Schema.
 */
import { check } from '../../core/errors';
import { KubernetesManifest } from '../../core/k8s';
import { JsonObject } from '../../core/yaml';
import { MATCH_ARGS_OPERATORS, MATCH_BINARIES_OPERATORS, MatchArgsOperator, MatchBinariesOperator, NAMESPACE_KINDS, NamespaceKind, TRACING_ACTIONS, TRACING_ARG_TYPES, TracingAction, TracingArgType } from './hooks';
import { bool, declare, int, list, oneOf, optional, parse, pattern, strict, string, text } from '../../core/schema';
import { dns1123Subdomain, labels } from '../../core/rules';

/** API version of the TracingPolicy CRD served by Tetragon 1.7.0. */
export const TRACING_POLICY_API_VERSION = 'cilium.io/v1alpha1';

/** One argument of a hook: its position in the function's signature and how Tetragon reads it. */
export interface HookArg {
  /** Position in the function's (or tracepoint format's) arguments, from 0. */
  readonly index: number;
  /** How Tetragon reads the argument. */
  readonly type: TracingArgType;
  /** Name shown in events. @default - none */
  readonly label?: string;
}

/** A `matchArgs` entry: the argument at `index` (one of the hook's `args`) against `values`. */
export interface MatchArgs {
  /** Index of an argument the hook declares in `args`. */
  readonly index: number;
  /** How the argument is compared. */
  readonly operator: MatchArgsOperator;
  /** Values to compare with (paths, numbers as strings, CIDRs, ports...). */
  readonly values: readonly string[];
}

/** A `matchBinaries` entry: the executable of the process. */
export interface MatchBinaries {
  /** How the path is compared. */
  readonly operator: MatchBinariesOperator;
  /** Absolute paths (or path prefixes/suffixes for Prefix/Postfix). */
  readonly values: readonly string[];
  /** Also match the binary's children. @default false */
  readonly followChildren?: boolean;
}

/** A `matchNamespaces` entry: the Linux namespace of the process. */
export interface MatchNamespaces {
  /** Which kind of Linux namespace. */
  readonly namespace: NamespaceKind;
  /** In or NotIn. */
  readonly operator: 'In' | 'NotIn';
  /** Namespace inode numbers, or `host_ns` for the host's. */
  readonly values: readonly string[];
}

/** A `matchActions` entry. */
export interface MatchAction {
  /** What to do when the selector matches. */
  readonly action: TracingAction;
  /** Signal number, for `Signal`. @default - none */
  readonly argSig?: number;
  /** Return value, for `Override` (e.g. -1 for EPERM). @default - none */
  readonly argError?: number;
  /** Argument index of the file descriptor, for `FollowFD`/`UnfollowFD`/`CopyFD`. @default - none */
  readonly argFd?: number;
  /** Argument index of the file name, for `FollowFD`/`CopyFD`. @default - none */
  readonly argName?: number;
  /** Rate limit of `Post` events, e.g. `1m`. @default - none */
  readonly rateLimit?: string;
}

/** A selector: every `match*` it has must match; `matchActions` say what then happens. */
export interface TracingSelector {
  /**
   * Argument filters (`matchArgs`): each compares one declared argument with its values; all
   * must match. See {@link MatchArgs}.
   * @default - any arguments
   */
  readonly matchArgs?: readonly MatchArgs[];
  /** One binaries filter (the CRD allows at most one per selector). @default - any binary */
  readonly matchBinaries?: MatchBinaries;
  /**
   * Linux namespace filters (`matchNamespaces`), e.g. `{ namespace: 'Pid', operator: 'NotIn',
   * values: ['host_ns'] }` for processes in containers only. See {@link MatchNamespaces}.
   * @default - any namespace
   */
  readonly matchNamespaces?: readonly MatchNamespaces[];
  /**
   * What happens when the selector matches (`matchActions`), in order. See {@link MatchAction}.
   * @default - nothing written: Tetragon posts an event (`Post`)
   */
  readonly matchActions?: readonly MatchAction[];
}

/** A kprobe on a kernel function or a syscall. */
export interface KprobeSpec {
  /** Kernel function, or syscall name with `syscall: true` (`sys_openat` or `openat`). */
  readonly call: string;
  /** `call` is a syscall. @default false */
  readonly syscall?: boolean;
  /** Arguments to read. @default - none */
  readonly args?: readonly HookArg[];
  /** Selectors (at most 5 in Tetragon). @default - every call is an event */
  readonly selectors?: readonly TracingSelector[];
  /** Message shown with the events. @default - none */
  readonly message?: string;
  /** Tags shown with the events. @default - none */
  readonly tags?: readonly string[];
}

/** A tracepoint. */
export interface TracepointSpec {
  /** Tracepoint subsystem, e.g. `syscalls`. */
  readonly subsystem: string;
  /** Tracepoint event, e.g. `sys_enter_openat`. */
  readonly event: string;
  /** Fields of the tracepoint format to read. @default - none */
  readonly args?: readonly HookArg[];
  /** Selectors. @default - every hit is an event */
  readonly selectors?: readonly TracingSelector[];
  /**
   * A short message (at most 256 characters, per the CRD) included in every event of this hook,
   * to say what it means.
   * @default - none
   */
  readonly message?: string;
  /**
   * Tags included in every event of this hook, to categorise it (at most 16, per the CRD).
   * @default - none
   */
  readonly tags?: readonly string[];
}

/** Properties of a {@link TracingPolicy}. */
export interface TracingPolicyProps {
  /** `metadata.name`: a DNS-1123 subdomain. */
  readonly name: string;
  /** Kprobes. @default - none (but a policy needs at least one hook) */
  readonly kprobes?: readonly KprobeSpec[];
  /** Tracepoints. @default - none */
  readonly tracepoints?: readonly TracepointSpec[];
  /** Pods the policy applies to, by label (`spec.podSelector.matchLabels`). @default - every process on the node */
  readonly podLabels?: Readonly<Record<string, string>>;
  /** Labels on the object. @default - none */
  readonly labels?: Readonly<Record<string, string>>;
}


// ---- Declarations: the shapes, enums and ranges of the TracingPolicy CRD of Tetragon 1.7.0
// (cilium.io_tracingpolicies.yaml: `index` int32 minimum 0, the enums of hooks.ts, `tags` maxItems
// 16, `matchBinaries` a list the builder writes from one entry); what an argument means for its
// hook is the lint's (lint.ts).
const argIndex = int(0, 2147483647, 'a non-negative argument index');
export const HookArgSchema = declare<HookArg>()(strict({ index: argIndex, type: oneOf(TRACING_ARG_TYPES), label: optional(string()) }, 'an argument { index, type, label? }'));
export const MatchArgsSchema = declare<MatchArgs>()(
  strict({ index: argIndex, operator: oneOf(MATCH_ARGS_OPERATORS), values: list(string('a value (paths, numbers as strings, CIDRs, ports...)'), { min: 1 }) }, 'matchArgs { index, operator, values }'),
);
export const MatchBinariesSchema = declare<MatchBinaries>()(
  strict({ operator: oneOf(MATCH_BINARIES_OPERATORS), values: list(text('a binary path'), { min: 1 }), followChildren: optional(bool()) }, 'one matchBinaries filter { operator, values, followChildren? } (an object, not a list: the builder writes the list)'),
);
export const MatchNamespacesSchema = declare<MatchNamespaces>()(
  strict({ namespace: oneOf(NAMESPACE_KINDS), operator: oneOf(['In', 'NotIn'] as const), values: list(text('a namespace inode number or host_ns'), { min: 1 }) }, 'matchNamespaces { namespace, operator, values }'),
);
export const MatchActionSchema = declare<MatchAction>()(
  strict(
    {
      action: oneOf(TRACING_ACTIONS),
      argSig: optional(int(1, 64, 'a signal number from 1 to 64')),
      argError: optional(int(-4095, 0, 'an error return value from -4095 to 0 (e.g. -1 for EPERM)')),
      argFd: optional(argIndex),
      argName: optional(argIndex),
      rateLimit: optional(pattern(/^[1-9]\d*[smh]?$/, 'a rate limit period: seconds, or a number with s, m or h, e.g. "1m"', "the CRD's rateLimit description")),
    },
    'a matchActions entry { action, ... }',
  ),
);
export const TracingSelectorSchema = declare<TracingSelector>()(
  strict(
    { matchArgs: optional(list(MatchArgsSchema)), matchBinaries: optional(MatchBinariesSchema), matchNamespaces: optional(list(MatchNamespacesSchema)), matchActions: optional(list(MatchActionSchema)) },
    'a selector { matchArgs?, matchBinaries?, matchNamespaces?, matchActions? }',
  ),
);
const hookCommon = {
  args: optional(list(HookArgSchema)),
  selectors: optional(list(TracingSelectorSchema, { max: 5, reason: 'Tetragon loads at most 5 selectors per hook (tetragon.io docs, "Selectors")' })),
  message: optional(string()),
  tags: optional(list(string(), { max: 16, reason: 'the CRD maxItems' })),
} as const;
export const KprobeSpecSchema = declare<KprobeSpec>()(strict({ call: text('a kernel function or syscall name'), syscall: optional(bool()), ...hookCommon }, 'a kprobe { call, syscall?, args?, selectors?, ... }'));
export const TracepointSpecSchema = declare<TracepointSpec>()(
  strict({ subsystem: text('a tracepoint subsystem such as syscalls'), event: text('a tracepoint event such as sys_enter_openat'), ...hookCommon }, 'a tracepoint { subsystem, event, args?, selectors?, ... }'),
);
export const TracingPolicyPropsSchema = declare<TracingPolicyProps>()(
  strict(
    {
      name: dns1123Subdomain('a TracingPolicy name'),
      kprobes: optional(list(KprobeSpecSchema)),
      tracepoints: optional(list(TracepointSpecSchema)),
      podLabels: optional(labels()),
      labels: optional(labels()),
    },
    'TracingPolicy props { name, kprobes?, tracepoints?, podLabels?, labels? }',
  ),
);

/** A TracingPolicy built from typed props; {@link toManifest} gives the CRD object. */
export class TracingPolicy {
  /** The policy's `metadata.name` (a DNS-1123 subdomain): the `policy_name` of its events. */
  public readonly name: string;
  private readonly props: TracingPolicyProps;

  constructor(props: TracingPolicyProps) {
    const name = typeof props === 'object' && props !== null && typeof props.name === 'string' ? props.name : 'options';
    parse(TracingPolicyPropsSchema, props, `TracingPolicy(${name})`);
    const hooks = (props.kprobes?.length ?? 0) + (props.tracepoints?.length ?? 0);
    check(hooks > 0, `${props.name}.spec`, { kprobes: props.kprobes ?? [], tracepoints: props.tracepoints ?? [] }, 'at least one kprobe or tracepoint', 'a policy without hooks traces nothing');
    this.name = props.name;
    this.props = props;
  }

  /** The `cilium.io/v1alpha1` TracingPolicy object. */
  public toManifest(): KubernetesManifest {
    const p = this.props;
    const spec: JsonObject = {};
    if (p.kprobes?.length) spec.kprobes = p.kprobes.map(kprobeJson);
    if (p.tracepoints?.length) spec.tracepoints = p.tracepoints.map(tracepointJson);
    if (p.podLabels && Object.keys(p.podLabels).length > 0) spec.podSelector = { matchLabels: { ...p.podLabels } };
    return {
      apiVersion: TRACING_POLICY_API_VERSION,
      kind: 'TracingPolicy',
      metadata: { name: p.name, ...(p.labels && Object.keys(p.labels).length > 0 ? { labels: { ...p.labels } } : {}) },
      spec,
    };
  }
}

function argsJson(args: readonly HookArg[] | undefined): JsonObject {
  return args && args.length > 0 ? { args: args.map((a) => ({ index: a.index, type: a.type, ...(a.label ? { label: a.label } : {}) })) } : {};
}

function commonJson(h: { selectors?: readonly TracingSelector[]; message?: string; tags?: readonly string[] }): JsonObject {
  return {
    ...(h.selectors && h.selectors.length > 0 ? { selectors: h.selectors.map(selectorJson) } : {}),
    ...(h.message ? { message: h.message } : {}),
    ...(h.tags && h.tags.length > 0 ? { tags: [...h.tags] } : {}),
  };
}

function kprobeJson(k: KprobeSpec): JsonObject {
  return { call: k.call, syscall: k.syscall ?? false, ...argsJson(k.args), ...commonJson(k) };
}

function tracepointJson(t: TracepointSpec): JsonObject {
  return { subsystem: t.subsystem, event: t.event, ...argsJson(t.args), ...commonJson(t) };
}

function selectorJson(s: TracingSelector): JsonObject {
  const out: JsonObject = {};
  if (s.matchArgs) out.matchArgs = s.matchArgs.map((m) => ({ index: m.index, operator: m.operator, values: [...m.values] }));
  if (s.matchBinaries) {
    out.matchBinaries = [{ operator: s.matchBinaries.operator, values: [...s.matchBinaries.values], ...(s.matchBinaries.followChildren ? { followChildren: true } : {}) }];
  }
  if (s.matchNamespaces) out.matchNamespaces = s.matchNamespaces.map((m) => ({ namespace: m.namespace, operator: m.operator, values: [...m.values] }));
  if (s.matchActions) {
    out.matchActions = s.matchActions.map((a) => {
      const o: JsonObject = { action: a.action };
      for (const k of ['argSig', 'argError', 'argFd', 'argName', 'rateLimit'] as const) {
        const v = a[k];
        if (v !== undefined) o[k] = v;
      }
      return o;
    });
  }
  return out;
}

/** `matchNamespaces` that keeps processes outside the host's PID namespace: processes in containers. */
export const IN_CONTAINER: MatchNamespaces = Object.freeze({ namespace: 'Pid', operator: 'NotIn', values: Object.freeze(['host_ns']) });

/** `matchNamespaces` that keeps processes outside the host's network namespace: pods without hostNetwork. */
export const OUTSIDE_HOST_NETWORK: MatchNamespaces = Object.freeze({ namespace: 'Net', operator: 'NotIn', values: Object.freeze(['host_ns']) });
