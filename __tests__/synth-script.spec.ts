/**
 * The synth command of the README (`npm run synth`: scripts/synth.js): the same output folder as
 * `cdktf synth` (the manifest and every stack file `cdktf deploy` and `cdktf diff` read), the
 * annotations printed and an exit status of 1 on an ERROR annotation, the summary and the next
 * command, quiet when asked; each example into its own ignored folder.
 */
import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..');
const SCRIPT = path.join(ROOT, 'scripts', 'synth.js');
const app = require('../scripts/app') as { build(entry?: string): boolean; bundlePath(entry: string): string; MAIN: string };
const synthScript = require('../scripts/synth') as { examples(): string[]; outputFolder(entry: string): string };
const FIXTURE = path.join(__dirname, '__fixtures__', 'synth-error', 'main.ts');

function runSynth(args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, [SCRIPT, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 180_000, env: { ...process.env, CILIUM_EKS_QUIET: '', ...env } });
}

/** Every file under `dir`, relative, sorted. */
function files(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = path.join(rel, e.name);
      if (e.isDirectory()) walk(r);
      else out.push(r);
    }
  };
  walk('');
  return out.sort();
}

/**
 * `cdktf synth`'s output folder for the bundled app, kept under a hash of what makes it (the
 * bundle, cdktf.json, the CLI's and cdktf's versions): the CLI takes some 5 s and 270 MiB, so a
 * warm `npm test` reuses the folder while none of them changed.
 */
function cdktfSynthOutput(): string {
  app.build();
  const version = (p: string) => (JSON.parse(fs.readFileSync(require.resolve(`${p}/package.json`), 'utf8')) as { version: string }).version;
  const hash = createHash('sha256')
    .update(fs.readFileSync(app.bundlePath(app.MAIN)))
    .update(fs.readFileSync(path.join(ROOT, 'cdktf.json')))
    .update(`${version('cdktf-cli')} ${version('cdktf')}`)
    .digest('hex')
    .slice(0, 16);
  const dir = path.join(ROOT, 'node_modules', '.cache', 'cilium-eks-cdktf-synth', hash);
  if (!fs.existsSync(path.join(dir, 'manifest.json'))) {
    const tmp = `${dir}.tmp-${process.pid}`;
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.mkdirSync(path.dirname(tmp), { recursive: true });
    const run = spawnSync(process.execPath, [require.resolve('cdktf-cli/bundle/bin/cdktf'), 'synth', '--output', tmp], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 300_000,
      env: { ...process.env, CHECKPOINT_DISABLE: '1' },
    });
    if (run.status !== 0) throw new Error(`cdktf synth failed (${run.status}):\n${run.stdout}\n${run.stderr}`);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(tmp, dir);
  }
  return dir;
}

