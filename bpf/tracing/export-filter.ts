/**
 * Tetragon's JSON export filters (`tetragon.exportAllowList` / `exportDenyList` of the chart) as
 * pure code: the filter type, its validation, and an evaluator that says whether an exported event
 * passes. Written from Tetragon v1.7.0's source (cilium/tetragon):
 *
 * - `pkg/filters/filters.go`: `Apply(allow, deny, ev) = allow.MatchOne(ev) && deny.MatchNone(ev)`;
 *   an empty allow list lets every event through, an empty deny list drops none; inside one filter
 *   every field given must match (`MatchAll`); the lists are one JSON object per line
 *   (`ParseFilterList`, a stream of objects).
 * - `api/v1/tetragon/events.pb.json.go`: a filter is decoded with protojson's default options, so
 *   a field name Tetragon does not know, or an event type name it does not know, stops the agent at
 *   start (`cmd/tetragon/main.go` returns the parse error). Both are refused here at synth.
 * - A list field given as `[]` decodes to nil, i.e. as if absent: `{"namespace":[]}` is `{}`,
 *   which matches every event (in a deny list: drops everything). Refused here.
 * - `pid_set` is refused by the agent unless `--enable-pid-set-filter` ("intended for
 *   testing/development, not for production"): refused here too.
 * - Field semantics: `namespace.go` (a process without a pod has the namespace `""`),
 *   `eventType.go` (the event's oneof field), `health_check.go` (the process or its parent
 *   `pod.container.maybe_exec_probe`), `policies.go` (only kprobe, tracepoint, uprobe and LSM
 *   events have a policy name), `binary_regex.go`, `pod_regex.go`, `namespace_regex.go`,
 *   `arguments_regex.go`, `container.go` (Go `regexp.MatchString`: unanchored RE2).
 *
 * The evaluator decides every field but `labels`, `capabilities`, `cel_expression`,
 * `ancestor_binary_regex` and `pid_set`; a filter that depends on one of those is "undecided"
 * for an event, never guessed.
 */
import { JsonObject, JsonValue, sortKeysDeep } from '../../core/yaml';
import { JsonObjectSchema } from '../../core/json';
import { bool, declare, format, int, list, oneOf, optional, parse, rules, Schema, strict, string, v } from '../../core/schema';

/** Tetragon's event types (`EventType` of api/v1/tetragon/events.proto, v1.7.0), without `UNDEF`. */
export const TETRAGON_EVENT_TYPES = Object.freeze([
  'PROCESS_EXEC',
  'PROCESS_EXIT',
  'PROCESS_KPROBE',
  'PROCESS_TRACEPOINT',
  'PROCESS_LOADER',
  'PROCESS_UPROBE',
  'PROCESS_THROTTLE',
  'PROCESS_LSM',
  'PROCESS_USDT',
  'TEST',
  'RATE_LIMIT_INFO',
] as const);
/**
 * A Tetragon event type name as export filters write it (`event_set`), one of
 * {@link TETRAGON_EVENT_TYPES}, e.g. `PROCESS_EXEC` or `PROCESS_KPROBE`; an exported event carries
 * it as the key in {@link TETRAGON_EVENT_KEYS}.
 */
export type TetragonEventType = (typeof TETRAGON_EVENT_TYPES)[number];

/** The key of each event type in an exported event: the `GetEventsResponse` oneof field (proto names, as the JSON export writes them). */
export const TETRAGON_EVENT_KEYS: Readonly<Record<TetragonEventType, string>> = Object.freeze({
  PROCESS_EXEC: 'process_exec',
  PROCESS_EXIT: 'process_exit',
  PROCESS_KPROBE: 'process_kprobe',
  PROCESS_TRACEPOINT: 'process_tracepoint',
  PROCESS_LOADER: 'process_loader',
  PROCESS_UPROBE: 'process_uprobe',
  PROCESS_THROTTLE: 'process_throttle',
  PROCESS_LSM: 'process_lsm',
  PROCESS_USDT: 'process_usdt',
  TEST: 'test',
  RATE_LIMIT_INFO: 'rate_limit_info',
});

/** The event types a TracingPolicy produces (the ones with a `policy_name`, `GetPolicyName` of filters.go). */
export const POLICY_EVENT_TYPES: readonly TetragonEventType[] = Object.freeze(['PROCESS_KPROBE', 'PROCESS_TRACEPOINT', 'PROCESS_UPROBE', 'PROCESS_LSM']);

/**
 * One export filter: the fields of Tetragon's `Filter` message (v1.7.0), by their proto names as
 * the chart's examples write them. Every field given must match.
 */
