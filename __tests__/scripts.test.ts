/**
 * The day-2 scripts against stub CLIs (verify, predestroy) and the pinned upstream download. Jest
 * runs each test file in its own module registry, so the specs (`*.spec.ts`, one topic each) are
 * grouped by what they load: cdktf, the providers and the parsed upstream data load once per group
 * (measured by `npm run bench`). Run one topic with `npx jest <group> -t '<topic>'`.
 */
describe('verify', () => {
  require('./verify.spec');
});
describe('verify-fleet', () => {
  require('./verify-fleet.spec');
});
describe('predestroy', () => {
  require('./predestroy.spec');
});
describe('fetch-upstream', () => {
  require('./fetch-upstream.spec');
});
describe('versions-script', () => {
  require('./versions-script.spec');
});
