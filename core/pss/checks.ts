/**
 * The Pod Security Standards checks, one pure function each (`(pod, ctx) => Finding[]`), and the
 * registry that says at which level and from which policy version each runs and what it replaces.
 *
 * Paraphrased from kubernetes/pod-security-admission v0.36.2 `policy/check_*.go`, by way of the
 * summary in shared/upstream/psa/restricted-checks.md.
 */
import { describeValue } from '../errors';
import { CommonSecurityContext, Container, NetworkHandler, PodSpec, SecurityContext } from './types';

/** A pod spec to check, with where it sits in the object the caller passed. */
export interface PodView {
  readonly spec: PodSpec;
  readonly annotations: Readonly<Record<string, string>>;
  /** Path of the pod spec: `spec`, `spec.template.spec`, or `''` for a bare PodSpec. */
  readonly specPath: string;
  /** Path of the metadata the annotations come from (`''` when there is none). */
  readonly metadataPath: string;
}

/** The policy version being applied, as a 1.x minor (`35` for v1.35). */
export interface CheckContext {
  readonly minor: number;
}

/** One failing field, before the registry adds the check ID and level. */
export interface Finding {
  readonly path: string;
  readonly message: string;
}

export type Check = (pod: PodView, ctx: CheckContext) => Finding[];

// ---------------------------------------------------------------------------------------------
// Paths, values and walkers

/** `base.field`; `field` when base is the root, `base` when field is empty. */
export function joinPath(base: string, field: string): string {
  if (field === '') return base;
  return base === '' ? field : `${base}.${field}`;
}

/** `found: unset` for undefined, the JSON form otherwise. */
function describeFound(value: unknown): string {
  return value === undefined ? 'unset' : describeValue(value);
}

function violation(path: string, allowed: string, found: unknown): Finding {
  return { path, message: `${path} must be ${allowed} (found: ${describeFound(found)})` };
}

/** Renders a list of allowed strings for a message: `"A", "B" or "C"`. */
function oneOf(values: Iterable<string>): string {
  const quoted = [...values].map((v) => JSON.stringify(v));
  return quoted.length < 2 ? quoted.join('') : `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}`;
}

/** A value and the path it was found at. */
interface Located<T> {
  readonly value: T;
  readonly path: string;
}

/** Every init, regular and ephemeral container with its path. */
function allContainers(pod: PodView): Located<Container>[] {
  const lists = ['initContainers', 'containers', 'ephemeralContainers'] as const;
  return lists.flatMap((list) =>
    (pod.spec[list] ?? []).map((value, i) => ({ value, path: `${joinPath(pod.specPath, list)}[${i}]` })),
  );
}

/** Every container's security context (possibly unset) with its path. */
function containerContexts(pod: PodView): Located<SecurityContext | undefined>[] {
  return allContainers(pod).map(({ value, path }) => ({
    value: value.securityContext,
    path: joinPath(path, 'securityContext'),
  }));
}

/** The pod's security context, then every container's. */
function allContexts(pod: PodView): Located<CommonSecurityContext | undefined>[] {
  return [{ value: pod.spec.securityContext, path: joinPath(pod.specPath, 'securityContext') }, ...containerContexts(pod)];
}

/**
 * One finding per item whose `field` (read by `read`) fails `ok`. The finding's path is the item
 * path plus `field`.
 */
function scan<T>(
  items: readonly Located<T>[],
  field: string,
  read: (item: T) => unknown,
  ok: (value: unknown) => boolean,
  allowed: string,
): Finding[] {
  return items.flatMap(({ value, path }) => {
    const found = read(value);
    return ok(found) ? [] : [violation(joinPath(path, field), allowed, found)];
  });
}

/** One finding per list entry that `ok` rejects, at `path[i]`. */
function scanList<T>(
  list: readonly T[] | undefined,
  path: string,
  ok: (entry: T) => boolean,
  allowed: string,
): Finding[] {
  return (list ?? []).flatMap((entry, i) => (ok(entry) ? [] : [violation(`${path}[${i}]`, allowed, entry)]));
}

/** Annotations whose key starts with `prefix`, with their paths. */
function annotationsWithPrefix(pod: PodView, prefix: string): Located<string>[] {
  return Object.keys(pod.annotations)
    .filter((key) => key.startsWith(prefix))
    .sort()
    .map((key) => annotation(pod, key))
    .filter((a): a is Located<string> => a !== undefined);
}

function annotation(pod: PodView, key: string): Located<string> | undefined {
  const value = pod.annotations[key];
  if (value === undefined) return undefined;
  return { value, path: `${joinPath(pod.metadataPath, 'annotations')}[${JSON.stringify(key)}]` };
}

