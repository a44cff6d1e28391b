/**
 * A user's app with six `terraform_data` resources, each of which cdktf gives its own check of
 * Terraform >= 1.4 (for the toolchain test, __tests__/toolchain.spec.ts): after
 * `checkTerraformVersionOnce()`, as the bundled app calls it, the synth runs `terraform version` once.
 */
import { App, DataResource, TerraformStack, checkTerraformVersionOnce, disableTokenStackTraces } from '../../../constructs/cdktf';

export function buildApp(app: App = new App()): App {
  disableTokenStackTraces();
  checkTerraformVersionOnce();
  const stack = new TerraformStack(app, 'probe');
  for (let i = 0; i < 6; i++) new DataResource(stack, `data-${i}`, { input: { index: i } });
  return app;
}
