/**
 * Pod Identity behind default deny: which pods of a namespace a set of policies puts into egress
 * default deny, whether they may reach the Pod Identity agent, and the policy that lets them.
 * Pure functions over policy manifests, shared by `NetworkPolicies` and the lint.
 */
import { JsonObject } from '../../core/yaml';
import { asArray, asObject, asString, objectsOf, specsOf } from '../../core/json';
import { declare, list, parse, strict } from '../../core/schema';
import { dns1123Label, dns1123Subdomain } from '../../core/rules';
import { CiliumNetworkPolicy, PolicyManifest } from './policy';
import { Egress, POD_IDENTITY_AGENT_PORT } from './rules';
import { Selector } from './selector';
import { LintFinding } from './lint';

/** The label Cilium gives every endpoint with its service account's name. */
export const SERVICE_ACCOUNT_LABEL = 'io.cilium.k8s.policy.serviceaccount';

/** A Pod Identity binding: the pods of `serviceAccount` in `namespace` get AWS credentials. */
export interface PodIdentityBinding {
  /**
   * Namespace of the service account (a DNS-1123 label): the lint looks at the policies of this
   * namespace for a default-deny egress that cuts the pods off from the agent.
   */
  readonly namespace: string;
  /**
   * Name of the service account the Pod Identity association names: the pods running as it are
   * the ones Cilium labels `io.cilium.k8s.policy.serviceaccount=<name>`.
   */
  readonly serviceAccount: string;
}
/** The declaration of {@link PodIdentityBinding}. */
export const PodIdentityBindingSchema = declare<PodIdentityBinding>()(
  strict({ namespace: dns1123Label('a namespace'), serviceAccount: dns1123Subdomain('a service account name') }, 'a Pod Identity binding { namespace, serviceAccount }'),
);

function isEmptySelector(sel: JsonObject | undefined): boolean {
  return sel !== undefined && Object.keys(sel).every((k) => (k === 'matchLabels' || k === 'matchExpressions') && ((asArray(sel[k]) ?? Object.keys(asObject(sel[k]) ?? {})).length === 0));
}

/** The service account a selector is limited to (`k8s:io.cilium.k8s.policy.serviceaccount`), `*` for every pod, or undefined for another selection. */
function selectedServiceAccount(sel: JsonObject | undefined): string | undefined {
  if (sel === undefined) return undefined;
  if (isEmptySelector(sel)) return '*';
  const labels = asObject(sel.matchLabels) ?? {};
  const keys = Object.keys(labels);
  if (keys.length === 1 && (keys[0] === SERVICE_ACCOUNT_LABEL || keys[0] === `k8s:${SERVICE_ACCOUNT_LABEL}`) && asArray(sel.matchExpressions) === undefined) return asString(labels[keys[0]]);
  return undefined;
}

/** Whether a spec puts its endpoints into egress default deny (Cilium: every egress rule does, unless enableDefaultDeny.egress is false). */
function deniesEgress(spec: JsonObject): boolean {
  const flag = asObject(spec.enableDefaultDeny)?.egress;
  if (flag === false) return false;
  return flag === true || (asArray(spec.egress) ?? []).length > 0 || (asArray(spec.egressDeny) ?? []).length > 0;
}

/** Whether a spec allows egress to the `host` (or `all`) entity on TCP 80 or every port. */
function allowsAgent(spec: JsonObject): boolean {
  return objectsOf(spec.egress).some(([, rule]) => {
    const entities = (asArray(rule.toEntities) ?? []).map((e) => asString(e));
    if (!entities.includes('host') && !entities.includes('all')) return false;
    const portRules = asArray(rule.toPorts);
    if (portRules === undefined) return true;
    return objectsOf(rule.toPorts).some(([, pr]) =>
      objectsOf(pr.ports).some(([, p]) => String(p.port) === String(POD_IDENTITY_AGENT_PORT) && ['TCP', 'ANY', undefined].includes(asString(p.protocol))),
    );
  });
}

