/**
 * CiliumNetworkPolicy as typed code: every built policy validates against the v2 CRD schema,
 * the ready-made policies are golden YAML, each lint rule has a failing and a passing case, and
 * bad builder input fails with a message that names the property.
 */

// The Cilium CRDs carry one RE2-only pattern (`^\PC*$` on spec.log.value) that JavaScript's
// RegExp rejects, so ajv cannot compile the schema as __tests__/support/upstream.ts builds it.
// This shim (this file only) gives ajv a RegExp engine that rewrites RE2's one-letter Unicode
// classes `\pX` / `\PX` to JavaScript's `\p{X}` / `\P{X}`, which mean the same thing.
import { ValidationError } from '../core/errors';
import { thrown } from './support/errors';
import {
  allowKubeApiserver,
  assertPolicyValid,
  CiliumClusterwideNetworkPolicy,
  CiliumNetworkPolicy,
  CiliumPolicy,
  defaultDeny,
  Egress,
  EgressDeny,
  Entity,
  ENTITIES,
  Fqdn,
  fqdnEgressAllowList,
  HttpHeader,
  HttpPath,
  HttpRule,
  Ingress,
  IngressDeny,
  lintPolicy,
  LintCode,
  MatchExpression,
  NAMESPACE_LABEL,
  Peer,
  Port,
  PortRule,
  PROTOCOLS,
  SELECT_ALL_ANNOTATION,
  Selector,
  storefrontToCatalog,
} from '../bpf/policy';
import { JsonObject, JsonValue } from '../core/yaml';
import { expectYamlGolden } from './support/yaml';
import { readUpstreamYamlDocs, validateCustomResource } from './support/upstream';

const CNP_CRD = ['cilium', 'crds', 'ciliumnetworkpolicies.yaml'];
const CCNP_CRD = ['cilium', 'crds', 'ciliumclusterwidenetworkpolicies.yaml'];

function crdErrors(policy: CiliumPolicy): string[] {
  const manifest = policy.toManifest();
  return validateCustomResource(manifest.kind === 'CiliumNetworkPolicy' ? CNP_CRD : CCNP_CRD, manifest);
}

/** The `spec` of a single-spec policy. */
function specOf(policy: CiliumPolicy): JsonObject {
  const spec = policy.toManifest().spec;
  if (!spec) throw new Error(`${policy.name} has no single spec`);
  return spec;
}

const payments = Selector.labels({ app: 'payments' });

/** The ready-made policies as a team switches them on; names are the golden file names. */
const READY_MADE: ReadonlyArray<[string, () => CiliumPolicy]> = [
  ['default-deny', () => defaultDeny('shop')],
  ['allow-kube-apiserver', () => allowKubeApiserver('shop')],
  ['storefront-to-catalog', () => storefrontToCatalog()],
  ['payments-egress', () => fqdnEgressAllowList('payments', payments, ['api.stripe.com'], 'eu-west-1', { name: 'payments-egress' })],
];

