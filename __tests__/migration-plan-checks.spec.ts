/**
 * The migration on a cluster tuned for years: `prepare` keeps the add-ons' configuration and
 * identity (a matrix of real-world vpc-cni set-ups, synthesized), and every phase's plan-time
 * checks evaluated by a real `terraform plan` against passing and failing cluster states
 * (support/plan-state.ts turns a described cluster into what each data source returns; every
 * state of this file is planned in one Terraform run per table).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdktf';
import { migrationConfig } from '../examples/migration/main';
import { CILIUM_NODE_LABEL, NOT_A_CILIUM_NODE, withMigrationAffinity } from '../bpf/migration';
import { KARPENTER_CILIUM_STARTUP_TAINT, NON_CARRYING_FEATURES } from '../bpf/migration-preflight';
import { CiliumMigrationStack, CiliumMigrationStackProps } from '../constructs/migration/cilium-migration-stack';
import { JsonObject } from '../core/yaml';
import { thrown } from './support/errors';
import { ClusterState, evaluatePreconditions, StackPrecondition } from './support/plan-state';
import { addon, CILIUM_NODES, cluster, ClusterOptions, KARPENTER_CRD, ks, managedAddons, OLD_NODES } from './support/migration-cluster';
import { PreconditionOutcome } from './support/terraform';
import { synthStack, TfBlock } from './support/synth';
import { terraformBinary } from './support/terraform';

interface StackJson {
  resource: Record<string, Record<string, TfBlock>>;
  data: Record<string, Record<string, TfBlock>>;
  import?: { to: string; id: string }[];
  check?: Record<string, { assert: { condition: string; error_message: string }[] }>;
}

const ROLE = 'arn:aws:iam::111122223333:role/shop-prod-aws-node';
const POD_IDENTITY_ROLE = 'arn:aws:iam::111122223333:role/shop-prod-aws-node-pod-identity';

const synthesized = new Map<string, StackJson>();
/** The example at `phase` with `overrides`, synthesized once per file (read only). */
function synth(phase: string, overrides: Partial<CiliumMigrationStackProps> = {}): StackJson {
  // An override set to undefined removes the example's value: it is part of the key.
  const key = JSON.stringify([phase, overrides], (_k, v: unknown) => (v === undefined ? '(undefined)' : v));
  let tf = synthesized.get(key);
  if (!tf) {
    const app = Testing.app();
    const stack = new CiliumMigrationStack(app, migrationConfig.clusterName, { ...migrationConfig, ...overrides, phase });
    tf = JSON.parse(synthStack(stack)) as StackJson;
    synthesized.set(key, tf);
  }
  return tf;
}

/**
 * Every cluster state of this file, registered where its test is defined and planned together in
 * one Terraform run the first time a test asks for an outcome.
 */
const scenarios = new Map<string, () => { tf: StackJson; state: ClusterState; select?: (p: StackPrecondition) => boolean }>();
let planned: Record<string, Record<string, PreconditionOutcome>> | undefined;
/**
 * A cluster state planned against a phase's stack: every check of the phase, or only those whose
 * message matches `only` (each Terraform evaluation costs; a state that tests one check plans
 * that one and the ones beside it).
 */
function scenario(name: string, tf: () => StackJson, state: ClusterState, only?: RegExp): string {
  if (scenarios.has(name)) throw new Error(`scenario ${name} twice`);
  scenarios.set(name, () => ({ tf: tf(), state, select: only ? (p) => only.test(p.errorMessage) : undefined }));
  return name;
}
/** The messages of the checks that refuse the plan of a scenario. */
function refusals(name: string): string[] {
  planned ??= evaluatePreconditions(Object.fromEntries([...scenarios].map(([n, build]) => [n, build()])));
  return Object.values(planned[name]).filter((o) => !o.ok).map((o) => o.message!);
}
/** The same, with where each check sits. */
function refusalsAt(name: string): string[] {
  refusals(name);
  return Object.entries(planned![name]).filter(([, o]) => !o.ok).map(([at]) => at);
}

const addonOf = (tf: StackJson, name: string): TfBlock => Object.values(tf.resource.aws_eks_addon).find((b) => b.addon_name === name)!;

// ---------------------------------------------------------------------------------------------

interface MatrixRow {
  readonly name: string;
  readonly props: Partial<CiliumMigrationStackProps>;
  /** The cluster that runs what `props` declares. */
  readonly running: ClusterState;
  /** The same cluster with one thing the declaration misses, and what the refusal names. */
  readonly drifted: ClusterState;
  readonly refusal: RegExp;
}

