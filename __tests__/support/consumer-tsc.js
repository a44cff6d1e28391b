/**
 * Run by consumer.spec.ts with the consumer app as the working directory:
 *   node consumer-tsc.js <path of the typescript package>
 *
 * 1. Compiles the app exactly as `tsc -p tsconfig.json` does (its own tsconfig, the published
 *    declarations of the installed package) and writes its JavaScript.
 * 2. Reads every name the installed package's entry point exports, and type-checks a file that
 *    imports each of them, reusing the first program.
 * 3. Reads the public API as the app's compiler sees it: the package types a public signature names
 *    that the entry point does not export, and the exported props types that offer the internal
 *    `propertyPath` option.
 * 4. The public names and members without a doc comment, and the inputs table of docs/inputs.md
 *    (scripts/lib/api-model.js), from the same declarations.
 * One compiler load and one parse of the provider declarations for all four.
 * Prints one JSON object: { appDiagnostics, names, namesDiagnostics, unexportedReferences, propertyPathProps, undocumented, withoutDefault, inputs }.
 */
'use strict';
const path = require('path');

const ts = require(process.argv[2]);
const host = ts.sys;
const format = (diagnostics) =>
  ts.formatDiagnostics(diagnostics, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => process.cwd(), getNewLine: () => '\n' });

const config = ts.getParsedCommandLineOfConfigFile(path.resolve('tsconfig.json'), {}, { ...host, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(format([d])); } });
const app = ts.createProgram({ rootNames: config.fileNames, options: config.options, configFileParsingDiagnostics: config.errors });
const emitted = app.emit();
const appDiagnostics = format([...ts.getPreEmitDiagnostics(app), ...emitted.diagnostics]);

const entry = ts.resolveModuleName('cilium-eks', config.fileNames[0], config.options, host).resolvedModule;
if (!entry) throw new Error('cilium-eks does not resolve from the app');
const checker = app.getTypeChecker();
const moduleSymbol = checker.getSymbolAtLocation(app.getSourceFile(entry.resolvedFileName));
const names = checker.getExportsOfModule(moduleSymbol).map((s) => s.getName()).sort();

const namesFile = path.resolve('names.ts');
require('fs').writeFileSync(namesFile, `import type {\n${names.map((n) => `  ${n},`).join('\n')}\n} from 'cilium-eks';\n`);
const withNames = ts.createProgram({ rootNames: [...config.fileNames, namesFile], options: { ...config.options, noEmit: true }, oldProgram: app });
const namesSource = withNames.getSourceFile(namesFile);
const namesDiagnostics = format([...withNames.getSyntacticDiagnostics(namesSource), ...withNames.getSemanticDiagnostics(namesSource)]);

// The public API: every symbol the entry point exports, aliases resolved to their declarations.
const dist = path.dirname(entry.resolvedFileName) + path.sep;
const resolveAlias = (s) => (s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s);
const exported = new Set(checker.getExportsOfModule(moduleSymbol).map(resolveAlias));

/** Package types that exported declarations mention but the entry point does not export, with where. */
function unexportedReferences() {
  const missing = new Set();
  const visit = (node, owner) => {
    // Private members are not part of the contract (the declarations carry no type for them).
    if (ts.canHaveModifiers(node) && (ts.getModifiers(node) || []).some((m) => m.kind === ts.SyntaxKind.PrivateKeyword)) return;
    if (ts.isTypeReferenceNode(node) || ts.isExpressionWithTypeArguments(node) || ts.isTypeQueryNode(node)) {
      const nameNode = ts.isTypeReferenceNode(node) ? node.typeName : ts.isTypeQueryNode(node) ? node.exprName : node.expression;
      const found = checker.getSymbolAtLocation(nameNode);
      const symbol = found && resolveAlias(found);
      const decl = symbol && symbol.declarations && symbol.declarations[0];
      const isPackageType = !!decl && decl.getSourceFile().fileName.startsWith(dist) && !(symbol.flags & ts.SymbolFlags.TypeParameter);
      // A constant's declaration sits in a declaration list (`typeof ARCHITECTURES`): its statement is the top level.
      const statement = decl && ts.isVariableDeclaration(decl) ? decl.parent.parent : decl;
      const isTopLevel = !!statement && (ts.isSourceFile(statement.parent) || ts.isModuleBlock(statement.parent));
      if (isPackageType && isTopLevel && !exported.has(symbol)) missing.add(`${symbol.getName()} (in ${owner})`);
    }
    ts.forEachChild(node, (c) => visit(c, owner));
  };
  for (const symbol of exported) for (const decl of symbol.declarations || []) visit(decl, symbol.getName());
  return [...missing].sort();
}

const propertyPathProps = [...exported]
  .filter((s) => s.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.TypeAlias))
  .filter((s) => checker.getDeclaredTypeOfSymbol(s).getProperties().some((p) => p.getName() === 'propertyPath'))
  .map((s) => s.getName())
  .sort();

const apiModel = require(path.join(__dirname, '..', '..', 'scripts', 'lib', 'api-model'));
const undocumented = apiModel.undocumented(ts, checker, exported, dist);
const withoutDefault = apiModel.withoutDefault(ts, checker, exported, dist);
const inputs = apiModel.inputsMarkdown(ts, checker, exported);

process.stdout.write(JSON.stringify({ appDiagnostics, names, namesDiagnostics, unexportedReferences: unexportedReferences(), propertyPathProps, undocumented, withoutDefault, inputs }));
