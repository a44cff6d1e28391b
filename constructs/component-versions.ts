/**
 * Every pinned component of a cluster as data: its version, where the pin comes from, the
 * Kubernetes versions it supports, when its support ends where that has a date, how to see a newer
 * one, and what to do next on a given day. Pure (no construct is made here): the cluster reports
 * its own (`CiliumEksCluster.versionReport`), `npm run versions` prints that report
 * (the project's script), and the tests check every default against every component's range.
 *
 * The default Kubernetes version follows one rule, {@link chooseDefaultKubernetesVersion}: the
 * version in EKS standard support with the longest runway that every default component supports.
 */
import type { IConstruct } from 'constructs';
import { assertDay, EKS_SUPPORT_CALENDAR, SUPPORT_CALENDAR_DATE_CONTEXT, EKS_SUPPORT_CALENDAR_SOURCE, eksSupportStatus, SUPPORT_WARNING_DAYS, utcDay, versionsInStandardSupport, dayNumber } from '../core/eks-support';
import { nextKubernetesVersion, nextStepAdvice } from '../bpf/upgrade';
import { chartVersionsTestedWith, CiliumChartVersion, ciliumTestedKubernetes, DEFAULT_CILIUM_CHART_VERSION, SUPPORTED_KUBERNETES_VERSIONS } from '../bpf/versions';
import { DEFAULT_AL2023_AMI_VERSION, KARPENTER_DEFAULT_VERSION, KARPENTER_KUBERNETES_RANGE, KARPENTER_NEWER_VERSION_COMMAND } from './karpenter/versions';
import { TETRAGON_CHART_VERSION } from './tetragon/values';
import { LOG_SHIPPER_CHART_VERSION } from './log-shipping/values';
import { bool, declare, oneOf, optional, parse, pattern, strict, text, v } from '../core/schema';
import { kubernetesMinor } from '../core/rules';
import { chartVersionSchema } from '../core/versions';

/** The day the calendar is judged on for `scope`: its {@link SUPPORT_CALENDAR_DATE_CONTEXT}, or today (UTC). */
export function supportCalendarDay(scope: IConstruct): string {
  const day = scope.node.tryGetContext(SUPPORT_CALENDAR_DATE_CONTEXT) as unknown;
  if (day === undefined) return utcDay(new Date());
  assertDay(day, `context ${SUPPORT_CALENDAR_DATE_CONTEXT}`);
  return day as string;
}

/** One row of the report. */
export interface ComponentVersion {
  /** What it is, e.g. `Kubernetes (EKS)`, `Cilium chart`. */
  readonly component: string;
  /** The version the cluster runs (pinned, or set in its props). */
  readonly version: string;
  /** Where the pin comes from. */
  readonly source: string;
  /** The Kubernetes versions it supports, as its project states them. @default - none stated */
  readonly kubernetes?: string;
  /** When its support ends, `YYYY-MM-DD`, where that has a date. @default - no dated end */
  readonly supportEnds?: string;
  /** What to do next, on the day the report is for. */
  readonly next: string;
  /** The command that shows whether a newer version exists. */
  readonly newerCommand: string;
}

