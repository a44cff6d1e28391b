/**
 * Lifecycle tests: a sequence of synthesized configurations applied one after another on ONE
 * Terraform state by the real `terraform` binary (`terraform test`), with the AWS provider mocked
 * and the providers that have no binary here stood in by Terraform's own `terraform_data`.
 *
 *   const r = await runLifecycle('default-upgrade', () => [
 *     { name: 'create', tf: synthStack(stackA) },
 *     { name: 'upgrade', tf: synthStack(stackB), overrideData: [{ target: 'data.aws_eks_cluster.x', values: { version: '1.35' } }] },
 *   ]);
 *   expect(r.failures).toEqual([]);
 *
 * What runs (Terraform >= 1.11, `terraform test`, see docs/testing.md):
 * - each step is written as a module directory; one `run` block per step, in order, with
 *   `module { source = "./steps/<n>" }` and the same `state_key`, so every step plans and applies
 *   against the state the one before left (without `state_key` each module gets its own state);
 *   the teardown that `terraform test` runs at the end destroys that state: the destroy step.
 * - `mock_provider "aws"` once per provider configuration (default and each alias) with
 *   `mock_resource`/`mock_data` defaults where the configuration parses a value or the provider
 *   validates it ({@link AWS_MOCK_DEFAULTS}). The provider's binary is still needed (Terraform reads
 *   its schema): the offline mirror's, or the registry's on a machine that has it.
 * - helm, kubernetes, tls (any provider but aws) have no binary here: {@link standIn} rewrites each
 *   of their resources into a `terraform_data` whose `input` holds the original arguments, with
 *   `count`/`for_each`, `depends_on`, preconditions and every reference kept (so the graph keeps its
 *   shape), owned by a stand-in of its provider configuration: a module-local, aliased configuration
 *   of Terraform's built-in provider (`provider "terraform" { alias = "helm__cluster_a" }`), one per
 *   original configuration. A stand-in resource whose configuration is gone fails exactly as the
 *   real one does: "Provider configuration not present" (proven by the self-test). Data sources of
 *   those providers become locals fed by module variables (defaults: nothing found), which a step
 *   sets through `overrideData` like any mocked data source.
 * - Arguments the provider in use does not know (the bindings target AWS provider 6.x; the offline
 *   mirror holds 5.100.0) are removed and returned in {@link LifecycleResult.skew}, so version skew
 *   is listed, never silent.
 *
 * Results are cached under node_modules/.cache/cilium-eks-lifecycle: by the sources the steps are
 * synthesized from (the steps factory is not even called when none changed), then by the generated
 * files with Terraform's and the provider's versions. A warm run repeats nothing that did not change.
 */
import { spawn, spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ClusterState, dataSourceValues } from './plan-state';
import type { TfJson } from './synth';
import { terraformBinary } from './terraform';

const ROOT = path.join(__dirname, '..', '..');
const CACHE = path.join(ROOT, 'node_modules', '.cache', 'cilium-eks-lifecycle');
const MIN_TERRAFORM = [1, 11];

// ---------------------------------------------------------------------------------------------
// Public API

/** A data source's answer for one step, as `override_data` gives it. */
export interface OverrideData {
  /** The data source's address as synthesized, e.g. `data.aws_eks_clusters.cluster_plan-gate_clusters_640D5AD4`. */
  readonly target: string;
  /** Its computed attributes (for a stood-in data source, e.g. kubernetes_resources: `{ objects: [...] }`). */
  readonly values: Readonly<Record<string, unknown>>;
}

/** One configuration of a sequence: a `run` block of `terraform test`. */
export interface LifecycleStep {
  /** The run block's name: lower case letters, digits, `-`, `_`; unique in the sequence. */
  readonly name: string;
  /** The synthesized Terraform JSON (text from `synthStack` or parsed). */
  readonly tf: string | object;
  /** @default 'apply' */
  readonly command?: 'apply' | 'plan';
  /** Checkable objects expected to fail (e.g. `terraform_data.x`, a gated `helm_release.y`): as synthesized; stand-ins are mapped. @default - none */
  readonly expectFailures?: readonly string[];
  /** Data source answers for this step. @default - the mocks' defaults (and nothing found for stood-in data sources) */
  readonly overrideData?: readonly OverrideData[];
  /**
   * Outputs added to the step's module: name -> HCL expression over its addresses as synthesized
   * (stand-ins mapped). An assert reads them as `output.<name>`, a later step as `run.<step>.<name>`.
   * @default - none
   */
  readonly outputs?: Readonly<Record<string, string>>;
  /** HCL conditions asserted after the step, over the module's addresses as synthesized (stand-ins mapped). @default - none */
  readonly asserts?: readonly { readonly condition: string; readonly errorMessage: string }[];
}

/** What a sequence gave. */
export interface LifecycleResult {
  /** Whether `terraform test` passed (every run block and the teardown). */
  readonly passed: boolean;
  /** Each run block's outcome, by step name, as `terraform test` printed it. */
  readonly runs: Readonly<Record<string, string>>;
  /** Every call of a stubbed command ({@link STUBBED_COMMANDS}) by a provisioner, in order, as `cmd arg...`. */
  readonly commands: readonly string[];
  /** The `Error:` summaries of the output (empty when it passed). */
  readonly failures: readonly string[];
  /** `terraform test`'s output. */
  readonly output: string;
  /** Arguments removed because the provider in use does not know them (`<type>.<path>`), sorted. */
  readonly skew: readonly string[];
  /** Blocks of the configuration left out of the run, each with the reason (e.g. `import` blocks), sorted. */
  readonly notModelled: readonly string[];
  /** The AWS provider the sequence ran with. */
  readonly provider: { readonly version: string; readonly from: 'mirror' | 'registry' };
  /** Terraform's version line. */
  readonly terraform: string;
  /** Whether the result was read back from the cache. */
  readonly cached: boolean;
}

/** Options of {@link runLifecycle}. */
export interface LifecycleOptions {
  /**
   * Sources (relative to the repository) whose content decides whether the steps factory must run.
   * @default {@link LIFECYCLE_SOURCES}
   */
  readonly sources?: readonly string[];
}

/**
 * Where the steps of a sequence come from: every source a synthesized step depends on. A spec that
 * calls {@link runLifecycle} with a factory lives at `__tests__/lifecycle*.ts` so it is covered.
 */
