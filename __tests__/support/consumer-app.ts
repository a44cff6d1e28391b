/**
 * A scratch consumer app outside the repository, with the packed library installed the way a
 * platform team installs it: `npm install <tarball> cdktf@0.21.0 constructs@^10 <providers>`, so
 * npm resolves the package's own dependencies and peers for a stranger (the npm cache may serve
 * them; nothing links into this repository's node_modules).
 *
 * One install is reused: the app's dependencies are installed once per set of version ranges
 * (keyed by a hash of them), and each run replaces only the library with the fresh tarball.
 */
import { createHash } from 'crypto';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const ROOT = path.join(__dirname, '..', '..');
const PKG = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  peerDependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

/** What the consumer asks npm for besides the tarball: exactly the README's install line. */
export const CONSUMER_DEPENDENCIES: readonly string[] = [
  'cdktf@0.21.0',
  'constructs@^10',
  ...Object.entries(PKG.peerDependencies)
    .filter(([name]) => name.startsWith('@cdktf/provider-'))
    .map(([name, range]) => `${name}@${range}`),
  // The example is TypeScript: the Node types the consumer's compiler reads.
  `@types/node@${PKG.devDependencies['@types/node']}`,
];

/** Builds dist/ when a source is newer than the last build (scripts/lib/build-dist.js). */
export function ensureBuilt(): void {
  (require('../../scripts/lib/build-dist') as { ensureBuilt(): boolean }).ensureBuilt();
}

function npm(args: string[], cwd: string): string {
  try {
    return execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_update_notifier: 'false' } });
  } catch (e) {
    const err = e as { stderr?: string; stdout?: string };
    throw new Error(`npm ${args.join(' ')} failed in ${cwd}:\n${err.stderr ?? ''}${err.stdout ?? ''}`);
  }
}

export interface ConsumerApp {
  /** The app directory (outside the repository). */
  readonly dir: string;
  /** Paths inside the tarball. */
  readonly files: string[];
}

/** Packs the library and installs it into the reusable scratch app. */
export function installConsumerApp(): ConsumerApp {
  ensureBuilt();
  // One app per checkout (worktrees run their tests side by side) and per set of version ranges.
  const key = createHash('sha256').update(JSON.stringify([ROOT, CONSUMER_DEPENDENCIES])).digest('hex').slice(0, 12);
  const dir = path.join(os.tmpdir(), `cilium-eks-consumer-${key}`);
  fs.mkdirSync(dir, { recursive: true });
  if (path.relative(ROOT, dir).split(path.sep)[0] !== '..') throw new Error(`the consumer app must live outside the repository, not in ${dir}`);
  const out = npm(['pack', '--ignore-scripts', '--json', '--pack-destination', dir], ROOT);
  const info = JSON.parse(out) as { filename: string; files: { path: string }[] }[];
  // A name per content, so npm never takes a changed tarball for the installed one.
  const packed = path.join(dir, info[0].filename);
  const hash = createHash('sha256').update(fs.readFileSync(packed)).digest('hex').slice(0, 12);
  const tarball = path.join(dir, `${PKG.name}-${hash}.tgz`);
  fs.renameSync(packed, tarball);
  for (const f of fs.readdirSync(dir)) if (f.endsWith('.tgz') && path.join(dir, f) !== tarball) fs.rmSync(path.join(dir, f));
  if (!fs.existsSync(path.join(dir, 'package.json'))) fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'platform-team-app', private: true }, null, 2));
  // npm installs this exact tarball (same content, same name) only once: the record of the last
  // install names the tarball, and is removed before an install so a failed one is redone.
  const record = path.join(dir, 'node_modules', '.cilium-eks-installed');
  const installed = fs.existsSync(record) && fs.readFileSync(record, 'utf8') === path.basename(tarball) && fs.existsSync(path.join(dir, 'node_modules', PKG.name, 'package.json'));
  if (!installed) {
    fs.rmSync(record, { force: true });
    npm(['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', `./${path.basename(tarball)}`, ...CONSUMER_DEPENDENCIES], dir);
    fs.writeFileSync(record, path.basename(tarball));
  }
  return { dir, files: info[0].files.map((f) => f.path) };
}

/** Runs `node <args>` in the app; returns exit status and output instead of throwing. */
export function runNode(dir: string, args: string[], env: Record<string, string> = {}): { status: number; stdout: string; stderr: string } {
  try {
    const stdout = execFileSync(process.execPath, args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    return { status: 0, stdout, stderr: '' };
  } catch (e) {
    const err = e as { status?: number; stdout?: string; stderr?: string };
    return { status: err.status ?? 1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
  }
}
