/**
 * The parts of the Kubernetes core/v1 and workload shapes that the Pod Security Standards
 * evaluator reads. Every field is optional, as in the Kubernetes API; fields the checks never
 * read are left out, and objects may carry more than is declared here.
 */

/** `metadata` of any object; only the annotations are read (AppArmor and pre-1.19 seccomp). */
export interface ObjectMeta {
  readonly name?: string;
  readonly namespace?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

export interface Capabilities {
  readonly add?: readonly string[];
  readonly drop?: readonly string[];
}

export interface SELinuxOptions {
  readonly user?: string;
  readonly role?: string;
  readonly type?: string;
  readonly level?: string;
}

/** `type` is `RuntimeDefault`, `Localhost` or `Unconfined`. */
export interface SeccompProfile {
  readonly type?: string;
  readonly localhostProfile?: string;
}

/** `type` is `RuntimeDefault`, `Localhost` or `Unconfined`. */
export interface AppArmorProfile {
  readonly type?: string;
  readonly localhostProfile?: string;
}

export interface WindowsSecurityContextOptions {
  readonly gmsaCredentialSpecName?: string;
  readonly gmsaCredentialSpec?: string;
  readonly runAsUserName?: string;
  readonly hostProcess?: boolean;
}

/** Fields a pod-level and a container-level security context have in common. */
export interface CommonSecurityContext {
  readonly appArmorProfile?: AppArmorProfile;
  readonly runAsGroup?: number;
  readonly runAsNonRoot?: boolean;
  readonly runAsUser?: number;
  readonly seLinuxOptions?: SELinuxOptions;
  readonly seccompProfile?: SeccompProfile;
  readonly windowsOptions?: WindowsSecurityContextOptions;
}

/** A container's `securityContext`. */
export interface SecurityContext extends CommonSecurityContext {
  readonly allowPrivilegeEscalation?: boolean;
  readonly capabilities?: Capabilities;
  readonly privileged?: boolean;
  /** `Default` or `Unmasked`. */
  readonly procMount?: string;
  readonly readOnlyRootFilesystem?: boolean;
}

export interface Sysctl {
  readonly name?: string;
  readonly value?: string;
}

/** `spec.securityContext`. */
export interface PodSecurityContext extends CommonSecurityContext {
  readonly fsGroup?: number;
  readonly fsGroupChangePolicy?: string;
  readonly supplementalGroups?: readonly number[];
  readonly sysctls?: readonly Sysctl[];
}

export interface ContainerPort {
  readonly name?: string;
  readonly containerPort?: number;
  readonly hostPort?: number;
  readonly hostIP?: string;
  readonly protocol?: string;
}

export interface HTTPGetAction {
  readonly host?: string;
  readonly path?: string;
  readonly port?: number | string;
  readonly scheme?: string;
}

export interface TCPSocketAction {
  readonly host?: string;
  readonly port?: number | string;
}

/** The handler fields shared by probes and lifecycle hooks that can name a host. */
export interface NetworkHandler {
  readonly httpGet?: HTTPGetAction;
  readonly tcpSocket?: TCPSocketAction;
}

export interface Probe extends NetworkHandler {
  readonly exec?: { readonly command?: readonly string[] };
  readonly grpc?: { readonly port?: number; readonly service?: string };
  readonly initialDelaySeconds?: number;
  readonly periodSeconds?: number;
  readonly timeoutSeconds?: number;
  readonly successThreshold?: number;
  readonly failureThreshold?: number;
}

export interface LifecycleHandler extends NetworkHandler {
  readonly exec?: { readonly command?: readonly string[] };
  readonly sleep?: { readonly seconds?: number };
}

export interface Lifecycle {
  readonly postStart?: LifecycleHandler;
  readonly preStop?: LifecycleHandler;
}

export interface Container {
  readonly name?: string;
  readonly image?: string;
  readonly ports?: readonly ContainerPort[];
  readonly securityContext?: SecurityContext;
  readonly livenessProbe?: Probe;
  readonly readinessProbe?: Probe;
  readonly startupProbe?: Probe;
  readonly lifecycle?: Lifecycle;
}

export interface EphemeralContainer extends Container {
  readonly targetContainerName?: string;
}

/**
 * A pod volume: its `name` plus exactly one volume source key (`configMap`, `hostPath`, `nfs`,
 * ...). Sources are kept as `unknown` because only which key is set matters.
 */
export interface Volume {
  readonly name?: string;
  readonly hostPath?: { readonly path?: string; readonly type?: string };
  readonly [source: string]: unknown;
}

export interface PodOS {
  /** `linux` or `windows`. */
  readonly name?: string;
}

export interface PodSpec {
  readonly hostNetwork?: boolean;
  readonly hostPID?: boolean;
  readonly hostIPC?: boolean;
  /** `false` runs the pod in a user namespace. */
  readonly hostUsers?: boolean;
  readonly os?: PodOS;
  readonly securityContext?: PodSecurityContext;
  readonly initContainers?: readonly Container[];
  readonly containers?: readonly Container[];
  readonly ephemeralContainers?: readonly EphemeralContainer[];
  readonly volumes?: readonly Volume[];
}

/** A pod template (`{metadata, spec}`), as found in workloads. */
export interface PodTemplateSpec {
  readonly metadata?: ObjectMeta;
  readonly spec?: PodSpec;
}

export interface Pod extends PodTemplateSpec {
  readonly apiVersion?: string;
  readonly kind?: string;
}

/** Deployment, DaemonSet, StatefulSet, Job, ReplicaSet (`spec.template`) or CronJob (`spec.jobTemplate.spec.template`). */
export interface Workload {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: ObjectMeta;
  readonly spec?: WorkloadSpec;
}

export interface WorkloadSpec {
  readonly template?: PodTemplateSpec;
  readonly jobTemplate?: {
    readonly metadata?: ObjectMeta;
    readonly spec?: { readonly template?: PodTemplateSpec };
  };
}
