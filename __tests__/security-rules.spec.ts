/**
 * The security baseline: each rule on a compliant and a non-compliant configuration, the Aspect on
 * small stacks and on the default stack of main.ts, suppression, and the PssNamespace construct.
 * One file, so cdktf loads once.
 */
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { Release } from '@cdktf/provider-helm/lib/release';
import { buildCiliumPreflightValues } from '../bpf/cilium-values';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { parse, stringify } from 'yaml';
import { Testing } from 'cdktf';
import { App, Aspects, TerraformResource, TerraformStack } from '../constructs/cdktf';
import { CiliumEksStack } from '../constructs/cilium-eks-stack';
import { ciliumOperatorPolicyStatements, OperatorIdentityMode } from '../constructs/cilium-operator-identity';
import { policyDocument, POD_IDENTITY_TRUST_POLICY, serviceTrustPolicy, toJson } from '../core/iam';
import { iamPolicyDocumentJson, karpenterControllerPolicies } from '../constructs/karpenter/controller-policy';
import { buildEc2NodeClass, toJsonObject } from '../constructs/karpenter/node-resources';
import { PssNamespace } from '../constructs/pss-namespace';
import { RuleCompliance, ruleContext, RuleContext, SecurityRule, SynthesizedConfig, SynthesizedResource } from '../constructs/security/rule';
import {
  ciliumWireguardOff,
  eksControlPlaneLogging,
  eksPublicEndpointOpen,
  eksSecretsEncryption,
  encryptedVolumes,
  hubbleUiPublic,
  iamUnscopedWrite,
  iamWildcardAction,
  imdsV2HopLimit,
  nodeRoleEniPolicy,
  SECURITY_RULES,
} from '../constructs/security/rules';
import { helmReleaseValues } from '../constructs/security/parse';
import { CiliumEksSecurityChecks, SECURITY_ANNOTATION_PREFIX, synthesizedResource } from '../constructs/security/security-aspect';
import { helmValuesSourceOf } from '../constructs/helm-values-source';
import { mergeHelmValues } from '../core/helm-values';
import { JsonObject } from '../core/yaml';
import { config } from '../main';
import { thrown } from './support/errors';
import { securityAnnotations } from './support/annotations';
import { synthApp, synthScope, synthStack, synthStackWithErrors } from './support/synth';

// ---------------------------------------------------------------------------------------------
// Helpers

const EMPTY = ruleContext([]);

function res(type: string, name: string, cfg: SynthesizedConfig): SynthesizedResource {
  return { type, name, address: `${type}.${name}`, path: `test/${name}`, config: cfg };
}

function verdict(rule: SecurityRule, type: string, cfg: SynthesizedConfig, ctx: RuleContext = EMPTY): RuleCompliance {
  return rule.check(type, cfg, ctx).compliance;
}

const policy = (...statements: object[]): string => JSON.stringify({ Version: '2012-10-17', Statement: statements });

const helm = (values: object, extra: Record<string, unknown> = {}): SynthesizedConfig => ({ name: 'cilium', chart: 'cilium', values: [stringify(values)], ...extra });

/** A ManifestRelease-shaped helm_release holding these objects. */
const manifests = (...objects: object[]): SynthesizedConfig => ({ name: 'nodes', chart: './chart', values: [stringify({ manifests: objects })] });

const nodeClass = (spec: object = {}): object => ({ apiVersion: 'karpenter.k8s.aws/v1', kind: 'EC2NodeClass', metadata: { name: 'default' }, spec: { role: 'r', ...spec } });

const annotations = securityAnnotations;

function smallStack(build: (stack: TerraformStack) => void, checks = new CiliumEksSecurityChecks()): { app: App; stack: TerraformStack; checks: CiliumEksSecurityChecks } {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'small');
  // The providers a stack of these resources needs: `cdktf synth` refuses one without them.
  new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
  new HelmProvider(stack, 'helm', {});
  build(stack);
  Aspects.of(stack).add(checks);
  return { app, stack, checks };
}


// ---------------------------------------------------------------------------------------------
// One compliant and one non-compliant case per rule, on configuration objects