export const LIFECYCLE_SOURCES: readonly string[] = ['constructs', 'bpf', 'core', 'examples', 'main.ts', 'index.ts', 'package-lock.json', '__tests__/support', '__tests__/lifecycle'];

/**
 * Runs `steps` in order on one state with `terraform test`, then its teardown (the destroy).
 * `steps` may be a factory: it is called only when a source in {@link LifecycleOptions.sources}
 * changed since the cached result.
 */
export async function runLifecycle(name: string, steps: readonly LifecycleStep[] | (() => readonly LifecycleStep[]), options: LifecycleOptions = {}): Promise<LifecycleResult> {
  if (!/^[a-z0-9][a-z0-9_-]*$/.test(name)) throw new Error(`runLifecycle: name ${JSON.stringify(name)}: lower case letters, digits, - and _`);
  const env = environment();
  // The harness itself (mocks, stand-ins) is an input of every sequence.
  const harness = fs.readFileSync(__filename, 'utf8');
  const sourceKey = hash([name, env.terraform, env.provider, harness, typeof steps === 'function' ? sourcesHash(options.sources ?? LIFECYCLE_SOURCES) : JSON.stringify(steps)]);
  const bySources = path.join(CACHE, `${name}-s-${sourceKey}.json`);
  const hit = readCached(bySources);
  if (hit) return hit;
  const files = writeSequence(typeof steps === 'function' ? steps() : steps, env);
  const fileKey = hash([name, env.terraform, env.provider, harness, JSON.stringify(files.files)]);
  const byFiles = path.join(CACHE, `${name}-f-${fileKey}.json`);
  const result = readCached(byFiles) ?? (await execute(name, files, env, byFiles));
  writeCached(bySources, { ...result, cached: false });
  return result;
}

/**
 * A Jest timeout for a test that waits for sequences: a cold run on a busy 2-core machine takes
 * minutes (each run block starts the AWS provider); a warm one reads the cache.
 */
export const LIFECYCLE_TIMEOUT_MS = 20 * 60 * 1000;

// ---------------------------------------------------------------------------------------------
// Environment: terraform, the AWS provider

export interface Environment {
  readonly terraform: string;
  readonly provider: { readonly version: string; readonly from: 'mirror' | 'registry' };
  /** The AWS provider's schema (arguments per type), when the provider differs from the bindings' major. */
  readonly mirror?: string;
}

let environmentMemo: Environment | undefined;

/** The binding's AWS provider version (@cdktf/provider-aws's `terraform.required_providers` pin). */
function boundAwsVersion(): string {
  // Every synthesized stack pins the version the bindings were generated for.
  const pkg = JSON.parse(fs.readFileSync(require.resolve('@cdktf/provider-aws/package.json'), 'utf8')) as { cdktf?: { provider?: { version?: string } } };
  const v = pkg.cdktf?.provider?.version;
  if (!v) throw new Error('lifecycle: @cdktf/provider-aws/package.json names no provider version (cdktf.provider.version)');
  return v;
}

/** Terraform's version and where the AWS provider comes from; fails loudly with what to install. */
export function environment(): Environment {
  if (environmentMemo) return environmentMemo;
  const bin = terraformBinary();
  const terraform = spawnSync(bin, ['version'], { encoding: 'utf8', env: { ...process.env, CHECKPOINT_DISABLE: '1', TF_CLI_CONFIG_FILE: '/dev/null' } }).stdout.split('\n')[0].trim();
  const v = /v(\d+)\.(\d+)\.(\d+)/.exec(terraform);
  if (!v || Number(v[1]) < MIN_TERRAFORM[0] || (Number(v[1]) === MIN_TERRAFORM[0] && Number(v[2]) < MIN_TERRAFORM[1])) {
    throw new Error(`lifecycle tests need terraform >= ${MIN_TERRAFORM.join('.')} (run blocks share a state through state_key, new in 1.11); found: ${terraform}. Install it (https://developer.hashicorp.com/terraform/install) or set TERRAFORM`);
  }
  const mirror = process.env.TF_PLUGIN_MIRROR ?? '/opt/tf-plugins';
  const versions = fs.existsSync(path.join(mirror, 'registry.terraform.io', 'hashicorp', 'aws')) ? fs.readdirSync(path.join(mirror, 'registry.terraform.io', 'hashicorp', 'aws')) : [];
  if (versions.length > 0) {
    const newest = versions.sort((a, b) => a.localeCompare(b, undefined, { numeric: true })).at(-1)!;
    environmentMemo = { terraform, provider: { version: newest, from: 'mirror' }, mirror };
  } else if (process.env.CILIUM_EKS_TF_REGISTRY === '1') {
    environmentMemo = { terraform, provider: { version: boundAwsVersion(), from: 'registry' } };
  } else {
    throw new Error(
      `lifecycle tests need the AWS provider's binary (mock_provider reads its schema) and found none: no filesystem mirror at ${mirror} (TF_PLUGIN_MIRROR). ` +
        `Either make one (\`terraform providers mirror <dir>\` in a directory whose configuration requires hashicorp/aws ${boundAwsVersion()}) and set TF_PLUGIN_MIRROR to it, ` +
        `or set CILIUM_EKS_TF_REGISTRY=1 to let terraform download hashicorp/aws ${boundAwsVersion()} from the registry.`,
    );
  }
  return environmentMemo;
}

function cliConfig(env: Environment): string {
  if (!env.mirror) return '';
  return `provider_installation {\n  filesystem_mirror {\n    path    = ${JSON.stringify(env.mirror)}\n    include = ["registry.terraform.io/hashicorp/aws"]\n  }\n}\n`;
}

/** Argument names per AWS type (nested blocks as children), read once from the provider in use. */
export interface SchemaBlock {
  readonly attributes?: Record<string, unknown>;
  readonly block_types?: Record<string, { readonly block: SchemaBlock }>;
}
export interface AwsSchema {
  readonly provider: SchemaBlock;
  readonly resource_schemas: Record<string, { readonly block: SchemaBlock }>;
  readonly data_source_schemas: Record<string, { readonly block: SchemaBlock }>;
}

function skeleton(block: SchemaBlock): SchemaBlock {
  return {
    attributes: Object.fromEntries(Object.keys(block.attributes ?? {}).map((k) => [k, 1])),
    block_types: Object.fromEntries(Object.entries(block.block_types ?? {}).map(([k, b]) => [k, { block: skeleton(b.block) }])),
  };
}

let schemaMemo: AwsSchema | undefined;

