/**
 * TracingPolicy builders, lint and ready-made policies: every built policy validates against the
 * TracingPolicy CRD of the pinned Tetragon chart, the lint's lists match the CRD enums, each lint
 * rule has a failing case, and the ready-made policies are golden YAML.
 */
import { valueAt } from '../core/helm-values';
import { ValidationError } from '../core/errors';
import { JsonObject } from '../core/yaml';
import { al2023Kernel } from '../bpf/versions';
import {
  assertTracingPolicyValid,
  fileMonitoringPolicy,
  instanceMetadataAccessPolicy,
  isKnownSyscall,
  lintTracingPolicy,
  MATCH_ARGS_OPERATORS,
  MATCH_BINARIES_OPERATORS,
  NAMESPACE_KINDS,
  READY_MADE_TRACING_POLICIES,
  shellInContainerPolicy,
  TRACING_ACTIONS,
  TRACING_ARG_TYPES,
  TracingPolicy,
} from '../bpf/tracing';
import { thrown } from './support/errors';
import { readUpstreamYamlDocs, validateCustomResource } from './support/upstream';
import { expectYamlGolden } from './support/yaml';

const CRD = ['tetragon', '1.7.0', 'cilium.io_tracingpolicies.yaml'];
const validate = (m: object): string[] => validateCustomResource(CRD, m);

/** The CRD's schema of `spec.kprobes[]`. */
function kprobeSchema(): JsonObject {
  const crd = readUpstreamYamlDocs(...CRD)[0] as { spec: { versions: { schema: { openAPIV3Schema: JsonObject } }[] } };
  return valueAt(crd.spec.versions[0].schema.openAPIV3Schema, 'properties.spec.properties.kprobes.items') as JsonObject;
}
const enumAt = (schema: unknown, path: string): unknown => valueAt(schema, `${path}.enum`);

const kprobe = (over: JsonObject = {}, selectors?: JsonObject[]): JsonObject => ({
  apiVersion: 'cilium.io/v1alpha1',
  kind: 'TracingPolicy',
  metadata: { name: 't' },
  spec: { kprobes: [{ call: 'fd_install', syscall: false, args: [{ index: 0, type: 'int' }, { index: 1, type: 'file' }], ...(selectors ? { selectors } : {}), ...over }] },
});
const codes = (m: JsonObject, kernel = al2023Kernel('1.34')): string[] => lintTracingPolicy(m, { kernel }).map((f) => `${f.path} ${f.code}`);

describe('lists in hooks.ts against the CRD enums', () => {
  const k = kprobeSchema();
  const sel = valueAt(k, 'properties.selectors.items.properties');
  test.each([
    ['arg types', TRACING_ARG_TYPES, enumAt(k, 'properties.args.items.properties.type')],
    ['matchArgs operators', MATCH_ARGS_OPERATORS, enumAt(sel, 'matchArgs.items.properties.operator')],
    ['matchBinaries operators', MATCH_BINARIES_OPERATORS, enumAt(sel, 'matchBinaries.items.properties.operator')],
    ['namespace kinds', NAMESPACE_KINDS, enumAt(sel, 'matchNamespaces.items.properties.namespace')],
    ['actions', TRACING_ACTIONS, enumAt(sel, 'matchActions.items.properties.action')],
  ])('%s', (_, ours, crd) => {
    expect([...ours]).toEqual(crd);
  });
});

