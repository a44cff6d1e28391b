/**
 * Hubble's flow export filters (`hubble.export.static.allowList` / `denyList`) as pure code: the
 * `FlowFilter` type, its validation per chart version, an evaluator for exported flows, and the
 * project's defaults. Written from Cilium's source as vendored by the hubble CLI at v1.18.6 and
 * v1.19.4 (cilium/hubble `vendor/github.com/cilium/cilium/`):
 *
 * - `pkg/hubble/filters/filters.go`: `Apply(allow, deny, ev) = allow.MatchOne(ev) && deny.MatchNone(ev)`;
 *   inside one `FlowFilter` every field given must match (`BuildFilter`, `MatchAll`); an empty
 *   allow list lets every flow through.
 * - `api/v1/flow/flow.proto`, message `FlowFilter`: the field names (proto names) and enums;
 *   `flow.pb.json.go` decodes a filter with protojson's default options, so an unknown field or
 *   enum name is an error (the agent's exporter configuration fails to parse; inferred from the
 *   decoder, not run).
 * - `verdict.go`, `event_type.go` (a flow matches a type unless the filter's `type` is 0 or
 *   equal, and the sub-type when `match_sub_type`), `http.go` (`http_status_code`: `"404"` or a
 *   prefix `"4+"`/`"40+"`; on L7 HTTP records only; the filter is refused unless the filter has
 *   no `event_type` or one of type 129, the L7 access log), `drop_reason_desc.go`, `k8s.go`
 *   (`source_pod`/`destination_pod`: `namespace/name-prefix` or a name prefix).
 * - The chart renders each list as `hubble-export-allowlist: {{ allowList | join " " }}`
 *   (cilium `install/kubernetes/cilium/templates/cilium-configmap.yaml`), and its values.yaml and
 *   the Cilium docs (observability/hubble/configuration/export) write each item as a JSON string:
 *   `- '{"verdict":["DROPPED","ERROR"]}'`. An item given as a YAML object would be rendered as a Go
 *   map (`map[verdict:[DROPPED]]`), which is not JSON: {@link hubbleFilterStrings}.
 *
 * The evaluator judges `verdict`, `event_type`, `http_status_code`, `drop_reason_desc`,
 * `source_pod`, `destination_pod`, `traffic_direction`, `reply`, `node_name` (exact or prefix
 * only) and `uuid`; a filter that depends on another field is "undecided" for a flow.
 */
import { check, ValidationError } from '../core/errors';
import { JsonObject, JsonValue, sortKeysDeep } from '../core/yaml';
import { CiliumChartVersion } from './versions';

/** A Hubble `FlowFilter`, by its proto field names. Every field given must match. */
export type HubbleFlowFilter = Readonly<Record<string, JsonValue>>;

/** FlowFilter fields of Cilium 1.18 (flow.proto of cilium v1.18.6). */
const FLOW_FILTER_FIELDS_1_18 = [
  'uuid',
  'source_ip',
  'source_ip_xlated',
  'source_pod',
  'source_fqdn',
  'source_label',
  'source_service',
  'source_workload',
  'source_cluster_name',
  'destination_ip',
  'destination_pod',
  'destination_fqdn',
  'destination_label',
  'destination_service',
  'destination_workload',
  'destination_cluster_name',
  'traffic_direction',
  'verdict',
  'drop_reason_desc',
  'interface',
  'event_type',
  'http_status_code',
  'protocol',
  'source_port',
  'destination_port',
  'reply',
  'dns_query',
  'source_identity',
  'destination_identity',
  'http_method',
  'http_path',
  'http_url',
  'http_header',
  'tcp_flags',
  'node_name',
  'node_labels',
  'ip_version',
  'trace_id',
  'experimental',
] as const;

/**
 * The FlowFilter fields each supported chart version's agent knows. 1.19 adds `ip_trace_id` and
 * `encrypted` (flow.proto of cilium v1.19.4). 1.20: the 1.19 list, unverified (no 1.20 flow.proto
 * in the stored sources).
 */
