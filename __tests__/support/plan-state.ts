/**
 * Evaluates the plan-time checks of a synthesized stack with a real `terraform plan`, against a
 * described state of the running cluster: every `data.<type>.<name>` a precondition reads becomes a
 * Terraform local holding what that data source would return for the state (a Kubernetes list
 * filtered by kind, namespace, field and label selectors, with the `count` the stack gives it; an
 * EKS add-on; a subnet), and each state's preconditions run on a `terraform_data` of its own.
 * Several states go into one plan, so a table of cluster states costs one Terraform run, and its
 * output is kept while the configuration and Terraform stay the same.
 *
 * What is simulated, and so not proven here: the providers' answers themselves (their shape is the
 * one their docs give: `kubernetes_resources.objects` a list of objects, `aws_eks_addon`
 * attributes, `aws_subnet.available_ip_address_count`).
 */
import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PreconditionOutcome, terraformBinary } from './terraform';

/** A Kubernetes object as the API server lists it (only the fields the checks read). */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly labels?: Record<string, string>; readonly annotations?: Record<string, string>; readonly generation?: number };
  readonly [field: string]: unknown;
}

/** An EKS add-on as `data aws_eks_addon` reads it. */
export interface AddonState {
  readonly configuration_values: string | null;
  readonly service_account_role_arn: string | null;
  readonly pod_identity_association: readonly { service_account: string; role_arn: string }[];
}

/** A subnet as `data aws_subnet` reads it. */
export interface SubnetState {
  readonly cidr_block: string;
  readonly availability_zone: string;
  readonly available_ip_address_count: number;
}

/** The running account and cluster, as the data sources would read them. */
export interface ClusterState {
  /** Cluster names in the region (`data aws_eks_clusters`). */
  readonly clusters: readonly string[];
  /** The running cluster's Kubernetes version. */
  readonly version: string;
  /** Every Kubernetes object (CustomResourceDefinitions included). */
  readonly objects: readonly KubeObject[];
  /** EKS add-ons by name. */
  readonly addons?: Readonly<Record<string, AddonState>>;
  /** Subnets by ID. */
  readonly subnets?: Readonly<Record<string, SubnetState>>;
}

interface Block {
  readonly [key: string]: unknown;
}
interface StackJson {
  readonly resource?: Record<string, Record<string, Block>>;
  readonly data?: Record<string, Record<string, Block>>;
  readonly check?: Record<string, { assert: { condition: string; error_message: string }[] }>;
}