/** What the policies of one namespace say about egress default deny and the agent. */
export interface NamespaceEgressState {
  /** Service accounts (`*`: every pod) whose pods are in egress default deny through a policy selecting them or every pod. */
  readonly denied: ReadonlySet<string>;
  /** Service accounts (`*`: every pod) allowed to reach the agent. */
  readonly agentAllowed: ReadonlySet<string>;
}

/** The egress state of `namespace` under `policies` (CiliumNetworkPolicy manifests; others are ignored). */
export function namespaceEgressState(policies: readonly PolicyManifest[], namespace: string): NamespaceEgressState {
  const denied = new Set<string>();
  const agentAllowed = new Set<string>();
  for (const m of policies) {
    if (m.kind !== 'CiliumNetworkPolicy' || m.metadata.namespace !== namespace) continue;
    for (const [, spec] of specsOf(m as unknown as JsonObject)) {
      const sa = selectedServiceAccount(asObject(spec.endpointSelector));
      if (sa === undefined) continue;
      if (deniesEgress(spec)) denied.add(sa);
      if (allowsAgent(spec)) agentAllowed.add(sa);
    }
  }
  return { denied, agentAllowed };
}

/** True when the pods of `binding` are in egress default deny and may not reach the agent. */
export function agentBlocked(state: NamespaceEgressState, serviceAccount: string): boolean {
  const denied = state.denied.has('*') || state.denied.has(serviceAccount);
  const allowed = state.agentAllowed.has('*') || state.agentAllowed.has(serviceAccount);
  return denied && !allowed;
}

/** Name of the policy {@link allowPodIdentityAgent} builds. */
export function podIdentityAgentPolicyName(serviceAccount: string): string {
  return `allow-pod-identity-agent-${serviceAccount}`.slice(0, 253).replace(/[-.]+$/, '');
}

/**
 * Lets the pods of `serviceAccount` in `namespace` reach the EKS Pod Identity agent
 * ({@link Egress.toPodIdentityAgent}), additively (`enableDefaultDeny.egress: false`): on its own
 * it closes nothing; under a default-deny policy it opens the agent for those pods only.
 */
export function allowPodIdentityAgent(namespace: string, serviceAccount: string): CiliumNetworkPolicy {
  return new CiliumNetworkPolicy({
    name: podIdentityAgentPolicyName(serviceAccount),
    namespace,
    spec: {
      description: `Pods of service account ${serviceAccount} may reach the EKS Pod Identity agent (169.254.170.23:80, the host entity)`,
      endpointSelector: Selector.labels({ [SERVICE_ACCOUNT_LABEL]: serviceAccount }),
      enableDefaultDeny: { egress: false },
      egress: [Egress.toPodIdentityAgent()],
    },
  });
}

/**
 * Lint: every Pod Identity binding whose pods a default-deny egress policy cuts off from the
 * agent, as an error finding (the pods would get no AWS credentials).
 */
export function lintPodIdentityEgress(policies: readonly PolicyManifest[], bindings: readonly PodIdentityBinding[]): LintFinding[] {
  parse(list(PodIdentityBindingSchema), bindings, 'lintPodIdentityEgress(bindings)');
  const out: LintFinding[] = [];
  for (const b of bindings) {
    if (!agentBlocked(namespaceEgressState(policies, b.namespace), b.serviceAccount)) continue;
    out.push({
      severity: 'error',
      policy: `${b.namespace}/*`,
      rule: 'egress',
      code: 'pod-identity-agent-blocked',
      value: `${b.namespace}/${b.serviceAccount}`,
      allowed: `an egress rule to the Pod Identity agent for ${b.namespace}/${b.serviceAccount}: allowPodIdentityAgent('${b.namespace}', '${b.serviceAccount}') or Egress.toPodIdentityAgent()`,
      message: `namespace ${b.namespace}: the pods of service account ${b.serviceAccount} have a Pod Identity association but a default-deny egress policy and no egress to the agent (169.254.170.23:80, the host entity; cilium #34387), so they get no AWS credentials`,
    });
  }
  return out;
}
