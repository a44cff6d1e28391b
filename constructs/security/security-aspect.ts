/**
 * `CiliumEksSecurityChecks`: a cdktf Aspect, in the manner of cdk-nag, that runs the security
 * rules of `rules/` over every resource of the synthesized stack and reports what fails as an
 * error (which stops `cdktf synth`) or a warning.
 *
 * ```ts
 * Aspects.of(stack).add(new CiliumEksSecurityChecks());
 * // A rule switched off, with the reason recorded as an info annotation wherever it would fire:
 * Aspects.of(stack).add(new CiliumEksSecurityChecks({ suppress: { 'eks-public-endpoint-open': 'CI runners have no fixed egress IP' } }));
 * ```
 *
 * Each resource's configuration is read through public cdktf APIs: `TerraformResource.toTerraform()`
 * gives its Terraform JSON, and `Tokenization.resolve` turns the tokens in it into the Terraform
 * expressions the synthesized file will hold (`${aws_iam_policy.x.arn}`), which is how rules find
 * the resource a reference points at. Resolution runs outside the prepare phase, so it registers
 * no cross-stack outputs.
 *
 * Helm values: for a `helm_release` whose parent construct wrote its values and holds their data
 * (`IHelmValuesSource`: the Cilium release, `ManifestRelease`, Karpenter) the rules get that data;
 * other values are parsed as YAML. Values that cannot be read at synth (a `file(...)` expression,
 * text that is not YAML) give one warning per release naming it, the reason and the rules that
 * could not judge it.
 */
import { IConstruct } from 'constructs';
import { ValidationError } from '../../core/errors';
import { Annotations, DefaultTokenResolver, IAspect, StringConcat, TerraformResource, TerraformStack, Tokenization } from '../cdktf';
import { helmValuesSourceOf } from '../helm-values-source';
import { isRecord } from '../../core/json';
import { RuleCompliance, RuleContext, ruleContext, SecurityRule, SecurityRuleSchema, SynthesizedResource } from './rule';
import { SECURITY_RULES } from './rules';
import { declare, list, optional, record, strict, string, text } from '../../core/schema';

/** Resource types rules look up through the context (references from the judged resources). */
const CONTEXT_RESOURCE_TYPES = ['aws_iam_role', 'aws_iam_policy', 'aws_eks_pod_identity_association', 'aws_eks_addon', 'aws_eks_node_group', 'aws_ebs_encryption_by_default'];

/**
 * The props of {@link CiliumEksSecurityChecks}, the security baseline checks over a stack (`securityChecks`
 * of the stacks' props; docs/security.md#security-baseline-checks): the rules to run and the ones switched
 * off, each with its reason.
 */
export interface CiliumEksSecurityChecksProps {
  /**
   * Rules to switch off, by id, each with the reason (not empty). The reason is recorded as an
   * info annotation on every resource the rule would have reported. Ids: see `SECURITY_RULES`
   * (`eks-secrets-encryption`, `eks-control-plane-logging`, `eks-public-endpoint-open`,
   * `imds-v2-hop-limit`, `encrypted-volumes`, `iam-wildcard-action`, `iam-unscoped-write`,
   * `cilium-wireguard-off`, `hubble-ui-public`, `node-role-eni-policy`).
   * @default - every rule on
   */
  readonly suppress?: Readonly<Record<string, string>>;
  /** The rules to run; add your own {@link SecurityRule}s here. @default SECURITY_RULES */
  readonly rules?: readonly SecurityRule[];
}
export const CiliumEksSecurityChecksPropsSchema = declare<CiliumEksSecurityChecksProps>()(
  strict(
    {
      suppress: optional(record(string('a rule id'), text('a non-empty reason, recorded wherever the rule would fire'), 'an object of rule ids to reasons')),
      rules: optional(list(SecurityRuleSchema, { unique: (r) => r.id, uniqueField: 'id', duplicate: 'a rule id not used before' })),
    },
    'security check options { suppress?, rules? }',
  ),
);

/** One rule's verdict on one resource. */
export interface SecurityCheckResult {
  /**
   * The `id` of the rule that gave the verdict (`eks-secrets-encryption`, or a rule of your own), as
   * `suppress` names it.
   */
  readonly ruleId: string;
  /**
   * The rule's level ({@link RuleLevel}): a non-compliant verdict of an `error` rule is an ERROR annotation
   * that fails `cdktf synth` (unless suppressed), of a `warning` rule a warning.
   */
  readonly level: SecurityRule['level'];
  /**
   * The verdict on the resource ({@link RuleCompliance}): `compliant`, `non-compliant`, `not-applicable` or
   * `unreadable`.
   */
  readonly compliance: RuleCompliance;
  /**
   * What the rule found, in words: for `non-compliant` the field, the value and what is required (the
   * annotation's text); for `unreadable` why it could not read the resource.
   */
  readonly message: string;
  /** `type.name` of the resource. */
  readonly address: string;
  /** Construct path of the resource. */
  readonly path: string;
  /** The suppression reason, when the rule is switched off. @default - not suppressed */
  readonly suppressedBecause?: string;
}

/** Prefix of every annotation the checks add. */
export const SECURITY_ANNOTATION_PREFIX = 'cilium-eks-security';

/** What follows the prefix in the warning for a resource the rules could not read. */
export const UNREADABLE_ANNOTATION_ID = 'unreadable';

