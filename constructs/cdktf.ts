/**
 * The project's only imports of the `cdktf` core package (provider classes import it themselves).
 * Keeping them here means a move to the community fork (CDK Terrain, `cdktn`) changes one file,
 * and its satellite `token-stack-traces.ts` (one private cdktf module, kept apart so that loading
 * the switch does not load the whole package).
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
} from 'cdktf';
export type { IAspect, ITerraformDependable } from 'cdktf';

export { disableTokenStackTraces } from './token-stack-traces';
