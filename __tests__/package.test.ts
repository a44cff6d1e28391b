/**
 * The package as a platform team installs it: the packed tarball in a scratch app, and the public
 * API of its declarations. One Jest test file per group of specs (`*.spec.ts`, each a topic):
 * every test file gets its own module registry, so cdktf, the providers and the parsed upstream
 * data load once per group instead of once per topic (measured by `npm run bench`). Run one topic
 * with `npx jest <group> -t '<topic>'`.
 */
describe('consumer', () => {
  require('./consumer.spec');
});
