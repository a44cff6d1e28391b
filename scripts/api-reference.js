#!/usr/bin/env node
/**
 * The API reference: docs/api/, rendered by TypeDoc (typedoc-plugin-markdown) from the doc comments
 * of what index.ts exports, as typedoc.json configures it (issue 30).
 *
 *   node scripts/api-reference.js            # `npm run docs:api`: writes docs/api/ (only when TypeDoc warns of nothing)
 *   node scripts/api-reference.js --check    # renders to a scratch folder; exits 1 when TypeDoc warns or docs/api/ differs
 *   node scripts/api-reference.js --self-test  # TypeDoc's warnings over a fixture with a mistake per member (the tests read them)
 *   node scripts/api-reference.js --check --stricter  # also lists the recorded names only api-model counts as undocumented
 *
 * TypeDoc warns (and the check fails) on a public name or member without a doc comment, a
 * `{@link}` that does not resolve to a documented export, a package type a public signature names
 * that index.ts does not export, and a tag it does not know.
 *
 * One list of undocumented names: __tests__/__golden__/undocumented.txt, written by
 * scripts/lib/api-model.js `undocumented` and kept exact by the consumer test. This script hands its
 * names to TypeDoc's `intentionallyNotDocumented`, so a name documented since drops out of both, and
 * a name TypeDoc finds undocumented that the list lacks fails here. The two differ where api-model
 * is stricter:
 * - it wants text in a comment: TypeDoc accepts one with only tags (`/** @default 5 *\/`), and gives
 *   an interface that extends another and has no comment its base's comment. Those names (the
 *   list's `stricter` ones, `--stricter`) are not handed to TypeDoc, which would warn that they are
 *   documented; every other listed name must be one TypeDoc finds undocumented, or the check fails;
 * - it reads the published declarations, where TypeScript drops the comments on the members of an
 *   inferred object type (a function's returned object, a constant's object below its first
 *   level): such a comment reaches TypeDoc but no consumer's editor, and the member stays listed.
 *   Declare the type (an exported interface as the return type) instead.
 *
 * Cost: TypeDoc takes about 8 s of CPU over tsconfig.build.json's program (typedoc.json
 * `skipErrorChecking`: the type-check step of `npm test` checks the same files). A passing check
 * is cached under node_modules/.cache/cilium-eks-typedoc/ by a hash of all it depends on (the
 * library's sources, typedoc.json and the tsconfigs, the list, this script, package-lock.json with
 * the installed TypeDoc, plugin and TypeScript, and docs/api/'s contents): a warm check with
 * nothing changed reads one file; any change to a comment re-runs TypeDoc.
 */
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');

const ROOT = path.join(__dirname, '..');
const OUT = path.join(ROOT, 'docs', 'api');
const UNDOCUMENTED = path.join(ROOT, '__tests__', '__golden__', 'undocumented.txt');
const CACHE = path.join(ROOT, 'node_modules', '.cache', 'cilium-eks-typedoc');
/**
 * The program TypeDoc reads: tsconfig.build.json's, the published library (index.ts, main.ts,
 * constructs/, bpf/, core/), not the tests: the order of a union's members in a page follows the
 * order the compiler met its types in, which any file of the program can change.
 */
const SOURCES = ['index.ts', 'main.ts', 'constructs', 'bpf', 'core'];
/** Besides the sources, what the rendered pages depend on. */
const INPUTS = ['typedoc.json', 'scripts/lib/api-reference-intro.md', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json', path.relative(ROOT, UNDOCUMENTED), path.relative(ROOT, __filename)];

/** Every file under `dir` (or `dir` itself), sorted, as paths relative to ROOT. */
function filesUnder(dir) {
  const abs = path.join(ROOT, dir);
  const stat = fs.statSync(abs, { throwIfNoEntry: false });
  if (!stat) return [];
  if (stat.isFile()) return [dir];
  return fs
    .readdirSync(abs, { withFileTypes: true })
    .flatMap((e) => filesUnder(path.join(dir, e.name)))
    .sort();
}

/** The recorded undocumented names (one a line). */
function recordedUndocumented() {
  return fs.readFileSync(UNDOCUMENTED, 'utf8').split('\n').filter(Boolean);
}

/** The hash of `files` (paths relative to ROOT, with their contents) and of the installed TypeDoc, plugin and TypeScript, after `salt`. */
function hashOf(files, salt = '') {
  const h = crypto.createHash('sha256').update(salt);
  for (const f of files) h.update(`${f}\0`).update(fs.readFileSync(path.join(ROOT, f))).update('\0');
  for (const pkg of ['typedoc', 'typedoc-plugin-markdown', 'typescript']) h.update(fs.readFileSync(path.join(ROOT, 'node_modules', pkg, 'package.json')));
  return h.digest('hex');
}

/** The hash of everything a check's result depends on. */
function inputsHash() {
  return hashOf([...SOURCES.flatMap(filesUnder).filter((f) => /\.(ts|json|ya?ml)$/.test(f)), ...INPUTS, ...filesUnder(path.relative(ROOT, OUT))]);
}

/** Every file under an absolute folder, relative to it, sorted. */
function tree(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath ?? e.path, e.name)).split(path.sep).join('/'))
    .sort();
}

