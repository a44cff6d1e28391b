/**
 * Evaluates a pod, pod template or workload against the Kubernetes Pod Security Standards, the
 * way the Pod Security Admission controller does (kubernetes/pod-security-admission v0.36.2).
 */
import { ValidationError } from '../errors';
import { declare, oneOf, optional, parse, pattern, strict } from '../schema';
import { isRecord } from '../json';
import { CHECKS, checksFor, joinPath, PodView } from './checks';
import { ObjectMeta, Pod, PodSpec, PodTemplateSpec, Workload } from './types';

/** A Pod Security Standards level: `privileged` checks nothing. */
export type PssLevel = 'privileged' | 'baseline' | 'restricted';

/**
 * An upstream check ID, e.g. `allowPrivilegeEscalation` or `capabilities_restricted`: the check
 * registry of kubernetes/pod-security-admission v0.36.2 (`policy/check_*.go`), which this
 * evaluator implements one for one.
 */
export type PssCheckId =
  | 'hostNamespaces'
  | 'privileged'
  | 'capabilities_baseline'
  | 'hostPathVolumes'
  | 'hostPorts'
  | 'hostProbesAndHostLifecycle'
  | 'appArmorProfile'
  | 'seLinuxOptions'
  | 'procMount'
  | 'seccompProfile_baseline'
  | 'sysctls'
  | 'windowsHostProcess'
  | 'restrictedVolumes'
  | 'allowPrivilegeEscalation'
  | 'capabilities_restricted'
  | 'runAsNonRoot'
  | 'runAsUser'
  | 'seccompProfile_restricted'
  | 'procMount_restricted';

/** Whether two types are the same set. */
type SameSet<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** The ids written out above are exactly the registry's (internal, it holds the checks' functions): a compile error otherwise. */
const CHECK_IDS_MATCH: SameSet<PssCheckId, (typeof CHECKS)[number]['id']> = true;
void CHECK_IDS_MATCH;

/** Every check this evaluator implements, with the level it belongs to. */
export const PSS_CHECK_IDS: Readonly<Record<PssCheckId, 'baseline' | 'restricted'>> = Object.freeze(
  Object.fromEntries(CHECKS.map((c) => [c.id, c.level])) as Record<PssCheckId, 'baseline' | 'restricted'>,
);

/** One field that breaks a check. */
export interface PssFinding {
  /** Upstream check ID, e.g. `allowPrivilegeEscalation`. */
  readonly check: PssCheckId;
  /** Level the check belongs to. */
  readonly level: 'baseline' | 'restricted';
  /**
   * Path of the field in the object passed, e.g. `spec.containers[0].securityContext.allowPrivilegeEscalation`
   * (`spec.template.spec...` for a workload, `containers[0]...` for a bare PodSpec).
   */
  readonly path: string;
  /** Names the value found and what is allowed. */
  readonly message: string;
}

/**
 * What {@link evaluatePodSecurity} and {@link isCompliant} check against: a Pod Security
 * Standards level and policy version, as a namespace's `pod-security.kubernetes.io/*` labels set
 * them (https://kubernetes.io/docs/concepts/security/pod-security-standards/).
 */
export interface PssOptions {
  /** Level to check against. @default 'restricted' */
  readonly level?: PssLevel;
  /**
   * Policy version, as in the `pod-security.kubernetes.io/<mode>-version` namespace label:
   * `latest` or `v1.N`. `latest` is v1.36, the release this evaluator follows; an explicit v1.37
   * or later also allows the sysctls upstream master adds for 1.37.
   * @default 'latest'
   */
  readonly version?: string;
}

const LEVELS: readonly PssLevel[] = ['privileged', 'baseline', 'restricted'];
/** The declaration of {@link PssOptions}. */
export const PssOptionsSchema = declare<PssOptions>()(
  strict({ level: optional(oneOf(LEVELS, LEVELS.map((l) => `'${l}'`).join(', '))), version: optional(pattern(/^(latest|v1\.(0|[1-9][0-9]*))$/, "'latest' or a policy version 'v1.<minor>', e.g. 'v1.34'")) }, 'Pod Security options { level?, version? }'),
);

