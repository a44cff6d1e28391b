/**
 * Stacks synthesized with cdktf: the default cluster and its options, identities, names,
 * validation, destroy order, plan gates, upgrades, the security checks, Tetragon and the log
 * export, a meshed fleet and every migration phase. Jest runs each test file in its own module
 * registry, so the specs (`*.spec.ts`, one topic each) are grouped by what they load: cdktf, the
 * providers and the parsed upstream data load once per group (measured by `npm run bench`). Run
 * one topic with `npx jest <group> -t '<topic>'`.
 */
describe('stack', () => {
  require('./stack.spec');
});
describe('identity', () => {
  require('./identity.spec');
});
describe('first-apply', () => {
  require('./first-apply.spec');
});
describe('names', () => {
  require('./names.spec');
});
describe('validation', () => {
  require('./validation.spec');
});
describe('validation-pod-identity', () => {
  require('./validation-pod-identity.spec');
});
describe('destroy-order', () => {
  require('./destroy-order.spec');
});
describe('plan-gate', () => {
  require('./plan-gate.spec');
});
describe('upgrade', () => {
  require('./upgrade.spec');
});
describe('security-rules', () => {
  require('./security-rules.spec');
});
describe('log-shipping', () => {
  require('./log-shipping.spec');
});
describe('evidence-terraform', () => {
  require('./evidence-terraform.spec');
});
describe('tetragon', () => {
  require('./tetragon.spec');
});
describe('tetragon-monitoring', () => {
  require('./tetragon-monitoring.spec');
});
describe('readme-claims', () => {
  require('./readme-claims.spec');
});
describe('pod-subnets', () => {
  require('./pod-subnets.spec');
});
describe('fleet-synth', () => {
  require('./fleet-synth.spec');
});
describe('fleet-connectivity', () => {
  require('./fleet-connectivity.spec');
});
describe('fleet-ca-rotation', () => {
  require('./fleet-ca-rotation.spec');
});
describe('migration-stack', () => {
  require('./migration-stack.spec');
});
describe('held-out', () => {
  require('./held-out.spec');
});
describe('docs-code', () => {
  require('./docs-code.spec');
});
describe('migration-plan-checks', () => {
  require('./migration-plan-checks.spec');
});
describe('versions-synth', () => {
  require('./versions-synth.spec');
});
describe('karpenter-data', () => {
  require('./karpenter-data.spec');
});
describe('synth-summary', () => {
  require('./synth-summary.spec');
});
describe('toolchain', () => {
  require('./toolchain.spec');
});
describe('fleet-removal', () => {
  require('./fleet-removal.spec');
});
describe('input-declarations', () => {
  require('./input-declarations.spec');
});
describe('lower-level-inputs', () => {
  require('./lower-level-inputs.spec');
});