export interface TetragonExportFilter {
  /** RE2 patterns on `process.binary`. @default - any */
  readonly binary_regex?: readonly string[];
  /** Kubernetes namespaces of the process's pod; `""` is a process outside any pod (the host). @default - any */
  readonly namespace?: readonly string[];
  /** Whether the process (or its parent) looks like a container's exec probe. @default - any */
  readonly health_check?: boolean;
  /** Process IDs. @default - any */
  readonly pid?: readonly number[];
  /** Refused: the agent accepts it only with --enable-pid-set-filter (testing only). @default - any */
  readonly pid_set?: readonly number[];
  /** Event types. @default - any */
  readonly event_set?: readonly TetragonEventType[];
  /** RE2 patterns on the pod name. @default - any */
  readonly pod_regex?: readonly string[];
  /** RE2 patterns on `process.arguments`. @default - any */
  readonly arguments_regex?: readonly string[];
  /** Kubernetes label selectors on the pod's labels (never matches a host process). @default - any */
  readonly labels?: readonly string[];
  /** TracingPolicy names (only kprobe, tracepoint, uprobe and LSM events carry one). @default - any */
  readonly policy_names?: readonly string[];
  /** Capability sets (`CapFilter`). @default - any */
  readonly capabilities?: JsonObject;
  /** RE2 patterns on the parent's binary. @default - any */
  readonly parent_binary_regex?: readonly string[];
  /** CEL expressions. @default - any */
  readonly cel_expression?: readonly string[];
  /** RE2 patterns on the parent's arguments. @default - any */
  readonly parent_arguments_regex?: readonly string[];
  /** RE2 patterns on the container ID (`process.docker`). @default - any */
  readonly container_id?: readonly string[];
  /** Whether the process descends from the container's init process. @default - any */
  readonly in_init_tree?: boolean;
  /** RE2 patterns on the ancestors' binaries. @default - any */
  readonly ancestor_binary_regex?: readonly string[];
  /** RE2 patterns on the container name. @default - any */
  readonly container_name_regex?: readonly string[];
  /** RE2 patterns on the pod's namespace (never matches a host process). @default - any */
  readonly namespace_regex?: readonly string[];
}

type FieldKind = 'strings' | 'regexes' | 'bool' | 'numbers' | 'eventTypes' | 'object';
/** Every field of Tetragon 1.7.0's `Filter` message and how its value is written. */
const FIELD_KINDS: Readonly<Record<keyof TetragonExportFilter, FieldKind>> = Object.freeze({
  binary_regex: 'regexes',
  namespace: 'strings',
  health_check: 'bool',
  pid: 'numbers',
  pid_set: 'numbers',
  event_set: 'eventTypes',
  pod_regex: 'regexes',
  arguments_regex: 'regexes',
  labels: 'strings',
  policy_names: 'strings',
  capabilities: 'object',
  parent_binary_regex: 'regexes',
  cel_expression: 'strings',
  parent_arguments_regex: 'regexes',
  container_id: 'regexes',
  in_init_tree: 'bool',
  ancestor_binary_regex: 'regexes',
  container_name_regex: 'regexes',
  namespace_regex: 'regexes',
});
/** The field names Tetragon 1.7.0 knows. */
export const TETRAGON_FILTER_FIELDS = Object.freeze(Object.keys(FIELD_KINDS).sort()) as readonly (keyof TetragonExportFilter)[];

