import { Construct } from 'constructs';
import { check } from '../core/errors';
import { KubernetesManifest } from '../core/k8s';
import { allowKubeApiserver, assertPolicyValid, CiliumPolicy, CiliumPolicyBase, defaultDeny, Fqdn, fqdnEgressAllowList, PolicyManifest, Selector, storefrontToCatalog } from '../bpf/policy';
import { agentBlocked, allowPodIdentityAgent, namespaceEgressState } from '../bpf/policy/pod-identity';
import { assertNoDuplicateFqdns } from '../bpf/policy/ready-made';
import { withProperty, withPropertyPrefix } from '../core/props';
import { bool, declare, int, list, oneOf, optional, parse, strict, string } from '../core/schema';
import { dns1123Label, dns1123Subdomain, kubernetesMinor, labels, region } from '../core/rules';
import { dependables } from './inputs';
import { Annotations, ITerraformDependable } from './cdktf';
import { ManifestRelease } from './manifest-release';
import { PodSecurityLevel, pssNamespaceManifest, SYSTEM_NAMESPACES } from '../core/pss/namespace';

/** A workload namespace the stack creates, with the ready-made policies switched on for it. */
export interface WorkloadNamespaceOptions {
  /** Namespace name (a DNS-1123 label). */
  readonly name: string;
  /** Pod Security level for enforce, audit and warn. @default 'restricted' */
  readonly podSecurity?: PodSecurityLevel;
  /** Deny all ingress and egress except DNS to kube-dns (with DNS visibility). @default true */
  readonly defaultDeny?: boolean;
  /** Let every pod of the namespace reach the Kubernetes API server on 443. @default false */
  readonly allowKubeApiserver?: boolean;
  /**
   * Egress allow-lists by FQDN: pods matching `labels` may reach each name on `port`, and nothing
   * else is added (list `*.s3.<region>.amazonaws.com` yourself for S3). A list must not be empty,
   * and a name listed twice is refused. `*` patterns are allowed.
   * @default - none
   */
  readonly fqdnEgress?: readonly { readonly labels: Record<string, string>; readonly fqdns: readonly string[]; readonly port?: number; readonly name?: string }[];
  /** Add the storefront -> catalog example (GET /api/books and /api/books/.* on catalog:8080). @default false */
  readonly storefrontExample?: boolean;
}
export const WorkloadNamespaceOptionsSchema = declare<WorkloadNamespaceOptions>()(
  strict(
    {
      name: dns1123Label('a namespace name'),
      podSecurity: optional(oneOf(['restricted', 'baseline', 'privileged'] as const)),
      defaultDeny: optional(bool()),
      allowKubeApiserver: optional(bool()),
      fqdnEgress: optional(
        list(
          strict(
            { labels: labels(), fqdns: list(string('a DNS name or * pattern'), { min: 1, allowed: 'at least one name', reason: 'an empty allow-list would allow nothing but DNS' }), port: optional(int(1, 65535)), name: optional(dns1123Subdomain('a policy name')) },
            'an FQDN allow-list { labels, fqdns, port?, name? }',
          ),
        ),
      ),
      storefrontExample: optional(bool()),
    },
    'a workload namespace',
  ),
);
/** The `networkPolicies` prop of a cluster or a migration. */
export const networkPoliciesSchema = strict({ namespaces: optional(list(WorkloadNamespaceOptionsSchema, { unique: (n) => n.name, uniqueField: 'name', duplicate: 'a namespace not listed before' })) }, 'network policy options { namespaces }');

/**
 * The props of {@link NetworkPolicies}: what the policies wait for, the Kubernetes version and region, and
 * the workload namespaces to create. {@link CiliumEksCluster} fills them from `networkPolicies` of its props.
 */
export interface NetworkPoliciesProps {
  /** What the policies wait for: the Cilium operator registers the CRDs at start-up, so CoreDNS running proves it. */
  readonly dependsOn: ITerraformDependable[];
  /** Kubernetes version, for the Pod Security policy version of created namespaces. */
  readonly kubernetesVersion: string;
  /** AWS region of the cluster. No ready-made policy adds a region-specific name the user did not list. */
  readonly region: string;
  /** Namespaces to create with their ready-made policies. @default - none */
  readonly namespaces?: readonly WorkloadNamespaceOptions[];
}
/** The declaration of {@link NetworkPoliciesProps}; the namespaces are named as the cluster's `networkPolicies.namespaces`. */
export const NetworkPoliciesPropsSchema = declare<NetworkPoliciesProps>()(
  strict({ ...networkPoliciesSchema.entries, dependsOn: dependables(), kubernetesVersion: kubernetesMinor(), region: region() }, 'NetworkPolicies props { dependsOn, kubernetesVersion, region, namespaces? }'),
);

/**
 * CiliumNetworkPolicies (and clusterwide ones) delivered in the same `cdktf deploy` that creates
 * the cluster. Every policy is linted at synth (`lintPolicy`): an error fails the synth, a
 * warning becomes a synth warning. Delivery is a {@link ManifestRelease}: no CRD is needed at plan
 * time, Helm applies Namespaces before the policies in them, and a change is a line diff.
 */
