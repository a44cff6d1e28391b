/**
 * Export filters, judged as the agents judge them: each ready-made TracingPolicy's sample events
 * against Tetragon's export allow/deny lists, each kind of Hubble flow against the flow export
 * lists, the refusals of filters the agents would not parse, the bounded Hubble metric labels, and
 * golden values of the export configuration.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { estimateExportCost, exampleScenario, renderExportCostTable } from '../constructs/log-shipping/cost';
import {
  assertTetragonExportFilters,
  DEFAULT_TETRAGON_ALLOW_LIST,
  DEFAULT_TETRAGON_DENY_LIST,
  PROCESS_EXEC_SAMPLE,
  READY_MADE_POLICY_SAMPLES,
  READY_MADE_TRACING_POLICIES,
  ReadyMadeTracingPolicyName,
  TetragonExportFilter,
  tetragonExportDecision,
  tetragonFilterMatches,
  unshippedSamples,
} from '../bpf/tracing';
import {
  assertHubbleFlowFilters,
  DEFAULT_HUBBLE_EXPORT_ALLOW_LIST,
  HubbleFlowFilter,
  hubbleExportDecision,
  hubbleFilterStrings,
} from '../bpf/hubble-export-filter';
import { HUBBLE_FLOW_SAMPLES } from '../bpf/hubble-flow-samples';
import { DEFAULT_HUBBLE_METRICS, HUBBLE_METRIC_LABELS, hubbleExportValues, metricContextLabels, resolveHubbleOptions, UNBOUNDED_METRIC_LABELS } from '../bpf/hubble';
import { buildTetragonValues } from '../constructs/tetragon/values';
import { SUPPORTED_CILIUM_CHART_VERSIONS } from '../bpf/versions';
import { JsonObject } from '../core/yaml';
import { thrown } from './support/errors';
import { readUpstreamText } from './support/upstream';
import { expectYamlGolden } from './support/yaml';

const POLICIES = Object.keys(READY_MADE_TRACING_POLICIES) as ReadyMadeTracingPolicyName[];
/** The chart's own lists (tetragon 1.7.0 values.yaml), one JSON object per line. */
const chartTetragon = (parse(readUpstreamText('tetragon', '1.7.0', 'values.yaml')) as { tetragon: { exportAllowList: string; exportDenyList: string } }).tetragon;
const lines = (text: string): TetragonExportFilter[] => text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as TetragonExportFilter);
const CHART_ALLOW = lines(chartTetragon.exportAllowList);
const CHART_DENY = lines(chartTetragon.exportDenyList);

describe('Tetragon: every ready-made policy\'s events pass the default export lists', () => {
  test.each(POLICIES)('%s: every sample event is exported', (policy) => {
    // WHEN
    const decisions = READY_MADE_POLICY_SAMPLES[policy].map((s) => [s.description, tetragonExportDecision(DEFAULT_TETRAGON_ALLOW_LIST, DEFAULT_TETRAGON_DENY_LIST, s.event).outcome]);
    // THEN
    expect(decisions).toEqual(READY_MADE_POLICY_SAMPLES[policy].map((s) => [s.description, 'exported']));
    expect(unshippedSamples([policy], DEFAULT_TETRAGON_ALLOW_LIST, DEFAULT_TETRAGON_DENY_LIST)).toEqual([]);
  });

  test('the chart\'s default lists keep the host and kube-system evidence on the node (why the project replaces them)', () => {
    const dropped = unshippedSamples(POLICIES, CHART_ALLOW, CHART_DENY).map((v) => `${v.policy}: ${v.sample}: ${v.decision.reason}`);
    expect(dropped).toEqual([
      'file-monitoring: a host process (no pod) reads /etc/shadow: deny filter {"namespace":["","cilium","kube-system"]} matches it',
      'file-monitoring: a kube-system pod reads /etc/passwd: deny filter {"namespace":["","cilium","kube-system"]} matches it',
      'shell-in-container: a shell in a kube-system pod: deny filter {"namespace":["","cilium","kube-system"]} matches it',
      'pod-instance-metadata-access: a kube-system pod connects to the instance metadata address: deny filter {"namespace":["","cilium","kube-system"]} matches it',
    ]);
  });

  test('process exec events: the chart ships every one, the project none (the bill grows with every process started)', () => {
    expect(tetragonExportDecision(CHART_ALLOW, CHART_DENY, PROCESS_EXEC_SAMPLE.event).outcome).toBe('exported');
    expect(tetragonExportDecision(DEFAULT_TETRAGON_ALLOW_LIST, DEFAULT_TETRAGON_DENY_LIST, PROCESS_EXEC_SAMPLE.event)).toEqual({ outcome: 'dropped', reason: 'no allow filter matches it' });
  });

  test('an event of an exec probe (a Kubernetes health check) is dropped by the default deny list', () => {
    const sample = READY_MADE_POLICY_SAMPLES['shell-in-container'][0].event as { process_kprobe: { process: { pod: { container: JsonObject } } } };
    const probe = JSON.parse(JSON.stringify(sample)) as typeof sample;
    probe.process_kprobe.process.pod.container.maybe_exec_probe = true;
    expect(tetragonExportDecision(DEFAULT_TETRAGON_ALLOW_LIST, DEFAULT_TETRAGON_DENY_LIST, probe as unknown as JsonObject)).toEqual({ outcome: 'dropped', reason: 'deny filter {"health_check":true} matches it' });
  });
});

