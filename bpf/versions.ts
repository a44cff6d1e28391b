import { ValidationError } from '../core/errors';

/**
 * Versions the datapath code knows, and the facts that follow from them.
 * Sources: cilium/charts (published chart versions), amazon-eks-ami release notes (kernels), and
 * each pinned chart's values.yaml (value names; the tests read
 * those files and check every fact below against them).
 */

// The version data below every layer (the core versions module), re-exported where the datapath code always found it.
export { AL2023_KERNEL_BY_KUBERNETES_VERSION, assertCiliumChartVersion, assertKubernetesVersion, CILIUM_HELM_REPOSITORY, DEFAULT_CILIUM_CHART_VERSION, DEFAULT_KUBERNETES_VERSION, SUPPORTED_CILIUM_CHART_VERSIONS, SUPPORTED_KUBERNETES_VERSIONS } from '../core/versions';
export type { CiliumChartVersion, KernelVersion } from '../core/versions';
import { AL2023_KERNEL_BY_KUBERNETES_VERSION, assertKubernetesVersion, CiliumChartVersion, DEFAULT_CILIUM_CHART_VERSION, KernelVersion, SUPPORTED_CILIUM_CHART_VERSIONS } from '../core/versions';

/** The Kubernetes minors one Cilium line is e2e tested with, and where that list comes from. */
export interface CiliumTestedKubernetes {
  /** Kubernetes minors, oldest first. */
  readonly versions: readonly string[];
  /** The file the list is read from. */
  readonly source: string;
}

/**
 * Kubernetes versions each Cilium line is e2e tested with: the table of
 * `Documentation/network/kubernetes/compatibility.rst` of that release ("All Kubernetes versions
 * listed are e2e tested and guaranteed to be compatible with Cilium. Older and newer Kubernetes
 * versions, while not listed, will depend on the forward / backward compatibility offered by
 * Kubernetes"; the list is fixed when the release branch is cut). A cluster whose Kubernetes
 * version a line does not list is refused unless `cilium.allowUntestedKubernetesVersion` says so.
 *
 * Read: 1.18 from the file at tag v1.18.14; 1.19 from the file at v1.19.3 (a mirror of the
 * release's documentation, contextqmd.com). 1.20: the cilium/cilium snapshot is too large to fetch
 * here and no copy of the file at a v1.20 tag was found; 1.33 to 1.36 is quoted for v1.20.1 by a
 * public design document that mirrors it, and matches the project's rule (the Kubernetes minors
 * under upstream support when the branch was cut, 2026-06). Unverified against the file itself.
 */
export const CILIUM_TESTED_KUBERNETES: Readonly<Record<string, CiliumTestedKubernetes>> = Object.freeze({
  '1.18': { versions: ['1.30', '1.31', '1.32', '1.33'], source: 'cilium v1.18.14 Documentation/network/kubernetes/compatibility.rst' },
  '1.19': { versions: ['1.32', '1.33', '1.34', '1.35'], source: 'cilium v1.19.3 Documentation/network/kubernetes/compatibility.rst' },
  '1.20': { versions: ['1.33', '1.34', '1.35', '1.36'], source: 'cilium v1.20 Documentation/network/kubernetes/compatibility.rst, as quoted for v1.20.1 (unverified here)' },
});

/** The tested Kubernetes versions of the line of chart `version` (`1.19` of `1.19.6`). */
export function ciliumTestedKubernetes(version: CiliumChartVersion): CiliumTestedKubernetes {
  const line = version.split('.').slice(0, 2).join('.');
  const tested = CILIUM_TESTED_KUBERNETES[line];
  if (!tested) throw new Error(`CILIUM_TESTED_KUBERNETES has no entry for Cilium ${line}`);
  return tested;
}

/** The supported chart versions whose line is tested with `kubernetesVersion`. */
export function chartVersionsTestedWith(kubernetesVersion: string): CiliumChartVersion[] {
  return SUPPORTED_CILIUM_CHART_VERSIONS.filter((v) => ciliumTestedKubernetes(v).versions.includes(kubernetesVersion));
}

/**
 * Refuses a Cilium chart whose line is not e2e tested with `kubernetesVersion` (a
 * {@link ValidationError} naming `cilium.chartVersion`, the tested lines and the override), unless
 * `allowUntested`; then returns the warning to show at synth. Returns undefined when tested.
 */
