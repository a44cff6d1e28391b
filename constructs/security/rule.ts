/**
 * The shape of a security rule (one per file under `rules/`, in the manner of cdk-nag): a pure
 * function over one synthesized resource, its Terraform JSON configuration with references
 * written as Terraform expressions (`${aws_kms_key.key_1A2B.arn}`), plus a context holding every
 * other resource of the stack for the rules that need to look across resources.
 *
 * Pure: no cdktf. The aspect in `security-aspect.ts` builds the inputs; tests may call a rule on a
 * hand-written configuration object.
 */
import { isRecord } from '../../core/json';
import { declare, list, oneOf, opaque, optional, record, strict, string, text, v } from '../../core/schema';

/**
 * What a rule found for one resource. `unreadable`: the rule could not read what it judges (Helm
 * values known only at apply time, text that is not YAML); the checks warn, naming the resource
 * and the reason, rather than pass it silently.
 */
export type RuleCompliance = 'compliant' | 'non-compliant' | 'not-applicable' | 'unreadable';

/** How a non-compliant resource is reported: an error fails `cdktf synth`, a warning does not. */
export type RuleLevel = 'error' | 'warning';

/** A rule's verdict on one resource, with what was found. */
export interface RuleResult {
  /**
   * The verdict ({@link RuleCompliance}): `non-compliant` is reported as an annotation at the rule's level,
   * `unreadable` as a warning; `compliant` and `not-applicable` are only recorded.
   */
  readonly compliance: RuleCompliance;
  /** What was found: for `non-compliant`, the field, the value and what is required. */
  readonly message: string;
}

/** A resource's Terraform JSON configuration (snake_case keys, references as expressions). */
export type SynthesizedConfig = Readonly<Record<string, unknown>>;

/** One resource of the synthesized stack. */
export interface SynthesizedResource {
  /** Terraform resource type, e.g. `aws_eks_cluster`. */
  readonly type: string;
  /** Terraform resource name (the construct's friendly unique id). */
  readonly name: string;
  /** `type.name`, what references to it name. */
  readonly address: string;
  /** Construct path, for messages. */
  readonly path: string;
  /** Its configuration. */
  readonly config: SynthesizedConfig;
  /**
   * For a `helm_release` written by a construct that holds its values (`IHelmValuesSource`): per
   * `values` entry, the data that construct holds (references resolved as in `config`), undefined
   * for entries it did not write. @default - every entry is parsed
   */
  readonly helmValuesData?: readonly unknown[];
}
const config = record(string(), v.unknown(), 'a resource configuration object') as v.GenericSchema<SynthesizedConfig>;
/** The declaration of {@link SynthesizedResource}. */
export const SynthesizedResourceSchema = declare<SynthesizedResource>()(
  strict(
    { type: text('a Terraform resource type'), name: text('a resource name'), address: text('an address type.name'), path: text('a construct path'), config, helmValuesData: optional(list(v.unknown())) },
    'a synthesized resource { type, name, address, path, config, helmValuesData? }',
  ),
);

/** The rest of the stack, for rules that look across resources. */
export interface RuleContext {
  /** Every resource of the stack. */
  readonly resources: readonly SynthesizedResource[];
  /** The resources of one type. */
  ofType(type: string): SynthesizedResource[];
  /**
   * The resource a value refers to: a reference expression `${type.name.attribute}`, or a plain
   * name matched against the `name` attribute of resources of `type`. Undefined when the value
   * names nothing in the stack.
   */
  resolve(value: unknown, type?: string): SynthesizedResource | undefined;
  /** The {@link SynthesizedResource.helmValuesData} of the resource with this configuration, if any. */
  knownHelmValues(config: SynthesizedConfig): readonly unknown[] | undefined;
}
const method = <F>(what: string): v.GenericSchema<F> => opaque<F>(what, (f) => typeof f === 'function');
/** The declaration of {@link RuleContext} (what the security checks give each rule). */
export const RuleContextSchema = declare<RuleContext>()(
  strict(
    {
      resources: list(SynthesizedResourceSchema),
      ofType: method<RuleContext['ofType']>('a function ofType(type)'),
      resolve: method<RuleContext['resolve']>('a function resolve(value, type?)'),
      knownHelmValues: method<RuleContext['knownHelmValues']>('a function knownHelmValues(config)'),
    },
    'a rule context { resources, ofType, resolve, knownHelmValues }',
  ),
);