/** RE2 has no look-around and no back-references (github.com/google/re2/wiki/Syntax); JavaScript has. */
const NOT_RE2 = /\(\?<?[=!]|\\[1-9]|\\k</;

const EMPTY_LIST = 'an empty list reads as an absent field, which matches every event';
const regex = format('an RE2 regular expression (no look-around, no back-references)', (s) => {
  if (NOT_RE2.test(s)) return 'Tetragon compiles filters with Go regexp (RE2)';
  try {
    new RegExp(s);
    return true;
  } catch (e) {
    return (e as Error).message;
  }
});
const FIELD_SCHEMAS: { readonly [K in FieldKind]: Schema } = {
  strings: list(string(), { min: 1, allowed: 'a non-empty list of strings', reason: EMPTY_LIST }),
  regexes: list(regex, { min: 1, allowed: 'a non-empty list of RE2 patterns', reason: EMPTY_LIST }),
  bool: bool(),
  numbers: list(int(0, Number.MAX_SAFE_INTEGER, 'a process ID (a non-negative integer)'), { min: 1, allowed: 'a non-empty list of process IDs', reason: EMPTY_LIST }),
  eventTypes: list(oneOf(TETRAGON_EVENT_TYPES, TETRAGON_EVENT_TYPES.join(', '), 'the agent refuses an unknown event type at start'), { min: 1, allowed: 'a non-empty list of event types', reason: EMPTY_LIST }),
  object: rules(JsonObjectSchema, (o, report) => (Object.keys(o).length === 0 ? report([], o, 'a non-empty object (Tetragon CapFilter)') : undefined)),
};
/**
 * The declaration of {@link TetragonExportFilter}: the agent's fields (an unknown one refused, as
 * the agent refuses it at start), non-empty lists, RE2 patterns, event types; no empty filter (in a
 * deny list it drops every event) and no `pid_set` (the agent takes it only with
 * --enable-pid-set-filter, meant for testing: filters.go).
 */
export const TetragonExportFilterSchema = declare<TetragonExportFilter>()(
  rules(
    strict(
      Object.fromEntries(Object.entries(FIELD_KINDS).map(([k, kind]) => [k, optional(FIELD_SCHEMAS[kind])])) as unknown as { [K in keyof TetragonExportFilter]-?: v.OptionalSchema<v.GenericSchema<NonNullable<TetragonExportFilter[K]>>, undefined> },
      `an object of Tetragon filter fields: ${TETRAGON_FILTER_FIELDS.join(', ')}`,
    ),
    (f, report) => {
      if (Object.keys(f).length === 0) report([], f, `at least one of ${TETRAGON_FILTER_FIELDS.join(', ')}`, 'an empty filter matches every event: in a deny list it drops them all');
      if (f.pid_set !== undefined) report(['pid_set'], f.pid_set, 'no pid_set', 'the agent accepts pid_set filters only with --enable-pid-set-filter, meant for testing (filters.go)');
    },
  ),
);

/**
 * Checks an export filter list as the agent would parse it (each a {@link TetragonExportFilter}).
 * `property` is the list's path as the user wrote it (`tetragon.exportFile.denyList`).
 */
export function assertTetragonExportFilters(filters: readonly TetragonExportFilter[], property: string): void {
  parse(list(TetragonExportFilterSchema, { allowed: 'a list of Tetragon export filters' }), filters, property);
}

/** A decision on one event: exported or dropped, by which filter, or undecided (a field the evaluator does not judge). */
export interface ExportDecision {
  /**
   * `exported` (an allow filter matches, or there is no allow list, and no deny filter does),
   * `dropped`, or `undecided` (the event depends on a field the evaluator does not judge).
   */
  readonly outcome: 'exported' | 'dropped' | 'undecided';
  /** Why, in words: the filter that dropped it, or the field that could not be judged. */
  readonly reason: string;
}

/** true, false, or undefined for "cannot judge". */
type Tri = boolean | undefined;

/** AND of a filter's fields: false wins, then undecided. */
function all(results: Tri[]): Tri {
  if (results.some((r) => r === false)) return false;
  return results.some((r) => r === undefined) ? undefined : true;
}

const obj = (v: JsonValue | undefined): JsonObject | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? v : undefined);
const str = (v: JsonValue | undefined): string => (typeof v === 'string' ? v : '');

/** The event type of an exported event: its one oneof key. */
export function tetragonEventType(event: JsonObject): TetragonEventType | undefined {
  return TETRAGON_EVENT_TYPES.find((t) => obj(event[TETRAGON_EVENT_KEYS[t]]) !== undefined);
}

/** The body of the event (`process_kprobe: {...}`), its process and parent. */
function parts(event: JsonObject): { body?: JsonObject; process?: JsonObject; parent?: JsonObject } {
  const type = tetragonEventType(event);
  const body = type ? obj(event[TETRAGON_EVENT_KEYS[type]]) : undefined;
  return { body, process: obj(body?.process), parent: obj(body?.parent) };
}

const anyMatch = (patterns: readonly string[], text: string): boolean => patterns.some((p) => new RegExp(p).test(text));

