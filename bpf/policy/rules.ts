import { check } from '../../core/errors';
import { JsonObject } from '../../core/yaml';
import { compact } from '../../core/json';
import { anyOf, declare, instance, list, parse } from '../../core/schema';
import { Peer } from './peer';
import { Port, PortRule } from './ports';
import { checkNotEmpty } from './validate';

/** Port of the EKS Pod Identity agent on 169.254.170.23. */
export const POD_IDENTITY_AGENT_PORT = 80;

/** A port, or a `toPorts` entry with L7 rules. Bare ports of one call are grouped into one entry. */
export type PortSpec = Port | PortRule;
/** The declaration of {@link PortSpec}. */
export const PortSpecSchema = declare<PortSpec>()(anyOf([instance(Port, 'a Port'), instance(PortRule, 'a PortRule')], 'a Port (Port.tcp(443)) or a PortRule (PortRule.of(...))'));

/** Which list of a policy spec a rule belongs in. */
export type RuleKind = 'ingress' | 'egress' | 'ingressDeny' | 'egressDeny';

function allowPorts(property: string, specs: readonly PortSpec[]): PortRule[] {
  parse(list(PortSpecSchema), specs, property);
  checkNotEmpty(property, specs, 'at least one Port or PortRule', 'a rule with an empty toPorts is not restricted by port');
  const bare = specs.filter((s): s is Port => s instanceof Port);
  const rules = specs.filter((s): s is PortRule => s instanceof PortRule);
  return bare.length > 0 ? [PortRule.of(...bare), ...rules] : rules;
}

function denyPorts(property: string, ports: readonly Port[]): PortRule[] {
  checkNotEmpty(property, ports, 'at least one Port', 'a rule with an empty toPorts is not restricted by port');
  return [PortRule.of(...ports)];
}

function checkPeer(property: string, peer: Peer, fqdnsAllowed: boolean): Peer {
  check(peer instanceof Peer, property, peer, 'a Peer from Peer.endpoints / entities / cidrs / cidrSet / fqdns');
  check(fqdnsAllowed || peer.kind !== 'fqdns', property, peer.kind, 'endpoints, entities, cidr or cidrSet', 'toFQDNs exists only in egress allow rules');
  return peer;
}

/** What the four rule classes share: one optional peer, `toPorts` entries and {@link RuleBuilder.on}. */
export abstract class RuleBuilder<Self, P extends PortSpec, K extends RuleKind> {
  protected constructor(
    /** Which list of a policy spec this rule belongs in. */
    public readonly kind: K,
    private readonly peer: Peer | undefined,
    private readonly portRules: readonly PortRule[],
    private readonly make: (portRules: readonly PortRule[]) => Self,
    private readonly toPortRules: (property: string, ports: readonly P[]) => PortRule[],
  ) {}

  /** This rule limited to `ports` (with their L7 rules, in an allow rule). */
  on(...ports: P[]): Self {
    const name = `${this.kind.charAt(0).toUpperCase()}${this.kind.slice(1)}`;
    return this.make([...this.portRules, ...this.toPortRules(`${name}.on`, ports)]);
  }

  /** The CRD form of the rule. */
  toJson(): JsonObject {
    const direction = this.kind.startsWith('ingress') ? 'ingress' : 'egress';
    return compact({
      ...(this.peer ? this.peer.toJson(direction) : {}),
      toPorts: this.portRules.length > 0 ? this.portRules.map((p) => p.toJson()) : undefined,
    });
  }
}

/** An ingress allow rule: traffic from a peer, optionally only on some ports. */
export class Ingress extends RuleBuilder<Ingress, PortSpec, 'ingress'> {
  /** Traffic from `peer`, on every port until `on()` narrows it. */
  static from(peer: Peer): Ingress {
    return new Ingress(checkPeer('Ingress.from', peer, false), []);
  }

  /** Traffic from every peer, on these ports only. */
  static onPorts(...ports: PortSpec[]): Ingress {
    return new Ingress(undefined, allowPorts('Ingress.onPorts', ports));
  }

  private constructor(peer: Peer | undefined, portRules: readonly PortRule[]) {
    super('ingress', peer, portRules, (p) => new Ingress(peer, p), allowPorts);
  }
}

/** An egress allow rule: traffic to a peer, optionally only on some ports. */
export class Egress extends RuleBuilder<Egress, PortSpec, 'egress'> {
  /** Traffic to `peer`, on every port until `on()` narrows it. */
  static to(peer: Peer): Egress {
    return new Egress(checkPeer('Egress.to', peer, true), []);
  }

  /** Traffic to every peer, on these ports only. */
  static onPorts(...ports: PortSpec[]): Egress {
    return new Egress(undefined, allowPorts('Egress.onPorts', ports));
  }

  /**
   * Egress to the EKS Pod Identity agent, which serves credentials at 169.254.170.23:80 from a
   * host-network DaemonSet (EKS User Guide, "Pod Identity considerations"). Cilium gives that
   * address the `host` identity, so a `toCIDR: 169.254.170.23/32` rule never matches it and a
   * default-deny egress policy drops the request (cilium #34387: Hubble shows
   * `169.254.170.23:80 (host) policy-verdict:none EGRESS DENIED`). The rule that works is
   * `toEntities: [host]` on 80/TCP (confirmed in a cluster by Smana/runlore #57). It also allows
   * any other host-network listener on port 80 of the pod's own node: Cilium offers nothing
   * narrower for a host address.
   */
  static toPodIdentityAgent(): Egress {
    return Egress.to(Peer.entities('host')).on(Port.tcp(POD_IDENTITY_AGENT_PORT));
  }

  private constructor(peer: Peer | undefined, portRules: readonly PortRule[]) {
    super('egress', peer, portRules, (p) => new Egress(peer, p), allowPorts);
  }
}

/** An ingress deny rule: drops traffic from a peer even when an allow rule matches it. No L7. */
export class IngressDeny extends RuleBuilder<IngressDeny, Port, 'ingressDeny'> {
  /** Deny traffic from `peer`, on every port until `on()` narrows it. */
  static from(peer: Peer): IngressDeny {
    return new IngressDeny(checkPeer('IngressDeny.from', peer, false), []);
  }

  /** Deny traffic from every peer on these ports. */
  static onPorts(...ports: Port[]): IngressDeny {
    return new IngressDeny(undefined, denyPorts('IngressDeny.onPorts', ports));
  }

  private constructor(peer: Peer | undefined, portRules: readonly PortRule[]) {
    super('ingressDeny', peer, portRules, (p) => new IngressDeny(peer, p), denyPorts);
  }
}

/** An egress deny rule: drops traffic to a peer even when an allow rule matches it. No L7, no FQDNs. */
export class EgressDeny extends RuleBuilder<EgressDeny, Port, 'egressDeny'> {
  /** Deny traffic to `peer`, on every port until `on()` narrows it. */
  static to(peer: Peer): EgressDeny {
    return new EgressDeny(checkPeer('EgressDeny.to', peer, false), []);
  }

  /** Deny traffic to every peer on these ports. */
  static onPorts(...ports: Port[]): EgressDeny {
    return new EgressDeny(undefined, denyPorts('EgressDeny.onPorts', ports));
  }

  private constructor(peer: Peer | undefined, portRules: readonly PortRule[]) {
    super('egressDeny', peer, portRules, (p) => new EgressDeny(peer, p), denyPorts);
  }
}
