/**
 * A meshed fleet and the migration from VPC-CNI: their models, stacks and scripts. One Jest test
 * file per group of specs (`*.spec.ts`, each a topic): every test file gets its own module
 * registry, so cdktf, the providers and the parsed upstream data load once per group instead of
 * once per topic (measured by `npm run bench`). Run one topic with `npx jest <group> -t '<topic>'`.
 */
describe('fleet', () => {
  require('./fleet.spec');
});
describe('fleet-synth', () => {
  require('./fleet-synth.spec');
});
describe('migration-model', () => {
  require('./migration-model.spec');
});
describe('migration-stack', () => {
  require('./migration-stack.spec');
});
describe('migration-scripts', () => {
  require('./migration-scripts.spec');
});