/** One Kubernetes label selector requirement's test (equality, inequality, set-based `in`/`notin`, existence). */
function matchesLabelSelector(selector: string | undefined, labels: Readonly<Record<string, string>>): boolean {
  if (!selector) return true;
  const requirements = selector.match(/[^,(]+(\([^)]*\))?/g) ?? [];
  return requirements.every((raw) => {
    const r = raw.trim();
    let m: RegExpExecArray | null;
    if ((m = /^(\S+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(r))) {
      const values = m[3].split(',').map((v) => v.trim());
      const has = labels[m[1]] !== undefined && values.includes(labels[m[1]]);
      return m[2] === 'in' ? has : !has;
    }
    if ((m = /^([^!=]+)!=(.*)$/.exec(r))) return labels[m[1]] !== m[2];
    if ((m = /^([^!=]+)==?(.*)$/.exec(r))) return labels[m[1]] === m[2];
    if ((m = /^!(.+)$/.exec(r))) return labels[m[1]] === undefined;
    return labels[r] !== undefined;
  });
}

function matchesFieldSelector(selector: string | undefined, o: KubeObject): boolean {
  if (!selector) return true;
  return selector.split(',').every((req) => {
    const m = /^metadata\.name(!?=)(.*)$/.exec(req.trim());
    if (!m) throw new Error(`plan-state: unsupported field selector ${req}`);
    return m[1] === '=' ? o.metadata.name === m[2] : o.metadata.name !== m[2];
  });
}

/** What each data source of `tf` returns for `state`, by address. */
export function dataSourceValues(tf: StackJson, state: ClusterState): Map<string, unknown> {
  const values = new Map<string, unknown>();
  const data = tf.data ?? {};
  const clusterNames = Object.keys(data.aws_eks_clusters ?? {});
  const countOf = (block: Block): number | undefined => {
    const count = block.count;
    if (count === undefined) return undefined;
    const expr = String(count);
    if (/aws_eks_clusters/.test(expr)) {
      const name = /"([^"]+)"\) \? 1 : 0/.exec(expr)?.[1];
      return name !== undefined && state.clusters.includes(name) ? 1 : 0;
    }
    const crd = /^\$\{length\(try\((data\.kubernetes_resources\.[^[]+)\[0\]\.objects, \[\]\)\)\}$/.exec(expr);
    if (crd) {
      const list = kubeList(crd[1]) as { objects: unknown[] }[];
      return list.length > 0 ? list[0].objects.length : 0;
    }
    throw new Error(`plan-state: unsupported count ${expr}`);
  };
  const kubeList = (address: string): unknown => {
    if (values.has(address)) return values.get(address);
    const name = address.split('.')[2];
    const block = data.kubernetes_resources[name];
    const objects = state.objects.filter(
      (o) =>
        o.apiVersion === block.api_version &&
        o.kind === block.kind &&
        (block.namespace === undefined || o.metadata.namespace === block.namespace) &&
        matchesFieldSelector(block.field_selector as string | undefined, o) &&
        matchesLabelSelector(block.label_selector as string | undefined, o.metadata.labels ?? {}),
    );
    const value = countOf(block) === 0 ? [] : [{ objects }];
    values.set(address, value);
    return value;
  };
  for (const name of clusterNames) values.set(`data.aws_eks_clusters.${name}`, { names: state.clusters });
  for (const [name, block] of Object.entries(data.aws_eks_cluster ?? {})) {
    const cluster = { name: block.name, version: state.version };
    values.set(`data.aws_eks_cluster.${name}`, block.count === undefined ? cluster : countOf(block) ? [cluster] : []);
  }
  for (const name of Object.keys(data.kubernetes_resources ?? {})) kubeList(`data.kubernetes_resources.${name}`);
  for (const [name, block] of Object.entries(data.aws_eks_addon ?? {})) {
    const addon = state.addons?.[block.addon_name as string];
    if (addon) values.set(`data.aws_eks_addon.${name}`, { ...addon, addon_name: block.addon_name });
  }
  for (const [name, block] of Object.entries(data.aws_subnet ?? {})) {
    const subnet = state.subnets?.[block.id as string];
    if (subnet) values.set(`data.aws_subnet.${name}`, { id: block.id, ...subnet });
  }
  return values;
}

/** A precondition of the stack: where it sits and its two fields as synthesized. */
export interface StackPrecondition {
  /** `<type>.<key>[<index>]`. */
  readonly at: string;
  readonly condition: string;
  readonly errorMessage: string;
}

/** Every precondition of the stack's resources, and every `check` block assertion (as preconditions). */
export function stackPreconditions(tf: StackJson): StackPrecondition[] {
  const out: StackPrecondition[] = [];
  for (const [type, blocks] of Object.entries(tf.resource ?? {})) {
    for (const [key, block] of Object.entries(blocks)) {
      const pre = ((block.lifecycle as Block | undefined)?.precondition as { condition: string; error_message: string }[] | undefined) ?? [];
      pre.forEach((p, i) => out.push({ at: `${type}.${key}[${i}]`, condition: p.condition, errorMessage: p.error_message }));
    }
  }
  for (const [name, check] of Object.entries(tf.check ?? {})) {
    check.assert.forEach((a, i) => out.push({ at: `check.${name}[${i}]`, condition: a.condition, errorMessage: a.error_message }));
  }
  return out;
}

const unwrap = (condition: string): string => {
  const m = /^\$\{([\s\S]*)\}$/.exec(condition);
  if (!m) throw new Error(`plan-state: a condition not in \${}: ${condition}`);
  return m[1];
};

/**
 * Plans the preconditions of each synthesized stack (those its `select` picks: every one by
 * default), each against its state, in one Terraform run: one `terraform_data` per state carrying all of that state's preconditions
 * (Terraform evaluates every precondition of a resource and reports each that fails), and the
 * data sources' values as locals, one per distinct value. Returns the outcomes by scenario name,
 * then by `at`.
 */
