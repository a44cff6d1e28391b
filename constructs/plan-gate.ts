/**
 * Plan-time gates: checks that need what RUNS in the account (a cluster's Kubernetes version, the
 * Cilium agent's image), which the synth cannot see. A gate reads the running state with data
 * sources at `terraform plan` and refuses the plan with a Terraform `lifecycle.precondition` on
 * the resource it guards, before anything changes.
 *
 * Design (each point checked where a source is named; see docs/day-2.md#upgrading):
 * - Cluster existence is read with `data "aws_eks_clusters"`, which lists the names of the
 *   region's clusters (EKS ListClusters): an empty list, not an error, when there are none
 *   (inferred from it being a list call; not run against AWS from here). Every other reading is a data source with
 *   `count = contains(names, <cluster name>) ? 1 : 0`, so on a brand-new cluster nothing is read:
 *   no `aws_eks_cluster` lookup of a missing name (an error), and no Kubernetes API call through a
 *   provider whose host is still unknown at plan.
 * - The cluster name in those lookups is the configured string, not the cluster resource's
 *   attribute: a data source that references a managed resource with pending changes is read at
 *   apply, too late for a gate.
 * - Kubernetes objects are read with `data "kubernetes_resources"` (kubernetes provider 2.x; its
 *   docs, data-sources/resources.md: `objects` is "the response from the API server" of a list
 *   call filtered by `field_selector`), so nothing matching is an empty list, not an error. Reading with the
 *   single-object data sources of that provider once errored on a missing object and was reverted
 *   to "empty" (hashicorp/terraform-provider-kubernetes #2434, #2464); a list call has no such case.
 * - A reading is a Terraform expression that is `null` when nothing runs or the value cannot be
 *   read (`one(...[*])`, `try(..., null)`): a gate passes on null. What a gate cannot judge, it
 *   lets through; it never blocks a first deploy.
 * - Conditions and messages are plain HCL written here, so a test can evaluate exactly what is
 *   synthesized with a real `terraform` (the project's plan-gate tests). Terraform evaluates the
 *   `error_message` template when the condition fails (custom conditions, Terraform >= 1.2).
 *
 * Reuse: `new PlanGate(scope, id, { clusterName })`, then `runningClusterVersion()`,
 * `runningObject(...)` or your own {@link PlanReading}; build a {@link PlanCheck} (for a version:
 * {@link versionStepCheck}) and attach it with {@link guard}. Any HCL that is `true` when the plan
 * may go ahead works as a condition (e.g. a migration phase read from a ConfigMap).
 */
import { Construct } from 'constructs';
import { DataAwsEksCluster } from '@cdktf/provider-aws/lib/data-aws-eks-cluster';
import { DataAwsEksClusters } from '@cdktf/provider-aws/lib/data-aws-eks-clusters';
import { DataKubernetesResources } from '@cdktf/provider-kubernetes/lib/data-kubernetes-resources';
import { VERSION_MINOR_PATTERN, VersionStepRule } from '../core/version-step';
import { Fn, TerraformResource, Token } from './cdktf';
import { declare, int, optional, parse, pattern, record, rules, strict, text, v } from '../core/schema';
import { dns1123Label, dns1123Subdomain } from '../core/rules';
import { clusterName } from './inputs';

/** HCL written without `${}` (the gate wraps it): a Terraform token is refused. */
const hcl = (allowed: string): v.GenericSchema<string> => v.pipe(text(allowed), v.check((s) => !s.includes('${'), `${allowed}, written without \${...}`));

/** A value of the running system, as a Terraform expression (no `${}`): null when nothing runs or it cannot be read. */
export interface PlanReading {
  /** The HCL expression, e.g. `one(data.aws_eks_cluster.x[*].version)`. */
  readonly hcl: string;
  /** What it reads, for messages and docs, e.g. `the running EKS control plane's version`. */
  readonly description: string;
}
/** The declaration of {@link PlanReading}. */
export const PlanReadingSchema = declare<PlanReading>()(
  strict({ hcl: hcl('an HCL expression, e.g. one(data.aws_eks_cluster.x[*].version)'), description: text('what it reads, in words') }, 'a plan reading { hcl, description }'),
);

