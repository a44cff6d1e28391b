/**
 * The evidence blocks, proven by Terraform itself: the AWS part of the synthesized log export (the
 * key's CloudFormation stack, the key found by its alias, the log groups, the control plane's log
 * group, their `import` blocks and the `removed` block of 0.1.0's key) run by `terraform test` with
 * a mocked AWS provider:
 * - a first deploy applies, and the destroy at the end of the test succeeds with `skip_destroy`;
 * - a deploy after a destroy that kept the groups imports them (no ResourceAlreadyExists);
 * - an upgrade from 0.1.0's configuration forgets its `aws_kms_key` without destroying it.
 *
 * (The key's data source is read without its `depends_on` here: see withoutKeyDependency.)
 *
 * The AWS provider binary comes from `$TF_PLUGIN_MIRROR` (default /opt/tf-plugins, a filesystem
 * mirror), else from the registry. Starting the provider costs seconds per run, so a passing run
 * is remembered by the hash of its inputs (the module, the test file and the Terraform version):
 * the same inputs are not run again.
 */
import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { defaultStack, TfJson } from './support/synth';
import { terraformBinary } from './support/terraform';

const MIRROR = process.env.TF_PLUGIN_MIRROR ?? '/opt/tf-plugins';
/** The AWS provider version of the mirror (the synthesized stack pins the cdktf provider's own, 6.25). */
const AWS_PROVIDER = fs.existsSync(path.join(MIRROR, 'registry.terraform.io', 'hashicorp', 'aws')) ? fs.readdirSync(path.join(MIRROR, 'registry.terraform.io', 'hashicorp', 'aws'))[0] : '6.25.0';
const CACHE = path.join(__dirname, '..', 'node_modules', '.cache', 'cilium-eks-evidence-tf');

type Blocks = Record<string, Record<string, Record<string, unknown>>>;

/** The AWS blocks of the log export, and what they reference, out of the synthesized stack. */
function evidenceModule(tf: TfJson): { module: Record<string, unknown>; addresses: { kept: Record<string, string[]>; groups: Record<string, string>; stack: string } } {
  const pick = (blocks: Blocks | undefined, type: string, test: (key: string) => boolean): Record<string, Record<string, unknown>> =>
    Object.fromEntries(Object.entries(blocks?.[type] ?? {}).filter(([k]) => test(k)));
  const shipping = (k: string): boolean => k.includes('_log-shipping_');
  // The control plane's log group and the data source that finds a kept one (its key is the evidence key).
  const evidence = (k: string): boolean => shipping(k) || /_control-plane_(log-group|existing-log-group)_/.test(k);
  const data = tf.data as Blocks;
  const resource = {
    aws_cloudformation_stack: pick(tf.resource as Blocks, 'aws_cloudformation_stack', shipping),
    aws_cloudwatch_log_group: Object.fromEntries(
      Object.entries(pick(tf.resource as Blocks, 'aws_cloudwatch_log_group', evidence)).map(([k, g]) => [k, Object.fromEntries(Object.entries(g).filter(([a]) => a !== 'depends_on'))]),
    ),
  };
  const module = {
    terraform: { required_version: (tf.terraform as { required_version: string }).required_version, required_providers: { aws: { source: 'hashicorp/aws', version: AWS_PROVIDER } } },
    provider: { aws: [{ region: 'eu-west-1' }] },
    data: {
      aws_partition: data.aws_partition,
      aws_caller_identity: pick(data, 'aws_caller_identity', (k) => k.includes('_account_')),
      aws_kms_key: pick(data, 'aws_kms_key', shipping),
      aws_cloudwatch_log_groups: pick(data, 'aws_cloudwatch_log_groups', evidence),
    },
    resource,
    import: (tf as unknown as { import: unknown[] }).import,
    removed: (tf as unknown as { removed: unknown[] }).removed,
  };
  const groups = Object.fromEntries(Object.entries(resource.aws_cloudwatch_log_group).map(([k, g]) => [String(g.name), `aws_cloudwatch_log_group.${k}`]));
  // Each listing data source, with the kept groups it would list (the names under its prefix).
  const kept = Object.fromEntries(
    Object.entries(module.data.aws_cloudwatch_log_groups).map(([k, d]) => [`data.aws_cloudwatch_log_groups.${k}`, Object.keys(groups).filter((n) => n.startsWith(String(d.log_group_name_prefix)))]),
  );
  return {
    module,
    addresses: {
      kept,
      groups,
      stack: Object.keys(resource.aws_cloudformation_stack)[0],
    },
  };
}

/** 0.1.0's configuration of the same groups: an aws_kms_key (and alias) at the stack's logical id. */
function version010(addresses: { groups: Record<string, string>; stack: string }): Record<string, unknown> {
  return {
    terraform: { required_providers: { aws: { source: 'hashicorp/aws', version: AWS_PROVIDER } } },
    provider: { aws: [{ region: 'eu-west-1' }] },
    resource: {
      aws_kms_key: { [addresses.stack]: { deletion_window_in_days: 30, enable_key_rotation: true } },
      aws_cloudwatch_log_group: Object.fromEntries(
        Object.entries(addresses.groups).map(([name, address]) => [
          address.split('.')[1],
          // 0.1.0's control-plane group: 90 days, no key of the project's.
          name.startsWith('/aws/eks/') ? { name, retention_in_days: 90 } : { name, retention_in_days: 365, kms_key_id: `\${aws_kms_key.${addresses.stack}.arn}` },
        ]),
      ),
    },
  };
}