const managed = (vpcCni: CiliumMigrationStackProps['current']['vpcCni'], rest: Partial<CiliumMigrationStackProps['current']> = {}): Pick<CiliumMigrationStackProps, 'current'> => ({
  current: { cni: 'aws-vpc-cni', addons: 'managed', vpcCni, ...rest },
});
const selfManaged = (vpcCni: CiliumMigrationStackProps['current']['vpcCni'], rest: Partial<CiliumMigrationStackProps['current']> = {}): Pick<CiliumMigrationStackProps, 'current'> => ({
  current: { cni: 'aws-vpc-cni', addons: 'self-managed', vpcCni, ...rest },
});
const ack = (...features: (keyof typeof NON_CARRYING_FEATURES)[]) => ({ acknowledge: Object.fromEntries(features.map((f) => [f, NON_CARRYING_FEATURES[f].acknowledgement])) });

const PD_ENV = { ENABLE_PREFIX_DELEGATION: 'true', WARM_PREFIX_TARGET: '1', WARM_IP_TARGET: '5', MINIMUM_IP_TARGET: '2' };
const OWN_AFFINITY = {
  nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] }] }] } },
};

/** A cluster with nothing changed on aws-node (the matrix rows add what each set-up changed). */
const BARE: ClusterOptions = { env: {}, serviceAccountRole: '' };

