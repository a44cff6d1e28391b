/**
 * Scratch consumer apps outside the repository, with the packed library installed the way a
 * platform team installs it: `npm install <tarball> cdktf@0.21.0 constructs@^10 <providers>`, so
 * npm resolves the package's own dependencies and peers for a stranger (the npm cache may serve
 * them; nothing links into this repository's node_modules); and a CDK Terrain app that installs it
 * with the recipe of the docs (`installCdktnApp`).
 *
 * One install is reused: the app's dependencies are installed once per set of version ranges
 * (keyed by a hash of them). The library is packed again only when what npm packs changed, and
 * installed again only when its tarball did.
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

/** What the consumer asks npm for besides the tarball: exactly the install line of docs/getting-started.md. */
export const CONSUMER_DEPENDENCIES: readonly string[] = [
  'cdktf@0.21.0',
  'constructs@^10',
  ...Object.entries(PKG.peerDependencies)
    .filter(([name]) => name.startsWith('@cdktf/provider-'))
    .map(([name, range]) => `${name}@${range}`),
  // The example is TypeScript: the Node types the consumer's compiler reads.
  `@types/node@${PKG.devDependencies['@types/node']}`,
];

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

/**
 * A hash of everything `npm pack` can put in the tarball: package.json (its `files` decides the
 * rest), every file under dist/, constructs/charts/ and docs/ (path and content), and the files npm
 * always adds (README, LICENSE, CHANGELOG) and a root .npmignore. Equal hashes, equal tarballs.
 */
function packInputsHash(): string {
  const hash = createHash('sha256');
  const add = (rel: string) => hash.update(rel).update('\0').update(fs.readFileSync(path.join(ROOT, rel))).update('\0');
  const walk = (rel: string): void => {
    const abs = path.join(ROOT, rel);
    if (!fs.existsSync(abs)) return;
    for (const e of fs.readdirSync(abs, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (e.isDirectory()) walk(path.join(rel, e.name));
      else add(path.join(rel, e.name));
    }
  };
  add('package.json');
  for (const f of fs.readdirSync(ROOT).sort()) if (/^(readme|license|licence|changelog|notice|\.npmignore)/i.test(f) && fs.statSync(path.join(ROOT, f)).isFile()) add(f);
  walk('dist');
  walk(path.join('constructs', 'charts'));
  walk('docs');
  return hash.digest('hex').slice(0, 12);
}

/**
 * A reusable scratch app outside the repository, one per checkout and per `identity` (what it
 * installs besides the library), with the packed library installed: `prepare` writes what the app
 * needs before an install and returns the arguments of `npm install` for the tarball's file name.
 */
function installApp(kind: string, identity: unknown, prepare: (dir: string, tarball: string) => string[]): ConsumerApp {
  // dist/ as npm packs it, built when a source is newer than the last build.
  (require('../../scripts/lib/build-dist') as { ensureBuilt(): boolean }).ensureBuilt();
  // One app per checkout (worktrees run their tests side by side) and per set of version ranges.
  const key = createHash('sha256').update(JSON.stringify([ROOT, identity])).digest('hex').slice(0, 12);
  const dir = path.join(os.tmpdir(), `cilium-eks-${kind}-${key}`);
  fs.mkdirSync(dir, { recursive: true });
  if (path.relative(ROOT, dir).split(path.sep)[0] !== '..') throw new Error(`the ${kind} app must live outside the repository, not in ${dir}`);
  // A name per content of what npm packs, so npm never takes a changed tarball for the installed
  // one, and an unchanged package is not packed again (`npm pack` costs about 1 s).
  const tarball = path.join(dir, `${PKG.name}-${packInputsHash()}.tgz`);
  const listing = `${tarball}.files.json`;
  if (!fs.existsSync(tarball) || !fs.existsSync(listing)) {
    const info = JSON.parse(npm(['pack', '--ignore-scripts', '--json', '--pack-destination', dir], ROOT)) as { filename: string; files: { path: string }[] }[];
    fs.writeFileSync(listing, JSON.stringify(info[0].files.map((f) => f.path)));
    fs.renameSync(path.join(dir, info[0].filename), tarball);
  }
  const files = JSON.parse(fs.readFileSync(listing, 'utf8')) as string[];
  for (const f of fs.readdirSync(dir)) if (/\.tgz(\.files\.json)?$/.test(f) && !path.join(dir, f).startsWith(tarball)) fs.rmSync(path.join(dir, f));
  // npm installs this exact tarball (same content, same name) only once: the record of the last
  // install names the tarball, and is removed before an install so a failed one is redone.
  const record = path.join(dir, 'node_modules', '.cilium-eks-installed');
  const installed = fs.existsSync(record) && fs.readFileSync(record, 'utf8') === path.basename(tarball) && fs.existsSync(path.join(dir, 'node_modules', PKG.name, 'package.json'));
  if (!installed) {
    fs.rmSync(record, { force: true });
    npm(['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', ...prepare(dir, path.basename(tarball))], dir);
    fs.writeFileSync(record, path.basename(tarball));
  }
  return { dir, files };
}

/** Packs the library and installs it into the reusable scratch app, with CONSUMER_DEPENDENCIES. */
export function installConsumerApp(): ConsumerApp {
  return installApp('consumer', CONSUMER_DEPENDENCIES, (dir, tarball) => {
    if (!fs.existsSync(path.join(dir, 'package.json'))) fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'platform-team-app', private: true }, null, 2));
    return [`./${tarball}`, ...CONSUMER_DEPENDENCIES];
  });
}

/**
 * A CDK Terrain app: the packed library installed with exactly `recipe` (the `dependencies` and
 * `overrides` of an app's package.json, as the docs give them), its `cilium-eks` entry replaced
 * by the tarball. Installed from the npm registry once per recipe and tarball; a failed install
 * throws with npm's output.
 */
export function installCdktnApp(recipe: { dependencies: Record<string, string>; overrides?: Record<string, string> }): ConsumerApp {
  return installApp('cdktn', recipe, (dir, tarball) => {
    const packageJson = { name: 'platform-team-app-cdktn', private: true, ...recipe, dependencies: { ...recipe.dependencies, [PKG.name]: `file:${tarball}` } };
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(packageJson, null, 2));
    return [];
  });
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
