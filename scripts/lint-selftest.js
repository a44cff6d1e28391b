#!/usr/bin/env node
/**
 * Proves the import rules of eslint.config.js still work: lints in-memory samples through ESLint's
 * Node API and exits non-zero unless every forbidden import is reported and every allowed one is not.
 * Run from anywhere: `node scripts/lint-selftest.js`; `scripts/lint.js` (`npm run lint`, `npm test`)
 * runs it after linting the project, in the same process.
 */
'use strict';
const path = require('path');
const { ESLint } = require('eslint');

const root = path.resolve(__dirname, '..');

/** [description, virtual file path (decides which config entries apply), source, expect reported, rule (default: no-restricted-imports)] */
const INSTANCEOF = 'cilium-eks/no-toolchain-instanceof';

const CASES = [
  ['root import of the AWS provider', 'constructs/sample.ts', "import { EksCluster } from '@cdktf/provider-aws';\n", true],
  ['root import of the Helm provider', 'constructs/sample.ts', "import { release } from '@cdktf/provider-helm';\n", true],
  ['root import of the Kubernetes provider', 'bpf/sample.ts', "export * from '@cdktf/provider-kubernetes';\n", true],
  ['lib index of the AWS provider', 'main.ts', "import * as aws from '@cdktf/provider-aws/lib';\n", true],
  ['root import in a test file', '__tests__/sample.test.ts', "import { provider } from '@cdktf/provider-aws';\n", true],
  ['cdktf outside constructs/cdktf.ts', 'constructs/sample.ts', "import { App } from 'cdktf';\n", true],
  ['type-only cdktf import outside constructs/cdktf.ts', 'bpf/sample.ts', "import type { IAspect } from 'cdktf';\n", true],
  ['deep import of one AWS resource', 'constructs/sample.ts', "import { EksCluster } from '@cdktf/provider-aws/lib/eks-cluster';\n", false],
  ['deep import of the Helm release', 'constructs/sample.ts', "import { Release } from '@cdktf/provider-helm/lib/release';\n", false],
  ['cdktf in constructs/cdktf.ts', 'constructs/cdktf.ts', "export { App } from 'cdktf';\n", false],
  ['cdktf in a test file', '__tests__/sample.test.ts', "import { Testing } from 'cdktf';\n", false],
  ['import through constructs/cdktf.ts', 'constructs/sample.ts', "import { App } from './cdktf';\n", false],
  ['Testing.synth in a test', '__tests__/sample.spec.ts', 'Testing.synth(stack);\n', true, 'no-restricted-syntax'],
  ['Testing.synthScope in a test', '__tests__/sample.spec.ts', 'Testing.synthScope(() => undefined);\n', true, 'no-restricted-syntax'],
  ['app.synth() in a test', '__tests__/sample.spec.ts', 'app.synth();\n', true, 'no-restricted-syntax'],
  ['synthStack in a test', '__tests__/sample.spec.ts', 'synthStack(stack);\n', false, 'no-restricted-syntax'],
  ['Testing.synth in the synth helper', '__tests__/support/synth.ts', 'Testing.synth(stack, true);\n', false, 'no-restricted-syntax'],
  ['instanceof a toolchain class', 'constructs/sample.ts', "import { TerraformResource } from './cdktf';\nexport const f = (x: unknown) => x instanceof TerraformResource;\n", true, INSTANCEOF],
  ['instanceof a provider class', 'constructs/sample.ts', "import { IamRole } from '@cdktf/provider-aws/lib/iam-role';\nexport const f = (x: unknown) => x instanceof IamRole;\n", true, INSTANCEOF],
  ['instanceof a class of a namespace import', 'bpf/sample.ts', "import * as cdktn from 'cdktn';\nexport const f = (x: unknown) => x instanceof cdktn.TerraformStack;\n", true, INSTANCEOF],
  ['instanceof Construct in a test', '__tests__/sample.test.ts', "import { Construct } from 'constructs';\nexport const f = (x: unknown) => x instanceof Construct;\n", true, INSTANCEOF],
  ['the toolchain check instead', 'constructs/sample.ts', "import { TerraformResource } from './cdktf';\nexport const f = (x: unknown) => TerraformResource.isTerraformResource(x);\n", false, INSTANCEOF],
  ['instanceof a project class', 'constructs/sample.ts', "import { Peer } from '../bpf/policy/peer';\nexport const f = (x: unknown) => x instanceof Peer;\n", false, INSTANCEOF],
];

/**
 * Lints every case with `eslint` (an ESLint instance on the project's config) and reports through
 * `log`; resolves to the number of cases that did not behave as expected.
 */
async function selfTest(eslint, log = console.log) {
  let failures = 0;
  for (const [what, file, code, expectReported, rule = 'no-restricted-imports'] of CASES) {
    const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
    const fatal = result.messages.filter((m) => m.fatal);
    const reported = result.messages.some((m) => m.ruleId === rule);
    const ok = fatal.length === 0 && reported === expectReported;
    if (!ok) failures++;
    const detail = fatal.length ? ` (parse error: ${fatal[0].message})` : '';
    log(`${ok ? 'ok  ' : 'FAIL'} ${what} [${file}]: ${reported ? 'reported' : 'not reported'}${detail}`);
  }
  // The import-graph rules (scripts/lib/import-graph.js) on small graphs: each must see what it refuses.
  const { cycles, layerViolations } = require('./lib/import-graph');
  const graph = (edges) => new Map(Object.entries(edges));
  const GRAPH_CASES = [
    ['a two-module cycle', cycles(graph({ 'core/a.ts': ['core/b.ts'], 'core/b.ts': ['core/a.ts'] })).length === 1],
    ['a three-module cycle', cycles(graph({ 'constructs/a.ts': ['constructs/b.ts'], 'constructs/b.ts': ['constructs/c.ts'], 'constructs/c.ts': ['constructs/a.ts'] })).length === 1],
    ['no cycle in a chain', cycles(graph({ 'core/a.ts': ['core/b.ts'], 'core/b.ts': [] })).length === 0],
    ['core importing bpf', layerViolations(graph({ 'core/a.ts': ['bpf/b.ts'], 'bpf/b.ts': [] })).length === 1],
    ['constructs importing core', layerViolations(graph({ 'constructs/a.ts': ['core/b.ts'], 'core/b.ts': [] })).length === 0],
  ];
  for (const [what, ok] of GRAPH_CASES) {
    if (!ok) failures++;
    log(`${ok ? 'ok  ' : 'FAIL'} import graph: ${what}`);
  }
  const total = CASES.length + GRAPH_CASES.length;
  if (failures) log(`lint-selftest: ${failures} of ${total} cases failed; the rules in eslint.config.js or scripts/lib/import-graph.js no longer hold.`);
  else log(`lint-selftest: all ${total} cases behave as expected.`);
  return failures;
}

if (require.main === module) {
  selfTest(new ESLint({ cwd: root, overrideConfigFile: path.join(root, 'eslint.config.js') }))
    .then((failures) => process.exit(failures ? 1 : 0))
    .catch((err) => {
      console.error(err);
      process.exit(1);
    });
}

module.exports = { CASES, selfTest };