describe('ready-made policies', () => {
  const all = Object.entries(READY_MADE_TRACING_POLICIES).map(([name, make]) => [name, make()] as const);

  test.each(all)('%s validates against the CRD and passes the lint on every supported kernel', (name, policy) => {
    expect(policy.name).toBe(name);
    expect(validate(policy.toManifest())).toEqual([]);
    for (const version of ['1.31', '1.34', '1.36']) expect(lintTracingPolicy(policy, { kernel: al2023Kernel(version) })).toEqual([]);
  });

  test.each(all)('%s golden YAML', (name, policy) => {
    expectYamlGolden(`tracing/${name}.yaml`, policy.toManifest());
  });

  test('file monitoring watches fd_install on /etc/shadow and /etc/passwd', () => {
    const k = (valueAt(fileMonitoringPolicy().toManifest(), 'spec.kprobes') as JsonObject[])[0];
    expect(k.call).toBe('fd_install');
    expect(valueAt((k.selectors as JsonObject[])[0], 'matchArgs')).toEqual([{ index: 1, operator: 'Equal', values: ['/etc/shadow', '/etc/passwd'] }]);
  });

  test('shell and IMDS policies select processes outside the host namespaces', () => {
    const ns = (p: TracingPolicy): unknown => ((valueAt(p.toManifest(), 'spec.kprobes') as JsonObject[])[0].selectors as JsonObject[])[0].matchNamespaces;
    expect(ns(shellInContainerPolicy())).toEqual([{ namespace: 'Pid', operator: 'NotIn', values: ['host_ns'] }]);
    expect(ns(instanceMetadataAccessPolicy())).toEqual([{ namespace: 'Net', operator: 'NotIn', values: ['host_ns'] }]);
  });
});

describe('builders', () => {
  test('tracepoints, podSelector, actions and labels reach the manifest and validate', () => {
    const p = new TracingPolicy({
      name: 'kill-ptrace',
      labels: { team: 'sec' },
      podLabels: { app: 'web' },
      kprobes: [{ call: 'sys_ptrace', syscall: true, args: [{ index: 0, type: 'long' }], selectors: [{ matchBinaries: { operator: 'In', values: ['/usr/bin/gdb'], followChildren: true }, matchActions: [{ action: 'Sigkill' }] }] }],
      tracepoints: [{ subsystem: 'syscalls', event: 'sys_enter_openat', args: [{ index: 5, type: 'string' }] }],
    });
    const m = p.toManifest();
    expect(validate(m)).toEqual([]);
    expect(m.metadata.labels).toEqual({ team: 'sec' });
    expect(valueAt(m, 'spec.podSelector')).toEqual({ matchLabels: { app: 'web' } });
    expect(lintTracingPolicy(p, { kernel: al2023Kernel('1.31') })).toEqual([]);
  });

  test('a policy without hooks and a bad name are refused', () => {
    expect(thrown(() => new TracingPolicy({ name: 'x' })).property).toBe('x.spec');
    expect(thrown(() => new TracingPolicy({ name: 'Bad_Name', kprobes: [{ call: 'fd_install' }] })).property).toBe('TracingPolicy(Bad_Name).name');
  });

  test('isKnownSyscall takes sys_ and arch prefixes', () => {
    expect(['openat', 'sys_openat', '__x64_sys_openat', '__arm64_sys_execve', 'open'].map(isKnownSyscall)).toEqual([true, true, true, true, true]);
    expect(['openatt', 'sys_fd_install', 'fd_install'].map(isKnownSyscall)).toEqual([false, false, false]);
  });
});

