/**
 * scripts/fetch-upstream.js and its list, upstream.lock.json: the list's sha256 are those of the
 * files in ../shared/upstream (so CI proves the list without network access), and the script
 * downloads, extracts, edits and verifies, here from a local mirror of the same URLs.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { UPSTREAM_DIR } from './support/upstream';

const ROOT = path.join(__dirname, '..');
const SCRIPT = path.join(ROOT, 'scripts', 'fetch-upstream.js');
const SHARED = path.join(ROOT, '..', 'shared', 'upstream');
interface LockFile {
  path: string;
  source: string;
  member: string;
  sha256: string;
  edit?: string;
}
const LOCK = JSON.parse(fs.readFileSync(path.join(ROOT, 'upstream.lock.json'), 'utf8')) as {
  sources: Record<string, { url: string; kind: 'tgz' | 'dir' }>;
  files: LockFile[];
};
const { EDITS } = require(SCRIPT) as { EDITS: Record<string, (t: string) => string> };
const sha256 = (b: Buffer | string) => crypto.createHash('sha256').update(b).digest('hex');

/** The Karpenter values.yaml as git holds it at v1.14.1: the release script's edit undone. */
function karpenterValuesInGit(released: string): string {
  return released.replace(/(\n {4}tag: )1\.14\.1(\n {4}# -- SHA256 digest of the controller image\.\n {4}digest: )""/, '$11.13.0$2sha256:ea731b0c0000');
}

function run(args: string[], env: Record<string, string>) {
  return spawnSync(process.execPath, [SCRIPT, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
}

describe('the upstream list', () => {
  test('every sha256 in the list is that of the same file in ../shared/upstream', () => {
    // ../shared/upstream is the reference: its README says which file was edited (Karpenter's values).
    const reference = fs.existsSync(SHARED) ? SHARED : UPSTREAM_DIR;
    if (reference !== SHARED) console.warn(`fetch-upstream.test: ../shared/upstream is absent; the list is checked against ${reference} only`);
    const mismatches = LOCK.files.filter((f) => sha256(fs.readFileSync(path.join(reference, f.path))) !== f.sha256).map((f) => f.path);
    expect(mismatches).toEqual([]);
    expect(LOCK.files.map((f) => f.path).sort()).toEqual(expect.arrayContaining(['cilium/1.19.6/values.schema.json', 'karpenter/1.14.1/karpenter.sh_nodepools.yaml', 'tetragon/1.7.0/cilium.io_tracingpolicies.yaml']));
  });

  test('every source is pinned to a commit or a release tag, over https', () => {
    for (const [name, s] of Object.entries(LOCK.sources)) {
      expect([name, s.url]).toEqual([name, expect.stringMatching(/^https:\/\/[^/]+\/[^/]+\/[^/]+\/([0-9a-f]{40}|v\d+\.\d+\.\d+)\//)]);
    }
  });

  test("the Karpenter edit turns git's values.yaml into the released one, and refuses a file without the image block", () => {
    const released = fs.readFileSync(path.join(UPSTREAM_DIR, 'karpenter', '1.14.1', 'values.yaml'), 'utf8');
    const inGit = karpenterValuesInGit(released);
    expect(inGit).not.toBe(released);
    expect(EDITS['karpenter-release-image'](inGit)).toBe(released);
    expect(() => EDITS['karpenter-release-image']('controller: {}\n')).toThrow(/controller image block was not found/);
  });
});

describe('fetch-upstream from a mirror of the public URLs', () => {
  let mirror: string;
  let out: string;

  beforeAll(() => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cilium-eks-fetch-'));
    mirror = path.join(tmp, 'mirror');
    out = path.join(tmp, 'out');
    const staging = path.join(tmp, 'staging');
    for (const f of LOCK.files) {
      const source = LOCK.sources[f.source];
      const url = new URL(source.url);
      let data = fs.readFileSync(path.join(UPSTREAM_DIR, f.path), 'utf8');
      if (f.edit) data = karpenterValuesInGit(data);
      const target = source.kind === 'tgz' ? path.join(staging, f.source, f.member) : path.join(mirror, url.host, url.pathname, f.member);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, data);
    }
    for (const [name, s] of Object.entries(LOCK.sources).filter(([, s]) => s.kind === 'tgz')) {
      const url = new URL(s.url);
      const tarball = path.join(mirror, url.host, url.pathname);
      fs.mkdirSync(path.dirname(tarball), { recursive: true });
      // Named like a chart tarball's members (`cilium/values.yaml`), not `./cilium/...`.
      execFileSync('tar', ['-czf', tarball, '-C', path.join(staging, name), ...fs.readdirSync(path.join(staging, name))]);
    }
  });

  test('downloads, extracts and verifies every file', () => {
    const r = run(['--out', out], { CILIUM_EKS_UPSTREAM_MIRROR: mirror });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    for (const f of LOCK.files) expect([f.path, sha256(fs.readFileSync(path.join(out, f.path)))]).toEqual([f.path, f.sha256]);
    expect(run(['--verify', out], {}).status).toBe(0);
  });

  test('a file that does not match the list fails loudly and nothing is written', () => {
    const f = LOCK.files.find((x) => LOCK.sources[x.source].kind === 'dir' && !x.edit)!;
    const u = new URL(LOCK.sources[f.source].url);
    const p = path.join(mirror, u.host, u.pathname, f.member);
    const original = fs.readFileSync(p);
    fs.appendFileSync(p, '# tampered\n');
    const fresh = `${out}-tampered`;
    try {
      const r = run(['--out', fresh], { CILIUM_EKS_UPSTREAM_MIRROR: mirror });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(`FAILED: ${f.path}: sha256`);
      expect(fs.existsSync(fresh)).toBe(false);
    } finally {
      fs.writeFileSync(p, original);
    }
  });

  test('--if-missing downloads nothing when a verified folder is there, and --verify names what differs', () => {
    const r = run(['--if-missing'], { CILIUM_EKS_UPSTREAM: out, CILIUM_EKS_UPSTREAM_MIRROR: path.join(mirror, 'nowhere') });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/using .* \(\d+ files verified\)/);
    const broken = `${out}-broken`;
    fs.cpSync(out, broken, { recursive: true });
    fs.rmSync(path.join(broken, LOCK.files[0].path));
    const v = run(['--verify', broken], {});
    expect(v.status).toBe(1);
    expect(v.stderr).toContain(`${LOCK.files[0].path}: missing`);
  });
});
