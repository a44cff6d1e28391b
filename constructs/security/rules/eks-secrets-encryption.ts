/**
 * Kubernetes Secrets encrypted with a KMS key (envelope encryption): `aws_eks_cluster` has an
 * `encryption_config` for `secrets` with a `provider.key_arn`.
 */
import { asStringList, block, compliant, defineRule, nonCompliant, show } from '../rule';

export const eksSecretsEncryption = defineRule({
  id: 'eks-secrets-encryption',
  level: 'error',
  title: 'EKS encrypts Kubernetes Secrets with a KMS key',
  cost:
    'Secrets (service account tokens, the Hubble CA and certificates, anything applications store) sit in etcd protected only by ' +
    "the control plane's disk encryption; anyone who reads an etcd backup reads them. Adding it later encrypts existing secrets " +
    'but cannot be undone.',
  resourceTypes: ['aws_eks_cluster'],
  check: (_type, config) => {
    const encryption = block(config, 'encryption_config');
    const resources = asStringList(encryption?.resources);
    const keyArn = block(encryption, 'provider')?.key_arn;
    if (encryption === undefined) return nonCompliant('encryption_config is unset: Kubernetes Secrets are not encrypted with a KMS key');
    if (!resources?.includes('secrets')) return nonCompliant(`encryption_config.resources is ${show(encryption.resources)}; it must include "secrets"`);
    if (typeof keyArn !== 'string' || keyArn === '') return nonCompliant(`encryption_config.provider.key_arn is ${show(keyArn)}; a KMS key ARN is required`);
    return compliant(`secrets encrypted with ${keyArn}`);
  },
});
