/**
 * The docs as a reader follows them: every relative link and anchor of README.md,
 * ARCHITECTURE.md, docs/*.md and the API reference (docs/api/) resolves, every page is one link away from the README, and every
 * `docs/<page>.md#<anchor>` the code names (doc comments, error messages) exists.
 */
import * as fs from 'fs';
import * as path from 'path';
import { anchors, links, slug } from './support/markdown';

const ROOT = path.join(__dirname, '..');
const DOCS = path.join(ROOT, 'docs');
const PAGES = ['README.md', 'ARCHITECTURE.md', ...fs.readdirSync(DOCS).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)];
const text = new Map(PAGES.map((p) => [p, fs.readFileSync(path.join(ROOT, p), 'utf8')]));
const anchorsOf = new Map<string, Set<string>>();
function anchorsIn(page: string): Set<string> {
  if (!anchorsOf.has(page)) anchorsOf.set(page, anchors(text.get(page) ?? fs.readFileSync(path.join(ROOT, page), 'utf8')));
  return anchorsOf.get(page)!;
}

/** Why a relative target from `page` does not resolve, or undefined when it does. */
function broken(page: string, target: string): string | undefined {
  const [file, anchor] = target.split('#', 2);
  const resolved = file === '' ? page : path.relative(ROOT, path.resolve(path.dirname(path.join(ROOT, page)), decodeURI(file)));
  if (resolved.startsWith('..') || !fs.existsSync(path.join(ROOT, resolved))) return `${target}: no file ${resolved}`;
  if (anchor === undefined) return undefined;
  if (!resolved.endsWith('.md')) return `${target}: an anchor into a file that is not Markdown`;
  return anchorsIn(resolved).has(anchor) ? undefined : `${target}: ${resolved} has no heading with the anchor #${anchor}`;
}

describe('anchors', () => {
  test('are made as github.com makes them', () => {
    // Headings of these pages, with the anchors github.com gives them.
    expect(slug('Cilium: 1.18 -> 1.19 -> 1.20')).toBe('cilium-118---119---120');
    expect(slug('`performance` (default)')).toBe('performance-default');
    expect(slug('Why there is no chaining ("visibility") phase')).toBe('why-there-is-no-chaining-visibility-phase');
    expect(slug('Names, limits and identities')).toBe('names-limits-and-identities');
    expect([...anchors('# A\n## Use\n```sh\n# not a heading\n```\n## Use\n')]).toEqual(['a', 'use', 'use-1']);
  });
});

describe('links', () => {
  test.each(PAGES)('every relative link and anchor of %s resolves', (page) => {
    const bad = links(text.get(page)!)
      .filter((l) => !/^[a-z][a-z0-9+.-]*:/i.test(l.target))
      .map((l) => [l.line, broken(page, l.target)] as const)
      .filter(([, why]) => why)
      .map(([line, why]) => `${page}:${line}: ${why}`);
    expect(bad).toEqual([]);
  });

  test('every relative link and anchor of the API reference (docs/api/) resolves', () => {
    // Rendered by TypeDoc (scripts/api-reference.js): one page per export, linked from docs/api/README.md.
    const pages = fs.readdirSync(path.join(DOCS, 'api'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.md')).map((f) => `docs/api/${f.split(path.sep).join('/')}`);
    expect(pages.length).toBeGreaterThan(300);
    const bad = pages.flatMap((page) =>
      links(fs.readFileSync(path.join(ROOT, page), 'utf8'))
        .filter((l) => !/^[a-z][a-z0-9+.-]*:/i.test(l.target))
        .map((l) => [l.line, broken(page, l.target)] as const)
        .filter(([, why]) => why)
        .map(([line, why]) => `${page}:${line}: ${why}`),
    );
    expect(bad).toEqual([]);
    const index = links(fs.readFileSync(path.join(DOCS, 'api', 'README.md'), 'utf8')).map((l) => `docs/api/${l.target.split('#')[0]}`);
    expect(pages.filter((p) => p !== 'docs/api/README.md' && !index.includes(p))).toEqual([]);
  });

  test('every docs page is linked from the README', () => {
    const linked = new Set(links(text.get('README.md')!).map((l) => l.target.split('#')[0]));
    expect(PAGES.filter((p) => p.startsWith('docs/') && !linked.has(p))).toEqual([]);
  });

  test('every docs page the code names exists, with the anchor it names', () => {
    const sources: string[] = [];
    const walk = (dir: string): void => {
      for (const e of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
        const rel = path.join(dir, e.name);
        if (e.isDirectory()) {
          if (!['node_modules', '__golden__', '__snapshots__', '__fixtures__', 'charts'].includes(e.name)) walk(rel);
        } else if (/\.(ts|js)$/.test(e.name) && !e.name.endsWith('.d.ts')) sources.push(rel);
      }
    };
    for (const d of ['constructs', 'bpf', 'core', 'scripts', 'examples', '__tests__']) walk(d);
    sources.push('index.ts', 'main.ts');
    const named = sources.flatMap((f) =>
      [...fs.readFileSync(path.join(ROOT, f), 'utf8').matchAll(/\bdocs\/([\w-]+\.md)(#[\w-]+)?/g)].map((m) => ({ f, target: `docs/${m[1]}${m[2] ?? ''}` })),
    );
    expect(named.length).toBeGreaterThan(10);
    expect(named.map(({ f, target }) => [f, broken('README.md', target)]).filter(([, why]) => why)).toEqual([]);
    // The README is a front page now: a pointer to one of its old sections ("README, ...") sends a
    // reader nowhere.
    const stale = sources.filter((f) => /(?<![/\w])README(?:\.md)?, "/.test(fs.readFileSync(path.join(ROOT, f), 'utf8')));
    expect(stale).toEqual([]);
  });
});
