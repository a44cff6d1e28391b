import { ValidationError } from './errors';

/**
 * Versions the datapath code knows, and the facts that follow from them.
 * Sources: cilium/charts (published chart versions), amazon-eks-ami release notes (kernels).
 */

/** Cilium chart versions the values builder emits value names for. */
export const SUPPORTED_CILIUM_CHART_VERSIONS = ['1.19.6'] as const;
export type CiliumChartVersion = (typeof SUPPORTED_CILIUM_CHART_VERSIONS)[number];

/** Newest 1.19.x in cilium/charts at the time of writing; the default of every builder. */
export const DEFAULT_CILIUM_CHART_VERSION: CiliumChartVersion = '1.19.6';

/** Helm repository of the Cilium chart. */
export const CILIUM_HELM_REPOSITORY = 'https://helm.cilium.io';

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
 * Kernel of the EKS-optimised AL2023 AMI per Kubernetes minor version (amazon-eks-ami release
 * notes): 6.1 for 1.31-1.32, 6.12 for 1.33-1.35, 6.18 for 1.36-1.37.
 */
export const AL2023_KERNEL_BY_KUBERNETES_VERSION: Readonly<Record<string, KernelVersion>> = Object.freeze({
  '1.31': { major: 6, minor: 1 },
  '1.32': { major: 6, minor: 1 },
  '1.33': { major: 6, minor: 12 },
  '1.34': { major: 6, minor: 12 },
  '1.35': { major: 6, minor: 12 },
  '1.36': { major: 6, minor: 18 },
  '1.37': { major: 6, minor: 18 },
});

/** Kubernetes versions the project builds clusters for: those with a known AL2023 kernel. */
export const SUPPORTED_KUBERNETES_VERSIONS = Object.keys(AL2023_KERNEL_BY_KUBERNETES_VERSION);

/** Default Kubernetes version of a new cluster (AL2023 kernel 6.12). */
export const DEFAULT_KUBERNETES_VERSION = '1.34';

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

/** The AL2023 kernel the nodes of a Kubernetes version run. */
export function al2023Kernel(kubernetesVersion: string): KernelVersion {
  return AL2023_KERNEL_BY_KUBERNETES_VERSION[assertKubernetesVersion(kubernetesVersion)];
}

/** True when kernel `k` is at least `major.minor`. */
export function kernelAtLeast(k: KernelVersion, major: number, minor: number): boolean {
  return k.major > major || (k.major === major && k.minor >= minor);
}

/** Facts of a chart version the project relies on, each checked against the chart's values.yaml by the tests. */
export interface CiliumChartFacts {
  /** `certgen.image` of the chart: the image the Hubble certificate bootstrap Job runs. */
  readonly certgenImage: { readonly repository: string; readonly tag: string; readonly digest: string };
}

export const CILIUM_CHART_FACTS: Readonly<Record<CiliumChartVersion, CiliumChartFacts>> = Object.freeze({
  '1.19.6': {
    certgenImage: {
      repository: 'quay.io/cilium/certgen',
      tag: 'v0.4.6',
      digest: 'sha256:511cedee817713fdf72db7e32fffb4b90da7747661b95180064f18198877626c',
    },
  },
});
