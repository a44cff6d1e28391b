import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { Construct } from 'constructs';
import { Release } from '@cdktf/provider-helm/lib/release';
import { JsonObject, toSortedYaml } from '../core/yaml';
import { AssetType, ITerraformDependable, Lazy, TerraformAsset, TerraformStack } from './cdktf';
import { IHelmValuesSource } from './helm-values-source';
import { ValidationError } from '../core/errors';
import { KubernetesManifest, KubernetesManifestSchema } from '../core/k8s';
import { bool, declare, int, list, optional, parse, strict } from '../core/schema';
import { dns1123Label } from '../core/rules';
import { dependables } from './inputs';

/**
 * Directory of the project's own one-template chart, found from the package root so it works from
 * the TypeScript sources and from the built package alike.
 */
let chartDir: string | undefined;
export function manifestsChartDir(): string {
  if (chartDir) return chartDir;
  let dir = __dirname;
  for (;;) {
    const candidate = path.join(dir, 'constructs', 'charts', 'manifests');
    if (fs.existsSync(path.join(candidate, 'Chart.yaml'))) return (chartDir = candidate);
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cilium-eks: chart directory constructs/charts/manifests not found above ${__dirname}`);
    dir = parent;
  }
}

const CHART_ASSET_ID = 'cilium-eks-manifests-chart';

/**
 * The hash in the chart's asset path (`assets/<id>/<hash>`), given to the asset rather than left to
 * the toolchain, so the path, and with it every release's `chart`, is the same under cdktf 0.21 and
 * CDK Terrain with or without its `canonicalAssetHashes` flag (which also hashes file modes, and
 * those differ between a checkout and an npm install). It is cdktf 0.21's own hash of a directory
 * (`hashPath` in cdktf's lib/private/fs.js: MD5 over the file contents, depth first, names in
 * order, 32 upper-case hex digits), so stacks made before this keep their path; a test compares the
 * two.
 */
let chartHash: string | undefined;
export function manifestsChartHash(): string {
  if (chartHash !== undefined) return chartHash;
  const hash = createHash('md5');
  const walk = (p: string): void => {
    const stat = fs.statSync(p);
    if (stat.isFile()) hash.update(fs.readFileSync(p));
    else if (stat.isDirectory()) for (const name of fs.readdirSync(p).sort()) walk(path.join(p, name));
  };
  walk(manifestsChartDir());
  return (chartHash = hash.digest('hex').toUpperCase());
}

/** One copy of the chart per stack, however many releases use it. */
function chartAsset(scope: Construct): TerraformAsset {
  const stack = TerraformStack.of(scope);
  return (
    (stack.node.tryFindChild(CHART_ASSET_ID) as TerraformAsset | undefined) ??
    new TerraformAsset(stack, CHART_ASSET_ID, { path: manifestsChartDir(), type: AssetType.DIRECTORY, assetHash: manifestsChartHash() })
  );
}

/**
 * The props of {@link ManifestRelease}: the Helm release's name and namespace, the objects it delivers, what
 * it waits for, and its timeout and Job waiting.
 */
export interface ManifestReleaseProps {
  /** Helm release name. */
  readonly releaseName: string;
  /** Namespace of the Helm release record (objects keep their own namespaces). */
  readonly namespace: string;
  /** The objects to apply; more can be added with {@link ManifestRelease.addManifest}. @default - none */
  readonly manifests?: KubernetesManifest[];
  /** What must exist first (for custom resources: whatever registers their CRDs). @default - nothing */
  readonly dependsOn?: ITerraformDependable[];
  /** Wait for Jobs among the objects to complete. @default false */
  readonly waitForJobs?: boolean;
  /** Helm timeout in seconds. @default 600 */
  readonly timeout?: number;
}
/** The declaration of {@link ManifestReleaseProps}. */
export const ManifestReleasePropsSchema = declare<ManifestReleaseProps>()(
  strict(
    {
      releaseName: dns1123Label('a Helm release name'),
      namespace: dns1123Label('a namespace'),
      manifests: optional(list(KubernetesManifestSchema)),
      dependsOn: optional(dependables()),
      waitForJobs: optional(bool()),
      timeout: optional(int(1, 86400, 'a number of seconds from 1 to 86400')),
    },
    'ManifestRelease props { releaseName, namespace, manifests?, dependsOn?, waitForJobs?, timeout? }',
  ),
);

/**
 * Delivers Kubernetes objects through a Helm release of a local one-template chart, with the
 * objects in the release's values.
 *
 * Why not `kubernetes_manifest`: it needs the CRD at plan time, and on a fresh cluster the Cilium
 * CRDs do not exist until the operator registers them, nor Karpenter's until its chart is
 * installed. Helm resolves kinds only at apply time, after `dependsOn`. The objects travel in
 * `values` as sorted YAML, so a change shows in the plan as a line-level diff.
 */
export class ManifestRelease extends Construct implements IHelmValuesSource {
  /** The `helm_release`. Its `values` are written by this construct; set them through {@link addManifest}. */
  public readonly release: Release;
  /**
   * The release's values: a lazy value written when the configuration is resolved (`cdktf synth`,
   * the security checks), so objects added after construction are delivered too.
   */
  public readonly valuesEntry: string;
  private readonly objects = new Map<string, KubernetesManifest>();
  /** The last text written and the object count it was written for (objects can only be added). */
  private written?: { readonly count: number; readonly text: string };
  private readonly releaseName: string;

  constructor(scope: Construct, id: string, props: ManifestReleaseProps) {
    super(scope, id);
    parse(ManifestReleasePropsSchema, props);
    this.releaseName = props.releaseName;
    for (const m of props.manifests ?? []) this.addManifest(m);
    const chart = chartAsset(this);
    // Written once per change of the object set, not on every addManifest: that would write all
    // objects again for each one added (300 policies: 1.2 s and 270 MiB).
    this.valuesEntry = Lazy.stringValue({ produce: () => this.valuesText() });
    this.release = new Release(this, 'release', {
      name: props.releaseName,
      namespace: props.namespace,
      chart: chart.path,
      values: [this.valuesEntry],
      atomic: false,
      wait: true,
      waitForJobs: props.waitForJobs ?? false,
      timeout: props.timeout ?? 600,
      maxHistory: 10,
      dependsOn: props.dependsOn,
    });
  }

  /**
   * Adds an object; an object with the same apiVersion, kind, namespace and name is a
   * {@link ValidationError} naming `property`: where the caller's user wrote the object's name
   * (by default the object's own `metadata.name`).
   */
  public addManifest(manifest: KubernetesManifest, property = `${manifest.kind} ${manifest.metadata.namespace ? `${manifest.metadata.namespace}/` : ''}${manifest.metadata.name}: metadata.name`): void {
    parse(KubernetesManifestSchema, manifest, 'addManifest(manifest)');
    const key = manifestKey(manifest);
    if (this.objects.has(key)) {
      throw new ValidationError(property, manifest.metadata.name, `a name no other ${manifest.kind}${manifest.metadata.namespace ? ` in namespace ${manifest.metadata.namespace}` : ''} of release ${this.releaseName} has`, 'the second object would replace the first');
    }
    this.objects.set(key, manifest);
  }

  /** The objects, in a stable order. */
  public get manifests(): KubernetesManifest[] {
    return [...this.objects.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, m]) => m);
  }

  /** The values the release is given: `{ manifests: [...] }`. */
  public valuesData(): JsonObject {
    return { manifests: this.manifests };
  }

  private valuesText(): string {
    if (this.written?.count !== this.objects.size) {
      this.written = { count: this.objects.size, text: toSortedYaml(this.valuesData(), `${this.node.path} values`) };
    }
    return this.written.text;
  }
}

/** Identity of an object: two objects with the same key would overwrite each other. */
function manifestKey(m: KubernetesManifest): string {
  return `${m.apiVersion}/${m.kind}/${m.metadata.namespace ?? ''}/${m.metadata.name}`;
}
