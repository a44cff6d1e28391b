/**
 * Sample events of the ready-made TracingPolicies, in the form Tetragon's JSON export writes them
 * (one `GetEventsResponse` per line, protojson with proto field names: `pkg/encoder/encoder.go`,
 * `UseProtoNames: true`; message shapes from `api/v1/tetragon/tetragon.proto` of v1.7.0). Hand
 * written, with made-up ids: they stand for what each policy reports, so that the export filters
 * can be judged against them (`tetragonExportDecision`) and the size of an event can be measured
 * for the cost estimate.
 *
 * Each policy has the samples its purpose depends on, including the ones a namespace deny list
 * would drop: a host process (no pod: namespace `""`) and a `kube-system` pod.
 */
import { JsonObject } from '../../core/yaml';
import { ExportDecision, TetragonExportFilter, tetragonExportDecision } from './export-filter';
import { READY_MADE_TRACING_POLICIES, ReadyMadeTracingPolicyName } from './ready-made';

/** One sample: what it stands for, and the exported line. */
export interface TetragonEventSample {
  /** What the sample stands for, e.g. `a host process (no pod) reads /etc/shadow`. */
  readonly description: string;
  /** The event as one line of Tetragon's JSON export (a `GetEventsResponse`, proto field names). */
  readonly event: JsonObject;
}

const NODE = 'ip-10-0-12-34.eu-west-1.compute.internal';
const TIME = '2026-12-01T09:30:00.123456789Z';

/** A process as Tetragon describes it; `pod` absent for a host process. */
function processOf(binary: string, args: string, pod?: { namespace: string; name: string; container: string; workload: string }): JsonObject {
  return {
    exec_id: 'aXAtMTAtMC0xMi0zNDoxMjM0NTY3ODkwOjQzMjE',
    pid: 4321,
    uid: pod ? 1000 : 0,
    cwd: '/',
    binary,
    arguments: args,
    flags: 'execve clone',
    start_time: TIME,
    auid: 4294967295,
    parent_exec_id: 'aXAtMTAtMC0xMi0zNDoxMjM0NTY3ODAwOjQzMDA',
    tid: 4321,
    in_init_tree: false,
    ...(pod
      ? {
          docker: '3f1a2b4c5d6e7f8091a2b3c4d5e6f7081',
          pod: {
            namespace: pod.namespace,
            name: pod.name,
            container: {
              id: 'containerd://3f1a2b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f70',
              name: pod.container,
              image: { id: 'public.ecr.aws/docker/library/busybox@sha256:0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0', name: 'public.ecr.aws/docker/library/busybox:1.36' },
              start_time: TIME,
              pid: 7,
              maybe_exec_probe: false,
            },
            pod_labels: { 'app.kubernetes.io/name': pod.workload },
            workload: pod.workload,
            workload_kind: 'Deployment',
          },
        }
      : {}),
  };
}

/** A kprobe event of `policyName`, with the hook, message and tags its manifest declares. */
function kprobeEvent(policyName: ReadyMadeTracingPolicyName, process: JsonObject, args: JsonObject[]): JsonObject {
  const spec = READY_MADE_TRACING_POLICIES[policyName]().toManifest().spec as { kprobes: { call: string; message?: string; tags?: string[] }[] };
  const hook = spec.kprobes[0];
  return {
    process_kprobe: {
      process,
      parent: { binary: '/usr/bin/containerd-shim-runc-v2', arguments: '-namespace k8s.io', pid: 4000, in_init_tree: false },
      function_name: hook.call,
      args,
      return: { int_arg: 0 },
      action: 'KPROBE_ACTION_POST',
      policy_name: policyName,
      ...(hook.message ? { message: hook.message } : {}),
      ...(hook.tags ? { tags: hook.tags } : {}),
      return_action: 'KPROBE_ACTION_POST',
    },
    node_name: NODE,
    time: TIME,
  };
}

