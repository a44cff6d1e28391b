/**
 * How long the destroy of the node-resources release (EC2NodeClass + NodePools) may take, so that
 * `cdktf destroy` finishes in one run and the Karpenter controller is removed only after every
 * NodeClaim is gone.
 *
 * The chain, each step checked in upstream source (Karpenter v1.14.1 = aws/karpenter-provider-aws
 * tag v1.14.1, kubernetes-sigs/karpenter commit 6e7eab7a0f48 "cherrypicks for v1.14.1"; helm
 * provider v3.1.1 = hashicorp/terraform-provider-helm tag v3.1.1, which builds on helm v3.18.4):
 *
 * 1. Terraform destroys in reverse dependency order. The node-resources release `dependsOn` the
 *    controller release, so it is destroyed first and the controller only after its delete
 *    succeeded.
 * 2. The helm provider's Delete runs `helm uninstall` with `Wait = wait` and `Timeout = timeout`
 *    read from the state (`helm/resource_helm_release.go`, `Delete`), inside a context of
 *    `timeouts.delete` (default 20 minutes).
 * 3. With `Wait`, Helm polls every deleted object with a GET until it is NotFound
 *    (`pkg/kube/wait.go`, `waitForDeletedResources`): an object held by a finalizer counts as
 *    present, so the uninstall waits for finalizers.
 * 4. The EC2NodeClass carries the finalizer `karpenter.k8s.aws/termination`, released only when no
 *    NodeClaim refers to the class (`pkg/controllers/nodeclass/controller.go`, `finalize`); the
 *    controller re-checks on every NodeClaim deletion (its NodeClaim watch), so the wait ends soon
 *    after the last NodeClaim.
 * 5. Deleting a NodePool deletes its NodeClaims through their owner reference
 *    (`blockOwnerDeletion`, `pkg/controllers/provisioning/scheduling/nodeclaimtemplate.go`). Each
 *    NodeClaim then drains its node (respecting PDBs until the NodeClaim's
 *    `terminationGracePeriod`, measured from the deletion, then deleting pods regardless), waits
 *    for volume detachment (also cut off by the grace period), terminates the instance and polls
 *    every 5 s until EC2 no longer lists it as pending/running/stopping/stopped/shutting-down
 *    (`pkg/controllers/node/termination/controller.go`; `pkg/providers/instance/instance.go`).
 * 6. If `helm uninstall` times out it still purges the release record (`pkg/action/uninstall.go`):
 *    Terraform reports the error and keeps the resource, but the next destroy finds no release,
 *    counts it as deleted and removes the controller with instances still running. Hence the
 *    timeout must exceed the worst case, and `npm run predestroy` refuses that second run
 *    (it reports NodeClaims without a NodePool the destroy deletes).
 *
 * So the worst case is: grace period (drain and volume detachment are both cut off by it) +
 * instance termination + finalizer and controller latency. The two allowances are this project's
 * estimates, not upstream figures: EC2 gives no bound on `shutting-down` -> `terminated`.
 */
import { check } from '../../core/errors';

/**
 * Default `terminationGracePeriod` of every NodePool: after one hour a draining node deletes the
 * pods a PodDisruptionBudget still protects. Without it (Karpenter's own default) a drain blocked
 * by a PDB never ends, and neither does the destroy. One hour: long enough for an ordinary rolling
 * drain (drift, expiry, consolidation), short enough for a destroy to end within the same session.
 */
export const DEFAULT_TERMINATION_GRACE_PERIOD = '1h';

/**
 * Allowance for EC2 to take an instance from `shutting-down` to `terminated` after Karpenter's
 * TerminateInstances (Karpenter polls every 5 s). A project estimate: EC2 documents no bound.
 */
export const INSTANCE_TERMINATION_ALLOWANCE_SECONDS = 600;

/**
 * Allowance for the rest of the chain: the garbage collector deleting NodeClaims after their
 * NodePool, Karpenter's retries with back-off, the EC2NodeClass finalizer deleting its instance
 * profile and launch templates. A project estimate.
 */
export const FINALIZER_ALLOWANCE_SECONDS = 300;

/** The node-resources release's timeout never goes below the ManifestRelease default (install/upgrade). */
export const MIN_NODE_RESOURCES_TIMEOUT_SECONDS = 600;

/**
 * Extra time of the Terraform `timeouts.delete` over the Helm timeout, so that Helm's own timeout
 * error (which names the objects still present) is the one the user sees.
 */
export const TERRAFORM_DELETE_TIMEOUT_MARGIN_SECONDS = 300;

/** The duration format of the NodePool CRD (`^([0-9]+(s|m|h))+$`). */
const DURATION = /^([0-9]+(s|m|h))+$/;
const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600 };

/**
 * Seconds of a duration in the NodePool CRD's format (`90s`, `1h30m`), or a
 * {@link ValidationError} naming `property`.
 */
export function durationSeconds(duration: string, property: string): number {
  check(typeof duration === 'string' && DURATION.test(duration), property, duration, 'a duration such as "30m", "1h" or "1h30m" (units s, m, h)');
  let total = 0;
  for (const [, amount, unit] of duration.matchAll(/([0-9]+)(s|m|h)/g)) total += Number(amount) * UNIT_SECONDS[unit];
  return total;
}

/** The worst case of one NodePool's part of the destroy, in seconds, step by step. */
export interface NodePoolDestroyBudget {
  /** Drain and volume detachment, both cut off by the NodeClaim's `terminationGracePeriod`. */
  readonly gracePeriodSeconds: number;
  /** {@link INSTANCE_TERMINATION_ALLOWANCE_SECONDS}. */
  readonly instanceTerminationSeconds: number;
  /** {@link FINALIZER_ALLOWANCE_SECONDS}. */
  readonly finalizerSeconds: number;
  /** The sum: the release timeout must be greater. */
  readonly totalSeconds: number;
}

/** The worst case of the destroy of a NodePool with this `terminationGracePeriod`. */
export function nodePoolDestroyBudget(terminationGracePeriod: string, property = 'terminationGracePeriod'): NodePoolDestroyBudget {
  const gracePeriodSeconds = durationSeconds(terminationGracePeriod, property);
  return {
    gracePeriodSeconds,
    instanceTerminationSeconds: INSTANCE_TERMINATION_ALLOWANCE_SECONDS,
    finalizerSeconds: FINALIZER_ALLOWANCE_SECONDS,
    totalSeconds: gracePeriodSeconds + INSTANCE_TERMINATION_ALLOWANCE_SECONDS + FINALIZER_ALLOWANCE_SECONDS,
  };
}

/**
 * Helm timeout (seconds) of the node-resources release: one second more than the worst case of
 * its slowest NodePool (they drain in parallel), and at least
 * {@link MIN_NODE_RESOURCES_TIMEOUT_SECONDS}.
 */
export function nodeResourcesReleaseTimeoutSeconds(terminationGracePeriods: readonly string[]): number {
  const worst = terminationGracePeriods.reduce((max, g) => Math.max(max, nodePoolDestroyBudget(g).totalSeconds), 0);
  return Math.max(MIN_NODE_RESOURCES_TIMEOUT_SECONDS, worst + 1);
}

/** The release's Terraform `timeouts.delete`, a Go duration: the Helm timeout plus the margin. */
export function nodeResourcesDeleteTimeout(helmTimeoutSeconds: number): string {
  return `${helmTimeoutSeconds + TERRAFORM_DELETE_TIMEOUT_MARGIN_SECONDS}s`;
}
