/**
 * Runs the CLIs the day-2 scripts depend on (`aws`, `kubectl`, `cilium`, `hubble`), found on the
 * PATH, and says exactly what it ran. A command that cannot be run, exits non-zero or prints
 * something other than the JSON asked for is a failure the caller must report as such: nothing
 * here turns an error into "nothing found".
 */
'use strict';
const childProcess = require('child_process');
const fs = require('fs');

/** A shell-safe rendering of one argument, so a printed command can be pasted as is. */
function quote(arg) {
  return /^[A-Za-z0-9_/.,:=@%+-]+$/.test(arg) ? arg : `'${String(arg).replace(/'/g, `'\\''`)}'`;
}

/** The command line as a user would type it. */
function commandLine(cmd, args) {
  return [cmd, ...args].map(quote).join(' ');
}

/** The last lines of an error output, on one line. */
function tail(text, lines = 3) {
  return String(text || '')
    .trim()
    .split('\n')
    .slice(-lines)
    .join(' | ');
}

/**
 * Runs `cmd args`. Returns `{ command, ok, stdout, stderr, status, error }`; `error` says why when
 * `ok` is false. With `stream`, the command's output goes straight to this process's (long
 * commands such as `cilium connectivity test`), and only the exit status counts.
 */
function run(cmd, args, options = {}) {
  const command = commandLine(cmd, args);
  const r = childProcess.spawnSync(cmd, args, {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    env: options.env || process.env,
    stdio: options.stream ? ['ignore', 'inherit', 'inherit'] : ['ignore', 'pipe', 'pipe'],
  });
  if (r.error) {
    const why = r.error.code === 'ENOENT' ? `${cmd} is not on the PATH` : r.error.message;
    return { command, ok: false, stdout: '', stderr: '', status: null, error: why };
  }
  if (r.status !== 0) {
    const why = r.signal ? `killed by ${r.signal}` : `exited ${r.status}${r.stderr ? `: ${tail(r.stderr)}` : ''}`;
    return { command, ok: false, stdout: r.stdout || '', stderr: r.stderr || '', status: r.status, error: why };
  }
  return { command, ok: true, stdout: r.stdout || '', stderr: r.stderr || '', status: 0, error: undefined };
}

/** Runs a command that prints JSON; `json` is its parsed output, or `ok` is false with the reason. */
function runJson(cmd, args, options = {}) {
  const r = run(cmd, args, options);
  if (!r.ok) return { ...r, json: undefined };
  try {
    return { ...r, json: JSON.parse(r.stdout) };
  } catch (e) {
    return { ...r, ok: false, json: undefined, error: `printed no JSON (${e.message}): ${tail(r.stdout, 1).slice(0, 200)}` };
  }
}

/** Reads one line from the terminal, synchronously (the day-2 scripts run their commands in order). */
function readLine() {
  const buf = Buffer.alloc(1);
  let line = '';
  try {
    while (fs.readSync(0, buf, 0, 1, null) === 1 && buf[0] !== 10) line += String.fromCharCode(buf[0]);
  } catch {
    return '';
  }
  return line;
}

/**
 * Where a day-2 script's lines go from the command line: stdout and stderr, with long commands
 * streaming their own output; `interactive` when both ends are a terminal, where `ask` prompts.
 * A test passes its own (lines kept, commands' output captured, not interactive).
 */
const consoleIo = {
  log: (line) => console.log(line),
  error: (line) => console.error(line),
  stream: true,
  interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
  ask: (question) => {
    process.stdout.write(question);
    return readLine();
  },
};

module.exports = { commandLine, consoleIo, quote, run, runJson, tail };
