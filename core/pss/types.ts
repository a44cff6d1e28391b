/**
 * The parts of the Kubernetes core/v1 and workload shapes that the Pod Security Standards
 * evaluator reads. Every field is optional, as in the Kubernetes API; fields the checks never
 * read are left out, and objects may carry more than is declared here.
 *
 * Field meanings follow the Kubernetes API reference
 * (https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/); which check reads
 * which field follows kubernetes/pod-security-admission v0.36.2 (`policy/check_*.go`), the code
 * behind the Pod Security Standards page
 * (https://kubernetes.io/docs/concepts/security/pod-security-standards/). "Unset" in a `@default`
 * means the evaluator sees no value; what Kubernetes does then is said where a check depends on it.
 */

/** `metadata` of any object; only the annotations are read (AppArmor and pre-1.19 seccomp). */
export interface ObjectMeta {
  /**
   * `metadata.name` of the object (a pod, a template's pod or a workload). The evaluator does
   * not read it: findings are located by path, not by name.
   * @default - unset
   */
  readonly name?: string;
  /**
   * `metadata.namespace` of the object. The evaluator does not read it: which level applies is
   * for the caller to choose (`PssOptions.level`), as the namespace's
   * `pod-security.kubernetes.io/*` labels choose it in a cluster.
   * @default - unset
   */
  readonly namespace?: string;
  /**
   * `metadata.labels`: key/value labels of the object. The evaluator does not read them; the
   * component pod templates carry their chart's selector labels here.
   * @default - none
   */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * `metadata.annotations` of the pod or pod template. Two checks read them: `appArmorProfile`
   * (keys `container.apparmor.security.beta.kubernetes.io/<container>`: the value must be empty,
   * `runtime/default` or `localhost/<profile>`), and, for a policy version before v1.19 only,
   * `seccompProfile_baseline` (`seccomp.security.alpha.kubernetes.io/pod` and
   * `container.seccomp.security.alpha.kubernetes.io/<container>`). A workload's own metadata is
   * not read, only its pod template's.
   * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/
   * @default - none
   */
  readonly annotations?: Readonly<Record<string, string>>;
}

/**
 * A container's Linux capabilities, `securityContext.capabilities`: the ones added to and
 * dropped from the container runtime's default set.
 */
export interface Capabilities {
  /**
   * `securityContext.capabilities.add`: capability names without the `CAP_` prefix (e.g.
   * `NET_BIND_SERVICE`), compared case-sensitively. Baseline (`capabilities_baseline`) allows only
   * AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP,
   * SETGID, SETPCAP, SETUID and SYS_CHROOT; restricted (`capabilities_restricted`, from v1.22)
   * allows only NET_BIND_SERVICE.
   * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/
   * @default - none added
   */
  readonly add?: readonly string[];
  /**
   * `securityContext.capabilities.drop`: capability names to remove, `ALL` for every one.
   * Restricted (`capabilities_restricted`, from v1.22, Windows pods exempt from v1.25) requires
   * the exact string `ALL` in every container; baseline does not read it.
   * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/
   * @default - none dropped (fails restricted)
   */
  readonly drop?: readonly string[];
}

/**
 * SELinux labels for a pod or container (`securityContext.seLinuxOptions`), checked by the
 * baseline `seLinuxOptions` check on the pod and on every container.
 */
export interface SELinuxOptions {
  /**
   * `seLinuxOptions.user`: the SELinux user of the label. Baseline requires it unset or empty.
   * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/
   * @default - unset (the container runtime chooses)
   */
  readonly user?: string;
  /**
   * `seLinuxOptions.role`: the SELinux role of the label. Baseline requires it unset or empty.
   * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/
   * @default - unset (the container runtime chooses)
   */
  readonly role?: string;
  /**
   * `seLinuxOptions.type`: the SELinux type of the label. Baseline allows unset, `""`,
   * `container_t`, `container_init_t` and `container_kvm_t`, and from policy v1.31 also
   * `container_engine_t`.
   * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/
   * @default - unset (the container runtime chooses)
   */
  readonly type?: string;
  /**
   * `seLinuxOptions.level`: the SELinux level (MLS/MCS range) of the label. No check reads it.
   * @default - unset (the container runtime chooses)
   */
  readonly level?: string;
}

