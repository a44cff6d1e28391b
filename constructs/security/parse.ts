/**
 * Readers for the payloads rules look inside: Helm release values (YAML strings, where Cilium's
 * settings and the Karpenter custom resources delivered by `ManifestRelease` live) and IAM policy
 * documents (JSON strings). Pure: no cdktf.
 */
import type * as Yaml from 'yaml';
import { mergeHelmValues } from '../../core/helm-values';
import { JsonObject } from '../../core/yaml';
import { blocks, isRecord, SynthesizedConfig } from './rule';

// ---------------------------------------------------------------------------------------------
// Helm releases

/**
 * The values of a `helm_release`: its `values` YAML documents merged in order (as Helm merges `-f`
 * files), then its `set` entries. Undefined when a values entry is not YAML the rule can read (for
 * example a whole entry that is a Terraform expression such as `file(...)` or `yamlencode(...)`):
 * the rules then report `not-applicable`. Expressions inside a YAML scalar are kept as strings.
 */
const valuesCache = new WeakMap<SynthesizedConfig, JsonObject | undefined>();

/** Per release configuration, the data of each `values` entry where it is known without parsing. */
const knownValues = new WeakMap<SynthesizedConfig, readonly unknown[]>();

/**
 * Records what the `values` entries of `config` hold, entry by entry (undefined where unknown),
 * so {@link helmReleaseValues} need not parse them. The security aspect knows it for text the
 * project wrote: it finds the writer's data for the unresolved entry and resolves its tokens.
 */
export function setKnownHelmValues(config: SynthesizedConfig, data: readonly unknown[]): void {
  knownValues.set(config, data);
}

/** What {@link setKnownHelmValues} recorded for `config`; undefined when nothing was. */
export function knownHelmValues(config: SynthesizedConfig): readonly unknown[] | undefined {
  return knownValues.get(config);
}

/**
 * Several rules read the same release's values: parse each release once. The result is shared;
 * callers must not modify it.
 */
export function helmReleaseValues(config: SynthesizedConfig): JsonObject | undefined {
  if (valuesCache.has(config)) return valuesCache.get(config);
  const values = parseHelmReleaseValues(config);
  valuesCache.set(config, values);
  return values;
}

function parseHelmReleaseValues(config: SynthesizedConfig): JsonObject | undefined {
  const entries = config.values === undefined ? [] : config.values;
  if (!Array.isArray(entries)) return undefined;
  const known = knownValues.get(config) ?? [];
  let merged: JsonObject = {};
  for (const [i, entry] of entries.entries()) {
    if (typeof entry !== 'string' || /^\s*\$\{[\s\S]*\}\s*$/.test(entry)) return undefined;
    const docs = known[i] !== undefined ? [known[i]] : yamlDocuments(entry);
    if (docs === undefined) return undefined;
    for (const doc of docs) {
      if (doc === null || doc === undefined) continue;
      if (!isRecord(doc)) return undefined;
      merged = mergeHelmValues(merged, doc as JsonObject);
    }
  }
  for (const s of blocks(config, 'set')) {
    if (typeof s.name === 'string' && !s.name.includes('[')) merged = setPath(merged, s.name, s.value);
  }
  return merged;
}

/**
 * The documents of one values entry, parsed; undefined when it is not YAML. Only for text whose
 * data is not known (see {@link setKnownHelmValues}), so the YAML library is loaded on first use:
 * the project's own releases never need it.
 */
function yamlDocuments(text: string): unknown[] | undefined {
  try {
    const { parseAllDocuments } = require('yaml') as typeof Yaml;
    // Duplicate keys are Helm's to reject; skipping that scan saves a third of the parse time.
    const parsed = parseAllDocuments(text, { uniqueKeys: false });
    if (!Array.isArray(parsed) || parsed.some((d) => d.errors.length > 0)) return undefined;
    return parsed.map((d) => d.toJS({ maxAliasCount: -1 }) as unknown);
  } catch {
    return undefined;
  }
}

/** `a.b.c` split on dots that are not escaped (`a\.b` is one key), as Helm's `--set` reads it. */
function splitSetName(name: string): string[] {
  return name.split(/(?<!\\)\./).map((p) => p.replace(/\\\./g, '.'));
}

/** A copy of `values` with the `--set`-style `name` set to `value` (strings `true`/`false` as booleans). */
function setPath(values: JsonObject, name: string, value: unknown): JsonObject {
  const parts = splitSetName(name);
  const leaf: unknown = value === 'true' ? true : value === 'false' ? false : value;
  const override = parts.reduceRight<unknown>((inner, key) => ({ [key]: inner }), leaf);
  return mergeHelmValues(values, override as JsonObject);
}

/** True for the Cilium chart's release (chart `cilium`, from any repository, or release name `cilium`). */
export function isCiliumRelease(config: SynthesizedConfig): boolean {
  const chart = typeof config.chart === 'string' ? config.chart : '';
  return chart === 'cilium' || chart.endsWith('/cilium') || config.name === 'cilium';
}

/**
 * Every Kubernetes object of `apiGroup` and `kind` anywhere in `value` (manifests delivered inside
 * Helm values). An object must carry `apiVersion: <apiGroup>/<version>`, so references such as a
 * NodePool's `nodeClassRef: {kind: EC2NodeClass}` are not taken for objects.
 */
