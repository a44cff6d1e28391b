/**
 * ESLint (flat config, ESLint 9) with one purpose: keep the expensive and the fork-sensitive imports
 * out of the code, so synth and test speed cannot silently regress.
 *
 * - `@cdktf/provider-aws`, `-helm`, `-kubernetes`: only deep imports of one resource,
 *   `@cdktf/provider-<name>/lib/<resource>`. The root (and `lib`/`lib/index`) loads every resource
 *   class of the provider: for AWS about 2 s and 500 MiB per process.
 * - `cdktf`: imported only by constructs/cdktf.ts (the one file a move to a fork changes), by the
 *   tests under __tests__/ and by the consumer apps under examples/ (separate apps that install the
 *   packed package and bring their own cdktf, as a platform team's stack does).
 *
 * - Tests synthesize as `cdktf synth` does: only through __tests__/support/synth.ts (`synthStack`,
 *   which fails on ERROR annotations as `cdktf synth` does; cdktf's `Testing.synth` ignores them).
 *   A direct `Testing.synth`/`synthScope`/`fullSynth` or `<app>.synth()` elsewhere under
 *   __tests__/ is an error.

 *
 * - `x instanceof <toolchain class>` (`cilium-eks/no-toolchain-instanceof`): a class imported from
 *   cdktf or CDK Terrain (`cdktf`, `cdktn`, constructs/cdktf.ts), a prebuilt provider
 *   (`@cdktf/*`, `@cdktn/*`) or `constructs`. An app on CDK Terrain can hold two copies of those
 *   classes (its own `cdktn` and the `cdktf` alias the library loads), and `instanceof` is false
 *   across copies: a resource would silently lose its provider or a dependency. The toolchain's own
 *   checks (`TerraformResource.isTerraformResource`, `TerraformStack.isStack`, `Token.isUnresolved`,
 *   `Construct.isConstruct`...) read a marker every copy shares.
 *
 * Checked by scripts/lint-selftest.js, which fails if a rule stops reporting what it forbids.
 */
const tsParser = require('@typescript-eslint/parser');

const PROVIDERS = ['aws', 'helm', 'kubernetes'];
const DEEP_IMPORT_HINT =
  "import the one resource from '@cdktf/provider-<name>/lib/<resource>' (e.g. '@cdktf/provider-aws/lib/eks-cluster'): " +
  'the root import loads every resource class of the provider (AWS: ~2 s and ~500 MiB per process).';

/** Root imports of the providers, named exactly (clearest message). */
const providerRootPaths = PROVIDERS.map((p) => ({ name: `@cdktf/provider-${p}`, message: DEEP_IMPORT_HINT }));

/**
 * Every other specifier under a provider package that is not `lib/<resource>`: `lib`, `lib/index`,
 * `lib/<resource>/index`, and `lib/<resource>/<anything>`.
 */
const providerNonDeepPatterns = [
  {
    regex: `^@cdktf/provider-(${PROVIDERS.join('|')})/(?!lib/(?!index$)[A-Za-z0-9_-]+$)`,
    message: DEEP_IMPORT_HINT,
  },
];

const cdktfPath = {
  name: 'cdktf',
  message: "import from constructs/cdktf.ts (the project's only import of the cdktf package).",
};
const cdktfPatterns = [
  // `cdktf/lib/...` subpaths bypass constructs/cdktf.ts just the same.
  { regex: '^cdktf/', message: cdktfPath.message },
];

const TS_FILES = ['**/*.ts', '**/*.mts', '**/*.cts', '**/*.tsx'];

const SYNTH_HINT = 'synthesize through __tests__/support/synth.ts (synthStack, synthStackWithErrors, synthScope, synthApp): it fails on ERROR annotations as `cdktf synth` does.';
/** Direct synth calls in tests (issue 23). */
const directSynth = [
  { selector: "CallExpression[callee.object.name='Testing'][callee.property.name=/^(synth|synthScope|fullSynth|synthHcl)$/]", message: SYNTH_HINT },
  { selector: "CallExpression[callee.property.name='synth'][arguments.length=0]", message: SYNTH_HINT },
];

/** Import sources whose classes may exist twice in one app: the toolchain, its providers, constructs. */
const TOOLCHAIN_SOURCE = /^(?:cdktf|cdktn|constructs)(?:\/.*)?$|^@cdkt[fn]\/|(?:^|\/)cdktf$/;
/** The check to use instead, per class; the rest have a static `is<Class>()` check. */
const TOOLCHAIN_CHECKS = {
  App: 'App.isApp',
  Construct: 'Construct.isConstruct',
  TerraformStack: 'TerraformStack.isStack',
  TerraformResource: 'TerraformResource.isTerraformResource',
  TerraformDataSource: 'TerraformDataSource.isTerraformDataSource',
  TerraformProvider: 'TerraformProvider.isTerraformProvider',
  TerraformOutput: 'TerraformOutput.isTerraformOutput',
  TerraformElement: 'TerraformElement.isTerraformElement',
  Token: 'Token.isUnresolved / Token.isResolvable',
};

/** `x instanceof C` where C (or `ns` of `ns.C`) is imported from {@link TOOLCHAIN_SOURCE}. */
const noToolchainInstanceof = {
  meta: {
    type: 'problem',
    schema: [],
    messages: {
      instanceof:
        '`instanceof {{name}}` is false for an object of another copy of the toolchain (an app on CDK Terrain holds two: constructs/cdktf.ts): use {{check}}.',
    },
  },
  create(context) {
    const imported = new Set();
    return {
      ImportDeclaration(node) {
        if (TOOLCHAIN_SOURCE.test(String(node.source.value))) for (const spec of node.specifiers) imported.add(spec.local.name);
      },
      BinaryExpression(node) {
        if (node.operator !== 'instanceof') return;
        const right = node.right;
        const local = right.type === 'Identifier' ? right.name : right.type === 'MemberExpression' && right.object.type === 'Identifier' ? right.object.name : undefined;
        if (local === undefined || !imported.has(local)) return;
        const name = right.type === 'MemberExpression' && right.property.type === 'Identifier' ? right.property.name : local;
        context.report({ node, messageId: 'instanceof', data: { name, check: TOOLCHAIN_CHECKS[name] ?? `the class's static is*() check` } });
      },
    };
  },
};

module.exports = [
  { ignores: ['**/node_modules/**', 'dist/**', 'cdktf.out/**', 'coverage/**', '.consumer/**', '.build/**', '.upstream/**'] },
  {
    files: ['**/*.js'],
    languageOptions: { sourceType: 'commonjs', ecmaVersion: 'latest' },
  },
  {
    files: TS_FILES,
    languageOptions: { parser: tsParser, sourceType: 'module', ecmaVersion: 'latest' },
    plugins: { 'cilium-eks': { rules: { 'no-toolchain-instanceof': noToolchainInstanceof } } },
    rules: {
      'cilium-eks/no-toolchain-instanceof': 'error',
      'no-restricted-imports': [
        'error',
        {
          paths: [...providerRootPaths, cdktfPath],
          patterns: [...providerNonDeepPatterns, ...cdktfPatterns],
        },
      ],
    },
  },
  {
    files: ['__tests__/**/*.ts'],
    ignores: ['__tests__/support/synth.ts'],
    rules: { 'no-restricted-syntax': ['error', ...directSynth] },
  },
  {
    // The allowed importers of `cdktf`: the same rule with the provider restrictions only
    // (a later flat-config entry replaces the rule's options, it does not merge them).
    files: ['constructs/cdktf.ts', '__tests__/**', 'examples/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: providerRootPaths, patterns: providerNonDeepPatterns }],
    },
  },
];
