/**
 * Pinned versions of the Karpenter integration, each with where it comes from. Change a pin
 * together with the upstream reference data it was checked against (`shared/upstream/karpenter/`).
 */
import { ValidationError } from '../../core/errors';

/**
 * Karpenter release the project installs by default: the newest 1.14 patch, tag `v1.14.1` of
 * aws/karpenter-provider-aws (commit bde00654, 2026-08-20; the newest tag and the head of branch
 * `release-v1.14.x` in the repository snapshot of 2026-08-21), with its upstream data in
 * `shared/upstream/karpenter/1.14.1/`. Its chart version, controller image tag (`values.yaml`
 * `controller.image.tag`) and CRDs are all `1.14.1`. Karpenter 1.14.x supports Kubernetes 1.26 to
 * 1.36 ({@link KARPENTER_KUBERNETES_RANGE}). A newer 1.14 patch:
 * {@link KARPENTER_NEWER_VERSION_COMMAND}.
 */
export const KARPENTER_DEFAULT_VERSION = '1.14.1';

/**
 * Kubernetes versions Karpenter 1.14.x supports: `hack/docs/compatibilitymatrix_gen/compatibility.yaml`
 * of aws/karpenter-provider-aws (main, commit 1d927085, 2026-08-21: `appVersion: 1.14.x`,
 * `minK8sVersion: 1.26`, `maxK8sVersion: 1.36`), the source of the compatibility matrix of the
 * Karpenter docs ("Upgrading > Compatibility": 1.36 needs Karpenter >= 1.13).
 */
export const KARPENTER_KUBERNETES_RANGE = Object.freeze({ min: '1.26', max: '1.36', source: 'Karpenter compatibility matrix (hack/docs/compatibilitymatrix_gen/compatibility.yaml, 1.14.x)' });

/** Lists the published 1.14 tags: a newer patch than {@link KARPENTER_DEFAULT_VERSION} shows here. */
export const KARPENTER_NEWER_VERSION_COMMAND = "git ls-remote --tags --refs https://github.com/aws/karpenter-provider-aws 'v1.14.*'";

/**
 * Karpenter versions whose CRDs, IAM policy and interruption rules this module has been checked
 * against. A version is added here only with its upstream data under `shared/upstream/karpenter/`.
 */
export const SUPPORTED_KARPENTER_VERSIONS = ['1.14.1'] as const;

/** One of {@link SUPPORTED_KARPENTER_VERSIONS}. */
export type KarpenterVersion = (typeof SUPPORTED_KARPENTER_VERSIONS)[number];

/**
 * OCI repository of the Karpenter Helm chart (the Helm provider's `repository`). Source: the
 * Karpenter getting-started guide, `helm upgrade --install karpenter
 * oci://public.ecr.aws/karpenter/karpenter`.
 */
export const KARPENTER_CHART_REPOSITORY = 'oci://public.ecr.aws/karpenter';

/** Name of the chart in {@link KARPENTER_CHART_REPOSITORY} (the Helm provider's `chart`). */
export const KARPENTER_CHART_NAME = 'karpenter';

/**
 * Name of the CRD chart in {@link KARPENTER_CHART_REPOSITORY}: the CRDs as templates, so Helm
 * upgrades them with the release (`oci://public.ecr.aws/karpenter/karpenter-crd`, same version as
 * the controller; Karpenter upgrade guide, "CRD upgrades"). A chart's `crds/` folder is installed on
 * first install only and never upgraded (Helm docs, "Custom Resource Definitions").
 */
export const KARPENTER_CRD_CHART_NAME = 'karpenter-crd';

/** AMI family of every Karpenter node: EKS-optimised Amazon Linux 2023 (nodeadm). */
export const AL2023_AMI_FAMILY = 'al2023';

