/**
 * The versions every layer reads: the Cilium chart versions and the Kubernetes versions the
 * project builds for, with the AL2023 kernel of each. Below both `core/pss` (the Pod Security
 * models pin a chart and a policy version) and `bpf/` (values, datapath gates), which re-exports
 * them from the datapath's versions module. Sources: cilium/charts (published chart versions), amazon-eks-ami
 * release notes (kernels).
 */
import { ValidationError } from './errors';
import { declare, int, oneOf, strict, v } from './schema';

/**
 * Cilium chart versions the values builder emits value names for: the newest of the 1.18, 1.19
 * and 1.20 lines whose values.schema.json the upstream data holds (cilium/charts at commit
 * 009b5e95, 2026-08-03), which the tests validate every emitted value against. Newer patches are
 * published since (1.18.14, 1.19.8 and 1.20.3 are named by public documentation and release
 * notes); each stays unpinned until its schema is in the upstream data, because the tests run
 * without network access. A newer one: `helm search repo cilium/cilium --versions` (`npm run versions`).
 */
export const SUPPORTED_CILIUM_CHART_VERSIONS = ['1.18.12', '1.19.6', '1.20.0'] as const;
/**
 * A Cilium chart version the project writes values for, one of
 * {@link SUPPORTED_CILIUM_CHART_VERSIONS} (`1.18.12`, `1.19.6`, `1.20.0`): each is checked against
 * its chart's values.schema.json, and features are gated per version.
 */
export type CiliumChartVersion = (typeof SUPPORTED_CILIUM_CHART_VERSIONS)[number];

/** The 1.19 pin of {@link SUPPORTED_CILIUM_CHART_VERSIONS}; the default of every builder (1.36 needs 1.20: {@link DEFAULT_KUBERNETES_VERSION}). */
export const DEFAULT_CILIUM_CHART_VERSION: CiliumChartVersion = '1.19.6';

/** Helm repository of the Cilium chart. */
export const CILIUM_HELM_REPOSITORY = 'https://helm.cilium.io';

/** Why only {@link SUPPORTED_CILIUM_CHART_VERSIONS}: the reason every refusal of another gives. */
export const CILIUM_CHART_VERSION_REASON = 'the values builder emits the value names of these chart versions only, each checked against its values.schema.json from cilium/charts';

/** Returns `version` as a supported chart version, or throws a {@link ValidationError} listing the supported ones. */
export function assertCiliumChartVersion(version: string, property = 'chartVersion'): CiliumChartVersion {
  if (!(SUPPORTED_CILIUM_CHART_VERSIONS as readonly string[]).includes(version)) {
    throw new ValidationError(property, version, `one of ${SUPPORTED_CILIUM_CHART_VERSIONS.join(', ')}`, CILIUM_CHART_VERSION_REASON);
  }
  return version as CiliumChartVersion;
}

/** A kernel version as major.minor. */
export interface KernelVersion {
  /** The major number, e.g. 6 for Linux 6.12 (2 to 99). */
  readonly major: number;
  /** The minor number, e.g. 12 for Linux 6.12 (0 to 999). */
  readonly minor: number;
}
/** The declaration of {@link KernelVersion}. */
export const KernelVersionSchema = declare<KernelVersion>()(strict({ major: int(2, 99), minor: int(0, 999) }, 'a kernel version { major, minor }, e.g. { major: 6, minor: 12 }'));
/** A supported Cilium chart version. */
export const chartVersionSchema = (): v.GenericSchema<CiliumChartVersion> => oneOf(SUPPORTED_CILIUM_CHART_VERSIONS);

/**
 * Kernel of the EKS-optimised AL2023 AMI per Kubernetes minor version (amazon-eks-ami
 * CHANGELOG.md, release v20260714: source AMIs `kernel-6.1` for 1.30-1.32, `kernel-6.12` for
 * 1.33-1.35, `kernel-6.18` for 1.36). 1.36 is the newest EKS version of that release; a version is
 * added here only when an AMI release ships it (there is no 1.37 yet).
 */
export const AL2023_KERNEL_BY_KUBERNETES_VERSION: Readonly<Record<string, KernelVersion>> = Object.freeze({
  '1.31': { major: 6, minor: 1 },
  '1.32': { major: 6, minor: 1 },
  '1.33': { major: 6, minor: 12 },
  '1.34': { major: 6, minor: 12 },
  '1.35': { major: 6, minor: 12 },
  '1.36': { major: 6, minor: 18 },
});

/** Kubernetes versions the project builds clusters for: those with a known AL2023 kernel. */
export const SUPPORTED_KUBERNETES_VERSIONS = Object.keys(AL2023_KERNEL_BY_KUBERNETES_VERSION);

/**
 * Default Kubernetes version of a new cluster (AL2023 kernel 6.12): the version in EKS standard
 * support with the longest runway that the whole default stack supports (the rule and each
 * component's range: `chooseDefaultKubernetesVersion`, tested). 1.36 has the longer runway
 * (standard support to 2027-08-02) and the AL2023 AMI, Karpenter 1.14 and Tetragon take it, but
 * the default Cilium line, 1.19, is e2e tested up to 1.35 only (`CILIUM_TESTED_KUBERNETES`);
 * 1.36 needs `cilium.chartVersion` 1.20.0. 1.35 is one gated step from the previous default, 1.34,
 * which left standard support on 2026-12-02 (EKS_SUPPORT_CALENDAR).
 */
export const DEFAULT_KUBERNETES_VERSION = '1.35';

/** Returns `version` if its AL2023 kernel is known, or throws a {@link ValidationError} listing the known ones. */
export function assertKubernetesVersion(version: string, property = 'kubernetesVersion'): string {
  if (!SUPPORTED_KUBERNETES_VERSIONS.includes(version)) {
    throw new ValidationError(
      property,
      version,
      `one of ${SUPPORTED_KUBERNETES_VERSIONS.join(', ')}`,
      'the AL2023 kernel the datapath settings depend on (amazon-eks-ami CHANGELOG) and the EKS support dates (EKS "Kubernetes version lifecycle") are known only for these',
    );
  }
  return version;
}