const fileArg = (path: string): JsonObject[] => [{ int_arg: 3 }, { file_arg: { path, permission: '-rw-r-----' } }];
const IMDS_SOCK: JsonObject[] = [{ sock_arg: { family: 'AF_INET', type: 'SOCK_STREAM', protocol: 'IPPROTO_TCP', saddr: '10.0.12.77', daddr: '169.254.169.254', sport: 41234, dport: 80, state: 'TCP_SYN_SENT' } }];

/** The samples of each ready-made policy. */
export const READY_MADE_POLICY_SAMPLES: Readonly<Record<ReadyMadeTracingPolicyName, readonly TetragonEventSample[]>> = Object.freeze({
  'file-monitoring': [
    { description: 'a host process (no pod) reads /etc/shadow', event: kprobeEvent('file-monitoring', processOf('/usr/bin/cat', '/etc/shadow'), fileArg('/etc/shadow')) },
    {
      description: 'a kube-system pod reads /etc/passwd',
      event: kprobeEvent('file-monitoring', processOf('/bin/cat', '/etc/passwd', { namespace: 'kube-system', name: 'coredns-5d78c9869d-x2k4p', container: 'coredns', workload: 'coredns' }), fileArg('/etc/passwd')),
    },
  ],
  'shell-in-container': [
    {
      description: 'a shell in an application pod',
      event: kprobeEvent('shell-in-container', processOf('/bin/sh', '-c id', { namespace: 'payments', name: 'payments-api-7c9f8d6b5-qv2lm', container: 'api', workload: 'payments-api' }), [{ linux_binprm_arg: { path: '/bin/sh' } }]),
    },
    {
      description: 'a shell in a kube-system pod',
      event: kprobeEvent('shell-in-container', processOf('/bin/sh', '', { namespace: 'kube-system', name: 'ebs-csi-node-8xk2d', container: 'ebs-plugin', workload: 'ebs-csi-node' }), [{ linux_binprm_arg: { path: '/bin/sh' } }]),
    },
  ],
  'pod-instance-metadata-access': [
    {
      description: 'an application pod connects to the instance metadata address',
      event: kprobeEvent('pod-instance-metadata-access', processOf('/usr/bin/curl', 'http://169.254.169.254/latest/meta-data/', { namespace: 'default', name: 'web-5f7c9d8b6-q2w3e', container: 'web', workload: 'web' }), IMDS_SOCK),
    },
    {
      description: 'a kube-system pod connects to the instance metadata address',
      event: kprobeEvent('pod-instance-metadata-access', processOf('/usr/bin/aws', 'sts get-caller-identity', { namespace: 'kube-system', name: 'aws-node-termination-handler-2kq9x', container: 'handler', workload: 'aws-node-termination-handler' }), IMDS_SOCK),
    },
  ],
});

/** A process exec event (what the chart's default allow list also ships, for every process started). */
export const PROCESS_EXEC_SAMPLE: TetragonEventSample = Object.freeze({
  description: 'a process started in an application pod',
  event: { process_exec: { process: processOf('/usr/local/bin/app', '--port 8080', { namespace: 'default', name: 'web-5f7c9d8b6-q2w3e', container: 'web', workload: 'web' }) }, node_name: NODE, time: TIME },
});

/** A sample of a ready-made policy that the export lists do not ship (or that cannot be judged). */
export interface SampleVerdict {
  /** The ready-made policy the sample belongs to. */
  readonly policy: ReadyMadeTracingPolicyName;
  /** The sample's description ({@link TetragonEventSample}`.description`). */
  readonly sample: string;
  /** What the export lists do with the sample: `dropped` or `undecided` (exported samples are not listed). */
  readonly decision: ExportDecision;
}

/** The samples of `policies` that the lists drop or leave undecided: each one is evidence that would stay on the node. */
export function unshippedSamples(policies: readonly ReadyMadeTracingPolicyName[], allowList: readonly TetragonExportFilter[], denyList: readonly TetragonExportFilter[]): SampleVerdict[] {
  return policies.flatMap((policy) =>
    READY_MADE_POLICY_SAMPLES[policy]
      .map((s) => ({ policy, sample: s.description, decision: tetragonExportDecision(allowList, denyList, s.event) }))
      .filter((v) => v.decision.outcome !== 'exported'),
  );
}
