import { IConstruct } from 'constructs';
import { JsonObject } from '../core/yaml';
import { TerraformResource } from './cdktf';

/**
 * A construct that writes the `values` of a `helm_release` from data it holds (the Cilium release,
 * `ManifestRelease`, Karpenter). The security checks ask it for that data instead of parsing the
 * YAML text back; values of releases nobody here wrote are parsed.
 */
export interface IHelmValuesSource extends IConstruct {
  /** The `helm_release` whose values this construct writes (a direct child). */
  readonly release: TerraformResource;
  /** The entry of the release's `values` this construct wrote: the text, or the token that stands for it. */
  readonly valuesEntry: string;
  /** The data {@link valuesEntry} stands for; Terraform references in it are tokens. */
  valuesData(): JsonObject;
}

/** True for a construct that implements {@link IHelmValuesSource}. */
export function isHelmValuesSource(construct: unknown): construct is IHelmValuesSource {
  const c = construct as Partial<IHelmValuesSource> | undefined;
  return typeof c?.valuesData === 'function' && typeof c.valuesEntry === 'string' && TerraformResource.isTerraformResource(c.release);
}

/**
 * The values source that owns `release`, when its parent is one; undefined for a release the
 * project did not write.
 */
export function helmValuesSourceOf(release: TerraformResource): IHelmValuesSource | undefined {
  const owner = release.node.scope;
  return isHelmValuesSource(owner) && owner.release === release ? owner : undefined;
}
