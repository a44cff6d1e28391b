/**
 * The public API as a compiler reads the published declarations (dist/index.d.ts and what it
 * exports), for two checks of issue 30:
 * - `undocumented`: every exported name, and every public property and method of an exported
 *   interface or class, without a doc comment;
 * - `withoutDefault`: every optional property of an exported interface without a `@default` tag;
 * - `inputsMarkdown`: an inputs table per construct, as terraform-aws-eks has (name, type, default,
 *   description), for the props of the constructs a user instantiates and the option objects they
 *   hold, generated into docs/inputs.md (`node scripts/inputs-table.js --write`).
 *
 * Used by the consumer test's single compiler run over the installed package
 * (__tests__/support/consumer-tsc.js) and by scripts/inputs-table.js over dist/. TypeDoc renders the
 * same comments as the API reference (docs/api/, scripts/api-reference.js), which takes this
 * check's list (__tests__/__golden__/undocumented.txt) as its `intentionallyNotDocumented`.
 */
'use strict';

/** The props a user writes, in the order of docs/inputs.md, and the constructs that take them. */
const ROOTS = [
  ['CiliumEksStackProps', 'CiliumEksStack (the bundled app: main.ts)'],
  ['CiliumEksClusterProps', 'CiliumEksCluster (in your own stack)'],
  ['CiliumEksFleetStackProps', 'CiliumEksFleetStack and CiliumEksFleet'],
  ['FleetClusterOptions', 'one cluster of a fleet (CiliumEksFleetStackProps.clusters)'],
  ['CiliumMigrationStackProps', 'CiliumMigrationStack'],
];

function declarationsOf(symbol) {
  return symbol.declarations || [];
}

/** Whether a symbol is declared in the package (`dist`, a folder path ending in a separator). */
const declaredIn = (dist) => (symbol) => declarationsOf(symbol).some((d) => d.getSourceFile().fileName.startsWith(dist));

/** The text of a symbol's doc comment, without tags. */
function docText(ts, checker, symbol) {
  return ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim();
}

/** The value of a `@default` tag, or undefined. */
function defaultTag(ts, symbol) {
  const tag = symbol.getJsDocTags().find((t) => t.name === 'default');
  return tag ? ts.displayPartsToString(tag.text || []).trim() : undefined;
}

/** Whether a member is public API: not private or protected, not `#name`. */
function isPublicMember(ts, member) {
  return declarationsOf(member).every((d) => {
    const flags = ts.getCombinedModifierFlags(d);
    return !(flags & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) && !(d.name && ts.isPrivateIdentifier(d.name));
  });
}

/**
 * The members of the object types written inline in a declaration's type (`fqdnEgress?: { name:
 * string }[]`, a function's returned object, a constant's object type) without a doc comment, named
 * as TypeDoc names them (`Owner.prop.__type.member`; a method by its name), so TypeDoc's list and
 * this one are one list. Parameters are not walked (TypeDoc does not require their members either).
 */
function inlineUndocumented(ts, checker, typeNode, owner, out) {
  const visit = (node, path) => {
    if (!node) return;
    if (ts.isFunctionTypeNode(node) || ts.isConstructorTypeNode(node)) return visit(node.type, `${path}.__type`);
    if (!ts.isTypeLiteralNode(node)) return ts.forEachChild(node, (child) => visit(child, path));
    for (const member of node.members) {
      if (!(ts.isPropertySignature(member) || ts.isMethodSignature(member)) || !member.name) continue;
      const name = `${path}.__type.${ts.isIdentifier(member.name) || ts.isStringLiteral(member.name) ? member.name.text : member.name.getText()}`;
      const symbol = checker.getSymbolAtLocation(member.name);
      if (symbol && !docText(ts, checker, symbol)) out.add(name);
      visit(member.type, name);
    }
  };
  visit(typeNode, owner);
}


/**
 * Exported names, public members of exported interfaces and classes declared in the package
 * (`dist`, a folder path ending in a separator), and members of the object types they write inline
 * ({@link inlineUndocumented}), that carry no doc comment: `Name`, `Name.member` or
 * `Name.member.__type.inner`. A comment counts when it has text: one with only tags (`@default`)
 * does not describe the name (TypeDoc counts it; see scripts/api-reference.js for the difference).
 */
function undocumented(ts, checker, exported, dist) {
  const inPackage = declaredIn(dist);
  const out = new Set();
  for (const symbol of exported) {
    if (!inPackage(symbol)) continue;
    const name = symbol.getName();
    if (!docText(ts, checker, symbol)) out.add(name);
    if (symbol.flags & (ts.SymbolFlags.Variable | ts.SymbolFlags.Function | ts.SymbolFlags.TypeAlias)) {
      // The type a variable or alias writes, or a function returns.
      for (const d of declarationsOf(symbol)) inlineUndocumented(ts, checker, d.type, name, out);
    }
    // Type parameters' constraints (`<T extends { name: string }>`), named by the parameter.
    for (const d of declarationsOf(symbol)) for (const p of d.typeParameters || []) inlineUndocumented(ts, checker, p.constraint, `${name}.${p.name.text}`, out);
    if (!(symbol.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.Class))) continue;
    const type = checker.getDeclaredTypeOfSymbol(symbol);
    for (const member of checker.getPropertiesOfType(type)) {
      // Members inherited from outside the package (Construct's `node`) are documented there.
      if (!inPackage(member) || !isPublicMember(ts, member)) continue;
      if (!docText(ts, checker, member)) out.add(`${name}.${member.getName()}`);
      for (const d of declarationsOf(member)) inlineUndocumented(ts, checker, d.type, `${name}.${member.getName()}`, out);
    }
  }
  return [...out].sort();
}

