/**
 * Locates the upstream reference data (`../shared/upstream` beside the repository in CI) and
 * validates objects against the schemas in it. The data is read from there, never copied in.
 *
 * Set `CILIUM_EKS_UPSTREAM` to point elsewhere. When the directory is absent, every test that
 * needs it fails with a message that says so: a green run always means the schemas were checked.
 */
import * as fs from 'fs';
import * as path from 'path';
import { createHash } from 'crypto';
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import standaloneCode from 'ajv/dist/standalone';
import { parseAllDocuments } from 'yaml';

const ROOT = path.join(__dirname, '..', '..');

/**
 * Where the upstream files are: `CILIUM_EKS_UPSTREAM`, else `.upstream/` (what
 * `npm run fetch-upstream` downloads), else `../shared/upstream` beside the repository.
 */
export const UPSTREAM_DIR = path.resolve(
  process.env.CILIUM_EKS_UPSTREAM ||
    [path.join(ROOT, '.upstream'), path.join(ROOT, '..', 'shared', 'upstream')].find((d) => fs.existsSync(d)) ||
    path.join(ROOT, '.upstream'),
);

export function upstreamPath(...parts: string[]): string {
  const p = path.join(UPSTREAM_DIR, ...parts);
  if (!fs.existsSync(p)) {
    throw new Error(
      `Upstream reference data not found: ${p}. These tests check the project against upstream ` +
        `files (CILIUM_EKS_UPSTREAM, .upstream/ or ../shared/upstream): run \`npm run fetch-upstream\` ` +
        `or set CILIUM_EKS_UPSTREAM to the directory that holds them.`,
    );
  }
  return p;
}

export function readUpstreamText(...parts: string[]): string {
  return fs.readFileSync(upstreamPath(...parts), 'utf8');
}

export function readUpstreamJson<T = unknown>(...parts: string[]): T {
  return JSON.parse(readUpstreamText(...parts)) as T;
}

/** Freezes `value` and everything in it: data shared by the tests of a file, which none may change. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

const parsed = new Map<string, readonly unknown[]>();

/**
 * Every YAML document of an upstream file, parsed once per test file (the chart values and CRDs
 * are large, and many tests read the same ones) and frozen, so no test can change another's copy.
 */
export function readUpstreamYamlDocs(...parts: string[]): readonly unknown[] {
  const key = parts.join('/');
  let docs = parsed.get(key);
  if (!docs) {
    docs = deepFreeze(parseAllDocuments(readUpstreamText(...parts)).map((d) => d.toJS({ maxAliasCount: -1 }) as unknown));
    parsed.set(key, docs);
  }
  return docs;
}

/** The one YAML document of an upstream file (a chart's values.yaml), parsed once and frozen. */
export function upstreamYaml(...parts: string[]): unknown {
  const docs = readUpstreamYamlDocs(...parts);
  if (docs.length !== 1) throw new Error(`${parts.join('/')} has ${docs.length} YAML documents, not one`);
  return docs[0];
}

const validatorCache = new Map<string, ValidateFunction>();

/** Ajv's `code.regExp`: RE2 patterns as JavaScript RegExps (support/re2-regexp.js). */
const RE2_REGEXP_MODULE = path.join(__dirname, 're2-regexp.js');
const re2Compatible = Object.assign(require(RE2_REGEXP_MODULE) as (pattern: string, flags: string) => RegExp, { code: `require(${JSON.stringify(RE2_REGEXP_MODULE)})` });

/**
 * Compiled validators are kept as code in node_modules/.cache/cilium-eks-ajv/, named by a hash of
 * the schema, the options and the Ajv version: compiling the Cilium values schema takes about
 * 0.7 s, loading its code about 0.04 s, and every test file validates against several.
 */
const AJV_CACHE = path.join(ROOT, 'node_modules', '.cache', 'cilium-eks-ajv');
const AJV_OPTIONS = { strict: false, allErrors: true, validateFormats: false } as const;
const AJV_VERSION = (require('ajv/package.json') as { version: string }).version;