/** Whether one filter matches one exported event (undefined: it depends on a field the evaluator does not judge). */
export function tetragonFilterMatches(filter: TetragonExportFilter, event: JsonObject): boolean | undefined {
  const { body, process, parent } = parts(event);
  const pod = obj(process?.pod);
  const maybeProbe = (p?: JsonObject): boolean => obj(obj(p?.pod)?.container)?.maybe_exec_probe === true;
  const results: Tri[] = [];
  for (const [key, value] of Object.entries(filter) as [keyof TetragonExportFilter, never][]) {
    switch (key) {
      case 'event_set': {
        const type = tetragonEventType(event);
        results.push(type !== undefined && (value as readonly string[]).includes(type));
        break;
      }
      case 'namespace':
        // namespace.go: no pod matches "", a pod matches its namespace; no process matches nothing.
        results.push(process !== undefined && (value as readonly string[]).includes(pod ? str(pod.namespace) : ''));
        break;
      case 'namespace_regex':
        results.push(pod !== undefined && anyMatch(value, str(pod.namespace)));
        break;
      case 'health_check': {
        const probe = maybeProbe(process) || maybeProbe(parent);
        results.push((value as boolean) ? probe : !probe);
        break;
      }
      case 'policy_names':
        results.push(str(body?.policy_name) !== '' && (value as readonly string[]).includes(str(body?.policy_name)));
        break;
      case 'binary_regex':
        results.push(process !== undefined && anyMatch(value, str(process.binary)));
        break;
      case 'parent_binary_regex':
        results.push(parent !== undefined && anyMatch(value, str(parent.binary)));
        break;
      case 'pod_regex':
        results.push(pod !== undefined && anyMatch(value, str(pod.name)));
        break;
      case 'arguments_regex':
        results.push(process !== undefined && anyMatch(value, str(process.arguments)));
        break;
      case 'parent_arguments_regex':
        results.push(parent !== undefined && anyMatch(value, str(parent.arguments)));
        break;
      case 'container_id':
        results.push(process !== undefined && anyMatch(value, str(process.docker)));
        break;
      case 'container_name_regex': {
        const container = obj(pod?.container);
        results.push(container !== undefined && anyMatch(value, str(container.name)));
        break;
      }
      case 'in_init_tree':
        results.push((process?.in_init_tree === true) === (value as boolean));
        break;
      case 'pid':
        results.push(process !== undefined && (value as readonly number[]).includes(process.pid as number));
        break;
      default:
        // labels, capabilities, cel_expression, ancestor_binary_regex, pid_set: not judged.
        results.push(undefined);
    }
  }
  return all(results);
}

/** What the exporter does with an event under the given lists (`Apply` of filters.go), with the reason. */
export function tetragonExportDecision(allowList: readonly TetragonExportFilter[], denyList: readonly TetragonExportFilter[], event: JsonObject): ExportDecision {
  const allow = allowList.map((f) => tetragonFilterMatches(f, event));
  if (allowList.length > 0 && !allow.includes(true)) {
    if (allow.includes(undefined)) return { outcome: 'undecided', reason: `allow filter ${JSON.stringify(allowList[allow.indexOf(undefined)])} uses a field this evaluator does not judge` };
    return { outcome: 'dropped', reason: 'no allow filter matches it' };
  }
  const deny = denyList.map((f) => tetragonFilterMatches(f, event));
  const denied = deny.indexOf(true);
  if (denied >= 0) return { outcome: 'dropped', reason: `deny filter ${JSON.stringify(denyList[denied])} matches it` };
  if (deny.includes(undefined)) return { outcome: 'undecided', reason: `deny filter ${JSON.stringify(denyList[deny.indexOf(undefined)])} uses a field this evaluator does not judge` };
  return { outcome: 'exported', reason: allowList.length > 0 ? `allow filter ${JSON.stringify(allowList[allow.indexOf(true)])} matches it` : 'no allow list, no deny filter matches it' };
}

/**
 * The project's default allow list: the events TracingPolicies produce (kprobe, tracepoint, uprobe
 * and LSM events: the ones with a policy name), and no process exec/exit event (the chart's default
 * ships every exec and exit: a bill that grows with every process started). Not by policy name:
 * a policy added later (`Tetragon.addPolicy`) is shipped as well.
 */
export const DEFAULT_TETRAGON_ALLOW_LIST: readonly TetragonExportFilter[] = Object.freeze([Object.freeze({ event_set: POLICY_EVENT_TYPES })]);

/**
 * The project's default deny list: exec probes (Kubernetes exec health checks, which would report
 * a shell every few seconds per pod). Unlike the chart's default, it does not drop the host (`""`),
 * `cilium` and `kube-system` namespaces: a host process reading /etc/shadow, or a shell in a
 * kube-system pod, is exactly the evidence the ready-made policies exist for.
 */
export const DEFAULT_TETRAGON_DENY_LIST: readonly TetragonExportFilter[] = Object.freeze([Object.freeze({ health_check: true })]);

/** A filter list as the chart takes it: one JSON object per line, keys sorted (stable text). */
export function tetragonFilterListText(filters: readonly TetragonExportFilter[]): string {
  return filters.map((f) => JSON.stringify(sortKeysDeep(f))).join('\n');
}
