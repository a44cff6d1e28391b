/**
 * Lifecycle sequences: synthesized configurations applied one after another on one state by the
 * real `terraform test`, AWS mocked and the other providers stood in (support/lifecycle.ts,
 * docs/testing.md). The harness's self-test comes first; every sequence also waits for it and fails
 * when the harness passed what Terraform refuses. Its own group: the sequences wait on Terraform,
 * not on this process, and their results are cached by their inputs.
 */
describe('lifecycle-selftest', () => {
  require('./lifecycle-selftest.spec');
});
describe('lifecycle', () => {
  require('./lifecycle.spec');
});
describe('lifecycle-fleet', () => {
  require('./lifecycle-fleet.spec');
});
