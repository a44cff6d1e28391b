/**
 * The public input types, found by the TypeScript type-checker: every named object type declared
 * in the project that is reachable from a parameter of something `index.ts` exports (a class's
 * constructor and public methods, static ones too; a function), at every depth (property types,
 * list items, map values, union members), and every exported `*Props` and `*Options` type.
 * Classes (judged as instances), functions and library types (constructs, providers) end the walk.
 *
 * Each type also says whether the project produces it: reachable from a return type of an export
 * or a public property of an exported class (a resolved profile that a later function takes back).
 *
 * The walk costs a TypeScript program (about 5 s on a quiet machine); its result is kept under
 * node_modules/.cache keyed by a hash of the sources and of this file, so a warm run reads a file.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type * as TS from 'typescript';

const ROOT = path.join(__dirname, '..', '..');
const CACHE = path.join(ROOT, 'node_modules', '.cache', 'cilium-eks-input-types');

/** One public input type. */
export interface InputType {
  /** Its name, as exported beside its declaration. */
  readonly name: string;
  /** The file that declares it, relative to the project root. */
  readonly file: string;
  /** How a user reaches it: `new CiliumEksStack(props).cilium.hubble`. */
  readonly via: string;
  /** True when an export's return type or a public property of an exported class holds it. */
  readonly produced: boolean;
}

/** The project's sources the walk reads (what the hash covers). */
function sources(): string[] {
  const out: string[] = [path.join(ROOT, 'index.ts')];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts')) out.push(p);
    }
  };
  for (const d of ['constructs', 'bpf', 'core']) walk(path.join(ROOT, d));
  return out.sort();
}

/** The public input types, sorted by file and name. */
export function publicInputTypes(): InputType[] {
  const hash = createHash('sha256');
  hash.update(fs.readFileSync(__filename));
  hash.update((require('typescript/package.json') as { version: string }).version);
  for (const f of sources()) hash.update(f).update(fs.readFileSync(f));
  const file = path.join(CACHE, `${hash.digest('hex').slice(0, 32)}.json`);
  if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8')) as InputType[];
  const types = walk();
  fs.mkdirSync(CACHE, { recursive: true });
  for (const old of fs.readdirSync(CACHE)) fs.rmSync(path.join(CACHE, old), { force: true });
  fs.writeFileSync(file, JSON.stringify(types));
  return types;
}

