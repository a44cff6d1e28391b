/**
 * Upgrades, one safe step at a time: what a version bump of Cilium or Kubernetes is allowed to be,
 * what the Helm values must say during it, and which datapath settings a new node kernel switches
 * in a way running nodes cannot follow. Pure: the constructs call it at synth, and the same
 * one-minor rule runs at plan time in the checks of `PlanGate` against what actually runs.
 *
 * Sources:
 * - [upgrade] Cilium docs, Operations > Upgrade Guide: "The only tested rollback and upgrade path
 *   is between consecutive minor releases"; `upgradeCompatibility` set to the minor being
 *   upgraded from keeps that minor's defaults; the pre-flight DaemonSet pre-pulls the new image.
 * - [values] each chart's values.yaml (`upgradeCompatibility`, `preflight.enabled`, `agent`).
 * - [eks] EKS "Update existing cluster to new Kubernetes version": one minor at a time, no
 *   downgrade; nodes after the control plane.
 * - [tuning] Cilium tuning guide (netkit cannot be switched in place; map settings re-create maps),
 *   as recorded with the datapath settings.
 */
import { ValidationError } from '../core/errors';
import { EKS_SUPPORT_CALENDAR_SOURCE, eksSupportStatus, versionsInStandardSupport, versionsNotEnded } from '../core/eks-support';
import { parseMinor, versionStep } from '../core/version-step';
import { DatapathOptions, DatapathOptionsSchema, resolveDatapathProfile, ResolvedDatapathProfile } from './datapath';
import { bool, declare, optional, parse, strict } from '../core/schema';
import { kubernetesMinor } from '../core/rules';
import { chartVersionSchema } from '../core/versions';
import {
  al2023Kernel,
  assertCiliumChartVersion,
  assertKubernetesVersion,
  chartVersionsTestedWith,
  CiliumChartVersion,
  ciliumTestedKubernetes,
  KernelVersion,
  SUPPORTED_CILIUM_CHART_VERSIONS,
  SUPPORTED_KUBERNETES_VERSIONS,
} from './versions';

/** `1.19` of `1.19.6`. */
export function minorLine(version: string): string {
  const m = /^v?(\d+)\.(\d+)/.exec(version);
  if (!m) throw new Error(`minorLine: ${JSON.stringify(version)} is not a version`);
  return `${m[1]}.${m[2]}`;
}

/** The supported chart version of each Cilium minor, e.g. `{ 19: '1.19.6' }`: what the gate names as the next step. */
export function ciliumVersionOfMinor(): Readonly<Record<number, string>> {
  return Object.fromEntries(SUPPORTED_CILIUM_CHART_VERSIONS.map((v) => [parseMinor(v) as number, v]));
}

/** Each supported Kubernetes minor, e.g. `{ 34: '1.34' }`. */
export function kubernetesVersionOfMinor(): Readonly<Record<number, string>> {
  return Object.fromEntries(SUPPORTED_KUBERNETES_VERSIONS.map((v) => [parseMinor(v) as number, v]));
}

/** Cilium moves one minor at a time, up or down [upgrade]. */
export const CILIUM_STEP_RULE = Object.freeze({ maxForward: 1, maxBackward: 1 });
/** EKS moves one minor at a time and never down [eks]. */
export const KUBERNETES_STEP_RULE = Object.freeze({ maxForward: 1, maxBackward: 0 });

/**
 * Checks a Cilium chart move at synth, when the running version is known (`cilium.upgradeFrom`):
 * throws a {@link ValidationError} naming the version to deploy first. Returns the target.
 */