export function checkCiliumTestedWith(chartVersion: CiliumChartVersion, kubernetesVersion: string, allowUntested: boolean, property = 'cilium.chartVersion'): string | undefined {
  const tested = ciliumTestedKubernetes(chartVersion);
  if (tested.versions.includes(kubernetesVersion)) return undefined;
  const range = `Cilium ${chartVersion.split('.').slice(0, 2).join('.')} is e2e tested with Kubernetes ${tested.versions.join(', ')} (${tested.source})`;
  if (allowUntested) return `${property} ${chartVersion} runs Kubernetes ${kubernetesVersion} untested (cilium.allowUntestedKubernetesVersion): ${range}`;
  const working = chartVersionsTestedWith(kubernetesVersion);
  throw new ValidationError(
    property,
    chartVersion,
    `${working.length > 0 ? `${working.join(' or ')} for kubernetesVersion ${kubernetesVersion}, ` : ''}a kubernetesVersion of ${tested.versions.join(', ')}, or cilium.allowUntestedKubernetesVersion: true`,
    range,
  );
}

/** The AL2023 kernel the nodes of a Kubernetes version run. */
export function al2023Kernel(kubernetesVersion: string): KernelVersion {
  return AL2023_KERNEL_BY_KUBERNETES_VERSION[assertKubernetesVersion(kubernetesVersion)];
}

/** True when kernel `k` is at least `major.minor`. */
export function kernelAtLeast(k: KernelVersion, major: number, minor: number): boolean {
  return k.major > major || (k.major === major && k.minor >= minor);
}

/**
 * Chart features whose availability or value names differ between chart versions. Each version's
 * facts list the ones it has; {@link assertChartFeature} turns a missing one into an error that
 * names the versions that would work.
 */
export type CiliumChartFeature =
  /** `bpf.datapathMode: netkit` (chart 1.16+). */
  | 'netkit'
  /** `bpf.distributedLRU.enabled` (1.18+; the key first appears in 1.17.18's values.yaml). */
  | 'distributedLRU'
  /** Size-based rotation of the static flow exporter under `hubble.export.static.*` (1.18+; 1.16/1.17 had it under `hubble.export.*`). */
  | 'flowExportStaticRotation'
  /** `hubble.export.static.fileCompress`: gzip of rotated flow files (1.18+). */
  | 'flowExportCompress'
  /** WireGuard strict mode under `encryption.strictMode.egress.*` (1.19+; 1.18 has only `encryption.strictMode.{enabled,cidr,...}`, which 1.20 removed). */
  | 'encryptionStrictModeEgress'
  /**
   * `encryption.strictMode.ingress.enabled` with native routing. 1.19's values.yaml: "only
   * applicable when WireGuard and tunneling are enabled"; 1.20's: "requires WireGuard encryption".
   * These clusters use native routing (ENI mode), so only 1.20 can use it.
   */
  | 'encryptionStrictIngressNativeRouting'
  /**
   * Per-node ENI and IPAM settings as Helm values, `eni.nodeSpec.*` (first interface index, subnet
   * IDs) and `ipam.nodeSpec.*` (min/pre/max allocate), which the agent writes into its CiliumNode
   * (1.19+; 1.18 takes them only from a hand-written CNI configuration, `cni.customConf`).
   */
  | 'eniNodeSpec'
  /**
   * The chart makes the first Hubble certificates with a Job that is a Helm `post-install` hook,
   * which Helm waits for even with `wait = false` (1.18; from 1.19 a plain Job).
   */
  | 'hubbleCertgenHook';

/** What a feature is, for error messages. */
export const CILIUM_CHART_FEATURE_DESCRIPTIONS: Readonly<Record<CiliumChartFeature, string>> = Object.freeze({
  netkit: 'netkit pod devices (bpf.datapathMode: netkit)',
  distributedLRU: 'distributed per-CPU LRU maps (bpf.distributedLRU.enabled)',
  flowExportStaticRotation: 'flow file rotation under hubble.export.static',
  flowExportCompress: 'compressed rotated flow files (hubble.export.static.fileCompress)',
  encryptionStrictModeEgress: 'WireGuard strict mode under encryption.strictMode.egress',
  encryptionStrictIngressNativeRouting: 'WireGuard strict ingress mode with native routing (encryption.strictMode.ingress.enabled)',
  eniNodeSpec: 'per-node ENI and IPAM settings (eni.nodeSpec, ipam.nodeSpec)',
  hubbleCertgenHook: 'a Hubble certgen Job that is a Helm post-install hook (templates/hubble/tls-cronjob/job.yaml)',
});

/** Facts of a chart version the project relies on, each checked against the chart's values.yaml by the tests. */
export interface CiliumChartFacts {
  /** `certgen.image` of the chart: the image the Hubble certificate bootstrap Job runs. */
  readonly certgenImage: { readonly repository: string; readonly tag: string; readonly digest: string };
  /** Features of {@link CiliumChartFeature} this version has. */
  readonly features: readonly CiliumChartFeature[];
}

