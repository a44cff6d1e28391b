import { check, ValidationError } from '../../core/errors';
import { JsonObject } from '../../core/yaml';
import { compact } from '../../core/json';
import { declare, instance, list, oneOf, optional, parse, strict, string } from '../../core/schema';
import { dns1123Label, dns1123Subdomain } from '../../core/rules';
import { Fqdn } from './peer';
import { checkNotEmpty, checkRegex } from './validate';

/** L4 protocols of a port, from the CRD enum. `ANY` means TCP, UDP and SCTP. */
export type Protocol = 'TCP' | 'UDP' | 'SCTP' | 'ANY';

/** The protocols the CRD allows. */
export const PROTOCOLS: readonly Protocol[] = ['TCP', 'UDP', 'SCTP', 'ANY'];

/** IANA service name, what Kubernetes accepts as a named container port. */
const NAMED_PORT = /^(?=.{1,15}$)(?=.*[a-z])[a-z0-9]+(-[a-z0-9]+)*$/;

/** One L4 port with its protocol. Build it with the static factories. */
export class Port {
  /** A TCP port: a number 1-65535 or a named container port (`http`). */
  static tcp(port: number | string): Port {
    return new Port(port, 'TCP');
  }

  /** A UDP port. */
  static udp(port: number | string): Port {
    return new Port(port, 'UDP');
  }

  /** An SCTP port. */
  static sctp(port: number | string): Port {
    return new Port(port, 'SCTP');
  }

  /** The port over TCP, UDP and SCTP alike. L7 HTTP rules cannot use it. */
  static any(port: number | string): Port {
    return new Port(port, 'ANY');
  }

  /** The port as the CRD writes it, a decimal string or a name. */
  public readonly port: string;

  private constructor(
    port: number | string,
    /** The protocol. */
    public readonly protocol: Protocol,
  ) {
    const property = `Port.${protocol.toLowerCase()}(port)`;
    const allowed = 'an integer 1-65535 or a named port (IANA service name: 1-15 lowercase alphanumerics and "-", at least one letter)';
    if (typeof port === 'number' || /^\d+$/.test(String(port))) {
      const n = Number(port);
      check(Number.isInteger(n) && n >= 1 && n <= 65535, property, port, allowed);
      this.port = String(n);
    } else {
      check(typeof port === 'string' && NAMED_PORT.test(port), property, port, allowed);
      this.port = port;
    }
  }

  /** The CRD form, `{port, protocol}`. */
  toJson(): JsonObject {
    return { port: this.port, protocol: this.protocol };
  }
}

const REGEX_META = /[.*+?^${}()|[\]\\]/g;

/**
 * An HTTP path regex. Cilium hands `path` to Envoy as an RE2 `safe_regex` matcher on the `:path`
 * header, and Envoy requires the regex to match the whole value; the CRD text calls it an
 * extended POSIX regex "matched against the path", which under egrep rules would be a search.
 * The factories here always write `^...$` so the meaning is the same under either reading, and
 * the lint warns about a path without both anchors. `:path` includes the query string, so
 * `exact('/api/books')` refuses `/api/books?page=2`; write a {@link HttpPath.regex} if queries
 * must pass.
 */
export class HttpPath {
  /** Exactly `path` (regex metacharacters escaped): `exact('/api/books')` is `^/api/books$`. */
  static exact(path: string): HttpPath {
    HttpPath.checkLiteral('HttpPath.exact', path);
    return new HttpPath(`^${escapeRegex(path)}$`);
  }

  /** `prefix` followed by anything: `prefix('/api/books/')` is `^/api/books/.*$`. */
  static prefix(prefix: string): HttpPath {
    HttpPath.checkLiteral('HttpPath.prefix', prefix);
    return new HttpPath(`^${escapeRegex(prefix)}.*$`);
  }

  /** A regex written by hand. It must compile; anchor it with `^...$` or the lint warns. */
  static regex(regex: string): HttpPath {
    check(typeof regex === 'string' && regex.length > 0, 'HttpPath.regex', regex, 'a non-empty regex', 'an empty path allows every path; leave the path out to say so');
    checkRegex('HttpPath.regex', regex);
    return new HttpPath(regex);
  }

