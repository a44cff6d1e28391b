/**
 * Tetragon TracingPolicies as typed code: builders, a lint and ready-made policies. Pure.
 */
export {
  ACTION_KERNEL_REQUIREMENTS,
  KERNEL_FUNCTION_SIGNATURES,
  KNOWN_TRACEPOINTS,
  LINUX_SYSCALLS,
  MATCH_ARGS_OPERATORS,
  MATCH_BINARIES_OPERATORS,
  NAMESPACE_KINDS,
  TRACING_ACTIONS,
  TRACING_ARG_TYPES,
  isKnownSyscall,
} from './hooks';
export type { KernelRequirement, MatchArgsOperator, MatchBinariesOperator, NamespaceKind, TracingAction, TracingArgType } from './hooks';
export { IN_CONTAINER, OUTSIDE_HOST_NETWORK, TRACING_POLICY_API_VERSION, TracingPolicy } from './policy';
export type { HookArg, KprobeSpec, MatchAction, MatchArgs, MatchBinaries, MatchNamespaces, TracepointSpec, TracingPolicyProps, TracingSelector } from './policy';
export { assertTracingPolicyValid, lintTracingPolicy } from './lint';
export type { TracingLintCode, TracingLintFinding, TracingLintOptions } from './lint';
export {
  INSTANCE_METADATA_ADDRESS,
  READY_MADE_TRACING_POLICIES,
  SENSITIVE_FILES,
  SHELL_BINARIES,
  fileMonitoringPolicy,
  instanceMetadataAccessPolicy,
  shellInContainerPolicy,
} from './ready-made';
export type { ReadyMadeTracingPolicyName } from './ready-made';
export {
  assertTetragonExportFilters,
  DEFAULT_TETRAGON_DENY_LIST,
  DEFAULT_TETRAGON_ALLOW_LIST,
  POLICY_EVENT_TYPES,
  TETRAGON_EVENT_KEYS,
  TETRAGON_EVENT_TYPES,
  TETRAGON_FILTER_FIELDS,
  tetragonEventType,
  tetragonExportDecision,
  tetragonFilterListText,
  tetragonFilterMatches,
} from './export-filter';
export type { ExportDecision, TetragonEventType, TetragonExportFilter } from './export-filter';
export { PROCESS_EXEC_SAMPLE, READY_MADE_POLICY_SAMPLES, unshippedSamples } from './samples';
export type { SampleVerdict, TetragonEventSample } from './samples';