/** The AWS provider's schema (argument names only), cached per Terraform and provider version. */
export function awsProviderSchema(env: Environment): AwsSchema {
  if (schemaMemo) return schemaMemo;
  const file = path.join(CACHE, `aws-schema-${hash([env.terraform, env.provider])}.json`);
  if (fs.existsSync(file)) return (schemaMemo = JSON.parse(fs.readFileSync(file, 'utf8')) as AwsSchema);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cilium-eks-schema-'));
  try {
    fs.writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify({ terraform: { required_providers: { aws: { source: 'hashicorp/aws', version: env.provider.version } } } }));
    fs.writeFileSync(path.join(dir, '.terraformrc'), cliConfig(env));
    const tfEnv = terraformEnv(dir);
    const init = spawnSync(terraformBinary(), ['init', '-input=false', '-no-color', '-backend=false'], { cwd: dir, env: tfEnv, encoding: 'utf8' });
    if (init.status !== 0) throw new Error(`lifecycle: terraform init for the AWS provider ${env.provider.version} (${env.provider.from}) failed:\n${init.stdout}\n${init.stderr}`);
    const out = spawnSync(terraformBinary(), ['providers', 'schema', '-json'], { cwd: dir, env: tfEnv, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
    if (out.status !== 0) throw new Error(`lifecycle: terraform providers schema failed:\n${out.stderr}`);
    const full = JSON.parse(out.stdout) as { provider_schemas: Record<string, { provider: { block: SchemaBlock }; resource_schemas: Record<string, { block: SchemaBlock }>; data_source_schemas: Record<string, { block: SchemaBlock }> }> };
    const aws = full.provider_schemas['registry.terraform.io/hashicorp/aws'];
    const map = (m: Record<string, { block: SchemaBlock }>) => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, { block: skeleton(v.block) }]));
    schemaMemo = { provider: skeleton(aws.provider.block), resource_schemas: map(aws.resource_schemas), data_source_schemas: map(aws.data_source_schemas) };
    writeAtomic(file, JSON.stringify(schemaMemo));
    return schemaMemo;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function terraformEnv(dir: string): NodeJS.ProcessEnv {
  return { ...process.env, TF_CLI_CONFIG_FILE: path.join(dir, '.terraformrc'), CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1' };
}

/** The failures of `r` with Terraform's output, for a test's message; `undefined` when it passed. */
export function lifecycleFailure(r: LifecycleResult): string | undefined {
  return r.passed ? undefined : `terraform test failed (${Object.entries(r.runs).map(([k, v]) => `${k}: ${v}`).join(', ')}):\n${r.output}`;
}

// ---------------------------------------------------------------------------------------------
// Addresses and running-cluster answers

/** The address of the one data source of `type` whose construct path ends with `pathSuffix` (as support/synth.ts's `resource`). */
export function dataAddress(tf: TfJson, type: string, pathSuffix: string): string {
  const wanted = pathSuffix.replace(/\//g, '_');
  const keys = Object.keys(tf.data?.[type] ?? {}).filter((k) => {
    const logical = k.replace(/_[0-9A-F]{8}$/, '');
    return logical === wanted || logical.endsWith(`_${wanted}`);
  });
  if (keys.length !== 1) throw new Error(`expected one data.${type} at */${pathSuffix}, found ${keys.length}: ${Object.keys(tf.data?.[type] ?? {}).join(', ')}`);
  return `data.${type}.${keys[0]}`;
}

/**
 * The data source answers that make a configuration's plan gates see `state` (the running cluster,
 * its objects, add-ons and subnets), as {@link OverrideData}: the same reading of the state as the
 * plan-gate tests' (support/plan-state.ts), so the two layers agree on what a state means.
 */
export function runningState(tf: TfJson, state: ClusterState): OverrideData[] {
  const out: OverrideData[] = [];
  for (const [address, value] of dataSourceValues(tf, state)) {
    const type = address.split('.')[1];
    // A counted data source's value is the list of its instances; override_data gives one instance's attributes.
    const one = Array.isArray(value) ? (value[0] as Record<string, unknown> | undefined) : (value as Record<string, unknown>);
    if (type === 'kubernetes_resources') out.push({ target: address, values: { objects: (one?.objects as unknown[] | undefined) ?? [] } });
    // override_data replaces the mock's answer: what it does not set starts from the mock's defaults.
    else if (one) out.push({ target: address, values: { ...(AWS_MOCK_DEFAULTS.data[type] ?? {}), ...Object.fromEntries(Object.entries(one).filter(([k]) => !['name', 'id', 'addon_name'].includes(k))) } });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Version skew

const RESOURCE_META = new Set(['count', 'for_each', 'depends_on', 'provider', 'lifecycle', 'provisioner', 'connection']);

/** Removes from `block` every argument `schema` does not know; records `<at>.<path>`. */
function stripBlock(block: Record<string, unknown>, schema: SchemaBlock, at: string, meta: ReadonlySet<string>, removed: Set<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(block)) {
    if (meta.has(key) || (schema.attributes && key in schema.attributes)) {
      out[key] = value;
    } else if (schema.block_types && key in schema.block_types) {
      const inner = schema.block_types[key].block;
      const one = (v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? stripBlock(v as Record<string, unknown>, inner, `${at}.${key}`, new Set(), removed) : v);
      out[key] = Array.isArray(value) ? value.map(one) : one(value);
    } else {
      removed.add(`${at}.${key}`);
    }
  }
  return out;
}

/** The configuration with what the AWS provider in use does not know removed, and the list of it. */
export function stripUnknownAwsArguments(tf: Record<string, unknown>, schema: AwsSchema): { tf: Record<string, unknown>; removed: string[] } {
  const removed = new Set<string>();
  const out: Record<string, unknown> = { ...tf };
  for (const [kind, schemas] of [
    ['resource', schema.resource_schemas],
    ['data', schema.data_source_schemas],
  ] as const) {
    const blocks = tf[kind] as Record<string, Record<string, Record<string, unknown>>> | undefined;
    if (!blocks) continue;
    out[kind] = Object.fromEntries(
      Object.entries(blocks).map(([type, byName]) => {
        if (!type.startsWith('aws_')) return [type, byName];
        const s = schemas[type];
        if (!s) throw new Error(`lifecycle: ${kind} type ${type} is unknown to the AWS provider in use: it exists only in a newer provider (run with one: CILIUM_EKS_TF_REGISTRY=1, or a mirror of it)`);
        const at = kind === 'data' ? `data.${type}` : type;
        return [type, Object.fromEntries(Object.entries(byName).map(([n, b]) => [n, stripBlock(b, s.block, at, RESOURCE_META, removed)]))];
      }),
    );
  }
  const providers = tf.provider as Record<string, Record<string, unknown>[]> | undefined;
  if (providers?.aws) out.provider = { ...providers, aws: providers.aws.map((p) => stripBlock(p, schema.provider, 'provider.aws', new Set(['alias']), removed)) };
  return { tf: out, removed: [...removed].sort() };
}

// ---------------------------------------------------------------------------------------------
// Stand-ins

/** Computed attributes of stood-in resources that their provider marks sensitive (provider docs). */
const SENSITIVE_COMPUTED: Readonly<Record<string, readonly string[]>> = {
  // registry.terraform.io/providers/hashicorp/tls/latest/docs/resources/private_key: private_key_pem, private_key_openssh, private_key_pem_pkcs8 are sensitive.
  tls_private_key: ['private_key_pem', 'private_key_openssh', 'private_key_pem_pkcs8'],
};

/** What a stood-in data source returns when a step says nothing: nothing found. */
const STANDIN_DATA_DEFAULTS: Readonly<Record<string, Record<string, unknown>>> = {
  kubernetes_resources: { objects: [] },
};

/** The name of the stand-in `terraform_data` of `<type>.<name>`. */
export function standInName(type: string, name: string): string {
  return `${type}__${name}`;
}

/** The module variable that feeds the stood-in data source `data.<type>.<name>`. */
export function standInDataVariable(type: string, name: string): string {
  return `standin_data__${type}__${name}`;
}

const standInProviderAlias = (type: string, alias: string | undefined) => `${type}__${alias ?? 'default'}`;

type Json = Record<string, unknown>;

/** Deep-maps every string of `value`. */
function mapStrings(value: unknown, f: (s: string) => string): unknown {
  if (typeof value === 'string') return f(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, f));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, f)]));
  return value;
}

