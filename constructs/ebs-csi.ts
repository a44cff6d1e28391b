import { Construct } from 'constructs';
import { EksAddon } from '@cdktf/provider-aws/lib/eks-addon';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { StorageClassV1 } from '@cdktf/provider-kubernetes/lib/storage-class-v1';
import { IamStatement, policyDocument, toJson } from '../core/iam';
import { clusterNames } from '../core/names';
import { bool, declare, optional, parse, strict } from '../core/schema';
import { addonVersion, kmsKeyArn, tags } from '../core/rules';
import { construct, dependables, namePrefix, partition } from './inputs';
import { ITerraformDependable } from './cdktf';
import { EksControlPlane } from './eks-control-plane';
import { PodIdentityPolicyAttachment, podIdentityRole } from './pod-identity';

/** The EKS add-on of the EBS CSI driver. */
export const EBS_CSI_ADDON_NAME = 'aws-ebs-csi-driver';
/** Namespace and service account of the driver's controller (the add-on installs into kube-system). */
export const EBS_CSI_NAMESPACE = 'kube-system';
/**
 * The service account of the EBS CSI driver's controller, `ebs-csi-controller-sa` in
 * `kube-system`: the one the driver's docs name, and the one the driver's Pod Identity
 * association binds to its IAM role.
 */
export const EBS_CSI_CONTROLLER_SERVICE_ACCOUNT = 'ebs-csi-controller-sa';
/**
 * The AWS managed policy of the driver, `arn:<partition>:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy`
 * (its ARN as IAM lists it: iann0036/iam-dataset `aws/managedpolicies/AmazonEBSCSIDriverPolicy.json`,
 * 2026-08; the driver's install guide, install.md). Its successor `AmazonEBSCSIDriverPolicyV2` (2026-04) acts
 * only on volumes and snapshots tagged `ebs.csi.aws.com/cluster: true`, so volumes made before
 * could no longer be attached; and the docs give it under `service-role/` while IAM lists it
 * without: not used until both are settled.
 */
export const EBS_CSI_MANAGED_POLICY = 'service-role/AmazonEBSCSIDriverPolicy';
/** The CSI driver name, the StorageClass provisioner. */
export const EBS_CSI_PROVISIONER = 'ebs.csi.aws.com';
/** Name of the default StorageClass the project creates. */
export const DEFAULT_STORAGE_CLASS_NAME = 'gp3';

/** Persistent volumes on EBS. */
export interface StorageOptions {
  /**
   * A StorageClass `gp3`, annotated as the cluster's default: encrypted gp3 volumes, created in the
   * zone of the pod's node (`WaitForFirstConsumer`), deleted with their claim, expandable.
   * @default true
   */
  readonly defaultStorageClass?: boolean;
  /**
   * KMS key of the StorageClass's volumes; the driver's role may use it (the driver's docs,
   * "Encrypted EBS Volumes via KMS").
   * @default - the account's default EBS key (`aws/ebs`)
   */
  readonly volumeKmsKeyArn?: string;
}
export const StorageOptionsSchema = declare<StorageOptions>()(strict({ defaultStorageClass: optional(bool()), volumeKmsKeyArn: optional(kmsKeyArn()) }, 'storage options { defaultStorageClass?, volumeKmsKeyArn? }'));

/**
 * The props of {@link EbsCsiDriver}: the control plane it is an add-on of, the IAM names' prefix and
 * partition, the storage options, the add-on version, what it waits for and tags. {@link CiliumEksCluster}
 * fills them from `storage` and `addonVersions.ebsCsiDriver` of its props.
 */
export interface EbsCsiDriverProps {
  /** The control plane: the add-on is one of its add-ons (version from `addonVersions.ebsCsiDriver`). */
  readonly controlPlane: EksControlPlane;
  /** Cluster name as configured, for IAM names. */
  readonly namePrefix: string;
  /**
   * The AWS partition (`aws`, `aws-cn`, `aws-us-gov`) of the ARN of the driver's managed policy,
   * `arn:<partition>:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy`.
   */
  readonly partition: string;
  /**
   * The default StorageClass and the KMS key of its volumes.
   * @default - a default encrypted gp3 StorageClass, with the account's default EBS key
   */
  readonly options?: StorageOptions;
  /** The add-on version. @default - the EKS default for the cluster's Kubernetes version */
  readonly addonVersion?: string;
  /** What the add-on waits for: nodes that can run it (it stays DEGRADED without) and the Pod Identity agent. */
  readonly dependsOn: ITerraformDependable[];
  /**
   * Tags on the driver's IAM role, its KMS policy, its Pod Identity association and the add-on.
   * @default - none
   */
  readonly tags?: Record<string, string>;
}
/** The declaration of {@link EbsCsiDriverProps}. */
export const EbsCsiDriverPropsSchema = declare<EbsCsiDriverProps>()(
  strict(
    {
      controlPlane: construct<EksControlPlane>('the EksControlPlane'),
      namePrefix: namePrefix(),
      partition: partition(),
      options: optional(StorageOptionsSchema),
      addonVersion: optional(addonVersion()),
      dependsOn: dependables(),
      tags: optional(tags()),
    },
    'EbsCsiDriver props { controlPlane, namePrefix, partition, dependsOn, options?, addonVersion?, tags? }',
  ),
);

