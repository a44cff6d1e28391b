import { Construct } from 'constructs';
import { check } from '../core/errors';
import { KubernetesManifest } from '../core/k8s';
import { allowKubeApiserver, assertPolicyValid, CiliumPolicy, CiliumPolicyBase, defaultDeny, fqdnEgressAllowList, PolicyManifest, Selector, storefrontToCatalog } from '../bpf/policy';
import { Annotations, ITerraformDependable } from './cdktf';
import { ManifestRelease } from './manifest-release';
import { PodSecurityLevel, pssNamespaceManifest, SYSTEM_NAMESPACES } from './pss-namespace';

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
   * Egress allow-lists by FQDN: pods matching `labels` may reach each name on `port`.
   * `*.s3.<region>.amazonaws.com` style patterns are allowed.
   * @default - none
   */
  readonly fqdnEgress?: readonly { readonly labels: Record<string, string>; readonly fqdns: readonly string[]; readonly port?: number; readonly name?: string }[];
  /** Add the storefront -> catalog example (GET /api/books and /api/books/.* on catalog:8080). @default false */
  readonly storefrontExample?: boolean;
}

export interface NetworkPoliciesProps {
  /** What the policies wait for: the Cilium operator registers the CRDs at start-up, so CoreDNS running proves it. */
  readonly dependsOn: ITerraformDependable[];
  /** Kubernetes version, for the Pod Security policy version of created namespaces. */
  readonly kubernetesVersion: string;
  /** AWS region, for region-specific FQDNs in ready-made policies. */
  readonly region: string;
  /** Namespaces to create with their ready-made policies. @default - none */
  readonly namespaces?: readonly WorkloadNamespaceOptions[];
}

/**
 * CiliumNetworkPolicies (and clusterwide ones) delivered in the same `cdktf deploy` that creates
 * the cluster. Every policy is linted at synth (`lintPolicy`): an error fails the synth, a
 * warning becomes a synth warning. Delivery is a {@link ManifestRelease}: no CRD is needed at plan
 * time, Helm applies Namespaces before the policies in them, and a change is a line diff.
 */
export class NetworkPolicies extends Construct {
  public readonly release: ManifestRelease;
  private readonly props: NetworkPoliciesProps;

  constructor(scope: Construct, id: string, props: NetworkPoliciesProps) {
    super(scope, id);
    this.props = props;
    this.release = new ManifestRelease(this, 'delivery', {
      releaseName: 'cilium-eks-network-policies',
      namespace: 'kube-system',
      dependsOn: props.dependsOn,
    });
    (props.namespaces ?? []).forEach((ns, i) => this.addNamespace(ns, `networkPolicies.namespaces[${i}]`));
  }

  /** Creates a Pod Security labelled namespace and switches on its ready-made policies. */
  public addNamespace(ns: WorkloadNamespaceOptions, property = 'namespace'): void {
    check(!SYSTEM_NAMESPACES.includes(ns.name), `${property}.name`, ns.name, `a namespace other than ${SYSTEM_NAMESPACES.join(', ')}`, 'those exist already; add policies for them with addPolicy');
    this.release.addManifest(pssNamespaceManifest(ns.name, { level: ns.podSecurity, kubernetesVersion: this.props.kubernetesVersion }));
    if (ns.defaultDeny ?? true) this.addPolicy(defaultDeny(ns.name));
    if (ns.allowKubeApiserver) this.addPolicy(allowKubeApiserver(ns.name));
    if (ns.storefrontExample) this.addPolicy(storefrontToCatalog({ namespace: ns.name }));
    (ns.fqdnEgress ?? []).forEach((e, j) => {
      this.addPolicy(fqdnEgressAllowList(ns.name, Selector.labels(e.labels), e.fqdns, this.props.region, { name: e.name ?? `fqdn-egress-${j}`, port: e.port }));
    });
  }

  /** Adds a policy; lint errors throw, warnings are reported as synth warnings. */
  public addPolicy(policy: CiliumPolicy | PolicyManifest): KubernetesManifest {
    const warnings = assertPolicyValid(policy);
    for (const w of warnings) Annotations.of(this).addWarning(`${w.policy} ${w.rule}: ${w.message}`);
    const manifest = (policy instanceof CiliumPolicyBase ? policy.toManifest() : policy) as KubernetesManifest;
    this.release.addManifest(manifest);
    return manifest;
  }
}
