/**
 * Namespaces labelled for Pod Security Admission: `enforce`, `audit` and `warn` at one level, each
 * with a pinned policy version, so a control-plane upgrade never changes what is admitted.
 *
 * Every namespace the project creates goes through {@link PssNamespace} (a `kubernetes_namespace_v1`,
 * which works at plan time because Namespace is a built-in kind, and exists before a Helm release
 * that installs into it) or, for objects delivered by `ManifestRelease`, {@link pssNamespaceManifest}.
 *
 * The one exception is `kube-system`: see {@link KUBE_SYSTEM_PSS_EXCEPTION}.
 */
import { Construct } from 'constructs';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { ITerraformDependable } from './cdktf';
import { dependable } from './inputs';
import {
  POD_SECURITY_EXCEPTION_ANNOTATION,
  PodSecurityLevel,
  PssNamespaceException,
  PssNamespaceExceptionSchema,
  PssNamespaceOptions,
  pssNamespaceEntries,
  pssNamespaceLabels,
  resolvePodSecurity,
  SYSTEM_NAMESPACES,
} from '../core/pss/namespace';
import { ValidationError } from '../core/errors';
import { declare, list, optional, parse, record, strict, string } from '../core/schema';
import { dns1123Label, qualifiedName } from '../core/rules';

/**
 * The props of {@link PssNamespace}: the namespace's name, its Pod Security level and pinned version (of
 * {@link PssNamespaceOptions}), its annotations and what it waits for.
 */
export interface PssNamespaceProps extends PssNamespaceOptions {
  /** Namespace name (a DNS-1123 label; not one of {@link SYSTEM_NAMESPACES}). */
  readonly name: string;
  /** Annotations. @default - none */
  readonly annotations?: Readonly<Record<string, string>>;
  /** What must exist first (cluster admin access for the deploying principal). @default - nothing */
  readonly dependsOn?: ITerraformDependable[];
}
/** The declaration of {@link PssNamespaceProps}. */
export const PssNamespacePropsSchema = declare<PssNamespaceProps>()(
  strict(
    { ...pssNamespaceEntries, name: dns1123Label('a namespace'), annotations: optional(record(qualifiedName('an annotation key'), string())), dependsOn: optional(list(dependable)) },
    'PssNamespace props { name, level?, version?, kubernetesVersion?, labels?, annotations?, dependsOn? }',
  ),
);

/**
 * A namespace, created with the `kubernetes` provider of the scope, labelled for Pod Security
 * Admission. Use it for every namespace a Helm release installs into (e.g. `karpenter`), and pass
 * it in the release's `dependsOn` so it exists first.
 */
export class PssNamespace extends Construct {
  /**
   * The namespace (`kubernetes_namespace_v1`), with {@link PssNamespace.labels}; pass it in the `dependsOn`
   * of a Helm release that installs into it.
   */
  public readonly namespace: NamespaceV1;
  /**
   * The namespace's name, as given in `name`; a Helm release installing into it takes it as its `namespace`.
   */
  public readonly name: string;
  /**
   * The Pod Security level of the `enforce`, `audit` and `warn` modes: `level` as given, else `restricted`
   * (https://kubernetes.io/docs/concepts/security/pod-security-standards/).
   */
  public readonly level: PodSecurityLevel;
  /**
   * The pinned Pod Security policy version of the three modes (`v1.35`): `version` as given, else
   * `v<kubernetesVersion>`, else `v` and {@link DEFAULT_KUBERNETES_VERSION}. Pinned so a control-plane
   * upgrade never changes what is admitted.
   */
  public readonly version: string;
  /**
   * The namespace's labels: `labels` as given, and the six `pod-security.kubernetes.io/<mode>` and
   * `pod-security.kubernetes.io/<mode>-version` labels (modes `enforce`, `audit`, `warn`), which win on a
   * clash (https://kubernetes.io/docs/concepts/security/pod-security-admission/).
   */
  public readonly labels: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: PssNamespaceProps) {
    super(scope, id);
    parse(PssNamespacePropsSchema, props);
    this.name = props.name;
    if (SYSTEM_NAMESPACES.includes(props.name)) {
      throw new ValidationError('name', props.name, `a namespace other than ${SYSTEM_NAMESPACES.join(', ')}`, 'every cluster already has it, so it cannot be created');
    }
    const resolved = resolvePodSecurity(props);
    this.level = resolved.level;
    this.version = resolved.version;
    const { level, version, kubernetesVersion, labels } = props;
    this.labels = pssNamespaceLabels({ level, version, kubernetesVersion, labels });
    this.namespace = new NamespaceV1(this, 'namespace', {
      metadata: { name: this.name, labels: { ...this.labels }, annotations: props.annotations ? { ...props.annotations } : undefined },
      dependsOn: props.dependsOn,
    });
  }

  /**
   * The namespace of a documented exception: its name and level come from `exception`, and the
   * reason is recorded as the {@link POD_SECURITY_EXCEPTION_ANNOTATION} annotation.
   */
  public static forException(
    scope: Construct,
    id: string,
    exception: PssNamespaceException,
    props: Omit<PssNamespaceProps, 'name' | 'level' | 'annotations'>,
  ): PssNamespace {
    parse(PssNamespaceExceptionSchema, exception, 'forException(exception)');
    return new PssNamespace(scope, id, {
      ...props,
      name: exception.namespace,
      level: exception.level,
      annotations: { [POD_SECURITY_EXCEPTION_ANNOTATION]: exception.reason },
    });
  }
}
