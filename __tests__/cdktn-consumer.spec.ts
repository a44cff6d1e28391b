/**
 * The CDK Terrain path, as a team on it works: the packed library installed from the npm registry
 * into a scratch app with exactly the package.json of the docs ("On CDK Terrain (cdktn)": cdktn,
 * `cdktf` as an npm alias of it, the `overrides` entry, the constructs range cdktn accepts), and
 * three stacks (the bundled app's, a consumer stack, a meshed fleet) synthesized there with
 * `cdktn init`'s feature flags on and, with the same program, in the cdktf 0.21 consumer app: the
 * outputs must be the same. The installs are cached like the consumer app's (support/consumer-app.ts);
 * a failed install fails the test with npm's output.
 */
import { spawn } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { ConsumerApp, installCdktnApp, installConsumerApp, ROOT } from './support/consumer-app';

const PAGE = path.join(ROOT, 'docs', 'getting-started.md');
const HEADING = '### On CDK Terrain (cdktn)';
const PROGRAM = path.join(__dirname, 'support', 'toolchain-app.js');
/** The feature flags `cdktn init` writes into a new app's cdktf.json (cdktn lib/features.js FUTURE_FLAGS). */
const CDKTN_INIT_FLAGS = { canonicalAssetHashes: 'true', failOnConstructsOutsideOfStacks: 'true' };

/** The package.json of the docs' CDK Terrain section: its first json block. */
function recipe(): { dependencies: Record<string, string>; overrides?: Record<string, string> } {
  const text = fs.readFileSync(PAGE, 'utf8');
  const section = text.slice(text.indexOf(HEADING));
  const block = /```json\n([\s\S]*?)```/.exec(section);
  if (text.indexOf(HEADING) < 0 || !block) throw new Error(`${PAGE} has no json block under "${HEADING}"`);
  return JSON.parse(block[1]) as { dependencies: Record<string, string>; overrides?: Record<string, string> };
}

interface Run {
  readonly outdir: string;
  readonly app: ConsumerApp;
  readonly report: {
    cdktf: { file: string; name: string; version: string };
    toolchain: { file: string; name: string; version: string };
    creationStacks: Record<string, string[]>;
  };
}

/**
 * Runs the program in `app` with `toolchain`, asynchronously (the two apps synthesize side by
 * side). The synth is deterministic, so a run is reused while everything it reads is unchanged:
 * the installed packages (npm's lock of the app, which names the tarball, itself named by the hash
 * of what npm packs), the program and the context; any change runs it again.
 */
function synthIn(app: ConsumerApp, toolchain: string, context: Record<string, string>): Promise<Run> {
  fs.copyFileSync(PROGRAM, path.join(app.dir, 'toolchain-app.js'));
  const outdir = path.join(app.dir, `cdktf.out.${toolchain}`);
  const contextJson = JSON.stringify({ ...JSON.parse(process.env.CDKTF_CONTEXT_JSON ?? '{}'), ...context });
  const inputs = createHash('sha256')
    .update(fs.readFileSync(path.join(app.dir, 'node_modules', '.package-lock.json')))
    .update(fs.readFileSync(PROGRAM))
    .update(contextJson)
    .digest('hex');
  const stamp = path.join(outdir, '.inputs');
  const reportFile = path.join(outdir, '.report.json');
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === inputs && fs.existsSync(reportFile)) {
    return Promise.resolve({ outdir, app, report: JSON.parse(fs.readFileSync(reportFile, 'utf8')) as Run['report'] });
  }
  fs.rmSync(outdir, { recursive: true, force: true });
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['toolchain-app.js', toolchain, outdir], { cwd: app.dir, env: { ...process.env, CDKTF_CONTEXT_JSON: contextJson } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (status) => {
      if (status !== 0) return reject(new Error(`the ${toolchain} app failed to synthesize (exit ${status}):\n${stderr}`));
      fs.writeFileSync(reportFile, stdout);
      fs.writeFileSync(stamp, inputs);
      resolve({ outdir, app, report: JSON.parse(stdout) as Run['report'] });
    });
  });
}

/** A stack's synthesized JSON, the toolchain's version and the app's own directory taken out. */
function stackJson(run: Run, stack: string): string {
  const tf = JSON.parse(fs.readFileSync(path.join(run.outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8')) as { '//': { metadata: { version?: string } } };
  delete tf['//'].metadata.version;
  return JSON.stringify(tf, null, 1).split(run.app.dir).join('<app>');
}

describe('the packed library in a CDK Terrain app', () => {
  let cdktn: Run;
  let cdktf: Run;

  beforeAll(async () => {
    const terrainApp = installCdktnApp(recipe());
    const consumerApp = installConsumerApp();
    [cdktn, cdktf] = await Promise.all([synthIn(terrainApp, 'cdktn', CDKTN_INIT_FLAGS), synthIn(consumerApp, 'cdktf', {})]);
  }, 600_000);

  test('npm installs the recipe (peer ranges enforced): cdktn answers to its own name and to cdktf, as two copies', () => {
    expect(recipe().overrides).toEqual({ cdktf: recipe().dependencies.cdktf });
    expect([cdktn.report.toolchain.name, cdktn.report.cdktf.name]).toEqual(['cdktn', 'cdktn']);
    expect(cdktn.report.cdktf.version).toBe(cdktn.report.toolchain.version);
    expect(cdktn.report.cdktf.file).not.toBe(cdktn.report.toolchain.file);
    expect([cdktf.report.cdktf.name, cdktf.report.cdktf.version]).toEqual(['cdktf', '0.21.0']);
  });

  test.each(['default', 'team-a', 'fleet'])("stack %s synthesizes as under cdktf 0.21, with cdktn init's flags on", (stack) => {
    expect(stackJson(cdktn, stack)).toBe(stackJson(cdktf, stack));
  });

  test('disableTokenStackTraces switches token creation stacks off in both copies of cdktn, and in cdktf', () => {
    expect(cdktn.report.creationStacks).toEqual({ cdktf: [], cdktn: [] });
    expect(cdktf.report.creationStacks).toEqual({ cdktf: [] });
  });
});
