/**
 * Runs a real `terraform` on a configuration that needs no provider (only the built-in
 * `terraform_data`), to evaluate expressions exactly as Terraform does: preconditions, functions,
 * templates. Nothing is downloaded and nothing reaches a cloud.
 *
 * The binary is `$TERRAFORM` or `terraform` on the PATH (cdktf needs it to deploy anyway). When it
 * is missing, the tests that need it fail with a message that says so.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

let probed: string | undefined;

export function terraformBinary(): string {
  if (probed) return probed;
  const bin = process.env.TERRAFORM ?? 'terraform';
  const probe = spawnSync(bin, ['version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new Error(`terraform not found (${bin}): these tests evaluate the synthesized Terraform expressions with a real terraform >= 1.2; put it on the PATH or set TERRAFORM`);
  }
  probed = bin;
  return bin;
}

/** The outcome of one precondition in a plan. */
export interface PreconditionOutcome {
  readonly ok: boolean;
  /** The evaluated error message, when the precondition failed. */
  readonly message?: string;
}

/**
 * Plans a configuration with one `terraform_data` resource per case, each carrying one
 * precondition, and reports which passed and the evaluated message of each that failed.
 * `locals` are written as Terraform JSON `locals`.
 */
export function planPreconditions(
  cases: Readonly<Record<string, { condition: string; errorMessage: string }>>,
  locals: Readonly<Record<string, unknown>> = {},
): Record<string, PreconditionOutcome> {
  const bin = terraformBinary();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cilium-eks-tf-'));
  try {
    const resource = Object.fromEntries(
      Object.entries(cases).map(([name, c]) => [name, { input: name, lifecycle: { precondition: [{ condition: c.condition, error_message: c.errorMessage }] } }]),
    );
    fs.writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify({ locals, resource: { terraform_data: resource } }, null, 1));
    const env = { ...process.env, TF_CLI_CONFIG_FILE: '/dev/null', CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1' };
    const planOnce = () => spawnSync(bin, ['plan', '-input=false', '-no-color', '-refresh=false'], { cwd: dir, env, encoding: 'utf8' });
    // Only the built-in provider: Terraform 1.11 plans without `init`; a version that asks for it gets it.
    let plan = planOnce();
    if (plan.status !== 0 && /terraform init/.test(`${plan.stdout}${plan.stderr}`)) {
      const init = spawnSync(bin, ['init', '-input=false', '-no-color', '-backend=false'], { cwd: dir, env, encoding: 'utf8' });
      if (init.status !== 0) throw new Error(`terraform init failed:\n${init.stdout}\n${init.stderr}`);
      plan = planOnce();
    }
    const out = `${plan.stdout}\n${plan.stderr}`;
    const chunks = out.split(/Error: Resource precondition failed/).slice(1);
    const outcomes: Record<string, PreconditionOutcome> = Object.fromEntries(Object.keys(cases).map((k) => [k, { ok: true }]));
    for (const chunk of chunks) {
      const name = /resource(?: "terraform_data" "|\.terraform_data\.)([A-Za-z0-9_]+)/.exec(chunk)?.[1];
      if (!name) throw new Error(`unparsed terraform output:\n${chunk}`);
      // The evaluated message follows the expression context (the lines that start with │ or ├).
      const lines = chunk.split('\n');
      const lastContext = lines.reduce((last, l, i) => (/^\s*[│├]/.test(l) ? i : last), -1);
      const message = lines
        .slice(lastContext + 1)
        .join(' ')
        .replace(/\s+/g, ' ')
        .trim();
      outcomes[name] = { ok: false, message };
    }
    const failures = chunks.length;
    if (failures === 0 && plan.status !== 0) throw new Error(`terraform plan failed:\n${out}`);
    return outcomes;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
