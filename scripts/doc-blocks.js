#!/usr/bin/env node
/**
 * The TypeScript blocks of README.md and docs/**\/*.md as code the tests compile and synthesize
 * (issue 23: documented code cannot rot).
 *
 *   node scripts/doc-blocks.js          # fails when __tests__/__docs__/blocks.ts is stale
 *   node scripts/doc-blocks.js --write  # writes it
 *
 * Each ```ts block becomes one function of `__tests__/__docs__/blocks.ts`, which the type-check
 * step compiles against the project's sources and `__tests__/docs-code.spec.ts` runs and
 * synthesizes through the helper that fails on ERROR annotations. A block is one of:
 * - a whole program (it imports from 'cilium-eks'): it must be, byte for byte, a file of
 *   examples/, which the consumer test compiles against the packed package and synthesizes;
 * - props (its first line is `key: ...`): the bundled config of main.ts with these props;
 * - statements: the body of a stack's constructor, where `this` and `stack` are the stack (with
 *   the aws, helm and kubernetes providers), `app` its app and `config` main.ts's config, and every
 *   name of the public API (index.ts) and `Aspects` are in scope.
 */
'use strict';
const fs = require('fs');
const path = require('path');

const ROOT = path.join(__dirname, '..');
const OUT = path.join(ROOT, '__tests__', '__docs__', 'blocks.ts');

/**
 * The rendered API reference: its ```ts blocks are declarations TypeDoc prints (signatures, not
 * code to run), and the doc comments it renders hold no `@example`; its links are checked by
 * docs-links.spec.ts and its contents by scripts/api-reference.js.
 */
const API_REFERENCE = 'docs/api';

/** README.md and every Markdown file under docs/ but the API reference, in a stable order. */
function markdownFiles() {
  const files = ['README.md'];
  const walk = (dir) => {
    if (!fs.existsSync(path.join(ROOT, dir))) return;
    for (const e of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const rel = path.posix.join(dir, e.name);
      if (rel === API_REFERENCE) continue;
      if (e.isDirectory()) walk(rel);
      else if (e.name.endsWith('.md')) files.push(rel);
    }
  };
  walk('docs');
  return files;
}

/** Every ```ts (or ```typescript) block: its file, line and text. */
function tsBlocks() {
  const out = [];
  for (const file of markdownFiles()) {
    const lines = fs.readFileSync(path.join(ROOT, file), 'utf8').split('\n');
    for (let i = 0; i < lines.length; i++) {
      if (!/^```(ts|typescript)\s*$/.test(lines[i])) continue;
      const start = i + 1;
      let end = start;
      while (end < lines.length && lines[end] !== '```') end++;
      out.push({ file, line: i + 1, text: lines.slice(start, end).join('\n') + '\n' });
      i = end;
    }
  }
  return out;
}

/** What kind of block `text` is. */
function kindOf(text) {
  if (/from 'cilium-eks'/.test(text)) return 'program';
  const first = text.split('\n').find((l) => l.trim() !== '' && !l.trim().startsWith('//')) ?? '';
  return /^[A-Za-z_$][\w$]*\s*:/.test(first) ? 'props' : 'statements';
}

/** The examples/ file a program block must equal, or undefined. */
function exampleFileOf(text) {
  const dir = path.join(ROOT, 'examples');
  for (const sub of fs.readdirSync(dir).sort()) {
    const d = path.join(dir, sub);
    if (!fs.statSync(d).isDirectory()) continue;
    for (const f of fs.readdirSync(d).sort()) {
      if (f.endsWith('.ts') && fs.readFileSync(path.join(d, f), 'utf8') === text) return `examples/${sub}/${f}`;
    }
  }
  return undefined;
}

const indent = (text, n) => text.replace(/\n$/, '').split('\n').map((l) => (l ? ' '.repeat(n) + l : l)).join('\n');

/** The value names a module exports (read from its text: `export class|function|const|enum`, `export { }`, `export *`). */
function exportedNames(file, seen = new Set()) {
  if (seen.has(file)) return [];
  seen.add(file);
  const text = fs.readFileSync(file, 'utf8');
  const names = [...text.matchAll(/^export (?:declare )?(?:abstract )?(?:class|function|const|enum|let) ([A-Za-z_$][\w$]*)/gm)].map((m) => m[1]);
  for (const m of text.matchAll(/^export \{([^}]*)\} from '([^']+)'/gm)) {
    for (const part of m[1].split(',')) {
      const name = part.trim().split(/\s+as\s+/).pop();
      if (name) names.push(name);
    }
  }
  for (const m of text.matchAll(/^export \* from '([^']+)'/gm)) {
    const base = path.resolve(path.dirname(file), m[1]);
    const target = [`${base}.ts`, path.join(base, 'index.ts')].find((f) => fs.existsSync(f));
    if (target) names.push(...exportedNames(target, seen));
  }
  return names;
}

