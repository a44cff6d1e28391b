/**
 * The API reference (issue 30): docs/api/ is what TypeDoc renders from index.ts now, and TypeDoc
 * warns of nothing: no public name or member without a doc comment beyond the recorded ones, no
 * `{@link}` that does not resolve, no package type in a public signature that index.ts does not
 * export (scripts/api-reference.js --check).
 *
 * Cost: TypeDoc takes about 8 s of CPU (18 s wall on a shared machine). A passing check is cached under
 * node_modules/.cache/cilium-eks-typedoc/ by a hash of everything it reads (the sources index.ts
 * reaches and main.ts, typedoc.json, the tsconfigs, package-lock.json and the installed TypeDoc, plugin and
 * TypeScript, __tests__/__golden__/undocumented.txt, the script, docs/api/ itself): warm, with
 * nothing changed, the check reads one file (well under a second); any change to a comment re-runs
 * TypeDoc. A clean clone (`npm ci`, .ci/run) has no cache and renders.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..');
const CONFIG = JSON.parse(fs.readFileSync(path.join(ROOT, 'typedoc.json'), 'utf8')) as Record<string, unknown>;

describe('the API reference', () => {
  test('docs/api/ is what TypeDoc renders from index.ts, and TypeDoc warns of nothing', () => {
    const run = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'api-reference.js'), '--check'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    // On failure: a warning names the comment to write or fix; "differs"/"missing" means run `npm run docs:api`.
    expect(`${run.stdout}${run.stderr}`).toMatch(/docs\/api\/ is current and TypeDoc warns of nothing/);
    expect(run.status).toBe(0);
  }, 300_000);

  test('the check refuses a public prop without a comment, a broken {@link}, an unexported type and an unknown tag', () => {
    // scripts/api-reference.js --self-test renders __tests__/__fixtures__/api-reference/index.ts
    // with typedoc.json's settings (cached like the check) and prints TypeDoc's warnings; with
    // treatWarningsAsErrors each one fails the check above.
    const run = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'api-reference.js'), '--self-test'], { cwd: ROOT, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    const warnings = run.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as string);
    expect(warnings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/ProbeProps\.undocumented \(Property\).* does not have any documentation/),
        expect.stringMatching(/comment for ProbeProps\.brokenLink links to "NotExported"/),
        expect.stringMatching(/NotExported, defined in .* is referenced by ProbeProps\.hiddenType but not included/),
        expect.stringMatching(/unknown block tag @unknowntag/),
      ]),
    );
    expect(warnings).toHaveLength(4);
  }, 120_000);

  test('the only exceptions TypeDoc is given: the recorded undocumented names, one unexported type, one link', () => {
    // __tests__/__golden__/undocumented.txt is the one list (kept exact by the consumer test, inline
    // object types' members only): each member documented drops out of it and out of TypeDoc's
    // `intentionallyNotDocumented`. Once it is empty it stays empty: a new public name or member
    // without a comment fails both checks, and typedoc.json may not carry a list of its own.
    expect(CONFIG.intentionallyNotDocumented).toBeUndefined();
    expect(CONFIG.requiredToBeDocumented).toBeUndefined();
    // No type a public signature names is left unexported (consumer.spec.ts finds the same).
    expect(CONFIG.intentionallyNotExported).toBeUndefined();
    // No {@link} is sent elsewhere: every one names an exported name, or the check fails.
    expect(CONFIG.externalSymbolLinkMappings).toBeUndefined();
  });

  test('no doc comment carries an @example: the reference runs no code, so examples live in docs/, where they run', () => {
    // The ```ts blocks TypeDoc renders are declarations (signatures); scripts/doc-blocks.js leaves
    // docs/api/ out. An `@example` would be rendered there and never compiled: write it in a docs/
    // page instead (docs-code.spec.ts runs every block there).
    const sources = ['constructs', 'bpf', 'core'].flatMap((d) => fs.readdirSync(path.join(ROOT, d), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts')).map((f) => path.join(d, f)));
    expect(sources.length).toBeGreaterThan(50);
    expect(['index.ts', ...sources].filter((f) => /^\s*\*\s*@example\b/m.test(fs.readFileSync(path.join(ROOT, f), 'utf8')))).toEqual([]);
  });

  test('pages carry no machine path, date or commit, so they are the same wherever they render', () => {
    const pages = fs.readdirSync(path.join(ROOT, 'docs', 'api'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.md'));
    expect(pages.length).toBeGreaterThan(300);
    const leaks = pages.filter((f) => /\/(?:work|home|tmp|Users)\/|\b20\d\d-\d\d-\d\dT|\b[0-9a-f]{40}\b|Defined in/.test(fs.readFileSync(path.join(ROOT, 'docs', 'api', f), 'utf8')));
    expect(leaks).toEqual([]);
  });
});
