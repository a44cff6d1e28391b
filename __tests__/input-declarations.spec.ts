/**
 * Every public input type has its declaration: the type-checker walks what index.ts exports
 * (constructors, public methods and functions, through every parameter at every depth, and every
 * exported `*Props` and `*Options` type; __tests__/support/input-types.ts), and each type found
 * must have a valibot schema exported beside it under the name `<Type>Schema` (the convention of
 * core/schema.ts's `declare<T>()`, which also fails type-checking when the two drift apart).
 *
 * Two kinds of type are left out, each named here with why, and the reason is checked:
 * - values the project produces and a later call takes back (a resolved profile, a capacity plan):
 *   the walk must find them in a return type or a public property, or the exemption is refused;
 * - Kubernetes objects the Pod Security evaluator reads as the apiserver stores them: they carry
 *   any field Kubernetes has, so a declaration that refuses unknown keys would refuse valid pods.
 */
import * as path from 'path';
import { publicInputTypes } from './support/input-types';

/** Types the project produces and a later call takes back (checked: `produced` by the walk). */
const PRODUCED: Readonly<Record<string, string>> = {
  ResolvedMonitoringOptions: 'resolveMonitoringOptions() returns it; ciliumAlertRules() takes it',
  ResolvedCiliumValuesOptions: 'resolved by buildCiliumValues() from CiliumValuesOptions',
  ResolvedDatapathProfile: 'resolveDatapathProfile() returns it',
  ResolvedDatapathSettings: 'part of ResolvedDatapathProfile',
  DatapathRow: 'part of ResolvedDatapathProfile',
  DatapathHelmValue: 'part of ResolvedDatapathProfile',
  ResolvedHubbleOptions: 'part of ResolvedCiliumValuesOptions',
  ResolvedWarmPool: 'resolveWarmPool() returns it',
  CapacityPlan: 'planCapacity() returns it; formatCapacityPlan() takes it',
  CapacityPlanError: 'part of CapacityPlan',
  NodeAddressDemand: 'part of CapacityPlan',
  ZoneCapacity: 'part of CapacityPlan',
  JsonPatchOperation: 'ec2NodeClassPatch() and nodePoolPatch() return it; applyJsonPatch() takes it',
  RequiredNodeAffinity: 'vpcCniAffinity() returns it; matchesNodeAffinity() takes it',
  NodeAffinityRequirement: 'part of RequiredNodeAffinity',
  ResolvedMigrationPhase: 'resolveMigrationPhase() returns it',
  PolicyManifest: "the policy builders' toManifest() returns it; addNetworkPolicy() takes it",
  PolicyMetadata: 'part of PolicyManifest',
  ResolvedTetragonOptions: 'resolveTetragonOptions() returns it',
  FleetNetworkPlan: 'planFleetNetwork() returns it; connectivityWarnings() and FleetTransitGateway take it',
  PeeringPlan: 'part of FleetNetworkPlan',
  PeeringConnectionSpec: 'part of FleetNetworkPlan',
  TransitGatewayPlan: 'part of FleetNetworkPlan',
  TransitGatewaySpec: 'part of FleetNetworkPlan',
  TgwVpcAttachmentSpec: 'part of FleetNetworkPlan',
  TgwPeeringSpec: 'part of FleetNetworkPlan',
  TgwRouteSpec: 'part of FleetNetworkPlan',
  VpcRouteSpec: 'part of FleetNetworkPlan',
  RouteTarget: 'part of FleetNetworkPlan',
};

/** Kubernetes objects the Pod Security evaluator reads (core/pss/types.ts): any field allowed. */
const KUBERNETES_OBJECTS: readonly string[] = [
  'AppArmorProfile',
  'Capabilities',
  'Container',
  'ContainerPort',
  'EphemeralContainer',
  'HTTPGetAction',
  'Lifecycle',
  'LifecycleHandler',
  'ObjectMeta',
  'Pod',
  'PodOS',
  'PodSecurityContext',
  'PodSpec',
  'PodTemplateSpec',
  'Probe',
  'PssTarget',
  'SeccompProfile',
  'SecurityContext',
  'SELinuxOptions',
  'Sysctl',
  'TCPSocketAction',
  'Volume',
  'WindowsSecurityContextOptions',
  'Workload',
  'WorkloadSpec',
];


const ROOT = path.join(__dirname, '..');
const TYPES = publicInputTypes();
const declared = TYPES.filter((t) => PRODUCED[t.name] === undefined && !KUBERNETES_OBJECTS.includes(t.name));

/** The `<Type>Schema` exported beside `type`, if it is a valibot schema. */
function schemaOf(t: { readonly file: string; readonly name: string }): unknown {
  const exported = (require(path.join(ROOT, t.file)) as Record<string, unknown>)[`${t.name}Schema`] as { kind?: unknown } | undefined;
  return exported?.kind === 'schema' ? exported : undefined;
}

describe('every public input type is declared', () => {
  test('the walk finds the public inputs (a stack, a builder, a nested option)', () => {
    const names = TYPES.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['CiliumEksStackProps', 'NodePoolOptions', 'HubbleServiceMonitorOptions', 'KarpenterNodePoolOptions']));
    expect(declared.length).toBeGreaterThan(100);
  });
  test.each(declared.map((t) => [`${t.name} (${t.file}, reached as ${t.via})`, t] as const))('%s has its <Type>Schema', (_name, t) => {
    expect([t.name, schemaOf(t) !== undefined]).toEqual([t.name, true]);
  });
  test('each type left out is still found, for the reason given', () => {
    const byName = new Map(TYPES.map((t) => [t.name, t]));
    for (const name of Object.keys(PRODUCED)) expect([name, byName.get(name)?.produced]).toEqual([name, true]);
    for (const name of KUBERNETES_OBJECTS) expect([name, byName.get(name)?.file.startsWith('core/pss/')]).toEqual([name, true]);
  });
});