/** `type` is `RuntimeDefault`, `Localhost` or `Unconfined`. */
export interface SeccompProfile {
  /**
   * `seccompProfile.type`: `RuntimeDefault` (the container runtime's profile), `Localhost` (a
   * profile file on the node, named by `localhostProfile`) or `Unconfined`. Baseline
   * (`seccompProfile_baseline`, policy v1.19 and later) refuses `Unconfined` and any other value;
   * restricted (`seccompProfile_restricted`) also requires `RuntimeDefault` or `Localhost` on the
   * pod or on every container (Windows pods exempt from v1.25). A profile object without a type
   * counts as an invalid type.
   * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/
   * @default - unset (the runtime's default; fails restricted unless the pod or every container sets it)
   */
  readonly type?: string;
  /**
   * `seccompProfile.localhostProfile`: path of the profile file, relative to the kubelet's
   * seccomp directory, used when `type` is `Localhost`. No check reads it.
   * @default - unset
   */
  readonly localhostProfile?: string;
}

/** `type` is `RuntimeDefault`, `Localhost` or `Unconfined`. */
export interface AppArmorProfile {
  /**
   * `appArmorProfile.type`: `RuntimeDefault`, `Localhost` (a profile loaded on the node, named by
   * `localhostProfile`) or `Unconfined`. The baseline `appArmorProfile` check allows unset,
   * `RuntimeDefault` and `Localhost` on the pod and on every container; a profile object without
   * a type fails.
   * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/
   * @default - unset (the runtime's default profile)
   */
  readonly type?: string;
  /**
   * `appArmorProfile.localhostProfile`: name of the profile loaded on the node, used when `type`
   * is `Localhost`. No check reads it.
   * @default - unset
   */
  readonly localhostProfile?: string;
}

/**
 * Windows-specific options of a pod or container (`securityContext.windowsOptions`); the
 * baseline `windowsHostProcess` check reads `hostProcess`.
 */
export interface WindowsSecurityContextOptions {
  /**
   * `windowsOptions.gmsaCredentialSpecName`: name of the GMSACredentialSpec resource to use.
   * No check reads it.
   * @default - unset
   */
  readonly gmsaCredentialSpecName?: string;
  /**
   * `windowsOptions.gmsaCredentialSpec`: the contents of the GMSA credential spec, inlined.
   * No check reads it.
   * @default - unset
   */
  readonly gmsaCredentialSpec?: string;
  /**
   * `windowsOptions.runAsUserName`: the Windows user name the container's entrypoint runs as.
   * No check reads it.
   * @default - unset (the image's user)
   */
  readonly runAsUserName?: string;
  /**
   * `windowsOptions.hostProcess`: `true` runs the container as a Windows HostProcess container
   * with access to the host. Baseline (`windowsHostProcess`) requires it unset or `false` on the
   * pod and on every container.
   * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/
   * @default - unset (not a HostProcess container)
   */
  readonly hostProcess?: boolean;
}