const unsetOrFalse = (v: unknown): boolean => v === undefined || v === null || v === false;
const unsetOrEmpty = (v: unknown): boolean => v === undefined || v === null || v === '';
/** A profile object's `type`, `''` when the object is there without one, undefined when it is absent. */
const profileType = (profile: { readonly type?: string } | undefined): string | undefined =>
  profile === undefined || profile === null ? undefined : profile.type ?? '';

/** `spec.os.name: windows`, which exempts some restricted checks from 1.25. */
function windowsExempt(pod: PodView, ctx: CheckContext): boolean {
  return ctx.minor >= 25 && pod.spec.os?.name === 'windows';
}

/** `spec.hostUsers: false` (a user namespace), which exempts some checks from 1.35. */
function userNamespaceExempt(pod: PodView, ctx: CheckContext): boolean {
  return ctx.minor >= 35 && pod.spec.hostUsers === false;
}

/**
 * The "pod sets it, or every container does" rule of `runAsNonRoot` and
 * `seccompProfile_restricted`: every explicit bad value fails where it is set; a container that
 * leaves it unset fails unless the pod sets a good value. When no container sets a good value
 * either, one finding at the pod field stands for all of them (setting it there fixes them all).
 */
function podOrEveryContainer(
  pod: PodView,
  field: string,
  read: (sc: CommonSecurityContext | undefined) => unknown,
  ok: (value: unknown) => boolean,
  allowed: string,
): Finding[] {
  const podPath = joinPath(joinPath(pod.specPath, 'securityContext'), field);
  const podValue = read(pod.spec.securityContext);
  const podOk = podValue !== undefined && ok(podValue);
  const findings: Finding[] = podValue === undefined || podOk ? [] : [violation(podPath, allowed, podValue)];

  const containers = containerContexts(pod).map(({ value, path }) => ({ value: read(value), path: joinPath(path, field) }));
  const explicit = containers.filter((c) => c.value !== undefined);
  findings.push(...explicit.filter((c) => !ok(c.value)).map((c) => violation(c.path, allowed, c.value)));

  const unset = podOk ? [] : containers.filter((c) => c.value === undefined);
  if (unset.length === 0) return findings;
  if (explicit.some((c) => ok(c.value))) {
    findings.push(...unset.map((c) => violation(c.path, `${allowed} here or at ${podPath}`, undefined)));
  } else if (podValue === undefined) {
    findings.push(violation(podPath, `${allowed} here or in every container`, undefined));
  }
  return findings;
}

// ---------------------------------------------------------------------------------------------
// Baseline checks

/** `hostNamespaces`: hostNetwork, hostPID and hostIPC are unset or false. */
export const hostNamespaces: Check = (pod) =>
  scan(
    (['hostNetwork', 'hostPID', 'hostIPC'] as const).map((field) => ({
      value: pod.spec[field],
      path: joinPath(pod.specPath, field),
    })),
    '',
    (v) => v,
    unsetOrFalse,
    'unset or false',
  );

/** `privileged`: no container is privileged. */
export const privileged: Check = (pod) =>
  scan(containerContexts(pod), 'privileged', (sc) => sc?.privileged, unsetOrFalse, 'unset or false');

const BASELINE_CAPABILITIES: ReadonlySet<string> = new Set([
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD',
  'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
]);

/** Findings for `capabilities.add` entries outside `allowed`. */
function addedCapabilities(pod: PodView, allowed: ReadonlySet<string>): Finding[] {
  return containerContexts(pod).flatMap(({ value, path }) =>
    scanList(value?.capabilities?.add, `${path}.capabilities.add`, (cap) => allowed.has(cap), `${allowed.size > 1 ? 'one of ' : ''}${oneOf(allowed)}`),
  );
}

/** `capabilities_baseline`: only the default container-runtime capabilities may be added. */
export const capabilitiesBaseline: Check = (pod) => addedCapabilities(pod, BASELINE_CAPABILITIES);

/** `hostPathVolumes`: no hostPath volume. */
export const hostPathVolumes: Check = (pod) =>
  scan(
    (pod.spec.volumes ?? []).map((value, i) => ({ value, path: `${joinPath(pod.specPath, 'volumes')}[${i}]` })),
    'hostPath',
    (volume) => volume.hostPath,
    (v) => v === undefined || v === null,
    'unset (hostPath volumes are not allowed)',
  );