describe('lint', () => {
  test('a valid raw policy has no finding', () => {
    expect(codes(kprobe({}, [{ matchArgs: [{ index: 1, operator: 'Prefix', values: ['/etc/'] }] }]))).toEqual([]);
  });

  test.each([
    ['unknown syscall', kprobe({ call: 'sys_opnat', syscall: true, args: [] }), 'kprobes[0].call unknown-syscall'],
    ['unknown tracepoint', { ...kprobe(), spec: { tracepoints: [{ subsystem: 'syscalls', event: 'sys_enter_opnat' }] } }, 'tracepoints[0].event unknown-tracepoint'],
    ['unknown sched tracepoint', { ...kprobe(), spec: { tracepoints: [{ subsystem: 'sched', event: 'sched_exec_process' }] } }, 'tracepoints[0].event unknown-tracepoint'],
    ['arg past the signature', kprobe({ args: [{ index: 2, type: 'int' }] }), 'kprobes[0].args[0].index arg-index-out-of-range'],
    ['arg past six registers', kprobe({ call: 'some_function', args: [{ index: 6, type: 'int' }] }), 'kprobes[0].args[0].index arg-index-out-of-range'],
    ['arg type that does not fit', kprobe({ args: [{ index: 0, type: 'int' }, { index: 1, type: 'sock' }] }), 'kprobes[0].args[1].type arg-type-mismatch'],
    ['unknown arg type', kprobe({ call: 'f', args: [{ index: 0, type: 'pointer' }] }), 'kprobes[0].args[0].type unknown-arg-type'],
    ['duplicate arg index', kprobe({ call: 'f', args: [{ index: 0, type: 'int' }, { index: 0, type: 'int' }] }), 'kprobes[0].args[1].index duplicate-arg-index'],
    ['matchArgs on an undeclared arg', kprobe({}, [{ matchArgs: [{ index: 3, operator: 'Equal', values: ['x'] }] }]), 'kprobes[0].selectors[0].matchArgs[0].index match-args-unknown-index'],
    ['operator that does not fit the type', kprobe({}, [{ matchArgs: [{ index: 1, operator: 'DAddr', values: ['10.0.0.0/8'] }] }]), 'kprobes[0].selectors[0].matchArgs[0].operator operator-type-mismatch'],
    ['empty selector', kprobe({}, [{}]), 'kprobes[0].selectors[0] empty-selector'],
    ['empty matchArgs', kprobe({}, [{ matchArgs: [] }]), 'kprobes[0].selectors[0].matchArgs empty-list'],
    ['empty values', kprobe({}, [{ matchArgs: [{ index: 1, operator: 'Equal', values: [] }] }]), 'kprobes[0].selectors[0].matchArgs[0].values empty-list'],
    ['relative binary path', kprobe({}, [{ matchBinaries: [{ operator: 'In', values: ['curl'] }] }]), 'kprobes[0].selectors[0].matchBinaries[0].values[0] binary-path-not-absolute'],
    ['namespace value', kprobe({}, [{ matchNamespaces: [{ namespace: 'Pid', operator: 'In', values: ['host'] }] }]), 'kprobes[0].selectors[0].matchNamespaces[0].values[0] namespace-value'],
    ['Signal without argSig', kprobe({}, [{ matchActions: [{ action: 'Signal' }] }]), 'kprobes[0].selectors[0].matchActions[0].argSig action-missing-argument'],
    ['Override on a plain function', kprobe({}, [{ matchActions: [{ action: 'Override', argError: -1 }] }]), 'kprobes[0].selectors[0].matchActions[0].action override-not-allowed'],
    ['no hooks', { ...kprobe(), spec: {} }, 'spec no-hooks'],
  ])('%s', (_, manifest, expected) => {
    expect(codes(manifest as JsonObject)).toEqual([expected]);
  });

  test('an action that needs a newer kernel than the nodes run', () => {
    const m = kprobe({}, [{ matchActions: [{ action: 'Sigkill' }] }]);
    expect(codes(m)).toEqual([]);
    expect(codes(m, { major: 5, minor: 2 })).toEqual(['kprobes[0].selectors[0].matchActions[0].action needs-newer-kernel']);
    expect(codes(m, { major: 4, minor: 14 })).toContain('kprobes needs-newer-kernel');
  });

  test('Override is accepted on syscalls and security_ hooks', () => {
    const onSyscall = kprobe({ call: 'sys_setuid', syscall: true, args: [{ index: 0, type: 'int' }] }, [{ matchActions: [{ action: 'Override', argError: -1 }] }]);
    expect(codes(onSyscall)).toEqual([]);
  });

  test('assertTracingPolicyValid names the property, the path and the count of other findings', () => {
    const e = thrown(() => assertTracingPolicyValid(kprobe({ args: [{ index: 0, type: 'sock' }] }, [{}]), { property: 'tetragon.customPolicies[t]' }));
    expect(e).toBeInstanceOf(ValidationError);
    expect(e.property).toBe('tetragon.customPolicies[t].kprobes[0].args[0].type');
    expect(e.message).toMatch(/arg-type-mismatch.*1 more: kprobes\[0\]\.selectors\[0\] empty-selector/);
  });
});
