/**
 * The Cilium side (bpf/ and core/): chart values for every supported version, datapath profiles,
 * policies and their builders, Tetragon tracing policies, the YAML writer and the Pod Security
 * evaluator. One Jest test file per group of specs (`*.spec.ts`, each a topic): every test file
 * gets its own module registry, so cdktf, the providers and the parsed upstream data load once per
 * group instead of once per topic (measured by `npm run bench`). Run one topic with `npx jest
 * <group> -t '<topic>'`.
 */
describe('datapath', () => {
  require('./datapath.spec');
});
describe('values-matrix', () => {
  require('./values-matrix.spec');
});
describe('upgrade', () => {
  require('./upgrade.spec');
});
describe('policy', () => {
  require('./policy.spec');
});
describe('grpc', () => {
  require('./grpc.spec');
});
describe('tracing', () => {
  require('./tracing.spec');
});
describe('yaml', () => {
  require('./yaml.spec');
});
describe('pss', () => {
  require('./pss.spec');
});
describe('pss-components', () => {
  require('./pss-components.spec');
});