export function evaluatePreconditions(
  scenarios: Readonly<Record<string, { tf: StackJson; state: ClusterState; select?: (p: StackPrecondition) => boolean }>>,
): Record<string, Record<string, PreconditionOutcome>> {
  const locals: Record<string, unknown> = {};
  const localOf = new Map<string, string>();
  const resources: Record<string, { input: string; lifecycle: { precondition: { condition: string; error_message: string }[] } }> = {};
  const back = new Map<string, [string, string[]]>();
  Object.entries(scenarios).forEach(([scenario, { tf, state, select = () => true }], s) => {
    const values = dataSourceValues(tf, state);
    const rewrite = (hcl: string): string =>
      hcl.replace(/data\.([a-z0-9_]+)\.([A-Za-z0-9_-]+)/g, (_whole, type: string, name: string) => {
        const address = `data.${type}.${name}`;
        if (!values.has(address)) throw new Error(`plan-state: ${scenario}: no value for ${address} (add it to the state)`);
        const text = JSON.stringify(values.get(address));
        let local = localOf.get(text);
        if (!local) {
          local = `v${localOf.size}`;
          localOf.set(text, local);
          locals[local] = values.get(address);
        }
        return `local.${local}`;
      });
    const picked = stackPreconditions(tf).filter(select);
    const id = `s${s}`;
    back.set(id, [scenario, picked.map((p) => p.at)]);
    resources[id] = { input: id, lifecycle: { precondition: picked.map((p) => ({ condition: `\${${rewrite(unwrap(p.condition))}}`, error_message: rewrite(p.errorMessage) })) } };
  });
  const result: Record<string, Record<string, PreconditionOutcome>> = {};
  for (const [scenario, ats] of back.values()) result[scenario] = Object.fromEntries(ats.map((at) => [at, { ok: true }]));
  const out = planJson({ locals, resource: { terraform_data: resources } });
  for (const chunk of out.split(/Error: Resource precondition failed/).slice(1)) {
    const m = /in resource\.terraform_data\.(s\d+)\.lifecycle\.precondition\[(\d+)\]/.exec(chunk);
    if (!m) throw new Error(`plan-state: unparsed terraform output:\n${chunk}`);
    const [scenario, ats] = back.get(m[1])!;
    // The evaluated message follows the expression context (the lines that start with │ or ├).
    const lines = chunk.split('\n');
    const lastContext = lines.reduce((last, l, i) => (/^\s*[│├]/.test(l) ? i : last), -1);
    result[scenario][ats[Number(m[2])]] = { ok: false, message: lines.slice(lastContext + 1).join(' ').replace(/\s+/g, ' ').trim() };
  }
  return result;
}

/** Where plan outputs are kept, named by a hash of the configuration and the Terraform version. */
const PLAN_CACHE = path.join(__dirname, '..', '..', 'node_modules', '.cache', 'cilium-eks-plan-state');

/**
 * Runs `terraform plan` on a configuration of built-ins only and returns its output (a failed plan
 * included). The output is kept under a hash of the configuration and of `terraform version`: the
 * same configuration planned by the same Terraform gives the same output, so a run whose synthesized
 * checks and cluster states did not change reads it back instead of planning again.
 */
function planJson(config: unknown): string {
  const bin = terraformBinary();
  const env = { ...process.env, TF_CLI_CONFIG_FILE: '/dev/null', CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1' };
  // One value per line: Terraform quotes the source line of each failure.
  const text = JSON.stringify(config, null, 1);
  const version = spawnSync(bin, ['version'], { env, encoding: 'utf8' }).stdout;
  const cached = path.join(PLAN_CACHE, `${createHash('sha256').update(version).update('\0').update(text).digest('hex')}.txt`);
  if (fs.existsSync(cached)) return fs.readFileSync(cached, 'utf8');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cilium-eks-plan-state-'));
  try {
    fs.writeFileSync(path.join(dir, 'main.tf.json'), text);
    const plan = spawnSync(bin, ['plan', '-input=false', '-no-color', '-refresh=false'], { cwd: dir, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const out = `${plan.stdout}\n${plan.stderr}`;
    if (plan.status !== 0 && !out.includes('Error: Resource precondition failed')) throw new Error(`terraform plan failed:\n${out}`);
    fs.mkdirSync(PLAN_CACHE, { recursive: true });
    fs.writeFileSync(`${cached}.${process.pid}`, out);
    fs.renameSync(`${cached}.${process.pid}`, cached);
    return out;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