describe('Tetragon filter semantics (pkg/filters of v1.7.0)', () => {
  const host = READY_MADE_POLICY_SAMPLES['file-monitoring'][0].event;
  const pod = READY_MADE_POLICY_SAMPLES['shell-in-container'][0].event;

  test('namespace "" is a process outside any pod; namespace_regex never matches one', () => {
    expect([tetragonFilterMatches({ namespace: [''] }, host), tetragonFilterMatches({ namespace: [''] }, pod)]).toEqual([true, false]);
    expect([tetragonFilterMatches({ namespace_regex: ['.*'] }, host), tetragonFilterMatches({ namespace_regex: ['^pay'] }, pod)]).toEqual([false, true]);
  });

  test('every field of a filter must match; any filter of a list may', () => {
    expect(tetragonFilterMatches({ namespace: ['payments'], binary_regex: ['sh$'] }, pod)).toBe(true);
    expect(tetragonFilterMatches({ namespace: ['payments'], binary_regex: ['^/usr/'] }, pod)).toBe(false);
    expect(tetragonExportDecision([{ namespace: ['x'] }, { policy_names: ['shell-in-container'] }], [], pod).outcome).toBe('exported');
  });

  test('an empty allow list lets every event through; policy_names match only events of a policy', () => {
    expect(tetragonExportDecision([], [], PROCESS_EXEC_SAMPLE.event).outcome).toBe('exported');
    expect(tetragonFilterMatches({ policy_names: ['file-monitoring'] }, PROCESS_EXEC_SAMPLE.event)).toBe(false);
    expect(tetragonFilterMatches({ policy_names: ['file-monitoring'] }, host)).toBe(true);
  });

  test('a field the evaluator does not judge leaves the decision open, never guessed', () => {
    expect(tetragonFilterMatches({ labels: ['app=web'] }, pod)).toBeUndefined();
    expect(tetragonFilterMatches({ labels: ['app=web'], namespace: ['other'] }, pod)).toBe(false);
    expect(tetragonExportDecision(DEFAULT_TETRAGON_ALLOW_LIST, [{ cel_expression: ['true'] }], pod).outcome).toBe('undecided');
  });
});

