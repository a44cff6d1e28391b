/**
 * Runs a day-2 script (scripts/predestroy.js, scripts/verify.js) against stub `aws`, `kubectl`,
 * `cilium` and `hubble` executables that are the only thing on the PATH. Each stub answers from a
 * table of recorded outputs (hand-written, `__tests__/__fixtures__/cli/`), matched by the start of
 * its argument list, logs every call, and fails loudly (exit 127) on a call nobody recorded.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const FIXTURES = path.join(__dirname, '..', '__fixtures__', 'cli');
const ROOT = path.resolve(__dirname, '..', '..');

/** One recorded answer: for `cmd` called with arguments starting with `args`. */
export interface Recording {
  readonly cmd: 'aws' | 'kubectl' | 'cilium' | 'hubble';
  /** The leading arguments, space-joined, e.g. `ec2 describe-network-interfaces`. */
  readonly args: string;
  readonly stdout?: string;
  readonly stderr?: string;
  /** @default 0 */
  readonly status?: number;
}

export interface StubRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Every stub call, as `cmd arg arg ...`. */
  readonly calls: string[];
}

/**
 * The cluster name and region the scripts default to: main.ts's `config`, read from its text as
 * the scripts read it (scripts/lib/target.js; stack.spec.ts checks it equals the loaded config),
 * so these tests need not load the stack's modules.
 */
export const MAIN_TS_CONFIG: { readonly clusterName: string; readonly region: string } = (() => {
  const { mainTsDefaults } = require('../../scripts/lib/target') as { mainTsDefaults(text: string): { clusterName?: string; region?: string } };
  const { clusterName, region } = mainTsDefaults(fs.readFileSync(path.join(ROOT, 'main.ts'), 'utf8'));
  if (!clusterName || !region) throw new Error('main.ts has no config with clusterName and region that scripts/lib/target.js can read');
  return { clusterName, region };
})();

/** A recorded JSON file's text. */
export function fixture(name: string): string {
  return fs.readFileSync(path.join(FIXTURES, name), 'utf8');
}

/** A recorded JSON file, parsed, for tests that derive a variant from it. */
export function fixtureJson<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(fixture(name)) as T;
}

