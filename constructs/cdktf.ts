/**
 * The project's only imports of the `cdktf` core package (provider classes import it themselves).
 * Keeping them here means a move to the community fork (CDK Terrain, `cdktn`) changes one file,
 * and its satellites `token-stack-traces.ts` and `terraform-version-check.ts` (one private cdktf
 * module each, kept apart so that loading a switch does not load the whole package).
 *
 * Both toolchains are served: `cdktf` 0.21, and CDK Terrain installed under the `cdktf` name (an
 * npm alias and an `overrides` entry: docs/getting-started.md#on-cdk-terrain-cdktn). An app on CDK Terrain may then hold
 * two copies of the same classes (its own `cdktn`, and the alias the library and the prebuilt
 * providers load), so the project never asks `x instanceof <toolchain class>`, which is false
 * across copies; it uses the toolchain's own checks (`TerraformResource.isTerraformResource`,
 * `TerraformStack.isStack`, `Token.isUnresolved`...), which read a `Symbol.for` marker both copies
 * share. A lint rule (eslint.config.js, `cilium-eks/no-toolchain-instanceof`) keeps it so.
 */
export {
  Annotations,
  App,
  Aspects,
  AssetType,
  DataResource,
  DefaultTokenResolver,
  Fn,
  Lazy,
  LocalBackend,
  Op,
  StringConcat,
  TerraformAsset,
  TerraformDataSource,
  TerraformElement,
  TerraformOutput,
  TerraformProvider,
  TerraformResource,
  TerraformStack,
  Token,
  Tokenization,
  dependable,
} from 'cdktf';
export type { IAspect, ITerraformDependable } from 'cdktf';

export { disableTokenStackTraces } from './token-stack-traces';
export { checkTerraformVersionOnce } from './terraform-version-check';

/**
 * The package that answers to `cdktf` in this process: `cdktf` itself, or `cdktn` installed under
 * the `cdktf` alias, with its version (for the version report).
 */
export function toolchainPackage(): { name: string; version: string } {
  const pkg = require('cdktf/package.json') as { name: string; version: string };
  return { name: pkg.name, version: pkg.version };
}
