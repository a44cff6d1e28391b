/**
 * The package as a consumer gets it: `npm pack` of the built library, unpacked into a scratch
 * app's node_modules (what `npm install <tarball>` does for the package itself; its dependencies
 * resolve from this repository's node_modules instead of a second download), then the example app
 * in examples/consumer is type-checked against the published declarations and synthesised.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..');
const SCRATCH = path.join(ROOT, '.consumer');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const EXAMPLE = fs.readFileSync(path.join(ROOT, 'examples', 'consumer', 'main.ts'), 'utf8');

function newestSourceMtime(dir: string): number {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .map((e) => (e.isDirectory() ? newestSourceMtime(path.join(dir, e.name)) : e.name.endsWith('.ts') ? fs.statSync(path.join(dir, e.name)).mtimeMs : 0))
    .reduce((a, b) => Math.max(a, b), 0);
}

describe('the packed library in a consumer app', () => {
  let tarball: string;
  let files: string[];

  beforeAll(() => {
    const built = path.join(ROOT, 'dist', 'index.js');
    const newest = Math.max(newestSourceMtime(path.join(ROOT, 'constructs')), newestSourceMtime(path.join(ROOT, 'bpf')), fs.statSync(path.join(ROOT, 'index.ts')).mtimeMs);
    if (!fs.existsSync(built) || fs.statSync(built).mtimeMs < newest) {
      // `npm test` builds dist/ first; a lone `npx jest` after an edit builds it here.
      execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'pipe' });
    }
    fs.rmSync(SCRATCH, { recursive: true, force: true });
    fs.mkdirSync(SCRATCH, { recursive: true });
    const out = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', SCRATCH], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const info = JSON.parse(out) as { filename: string; files: { path: string }[] }[];
    tarball = path.join(SCRATCH, info[0].filename);
    files = info[0].files.map((f) => f.path);
    const pkgDir = path.join(SCRATCH, 'app', 'node_modules', 'cilium-eks');
    fs.mkdirSync(pkgDir, { recursive: true });
    execFileSync('tar', ['-xzf', tarball, '-C', pkgDir, '--strip-components=1']);
    for (const f of ['main.ts', 'tsconfig.json', 'package.json']) fs.copyFileSync(path.join(ROOT, 'examples', 'consumer', f), path.join(SCRATCH, 'app', f));
  });

  afterAll(() => {
    if (!process.env.KEEP_CONSUMER) fs.rmSync(SCRATCH, { recursive: true, force: true });
  });

  test('the tarball holds the built library and its chart, and no tests or sources', () => {
    expect(files).toEqual(expect.arrayContaining(['package.json', 'README.md', 'dist/index.js', 'dist/index.d.ts', 'constructs/charts/manifests/Chart.yaml']));
    expect(files.some((f) => f.startsWith('dist/__tests__') || f.startsWith('__tests__/'))).toBe(false);
    expect(files.some((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toBe(false);
  });

  test('internal modules are not importable: the exports map names one entry point', () => {
    // Node's own resolver, from inside the app (Jest's resolver ignores "exports").
    const resolveFrom = (id: string): string =>
      execFileSync(process.execPath, ['-p', `require.resolve(${JSON.stringify(id)})`], { cwd: path.join(SCRATCH, 'app'), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
    expect(resolveFrom('cilium-eks')).toBe(path.join(SCRATCH, 'app', 'node_modules', 'cilium-eks', 'dist', 'index.js'));
    expect(() => resolveFrom('cilium-eks/dist/core/cidr')).toThrow(/ERR_PACKAGE_PATH_NOT_EXPORTED/);
  });

  test('the example type-checks against the published declarations and synthesises', () => {
    const app = path.join(SCRATCH, 'app');
    try {
      execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: app, encoding: 'utf8', stdio: 'pipe' });
    } catch (e) {
      throw new Error(`the example does not compile against the package:\n${(e as { stdout?: string }).stdout ?? e}`);
    }
    const outdir = path.join(app, 'cdktf.out');
    execFileSync(process.execPath, ['out/main.js'], { cwd: app, env: { ...process.env, CDKTF_OUTDIR: outdir }, stdio: 'pipe' });
    const tf = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', 'team-a', 'cdk.tf.json'), 'utf8')) as {
      resource: Record<string, Record<string, { values?: string[]; vpc_config?: { subnet_ids: string[] } }>>;
      provider: Record<string, unknown[]>;
    };
    expect(Object.keys(tf.provider).sort()).toEqual(['aws', 'helm', 'kubernetes']);
    expect(Object.values(tf.resource.aws_eks_cluster)[0].vpc_config?.subnet_ids).toEqual(['subnet-0aaa', 'subnet-0bbb', 'subnet-0ccc']);
    const releases = Object.values(tf.resource.helm_release).map((r) => (r.values ?? []).join('\n'));
    expect(releases.some((v) => v.includes('name: batch') && v.includes('kind: NodePool'))).toBe(true);
    expect(releases.some((v) => v.includes('name: api-to-apiserver') && v.includes('kind: CiliumNetworkPolicy'))).toBe(true);
  });

  test('the README example is the compiled example, verbatim', () => {
    expect(README).toContain('```ts\n' + EXAMPLE + '```');
  });
});