/**
 * The module with the key's data source read at plan time (its `depends_on` on the stack removed),
 * the one change from the synthesized blocks: a mocked provider builds an imported object from the
 * configuration, and with the dependency the key's ARN is unknown until the stack is applied,
 * which the mock reports as an invalid imported state (real AWS reads the imported group from
 * CloudWatch, with its old key). `import` blocks are allowed in the root module only, so every run
 * uses this root module; the dependency itself is checked in log-shipping.spec.ts.
 */
function withoutKeyDependency(module: Record<string, unknown>): Record<string, unknown> {
  const data = module.data as Blocks;
  const keys = Object.fromEntries(Object.entries(data.aws_kms_key).map(([k, v]) => [k, Object.fromEntries(Object.entries(v).filter(([a]) => a !== 'depends_on'))]));
  return { ...module, data: { ...data, aws_kms_key: keys } };
}

function testFile(addresses: { kept: Record<string, string[]>; groups: Record<string, string> }): string {
  const listings = Object.entries(addresses.kept)
    .map(([address, names]) => `  override_data {\n    target = ${address}\n    values = { log_group_names = ${JSON.stringify(names)} }\n  }`)
    .join('\n');
  const overrides = Object.entries(addresses.groups)
    // What AWS would return for a kept group (the mock cannot read one): its name, ARN and old key.
    .map(
      ([name, address]) =>
        `  override_resource {\n    target = ${address}\n    values = {\n      arn = "arn:aws:logs:eu-west-1:111122223333:log-group:${name}"\n      id = "${name}"\n      name = "${name}"\n      kms_key_id = "arn:aws:kms:eu-west-1:111122223333:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"\n      retention_in_days = 365\n      log_group_class = "STANDARD"\n      tags = { "cilium-eks/on-destroy" = "keep" }\n      tags_all = { "cilium-eks/on-destroy" = "keep" }\n    }\n  }`,
    )
    .join('\n');
  return `mock_provider "aws" {}

run "first_deploy" {}

run "redeploy_adopts_kept_groups" {
  state_key = "redeploy"
  command   = plan
${listings}
${overrides}
}

run "upgrade_from_0_1_0_before" {
  state_key = "upgrade"
  module { source = "./v010" }
}

run "upgrade_from_0_1_0" {
  state_key = "upgrade"
  command   = plan
  # The groups exist in AWS and in the state: listed at plan, imported nowhere.
${listings}
}
`;
}

interface Outcome {
  readonly ok: boolean;
  readonly output: string;
}