/** A check for a `lifecycle.precondition`: both fields as Terraform would write them. */
export interface PlanCheck {
  /** HCL boolean expression (no `${}`): true when the plan may go ahead. */
  readonly condition: string;
  /** The message, a Terraform string template (may interpolate `${...}` expressions). */
  readonly errorMessage: string;
}
/** The declaration of {@link PlanCheck}. */
export const PlanCheckSchema = declare<PlanCheck>()(strict({ condition: hcl('an HCL boolean expression'), errorMessage: text('a message') }, 'a plan check { condition, errorMessage }'));

/** The props of {@link PlanGate}: the name of the cluster whose running state it reads. */
export interface PlanGateProps {
  /** The cluster name as configured (a plain string, never the cluster resource's attribute). */
  readonly clusterName: string;
}
/** The declaration of {@link PlanGateProps}: the name as configured, never a resource attribute. */
export const PlanGatePropsSchema = declare<PlanGateProps>()(
  rules(strict({ clusterName: clusterName() }, 'PlanGate props { clusterName }'), (p, report) => {
    if (Token.isUnresolved(p.clusterName)) report(['clusterName'], p.clusterName, 'the configured cluster name, not a resource attribute', 'a reading that depends on a resource with pending changes is deferred to apply');
  }),
);

/** Where one Kubernetes object field is read from. */
export interface RunningObjectOptions {
  /**
   * The object's `apiVersion`, group and version (`apps/v1`, `v1` for the core group), as the
   * `kubernetes_resources` data source takes it.
   */
  readonly apiVersion: string;
  /**
   * The object's `kind` (`DaemonSet`, `ConfigMap`): a kind the API server knows, or the plan fails (read a
   * CRD's kind with {@link PlanGate.runningObjects} and its `crd`).
   */
  readonly kind: string;
  /**
   * The object's namespace (a DNS-1123 label); leave it out for a cluster-scoped object (a Node, a CRD).
   * @default - cluster-scoped
   */
  readonly namespace?: string;
  /** The object's `metadata.name`, read through the field selector `metadata.name=<name>`. */
  readonly name: string;
  /** HCL traversal below the object, e.g. `spec.template.spec.containers[0].image`. */
  readonly field: string;
  /** For messages. */
  readonly description: string;
}
const kubeObjectEntries = { apiVersion: text('an apiVersion such as apps/v1'), kind: text('a kind such as DaemonSet'), namespace: optional(dns1123Label('a namespace')), description: text('what it reads, in words') };
/** The declaration of {@link RunningObjectOptions}. */
export const RunningObjectOptionsSchema = declare<RunningObjectOptions>()(
  strict({ ...kubeObjectEntries, name: text('an object name'), field: text('an HCL traversal such as spec.template.spec.containers[0].image') }, 'a running object { apiVersion, kind, name, field, description, namespace? }'),
);

/** Where a list of Kubernetes objects is read from. */
export interface RunningObjectsOptions {
  /**
   * The objects' `apiVersion`, group and version (`karpenter.sh/v1`, `v1` for the core group), as the
   * `kubernetes_resources` data source takes it.
   */
  readonly apiVersion: string;
  /**
   * The objects' `kind` (`NodePool`, `Pod`); a kind that may not be registered needs `crd`, or the plan
   * fails.
   */
  readonly kind: string;
  /**
   * The namespace to list in (a DNS-1123 label); left out, every namespace (or, for a cluster-scoped kind,
   * the whole cluster).
   * @default - every namespace (or cluster-scoped)
   */
  readonly namespace?: string;
  /** A Kubernetes label selector, e.g. `k8s-app=aws-node`. @default - none */
  readonly labelSelector?: string;
  /** A Kubernetes field selector, e.g. `metadata.name=cilium`. @default - none */
  readonly fieldSelector?: string;
  /**
   * The CustomResourceDefinition that registers `kind` (e.g. `nodepools.karpenter.sh`): the list
   * is read only where it exists. The provider maps `kind` through the API server's discovery and
   * fails the plan on a kind nobody registered (its `getGVR`, RESTMapping), so a kind that may be
   * absent is read behind its CRD.
   * @default - the kind is always registered (a built-in kind)
   */
  readonly crd?: string;
  /** For messages. */
  readonly description: string;
}
/** The declaration of {@link RunningObjectsOptions}. */
export const RunningObjectsOptionsSchema = declare<RunningObjectsOptions>()(
  strict(
    { ...kubeObjectEntries, labelSelector: optional(text('a label selector')), fieldSelector: optional(text('a field selector')), crd: optional(dns1123Subdomain('a CustomResourceDefinition name such as nodepools.karpenter.sh')) },
    'running objects { apiVersion, kind, description, namespace?, labelSelector?, fieldSelector?, crd? }',
  ),
);

