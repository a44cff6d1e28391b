/**
 * The first apply works in any account, for any deployer, in any region (issue 24): admins from
 * configuration, zones by zone ID, the Spot service-linked role, partitions, the stack's identity,
 * the system nodes' taint and the add-ons' tolerations, storage, and the Cilium operator's least
 * privilege. What Terraform decides (zone stability, the rename refusal, the Spot check, the
 * provider's service principals) is run through a real `terraform`, offline.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import { Testing } from 'cdktf';
import { CiliumEksStack, CiliumEksStackProps } from '../constructs/cilium-eks-stack';
import { CILIUM_OPERATOR_EC2_ACTIONS, ciliumOperatorPolicyStatements } from '../constructs/cilium-operator-identity';
import { EBS_CSI_CONTROLLER_SERVICE_ACCOUNT, EBS_CSI_MANAGED_POLICY } from '../constructs/ebs-csi';
import { SPOT_SERVICE_LINKED_ROLE_NAME } from '../constructs/karpenter/karpenter';
import { config as appConfig, STACK_ID } from '../main';
import { partitionContext } from '../core/partition';
import { EKS_UNSUPPORTED_ZONE_IDS, zoneIdPrefix } from '../core/zones';
import { CRITICAL_ADDONS_TOLERATION } from '../core/k8s';
import { ebsCsiPodTemplates } from '../core/pss/components';
import { buildCiliumValues } from '../bpf/cilium-values';
import { clusterMeshValues } from '../bpf/clustermesh';
import { hubbleCertBootstrapJob } from '../bpf/hubble-certs';
import { buildTetragonValues } from '../constructs/tetragon/values';
import { valueAt } from '../core/helm-values';
import { KARPENTER_DEFAULT_VERSION } from '../constructs/karpenter/versions';
import { DEFAULT_CILIUM_CHART_VERSION } from '../bpf/versions';
import { thrown } from './support/errors';
import { buildStack, defaultStack, resource, resourcesOfType, synthJson, synthStack, TfBlock, TfJson } from './support/synth';
import { upstreamYaml } from './support/upstream';
import { terraformBinary } from './support/terraform';
import { offlineAwsProvider, terraformTestCached } from './support/aws-terraform';
import { JsonObject } from '../core/yaml';
import { principalKey } from '../core/iam';

const ADMIN = 'arn:aws:iam::111122223333:role/platform-admin';

/** Every `[type, name, block]` of one kind (`resource` or `data`). */
function blocks(tf: TfJson, kind: 'resource' | 'data', type: string): Array<[string, TfBlock]> {
  return Object.entries((kind === 'resource' ? tf.resource : tf.data ?? {})[type] ?? {});
}

/** A block with cdktf's metadata and the given keys removed, for a hand-built Terraform configuration. */
function plain(block: TfBlock, drop: string[] = []): TfBlock {
  return Object.fromEntries(Object.entries(block).filter(([k]) => k !== '//' && k !== 'depends_on' && !drop.includes(k)));
}

// ---------------------------------------------------------------------------------------------