/** Fields a pod-level and a container-level security context have in common. */
export interface CommonSecurityContext {
  /**
   * `securityContext.appArmorProfile`: the AppArmor profile for the pod's containers (pod level)
   * or for this container (container level, which takes precedence). Read by the baseline
   * `appArmorProfile` check; see {@link AppArmorProfile}.
   * @default - unset (the runtime's default profile)
   */
  readonly appArmorProfile?: AppArmorProfile;
  /**
   * `securityContext.runAsGroup`: the primary GID of the container process. No Pod Security
   * check reads it.
   * @default - unset (the image's group)
   */
  readonly runAsGroup?: number;
  /**
   * `securityContext.runAsNonRoot`: `true` makes the kubelet refuse to start a container whose
   * user is UID 0. Restricted (`runAsNonRoot`) fails on any `false`, and requires `true` on the
   * pod or on every container (from policy v1.35 a pod with `spec.hostUsers: false` is exempt);
   * a non-zero `runAsUser` does not satisfy it.
   * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/
   * @default - unset (fails restricted unless the pod or every container sets true)
   */
  readonly runAsNonRoot?: boolean;
  /**
   * `securityContext.runAsUser`: the UID the container's entrypoint runs as. Restricted
   * (`runAsUser`, from policy v1.23) refuses `0` on the pod and on every container (from v1.35 a
   * pod with `spec.hostUsers: false` is exempt); unset is allowed.
   * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/
   * @default - unset (the image's user)
   */
  readonly runAsUser?: number;
  /**
   * `securityContext.seLinuxOptions`: the SELinux label for the pod's containers or this
   * container. Read by the baseline `seLinuxOptions` check; see {@link SELinuxOptions}.
   * @default - unset (the container runtime assigns a label)
   */
  readonly seLinuxOptions?: SELinuxOptions;
  /**
   * `securityContext.seccompProfile`: the seccomp profile for the pod's containers or this
   * container. Read by `seccompProfile_baseline` and `seccompProfile_restricted`; see
   * {@link SeccompProfile}.
   * @default - unset (restricted needs a valid type on the pod or on every container)
   */
  readonly seccompProfile?: SeccompProfile;
  /**
   * `securityContext.windowsOptions`: Windows options for the pod's containers or this
   * container. Read by the baseline `windowsHostProcess` check; see
   * {@link WindowsSecurityContextOptions}.
   * @default - unset
   */
  readonly windowsOptions?: WindowsSecurityContextOptions;
}

/** A container's `securityContext`. */
export interface SecurityContext extends CommonSecurityContext {
  /**
   * `securityContext.allowPrivilegeEscalation`: whether a process can gain more privileges than
   * its parent (the `no_new_privs` flag). Restricted (`allowPrivilegeEscalation`, policy v1.8
   * and later) requires an explicit `false` in every container; unset fails. Windows pods are
   * exempt from v1.25.
   * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/
   * @default - unset (escalation allowed; fails restricted)
   */
  readonly allowPrivilegeEscalation?: boolean;
  /**
   * `securityContext.capabilities`: Linux capabilities added to and dropped from the container.
   * Read by `capabilities_baseline` and `capabilities_restricted`; see {@link Capabilities}.
   * Restricted fails a container without this block.
   * @default - unset (the runtime's default capabilities; fails restricted)
   */
  readonly capabilities?: Capabilities;
  /**
   * `securityContext.privileged`: `true` runs the container privileged, its processes
   * essentially equivalent to root on the host. Baseline (`privileged`) requires it unset or `false` in every container.
   * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/
   * @default - unset (not privileged)
   */
  readonly privileged?: boolean;
  /**
   * `securityContext.procMount`: `Default` masks parts of /proc, `Unmasked` does not. Baseline
   * (`procMount`) requires it unset or `Default`, except in a user namespace from 1.35; restricted
   * requires it there too from 1.35.
   * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/
   * @default - unset (the container runtime's default mask)
   */
  readonly procMount?: string;
  /**
   * `securityContext.readOnlyRootFilesystem`: `true` mounts the container's root filesystem
   * read-only. No Pod Security check reads it (it is not part of any level).
   * @default - unset (writable root filesystem)
   */
  readonly readOnlyRootFilesystem?: boolean;
}

/**
 * One namespaced kernel parameter set for the pod, an entry of
 * `spec.securityContext.sysctls`.
 */
export interface Sysctl {
  /**
   * The sysctl's name, e.g. `net.ipv4.ip_local_port_range`. Baseline (`sysctls`) allows only the
   * safe set of the policy version: kernel.shm_rmid_forced, net.ipv4.ip_local_port_range,
   * net.ipv4.tcp_syncookies, net.ipv4.ping_group_range and net.ipv4.ip_unprivileged_port_start;
   * from v1.27 net.ipv4.ip_local_reserved_ports; from v1.29 net.ipv4.tcp_keepalive_time,
   * tcp_fin_timeout, tcp_keepalive_intvl and tcp_keepalive_probes; from v1.32 net.ipv4.tcp_rmem
   * and tcp_wmem. An entry without a name fails.
   * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/
   * @default - unset (fails baseline)
   */
  readonly name?: string;
  /**
   * The value to set, as a string (e.g. `"1024 65535"`). No check reads it.
   * @default - unset
   */
  readonly value?: string;
}

