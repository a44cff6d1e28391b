/**
 * DNS visibility: the egress rule that sends a pod's lookups through Cilium's DNS proxy, and the
 * check that a spec with `toFQDNs` has one. Internal; shared by the builders and the lint.
 */
import { JsonObject } from '../../core/yaml';
import { asObject, asString, objectsOf } from '../../core/json';
import { Fqdn, Peer } from './peer';
import { Port, PortRule } from './ports';
import { Egress } from './rules';
import { Selector } from './selector';

/** The cluster DNS pods: EKS's CoreDNS runs in kube-system with `k8s-app=kube-dns`. */
export function kubeDnsSelector(): Selector {
  return Selector.namespace('kube-system').withLabels({ 'k8s:k8s-app': 'kube-dns' });
}

/**
 * Egress to kube-dns on 53/UDP and 53/TCP with an L7 DNS rule `matchPattern: '*'`: every lookup
 * is allowed and goes through the DNS proxy, so Hubble shows it and `toFQDNs` learns the addresses.
 */
export function dnsVisibilityEgress(): Egress {
  return Egress.to(Peer.endpoints(kubeDnsSelector())).on(PortRule.of(Port.udp(53), Port.tcp(53)).allowDns(Fqdn.pattern('*')));
}

/** A `toFQDNs` entry of a spec that no DNS rule of the same spec covers. */
export interface UncoveredFqdn {
  /** Path of the entry relative to the spec, `egress[0].toFQDNs[1]`. */
  readonly path: string;
  /** The entry. */
  readonly entry: JsonObject;
}

/**
 * The `toFQDNs` entries of `spec` whose lookups no DNS rule of the same spec makes visible. A
 * DNS rule counts when it sits on port 53 with a protocol that includes UDP (UDP, ANY or unset)
 * and its `matchName` / `matchPattern` covers the entry (`*` alone covers every name; otherwise
 * `*` stands for characters within one label, an approximation of Cilium's matcher).
 */
export function uncoveredFqdns(spec: JsonObject): UncoveredFqdn[] {
  const visible = dnsMatchers(spec);
  const out: UncoveredFqdn[] = [];
  for (const [i, rule] of objectsOf(spec.egress)) {
    for (const [j, entry] of objectsOf(rule.toFQDNs)) {
      const name = normalise(asString(entry.matchName) ?? asString(entry.matchPattern) ?? '');
      if (!visible.some((m) => m.test(name))) out.push({ path: `egress[${i}].toFQDNs[${j}]`, entry });
    }
  }
  return out;
}

function dnsMatchers(spec: JsonObject): RegExp[] {
  const out: RegExp[] = [];
  for (const [, rule] of objectsOf(spec.egress)) {
    for (const [, portRule] of objectsOf(rule.toPorts)) {
      const onDnsPort = objectsOf(portRule.ports).some(
        ([, p]) => String(p.port) === '53' && ['UDP', 'ANY', undefined].includes(asString(p.protocol)),
      );
      if (!onDnsPort) continue;
      for (const [, dns] of objectsOf(asObject(portRule.rules)?.dns)) {
        const name = asString(dns.matchName);
        const pattern = asString(dns.matchPattern);
        if (name !== undefined) out.push(new RegExp(`^${escape(normalise(name))}$`));
        if (pattern !== undefined) out.push(globToRegex(normalise(pattern)));
      }
    }
  }
  return out;
}

function normalise(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function globToRegex(pattern: string): RegExp {
  if (pattern === '*') return /^.*$/;
  return new RegExp(`^${pattern.split('*').map(escape).join('[-a-z0-9_*]*')}$`);
}