/** `hostPorts`: no container port sets a hostPort. */
export const hostPorts: Check = (pod) =>
  allContainers(pod).flatMap(({ value, path }) =>
    scan(
      (value.ports ?? []).map((port, i) => ({ value: port, path: `${path}.ports[${i}]` })),
      'hostPort',
      (port) => port.hostPort,
      (v) => v === undefined || v === null || v === 0,
      'unset or 0',
    ),
  );

/** `hostProbesAndHostLifecycle` (1.34): probes and lifecycle hooks name no host. */
export const hostProbesAndHostLifecycle: Check = (pod) =>
  allContainers(pod).flatMap(({ value, path }) => {
    const handlers: Located<NetworkHandler | undefined>[] = [
      { value: value.livenessProbe, path: `${path}.livenessProbe` },
      { value: value.readinessProbe, path: `${path}.readinessProbe` },
      { value: value.startupProbe, path: `${path}.startupProbe` },
      { value: value.lifecycle?.postStart, path: `${path}.lifecycle.postStart` },
      { value: value.lifecycle?.preStop, path: `${path}.lifecycle.preStop` },
    ];
    return [
      ...scan(handlers, 'httpGet.host', (h) => h?.httpGet?.host, unsetOrEmpty, 'unset or ""'),
      ...scan(handlers, 'tcpSocket.host', (h) => h?.tcpSocket?.host, unsetOrEmpty, 'unset or ""'),
    ];
  });

const ALLOWED_PROFILE_TYPES: ReadonlySet<string> = new Set(['RuntimeDefault', 'Localhost']);
const validProfileType = (v: unknown): boolean => typeof v === 'string' && ALLOWED_PROFILE_TYPES.has(v);
const unsetOrValidProfileType = (v: unknown): boolean => v === undefined || validProfileType(v);
const PROFILE_TYPE_ALLOWED = oneOf(ALLOWED_PROFILE_TYPES);

const APPARMOR_ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

/** `appArmorProfile`: no profile (field or beta annotation) is unconfined. */
export const appArmorProfile: Check = (pod) => [
  ...scan(
    allContexts(pod),
    'appArmorProfile.type',
    (sc) => profileType(sc?.appArmorProfile),
    unsetOrValidProfileType,
    `${PROFILE_TYPE_ALLOWED} when appArmorProfile is set`,
  ),
  ...scan(
    annotationsWithPrefix(pod, APPARMOR_ANNOTATION_PREFIX),
    '',
    (v) => v,
    (v) => v === '' || v === 'runtime/default' || (typeof v === 'string' && v.startsWith('localhost/')),
    '"", "runtime/default" or "localhost/<profile>"',
  ),
];

const SELINUX_TYPES_1_0 = ['', 'container_t', 'container_init_t', 'container_kvm_t'];
const SELINUX_TYPES_1_31 = [...SELINUX_TYPES_1_0, 'container_engine_t'];

/** `seLinuxOptions`: only container SELinux types (container_engine_t from 1.31); no user or role. */
export const seLinuxOptions: Check = (pod, ctx) => {
  const types: ReadonlySet<string> = new Set(ctx.minor >= 31 ? SELINUX_TYPES_1_31 : SELINUX_TYPES_1_0);
  const contexts = allContexts(pod).map(({ value, path }) => ({ value: value?.seLinuxOptions, path: `${path}.seLinuxOptions` }));
  return [
    ...scan(contexts, 'type', (o) => o?.type, (v) => v === undefined || (typeof v === 'string' && types.has(v)), oneOf(types)),
    ...scan(contexts, 'user', (o) => o?.user, unsetOrEmpty, 'unset or ""'),
    ...scan(contexts, 'role', (o) => o?.role, unsetOrEmpty, 'unset or ""'),
  ];
};

/** Findings for containers whose procMount is not unset or `Default`. */
function procMountFindings(pod: PodView): Finding[] {
  return scan(containerContexts(pod), 'procMount', (sc) => sc?.procMount, (v) => v === undefined || v === 'Default', 'unset or "Default"');
}

/** `procMount`: the default /proc mask; from 1.35 anything goes in a user namespace. */
export const procMount: Check = (pod, ctx) => (userNamespaceExempt(pod, ctx) ? [] : procMountFindings(pod));

const SECCOMP_POD_ANNOTATION = 'seccomp.security.alpha.kubernetes.io/pod';
const SECCOMP_CONTAINER_ANNOTATION_PREFIX = 'container.seccomp.security.alpha.kubernetes.io/';

