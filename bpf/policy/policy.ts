import { check, ValidationError } from '../../core/errors';
import { JsonObject } from '../../core/yaml';
import { dnsVisibilityEgress, uncoveredFqdns } from './dns';
import { compact, emptySelectorPaths } from '../../core/json';
import { Egress, EgressDeny, Ingress, IngressDeny, RuleKind } from './rules';
import { Selector } from './selector';
import { checkDnsLabel, checkDnsSubdomain, checkLabels } from './validate';
import { anyOf, bool, declare, instance, list, optional, parse, record, strict, string, v } from '../../core/schema';

/**
 * Annotation that records where a policy selects everything on purpose: a comma-separated list
 * of selector paths (`endpointSelector`, `ingress[0].fromEndpoints[0]`, `specs[1].endpointSelector`).
 * The builders write it for every {@link Selector.all}; the lint warns about an empty selector at
 * any path it does not list. Add it by hand to a raw manifest to mark the same intent.
 */
export const SELECT_ALL_ANNOTATION = 'cilium-eks/select-all';

/** Kinds of Cilium policy this module builds. */
export type PolicyKind = 'CiliumNetworkPolicy' | 'CiliumClusterwideNetworkPolicy';

/** `metadata` of a built policy. */
export type PolicyMetadata = {
  /** The policy's name. */
  name: string;
  /** The namespace. @default - absent for a clusterwide policy */
  namespace?: string;
  /** Labels given to the builder. @default - absent when none were given */
  labels?: { [key: string]: string };
  /** Only {@link SELECT_ALL_ANNOTATION}. @default - absent when nothing selects everything */
  annotations?: { [key: string]: string };
};

/** What `toManifest()` returns: plain JSON, with `spec` for one rule and `specs` for several. */
export type PolicyManifest = {
  /** Always the served v2 API. */
  apiVersion: 'cilium.io/v2';
  /** The policy kind. */
  kind: PolicyKind;
  /** Name, namespace, labels and the select-all annotation. */
  metadata: PolicyMetadata;
  /** The single rule. @default - absent when the policy was built with `specs` */
  spec?: JsonObject;
  /** Several rules. @default - absent when the policy was built with `spec` */
  specs?: JsonObject[];
};

/** Per-direction default deny (`enableDefaultDeny`). */
export interface DefaultDeny {
  /**
   * Whether selected endpoints drop ingress nothing allows. `true` with no ingress rule makes the
   * builder write `ingress: [{}]` (an empty rule that allows nothing): Cilium ignores
   * `enableDefaultDeny` for a direction that has no rules. `false` keeps this policy additive.
   * @default - Cilium's: true when the spec has ingress or ingressDeny rules
   */
  readonly ingress?: boolean;
  /** The same for egress. @default - Cilium's: true when the spec has egress or egressDeny rules */
  readonly egress?: boolean;
}

/** The rules of one spec. Each list, when given, must be non-empty: Cilium reads `[]` as absent. */
export interface RuleSet {
  /** Ingress allow rules. @default - none: this spec allows no ingress */
  readonly ingress?: readonly Ingress[];
  /**
   * Egress allow rules. When a rule has a `Peer.fqdns` peer and no DNS rule of this spec on
   * port 53 covers its names, the builder appends egress to kube-dns (kube-system,
   * `k8s-app=kube-dns`) on 53/UDP and 53/TCP with the DNS rule `matchPattern: '*'`: without a DNS
   * rule the pods' lookups bypass Cilium's DNS proxy, `toFQDNs` never learns an address and the
   * traffic is dropped. The lint reports the same gap as an error in a policy not built here.
   * @default - none: this spec allows no egress
   */
  readonly egress?: readonly Egress[];
  /** Ingress deny rules, which win over every allow. @default - none */
  readonly ingressDeny?: readonly IngressDeny[];
  /** Egress deny rules, which win over every allow. @default - none */
  readonly egressDeny?: readonly EgressDeny[];
  /** Default deny per direction. To deny all ingress, set `{ingress: true}` and give no ingress rules. @default - Cilium's, see {@link DefaultDeny} */
  readonly enableDefaultDeny?: DefaultDeny;
  /** Free-form description shown by `kubectl describe`. @default - none */
  readonly description?: string;
}

/** One rule of a namespaced policy. */
export interface PolicySpec extends RuleSet {
  /** The pods of the policy's namespace the rules apply to. {@link Selector.all} for every pod. */
  readonly endpointSelector: Selector;
}

/** One rule of a clusterwide policy: give exactly one of `endpointSelector` and `nodeSelector`. */
export interface ClusterwidePolicySpec extends RuleSet {
  /** The endpoints of the whole cluster the rules apply to. @default - none; nodeSelector is used */
  readonly endpointSelector?: Selector;
  /** The nodes the rules apply to (host firewall). @default - none; endpointSelector is used */
  readonly nodeSelector?: Selector;
}