/** Builder examples that together use every feature. */
const EXAMPLES: ReadonlyArray<[string, () => CiliumPolicy]> = [
  [
    'selectors and match expressions',
    () =>
      new CiliumNetworkPolicy({
        name: 'api-selectors',
        namespace: 'shop',
        labels: { team: 'checkout' },
        spec: {
          description: 'every operator of matchExpressions',
          endpointSelector: Selector.labels({ app: 'api' }).where(
            MatchExpression.in('tier', ['web', 'api']),
            MatchExpression.notIn('track', ['canary']),
            MatchExpression.exists('team'),
            MatchExpression.doesNotExist('quarantine'),
          ),
          ingress: [
            Ingress.from(Peer.endpoints(Selector.matching(MatchExpression.exists('team')), Selector.all())).on(Port.tcp(8443)),
            Ingress.from(Peer.namespace('monitoring', { 'app.kubernetes.io/name': 'prometheus' })).on(Port.tcp('metrics')),
          ],
        },
      }),
  ],
  [
    'entities, CIDRs and CIDR sets',
    () =>
      new CiliumNetworkPolicy({
        name: 'edge',
        namespace: 'shop',
        spec: {
          endpointSelector: Selector.labels({ app: 'edge' }),
          ingress: [Ingress.from(Peer.entities('world', 'remote-node')).on(Port.tcp(443)), Ingress.from(Peer.cidrs('10.0.0.0/8', '2001:db8::/32'))],
          egress: [
            Egress.to(Peer.cidrSet({ cidr: '0.0.0.0/0', except: ['169.254.169.254/32', '10.0.0.0/8'] })).on(Port.tcp(443)),
            Egress.to(Peer.entities('cluster')),
            Egress.onPorts(Port.udp(123)),
          ],
        },
      }),
  ],
  [
    'L7 HTTP with headers on every protocol factory',
    () =>
      new CiliumNetworkPolicy({
        name: 'l7-http',
        namespace: 'shop',
        spec: {
          endpointSelector: Selector.labels({ app: 'orders' }),
          ingress: [
            Ingress.from(Peer.endpoints(Selector.labels({ app: 'gateway' }))).on(
              PortRule.of(Port.tcp(8080), Port.tcp('http')).allowHttp(
                HttpRule.get(HttpPath.exact('/healthz')),
                HttpRule.of({
                  method: 'POST',
                  path: HttpPath.regex('^/orders/[0-9]+$'),
                  headers: [
                    HttpHeader.present('X-Request-Id'),
                    HttpHeader.equals('X-Env', 'prod'),
                    HttpHeader.matches('Authorization', { secret: { name: 'orders-token', namespace: 'shop' }, mismatch: 'REPLACE' }),
                  ],
                }),
              ),
            ),
            Ingress.onPorts(Port.udp(9000), Port.sctp(9001), Port.any(9002)),
          ],
        },
      }),
  ],
  [
    'L7 DNS rules and toFQDNs',
    () =>
      new CiliumNetworkPolicy({
        name: 'dns-and-fqdns',
        namespace: 'shop',
        spec: {
          endpointSelector: Selector.labels({ app: 'crawler' }),
          egress: [
            Egress.to(Peer.endpoints(Selector.namespace('kube-system').withLabels({ 'k8s:k8s-app': 'kube-dns' }))).on(
              PortRule.of(Port.any(53)).allowDns(Fqdn.name('example.com'), Fqdn.pattern('*.example.com')),
            ),
            Egress.to(Peer.fqdns(Fqdn.name('example.com'), Fqdn.pattern('*.example.com'))).on(Port.tcp(443)),
          ],
        },
      }),
  ],
  [
    'deny rules',
    () =>
      new CiliumNetworkPolicy({
        name: 'deny-rules',
        namespace: 'shop',
        spec: {
          endpointSelector: Selector.labels({ app: 'ledger' }),
          ingressDeny: [IngressDeny.from(Peer.entities('world')), IngressDeny.onPorts(Port.tcp(22))],
          egressDeny: [EgressDeny.to(Peer.cidrs('169.254.169.254/32')).on(Port.tcp(80)), EgressDeny.onPorts(Port.udp(161))],
        },
      }),
  ],
  [
    'egress-only default deny',
    () =>
      new CiliumNetworkPolicy({
        name: 'no-egress',
        namespace: 'shop',
        spec: { endpointSelector: Selector.labels({ app: 'batch' }), enableDefaultDeny: { egress: true } },
      }),
  ],
  [
    'clusterwide with endpointSelector and specs',
    () =>
      new CiliumClusterwideNetworkPolicy({
        name: 'cluster-baseline',
        specs: [
          {
            endpointSelector: Selector.matching(MatchExpression.notIn(NAMESPACE_LABEL, ['kube-system'])),
            enableDefaultDeny: { ingress: false, egress: false },
            egress: [Egress.to(Peer.entities('kube-apiserver')).on(Port.tcp(443))],
          },
          { endpointSelector: Selector.all(), ingressDeny: [IngressDeny.from(Peer.cidrs('192.0.2.0/24'))] },
        ],
      }),
  ],
  [
    'clusterwide host firewall with nodeSelector',
    () =>
      new CiliumClusterwideNetworkPolicy({
        name: 'host-firewall',
        spec: {
          nodeSelector: Selector.labels({ 'kubernetes.io/os': 'linux' }),
          ingress: [Ingress.from(Peer.entities('cluster')).on(Port.tcp(10250)), Ingress.from(Peer.entities('health'))],
          ingressDeny: [IngressDeny.from(Peer.entities('world')).on(Port.tcp(22))],
        },
      }),
  ],
];

describe('CRD schema', () => {
  test.each(READY_MADE)('ready-made %s validates against the v2 CRD', (_name, build) => {
    expect(crdErrors(build())).toEqual([]);
  });

  test.each(EXAMPLES)('builder example "%s" validates against the v2 CRD', (_name, build) => {
    expect(crdErrors(build())).toEqual([]);
  });

  test.each(EXAMPLES)('builder example "%s" has no lint finding', (_name, build) => {
    expect(lintPolicy(build())).toEqual([]);
  });

  test('the schema check refuses what the CRD refuses, RE2 patterns included (cached validators too)', () => {
    // GIVEN a valid policy, then the same with a Hubble log value outside the CRD's `^\\PC*$`
    // (printable characters: Go's RE2 short form, rewritten for JavaScript) or over its 32 characters
    const base = READY_MADE[0][1]().toManifest() as unknown as { apiVersion: string; kind: string; spec: JsonObject };
    const check = (spec: JsonObject) => {
      const manifest = { ...base, kind: 'CiliumNetworkPolicy', spec: { ...base.spec, ...spec } };
      return validateCustomResource(CNP_CRD, manifest).join('\n');
    };
    // THEN
    expect(check({ log: { value: 'printable text' } })).toBe('');
    expect(check({ log: { value: 'bell\u0007' } })).toMatch(/\/spec\/log\/value must match pattern/);
    expect(check({ log: { value: 'x'.repeat(33) } })).toMatch(/\/spec\/log\/value must NOT have more than 32 characters/);
    expect(check({ endpointSelector: 'all' })).toMatch(/\/spec\/endpointSelector must be object/);
  });

  function enumAt(crd: string[], path: string[]): unknown {
    const doc = readUpstreamYamlDocs(...crd).find((d) => (d as { kind?: string }).kind === 'CustomResourceDefinition');
    const versions = (doc as { spec: { versions: Array<{ name: string; schema: { openAPIV3Schema: JsonObject } }> } }).spec.versions;
    let node: JsonValue = versions.find((v) => v.name === 'v2')?.schema.openAPIV3Schema ?? null;
    for (const key of path) {
      const obj = node as JsonObject;
      node = key === '[]' ? obj.items : (obj.properties as JsonObject)[key];
    }
    return (node as JsonObject).enum;
  }

  test('Entity is exactly the CRD entity enum', () => {
    expect([...ENTITIES].sort()).toEqual([...(enumAt(CNP_CRD, ['spec', 'egress', '[]', 'toEntities', '[]']) as string[])].sort());
  });

  test('Protocol is exactly the CRD port protocol enum', () => {
    const path = ['spec', 'ingress', '[]', 'toPorts', '[]', 'ports', '[]', 'protocol'];
    expect([...PROTOCOLS].sort()).toEqual([...(enumAt(CNP_CRD, path) as string[])].sort());
  });
});