/** A word in single quotes for /bin/sh, where nothing inside is special (a `case` pattern included). */
function shQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * The stub for one command: a /bin/sh script (a Node stub cost about 0.1 s per call, most of these
 * tests' time) that logs the call and answers with the first recording whose arguments equal the
 * call's or are followed in it by a space. The answers are in the script, written by the shell's
 * own `printf`, so a call starts one process.
 */
function stubScript(cmd: Recording['cmd'], table: readonly Recording[]): string {
  const arms = table.flatMap((r) => {
    if (r.cmd !== cmd) return [];
    const answer: string[] = [];
    if (r.stdout) answer.push(`printf '%s' ${shQuote(r.stdout)}`);
    if (r.stderr) answer.push(`printf '%s' ${shQuote(r.stderr)} >&2`);
    answer.push(`exit ${r.status ?? 0}`);
    return [`  ${shQuote(r.args)}|${shQuote(r.args + ' ')}*) ${answer.join('; ')} ;;`];
  });
  return [
    '#!/bin/sh',
    'args="$*"',
    `printf '%s\\n' "${cmd} $args" >> "$STUB_LOG"`,
    'case "$args" in',
    ...arms,
    'esac',
    `printf 'stub ${cmd}: no recording for: %s\\n' "$args" >&2`,
    'exit 127',
    '',
  ].join('\n');
}

/** The commands stubbed by default. */
const STUBBED: Recording['cmd'][] = ['aws', 'kubectl', 'cilium', 'hubble'];

/** The day-2 scripts, each a `main(argv, env, io)` besides its command line. */
export type DayTwoScript = 'verify.js' | 'predestroy.js';

interface ScriptIo {
  log(line: string): void;
  error(line: string): void;
  readonly stream: boolean;
  /** A terminal, where the script may prompt (`ask`). */
  readonly interactive?: boolean;
  ask?(question: string): string;
}

/** A terminal for {@link runScript}: the answers typed, in order, to the script's prompts. */
export interface Terminal {
  readonly answers: readonly string[];
}

/**
 * Makes the stubs in a scratch directory, runs `run` with the environment that puts only them on
 * the PATH, and returns its outcome with the calls the stubs logged. `commands` limits which stubs
 * exist (a command left out is missing from the PATH altogether).
 */
function withStubs(table: Recording[], env: Record<string, string>, commands: Recording['cmd'][], run: (env: Record<string, string>) => Omit<StubRun, 'calls'>): StubRun {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cilium-eks-stubs-'));
  try {
    const bin = path.join(dir, 'bin');
    fs.mkdirSync(bin);
    for (const cmd of commands) fs.writeFileSync(path.join(bin, cmd), stubScript(cmd, table), { mode: 0o755 });
    const log = path.join(dir, 'calls.log');
    fs.writeFileSync(log, '');
    const outcome = run({ PATH: bin, HOME: dir, STUB_LOG: log, ...env });
    return { ...outcome, calls: fs.readFileSync(log, 'utf8').split('\n').filter(Boolean) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs `node scripts/<script> ...args` as a user runs it, with only the stubs on the PATH. */
export function runWithStubs(script: DayTwoScript, args: string[], table: Recording[], env: Record<string, string> = {}, commands: Recording['cmd'][] = STUBBED): StubRun {
  return withStubs(table, env, commands, (stubEnv) => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', script), ...args], { encoding: 'utf8', cwd: ROOT, env: stubEnv });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  });
}

/**
 * The same run through the script's `main(argv, env, io)` in this process: the command line minus
 * Node's start-up (about 0.15 s a run here), for the many scenarios. Each printed line is kept as
 * the command line prints it; a command that streams its output (`cilium status`) is captured
 * instead, as only its exit status counts.
 */
export function runScript(script: DayTwoScript, args: string[], table: Recording[], env: Record<string, string> = {}, commands: Recording['cmd'][] = STUBBED, terminal?: Terminal): StubRun {
  const { main } = require(path.join(ROOT, 'scripts', script)) as { main(argv: string[], env: Record<string, string>, io: ScriptIo): number };
  return withStubs(table, env, commands, (stubEnv) => {
    let stdout = '';
    let stderr = '';
    const answers = [...(terminal?.answers ?? [])];
    const io: ScriptIo = {
      log: (line) => (stdout += `${line}\n`),
      error: (line) => (stderr += `${line}\n`),
      stream: false,
      ...(terminal
        ? {
            interactive: true,
            ask: (question: string) => {
              const answer = answers.shift() ?? '';
              stdout += `${question}${answer}\n`;
              return answer;
            },
          }
        : {}),
    };
    const status = main(args, stubEnv, io);
    return { status, stdout, stderr };
  });
}

/**
 * A day-2 script's `--help`: it prints HELP and runs nothing; HELP's `  --flag` lines are exactly the
 * flags the script parses (its OPTION_NAMES and FLAG_NAMES, and `--help`), it lists exit statuses
 * 0 to 3, and docs/day-2.md shows it verbatim (between `<!-- <name>-help:start/end -->`).
 */
export function expectHelpDocumentsScript(script: DayTwoScript): void {
  const s = require(path.join(ROOT, 'scripts', script)) as { HELP: string; OPTION_NAMES: string[]; FLAG_NAMES: string[] };
  const documented = [...s.HELP.matchAll(/^ {2}--([a-z-]+)/gm)].map((m) => m[1]).sort();
  expect(documented).toEqual([...s.OPTION_NAMES, ...s.FLAG_NAMES, 'help'].sort());
  expect([...s.HELP.matchAll(/^ {2}(\d) {2}/gm)].map((m) => m[1])).toEqual(['0', '1', '2', '3']);
  const r = runScript(script, ['--help'], []);
  expect([r.status, r.stdout.trim(), r.calls]).toEqual([0, s.HELP, []]);
  const name = script.replace(/\.js$/, '');
  const page = fs.readFileSync(path.join(ROOT, 'docs', 'day-2.md'), 'utf8');
  const shown = new RegExp(`<!-- ${name}-help:start -->\n\`\`\`text\n([\\s\\S]*?)\n\`\`\`\n<!-- ${name}-help:end -->`).exec(page);
  expect(shown?.[1]).toBe(s.HELP);
}
