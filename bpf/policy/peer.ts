import { check, ValidationError } from '../../core/errors';
import { JsonObject, JsonValue } from '../../core/yaml';
import { compact } from '../../core/json';
import { declare, list, optional, parse, strict, string } from '../../core/schema';
import { Selector } from './selector';
import { cidrContains, checkNotEmpty, parseCidr } from './validate';

/**
 * Cilium's special entities, exactly the `fromEntities` / `toEntities` enum of the v2 CRD
 * (Cilium 1.18): `world` is everything outside the cluster, `cluster` every endpoint and node of
 * the cluster, `host` the local node, `remote-node` the other nodes, `kube-apiserver` the API
 * server's endpoints, `all` everything, `none` nothing.
 */
export const ENTITIES = [
  'all',
  'world',
  'cluster',
  'host',
  'init',
  'ingress',
  'unmanaged',
  'remote-node',
  'health',
  'none',
  'kube-apiserver',
] as const;

/** One of {@link ENTITIES}. */
export type Entity = (typeof ENTITIES)[number];

const FQDN_NAME_LABEL = /^[-a-zA-Z0-9_]{1,63}$/;
const FQDN_PATTERN_LABEL = /^[-a-zA-Z0-9_*]{1,63}$/;

/**
 * A DNS name to match, used both as a `toFQDNs` peer and as an L7 DNS rule: `matchName` for a
 * literal name, `matchPattern` for one with `*` wildcards. Cilium matches both case-insensitively
 * and adds the trailing dot itself.
 */
export class Fqdn {
  /** A literal name, `matchName: api.stripe.com`. */
  static name(name: string): Fqdn {
    Fqdn.checkName('Fqdn.name', name, FQDN_NAME_LABEL, 'letters, digits, "-" and "_"');
    return new Fqdn('matchName', name);
  }

  /**
   * A wildcard pattern, `matchPattern: *.s3.eu-west-1.amazonaws.com`. `*` matches zero or more
   * DNS characters within one label; a leading `*` without a following dot also matches the name
   * to its right; `*` alone matches every name.
   */
  static pattern(pattern: string): Fqdn {
    Fqdn.checkName('Fqdn.pattern', pattern, FQDN_PATTERN_LABEL, 'letters, digits, "-", "_" and "*"');
    return new Fqdn('matchPattern', pattern);
  }

  /** {@link Fqdn.pattern} when `text` holds a `*`, otherwise {@link Fqdn.name}. */
  static from(text: string): Fqdn {
    return typeof text === 'string' && text.includes('*') ? Fqdn.pattern(text) : Fqdn.name(text);
  }

  private static checkName(property: string, value: string, label: RegExp, chars: string): void {
    const bare = typeof value === 'string' ? value.replace(/\.$/, '') : '';
    check(
      bare.length > 0 && bare.length <= 253 && bare.split('.').every((l) => label.test(l)),
      property,
      value,
      `a DNS name of at most 253 characters whose dot-separated labels are 1-63 of ${chars}`,
    );
  }

  private constructor(
    /** Which CRD member holds the name. */
    public readonly field: 'matchName' | 'matchPattern',
    /** The name or pattern. */
    public readonly value: string,
  ) {}

  /** The CRD form, `{matchName}` or `{matchPattern}`. */
  toJson(): JsonObject {
    return { [this.field]: this.value };
  }
}

/** A CIDR with the sub-ranges excluded from it, for {@link Peer.cidrSet}. */
export interface CidrBlock {
  /** The CIDR, e.g. `10.0.0.0/8`. */
  readonly cidr: string;
  /** CIDRs inside `cidr` to leave out. @default - none */
  readonly except?: readonly string[];
}
/** The declaration of {@link CidrBlock}: the shape; the CIDRs and their nesting are judged by {@link Peer.cidrSet}. */
export const CidrBlockSchema = declare<CidrBlock>()(strict({ cidr: string('a CIDR such as 10.0.0.0/8'), except: optional(list(string('a CIDR inside cidr'))) }, 'a CIDR block { cidr, except? }'));

/** What kind of peer a {@link Peer} is; a rule holds at most one kind (Cilium's rule). */
export type PeerKind = 'endpoints' | 'entities' | 'cidr' | 'cidrSet' | 'fqdns';