export function findObjects(value: unknown, apiGroup: string, kind: string): Record<string, unknown>[] {
  if (Array.isArray(value)) return value.flatMap((v) => findObjects(v, apiGroup, kind));
  if (!isRecord(value)) return [];
  if (value.kind === kind && typeof value.apiVersion === 'string' && value.apiVersion.startsWith(`${apiGroup}/`)) return [value];
  return Object.values(value).flatMap((v) => findObjects(v, apiGroup, kind));
}

/** The Karpenter EC2NodeClass objects in a Helm release's values. */
export function ec2NodeClasses(values: unknown): Record<string, unknown>[] {
  return findObjects(values, 'karpenter.k8s.aws', 'EC2NodeClass');
}

/** `metadata.name` of an object, for messages. */
export function objectName(o: Record<string, unknown>): string {
  const name = isRecord(o.metadata) ? o.metadata.name : undefined;
  return typeof name === 'string' ? name : '(unnamed)';
}

// ---------------------------------------------------------------------------------------------
// IAM policy documents

/** One statement, normalised: every list a list. */
export interface PolicyStatement {
  readonly sid?: string;
  readonly effect: string;
  readonly actions: readonly string[];
  /** `NotAction`: an Allow with it grants everything else. */
  readonly notActions: readonly string[];
  readonly resources: readonly string[];
  /** `NotResource`: an Allow with it grants every other resource. */
  readonly notResources: readonly string[];
  readonly condition: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** `Principal.Service` entries (trust policies). */
  readonly servicePrincipals: readonly string[];
}

function list(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/**
 * The statements of an IAM policy document given as a JSON string (or already parsed). Undefined
 * when it is not readable JSON (for example a reference to a `aws_iam_policy_document` data
 * source): the rules then report `not-applicable`.
 */
export function policyStatements(policy: unknown): PolicyStatement[] | undefined {
  let doc: unknown = policy;
  if (typeof policy === 'string') {
    if (/^\s*\$\{[\s\S]*\}\s*$/.test(policy)) return undefined;
    try {
      doc = JSON.parse(policy);
    } catch {
      return undefined;
    }
  }
  if (!isRecord(doc)) return undefined;
  const raw = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  if (!raw.every(isRecord)) return undefined;
  return raw.map((s) => ({
    sid: typeof s.Sid === 'string' ? s.Sid : undefined,
    effect: typeof s.Effect === 'string' ? s.Effect : '',
    actions: list(s.Action),
    notActions: list(s.NotAction),
    resources: list(s.Resource),
    notResources: list(s.NotResource),
    servicePrincipals: isRecord(s.Principal) ? list(s.Principal.Service) : [],
    condition: isRecord(s.Condition) ? (Object.fromEntries(Object.entries(s.Condition).filter(([, v]) => isRecord(v))) as Record<string, Record<string, unknown>>) : {},
  }));
}

/** `Sid` or the statement's position, for messages. */
export function statementLabel(s: PolicyStatement, index: number): string {
  return s.sid !== undefined ? `statement ${JSON.stringify(s.sid)}` : `statement ${index}`;
}

/** True when an IAM action pattern (`ec2:Describe*`, `*`) matches an action, case-insensitively. */
export function actionMatches(pattern: string, action: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+^${}()|[\]\\?]/g, '\\$&')).join('.*')}$`, 'i');
  return re.test(action);
}

/** `*` or `<service>:*`: every action, or every action of a service. */
export function isWildcardAction(action: string): boolean {
  return action === '*' || /^[A-Za-z0-9-]+:\*$/.test(action);
}

/**
 * A read-only action: its name after the service prefix starts with `Describe`, `Get` or `List`
 * (a pattern such as `ec2:Describe*` included). Everything else counts as a write.
 */
export function isReadAction(action: string): boolean {
  const name = action.split(':')[1] ?? '';
  return /^(Describe|Get|List)/.test(name);
}

/**
 * Condition keys that narrow which resources a statement reaches: tags of the resource or of the
 * request, the resource's account or organisation, and any service-specific key (`ec2:...`,
 * `iam:PassedToService`, `eks:...`). Global keys about the caller or the request's transport
 * (`aws:SecureTransport`, `aws:SourceIp`, `aws:RequestedRegion`, ...) do not: with Resource `*`
 * the statement still reaches every resource of the account in that region.
 */
export function isScopingConditionKey(key: string): boolean {
  if (!key.toLowerCase().startsWith('aws:')) return true;
  return /^aws:(ResourceTag\/|RequestTag\/|TagKeys$|ResourceAccount$|ResourceOrgID$|ResourceOrgPaths$)/i.test(key);
}

/** True when the statement's Condition holds at least one scoping key (see {@link isScopingConditionKey}). */
export function hasScopingCondition(s: PolicyStatement): boolean {
  return Object.values(s.condition).some((keys) => Object.keys(keys).some(isScopingConditionKey));
}

/** True for an Allow statement whose actions reach `action` (counting `NotAction` as all but those). */
export function allowsAction(s: PolicyStatement, action: string): boolean {
  if (s.effect !== 'Allow') return false;
  if (s.notActions.length > 0) return !s.notActions.some((p) => actionMatches(p, action));
  return s.actions.some((p) => actionMatches(p, action));
}
