/**
 * Ready-made policies a team switches on per namespace. They are meant to be layered:
 * {@link defaultDeny} closes the namespace, the others open what one workload needs.
 */
import { check } from '../../core/errors';
import { withProperty } from '../../core/props';
import { dnsVisibilityEgress } from './dns';
import { Fqdn, Peer } from './peer';
import { HttpPath, HttpRule, Port, PortRule } from './ports';
import { CiliumNetworkPolicy } from './policy';
import { Egress, Ingress } from './rules';
import { Selector } from './selector';
import { declare, int, optional, parse, record, strict, string } from '../../core/schema';
import { dns1123Label, dns1123Subdomain } from '../../core/rules';

/** Options every ready-made policy takes. */
export interface ReadyMadeOptions {
  /** `metadata.name` of the policy. @default - the function's own name in kebab case, e.g. `default-deny` */
  readonly name?: string;
}
const nameEntry = { name: optional(dns1123Subdomain('a policy name')) } as const;
const portEntry = { port: optional(int(1, 65535)) } as const;
const labelsMap = record(string('a label key'), string('a label value'), 'an object of label keys to values');
export const ReadyMadeOptionsSchema = declare<ReadyMadeOptions>()(strict(nameEntry, 'options { name? }'));

/**
 * Default deny for every pod of `namespace`, at ingress and at egress, except DNS: egress to
 * kube-dns (kube-system, `k8s-app=kube-dns`) on 53/UDP and 53/TCP with the DNS rule
 * `matchPattern: '*'`, so every lookup works and shows up in Hubble. Ingress is closed by an empty
 * rule `ingress: [{}]` with `enableDefaultDeny.ingress: true` (Cilium reads `ingress: []` as no
 * ingress policy at all).
 *
 * @param namespace the namespace to close
 * @param options name; by default `default-deny`
 */
export function defaultDeny(namespace: string, options: ReadyMadeOptions = {}): CiliumNetworkPolicy {
  parse(ReadyMadeOptionsSchema, options, 'defaultDeny(options)');
  return new CiliumNetworkPolicy({
    name: options.name ?? 'default-deny',
    namespace,
    spec: {
      description: `Default deny for every pod of ${namespace}; only DNS to kube-dns is allowed, and every lookup is visible`,
      endpointSelector: Selector.all(),
      enableDefaultDeny: { ingress: true, egress: true },
      egress: [dnsVisibilityEgress()],
    },
  });
}

/** Options of {@link allowKubeApiserver}. */
export interface AllowKubeApiserverOptions extends ReadyMadeOptions {
  /** Port of the API server's endpoints; EKS serves on 443. @default 443 */
  readonly port?: number;
}
export const AllowKubeApiserverOptionsSchema = declare<AllowKubeApiserverOptions>()(strict({ ...nameEntry, ...portEntry }, 'options { name?, port? }'));

/**
 * Egress from `selector`'s pods of `namespace` to the `kube-apiserver` entity on TCP 443. It is
 * additive (`enableDefaultDeny.egress: false`): on its own it closes nothing, so switching it on
 * cannot cut a pod's other traffic; with {@link defaultDeny} it opens the API server.
 *
 * @param namespace the pods' namespace
 * @param selector the pods that may reach the API server; by default `Selector.all()`, every pod of the namespace
 * @param options name (default `allow-kube-apiserver`) and port (default 443)
 */
export function allowKubeApiserver(namespace: string, selector: Selector = Selector.all(), options: AllowKubeApiserverOptions = {}): CiliumNetworkPolicy {
  parse(AllowKubeApiserverOptionsSchema, options, 'allowKubeApiserver(options)');
  return new CiliumNetworkPolicy({
    name: options.name ?? 'allow-kube-apiserver',
    namespace,
    spec: {
      description: 'Egress to the Kubernetes API server',
      endpointSelector: selector,
      enableDefaultDeny: { egress: false },
      egress: [Egress.to(Peer.entities('kube-apiserver')).on(Port.tcp(options.port ?? 443))],
    },
  });
}

/** Options of {@link storefrontToCatalog}. */
export interface StorefrontToCatalogProps extends ReadyMadeOptions {
  /** Namespace of both workloads. @default 'default' */
  readonly namespace?: string;
  /** Labels of the client pods. @default { app: 'storefront' } */
  readonly clientLabels?: Readonly<Record<string, string>>;
  /** Labels of the server pods. @default { app: 'catalog' } */
  readonly serverLabels?: Readonly<Record<string, string>>;
  /** Server port. @default 8080 */
  readonly port?: number;
}
export const StorefrontToCatalogPropsSchema = declare<StorefrontToCatalogProps>()(
  strict({ ...nameEntry, ...portEntry, namespace: optional(dns1123Label('a namespace')), clientLabels: optional(labelsMap), serverLabels: optional(labelsMap) }, 'options { name?, namespace?, clientLabels?, serverLabels?, port? }'),
);

/**
 * "storefront may only GET /api/books and /api/books/.* on catalog:8080", as two rules:
 *
 * 1. catalog pods accept ingress only from storefront pods, only on 8080/TCP, and only
 *    `GET ^/api/books$` and `GET ^/api/books/.*$` (the proxy answers 403 to any other request);
 *    the paths are anchored because Envoy matches the regex against the whole `:path`, query
 *    string included, so `/api/books?page=2` is refused (see {@link HttpPath}).
 * 2. storefront pods may send to catalog pods on 8080/TCP. This half is additive
 *    (`enableDefaultDeny.egress: false`) so it only matters under {@link defaultDeny}, where
 *    storefront's egress would otherwise be dropped before catalog sees it.
 *
 * @param props namespace, labels, port and name; by default exactly the example above in namespace `default`
 */