/** The synthesized form of one resource: its Terraform JSON block, tokens resolved. */
export function synthesizedResource(resource: TerraformResource): SynthesizedResource {
  const raw = resource.toTerraform();
  const context = { scope: resource, resolver: new DefaultTokenResolver(new StringConcat()) };
  const { '//': _metadata, ...config } = resourceBody(resource, Tokenization.resolve(raw, context));
  // Values the owning construct wrote: its data, tokens resolved the same way, instead of a parse.
  const source = helmValuesSourceOf(resource);
  const entries: unknown = source && resourceBody(resource, raw).values;
  const helmValuesData =
    source && Array.isArray(entries) ? entries.map((e: unknown) => (e === source.valuesEntry ? (Tokenization.resolve(source.valuesData(), context) as unknown) : undefined)) : undefined;
  return {
    type: resource.terraformResourceType,
    name: resource.friendlyUniqueId,
    address: `${resource.terraformResourceType}.${resource.friendlyUniqueId}`,
    path: resource.node.path,
    config,
    helmValuesData,
  };
}

/** The block of `resource` in a Terraform JSON document (its own `toTerraform()` output). */
function resourceBody(resource: TerraformResource, doc: unknown): Record<string, unknown> {
  const byType = isRecord(doc) && isRecord(doc.resource) ? doc.resource[resource.terraformResourceType] : undefined;
  const body = isRecord(byType) ? byType[resource.friendlyUniqueId] : undefined;
  return isRecord(body) ? body : {};
}

/** Runs the security rules on every Terraform resource below the construct it is added to. */
export class CiliumEksSecurityChecks implements IAspect {
  /** Every verdict so far, in visiting order (compliant and not-applicable ones included). */
  public readonly results: SecurityCheckResult[] = [];
  private readonly rules: readonly SecurityRule[];
  private readonly suppress: ReadonlyMap<string, string>;
  private readonly contexts = new WeakMap<TerraformStack, { ctx: RuleContext; byPath: Map<string, SynthesizedResource> }>();
  private readonly visited = new WeakSet<IConstruct>();

  constructor(props: CiliumEksSecurityChecksProps = {}) {
    this.rules = props.rules ?? SECURITY_RULES;
    const ids = this.rules.map((r) => r.id);
    if (new Set(ids).size !== ids.length) throw new ValidationError('rules', ids, 'rules with distinct ids');
    const suppress = new Map<string, string>();
    for (const [id, reason] of Object.entries(props.suppress ?? {})) {
      if (!ids.includes(id)) throw new ValidationError('suppress', id, `a rule id: ${ids.join(', ')}`);
      if (typeof reason !== 'string' || reason.trim() === '') {
        throw new ValidationError(`suppress.${id}`, reason, 'a non-empty reason for switching the rule off', 'the reason is the record of the accepted risk');
      }
      suppress.set(id, reason.trim());
    }
    this.suppress = suppress;
  }

  public visit(node: IConstruct): void {
    if (!TerraformResource.isTerraformResource(node) || this.visited.has(node)) return;
    if (!this.rules.some((r) => r.resourceTypes.includes(node.terraformResourceType))) return;
    this.visited.add(node);
    const { ctx, byPath } = this.contextFor(TerraformStack.of(node));
    const resource = byPath.get(node.node.path) ?? synthesizedResource(node);
    /** Rules that could not read the resource, by reason. */
    const unread = new Map<string, string[]>();
    for (const rule of this.rules) {
      if (!rule.resourceTypes.includes(resource.type)) continue;
      const result = rule.check(resource.type, resource.config, ctx);
      const suppressedBecause = this.suppress.get(rule.id);
      this.results.push({ ruleId: rule.id, level: rule.level, ...result, address: resource.address, path: resource.path, suppressedBecause });
      if (result.compliance === 'unreadable' && suppressedBecause === undefined) unread.set(result.message, [...(unread.get(result.message) ?? []), rule.id]);
      if (result.compliance !== 'non-compliant') continue;
      const text = `[${SECURITY_ANNOTATION_PREFIX}:${rule.id}] ${rule.title}: ${result.message}`;
      if (suppressedBecause !== undefined) {
        Annotations.of(node).addInfo(`${text} (rule switched off: ${suppressedBecause})`);
      } else if (rule.level === 'error') {
        Annotations.of(node).addError(`${text}. Fix it, or switch the rule off with a reason: suppress: { '${rule.id}': '<reason>' }`);
      } else {
        Annotations.of(node).addWarning(text);
      }
    }
    for (const [reason, ids] of unread) {
      Annotations.of(node).addWarning(`[${SECURITY_ANNOTATION_PREFIX}:${UNREADABLE_ANNOTATION_ID}] ${resource.address} (${resource.path}): ${reason}. Not checked: ${ids.join(', ')}`);
    }
  }

  /**
   * The stack's resources that a rule judges or looks up, synthesized once per stack. Resolving a
   * resource's configuration is the expensive part of the checks, so resources of no interest to
   * any rule (subnets, routes, tags, ...) are skipped.
   */
  private contextFor(stack: TerraformStack): { ctx: RuleContext; byPath: Map<string, SynthesizedResource> } {
    let entry = this.contexts.get(stack);
    if (entry === undefined) {
      const wanted = new Set([...this.rules.flatMap((r) => r.resourceTypes), ...CONTEXT_RESOURCE_TYPES]);
      const resources = stack.node
        .findAll()
        .filter((c): c is TerraformResource => TerraformResource.isTerraformResource(c) && TerraformStack.of(c) === stack && wanted.has(c.terraformResourceType))
        .map(synthesizedResource);
      entry = { ctx: ruleContext(resources), byPath: new Map(resources.map((r) => [r.path, r])) };
      this.contexts.set(stack, entry);
    }
    return entry;
  }
}
