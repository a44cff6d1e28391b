/**
 * Pod Security Admission labels for namespaces: `enforce`, `audit` and `warn` at one level, each
 * with a pinned policy version, so a control-plane upgrade never changes what is admitted. Pure:
 * the Namespace manifest for objects delivered by `ManifestRelease`, the labels, and the documented
 * exceptions; the construct that creates a namespace is `PssNamespace` (constructs/pss-namespace.ts).
 *
 * The one exception the project does not create is `kube-system`: see {@link KUBE_SYSTEM_PSS_EXCEPTION}.
 */
import { check } from '../errors';
import { declare, list, oneOf, optional, parse, pattern, rules, strict, text } from '../schema';
import { dns1123Label, kubernetesMinor, labels as labelMap } from '../rules';
import { KubernetesManifest } from '../k8s';
import { assertKubernetesVersion, DEFAULT_KUBERNETES_VERSION } from '../versions';


/** A Pod Security Standards level. */
export type PodSecurityLevel = 'restricted' | 'baseline' | 'privileged';

/** The levels, strictest first. */
export const POD_SECURITY_LEVELS: readonly PodSecurityLevel[] = ['restricted', 'baseline', 'privileged'];

/** The Pod Security Admission modes; each gets the same level and version. */
export const POD_SECURITY_MODES = ['enforce', 'audit', 'warn'] as const;

/** Prefix of the Pod Security Admission namespace labels. */
export const POD_SECURITY_LABEL_PREFIX = 'pod-security.kubernetes.io/';

/** Namespaces every cluster already has: the construct cannot create them. */
export const SYSTEM_NAMESPACES: readonly string[] = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/**
 * The documented privileged exception: `kube-system`, where the Cilium chart installs everything
 * (the chart's namespace is global, so the operator cannot live apart from the agent).
 *
 * - The Cilium agent DaemonSet needs host networking, host paths (BPF filesystem, cgroup, CNI
 *   configuration), `privileged` init containers and capabilities such as NET_ADMIN and SYS_ADMIN:
 *   it is the CNI and cannot pass even `baseline`.
 * - cilium-envoy (the L7 proxy DaemonSet) shares the agent's host network and host paths.
 * - cilium-operator runs with `hostNetwork` in ENI mode (it must run before any pod network
 *   exists); its containers still carry a restricted-compliant securityContext.
 *
 * Hubble Relay and Hubble UI run there too and pass `restricted` on their own (checked in the
 * tests with core/pss). EKS leaves `kube-system` unlabelled, which Pod Security Admission treats as
 * `privileged`; the project does not label it.
 */
export const KUBE_SYSTEM_PSS_EXCEPTION = Object.freeze({
  namespace: 'kube-system',
  level: 'privileged' as PodSecurityLevel,
  workloads: Object.freeze([
    'cilium (agent DaemonSet)',
    'cilium-envoy (DaemonSet)',
    'cilium-operator (Deployment, hostNetwork)',
    'ebs-csi-node (DaemonSet, EKS add-on aws-ebs-csi-driver)',
    'ebs-csi-controller (Deployment, EKS add-on aws-ebs-csi-driver)',
  ]),
  reason:
    'the Cilium agent and envoy are the CNI: host network, host paths and privileged capabilities; the operator needs hostNetwork in ENI mode. ' +
    'The chart installs every component into one namespace. The EBS CSI node plugin mounts block devices (privileged, host paths); ' +
    'EKS installs the add-on into kube-system.',
});

/**
 * The Pod Security Admission labels of a namespace: one level and one pinned policy version for
 * all three modes (`enforce`, `audit`, `warn`), as {@link podSecurityLabels} writes them
 * (https://kubernetes.io/docs/concepts/security/pod-security-admission/).
 */
export interface PodSecurityOptions {
  /** Level for enforce, audit and warn. @default 'restricted' */
  readonly level?: PodSecurityLevel;
  /**
   * Pinned policy version, `v1.<minor>` (e.g. `v1.34`); `latest` is refused because it changes
   * what is admitted with every control-plane upgrade.
   * @default - `v<kubernetesVersion>`
   */
  readonly version?: string;
  /** Kubernetes version of the cluster, which the default `version` follows. @default '1.34' */
  readonly kubernetesVersion?: string;
}

/**
 * A namespace for {@link pssNamespaceManifest}: the Pod Security labels of
 * {@link PodSecurityOptions} plus labels of the user's own.
 */