/** The address of a data source, for HCL written by hand. */
function dataAddress(ds: { terraformResourceType: string; friendlyUniqueId: string }): string {
  return `data.${ds.terraformResourceType}.${ds.friendlyUniqueId}`;
}

/** A Terraform `check` block name for a construct path (letters, digits, `_` and `-`). */
export function checkBlockName(path: string, what: string): string {
  return `cilium_eks_${path.replace(/[^A-Za-z0-9_-]/g, '_')}_${what}`;
}

/** Attaches `check` as a `lifecycle.precondition` of `resource`, keeping its other lifecycle settings and preconditions. */
export function guard(resource: TerraformResource, check: PlanCheck): void {
  parse(PlanCheckSchema, check, 'guard(check)');
  const lifecycle = resource.lifecycle ?? {};
  resource.lifecycle = {
    ...lifecycle,
    precondition: [...(lifecycle.precondition ?? []), { condition: `\${${check.condition}}`, errorMessage: check.errorMessage }],
  };
}

/**
 * Reads a cluster's running state at plan time, for preconditions. One per cluster; readings are
 * created on first use and shared.
 */
export class PlanGate extends Construct {
  /**
   * The cluster name as configured (`clusterName` of the props): the readings look the cluster up by it in
   * the provider's account and region (`aws_eks_clusters`), and read nothing while no cluster of that name
   * exists.
   */
  public readonly clusterName: string;
  private readonly clusters: DataAwsEksClusters;
  private cluster?: DataAwsEksCluster;
  private readonly objects = new Map<string, DataKubernetesResources>();

  constructor(scope: Construct, id: string, props: PlanGateProps) {
    super(scope, id);
    parse(PlanGatePropsSchema, props);
    this.clusterName = props.clusterName;
    this.clusters = new DataAwsEksClusters(this, 'clusters');
  }

  /** HCL: true when the cluster exists in the account and region. */
  public get clusterExists(): string {
    return `contains(${dataAddress(this.clusters)}.names, ${JSON.stringify(this.clusterName)})`;
  }

  private get existsCount(): number {
    return Token.asNumber(Fn.conditional(Fn.contains(this.clusters.names, this.clusterName), 1, 0));
  }

  /** The running control plane's Kubernetes version (`1.34`), null on a new cluster. */
  public runningClusterVersion(): PlanReading {
    this.cluster ??= new DataAwsEksCluster(this, 'cluster', { name: this.clusterName, count: this.existsCount });
    return { hcl: `one(${dataAddress(this.cluster)}[*].version)`, description: "the running EKS control plane's version" };
  }

  /**
   * One field of one Kubernetes object, read through the `kubernetes` provider; null on a new
   * cluster, when the object does not exist, or when the field is absent.
   */
  public runningObject(id: string, o: RunningObjectOptions): PlanReading {
    parse(RunningObjectOptionsSchema, o, `runningObject(${id})`);
    let ds = this.objects.get(id);
    if (!ds) {
      ds = new DataKubernetesResources(this, `object-${id}`, {
        apiVersion: o.apiVersion,
        kind: o.kind,
        namespace: o.namespace,
        fieldSelector: `metadata.name=${o.name}`,
        count: this.existsCount,
      });
      this.objects.set(id, ds);
    }
    return { hcl: `try(${dataAddress(ds)}[0].objects[0].${o.field}, null)`, description: o.description };
  }

  /**
   * Every object of a kind that matches the selectors, as an HCL list (`[]` on a new cluster, where
   * nothing matches, or where the kind's CRD is not installed).
   */
  public runningObjects(id: string, o: RunningObjectsOptions): PlanReading {
    parse(RunningObjectsOptionsSchema, o, `runningObjects(${id})`);
    if (this.objects.has(id)) throw new Error(`PlanGate: reading ${id} exists already`);
    let count: number = this.existsCount;
    if (o.crd !== undefined) {
      const crd = this.runningObjects(`${id}-crd`, {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        fieldSelector: `metadata.name=${o.crd}`,
        description: `the CustomResourceDefinition ${o.crd}`,
      });
      // 1 where the CRD exists, 0 otherwise (and on a new cluster, where the CRD list is empty).
      count = Token.asNumber(`\${length(${crd.hcl})}`);
    }
    const ds = new DataKubernetesResources(this, `objects-${id}`, {
      apiVersion: o.apiVersion,
      kind: o.kind,
      namespace: o.namespace,
      labelSelector: o.labelSelector,
      fieldSelector: o.fieldSelector,
      count,
    });
    this.objects.set(id, ds);
    return { hcl: `try(${dataAddress(ds)}[0].objects, [])`, description: o.description };
  }
}

