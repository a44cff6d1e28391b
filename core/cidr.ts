import { ValidationError } from './errors';
import { declare, int, strict } from './schema';

/** IPv4 CIDR arithmetic done at synth, so subnets are visible in the plan and checked before Terraform. */
export interface Ipv4Cidr {
  /** Network address as an unsigned 32-bit integer. */
  readonly network: number;
  /** Prefix length, 0 to 32: the number of leading network bits (`/16` is 16). */
  readonly prefix: number;
}
/** The declaration of {@link Ipv4Cidr}. */
export const Ipv4CidrSchema = declare<Ipv4Cidr>()(
  strict({ network: int(0, 0xffffffff, 'a network address as an unsigned 32-bit integer'), prefix: int(0, 32) }, 'a parsed CIDR { network, prefix } (parseCidr)'),
);

const CIDR_RE = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Parses `a.b.c.d/n`; throws a {@link ValidationError} naming `property` if it is not a network address. */
export function parseCidr(cidr: string, property: string): Ipv4Cidr {
  const m = CIDR_RE.exec(cidr);
  const allowed = 'an IPv4 network in CIDR notation, e.g. 10.0.0.0/16, with no host bits set';
  if (!m) throw new ValidationError(property, cidr, allowed);
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) throw new ValidationError(property, cidr, allowed);
  const addr = ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
  const network = prefix === 0 ? 0 : (addr & (~0 << (32 - prefix))) >>> 0;
  if (network !== addr) {
    throw new ValidationError(property, cidr, allowed, `host bits are set; the network is ${formatCidr({ network, prefix })}`);
  }
  return { network, prefix };
}

export function formatCidr(c: Ipv4Cidr): string {
  const n = c.network;
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}/${c.prefix}`;
}

/** The `index`th subnet of `base` with `newBits` more prefix bits (Terraform's `cidrsubnet`). */
export function cidrSubnet(base: Ipv4Cidr, newBits: number, index: number): Ipv4Cidr {
  const prefix = base.prefix + newBits;
  if (prefix > 32 || index < 0 || index >= 2 ** newBits) {
    throw new RangeError(`cidrSubnet(${formatCidr(base)}, ${newBits}, ${index}) is out of range`);
  }
  return { network: (base.network + index * 2 ** (32 - prefix)) >>> 0, prefix };
}

export function cidrsOverlap(a: Ipv4Cidr, b: Ipv4Cidr): boolean {
  const p = Math.min(a.prefix, b.prefix);
  const mask = p === 0 ? 0 : (~0 << (32 - p)) >>> 0;
  return ((a.network & mask) >>> 0) === ((b.network & mask) >>> 0);
}

/** RFC 1918 ranges: where EKS accepts a service CIDR. */
export const RFC1918 = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'].map((c) => parseCidr(c, 'RFC1918'));

export function isWithin(inner: Ipv4Cidr, outer: Ipv4Cidr): boolean {
  return inner.prefix >= outer.prefix && cidrsOverlap(inner, outer);
}
