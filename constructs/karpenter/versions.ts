/**
 * Pinned versions of the Karpenter integration, each with where it comes from. Change a pin
 * together with the upstream reference data it was checked against (`shared/upstream/karpenter/`).
 */
import { ValidationError } from '../../core/errors';

/**
 * Karpenter release the project installs by default: the newest v1 tag stored in the upstream
 * reference data (`shared/upstream/karpenter/1.14.1/`, tag `v1.14.1` of
 * aws/karpenter-provider-aws). Its chart version, controller image tag (`values.yaml`
 * `controller.image.tag`) and CRDs are all `1.14.1`.
 */
export const KARPENTER_DEFAULT_VERSION = '1.14.1';

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
 * Release of the EKS-optimised AMIs that Karpenter nodes use by default, in the alias format the
 * EC2NodeClass CRD documents for `amiSelectorTerms[].alias` (`family@version`, e.g.
 * `al2023@v20240625`; at most 30 characters).
 *
 * Source: tag `v20260714` of awslabs/amazon-eks-ami (commit b4fffb70f5c1), the newest release
 * with a CHANGELOG.md entry in the stored snapshot of that repository (2026-07-23); it ships AL2023
 * AMIs for Kubernetes 1.30 to 1.36. Before changing it, check the new value against the
 * amazon-eks-ami releases (https://github.com/awslabs/amazon-eks-ami/releases): an alias whose
 * release does not exist for the cluster's Kubernetes version leaves the EC2NodeClass not Ready
 * and no node launches. Pinned rather than `latest`, which the CRD itself calls not recommended for
 * production (every AMI release drifts every node).
 */
export const DEFAULT_AL2023_AMI_VERSION = 'v20260714';

/** `amiSelectorTerms[].alias` of the default EC2NodeClass: `al2023@v20260714`. */
export const DEFAULT_AL2023_AMI_ALIAS = `${AL2023_AMI_FAMILY}@${DEFAULT_AL2023_AMI_VERSION}`;

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