const MATRIX: MatrixRow[] = [
  {
    name: 'the EKS defaults (self-managed DaemonSets)',
    props: selfManaged(undefined),
    running: cluster(BARE),
    drifted: cluster({ ...BARE, env: { WARM_ENI_TARGET: '2' } }),
    refusal: /WARM_ENI_TARGET=2 runs, not declared/,
  },
  {
    name: 'prefix delegation and warm targets (managed add-on)',
    props: managed({ configuration: { env: PD_ENV } }),
    running: cluster({ ...BARE, env: PD_ENV, addons: managedAddons(addon({ env: PD_ENV })) }),
    drifted: cluster({ ...BARE, env: { ...PD_ENV, WARM_IP_TARGET: '10' }, addons: managedAddons(addon({ env: { ...PD_ENV, WARM_IP_TARGET: '10' } })) }),
    refusal: /WARM_IP_TARGET=10 runs, declared 5/,
  },
  {
    name: 'prefix delegation set with kubectl on a managed add-on (not in its configuration values)',
    props: managed({ configuration: { env: { ENABLE_PREFIX_DELEGATION: 'true' } } }),
    running: cluster({ ...BARE, env: { ENABLE_PREFIX_DELEGATION: 'true' }, addons: managedAddons(addon()) }),
    drifted: cluster({ ...BARE, env: { ENABLE_PREFIX_DELEGATION: 'true' }, addons: managedAddons(addon({ env: { ENABLE_PREFIX_DELEGATION: 'true', WARM_PREFIX_TARGET: '2' } })) }),
    refusal: /the vpc-cni add-on's configuration values are \{"env":\{"ENABLE_PREFIX_DELEGATION":"true","WARM_PREFIX_TARGET":"2"\}\}/,
  },
  {
    name: 'custom networking with ENIConfig (self-managed)',
    props: { ...selfManaged({ configuration: { env: { AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG: 'true', ENI_CONFIG_LABEL_DEF: 'topology.kubernetes.io/zone' } } }), ...ack('customNetworking') },
    running: cluster({ ...BARE, env: { AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG: 'true', ENI_CONFIG_LABEL_DEF: 'topology.kubernetes.io/zone' } }),
    drifted: cluster({ ...BARE, env: { AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG: 'true', ENI_CONFIG_LABEL_DEF: 'failure-domain.beta.kubernetes.io/zone' } }),
    refusal: /ENI_CONFIG_LABEL_DEF=failure-domain\.beta\.kubernetes\.io\/zone runs, declared topology\.kubernetes\.io\/zone/,
  },
  {
    name: 'security groups for pods, with the init container tuned (managed add-on)',
    props: {
      ...managed({ configuration: { env: { ENABLE_POD_ENI: 'true', POD_SECURITY_GROUP_ENFORCING_MODE: 'standard' }, init: { env: { DISABLE_TCP_EARLY_DEMUX: 'true' } } } }),
      ...ack('securityGroupsForPods'),
    },
    running: cluster({
      ...BARE,
      env: { ENABLE_POD_ENI: 'true', POD_SECURITY_GROUP_ENFORCING_MODE: 'standard' },
      initEnv: { DISABLE_TCP_EARLY_DEMUX: 'true' },
      securityGroupPolicies: 2,
      addons: managedAddons(addon({ env: { ENABLE_POD_ENI: 'true', POD_SECURITY_GROUP_ENFORCING_MODE: 'standard' }, init: { env: { DISABLE_TCP_EARLY_DEMUX: 'true' } } })),
    }),
    drifted: cluster({
      ...BARE,
      env: { ENABLE_POD_ENI: 'true', POD_SECURITY_GROUP_ENFORCING_MODE: 'standard' },
      securityGroupPolicies: 2,
      addons: managedAddons(addon({ env: { ENABLE_POD_ENI: 'true', POD_SECURITY_GROUP_ENFORCING_MODE: 'standard' }, init: { env: { DISABLE_TCP_EARLY_DEMUX: 'true' } } })),
    }),
    refusal: /the aws-vpc-cni-init container .* DISABLE_TCP_EARLY_DEMUX=true declared, false runs/,
  },
  {
    name: 'the network policy agent (managed add-on)',
    props: { ...managed({ configuration: { enableNetworkPolicy: 'true', nodeAgent: { enablePolicyEventLogs: 'true' } } }), ...ack('networkPolicyAgent') },
    running: cluster({ ...BARE, networkPolicy: 'true', addons: managedAddons(addon({ enableNetworkPolicy: 'true', nodeAgent: { enablePolicyEventLogs: 'true' } })) }),
    drifted: cluster({ ...BARE, networkPolicy: 'true', addons: managedAddons(addon({ enableNetworkPolicy: 'true' })) }),
    refusal: /the vpc-cni add-on's configuration values are \{"enableNetworkPolicy":"true"\}/,
  },
  {
    name: 'an IRSA role on the aws-node service account (self-managed)',
    props: selfManaged({ serviceAccountRoleArn: ROLE }),
    running: cluster({ ...BARE, serviceAccountRole: ROLE }),
    drifted: cluster({ ...BARE, serviceAccountRole: `${ROLE}-old` }),
    refusal: /has the IAM role "arn:aws:iam::111122223333:role\/shop-prod-aws-node-old"/,
  },
  {
    name: 'an IRSA role and a Pod Identity association (managed add-on)',
    props: managed({ serviceAccountRoleArn: ROLE, podIdentityAssociations: [{ serviceAccount: 'aws-node', roleArn: POD_IDENTITY_ROLE }] }),
    running: cluster({ ...BARE, addons: managedAddons(addon(undefined, ROLE, [{ service_account: 'aws-node', role_arn: POD_IDENTITY_ROLE }])) }),
    drifted: cluster({ ...BARE, addons: managedAddons(addon(undefined, ROLE, [])) }),
    refusal: /owns the Pod Identity associations "" but current\.vpcCni\.podIdentityAssociations declares "aws-node=arn:aws:iam::111122223333:role\/shop-prod-aws-node-pod-identity"/,
  },
  {
    name: 'an affinity of its own (managed add-on)',
    props: managed({ configuration: { affinity: OWN_AFFINITY } }),
    running: cluster({ ...BARE, addons: managedAddons(addon({ affinity: OWN_AFFINITY })) }),
    drifted: cluster({ ...BARE, addons: managedAddons(addon({ affinity: OWN_AFFINITY, tolerations: [{ operator: 'Exists' }] })) }),
    refusal: /configuration values are \{"affinity":.*"tolerations"/,
  },
  {
    name: 'kube-proxy in IPVS mode (self-managed)',
    props: selfManaged(undefined, { kubeProxy: { configuration: { mode: 'ipvs', ipvs: { scheduler: 'rr' } } } }),
    running: cluster({ ...BARE, kubeProxyMode: 'ipvs' }),
    drifted: cluster({ ...BARE, kubeProxyMode: 'iptables' }),
    refusal: /kube-proxy runs in mode iptables .* but current\.kubeProxy\.configuration\.mode says "ipvs"/,
  },
];

describe('prepare keeps what the cluster has', () => {
  const prepared = (row: MatrixRow): StackJson => synth('prepare', row.props);
  for (const row of MATRIX) {
    scenario(`${row.name} / as declared`, () => prepared(row), row.running);
    // Every check but the subnets' and the order's (the cluster states differ only on aws-node and the add-ons).
    scenario(`${row.name} / drifted`, () => prepared(row), row.drifted, /^cilium-eks migration(?! \(prepare\): subnet)(?!: phase)/);
  }
  const affinityRow = MATRIX.find((r) => r.name.startsWith('an affinity'))!;
  const again = scenario('second prepare', () => prepared(affinityRow), cluster({ ...BARE, addons: managedAddons(addon(withMigrationAffinity(affinityRow.props.current!.vpcCni!.configuration))) }));

  test.each(MATRIX.map((r) => [r.name, r] as const))('%s: the add-on configuration is the one declared plus the affinity, the role and associations survive', (_name, row) => {
    const tf = prepared(row);
    const vpcCni = addonOf(tf, 'vpc-cni');
    const declared = row.props.current!.vpcCni ?? {};
    const configuration = JSON.parse(vpcCni.configuration_values as string) as JsonObject;
    // Everything declared is there, unchanged; the one addition is "not a Cilium node" in aws-node's required node affinity.
    expect(configuration).toEqual(withMigrationAffinity(declared.configuration));
    const { affinity, ...rest } = configuration;
    const { affinity: ownAffinity, ...declaredRest } = declared.configuration ?? {};
    expect(rest).toEqual(declaredRest);
    const terms = (affinity as typeof OWN_AFFINITY).nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms;
    for (const term of terms) expect(term.matchExpressions).toContainEqual(NOT_A_CILIUM_NODE);
    if (ownAffinity) expect(terms.map((t) => t.matchExpressions.filter((r) => r.key !== NOT_A_CILIUM_NODE.key))).toEqual(OWN_AFFINITY.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms.map((t) => t.matchExpressions));
    // The identity: the IRSA role and the associations, as declared.
    expect(vpcCni.service_account_role_arn).toBe(declared.serviceAccountRoleArn);
    expect(vpcCni.pod_identity_association).toEqual(declared.podIdentityAssociations?.map((a) => ({ service_account: a.serviceAccount, role_arn: a.roleArn })));
    // Adopted over the DaemonSet's conflicts on create; later updates keep what kubectl changed.
    expect([vpcCni.resolve_conflicts_on_create, vpcCni.resolve_conflicts_on_update]).toEqual(['OVERWRITE', 'PRESERVE']);
    const kubeProxy = addonOf(tf, 'kube-proxy');
    const kubeProxyConfiguration = row.props.current!.kubeProxy?.configuration;
    expect(kubeProxy.configuration_values === undefined ? undefined : JSON.parse(kubeProxy.configuration_values as string)).toEqual(kubeProxyConfiguration);
  });

  test('the configuration stays the same in every later phase that has the add-ons', () => {
    const row = MATRIX.find((r) => r.name.startsWith('security groups'))!;
    for (const phase of ['cilium-nodes', 'drain:web', 'drain:workers']) {
      const tf = synth(phase, row.props);
      expect([phase, addonOf(tf, 'vpc-cni').configuration_values]).toEqual([phase, addonOf(prepared(row), 'vpc-cni').configuration_values]);
    }
  });

  test('under terraform: the cluster as declared passes every check of prepare; one undeclared difference is refused, named', () => {
    for (const row of MATRIX) {
      expect([row.name, refusals(`${row.name} / as declared`)]).toEqual([row.name, []]);
      // Refused, naming the difference (a difference in the add-on's configuration values and on the DaemonSet is named by both checks).
      const drifted = refusals(`${row.name} / drifted`);
      expect([row.name, drifted.some((r) => row.refusal.test(r))]).toEqual([row.name, true]);
      for (const r of drifted) expect(r).toMatch(/^cilium-eks migration \(prepare\): /);
    }
  });

  test('a second prepare (the affinity already merged in the add-on) passes too', () => {
    expect(refusals(again)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------

describe('features that do not carry over, found on the running cluster', () => {
  const none = () => synth('prepare');
  const all = () => synth('prepare', ack('securityGroupsForPods', 'networkPolicyAgent', 'customNetworking'));
  // Declared as running (so only the acknowledgement is missing).
  const npAcked = () => synth('prepare', { ...selfManaged({ configuration: { enableNetworkPolicy: 'true' } }), ...ack('networkPolicyAgent') });
  const features = /SecurityGroupPolicy|network policy|enable-network-policy-controller|=true\. It does not carry over|container of/;
  const sgp = scenario('sgp', none, cluster({ securityGroupPolicies: 3 }), features);
  const sgpAcked = scenario('sgp acknowledged', all, cluster({ securityGroupPolicies: 3 }), features);
  const sgpCrdOnly = scenario('sgp crd without objects', none, cluster({ securityGroupPolicies: 0 }), features);
  const podEniReset = scenario('pod eni reset', () => synth('prepare', selfManaged({ resetEnv: ['ENABLE_POD_ENI'] })), cluster({ ...BARE, env: { ENABLE_POD_ENI: 'true' } }), features);
  const np = scenario('network policy', none, cluster({ networkPolicy: 'true' }), features);
  const npOk = scenario('network policy acknowledged', npAcked, cluster({ ...BARE, networkPolicy: 'true' }), features);

  test('SecurityGroupPolicy objects, a running network policy agent, ENABLE_POD_ENI and custom networking are refused until acknowledged', () => {
    expect(refusals(sgp)).toEqual([
      expect.stringMatching(/^cilium-eks migration: 3 SecurityGroupPolicy object\(s\) give pods their own security groups \(payments\/db-access-0, payments\/db-access-1, payments\/db-access-2\)\. It does not carry over to Cilium: .* set acknowledge\.securityGroupsForPods: 'pods-get-node-security-groups'/),
    ]);
    expect(refusals(sgpAcked)).toEqual([]);
    expect(refusals(sgpCrdOnly)).toEqual([]);
    // Accepting the variable's reset does not lose the feature silently.
    expect(refusals(podEniReset)).toEqual([expect.stringMatching(/^cilium-eks migration: the running aws-node has ENABLE_POD_ENI=true\. It does not carry over/)]);
    expect(refusals(np)).toEqual([
      expect.stringMatching(/enable-network-policy-controller "true" but current\.vpcCni\.configuration\.enableNetworkPolicy is "false"; declare enableNetworkPolicy: "true"/),
      expect.stringMatching(/^cilium-eks migration: the VPC CNI network policy agent is on .*acknowledge\.networkPolicyAgent: 'policies-audited-until-kube-proxy-replacement'/),
    ]);
    expect(refusals(npOk)).toEqual([]);
  });

  test('declared but not acknowledged: refused at synth, before any plan', () => {
    const e = thrown(() => synth('prepare', selfManaged({ configuration: { env: { ENABLE_POD_ENI: 'true' } } })));
    expect(e.property).toBe('acknowledge.securityGroupsForPods');
    expect(thrown(() => synth('drain:web', selfManaged({ configuration: { enableNetworkPolicy: 'true' } }))).property).toBe('acknowledge.networkPolicyAgent');
  });
});

// ---------------------------------------------------------------------------------------------

describe('room for the Cilium nodes', () => {
  const subnets = /: subnet /;
  const roomy = scenario('roomy', () => synth('prepare'), cluster({ freeAddresses: 3000 }), subnets);
  const full = scenario('full', () => synth('prepare'), cluster({ freeAddresses: 300 }), subnets);
  const tight = scenario('tight', () => synth('cilium-nodes'), cluster({ freeAddresses: 500, recorded: 'prepare' }));
  const nodesExist = scenario('nodes exist', () => synth('cilium-nodes'), cluster({ freeAddresses: 10, recorded: 'prepare', nodes: [...OLD_NODES, ...CILIUM_NODES] }));

  test('a subnet without room is refused with the numbers; a tight one warns; once Cilium nodes exist the subnets are not judged again', () => {
    expect(refusals(roomy)).toEqual([]);
    // The example: 9 nodes at most over 3 subnets, 110 pods each in 7 /28 blocks.
    const refused = refusals(full);
    expect(refused).toHaveLength(6);
    expect(refused[0]).toBe(
      'cilium-eks migration (prepare): subnet subnet-0a1b2c3d4e5f60001 (10.0.0.0/20, eu-west-1a) has 300 free addresses; the Cilium nodes need up to 339 there at maxSize (cilium: 3 node(s) x (1 + 7 /28 x 16) = 339, 21 free /28 blocks). Add subnets with room to privateSubnetIds, lower maxSize or maxPods of ciliumNodeGroups, or free addresses in the subnet, then plan again.',
    );
    expect(refused.slice(3).every((m) => /less than 2 x the 339 the Cilium nodes need \(21 \/28 blocks\).*cilium #46644/.test(m))).toBe(true);
    // Enough addresses, but not twice: the warning only (the check block).
    expect(refusalsAt(tight).map((at) => at.split('[')[0])).toEqual(Array(3).fill('check.cilium_eks_shop-prod_migration_pod_prefix_headroom'));
    expect(refusals(nodesExist)).toEqual([]);
  });

  test('the headroom check is a Terraform check block: a warning, the plan goes on', () => {
    const tf = synth('prepare');
    const [name] = Object.keys(tf.check ?? {});
    const values = { subnet: { id: 'subnet-0a1b2c3d4e5f60001', available_ip_address_count: 400 } };
    const assertions = tf.check![name].assert.slice(0, 1).map((a) => ({
      condition: a.condition.replace(/data\.aws_subnet\.[A-Za-z0-9_-]+/g, 'local.subnet').replace(/try\(data\.kubernetes_resources\.[A-Za-z0-9_-]+\[0\]\.objects, \[\]\)/g, '[]'),
      error_message: a.error_message.replace(/data\.aws_subnet\.[A-Za-z0-9_-]+/g, 'local.subnet'),
    }));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cilium-eks-check-'));
    try {
      fs.writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify({ locals: values, check: { [name]: { assert: assertions } } }));
      const env = { ...process.env, TF_CLI_CONFIG_FILE: '/dev/null', CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1' };
      const plan = spawnSync(terraformBinary(), ['plan', '-input=false', '-no-color', '-refresh=false'], { cwd: dir, env, encoding: 'utf8' });
      expect(plan.status).toBe(0);
      expect((plan.stdout + plan.stderr).replace(/\s+/g, ' ')).toMatch(/Warning: Check block assertion failed.*subnet subnet-0a1b2c3d4e5f60001 has 400 free addresses, less than 2 x the 339/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

// ---------------------------------------------------------------------------------------------

describe('the existing add-ons the migration touches', () => {
  const install = () => synth('prepare');
  const adoptProps = { podIdentityAgent: 'adopt', current: { ...migrationConfig.current, podIdentityAgent: { configuration: { agent: { additionalArgs: { '-b': '169.254.170.23' } } } } } } as const;
  const adopt = () => synth('prepare', adoptProps);
  const agentAddon = { 'eks-pod-identity-agent': addon({ agent: { additionalArgs: { '-b': '169.254.170.23' } } }) };
  const agent = /pod-identity-agent|podIdentityAgent/;
  const installAbsent = scenario('install, absent', install, cluster(), agent);
  const installPresent = scenario('install, present', install, cluster({ podIdentityAgent: true }), agent);
  const adoptDeclared = scenario('adopt, as declared', adopt, cluster({ podIdentityAgent: true, addons: agentAddon }));
  const adoptOther = scenario('adopt, other settings', adopt, cluster({ podIdentityAgent: true, addons: { 'eks-pod-identity-agent': addon() } }), agent);

  test("podIdentityAgent 'install' is refused at plan when the agent runs already; 'adopt' imports it in prepare and keeps its settings", () => {
    expect((adopt().import ?? []).map((i) => i.id)).toEqual(['shop-prod:eks-pod-identity-agent']);
    expect(JSON.parse(addonOf(adopt(), 'eks-pod-identity-agent').configuration_values as string)).toEqual({ agent: { additionalArgs: { '-b': '169.254.170.23' } } });
    // Adopted in prepare, it stays through every phase: rolling back never deletes an agent other workloads use.
    for (const phase of ['cilium-nodes', 'kube-proxy-replacement', 'finalize']) expect([phase, Object.values(synth(phase, adoptProps).resource.aws_eks_addon).some((b) => b.addon_name === 'eks-pod-identity-agent')]).toEqual([phase, true]);
    expect(Object.values(install().resource.aws_eks_addon).map((b) => b.addon_name)).not.toContain('eks-pod-identity-agent');
    expect(refusals(installAbsent)).toEqual([]);
    expect(refusals(installPresent)).toEqual([expect.stringMatching(/podIdentityAgent is 'install' but the DaemonSet kube-system\/eks-pod-identity-agent runs already.* Set podIdentityAgent: 'adopt'/)]);
    expect(refusals(adoptDeclared)).toEqual([]);
    expect(refusals(adoptOther)).toEqual([expect.stringMatching(/the eks-pod-identity-agent add-on's configuration values are \{\} but current\.podIdentityAgent\.configuration is/)]);
  });

  const already = /runs already/;
  const withCilium = scenario('cilium runs already', install, { ...cluster(), objects: [...cluster().objects, ks('DaemonSet', 'cilium', {}, 'apps/v1')] }, already);
  const withKarpenter = scenario('karpenter runs already', install, { ...cluster(), objects: [...cluster().objects, KARPENTER_CRD] }, already);
  const withoutOurKarpenter = scenario('karpenter runs already, none asked for', () => synth('prepare', { karpenter: undefined }), { ...cluster(), objects: [...cluster().objects, KARPENTER_CRD] }, already);

  test('what cilium-nodes installs (Cilium, and Karpenter when asked for) is refused in prepare when it runs already', () => {
    expect(refusals(withCilium)).toEqual([expect.stringMatching(/^cilium-eks migration \(prepare\): Cilium runs already \(the DaemonSet kube-system\/cilium exists\)/)]);
    expect(refusals(withKarpenter)).toEqual([expect.stringMatching(/^cilium-eks migration \(prepare\): Karpenter runs already .* Leave karpenter out and move the NodePools/)]);
    expect(refusals(withoutOurKarpenter)).toEqual([]);
  });

  test('settings of an add-on that is not adopted are refused at synth', () => {
    expect(thrown(() => synth('prepare', { current: { ...migrationConfig.current, podIdentityAgent: {} } })).property).toBe('current.podIdentityAgent');
    expect(thrown(() => synth('prepare', { current: { ...migrationConfig.current, vpcCni: { confguration: {} } as never } })).message).toContain('did you mean current.vpcCni.configuration?');
    expect(thrown(() => synth('prepare', { acknowledge: { securityGroupForPods: 'x' } as never })).message).toContain('did you mean acknowledge.securityGroupsForPods?');
  });
});

// ---------------------------------------------------------------------------------------------

describe('drain: what runs already is ready for the pods that move', () => {
  const nodePool = (name: string, labelled: boolean, tainted: boolean): JsonObject => ({
    apiVersion: 'karpenter.sh/v1',
    kind: 'NodePool',
    metadata: { name },
    spec: { template: { metadata: { labels: labelled ? { [CILIUM_NODE_LABEL.key]: CILIUM_NODE_LABEL.value } : { team: 'web' } }, spec: { startupTaints: tainted ? [{ ...KARPENTER_CILIUM_STARTUP_TAINT }] : [] } } },
  });

  const drain = () => synth('drain:web');
  const noKarpenter = scenario('no karpenter', drain, cluster({ recorded: 'cilium-nodes' }));
  const moved = scenario('moved', drain, cluster({ recorded: 'cilium-nodes', nodePools: [nodePool('general', true, true)] }), /NodePool/);
  const notMoved = scenario('not moved', drain, cluster({ recorded: 'cilium-nodes', nodePools: [nodePool('general', true, true), nodePool('batch', false, false), nodePool('gpu', true, false)] }), /NodePool/);

  const sgpLeft = scenario('drain: sgp left', drain, cluster({ recorded: 'cilium-nodes', securityGroupPolicies: 1 }), /SecurityGroupPolicy/);
  const sgpGone = scenario('drain: sgp deleted', drain, cluster({ recorded: 'cilium-nodes', securityGroupPolicies: 0 }), /SecurityGroupPolicy/);

  test('a SecurityGroupPolicy left is refused once pods move, acknowledged or not: the pods it selects could not run on Cilium nodes', () => {
    expect(refusals(sgpLeft)).toEqual([expect.stringMatching(/^cilium-eks migration \(drain\): 1 SecurityGroupPolicy object\(s\) remain \(payments\/db-access-0\)\. The VPC resource controller adds the vpc\.amazonaws\.com\/pod-eni resource/)]);
    expect(refusals(sgpGone)).toEqual([]);
    expect(refusals(noKarpenter)).toEqual([]);
  });

  test('a NodePool without the label or the startup taint is refused, named; none, or all moved, pass', () => {
    expect(refusals(noKarpenter)).toEqual([]);
    expect(refusals(moved)).toEqual([]);
    expect(refusals(notMoved)).toEqual([
      expect.stringMatching(/^cilium-eks migration \(drain\): the Karpenter NodePool\(s\) batch, gpu would launch nodes without the label cilium-eks\/cni=cilium and the Cilium startup taint.*through drift/),
    ]);
  });
});

// ---------------------------------------------------------------------------------------------

describe('the end, only when it is true', () => {
  const kpr = () => synth('kube-proxy-replacement');
  const finalize = () => synth('finalize');
  const allCilium = { nodes: CILIUM_NODES, awsNodeOn: [] as string[] };
  const fargate = { name: 'fargate-ip-10-0-3-5.eu-west-1.compute.internal', labels: { 'eks.amazonaws.com/compute-type': 'fargate' } };
  const rolledOut = { kubeProxyReplacement: 'true', desired: 2, updated: 2, available: 2, generation: 7, observed: 7 };
  const done = scenario('kpr: done', kpr, cluster({ ...allCilium, recorded: 'drain:workers' }));
  const everywhere = /do not carry|aws-node pod/;
  const withFargate = scenario('kpr: with fargate', kpr, cluster({ nodes: [...CILIUM_NODES, fargate], awsNodeOn: [], recorded: 'drain:workers' }), everywhere);
  const oldLeft = scenario('kpr: old node left', kpr, cluster({ nodes: [...CILIUM_NODES, OLD_NODES[1]], recorded: 'drain:workers' }), everywhere);
  const awsNodeLeft = scenario('kpr: aws-node still on a node', kpr, cluster({ nodes: CILIUM_NODES, awsNodeOn: [CILIUM_NODES[0].name], recorded: 'drain:workers' }), everywhere);
  const atFinalize = (cilium: ClusterOptions['cilium']) => cluster({ ...allCilium, cilium, recorded: 'kube-proxy-replacement' });
  const verified = scenario('finalize: verified', finalize, atFinalize(rolledOut));
  const verifiedCheck = /kube-proxy replacement is not verified/;
  const off = scenario('finalize: replacement off', finalize, atFinalize({ ...rolledOut, kubeProxyReplacement: 'false' }), verifiedCheck);
  const rolling = scenario('finalize: rolling out', finalize, atFinalize({ ...rolledOut, updated: 1, available: 1 }), verifiedCheck);
  const unobserved = scenario('finalize: generation not observed', finalize, atFinalize({ ...rolledOut, observed: 6 }), verifiedCheck);
  const noAgent = scenario('finalize: no agent', finalize, atFinalize(undefined), verifiedCheck);

  test('kube-proxy-replacement: refused while an old node remains or aws-node runs, with their names; a Fargate node does not count', () => {
    expect(refusals(done)).toEqual([]);
    expect(refusals(withFargate)).toEqual([]);
    expect(refusals(oldLeft)).toEqual([
      'cilium-eks migration (kube-proxy-replacement): 1 node(s) do not carry cilium-eks/cni=cilium (ip-10-0-2-20.eu-west-1.compute.internal); this phase runs Cilium on every node, so they would run both CNIs. They are old nodes: deploy the drain phase of their node group, let Karpenter replace them (docs/migration.md#karpenter-nodes), or drain and remove nodes no node group manages, then plan again.',
      'cilium-eks migration (kube-proxy-replacement): 1 aws-node pod(s) still run (on ip-10-0-2-20.eu-west-1.compute.internal); their nodes still use the VPC CNI. Drain those nodes first (the drain phases), then plan again.',
    ]);
    expect(refusals(awsNodeLeft)).toEqual([expect.stringMatching(/1 aws-node pod\(s\) still run \(on ip-10-0-1-30/)]);
  });

  test('finalize: refused until cilium-config has kube-proxy replacement on and every agent runs it', () => {
    expect(refusals(verified)).toEqual([]);
    expect(refusals(off)).toEqual([
      'cilium-eks migration (finalize): finalize removes kube-proxy, but kube-proxy replacement is not verified on every node: cilium-config has kube-proxy-replacement "false", agents updated 2 and available 2 of 2 (generation 7, observed 7). Deploy kube-proxy-replacement, wait for kubectl -n kube-system rollout status ds/cilium and cilium status, then plan finalize again.',
    ]);
    expect(refusals(rolling)).toEqual([expect.stringMatching(/agents updated 1 and available 1 of 2/)]);
    expect(refusals(unobserved)).toEqual([expect.stringMatching(/\(generation 7, observed 6\)/)]);
    expect(refusals(noAgent)).toEqual([expect.stringMatching(/kube-proxy-replacement "unset"/)]);
  });
});
