#!/usr/bin/env node
/**
 * docs/inputs.md, the inputs table of every construct (scripts/lib/api-model.js), from the
 * published declarations in dist/ (built first when stale, as `npm pack` builds them).
 *
 *   node scripts/inputs-table.js            # exits 1 when docs/inputs.md differs from the code
 *   node scripts/inputs-table.js --write    # writes it
 *   node scripts/inputs-table.js --undocumented   # lists the public names and members without a doc comment
 *   node scripts/inputs-table.js --without-default  # lists the optional properties without a @default tag
 *
 * The tests compare the page with the same generator run over the packed package (consumer.spec.ts).
 */
'use strict';
const fs = require('fs');
const path = require('path');
const ts = require('typescript');
const { ensureBuilt } = require('./lib/build-dist');
const { inputsMarkdown, undocumented, withoutDefault } = require('./lib/api-model');

const ROOT = path.join(__dirname, '..');
const PAGE = path.join(ROOT, 'docs', 'inputs.md');

/** The checker over dist/index.d.ts, and the symbols it exports (aliases resolved). */
function publicApi() {
  ensureBuilt();
  const entry = path.join(ROOT, 'dist', 'index.d.ts');
  const program = ts.createProgram({ rootNames: [entry], options: { noEmit: true, skipLibCheck: true, strict: true, types: ['node'] } });
  const checker = program.getTypeChecker();
  const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(entry));
  const resolve = (s) => (s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s);
  return { checker, exported: new Set(checker.getExportsOfModule(moduleSymbol).map(resolve)), dist: path.dirname(entry) + path.sep };
}

function main(argv) {
  const { checker, exported, dist } = publicApi();
  if (argv.includes('--without-default')) {
    for (const name of withoutDefault(ts, checker, exported, dist)) console.log(name);
    return 0;
  }
  if (argv.includes('--undocumented')) {
    for (const name of undocumented(ts, checker, exported, dist)) console.log(name);
    return 0;
  }
  const text = inputsMarkdown(ts, checker, exported);
  if (argv.includes('--write')) {
    fs.writeFileSync(PAGE, text);
    console.log(`inputs-table: ${path.relative(ROOT, PAGE)} written`);
    return 0;
  }
  if (!fs.existsSync(PAGE) || fs.readFileSync(PAGE, 'utf8') !== text) {
    console.error('inputs-table: docs/inputs.md differs from the code; run node scripts/inputs-table.js --write');
    return 1;
  }
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