/** What differs between two rendered folders: missing, extra and changed pages. */
function differences(expected, actual) {
  const a = tree(expected);
  const b = tree(actual);
  return [
    ...a.filter((f) => !b.includes(f)).map((f) => `missing in docs/api/: ${f}`),
    ...b.filter((f) => !a.includes(f)).map((f) => `not rendered any more: docs/api/${f}`),
    ...a.filter((f) => b.includes(f) && !fs.readFileSync(path.join(expected, f)).equals(fs.readFileSync(path.join(actual, f)))).map((f) => `differs: docs/api/${f}`),
  ];
}

/** TypeDoc with the settings of `config` (a typedoc.json) and `overrides`; `capture` collects its warnings instead of printing them. */
async function typedoc(config, overrides, capture) {
  const td = await import('typedoc');
  const app = await td.Application.bootstrapWithPlugins({ options: config, ...overrides }, [new td.TypeDocReader(), new td.TSConfigReader()]);
  if (capture) {
    app.logger.log = (message, level) => {
      td.Logger.prototype.log.call(app.logger, message, level);
      if (level >= td.LogLevel.Warn) capture.push(message.replace(/\x1b\[[0-9;]*m/g, ''));
    };
  }
  return { td, app };
}

/**
 * Converts index.ts, validates, and renders into `out`. Returns the problems: TypeDoc's warnings
 * and errors (printed by TypeDoc as they come) and the list's names TypeDoc does not know.
 */
async function render(out) {
  const { app } = await typedoc(path.join(ROOT, 'typedoc.json'), { out });
  const project = await app.convert();
  if (!project) return ['TypeDoc could not convert index.ts (see above)'];

  // Hand TypeDoc the listed names it finds undocumented too (the header: `stricter` names stay out).
  const commented = new Map();
  for (const r of Object.values(project.reflections)) {
    const name = r.getFriendlyFullName();
    commented.set(name, Boolean(commented.get(name)) || r.hasComment());
  }
  const recorded = recordedUndocumented();
  const unknown = recorded.filter((n) => !commented.has(n));
  const handed = recorded.filter((n) => commented.get(n) === false);
  app.options.setValue('intentionallyNotDocumented', handed);
  if (process.argv.includes('--stricter')) for (const n of recorded.filter((x) => commented.get(x))) console.log(`stricter: ${n}`);
  app.validate(project);
  const problems = unknown.map((n) => `${path.relative(ROOT, UNDOCUMENTED)} lists ${n}, which TypeDoc does not render (a name scripts/lib/api-model.js and TypeDoc name differently?)`);
  if (app.logger.hasErrors() || app.logger.hasWarnings()) problems.push(`TypeDoc: ${app.logger.errorCount} errors and ${app.logger.warningCount} warnings (above)`);
  if (problems.length > 0) return problems;
  fs.rmSync(out, { recursive: true, force: true });
  await app.generateOutputs(project);
  if (app.logger.hasErrors() || app.logger.hasWarnings()) return [`TypeDoc: ${app.logger.errorCount} errors and ${app.logger.warningCount} warnings while rendering (above)`];
  return [];
}

/** The fixture the self-test renders, one mistake per member: its typedoc.json extends the project's. */
const FIXTURE = path.join(ROOT, '__tests__', '__fixtures__', 'api-reference');

/**
 * `--self-test`: TypeDoc's warnings over the fixture with typedoc.json's settings, as JSON lines on
 * stdout, so a test can show each mistake fails the check. Cached like the check (about 3 s cold).
 */
async function selfTest() {
  const key = hashOf([...filesUnder(path.relative(ROOT, FIXTURE)), 'typedoc.json', 'tsconfig.json', path.relative(ROOT, __filename)], 'self-test\0');
  const cached = path.join(CACHE, `${key}.json`);
  if (!fs.existsSync(cached)) {
    const warnings = [];
    const { app } = await typedoc(path.join(FIXTURE, 'typedoc.json'), {}, warnings);
    const project = await app.convert();
    if (project) app.validate(project);
    else warnings.push('TypeDoc could not convert the fixture');
    fs.mkdirSync(CACHE, { recursive: true });
    fs.writeFileSync(cached, JSON.stringify(warnings));
  }
  for (const w of JSON.parse(fs.readFileSync(cached, 'utf8'))) console.log(JSON.stringify(w));
  return 0;
}

async function main(argv) {
  if (argv.includes('--self-test')) return selfTest();
  const check = argv.includes('--check');
  const hash = inputsHash();
  const marker = path.join(CACHE, hash);
  if (check && fs.existsSync(marker) && !argv.includes('--stricter')) {
    console.log(`api-reference: docs/api/ is current and TypeDoc warns of nothing (cached for these inputs: ${path.relative(ROOT, marker)})`);
    return 0;
  }
  const out = check ? fs.mkdtempSync(path.join(os.tmpdir(), 'cilium-eks-api-')) : OUT;
  try {
    const problems = await render(out);
    if (check && problems.length === 0) problems.push(...differences(out, OUT).map((d) => `${d} (stale: run npm run docs:api)`));
    if (problems.length > 0) {
      for (const p of problems) console.error(`api-reference: ${p}`);
      return 1;
    }
    fs.mkdirSync(CACHE, { recursive: true });
    fs.writeFileSync(path.join(CACHE, check ? hash : inputsHash()), '');
    console.log(check ? 'api-reference: docs/api/ is current and TypeDoc warns of nothing' : `api-reference: ${path.relative(ROOT, OUT)}/ written (${tree(OUT).length} pages)`);
    return 0;
  } finally {
    if (check) fs.rmSync(out, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}

module.exports = { inputsHash };