/** The generated module's text. */
function generate() {
  const api = [...new Set(exportedNames(path.join(ROOT, 'index.ts')))].sort();
  const blocks = tsBlocks();
  const entries = [];
  const problems = [];
  const used = new Set(['CiliumEksStack']);
  for (const b of blocks) {
    const where = `${b.file}:${b.line}`;
    const kind = kindOf(b.text);
    if (kind === 'program') {
      const example = exampleFileOf(b.text);
      if (example === undefined) problems.push(`${where}: a whole program must be a file of examples/ verbatim (the consumer test compiles and synthesizes those)`);
      entries.push(`  { source: ${JSON.stringify(where)}, example: ${JSON.stringify(example ?? '')} },`);
      continue;
    }
    // A name used as a value: not a property (`x.name`) nor an object key (`name:`).
    for (const n of api) if (new RegExp(`(?<![.\\w$])${n}(?![\\w$]|\\s*:)`).test(b.text)) used.add(n);
    // Props of the migration (its page, or a `current:` key) extend the migration example's; others main.ts's config.
    const migration = b.file === 'docs/migration.md' || /^current\s*:/m.test(b.text);
    if (kind === 'props' && migration) used.add('CiliumMigrationStack');
    const body =
      kind !== 'props'
        ? b.text.replace(/\n$/, '')
        : migration
          ? `const props: CiliumMigrationStackProps = {\n  ...migrationConfig,\n${indent(b.text, 2)}\n};\nnew CiliumMigrationStack(app, 'doc-props-${b.line}', props);`
          : `const props: CiliumEksStackProps = {\n  ...config,\n${indent(b.text, 2)}\n};\nnew CiliumEksStack(app, 'doc-props-${b.line}', props);`;
    entries.push(
      [
        `  {`,
        `    source: ${JSON.stringify(where)},`,
        `    run: (app: App): void => {`,
        `      new (class extends DocStack {`,
        `        constructor() {`,
        `          super(app, ${JSON.stringify(`doc-${b.file.replace(/\W+/g, '-')}-${b.line}`)}, ${/\.configureStack\(/.test(b.text) ? 'false' : 'true'});`,
        `          const stack = this;`,
        `          void stack;`,
        indent(body, 10),
        `        }`,
        `      })();`,
        `    },`,
        `  },`,
      ].join('\n'),
    );
  }
  const text = [
    '// Generated by scripts/doc-blocks.js from the ```ts blocks of README.md and docs/: do not edit;',
    '// run `node scripts/doc-blocks.js --write` after changing a block.',
    "import { Aspects, App, TerraformStack } from 'cdktf';",
    "import { AwsProvider } from '@cdktf/provider-aws/lib/provider';",
    "import { HelmProvider } from '@cdktf/provider-helm/lib/provider';",
    "import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';",
    "import type { CiliumEksStackProps, CiliumMigrationStackProps } from '../../index';",
    `import { ${[...used].sort().join(', ')} } from '../../index';`,
    "import { config } from '../../main';",
    "import { migrationConfig } from '../../examples/migration/main';",
    '',
    'void [Aspects, config, migrationConfig];',
    '',
    '/** The stack a block runs in: the providers a cluster needs (helm and kubernetes unless the block configures them). */',
    'class DocStack extends TerraformStack {',
    '  constructor(app: App, id: string, kubernetesProviders: boolean) {',
    '    super(app, id);',
    "    new AwsProvider(this, 'aws', { region: 'eu-west-1' });",
    '    if (kubernetesProviders) {',
    "      new HelmProvider(this, 'helm', {});",
    "      new KubernetesProvider(this, 'kubernetes', {});",
    '    }',
    '  }',
    '}',
    '',
    '/** One documented block: where it is, and either the example it equals or how it runs. */',
    'export interface DocBlock {',
    '  readonly source: string;',
    '  readonly example?: string;',
    '  readonly run?: (app: App) => void;',
    '}',
    '',
    'export const DOC_BLOCKS: readonly DocBlock[] = [',
    ...entries,
    '];',
    '',
  ].join('\n');
  return { text, problems, count: blocks.length };
}

function main(argv) {
  const { text, problems, count } = generate();
  for (const p of problems) console.error(`doc-blocks: ${p}`);
  if (argv.includes('--write')) {
    fs.mkdirSync(path.dirname(OUT), { recursive: true });
    fs.writeFileSync(OUT, text);
    console.log(`doc-blocks: ${count} blocks written to ${path.relative(ROOT, OUT)}`);
    return problems.length ? 1 : 0;
  }
  const current = fs.existsSync(OUT) ? fs.readFileSync(OUT, 'utf8') : '';
  if (current !== text) {
    console.error(`doc-blocks: ${path.relative(ROOT, OUT)} is stale; run node scripts/doc-blocks.js --write`);
    return 1;
  }
  return problems.length ? 1 : 0;
}

module.exports = { generate, tsBlocks, OUT };
if (require.main === module) process.exit(main(process.argv.slice(2)));