/** `seccompProfile_baseline`: no profile is unconfined (annotations before 1.19, fields from 1.19). */
export const seccompProfileBaseline: Check = (pod, ctx) => {
  if (ctx.minor >= 19) {
    return scan(
      allContexts(pod),
      'seccompProfile.type',
      (sc) => profileType(sc?.seccompProfile),
      unsetOrValidProfileType,
      `${PROFILE_TYPE_ALLOWED} when seccompProfile is set`,
    );
  }
  const keys = [
    SECCOMP_POD_ANNOTATION,
    ...allContainers(pod).map(({ value }) => `${SECCOMP_CONTAINER_ANNOTATION_PREFIX}${value.name ?? ''}`),
  ];
  const annotations = keys.map((key) => annotation(pod, key)).filter((a): a is Located<string> => a !== undefined);
  return scan(
    annotations,
    '',
    (v) => v,
    (v) => v === 'runtime/default' || v === 'docker/default' || (typeof v === 'string' && v.startsWith('localhost/')),
    '"runtime/default", "docker/default" or "localhost/<profile>"',
  );
};

const SYSCTLS_BY_VERSION: readonly (readonly [number, readonly string[]])[] = [
  [0, ['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_unprivileged_port_start']],
  [27, ['net.ipv4.ip_local_reserved_ports']],
  [29, ['net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes']],
  [32, ['net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem']],
  // On upstream master only (after v0.36.2): applies to an explicit v1.37 or later.
  [37, ['net.ipv4.tcp_slow_start_after_idle', 'net.ipv4.tcp_notsent_lowat']],
];

/** The sysctls baseline allows at a policy version. */
export function allowedSysctls(minor: number): ReadonlySet<string> {
  return new Set(SYSCTLS_BY_VERSION.filter(([since]) => since <= minor).flatMap(([, names]) => names));
}

/** `sysctls`: only the namespaced, safe sysctls of the policy version. */
export const sysctls: Check = (pod, ctx) => {
  const allowed = allowedSysctls(ctx.minor);
  const path = `${joinPath(pod.specPath, 'securityContext')}.sysctls`;
  return scan(
    (pod.spec.securityContext?.sysctls ?? []).map((value, i) => ({ value, path: `${path}[${i}]` })),
    'name',
    (s) => s.name,
    (v) => typeof v === 'string' && allowed.has(v),
    `one of ${oneOf(allowed)} at v1.${ctx.minor}`,
  );
};

/** `windowsHostProcess`: no Windows HostProcess pod or container. */
export const windowsHostProcess: Check = (pod) =>
  scan(allContexts(pod), 'windowsOptions.hostProcess', (sc) => sc?.windowsOptions?.hostProcess, unsetOrFalse, 'unset or false');

// ---------------------------------------------------------------------------------------------
// Restricted checks

const RESTRICTED_VOLUME_TYPES: ReadonlySet<string> = new Set([
  'configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'image', 'persistentVolumeClaim', 'projected', 'secret',
]);

/**
 * `restrictedVolumes`: only the volume types that cannot reach the node or the network directly.
 * A volume with no source is let through: the API server defaults it to emptyDir.
 */
export const restrictedVolumes: Check = (pod) =>
  (pod.spec.volumes ?? []).flatMap((volume, i) =>
    Object.keys(volume)
      .filter((key) => key !== 'name' && volume[key] !== undefined && volume[key] !== null)
      .filter((key) => !RESTRICTED_VOLUME_TYPES.has(key))
      .map((key) => ({
        path: `${joinPath(pod.specPath, 'volumes')}[${i}].${key}`,
        message: `${joinPath(pod.specPath, 'volumes')}[${i}] must use one of the volume types ${oneOf(RESTRICTED_VOLUME_TYPES)} (found: ${key})`,
      })),
  );

/** `allowPrivilegeEscalation` (1.8): every container sets it to false explicitly (Windows exempt from 1.25). */
export const allowPrivilegeEscalation: Check = (pod, ctx) =>
  windowsExempt(pod, ctx)
    ? []
    : scan(containerContexts(pod), 'allowPrivilegeEscalation', (sc) => sc?.allowPrivilegeEscalation, (v) => v === false, 'false');

const RESTRICTED_CAPABILITIES: ReadonlySet<string> = new Set(['NET_BIND_SERVICE']);

/** `capabilities_restricted` (1.22): every container drops ALL and adds at most NET_BIND_SERVICE (Windows exempt from 1.25). */
export const capabilitiesRestricted: Check = (pod, ctx) => {
  if (windowsExempt(pod, ctx)) return [];
  return [
    ...scan(
      containerContexts(pod),
      'capabilities.drop',
      (sc) => sc?.capabilities?.drop,
      (drop) => Array.isArray(drop) && drop.includes('ALL'),
      'a list containing "ALL"',
    ),
    ...addedCapabilities(pod, RESTRICTED_CAPABILITIES),
  ];
};

