import { ValidationError } from '../../core/errors';
import { JsonObject, JsonValue } from '../../core/yaml';
import { uncoveredFqdns } from './dns';
import { asArray, asObject, asString, DIRECTIONS, emptySelectorPaths, objectsOf, specsOf } from '../../core/json';
import { ENTITIES } from './peer';
import { CiliumPolicy, CiliumPolicyBase, PolicyManifest, SELECT_ALL_ANNOTATION } from './policy';

/** How bad a finding is: an error makes {@link assertPolicyValid} throw, a warning does not. */
export type LintSeverity = 'error' | 'warning';

/** What a finding is about. */
export type LintCode =
  /** error: `toFQDNs` whose names no DNS rule on port 53 (UDP) of the same spec lets through the DNS proxy. */
  | 'fqdn-without-dns-visibility'
  /** error: L7 HTTP rules on a port whose protocol is UDP, SCTP or ANY (HTTP needs TCP). */
  | 'http-on-non-tcp'
  /** error: an HTTP path that does not compile (JavaScript RegExp standing in for RE2). */
  | 'http-path-invalid-regex'
  /** warning: an HTTP path without both `^` and `$`. */
  | 'http-path-unanchored'
  /** warning: an empty selector (every endpoint) at a path the select-all annotation does not list. */
  | 'unintended-select-all'
  /** error: an entity outside the CRD enum; it matches nothing. */
  | 'unknown-entity'
  /** warning: the entity `none`, which matches nothing. */
  | 'entity-none'
  /** error: a `toPorts` entry without ports (matches nothing), or `toPorts: []` (read as absent: every port). */
  | 'empty-ports'
  /** error: an empty peer list such as `toFQDNs: []`; Cilium reads it as absent, so the rule matches every peer. */
  | 'empty-peer-list'
  /** warning: `ingress: []` and the like, which Cilium reads as absent: no allow, no default deny. */
  | 'empty-rule-list'
  /** warning: an empty rule `{}`, which matches nothing and only turns on default deny, without `enableDefaultDeny` saying so. */
  | 'empty-rule'
  /** error: `enableDefaultDeny` true for a direction with no rules, which Cilium ignores. */
  | 'default-deny-ignored'
  /** error: pods with a Pod Identity association under default-deny egress without egress to the agent (`lintPodIdentityEgress`). */
  | 'pod-identity-agent-blocked'
  /** error: a gRPC path (`/<package>.<Service>/...`) with a method other than POST; every gRPC call is a POST. */
  | 'grpc-not-post'
  /** warning: a gRPC path whose part after the service is neither a method name nor `.*`. */
  | 'grpc-path-shape';

/** One problem in one policy. */
export interface LintFinding {
  /** error or warning. */
  readonly severity: LintSeverity;
  /** `metadata.name` of the policy. */
  readonly policy: string;
  /** Path of the rule or member inside the spec: `egress[1]`, `ingress[0].toPorts[0].rules.http[1].path`, `specs[1].endpointSelector`. */
  readonly rule: string;
  /** What kind of problem. */
  readonly code: LintCode;
  /** A sentence naming the policy, the rule and the problem. */
  readonly message: string;
  /** The offending value. */
  readonly value: JsonValue;
  /** What would be accepted instead. */
  readonly allowed: string;
}

const PEER_LISTS = {
  ingress: ['fromEndpoints', 'fromRequires', 'fromNodes', 'fromEntities', 'fromCIDR', 'fromCIDRSet', 'fromGroups'],
  egress: ['toEndpoints', 'toRequires', 'toNodes', 'toEntities', 'toCIDR', 'toCIDRSet', 'toFQDNs', 'toServices', 'toGroups'],
} as const;

/** Ends in an unescaped `$`. */
const ENDS_ANCHORED = /(^|[^\\])(\\\\)*\$$/;

type Add = (severity: LintSeverity, code: LintCode, rule: string, value: JsonValue, allowed: string, problem: string) => void;

/**
 * Checks a policy (a builder or a raw manifest, e.g. parsed from YAML) for mistakes the CRD
 * schema accepts. A built policy never has the errors the builders prevent; a raw one may.
 *
 * DNS visibility for `toFQDNs` is decided this way: the builders add the DNS rule themselves, and
 * this lint reports an error for a raw policy that lacks it. The DNS rule must be in the same
 * spec (the same selected pods): policies are switched on one at a time, so one that relies on
 * another's DNS rule breaks when that one is off.
 */
