/**
 * Tests synthesize as the bundled app does (main.ts buildApp), loaded through `setupFilesAfterEnv`
 * (jest.config.js) into every test file's own module registry:
 * - without cdktf's per-token creation stack traces (`disableTokenStackTraces()`). Under Jest each
 *   capture would also go through the source-map support Jest installs, frame by frame: about a
 *   tenth of a synthesizing test file's time. `CILIUM_EKS_TOKEN_STACK_TRACES=1` keeps them, as in
 *   the app, when a test's synth error needs a token's creation stack;
 * - with cdktf's Terraform version check run once per distinct check (`checkTerraformVersionOnce()`)
 *   instead of one `terraform version` process per `terraform_data` resource and import block:
 *   measured, about 500 probes and 40 s of an 83 s warm run of the suite.
 * Both switches' modules load one private cdktf file each, not the package, so a test file that
 * synthesizes nothing stays light.
 */
import { checkTerraformVersionOnce } from '../../constructs/terraform-version-check';
import { disableTokenStackTraces } from '../../constructs/token-stack-traces';

disableTokenStackTraces();
checkTerraformVersionOnce();
