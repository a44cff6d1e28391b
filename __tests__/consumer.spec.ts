/**
 * The package as a platform team gets it: `npm pack` of the built library, `npm install`ed into a
 * scratch app outside the repository with `cdktf@0.21.0`, the newest `constructs@^10` and the
 * providers (support/consumer-app.ts). The example app in examples/consumer is type-checked
 * against the published declarations and synthesised there, and a consumer's own Cilium release
 * is judged by the security checks of the installed package. The public API is read from the
 * installed declarations as the app's compiler sees them (support/consumer-tsc.js): every type a
 * public signature names is exported, no public props carry internal options, and no doc comment
 * sends a reader to a file the package does not ship.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { ConsumerApp, installConsumerApp, ROOT, runNode } from './support/consumer-app';

const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const GETTING_STARTED = fs.readFileSync(path.join(ROOT, 'docs', 'getting-started.md'), 'utf8');
const EXAMPLE_DIR = path.join(ROOT, 'examples', 'consumer');
const EXAMPLE = fs.readFileSync(path.join(EXAMPLE_DIR, 'main.ts'), 'utf8');
/** The example's files the consumer app gets. */
const EXAMPLE_FILES = ['main.ts', 'own-cilium.ts', 'tsconfig.json'];

describe('the packed library installed into a consumer app', () => {
  let app: ConsumerApp;
  let compiled:
    | { appDiagnostics: string; names: string[]; namesDiagnostics: string; unexportedReferences: string[]; propertyPathProps: string[]; undocumented: string[]; withoutDefault: string[]; inputs: string }
    | undefined;

  /**
   * The app compiled as `tsc -p tsconfig.json` does, and the names check, in one compiler run
   * (support/consumer-tsc.js). The compiler's answer is deterministic, so it is kept in the app
   * folder and reused while everything it reads is unchanged (about 7 s of a warm run): the
   * installed packages (npm's lock of the app names the tarball, itself named by the hash of what
   * npm packs), the example's files, the compiler run's scripts and the TypeScript version, and
   * the JavaScript it wrote. Any change compiles again.
   */
  function compile(): NonNullable<typeof compiled> {
    if (!compiled) {
      const typescript = path.dirname(require.resolve('typescript/package.json'));
      const inputs = createHash('sha256');
      for (const f of [
        path.join(app.dir, 'node_modules', '.package-lock.json'),
        ...EXAMPLE_FILES.map((f) => path.join(app.dir, f)),
        path.join(__dirname, 'support', 'consumer-tsc.js'),
        path.join(ROOT, 'scripts', 'lib', 'api-model.js'),
        path.join(typescript, 'package.json'),
      ]) {
        inputs.update(f).update('\0').update(fs.readFileSync(f)).update('\0');
      }
      const key = inputs.digest('hex');
      const cache = path.join(app.dir, '.consumer-tsc.json');
      const kept = fs.existsSync(cache) ? (JSON.parse(fs.readFileSync(cache, 'utf8')) as { key: string; output: string }) : undefined;
      const emitted = ['main.js', 'own-cilium.js'].every((f) => fs.existsSync(path.join(app.dir, 'out', f)));
      let output = kept?.key === key && emitted ? kept.output : undefined;
      if (output === undefined) {
        const run = runNode(app.dir, [path.join(__dirname, 'support', 'consumer-tsc.js'), typescript]);
        if (run.status !== 0) throw new Error(`compiling the consumer app failed:\n${run.stderr}`);
        output = run.stdout;
        fs.writeFileSync(cache, JSON.stringify({ key, output }));
      }
      compiled = JSON.parse(output) as NonNullable<typeof compiled>;
    }
    return compiled;
  }

  beforeAll(() => {
    app = installConsumerApp();
    for (const f of EXAMPLE_FILES) fs.copyFileSync(path.join(EXAMPLE_DIR, f), path.join(app.dir, f));
  }, 180_000);

  test('the tarball holds the built library and its chart, and no tests or sources', () => {
    // The docs ship: the README links to them, and doc comments and messages name their pages.
    expect(app.files).toEqual(expect.arrayContaining(['package.json', 'README.md', 'docs/getting-started.md', 'dist/index.js', 'dist/index.d.ts', 'constructs/charts/manifests/Chart.yaml']));
    expect(app.files.some((f) => f.startsWith('dist/__tests__') || f.startsWith('__tests__/'))).toBe(false);
    expect(app.files.some((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toBe(false);
    // Nothing built from a source that is gone (tsc never deletes an output; scripts/lib/build-dist.js prunes them).
    const orphans = app.files.filter((f) => /^dist\/.*(\.d\.ts|\.js)$/.test(f) && !fs.existsSync(path.join(ROOT, f.replace(/^dist\//, '').replace(/(\.d\.ts|\.js)$/, '.ts'))));
    expect(orphans).toEqual([]);
  });

  test('npm resolves one constructs and one cdktf for the app and the library (peer dependencies)', () => {
    // Node's resolver from inside the installed library, in one process for all five.
    const lib = path.join(app.dir, 'node_modules', 'cilium-eks');
    const ids = ['constructs', 'cdktf', '@cdktf/provider-aws', '@cdktf/provider-helm', '@cdktf/provider-kubernetes'];
    const resolved = runNode(lib, ['-p', `JSON.stringify(${JSON.stringify(ids)}.map((id) => require.resolve(id + '/package.json')))`]);
    expect(JSON.parse(resolved.stdout || 'null')).toEqual(ids.map((id) => path.join(app.dir, 'node_modules', id, 'package.json')));
    // The newest constructs 10.x, not a copy pinned by the library.
    const constructs = JSON.parse(fs.readFileSync(path.join(app.dir, 'node_modules', 'constructs', 'package.json'), 'utf8')) as { version: string };
    expect(constructs.version).toMatch(/^10\./);
    expect(fs.existsSync(path.join(lib, 'node_modules', 'constructs'))).toBe(false);
  });

  test('internal modules are not importable: the exports map names one entry point', () => {
    // Node's own resolver, from inside the app (Jest's resolver ignores "exports").
    const resolve = (id: string) => runNode(app.dir, ['-p', `require.resolve(${JSON.stringify(id)})`]);
    expect(resolve('cilium-eks').stdout.trim()).toBe(path.join(app.dir, 'node_modules', 'cilium-eks', 'dist', 'index.js'));
    expect(resolve('cilium-eks/dist/core/cidr').stderr).toMatch(/ERR_PACKAGE_PATH_NOT_EXPORTED/);
  });

  test('the example type-checks against the published declarations and synthesises', () => {
    const { appDiagnostics } = compile();
    if (appDiagnostics) throw new Error(`the example does not compile against the package:\n${appDiagnostics}`);
    const outdir = path.join(app.dir, 'cdktf.out');
    fs.rmSync(outdir, { recursive: true, force: true });
    const run = runNode(app.dir, ['out/main.js'], { CDKTF_OUTDIR: outdir });
    if (run.status !== 0) throw new Error(`the example does not synthesise:\n${run.stderr}`);
    const tf = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', 'team-a', 'cdk.tf.json'), 'utf8')) as {
      resource: Record<string, Record<string, { values?: string[]; vpc_config?: { subnet_ids: string[] } }>>;
      provider: Record<string, unknown[]>;
    };
    expect(Object.keys(tf.provider).sort()).toEqual(['aws', 'helm', 'kubernetes']);
    expect(Object.values(tf.resource.aws_eks_cluster)[0].vpc_config?.subnet_ids).toEqual(['subnet-0aaa1111', 'subnet-0bbb2222', 'subnet-0ccc3333']);
    const releases = Object.values(tf.resource.helm_release).map((r) => (r.values ?? []).join('\n'));
    expect(releases.some((v) => v.includes('name: batch') && v.includes('kind: NodePool') && v.includes('name: gpu'))).toBe(true);
    expect(releases.some((v) => v.includes('name: gpu') && v.includes('kind: EC2NodeClass'))).toBe(true);
    expect(releases.some((v) => v.includes('name: api-to-apiserver') && v.includes('kind: CiliumNetworkPolicy'))).toBe(true);
  });

  test("the installed security checks report a consumer's own Cilium release with WireGuard off", () => {
    expect(compile().appDiagnostics).toBe('');
    const outdir = path.join(app.dir, 'cdktf.out.own');
    const run = runNode(app.dir, ['out/own-cilium.js'], { CDKTF_OUTDIR: outdir });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/\[own-cilium\/cilium\] \[cilium-eks-security:cilium-wireguard-off\] .*encryption\.enabled is false/);
  });

  test('every name the entry point exports can be imported by a consumer', () => {
    const { names, namesDiagnostics } = compile();
    expect(names.length).toBeGreaterThan(100);
    expect(names).toEqual(expect.arrayContaining(['CiliumEksCluster', 'CiliumEksStack', 'ValidationError']));
    expect(namesDiagnostics).toBe('');
  });

  test('every package type named in a public signature is exported', () => {
    // TypeDoc's notExported check (scripts/api-reference.js) finds the same, without exceptions.
    expect(compile().unexportedReferences).toEqual([]);
  });

  test('docs/inputs.md is the inputs table of the published declarations, every input described', () => {
    const page = fs.readFileSync(path.join(ROOT, 'docs', 'inputs.md'), 'utf8');
    // Stale: run `node scripts/inputs-table.js --write`.
    expect(compile().inputs === page).toBe(true);
    const rows = page.split('\n').filter((l) => l.startsWith('| `'));
    expect(rows.length).toBeGreaterThan(100);
    expect(rows.filter((r) => r.endsWith('| - |'))).toEqual([]);
  });

  test('every public name and every public member of an exported interface or class has a doc comment', () => {
    // Issue 30: a public prop without a doc comment fails (`node scripts/inputs-table.js --undocumented` lists them).
    // The one exception: members of object types written inline (`prop?: { name: string }`, a
    // function's returned object, a constant's object type), named as TypeDoc names them
    // (`Owner.prop.__type.member`), which the check covers since the API reference came (TypeDoc
    // requires them). __tests__/__golden__/undocumented.txt records the ones that lacked a comment
    // then; documenting one (or declaring its type as an exported interface) removes its line, a new
    // one fails, and once the list is empty it stays empty. It is also TypeDoc's
    // intentionallyNotDocumented (scripts/api-reference.js).
    const recorded = fs.readFileSync(path.join(__dirname, '__golden__', 'undocumented.txt'), 'utf8').split('\n').filter(Boolean);
    expect(recorded.filter((n) => !n.includes('.__type.'))).toEqual([]);
    const now = compile().undocumented;
    expect(now.filter((n) => !recorded.includes(n))).toEqual([]);
    expect(recorded.filter((n) => !now.includes(n))).toEqual([]);
  });

  test('every optional property of an exported interface documents its default (a @default tag)', () => {
    expect(compile().withoutDefault).toEqual([]);
  });

  test('no public props interface offers the internal propertyPath option', () => {
    expect(compile().propertyPathProps).toEqual([]);
  });

  test('no doc comment of the declarations points at a file the package does not ship', () => {
    // The tarball has dist/, the manifests chart, docs/ and the README: sources, tests and ../shared are not there.
    const dist = path.join(app.dir, 'node_modules', 'cilium-eks', 'dist');
    const pointer = /\.\.\/shared\/[^\s)]*|\bfacts\.md\b|\b(?:constructs|bpf|core|__tests__|scripts|examples|docs)\/[\w./-]+\.(?:ts|js|md)\b/g;
    const found = app.files
      .filter((f) => f.startsWith('dist/') && f.endsWith('.d.ts'))
      .flatMap((f) => [...fs.readFileSync(path.join(dist, '..', f), 'utf8').matchAll(pointer)].map((m) => `${f}: ${m[0]}`))
      .filter((hit) => !app.files.includes(hit.slice(hit.indexOf(': ') + 2)));
    expect(app.files.filter((f) => f.endsWith('.d.ts')).length).toBeGreaterThan(50);
    expect(found).toEqual([]);
  });

  test('docs/getting-started.md shows the compiled example, verbatim', () => {
    expect(GETTING_STARTED).toContain('```ts\n' + EXAMPLE + '```');
  });

  test("the README's short example is a block of lines of the compiled example", () => {
    const blocks = [...README.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
    expect(blocks).toHaveLength(1);
    // Both sides dedented: the README shows the stack's body without the class around it.
    const dedent = (lines: string[]): string => {
      const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length));
      return lines.map((l) => l.slice(indent)).join('\n');
    };
    const short = blocks[0].trimEnd().split('\n');
    const example = EXAMPLE.split('\n');
    const start = example.findIndex((l) => l.trim() === short[0].trim());
    expect(start).toBeGreaterThan(0);
    expect(dedent(short)).toBe(dedent(example.slice(start, start + short.length)));
  });
});
