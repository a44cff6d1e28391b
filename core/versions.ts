/**
 * The versions every layer reads: the Cilium chart versions and the Kubernetes versions the
 * project builds for, with the AL2023 kernel of each. Below both `core/pss` (the Pod Security
 * models pin a chart and a policy version) and `bpf/` (values, datapath gates), which re-exports
 * them from `bpf/versions.ts`. Sources: cilium/charts (published chart versions), amazon-eks-ami
 * release notes (kernels).
 */
import { ValidationError } from './errors';

/**
 * Cilium chart versions the values builder emits value names for: the newest of the 1.18, 1.19
 * and 1.20 lines in cilium/charts.
 */
export const SUPPORTED_CILIUM_CHART_VERSIONS = ['1.18.12', '1.19.6', '1.20.0'] as const;
export type CiliumChartVersion = (typeof SUPPORTED_CILIUM_CHART_VERSIONS)[number];

/** Newest 1.19.x in cilium/charts at the time of writing; the default of every builder. */
export const DEFAULT_CILIUM_CHART_VERSION: CiliumChartVersion = '1.19.6';

/** Helm repository of the Cilium chart. */
export const CILIUM_HELM_REPOSITORY = 'https://helm.cilium.io';

/** Returns `version` as a supported chart version, or throws a {@link ValidationError} listing the supported ones. */
export function assertCiliumChartVersion(version: string, property = 'chartVersion'): CiliumChartVersion {
  if (!(SUPPORTED_CILIUM_CHART_VERSIONS as readonly string[]).includes(version)) {
    throw new ValidationError(property, version, `one of ${SUPPORTED_CILIUM_CHART_VERSIONS.join(', ')}`, 'the values builder emits the value names of these chart versions only');
  }
  return version as CiliumChartVersion;
}

/** A kernel version as major.minor. */
export interface KernelVersion {
  readonly major: number;
  readonly minor: number;
}

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

/** Default Kubernetes version of a new cluster (AL2023 kernel 6.12). */
export const DEFAULT_KUBERNETES_VERSION = '1.34';

/** Returns `version` if its AL2023 kernel is known, or throws a {@link ValidationError} listing the known ones. */
export function assertKubernetesVersion(version: string, property = 'kubernetesVersion'): string {
  if (!SUPPORTED_KUBERNETES_VERSIONS.includes(version)) {
    throw new ValidationError(
      property,
      version,
      `one of ${SUPPORTED_KUBERNETES_VERSIONS.join(', ')}`,
      'the AL2023 kernel, which the datapath settings depend on, is known only for these',
    );
  }
  return version;
}