export function lintPolicy(policy: CiliumPolicy | PolicyManifest | JsonObject): LintFinding[] {
  const manifest = (policy instanceof CiliumPolicyBase ? policy.toManifest() : policy) as JsonObject;
  const metadata = asObject(manifest.metadata);
  const name = asString(metadata?.name) ?? '(unnamed)';
  const findings: LintFinding[] = [];
  const add: Add = (severity, code, rule, value, allowed, problem) =>
    findings.push({ severity, policy: name, rule, code, value, allowed, message: `policy ${name}, ${rule}: ${problem}` });

  const intended = new Set((asString(asObject(metadata?.annotations)?.[SELECT_ALL_ANNOTATION]) ?? '').split(',').map((p) => p.trim()));
  for (const path of emptySelectorPaths(manifest)) {
    if (!intended.has(path)) {
      add('warning', 'unintended-select-all', path, {}, 'a selector with labels, or Selector.all() / the select-all annotation if every endpoint is meant', 'an empty selector selects every endpoint in scope');
    }
  }
  for (const [prefix, spec] of specsOf(manifest)) lintSpec(prefix, spec, add);
  return findings;
}

function lintSpec(prefix: string, spec: JsonObject, add: Add): void {
  const deny = asObject(spec.enableDefaultDeny) ?? {};
  for (const direction of ['ingress', 'egress'] as const) {
    const hasRules = (asArray(spec[direction])?.length ?? 0) > 0 || (asArray(spec[`${direction}Deny`])?.length ?? 0) > 0;
    if (deny[direction] === true && !hasRules) {
      add('error', 'default-deny-ignored', `${prefix}enableDefaultDeny.${direction}`, true, `at least one ${direction} rule, e.g. ${direction}: [{}]`, `Cilium applies default deny only to a direction that has rules, so this ${direction} stays open`);
    }
  }
  for (const dir of DIRECTIONS) {
    const list = asArray(spec[dir.key]);
    if (list && list.length === 0) {
      add('warning', 'empty-rule-list', `${prefix}${dir.key}`, [], `leave ${dir.key} out, or [{}] with enableDefaultDeny to deny all`, `an empty ${dir.key} list is read as absent: it neither allows nor denies anything`);
    }
    const direction = dir.ingress ? 'ingress' : 'egress';
    for (const [i, rule] of objectsOf(list)) {
      const path = `${prefix}${dir.key}[${i}]`;
      const intendedDeny = dir.key === direction && deny[direction] === true;
      if (Object.keys(rule).length === 0 && !intendedDeny) {
        add('warning', 'empty-rule', path, {}, `a rule with a peer or ports, or enableDefaultDeny.${direction}: true to mark a deny-all`, 'an empty rule matches nothing; its only effect is to turn on default deny');
      }
      lintPeers(path, rule, PEER_LISTS[direction], add);
      lintPorts(path, rule, add);
    }
  }
  for (const { path, entry } of uncoveredFqdns(spec)) {
    add('error', 'fqdn-without-dns-visibility', `${prefix}${path}`, entry, 'an egress rule in the same spec on port 53 (UDP) with a DNS rule covering the name, e.g. matchPattern "*"', 'no DNS rule lets the selected pods\' lookups of this name through the DNS proxy, so Cilium never learns its addresses');
  }
}

function lintPeers(path: string, rule: JsonObject, members: readonly string[], add: Add): void {
  for (const member of members) {
    const list = asArray(rule[member]);
    if (list && list.length === 0) {
      add('error', 'empty-peer-list', `${path}.${member}`, [], `at least one entry, or leave ${member} out`, `an empty ${member} is read as absent, so the rule matches every peer`);
    }
  }
  const entities = members.find((m) => m.endsWith('Entities')) ?? 'toEntities';
  (asArray(rule[entities]) ?? []).forEach((entity, j) => {
    if (entity === 'none') {
      add('warning', 'entity-none', `${path}.${entities}[${j}]`, entity, 'an entity that matches something', 'the entity "none" matches no peer');
    } else if (!(ENTITIES as readonly JsonValue[]).includes(entity)) {
      add('error', 'unknown-entity', `${path}.${entities}[${j}]`, entity, ENTITIES.join(', '), 'not an entity of the CRD enum, so it matches no peer');
    }
  });
}