  private static checkLiteral(property: string, path: string): void {
    check(typeof path === 'string' && path.startsWith('/'), property, path, 'a path starting with "/"');
  }

  private constructor(
    /** The regex Cilium receives. */
    public readonly regex: string,
  ) {}
}

function escapeRegex(text: string): string {
  return text.replace(REGEX_META, '\\$&');
}

/** RFC 9110 token, the syntax of a header name. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** What Cilium does when a {@link HttpHeader.matches} header does not match, from the CRD enum. */
export type HeaderMismatchAction = 'LOG' | 'ADD' | 'DELETE' | 'REPLACE';

/** Options of {@link HttpHeader.matches}. */
export interface HeaderMatchOptions {
  /** Literal value the header must have. @default - only the header's presence is required */
  readonly value?: string;
  /** Secret holding the value (one entry). @default - none */
  readonly secret?: { readonly name: string; readonly namespace?: string };
  /** What to do on a mismatch instead of dropping the request. @default - the request is dropped */
  readonly mismatch?: HeaderMismatchAction;
}
/** The declaration of {@link HeaderMatchOptions}. */
export const HeaderMatchOptionsSchema = declare<HeaderMatchOptions>()(
  strict(
    {
      value: optional(string()),
      secret: optional(strict({ name: dns1123Subdomain('a Secret name'), namespace: optional(dns1123Label('a namespace')) }, 'a Secret { name, namespace? }')),
      mismatch: optional(oneOf(['LOG', 'ADD', 'DELETE', 'REPLACE'] as const, 'LOG, ADD, DELETE or REPLACE')),
    },
    'header match options { value?, secret?, mismatch? }',
  ),
);

/** A header condition of an HTTP rule. */
export class HttpHeader {
  /** The request must carry header `name` (`headers: ["Name"]`). */
  static present(name: string): HttpHeader {
    HttpHeader.checkName('HttpHeader.present', name);
    return new HttpHeader('headers', name);
  }

  /** The request must carry header `name` with exactly `value` (`headers: ["Name: value"]`). */
  static equals(name: string, value: string): HttpHeader {
    HttpHeader.checkName('HttpHeader.equals', name);
    check(typeof value === 'string' && value.length > 0 && !/[\x00-\x1f\x7f]/.test(value), 'HttpHeader.equals(value)', value, 'a non-empty header value without control characters');
    return new HttpHeader('headers', `${name}: ${value}`);
  }

  /** A `headerMatches` entry: value or secret match, with an optional mismatch action. */
  static matches(name: string, options: HeaderMatchOptions = {}): HttpHeader {
    HttpHeader.checkName('HttpHeader.matches', name);
    parse(HeaderMatchOptionsSchema, options, 'HttpHeader.matches(options)');
    const mismatch = options.mismatch;
    return new HttpHeader(
      'headerMatches',
      compact({
        name,
        value: options.value,
        secret: options.secret ? compact({ name: options.secret.name, namespace: options.secret.namespace }) : undefined,
        mismatch,
      }),
    );
  }

  private static checkName(property: string, name: string): void {
    check(typeof name === 'string' && TOKEN.test(name), `${property}(name)`, name, 'an HTTP header name (RFC 9110 token)');
  }

  private constructor(
    /** Which CRD member the condition goes to. */
    public readonly member: 'headers' | 'headerMatches',
    /** Its CRD form. */
    public readonly json: string | JsonObject,
  ) {}
}

/** Options of an {@link HttpRule}. */
export interface HttpRuleProps {
  /** Request method, matched exactly. @default - every method */
  readonly method?: string;
  /** Request path. @default - every path */
  readonly path?: HttpPath;
  /** Header conditions; all must hold. @default - none */
  readonly headers?: readonly HttpHeader[];
}

/** Upper-case method token without regex metacharacters, so Cilium's regex matches it literally. */
const METHOD = /^[A-Z][A-Z0-9_-]*$/;
/** The declaration of {@link HttpRuleProps}: the shape; the method's format is judged by the rule, with Cilium's reason. */
export const HttpRulePropsSchema = declare<HttpRuleProps>()(
  strict(
    { method: optional(string('an HTTP method such as GET')), path: optional(instance(HttpPath, 'an HttpPath (HttpPath.exact(...), HttpPath.prefix(...))')), headers: optional(list(instance(HttpHeader, 'an HttpHeader (HttpHeader.present(...), HttpHeader.matches(...))'))) },
    'HTTP rule props { method?, path?, headers? }',
  ),
);