/** What a cluster runs, as the report needs it. */
export interface StackComponents {
  /**
   * The Kubernetes minor of the control plane (`1.35`), judged against the EKS support calendar and every
   * component's supported range.
   */
  readonly kubernetesVersion: string;
  /** The Cilium chart version the cluster runs (`1.19.6`), one of {@link SUPPORTED_CILIUM_CHART_VERSIONS}. */
  readonly chartVersion: CiliumChartVersion;
  /** Karpenter's chart version. @default - absent when Karpenter is off */
  readonly karpenterVersion?: string;
  /** Whether Tetragon is installed. */
  readonly tetragon: boolean;
  /** Whether the log shipper is installed. */
  readonly logShipper: boolean;
  /** The AL2023 AMI release of the system nodes. */
  readonly amiRelease: string;
  /** The package that answers to `cdktf` (`cdktf`, or `cdktn` under the alias) and its version. */
  readonly toolchain: { readonly name: string; readonly version: string };
}
/** The declaration of {@link StackComponents}. */
export const StackComponentsSchema = declare<StackComponents>()(
  strict(
    {
      kubernetesVersion: kubernetesMinor(),
      chartVersion: chartVersionSchema(),
      karpenterVersion: optional(pattern(/^\d+\.\d+\.\d+$/, 'a Karpenter version such as 1.14.1')),
      tetragon: bool(),
      logShipper: bool(),
      amiRelease: pattern(/^v\d{8}$/, 'an amazon-eks-ami release such as v20261012'),
      toolchain: strict({ name: oneOf(['cdktf', 'cdktn'] as const), version: text('a version') }, 'a toolchain { name, version }') as unknown as v.GenericSchema<{ readonly name: string; readonly version: string }>,
    },
    'stack components { kubernetesVersion, chartVersion, tetragon, logShipper, amiRelease, toolchain, karpenterVersion? }',
  ),
);

/**
 * Kubernetes versions Tetragon's chart states it supports: none published as a tested range; the
 * chart is checked with kubeconform against its minimum supported Kubernetes version, 1.23.0 at
 * tag v1.7.0 (`.github/workflows/lint-helm.yaml`, `MIN_K8S_VERSION`), and against the newest
 * Kubernetes schema. No upper bound is stated.
 */
export const TETRAGON_KUBERNETES_RANGE = Object.freeze({ min: '1.23', source: 'Tetragon v1.7.0 .github/workflows/lint-helm.yaml (MIN_K8S_VERSION 1.23.0; no tested range or upper bound published)' });

/** CDK for Terraform was archived by HashiCorp on this day; 0.21.0 is its last release. */
export const CDKTF_ARCHIVED = '2025-12-10';

const minor = (v: string): number => Number(v.split('.')[1]);
const inRange = (v: string, min: string, max?: string): boolean => minor(v) >= minor(min) && (max === undefined || minor(v) <= minor(max));

/** Why each default component does or does not support `kubernetesVersion` (undefined: it does). */
export function defaultStackExclusions(kubernetesVersion: string): string[] {
  const out: string[] = [];
  if (!SUPPORTED_KUBERNETES_VERSIONS.includes(kubernetesVersion)) out.push('no AL2023 AMI kernel known for it (AL2023_KERNEL_BY_KUBERNETES_VERSION)');
  const cilium = ciliumTestedKubernetes(DEFAULT_CILIUM_CHART_VERSION);
  if (!cilium.versions.includes(kubernetesVersion)) out.push(`Cilium ${DEFAULT_CILIUM_CHART_VERSION} is e2e tested with ${cilium.versions.join(', ')} only (${cilium.source})`);
  if (!inRange(kubernetesVersion, KARPENTER_KUBERNETES_RANGE.min, KARPENTER_KUBERNETES_RANGE.max)) out.push(`Karpenter ${KARPENTER_DEFAULT_VERSION} supports ${KARPENTER_KUBERNETES_RANGE.min} to ${KARPENTER_KUBERNETES_RANGE.max}`);
  if (!inRange(kubernetesVersion, TETRAGON_KUBERNETES_RANGE.min)) out.push(`Tetragon ${TETRAGON_CHART_VERSION} supports ${TETRAGON_KUBERNETES_RANGE.min} and later`);
  return out;
}

/**
 * The rule behind DEFAULT_KUBERNETES_VERSION: of the versions in EKS standard support on `today`
 * (`YYYY-MM-DD`), the one whose standard support ends last among those every default component
 * supports. Returns it with the versions left out and why.
 */