function walk(): InputType[] {
  const ts = require('typescript') as typeof TS;
  const config = ts.getParsedCommandLineOfConfigFile(path.join(ROOT, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
  const program = ts.createProgram([path.join(ROOT, 'index.ts')], { ...config!.options, noEmit: true, incremental: false, types: [] });
  const checker = program.getTypeChecker();
  const index = checker.getSymbolAtLocation(program.getSourceFile(path.join(ROOT, 'index.ts'))!)!;
  const found = new Map<string, { name: string; file: string; via: string }>();
  const produced = new Set<string>();
  let seen = new Set<TS.Type>();
  let producing = false;

  const inProject = (d: TS.Declaration | undefined): d is TS.Declaration => d !== undefined && !d.getSourceFile().isDeclarationFile;
  const isClass = (s: TS.Symbol | undefined): boolean => s?.declarations?.some((d) => ts.isClassDeclaration(d)) ?? false;

  function record(name: string, decl: TS.Declaration, via: string): void {
    const file = path.relative(ROOT, decl.getSourceFile().fileName).split(path.sep).join('/');
    const key = `${file}:${name}`;
    if (producing) produced.add(key);
    else if (!found.has(key)) found.set(key, { name, file, via });
  }

  function visit(type: TS.Type, via: string): void {
    if (seen.has(type)) return;
    seen.add(type);
    if (type.isUnion() || type.isIntersection()) {
      const alias = type.aliasSymbol?.declarations?.[0];
      if (inProject(alias) && type.types.some((t) => t.flags & ts.TypeFlags.Object)) record(type.aliasSymbol!.name, alias, via);
      for (const t of type.types) visit(t, via);
      return;
    }
    if (!(type.flags & ts.TypeFlags.Object)) return;
    if (checker.isArrayType(type) || checker.isTupleType(type)) {
      for (const t of checker.getTypeArguments(type as TS.TypeReference)) visit(t, via);
      return;
    }
    if (type.getCallSignatures().length > 0 && type.getProperties().length === 0) return;
    if (isClass(type.getSymbol()) || isClass(type.aliasSymbol)) return;
    const symbol = type.aliasSymbol ?? type.getSymbol();
    const decl = symbol?.declarations?.[0];
    if (decl !== undefined && !inProject(decl) && type.aliasSymbol === undefined) return;
    if (symbol !== undefined && inProject(decl) && !symbol.name.startsWith('__')) record(symbol.name, decl, via);
    for (const p of type.getProperties()) {
      const d = p.valueDeclaration ?? p.declarations?.[0];
      if (d !== undefined) visit(checker.getTypeOfSymbolAtLocation(p, d), `${via}.${p.name}`);
    }
    for (const info of checker.getIndexInfosOfType(type)) visit(info.type, `${via}[]`);
  }

  function output(type: TS.Type, via: string): void {
    const saved = seen;
    seen = new Set();
    producing = true;
    visit(type, via);
    producing = false;
    seen = saved;
  }

  function signature(sig: TS.Signature, via: string): void {
    output(sig.getReturnType(), via);
    for (const p of sig.getParameters()) visit(checker.getTypeOfSymbolAtLocation(p, p.valueDeclaration!), `${via}(${p.name})`);
  }

  const isPublicMember = (d: TS.Declaration | undefined): d is TS.Declaration =>
    d !== undefined && !(ts.getCombinedModifierFlags(d) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected));

  for (const exported of checker.getExportsOfModule(index)) {
    const name = exported.name;
    const s = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    if (s.flags & ts.SymbolFlags.Class) {
      const ctor = checker.getTypeOfSymbolAtLocation(s, s.valueDeclaration!);
      for (const sig of ctor.getConstructSignatures()) if (sig.declaration === undefined || isPublicMember(sig.declaration)) signature(sig, `new ${name}`);
      for (const m of checker.getPropertiesOfType(ctor)) {
        if (m.valueDeclaration && ts.isMethodDeclaration(m.valueDeclaration) && isPublicMember(m.valueDeclaration)) {
          for (const sig of checker.getTypeOfSymbolAtLocation(m, m.valueDeclaration).getCallSignatures()) signature(sig, `${name}.${m.name}`);
        }
      }
      for (const m of checker.getDeclaredTypeOfSymbol(s).getProperties()) {
        const d = m.valueDeclaration;
        if (!isPublicMember(d) || m.name.startsWith('_')) continue;
        if (ts.isMethodDeclaration(d)) for (const sig of checker.getTypeOfSymbolAtLocation(m, d).getCallSignatures()) signature(sig, `${name}#${m.name}`);
        else if (ts.isPropertyDeclaration(d) || ts.isGetAccessorDeclaration(d) || ts.isParameter(d)) output(checker.getTypeOfSymbolAtLocation(m, d), `${name}#${m.name}`);
      }
    } else if (s.flags & (ts.SymbolFlags.Function | ts.SymbolFlags.Variable)) {
      const t = checker.getTypeOfSymbolAtLocation(s, s.valueDeclaration!);
      for (const sig of t.getCallSignatures()) signature(sig, name);
      if (t.getCallSignatures().length === 0) output(t, name);
    }
    if (s.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.TypeAlias) && /(Props|Options)$/.test(name)) visit(checker.getDeclaredTypeOfSymbol(s), name);
  }
  return [...found.values()]
    .map((t) => ({ ...t, produced: produced.has(`${t.file}:${t.name}`) }))
    .sort((a, b) => (a.file === b.file ? (a.name < b.name ? -1 : 1) : a.file < b.file ? -1 : 1));
}
