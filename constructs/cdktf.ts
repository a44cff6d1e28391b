/**
 * The project's only imports of the `cdktf` core package (provider classes import it themselves).
 * Keeping them here means a move to the community fork (CDK Terrain, `cdktn`) changes one file.
 */
export {
  Annotations,
  App,
  Aspects,
  AssetType,
  Fn,
  Lazy,
  LocalBackend,
  TerraformAsset,
  TerraformOutput,
  TerraformStack,
  Testing,
  Token,
} from 'cdktf';
export type { IAspect, ITerraformDependable } from 'cdktf';
