/**
 * The keys of the migration's props, declared once per type (as constructs/props-keys.ts does for
 * the cluster's): an unknown key fails the synth, named as the user wrote it, instead of being
 * ignored while the default deploys.
 */
import type { CurrentCniState } from '../../bpf/migration';
import type { AddonPodIdentityAssociation, ExistingAddonSettings, ExistingVpcCniSettings, MigrationAcknowledgements } from '../../bpf/migration-preflight';
import { isPlainObject } from '../../core/json';
import { checkKnownKeys, forEachItem, keysOf } from '../../core/props';
import { checkCiliumKeys, checkKarpenterKeys, checkNetworkPoliciesKeys, checkSecurityChecksKeys, SYSTEM_NODE_GROUP_OPTIONS_KEYS } from '../props-keys';
import type { CiliumMigrationProps, CiliumNodeGroupOptions, MigrationCiliumOptions, OldNodeGroupOptions } from './cilium-migration';
import type { CiliumMigrationStackProps } from './cilium-migration-stack';

export const MIGRATION_PROPS_KEYS = keysOf<CiliumMigrationProps>({
  clusterName: true,
  region: true,
  kubernetesVersion: true,
  vpcId: true,
  privateSubnetIds: true,
  nodeRoleArn: true,
  current: true,
  oldNodeGroups: true,
  ciliumNodeGroups: true,
  extraNodeSecurityGroupIds: true,
  phase: true,
  cilium: true,
  podIdentityAgent: true,
  addonVersions: true,
  networkPolicies: true,
  karpenter: true,
  drainTimeout: true,
  tags: true,
  acknowledge: true,
});
export const MIGRATION_STACK_ONLY_KEYS = keysOf<Omit<CiliumMigrationStackProps, keyof CiliumMigrationProps>>({ defaultTags: true, localBackend: true, securityChecks: true });
export const CURRENT_CNI_STATE_KEYS = keysOf<CurrentCniState>({ cni: true, addons: true, vpcCni: true, kubeProxy: true, podIdentityAgent: true });
export const EXISTING_ADDON_KEYS = keysOf<ExistingAddonSettings>({ configuration: true, serviceAccountRoleArn: true, podIdentityAssociations: true });
export const EXISTING_VPC_CNI_KEYS = [...EXISTING_ADDON_KEYS, ...keysOf<Pick<ExistingVpcCniSettings, 'resetEnv'>>({ resetEnv: true })].sort();
export const ADDON_POD_IDENTITY_ASSOCIATION_KEYS = keysOf<AddonPodIdentityAssociation>({ serviceAccount: true, roleArn: true });
export const MIGRATION_ACKNOWLEDGEMENT_KEYS = keysOf<MigrationAcknowledgements>({ securityGroupsForPods: true, networkPolicyAgent: true, customNetworking: true });
export const OLD_NODE_GROUP_KEYS = keysOf<OldNodeGroupOptions>({ name: true });
export const CILIUM_NODE_GROUP_KEYS = [...keysOf<Pick<CiliumNodeGroupOptions, 'name'>>({ name: true }), ...SYSTEM_NODE_GROUP_OPTIONS_KEYS].sort();
export const MIGRATION_CILIUM_OPTIONS_KEYS = keysOf<MigrationCiliumOptions>({
  chartVersion: true,
  prefixDelegation: true,
  wireguard: true,
  hubble: true,
  datapath: true,
  operatorReplicas: true,
  operatorIdentity: true,
});
export const MIGRATION_ADDON_VERSIONS_KEYS = keysOf<NonNullable<CiliumMigrationProps['addonVersions']>>({ vpcCni: true, kubeProxy: true, podIdentityAgent: true });
export const MIGRATION_NETWORK_POLICIES_KEYS = keysOf<NonNullable<CiliumMigrationProps['networkPolicies']>>({ namespaces: true });

/** Every key of a {@link CiliumMigrationProps} (and, with `stack`, of the stack's own props), nested ones included. */
export function checkMigrationPropsKeys(props: unknown, stack = false): void {
  checkKnownKeys(props, stack ? [...MIGRATION_PROPS_KEYS, ...MIGRATION_STACK_ONLY_KEYS] : MIGRATION_PROPS_KEYS, '');
  if (!isPlainObject(props)) return;
  checkKnownKeys(props.current, CURRENT_CNI_STATE_KEYS, 'current');
  if (isPlainObject(props.current)) {
    // `configuration` is the add-on's own schema (EKS checks it); the keys around it are ours.
    for (const [key, keys] of [['vpcCni', EXISTING_VPC_CNI_KEYS], ['kubeProxy', EXISTING_ADDON_KEYS], ['podIdentityAgent', EXISTING_ADDON_KEYS]] as const) {
      const settings = props.current[key];
      checkKnownKeys(settings, keys, `current.${key}`);
      if (isPlainObject(settings)) forEachItem(settings.podIdentityAssociations, `current.${key}.podIdentityAssociations`, (a, p) => checkKnownKeys(a, ADDON_POD_IDENTITY_ASSOCIATION_KEYS, p));
    }
  }
  checkKnownKeys(props.acknowledge, MIGRATION_ACKNOWLEDGEMENT_KEYS, 'acknowledge');
  forEachItem(props.oldNodeGroups, 'oldNodeGroups', (g, p) => checkKnownKeys(g, OLD_NODE_GROUP_KEYS, p));
  forEachItem(props.ciliumNodeGroups, 'ciliumNodeGroups', (g, p) => checkKnownKeys(g, CILIUM_NODE_GROUP_KEYS, p));
  checkKnownKeys(props.addonVersions, MIGRATION_ADDON_VERSIONS_KEYS, 'addonVersions');
  checkCiliumKeys(props.cilium, MIGRATION_CILIUM_OPTIONS_KEYS);
  if (props.karpenter !== undefined) checkKarpenterKeys(props.karpenter, 'karpenter');
  checkNetworkPoliciesKeys(props.networkPolicies, MIGRATION_NETWORK_POLICIES_KEYS);
  if (stack) checkSecurityChecksKeys(props.securityChecks);
}