const isAws = (type: string) => type.startsWith('aws_');
const isBuiltin = (type: string) => type === 'terraform_data' || type === 'terraform_remote_state';

/**
 * Rewrites every resource, data source and provider configuration of a provider without a binary
 * here (anything but aws and Terraform's built-ins) into stand-ins of Terraform's own. Returns the
 * configuration and the variables (stood-in data sources) it declares.
 */
export function standIn(tf: Json): { tf: Json; dataVariables: Record<string, unknown> } {
  const resources = (tf.resource ?? {}) as Record<string, Record<string, Json>>;
  const data = (tf.data ?? {}) as Record<string, Record<string, Json>>;
  const providers = (tf.provider ?? {}) as Record<string, Json[]>;
  const standInTypes = new Set([...Object.keys(resources), ...Object.keys(data)].filter((t) => !isAws(t) && !isBuiltin(t)));
  const resourceNames = new Map<string, Json>();
  for (const t of Object.keys(resources)) if (standInTypes.has(t)) for (const [n, b] of Object.entries(resources[t])) resourceNames.set(`${t}.${n}`, b);
  const dataNames = new Set<string>();
  for (const t of Object.keys(data)) if (standInTypes.has(t)) for (const n of Object.keys(data[t])) dataNames.add(`${t}.${n}`);

  // A reference: [data.]<type>.<name>, an optional index, an optional attribute and the rest of its traversal.
  const ref = /\b(data\.)?([a-z][a-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_-]*)(\[[^\]]*\])?(\.[A-Za-z_][A-Za-z0-9_]*)?((?:\.[A-Za-z_][A-Za-z0-9_]*|\[[^\]]*\])*)/g;
  const rewrite = (s: string): string =>
    s.replace(ref, (whole, isData: string | undefined, type: string, name: string, index = '', attr = '', rest = '') => {
      const key = `${type}.${name}`;
      if (isData) {
        if (!dataNames.has(key)) return whole;
        return `local.${standInDataVariable(type, name)}${index}${attr}${rest}`;
      }
      const block = resourceNames.get(key);
      if (!block) return whole;
      const target = `terraform_data.${standInName(type, name)}${index}`;
      if (!attr) return `${target}${rest}`;
      const a = attr.slice(1);
      if (a in block) return `${target}.output.${a}${rest}`;
      // A computed attribute: unknown until the stand-in is created, as the real one is (its id).
      if (rest) throw new Error(`lifecycle stand-in: ${whole}: a traversal into a computed attribute of a stood-in resource is not modelled (add it to standIn)`);
      return (SENSITIVE_COMPUTED[type] ?? []).includes(a) ? `sensitive(${target}.id)` : `${target}.id`;
    });

  const out: Json = mapStrings(Object.fromEntries(Object.entries(tf).filter(([k]) => k !== 'resource' && k !== 'data' && k !== 'provider')), rewrite) as Json;
  const outResources: Record<string, Record<string, Json>> = {};
  const standIns: Record<string, Json> = {};
  const usedProviders = new Set<string>();
  for (const [type, byName] of Object.entries(resources)) {
    if (!standInTypes.has(type)) {
      outResources[type] = mapStrings(byName, rewrite) as Record<string, Json>;
      continue;
    }
    for (const [name, block] of Object.entries(byName)) {
      const { count, for_each, depends_on, provider, lifecycle, ...args } = block as Json & { provider?: string; depends_on?: string[] };
      const providerType = type.split('_')[0];
      const alias = provider ? provider.split('.')[1] : undefined;
      if (provider && provider.split('.')[0] !== providerType) throw new Error(`lifecycle stand-in: ${type}.${name} uses provider ${provider}, not of its type's provider`);
      const pAlias = standInProviderAlias(providerType, alias);
      usedProviders.add(`${providerType}.${alias ?? ''}`);
      const providerConfig = (providers[providerType] ?? []).find((p) => p.alias === alias) ?? {};
      const { alias: _alias, ...providerArgs } = providerConfig;
      standIns[standInName(type, name)] = mapStrings(
        {
          ...(count !== undefined ? { count } : {}),
          ...(for_each !== undefined ? { for_each } : {}),
          provider: `terraform.${pAlias}`,
          // The provider configuration's arguments ride along: its references (the cluster's endpoint) stay edges of the graph.
          input: { ...args, __provider: providerArgs },
          ...(depends_on ? { depends_on: depends_on.filter((d) => !d.startsWith('data.') || !dataNames.has(d.slice(5))) } : {}),
          ...(lifecycle ? { lifecycle: standInLifecycle(lifecycle as Json, `${type}.${name}`) } : {}),
        },
        rewrite,
      ) as Json;
    }
  }
  if (Object.keys(standIns).length > 0) outResources.terraform_data = { ...(outResources.terraform_data ?? {}), ...standIns };
  if (Object.keys(outResources).length > 0) out.resource = outResources;

  const outData: Record<string, Record<string, Json>> = {};
  const locals: Json = { ...((out.locals as Json | undefined) ?? {}) };
  const variables: Json = { ...((out.variable as Json | undefined) ?? {}) };
  const dataVariables: Record<string, unknown> = {};
  for (const [type, byName] of Object.entries(data)) {
    if (!standInTypes.has(type)) {
      outData[type] = mapStrings(byName, rewrite) as Record<string, Json>;
      continue;
    }
    const defaults = STANDIN_DATA_DEFAULTS[type];
    if (!defaults) throw new Error(`lifecycle stand-in: no default answer for data source type ${type} (add it to STANDIN_DATA_DEFAULTS)`);
    for (const [name, block] of Object.entries(byName)) {
      const { count, for_each, depends_on: _d, provider: _p, lifecycle, ...args } = block;
      if (for_each !== undefined || lifecycle !== undefined) throw new Error(`lifecycle stand-in: data.${type}.${name}: for_each and lifecycle on a stood-in data source are not modelled`);
      const variable = standInDataVariable(type, name);
      variables[variable] = { type: 'any', default: defaults };
      dataVariables[variable] = defaults;
      // Its arguments as a local of their own (templates stay templates), merged with the answer.
      locals[`${variable}__arguments`] = mapStrings(args, rewrite);
      const one = `merge(local.${variable}__arguments, var.${variable})`;
      locals[variable] = count === undefined ? `\${${one}}` : `\${[for i in range(${unwrapExpression(rewrite(String(count)))}) : ${one}]}`;
    }
  }
  if (Object.keys(outData).length > 0) out.data = outData;
  if (Object.keys(locals).length > 0) out.locals = locals;
  if (Object.keys(variables).length > 0) out.variable = variables;

  const outProviders: Record<string, Json[]> = {};
  for (const [type, configs] of Object.entries(providers)) {
    if (type === 'aws') outProviders[type] = mapStrings(configs, rewrite) as Json[];
    else for (const c of configs) usedProviders.add(`${type}.${(c.alias as string | undefined) ?? ''}`);
  }
  const builtin = [...usedProviders].sort().map((p) => ({ alias: standInProviderAlias(p.split('.')[0], p.split('.')[1] || undefined) }));
  if (builtin.length > 0) outProviders.terraform = builtin;
  if (Object.keys(outProviders).length > 0) out.provider = outProviders;
  return { tf: out, dataVariables };
}

