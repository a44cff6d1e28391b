/**
 * The progress lines of `npm test` (scripts/lib/jest-progress.js): one per topic as it finishes,
 * on a terminal only, none under CI=true.
 */
type Reporter = {
  onTestFileStart(test: { path: string }): void;
  onTestCaseResult(test: { path: string }, result: { ancestorTitles: string[]; title: string; status: string }): void;
  onTestResult(test: { path: string }): void;
};
const JestProgress = require('../scripts/lib/jest-progress') as new (g: unknown, o: unknown, env: Record<string, string>, stream: { isTTY: boolean; write(s: string): void }) => Reporter;

function run(env: Record<string, string>, isTTY = true): string[] {
  const written: string[] = [];
  const reporter = new JestProgress({}, {}, env, { isTTY, write: (s) => written.push(s) });
  const file = { path: '/x/__tests__/synth.test.ts' };
  reporter.onTestFileStart(file);
  const result = (topic: string, status: string) => reporter.onTestCaseResult(file, { ancestorTitles: [topic, 'inner'], title: 't', status });
  result('stack', 'passed');
  result('stack', 'passed');
  expect(written).toEqual([]); // a topic is done only when another starts or the file ends
  result('names', 'failed');
  result('names', 'passed');
  reporter.onTestResult(file);
  return written.map((l) => l.replace(/\d+\.\d s\n$/, 'T s'));
}

describe('npm test progress', () => {
  test('a line per topic as it finishes, with its counts', () => {
    expect(run({})).toEqual(['  ✓ synth › stack  2 passed  T s', '  ✕ synth › names  1 passed, 1 FAILED  T s']);
  });

  test('nothing under CI=true, nor when the output is not a terminal', () => {
    expect(run({ CI: 'true' })).toEqual([]);
    expect(run({}, false)).toEqual([]);
  });
});