describe('admins come from configuration, never from whoever runs Terraform', () => {
  test('the synthesized output is byte-identical for two different caller identities', () => {
    const identities = [
      { AWS_PROFILE: 'laptop-sso', AWS_ACCESS_KEY_ID: 'ASIAEXAMPLELAPTOP001', AWS_SECRET_ACCESS_KEY: 'a', AWS_SESSION_TOKEN: 'laptop', AWS_ROLE_ARN: 'arn:aws:iam::111122223333:role/AWSReservedSSO_Admin' },
      { AWS_PROFILE: 'ci', AWS_ACCESS_KEY_ID: 'ASIAEXAMPLECI0000002', AWS_SECRET_ACCESS_KEY: 'b', AWS_SESSION_TOKEN: 'ci', AWS_ROLE_ARN: 'arn:aws:iam::111122223333:role/ci-deploy' },
    ];
    const saved = { ...process.env };
    const texts = identities.map((identity) => {
      Object.assign(process.env, identity);
      try {
        return synthStack(buildStack());
      } finally {
        for (const k of Object.keys(identity)) {
          if (saved[k] === undefined) delete process.env[k];
          else process.env[k] = saved[k];
        }
      }
    });
    expect(texts[1]).toBe(texts[0]);
  });

  test('no resource or data source refers to the caller: no session context, the caller identity only for the account id (its ARN only in the admin check)', () => {
    const { tf } = defaultStack();
    expect(Object.keys(tf.data ?? {})).not.toContain('aws_iam_session_context');
    const { check, ...rest } = tf as TfJson & { check: Record<string, unknown> };
    const referencesIn = (part: unknown): string[] => [...new Set([...JSON.stringify(part).matchAll(/data\.aws_caller_identity\.[A-Za-z0-9_-]+\.([a-z_]+)/g)].map((m) => m[1]))];
    expect(referencesIn(rest)).toEqual(['account_id']);
    expect(referencesIn(Object.entries(check).filter(([name]) => name.endsWith('_caller_is_admin')))).toEqual(['arn']);
    // The access entries are exactly the admins listed, keyed by ARN.
    expect(blocks(tf, 'resource', 'aws_eks_access_entry').filter(([, b]) => b.type === 'STANDARD').map(([, b]) => b.principal_arn)).toEqual([ADMIN]);
  });

  test("EKS's creator bootstrap stays off: every admin is an access entry in the state", () => {
    expect(resource(defaultStack().tf, 'aws_eks_cluster', 'control-plane/cluster').block.access_config).toEqual({ authentication_mode: 'API', bootstrap_cluster_creator_admin_permissions: false });
  });

  test.each([
    ['no admin', { admins: [] }, 'admins', /at least one IAM role or user ARN of the aws partition/],
    ['an assumed-role session, refused with the role ARN to use', { admins: ['arn:aws:sts::111122223333:assumed-role/ci-deploy/build-42'] }, 'admins[0]', /arn:aws:iam::111122223333:role\/ci-deploy \(with the role's path/],
    ['a principal of another partition', { admins: ['arn:aws-cn:iam::111122223333:role/ops'] }, 'admins[0]', /of the aws partition.*a principal of aws-cn cannot/],
    ['a group, not a role or user', { admins: ['arn:aws:iam::111122223333:group/ops'] }, 'admins[0]', /an IAM role or user ARN/],
    ['the removed deployerAdmin', { deployerAdmin: true }, 'deployerAdmin', /removed in 0\.2.*formerDeployerAdmin: true/],
    ['two former deployers', { admins: [{ principalArn: ADMIN, formerDeployerAdmin: true }, { principalArn: 'arn:aws:iam::111122223333:role/b', formerDeployerAdmin: true }] }, 'admins[1].formerDeployerAdmin', /true on one admin only \(admins\[0\] has it\)/],
    ['an unknown key of an admin', { admins: [{ principalArn: ADMIN, formerDeployer: true } as never] }, 'admins[0].formerDeployer', /formerDeployerAdmin/],
  ] as Array<[string, Partial<CiliumEksStackProps>, string, RegExp]>)('%s is refused at synth', (_name, props, property, message) => {
    const e = thrown(() => buildStack(props));
    expect(e.property).toBe(property);
    expect(e.message).toMatch(message);
  });

  // The ARN forms `sts get-caller-identity` prints (IAM User Guide, "IAM identifiers"): a role
  // session names the role without its path (terraform-provider-aws PR #19957).
  const CALLERS: Array<[string, string, boolean]> = [
    ['a listed role, as its session', 'arn:aws:sts::111122223333:assumed-role/platform-admin/laptop', true],
    ['a listed role with a path, as its session (the session ARN has no path)', 'arn:aws:sts::111122223333:assumed-role/deployer/ci-42', true],
    ['a listed user with a path', 'arn:aws:iam::111122223333:user/people/alice', true],
    ['a role of another name', 'arn:aws:sts::111122223333:assumed-role/read-only/laptop', false],
    ['the listed role\'s name in another account', 'arn:aws:sts::444455556666:assumed-role/deployer/ci-42', false],
    ['the account root', 'arn:aws:iam::111122223333:root', false],
  ];
  const CHECK_ADMINS = [ADMIN, 'arn:aws:iam::111122223333:role/platform/ci/deployer', 'arn:aws:iam::111122223333:user/people/alice'];

  test.each(CALLERS)('principalKey: %s', (_name, caller, admin) => {
    expect(CHECK_ADMINS.map(principalKey).includes(principalKey(caller))).toBe(admin);
  });

  test('Terraform warns (a check block, the plan unchanged) when the caller is none of the admins; the same table, run by terraform test', () => {
    const tf = synthJson(buildStack({ admins: CHECK_ADMINS })) as TfJson & { check: Record<string, unknown> };
    const [name] = Object.keys(tf.check).filter((k) => k.endsWith('_caller_is_admin'));
    const [[caller]] = blocks(tf, 'data', 'aws_caller_identity');
    const config = {
      provider: { aws: [offlineAwsProvider('eu-west-1')] },
      data: { aws_caller_identity: { [caller]: {} } },
      resource: { terraform_data: { unchanged: { input: 'the plan' } } },
      check: { [name]: tf.check[name] },
    };
    const runs = CALLERS.map(
      ([what, arn, admin], i) => `
# ${what}
run "caller_${i}" {
  command = plan
  override_data {
    target = data.aws_caller_identity.${caller}
    values = { arn = "${arn}", account_id = "111122223333" }
  }
  assert {
    condition     = terraform_data.unchanged.input == "the plan"
    error_message = "the plan changed"
  }${admin ? '' : `
  expect_failures = [check.${name}]`}
}`,
    );
    // A failed check is a warning in a plan; under terraform test it fails the run unless expected,
    // so a matching caller passes only if the check holds, and a stranger only if it fails.
    const r = terraformTestCached('caller-is-admin', config, { 'caller.tftest.hcl': `mock_provider "aws" {}
${runs.join('\n')}
` });
    expect(r.output).toMatch(new RegExp(`Success! ${CALLERS.length} passed, 0 failed`));
    expect(String((tf.check[name] as { assert: Array<{ error_message: string }> }).assert[0].error_message)).toMatch(/none of the admins of cluster "cilium-eks".*docs\/getting-started\.md#before-your-first-deploy.*a warning/);
  });

  test('an admin of the stack\'s partition is accepted in each partition', () => {
    expect(() => buildStack({ region: 'cn-north-1', admins: ['arn:aws-cn:iam::111122223333:user/ops'] })).not.toThrow();
    expect(thrown(() => buildStack({ region: 'cn-north-1', admins: [ADMIN] })).message).toMatch(/of the aws-cn partition/);
  });
});

// ---------------------------------------------------------------------------------------------

describe('zones by zone ID', () => {
  const zonesOf = (props: Partial<CiliumEksStackProps>): { tf: TfJson; subnets: TfBlock[] } => {
    const tf = synthJson(buildStack(props));
    return { tf, subnets: resourcesOfType(tf, 'aws_subnet') };
  };

  test.each(Object.entries(EKS_UNSUPPORTED_ZONE_IDS))('%s: the zones the network is built in exclude %s', (region, refused) => {
    const { tf, subnets } = zonesOf({ region, network: { vpcCidr: '10.0.0.0/16' }, networkPolicies: { namespaces: [] } });
    const [[name, azs]] = blocks(tf, 'data', 'aws_availability_zones');
    for (const id of refused) expect(azs.exclude_zone_ids).toContain(id);
    // No Local or Wavelength Zone; every subnet is placed by a zone ID of that list.
    expect(azs.filter).toEqual([{ name: 'opt-in-status', values: ['opt-in-not-required'] }]);
    for (const s of subnets) expect(s.availability_zone_id).toMatch(new RegExp(`^\\$\\{element\\(data\\.aws_availability_zones\\.${name}\\.zone_ids, \\d\\)\\}$`));
    for (const s of subnets) expect(s.availability_zone).toBeUndefined();
  });

  test('us-west-1, where EKS can use two zones, gets a two-zone network; other regions three', () => {
    expect(zonesOf({ region: 'us-west-1', networkPolicies: { namespaces: [] } }).subnets).toHaveLength(4);
    expect(zonesOf({}).subnets).toHaveLength(6);
  });

  test('pinned zone IDs place the subnets and hold them there', () => {
    const { subnets } = zonesOf({ network: { availabilityZoneIds: ['euw1-az3', 'euw1-az1'] } });
    expect(subnets.map((s) => s.availability_zone_id).sort()).toEqual(['euw1-az1', 'euw1-az1', 'euw1-az3', 'euw1-az3']);
    const lifecycle = subnets[0].lifecycle as { ignore_changes: string[]; postcondition: Array<{ condition: string }> };
    expect(lifecycle.ignore_changes).toEqual(['availability_zone', 'availability_zone_id']);
    expect(lifecycle.postcondition[0].condition).toMatch(/^\$\{self\.availability_zone_id == "euw1-az\d"\}$/);
  });

  test.each([
    ['a zone ID of another region', { availabilityZoneIds: ['use1-az1', 'use1-az2'] }, 'network.availabilityZoneIds[0]', /an Availability Zone ID of eu-west-1 \(euw1-az1/],
    ['a Local Zone ID', { availabilityZoneIds: ['euw1-az1', 'euw1-lhr1-az1'] }, 'network.availabilityZoneIds[1]', /an Availability Zone ID of eu-west-1/],
    ['a zone name where an ID belongs', { availabilityZoneIds: ['eu-west-1a', 'eu-west-1b'] }, 'network.availabilityZoneIds[0]', /euw1-az1/],
    ['a duplicate', { availabilityZoneIds: ['euw1-az1', 'euw1-az1'] }, 'network.availabilityZoneIds[1]', /a zone not listed before/],
    ['one zone', { availabilityZoneIds: ['euw1-az1'] }, 'network.availabilityZoneIds', /two or three availability zones/],
    ['IDs and names together', { availabilityZoneIds: ['euw1-az1', 'euw1-az2'], availabilityZones: ['eu-west-1a', 'eu-west-1b'] }, 'network.availabilityZoneIds', /either availabilityZoneIds or availabilityZones/],
  ] as Array<[string, object, string, RegExp]>)('%s is refused at synth', (_name, network, property, message) => {
    const e = thrown(() => buildStack({ network: network as CiliumEksStackProps['network'] }));
    expect(e.property).toBe(property);
    expect(e.message).toMatch(message);
  });

  test.each(Object.entries(EKS_UNSUPPORTED_ZONE_IDS))('a pinned zone ID EKS refuses in %s is refused at synth', (region, refused) => {
    const ok = `${zoneIdPrefix(region)}-az1`;
    const e = thrown(() => buildStack({ region, network: { availabilityZoneIds: [ok, refused[0]] }, networkPolicies: { namespaces: [] } }));
    expect(e.property).toBe('network.availabilityZoneIds[1]');
    expect(e.message).toMatch(/UnsupportedAvailabilityZoneException/);
  });

  test('zone-ID prefixes follow the published IDs', () => {
    expect(['us-east-1', 'us-west-1', 'ca-central-1', 'cn-north-1', 'ap-southeast-2', 'us-gov-west-1', 'cn-northwest-1'].map(zoneIdPrefix)).toEqual(['use1', 'usw1', 'cac1', 'cnn1', 'apse2', 'usgw1', 'cnnw1']);
  });

  test('pinned zone names stay supported, and the plan refuses one whose zone ID EKS cannot use', () => {
    const { tf, subnets } = zonesOf({ network: { availabilityZones: ['eu-west-1a', 'eu-west-1b'] } });
    expect(subnets.map((s) => s.availability_zone).sort()).toEqual(['eu-west-1a', 'eu-west-1a', 'eu-west-1b', 'eu-west-1b']);
    const [[, named]] = blocks(tf, 'data', 'aws_availability_zones');
    expect((named.lifecycle as { postcondition: Array<{ condition: string }> }).postcondition[0].condition).toContain('use1-az3');
  });
});

// ---------------------------------------------------------------------------------------------

describe('the Spot service-linked role', () => {
  const karpenterPolicies = (tf: TfJson): Array<[string, { Statement: Array<Record<string, unknown>> }]> =>
    blocks(tf, 'resource', 'aws_iam_policy')
      .filter(([k]) => k.startsWith('cluster_karpenter_'))
      .map(([k, b]) => [k, JSON.parse(String(b.policy))]);

  test('by default EC2 may create it at the first Spot launch: the controller may create exactly that role, for Spot only', () => {
    const policies = karpenterPolicies(defaultStack().tf).filter(([, p]) => p.Statement.some((s) => JSON.stringify(s.Action).includes('iam:CreateServiceLinkedRole')));
    expect(policies).toHaveLength(1);
    const [statement] = policies[0][1].Statement;
    expect(statement).toEqual({
      Sid: 'AllowSpotServiceLinkedRoleCreation',
      Effect: 'Allow',
      Action: ['iam:CreateServiceLinkedRole'],
      Resource: expect.stringMatching(new RegExp(`^arn:aws:iam::\\$\\{data\\.aws_caller_identity\\.[^.]+\\.account_id\\}:role/aws-service-role/spot\\.amazonaws\\.com/${SPOT_SERVICE_LINKED_ROLE_NAME}$`)),
      Condition: { StringEquals: { 'iam:AWSServiceName': 'spot.amazonaws.com' } },
    });
    expect(resourcesOfType(defaultStack().tf, 'aws_iam_service_linked_role')).toEqual([]);
  });

  test("'create' creates it, and grants nothing", () => {
    const tf = synthJson(buildStack({ karpenter: { spotServiceLinkedRole: 'create' } }));
    expect(resourcesOfType(tf, 'aws_iam_service_linked_role').map((r) => r.aws_service_name)).toEqual(['spot.amazonaws.com']);
    expect(karpenterPolicies(tf).some(([, p]) => JSON.stringify(p).includes('CreateServiceLinkedRole'))).toBe(false);
  });

  test("'existing' checks at plan, as a warning, that the account has it", () => {
    const tf = synthJson(buildStack({ karpenter: { spotServiceLinkedRole: 'existing' } })) as TfJson & { check?: Record<string, { assert: Array<{ condition: string; error_message: string }> }> };
    const [[name, roles]] = blocks(tf, 'data', 'aws_iam_roles');
    expect(roles).toMatchObject({ path_prefix: '/aws-service-role/spot.amazonaws.com/', name_regex: `^${SPOT_SERVICE_LINKED_ROLE_NAME}$` });
    expect(tf.check?.[name].assert[0].condition).toBe(`\${length(data.aws_iam_roles.${name}.names) > 0}`);
    expect(tf.check?.[name].assert[0].error_message).toContain('aws iam create-service-linked-role --aws-service-name spot.amazonaws.com');
  });

  test('an unknown mode is refused', () => {
    const e = thrown(() => buildStack({ karpenter: { spotServiceLinkedRole: 'auto' as never } }));
    expect(e.property).toBe('karpenter.spotServiceLinkedRole');
  });
});

// ---------------------------------------------------------------------------------------------

const PARTITION_REGIONS = { aws: 'eu-west-1', 'aws-cn': 'cn-north-1', 'aws-us-gov': 'us-gov-west-1' } as const;
/** Every AWS service whose principal a stack names (trust policies, key and queue policies, the Spot role). */
const SERVICES = ['ec2', 'eks', 'events', 'logs', 'pods.eks', 'spot', 'sqs'];

/** Every service principal a stack names: in policy documents, in `iam:AWSServiceName` and in service-linked roles. */
function servicePrincipalsOf(tf: TfJson): { principals: string[]; passedToService: string[][] } {
  const principals: string[] = [];
  const passedToService: string[][] = [];
  const visit = (doc: unknown): void => {
    for (const s of ((doc as { Statement?: unknown[] }).Statement ?? []) as Array<Record<string, unknown>>) {
      const service = (s.Principal as { Service?: string | string[] } | undefined)?.Service;
      if (service !== undefined) principals.push(...[service].flat());
      const condition = (s.Condition ?? {}) as Record<string, Record<string, string | string[]>>;
      for (const keys of Object.values(condition)) {
        if (keys['iam:AWSServiceName'] !== undefined) principals.push(...[keys['iam:AWSServiceName']].flat());
        if (keys['iam:PassedToService'] !== undefined) passedToService.push([keys['iam:PassedToService']].flat());
      }
    }
  };
  for (const [type, attribute] of [['aws_iam_role', 'assume_role_policy'], ['aws_iam_policy', 'policy'], ['aws_kms_key', 'policy'], ['aws_sqs_queue_policy', 'policy']]) {
    for (const b of resourcesOfType(tf, type)) if (typeof b[attribute] === 'string') visit(JSON.parse(b[attribute] as string));
  }
  for (const r of resourcesOfType(tf, 'aws_iam_service_linked_role')) principals.push(String(r.aws_service_name));
  // Key policies inside CloudFormation templates (the log export's evidence key).
  for (const s of resourcesOfType(tf, 'aws_cloudformation_stack')) {
    for (const r of Object.values((JSON.parse(String(s.template_body)) as { Resources: Record<string, { Properties?: { KeyPolicy?: unknown } }> }).Resources)) {
      if (r.Properties?.KeyPolicy !== undefined) visit(r.Properties.KeyPolicy);
    }
  }
  return { principals, passedToService };
}

describe('one stack per partition: every ARN and service principal is the partition\'s', () => {
  const stacks = Object.entries(PARTITION_REGIONS).map(([partition, region]) => {
    const stack = buildStack({ region, admins: [`arn:${partition}:iam::111122223333:role/platform-admin`], karpenter: { spotServiceLinkedRole: 'create' } });
    return { partition, region, text: synthStack(stack), tf: synthJson(stack) };
  });

  test.each(stacks.map((s) => [s.partition, s]))('%s: every ARN names the partition, as a literal', (partition, s) => {
    // The admin check's regular expressions (patterns of ARNs, not ARNs) left out; its admins are the access entries'.
    const checks = Object.fromEntries(Object.entries((s.tf as TfJson & { check: Record<string, unknown> }).check).filter(([name]) => !name.endsWith('_caller_is_admin')));
    const fields = [...JSON.stringify({ ...s.tf, check: checks }).matchAll(/arn:([^:"\\]*):/g)].map((m) => m[1]);
    expect(fields.length).toBeGreaterThan(20);
    expect([...new Set(fields)]).toEqual([partition]);
    expect(Object.keys(s.tf.data ?? {})).not.toContain('aws_partition');
  });

  test.each(stacks.map((s) => [s.partition, s]))('%s: every service principal is the one core/partition.ts gives for the region', (_partition, s) => {
    const context = partitionContext(s.region);
    const allowed = SERVICES.flatMap((svc) => [context.servicePrincipal(svc), context.regionalServicePrincipal(svc)]);
    const { principals, passedToService } = servicePrincipalsOf(s.tf);
    expect(principals.length).toBeGreaterThan(5);
    expect(principals.filter((p) => !allowed.includes(p))).toEqual([]);
    // The KMS key of the log groups names CloudWatch Logs by its regional principal (`.amazonaws.com.cn` in aws-cn).
    expect(principals).toContain(context.regionalServicePrincipal('logs'));
    // Karpenter's iam:PassedToService lists both EC2 forms (its CloudFormation, verbatim): the partition's is among them.
    for (const values of passedToService) expect(values).toContain(context.servicePrincipal('ec2'));
  });
});

// ---------------------------------------------------------------------------------------------

describe('the stack\'s identity is its own, not the cluster name', () => {
  test('main.ts names the stack apart from the cluster, with 0.1.0\'s default as its id', () => {
    expect(STACK_ID).toBe('cilium-eks');
    expect(appConfig.clusterName).toBe(STACK_ID);
    const app = Testing.app();
    new CiliumEksStack(app, STACK_ID, { ...appConfig, clusterName: 'renamed' });
    expect(app.node.children.map((c) => c.node.id)).toEqual([STACK_ID]);
  });

  test('a rename refuses at synth when the local state holds the cluster under its old name', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cilium-eks-state-'));
    try {
      const state = { version: 4, resources: [{ mode: 'managed', type: 'aws_eks_cluster', name: 'c', instances: [{ attributes: { name: 'cilium-eks' } }] }] };
      fs.writeFileSync(path.join(root, `terraform.${STACK_ID}.tfstate`), JSON.stringify(state));
      const build = (clusterName: string) => new CiliumEksStack(Testing.app({ outdir: path.join(root, 'cdktf.out') }), STACK_ID, { ...appConfig, clusterName });
      const e = thrown(() => build('cilium-eks-2'));
      expect(e.property).toBe('clusterName');
      expect(e.message).toMatch(/"cilium-eks-2" is not valid; allowed: "cilium-eks", the cluster in this stack's state \(terraform\.cilium-eks\.tfstate\).*EKS cannot rename a cluster/);
      expect(() => build('cilium-eks')).not.toThrow();
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  test('with any backend, Terraform refuses the rename at plan, from the name recorded at the first apply', () => {
    // The synthesized name record and the cluster's rename precondition, on a stand-in cluster:
    // apply under one name, then plan under another (the built-in provider only, nothing downloaded).
    const configFor = (clusterName: string): object => {
      const tf = synthJson(buildStack({ clusterName }));
      const [[recordName, record]] = blocks(tf, 'resource', 'terraform_data');
      const cluster = resource(tf, 'aws_eks_cluster', 'control-plane/cluster').block;
      const rename = ((cluster.lifecycle as { precondition: Array<{ error_message: string }> }).precondition).filter((p) => p.error_message.startsWith('cilium-eks: clusterName is'));
      expect(rename).toHaveLength(1);
      return { resource: { terraform_data: { [recordName]: plain(record), cluster: { input: clusterName, lifecycle: { precondition: rename } } } } };
    };
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cilium-eks-rename-'));
    const env = { ...process.env, TF_CLI_CONFIG_FILE: '/dev/null', CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1' };
    const tf = (args: string[]) => spawnSync(terraformBinary(), [...args, '-input=false', '-no-color'], { cwd: dir, env, encoding: 'utf8' });
    try {
      fs.writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify(configFor('cilium-eks')));
      const first = tf(['apply', '-auto-approve']);
      expect(first.status).toBe(0);
      expect(tf(['plan', '-detailed-exitcode']).status).toBe(0);
      fs.writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify(configFor('cilium-eks-2')));
      const renamed = tf(['plan']);
      expect(renamed.status).toBe(1);
      expect(`${renamed.stdout}${renamed.stderr}`.replace(/\s+/g, ' ')).toMatch(/clusterName is "cilium-eks-2", but this stack's cluster is "cilium-eks"\. EKS cannot rename a cluster/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

// ---------------------------------------------------------------------------------------------

describe('Terraform itself: zone stability, the Spot check and the provider\'s service principals', () => {
  test('core/partition.ts gives what the AWS provider\'s aws_service_principal gives, in a region of each partition', () => {
    // The real provider, offline: the data source computes the principal from the region it is given.
    const principals = Object.entries(PARTITION_REGIONS).flatMap(([p, region]) => SERVICES.map((svc) => ({ key: `${p}/${svc}`, region, svc, id: `${p.replace(/-/g, '_')}_${svc.replace('.', '_')}` })));
    const config = {
      provider: { aws: [offlineAwsProvider('eu-west-1')] },
      data: { aws_service_principal: Object.fromEntries(principals.map((x) => [x.id, { service_name: x.svc, region: x.region }])) },
      output: { principals: { value: Object.fromEntries(principals.map((x) => [x.key, { name: `\${data.aws_service_principal.${x.id}.name}`, id: `\${data.aws_service_principal.${x.id}.id}` }])) } },
    };
    const expected = Object.fromEntries(principals.map((x) => [x.key, { name: partitionContext(x.region).servicePrincipal(x.svc), id: partitionContext(x.region).regionalServicePrincipal(x.svc) }]));
    const tests = `
run "principals_are_the_providers" {
  command = plan
  assert {
    condition     = jsonencode(output.principals) == jsonencode(${JSON.stringify(expected)})
    error_message = "core/partition.ts differs from aws_service_principal: \${jsonencode(output.principals)}"
  }
}
`;
    const r = terraformTestCached('principals', config, { 'principals.tftest.hcl': tests });
    expect(r.output).toMatch(/Success! 1 passed, 0 failed/);
  });

  test('a zone the region gains moves no subnet; too few zones and a missing Spot role show at plan', () => {
    // The synthesized zone selection, subnets and Spot check, under a mocked provider.
    const zonesTf = defaultStack().tf;
    const spotTf = synthJson(buildStack({ karpenter: { spotServiceLinkedRole: 'existing' } })) as TfJson & { check: Record<string, unknown> };
    const [[azsName, azs]] = blocks(zonesTf, 'data', 'aws_availability_zones');
    const subnets = Object.fromEntries(blocks(zonesTf, 'resource', 'aws_subnet').map(([k, b]) => [k, { ...plain(b), vpc_id: 'vpc-0123456789abcdef0' }]));
    const [[rolesName, roles]] = blocks(spotTf, 'data', 'aws_iam_roles');
    const config = {
      provider: { aws: [offlineAwsProvider('eu-west-1')] },
      data: { aws_availability_zones: { [azsName]: plain(azs) }, aws_iam_roles: { [rolesName]: plain(roles) } },
      resource: { aws_subnet: subnets },
      check: { [rolesName]: spotTf.check[rolesName] },
    };
    const zones = (ids: string[]) => `{ zone_ids = ${JSON.stringify(ids)}, names = ${JSON.stringify(ids.map((_, i) => `eu-west-1${'abcdef'[i]}`))} }`;
    const firstPrivate = Object.keys(subnets).find((k) => k.includes('private-0'));
    const tests = `
mock_provider "aws" {
  override_data {
    target = data.aws_availability_zones.${azsName}
    values = ${zones(['euw1-az1', 'euw1-az2', 'euw1-az3'])}
  }
  override_data {
    target = data.aws_iam_roles.${rolesName}
    values = { names = ["${SPOT_SERVICE_LINKED_ROLE_NAME}"] }
  }
}

run "first_apply" {}

run "a_zone_the_region_gains_moves_no_subnet" {
  command = plan
  override_data {
    target = data.aws_availability_zones.${azsName}
    values = ${zones(['euw1-az0', 'euw1-az1', 'euw1-az2', 'euw1-az3'])}
  }
  assert {
    condition     = aws_subnet.${firstPrivate}.availability_zone_id == "euw1-az1"
    error_message = "the subnet would move to \${aws_subnet.${firstPrivate}.availability_zone_id}"
  }
}

run "a_region_with_too_few_zones_fails_the_plan" {
  command = plan
  override_data {
    target = data.aws_availability_zones.${azsName}
    values = ${zones(['euw1-az1', 'euw1-az2'])}
  }
  expect_failures = [data.aws_availability_zones.${azsName}]
}

run "a_missing_spot_role_warns" {
  command = plan
  override_data {
    target = data.aws_iam_roles.${rolesName}
    values = { names = [] }
  }
  expect_failures = [check.${rolesName}]
}
`;
    const r = terraformTestCached('zones-spot', config, { 'zones-spot.tftest.hcl': tests });
    expect(r.output).toMatch(/Success! 4 passed, 0 failed/);
  });
});

// ---------------------------------------------------------------------------------------------

describe('the system nodes are kept for the add-ons', () => {
  const nodeGroup = (tf: TfJson): TfBlock => resource(tf, 'aws_eks_node_group', 'system-nodes/node-group').block;
  const critical = { key: 'CriticalAddonsOnly', value: 'true', effect: 'NO_SCHEDULE' };

  test('with Karpenter the system nodes carry CriticalAddonsOnly, in the node group and in the kubelet flags', () => {
    const { tf } = defaultStack();
    expect(nodeGroup(tf).taint).toContainEqual(critical);
    const userData = String(resource(tf, 'aws_launch_template', 'system-nodes/launch-template').block.user_data);
    expect(userData).toContain('CriticalAddonsOnly=true:NoSchedule');
  });

  test('without Karpenter they take every workload, unless dedicated says otherwise', () => {
    expect(nodeGroup(synthJson(buildStack({ karpenter: false }))).taint).not.toContainEqual(critical);
    expect(nodeGroup(synthJson(buildStack({ karpenter: false, systemNodeGroup: { dedicated: true } }))).taint).toContainEqual(critical);
    expect(nodeGroup(synthJson(buildStack({ systemNodeGroup: { dedicated: false } }))).taint).not.toContainEqual(critical);
  });

  test('CoreDNS tolerates the taint through its add-on configuration, when the nodes carry it', () => {
    const coredns = (tf: TfJson) => blocks(tf, 'resource', 'aws_eks_addon').find(([, b]) => b.addon_name === 'coredns')?.[1];
    expect(JSON.parse(String(coredns(defaultStack().tf)?.configuration_values))).toEqual({
      tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists' }, { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }],
    });
    expect(coredns(synthJson(buildStack({ karpenter: false })))?.configuration_values).toBeUndefined();
  });

  /** True when one of the tolerations admits the CriticalAddonsOnly taint. */
  const tolerates = (tolerations: unknown): boolean =>
    Array.isArray(tolerations) && tolerations.some((t: Record<string, unknown>) => (t.key === undefined && t.operator === 'Exists') || (t.key === CRITICAL_ADDONS_TOLERATION.key && (t.operator === 'Exists' || t.value === 'true')));

  test('every add-on the project puts on the system nodes tolerates the taint, at a values path its chart has', () => {
    const cilium = buildCiliumValues({ k8sServiceHost: 'x.gr7.eu-west-1.eks.amazonaws.com', region: 'eu-west-1', podSubnetIds: [] });
    const mesh = clusterMeshValues(
      { clusterName: 'a', clusterId: 1, peers: [{ name: 'b', address: 'b.mesh.cilium.io' }], ca: { certBase64: 'Y2VydA==', keyBase64: 'a2V5' }, nativeRoutingCidr: '10.0.0.0/8', apiServerNodeSelector: { 'cilium-eks/node-group': 'system' } },
      DEFAULT_CILIUM_CHART_VERSION,
    );
    const ciliumChart = upstreamYaml('cilium', DEFAULT_CILIUM_CHART_VERSION, 'values.yaml') as JsonObject;
    const karpenterChart = upstreamYaml('karpenter', KARPENTER_DEFAULT_VERSION, 'values.yaml') as JsonObject;
    const tetragon = buildTetragonValues({ clusterName: 'demo', operatorNodeSelector: { 'cilium-eks/node-group': 'system' } });
    const tetragonChart = upstreamYaml('tetragon', '1.7.0', 'values.yaml') as JsonObject;
    const rows: Array<[string, unknown, JsonObject, string]> = [
      ['Cilium agent (chart default)', valueAt(ciliumChart, 'tolerations'), ciliumChart, 'tolerations'],
      ['Cilium operator', valueAt(cilium, 'operator.tolerations'), ciliumChart, 'operator.tolerations'],
      ['Hubble Relay', valueAt(cilium, 'hubble.relay.tolerations'), ciliumChart, 'hubble.relay.tolerations'],
      ['Hubble UI', valueAt(cilium, 'hubble.ui.tolerations'), ciliumChart, 'hubble.ui.tolerations'],
      ['Hubble certificate Job', valueAt(cilium, 'certgen.tolerations'), ciliumChart, 'certgen.tolerations'],
      ['clustermesh-apiserver', valueAt(mesh, 'clustermesh.apiserver.tolerations'), ciliumChart, 'clustermesh.apiserver.tolerations'],
      ['Karpenter controller (chart default)', valueAt(karpenterChart, 'tolerations'), karpenterChart, 'tolerations'],
      ['Tetragon operator', valueAt(tetragon, 'tetragonOperator.tolerations'), tetragonChart, 'tetragonOperator.tolerations'],
      ['Tetragon agent (chart default)', valueAt(tetragonChart, 'tolerations'), tetragonChart, 'tolerations'],
    ];
    for (const [name, tolerations, chart, valuesPath] of rows) {
      expect([name, tolerates(tolerations)]).toEqual([name, true]);
      expect([name, Array.isArray(valueAt(chart, valuesPath))]).toEqual([name, true]);
    }
    // The 1.18 bootstrap Job is the project's own manifest.
    expect(tolerates((hubbleCertBootstrapJob({ chartVersion: '1.18.12' }).spec as { template: { spec: { tolerations: unknown } } }).template.spec.tolerations)).toBe(true);
  });

  test('the log shipper and the EBS CSI pods run everywhere or tolerate the taint', () => {
    const shipper = resourcesOfType(defaultStack().tf, 'helm_release').find((r) => r.name === 'log-shipper');
    expect(tolerates((parse((shipper?.values as string[])[0]) as { tolerations: unknown }).tolerations)).toBe(true);
    // The EBS CSI add-on's chart defaults (2.64.0): controller.tolerations holds CriticalAddonsOnly; the node tolerates all.
    expect(ebsCsiPodTemplates().map((c) => c.component)).toEqual(['ebs-csi-controller', 'ebs-csi-node']);
  });
});

// ---------------------------------------------------------------------------------------------

describe('storage: the EBS CSI driver and a default encrypted gp3 StorageClass', () => {
  test('on by default: the add-on, its controller\'s Pod Identity with the managed policy, and the StorageClass after it', () => {
    const { tf } = defaultStack();
    const addon = resource(tf, 'aws_eks_addon', 'aws-ebs-csi-driver');
    expect(addon.block.addon_name).toBe('aws-ebs-csi-driver');
    const association = resource(tf, 'aws_eks_pod_identity_association', 'storage/association');
    expect(association.block).toMatchObject({ namespace: 'kube-system', service_account: EBS_CSI_CONTROLLER_SERVICE_ACCOUNT });
    expect(addon.block.depends_on).toEqual(expect.arrayContaining([association.address, resource(tf, 'aws_eks_node_group', 'system-nodes/node-group').address]));
    const policies = blocks(tf, 'resource', 'aws_iam_role_policy_attachment').filter(([k]) => k.startsWith('cluster_storage_')).map(([, b]) => b.policy_arn);
    expect(policies).toEqual([`arn:aws:iam::aws:policy/${EBS_CSI_MANAGED_POLICY}`]);
    const sc = resource(tf, 'kubernetes_storage_class_v1', 'storage/default-storage-class').block;
    expect(sc).toMatchObject({
      metadata: { name: 'gp3', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
      storage_provisioner: 'ebs.csi.aws.com',
      volume_binding_mode: 'WaitForFirstConsumer',
      reclaim_policy: 'Delete',
      allow_volume_expansion: true,
      parameters: { type: 'gp3', encrypted: 'true' },
    });
    expect(sc.depends_on).toContain(addon.address);
  });

  test('a KMS key goes into the StorageClass and the driver may use that key only', () => {
    const key = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const tf = synthJson(buildStack({ storage: { volumeKmsKeyArn: key } }));
    expect((resource(tf, 'kubernetes_storage_class_v1', 'storage/default-storage-class').block.parameters as Record<string, string>).kmsKeyId).toBe(key);
    const policy = JSON.parse(String(resource(tf, 'aws_iam_policy', 'storage/kms-policy').block.policy));
    expect(policy.Statement).toEqual([{ Sid: 'EbsCsiVolumeKey', Effect: 'Allow', Action: ['kms:CreateGrant', 'kms:Decrypt', 'kms:GenerateDataKeyWithoutPlaintext'], Resource: key }]);
  });

  test('switchable off: storage: false, or the driver without the StorageClass', () => {
    const off = synthJson(buildStack({ storage: false }));
    expect(blocks(off, 'resource', 'aws_eks_addon').map(([, b]) => b.addon_name)).not.toContain('aws-ebs-csi-driver');
    expect(resourcesOfType(off, 'kubernetes_storage_class_v1')).toEqual([]);
    const noClass = synthJson(buildStack({ storage: { defaultStorageClass: false } }));
    expect(resourcesOfType(noClass, 'kubernetes_storage_class_v1')).toEqual([]);
    expect(blocks(noClass, 'resource', 'aws_eks_addon').map(([, b]) => b.addon_name)).toContain('aws-ebs-csi-driver');
  });

  test.each([
    ['a KMS alias, not a key', { storage: { volumeKmsKeyArn: 'alias/aws/ebs' } }, 'storage.volumeKmsKeyArn'],
    ['an unknown key', { storage: { storageClass: 'gp2' } as never }, 'storage.storageClass'],
    ['a malformed add-on version', { addonVersions: { ebsCsiDriver: 'latest' } }, 'addonVersions.ebsCsiDriver'],
  ] as Array<[string, Partial<CiliumEksStackProps>, string]>)('%s is refused', (_name, props, property) => {
    expect(thrown(() => buildStack(props)).property).toBe(property);
  });
});

// ---------------------------------------------------------------------------------------------

describe('the Cilium operator\'s least privilege', () => {
  const ctx = { partition: 'aws', region: 'eu-west-1', accountId: '111122223333', vpcId: 'vpc-0123456789abcdef0' };
  const statements = ciliumOperatorPolicyStatements(ctx);
  const ec2 = 'arn:aws:ec2:eu-west-1:111122223333';

  test('every action Cilium\'s ENI IPAM calls is granted (Cilium docs "Required Privileges" and the release notes\' additions)', () => {
    const granted = new Set(statements.flatMap((s) => [s.Action].flat()));
    for (const a of ['DeleteNetworkInterface', 'DescribeInstanceTypes', 'DescribeNetworkInterfaces', 'DescribeSubnets', 'DescribeVpcs', 'DescribeRouteTables', 'DescribeSecurityGroups', 'CreateNetworkInterface', 'AttachNetworkInterface', 'ModifyNetworkInterfaceAttribute', 'AssignPrivateIpAddresses', 'CreateTags', 'DescribeManagedPrefixLists', 'GetManagedPrefixListEntries', 'UnassignPrivateIpAddresses', 'DescribeTags', 'DescribeInstances']) {
      expect([a, granted.has(`ec2:${a}`)]).toEqual([a, true]);
    }
  });

  test('each action is granted on every resource type it authorizes, and no other: only reads use "*"', () => {
    for (const { action, resourceTypes } of CILIUM_OPERATOR_EC2_ACTIONS) {
      const resources = statements.filter((s) => [s.Action].flat().includes(action)).flatMap((s) => [s.Resource].flat());
      if (resourceTypes.length === 0) {
        expect([action, resources]).toEqual([action, ['*']]);
      } else {
        expect([action, [...new Set(resources.map((r) => String(r).replace(`${ec2}:`, '').replace('/*', '')))].sort()]).toEqual([action, [...resourceTypes].sort()]);
      }
    }
  });

  test('writes on ENIs, subnets and security groups hold only in the cluster\'s VPC; instances and create-time tags are the documented rest', () => {
    const vpcArn = `${ec2}:vpc/${ctx.vpcId}`;
    for (const s of statements.filter((x) => x.Sid !== 'CiliumEniRead')) {
      const resources = [s.Resource].flat() as string[];
      if (s.Sid === 'CiliumEniInstances') {
        expect(resources).toEqual([`${ec2}:instance/*`]);
      } else if (s.Sid === 'CiliumEniTagOnCreate') {
        expect(s).toMatchObject({ Action: ['ec2:CreateTags'], Condition: { StringEquals: { 'ec2:CreateAction': 'CreateNetworkInterface' } } });
      } else {
        expect(resources.every((r) => /:(network-interface|subnet|security-group)\/\*$/.test(r))).toBe(true);
        expect(s.Condition).toEqual({ ArnEquals: { 'ec2:Vpc': vpcArn } });
      }
    }
  });

  test('the synthesized policy names the network\'s VPC', () => {
    const { tf } = defaultStack();
    const policy = JSON.parse(String(resource(tf, 'aws_iam_policy', 'cilium-operator-identity/policy').block.policy));
    const vpc = resource(tf, 'aws_vpc', 'network/vpc').address;
    expect(policy.Statement.find((s: { Sid: string }) => s.Sid === 'CiliumEniInVpcNetworkInterface').Condition).toEqual({ ArnEquals: { 'ec2:Vpc': expect.stringMatching(new RegExp(`:vpc/\\$\\{${vpc.replace('.', '\\.')}\\.id\\}$`)) } });
  });
});