const MEMBER: Record<PeerKind, { from?: string; to: string }> = {
  endpoints: { from: 'fromEndpoints', to: 'toEndpoints' },
  entities: { from: 'fromEntities', to: 'toEntities' },
  cidr: { from: 'fromCIDR', to: 'toCIDR' },
  cidrSet: { from: 'fromCIDRSet', to: 'toCIDRSet' },
  fqdns: { to: 'toFQDNs' },
};

/**
 * The other side of a rule: where ingress comes from or egress goes to. Cilium lets one rule name
 * one kind of peer (endpoints, entities, CIDRs or FQDNs), so a rule takes exactly one Peer.
 */
export class Peer {
  /** Endpoints (pods) matched by any of `selectors`. In a namespaced policy, a selector without a namespace label means the policy's namespace. */
  static endpoints(...selectors: Selector[]): Peer {
    checkNotEmpty('Peer.endpoints', selectors, 'at least one Selector', 'an empty list is treated as absent, which widens the rule to every peer');
    return new Peer('endpoints', selectors.map((s) => s.toJson()));
  }

  /** Every pod of namespace `name`, optionally only those that carry `labels`. */
  static namespace(name: string, labels?: Readonly<Record<string, string>>): Peer {
    const selector = Selector.namespace(name);
    return Peer.endpoints(labels ? selector.withLabels(labels) : selector);
  }

  /** Special entities such as `world`, `cluster` or `kube-apiserver`. */
  static entities(...entities: Entity[]): Peer {
    checkNotEmpty('Peer.entities', entities, 'at least one entity', 'an empty list is treated as absent, which widens the rule to every peer');
    entities.forEach((e, i) => check((ENTITIES as readonly string[]).includes(e), `Peer.entities[${i}]`, e, ENTITIES.join(', '), 'the CRD enum'));
    return new Peer('entities', [...entities]);
  }

  /** IP blocks outside the cluster (`fromCIDR` / `toCIDR`). */
  static cidrs(...cidrs: string[]): Peer {
    checkNotEmpty('Peer.cidrs', cidrs, 'at least one CIDR', 'an empty list is treated as absent, which widens the rule to every peer');
    cidrs.forEach((c, i) => parseCidr(`Peer.cidrs[${i}]`, c));
    return new Peer('cidr', [...cidrs]);
  }

  /** IP blocks with excluded sub-ranges (`fromCIDRSet` / `toCIDRSet`). Each `except` must lie inside its `cidr`. */
  static cidrSet(...blocks: CidrBlock[]): Peer {
    checkNotEmpty('Peer.cidrSet', blocks, 'at least one CidrBlock', 'an empty list is treated as absent, which widens the rule to every peer');
    parse(list(CidrBlockSchema), blocks, 'Peer.cidrSet');
    const json = blocks.map((block, i) => {
      const outer = parseCidr(`Peer.cidrSet[${i}].cidr`, block.cidr);
      (block.except ?? []).forEach((e, j) => {
        const property = `Peer.cidrSet[${i}].except[${j}]`;
        if (!cidrContains(outer, parseCidr(property, e))) throw new ValidationError(property, e, `a CIDR inside ${block.cidr}`);
      });
      return compact({ cidr: block.cidr, except: block.except && block.except.length > 0 ? [...block.except] : undefined });
    });
    return new Peer('cidrSet', json);
  }

  /**
   * DNS names (egress only). A policy built with this also gets a rule that lets the selected
   * pods' DNS lookups through kube-dns's DNS proxy, without which Cilium never learns the names'
   * addresses (see `CiliumNetworkPolicy`).
   */
  static fqdns(...names: Fqdn[]): Peer {
    checkNotEmpty('Peer.fqdns', names, 'at least one Fqdn', 'an empty toFQDNs is treated as absent, which widens the rule to every destination');
    return new Peer('fqdns', names.map((n) => n.toJson()));
  }

  private constructor(
    /** The kind of peer. */
    public readonly kind: PeerKind,
    private readonly items: JsonValue[],
  ) {}

  /** The rule member for this peer, `fromX` in an ingress rule and `toX` in an egress rule. */
  toJson(direction: 'ingress' | 'egress'): JsonObject {
    const member = direction === 'ingress' ? MEMBER[this.kind].from : MEMBER[this.kind].to;
    if (member === undefined) throw new ValidationError('Peer', this.kind, 'endpoints, entities, cidrs or cidrSet in an ingress rule', 'Cilium has no fromFQDNs');
    return { [member]: [...this.items] };
  }
}
