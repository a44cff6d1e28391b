/**
 * The project's only imports of the `cdktf` core package (provider classes import it themselves).
 * Keeping them here means a move to the community fork (CDK Terrain, `cdktn`) changes one file.
 */
export {
  Annotations,
  App,
  Aspects,
  AssetType,
  DefaultTokenResolver,
  Fn,
  Lazy,
  LocalBackend,
  StringConcat,
  TerraformAsset,
  TerraformOutput,
  TerraformResource,
  TerraformStack,
  Testing,
  Token,
  Tokenization,
} from 'cdktf';
export type { IAspect, ITerraformDependable } from 'cdktf';