export interface PssNamespaceOptions extends PodSecurityOptions {
  /** More labels; keys under `pod-security.kubernetes.io/` are refused (set `level`/`version`). @default - none */
  readonly labels?: Readonly<Record<string, string>>;
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

const podSecurityEntries = {
  level: optional(oneOf(POD_SECURITY_LEVELS, POD_SECURITY_LEVELS.map((l) => `'${l}'`).join(', '))),
  version: optional(pattern(/^v1\.(0|[1-9][0-9]*)$/, "a pinned policy version 'v1.<minor>', e.g. 'v1.34'", "'latest' would change what is admitted with every control-plane upgrade")),
  kubernetesVersion: optional(kubernetesMinor()),
};
/** The declaration of {@link PodSecurityOptions}. */
export const PodSecurityOptionsSchema = declare<PodSecurityOptions>()(strict(podSecurityEntries, 'Pod Security options { level?, version?, kubernetesVersion? }'));
/** The entries of {@link PssNamespaceOptionsSchema}, for declarations that extend it. */
export const pssNamespaceEntries = {
  ...podSecurityEntries,
  labels: optional(
      rules(labelMap(), (l, report) => {
        for (const key of Object.keys(l)) {
          if (key.startsWith(POD_SECURITY_LABEL_PREFIX)) report([key], key, `no ${POD_SECURITY_LABEL_PREFIX}* label`, 'set level and version instead, so enforce, audit and warn stay together');
        }
      }),
    ),
};
/** The declaration of {@link PssNamespaceOptions}: labels by the apiserver's rules, none under pod-security.kubernetes.io/. */
export const PssNamespaceOptionsSchema = declare<PssNamespaceOptions>()(strict(pssNamespaceEntries, 'namespace options { level?, version?, kubernetesVersion?, labels? }'));

/** Throws a {@link ValidationError} unless `name` is a DNS-1123 label (a namespace name). */
export function assertNamespaceName(name: string, property = 'name'): string {
  check(
    typeof name === 'string' && name.length <= 63 && DNS1123_LABEL.test(name),
    property,
    name,
    'a DNS-1123 label: at most 63 lower-case letters, digits and "-", starting and ending with a letter or digit',
  );
  return name;
}

/** The level and pinned version of options already checked by their declaration. */
export function resolvePodSecurity(options: PodSecurityOptions = {}): { level: PodSecurityLevel; version: string } {
  const level = options.level ?? 'restricted';
  if (options.version !== undefined) return { level, version: options.version };
  const kubernetesVersion = assertKubernetesVersion(options.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION, 'kubernetesVersion');
  return { level, version: `v${kubernetesVersion}` };
}

/** The six `pod-security.kubernetes.io/*` labels: each mode at the level, each with the version. */
export function podSecurityLabels(options: PodSecurityOptions = {}): Record<string, string> {
  parse(PodSecurityOptionsSchema, options);
  return securityLabels(options);
}

function securityLabels(options: PodSecurityOptions): Record<string, string> {
  const { level, version } = resolvePodSecurity(options);
  return Object.fromEntries(
    POD_SECURITY_MODES.flatMap((mode) => [
      [`${POD_SECURITY_LABEL_PREFIX}${mode}`, level],
      [`${POD_SECURITY_LABEL_PREFIX}${mode}-version`, version],
    ]),
  );
}

/** The namespace's labels: the given ones plus the Pod Security labels. */
export function pssNamespaceLabels(options: PssNamespaceOptions = {}): Record<string, string> {
  parse(PssNamespaceOptionsSchema, options);
  return { ...options.labels, ...securityLabels(options) };
}

/**
 * A Namespace manifest labelled for Pod Security Admission (enforce, audit and warn at `level`,
 * each with the pinned version). Throws a {@link ValidationError} for an invalid name, level,
 * version or label.
 */
export function pssNamespaceManifest(name: string, options: PssNamespaceOptions = {}): KubernetesManifest {
  assertNamespaceName(name);
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: pssNamespaceLabels(options) } };
}

/** A namespace whose workloads cannot pass `restricted`, documented with the reason. */
export interface PssNamespaceException {
  /** The namespace. */
  readonly namespace: string;
  /** The Pod Security level its workloads need. */
  readonly level: PodSecurityLevel;
  /** Why; recorded on the namespace as the {@link POD_SECURITY_EXCEPTION_ANNOTATION} annotation. */
  readonly reason: string;
  /** The workloads that need the level, for the documentation. @default - none listed */
  readonly workloads?: readonly string[];
}
/** The declaration of {@link PssNamespaceException}. */
export const PssNamespaceExceptionSchema = declare<PssNamespaceException>()(
  strict(
    { namespace: dns1123Label('a namespace'), level: oneOf(POD_SECURITY_LEVELS), reason: text('the reason, a non-empty sentence'), workloads: optional(list(text('a workload'))) },
    'a namespace exception { namespace, level, reason, workloads? }',
  ),
);

/** The annotation that records why a namespace is not `restricted`. */
export const POD_SECURITY_EXCEPTION_ANNOTATION = 'cilium-eks/pod-security-exception';