/** The 1.x minor that `latest` stands for: pod-security-admission v0.36.2. */
const LATEST_MINOR = 36;
const VERSION_PATTERN = /^v1\.(0|[1-9][0-9]*)$/;
/** Kinds that must carry a pod template: evaluating one without it would pass vacuously. */
const WORKLOAD_KINDS: ReadonlySet<string> = new Set([
  'Deployment', 'DaemonSet', 'StatefulSet', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob',
]);

/** Target shapes the evaluator accepts. */
export type PssTarget = Pod | PodTemplateSpec | PodSpec | Workload;

/**
 * Checks `target` against a Pod Security Standards level and returns every violation, sorted by
 * path then check ID (an empty array means the target is admitted). `target` may be a Pod, a pod
 * template (`{metadata, spec}`), a bare PodSpec, or a workload: `spec.template`
 * (Deployment, DaemonSet, StatefulSet, Job, ReplicaSet) or `spec.jobTemplate.spec.template`
 * (CronJob). Paths are relative to `target`.
 *
 * Throws a {@link ValidationError} for an unknown level, a malformed version, or a target that
 * is not an object or is a workload without a pod template.
 */
export function evaluatePodSecurity(target: PssTarget, options: PssOptions = {}): PssFinding[] {
  parse(PssOptionsSchema, options);
  const level = options.level ?? 'restricted';
  const minor = parseVersion(options.version ?? 'latest');
  const pod = podView(target);
  if (level === 'privileged') return [];

  const findings = checksFor(level, minor).flatMap((check) =>
    check.run(pod, { minor }).map((f): PssFinding => ({ check: check.id as PssCheckId, level: check.level, ...f })),
  );
  return findings.sort((a, b) => comparePaths(a.path, b.path) || compareStrings(a.check, b.check) || compareStrings(a.message, b.message));
}

/** True when {@link evaluatePodSecurity} finds nothing; same arguments and errors. */
export function isCompliant(target: PssTarget, options: PssOptions = {}): boolean {
  return evaluatePodSecurity(target, options).length === 0;
}

/** `latest` or `v1.N` to N. */
function parseVersion(version: unknown): number {
  if (version === 'latest') return LATEST_MINOR;
  const match = typeof version === 'string' ? VERSION_PATTERN.exec(version) : null;
  if (!match) throw new ValidationError('version', version, "'latest' or 'v1.<minor>' (for example 'v1.35')");
  return Number(match[1]);
}

/** Finds the pod spec in `target` and where it sits. */
function podView(target: PssTarget): PodView {
  if (!isRecord(target)) {
    throw new ValidationError('target', target, 'a Pod, pod template, PodSpec or workload object');
  }
  const workload = target as Workload;
  const templates: readonly [string, PodTemplateSpec | undefined][] = [
    ['spec.jobTemplate.spec.template', workload.spec?.jobTemplate?.spec?.template],
    ['spec.template', workload.spec?.template],
  ];
  const found = templates.find(([, template]) => isRecord(template));
  if (found) return templateView(found[0], found[1] ?? {});
  if (typeof workload.kind === 'string' && WORKLOAD_KINDS.has(workload.kind)) {
    const where = workload.kind === 'CronJob' ? 'spec.jobTemplate.spec.template' : 'spec.template';
    throw new ValidationError(`target.${where}`, undefined, `a pod template (a ${workload.kind} carries one)`);
  }
  if ('spec' in target) return templateView('', target as PodTemplateSpec);
  return { spec: target as PodSpec, annotations: {}, specPath: '', metadataPath: '' };
}

function templateView(base: string, template: PodTemplateSpec): PodView {
  const metadata: ObjectMeta = template.metadata ?? {};
  if (!isRecord(template.spec)) {
    throw new ValidationError(joinPath('target', joinPath(base, 'spec')), template.spec, 'a PodSpec object');
  }
  return {
    spec: template.spec,
    annotations: metadata.annotations ?? {},
    specPath: joinPath(base, 'spec'),
    metadataPath: joinPath(base, 'metadata'),
  };
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Orders paths with list indexes compared as numbers (`containers[2]` before `containers[10]`). */
function comparePaths(a: string, b: string): number {
  const pa = a.split(/(\d+)/);
  const pb = b.split(/(\d+)/);
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    // split() with a capture group puts the digit runs at the odd positions.
    const byNumber = i % 2 === 1 ? Number(pa[i]) - Number(pb[i]) : 0;
    const order = byNumber || compareStrings(pa[i], pb[i]);
    if (order !== 0) return order;
  }
  return pa.length - pb.length;
}
