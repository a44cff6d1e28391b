/**
 * The package as a platform team installs it: the packed tarball in a scratch app, and the public
 * API of its declarations as the app's compiler reads them. Jest runs each test file in its own
 * module registry, so the specs (`*.spec.ts`, one topic each) are grouped by what they load:
 * cdktf, the providers and the parsed upstream data load once per group (measured by `npm run
 * bench`). Run one topic with `npx jest <group> -t '<topic>'`.
 */
describe('consumer', () => {
  require('./consumer.spec');
});
describe('cdktn-consumer', () => {
  require('./cdktn-consumer.spec');
});
describe('api-reference', () => {
  require('./api-reference.spec');
});
