/**
 * A Jest reporter that prints a line as each group of tests finishes (issue 30: `npm test` printed
 * nothing for 10 to 26 seconds). The test files are few and long (`synth.test.ts` groups some 30
 * topics, one `describe` each, so that cdktf and the providers load once): Jest's own reporter says
 * PASS per file, this one says, per topic, how many tests passed or failed and the time since the
 * file's previous line.
 *
 *   ✓ synth › stack  48 passed  6.1 s
 *
 * Only on a terminal and not under CI (`CI=true`, as CI services set it): a log gets Jest's own
 * summary. A topic is the first `describe` of a test; it is done when a test of another topic of
 * the same file finishes, or the file does.
 */
'use strict';
const path = require('path');

class JestProgress {
  constructor(_globalConfig, _options, env = process.env, stream = process.stderr) {
    this.stream = stream;
    this.on = Boolean(stream.isTTY) && !/^(1|true)$/i.test(env.CI || '');
    /** Per test file: the topic running, its counts and when the file's last line was printed. */
    this.files = new Map();
  }

  onTestFileStart(test) {
    if (!this.on) return;
    this.files.set(test.path, { topic: undefined, passed: 0, failed: 0, since: Date.now() });
  }

  onTestCaseResult(test, result) {
    if (!this.on) return;
    const file = this.files.get(test.path) || { topic: undefined, passed: 0, failed: 0, since: Date.now() };
    this.files.set(test.path, file);
    const topic = result.ancestorTitles[0] || result.title;
    if (file.topic !== undefined && file.topic !== topic) this.flush(test.path, file);
    file.topic = topic;
    if (result.status === 'passed') file.passed++;
    else if (result.status === 'failed') file.failed++;
  }

  onTestResult(test) {
    if (!this.on) return;
    const file = this.files.get(test.path);
    if (file && file.topic !== undefined) this.flush(test.path, file);
    this.files.delete(test.path);
  }

  /** Prints the topic that just finished and starts counting the next. */
  flush(testPath, file) {
    const seconds = ((Date.now() - file.since) / 1000).toFixed(1);
    const counts = [file.passed ? `${file.passed} passed` : '', file.failed ? `${file.failed} FAILED` : ''].filter(Boolean).join(', ') || 'skipped';
    this.stream.write(`  ${file.failed ? '✕' : '✓'} ${path.basename(testPath).replace(/\.test\.ts$/, '')} › ${file.topic}  ${counts}  ${seconds} s\n`);
    Object.assign(file, { topic: undefined, passed: 0, failed: 0, since: Date.now() });
  }
}

module.exports = JestProgress;
