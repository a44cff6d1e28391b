import { check, ValidationError } from '../../core/errors';
import { JsonObject } from '../../core/yaml';
import { compact } from '../../core/json';
import { checkDnsLabel, checkLabelKey, checkLabels, checkLabelValue, checkNotEmpty } from './validate';

/**
 * Label Cilium puts on every pod's identity with the pod's namespace. A namespaced policy's
 * selectors are confined to the policy's own namespace unless they name this label.
 */
export const NAMESPACE_LABEL = 'k8s:io.kubernetes.pod.namespace';

/** Operators of a `matchExpressions` entry, from the CRD enum. */
export type SelectorOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

/** One `matchExpressions` entry. Build it with the static factories. */
export class MatchExpression {
  /** The label's value is one of `values`. */
  static in(key: string, values: readonly string[]): MatchExpression {
    return new MatchExpression(key, 'In', values);
  }

  /** The label is absent or its value is none of `values`. */
  static notIn(key: string, values: readonly string[]): MatchExpression {
    return new MatchExpression(key, 'NotIn', values);
  }

  /** The label is present, whatever its value. */
  static exists(key: string): MatchExpression {
    return new MatchExpression(key, 'Exists');
  }

  /** The label is absent. */
  static doesNotExist(key: string): MatchExpression {
    return new MatchExpression(key, 'DoesNotExist');
  }

  private constructor(
    /** Label key. */
    public readonly key: string,
    /** Operator. */
    public readonly operator: SelectorOperator,
    /** Values for `In` / `NotIn`. */
    public readonly values?: readonly string[],
  ) {
    const property = `MatchExpression.${operator.charAt(0).toLowerCase()}${operator.slice(1)}`;
    checkLabelKey(`${property}(key)`, key);
    if (values !== undefined) {
      checkNotEmpty(`${property}(values)`, values, 'at least one value', `${operator} with no values never matches`);
      values.forEach((v, i) => checkLabelValue(`${property}(values)[${i}]`, v));
    }
  }

  /** The CRD form of this expression. */
  toJson(): JsonObject {
    return compact({ key: this.key, operator: this.operator, values: this.values ? [...this.values] : undefined });
  }
}

/**
 * A label selector for endpoints (pods) or nodes. An empty selector selects every endpoint in
 * scope, so it can only be made through {@link Selector.all}, which says that on purpose.
 */
export class Selector {
  /**
   * Selects every endpoint in scope: every pod of the namespace in a namespaced policy, every
   * endpoint of the cluster in a clusterwide one. Renders as `{}` and is recorded as intended
   * (see `SELECT_ALL_ANNOTATION`), so the lint does not warn about it.
   */
  static all(): Selector {
    return new Selector({}, []);
  }

  /** Endpoints that carry every one of `labels`. Throws on an empty map: use {@link Selector.all}. */
  static labels(labels: Readonly<Record<string, string>>): Selector {
    Selector.checkSome('Selector.labels', labels);
    checkLabels('Selector.labels', labels);
    return new Selector({ ...labels }, []);
  }

  /** Endpoints that satisfy every one of `expressions`. */
  static matching(...expressions: MatchExpression[]): Selector {
    checkNotEmpty('Selector.matching', expressions, 'at least one MatchExpression', 'an empty selector selects everything; use Selector.all()');
    return new Selector({}, expressions);
  }

  /** Every pod of namespace `name`, through the `k8s:io.kubernetes.pod.namespace` label. */
  static namespace(name: string): Selector {
    checkDnsLabel('Selector.namespace', name);
    return new Selector({ [NAMESPACE_LABEL]: name }, []);
  }

  private static checkSome(property: string, labels: Readonly<Record<string, string>>): void {
    check(Object.keys(labels).length > 0, property, labels, 'at least one label', 'an empty selector selects everything; use Selector.all() to say so');
  }

  private constructor(
    private readonly matchLabels: Readonly<Record<string, string>>,
    private readonly matchExpressions: readonly MatchExpression[],
  ) {}

  /** Whether this selector selects every endpoint in scope (only {@link Selector.all} does). */
  get selectsAll(): boolean {
    return Object.keys(this.matchLabels).length === 0 && this.matchExpressions.length === 0;
  }

  /** This selector narrowed to endpoints that also carry `labels`. A key set twice must agree. */
  withLabels(labels: Readonly<Record<string, string>>): Selector {
    Selector.checkSome('Selector.withLabels', labels);
    checkLabels('Selector.withLabels', labels);
    for (const [key, value] of Object.entries(labels)) {
      const existing = this.matchLabels[key];
      if (existing !== undefined && existing !== value) {
        throw new ValidationError(`Selector.withLabels[${JSON.stringify(key)}]`, value, `${JSON.stringify(existing)}, the value already set`, 'one label cannot have two values');
      }
    }
    return new Selector({ ...this.matchLabels, ...labels }, this.matchExpressions);
  }

  /** This selector narrowed by more expressions. */
  where(...expressions: MatchExpression[]): Selector {
    checkNotEmpty('Selector.where', expressions, 'at least one MatchExpression');
    return new Selector(this.matchLabels, [...this.matchExpressions, ...expressions]);
  }

  /** This selector narrowed to pods of namespace `name`. */
  inNamespace(name: string): Selector {
    checkDnsLabel('Selector.inNamespace', name);
    return this.withLabels({ [NAMESPACE_LABEL]: name });
  }

  /** The CRD form: `{matchLabels?, matchExpressions?}`, `{}` for {@link Selector.all}. */
  toJson(): JsonObject {
    return compact({
      matchLabels: Object.keys(this.matchLabels).length > 0 ? { ...this.matchLabels } : undefined,
      matchExpressions: this.matchExpressions.length > 0 ? this.matchExpressions.map((e) => e.toJson()) : undefined,
    });
  }
}