describe('npm run synth (scripts/synth.js)', () => {
  let out: string;
  let run: ReturnType<typeof runSynth>;
  beforeAll(() => {
    out = fs.mkdtempSync(path.join(os.tmpdir(), 'cilium-eks-synth-'));
    // An orphan, as a removed stack leaves it: the CLI removes such folders, and so must this.
    fs.mkdirSync(path.join(out, 'stacks', 'gone'), { recursive: true });
    run = runSynth(['--output', out]);
  }, 180_000);
  afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

  test('writes the folder cdktf synth writes: the same manifest and stack files, byte for byte', () => {
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const cli = cdktfSynthOutput();
    expect(files(out)).toEqual(files(cli));
    expect(files(out)).toEqual(expect.arrayContaining(['manifest.json', path.join('stacks', 'cilium-eks', 'cdk.tf.json')]));
    for (const f of files(cli)) expect(`${f}: ${fs.readFileSync(path.join(out, f), 'utf8') === fs.readFileSync(path.join(cli, f), 'utf8')}`).toBe(`${f}: true`);
  }, 300_000);

  test('prints the warnings as cdktf does, then what was built and the next command', () => {
    const lines = run.stdout.split('\n');
    expect(lines[0]).toMatch(/^WARN \[cilium-eks\/cluster\/control-plane\]: endpoint\.publicAccessCidrs: /);
    const built = lines.indexOf(`What was built (${path.relative(ROOT, out)}/):`);
    expect(built).toBeGreaterThan(0);
    expect(lines[built + 1]).toBe(`  stack cilium-eks: ${path.relative(ROOT, out)}/stacks/cilium-eks/cdk.tf.json`);
    expect(lines.some((l) => l.startsWith('    cluster cilium-eks in eu-west-1: Kubernetes '))).toBe(true);
    expect(lines.some((l) => l.includes('IP capacity ('))).toBe(true);
    expect(lines.filter((l) => l.startsWith('Next: npm run deploy'))).toHaveLength(1);
  });

  test('an ERROR annotation is printed and the exit status is 1; the warnings are printed too', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cilium-eks-synth-error-'));
    try {
      const failed = runSynth(['--entry', FIXTURE, '--output', dir]);
      expect(failed.status).toBe(1);
      expect(failed.stdout.split('\n').slice(0, 2)).toEqual(['WARN [broken]: a warning the synth prints', 'ERROR [broken]: an error that stops the deploy']);
      expect(failed.stderr).toContain('1 ERROR annotation (above)');
      expect(failed.stdout).not.toContain('What was built');
      // As with the CLI, the manifest still holds it.
      expect(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')).toContain('an error that stops the deploy');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);

  test('quiet with CILIUM_EKS_QUIET=1 (or --quiet): the annotations only', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cilium-eks-synth-quiet-'));
    try {
      const quiet = runSynth(['--entry', FIXTURE, '--output', dir], { CILIUM_EKS_QUIET: '1', SYNTH_FIXTURE_OK: '1' });
      expect(quiet.status).toBe(0);
      expect(quiet.stdout).toBe('WARN [broken]: a warning the synth prints\n');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);

  test('refuses an unknown example, naming the ones there are', () => {
    const bad = runSynth(['--example', 'nope']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain(`--example nope: no such example; one of ${synthScript.examples().join(', ')}`);
  });
});

describe('the examples: one command shape, each into its own ignored folder', () => {
  test('npm run synth -- --example migration synthesizes the example, with its summary and its own next command', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cilium-eks-synth-example-'));
    try {
      const run = runSynth(['--example', 'migration', '--output', dir]);
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(fs.readdirSync(path.join(dir, 'stacks'))).toEqual(['shop-prod']);
      expect(run.stdout).toContain('    migration of shop-prod to Cilium: phase prepare (1 of ');
      expect(run.stdout).toContain('\nNext: cd examples/migration && CHECKPOINT_DISABLE=1 npx cdktf deploy ');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);

  test('every example has a cdktf.json running it through scripts/app.js, and a folder of its own that git ignores', () => {
    const examples = synthScript.examples();
    expect(examples).toEqual(['cluster-mesh', 'consumer', 'migration', 'pod-subnets']);
    const folders = examples.map((e) => synthScript.outputFolder(path.join(ROOT, 'examples', e, 'main.ts')));
    expect(folders).toEqual(examples.map((e) => path.join(ROOT, 'examples', e, 'cdktf.out')));
    expect(new Set([...folders, synthScript.outputFolder(app.MAIN)]).size).toBe(examples.length + 1);
    for (const e of examples) {
      const cfg = JSON.parse(fs.readFileSync(path.join(ROOT, 'examples', e, 'cdktf.json'), 'utf8')) as { app: string; context: unknown };
      expect(cfg.app).toBe('node ../../scripts/app.js main.ts');
      expect(cfg.context).toEqual((JSON.parse(fs.readFileSync(path.join(ROOT, 'cdktf.json'), 'utf8')) as { context: unknown }).context);
    }
    const ignored = spawnSync('git', ['check-ignore', ...folders.map((f) => path.join(path.relative(ROOT, f), 'manifest.json'))], { cwd: ROOT, encoding: 'utf8' });
    expect(ignored.stdout.trim().split('\n')).toHaveLength(examples.length);
  });
});