export function checkCiliumUpgrade(from: string, to: string, property = 'cilium.chartVersion'): CiliumChartVersion {
  const target = assertCiliumChartVersion(to, property);
  const step = versionStep(from, target, CILIUM_STEP_RULE);
  if (step.runningMinor === undefined) throw new ValidationError('cilium.upgradeFrom', from, 'a Cilium chart version such as 1.19.6');
  if (!step.ok) {
    const next = ciliumVersionOfMinor()[step.nextMinor as number] ?? `1.${step.nextMinor}`;
    throw new ValidationError(property, to, `${next} first while ${from} runs (cilium.upgradeFrom)`, 'Cilium upgrades and rollbacks are tested only between consecutive minor releases (Cilium upgrade guide)');
  }
  return target;
}

/** Checks a Kubernetes move at synth (`kubernetesUpgradeFrom`): throws naming the next version. */
export function checkKubernetesUpgrade(from: string, to: string, property = 'kubernetesVersion'): void {
  assertKubernetesVersion(to, property);
  const step = versionStep(from, to, KUBERNETES_STEP_RULE);
  if (step.runningMinor === undefined) throw new ValidationError('kubernetesUpgradeFrom', from, 'a Kubernetes version such as 1.34');
  if (!step.ok) {
    const allowed = (step.nextMinor as number) === step.runningMinor ? `${from} or 1.${step.runningMinor + 1} (EKS cannot downgrade a control plane)` : `1.${step.nextMinor} first while ${from} runs (kubernetesUpgradeFrom)`;
    throw new ValidationError(property, to, allowed, 'EKS updates a control plane one minor version at a time');
  }
}

/**
 * `upgradeCompatibility` for a move from `from` to `to`: the minor upgraded from, while the minor
 * changes [upgrade]; undefined for a patch move, a rollback, or no known previous version.
 */
export function upgradeCompatibilityFor(from: string | undefined, to: CiliumChartVersion): string | undefined {
  if (from === undefined) return undefined;
  const f = parseMinor(from);
  const t = parseMinor(to);
  return f !== undefined && t !== undefined && f < t ? minorLine(from) : undefined;
}

/** Datapath settings a running node cannot take over without consequences ([tuning]). */
export type FixedDatapathSetting = 'netkit' | 'distributedLRU' | 'mapDynamicSizeRatio';
const FIXED_SETTINGS: readonly FixedDatapathSetting[] = ['netkit', 'distributedLRU', 'mapDynamicSizeRatio'];

/** One setting that changes with a kernel bump, and what that does to running pods. */
export interface DatapathUpgradeChange {
  /** The datapath setting that changes (`cilium.datapath.<setting>`): `netkit`, `distributedLRU` or `mapDynamicSizeRatio`. */
  readonly setting: FixedDatapathSetting;
  /** Its value on the old kernel (the profile resolved for `fromKubernetesVersion`). */
  readonly from: boolean | number;
  /** Its value on the new kernel (the profile resolved for `toKubernetesVersion`). */
  readonly to: boolean | number;
  /** What happens to running pods, in one sentence. */
  readonly effect: string;
}

/** What a kernel change means for the datapath of a cluster. */
export interface KernelUpgradeContext {
  /** The datapath options as configured. @default { preset: 'performance' } */
  readonly datapath?: DatapathOptions;
  /** Kubernetes minor the nodes run now, e.g. `1.33`: selects the AL2023 kernel they have (`al2023Kernel`). */
  readonly fromKubernetesVersion: string;
  /** Kubernetes minor after the deploy, e.g. `1.34`: selects the kernel the replaced nodes get. */
  readonly toKubernetesVersion: string;
  /** Chart version after the deploy. */
  readonly chartVersion: CiliumChartVersion;
  /** Whether WireGuard encryption is on (`cilium.wireguard`), which the datapath rules depend on. */
  readonly wireguard: boolean;
}
/** The declaration of {@link KernelUpgradeContext}. */
export const KernelUpgradeContextSchema = declare<KernelUpgradeContext>()(
  strict(
    { datapath: optional(DatapathOptionsSchema), fromKubernetesVersion: kubernetesMinor(), toKubernetesVersion: kubernetesMinor(), chartVersion: chartVersionSchema(), wireguard: bool() },
    'a kernel upgrade context { datapath?, fromKubernetesVersion, toKubernetesVersion, chartVersion, wireguard }',
  ),
);

