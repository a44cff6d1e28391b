/**
 * An app whose synth ends with an ERROR annotation, and a warning (for the synth command's tests,
 * __tests__/synth-script.spec.ts): `npm run synth` must print both and exit 1. With
 * SYNTH_FIXTURE_OK=1, only the warning.
 */
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Annotations, App, TerraformStack } from '../../../constructs/cdktf';

/** One stack with only the AWS provider, carrying an error and a warning. */
export function buildApp(app: App = new App()): App {
  const stack = new TerraformStack(app, 'broken');
  new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
  Annotations.of(stack).addWarning('a warning the synth prints');
  if (process.env.SYNTH_FIXTURE_OK !== '1') Annotations.of(stack).addError('an error that stops the deploy');
  return app;
}
