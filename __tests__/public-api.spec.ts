/**
 * The published declarations, as a consumer's compiler reads them: every type a public signature
 * names is exported from the entry point, no public props carry internal options, and no doc
 * comment sends a reader to a file the package does not ship.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { ensureBuilt, ROOT } from './support/consumer-app';

const DIST = path.join(ROOT, 'dist');
const INDEX = path.join(DIST, 'index.d.ts');

function declarationFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === '__tests__' ? [] : declarationFiles(p);
    return e.name.endsWith('.d.ts') ? [p] : [];
  });
}

describe('the public API in dist/index.d.ts', () => {
  let program: ts.Program;
  let checker: ts.TypeChecker;
  let exported: Set<ts.Symbol>;

  beforeAll(() => {
    ensureBuilt();
    program = ts.createProgram([INDEX], { noEmit: true, skipLibCheck: true });
    checker = program.getTypeChecker();
    const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(INDEX)!)!;
    const resolve = (s: ts.Symbol) => (s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s);
    exported = new Set(checker.getExportsOfModule(moduleSymbol).map(resolve));
  }, 60_000);

  /** Names of package types that exported declarations mention but the entry point does not export. */
  function unexportedReferences(): string[] {
    const missing = new Set<string>();
    const visit = (node: ts.Node, owner: string): void => {
      // Private members are not part of the contract (the declarations carry no type for them).
      if (ts.canHaveModifiers(node) && ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.PrivateKeyword)) return;
      if (ts.isTypeReferenceNode(node) || ts.isExpressionWithTypeArguments(node) || ts.isTypeQueryNode(node)) {
        const nameNode = ts.isTypeReferenceNode(node) ? node.typeName : ts.isTypeQueryNode(node) ? node.exprName : node.expression;
        let symbol = checker.getSymbolAtLocation(nameNode);
        if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
        const decl = symbol?.declarations?.[0];
        const file = decl?.getSourceFile().fileName ?? '';
        const isPackageType = file.startsWith(DIST) && !(symbol!.flags & ts.SymbolFlags.TypeParameter);
        const isTopLevel = decl !== undefined && (ts.isSourceFile(decl.parent) || ts.isModuleBlock(decl.parent));
        if (isPackageType && isTopLevel && !exported.has(symbol!)) missing.add(`${symbol!.getName()} (in ${owner})`);
      }
      ts.forEachChild(node, (c) => visit(c, owner));
    };
    for (const symbol of exported) for (const decl of symbol.declarations ?? []) visit(decl, symbol.getName());
    return [...missing].sort();
  }

  test('every package type named in a public signature is exported', () => {
    expect(unexportedReferences()).toEqual([]);
  });

  test('no public props interface offers the internal propertyPath option', () => {
    const offenders = [...exported]
      .filter((s) => s.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.TypeAlias))
      .filter((s) => checker.getDeclaredTypeOfSymbol(s).getProperties().some((p) => p.getName() === 'propertyPath'))
      .map((s) => s.getName());
    expect(offenders).toEqual([]);
  });

  test('no doc comment points at a file the package does not ship', () => {
    // The tarball has dist/, the manifests chart and the README: sources, tests and ../shared are not there.
    const pointer = /\.\.\/shared\/[^\s)]*|\bfacts\.md\b|\b(?:constructs|bpf|core|__tests__|scripts|examples)\/[\w./-]+\.(?:ts|js|md)\b/g;
    const found = declarationFiles(DIST).flatMap((f) =>
      [...fs.readFileSync(f, 'utf8').matchAll(pointer)].map((m) => `${path.relative(DIST, f)}: ${m[0]}`),
    );
    expect(found).toEqual([]);
  });
});
