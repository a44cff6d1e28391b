/** The project's security rules, one per file in this directory. */
import { ciliumWireguardOff } from './cilium-wireguard-off';
import { eksControlPlaneLogging } from './eks-control-plane-logging';
import { eksPublicEndpointOpen } from './eks-public-endpoint-open';
import { eksSecretsEncryption } from './eks-secrets-encryption';
import { encryptedVolumes } from './encrypted-volumes';
import { hubbleUiPublic } from './hubble-ui-public';
import { iamUnscopedWrite } from './iam-unscoped-write';
import { iamWildcardAction } from './iam-wildcard-action';
import { imdsV2HopLimit } from './imds-v2-hop-limit';
import { nodeRoleEniPolicy } from './node-role-eni-policy';

export {
  ciliumWireguardOff,
  eksControlPlaneLogging,
  eksPublicEndpointOpen,
  eksSecretsEncryption,
  encryptedVolumes,
  hubbleUiPublic,
  iamUnscopedWrite,
  iamWildcardAction,
  imdsV2HopLimit,
  nodeRoleEniPolicy,
};

/** Every rule {@link CiliumEksSecurityChecks} runs by default. */
export const SECURITY_RULES = [
  eksSecretsEncryption,
  eksControlPlaneLogging,
  eksPublicEndpointOpen,
  imdsV2HopLimit,
  encryptedVolumes,
  iamWildcardAction,
  iamUnscopedWrite,
  ciliumWireguardOff,
  hubbleUiPublic,
  nodeRoleEniPolicy,
] as const;

/** The id of one of the default rules. */
export type SecurityRuleId = (typeof SECURITY_RULES)[number]['id'];