/**
 * The EBS CSI driver as an EKS add-on, its controller's AWS identity through Pod Identity
 * (`kube-system/ebs-csi-controller-sa`, the service account the driver's docs name), and the
 * default encrypted gp3 StorageClass. The add-on's pods run in kube-system; its node DaemonSet is
 * privileged (`PSS_EXEMPTIONS`), its controller tolerates `CriticalAddonsOnly` and its node
 * pods every taint (chart 2.64.0 defaults: `controller.tolerations`, `node.tolerateAllTaints`).
 */
export class EbsCsiDriver extends Construct {
  /**
   * The IAM role of the driver's controller (`kube-system/ebs-csi-controller-sa`), through EKS Pod Identity,
   * with {@link EBS_CSI_MANAGED_POLICY} and, with `volumeKmsKeyArn`, a policy for that key
   * ({@link ebsCsiKmsStatements}) attached.
   */
  public readonly role: IamRole;
  /**
   * The EKS add-on `aws-ebs-csi-driver` ({@link EBS_CSI_ADDON_NAME}), at `addonVersion` or the EKS default;
   * created after `dependsOn` and the controller's Pod Identity association.
   */
  public readonly addon: EksAddon;
  /**
   * The default StorageClass `gp3` ({@link DEFAULT_STORAGE_CLASS_NAME}: encrypted gp3,
   * `WaitForFirstConsumer`, reclaim `Delete`, expandable, annotated
   * `storageclass.kubernetes.io/is-default-class`), unless `defaultStorageClass` is false; created after the
   * add-on.
   */
  public readonly storageClass?: StorageClassV1;

  constructor(scope: Construct, id: string, props: EbsCsiDriverProps) {
    super(scope, id);
    parse(EbsCsiDriverPropsSchema, props);
    const options = props.options ?? {};
    const kmsKey = options.volumeKmsKeyArn;

    const policies: PodIdentityPolicyAttachment[] = [{ id: 'managed-policy', policyArn: `arn:${props.partition}:iam::aws:policy/${EBS_CSI_MANAGED_POLICY}` }];
    if (kmsKey !== undefined) {
      const policy = new IamPolicy(this, 'kms-policy', {
        namePrefix: clusterNames.podIdentityPolicyPrefix(props.namePrefix, 'ebs-csi'),
        description: 'EBS CSI driver: the StorageClass volumes\' KMS key',
        policy: toJson(policyDocument(ebsCsiKmsStatements(kmsKey))),
        tags: props.tags,
      });
      policies.push({ id: 'kms-policy-attachment', policyArn: policy.arn });
    }
    const identity = podIdentityRole(this, {
      clusterName: props.controlPlane.cluster.name,
      namespace: EBS_CSI_NAMESPACE,
      serviceAccount: EBS_CSI_CONTROLLER_SERVICE_ACCOUNT,
      roleNamePrefix: clusterNames.podIdentityRolePrefix(props.namePrefix, 'ebs-csi'),
      policies,
      dependsOn: [props.controlPlane.podIdentityAgent],
      tags: props.tags,
    });
    this.role = identity.role;
    this.addon = props.controlPlane.addon(EBS_CSI_ADDON_NAME, props.addonVersion, props.tags, [...props.dependsOn, ...identity.dependables]);

    if (options.defaultStorageClass ?? true) {
      this.storageClass = new StorageClassV1(this, 'default-storage-class', {
        metadata: {
          name: DEFAULT_STORAGE_CLASS_NAME,
          annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' },
        },
        storageProvisioner: EBS_CSI_PROVISIONER,
        reclaimPolicy: 'Delete',
        volumeBindingMode: 'WaitForFirstConsumer',
        allowVolumeExpansion: true,
        // The driver's StorageClass parameters (its parameters.md): type, encrypted, kmsKeyId.
        parameters: { type: 'gp3', encrypted: 'true', ...(kmsKey !== undefined ? { kmsKeyId: kmsKey } : {}) },
        dependsOn: [this.addon],
      });
    }
  }
}

/**
 * The driver's use of a customer-managed key: the statement of its docs ("Encrypted EBS Volumes
 * via KMS": kms:Decrypt, kms:GenerateDataKeyWithoutPlaintext, kms:CreateGrant), on that key only.
 */
export function ebsCsiKmsStatements(kmsKeyArn: string): IamStatement[] {
  return [{ Sid: 'EbsCsiVolumeKey', Effect: 'Allow', Action: ['kms:CreateGrant', 'kms:Decrypt', 'kms:GenerateDataKeyWithoutPlaintext'], Resource: kmsKeyArn }];
}