/** An L7 HTTP rule: a request is allowed when it satisfies every condition of some rule. */
export class HttpRule {
  /** A rule from its parts. At least one part is required: an empty rule allows every request. */
  static of(props: HttpRuleProps): HttpRule {
    parse(HttpRulePropsSchema, props, 'HttpRule.of(props)');
    return new HttpRule(props);
  }

  /** `GET` requests to `path`. */
  static get(path: HttpPath, headers?: readonly HttpHeader[]): HttpRule {
    return new HttpRule({ method: 'GET', path, headers });
  }

  private readonly json: JsonObject;

  private constructor(props: HttpRuleProps) {
    const headers = props.headers ?? [];
    if (props.method === undefined && props.path === undefined && headers.length === 0) {
      throw new ValidationError('HttpRule', props, 'at least one of method, path or headers', 'an empty HTTP rule allows every request');
    }
    if (props.method !== undefined) {
      check(METHOD.test(props.method), 'HttpRule.method', props.method, 'an upper-case HTTP method token such as GET or POST', 'Cilium matches the method as a case-sensitive regex');
    }
    const plain = headers.filter((h) => h.member === 'headers').map((h) => h.json);
    const matches = headers.filter((h) => h.member === 'headerMatches').map((h) => h.json);
    this.json = compact({
      method: props.method,
      path: props.path?.regex,
      headers: plain.length > 0 ? plain : undefined,
      headerMatches: matches.length > 0 ? matches : undefined,
    });
  }

  /** The CRD form. */
  toJson(): JsonObject {
    return { ...this.json };
  }
}

/** Most ports one `toPorts` entry may list (CRD `maxItems`). */
const MAX_PORTS = 40;

/**
 * One `toPorts` entry: ports plus, optionally, L7 rules (HTTP or DNS, not both) that traffic on
 * those ports must also satisfy.
 */
export class PortRule {
  /** Traffic on any of `ports`, with no L7 rule. */
  static of(...ports: Port[]): PortRule {
    checkNotEmpty('PortRule.of', ports, 'at least one Port', 'a toPorts entry without ports matches nothing');
    check(ports.length <= MAX_PORTS, 'PortRule.of', ports.length, `at most ${MAX_PORTS} ports`, 'CRD maxItems');
    return new PortRule(ports);
  }

  private constructor(
    /** The ports. */
    public readonly ports: readonly Port[],
    private readonly l7?: { readonly kind: 'http' | 'dns'; readonly rules: readonly JsonObject[] },
  ) {}

  /** This entry with L7 HTTP rules. Every port must be TCP: HTTP runs over TCP only. */
  allowHttp(...rules: HttpRule[]): PortRule {
    this.checkL7('allowHttp', rules, ['TCP']);
    return new PortRule(this.ports, { kind: 'http', rules: rules.map((r) => r.toJson()) });
  }

  /** This entry with L7 DNS rules: lookups of other names are refused, and all lookups are visible. */
  allowDns(...names: Fqdn[]): PortRule {
    this.checkL7('allowDns', names, ['UDP', 'TCP', 'ANY']);
    return new PortRule(this.ports, { kind: 'dns', rules: names.map((n) => n.toJson()) });
  }

  private checkL7(method: string, rules: readonly unknown[], protocols: readonly Protocol[]): void {
    const property = `PortRule.${method}`;
    checkNotEmpty(property, rules, 'at least one rule', 'an empty L7 list is treated as absent');
    if (this.l7) throw new ValidationError(property, method, 'one kind of L7 rule per toPorts entry', `this entry already has ${this.l7.kind} rules`);
    this.ports.forEach((p, i) =>
      check(protocols.includes(p.protocol), `${property}: ports[${i}].protocol`, p.protocol, protocols.join(' or '), method === 'allowHttp' ? 'HTTP runs over TCP only' : undefined),
    );
  }

  /** The CRD form, `{ports, rules?}`. */
  toJson(): JsonObject {
    return compact({
      ports: this.ports.map((p) => p.toJson()),
      rules: this.l7 ? { [this.l7.kind]: [...this.l7.rules] } : undefined,
    });
  }
}