/** `runAsNonRoot`: never false, and true on the pod or on every container (user namespaces exempt from 1.35). */
export const runAsNonRoot: Check = (pod, ctx) =>
  userNamespaceExempt(pod, ctx) ? [] : podOrEveryContainer(pod, 'runAsNonRoot', (sc) => sc?.runAsNonRoot, (v) => v === true, 'true');

/** `runAsUser` (1.23): nothing runs as UID 0 (user namespaces exempt from 1.35). */
export const runAsUser: Check = (pod, ctx) =>
  userNamespaceExempt(pod, ctx) ? [] : scan(allContexts(pod), 'runAsUser', (sc) => sc?.runAsUser, (v) => v !== 0, 'unset or non-zero');

/** `seccompProfile_restricted` (1.19): RuntimeDefault or Localhost on the pod or on every container (Windows exempt from 1.25). */
export const seccompProfileRestricted: Check = (pod, ctx) =>
  windowsExempt(pod, ctx)
    ? []
    : podOrEveryContainer(pod, 'seccompProfile.type', (sc) => profileType(sc?.seccompProfile), validProfileType, PROFILE_TYPE_ALLOWED);

/** `procMount_restricted` (1.35): the default /proc mask, even in a user namespace. */
export const procMountRestricted: Check = (pod) => procMountFindings(pod);

// ---------------------------------------------------------------------------------------------
// Registry

export interface CheckDefinition {
  /** Upstream check ID. */
  readonly id: string;
  readonly level: 'baseline' | 'restricted';
  /** First 1.x minor the check applies to. */
  readonly since: number;
  /** Baseline check this one replaces wherever it applies. */
  readonly overrides?: string;
  readonly run: Check;
}

/** Every check, in upstream registry order: baseline first, then restricted. */
export const CHECKS = [
  { id: 'hostNamespaces', level: 'baseline', since: 0, run: hostNamespaces },
  { id: 'privileged', level: 'baseline', since: 0, run: privileged },
  { id: 'capabilities_baseline', level: 'baseline', since: 0, run: capabilitiesBaseline },
  { id: 'hostPathVolumes', level: 'baseline', since: 0, run: hostPathVolumes },
  { id: 'hostPorts', level: 'baseline', since: 0, run: hostPorts },
  { id: 'hostProbesAndHostLifecycle', level: 'baseline', since: 34, run: hostProbesAndHostLifecycle },
  { id: 'appArmorProfile', level: 'baseline', since: 0, run: appArmorProfile },
  { id: 'seLinuxOptions', level: 'baseline', since: 0, run: seLinuxOptions },
  { id: 'procMount', level: 'baseline', since: 0, run: procMount },
  { id: 'seccompProfile_baseline', level: 'baseline', since: 0, run: seccompProfileBaseline },
  { id: 'sysctls', level: 'baseline', since: 0, run: sysctls },
  { id: 'windowsHostProcess', level: 'baseline', since: 0, run: windowsHostProcess },
  { id: 'restrictedVolumes', level: 'restricted', since: 0, overrides: 'hostPathVolumes', run: restrictedVolumes },
  { id: 'allowPrivilegeEscalation', level: 'restricted', since: 8, run: allowPrivilegeEscalation },
  { id: 'capabilities_restricted', level: 'restricted', since: 22, overrides: 'capabilities_baseline', run: capabilitiesRestricted },
  { id: 'runAsNonRoot', level: 'restricted', since: 0, run: runAsNonRoot },
  { id: 'runAsUser', level: 'restricted', since: 23, run: runAsUser },
  { id: 'seccompProfile_restricted', level: 'restricted', since: 19, overrides: 'seccompProfile_baseline', run: seccompProfileRestricted },
  { id: 'procMount_restricted', level: 'restricted', since: 35, overrides: 'procMount', run: procMountRestricted },
] as const satisfies readonly CheckDefinition[];

/**
 * The checks that run at a level and version: those of the level (restricted includes baseline)
 * whose `since` is reached, less any baseline check a running restricted check overrides.
 */
export function checksFor(level: 'baseline' | 'restricted', minor: number): readonly CheckDefinition[] {
  const active: readonly CheckDefinition[] = CHECKS.filter(
    (c) => c.since <= minor && (level === 'restricted' || c.level === 'baseline'),
  );
  const overridden = new Set(active.map((c) => c.overrides).filter((id): id is string => id !== undefined));
  return active.filter((c) => !overridden.has(c.id));
}