/** `spec.securityContext`. */
export interface PodSecurityContext extends CommonSecurityContext {
  /**
   * `spec.securityContext.fsGroup`: a supplementary GID applied to all containers, which also
   * owns the files of volumes that support ownership management. No Pod Security check reads it.
   * @default - unset
   */
  readonly fsGroup?: number;
  /**
   * `spec.securityContext.fsGroupChangePolicy`: `OnRootMismatch` or `Always`, when the kubelet
   * changes volume ownership to `fsGroup`. No check reads it.
   * @default - unset (Kubernetes applies `Always`)
   */
  readonly fsGroupChangePolicy?: string;
  /**
   * `spec.securityContext.supplementalGroups`: more GIDs added to every container's first process.
   * No Pod Security check reads them.
   * @default - none
   */
  readonly supplementalGroups?: readonly number[];
  /**
   * `spec.securityContext.sysctls`: namespaced kernel parameters set for the pod. Each name must be
   * in the baseline `sysctls` check's safe set; see {@link Sysctl}.
   * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/
   * @default - none
   */
  readonly sysctls?: readonly Sysctl[];
}

/** A port a container exposes, an entry of `containers[*].ports`. */
export interface ContainerPort {
  /**
   * `ports[*].name`: an IANA service name (at most 15 characters) that probes and Services can
   * refer to instead of the number. No check reads it.
   * @default - unset
   */
  readonly name?: string;
  /**
   * `ports[*].containerPort`: the port number on the pod's IP, 1 to 65535. No check reads it.
   * @default - unset (required by Kubernetes)
   */
  readonly containerPort?: number;
  /**
   * `ports[*].hostPort`: a port number opened on the node that forwards to this port. Baseline
   * (`hostPorts`) requires it unset or `0` in every container (init and ephemeral included).
   * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/
   * @default - unset (no host port)
   */
  readonly hostPort?: number;
  /**
   * `ports[*].hostIP`: the node address the host port binds to. No check reads it.
   * @default - unset
   */
  readonly hostIP?: string;
  /**
   * `ports[*].protocol`: `TCP`, `UDP` or `SCTP`. No check reads it.
   * @default - unset (Kubernetes applies `TCP`)
   */
  readonly protocol?: string;
}

/** An HTTP GET request a probe or lifecycle hook sends (`httpGet`). */
export interface HTTPGetAction {
  /**
   * `httpGet.host`: the host to connect to instead of the pod's IP. Baseline
   * (`hostProbesAndHostLifecycle`, policy v1.34 and later) requires it unset or `""` in every
   * probe and lifecycle hook, so a container cannot make the kubelet reach another host.
   * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/
   * @default - unset (the pod's IP)
   */
  readonly host?: string;
  /**
   * `httpGet.path`: the HTTP path requested, e.g. `/healthz`. No check reads it.
   * @default - unset
   */
  readonly path?: string;
  /**
   * `httpGet.port`: a port number (1 to 65535) or the name of a container port. No check reads it.
   * @default - unset (required by Kubernetes)
   */
  readonly port?: number | string;
  /**
   * `httpGet.scheme`: `HTTP` or `HTTPS`. No check reads it.
   * @default - unset (Kubernetes applies `HTTP`)
   */
  readonly scheme?: string;
}

/** A TCP connection a probe or lifecycle hook opens (`tcpSocket`). */
export interface TCPSocketAction {
  /**
   * `tcpSocket.host`: the host to connect to instead of the pod's IP. Baseline
   * (`hostProbesAndHostLifecycle`, policy v1.34 and later) requires it unset or `""`.
   * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/
   * @default - unset (the pod's IP)
   */
  readonly host?: string;
  /**
   * `tcpSocket.port`: a port number (1 to 65535) or the name of a container port. No check reads it.
   * @default - unset (required by Kubernetes)
   */
  readonly port?: number | string;
}

/** The handler fields shared by probes and lifecycle hooks that can name a host. */
export interface NetworkHandler {
  /**
   * An HTTP GET against the container; the `hostProbesAndHostLifecycle` check reads its
   * `host`. See {@link HTTPGetAction}.
   * @default - unset
   */
  readonly httpGet?: HTTPGetAction;
  /**
   * A TCP connection to the container; the `hostProbesAndHostLifecycle` check reads its
   * `host`. See {@link TCPSocketAction}.
   * @default - unset
   */
  readonly tcpSocket?: TCPSocketAction;
}