/**
 * Optional properties of exported interfaces declared in the package without a `@default` tag
 * (the project's standard: every optional prop documents its default, or what its absence means):
 * `Interface.property`.
 */
function withoutDefault(ts, checker, exported, dist) {
  const inPackage = declaredIn(dist);
  const out = new Set();
  for (const symbol of exported) {
    if (!inPackage(symbol) || !(symbol.flags & ts.SymbolFlags.Interface)) continue;
    for (const member of checker.getPropertiesOfType(checker.getDeclaredTypeOfSymbol(symbol))) {
      if (!(member.flags & ts.SymbolFlags.Optional) || !inPackage(member)) continue;
      if (defaultTag(ts, member) === undefined) out.add(`${symbol.getName()}.${member.getName()}`);
    }
  }
  return [...out].sort();
}

/** Table cell text: one line, pipes escaped, `{@link X}` as X. */
const cell = (s) => s.replace(/\{@link\s+([^}\s]+)\s*\}/g, '$1').replace(/\s+/g, ' ').replace(/\|/g, '\\|').trim();

/**
 * One table: a row per property of the interface `symbol`, by name (as terraform-aws-eks's), each
 * typed as its declaration writes it: the checker's own order and union order depend on the order
 * it met the types, which differs between programs.
 */
function table(ts, checker, symbol) {
  const type = checker.getDeclaredTypeOfSymbol(symbol);
  const props = [...checker.getPropertiesOfType(type)].sort((a, b) => a.getName().localeCompare(b.getName()));
  const rows = props.map((p) => {
    const decl = declarationsOf(p)[0];
    const optional = Boolean(p.flags & ts.SymbolFlags.Optional);
    const typeText = decl.type ? decl.type.getText() : checker.typeToString(checker.getTypeOfSymbolAtLocation(p, decl), decl, ts.TypeFormatFlags.NoTruncation);
    const description = docText(ts, checker, p).split(/\n\n/)[0];
    const def = optional ? defaultTag(ts, p) ?? '-' : 'required';
    return `| \`${p.getName()}\` | \`${cell(typeText.replace(/ \| undefined$/, '').replace(/^readonly /, ''))}\` | ${cell(def)} | ${cell(description) || '-'} |`;
  });
  return ['| Name | Type | Default | Description |', '|---|---|---|---|', ...rows].join('\n');
}

/** A link from docs/inputs.md to an interface's page of the API reference (docs/api/, TypeDoc's layout). */
const reference = (name) => `API reference: [${name}](api/interfaces/${name}.md).`;

/**
 * docs/inputs.md: a table per root props interface ({@link ROOTS}), then one per exported option
 * interface a root property holds (`network`, `cilium`, `karpenter`...), each once.
 */
function inputsMarkdown(ts, checker, exported) {
  const byName = new Map([...exported].map((s) => [s.getName(), s]));
  const sections = [];
  const nested = [];
  for (const [name, what] of ROOTS) {
    const symbol = byName.get(name);
    if (!symbol) throw new Error(`inputs: ${name} is not exported`);
    sections.push(`## ${name}\n\nThe props of ${what}. ${reference(name)}\n\n${table(ts, checker, symbol)}\n`);
    for (const p of checker.getPropertiesOfType(checker.getDeclaredTypeOfSymbol(symbol))) {
      const t = checker.getNonNullableType(checker.getTypeOfSymbolAtLocation(p, declarationsOf(p)[0]));
      for (const part of t.isUnion() ? t.types : [t]) {
        const s = part.aliasSymbol || part.getSymbol();
        if (s && s.flags & ts.SymbolFlags.Interface && byName.get(s.getName()) === s && !ROOTS.some(([r]) => r === s.getName()) && !nested.includes(s)) nested.push(s);
      }
    }
  }
  for (const s of nested.sort((a, b) => a.getName().localeCompare(b.getName()))) {
    const doc = docText(ts, checker, s).split(/\n\n/)[0];
    sections.push(`## ${s.getName()}\n\n${doc ? `${doc} ` : ''}${reference(s.getName())}\n\n${table(ts, checker, s)}\n`);
  }
  return [
    '# Inputs',
    '',
    'Every property of the props the constructs take, with its type, its default and what it does,',
    'generated from the doc comments of the published declarations (`node scripts/inputs-table.js',
    '--write`; the tests fail when this page and the code differ). Nested objects have their own',
    'table below. `required`: no default. Every public class, interface, function and constant,',
    'these props included, has a page in the [API reference](api/README.md) (rendered by TypeDoc',
    'from the same comments).',
    '',
    ...sections,
  ].join('\n');
}

module.exports = { undocumented, withoutDefault, inputsMarkdown, ROOTS };