/**
 * The profile the same options give on the old kernel. A setting the old kernel refuses (netkit on
 * 6.1) was off there: it is set to its off value and the profile resolved again, so what the new
 * kernel turns on shows as a change.
 */
function profileOnOldKernel(options: DatapathOptions, ctx: KernelUpgradeContext): ResolvedDatapathProfile {
  let opts: DatapathOptions = { ...options };
  for (let attempt = 0; ; attempt++) {
    try {
      return resolveDatapathProfile(opts, { kubernetesVersion: ctx.fromKubernetesVersion, chartVersion: ctx.chartVersion, wireguard: ctx.wireguard });
    } catch (e) {
      const setting = e instanceof ValidationError ? /^cilium\.datapath\.(\w+)$/.exec(e.property)?.[1] : undefined;
      if (setting === undefined || attempt > 5 || typeof (opts as Record<string, unknown>)[setting] !== 'boolean') throw e;
      opts = { ...opts, [setting]: false };
    }
  }
}

function kernelName(k: KernelVersion): string {
  return `${k.major}.${k.minor}`;
}

/**
 * The fixed datapath settings that differ between the old and the new kernel for the same options.
 * Empty when the kernel does not change.
 */
export function datapathUpgradeChanges(ctx: KernelUpgradeContext): DatapathUpgradeChange[] {
  parse(KernelUpgradeContextSchema, ctx, 'datapathUpgradeChanges(ctx)');
  const oldKernel = al2023Kernel(ctx.fromKubernetesVersion);
  const newKernel = al2023Kernel(ctx.toKubernetesVersion);
  if (oldKernel.major === newKernel.major && oldKernel.minor === newKernel.minor) return [];
  const options = ctx.datapath ?? {};
  const next = resolveDatapathProfile(options, { kubernetesVersion: ctx.toKubernetesVersion, chartVersion: ctx.chartVersion, wireguard: ctx.wireguard });
  const prev = profileOnOldKernel(options, ctx);
  const changes: DatapathUpgradeChange[] = [];
  for (const setting of FIXED_SETTINGS) {
    const from = prev.settings[setting];
    const to = next.settings[setting];
    if (from === to) continue;
    changes.push({ setting, from, to, effect: effectOf(setting, from, to, oldKernel, newKernel) });
  }
  return changes;
}

function effectOf(setting: FixedDatapathSetting, from: boolean | number, to: boolean | number, oldKernel: KernelVersion, newKernel: KernelVersion): string {
  if (setting === 'netkit') {
    return to
      ? `netkit (kernel >= 6.8) becomes possible on kernel ${kernelName(newKernel)}, but the Cilium release is updated before the nodes are replaced: agents restarted on the old kernel ${kernelName(oldKernel)} nodes are configured for netkit, which that kernel lacks (expect those agents to fail until their node is replaced; unverified), and pods that keep running keep their veth devices. Upgrade Kubernetes with netkit off, then turn it on and replace the nodes.`
      : `netkit is turned off: running pods keep their netkit devices until their node is replaced; mixing device modes on a node is unsupported (Cilium tuning guide). Replace every node after the deploy.`;
  }
  return `${setting} changes from ${String(from)} to ${String(to)}: every agent re-creates its connection-tracking and NAT maps when it restarts with the new release, so established connections through services and NAT lose their state (clients see resets).`;
}