export const HUBBLE_FLOW_FILTER_FIELDS: Readonly<Record<CiliumChartVersion, readonly string[]>> = Object.freeze({
  '1.18.12': Object.freeze([...FLOW_FILTER_FIELDS_1_18]),
  '1.19.6': Object.freeze([...FLOW_FILTER_FIELDS_1_18, 'ip_trace_id', 'encrypted']),
  '1.20.0': Object.freeze([...FLOW_FILTER_FIELDS_1_18, 'ip_trace_id', 'encrypted']),
});

/** `Verdict` enum names (flow.proto). */
export const FLOW_VERDICTS = Object.freeze(['VERDICT_UNKNOWN', 'FORWARDED', 'DROPPED', 'ERROR', 'AUDIT', 'REDIRECTED', 'TRACED', 'TRANSLATED']);
/** `TrafficDirection` enum names. */
const TRAFFIC_DIRECTIONS = ['TRAFFIC_DIRECTION_UNKNOWN', 'INGRESS', 'EGRESS'];
/** `IPVersion` enum names. */
const IP_VERSIONS = ['IP_NOT_USED', 'IPv4', 'IPv6'];
/** `DropReason` enum names (the same 76 in v1.18.6 and v1.19.4). */
export const DROP_REASONS = Object.freeze(
  (
    'DROP_REASON_UNKNOWN INVALID_SOURCE_MAC INVALID_DESTINATION_MAC INVALID_SOURCE_IP POLICY_DENIED INVALID_PACKET_DROPPED ' +
    'CT_TRUNCATED_OR_INVALID_HEADER CT_MISSING_TCP_ACK_FLAG CT_UNKNOWN_L4_PROTOCOL CT_CANNOT_CREATE_ENTRY_FROM_PACKET ' +
    'UNSUPPORTED_L3_PROTOCOL MISSED_TAIL_CALL ERROR_WRITING_TO_PACKET UNKNOWN_L4_PROTOCOL UNKNOWN_ICMPV4_CODE ' +
    'UNKNOWN_ICMPV4_TYPE UNKNOWN_ICMPV6_CODE UNKNOWN_ICMPV6_TYPE ERROR_RETRIEVING_TUNNEL_KEY ERROR_RETRIEVING_TUNNEL_OPTIONS ' +
    'INVALID_GENEVE_OPTION UNKNOWN_L3_TARGET_ADDRESS STALE_OR_UNROUTABLE_IP NO_MATCHING_LOCAL_CONTAINER_FOUND ' +
    'ERROR_WHILE_CORRECTING_L3_CHECKSUM ERROR_WHILE_CORRECTING_L4_CHECKSUM CT_MAP_INSERTION_FAILED INVALID_IPV6_EXTENSION_HEADER ' +
    'IP_FRAGMENTATION_NOT_SUPPORTED SERVICE_BACKEND_NOT_FOUND NO_TUNNEL_OR_ENCAPSULATION_ENDPOINT FAILED_TO_INSERT_INTO_PROXYMAP ' +
    'REACHED_EDT_RATE_LIMITING_DROP_HORIZON UNKNOWN_CONNECTION_TRACKING_STATE LOCAL_HOST_IS_UNREACHABLE ' +
    'NO_CONFIGURATION_AVAILABLE_TO_PERFORM_POLICY_DECISION UNSUPPORTED_L2_PROTOCOL NO_MAPPING_FOR_NAT_MASQUERADE ' +
    'UNSUPPORTED_PROTOCOL_FOR_NAT_MASQUERADE FIB_LOOKUP_FAILED ENCAPSULATION_TRAFFIC_IS_PROHIBITED INVALID_IDENTITY UNKNOWN_SENDER ' +
    'NAT_NOT_NEEDED IS_A_CLUSTERIP FIRST_LOGICAL_DATAGRAM_FRAGMENT_NOT_FOUND FORBIDDEN_ICMPV6_MESSAGE DENIED_BY_LB_SRC_RANGE_CHECK ' +
    'SOCKET_LOOKUP_FAILED SOCKET_ASSIGN_FAILED PROXY_REDIRECTION_NOT_SUPPORTED_FOR_PROTOCOL POLICY_DENY VLAN_FILTERED INVALID_VNI ' +
    'INVALID_TC_BUFFER NO_SID MISSING_SRV6_STATE NAT46 NAT64 AUTH_REQUIRED CT_NO_MAP_FOUND SNAT_NO_MAP_FOUND INVALID_CLUSTER_ID ' +
    'UNSUPPORTED_PROTOCOL_FOR_DSR_ENCAP NO_EGRESS_GATEWAY UNENCRYPTED_TRAFFIC TTL_EXCEEDED NO_NODE_ID DROP_RATE_LIMITED ' +
    'IGMP_HANDLED IGMP_SUBSCRIBED MULTICAST_HANDLED DROP_HOST_NOT_READY DROP_EP_NOT_READY DROP_NO_EGRESS_IP DROP_PUNT_PROXY'
  ).split(' '),
);