export function storefrontToCatalog(props: StorefrontToCatalogProps = {}): CiliumNetworkPolicy {
  parse(StorefrontToCatalogPropsSchema, props, 'storefrontToCatalog(props)');
  const client = Selector.labels(props.clientLabels ?? { app: 'storefront' });
  const server = Selector.labels(props.serverLabels ?? { app: 'catalog' });
  const port = Port.tcp(props.port ?? 8080);
  return new CiliumNetworkPolicy({
    name: props.name ?? 'storefront-to-catalog',
    namespace: props.namespace ?? 'default',
    specs: [
      {
        description: `catalog accepts only GET /api/books and /api/books/.* from storefront on ${port.port}/TCP`,
        endpointSelector: server,
        ingress: [
          Ingress.from(Peer.endpoints(client)).on(
            PortRule.of(port).allowHttp(HttpRule.get(HttpPath.exact('/api/books')), HttpRule.get(HttpPath.prefix('/api/books/'))),
          ),
        ],
      },
      {
        description: `storefront may connect to catalog on ${port.port}/TCP`,
        endpointSelector: client,
        enableDefaultDeny: { egress: false },
        egress: [Egress.to(Peer.endpoints(server)).on(port)],
      },
    ],
  });
}

/** Options of {@link fqdnEgressAllowList}. */
export interface FqdnEgressAllowListOptions extends ReadyMadeOptions {
  /** TCP port the names may be reached on. @default 443 */
  readonly port?: number;
}
export const FqdnEgressAllowListOptionsSchema = declare<FqdnEgressAllowListOptions>()(strict({ ...nameEntry, ...portEntry }, 'options { name?, port? }'));

/** How Cilium compares names: case-insensitively, with or without the trailing dot. */
function fqdnKey(f: Fqdn): string {
  return `${f.field}:${f.value.toLowerCase().replace(/\.$/, '')}`;
}

/**
 * Refuses a name listed twice in one allow-list (compared as Cilium does: case-insensitive,
 * trailing dot ignored). Refused rather than dropped: a duplicate is usually a typo for another name.
 */
export function assertNoDuplicateFqdns(names: readonly Fqdn[], property: (index: number) => string): void {
  const seen = new Map<string, number>();
  names.forEach((n, i) => {
    const first = seen.get(fqdnKey(n));
    check(first === undefined, property(i), n.value, 'a name not listed before in this allow-list', `the same name as entry ${first}`);
    seen.set(fqdnKey(n), i);
  });
}

/** AWS region code: `eu-west-1`, `us-gov-west-1`, `ap-southeast-3`. */
const AWS_REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/**
 * "payments may reach api.stripe.com:443 and *.s3.<region>.amazonaws.com:443": egress from
 * `selector`'s pods of `namespace` to `fqdns` (a string with `*` is a `matchPattern`), plus
 * `*.s3.<region>.amazonaws.com` when `region` is given, on TCP 443, and nothing else (egress
 * default deny). The builder adds the DNS-visibility rule to kube-dns that `toFQDNs` needs.
 * `*.s3.<region>.amazonaws.com` covers virtual-hosted buckets one label deep (`bucket.s3...`),
 * not path-style requests to `s3.<region>.amazonaws.com` itself.
 *
 * @param namespace the pods' namespace
 * @param selector the pods the allow-list applies to
 * @param fqdns names the pods may reach; a string with `*` becomes a `matchPattern`
 * @param region AWS region whose S3 endpoints the pods may reach; by default none (no S3 pattern)
 * @param options name (default `fqdn-egress-allow-list`) and port (default 443)
 */
export function fqdnEgressAllowList(
  namespace: string,
  selector: Selector,
  fqdns: readonly (string | Fqdn)[],
  region?: string,
  options: FqdnEgressAllowListOptions = {},
): CiliumNetworkPolicy {
  parse(FqdnEgressAllowListOptionsSchema, options, 'fqdnEgressAllowList(options)');
  if (region !== undefined) check(AWS_REGION.test(region), 'fqdnEgressAllowList(region)', region, 'an AWS region code such as eu-west-1');
  const names = fqdns.map((f, i) => (f instanceof Fqdn ? f : withProperty(`fqdnEgressAllowList(fqdns)[${i}]`, () => Fqdn.from(f))));
  // The caller's region adds its S3 pattern, unless the caller listed it already.
  const s3 = region !== undefined ? Fqdn.pattern(`*.s3.${region}.amazonaws.com`) : undefined;
  if (s3 !== undefined && !names.some((n) => fqdnKey(n) === fqdnKey(s3))) names.push(s3);
  check(names.length > 0, 'fqdnEgressAllowList(fqdns)', fqdns, 'at least one name, or a region', 'an empty allow-list would allow nothing but DNS');
  assertNoDuplicateFqdns(names, (i) => `fqdnEgressAllowList(fqdns)[${i}]`);
  return new CiliumNetworkPolicy({
    name: options.name ?? 'fqdn-egress-allow-list',
    namespace,
    spec: {
      description: `Egress only to ${names.map((n) => n.value).join(', ')} on ${options.port ?? 443}/TCP, and DNS lookups through kube-dns`,
      endpointSelector: selector,
      egress: [Egress.to(Peer.fqdns(...names)).on(Port.tcp(options.port ?? 443))],
    },
  });
}