export function chooseDefaultKubernetesVersion(today: string): { version?: string; excluded: Record<string, string[]> } {
  const excluded: Record<string, string[]> = {};
  const candidates = versionsInStandardSupport(today).filter((v) => {
    const why = defaultStackExclusions(v);
    if (why.length > 0) excluded[v] = why;
    return why.length === 0;
  });
  const end = (v: string): number => dayNumber(EKS_SUPPORT_CALENDAR[v].endOfStandardSupport) as number;
  const version = [...candidates].sort((a, b) => end(b) - end(a))[0];
  return { ...(version !== undefined ? { version } : {}), excluded };
}

const HELM_SEARCH = (repo: string, url: string, chart: string, constraint?: string): string =>
  `helm repo add ${repo} ${url} && helm search repo ${repo}/${chart} --versions${constraint ? ` --version '${constraint}'` : ''}`;

function kubernetesRow(s: StackComponents, today: string): ComponentVersion {
  const status = eksSupportStatus(s.kubernetesVersion, today);
  const dates = EKS_SUPPORT_CALENDAR[s.kubernetesVersion];
  const advice = nextStepAdvice(s.kubernetesVersion, s.chartVersion);
  let next: string;
  switch (status?.phase) {
    case 'standard': {
      const warnFrom = new Date(((dayNumber(dates.endOfStandardSupport) as number) - SUPPORT_WARNING_DAYS) * 86_400_000).toISOString().slice(0, 10);
      next = `in standard support for ${status.daysLeft} more days; the synth warns from ${warnFrom}. Then: ${advice}`;
      break;
    }
    case 'standard-ending':
      next = `standard support ends in ${status.daysLeft} days, then extended support is billed per cluster-hour: ${advice}`;
      break;
    case 'extended':
      next = `in extended support (billed per cluster-hour) until ${dates.endOfExtendedSupport}: ${advice}`;
      break;
    default:
      next = `past extended support since ${dates.endOfExtendedSupport}: not deployable; EKS upgrades such a cluster itself. Set kubernetesVersion to ${nextKubernetesVersion(s.kubernetesVersion) ?? 'a supported version'}`;
  }
  return {
    component: 'Kubernetes (EKS)',
    version: s.kubernetesVersion,
    source: EKS_SUPPORT_CALENDAR_SOURCE,
    supportEnds: status?.phase === 'standard' || status?.phase === 'standard-ending' ? dates.endOfStandardSupport : dates.endOfExtendedSupport,
    next,
    newerCommand: "aws eks describe-cluster-versions --query 'clusterVersions[].[clusterVersion,versionStatus,endOfStandardSupportDate,endOfExtendedSupportDate]' --output table",
  };
}

