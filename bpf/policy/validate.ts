/**
 * Internal input checks shared by the policy builders. Each throws a {@link ValidationError}
 * that names the property, the value and what is allowed. Not part of the public API.
 */
import { isIPv4, isIPv6 } from 'net';
import { check, ValidationError } from '../../core/errors';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** Label value pattern of the CRD's `matchLabels` (and Kubernetes). */
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
/** Name part of a Kubernetes qualified name. */
const QUALIFIED_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
/** Cilium label source prefix (`k8s:`, `any:`, `reserved:`, ...). */
const LABEL_SOURCE = /^[a-z0-9]+:/;

/** Object name: a DNS-1123 subdomain, as Kubernetes requires for `metadata.name`. */
export function checkDnsSubdomain(property: string, value: string): void {
  check(
    typeof value === 'string' && value.length <= 253 && DNS_SUBDOMAIN.test(value),
    property,
    value,
    'a DNS-1123 subdomain: at most 253 lowercase letters, digits, "-" and ".", starting and ending alphanumeric',
  );
}

/** Namespace name: a DNS-1123 label. */
export function checkDnsLabel(property: string, value: string): void {
  check(
    typeof value === 'string' && value.length <= 63 && DNS_LABEL.test(value),
    property,
    value,
    'a DNS-1123 label: at most 63 lowercase letters, digits and "-", starting and ending alphanumeric',
  );
}

/**
 * A label key as Cilium selectors take it: an optional source prefix (`k8s:`), an optional DNS
 * subdomain prefix with `/`, and a name of at most 63 characters.
 */
export function checkLabelKey(property: string, key: string, allowSource = true): void {
  const rest = allowSource ? key.replace(LABEL_SOURCE, '') : key;
  const slash = rest.lastIndexOf('/');
  const prefix = slash >= 0 ? rest.slice(0, slash) : undefined;
  const name = slash >= 0 ? rest.slice(slash + 1) : rest;
  const ok =
    name.length <= 63 &&
    QUALIFIED_NAME.test(name) &&
    (prefix === undefined || (prefix.length <= 253 && DNS_SUBDOMAIN.test(prefix)));
  const source = allowSource ? 'optional source ("k8s:"), ' : '';
  check(typeof key === 'string' && ok, property, key, `a label key: ${source}optional DNS-subdomain prefix and "/", then a name of at most 63 alphanumerics, "-", "_" and "."`);
}

/** A label value, by the CRD's `matchLabels` pattern. */
export function checkLabelValue(property: string, value: string): void {
  check(
    typeof value === 'string' && value.length <= 63 && LABEL_VALUE.test(value),
    property,
    value,
    'a label value: at most 63 alphanumerics, "-", "_" and ".", starting and ending alphanumeric (CRD matchLabels pattern)',
  );
}

/** Every key and value of a label map; `allowSource` admits Cilium's `k8s:` style key prefixes. */
export function checkLabels(property: string, labels: Readonly<Record<string, string>>, allowSource = true): void {
  for (const [key, value] of Object.entries(labels)) {
    checkLabelKey(`${property}[${JSON.stringify(key)}]`, key, allowSource);
    checkLabelValue(`${property}[${JSON.stringify(key)}]`, value);
  }
}

/** A list that must not be empty. */
export function checkNotEmpty(property: string, list: readonly unknown[], allowed: string, reason?: string): void {
  check(list.length > 0, property, list, allowed, reason);
}

/** A parsed CIDR: address family, network address as a number and prefix length. */
export interface ParsedCidr {
  readonly family: 4 | 6;
  readonly network: bigint;
  readonly prefix: number;
}

/**
 * Parses and checks a CIDR (`10.0.0.0/8`, `2001:db8::/32`). The prefix length is required and the
 * host bits must be zero: Cilium masks them, so `10.1.2.3/8` would silently mean `10.0.0.0/8`.
 */
export function parseCidr(property: string, value: string): ParsedCidr {
  const allowed = 'an IPv4 or IPv6 CIDR with a prefix length and zero host bits, e.g. "10.0.0.0/8" or "2001:db8::/32"';
  const match = typeof value === 'string' ? /^([^/]+)\/(\d{1,3})$/.exec(value) : null;
  if (!match) throw new ValidationError(property, value, allowed);
  const [, address, bits] = match;
  const prefix = Number(bits);
  const family = isIPv4(address) ? 4 : isIPv6(address) ? 6 : undefined;
  if (family === undefined || prefix > (family === 4 ? 32 : 128)) throw new ValidationError(property, value, allowed);
  const width = family === 4 ? 32 : 128;
  const network = family === 4 ? ipv4ToBigInt(address) : ipv6ToBigInt(address);
  const hostMask = (1n << BigInt(width - prefix)) - 1n;
  check((network & hostMask) === 0n, property, value, allowed, 'host bits are set; Cilium would mask them');
  return { family, network, prefix };
}

/** Whether CIDR `inner` lies inside CIDR `outer`. */
export function cidrContains(outer: ParsedCidr, inner: ParsedCidr): boolean {
  if (outer.family !== inner.family || inner.prefix < outer.prefix) return false;
  const width = outer.family === 4 ? 32 : 128;
  const shift = BigInt(width - outer.prefix);
  return inner.network >> shift === outer.network >> shift;
}

function ipv4ToBigInt(address: string): bigint {
  return address.split('.').reduce((acc, octet) => (acc << 8n) + BigInt(Number(octet)), 0n);
}

function ipv6ToBigInt(address: string): bigint {
  let text = address;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const n = ipv4ToBigInt(v4[1]);
    text = `${text.slice(0, v4.index)}${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const zeros = tail === undefined ? [] : new Array<string>(8 - headGroups.length - tailGroups.length).fill('0');
  return [...headGroups, ...zeros, ...tailGroups].reduce((acc, group) => (acc << 16n) + BigInt(parseInt(group, 16)), 0n);
}

/**
 * A regular expression that must compile. Cilium's regexes are RE2 (Envoy `safe_regex`); the CRD
 * calls them extended POSIX. JavaScript's RegExp is used as an approximation of both: it catches
 * unbalanced groups and brackets, not every dialect difference.
 */
export function checkRegex(property: string, value: string): void {
  let error: string | undefined;
  try {
    new RegExp(value);
  } catch (e) {
    error = (e as Error).message;
  }
  check(error === undefined, property, value, 'a regular expression that compiles (checked with JavaScript RegExp as an approximation of RE2)', error);
}
