/**
 * The securityContext values of the Karpenter Helm release: what makes the controller pod pass the
 * Pod Security Standards `restricted` profile, so its namespace can enforce `restricted`.
 *
 * What the 1.14.1 chart does with them (charts/karpenter/templates/deployment.yaml, tag v1.14.1):
 * - `podSecurityContext` is copied whole into the pod's `spec.securityContext`;
 * - the controller container's securityContext is written in the template (`runAsNonRoot`,
 *   `runAsUser`/`runAsGroup` 65532, `allowPrivilegeEscalation: false`, `capabilities.drop: [ALL]`,
 *   `readOnlyRootFilesystem`, `privileged: false`); only `appArmorProfile`, `seLinuxOptions` and
 *   `seccompProfile` are taken from `controller.securityContext`, one by one, and any other key
 *   there is dropped;
 * - `hostNetwork: true` adds `spec.hostNetwork`.
 *
 * The chart defaults already pass `restricted` (pod seccomp `RuntimeDefault`, container
 * `runAsNonRoot`); these values pin that down so a chart default changing cannot loosen it
 * unnoticed, and add the pod-level `runAsNonRoot` and ids for any sidecar or init container a
 * user adds. Pure: no cdktf.
 */
import { JsonObject } from '../../core/yaml';

/** The user and group the controller image runs as (the chart's container securityContext). */
export const KARPENTER_CONTROLLER_UID = 65532;

/**
 * The Karpenter release values that set its security: merge them into the release values (a
 * Helm-style deep merge; the keys do not overlap with `settings`, `replicas` or `controller.env`).
 *
 * - `podSecurityContext`: non-root with the image's ids, `fsGroup` as the chart default, seccomp
 *   `RuntimeDefault`.
 * - `controller.securityContext.seccompProfile`: `RuntimeDefault` on the container too (the chart
 *   default is `{}`, leaving it to the pod).
 * - `hostNetwork: false`: with Cilium in ENI mode pods have VPC addresses that the EKS control
 *   plane reaches, so the controller needs no host network (the chart's comment "required when
 *   using a custom CNI" is about overlay CNIs).
 */
export function karpenterSecurityValues(): JsonObject {
  return {
    podSecurityContext: {
      runAsNonRoot: true,
      runAsUser: KARPENTER_CONTROLLER_UID,
      runAsGroup: KARPENTER_CONTROLLER_UID,
      fsGroup: KARPENTER_CONTROLLER_UID,
      seccompProfile: { type: 'RuntimeDefault' },
    },
    controller: {
      securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
    },
    hostNetwork: false,
  };
}
