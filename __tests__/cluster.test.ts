/**
 * One cluster synthesized (constructs/): the default stack, identities, names, validation, destroy
 * order, plan gates, Karpenter, the security checks, Tetragon and the log export. One Jest test
 * file per group of specs (`*.spec.ts`, each a topic): every test file gets its own module
 * registry, so cdktf, the providers and the parsed upstream data load once per group instead of
 * once per topic (measured by `npm run bench`). Run one topic with `npx jest <group> -t '<topic>'`.
 */
describe('stack', () => {
  require('./stack.spec');
});
describe('identity', () => {
  require('./identity.spec');
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
describe('karpenter-resources', () => {
  require('./karpenter-resources.spec');
});
describe('karpenter-policy', () => {
  require('./karpenter-policy.spec');
});
describe('security-rules', () => {
  require('./security-rules.spec');
});
describe('log-shipping', () => {
  require('./log-shipping.spec');
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
