/**
 * Progress of the day-2 scripts (verify, predestroy): each step is announced when it starts, as
 * `[n/N] title: what it tries`, the commands it runs follow (`$ ...`, printed by the script), then
 * its result, and for a failure what to do about it. A long step (the connectivity test) is
 * therefore never silent, and a log of a run reads as what was tried, in order.
 */
'use strict';

function createSteps(io, total) {
  let n = 0;
  return {
    /** Announces the next step. */
    start(title, tries) {
      n += 1;
      io.log(`\n[${n}/${total}] ${title}${tries ? `: ${tries}` : ''}`);
    },
    /** Prints a step's result; a FAIL is followed by what to do. */
    result(result, detail, whatToDo = []) {
      io.log(`  ${result.padEnd(4)}  ${detail}`);
      if (result === 'FAIL') for (const line of whatToDo) io.log(`  what to do: ${line}`);
    },
  };
}

/**
 * The checks of a run as steps: `check(name, tries, whatToDo, fn)` announces the step, runs `fn`
 * (which returns `{ pass, detail }` or `{ result: 'SKIP', detail }`, and may add `whatToDo`; a throw
 * is a FAIL "could not check"), prints the result and, on a failure, what to do, and adds a row to
 * `results`.
 */
function createChecks(steps, results) {
  return (name, tries, whatToDo, fn) => {
    steps.start(name, tries);
    let outcome;
    try {
      outcome = fn();
    } catch (e) {
      outcome = { pass: false, detail: `could not check: ${e.message}` };
    }
    const result = outcome.result || (outcome.pass ? 'PASS' : 'FAIL');
    steps.result(result, outcome.detail, [...(outcome.whatToDo || []), ...whatToDo]);
    results.push({ name, result, detail: outcome.detail });
  };
}

/** Waits `ms` milliseconds without a callback: the scripts run their commands synchronously. */
function sleepSync(ms) {
  if (ms > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

module.exports = { createChecks, createSteps, sleepSync };