describe('Tetragon export filters the agent would not parse are refused', () => {
  const at = 'tetragon.exportFile.denyList';
  test.each<[string, unknown, RegExp]>([
    ['an unknown field', [{ namespaces: ['kube-system'] }], /denyList\[0\]\.namespaces: .* allowed: no unknown key here; the known keys of .*denyList\[0\] are .*namespace, .* \(did you mean .*denyList\[0\]\.namespace\?\)/],
    ['an unknown event type', [{ event_set: ['PROCESS_KPROBES'] }], /denyList\[0\]\.event_set\[0\]: "PROCESS_KPROBES" is not valid; allowed: PROCESS_EXEC, .*\(the agent refuses an unknown event type at start\)/],
    ['an empty list', [{ namespace: [] }], /denyList\[0\]\.namespace: \[\] is not valid; allowed: a non-empty list of strings \(an empty list reads as an absent field/],
    ['an empty filter', [{}], /denyList\[0\]: \{\} is not valid; .*in a deny list it drops them all/],
    ['pid_set', [{ pid_set: [1] }], /pid_set: \[1\] .*--enable-pid-set-filter/],
    ['a regex with look-ahead', [{ binary_regex: ['^(?!/usr)'] }], /binary_regex\[0\]: .*an RE2 regular expression/],
    ['a broken regex', [{ pod_regex: ['(web'] }], /pod_regex\[0\]: "\(web" is not valid; allowed: an RE2 regular expression .*\(Invalid regular expression: .*Unterminated group\)/],
    ['a string for a bool', [{ health_check: 'true' }], /health_check: "true" is not valid; allowed: true or false/],
  ])('%s', (_name, filters, message) => {
    thrown(() => assertTetragonExportFilters(filters as TetragonExportFilter[], at), message);
  });

  test('through the cluster options: tetragon.exportFile.allowList with an unknown field', () => {
    thrown(() => buildTetragonValues({ clusterName: 'c', options: { exportFile: { allowList: [{ policy: ['x'] } as TetragonExportFilter] } } }), /^tetragon\.exportFile\.allowList\[0\]\.policy: /);
  });
});

describe('Hubble flow export: what is shipped by default', () => {
  const defaults = resolveHubbleOptions({}, '1.19.6').flowExport;

  test.each(HUBBLE_FLOW_SAMPLES.map((s) => [s.description, s] as const))('%s', (_d, sample) => {
    const outcome = hubbleExportDecision(defaults.allowList, defaults.denyList ?? [], sample.line).outcome;
    expect(outcome).toBe(sample.shippedByDefault ? 'exported' : 'dropped');
  });

  test('allFlows: every sample is written, and the allow list is gone from the values', () => {
    const h = resolveHubbleOptions({ flowExport: { allFlows: true } }, '1.19.6');
    expect(HUBBLE_FLOW_SAMPLES.map((s) => hubbleExportDecision(h.flowExport.allowList, [], s.line).outcome)).toEqual(HUBBLE_FLOW_SAMPLES.map(() => 'exported'));
    expect(hubbleExportValues(h)).not.toHaveProperty('static.allowList');
  });

  test('each filter reaches the chart as the JSON string its template joins into the agent flag', () => {
    const values = hubbleExportValues(resolveHubbleOptions({}, '1.19.6')) as { static: { allowList: string[] } };
    expect(values.static.allowList).toEqual(['{"verdict":["DROPPED","ERROR"]}', '{"event_type":[{"type":5}]}', '{"http_status_code":["4+","5+"]}']);
    expect(values.static.allowList.map((s) => JSON.parse(s))).toEqual(DEFAULT_HUBBLE_EXPORT_ALLOW_LIST);
    expect(hubbleFilterStrings([{ verdict: ['DROPPED'], drop_reason_desc: ['POLICY_DENIED'] }])).toEqual(['{"drop_reason_desc":["POLICY_DENIED"],"verdict":["DROPPED"]}']);
  });

  test('allFlows with an allow list is refused, and so is an empty allow list', () => {
    thrown(() => resolveHubbleOptions({ flowExport: { allFlows: true, allowList: [{ verdict: ['DROPPED'] }] } }, '1.19.6'), /^cilium\.hubble\.flowExport\.allowList: .* allowed: no allow list while allFlows is true/);
    thrown(() => resolveHubbleOptions({ flowExport: { allowList: [] } }, '1.19.6'), /allowed: at least one filter, or allFlows: true/);
  });
});

describe('Hubble flow filters the agent would not parse are refused, per chart version', () => {
  const at = 'cilium.hubble.flowExport.denyList';
  test.each<[string, HubbleFlowFilter[], RegExp]>([
    ['an unknown field', [{ source_namespace: ['kube-system'] }], /denyList\[0\]\.source_namespace: .* allowed: a FlowFilter field of Cilium 1\.19\.6: uuid, .* \(the agent's protojson decoder refuses an unknown field\)/],
    ['an unknown verdict', [{ verdict: ['DENIED'] }], /verdict\[0\]: "DENIED" is not valid; allowed: VERDICT_UNKNOWN, FORWARDED, DROPPED/],
    ['an unknown drop reason', [{ drop_reason_desc: ['POLICY_DENY_ALL'] }], /drop_reason_desc\[0\]: "POLICY_DENY_ALL"/],
    ['a status code that is neither a code nor a prefix', [{ http_status_code: ['5xx'] }], /http_status_code\[0\]: "5xx" .*a status code \("404"\) or a prefix/],
    ['an HTTP filter beside a non-L7 event type', [{ http_status_code: ['5+'], event_type: [{ type: 4 }] }], /denyList\[0\]\.event_type: .*one of type 129 \(L7\)/],
    ['an empty list', [{ verdict: [] }], /verdict: \[\] is not valid; allowed: a non-empty list/],
    ['an empty filter', [{}], /denyList\[0\]: \{\} .*drops them all/],
    ['an unknown key in an event type', [{ event_type: [{ type: 1, subtype: 2 }] }], /event_type\[0\]\.subtype: 2 .*type, match_sub_type or sub_type/],
  ])('%s', (_name, filters, message) => {
    thrown(() => assertHubbleFlowFilters(filters, at, '1.19.6'), message);
  });

  test('ip_trace_id is a field from 1.19 on: refused on 1.18.12', () => {
    expect(() => assertHubbleFlowFilters([{ ip_trace_id: [7] }], at, '1.19.6')).not.toThrow();
    thrown(() => assertHubbleFlowFilters([{ ip_trace_id: [7] }], at, '1.18.12'), /ip_trace_id: \[7\] .*FlowFilter field of Cilium 1\.18\.12/);
  });

  test('the default list is valid on every supported chart version', () => {
    for (const v of SUPPORTED_CILIUM_CHART_VERSIONS) expect(() => assertHubbleFlowFilters(DEFAULT_HUBBLE_EXPORT_ALLOW_LIST, 'x', v)).not.toThrow();
  });
});

describe('Hubble metrics: bounded labels by default', () => {
  test('no default metric carries a per-IP or per-pod label; every label is a documented one', () => {
    const labels = DEFAULT_HUBBLE_METRICS.flatMap(metricContextLabels);
    expect(labels).toEqual(['source_namespace', 'source_workload', 'destination_namespace', 'destination_workload', 'traffic_direction']);
    expect(labels.filter((l) => UNBOUNDED_METRIC_LABELS.includes(l))).toEqual([]);
    expect(labels.every((l) => HUBBLE_METRIC_LABELS.includes(l))).toBe(true);
  });

  test('a labelsContext value or context identifier the agent does not know is refused', () => {
    thrown(() => resolveHubbleOptions({ metrics: ['httpV2:labelsContext=source_namespace,source_node'] }, '1.19.6'), /^cilium\.hubble\.metrics: .*labelsContext values among .* \(the agent refuses "source_node"\)/);
    thrown(() => resolveHubbleOptions({ metrics: ['drop:sourceContext=namespace|cluster'] }, '1.19.6'), /sourceContext identifiers among .*\(the agent refuses "cluster"\)/);
    expect(resolveHubbleOptions({ metrics: ['flow:sourceContext=workload-name|reserved-identity;destinationContext=workload-name'] }, '1.19.6').metrics).toHaveLength(1);
  });
});

describe('golden values of the export configuration', () => {
  test('Tetragon lists and Hubble static exporter, defaults', () => {
    const tetragon = (buildTetragonValues({ clusterName: 'demo' }) as { tetragon: JsonObject }).tetragon;
    expectYamlGolden('export/defaults.yaml', {
      tetragon: { exportAllowList: tetragon.exportAllowList, exportDenyList: tetragon.exportDenyList },
      hubble: { metrics: { enabled: [...DEFAULT_HUBBLE_METRICS] }, export: hubbleExportValues(resolveHubbleOptions({}, '1.19.6')) },
    });
  });

  test('the lists read back, line by line, as the filters they came from', () => {
    const tetragon = (buildTetragonValues({ clusterName: 'demo' }) as { tetragon: { exportAllowList: string; exportDenyList: string } }).tetragon;
    expect([lines(tetragon.exportAllowList), lines(tetragon.exportDenyList)]).toEqual([DEFAULT_TETRAGON_ALLOW_LIST, DEFAULT_TETRAGON_DENY_LIST]);
  });
});

describe('the cost estimate in docs/security.md', () => {
  const page = fs.readFileSync(path.join(__dirname, '..', 'docs', 'security.md'), 'utf8');

  test('the table is the one estimateExportCost renders', () => {
    const table = /<!-- export-cost:start -->\n([\s\S]*?)\n<!-- export-cost:end -->/.exec(page)?.[1];
    expect(table).toBe(renderExportCostTable());
  });

  test('the prose figures follow from it: the default without allowed policy verdicts, and allFlows against the default', () => {
    const { defaults, allFlows } = exampleScenario();
    const withoutVerdicts = estimateExportCost({ ...defaults, lines: defaults.lines.filter((l) => l.what !== 'policy verdicts') }).totalPerMonth;
    const ratio = estimateExportCost(allFlows).totalPerMonth / estimateExportCost(defaults).totalPerMonth;
    expect(page).toContain(`the default is about $${Math.round(withoutVerdicts)} a month for these 10 nodes`);
    expect(page).toContain(`costs about ${Math.round(ratio)} times`);
  });

  test('the estimate is linear in nodes and lines, and storage follows retention', () => {
    const one = estimateExportCost({ nodes: 1, retentionDays: 30, lines: [{ what: 'x', perSecondPerNode: 1, bytes: 1e9 / 86400 }] });
    expect(one.gbPerDay).toBeCloseTo(1);
    expect(one.ingestionPerMonth).toBeCloseTo((365 / 12) * 0.5);
    expect(one.storagePerMonth).toBeCloseTo(30 * 0.03);
    expect(estimateExportCost({ nodes: 3, retentionDays: 30, lines: [{ what: 'x', perSecondPerNode: 1, bytes: 1e9 / 86400 }] }).gbPerDay).toBeCloseTo(3);
  });
});