/** Metadata props shared by both policy kinds. */
export interface PolicyProps<Spec> {
  /** `metadata.name`: a DNS-1123 subdomain. */
  readonly name: string;
  /** `metadata.labels`. @default - none */
  readonly labels?: Readonly<Record<string, string>>;
  /** The policy's single rule. Give exactly one of `spec` and `specs`. @default - none; specs is used */
  readonly spec?: Spec;
  /** Several rules, each with its own selector, written as `specs`. @default - none; spec is used */
  readonly specs?: readonly Spec[];
}

/** Props of a {@link CiliumNetworkPolicy}. */
export interface CiliumNetworkPolicyProps extends PolicyProps<PolicySpec> {
  /** `metadata.namespace`: the namespace whose pods the policy selects. */
  readonly namespace: string;
}

/** Props of a {@link CiliumClusterwideNetworkPolicy}. */
export type CiliumClusterwideNetworkPolicyProps = PolicyProps<ClusterwidePolicySpec>;

// ---- Declarations: the shape of the props (unknown keys, types, the rule classes); names, labels,
// selectors and the rules' meaning are judged below, where the messages name the Cilium rule.
/** The declaration of {@link DefaultDeny}. */
export const DefaultDenySchema = declare<DefaultDeny>()(strict({ ingress: optional(bool()), egress: optional(bool()) }, 'default deny { ingress?, egress? }'));
const ruleSetEntries = {
  ingress: optional(list(instance(Ingress, 'an Ingress rule (Ingress.from(...))'))),
  egress: optional(list(instance(Egress, 'an Egress rule (Egress.to(...))'))),
  ingressDeny: optional(list(instance(IngressDeny, 'an IngressDeny rule'))),
  egressDeny: optional(list(instance(EgressDeny, 'an EgressDeny rule'))),
  enableDefaultDeny: optional(DefaultDenySchema),
  description: optional(string()),
} as const;
const selector = (what: string) => instance(Selector, `a Selector (${what})`);
export const PolicySpecSchema = declare<PolicySpec>()(strict({ ...ruleSetEntries, endpointSelector: selector('Selector.all() for every pod of the namespace') }, 'a policy spec { endpointSelector, ingress?, egress?, ... }'));
export const ClusterwidePolicySpecSchema = declare<ClusterwidePolicySpec>()(
  strict({ ...ruleSetEntries, endpointSelector: optional(selector('endpoints')), nodeSelector: optional(selector('nodes')) }, 'a clusterwide policy spec { endpointSelector | nodeSelector, ingress?, egress?, ... }'),
);
const policyPropsEntries = { name: string('a policy name'), labels: optional(labelMap()), spec: optional(PolicySpecSchema), specs: optional(list(PolicySpecSchema)) };
const eitherSpec = anyOf([PolicySpecSchema, ClusterwidePolicySpecSchema], 'a policy spec { endpointSelector | nodeSelector, ingress?, egress?, ... }');
/** The declaration of {@link PolicyProps} of either policy kind (each kind's props declare their own spec). */
export const PolicyPropsSchema = declare<PolicyProps<PolicySpec | ClusterwidePolicySpec>>()(
  strict({ ...policyPropsEntries, spec: optional(eitherSpec), specs: optional(list(eitherSpec)) }, 'policy props { name, spec | specs, labels? }'),
);
export const CiliumNetworkPolicyPropsSchema = declare<CiliumNetworkPolicyProps>()(strict({ ...policyPropsEntries, namespace: string('a namespace') }, 'CiliumNetworkPolicy props { name, namespace, spec | specs, labels? }'));
export const CiliumClusterwideNetworkPolicyPropsSchema = declare<CiliumClusterwideNetworkPolicyProps>()(
  strict({ ...policyPropsEntries, spec: optional(ClusterwidePolicySpecSchema), specs: optional(list(ClusterwidePolicySpecSchema)) }, 'CiliumClusterwideNetworkPolicy props { name, spec | specs, labels? }'),
);
function labelMap(): v.GenericSchema<Record<string, string>> {
  return record(string('a label key'), string('a label value'), 'an object of label keys to values');
}

const LISTS: readonly RuleKind[] = ['ingress', 'ingressDeny', 'egress', 'egressDeny'];