/** One rule. */
export interface SecurityRule<Id extends string = string> {
  /** Stable id, used in messages and in `suppress`. */
  readonly id: Id;
  /** How a violation is reported. */
  readonly level: RuleLevel;
  /** One line: what the rule requires. */
  readonly title: string;
  /** What switching the rule off costs: the risk accepted. */
  readonly cost: string;
  /** Terraform resource types the rule looks at. */
  readonly resourceTypes: readonly string[];
  /** The check: pure, no side effects. */
  readonly check: (resourceType: string, config: SynthesizedConfig, ctx: RuleContext) => RuleResult;
}
/** The declaration of {@link SecurityRule}. */
export const SecurityRuleSchema = declare<SecurityRule>()(
  strict(
    {
      id: text('a rule id'),
      level: oneOf(['error', 'warning'] as const),
      title: text('one line: what the rule requires'),
      cost: text('what switching the rule off costs'),
      resourceTypes: list(text('a Terraform resource type'), { min: 1 }),
      check: method<SecurityRule['check']>('a function check(resourceType, config, ctx)'),
    },
    'a SecurityRule { id, level, title, cost, resourceTypes, check }',
  ),
);

/** Declares a rule, keeping its id as a literal type. */
export function defineRule<const Id extends string>(rule: SecurityRule<Id>): SecurityRule<Id> {
  return Object.freeze(rule);
}

export const compliant = (message: string): RuleResult => ({ compliance: 'compliant', message });
export const nonCompliant = (message: string): RuleResult => ({ compliance: 'non-compliant', message });
export const notApplicable = (message: string): RuleResult => ({ compliance: 'not-applicable', message });
export const unreadable = (message: string): RuleResult => ({ compliance: 'unreadable', message });

// ---------------------------------------------------------------------------------------------
// Reading synthesized configuration

/** True for a string holding a Terraform expression, whose value is known only at apply time. */
export function isExpression(value: unknown): boolean {
  return typeof value === 'string' && value.includes('${');
}

/**
 * A nested block that allows one instance. cdktf writes such blocks as an object; a list of one
 * is accepted too.
 */
export function block(config: unknown, key: string): Record<string, unknown> | undefined {
  if (!isRecord(config)) return undefined;
  const v = config[key];
  if (Array.isArray(v)) return isRecord(v[0]) ? v[0] : undefined;
  return isRecord(v) ? v : undefined;
}

/** Every instance of a repeatable nested block. */
export function blocks(config: unknown, key: string): Record<string, unknown>[] {
  if (!isRecord(config)) return [];
  const v = config[key];
  if (Array.isArray(v)) return v.filter(isRecord);
  return isRecord(v) ? [v] : [];
}

/** `true`/`"true"` and `false`/`"false"`; undefined for anything else (unset or an expression). */
export function asBoolean(value: unknown): boolean | undefined {
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  return undefined;
}

/** A number, or a string holding one; undefined otherwise. */
export function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) return Number(value);
  return undefined;
}

/** A list of strings, a single string as a list of one; undefined for anything else. */
export function asStringList(value: unknown): string[] | undefined {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  return undefined;
}

/** Renders a value for a message. */
export function show(value: unknown): string {
  return value === undefined ? 'unset' : JSON.stringify(value);
}

const REFERENCE = /^\$\{([A-Za-z0-9_-]+)\.([^.}]+)\.[^}]+\}$/;

/** A {@link RuleContext} over a list of resources. */
export function ruleContext(resources: readonly SynthesizedResource[]): RuleContext {
  const byAddress = new Map(resources.map((r) => [r.address, r]));
  const byConfig = new Map(resources.map((r) => [r.config, r]));
  return {
    resources,
    knownHelmValues: (config) => byConfig.get(config)?.helmValuesData,
    ofType: (type) => resources.filter((r) => r.type === type),
    resolve: (value, type) => {
      if (typeof value !== 'string') return undefined;
      const m = REFERENCE.exec(value);
      if (m) {
        const found = byAddress.get(`${m[1]}.${m[2]}`);
        return found !== undefined && (type === undefined || found.type === type) ? found : undefined;
      }
      if (type === undefined || isExpression(value)) return undefined;
      return resources.find((r) => r.type === type && r.config.name === value);
    },
  };
}
