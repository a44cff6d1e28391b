/**
 * The Pod Security Standards exemptions of the components the project installs, in code, so the
 * tests can hold the configuration to them both ways: a finding no exemption covers fails, and an
 * exemption that no finding needs any more fails too.
 *
 * An exemption is a (component, check) pair with the reason it cannot be met. It does not relax
 * anything in the cluster: these components run in `kube-system`, which stays `privileged` (see
 * `KUBE_SYSTEM_PSS_EXCEPTION` in constructs/pss-namespace.ts); the list documents why each
 * one would not pass `restricted`, and keeps that set from growing unnoticed.
 */
import { ValidationError } from '../errors';
import { PSS_COMPONENTS } from './components';
import { PSS_CHECK_IDS, PssCheckId, PssFinding } from './evaluate';

/** One documented reason why a component fails one check. */
export interface PssExemption {
  /** Workload name, as in `ComponentPodTemplate.component`. */
  readonly component: string;
  /** The check it fails. */
  readonly check: PssCheckId;
  /** Why it cannot pass, and what would remove the exemption. */
  readonly reason: string;
}

/** The findings of one component. */
export interface ComponentFindings {
  /** Workload name. */
  readonly component: string;
  /** What `evaluatePodSecurity` returned for its pod template. */
  readonly findings: readonly PssFinding[];
}

const OPERATOR_HOST_NETWORK =
  'ENI mode: the operator allocates the ENIs and addresses every other pod needs, so it must run before any pod network exists; ' +
  'only hostNetwork makes that possible (chart default operator.hostNetwork: true, facts.md "Cilium in ENI mode")';

/** Every exemption the project's components need at `restricted`, with its reason. */
export const PSS_EXEMPTIONS: readonly PssExemption[] = Object.freeze([
  { component: PSS_COMPONENTS.ciliumOperator, check: 'hostNamespaces', reason: OPERATOR_HOST_NETWORK },
  {
    component: PSS_COMPONENTS.ciliumOperator,
    check: 'hostPorts',
    reason:
      'follows from hostNetwork: with operator.hostNetwork the chart template publishes the health port 9234 and the metrics port ' +
      '(operator.prometheus.port, 9963) as hostPorts; on the host network they are host sockets either way, and no value removes them',
  },
  {
    component: PSS_COMPONENTS.ciliumOperator,
    check: 'hostProbesAndHostLifecycle',
    reason:
      'follows from hostNetwork: with operator.hostNetwork the chart template points the liveness and readiness probes at host ' +
      '127.0.0.1 (the operator listens on the node loopback); no value removes it',
  },
  {
    component: PSS_COMPONENTS.hubbleCertgen,
    check: 'runAsNonRoot',
    reason:
      "the chart's certgen Job/CronJob pod writes its securityContext in the template (seccomp RuntimeDefault, drop ALL, no privilege " +
      'escalation) with no values key for runAsNonRoot in chart 1.19.6; it passes every other restricted check',
  },
  // The log shipper (constructs/log-shipping): it runs in its own namespace `log-shipping`, whose
  // level is `privileged` because no lower level admits hostPath volumes (see LOG_SHIPPER_PSS_EXCEPTION).
  {
    component: PSS_COMPONENTS.logShipper,
    check: 'restrictedVolumes',
    reason:
      'it reads the Hubble flow file and the Tetragon event file, which exist only on the node (/var/run/cilium/hubble, ' +
      '/var/run/cilium/tetragon, read-only), and keeps its read positions on the node (/var/lib/cilium-eks-log-shipper) ' +
      'so a restart neither loses nor repeats lines: three hostPath volumes, which baseline already forbids',
  },
  {
    component: PSS_COMPONENTS.logShipper,
    check: 'runAsNonRoot',
    reason:
      'the export files are root\'s with mode 600 (tetragon.exportFilePerm "600", chart 1.7.0 default; the Cilium agent writes ' +
      'the flow file as root): only uid 0 can read them without a capability; the container drops every capability instead',
  },
  {
    component: PSS_COMPONENTS.logShipper,
    check: 'runAsUser',
    reason: 'the same as runAsNonRoot: runAsUser 0 is set explicitly, so the image cannot pick another user',
  },
  // The EBS CSI driver (EKS add-on aws-ebs-csi-driver, core/pss/components.ts ebsCsiPodTemplates):
  // kube-system, its pods as the add-on ships them (the project sets no add-on configuration).
  {
    component: PSS_COMPONENTS.ebsCsiController,
    check: 'capabilities_restricted',
    reason:
      'the add-on\'s containers set no capabilities.drop (chart 2.64.0 controller.containerSecurityContext and sidecar securityContexts); ' +
      'they run as uid 1000 with no privilege escalation and a read-only root. Setting it needs add-on configuration keys the project has not verified in the add-on schema',
  },
  {
    component: PSS_COMPONENTS.ebsCsiController,
    check: 'seccompProfile_restricted',
    reason: 'the liveness-probe sidecar sets no seccomp profile and the pod none either (chart 2.64.0 sidecars.livenessProbe.securityContext); every other container sets RuntimeDefault',
  },
  ...(['allowPrivilegeEscalation', 'capabilities_restricted', 'privileged', 'runAsNonRoot', 'runAsUser', 'seccompProfile_restricted', 'restrictedVolumes'] as const).map((check) => ({
    component: PSS_COMPONENTS.ebsCsiNode,
    check,
    reason:
      'the node plugin formats and mounts EBS block devices for the kubelet: a privileged container as uid 0 (it binds the kubelet\'s plugin ' +
      'and registration sockets) with host paths to /var/lib/kubelet, /dev and the SELinux files (chart 2.64.0 node values, "The node pod must ' +
      'be run as root to bind to the registration/driver sockets"); no Pod Security level below privileged admits it',
  })),
] satisfies PssExemption[]);

/** Throws unless every exemption names a known check and has a reason. */
export function validateExemptions(exemptions: readonly PssExemption[]): void {
  exemptions.forEach((e, i) => {
    if (!(e.check in PSS_CHECK_IDS)) {
      throw new ValidationError(`exemptions[${i}].check`, e.check, Object.keys(PSS_CHECK_IDS).join(', '));
    }
    if (typeof e.component !== 'string' || e.component.trim() === '') {
      throw new ValidationError(`exemptions[${i}].component`, e.component, 'a workload name');
    }
    if (typeof e.reason !== 'string' || e.reason.trim() === '') {
      throw new ValidationError(`exemptions[${i}].reason`, e.reason, 'a non-empty reason');
    }
  });
}

function covers(e: PssExemption, component: string, check: PssCheckId): boolean {
  return e.component === component && e.check === check;
}

/** The findings of `component` that no exemption covers: each one is a new violation. */
export function unexemptedFindings(
  component: string,
  findings: readonly PssFinding[],
  exemptions: readonly PssExemption[] = PSS_EXEMPTIONS,
): PssFinding[] {
  return findings.filter((f) => !exemptions.some((e) => covers(e, component, f.check)));
}

/**
 * The exemptions that no finding in `results` needs any more: their component was not evaluated,
 * or it no longer fails that check. Each one should be deleted.
 */
export function staleExemptions(
  results: readonly ComponentFindings[],
  exemptions: readonly PssExemption[] = PSS_EXEMPTIONS,
): PssExemption[] {
  return exemptions.filter((e) => !results.some((r) => r.findings.some((f) => covers(e, r.component, f.check))));
}