/**
 * A liveness, readiness or startup probe of a container. Only `httpGet.host` and
 * `tcpSocket.host` are checked (baseline `hostProbesAndHostLifecycle`, from policy v1.34).
 */
export interface Probe extends NetworkHandler {
  /**
   * `exec.command`: a command run inside the container; exit status 0 is success. No check
   * reads it.
   * @default - unset
   */
  readonly exec?: { readonly command?: readonly string[] };
  /**
   * `grpc`: a gRPC health check on `port` (the gRPC health-checking protocol), for the
   * `service` named. It names no host, so no check reads it.
   * @default - unset
   */
  readonly grpc?: { readonly port?: number; readonly service?: string };
  /**
   * Seconds after the container starts before the first probe. No check reads it.
   * @default - unset (no delay)
   */
  readonly initialDelaySeconds?: number;
  /**
   * Seconds between probes, at least 1. No check reads it.
   * @default - unset (Kubernetes applies 10)
   */
  readonly periodSeconds?: number;
  /**
   * Seconds before a probe times out, at least 1. No check reads it.
   * @default - unset (Kubernetes applies 1)
   */
  readonly timeoutSeconds?: number;
  /**
   * Consecutive successes after a failure before the probe counts as passing (must be 1 for
   * liveness and startup probes). No check reads it.
   * @default - unset (Kubernetes applies 1)
   */
  readonly successThreshold?: number;
  /**
   * Consecutive failures before the probe counts as failed. No check reads it.
   * @default - unset (Kubernetes applies 3)
   */
  readonly failureThreshold?: number;
}

/**
 * What a lifecycle hook (`postStart` or `preStop`) runs. Only `httpGet.host` and
 * `tcpSocket.host` are checked (baseline `hostProbesAndHostLifecycle`, from policy v1.34).
 */
export interface LifecycleHandler extends NetworkHandler {
  /**
   * `exec.command`: a command run inside the container. No check reads it.
   * @default - unset
   */
  readonly exec?: { readonly command?: readonly string[] };
  /**
   * `sleep.seconds`: how long the hook waits before it returns. No check reads it.
   * @default - unset
   */
  readonly sleep?: { readonly seconds?: number };
}

/** A container's lifecycle hooks, `containers[*].lifecycle`. */
export interface Lifecycle {
  /**
   * `lifecycle.postStart`: the hook run right after the container is created. Its `httpGet.host`
   * and `tcpSocket.host` must be unset or `""` (baseline, from policy v1.34).
   * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/
   * @default - unset
   */
  readonly postStart?: LifecycleHandler;
  /**
   * `lifecycle.preStop`: the hook run before the container is terminated. Its `httpGet.host` and
   * `tcpSocket.host` must be unset or `""` (baseline, from policy v1.34).
   * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/
   * @default - unset
   */
  readonly preStop?: LifecycleHandler;
}

/**
 * A container of a pod: an entry of `spec.containers`, `spec.initContainers` or (as
 * {@link EphemeralContainer}) `spec.ephemeralContainers`. Every check that reads containers reads
 * all three lists.
 */
export interface Container {
  /**
   * `containers[*].name`: the container's name, unique in the pod. Read only for a policy version
   * before v1.19, to find its `container.seccomp.security.alpha.kubernetes.io/<name>` annotation.
   * @default - unset (required by Kubernetes)
   */
  readonly name?: string;
  /**
   * `containers[*].image`: the container image reference. No check reads it.
   * @default - unset
   */
  readonly image?: string;
  /**
   * `containers[*].ports`: the ports the container exposes; baseline (`hostPorts`) reads each
   * `hostPort`. See {@link ContainerPort}.
   * @default - none
   */
  readonly ports?: readonly ContainerPort[];
  /**
   * `containers[*].securityContext`: the container's security settings, which take precedence
   * over the pod's. Most checks read it; see {@link SecurityContext}.
   * @default - unset (fails restricted for a Linux pod: `allowPrivilegeEscalation` and `capabilities.drop` have no pod-level field)
   */
  readonly securityContext?: SecurityContext;
  /**
   * `containers[*].livenessProbe`: restarts the container when it fails. Its host fields are
   * checked; see {@link Probe}.
   * @default - unset
   */
  readonly livenessProbe?: Probe;
  /**
   * `containers[*].readinessProbe`: takes the pod out of Service endpoints while it fails. Its
   * host fields are checked; see {@link Probe}.
   * @default - unset
   */
  readonly readinessProbe?: Probe;
  /**
   * `containers[*].startupProbe`: holds the other probes until it first succeeds. Its host
   * fields are checked; see {@link Probe}.
   * @default - unset
   */
  readonly startupProbe?: Probe;
  /**
   * `containers[*].lifecycle`: the `postStart` and `preStop` hooks. Their host fields are
   * checked; see {@link Lifecycle}.
   * @default - unset
   */
  readonly lifecycle?: Lifecycle;
}