export class NetworkPolicies extends Construct {
  /**
   * The Helm release `cilium-eks-network-policies` (release record in `kube-system`) that delivers the
   * namespaces and the policies ({@link ManifestRelease}); it waits for `dependsOn`.
   */
  public readonly release: ManifestRelease;
  private readonly props: NetworkPoliciesProps;
  /** Every policy added, for the Pod Identity egress reconciliation. */
  private readonly policies: PolicyManifest[] = [];
  /** Service accounts with a Pod Identity association, by namespace. */
  private readonly podIdentity = new Map<string, Set<string>>();
  private readonly namespaces = new Map<string, string>();

  constructor(scope: Construct, id: string, props: NetworkPoliciesProps) {
    super(scope, id);
    parse(NetworkPoliciesPropsSchema, props, 'networkPolicies');
    this.props = props;
    this.release = new ManifestRelease(this, 'delivery', {
      releaseName: 'cilium-eks-network-policies',
      namespace: 'kube-system',
      dependsOn: props.dependsOn,
    });
    (props.namespaces ?? []).forEach((ns, i) => this.addNamespace(ns, `networkPolicies.namespaces[${i}]`));
  }

  /**
   * Records that the pods of `namespace/serviceAccount` get AWS credentials through Pod Identity:
   * when a default-deny egress policy covers them (now or added later), a policy letting them reach
   * the agent ({@link allowPodIdentityAgent}) is added with it.
   */
  public allowPodIdentityAgent(namespace: string, serviceAccount: string): void {
    const accounts = this.podIdentity.get(namespace) ?? new Set<string>();
    accounts.add(serviceAccount);
    this.podIdentity.set(namespace, accounts);
    this.reconcilePodIdentity(namespace);
  }

  /** Adds the agent egress for every bound service account of `namespace` that default deny cuts off. */
  private reconcilePodIdentity(namespace: string): void {
    const accounts = this.podIdentity.get(namespace);
    if (accounts === undefined) return;
    for (const sa of [...accounts].sort()) {
      if (agentBlocked(namespaceEgressState(this.policies, namespace), sa)) this.addPolicy(allowPodIdentityAgent(namespace, sa));
    }
  }

  /** Creates a Pod Security labelled namespace and switches on its ready-made policies. */
  public addNamespace(ns: WorkloadNamespaceOptions, property = 'addNamespace(ns)'): void {
    parse(WorkloadNamespaceOptionsSchema, ns, property);
    check(!SYSTEM_NAMESPACES.includes(ns.name), `${property}.name`, ns.name, `a namespace other than ${SYSTEM_NAMESPACES.join(', ')}`, 'those exist already; add policies for them with addPolicy');
    const first = this.namespaces.get(ns.name);
    check(first === undefined, `${property}.name`, ns.name, `a namespace not listed before (${first} has it)`);
    this.namespaces.set(ns.name, property);
    this.release.addManifest(pssNamespaceManifest(ns.name, { level: ns.podSecurity, kubernetesVersion: this.props.kubernetesVersion }), `${property}.name`);
    if (ns.defaultDeny ?? true) this.addPolicy(defaultDeny(ns.name), `${property}.defaultDeny`);
    if (ns.allowKubeApiserver) this.addPolicy(allowKubeApiserver(ns.name), `${property}.allowKubeApiserver`);
    if (ns.storefrontExample) this.addPolicy(storefrontToCatalog({ namespace: ns.name }), `${property}.storefrontExample`);
    (ns.fqdnEgress ?? []).forEach((e, j) => {
      const p = `${property}.fqdnEgress[${j}]`;
      check(Array.isArray(e.fqdns) && e.fqdns.length > 0, `${p}.fqdns`, e.fqdns, 'at least one name', 'an empty allow-list would allow nothing but DNS');
      // Each name judged where the user wrote it; no name is added that the user did not list.
      const names = e.fqdns.map((f, k) => withProperty(`${p}.fqdns[${k}]`, () => Fqdn.from(f)));
      assertNoDuplicateFqdns(names, (k) => `${p}.fqdns[${k}]`);
      const policy = withPropertyPrefix(p, () => fqdnEgressAllowList(ns.name, Selector.labels(e.labels), names, undefined, { name: e.name ?? `fqdn-egress-${j}`, port: e.port }));
      this.addPolicy(policy, `${p}.name`);
    });
  }

  /**
   * Adds a policy; lint errors throw, warnings are reported as synth warnings. A second policy
   * of the same kind, namespace and name is refused, naming `property` (by default the call).
   */
  public addPolicy(policy: CiliumPolicy | PolicyManifest, property = 'addNetworkPolicy(policy).metadata.name'): KubernetesManifest {
    const warnings = assertPolicyValid(policy);
    for (const w of warnings) Annotations.of(this).addWarning(`${w.policy} ${w.rule}: ${w.message}`);
    const manifest = (policy instanceof CiliumPolicyBase ? policy.toManifest() : policy) as KubernetesManifest;
    this.release.addManifest(manifest, property);
    this.policies.push(manifest as unknown as PolicyManifest);
    // A default-deny policy added after a Pod Identity binding: open the agent for the bound pods.
    if (manifest.metadata.namespace !== undefined) this.reconcilePodIdentity(manifest.metadata.namespace);
    return manifest;
  }
}
