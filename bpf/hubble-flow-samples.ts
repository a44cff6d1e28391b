/**
 * Sample lines of Hubble's flow export file (`{"flow": {...}, "node_name", "time"}`, protojson with
 * proto field names and enum names, as in the Cilium docs' exporter example), hand written: what
 * each kind of flow looks like, to judge the export filters against (`hubbleExportDecision`) and to
 * measure a line's size for the cost estimate. Field names from flow.proto (cilium v1.18.6).
 */
import { JsonObject } from '../core/yaml';
import { MONITOR_MESSAGE_TYPES } from './hubble-export-filter';

/** One sample, and whether the project's default filters must ship it. */
export interface HubbleFlowSample {
  /** What the sample stands for, e.g. `a connection denied by policy (drop)`: the key the cost estimate finds it by. */
  readonly description: string;
  /** The default export lists ship it (true) or leave it on the node (false: the bill's reason). */
  readonly shippedByDefault: boolean;
  /** The line as Hubble's flow export file writes it: `{ flow, node_name, time }`, proto field names. */
  readonly line: JsonObject;
}

const NODE = 'cilium-eks/ip-10-0-12-34.eu-west-1.compute.internal';
const TIME = '2026-12-01T09:30:00.123456789Z';

function endpoint(namespace: string, pod: string, workload: string, identity: number): JsonObject {
  return {
    ID: 1234,
    identity,
    cluster_name: 'cilium-eks',
    namespace,
    labels: [`k8s:app.kubernetes.io/name=${workload}`, `k8s:io.kubernetes.pod.namespace=${namespace}`, 'k8s:io.cilium.k8s.policy.cluster=cilium-eks'],
    pod_name: pod,
    workloads: [{ name: workload, kind: 'Deployment' }],
  };
}

const WEB = endpoint('storefront', 'web-5f7c9d8b6-q2w3e', 'web', 24811);
const CATALOG = endpoint('catalog', 'catalog-6d8f7c5b4-x9k2m', 'catalog', 31577);

function line(flow: JsonObject): JsonObject {
  return { flow: { time: TIME, uuid: '0f6c3a52-9b1e-4d7a-8c2f-5e4b3a291d07', node_name: NODE, ...flow }, node_name: NODE, time: TIME };
}

const IP = { source: '10.0.12.77', destination: '10.0.14.201', ipVersion: 'IPv4' };

/** An HTTP response from catalog to web, as the L7 proxy reports it. */
function httpResponse(code: number, path: string, latencyNs: number): JsonObject {
  const url = `http://catalog.catalog:8080${path}`;
  return line({
    verdict: 'FORWARDED',
    IP: { source: IP.destination, destination: IP.source, ipVersion: 'IPv4' },
    l4: { TCP: { source_port: 8080, destination_port: 41234 } },
    source: CATALOG,
    destination: WEB,
    Type: 'L7',
    l7: { type: 'RESPONSE', latency_ns: latencyNs, http: { code, method: 'GET', url, protocol: 'HTTP/1.1' } },
    event_type: { type: MONITOR_MESSAGE_TYPES.l7 },
    traffic_direction: 'INGRESS',
    is_reply: true,
    Summary: `HTTP/1.1 ${code} ${Math.round(latencyNs / 1e6)}ms (GET ${url})`,
  });
}
const TCP = (flags: JsonObject): JsonObject => ({ TCP: { source_port: 41234, destination_port: 8080, flags } });

/**
 * Hand-written sample lines of Hubble's flow export, one per kind of flow (a policy drop,
 * a policy verdict, HTTP 503 and 404 responses, an allowed TCP packet trace, an HTTP 200): the tests judge the default export filters against
 * them, and the log-shipping cost estimate measures line sizes from them.
 */
export const HUBBLE_FLOW_SAMPLES: readonly HubbleFlowSample[] = Object.freeze([
  {
    description: 'a connection denied by policy (drop)',
    shippedByDefault: true,
    line: line({
      verdict: 'DROPPED',
      drop_reason: 133,
      IP,
      l4: TCP({ SYN: true }),
      source: WEB,
      destination: CATALOG,
      Type: 'L3_L4',
      event_type: { type: MONITOR_MESSAGE_TYPES.drop, sub_type: 133 },
      traffic_direction: 'INGRESS',
      drop_reason_desc: 'POLICY_DENIED',
      is_reply: false,
      Summary: 'TCP Flags: SYN',
    }),
  },
  {
    description: 'a policy verdict (a new connection an enforcing policy allowed)',
    shippedByDefault: true,
    line: line({
      verdict: 'FORWARDED',
      IP,
      l4: TCP({ SYN: true }),
      source: WEB,
      destination: CATALOG,
      Type: 'L3_L4',
      event_type: { type: MONITOR_MESSAGE_TYPES.policyVerdict },
      traffic_direction: 'INGRESS',
      policy_match_type: 4,
      is_reply: false,
      Summary: 'TCP Flags: SYN',
    }),
  },
  { description: 'an HTTP 503 response through the L7 proxy', shippedByDefault: true, line: httpResponse(503, '/api/books', 1843211) },
  { description: 'an HTTP 404 response through the L7 proxy', shippedByDefault: true, line: httpResponse(404, '/api/books/9', 912003) },
  {
    description: 'an allowed TCP packet trace (most flows)',
    shippedByDefault: false,
    line: line({
      verdict: 'FORWARDED',
      IP,
      l4: TCP({ ACK: true, PSH: true }),
      source: WEB,
      destination: CATALOG,
      Type: 'L3_L4',
      event_type: { type: MONITOR_MESSAGE_TYPES.trace, sub_type: 0 },
      traffic_direction: 'EGRESS',
      trace_observation_point: 'TO_ENDPOINT',
      is_reply: false,
      Summary: 'TCP Flags: ACK, PSH',
    }),
  },
  { description: 'a successful HTTP 200 response through the L7 proxy', shippedByDefault: false, line: httpResponse(200, '/api/books', 712003) },
]);
