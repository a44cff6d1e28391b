/**
 * Fails a test whose full name (describe blocks and title) another test of the same file already
 * has: two tests with one name cannot be told apart in a report or run alone with `-t`.
 * Loaded for every test file through `setupFilesAfterEnv` (jest.config.js).
 */
const seen = new Set<string>();

beforeEach(() => {
  const name = expect.getState().currentTestName ?? '';
  if (seen.has(name)) throw new Error(`duplicate test name in this file: ${JSON.stringify(name)}; give each test its own name (test.each: add %s, %j or %#)`);
  seen.add(name);
});