/** Synth warnings for a Kubernetes bump: one line per fixed datapath setting the new kernel changes. */
export function kernelUpgradeWarnings(ctx: KernelUpgradeContext): string[] {
  const oldKernel = kernelName(al2023Kernel(ctx.fromKubernetesVersion));
  const newKernel = kernelName(al2023Kernel(ctx.toKubernetesVersion));
  return datapathUpgradeChanges(ctx).map(
    (c) => `kubernetesVersion ${ctx.fromKubernetesVersion} -> ${ctx.toKubernetesVersion} moves the nodes from kernel ${oldKernel} to ${newKernel} and changes cilium.datapath.${c.setting}: ${c.effect}`,
  );
}

/** The next Kubernetes minor the project accepts after `version`, if any. */
export function nextKubernetesVersion(version: string): string | undefined {
  const minor = parseMinor(version);
  return minor === undefined ? undefined : kubernetesVersionOfMinor()[minor + 1];
}

/**
 * The step to name after `kubernetesVersion`: the next minor, and what the Cilium chart needs for
 * it when its line is not tested there (the chart moves first: the new line is tested with both).
 */
export function nextStepAdvice(kubernetesVersion: string, chartVersion: CiliumChartVersion): string {
  const next = nextKubernetesVersion(kubernetesVersion);
  if (next === undefined) return `no newer Kubernetes version is known to the project yet (update cilium-eks)`;
  const step = `move to ${next} (one minor per deploy: kubernetesVersion ${next} with kubernetesUpgradeFrom ${kubernetesVersion}; docs/day-2.md#kubernetes-one-minor-per-deploy)`;
  if (ciliumTestedKubernetes(chartVersion).versions.includes(next)) return step;
  const charts = chartVersionsTestedWith(next);
  const line = chartVersion.split('.').slice(0, 2).join('.');
  return `${step}, after cilium.chartVersion ${charts.length > 0 ? charts.join(' or ') : '(none supported yet)'} (Cilium ${line} is not e2e tested with ${next})`;
}

/**
 * What the EKS support calendar says of a cluster's Kubernetes version on `today` (`YYYY-MM-DD`):
 * a {@link ValidationError} past extended support (EKS upgrades such a cluster itself); a warning,
 * naming the date and the next version, in extended support (billed per cluster-hour) or within
 * SUPPORT_WARNING_DAYS of it; nothing otherwise. Only the warnings depend on the date given, never
 * what is synthesized.
 */
export function kubernetesSupportWarnings(kubernetesVersion: string, chartVersion: CiliumChartVersion, today: string, property = 'kubernetesVersion'): string[] {
  const status = eksSupportStatus(kubernetesVersion, today);
  if (status === undefined) throw new Error(`EKS_SUPPORT_CALENDAR has no dates for Kubernetes ${kubernetesVersion}`);
  const next = nextStepAdvice(kubernetesVersion, chartVersion);
  switch (status.phase) {
    case 'standard':
      return [];
    case 'standard-ending':
      return [
        `${property} ${kubernetesVersion} leaves EKS standard support on ${status.endOfStandardSupport} (in ${status.daysLeft} days); from then EKS bills extended support per cluster-hour at a higher price (EKS pricing page): ${next}. Source: ${EKS_SUPPORT_CALENDAR_SOURCE}.`,
      ];
    case 'extended':
      return [
        `${property} ${kubernetesVersion} is in EKS extended support since ${status.endOfStandardSupport}, billed per cluster-hour at a higher price than standard support (EKS pricing page), until ${status.endOfExtendedSupport}, when EKS upgrades the cluster itself: ${next}. Source: ${EKS_SUPPORT_CALENDAR_SOURCE}.`,
      ];
    case 'ended': {
      const standard = versionsInStandardSupport(today);
      throw new ValidationError(
        property,
        kubernetesVersion,
        `one of ${versionsNotEnded(today).join(', ')}${standard.length > 0 ? ` (in standard support: ${standard.join(', ')})` : ''}`,
        `EKS extended support of ${kubernetesVersion} ended on ${status.endOfExtendedSupport}; EKS upgrades such a cluster itself (${EKS_SUPPORT_CALENDAR_SOURCE})`,
      );
    }
  }
}