/** Cilium monitor message types (`pkg/monitor/api/types.go`): the `event_type.type` values. */
export const MONITOR_MESSAGE_TYPES = Object.freeze({ drop: 1, debug: 2, capture: 3, trace: 4, policyVerdict: 5, recorder: 6, traceSock: 7, l7: 129, agent: 130 });

type Kind = 'strings' | 'enum' | 'bools' | 'uints' | 'eventTypes' | 'objects' | 'experimental';
const ENUMS: Readonly<Record<string, readonly string[]>> = { verdict: FLOW_VERDICTS, traffic_direction: TRAFFIC_DIRECTIONS, ip_version: IP_VERSIONS, drop_reason_desc: DROP_REASONS };
/** Object fields and the keys their items take (flow.proto `Workload`, `HTTPHeader`, `TCPFlags`, `NetworkInterface`). */
const OBJECT_KEYS: Readonly<Record<string, readonly string[]>> = {
  source_workload: ['name', 'kind'],
  destination_workload: ['name', 'kind'],
  http_header: ['key', 'value'],
  tcp_flags: ['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG', 'ECE', 'CWR', 'NS'],
  interface: ['index', 'name'],
};
function kindOf(field: string): Kind {
  if (field in ENUMS) return 'enum';
  if (field in OBJECT_KEYS) return 'objects';
  if (field === 'event_type') return 'eventTypes';
  if (field === 'experimental') return 'experimental';
  if (field === 'reply' || field === 'encrypted') return 'bools';
  if (field === 'source_identity' || field === 'destination_identity' || field === 'ip_trace_id') return 'uints';
  return 'strings';
}

const HTTP_FIELDS = ['http_status_code', 'http_method', 'http_path', 'http_url', 'http_header'];
/** `http.go`: a status code or a prefix of one. */
const HTTP_STATUS = /^([1-5][0-9]{2}|[1-5][0-9]?\+)$/;

/**
 * Checks a flow filter list against what the chart version's agent parses: known fields and enum
 * names, non-empty lists (an empty list reads as an absent field), no empty filter, status codes,
 * and HTTP fields only beside an L7 event type. `property` names the list as the user wrote it.
 */
