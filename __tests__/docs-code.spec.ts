/**
 * Documented code runs (issue 23): every ```ts block of README.md and docs/ is compiled (the
 * type-check step compiles __tests__/__docs__/blocks.ts, which scripts/doc-blocks.js generates from
 * the blocks) and synthesized here as `cdktf synth` would, failing on ERROR annotations; a block
 * that is a whole program is a file of examples/, and the examples are synthesized the same way
 * (examples/consumer against the packed package, in the consumer test).
 */
import { Testing, TerraformStack } from 'cdktf';
import { DOC_BLOCKS } from './__docs__/blocks';
import { buildApp as buildMeshApp } from '../examples/cluster-mesh/main';
import { buildApp as buildMigrationApp } from '../examples/migration/main';
import { migrationPhases } from '../bpf/migration';
import { migrationConfig } from '../examples/migration/main';
import { synthStack } from './support/synth';

const docBlocks = require('../scripts/doc-blocks') as { generate(): { text: string; problems: string[]; count: number } };

function stacksOf(app: ReturnType<typeof Testing.app>): TerraformStack[] {
  return app.node.children.filter((c): c is TerraformStack => TerraformStack.isStack(c));
}

describe('documented code', () => {
  test('__tests__/__docs__/blocks.ts holds every ts block of README.md and docs/ as they are now', () => {
    const { text, problems, count } = docBlocks.generate();
    expect(problems).toEqual([]);
    expect(count).toBe(DOC_BLOCKS.length);
    // Stale: run `node scripts/doc-blocks.js --write`.
    expect(text === require('fs').readFileSync(require('path').join(__dirname, '__docs__', 'blocks.ts'), 'utf8')).toBe(true);
  });

  test.each(DOC_BLOCKS.filter((b) => b.run).map((b) => [b.source, b] as const))('%s synthesizes without an error annotation', (_source, block) => {
    const app = Testing.app();
    block.run!(app);
    const stacks = stacksOf(app);
    expect(stacks.length).toBeGreaterThan(0);
    for (const stack of stacks) expect(synthStack(stack).length).toBeGreaterThan(100);
  });

  test('a whole program in the docs is a file of examples/', () => {
    for (const b of DOC_BLOCKS.filter((x) => !x.run)) expect(b.example).toMatch(/^examples\/[a-z-]+\/[a-z-]+\.ts$/);
  });

  test('examples/cluster-mesh synthesizes without an error annotation', () => {
    const stacks = stacksOf(buildMeshApp(Testing.app()));
    expect(stacks).toHaveLength(1);
    expect(synthStack(stacks[0]).length).toBeGreaterThan(1000);
  });

  test.each(migrationPhases(migrationConfig.oldNodeGroups.map((g) => g.name)))('examples/migration at phase %s synthesizes without an error annotation', (phase) => {
    const stacks = stacksOf(buildMigrationApp(Testing.app(), phase));
    expect(synthStack(stacks[0]).length).toBeGreaterThan(1000);
  });
});