/** Renders one spec, checking what the types cannot. `property` is `spec` or `specs[i]`. */
function renderSpec(property: string, spec: RuleSet, selectors: JsonObject): JsonObject {
  const lists: { [kind: string]: JsonObject[] | undefined } = {};
  for (const kind of LISTS) {
    const rules = spec[kind];
    if (rules === undefined) continue;
    check(rules.length > 0, `${property}.${kind}`, [], `a non-empty list, or leave ${kind} out`, kind.endsWith('Deny') ? 'Cilium reads an empty list as absent' : `Cilium reads an empty list as absent: it neither allows nor denies; for deny-all set enableDefaultDeny.${kind} = true and give no ${kind} rules`);
    rules.forEach((r, i) => check(r.kind === kind, `${property}.${kind}[${i}]`, r.kind, `a rule built with the ${kind} class`));
    lists[kind] = rules.map((r) => r.toJson());
  }
  const deny = spec.enableDefaultDeny;
  for (const direction of ['ingress', 'egress'] as const) {
    // Cilium only applies default deny to a direction the rule has rules for; an empty rule
    // `{}` gives it one that allows nothing.
    if (deny?.[direction] === true && !lists[direction] && !lists[`${direction}Deny`]) lists[direction] = [{}];
  }
  const hasRules = Object.values(lists).some((l) => l !== undefined);
  check(hasRules, property, spec, 'at least one of ingress, egress, ingressDeny, egressDeny or enableDefaultDeny {ingress|egress: true}', 'a spec without rules changes nothing');
  const json = compact({
    ...selectors,
    ...lists,
    enableDefaultDeny: deny ? compact({ ingress: deny.ingress, egress: deny.egress }) : undefined,
    description: spec.description,
  });
  if (uncoveredFqdns(json).length > 0) json.egress = [...(lists.egress ?? []), dnsVisibilityEgress().toJson()];
  return json;
}

function specsOfProps<Spec>(props: PolicyProps<Spec>): Array<[string, Spec]> {
  if ((props.spec === undefined) === (props.specs === undefined)) {
    throw new ValidationError('spec', props.spec ?? props.specs, 'exactly one of spec and specs');
  }
  if (props.spec !== undefined) return [['spec', props.spec]];
  const specs = props.specs ?? [];
  check(specs.length > 0, 'specs', [], 'at least one spec');
  return specs.map((s, i) => [`specs[${i}]`, s]);
}

/** What both policy kinds share: metadata, rendered specs and `toManifest()`. */
export abstract class CiliumPolicyBase {
  /** `metadata.name`. */
  public readonly name: string;
  private readonly manifest: PolicyManifest;

  protected constructor(kind: PolicyKind, props: PolicyProps<unknown>, namespace: string | undefined, specs: JsonObject[]) {
    checkDnsSubdomain('name', props.name);
    if (props.labels) checkLabels('labels', props.labels, false);
    this.name = props.name;
    const body = props.spec !== undefined ? { spec: specs[0] } : { specs };
    const metadata: PolicyMetadata = { name: props.name };
    if (namespace !== undefined) metadata.namespace = namespace;
    if (props.labels && Object.keys(props.labels).length > 0) metadata.labels = { ...props.labels };
    this.manifest = { apiVersion: 'cilium.io/v2', kind, metadata, ...body };
    const selectAll = emptySelectorPaths(this.manifest as unknown as JsonObject);
    if (selectAll.length > 0) metadata.annotations = { [SELECT_ALL_ANNOTATION]: selectAll.join(',') };
  }

  /** The policy as plain JSON, a fresh copy each call: `{apiVersion, kind, metadata, spec | specs}`. */
  toManifest(): PolicyManifest {
    return structuredClone(this.manifest);
  }
}

/** A namespaced `CiliumNetworkPolicy`: its selectors see the pods of its own namespace. */
export class CiliumNetworkPolicy extends CiliumPolicyBase {
  /** `metadata.namespace`. */
  public readonly namespace: string;

  /** Builds and validates the policy; throws a ValidationError naming the offending property. */
  constructor(props: CiliumNetworkPolicyProps) {
    parse(CiliumNetworkPolicyPropsSchema, props);
    checkDnsLabel('namespace', props.namespace);
    const specs = specsOfProps(props).map(([property, spec]) => {
      check(spec.endpointSelector instanceof Selector, `${property}.endpointSelector`, spec.endpointSelector, 'a Selector (Selector.all() for every pod of the namespace)');
      return renderSpec(property, spec, { endpointSelector: spec.endpointSelector.toJson() });
    });
    super('CiliumNetworkPolicy', props, props.namespace, specs);
    this.namespace = props.namespace;
  }
}

/** A `CiliumClusterwideNetworkPolicy`: its selectors see every endpoint (or node) of the cluster. */
export class CiliumClusterwideNetworkPolicy extends CiliumPolicyBase {
  /** Builds and validates the policy; throws a ValidationError naming the offending property. */
  constructor(props: CiliumClusterwideNetworkPolicyProps) {
    parse(CiliumClusterwideNetworkPolicyPropsSchema, props);
    const specs = specsOfProps(props).map(([property, spec]) => {
      const { endpointSelector, nodeSelector } = spec;
      check((endpointSelector === undefined) !== (nodeSelector === undefined), `${property}.endpointSelector`, (endpointSelector ?? nodeSelector)?.toJson(), 'exactly one of endpointSelector and nodeSelector', 'the CRD requires one and they are mutually exclusive');
      const selectors: JsonObject = endpointSelector ? { endpointSelector: endpointSelector.toJson() } : { nodeSelector: (nodeSelector as Selector).toJson() };
      return renderSpec(property, spec, selectors);
    });
    super('CiliumClusterwideNetworkPolicy', props, undefined, specs);
  }
}

/** Either policy kind. */
export type CiliumPolicy = CiliumNetworkPolicy | CiliumClusterwideNetworkPolicy;
