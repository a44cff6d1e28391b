#!/usr/bin/env node
/**
 * Downloads the pinned upstream artifacts the tests read (Cilium chart values and schemas, the
 * Cilium policy CRDs, Karpenter's CRDs, values and CloudFormation, Tetragon's values and CRDs, the
 * values of the Fluent Bit and OpenTelemetry Collector charts) from their public homes, listed
 * with a sha256 per file in upstream.lock.json, verifies each, and writes them into .upstream/
 * (ignored by git). Nothing downloaded is committed.
 *
 *   node scripts/fetch-upstream.js              download into .upstream/ (or --out DIR)
 *   node scripts/fetch-upstream.js --if-missing do nothing when a complete upstream folder is found
 *                                               (CILIUM_EKS_UPSTREAM, .upstream/, ../shared/upstream)
 *   node scripts/fetch-upstream.js --verify DIR check DIR against the list, download nothing
 *
 * CILIUM_EKS_UPSTREAM_MIRROR=DIR reads every URL from DIR/<host>/<path> instead of the network
 * (the tests use it to exercise download, extraction and verification offline).
 * Exit status: 0 when every file is present and verified, 1 otherwise, with the reason on stderr.
 */
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const https = require('https');
const path = require('path');
const zlib = require('zlib');

const ROOT = path.join(__dirname, '..');
const LOCK = JSON.parse(fs.readFileSync(path.join(ROOT, 'upstream.lock.json'), 'utf8'));
const DEFAULT_OUT = path.join(ROOT, '.upstream');

/** The folders the tests look in, in order (mirrors __tests__/support/upstream.ts). */
function candidateDirs() {
  return [process.env.CILIUM_EKS_UPSTREAM, DEFAULT_OUT, path.join(ROOT, '..', 'shared', 'upstream')].filter(Boolean).map((d) => path.resolve(d));
}

const sha256 = (buf) => crypto.createHash('sha256').update(buf).digest('hex');

/** Files of the list that are missing or differ in `dir`: [] when `dir` is complete. */
function verifyDir(dir) {
  const problems = [];
  for (const f of LOCK.files) {
    const p = path.join(dir, f.path);
    if (!fs.existsSync(p)) problems.push(`${f.path}: missing`);
    else if (sha256(fs.readFileSync(p)) !== f.sha256) problems.push(`${f.path}: sha256 ${sha256(fs.readFileSync(p))}, the list says ${f.sha256}`);
  }
  return problems;
}

/** Edits applied after download, each named in the list; the result is what the sha256 covers. */
const EDITS = {
  // Karpenter's release script rewrites the controller image at publish time; the tag in git still
  // names 1.13.0 with its digest (see ../shared/upstream/README.md, "Karpenter values.yaml").
  'karpenter-release-image': (text) => {
    const re = /(\n {4}repository: public\.ecr\.aws\/karpenter\/controller\n {4}# -- Tag of the controller image\.\n {4}tag: )[^\n]*(\n {4}# -- SHA256 digest of the controller image\.\n {4}digest: )[^\n]*/;
    if (!re.test(text)) throw new Error('karpenter-release-image: the controller image block was not found');
    return text.replace(re, '$11.14.1$2""');
  },
};

function download(url) {
  const mirror = process.env.CILIUM_EKS_UPSTREAM_MIRROR;
  if (mirror) {
    const u = new URL(url);
    const p = path.join(mirror, u.host, decodeURIComponent(u.pathname));
    if (!fs.existsSync(p)) return Promise.reject(new Error(`${url}: not in the mirror (${p})`));
    return Promise.resolve(fs.readFileSync(p));
  }
  return new Promise((resolve, reject) => {
    const req = https.get(url, { timeout: 60_000 }, (res) => {
      if (res.statusCode >= 300 && res.statusCode < 400 && res.headers.location) {
        res.resume();
        resolve(download(new URL(res.headers.location, url).toString()));
        return;
      }
      if (res.statusCode !== 200) {
        res.resume();
        reject(new Error(`${url}: HTTP ${res.statusCode}`));
        return;
      }
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve(Buffer.concat(chunks)));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${url}: timed out`)));
    req.on('error', (e) => reject(new Error(`${url}: ${e.message}`)));
  });
}

/** The regular files of a gzipped tar, by path (ustar, with GNU long names). */
function untgz(buf) {
  const tar = zlib.gunzipSync(buf);
  const files = new Map();
  let longName;
  for (let off = 0; off + 512 <= tar.length; ) {
    const header = tar.subarray(off, off + 512);
    if (header.every((b) => b === 0)) break;
    const str = (a, b) => header.subarray(a, b).toString('utf8').replace(/\0.*$/s, '');
    const size = parseInt(str(124, 136).trim() || '0', 8);
    const type = String.fromCharCode(header[156] || 48);
    const prefix = str(345, 500);
    const name = longName ?? (prefix ? `${prefix}/${str(0, 100)}` : str(0, 100));
    const body = tar.subarray(off + 512, off + 512 + size);
    longName = undefined;
    if (type === 'L') longName = body.toString('utf8').replace(/\0.*$/s, '');
    else if (type === '0' || type === '\0') files.set(name, Buffer.from(body));
    off += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

async function fetchAll(out) {
  const tarballs = new Map();
  const results = [];
  for (const f of LOCK.files) {
    const source = LOCK.sources[f.source];
    let data;
    if (source.kind === 'tgz') {
      if (!tarballs.has(f.source)) tarballs.set(f.source, untgz(await download(source.url)));
      data = tarballs.get(f.source).get(f.member);
      if (!data) throw new Error(`${f.path}: ${f.member} is not in ${source.url}`);
    } else {
      data = await download(source.url + f.member);
    }
    if (f.edit) data = Buffer.from(EDITS[f.edit](data.toString('utf8')), 'utf8');
    const got = sha256(data);
    if (got !== f.sha256) throw new Error(`${f.path}: sha256 ${got} does not match the list (${f.sha256}); refusing to write it`);
    results.push([f.path, data]);
  }
  for (const [p, data] of results) {
    fs.mkdirSync(path.dirname(path.join(out, p)), { recursive: true });
    fs.writeFileSync(path.join(out, p), data);
  }
}

async function main(argv) {
  const arg = (name) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  if (argv.includes('--verify')) {
    const dir = path.resolve(arg('--verify'));
    const problems = verifyDir(dir);
    if (problems.length) throw new Error(`${dir} does not match upstream.lock.json:\n  ${problems.join('\n  ')}`);
    console.log(`fetch-upstream: ${dir} matches upstream.lock.json (${LOCK.files.length} files)`);
    return;
  }
  if (argv.includes('--if-missing')) {
    const found = candidateDirs().find((d) => fs.existsSync(d) && verifyDir(d).length === 0);
    if (found) {
      console.log(`fetch-upstream: using ${path.relative(process.cwd(), found) || '.'} (${LOCK.files.length} files verified)`);
      return;
    }
  }
  const out = path.resolve(arg('--out') ?? DEFAULT_OUT);
  console.log(`fetch-upstream: downloading ${LOCK.files.length} files into ${path.relative(process.cwd(), out)}`);
  await fetchAll(out);
  const problems = verifyDir(out);
  if (problems.length) throw new Error(`after download:\n  ${problems.join('\n  ')}`);
  console.log(`fetch-upstream: ${LOCK.files.length} files verified`);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((e) => {
    console.error(`fetch-upstream: FAILED: ${e.message}\nThe tests check the project against these upstream files and cannot run without them.`);
    process.exit(1);
  });
}

module.exports = { untgz, verifyDir, EDITS };