/** The report of one cluster's components on `today` (`YYYY-MM-DD`). */
export function componentVersionReport(s: StackComponents, today: string): ComponentVersion[] {
  parse(StackComponentsSchema, s, 'componentVersionReport(s)');
  const line = s.chartVersion.split('.').slice(0, 2).join('.');
  const tested = ciliumTestedKubernetes(s.chartVersion);
  const nextK8s = nextKubernetesVersion(s.kubernetesVersion);
  const newerPatch = 'a newer patch is pinned only with its values.schema.json in the upstream data the tests read (npm run fetch-upstream)';
  const ciliumNext =
    nextK8s !== undefined && !tested.versions.includes(nextK8s)
      ? `before Kubernetes ${nextK8s}: cilium.chartVersion ${chartVersionsTestedWith(nextK8s).join(' or ') || '(none tested yet)'} (one minor per deploy, with cilium.upgradeFrom ${s.chartVersion}); ${newerPatch}`
      : `check for a newer ${line} patch; ${newerPatch}`;
  const rows: ComponentVersion[] = [
    kubernetesRow(s, today),
    {
      component: 'Cilium chart',
      version: s.chartVersion,
      source: `cilium/charts (https://helm.cilium.io), newest ${line}.x whose values.schema.json the tests hold`,
      kubernetes: `${tested.versions.join(', ')} (e2e tested: ${tested.source})`,
      next: ciliumNext,
      newerCommand: HELM_SEARCH('cilium', 'https://helm.cilium.io', 'cilium', `~${line}.0`),
    },
  ];
  if (s.karpenterVersion !== undefined) {
    rows.push({
      component: 'Karpenter',
      version: s.karpenterVersion,
      source: 'aws/karpenter-provider-aws tag v1.14.1 (oci://public.ecr.aws/karpenter/karpenter)',
      kubernetes: `${KARPENTER_KUBERNETES_RANGE.min} to ${KARPENTER_KUBERNETES_RANGE.max} (${KARPENTER_KUBERNETES_RANGE.source})`,
      next: 'check for a newer 1.14 patch; a new version needs its CRDs, values.yaml and CloudFormation in the upstream data',
      newerCommand: KARPENTER_NEWER_VERSION_COMMAND,
    });
  }
  if (s.tetragon) {
    rows.push({
      component: 'Tetragon chart',
      version: TETRAGON_CHART_VERSION,
      source: 'cilium/charts (https://helm.cilium.io), newest Tetragon chart (tag v1.7.0 of cilium/tetragon)',
      kubernetes: `${TETRAGON_KUBERNETES_RANGE.min} and later (${TETRAGON_KUBERNETES_RANGE.source})`,
      next: 'check for a newer chart; a new pin needs its values.yaml and CRDs in the upstream data',
      newerCommand: HELM_SEARCH('cilium', 'https://helm.cilium.io', 'tetragon'),
    });
  }
  if (s.logShipper) {
    rows.push({
      component: 'Fluent Bit chart (aws-for-fluent-bit)',
      version: LOG_SHIPPER_CHART_VERSION,
      source: 'aws/eks-charts stable/aws-for-fluent-bit (https://aws.github.io/eks-charts), newest chart',
      next: 'check for a newer chart; a new pin needs its values.yaml in the upstream data',
      newerCommand: HELM_SEARCH('eks', 'https://aws.github.io/eks-charts', 'aws-for-fluent-bit'),
    });
  }
  rows.push({
    component: 'AL2023 AMI release',
    version: s.amiRelease,
    source: `awslabs/amazon-eks-ami release ${s.amiRelease}${s.amiRelease === DEFAULT_AL2023_AMI_VERSION ? ' (the project default; its existence is not verified offline: check with the command)' : ''}`,
    kubernetes: `${SUPPORTED_KUBERNETES_VERSIONS[0]} to ${SUPPORTED_KUBERNETES_VERSIONS[SUPPORTED_KUBERNETES_VERSIONS.length - 1]} (AL2023 kernels known to the project)`,
    next: 'compare with the newest release EKS recommends; read its CHANGELOG.md entry before moving the pin',
    newerCommand: `aws ssm get-parameter --name /aws/service/eks/optimized-ami/${s.kubernetesVersion}/amazon-linux-2023/x86_64/standard/recommended/release_version --query Parameter.Value --output text`,
  });
  rows.push(
    s.toolchain.name === 'cdktf'
      ? {
          component: 'CDK for Terraform',
          version: `cdktf ${s.toolchain.version}`,
          source: 'npm cdktf (archived by HashiCorp; the last release)',
          supportEnds: CDKTF_ARCHIVED,
          next: 'no further releases: the path forward is CDK Terrain, cdktn (docs/getting-started.md#on-cdk-terrain-cdktn)',
          newerCommand: 'npm view cdktn version peerDependencies',
        }
      : {
          component: 'CDK Terrain',
          version: `${s.toolchain.name} ${s.toolchain.version} (as cdktf)`,
          source: `npm ${s.toolchain.name}, installed under the cdktf alias`,
          next: 'keep the alias and the overrides entry on the same version when you update',
          newerCommand: `npm view ${s.toolchain.name} version peerDependencies`,
        },
  );
  return rows;
}
