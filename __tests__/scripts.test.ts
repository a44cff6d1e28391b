/**
 * The day-2 scripts against stub CLIs (verify, predestroy) and the pinned upstream download. One
 * Jest test file per group of specs (`*.spec.ts`, each a topic): every test file gets its own
 * module registry, so cdktf, the providers and the parsed upstream data load once per group
 * instead of once per topic (measured by `npm run bench`). Run one topic with `npx jest <group> -t
 * '<topic>'`.
 */
describe('verify', () => {
  require('./verify.spec');
});
describe('predestroy', () => {
  require('./predestroy.spec');
});
describe('fetch-upstream', () => {
  require('./fetch-upstream.spec');
});
