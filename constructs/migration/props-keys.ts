/**
 * The keys of the migration's props, declared once per type (as constructs/props-keys.ts does for
 * the cluster's): an unknown key fails the synth, named as the user wrote it, instead of being
 * ignored while the default deploys.
 */
import type { CurrentCniState } from '../../bpf/migration';
import { checkKnownKeys, keysOf } from '../../core/props';
import {
  checkCiliumKeys,
  checkKarpenterKeys,
  FQDN_EGRESS_KEYS,
  SECURITY_CHECKS_KEYS,
  SYSTEM_NODE_GROUP_OPTIONS_KEYS,
  WORKLOAD_NAMESPACE_KEYS,
} from '../props-keys';
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
});
export const MIGRATION_STACK_ONLY_KEYS = keysOf<Omit<CiliumMigrationStackProps, keyof CiliumMigrationProps>>({ defaultTags: true, localBackend: true, securityChecks: true });
export const CURRENT_CNI_STATE_KEYS = keysOf<CurrentCniState>({ cni: true, addons: true });
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

function isPlain(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function each(list: unknown, path: string, fn: (item: unknown, itemPath: string) => void): void {
  if (Array.isArray(list)) list.forEach((item, i) => fn(item, `${path}[${i}]`));
}

/** Every key of a {@link CiliumMigrationProps} (and, with `stack`, of the stack's own props), nested ones included. */
export function checkMigrationPropsKeys(props: unknown, stack = false): void {
  checkKnownKeys(props, stack ? [...MIGRATION_PROPS_KEYS, ...MIGRATION_STACK_ONLY_KEYS] : MIGRATION_PROPS_KEYS, '');
  if (!isPlain(props)) return;
  checkKnownKeys(props.current, CURRENT_CNI_STATE_KEYS, 'current');
  each(props.oldNodeGroups, 'oldNodeGroups', (g, p) => checkKnownKeys(g, OLD_NODE_GROUP_KEYS, p));
  each(props.ciliumNodeGroups, 'ciliumNodeGroups', (g, p) => checkKnownKeys(g, CILIUM_NODE_GROUP_KEYS, p));
  checkKnownKeys(props.addonVersions, MIGRATION_ADDON_VERSIONS_KEYS, 'addonVersions');
  checkCiliumKeys(props.cilium, MIGRATION_CILIUM_OPTIONS_KEYS);
  if (props.karpenter !== undefined) checkKarpenterKeys(props.karpenter, 'karpenter');
  checkKnownKeys(props.networkPolicies, MIGRATION_NETWORK_POLICIES_KEYS, 'networkPolicies');
  if (isPlain(props.networkPolicies)) {
    each(props.networkPolicies.namespaces, 'networkPolicies.namespaces', (ns, p) => {
      checkKnownKeys(ns, WORKLOAD_NAMESPACE_KEYS, p);
      if (isPlain(ns)) each(ns.fqdnEgress, `${p}.fqdnEgress`, (e, q) => checkKnownKeys(e, FQDN_EGRESS_KEYS, q));
    });
  }
  if (stack && props.securityChecks !== false) checkKnownKeys(props.securityChecks, SECURITY_CHECKS_KEYS, 'securityChecks');
}
