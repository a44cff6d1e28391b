/**
 * Readers for the payloads rules look inside: Helm release values (YAML strings, where Cilium's
 * settings and the Karpenter custom resources delivered by `ManifestRelease` live) and IAM policy
 * documents (JSON strings). Pure: no cdktf.
 */
import type * as Yaml from 'yaml';
import { mergeHelmValues, withSetValue } from '../../core/helm-values';
import { isRecord } from '../../core/json';
import { JsonObject } from '../../core/yaml';
import { blocks, RuleContext, RuleContextSchema, show, SynthesizedConfig } from './rule';
import { parse } from '../../core/schema';

/** Contexts already checked against their declaration (once each: a rule calls this per resource). */
const checkedContexts = new WeakSet<RuleContext>();

// ---------------------------------------------------------------------------------------------
// Helm releases

/** A release's values as the chart receives them, or why they cannot be known at synth. */
export type HelmValuesReading = { readonly values: JsonObject; readonly unreadable?: undefined } | { readonly values?: undefined; readonly unreadable: string };

/** Per rule context, each release's reading: several rules read the same release. */
const readings = new WeakMap<RuleContext, WeakMap<SynthesizedConfig, HelmValuesReading>>();

/**
 * The values of a `helm_release`: its `values` documents merged in order (as Helm merges `-f`
 * files), then its `set`, `set_list` and `set_sensitive` entries. An entry whose data the
 * construct that wrote it holds (see `IHelmValuesSource`, reached through
 * {@link RuleContext.knownHelmValues}) is taken from there; any other entry is parsed as YAML,
 * Terraform expressions inside a scalar kept as strings. `unreadable` says why when the values
 * cannot be known at synth (a whole entry that is a Terraform expression such as `file(...)`,
 * text that is not YAML, a document that is not a map, a `set` name with a list index): the
 * security checks then warn, naming the release and the reason. The result is shared: callers
 * must not modify it.
 */
export function helmReleaseValues(config: SynthesizedConfig, ctx: RuleContext): HelmValuesReading {
  if (!checkedContexts.has(ctx)) {
    parse(RuleContextSchema, ctx, 'helmReleaseValues(ctx)');
    checkedContexts.add(ctx);
  }
  let byConfig = readings.get(ctx);
  if (byConfig === undefined) readings.set(ctx, (byConfig = new WeakMap()));
  let reading = byConfig.get(config);
  if (reading === undefined) {
    reading = readHelmValues(config, ctx.knownHelmValues(config) ?? []);
    byConfig.set(config, reading);
  }
  return reading;
}

function readHelmValues(config: SynthesizedConfig, known: readonly unknown[]): HelmValuesReading {
  const release = `release ${show(config.name)}`;
  const cannot = (why: string): HelmValuesReading => ({ unreadable: `the values of ${release} cannot be read at synth: ${why}` });
  const entries = config.values ?? [];
  if (!Array.isArray(entries)) return cannot(`values is ${show(entries)}, not a list`);
  let merged: JsonObject = {};
  for (const [i, entry] of entries.entries()) {
    const where = `values[${i}]`;
    let docs: unknown[];
    if (known[i] !== undefined) {
      docs = [known[i]];
    } else {
      if (typeof entry !== 'string') return cannot(`${where} is ${show(entry)}, not a string`);
      if (/^\s*\$\{[\s\S]*\}\s*$/.test(entry)) return cannot(`${where} is a Terraform expression (${entry.trim().slice(0, 60)}), known only at apply time`);
      const parsed = yamlDocuments(entry);
      if (typeof parsed === 'string') return cannot(`${where} is not YAML: ${parsed}`);
      docs = parsed;
    }
    for (const doc of docs) {
      if (doc === null || doc === undefined) continue;
      if (!isRecord(doc)) return cannot(`${where} is ${show(doc)}, not a map of values`);
      merged = mergeHelmValues(merged, doc as JsonObject);
    }
  }
  for (const kind of ['set', 'set_list', 'set_sensitive']) {
    for (const [j, s] of blocks(config, kind).entries()) {
      if (typeof s.name !== 'string') return cannot(`${kind}[${j}].name is ${show(s.name)}`);
      if (s.name.includes('[')) return cannot(`${kind}[${j}].name ${show(s.name)} has a list index, which the checks do not model`);
      merged = withSetValue(merged, s.name, s.value);
    }
  }
  return { values: merged };
}

/**
 * The documents of one values entry, parsed, or the parser's first error. The YAML library (a
 * dependency) is loaded on first use, outside any `catch`: a missing module is an error, never a
 * check that switches itself off. The project's own releases never need it.
 */
function yamlDocuments(text: string): unknown[] | string {
  const { parseAllDocuments } = require('yaml') as typeof Yaml;
  // Duplicate keys are Helm's to reject; skipping that scan saves a third of the parse time.
  const parsed = parseAllDocuments(text, { uniqueKeys: false });
  const error = parsed.flatMap((d) => d.errors)[0];
  if (error !== undefined) return error.message.split('\n')[0];
  try {
    return parsed.map((d) => d.toJS({ maxAliasCount: -1 }) as unknown);
  } catch (e) {
    return (e as Error).message;
  }
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