/** What a version gate says, and where. */
export interface VersionStepCheckOptions extends VersionStepRule {
  /** The running version (a version string or an image reference, as `parseMinor` reads it). */
  readonly running: PlanReading;
  /** The version being deployed. */
  readonly target: string;
  /** What is versioned, e.g. `Cilium` or `the EKS control plane`. */
  readonly subject: string;
  /** The property the user changes, e.g. `cilium.chartVersion`. */
  readonly property: string;
  /** Version to name for each minor, e.g. `{ 19: '1.19.6' }`. @default - `1.<minor>` */
  readonly versionOfMinor?: Readonly<Record<number, string>>;
  /** A sentence appended to the message (what else to read). @default - none */
  readonly advice?: string;
}
/** The declaration of {@link VersionStepCheckOptions}. */
export const VersionStepCheckOptionsSchema = declare<VersionStepCheckOptions>()(
  strict(
    {
      maxForward: optional(int(0, 100, 'a number of minors from 0 to 100')),
      maxBackward: optional(int(0, 100, 'a number of minors from 0 to 100')),
      running: PlanReadingSchema,
      target: pattern(/^v?1\.\d+/, 'a 1.x version such as 1.34 or 1.19.6'),
      subject: text('what is versioned, e.g. Cilium'),
      property: text('the property the user changes, e.g. cilium.chartVersion'),
      versionOfMinor: optional(record(pattern(/^\d+$/, 'a minor number such as 19'), text('a version such as 1.19.6')) as unknown as v.GenericSchema<Readonly<Record<number, string>>>),
      advice: optional(text('a sentence')),
    },
    'version step check options { running, target, subject, property, ... }',
  ),
);

/**
 * The one-minor-step rule of {@link versionStep} as a plan-time check: passes when nothing runs,
 * when the running version cannot be read, or when the move is within the rule; otherwise the
 * message names the running version and the version to deploy first.
 */
export function versionStepCheck(o: VersionStepCheckOptions): PlanCheck {
  parse(VersionStepCheckOptionsSchema, o, 'versionStepCheck(o)');
  const m = /^v?1\.(\d+)/.exec(o.target) as RegExpExecArray;
  const target = Number(m[1]);
  const forward = o.maxForward ?? 1;
  const backward = o.maxBackward ?? 0;
  // The running minor, or the target's when nothing can be read (then the step is 0 and passes),
  // bound once to `m` with a one-element `for` expression.
  const running = `try(tonumber(regex(${JSON.stringify(VERSION_MINOR_PATTERN)}, ${o.running.hcl})[0]), ${target})`;
  const withMinor = (body: string): string => `[for m in [${running}] : ${body}][0]`;
  const condition = withMinor(`${target} - m <= ${forward} && m - ${target} <= ${backward}`);
  const names = Object.entries(o.versionOfMinor ?? {})
    .map(([k, v]) => `${JSON.stringify(k)} = ${JSON.stringify(v)}`)
    .join(', ');
  const nextMinor = backward > 0 ? `(m < ${target} ? m + 1 : m - 1)` : `(m < ${target} ? m + 1 : m)`;
  const next = withMinor(`lookup({${names}}, tostring(${nextMinor}), format("1.%d", ${nextMinor}))`);
  const stepText = backward > 0 ? 'one minor version at a time, up or down' : 'one minor version at a time, and never down';
  const errorMessage =
    `${o.property}: ${o.target} is not a step from ${o.running.description} (\${coalesce(${o.running.hcl}, "unknown")}); ` +
    `${o.subject} moves ${stepText}. Deploy ${o.property} \${${next}} first, then ${o.target}.` +
    (o.advice ? ` ${o.advice}` : '');
  return { condition, errorMessage };
}