/**
 * A debugging container added to a running pod (`spec.ephemeralContainers`, e.g. by
 * `kubectl debug`). Pod Security checks it like any other container.
 */
export interface EphemeralContainer extends Container {
  /**
   * `ephemeralContainers[*].targetContainerName`: the container whose namespaces (process
   * namespace in particular) this one joins. No check reads it.
   * @default - unset (the namespaces configured in the pod spec)
   */
  readonly targetContainerName?: string;
}

/**
 * A pod volume: its `name` plus exactly one volume source key (`configMap`, `hostPath`, `nfs`,
 * ...). Sources are kept as `unknown` because only which key is set matters.
 */
export interface Volume {
  /**
   * `volumes[*].name`: the volume's name, which containers' `volumeMounts` refer to. Not a
   * volume source: the `restrictedVolumes` check skips it.
   * @default - unset (required by Kubernetes)
   */
  readonly name?: string;
  /**
   * `volumes[*].hostPath`: a file or directory of the node mounted into the pod. Baseline
   * (`hostPathVolumes`) and restricted (`restrictedVolumes`) both refuse any hostPath volume.
   * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/
   * @default - unset
   */
  readonly hostPath?: { readonly path?: string; readonly type?: string };
  readonly [source: string]: unknown;
}

/** `spec.os`: the operating system the pod's containers need. */
export interface PodOS {
  /** `spec.os.name`: `linux` or `windows`; from Kubernetes 1.25 restricted skips its Linux-only checks for `windows`. @default - unset (Linux checks apply) */
  readonly name?: string;
}

/**
 * A pod's `spec`, as far as Pod Security reads it: host namespaces, the pod security context,
 * the three container lists and the volumes.
 */
export interface PodSpec {
  /**
   * `spec.hostNetwork`: `true` puts the pod in the node's network namespace. Baseline
   * (`hostNamespaces`) requires it unset or `false`.
   * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/
   * @default - unset (the pod's own network namespace)
   */
  readonly hostNetwork?: boolean;
  /**
   * `spec.hostPID`: `true` shares the node's process namespace. Baseline (`hostNamespaces`)
   * requires it unset or `false`.
   * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/
   * @default - unset (the pod's own process namespace)
   */
  readonly hostPID?: boolean;
  /**
   * `spec.hostIPC`: `true` shares the node's IPC namespace. Baseline (`hostNamespaces`) requires
   * it unset or `false`.
   * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/
   * @default - unset (the pod's own IPC namespace)
   */
  readonly hostIPC?: boolean;
  /**
   * `spec.hostUsers`: `false` runs the pod in a user namespace, which from Kubernetes 1.35 exempts
   * it from the `procMount` (baseline) and `runAsNonRoot`/`runAsUser` (restricted) checks.
   * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/
   * @default - unset (the node's user namespace)
   */
  readonly hostUsers?: boolean;
  /**
   * `spec.os`: `name: windows` exempts the pod from `allowPrivilegeEscalation`,
   * `capabilities_restricted` and `seccompProfile_restricted` for policy v1.25 and later.
   * See {@link PodOS}.
   * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/
   * @default - unset (checked as a Linux pod)
   */
  readonly os?: PodOS;
  /**
   * `spec.securityContext`: settings for every container of the pod (a container's own value
   * takes precedence), plus sysctls and volume ownership. See {@link PodSecurityContext}.
   * @default - unset (restricted then needs `runAsNonRoot` and `seccompProfile` in every container)
   */
  readonly securityContext?: PodSecurityContext;
  /**
   * `spec.initContainers`: containers run to completion, in order, before the others start.
   * Checked like regular containers. See {@link Container}.
   * @default - none
   */
  readonly initContainers?: readonly Container[];
  /**
   * `spec.containers`: the pod's application containers. See {@link Container}.
   * @default - none (Kubernetes requires at least one)
   */
  readonly containers?: readonly Container[];
  /**
   * `spec.ephemeralContainers`: debugging containers added to a running pod. Checked like
   * regular containers. See {@link EphemeralContainer}.
   * @default - none
   */
  readonly ephemeralContainers?: readonly EphemeralContainer[];
  /**
   * `spec.volumes`: the pod's volumes. Baseline refuses `hostPath`; restricted allows only
   * configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected
   * and secret. See {@link Volume}.
   * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/
   * @default - none
   */
  readonly volumes?: readonly Volume[];
}