function lintPorts(path: string, rule: JsonObject, add: Add): void {
  const toPorts = asArray(rule.toPorts);
  if (toPorts && toPorts.length === 0) {
    add('error', 'empty-ports', `${path}.toPorts`, [], 'at least one entry, or leave toPorts out', 'toPorts: [] is read as absent, so the rule applies on every port');
  }
  for (const [j, entry] of objectsOf(toPorts)) {
    const entryPath = `${path}.toPorts[${j}]`;
    const ports = objectsOf(entry.ports);
    if (ports.length === 0) {
      add('error', 'empty-ports', `${entryPath}.ports`, entry.ports ?? null, 'at least one {port, protocol}', 'a toPorts entry without ports matches no traffic');
    }
    const http = objectsOf(asObject(entry.rules)?.http);
    if (http.length === 0) continue;
    for (const [k, port] of ports) {
      const protocol = port.protocol;
      if (protocol !== undefined && protocol !== 'TCP') {
        add('error', 'http-on-non-tcp', `${entryPath}.ports[${k}].protocol`, protocol, 'TCP (or leave protocol out)', 'L7 HTTP rules need TCP');
      }
    }
    for (const [k, httpRule] of http) {
      lintHttpPath(`${entryPath}.rules.http[${k}].path`, httpRule.path, add);
      lintGrpc(`${entryPath}.rules.http[${k}]`, httpRule, add);
    }
  }
}

function lintHttpPath(path: string, value: JsonValue | undefined, add: Add): void {
  const regex = asString(value);
  if (regex === undefined) return;
  try {
    new RegExp(regex);
  } catch (e) {
    add('error', 'http-path-invalid-regex', path, regex, 'a regex that compiles (checked with JavaScript RegExp as an approximation of RE2)', `does not compile: ${(e as Error).message}`);
    return;
  }
  if (!regex.startsWith('^') || !ENDS_ANCHORED.test(regex)) {
    add('warning', 'http-path-unanchored', path, regex, `an anchored regex such as ^${regex.replace(/^\^|\$$/g, '')}$`, 'without both ^ and $ the regex states no intent about the rest of the path (Envoy matches the whole path, a POSIX search would not)');
  }
}

/**
 * `^/pkg.Service/rest`: a gRPC path as the builders (or a hand) write it: a package, and a service
 * name in CamelCase (the protobuf style guide's convention), which keeps web paths such as
 * `^/static.files/app.js$` out.
 */
const GRPC_PATH = /^\^\/((?:[A-Za-z_]\w*\\?\.)+[A-Z]\w*)\/(.*)$/;

/** gRPC paths: every call is a POST, and after the service comes a method name (or `.*`). */
function lintGrpc(path: string, rule: JsonObject, add: Add): void {
  const m = GRPC_PATH.exec(asString(rule.path) ?? '');
  if (!m) return;
  const method = asString(rule.method);
  if (method !== undefined && method !== 'POST') {
    add('error', 'grpc-not-post', `${path}.method`, method, 'POST (or leave method out)', 'gRPC calls are HTTP/2 POST requests; this rule matches none');
  }
  if (!/^([A-Za-z_]\w*\$|\.\*\$)$/.test(m[2])) {
    add('warning', 'grpc-path-shape', `${path}.path`, asString(rule.path) ?? '', `^/${m[1]}/<Method>$ or ^/${m[1]}/.*$`, 'a gRPC path is /<package>.<Service>/<Method>; the part after the service matches no method name');
  }
}

/**
 * Throws a ValidationError for the first lint error of `policy` (naming the policy and rule, and
 * counting the others); warnings do not throw. Returns the warnings.
 */
export function assertPolicyValid(policy: CiliumPolicy | PolicyManifest | JsonObject): LintFinding[] {
  const findings = lintPolicy(policy);
  const errors = findings.filter((f) => f.severity === 'error');
  if (errors.length > 0) {
    const [first, ...rest] = errors;
    const more = rest.length > 0 ? `; ${rest.length} more error(s): ${rest.map((f) => `${f.rule} ${f.code}`).join(', ')}` : '';
    throw new ValidationError(`${first.policy}.${first.rule}`, first.value, first.allowed, `${first.code}: ${first.message}${more}`);
  }
  return findings;
}