/** `${expr}` -> `expr`; a literal stays a literal. */
function unwrapExpression(s: string): string {
  const m = /^\$\{([\s\S]*)\}$/.exec(s);
  return m ? m[1] : s;
}

/** A stand-in keeps preconditions and postconditions (`self.<arg>` read from its input) and create_before_destroy/prevent_destroy. */
function standInLifecycle(lifecycle: Json, at: string): Json {
  const out: Json = {};
  for (const [k, v] of Object.entries(lifecycle)) {
    if (k === 'precondition' || k === 'postcondition') out[k] = mapStrings(v, (s) => s.replace(/\bself\.([A-Za-z_][A-Za-z0-9_]*)/g, 'self.output.$1'));
    else if (k === 'create_before_destroy' || k === 'prevent_destroy') out[k] = v;
    else if (k === 'ignore_changes' && Array.isArray(v) && v.length > 0) out[k] = ['input'];
    else if (k !== 'ignore_changes') throw new Error(`lifecycle stand-in: ${at}: lifecycle.${k} is not modelled`);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// HCL for the test file

/** A value as an HCL expression; strings are literal (template sequences escaped). */
export function hclValue(v: unknown, indent = ''): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return JSON.stringify(v).replace(/\$\{/g, '$${').replace(/%\{/g, '%%{');
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  const next = `${indent}  `;
  if (Array.isArray(v)) return v.length === 0 ? '[]' : `[\n${v.map((x) => `${next}${hclValue(x, next)}`).join(',\n')}\n${indent}]`;
  const entries = Object.entries(v as Json);
  return entries.length === 0 ? '{}' : `{\n${entries.map(([k, x]) => `${next}${JSON.stringify(k)} = ${hclValue(x, next)}`).join('\n')}\n${indent}}`;
}

// ---------------------------------------------------------------------------------------------
// Mocks

/**
 * `mock_resource`/`mock_data` defaults: values the provider validates or the configuration parses
 * (ARNs split on `:` and `/`, `lt-` ids, semantic versions, zone ids, CIDRs), and non-empty nested
 * lists the configuration indexes (`[0]`). Everything else is the mock's own generated value.
 */
export const AWS_MOCK_DEFAULTS: { readonly resources: Readonly<Record<string, Json>>; readonly data: Readonly<Record<string, Json>> } = {
  resources: {
    aws_eks_cluster: {
      arn: 'arn:aws:eks:eu-west-1:111122223333:cluster/mock',
      endpoint: 'https://0123456789ABCDEF0123456789ABCDEF.gr7.eu-west-1.eks.amazonaws.com',
      certificate_authority: [{ data: 'bW9jaw==' }],
      identity: [{ oidc: [{ issuer: 'https://oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF' }] }],
      // A configured block is mocked as one object (its computed attributes), a computed list as a list.
      vpc_config: { cluster_security_group_id: 'sg-0123456789abcdef0', vpc_id: 'vpc-0123456789abcdef0' },
      platform_version: 'eks.1',
    },
    aws_eks_node_group: {
      arn: 'arn:aws:eks:eu-west-1:111122223333:nodegroup/mock/mock/00000000-0000-0000-0000-000000000000',
      resources: [{ autoscaling_groups: [{ name: 'eks-mock-00000000-0000-0000-0000-000000000000' }], remote_access_security_group_id: '' }],
    },
    aws_eks_addon: { arn: 'arn:aws:eks:eu-west-1:111122223333:addon/mock/mock/00000000-0000-0000-0000-000000000000', configuration_values: '' },
    aws_eks_access_entry: { access_entry_arn: 'arn:aws:eks:eu-west-1:111122223333:access-entry/mock/role/111122223333/mock/00000000-0000-0000-0000-000000000000' },
    aws_eks_pod_identity_association: { association_arn: 'arn:aws:eks:eu-west-1:111122223333:podidentityassociation/mock/a-0000000000000000', association_id: 'a-0000000000000000' },
    aws_iam_role: { arn: 'arn:aws:iam::111122223333:role/mock', unique_id: 'AROAMOCKMOCKMOCKMOCK0' },
    aws_iam_policy: { arn: 'arn:aws:iam::111122223333:policy/mock', policy_id: 'ANPAMOCKMOCKMOCKMOCK0' },
    aws_iam_openid_connect_provider: { arn: 'arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF' },
    aws_kms_key: { arn: 'arn:aws:kms:eu-west-1:111122223333:key/00000000-0000-0000-0000-000000000000', key_id: '00000000-0000-0000-0000-000000000000' },
    aws_kms_alias: { arn: 'arn:aws:kms:eu-west-1:111122223333:alias/mock' },
    aws_sqs_queue: { arn: 'arn:aws:sqs:eu-west-1:111122223333:mock', url: 'https://sqs.eu-west-1.amazonaws.com/111122223333/mock' },
    aws_cloudwatch_event_rule: { arn: 'arn:aws:events:eu-west-1:111122223333:rule/mock' },
    aws_cloudwatch_log_group: { arn: 'arn:aws:logs:eu-west-1:111122223333:log-group:mock' },
    aws_cloudformation_stack: { id: 'arn:aws:cloudformation:eu-west-1:111122223333:stack/mock/00000000-0000-0000-0000-000000000000', outputs: {} },
    aws_launch_template: { id: 'lt-0123456789abcdef0', arn: 'arn:aws:ec2:eu-west-1:111122223333:launch-template/lt-0123456789abcdef0', latest_version: 1, default_version: 1 },
    aws_vpc: { id: 'vpc-0123456789abcdef0', arn: 'arn:aws:ec2:eu-west-1:111122223333:vpc/vpc-0123456789abcdef0', ipv6_cidr_block: '' },
    aws_subnet: { id: 'subnet-0123456789abcdef0', arn: 'arn:aws:ec2:eu-west-1:111122223333:subnet/subnet-0123456789abcdef0' },
    aws_security_group: { id: 'sg-0123456789abcdef0', arn: 'arn:aws:ec2:eu-west-1:111122223333:security-group/sg-0123456789abcdef0' },
    aws_internet_gateway: { id: 'igw-0123456789abcdef0', arn: 'arn:aws:ec2:eu-west-1:111122223333:internet-gateway/igw-0123456789abcdef0' },
    aws_nat_gateway: { id: 'nat-0123456789abcdef0' },
    aws_eip: { id: 'eipalloc-0123456789abcdef0', allocation_id: 'eipalloc-0123456789abcdef0', public_ip: '203.0.113.10' },
    aws_route_table: { id: 'rtb-0123456789abcdef0', arn: 'arn:aws:ec2:eu-west-1:111122223333:route-table/rtb-0123456789abcdef0' },
    aws_vpc_peering_connection: { id: 'pcx-0123456789abcdef0' },
    aws_lb: { arn: 'arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/net/mock/0123456789abcdef', dns_name: 'mock-0123456789abcdef.elb.eu-west-1.amazonaws.com', zone_id: 'Z2IFOLAFXWLO4F' },
    aws_lb_target_group: { arn: 'arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/mock/0123456789abcdef' },
    aws_route53_zone: { zone_id: 'Z0123456789ABCDEFGHIJ', arn: 'arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ' },
  },
  data: {
    // A session of main.ts's admin role: the stack's admin check (a `check` block, an error under
    // terraform test when it fails) warns when whoever runs Terraform is none of `admins`.
    aws_caller_identity: { account_id: '111122223333', arn: 'arn:aws:sts::111122223333:assumed-role/platform-admin/session', user_id: 'AROAMOCKMOCKMOCKMOCK0:session' },
    aws_iam_session_context: { arn: 'arn:aws:sts::111122223333:assumed-role/platform-admin/session', issuer_arn: 'arn:aws:iam::111122223333:role/platform-admin', issuer_name: 'platform-admin' },
    aws_partition: { partition: 'aws', dns_suffix: 'amazonaws.com', reverse_dns_prefix: 'com.amazonaws' },
    aws_region: { name: 'eu-west-1', region: 'eu-west-1' },
    aws_availability_zones: { names: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'], zone_ids: ['euw1-az1', 'euw1-az2', 'euw1-az3'] },
    aws_eks_addon_version: { version: 'v1.0.0-eksbuild.1' },
    aws_eks_clusters: { names: [] },
    aws_ssm_parameter: { value: 'ami-0123456789abcdef0', insecure_value: 'ami-0123456789abcdef0' },
    aws_kms_key: { arn: 'arn:aws:kms:eu-west-1:111122223333:key/00000000-0000-0000-0000-000000000000', id: '00000000-0000-0000-0000-000000000000' },
    aws_cloudwatch_log_groups: { log_group_names: [], arns: [] },
    aws_subnet: { available_ip_address_count: 16000, cidr_block: '10.0.0.0/18', availability_zone: 'eu-west-1a', availability_zone_id: 'euw1-az1', vpc_id: 'vpc-0123456789abcdef0' },
    aws_vpc: { cidr_block: '10.0.0.0/16', id: 'vpc-0123456789abcdef0', arn: 'arn:aws:ec2:eu-west-1:111122223333:vpc/vpc-0123456789abcdef0' },
    aws_eks_cluster: {
      version: '1.35',
      arn: 'arn:aws:eks:eu-west-1:111122223333:cluster/mock',
      endpoint: 'https://0123456789ABCDEF0123456789ABCDEF.gr7.eu-west-1.eks.amazonaws.com',
      certificate_authority: [{ data: 'bW9jaw==' }],
      identity: [{ oidc: [{ issuer: 'https://oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF' }] }],
      kubernetes_network_config: [{ service_ipv4_cidr: '172.20.0.0/16', ip_family: 'ipv4' }],
      vpc_config: [{ cluster_security_group_id: 'sg-0123456789abcdef0', vpc_id: 'vpc-0123456789abcdef0', subnet_ids: ['subnet-0123456789abcdef0'], security_group_ids: [] }],
    },
    aws_eks_node_group: {
      arn: 'arn:aws:eks:eu-west-1:111122223333:nodegroup/mock/mock/00000000-0000-0000-0000-000000000000',
      node_role_arn: 'arn:aws:iam::111122223333:role/mock-node',
      resources: [{ autoscaling_groups: [{ name: 'eks-mock-00000000-0000-0000-0000-000000000000' }], remote_access_security_group_id: '' }],
      scaling_config: [{ desired_size: 2, max_size: 4, min_size: 2 }],
      status: 'ACTIVE',
    },
    aws_eks_addon: { configuration_values: '', service_account_role_arn: '', pod_identity_association: [] },
    aws_iam_policy_document: { json: '{"Version":"2012-10-17","Statement":[]}' },
    aws_service_principal: { name: 'ec2.amazonaws.com' },
  },
};

function mockBlocks(awsAliases: readonly (string | undefined)[], types: { resources: Set<string>; data: Set<string> }): string {
  const body = [
    ...[...types.resources].sort().flatMap((t) => (AWS_MOCK_DEFAULTS.resources[t] ? [`  mock_resource ${JSON.stringify(t)} {\n    defaults = ${hclValue(AWS_MOCK_DEFAULTS.resources[t], '    ')}\n  }`] : [])),
    ...[...types.data].sort().flatMap((t) => (AWS_MOCK_DEFAULTS.data[t] ? [`  mock_data ${JSON.stringify(t)} {\n    defaults = ${hclValue(AWS_MOCK_DEFAULTS.data[t], '    ')}\n  }`] : [])),
  ].join('\n');
  return awsAliases.map((alias) => `mock_provider "aws" {\n${alias ? `  alias = ${JSON.stringify(alias)}\n` : ''}${body}\n}\n`).join('\n');
}

// ---------------------------------------------------------------------------------------------
// Writing and running a sequence

interface SequenceFiles {
  /** Relative path -> content. */
  readonly files: Record<string, string>;
  readonly skew: string[];
  readonly notModelled: string[];
  readonly steps: readonly string[];
}

/** Maps an address as synthesized to the stand-in's (resources of stood-in types). */
function mapAddress(address: string, tf: Json): string {
  const m = /^([a-z][a-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_-]*)(.*)$/.exec(address);
  const resources = (tf.resource ?? {}) as Record<string, unknown>;
  if (!m || isAws(m[1]) || isBuiltin(m[1]) || m[1] === 'data' || !(m[1] in resources)) return address;
  return `terraform_data.${standInName(m[1], m[2])}${m[3]}`;
}

export function writeSequence(steps: readonly LifecycleStep[], env: Environment): SequenceFiles {
  if (steps.length === 0) throw new Error('runLifecycle: no steps');
  const names = new Set<string>();
  const files: Record<string, string> = {};
  const skew = new Set<string>();
  const dropped = new Set<string>();
  const awsAliases = new Set<string | undefined>();
  const types = { resources: new Set<string>(), data: new Set<string>() };
  const runs: string[] = [];
  steps.forEach((step, i) => {
    if (!/^[a-z0-9][a-z0-9_-]*$/.test(step.name) || names.has(step.name)) throw new Error(`runLifecycle: step name ${JSON.stringify(step.name)}: unique, lower case letters, digits, - and _`);
    names.add(step.name);
    const original = (typeof step.tf === 'string' ? JSON.parse(step.tf) : JSON.parse(JSON.stringify(step.tf))) as Json;
    let tf = original;
    if (env.provider.version !== boundAwsVersion()) {
      const stripped = stripUnknownAwsArguments(tf, awsProviderSchema(env));
      tf = stripped.tf;
      stripped.removed.forEach((r) => skew.add(r));
    }
    if (tf.import !== undefined) {
      // Terraform 1.11 refuses import blocks outside the root module, and a run block's module is a
      // child of the test's: they are left out and listed.
      for (const imp of tf.import as { to: string }[]) dropped.add(`import (to ${imp.to}): only allowed in the root module, which a run block's module is not`);
      tf = { ...tf };
      delete tf.import;
    }
    const terraformBlock = { ...((tf.terraform as Json | undefined) ?? {}) };
    delete terraformBlock.backend;
    terraformBlock.required_providers = { aws: { source: 'hashicorp/aws', version: env.provider.version } };
    const extraOutputs = Object.fromEntries(Object.entries(step.outputs ?? {}).map(([k, v]) => [k, { value: `\${${v}}` }]));
    const { tf: module, dataVariables } = standIn({ ...tf, terraform: terraformBlock, ...(step.outputs ? { output: { ...((tf.output as Json | undefined) ?? {}), ...extraOutputs } } : {}) });
    for (const p of ((module.provider as Record<string, Json[]>).aws ?? [])) awsAliases.add(p.alias as string | undefined);
    for (const t of Object.keys((module.resource as Json) ?? {})) if (isAws(t)) types.resources.add(t);
    for (const t of Object.keys((module.data as Json) ?? {})) if (isAws(t)) types.data.add(t);
    const dir = `steps/${String(i + 1).padStart(2, '0')}-${step.name}`;
    files[`${dir}/main.tf.json`] = JSON.stringify(module, null, 1);

    const overrides: string[] = [];
    const variables: Record<string, unknown> = {};
    for (const o of step.overrideData ?? []) {
      const m = /^data\.([a-z][a-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_-]*)$/.exec(o.target);
      if (!m) throw new Error(`runLifecycle: overrideData target ${o.target}: data.<type>.<name>`);
      const variable = standInDataVariable(m[1], m[2]);
      if (variable in dataVariables) variables[variable] = o.values;
      else if (isAws(m[1]) && ((original.data as Record<string, Json> | undefined)?.[m[1]] ?? {})[m[2]] !== undefined) overrides.push(`  override_data {\n    target = ${o.target}\n    values = ${hclValue(o.values, '    ')}\n  }`);
      else throw new Error(`runLifecycle: step ${step.name}: overrideData target ${o.target} is not a data source of the step's configuration`);
    }
    const expect = (step.expectFailures ?? []).map((a) => mapAddress(a, original));
    const asserts = (step.asserts ?? []).map((a) => {
      const condition = (standIn({ ...original, output: { __assert: { value: `\${${a.condition}}` } } }).tf.output as Record<string, { value: string }>).__assert.value;
      return `  assert {\n    condition     = ${unwrapExpression(condition)}\n    error_message = ${hclValue(a.errorMessage)}\n  }`;
    });
    runs.push(
      [
        `run ${JSON.stringify(step.name)} {`,
        `  command   = ${step.command ?? 'apply'}`,
        '  state_key = "lifecycle"',
        `  module {\n    source = "./${dir}"\n  }`,
        ...(Object.keys(variables).length > 0 ? [`  variables {\n${Object.entries(variables).map(([k, v]) => `    ${k} = ${hclValue(v, '    ')}`).join('\n')}\n  }`] : []),
        ...overrides,
        ...(expect.length > 0 ? [`  expect_failures = [${expect.join(', ')}]`] : []),
        ...asserts,
        '}',
      ].join('\n'),
    );
  });
  files['main.tf.json'] = JSON.stringify({ terraform: { required_providers: { aws: { source: 'hashicorp/aws', version: env.provider.version } } } }, null, 1);
  files['lifecycle.tftest.hcl'] = `${mockBlocks([...awsAliases].sort((a, b) => (a ?? '').localeCompare(b ?? '')), types)}\n${runs.join('\n\n')}\n`;
  return { files, skew: [...skew].sort(), notModelled: [...dropped].sort(), steps: [...names] };
}

// ---------------------------------------------------------------------------------------------
// Running, with a small pool: both cores, never more

const slots = Math.max(1, Math.min(2, os.cpus().length));
let running = 0;
const waiting: (() => void)[] = [];
async function withSlot<T>(f: () => Promise<T>): Promise<T> {
  if (running >= slots) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await f();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

function spawnAsync(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ status: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(terraformBinary(), args, { cwd, env });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', (e) => resolve({ status: 1, output: `${output}\n${e.message}` }));
    child.on('close', (status) => resolve({ status: status ?? 1, output }));
  });
}

/**
 * The commands a `local-exec` provisioner of the project may call (the migration's cordon and
 * drain, day-2 hooks): stubs that log each call and succeed with no output. They come first on the
 * PATH, so no sequence ever reaches a real account or cluster, whatever credentials the machine has.
 */
export const STUBBED_COMMANDS: readonly string[] = ['aws', 'kubectl', 'helm', 'cilium', 'hubble', 'eksctl'];

function writeCommandStubs(dir: string): string {
  const bin = path.join(dir, 'stub-bin');
  fs.mkdirSync(bin);
  for (const cmd of STUBBED_COMMANDS) fs.writeFileSync(path.join(bin, cmd), `#!/bin/sh\nprintf '%s\\n' "${cmd} $*" >> "$LIFECYCLE_STUB_LOG"\nexit 0\n`, { mode: 0o755 });
  return bin;
}

async function execute(name: string, seq: SequenceFiles, env: Environment, cacheFile: string): Promise<LifecycleResult> {
  return withSlot(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `cilium-eks-lifecycle-${name}-`));
    try {
      for (const [rel, text] of Object.entries(seq.files)) {
        fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
        fs.writeFileSync(path.join(dir, rel), text);
      }
      fs.writeFileSync(path.join(dir, '.terraformrc'), cliConfig(env));
      const stubLog = path.join(dir, 'commands.log');
      fs.writeFileSync(stubLog, '');
      const tfEnv = { ...terraformEnv(dir), PATH: `${writeCommandStubs(dir)}${path.delimiter}${process.env.PATH ?? ''}`, LIFECYCLE_STUB_LOG: stubLog };
      const init = await spawnAsync(['init', '-input=false', '-no-color', '-backend=false'], dir, tfEnv);
      if (init.status !== 0) throw new Error(`lifecycle ${name}: terraform init failed (the AWS provider ${env.provider.version} from the ${env.provider.from}):\n${init.output}`);
      const test = await spawnAsync(['test', '-no-color'], dir, tfEnv);
      if (process.env.CILIUM_EKS_LIFECYCLE_KEEP) fs.cpSync(dir, path.join(process.env.CILIUM_EKS_LIFECYCLE_KEEP, name), { recursive: true });
      const runs = Object.fromEntries([...test.output.matchAll(/^\s*run "([^"]+)"\.\.\. (\w+)/gm)].map((m) => [m[1], m[2]]));
      const failures = [...test.output.matchAll(/^Error: (.+)$/gm)].map((m) => m[1].trim());
      const commands = fs.readFileSync(stubLog, 'utf8').split('\n').filter(Boolean);
      const result: LifecycleResult = { passed: test.status === 0, runs, failures, output: test.output, commands, skew: seq.skew, notModelled: seq.notModelled, provider: env.provider, terraform: env.terraform, cached: false };
      // A run that ended without Terraform's own diagnostics (killed, crashed) is not kept.
      if (result.passed || failures.length > 0) writeCached(cacheFile, result);
      return result;
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Cache

function hash(parts: readonly unknown[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(typeof p === 'string' ? p : JSON.stringify(p)).update('\0');
  return h.digest('hex').slice(0, 24);
}

function readCached(file: string): LifecycleResult | undefined {
  if (!fs.existsSync(file)) return undefined;
  return { ...(JSON.parse(fs.readFileSync(file, 'utf8')) as LifecycleResult), cached: true };
}

function writeAtomic(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(`${file}.${process.pid}`, text);
  fs.renameSync(`${file}.${process.pid}`, file);
}

function writeCached(file: string, result: LifecycleResult): void {
  writeAtomic(file, JSON.stringify(result));
}

/** A hash of every file under `sources` (relative to the repository), names and contents. */
function sourcesHash(sources: readonly string[]): string {
  const h = createHash('sha256');
  const walk = (rel: string) => {
    const abs = path.join(ROOT, rel);
    const stat = fs.statSync(abs, { throwIfNoEntry: false });
    if (!stat) {
      // A prefix (`__tests__/lifecycle`): every entry of its folder that starts with it.
      const dir = path.dirname(abs);
      if (!fs.existsSync(dir)) return;
      for (const e of fs.readdirSync(dir).sort()) if (e.startsWith(path.basename(abs))) walk(path.join(path.dirname(rel), e));
      return;
    }
    if (stat.isDirectory()) {
      for (const e of fs.readdirSync(abs).sort()) if (e !== 'node_modules' && !e.startsWith('.')) walk(path.join(rel, e));
      return;
    }
    h.update(rel).update('\0').update(fs.readFileSync(abs)).update('\0');
  };
  for (const s of sources) walk(s);
  return h.digest('hex');
}