describe('ready-made policies', () => {
  test.each(READY_MADE)('%s matches its golden YAML', (name, build) => {
    expectYamlGolden(`policies/${name}.yaml`, build().toManifest());
  });

  test.each(READY_MADE)('%s has no lint finding, not even a warning', (_name, build) => {
    expect(lintPolicy(build())).toEqual([]);
  });

  test('defaultDeny closes ingress with an explicit empty rule and enableDefaultDeny', () => {
    const spec = specOf(defaultDeny('shop'));
    expect([spec.ingress, spec.enableDefaultDeny]).toEqual([[{}], { ingress: true, egress: true }]);
  });

  test('defaultDeny allows only DNS to kube-dns on 53/UDP and 53/TCP with matchPattern "*"', () => {
    expect(specOf(defaultDeny('shop')).egress).toEqual([
      {
        toEndpoints: [{ matchLabels: { [NAMESPACE_LABEL]: 'kube-system', 'k8s:k8s-app': 'kube-dns' } }],
        toPorts: [
          {
            ports: [
              { port: '53', protocol: 'UDP' },
              { port: '53', protocol: 'TCP' },
            ],
            rules: { dns: [{ matchPattern: '*' }] },
          },
        ],
      },
    ]);
  });

  test('defaultDeny selects every pod of the namespace on purpose', () => {
    const manifest = defaultDeny('shop').toManifest();
    expect([manifest.metadata.namespace, manifest.spec?.endpointSelector, manifest.metadata.annotations]).toEqual([
      'shop',
      {},
      { [SELECT_ALL_ANNOTATION]: 'endpointSelector' },
    ]);
  });

  test('allowKubeApiserver allows the kube-apiserver entity on 443/TCP without closing other egress', () => {
    const spec = specOf(allowKubeApiserver('shop', payments));
    expect([spec.egress, spec.enableDefaultDeny, spec.endpointSelector]).toEqual([
      [{ toEntities: ['kube-apiserver'], toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }] }],
      { egress: false },
      { matchLabels: { app: 'payments' } },
    ]);
  });

  test('storefrontToCatalog lets storefront GET only ^/api/books$ and ^/api/books/.*$ on catalog 8080/TCP', () => {
    const [catalog] = storefrontToCatalog().toManifest().specs ?? [];
    expect([catalog.endpointSelector, catalog.ingress]).toEqual([
      { matchLabels: { app: 'catalog' } },
      [
        {
          fromEndpoints: [{ matchLabels: { app: 'storefront' } }],
          toPorts: [
            {
              ports: [{ port: '8080', protocol: 'TCP' }],
              rules: {
                http: [
                  { method: 'GET', path: '^/api/books$' },
                  { method: 'GET', path: '^/api/books/.*$' },
                ],
              },
            },
          ],
        },
      ],
    ]);
  });

  test('storefrontToCatalog opens storefront egress to catalog additively', () => {
    const [, storefront] = storefrontToCatalog().toManifest().specs ?? [];
    expect(storefront).toMatchObject({
      endpointSelector: { matchLabels: { app: 'storefront' } },
      enableDefaultDeny: { egress: false },
      egress: [{ toEndpoints: [{ matchLabels: { app: 'catalog' } }], toPorts: [{ ports: [{ port: '8080', protocol: 'TCP' }] }] }],
    });
  });

  test('storefrontToCatalog takes namespace, labels and port', () => {
    const manifest = storefrontToCatalog({ namespace: 'books', clientLabels: { app: 'web' }, serverLabels: { app: 'inventory' }, port: 9090 }).toManifest();
    expect([manifest.metadata.namespace, manifest.specs?.[0].endpointSelector, manifest.specs?.[0].ingress]).toMatchObject([
      'books',
      { matchLabels: { app: 'inventory' } },
      [{ fromEndpoints: [{ matchLabels: { app: 'web' } }], toPorts: [{ ports: [{ port: '9090', protocol: 'TCP' }] }] }],
    ]);
  });

  test('fqdnEgressAllowList allows api.stripe.com and *.s3.<region>.amazonaws.com on 443/TCP', () => {
    const [fqdnRule] = (specOf(fqdnEgressAllowList('payments', payments, ['api.stripe.com'], 'eu-west-1')).egress ?? []) as JsonObject[];
    expect(fqdnRule).toEqual({
      toFQDNs: [{ matchName: 'api.stripe.com' }, { matchPattern: '*.s3.eu-west-1.amazonaws.com' }],
      toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }],
    });
  });

  test('fqdnEgressAllowList includes the DNS-visibility rule to kube-dns', () => {
    const egress = specOf(fqdnEgressAllowList('payments', payments, ['api.stripe.com'], 'eu-west-1')).egress;
    expect(egress).toEqual([expect.anything(), (specOf(defaultDeny('shop')).egress as JsonObject[])[0]]);
  });
});