const CERTGEN_V0_4_6 = Object.freeze({
  repository: 'quay.io/cilium/certgen',
  tag: 'v0.4.6',
  digest: 'sha256:511cedee817713fdf72db7e32fffb4b90da7747661b95180064f18198877626c',
});

export const CILIUM_CHART_FACTS: Readonly<Record<CiliumChartVersion, CiliumChartFacts>> = Object.freeze({
  '1.18.12': {
    certgenImage: CERTGEN_V0_4_6,
    // hubbleCertgenHook: read from the chart's templates/hubble/tls-cronjob/job.yaml (cilium/charts,
    // cilium-1.18.12.tgz); 1.19.6 and 1.20.0 made it a plain Job with a checksum in its name.
    features: ['netkit', 'distributedLRU', 'flowExportStaticRotation', 'flowExportCompress', 'hubbleCertgenHook'],
  },
  '1.19.6': {
    certgenImage: CERTGEN_V0_4_6,
    features: ['netkit', 'distributedLRU', 'flowExportStaticRotation', 'flowExportCompress', 'encryptionStrictModeEgress', 'eniNodeSpec'],
  },
  '1.20.0': {
    certgenImage: {
      repository: 'quay.io/cilium/certgen',
      tag: 'v0.4.8',
      digest: 'sha256:e65f1d15a0ffaf2df32797c8ad1c797fc64dad11c274cd96a2eafa89d712cdc3',
    },
    features: [
      'netkit',
      'distributedLRU',
      'flowExportStaticRotation',
      'flowExportCompress',
      'encryptionStrictModeEgress',
      'encryptionStrictIngressNativeRouting',
      'eniNodeSpec',
    ],
  },
});

/** True when chart `version` has `feature`. */
export function chartHasFeature(version: CiliumChartVersion, feature: CiliumChartFeature): boolean {
  return CILIUM_CHART_FACTS[version].features.includes(feature);
}

/** The supported chart versions that have `feature`, oldest first. */
export function chartVersionsWith(feature: CiliumChartFeature): CiliumChartVersion[] {
  return SUPPORTED_CILIUM_CHART_VERSIONS.filter((v) => chartHasFeature(v, feature));
}

/**
 * Throws a {@link ValidationError} naming `property` and the chart versions that would work when
 * chart `version` lacks `feature`.
 */
export function assertChartFeature(version: CiliumChartVersion, feature: CiliumChartFeature, property: string, value: unknown): void {
  if (chartHasFeature(version, feature)) return;
  const working = chartVersionsWith(feature);
  throw new ValidationError(
    property,
    value,
    working.length > 0 ? `this setting with chart version ${working.join(' or ')} (cilium.chartVersion), or without it on ${version}` : `no supported chart version has it (${SUPPORTED_CILIUM_CHART_VERSIONS.join(', ')})`,
    `Cilium chart ${version} has no ${CILIUM_CHART_FEATURE_DESCRIPTIONS[feature]}`,
  );
}

/** Value names the builder emits where they differ between chart versions, for the version matrix of docs/reference.md. */
function valueNamesOf(version: CiliumChartVersion): { flowExport: string; strictMode: string } {
  return {
    flowExport: chartHasFeature(version, 'flowExportStaticRotation')
      ? '`hubble.export.static.{fileMaxSizeMb,fileMaxBackups}`' + (chartHasFeature(version, 'flowExportCompress') ? ', `fileCompress`' : '')
      : '`hubble.export.{fileMaxSizeMb,fileMaxBackups}`',
    strictMode:
      (chartHasFeature(version, 'encryptionStrictModeEgress') ? '`encryption.strictMode.egress.*`' : '`encryption.strictMode.{enabled,cidr,allowRemoteNodeIdentities}`') +
      (chartHasFeature(version, 'encryptionStrictIngressNativeRouting') ? ', `ingress.enabled`' : ''),
  };
}

/** The supported chart versions as a Markdown table: what differs between them, as the builder emits it. */
export function renderChartVersionMatrix(): string {
  const lines = ['| chart | default | certgen image | flow export rotation | WireGuard strict mode | distributed LRU | netkit |', '|---|---|---|---|---|---|---|'];
  for (const version of SUPPORTED_CILIUM_CHART_VERSIONS) {
    const names = valueNamesOf(version);
    const yes = (f: CiliumChartFeature): string => (chartHasFeature(version, f) ? 'yes' : 'no');
    lines.push(
      `| ${version} | ${version === DEFAULT_CILIUM_CHART_VERSION ? 'yes' : ''} | \`${CILIUM_CHART_FACTS[version].certgenImage.tag}\` | ${names.flowExport} | ${names.strictMode} | ${yes('distributedLRU')} | ${yes('netkit')} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}