/** Runs `terraform test -verbose` (or `command`) in a scratch folder; a pass is remembered by the hash of its inputs. */
function runTerraformTest(files: Record<string, string>, command: string[] = ['test', '-no-color', '-verbose']): Outcome & { cached: boolean } {
  const bin = terraformBinary();
  const version = spawnSync(bin, ['version', '-json'], { encoding: 'utf8', env: { ...process.env, CHECKPOINT_DISABLE: '1' } }).stdout;
  const hash = createHash('sha256').update(JSON.stringify({ files, version, AWS_PROVIDER, command })).digest('hex').slice(0, 16);
  const marker = path.join(CACHE, `${hash}.out`);
  if (fs.existsSync(marker)) return { ok: true, output: fs.readFileSync(marker, 'utf8'), cached: true };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cilium-eks-evidence-tf-'));
  try {
    for (const [name, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), text);
    }
    const rc = path.join(dir, 'terraformrc');
    fs.writeFileSync(rc, fs.existsSync(MIRROR) ? `provider_installation {\n  filesystem_mirror {\n    path = "${MIRROR}"\n  }\n}\n` : '');
    const env = { ...process.env, TF_CLI_CONFIG_FILE: rc, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1' };
    const init = spawnSync(bin, ['init', '-input=false', '-no-color', '-backend=false'], { cwd: dir, env, encoding: 'utf8' });
    if (init.status !== 0) return { ok: false, output: `terraform init failed:\n${init.stdout}\n${init.stderr}`, cached: false };
    const test = spawnSync(bin, command, { cwd: dir, env, encoding: 'utf8', timeout: 300000 });
    const output = `${test.stdout}\n${test.stderr}`;
    const ok = test.status === 0;
    if (ok) {
      fs.mkdirSync(CACHE, { recursive: true });
      fs.writeFileSync(marker, output);
    }
    return { ok, output, cached: false };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('the evidence blocks under terraform test with a mocked AWS provider', () => {
  const { module, addresses } = evidenceModule(defaultStack().tf);
  const outcome = runTerraformTest({
    'main.tf.json': JSON.stringify(withoutKeyDependency(module), null, 1),
    'v010/main.tf.json': JSON.stringify(version010(addresses), null, 1),
    'tests/evidence.tftest.hcl': testFile(addresses),
  });
  /** The verbose output of one run block: from its name to the next run. */
  const runOutput = (name: string): string => outcome.output.split(/\n\s*run "/).find((chunk) => chunk.startsWith(`${name}"`)) ?? '';

  test('every run passes, and the destroy at the end succeeds with skip_destroy on the groups', () => {
    expect(outcome.output).toMatch(/Success! 4 passed, 0 failed/);
    expect(outcome.ok).toBe(true);
  });

  test("the control plane's log group is among them, kept on destroy and under the evidence key", () => {
    const address = addresses.groups['/aws/eks/cilium-eks/cluster'];
    expect(address).toBeDefined();
    const group = (module.resource as Blocks).aws_cloudwatch_log_group[address.split('.')[1]];
    expect(group).toMatchObject({ skip_destroy: true, retention_in_days: 90, tags: { 'cilium-eks/on-destroy': 'keep' } });
    expect(String(group.kms_key_id)).toMatch(/^\$\{data\.aws_kms_key\.\S+_log-shipping_key-by-alias_\S+\.arn\}$/);
  });

  test('a deploy after a destroy that kept the groups (the control plane\'s too) imports each of them instead of creating it', () => {
    const plan = runOutput('redeploy_adopts_kept_groups');
    expect(plan).toContain(`# ${addresses.groups['/aws/eks/cilium-eks/cluster']} will be imported`);
    for (const address of Object.values(addresses.groups)) expect(plan).toContain(`# ${address} will be imported`);
    expect(plan).not.toMatch(/aws_cloudwatch_log_group\.\S+ will be created/);
  });

  test("an upgrade from 0.1.0 forgets its aws_kms_key without destroying it; the groups stay (no import: they are in the state, though listed)", () => {
    const plan = runOutput('upgrade_from_0_1_0');
    expect(plan).toContain(`# aws_kms_key.${addresses.stack} will no longer be managed by Terraform, but will not be destroyed`);
    expect(plan).not.toContain('will be imported');
    expect(plan).not.toMatch(/aws_cloudwatch_log_group\.\S+ (will be destroyed|must be replaced)/);
  });
});

/**
 * The real AWS provider, not a mock, destroying the kept groups: a state as the first apply leaves
 * it (each group's attributes from the synthesized block, `skip_destroy` included) and a provider
 * whose CloudWatch Logs endpoint is a closed local port. The provider deletes a group with
 * `DeleteLogGroup`, which cannot reach AWS here and fails the destroy; a group with `skip_destroy`
 * is only removed from the state (the provider's documented behaviour), so the destroy succeeds
 * without a call. Offline: fake credentials, every account lookup skipped.
 */
describe('the real AWS provider destroys the kept groups without deleting them', () => {
  const { module, addresses } = evidenceModule(defaultStack().tf);
  const blocks = (module.resource as Blocks).aws_cloudwatch_log_group;
  const groups = Object.fromEntries(
    Object.entries(blocks).map(([k, g]) => [k, { name: g.name, retention_in_days: g.retention_in_days, skip_destroy: g.skip_destroy, tags: g.tags }]),
  );
  const state = {
    version: 4,
    terraform_version: '1.11.4',
    serial: 1,
    lineage: '00000000-0000-4000-8000-000000000027',
    outputs: {},
    resources: Object.entries(groups).map(([k, g]) => ({
      mode: 'managed',
      type: 'aws_cloudwatch_log_group',
      name: k,
      provider: 'provider["registry.terraform.io/hashicorp/aws"]',
      instances: [
        {
          schema_version: 0,
          attributes: { ...g, id: g.name, arn: `arn:aws:logs:eu-west-1:111122223333:log-group:${String(g.name)}`, kms_key_id: '', log_group_class: 'STANDARD', name_prefix: '', tags_all: g.tags },
        },
      ],
    })),
  };
  const provider = {
    region: 'eu-west-1',
    access_key: 'AKIAIOSFODNN7EXAMPLE',
    secret_key: 'offline',
    skip_credentials_validation: true,
    skip_requesting_account_id: true,
    skip_metadata_api_check: true,
    skip_region_validation: true,
    endpoints: [{ logs: 'http://127.0.0.1:1' }],
  };
  const config = {
    terraform: { required_providers: { aws: { source: 'hashicorp/aws', version: AWS_PROVIDER } } },
    provider: { aws: [provider] },
    resource: { aws_cloudwatch_log_group: groups },
  };
  const outcome = runTerraformTest({ 'main.tf.json': JSON.stringify(config, null, 1), 'terraform.tfstate': JSON.stringify(state, null, 1) }, ['destroy', '-auto-approve', '-refresh=false', '-no-color']);

  test("every kept group, the control plane's included, leaves the state with no call to CloudWatch Logs", () => {
    expect(Object.keys(addresses.groups)).toContain('/aws/eks/cilium-eks/cluster');
    expect(outcome.output).toContain(`Destroy complete! Resources: ${Object.keys(groups).length} destroyed.`);
    expect(outcome.output).not.toMatch(/DeleteLogGroup/);
    expect(outcome.ok).toBe(true);
  });
});