export function assertHubbleFlowFilters(filters: readonly HubbleFlowFilter[], property: string, chartVersion: CiliumChartVersion): void {
  check(Array.isArray(filters), property, filters, 'a list of Hubble FlowFilter objects');
  const fields = HUBBLE_FLOW_FILTER_FIELDS[chartVersion];
  filters.forEach((f, i) => {
    const at = `${property}[${i}]`;
    check(f !== null && typeof f === 'object' && !Array.isArray(f), at, f, 'a Hubble FlowFilter object, e.g. { verdict: ["DROPPED"] }', 'the project writes each one as the JSON string the chart expects');
    const keys = Object.keys(f);
    check(keys.length > 0, at, f, `at least one of ${fields.join(', ')}`, 'an empty filter matches every flow: in a deny list it drops them all');
    for (const key of keys) {
      const value = f[key];
      const fieldAt = `${at}.${key}`;
      if (!fields.includes(key)) {
        throw new ValidationError(fieldAt, value, `a FlowFilter field of Cilium ${chartVersion}: ${fields.join(', ')}`, "the agent's protojson decoder refuses an unknown field");
      }
      const kind = kindOf(key);
      if (kind === 'experimental') {
        const exp = value as JsonObject;
        check(exp !== null && typeof exp === 'object' && !Array.isArray(exp) && Object.keys(exp).length === 1 && Array.isArray(exp.cel_expression) && exp.cel_expression.length > 0, fieldAt, value, '{ cel_expression: ["..."] }');
        continue;
      }
      check(Array.isArray(value) && value.length > 0, fieldAt, value, 'a non-empty list', 'an empty list reads as an absent field, which matches every flow');
      (value as JsonValue[]).forEach((item, j) => {
        const itemAt = `${fieldAt}[${j}]`;
        switch (kind) {
          case 'enum':
            check(ENUMS[key].includes(item as string), itemAt, item, ENUMS[key].join(', '));
            break;
          case 'bools':
            check(typeof item === 'boolean', itemAt, item, 'true or false');
            break;
          case 'uints':
            check(Number.isInteger(item) && (item as number) >= 0, itemAt, item, 'a non-negative integer');
            break;
          case 'eventTypes': {
            const et = item as JsonObject;
            check(et !== null && typeof et === 'object' && !Array.isArray(et), itemAt, item, '{ type, match_sub_type?, sub_type? }');
            for (const k of Object.keys(et)) check(['type', 'match_sub_type', 'sub_type'].includes(k), `${itemAt}.${k}`, et[k], 'type, match_sub_type or sub_type (flow.proto EventTypeFilter)');
            check(Number.isInteger(et.type), `${itemAt}.type`, et.type, `a monitor message type number, e.g. ${Object.entries(MONITOR_MESSAGE_TYPES).map(([n, t]) => `${t} (${n})`).join(', ')}`);
            break;
          }
          case 'objects': {
            const o = item as JsonObject;
            check(o !== null && typeof o === 'object' && !Array.isArray(o) && Object.keys(o).length > 0, itemAt, item, `an object of ${OBJECT_KEYS[key].join(', ')}`);
            for (const k of Object.keys(o)) check(OBJECT_KEYS[key].includes(k), `${itemAt}.${k}`, o[k], OBJECT_KEYS[key].join(', '));
            break;
          }
          default:
            check(typeof item === 'string' && item !== '', itemAt, item, 'a non-empty string');
            if (key === 'http_status_code') check(HTTP_STATUS.test(item as string), itemAt, item, 'a status code ("404") or a prefix ("4+", "40+")', 'filters/http.go');
        }
      });
    }
    if (keys.some((k) => HTTP_FIELDS.includes(k)) && f.event_type !== undefined) {
      check(
        (f.event_type as JsonObject[]).some((e) => e.type === MONITOR_MESSAGE_TYPES.l7),
        `${at}.event_type`,
        f.event_type,
        `no event_type, or one of type ${MONITOR_MESSAGE_TYPES.l7} (L7) beside ${keys.filter((k) => HTTP_FIELDS.includes(k)).join(', ')}`,
        'the agent refuses HTTP filters unless the event type filter matches L7 events (filters/http.go)',
      );
    }
  });
}

/** The filters as the chart takes them: one JSON string each, keys sorted. */
export function hubbleFilterStrings(filters: readonly HubbleFlowFilter[]): string[] {
  return filters.map((f) => JSON.stringify(sortKeysDeep(f)));
}

type Tri = boolean | undefined;
const obj = (v: JsonValue | undefined): JsonObject | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? v : undefined);

/** `k8s.go`: `ns/` (namespace), `ns/prefix`, or `prefix` (any namespace). */
function podMatches(patterns: readonly string[], ep: JsonObject | undefined): boolean {
  const ns = typeof ep?.namespace === 'string' ? ep.namespace : '';
  const name = typeof ep?.pod_name === 'string' ? ep.pod_name : '';
  if (name === '') return false;
  return patterns.some((p) => {
    const slash = p.indexOf('/');
    return slash < 0 ? name.startsWith(p) : ns === p.slice(0, slash) && name.startsWith(p.slice(slash + 1));
  });
}