/** A pod template (`{metadata, spec}`), as found in workloads. */
export interface PodTemplateSpec {
  /**
   * The pod's `metadata`; the evaluator reads its annotations (AppArmor, pre-1.19 seccomp).
   * See {@link ObjectMeta}.
   * @default - unset (no annotations)
   */
  readonly metadata?: ObjectMeta;
  /**
   * The pod's `spec`, which every check reads. See {@link PodSpec}.
   * @default - unset (inside a workload, `evaluatePodSecurity` throws a `ValidationError`; a
   * top-level object without `spec` is read as a bare PodSpec)
   */
  readonly spec?: PodSpec;
}

/**
 * A Pod object (`apiVersion: v1`, `kind: Pod`), checked by `evaluatePodSecurity` through its
 * `metadata` and `spec`.
 */
export interface Pod extends PodTemplateSpec {
  /**
   * The object's `apiVersion`, `v1` for a Pod. The evaluator does not read it.
   * @default - unset
   */
  readonly apiVersion?: string;
  /**
   * The object's `kind`, `Pod`. The evaluator does not read it for a pod: an object with a
   * `spec`, no pod template and no workload kind is checked as a pod.
   * @default - unset
   */
  readonly kind?: string;
}

/** Deployment, DaemonSet, StatefulSet, Job, ReplicaSet (`spec.template`) or CronJob (`spec.jobTemplate.spec.template`). */
export interface Workload {
  /**
   * The workload's `apiVersion`, e.g. `apps/v1` or `batch/v1`. The evaluator does not read it.
   * @default - unset
   */
  readonly apiVersion?: string;
  /**
   * The workload's `kind`, e.g. `Deployment` or `CronJob`. Read only when no pod template is
   * found: a Deployment, DaemonSet, StatefulSet, ReplicaSet, ReplicationController, Job or
   * CronJob without one makes `evaluatePodSecurity` throw instead of passing vacuously.
   * @default - unset
   */
  readonly kind?: string;
  /**
   * The workload's own `metadata`. The evaluator does not read it: annotations count on the pod
   * template (`spec.template.metadata`).
   * @default - unset
   */
  readonly metadata?: ObjectMeta;
  /**
   * The workload's `spec`, which carries the pod template. See {@link WorkloadSpec}.
   * @default - unset
   */
  readonly spec?: WorkloadSpec;
}

/** A workload's `spec`, as far as it leads to the pod template. */
export interface WorkloadSpec {
  /**
   * `spec.template`: the pod template of a Deployment, DaemonSet, StatefulSet, Job, ReplicaSet or
   * ReplicationController. Findings are reported under `spec.template.spec...`.
   * @default - unset
   */
  readonly template?: PodTemplateSpec;
  /**
   * `spec.jobTemplate`: a CronJob's Job template; its `spec.template` is the pod template that is
   * checked (found first when both are set). Findings are reported under
   * `spec.jobTemplate.spec.template.spec...`.
   * @default - unset
   */
  readonly jobTemplate?: {
    readonly metadata?: ObjectMeta;
    readonly spec?: { readonly template?: PodTemplateSpec };
  };
}
