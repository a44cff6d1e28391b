/**
 * The pure code, no cdktf loaded: chart values for every supported version, datapath profiles,
 * Cilium and Tetragon policies and their builders, the YAML writer, the Pod Security evaluator,
 * Karpenter's objects and IAM, the fleet and migration models and the migration's node scripts.
 * Jest runs each test file in its own module registry, so the specs (`*.spec.ts`, one topic each)
 * are grouped by what they load: cdktf, the providers and the parsed upstream data load once per
 * group (measured by `npm run bench`). Run one topic with `npx jest <group> -t '<topic>'`.
 */
describe('datapath', () => {
  require('./datapath.spec');
});
describe('values-matrix', () => {
  require('./values-matrix.spec');
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
describe('export-filters', () => {
  require('./export-filters.spec');
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
describe('ipam', () => {
  require('./ipam.spec');
});
describe('karpenter-resources', () => {
  require('./karpenter-resources.spec');
});
describe('karpenter-policy', () => {
  require('./karpenter-policy.spec');
});
describe('fleet', () => {
  require('./fleet.spec');
});
describe('mesh-examples', () => {
  require('./mesh-examples.spec');
});
describe('migration-model', () => {
  require('./migration-model.spec');
});
describe('migration-preflight', () => {
  require('./migration-preflight.spec');
});
describe('migration-scripts', () => {
  require('./migration-scripts.spec');
});
describe('versions', () => {
  require('./versions.spec');
});
describe('docs-links', () => {
  require('./docs-links.spec');
});
describe('schema', () => {
  require('./schema.spec');
});