/** Whether one FlowFilter matches one exported flow line (`{ flow: {...}, node_name, time }`); undefined: not judged. */
export function hubbleFilterMatches(filter: HubbleFlowFilter, exported: JsonObject): boolean | undefined {
  const flow = obj(exported.flow);
  if (flow === undefined) return undefined;
  const results: Tri[] = [];
  for (const [key, value] of Object.entries(filter)) {
    const list = value as JsonValue[];
    switch (key) {
      case 'verdict':
        results.push(list.includes(flow.verdict as string));
        break;
      case 'drop_reason_desc':
        results.push(list.includes(flow.drop_reason_desc as string));
        break;
      case 'traffic_direction':
        results.push(list.includes((flow.traffic_direction as string) ?? 'TRAFFIC_DIRECTION_UNKNOWN'));
        break;
      case 'event_type': {
        const et = obj(flow.event_type);
        results.push(
          et !== undefined &&
            (list as JsonObject[]).some((t) => (t.type === 0 || t.type === et.type) && (!t.match_sub_type || (t.sub_type ?? 0) === (et.sub_type ?? 0))),
        );
        break;
      }
      case 'http_status_code': {
        const code = obj(obj(obj(flow.l7)?.http))?.code;
        if (typeof code !== 'number' || code === 0) {
          results.push(false);
          break;
        }
        const text = String(code).padStart(3, '0');
        results.push((list as string[]).some((p) => (p.endsWith('+') ? text.startsWith(p.slice(0, -1)) : text === p)));
        break;
      }
      case 'source_pod':
        results.push(podMatches(list as string[], obj(flow.source)));
        break;
      case 'destination_pod':
        results.push(podMatches(list as string[], obj(flow.destination)));
        break;
      case 'reply':
        results.push(list.includes(flow.is_reply === true));
        break;
      case 'uuid':
        results.push(list.includes(flow.uuid as string));
        break;
      case 'node_name':
        // nodename.go takes glob patterns; only exact names are judged here.
        results.push((list as string[]).every((p) => !/[*?]/.test(p)) ? list.includes(flow.node_name as string) : undefined);
        break;
      default:
        results.push(undefined);
    }
  }
  if (results.some((r) => r === false)) return false;
  return results.some((r) => r === undefined) ? undefined : true;
}

/** What the exporter does with a flow under the lists (`Apply`), with the reason. */
export function hubbleExportDecision(allowList: readonly HubbleFlowFilter[], denyList: readonly HubbleFlowFilter[], exported: JsonObject): { outcome: 'exported' | 'dropped' | 'undecided'; reason: string } {
  const allow = allowList.map((f) => hubbleFilterMatches(f, exported));
  if (allowList.length > 0 && !allow.includes(true)) {
    return allow.includes(undefined)
      ? { outcome: 'undecided', reason: `allow filter ${JSON.stringify(allowList[allow.indexOf(undefined)])} uses a field this evaluator does not judge` }
      : { outcome: 'dropped', reason: 'no allow filter matches it' };
  }
  const deny = denyList.map((f) => hubbleFilterMatches(f, exported));
  if (deny.includes(true)) return { outcome: 'dropped', reason: `deny filter ${JSON.stringify(denyList[deny.indexOf(true)])} matches it` };
  if (deny.includes(undefined)) return { outcome: 'undecided', reason: `deny filter ${JSON.stringify(denyList[deny.indexOf(undefined)])} uses a field this evaluator does not judge` };
  return { outcome: 'exported', reason: allowList.length > 0 ? `allow filter ${JSON.stringify(allowList[allow.indexOf(true)])} matches it` : 'no allow list, no deny filter matches it' };
}

/**
 * The project's default allow list: what an operator needs to explain a denial or a failure, not
 * every flow. Dropped flows and errors (policy denials included: `POLICY_DENIED` drops), policy
 * verdict events (message type 5: one per new connection an enforcing policy judged, allowed or
 * denied, and the audit-mode verdicts), and L7 HTTP responses with a 4xx or 5xx status (only for
 * traffic that goes through Cilium's L7 proxy, i.e. selected by an L7 policy). DNS errors have no
 * FlowFilter field (flow.proto filters DNS by query only), so they are not among them.
 */
export const DEFAULT_HUBBLE_EXPORT_ALLOW_LIST: readonly HubbleFlowFilter[] = Object.freeze([
  Object.freeze({ verdict: ['DROPPED', 'ERROR'] }),
  Object.freeze({ event_type: [{ type: MONITOR_MESSAGE_TYPES.policyVerdict }] }),
  Object.freeze({ http_status_code: ['4+', '5+'] }),
]);
