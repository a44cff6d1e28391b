/**
 * Pod Identity behind default deny: the agent at 169.254.170.23:80 is the `host` entity to Cilium
 * (cilium #34387), so a default-deny namespace needs an egress rule to it. The builder, where the
 * cluster adds it, and the lint for a namespace that has both without it.
 */
import { parse } from 'yaml';
import { allowPodIdentityAgent, CiliumNetworkPolicy, defaultDeny, Egress, lintPodIdentityEgress, PolicyManifest, Selector } from '../bpf/policy';
import { validateCustomResource } from './support/upstream';
import { buildStack, synthJson, TfBlock } from './support/synth';
import { CiliumEksStack } from '../constructs/cilium-eks-stack';

const CNP_CRD = ['cilium', 'crds', 'ciliumnetworkpolicies.yaml'];

function deliveredPolicies(stack: CiliumEksStack): PolicyManifest[] {
  const tf = synthJson(stack);
  const release = Object.entries(tf.resource.helm_release).find(([k]) => k.startsWith('cluster_network-policies_delivery'))?.[1] as TfBlock;
  return (parse((release.values as string[])[0]) as { manifests: PolicyManifest[] }).manifests;
}
const names = (ms: PolicyManifest[], namespace: string): string[] => ms.filter((m) => m.metadata.namespace === namespace).map((m) => m.metadata.name).sort();

describe('Egress.toPodIdentityAgent', () => {
  test('is egress to the host entity on 80/TCP, not a CIDR rule (which never matches the host identity)', () => {
    expect(Egress.toPodIdentityAgent().toJson()).toEqual({ toEntities: ['host'], toPorts: [{ ports: [{ port: '80', protocol: 'TCP' }] }] });
  });

  test('allowPodIdentityAgent selects the service account\'s pods, is additive and fits the CRD', () => {
    const m = allowPodIdentityAgent('payments', 'reports').toManifest();
    expect(m.metadata).toMatchObject({ name: 'allow-pod-identity-agent-reports', namespace: 'payments' });
    expect(m.spec).toMatchObject({
      endpointSelector: { matchLabels: { 'io.cilium.k8s.policy.serviceaccount': 'reports' } },
      enableDefaultDeny: { egress: false },
      egress: [{ toEntities: ['host'], toPorts: [{ ports: [{ port: '80', protocol: 'TCP' }] }] }],
    });
    expect(validateCustomResource(CNP_CRD, m)).toEqual([]);
  });
});

describe('addPodIdentity in a default-deny namespace', () => {
  test('adds the agent egress for the bound service account', () => {
    // GIVEN storefront is created with defaultDeny by the bundled config
    const stack = buildStack();
    // WHEN
    stack.cluster.addPodIdentity('orders', { namespace: 'storefront', serviceAccount: 'orders' });
    // THEN
    expect(names(deliveredPolicies(stack), 'storefront')).toEqual(['allow-pod-identity-agent-orders', 'default-deny', 'storefront-to-catalog']);
  });

  test('adds nothing in a namespace without default deny', () => {
    const stack = buildStack({ networkPolicies: { namespaces: [{ name: 'open', defaultDeny: false }] } });
    stack.cluster.addPodIdentity('orders', { namespace: 'open', serviceAccount: 'orders' });
    expect(names(deliveredPolicies(stack), 'open')).toEqual([]);
  });

  test('adds it too when the default-deny policy comes after the binding', () => {
    const stack = buildStack({ networkPolicies: { namespaces: [] } });
    stack.cluster.addPodIdentity('jobs', { namespace: 'batch', serviceAccount: 'runner' });
    expect(names(deliveredPolicies(stack), 'batch')).toEqual([]);
    stack.cluster.addNetworkPolicy(defaultDeny('batch'));
    expect(names(deliveredPolicies(stack), 'batch')).toEqual(['allow-pod-identity-agent-runner', 'default-deny']);
  });

  test('adds nothing when the namespace already lets every pod reach the agent', () => {
    const stack = buildStack({ networkPolicies: { namespaces: [] } });
    stack.cluster.addNetworkPolicy(defaultDeny('batch'));
    stack.cluster.addNetworkPolicy(
      new CiliumNetworkPolicy({ name: 'agent', namespace: 'batch', spec: { endpointSelector: Selector.all(), enableDefaultDeny: { egress: false }, egress: [Egress.toPodIdentityAgent()] } }),
    );
    stack.cluster.addPodIdentity('jobs', { namespace: 'batch', serviceAccount: 'runner' });
    expect(names(deliveredPolicies(stack), 'batch')).toEqual(['agent', 'default-deny']);
  });
});

describe('lintPodIdentityEgress', () => {
  const binding = { namespace: 'payments', serviceAccount: 'reports' };

  test('reports a namespace with default deny and a Pod Identity binding but no egress to the agent', () => {
    const findings = lintPodIdentityEgress([defaultDeny('payments').toManifest()], [binding]);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: 'error', code: 'pod-identity-agent-blocked', value: 'payments/reports' });
    expect(findings[0].message).toContain('cilium #34387');
  });

  test('is quiet with the agent egress, without default deny, or for another namespace', () => {
    expect(lintPodIdentityEgress([defaultDeny('payments').toManifest(), allowPodIdentityAgent('payments', 'reports').toManifest()], [binding])).toEqual([]);
    expect(lintPodIdentityEgress([], [binding])).toEqual([]);
    expect(lintPodIdentityEgress([defaultDeny('shop').toManifest()], [binding])).toEqual([]);
  });

  test('an agent egress for another service account does not count', () => {
    expect(lintPodIdentityEgress([defaultDeny('payments').toManifest(), allowPodIdentityAgent('payments', 'billing').toManifest()], [binding])).toHaveLength(1);
  });
});