describe('rules on configuration objects', () => {
  test('every rule has an id, a level, a title and what switching it off costs', () => {
    expect(SECURITY_RULES.map((r) => r.id)).toEqual([
      'eks-secrets-encryption',
      'eks-control-plane-logging',
      'eks-public-endpoint-open',
      'imds-v2-hop-limit',
      'encrypted-volumes',
      'iam-wildcard-action',
      'iam-unscoped-write',
      'cilium-wireguard-off',
      'hubble-ui-public',
      'node-role-eni-policy',
    ]);
    for (const r of SECURITY_RULES) {
      expect([r.id, r.title.length > 10, r.cost.length > 20, r.resourceTypes.length > 0]).toEqual([r.id, true, true, true]);
    }
  });

  test('eks-secrets-encryption', () => {
    const t = 'aws_eks_cluster';
    expect(verdict(eksSecretsEncryption, t, { encryption_config: { resources: ['secrets'], provider: { key_arn: '${aws_kms_key.k.arn}' } } })).toBe('compliant');
    expect(verdict(eksSecretsEncryption, t, {})).toBe('non-compliant');
    expect(eksSecretsEncryption.check(t, { encryption_config: { resources: [], provider: { key_arn: 'arn' } } }, EMPTY).message).toMatch(/"secrets"/);
  });

  test('eks-control-plane-logging', () => {
    const t = 'aws_eks_cluster';
    expect(verdict(eksControlPlaneLogging, t, { enabled_cluster_log_types: ['api', 'audit', 'authenticator'] })).toBe('compliant');
    const r = eksControlPlaneLogging.check(t, { enabled_cluster_log_types: ['api', 'scheduler'] }, EMPTY);
    expect(r).toEqual({ compliance: 'non-compliant', message: expect.stringContaining('missing "audit", "authenticator"') });
    expect(verdict(eksControlPlaneLogging, t, {})).toBe('non-compliant');
  });

  test('eks-public-endpoint-open', () => {
    const t = 'aws_eks_cluster';
    expect(verdict(eksPublicEndpointOpen, t, { vpc_config: { endpoint_public_access: false } })).toBe('compliant');
    expect(verdict(eksPublicEndpointOpen, t, { vpc_config: { endpoint_public_access: true, public_access_cidrs: ['203.0.113.0/24'] } })).toBe('compliant');
    expect(verdict(eksPublicEndpointOpen, t, { vpc_config: { public_access_cidrs: ['0.0.0.0/0'] } })).toBe('non-compliant');
    expect(verdict(eksPublicEndpointOpen, t, { vpc_config: { endpoint_public_access: true } })).toBe('non-compliant');
    expect(eksPublicEndpointOpen.level).toBe('warning');
  });

  test('imds-v2-hop-limit: launch templates, instances and node groups', () => {
    const good = { metadata_options: { http_endpoint: 'enabled', http_tokens: 'required', http_put_response_hop_limit: 1 } };
    expect(verdict(imdsV2HopLimit, 'aws_launch_template', good)).toBe('compliant');
    expect(verdict(imdsV2HopLimit, 'aws_instance', { metadata_options: { http_endpoint: 'disabled' } })).toBe('compliant');
    const bad = imdsV2HopLimit.check('aws_launch_template', { metadata_options: { http_tokens: 'optional', http_put_response_hop_limit: 2 } }, EMPTY);
    expect(bad.compliance).toBe('non-compliant');
    expect(bad.message).toMatch(/"optional".*hop limit is 2/);
    expect(verdict(imdsV2HopLimit, 'aws_launch_template', {})).toBe('non-compliant');
    expect(verdict(imdsV2HopLimit, 'aws_eks_node_group', { launch_template: { id: '${aws_launch_template.lt.id}' } })).toBe('compliant');
    expect(verdict(imdsV2HopLimit, 'aws_eks_node_group', {})).toBe('non-compliant');
  });

  test('imds-v2-hop-limit: EC2NodeClass in Helm values (CRD defaults when unset)', () => {
    expect(verdict(imdsV2HopLimit, 'helm_release', manifests(nodeClass()))).toBe('compliant');
    expect(verdict(imdsV2HopLimit, 'helm_release', manifests(nodeClass({ metadataOptions: { httpTokens: 'required', httpPutResponseHopLimit: 1 } })))).toBe('compliant');
    const bad = imdsV2HopLimit.check('helm_release', manifests(nodeClass({ metadataOptions: { httpPutResponseHopLimit: 2 } })), EMPTY);
    expect(bad).toEqual({ compliance: 'non-compliant', message: 'EC2NodeClass default spec.metadataOptions hop limit is 2, must be 1' });
    const pool = { apiVersion: 'karpenter.sh/v1', kind: 'NodePool', metadata: { name: 'p' }, spec: { template: { spec: { nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' } } } } };
    expect(verdict(imdsV2HopLimit, 'helm_release', manifests(pool))).toBe('not-applicable');
    expect(imdsV2HopLimit.check('helm_release', { name: 'nodes', values: ['${file("values.yaml")}'] }, EMPTY)).toEqual({
      compliance: 'unreadable',
      message: 'the values of release "nodes" cannot be read at synth: values[0] is a Terraform expression (${file("values.yaml")}), known only at apply time',
    });
  });

  test('imds-v2-hop-limit: the project EC2NodeClass builder passes', () => {
    const built = toJsonObject(buildEc2NodeClass({ clusterName: 'demo', nodeRoleName: 'demo-node', prefixDelegation: true }));
    expect(verdict(imdsV2HopLimit, 'helm_release', manifests(built))).toBe('compliant');
    expect(verdict(encryptedVolumes, 'helm_release', manifests(built))).toBe('compliant');
  });

  test('encrypted-volumes', () => {
    const lt = (encrypted: unknown): SynthesizedConfig => ({ block_device_mappings: [{ device_name: '/dev/xvda', ebs: { encrypted, volume_size: 50 } }] });
    expect(verdict(encryptedVolumes, 'aws_launch_template', lt('true'))).toBe('compliant');
    expect(verdict(encryptedVolumes, 'aws_launch_template', lt(false))).toBe('non-compliant');
    expect(verdict(encryptedVolumes, 'aws_launch_template', {})).toBe('non-compliant');
    expect(verdict(encryptedVolumes, 'aws_ebs_volume', { encrypted: true })).toBe('compliant');
    expect(verdict(encryptedVolumes, 'aws_ebs_volume', {})).toBe('non-compliant');
    expect(verdict(encryptedVolumes, 'aws_instance', { root_block_device: { encrypted: false } })).toBe('non-compliant');
    expect(verdict(encryptedVolumes, 'aws_eks_node_group', {})).toBe('non-compliant');
    const accountDefault = ruleContext([res('aws_ebs_encryption_by_default', 'd', { enabled: true })]);
    expect(verdict(encryptedVolumes, 'aws_ebs_volume', {}, accountDefault)).toBe('compliant');
  });

  test('encrypted-volumes: EC2NodeClass block device mappings', () => {
    const mapping = (encrypted: unknown): object => ({ blockDeviceMappings: [{ deviceName: '/dev/xvda', rootVolume: true, ebs: { volumeSize: '50Gi', encrypted } }] });
    expect(verdict(encryptedVolumes, 'helm_release', manifests(nodeClass(mapping(true))))).toBe('compliant');
    expect(verdict(encryptedVolumes, 'helm_release', manifests(nodeClass()))).toBe('compliant');
    expect(encryptedVolumes.check('helm_release', manifests(nodeClass(mapping(false))), EMPTY)).toEqual({
      compliance: 'non-compliant',
      message: 'EC2NodeClass default spec.blockDeviceMappings[0].ebs encrypted is false, must be true',
    });
  });

  test('iam-wildcard-action', () => {
    const t = 'aws_iam_policy';
    expect(verdict(iamWildcardAction, t, { policy: policy({ Effect: 'Allow', Action: ['s3:GetObject'], Resource: 'arn:aws:s3:::b/*' }) })).toBe('compliant');
    expect(verdict(iamWildcardAction, t, { policy: policy({ Effect: 'Deny', Action: '*', Resource: '*' }) })).toBe('compliant');
    expect(verdict(iamWildcardAction, t, { policy: policy({ Effect: 'Allow', Action: 'ec2:*', Resource: 'arn:aws:ec2:*:*:instance/*' }) })).toBe('non-compliant');
    expect(verdict(iamWildcardAction, 'aws_iam_role_policy', { policy: policy({ Effect: 'Allow', Action: '*', Resource: '*' }) })).toBe('non-compliant');
    expect(verdict(iamWildcardAction, t, { policy: policy({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }) })).toBe('non-compliant');
    expect(verdict(iamWildcardAction, t, { policy: '${data.aws_iam_policy_document.d.json}' })).toBe('not-applicable');
  });

  test('iam-unscoped-write', () => {
    const t = 'aws_iam_policy';
    const stmt = (extra: object): SynthesizedConfig => ({ policy: policy({ Sid: 'S', Effect: 'Allow', Action: ['ec2:TerminateInstances'], Resource: '*', ...extra }) });
    expect(iamUnscopedWrite.check(t, stmt({}), EMPTY)).toEqual({
      compliance: 'non-compliant',
      message: 'statement "S" allows ec2:TerminateInstances on every resource without a scoping condition',
    });
    expect(verdict(iamUnscopedWrite, t, stmt({ Condition: { StringEquals: { 'aws:ResourceTag/kubernetes.io/cluster/demo': 'owned' } } }))).toBe('compliant');
    expect(verdict(iamUnscopedWrite, t, stmt({ Condition: { StringEquals: { 'ec2:CreateAction': 'RunInstances' } } }))).toBe('compliant');
    // A region condition does not narrow which resources are reached.
    expect(verdict(iamUnscopedWrite, t, stmt({ Condition: { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } } }))).toBe('non-compliant');
    expect(verdict(iamUnscopedWrite, t, stmt({ Resource: 'arn:aws:ec2:eu-west-1:111122223333:instance/*' }))).toBe('compliant');
    expect(verdict(iamUnscopedWrite, t, { policy: policy({ Effect: 'Allow', Action: ['ec2:Describe*', 'iam:ListRoles', 'ssm:GetParameter'], Resource: '*' }) })).toBe('compliant');
  });

  test("the project's own policies pass both IAM rules", () => {
    const cilium = toJson(policyDocument(ciliumOperatorPolicyStatements({ partition: 'aws', region: 'eu-west-1', accountId: '111122223333', vpcId: 'vpc-0123456789abcdef0' })));
    const karpenter = karpenterControllerPolicies({
      partition: 'aws',
      region: 'eu-west-1',
      accountId: '111122223333',
      clusterName: 'demo',
      nodeRoleArn: 'arn:aws:iam::111122223333:role/demo-node',
      nodeRoleName: 'demo-node',
      interruptionQueueArn: 'arn:aws:sqs:eu-west-1:111122223333:demo',
    }).map((p) => iamPolicyDocumentJson(p.statements));
    for (const doc of [cilium, ...karpenter]) {
      expect(verdict(iamWildcardAction, 'aws_iam_policy', { policy: doc })).toBe('compliant');
      expect(verdict(iamUnscopedWrite, 'aws_iam_policy', { policy: doc })).toBe('compliant');
    }
  });

  test('cilium-wireguard-off', () => {
    const t = 'helm_release';
    expect(verdict(ciliumWireguardOff, t, helm({ encryption: { enabled: true, type: 'wireguard' } }))).toBe('compliant');
    expect(verdict(ciliumWireguardOff, t, helm({ encryption: { enabled: false } }))).toBe('non-compliant');
    expect(verdict(ciliumWireguardOff, t, helm({}))).toBe('non-compliant');
    const overridden = helm({ encryption: { enabled: true, type: 'wireguard' } }, { set: [{ name: 'encryption.enabled', value: 'false' }] });
    expect(verdict(ciliumWireguardOff, t, overridden)).toBe('non-compliant');
    expect(verdict(ciliumWireguardOff, t, { name: 'other', chart: 'other', values: [] })).toBe('not-applicable');
    // The upgrade guide's pre-flight release runs no agent: nothing to encrypt (buildCiliumPreflightValues).
    expect(verdict(ciliumWireguardOff, t, helm(buildCiliumPreflightValues({ chartVersion: '1.20.0', k8sServiceHost: 'abc.gr7.eu-west-1.eks.amazonaws.com', region: 'eu-west-1' })))).toBe('not-applicable');
    // A release that runs agents is judged even when it also pre-pulls.
    expect(verdict(ciliumWireguardOff, t, helm({ preflight: { enabled: true } }))).toBe('non-compliant');
  });

  test('hubble-ui-public', () => {
    const t = 'helm_release';
    const ui = (extra: object): SynthesizedConfig => helm({ hubble: { ui: { enabled: true, ...extra } } });
    expect(verdict(hubbleUiPublic, t, ui({ service: { type: 'ClusterIP' } }))).toBe('compliant');
    expect(verdict(hubbleUiPublic, t, ui({ service: { type: 'LoadBalancer' } }))).toBe('non-compliant');
    const internal = { 'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal' };
    expect(verdict(hubbleUiPublic, t, ui({ service: { type: 'LoadBalancer', annotations: internal } }))).toBe('compliant');
    const ingress = { enabled: true, annotations: { 'alb.ingress.kubernetes.io/scheme': 'internet-facing' } };
    expect(verdict(hubbleUiPublic, t, ui({ ingress }))).toBe('non-compliant');
    expect(verdict(hubbleUiPublic, t, helm({ hubble: { ui: { enabled: false, service: { type: 'LoadBalancer' } } } }))).toBe('compliant');
  });

  describe('node-role-eni-policy', () => {
    const eniPolicy = res('aws_iam_policy', 'eni', { policy: toJson(policyDocument(ciliumOperatorPolicyStatements({ partition: 'aws', region: 'eu-west-1', accountId: '1', vpcId: 'vpc-1' }))) });
    const nodeRole = res('aws_iam_role', 'node', { assume_role_policy: toJson(serviceTrustPolicy('ec2.amazonaws.com')) });
    const podRole = res('aws_iam_role', 'pod', { assume_role_policy: toJson(POD_IDENTITY_TRUST_POLICY) });
    const agent = res('aws_eks_addon', 'agent', { addon_name: 'eks-pod-identity-agent' });
    const attach = (role: string): SynthesizedConfig => ({ role: `\${aws_iam_role.${role}.name}`, policy_arn: '${aws_iam_policy.eni.arn}' });
    const t = 'aws_iam_role_policy_attachment';

    test('warns for the ENI policy on a node role when Pod Identity is available', () => {
      const ctx = ruleContext([eniPolicy, nodeRole, podRole, agent]);
      expect(nodeRoleEniPolicy.level).toBe('warning');
      expect(verdict(nodeRoleEniPolicy, t, attach('node'), ctx)).toBe('non-compliant');
      expect(verdict(nodeRoleEniPolicy, t, attach('pod'), ctx)).toBe('compliant');
      const managed = { role: '${aws_iam_role.node.name}', policy_arn: 'arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy' };
      expect(verdict(nodeRoleEniPolicy, t, managed, ctx)).toBe('non-compliant');
      const inline = { role: '${aws_iam_role.node.id}', policy: eniPolicy.config.policy };
      expect(verdict(nodeRoleEniPolicy, 'aws_iam_role_policy', inline, ctx)).toBe('non-compliant');
    });

    test('is not applicable without Pod Identity, or for a role outside the stack', () => {
      expect(verdict(nodeRoleEniPolicy, t, attach('node'), ruleContext([eniPolicy, nodeRole]))).toBe('not-applicable');
      expect(verdict(nodeRoleEniPolicy, t, { role: 'external-role', policy_arn: '${aws_iam_policy.eni.arn}' }, ruleContext([eniPolicy, agent]))).toBe('not-applicable');
    });
  });
});

// ---------------------------------------------------------------------------------------------
// The Aspect on stacks

describe('CiliumEksSecurityChecks on small stacks', () => {
  test('a launch template without IMDSv2 is an error that stops synth', () => {
    const { app, stack } = smallStack((s) => new LaunchTemplate(s, 'lt', { namePrefix: 'x-', metadataOptions: { httpTokens: 'optional' } }));
    synthStackWithErrors(stack);
    const errors = annotations(stack, 'error');
    expect(errors.filter((e) => e.includes(':imds-v2-hop-limit]'))).toHaveLength(1);
    expect(errors.filter((e) => e.includes(':encrypted-volumes]'))).toHaveLength(1);
    expect(() => synthApp(app)).toThrow(/imds-v2-hop-limit/);
  });

  test('a compliant launch template adds nothing, and synthesizing twice does not repeat annotations', () => {
    const { stack, checks } = smallStack(
      (s) =>
        new LaunchTemplate(s, 'lt', {
          metadataOptions: { httpTokens: 'required', httpPutResponseHopLimit: 1 },
          blockDeviceMappings: [{ deviceName: '/dev/xvda', ebs: { encrypted: 'true' } }],
        }),
    );
    synthStack(stack);
    synthStack(stack);
    expect([...annotations(stack, 'error'), ...annotations(stack, 'warn')]).toEqual([]);
    expect(checks.results.map((r) => [r.ruleId, r.compliance])).toEqual([
      ['imds-v2-hop-limit', 'compliant'],
      ['encrypted-volumes', 'compliant'],
    ]);
  });

  test('an IAM policy allowing "*" is an error on the policy resource', () => {
    const { stack } = smallStack((s) => new IamPolicy(s, 'admin', { policy: policy({ Effect: 'Allow', Action: '*', Resource: '*' }) }));
    synthStackWithErrors(stack);
    const errors = stack.node.findChild('admin').node.metadata.filter((m) => m.type === '@cdktf/error').map((m) => String(m.data));
    expect(errors.some((e) => e.includes(':iam-wildcard-action]'))).toBe(true);
    expect(errors.some((e) => e.includes(':iam-unscoped-write]'))).toBe(true);
  });

  test('a suppressed rule reports an info with its reason instead', () => {
    const checks = new CiliumEksSecurityChecks({ suppress: { 'imds-v2-hop-limit': 'legacy agent needs IMDSv1 until Q3', 'encrypted-volumes': 'scratch' } });
    const { stack } = smallStack((s) => new LaunchTemplate(s, 'lt', {}), checks);
    synthStack(stack);
    expect(annotations(stack, 'error')).toEqual([]);
    expect(annotations(stack, 'info').find((i) => i.includes(':imds-v2-hop-limit]'))).toMatch(/rule switched off: legacy agent needs IMDSv1 until Q3/);
    expect(checks.results.find((r) => r.ruleId === 'imds-v2-hop-limit')?.suppressedBecause).toBe('legacy agent needs IMDSv1 until Q3');
  });

  test('a suppression without a reason, or of an unknown rule, is refused', () => {
    expect(thrown(() => new CiliumEksSecurityChecks({ suppress: { 'eks-public-endpoint-open': '' } })).property).toBe('suppress.eks-public-endpoint-open');
    expect(thrown(() => new CiliumEksSecurityChecks({ suppress: { 'eks-public-endpoint-open': '   ' } })).property).toBe('suppress.eks-public-endpoint-open');
    expect(thrown(() => new CiliumEksSecurityChecks({ suppress: { 'no-such-rule': 'x' } })).message).toMatch(/no-such-rule.*eks-secrets-encryption/);
  });

  test('custom rules run alongside', () => {
    const noLt: SecurityRule = {
      id: 'no-launch-templates',
      level: 'warning',
      title: 'No launch templates',
      cost: 'none, this is a test rule',
      resourceTypes: ['aws_launch_template'],
      check: () => ({ compliance: 'non-compliant', message: 'found one' }),
    };
    const { stack } = smallStack((s) => new LaunchTemplate(s, 'lt', {}), new CiliumEksSecurityChecks({ rules: [noLt] }));
    synthStack(stack);
    expect(annotations(stack, 'warn')).toEqual(['[cilium-eks-security:no-launch-templates] No launch templates: found one']);
  });
});

describe('CiliumEksSecurityChecks on the default stack (main.ts config)', () => {
  let stack: TerraformStack;
  const checks = new CiliumEksSecurityChecks();
  beforeAll(() => {
    stack = new CiliumEksStack(Testing.app(), 'default', { ...config, securityChecks: false });
    Aspects.of(stack).add(checks);
    synthStack(stack);
  });
  const verdicts = (id: string): RuleCompliance[] => checks.results.filter((r) => r.ruleId === id).map((r) => r.compliance);

  test('no errors', () => {
    expect(annotations(stack, 'error')).toEqual([]);
  });

  test('the only warning is the public endpoint open to 0.0.0.0/0 that main.ts configures', () => {
    expect(annotations(stack, 'warn').map((w) => w.split(']')[0])).toEqual([`[${SECURITY_ANNOTATION_PREFIX}:eks-public-endpoint-open`]);
  });

  test('every rule found something to judge, and read the Helm values it needs', () => {
    for (const rule of SECURITY_RULES) {
      const expected = rule.id === 'eks-public-endpoint-open' ? 'non-compliant' : 'compliant';
      expect([rule.id, verdicts(rule.id).includes(expected)]).toEqual([rule.id, true]);
    }
    // The Cilium values YAML (with a Terraform expression in k8sServiceHost) parsed.
    expect(checks.results.find((r) => r.ruleId === 'cilium-wireguard-off' && r.compliance !== 'not-applicable')?.message).toBe('encryption.type "wireguard"');
    // The Karpenter EC2NodeClass delivered through ManifestRelease was found.
    expect(checks.results.filter((r) => r.ruleId === 'imds-v2-hop-limit' && r.compliance !== 'not-applicable' && /EC2NodeClass/.test(r.message)).map((r) => [r.compliance, r.message])).toEqual([
      ['compliant', '1 EC2NodeClass(es): IMDSv2 only, hop limit 1'],
    ]);
  });

  test("the project's releases are read from the data of the construct that wrote them, which a YAML parser reads from the synthesized text", () => {
    const all = stack.node.findAll().filter((c): c is TerraformResource => TerraformResource.isTerraformResource(c) && c.terraformResourceType === 'helm_release');
    // The karpenter-crd release takes the chart's defaults: no values to read.
    expect(all.map(synthesizedResource).filter((r) => r.config.values === undefined).map((r) => r.config.name)).toEqual(['karpenter-crd']);
    const nodes = all.filter((n) => synthesizedResource(n).config.values !== undefined);
    const releases = nodes.map(synthesizedResource);
    const ctx = ruleContext(releases);
    expect(releases.map((r) => r.config.name).sort()).toEqual([
      'cilium',
      'cilium-eks-network-policies',
      'cilium-eks-tracing-policies',
      'karpenter',
      'karpenter-node-resources',
      'log-shipper',
      'tetragon',
    ]);
    for (const [i, release] of releases.entries()) {
      const entries = release.config.values as string[];
      // The owning construct holds the data of every entry (no YAML parse on this path) ...
      expect([release.path, helmValuesSourceOf(nodes[i]) !== undefined, release.helmValuesData?.map((d) => d !== undefined)]).toEqual([release.path, true, entries.map(() => true)]);
      // ... and it is what the yaml package reads from the synthesized text, Terraform expressions included.
      const parsed = entries.map((e) => parse(e) as JsonObject).reduce((a, b) => mergeHelmValues(a, b), {});
      expect([release.path, helmReleaseValues(release.config, ctx).values]).toStrictEqual([release.path, parsed]);
    }
  });

  test('a release whose values the project did not write is parsed with the yaml package', () => {
    const config = { chart: 'cilium', values: ['encryption:\n  enabled: true\n  type: wireguard\n', '---\nencryption:\n  type: ipsec\n'] };
    expect(helmReleaseValues(config, EMPTY)).toStrictEqual({ values: { encryption: { enabled: true, type: 'ipsec' } } });
  });
});

describe('Helm values the checks cannot read', () => {
  const reason = (config: SynthesizedConfig): string | undefined => helmReleaseValues(config, EMPTY).unreadable;

  test('each reason names the release and what could not be read', () => {
    expect(reason({ name: 'c', values: ['a: [1'] })).toMatch(/^the values of release "c" cannot be read at synth: values\[0\] is not YAML: /);
    expect(reason({ name: 'c', values: ['a: 1', '- x'] })).toBe('the values of release "c" cannot be read at synth: values[1] is ["x"], not a map of values');
    expect(reason({ name: 'c', values: [{ a: 1 }] })).toBe('the values of release "c" cannot be read at synth: values[0] is {"a":1}, not a string');
    expect(reason({ name: 'c', values: 'a: 1' })).toBe('the values of release "c" cannot be read at synth: values is "a: 1", not a list');
    expect(reason({ name: 'c', values: [], set: [{ name: 'hubble.ui.ingress.hosts[0]', value: 'x' }] })).toBe(
      'the values of release "c" cannot be read at synth: set[0].name "hubble.ui.ingress.hosts[0]" has a list index, which the checks do not model',
    );
    // A Terraform expression inside a scalar is a string, not a reason.
    expect(reason({ name: 'c', values: ['k8sServiceHost: ${aws_eks_cluster.c.endpoint}'] })).toBeUndefined();
  });

  test('set, set_list and set_sensitive apply after the values files, as Helm applies them', () => {
    const config = {
      name: 'c',
      values: ['encryption:\n  enabled: true\n'],
      set_sensitive: [{ name: 'encryption.enabled', value: 'false' }],
      set_list: [{ name: 'hubble.metrics.enabled', value: ['dns'] }],
    };
    expect(helmReleaseValues(config, EMPTY).values).toStrictEqual({ encryption: { enabled: false }, hubble: { metrics: { enabled: ['dns'] } } });
  });

  test("a consumer's Cilium release: readable values are judged, unreadable ones give one warning naming the release and the reason", () => {
    const { stack, checks } = smallStack((s) => {
      new Release(s, 'readable', { name: 'cilium', chart: 'cilium', values: ['encryption:\n  enabled: false\n'] });
      new Release(s, 'unreadable', { name: 'cilium-file', chart: 'cilium', values: ['${file("cilium.yaml")}'] });
    });
    synthStackWithErrors(stack);
    expect(annotations(stack, 'error')).toEqual([
      expect.stringMatching(/^\[cilium-eks-security:cilium-wireguard-off\] .*encryption.enabled is false/),
    ]);
    expect(annotations(stack, 'warn')).toEqual([
      '[cilium-eks-security:unreadable] helm_release.unreadable (small/unreadable): the values of release "cilium-file" cannot be read at synth: ' +
        'values[0] is a Terraform expression (${file("cilium.yaml")}), known only at apply time. Not checked: imds-v2-hop-limit, encrypted-volumes, cilium-wireguard-off, hubble-ui-public',
    ]);
    expect(checks.results.filter((r) => r.compliance === 'unreadable').map((r) => r.ruleId)).toEqual(['imds-v2-hop-limit', 'encrypted-volumes', 'cilium-wireguard-off', 'hubble-ui-public']);
  });

  test('a suppressed rule is left out of the warning; with every reading rule suppressed there is none', () => {
    const build = (suppress: Record<string, string>): TerraformStack => {
      const { stack } = smallStack((s) => new Release(s, 'r', { name: 'x', chart: 'x', values: ['${file("x.yaml")}'] }), new CiliumEksSecurityChecks({ suppress }));
      synthStack(stack);
      return stack;
    };
    expect(annotations(build({ 'imds-v2-hop-limit': 'no Karpenter here' }), 'warn')).toEqual([expect.stringMatching(/Not checked: encrypted-volumes$/)]);
    expect(annotations(build({ 'imds-v2-hop-limit': 'none', 'encrypted-volumes': 'none' }), 'warn')).toEqual([]);
  });
});

describe('node-role-eni-policy on the stack', () => {
  test('the node-role fallback warns while Pod Identity is available; a reason silences it', () => {
    const build = (checks: CiliumEksSecurityChecks): TerraformStack => {
      const stack = new CiliumEksStack(Testing.app(), 'noderole', { ...config, securityChecks: false, cilium: { operatorIdentity: OperatorIdentityMode.NODE_ROLE } });
      Aspects.of(stack).add(checks);
      synthStack(stack);
      return stack;
    };
    const warned = build(new CiliumEksSecurityChecks());
    expect(annotations(warned, 'warn').filter((w) => w.includes(':node-role-eni-policy]'))).toHaveLength(1);
    expect(annotations(warned, 'error')).toEqual([]);

    const reason = 'Pod Identity agent blocked by the org SCP until ticket SEC-123';
    const quiet = build(new CiliumEksSecurityChecks({ suppress: { 'node-role-eni-policy': reason } }));
    expect(annotations(quiet, 'warn').filter((w) => w.includes(':node-role-eni-policy]'))).toEqual([]);
    expect(annotations(quiet, 'info').filter((w) => w.includes(reason))).toHaveLength(1);
  });
});

// ---------------------------------------------------------------------------------------------

describe('PssNamespace', () => {
  test('creates a kubernetes_namespace_v1 with the six Pod Security labels', () => {
    const synth = JSON.parse(
      synthScope((scope) => {
        new KubernetesProvider(scope, 'kubernetes', {});
        new PssNamespace(scope, 'ns', { name: 'karpenter', kubernetesVersion: '1.35', labels: { team: 'platform' } });
      }),
    ) as { resource: Record<string, Record<string, { metadata: { name: string; labels: Record<string, string> } }>> };
    const [ns] = Object.values(synth.resource.kubernetes_namespace_v1);
    expect(ns.metadata).toEqual({
      name: 'karpenter',
      labels: {
        team: 'platform',
        'pod-security.kubernetes.io/enforce': 'restricted',
        'pod-security.kubernetes.io/enforce-version': 'v1.35',
        'pod-security.kubernetes.io/audit': 'restricted',
        'pod-security.kubernetes.io/audit-version': 'v1.35',
        'pod-security.kubernetes.io/warn': 'restricted',
        'pod-security.kubernetes.io/warn-version': 'v1.35',
      },
    });
  });

  test('refuses namespaces every cluster already has', () => {
    const stack = new TerraformStack(Testing.app(), 's');
    expect(thrown(() => new PssNamespace(stack, 'ks', { name: 'kube-system', level: 'privileged' })).property).toBe('name');
  });
});
