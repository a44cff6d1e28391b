/**
 * Runs a real `terraform` with the real AWS provider, offline: the provider binary comes from a
 * filesystem mirror (`$TF_PLUGIN_MIRROR`, as evidence-terraform.spec.ts reads it, else /opt/tf-plugins, laid out as Terraform's
 * `filesystem_mirror` wants), and nothing reaches AWS: `terraform test` files mock the provider
 * (`mock_provider`) or read only data sources the provider computes locally (`aws_partition`,
 * `aws_service_principal`) with fake credentials and every account lookup skipped.
 */
import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { terraformBinary } from './terraform';

/** The version of the AWS provider in the mirror (the one the machine image holds). */
export const MIRRORED_AWS_PROVIDER_VERSION = '5.100.0';

function mirrorDir(): string {
  const dir = process.env.TF_PLUGIN_MIRROR ?? '/opt/tf-plugins';
  if (!fs.existsSync(path.join(dir, 'registry.terraform.io', 'hashicorp', 'aws'))) {
    throw new Error(`no AWS provider mirror at ${dir}: these tests run the real provider offline; set TF_PLUGIN_MIRROR to a filesystem mirror holding hashicorp/aws ${MIRRORED_AWS_PROVIDER_VERSION}`);
  }
  return dir;
}

/** Provider settings that keep the real provider off the network (no credential or account lookup). */
export function offlineAwsProvider(region: string, alias?: string): Record<string, unknown> {
  return {
    ...(alias ? { alias } : {}),
    region,
    access_key: 'AKIAIOSFODNN7EXAMPLE',
    secret_key: 'offline',
    skip_credentials_validation: true,
    skip_requesting_account_id: true,
    skip_metadata_api_check: true,
    skip_region_validation: true,
  };
}

export interface TerraformRun {
  readonly status: number;
  readonly output: string;
}

/** A scratch Terraform directory with the AWS provider installed from the mirror. */
export class AwsTerraformDir {
  public readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cilium-eks-aws-tf-'));
  private readonly env: NodeJS.ProcessEnv;

  constructor(config: Record<string, unknown>, files: Record<string, string> = {}) {
    const cli = path.join(this.dir, '.terraformrc');
    fs.writeFileSync(cli, `provider_installation {\n  filesystem_mirror {\n    path    = ${JSON.stringify(mirrorDir())}\n    include = ["registry.terraform.io/hashicorp/aws"]\n  }\n}\n`);
    this.env = { ...process.env, TF_CLI_CONFIG_FILE: cli, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1' };
    const terraform = { required_providers: { aws: { source: 'hashicorp/aws', version: MIRRORED_AWS_PROVIDER_VERSION } } };
    fs.writeFileSync(path.join(this.dir, 'main.tf.json'), JSON.stringify({ terraform, ...config }, null, 1));
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(this.dir, name), text);
    const init = this.run(['init', '-input=false', '-no-color', '-backend=false']);
    if (init.status !== 0) throw new Error(`terraform init failed:\n${init.output}`);
  }

  public run(args: string[]): TerraformRun {
    const r = spawnSync(terraformBinary(), args, { cwd: this.dir, env: this.env, encoding: 'utf8' });
    return { status: r.status ?? 1, output: `${r.stdout}\n${r.stderr}` };
  }

  public remove(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Where passed runs are remembered: beside the other caches of the project's tooling. */
const PASS_CACHE = path.join(__dirname, '..', '..', 'node_modules', '.cache', 'cilium-eks-terraform-test');

/**
 * `terraform test` on `config` and its test files, with the AWS provider from the mirror. A run
 * with exactly these inputs (the configuration, the test files, Terraform's and the provider's
 * versions) that passed before is not repeated: Terraform is deterministic on them, and each start
 * of the AWS provider costs seconds of CPU. Any change to the inputs runs it again.
 */
export function terraformTestCached(name: string, config: Record<string, unknown>, files: Record<string, string>): TerraformRun {
  // Without the update check: the key must not depend on the network.
  const version = spawnSync(terraformBinary(), ['version'], { encoding: 'utf8', env: { ...process.env, CHECKPOINT_DISABLE: '1' } }).stdout;
  const key = createHash('sha256').update(JSON.stringify({ version, provider: MIRRORED_AWS_PROVIDER_VERSION, config, files })).digest('hex').slice(0, 24);
  const marker = path.join(PASS_CACHE, `${name}-${key}.txt`);
  if (fs.existsSync(marker)) return { status: 0, output: fs.readFileSync(marker, 'utf8') };
  const dir = new AwsTerraformDir(config, files);
  try {
    const r = dir.run(['test', '-no-color']);
    if (r.status === 0) {
      fs.mkdirSync(PASS_CACHE, { recursive: true });
      fs.writeFileSync(marker, r.output);
    }
    return r;
  } finally {
    dir.remove();
  }
}