/**
 * Release of the EKS-optimised AL2023 AMIs of every node (the system node group and Karpenter's
 * default alias), in the alias format the EC2NodeClass CRD documents for `amiSelectorTerms[].alias`
 * (`family@version`, e.g. `al2023@v20240625`; at most 30 characters).
 *
 * Source: awslabs/amazon-eks-ami release `v20261012`, the release the issue tracker and the
 * project's facts name as the fix of the kernel panic of v20260930 and v20261003
 * ({@link REFUSED_AL2023_AMI_RELEASES}). NOT verified here: the newest CHANGELOG.md the look-up
 * tools hold is of 2026-07-23 (its newest entry v20260714, which ships AL2023 AMIs for Kubernetes
 * 1.30 to 1.36 and was the previous pin). Check before deploying:
 * {@link AL2023_AMI_NEWER_RELEASE_COMMAND} prints the newest release, and
 * `aws ssm get-parameter --name <al2023AmiSsmParameter(...)>` the image of this one; a release that
 * does not exist fails the plan (the SSM parameter of the system nodes) and leaves the EC2NodeClass
 * not Ready. Pinned rather than `latest`, which the CRD itself calls not recommended for production
 * (every AMI release drifts every node).
 */
export const DEFAULT_AL2023_AMI_VERSION = 'v20261012';

/** `amiSelectorTerms[].alias` of the default EC2NodeClass: `al2023@v20261012`. */
export const DEFAULT_AL2023_AMI_ALIAS = `${AL2023_AMI_FAMILY}@${DEFAULT_AL2023_AMI_VERSION}`;

/**
 * The newest AL2023 AMI release EKS recommends for a Kubernetes version (here 1.35, x86_64): the
 * `recommended/release_version` public SSM parameter beside the per-release ones.
 */
export const AL2023_AMI_NEWER_RELEASE_COMMAND =
  'aws ssm get-parameter --name /aws/service/eks/optimized-ami/1.35/amazon-linux-2023/x86_64/standard/recommended/release_version --query Parameter.Value --output text';

/**
 * amazon-eks-ami releases with a known node-breaking defect, refused for the system nodes and in
 * every AL2023 alias, with the reason. Source: the awslabs/amazon-eks-ami CHANGELOG.md entries of
 * these releases, as reported by the project's facts (December 2026): kernel 6.12.110 with a kernel
 * panic, fixed in v20261012. Not verified against the changelog here (the stored copy ends at
 * v20260714); recheck it before removing an entry or relying on the fix.
 */
export const REFUSED_AL2023_AMI_RELEASES: Readonly<Record<string, string>> = Object.freeze({
  v20260930: 'kernel 6.12.110 of this release has a reported kernel panic, fixed in v20261012 (amazon-eks-ami CHANGELOG.md)',
  v20261003: 'kernel 6.12.110 of this release has a reported kernel panic, fixed in v20261012 (amazon-eks-ami CHANGELOG.md)',
});

/** Throws a {@link ValidationError} naming `property` when `release` (`v<YYYYMMDD>`) is on {@link REFUSED_AL2023_AMI_RELEASES}. */
export function assertAmiReleaseNotRefused(release: string, property: string, value: string = release): void {
  const reason = REFUSED_AL2023_AMI_RELEASES[release];
  if (reason === undefined) return;
  throw new ValidationError(
    property,
    value,
    `an amazon-eks-ami release other than ${Object.keys(REFUSED_AL2023_AMI_RELEASES).join(' and ')}, e.g. ${value.replace(release, DEFAULT_AL2023_AMI_VERSION)}`,
    reason,
  );
}

/**
 * Throws a {@link ValidationError} naming `property` and listing the supported versions unless
 * `version` is one of {@link SUPPORTED_KARPENTER_VERSIONS}.
 */
export function assertSupportedKarpenterVersion(version: string, property = 'karpenterVersion'): asserts version is KarpenterVersion {
  if (!(SUPPORTED_KARPENTER_VERSIONS as readonly string[]).includes(version)) {
    throw new ValidationError(
      property,
      version,
      `one of ${SUPPORTED_KARPENTER_VERSIONS.join(', ')}`,
      'only versions whose CRDs and IAM policy are checked under shared/upstream/karpenter are supported',
    );
  }
}