function compile(key: string, schema: object): ValidateFunction {
  let v = validatorCache.get(key);
  if (!v) {
    const hash = createHash('sha256').update(JSON.stringify([AJV_VERSION, AJV_OPTIONS, RE2_REGEXP_MODULE, fs.readFileSync(RE2_REGEXP_MODULE, 'utf8'), schema])).digest('hex').slice(0, 32);
    const file = path.join(AJV_CACHE, `${hash}.js`);
    if (fs.existsSync(file)) {
      v = require(file) as ValidateFunction;
    } else {
      // strict: false because upstream schemas carry vendor keywords (x-kubernetes-*) and
      // draft-07 `$schema` markers that ajv's strict mode refuses.
      const ajv = new Ajv({ ...AJV_OPTIONS, code: { regExp: re2Compatible, source: true } });
      v = ajv.compile(schema);
      fs.mkdirSync(AJV_CACHE, { recursive: true });
      // Written whole under a temporary name, then renamed: a parallel test file never reads half a file.
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, standaloneCode(ajv, v));
      fs.renameSync(tmp, file);
    }
    validatorCache.set(key, v);
  }
  return v;
}

export function formatErrors(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`).join('\n');
}

/** Validates Helm values against the `values.schema.json` of a Cilium chart version. */
export function validateCiliumValues(chartVersion: string, values: unknown): string[] {
  const schema = readUpstreamJson<object>('cilium', chartVersion, 'values.schema.json');
  const v = compile(`cilium-values-${chartVersion}`, schema);
  return v(values) ? [] : formatErrors(v.errors).split('\n');
}

interface CrdVersion {
  name: string;
  served?: boolean;
  storage?: boolean;
  schema?: { openAPIV3Schema?: object };
}
interface Crd {
  kind?: string;
  spec?: { names?: { kind?: string }; versions?: CrdVersion[] };
}

/**
 * Validates a custom resource against the `openAPIV3Schema` of the served version its
 * `apiVersion` names, from a CRD file under the upstream directory.
 */
export function validateCustomResource(crdFile: string[], resource: { apiVersion?: string; kind?: string }): string[] {
  const crd = readUpstreamYamlDocs(...crdFile).find((d) => (d as Crd)?.kind === 'CustomResourceDefinition') as Crd | undefined;
  if (!crd?.spec?.versions) throw new Error(`No CustomResourceDefinition in ${crdFile.join('/')}`);
  const version = String(resource.apiVersion ?? '').split('/').pop();
  const served = crd.spec.versions.find((v) => v.name === version && v.served !== false);
  if (!served?.schema?.openAPIV3Schema) {
    return [`apiVersion ${resource.apiVersion} is not a served version of ${crd.spec.names?.kind}`];
  }
  if (resource.kind !== crd.spec.names?.kind) {
    return [`kind ${resource.kind} does not match CRD kind ${crd.spec.names?.kind}`];
  }
  const v = compile(`crd-${crdFile.join('/')}-${version}`, served.schema.openAPIV3Schema);
  return v(resource) ? [] : formatErrors(v.errors).split('\n');
}

/**
 * The key paths of `values` that a chart's parsed values.yaml lacks. Descends only where the chart
 * has a non-empty map that its templates read key by key; a map the templates copy whole (`toYaml`:
 * securityContexts, nodeSelector, labels, extraLabels) or an empty map `{}` takes any key.
 */
export function missingChartKeyPaths(values: unknown, chartValues: unknown, prefix = ''): string[] {
  if (typeof values !== 'object' || values === null || Array.isArray(values)) return [];
  return Object.entries(values).flatMap(([k, v]) => {
    const path = prefix === '' ? k : `${prefix}.${k}`;
    const c = chartValues as Record<string, unknown>;
    if (typeof c !== 'object' || c === null || !(k in c)) return [path];
    const cv = c[k];
    const copiedWhole = /securityContext$|^nodeSelector$|^labels$|^extraLabels$/i.test(k);
    const isMap = typeof cv === 'object' && cv !== null && !Array.isArray(cv) && Object.keys(cv).length > 0;
    return isMap && !copiedWhole ? missingChartKeyPaths(v, cv, path) : [];
  });
}