describe('builder semantics', () => {
  test('enableDefaultDeny.ingress with no ingress rule writes ingress: [{}], which Cilium needs to apply it', () => {
    const policy = new CiliumNetworkPolicy({
      name: 'closed',
      namespace: 'shop',
      spec: { endpointSelector: Selector.labels({ app: 'x' }), enableDefaultDeny: { ingress: true } },
    });
    expect(specOf(policy).ingress).toEqual([{}]);
  });

  test('enableDefaultDeny.ingress with ingressDeny rules adds no empty rule', () => {
    const policy = new CiliumNetworkPolicy({
      name: 'closed',
      namespace: 'shop',
      spec: { endpointSelector: Selector.labels({ app: 'x' }), enableDefaultDeny: { ingress: true }, ingressDeny: [IngressDeny.from(Peer.entities('world'))] },
    });
    expect(specOf(policy).ingress).toBeUndefined();
  });

  test('an empty ingress list is refused, with the way to deny all', () => {
    expect(() => new CiliumNetworkPolicy({ name: 'p', namespace: 'shop', spec: { endpointSelector: Selector.all(), ingress: [] } })).toThrow(
      /spec\.ingress: \[\] is not valid; allowed: a non-empty list, or leave ingress out \(.*enableDefaultDeny\.ingress = true/,
    );
  });

  test('a spec without any rule is refused', () => {
    expect(() => new CiliumNetworkPolicy({ name: 'p', namespace: 'shop', spec: { endpointSelector: Selector.all() } })).toThrow(
      /spec: .* allowed: at least one of ingress, egress, ingressDeny, egressDeny or enableDefaultDeny/,
    );
  });

  test('a toFQDNs rule without a DNS rule gets the DNS-visibility rule appended', () => {
    const policy = new CiliumNetworkPolicy({
      name: 'p',
      namespace: 'shop',
      spec: { endpointSelector: payments, egress: [Egress.to(Peer.fqdns(Fqdn.name('api.stripe.com'))).on(Port.tcp(443))] },
    });
    expect((specOf(policy).egress as JsonObject[])[1]).toEqual((specOf(defaultDeny('shop')).egress as JsonObject[])[0]);
  });

  test('no DNS rule is appended when one of the spec already covers the names', () => {
    const policy = new CiliumNetworkPolicy({
      name: 'p',
      namespace: 'shop',
      spec: {
        endpointSelector: payments,
        egress: [
          Egress.to(Peer.entities('cluster')).on(PortRule.of(Port.udp(53)).allowDns(Fqdn.pattern('*.stripe.com'))),
          Egress.to(Peer.fqdns(Fqdn.name('api.stripe.com'))).on(Port.tcp(443)),
        ],
      },
    });
    expect(specOf(policy).egress).toHaveLength(2);
  });

  test('Selector.all() in a peer is recorded in the select-all annotation', () => {
    const policy = new CiliumNetworkPolicy({
      name: 'p',
      namespace: 'shop',
      spec: { endpointSelector: payments, ingress: [Ingress.from(Peer.endpoints(Selector.all()))] },
    });
    expect(policy.toManifest().metadata.annotations).toEqual({ [SELECT_ALL_ANNOTATION]: 'ingress[0].fromEndpoints[0]' });
  });

  test('a policy without Selector.all() has no annotations', () => {
    expect(allowKubeApiserver('shop', payments).toManifest().metadata).toEqual({ name: 'allow-kube-apiserver', namespace: 'shop' });
  });

  test('a clusterwide policy has no namespace', () => {
    const [, build] = EXAMPLES.find(([name]) => name.includes('nodeSelector')) ?? [];
    expect(build?.().toManifest().metadata).toEqual({ name: 'host-firewall' });
  });

  test('HttpPath.exact escapes regex metacharacters and anchors', () => {
    expect(HttpPath.exact('/v1.0/items(all)').regex).toBe('^/v1\\.0/items\\(all\\)$');
  });

  test('HttpPath.prefix anchors and allows any rest', () => {
    expect(HttpPath.prefix('/api/books/').regex).toBe('^/api/books/.*$');
  });

  test('Fqdn.from picks matchPattern for a wildcard and matchName otherwise', () => {
    expect([Fqdn.from('*.example.com').toJson(), Fqdn.from('example.com').toJson()]).toEqual([{ matchPattern: '*.example.com' }, { matchName: 'example.com' }]);
  });

  test('bare ports of one call share a toPorts entry, PortRules keep theirs', () => {
    const rule = Egress.to(Peer.entities('world')).on(Port.tcp(80), Port.tcp(443), PortRule.of(Port.udp(443)));
    expect(rule.toJson().toPorts).toEqual([
      { ports: [{ port: '80', protocol: 'TCP' }, { port: '443', protocol: 'TCP' }] },
      { ports: [{ port: '443', protocol: 'UDP' }] },
    ]);
  });

  test('toManifest returns a fresh copy each call', () => {
    const policy = defaultDeny('shop');
    policy.toManifest().metadata.name = 'changed';
    expect(policy.toManifest().metadata.name).toBe('default-deny');
  });

  function undefinedPaths(value: unknown, path = ''): string[] {
    if (value === undefined) return [path];
    if (value === null || typeof value !== 'object') return [];
    return Object.entries(value).flatMap(([k, v]) => undefinedPaths(v, `${path}.${k}`));
  }

  test.each(EXAMPLES)('example "%s" has no undefined member', (_name, build) => {
    expect(undefinedPaths(build().toManifest())).toEqual([]);
  });
});

describe('lint', () => {
  /** A raw manifest, as if parsed from YAML. */
  function raw(spec: JsonObject, annotations?: Record<string, string>): JsonObject {
    const metadata: JsonObject = { name: 'raw', namespace: 'shop' };
    if (annotations) metadata.annotations = annotations;
    return { apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata, spec };
  }

  function found(manifest: JsonObject, code: LintCode): Array<{ policy: string; rule: string; severity: string }> {
    return lintPolicy(manifest)
      .filter((f) => f.code === code)
      .map(({ policy, rule, severity }) => ({ policy, rule, severity }));
  }

  const selected = { matchLabels: { app: 'payments' } };
  const tcp443 = { ports: [{ port: '443', protocol: 'TCP' }] };
  const stripe = { toFQDNs: [{ matchName: 'api.stripe.com' }], toPorts: [tcp443] };
  const dnsOn = (protocol: string, dns: JsonObject) => ({
    toEntities: ['cluster'],
    toPorts: [{ ports: [{ port: '53', protocol }], rules: { dns: [dns] } }],
  });
  const httpOn = (port: JsonObject, path: string) => ({
    ingress: [{ toPorts: [{ ports: [port], rules: { http: [{ method: 'GET', path }] } }] }],
    endpointSelector: selected,
  });

  describe('fqdn-without-dns-visibility', () => {
    test('toFQDNs without a DNS rule is an error at the toFQDNs entry', () => {
      expect(found(raw({ endpointSelector: selected, egress: [stripe] }), 'fqdn-without-dns-visibility')).toEqual([
        { policy: 'raw', rule: 'egress[0].toFQDNs[0]', severity: 'error' },
      ]);
    });

    test('a DNS rule on 53/UDP whose pattern covers the name passes', () => {
      const manifest = raw({ endpointSelector: selected, egress: [dnsOn('UDP', { matchPattern: '*.stripe.com' }), stripe] });
      expect(found(manifest, 'fqdn-without-dns-visibility')).toEqual([]);
    });

    test('a DNS rule on 53/TCP only does not make UDP lookups visible', () => {
      const manifest = raw({ endpointSelector: selected, egress: [dnsOn('TCP', { matchPattern: '*' }), stripe] });
      expect(found(manifest, 'fqdn-without-dns-visibility')).toHaveLength(1);
    });

    test('a DNS rule for another name does not cover the FQDN', () => {
      const manifest = raw({ endpointSelector: selected, egress: [dnsOn('ANY', { matchName: 'api.paypal.com' }), stripe] });
      expect(found(manifest, 'fqdn-without-dns-visibility')).toHaveLength(1);
    });

    test('in a multi-spec policy the rule path carries the spec index', () => {
      const manifest: JsonObject = {
        apiVersion: 'cilium.io/v2',
        kind: 'CiliumNetworkPolicy',
        metadata: { name: 'multi', namespace: 'shop' },
        specs: [
          { endpointSelector: selected, egress: [dnsOn('UDP', { matchPattern: '*' })] },
          { endpointSelector: { matchLabels: { app: 'billing' } }, egress: [stripe] },
        ],
      };
      expect(found(manifest, 'fqdn-without-dns-visibility')).toEqual([{ policy: 'multi', rule: 'specs[1].egress[0].toFQDNs[0]', severity: 'error' }]);
    });
  });

  describe('http-on-non-tcp', () => {
    test('HTTP rules on a UDP port are an error at the protocol', () => {
      expect(found(raw(httpOn({ port: '8080', protocol: 'UDP' }, '^/$')), 'http-on-non-tcp')).toEqual([
        { policy: 'raw', rule: 'ingress[0].toPorts[0].ports[0].protocol', severity: 'error' },
      ]);
    });

    test('HTTP rules on a TCP port pass', () => {
      expect(found(raw(httpOn({ port: '8080', protocol: 'TCP' }, '^/$')), 'http-on-non-tcp')).toEqual([]);
    });

    test('HTTP rules on a port without protocol pass', () => {
      expect(found(raw(httpOn({ port: '8080' }, '^/$')), 'http-on-non-tcp')).toEqual([]);
    });
  });

  describe('http-path-invalid-regex', () => {
    test('a path that does not compile is an error at the path', () => {
      expect(found(raw(httpOn({ port: '80', protocol: 'TCP' }, '^/api/(books$')), 'http-path-invalid-regex')).toEqual([
        { policy: 'raw', rule: 'ingress[0].toPorts[0].rules.http[0].path', severity: 'error' },
      ]);
    });

    test('a path that compiles passes', () => {
      expect(found(raw(httpOn({ port: '80', protocol: 'TCP' }, '^/api/(books)$')), 'http-path-invalid-regex')).toEqual([]);
    });
  });

  describe('http-path-unanchored', () => {
    test('a path without anchors is a warning', () => {
      expect(found(raw(httpOn({ port: '80', protocol: 'TCP' }, '/api/books')), 'http-path-unanchored')).toEqual([
        { policy: 'raw', rule: 'ingress[0].toPorts[0].rules.http[0].path', severity: 'warning' },
      ]);
    });

    test('a path ending in an escaped dollar is not anchored', () => {
      expect(found(raw(httpOn({ port: '80', protocol: 'TCP' }, '^/price\\$')), 'http-path-unanchored')).toHaveLength(1);
    });

    test('a path with ^ and $ passes', () => {
      expect(found(raw(httpOn({ port: '80', protocol: 'TCP' }, '^/api/books$')), 'http-path-unanchored')).toEqual([]);
    });
  });

  describe('unintended-select-all', () => {
    const openIngress = [{ fromEntities: ['cluster'] }];

    test('an empty endpointSelector without the annotation is a warning', () => {
      expect(found(raw({ endpointSelector: {}, ingress: openIngress }), 'unintended-select-all')).toEqual([
        { policy: 'raw', rule: 'endpointSelector', severity: 'warning' },
      ]);
    });

    test('an empty fromEndpoints selector is a warning at its path', () => {
      expect(found(raw({ endpointSelector: selected, ingress: [{ fromEndpoints: [{ matchLabels: {} }] }] }), 'unintended-select-all')).toEqual([
        { policy: 'raw', rule: 'ingress[0].fromEndpoints[0]', severity: 'warning' },
      ]);
    });

    test('an empty selector listed in the annotation passes', () => {
      const manifest = raw({ endpointSelector: {}, ingress: openIngress }, { [SELECT_ALL_ANNOTATION]: 'endpointSelector' });
      expect(found(manifest, 'unintended-select-all')).toEqual([]);
    });

    test('a built policy using Selector.all() passes', () => {
      const policy = new CiliumNetworkPolicy({ name: 'p', namespace: 'shop', spec: { endpointSelector: Selector.all(), ingress: [Ingress.from(Peer.entities('cluster'))] } });
      expect(lintPolicy(policy).filter((f) => f.code === 'unintended-select-all')).toEqual([]);
    });
  });

  describe('unknown-entity and entity-none', () => {
    test('an entity outside the CRD enum is an error at the entity', () => {
      expect(found(raw({ endpointSelector: selected, egress: [{ toEntities: ['cluster', 'kube-api-server'] }] }), 'unknown-entity')).toEqual([
        { policy: 'raw', rule: 'egress[0].toEntities[1]', severity: 'error' },
      ]);
    });

    test('entities of the CRD enum pass', () => {
      expect(found(raw({ endpointSelector: selected, egress: [{ toEntities: ['kube-apiserver', 'world'] }] }), 'unknown-entity')).toEqual([]);
    });

    test('the entity none is a warning', () => {
      expect(found(raw({ endpointSelector: selected, ingress: [{ fromEntities: ['none'] }] }), 'entity-none')).toEqual([
        { policy: 'raw', rule: 'ingress[0].fromEntities[0]', severity: 'warning' },
      ]);
    });

    test('a rule without the entity none passes', () => {
      expect(found(raw({ endpointSelector: selected, ingress: [{ fromEntities: ['world'] }] }), 'entity-none')).toEqual([]);
    });
  });

  describe('empty-ports', () => {
    test('a toPorts entry with an empty ports list is an error', () => {
      expect(found(raw({ endpointSelector: selected, ingress: [{ fromEntities: ['world'], toPorts: [{ ports: [] }] }] }), 'empty-ports')).toEqual([
        { policy: 'raw', rule: 'ingress[0].toPorts[0].ports', severity: 'error' },
      ]);
    });

    test('an empty toPorts list is an error', () => {
      expect(found(raw({ endpointSelector: selected, egress: [{ toEntities: ['world'], toPorts: [] }] }), 'empty-ports')).toEqual([
        { policy: 'raw', rule: 'egress[0].toPorts', severity: 'error' },
      ]);
    });

    test('a toPorts entry with ports passes', () => {
      expect(found(raw({ endpointSelector: selected, ingress: [{ fromEntities: ['world'], toPorts: [tcp443] }] }), 'empty-ports')).toEqual([]);
    });
  });

  describe('empty-peer-list', () => {
    test('an empty toFQDNs is an error', () => {
      expect(found(raw({ endpointSelector: selected, egress: [{ toFQDNs: [], toPorts: [tcp443] }] }), 'empty-peer-list')).toEqual([
        { policy: 'raw', rule: 'egress[0].toFQDNs', severity: 'error' },
      ]);
    });

    test('a non-empty toFQDNs passes', () => {
      expect(found(raw({ endpointSelector: selected, egress: [stripe] }), 'empty-peer-list')).toEqual([]);
    });
  });

  describe('empty-rule-list and empty-rule', () => {
    test('ingress: [] is a warning: it is read as absent', () => {
      expect(found(raw({ endpointSelector: selected, ingress: [], egress: [{ toEntities: ['world'] }] }), 'empty-rule-list')).toEqual([
        { policy: 'raw', rule: 'ingress', severity: 'warning' },
      ]);
    });

    test('a rule list with rules passes', () => {
      expect(found(raw({ endpointSelector: selected, ingress: [{ fromEntities: ['world'] }] }), 'empty-rule-list')).toEqual([]);
    });

    test('ingress: [{}] without enableDefaultDeny is a warning at the rule', () => {
      expect(found(raw({ endpointSelector: selected, ingress: [{}] }), 'empty-rule')).toEqual([{ policy: 'raw', rule: 'ingress[0]', severity: 'warning' }]);
    });

    test('ingress: [{}] with enableDefaultDeny.ingress true passes', () => {
      expect(found(raw({ endpointSelector: selected, ingress: [{}], enableDefaultDeny: { ingress: true } }), 'empty-rule')).toEqual([]);
    });
  });

  describe('default-deny-ignored', () => {
    test('enableDefaultDeny.ingress without ingress rules is an error', () => {
      const manifest = raw({ endpointSelector: selected, enableDefaultDeny: { ingress: true }, egress: [{ toEntities: ['world'] }] });
      expect(found(manifest, 'default-deny-ignored')).toEqual([{ policy: 'raw', rule: 'enableDefaultDeny.ingress', severity: 'error' }]);
    });

    test('enableDefaultDeny.ingress with an ingress rule passes', () => {
      expect(found(raw({ endpointSelector: selected, enableDefaultDeny: { ingress: true }, ingress: [{}] }), 'default-deny-ignored')).toEqual([]);
    });
  });

  test('the message names the policy and the rule', () => {
    const [finding] = lintPolicy(raw({ endpointSelector: selected, egress: [stripe] }));
    expect(finding.message).toMatch(/^policy raw, egress\[0\]\.toFQDNs\[0\]: /);
  });

  describe('assertPolicyValid', () => {
    test('throws a ValidationError naming the policy and rule of the first error', () => {
      const e = thrown(() => assertPolicyValid(raw({ endpointSelector: selected, egress: [stripe] })));
      expect([e.property, e.value]).toEqual(['raw.egress[0].toFQDNs[0]', { matchName: 'api.stripe.com' }]);
    });

    test('returns the warnings when there is no error', () => {
      const warnings = assertPolicyValid(raw({ endpointSelector: selected, ingress: [{}] }));
      expect(warnings.map((w) => w.code)).toEqual(['empty-rule']);
    });
  });
});

describe('builder input validation', () => {
  const cases: ReadonlyArray<[string, () => unknown, RegExp]> = [
    ['policy name not a DNS-1123 subdomain', () => defaultDeny('shop', { name: 'Default_Deny' }), /^defaultDeny\(options\).name: "Default_Deny" is not valid; allowed: a policy name, a DNS-1123 subdomain/],
    ['namespace not a DNS-1123 label', () => defaultDeny('Shop'), /^namespace: "Shop" is not valid; allowed: a DNS-1123 label/],
    ['metadata label key with a source prefix', () => new CiliumNetworkPolicy({ name: 'p', namespace: 'shop', labels: { 'k8s:team': 'a' }, spec: { endpointSelector: Selector.all(), enableDefaultDeny: { ingress: true } } }), /^labels\["k8s:team"\]: "k8s:team" is not valid/],
    ['port 0', () => Port.tcp(0), /^Port\.tcp\(port\): 0 is not valid; allowed: an integer 1-65535 or a named port/],
    ['port 65536', () => Port.udp(65536), /^Port\.udp\(port\): 65536 is not valid/],
    ['fractional port', () => Port.tcp(80.5), /^Port\.tcp\(port\): 80\.5 is not valid/],
    ['named port with upper case', () => Port.tcp('HTTP'), /^Port\.tcp\(port\): "HTTP" is not valid; allowed: .*IANA service name/],
    ['named port over 15 characters', () => Port.sctp('a-very-long-name1'), /^Port\.sctp\(port\): "a-very-long-name1" is not valid/],
    ['CIDR prefix over 32', () => Peer.cidrs('10.0.0.0/33'), /^Peer\.cidrs\[0\]: "10\.0\.0\.0\/33" is not valid; allowed: an IPv4 or IPv6 CIDR/],
    ['CIDR without prefix', () => Peer.cidrs('10.0.0.1'), /^Peer\.cidrs\[0\]: "10\.0\.0\.1" is not valid/],
    ['CIDR with host bits', () => Peer.cidrs('10.1.2.3/8'), /^Peer\.cidrs\[0\]: "10\.1\.2\.3\/8" is not valid; .*\(host bits are set/],
    ['CIDR with a bad octet', () => Peer.cidrs('300.0.0.0/8'), /^Peer\.cidrs\[0\]: "300\.0\.0\.0\/8" is not valid/],
    ['except outside its CIDR', () => Peer.cidrSet({ cidr: '10.0.0.0/8', except: ['192.168.0.0/16'] }), /^Peer\.cidrSet\[0\]\.except\[0\]: "192\.168\.0\.0\/16" is not valid; allowed: a CIDR inside 10\.0\.0\.0\/8/],
    ['entity outside the CRD enum', () => Peer.entities('kube-api-server' as Entity), /^Peer\.entities\[0\]: "kube-api-server" is not valid; allowed: all, world, cluster/],
    ['empty peer list', () => Peer.fqdns(), /^Peer\.fqdns: \[\] is not valid; allowed: at least one Fqdn/],
    ['FQDN name with a wildcard', () => Fqdn.name('*.example.com'), /^Fqdn\.name: "\*\.example\.com" is not valid; allowed: a DNS name/],
    ['FQDN with an empty label', () => Fqdn.pattern('api..example.com'), /^Fqdn\.pattern: "api\.\.example\.com" is not valid/],
    ['toFQDNs in an ingress rule', () => Ingress.from(Peer.fqdns(Fqdn.name('example.com'))), /^Ingress\.from: "fqdns" is not valid; .*toFQDNs exists only in egress allow rules/],
    ['toFQDNs in an egress deny rule', () => EgressDeny.to(Peer.fqdns(Fqdn.name('example.com'))), /^EgressDeny\.to: "fqdns" is not valid/],
    ['empty label selector', () => Selector.labels({}), /^Selector\.labels: \{\} is not valid; allowed: at least one label \(.*use Selector\.all\(\)/],
    ['label value with a space', () => Selector.labels({ app: 'my app' }), /^Selector\.labels\["app"\]: "my app" is not valid; allowed: a label value/],
    ['label set twice with another value', () => Selector.labels({ app: 'a' }).withLabels({ app: 'b' }), /^Selector\.withLabels\["app"\]: "b" is not valid; allowed: "a", the value already set/],
    ['In expression without values', () => MatchExpression.in('tier', []), /^MatchExpression\.in\(values\): \[\] is not valid/],
    ['lower-case HTTP method', () => HttpRule.of({ method: 'get' }), /^HttpRule\.method: "get" is not valid; allowed: an upper-case HTTP method token/],
    ['HTTP method regex', () => HttpRule.of({ method: 'GET|POST' }), /^HttpRule\.method: "GET\|POST" is not valid/],
    ['empty HTTP rule', () => HttpRule.of({}), /^HttpRule: \{\} is not valid; allowed: at least one of method, path or headers/],
    ['path regex that does not compile', () => HttpPath.regex('^/api/(books$'), /^HttpPath\.regex: "\^\/api\/\(books\$" is not valid; allowed: a regular expression that compiles/],
    ['exact path without a leading slash', () => HttpPath.exact('api/books'), /^HttpPath\.exact: "api\/books" is not valid; allowed: a path starting with "\/"/],
    ['header name with a space', () => HttpHeader.present('X Token'), /^HttpHeader\.present\(name\): "X Token" is not valid; allowed: an HTTP header name/],
    ['HTTP rules on a UDP port', () => PortRule.of(Port.udp(8080)).allowHttp(HttpRule.get(HttpPath.exact('/'))), /^PortRule\.allowHttp: ports\[0\]\.protocol: "UDP" is not valid; allowed: TCP \(HTTP runs over TCP only\)/],
    ['HTTP rules on an ANY port', () => PortRule.of(Port.any(8080)).allowHttp(HttpRule.get(HttpPath.exact('/'))), /^PortRule\.allowHttp: ports\[0\]\.protocol: "ANY" is not valid/],
    ['HTTP and DNS rules on one entry', () => PortRule.of(Port.tcp(53)).allowDns(Fqdn.pattern('*')).allowHttp(HttpRule.get(HttpPath.exact('/'))), /^PortRule\.allowHttp: .*allowed: one kind of L7 rule per toPorts entry \(this entry already has dns rules\)/],
    ['more than 40 ports in one entry', () => PortRule.of(...Array.from({ length: 41 }, (_, i) => Port.tcp(1000 + i))), /^PortRule\.of: 41 is not valid; allowed: at most 40 ports/],
    ['rule with an empty port list', () => Egress.onPorts(), /^Egress\.onPorts: \[\] is not valid; allowed: at least one Port or PortRule/],
    ['both spec and specs', () => new CiliumNetworkPolicy({ name: 'p', namespace: 'shop', spec: { endpointSelector: Selector.all(), enableDefaultDeny: { ingress: true } }, specs: [] }), /^spec: .* allowed: exactly one of spec and specs/],
    ['clusterwide spec with both selectors', () => new CiliumClusterwideNetworkPolicy({ name: 'p', spec: { endpointSelector: Selector.all(), nodeSelector: Selector.all(), enableDefaultDeny: { ingress: true } } }), /^spec\.endpointSelector: \{\} is not valid; allowed: exactly one of endpointSelector and nodeSelector/],
    ['malformed AWS region', () => fqdnEgressAllowList('payments', payments, ['api.stripe.com'], 'EU-WEST-1'), /^fqdnEgressAllowList\(region\): "EU-WEST-1" is not valid; allowed: an AWS region code/],
  ];

  test.each(cases)('rejects %s', (_name, build, message) => {
    expect(build).toThrow(ValidationError);
    expect(build).toThrow(message);
  });
});
