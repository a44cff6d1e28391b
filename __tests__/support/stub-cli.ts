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

/** A recorded JSON file's text. */
export function fixture(name: string): string {
  return fs.readFileSync(path.join(FIXTURES, name), 'utf8');
}

/** A recorded JSON file, parsed, for tests that derive a variant from it. */
export function fixtureJson<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(fixture(name)) as T;
}

const STUB = `
const fs = require('fs');
const path = require('path');
const name = path.basename(process.argv[1]);
const args = process.argv.slice(2).join(' ');
fs.appendFileSync(process.env.STUB_LOG, name + ' ' + args + '\\n');
const table = JSON.parse(fs.readFileSync(process.env.STUB_TABLE, 'utf8'));
const hit = table.find((r) => r.cmd === name && (args === r.args || args.startsWith(r.args + ' ')));
if (!hit) {
  process.stderr.write('stub ' + name + ': no recording for: ' + args + '\\n');
  process.exit(127);
}
if (hit.stdout) process.stdout.write(hit.stdout);
if (hit.stderr) process.stderr.write(hit.stderr);
process.exit(hit.status || 0);
`;

/** The commands stubbed by default. */
const STUBBED: Recording['cmd'][] = ['aws', 'kubectl', 'cilium', 'hubble'];

/**
 * Runs `node scripts/<script> ...args` with only the stubs on the PATH; `commands` limits which
 * exist (a command left out is missing from the PATH altogether).
 */
export function runWithStubs(script: string, args: string[], table: Recording[], env: Record<string, string> = {}, commands: Recording['cmd'][] = STUBBED): StubRun {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cilium-eks-stubs-'));
  try {
    const bin = path.join(dir, 'bin');
    fs.mkdirSync(bin);
    for (const cmd of commands) {
      const file = path.join(bin, cmd);
      fs.writeFileSync(file, `#!${process.execPath}\n${STUB}`);
      fs.chmodSync(file, 0o755);
    }
    const log = path.join(dir, 'calls.log');
    fs.writeFileSync(log, '');
    fs.writeFileSync(path.join(dir, 'table.json'), JSON.stringify(table));
    const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', script), ...args], {
      encoding: 'utf8',
      cwd: ROOT,
      env: { PATH: bin, HOME: dir, STUB_LOG: log, STUB_TABLE: path.join(dir, 'table.json'), ...env },
    });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr, calls: fs.readFileSync(log, 'utf8').split('\n').filter(Boolean) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
