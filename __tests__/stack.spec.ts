import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { App, Testing } from 'cdktf';
import { CiliumEksStack } from '../constructs/cilium-eks-stack';
import { OperatorIdentityMode } from '../constructs/cilium-operator-identity';
import { synthesizedResource } from '../constructs/security/security-aspect';
import { karpenterControllerPolicies } from '../constructs/karpenter/controller-policy';
import { INTERRUPTION_RULE_TARGET_ID, karpenterInterruptionRules } from '../constructs/karpenter/interruption-rules';
import { KARPENTER_NAMESPACE } from '../constructs/karpenter/karpenter';
import { KARPENTER_DISCOVERY_TAG_KEY } from '../constructs/karpenter/node-resources';
import { POD_IDENTITY_TRUST_POLICY } from '../core/iam';
import { buildApp, config } from '../main';
import { validateCiliumValues, validateCustomResource } from './support/upstream';
import { TfBlock, TfJson, buildStack, defaultStack, dependsOn, resource, resourcesOfType, synthApp, synthJson, synthStack } from './support/synth';

describe('default greenfield stack', () => {
  let tf: TfJson;
  let synthText: string;
  beforeAll(() => {
    ({ text: synthText, tf } = defaultStack());
  });

  const address = (type: string, suffix: string): string => resource(tf, type, suffix).address;
  const block = (type: string, suffix: string): TfBlock => resource(tf, type, suffix).block;
  const ciliumValues = (): Record<string, unknown> => parse((block('helm_release', 'cilium/release').values as string[])[0]) as Record<string, unknown>;

  test('matches the reviewed snapshot', () => {
    expect(synthText).toMatchSnapshot();
  });

  test('the cluster bootstraps no self-managed add-ons and no vpc-cni or kube-proxy add-on exists', () => {
    expect(block('aws_eks_cluster', 'control-plane/cluster').bootstrap_self_managed_addons).toBe(false);
    const addons = resourcesOfType(tf, 'aws_eks_addon').map((a) => a.addon_name as string);
    expect(addons.sort()).toEqual(['aws-ebs-csi-driver', 'coredns', 'eks-pod-identity-agent']);
  });

  test('authentication is by access entry only, and each configured admin is made admin through one', () => {
    expect(block('aws_eks_cluster', 'control-plane/cluster').access_config).toEqual({
      authentication_mode: 'API',
      bootstrap_cluster_creator_admin_permissions: false,
    });
    const entry = block('aws_eks_access_entry', 'control-plane/admin-arn-aws-iam-111122223333-role-platform-admin');
    expect(entry.principal_arn).toBe('arn:aws:iam::111122223333:role/platform-admin');
    expect(block('aws_eks_access_policy_association', 'control-plane/admin-arn-aws-iam-111122223333-role-platform-admin-policy')).toMatchObject({
      access_scope: { type: 'cluster' },
      policy_arn: expect.stringMatching(/:eks::aws:cluster-access-policy\/AmazonEKSClusterAdminPolicy$/),
    });
  });

  test('secrets are encrypted with a rotating KMS key and every control-plane log type is on', () => {
    const cluster = block('aws_eks_cluster', 'control-plane/cluster');
    expect(cluster.encryption_config).toEqual({
      provider: { key_arn: `\${${address('aws_kms_key', 'control-plane/secrets-key')}.arn}` },
      resources: ['secrets'],
    });
    expect(block('aws_kms_key', 'control-plane/secrets-key').enable_key_rotation).toBe(true);
    expect(cluster.enabled_cluster_log_types).toEqual(['api', 'audit', 'authenticator', 'controllerManager', 'scheduler']);
  });

  test('the Pod Identity association for kube-system/cilium-operator exists before the Cilium release', () => {
    const assoc = block('aws_eks_pod_identity_association', 'cilium-operator-identity/association');
    expect(assoc).toMatchObject({ namespace: 'kube-system', service_account: 'cilium-operator' });
    expect(dependsOn(assoc)).toContain(address('aws_eks_addon', 'control-plane/eks-pod-identity-agent'));
    const release = block('helm_release', 'cilium/release');
    expect(dependsOn(release)).toEqual(
      expect.arrayContaining([
        address('aws_eks_pod_identity_association', 'cilium-operator-identity/association'),
        address('aws_eks_addon', 'control-plane/eks-pod-identity-agent'),
        address('aws_eks_access_policy_association', 'control-plane/admin-arn-aws-iam-111122223333-role-platform-admin-policy'),
      ]),
    );
  });

  test('the operator role trusts Pod Identity and its policy holds only the ENI actions, writes scoped to the account', () => {
    const role = block('aws_iam_role', 'cilium-operator-identity/role');
    expect(JSON.parse(role.assume_role_policy as string).Statement[0]).toEqual({
      Effect: 'Allow',
      Principal: { Service: 'pods.eks.amazonaws.com' },
      Action: ['sts:AssumeRole', 'sts:TagSession'],
    });
    const policy = JSON.parse(block('aws_iam_policy', 'cilium-operator-identity/policy').policy as string) as {
      Statement: { Action: string[]; Resource: string | string[] }[];
    };
    const actions = policy.Statement.flatMap((s) => s.Action);
    expect(actions).toContain('ec2:CreateNetworkInterface');
    expect(actions).toContain('ec2:AssignPrivateIpAddresses');
    expect(actions.every((a) => /^ec2:[A-Z][A-Za-z]+$/.test(a))).toBe(true);
    for (const s of policy.Statement) {
      if (s.Action.some((a) => !/^ec2:(Describe|Get)/.test(a))) {
        expect([s.Resource].flat().every((r) => r.startsWith('arn:'))).toBe(true);
      }
    }
  });

  test('the Cilium release does not wait, is not atomic and pins the chart', () => {
    expect(block('helm_release', 'cilium/release')).toMatchObject({
      chart: 'cilium',
      repository: 'https://helm.cilium.io',
      version: '1.19.6',
      namespace: 'kube-system',
      wait: false,
      atomic: false,
      // 1.19's certgen Job is a plain Job that runs once nodes exist: hooks stay on.
      disable_webhooks: false,
    });
    expect(resourcesOfType(tf, 'helm_release').map((r) => r.name)).not.toContain('cilium-eks-bootstrap');
  });

  test('k8sServiceHost is the cluster endpoint without its scheme, on port 443', () => {
    const cluster = address('aws_eks_cluster', 'control-plane/cluster');
    const values = ciliumValues();
    expect(values.k8sServiceHost).toBe(`\${replace(${cluster}.endpoint, "https://", "")}`);
    expect(values.k8sServicePort).toBe(443);
    expect(values.kubeProxyReplacement).toBe('true');
  });

  test('the rendered values validate against the 1.19.6 chart schema', () => {
    expect(validateCiliumValues('1.19.6', ciliumValues())).toEqual([]);
  });

  test('the node group depends on the Cilium release and carries the startup taint and, with Karpenter, the CriticalAddonsOnly taint', () => {
    const ng = block('aws_eks_node_group', 'system-nodes/node-group');
    expect(dependsOn(ng)).toContain(address('helm_release', 'cilium/release'));
    expect(ng.taint).toEqual([
      { key: 'node.cilium.io/agent-not-ready', value: 'true', effect: 'NO_EXECUTE' },
      { key: 'CriticalAddonsOnly', value: 'true', effect: 'NO_SCHEDULE' },
    ]);
    // A custom-AMI node group: the launch template names the AMI, so EKS adds no NodeConfig of its own.
    expect(ng.ami_type).toBeUndefined();
    expect(ng.release_version).toBeUndefined();
  });

  test('CoreDNS depends on the node group', () => {
    const coredns = Object.values(tf.resource.aws_eks_addon).find((a) => a.addon_name === 'coredns') as TfBlock;
    expect(dependsOn(coredns)).toContain(address('aws_eks_node_group', 'system-nodes/node-group'));
  });

  test('the launch template requires IMDSv2 with hop limit 1, encrypts the root volume and sets maxPods for prefix delegation', () => {
    const lt = block('aws_launch_template', 'system-nodes/launch-template');
    expect(lt.metadata_options).toEqual({ http_endpoint: 'enabled', http_put_response_hop_limit: 1, http_tokens: 'required' });
    expect(lt.block_device_mappings).toEqual([
      expect.objectContaining({ device_name: '/dev/xvda', ebs: expect.objectContaining({ encrypted: 'true', volume_type: 'gp3' }) }),
    ]);
    expect(lt.user_data).toContain('kind: NodeConfig');
    expect(lt.user_data).toContain('maxPods: 110');
  });

  test('nodes reach each other on UDP 51871, TCP 4240 and TCP 4244 through their own security group', () => {
    const sg = address('aws_security_group', 'node-security-group/sg');
    const rules = resourcesOfType(tf, 'aws_vpc_security_group_ingress_rule').map((r) => ({
      protocol: r.ip_protocol,
      from: r.from_port,
      to: r.to_port,
      sg: r.security_group_id,
      source: r.referenced_security_group_id,
    }));
    // Exactly these, each from the group to itself: a port added or dropped shows here.
    expect(rules.sort((a, b) => Number(a.from) - Number(b.from))).toEqual(
      [
        { protocol: 'tcp', port: 4240 },
        { protocol: 'tcp', port: 4244 },
        { protocol: 'udp', port: 51871 },
      ].map((p) => ({ protocol: p.protocol, from: p.port, to: p.port, sg: `\${${sg}.id}`, source: `\${${sg}.id}` })),
    );
    expect(block('aws_launch_template', 'system-nodes/launch-template').vpc_security_group_ids).toContain(`\${${sg}.id}`);
  });

  test('the network spans three zones with tagged public and private subnets and one NAT per zone', () => {
    const subnets = resourcesOfType(tf, 'aws_subnet');
    const priv = subnets.filter((s) => (s.tags as Record<string, string>)['kubernetes.io/role/internal-elb'] === '1');
    const pub = subnets.filter((s) => (s.tags as Record<string, string>)['kubernetes.io/role/elb'] === '1');
    expect(priv.map((s) => s.cidr_block)).toEqual(['10.0.0.0/18', '10.0.64.0/18', '10.0.128.0/18']);
    expect(pub.map((s) => s.cidr_block)).toEqual(['10.0.192.0/21', '10.0.200.0/21', '10.0.208.0/21']);
    expect(priv.every((s) => (s.tags as Record<string, string>)[KARPENTER_DISCOVERY_TAG_KEY] === config.clusterName)).toBe(true);
    expect(resourcesOfType(tf, 'aws_nat_gateway')).toHaveLength(3);
  });

  test('the helm and kubernetes providers are configured from the cluster resource with an aws eks get-token exec', () => {
    const cluster = address('aws_eks_cluster', 'control-plane/cluster');
    const helm = tf.provider.helm[0].kubernetes as Record<string, unknown>;
    expect(helm.host).toBe(`\${${cluster}.endpoint}`);
    expect(helm.exec).toMatchObject({ command: 'aws', args: expect.arrayContaining(['eks', 'get-token', `\${${cluster}.name}`]) });
    expect(helm.config_path).toBeUndefined();
    const k8s = tf.provider.kubernetes[0];
    expect(k8s.host).toBe(`\${${cluster}.endpoint}`);
    expect((k8s.exec as TfBlock[])[0]).toMatchObject({ command: 'aws' });
  });

  test('outputs give the cluster, kubeconfig and check commands', () => {
    expect(Object.keys(tf.output).sort()).toEqual(
      ['cilium_status_command', 'cluster_endpoint', 'cluster_name', 'hubble_observe_command', 'hubble_ui_command', 'kubeconfig_command'].sort(),
    );
    expect(tf.output.kubeconfig_command.value).toBe(`aws eks update-kubeconfig --region ${config.region} --name ${config.clusterName}`);
  });



  describe('karpenter', () => {
    const manifests = (): { kind: string; metadata: { name: string }; spec: Record<string, unknown> }[] =>
      (parse((block('helm_release', 'karpenter/node-resources/release').values as string[])[0]) as { manifests: { kind: string; metadata: { name: string }; spec: Record<string, unknown> }[] }).manifests;

    test('the release is pinned, waits for CoreDNS and the system nodes, and runs on the system nodes', () => {
      const release = block('helm_release', 'karpenter/release');
      expect(release).toMatchObject({ chart: 'karpenter', repository: 'oci://public.ecr.aws/karpenter', version: '1.14.1', namespace: 'karpenter' });
      expect(dependsOn(release)).toEqual(
        expect.arrayContaining([
          address('aws_eks_addon', 'control-plane/coredns'),
          address('aws_eks_node_group', 'system-nodes/node-group'),
          address('aws_eks_pod_identity_association', 'karpenter/controller-identity'),
          address('kubernetes_namespace_v1', 'karpenter/namespace'),
        ]),
      );
      const values = parse((release.values as string[])[0]) as { settings: Record<string, string>; nodeSelector: Record<string, string> };
      expect(values.settings.clusterName).toBe(config.clusterName);
      expect(values.settings.interruptionQueue).toBe(`\${${address('aws_sqs_queue', 'karpenter/interruption-queue')}.name}`);
      expect(values.nodeSelector['cilium-eks/node-group']).toBe('system');
    });

    test('the namespace is labelled restricted for enforce, audit and warn', () => {
      const labels = (block('kubernetes_namespace_v1', 'karpenter/namespace').metadata as { labels: Record<string, string> }).labels;
      for (const mode of ['enforce', 'audit', 'warn']) expect(labels[`pod-security.kubernetes.io/${mode}`]).toBe('restricted');
    });

    test('custom resources come after the release, and the NodePool carries the Cilium startup taint', () => {
      expect(dependsOn(block('helm_release', 'karpenter/node-resources/release'))).toContain(address('helm_release', 'karpenter/release'));
      const pool = manifests().find((m) => m.kind === 'NodePool');
      const template = (pool?.spec.template as { spec: { startupTaints: unknown[] } }).spec;
      expect(template.startupTaints).toEqual([{ key: 'node.cilium.io/agent-not-ready', value: 'true', effect: 'NoExecute' }]);
    });

    test('the EC2NodeClass uses the discovery tag, IMDSv2 with hop limit 1 and the same maxPods as the system nodes', () => {
      const nodeClass = manifests().find((m) => m.kind === 'EC2NodeClass');
      const discovery = { [KARPENTER_DISCOVERY_TAG_KEY]: config.clusterName };
      expect(nodeClass?.spec).toMatchObject({
        metadataOptions: { httpTokens: 'required', httpPutResponseHopLimit: 1 },
        subnetSelectorTerms: [{ tags: discovery }],
        securityGroupSelectorTerms: [{ tags: discovery }],
        kubelet: { maxPods: 110 },
      });
      // What the selectors find: the private subnets, the node security group and the cluster security group.
      const tagged = (type: string): TfBlock[] => resourcesOfType(tf, type).filter((r) => (r.tags as Record<string, string> | undefined)?.[KARPENTER_DISCOVERY_TAG_KEY] === config.clusterName);
      expect(tagged('aws_subnet').map((s) => s.cidr_block)).toEqual(['10.0.0.0/18', '10.0.64.0/18', '10.0.128.0/18']);
      expect(tagged('aws_security_group')).toEqual([block('aws_security_group', 'node-security-group/sg')]);
      expect(block('aws_ec2_tag', 'cluster-sg-discovery-tag')).toMatchObject({ key: KARPENTER_DISCOVERY_TAG_KEY, value: config.clusterName });
    });

    test('the node role has an EC2_LINUX access entry and no CNI policy', () => {
      expect(block('aws_eks_access_entry', 'karpenter/node-access-entry')).toMatchObject({
        type: 'EC2_LINUX',
        principal_arn: `\${${address('aws_iam_role', 'karpenter/node-role')}.arn}`,
      });
      const policies = resourcesOfType(tf, 'aws_iam_role_policy_attachment').map((a) => String(a.policy_arn));
      expect(policies.some((p) => p.includes('AmazonEKS_CNI_Policy'))).toBe(false);
    });

    test('the interruption queue is encrypted, keeps messages 300 s, and every rule has one target: the queue', () => {
      expect(block('aws_sqs_queue', 'karpenter/interruption-queue')).toMatchObject({ message_retention_seconds: 300, sqs_managed_sse_enabled: true });
      const queueArn = `\${${address('aws_sqs_queue', 'karpenter/interruption-queue')}.arn}`;
      // Each synthesized rule, with its pattern and the targets that name it.
      const targets = resourcesOfType(tf, 'aws_cloudwatch_event_target');
      const rules = karpenterInterruptionRules().map((r) => {
        const ref = address('aws_cloudwatch_event_rule', `karpenter/rule-${r.nameSuffix}`);
        return {
          pattern: JSON.parse(block('aws_cloudwatch_event_rule', `karpenter/rule-${r.nameSuffix}`).event_pattern as string) as unknown,
          targets: targets.filter((t) => t.rule === `\${${ref}.name}`).map((t) => ({ target_id: t.target_id, arn: t.arn })),
        };
      });
      expect(rules).toEqual(karpenterInterruptionRules().map((r) => ({ pattern: r.eventPattern, targets: [{ target_id: INTERRUPTION_RULE_TARGET_ID, arn: queueArn }] })));
      expect(targets).toHaveLength(rules.length);
      const policy = JSON.parse(block('aws_sqs_queue_policy', 'karpenter/interruption-queue-policy').policy as string) as { Statement: { Principal?: { Service?: string[] } }[] };
      expect(policy.Statement[0].Principal?.Service).toEqual(['events.amazonaws.com', 'sqs.amazonaws.com']);
    });

    test('the controller role trusts Pod Identity, is bound to karpenter/karpenter, and holds exactly the template policies', () => {
      const role = address('aws_iam_role', 'karpenter/controller-role');
      expect(JSON.parse(block('aws_iam_role', 'karpenter/controller-role').assume_role_policy as string)).toEqual(POD_IDENTITY_TRUST_POLICY);
      expect(block('aws_eks_pod_identity_association', 'karpenter/controller-identity')).toMatchObject({
        namespace: KARPENTER_NAMESPACE,
        service_account: 'karpenter',
        role_arn: `\${${role}.arn}`,
      });
      // The policies attached to the role are the Karpenter policies, by their template names.
      const attachments = Object.entries(tf.resource.aws_iam_role_policy_attachment).filter(([, a]) => a.role === `\${${role}.name}`);
      const attached = attachments.map(([, a]) => String(a.policy_arn));
      const logicalIds = karpenterControllerPolicies({ partition: 'aws', region: 'r', accountId: '1', clusterName: 'c', nodeRoleArn: 'a', nodeRoleName: 'n', interruptionQueueArn: 'q' }).map((p) => p.logicalId);
      // Besides the template's, the one that lets EC2 create the Spot service-linked role (first-apply.spec.ts).
      expect(attached.sort()).toEqual([...logicalIds, 'SpotServiceLinkedRole'].map((id) => `\${${address('aws_iam_policy', `karpenter/${id}`)}.arn}`).sort());
      // The controller starts only once it has its identity.
      expect(dependsOn(block('helm_release', 'karpenter/release'))).toEqual(
        expect.arrayContaining([address('aws_eks_pod_identity_association', 'karpenter/controller-identity'), ...attachments.map(([name]) => `aws_iam_role_policy_attachment.${name}`)]),
      );
    });
  });

  describe('network policies', () => {
    type Manifest = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> } };
    const manifests = (): Manifest[] => (parse((block('helm_release', 'network-policies/delivery/release').values as string[])[0]) as { manifests: Manifest[] }).manifests;

    test('are delivered after CoreDNS and the Cilium release, without kubernetes_manifest', () => {
      expect(dependsOn(block('helm_release', 'network-policies/delivery/release'))).toEqual(
        expect.arrayContaining([address('aws_eks_addon', 'control-plane/coredns'), address('helm_release', 'cilium/release')]),
      );
      expect(tf.resource.kubernetes_manifest).toBeUndefined();
    });

    test('the app config creates restricted namespaces and their ready-made policies', () => {
      const names = manifests().map((m) => `${m.kind}/${m.metadata.namespace ?? ''}/${m.metadata.name}`);
      expect(names).toEqual(
        expect.arrayContaining([
          'Namespace//storefront',
          'Namespace//payments',
          'CiliumNetworkPolicy/storefront/default-deny',
          'CiliumNetworkPolicy/payments/default-deny',
          'CiliumNetworkPolicy/payments/fqdn-egress-0',
        ]),
      );
      const ns = manifests().find((m) => m.kind === 'Namespace' && m.metadata.name === 'payments');
      expect(ns?.metadata.labels?.['pod-security.kubernetes.io/enforce']).toBe('restricted');
    });

    test('every delivered policy validates against the Cilium CRD schema', () => {
      const policies = manifests().filter((m) => m.kind.startsWith('Cilium'));
      expect(policies.length).toBeGreaterThanOrEqual(4);
      for (const p of policies) {
        const crd = p.kind === 'CiliumNetworkPolicy' ? 'ciliumnetworkpolicies.yaml' : 'ciliumclusterwidenetworkpolicies.yaml';
        expect([p.metadata.name, validateCustomResource(['cilium', 'crds', crd], p)]).toEqual([p.metadata.name, []]);
      }
    });
  });

  test('provider versions are pinned exactly and the backend path holds no machine path', () => {
    const req = (tf.terraform.required_providers ?? {}) as Record<string, { version: string }>;
    for (const p of Object.values(req)) expect(p.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(synthText).not.toContain(process.cwd());
    expect(synthText).not.toContain(__dirname);
  });
});

describe('options', () => {
  test('node-role mode attaches the operator policy to the node role and creates no association', () => {
    const tf = synthJson(buildStack({ cilium: { operatorIdentity: OperatorIdentityMode.NODE_ROLE } }));
    const associations = resourcesOfType(tf, 'aws_eks_pod_identity_association').map((a) => `${a.namespace}/${a.service_account}`);
    expect(associations.sort()).toEqual(['karpenter/karpenter', 'kube-system/ebs-csi-controller-sa', 'log-shipping/log-shipper']);
    const att = resource(tf, 'aws_iam_role_policy_attachment', 'cilium-operator-identity/node-role-attachment');
    expect(att.block.role).toBe(`\${${resource(tf, 'aws_iam_role', 'cluster/node-role').address}.name}`);
    expect(dependsOn(resource(tf, 'helm_release', 'cilium/release').block)).toContain(att.address);
  });

  test('an existing VPC creates no network and tags its subnets for Karpenter discovery', () => {
    const tf = synthJson(
      buildStack({
        network: undefined,
        existingNetwork: { vpcId: 'vpc-0123abcd', vpcCidr: '10.1.0.0/16', privateSubnetIds: ['subnet-0000000a', 'subnet-0000000b'] },
      }),
    );
    expect(tf.resource.aws_vpc).toBeUndefined();
    expect(resource(tf, 'aws_eks_cluster', 'control-plane/cluster').block.vpc_config).toMatchObject({ subnet_ids: ['subnet-0000000a', 'subnet-0000000b'] });
    const tags = resourcesOfType(tf, 'aws_ec2_tag').filter((t) => String(t.resource_id).startsWith('subnet-'));
    expect(tags.map((t) => [t.resource_id, t.key, t.value])).toEqual([
      ['subnet-0000000a', KARPENTER_DISCOVERY_TAG_KEY, config.clusterName],
      ['subnet-0000000b', KARPENTER_DISCOVERY_TAG_KEY, config.clusterName],
    ]);
  });

  test('without prefix delegation kubelet maxPods is left to nodeadm', () => {
    const tf = synthJson(buildStack({ cilium: { prefixDelegation: false } }));
    const userData = resource(tf, 'aws_launch_template', 'system-nodes/launch-template').block.user_data as string;
    expect(userData).toContain('kind: NodeConfig');
    expect(userData).not.toContain('maxPods');
  });

  test('arm64 nodes get Graviton instance types by default', () => {
    const tf = synthJson(buildStack({ systemNodeGroup: { amiType: 'AL2023_ARM_64_STANDARD' } }));
    expect(resource(tf, 'aws_eks_node_group', 'system-nodes/node-group').block.instance_types).toEqual(['m7g.large']);
  });

  test('a public endpoint restricted to listed CIDRs synthesises without the open-endpoint warning', () => {
    const stack = buildStack({ endpoint: { publicAccessCidrs: ['203.0.113.0/24'] } });
    const tf = synthJson(stack);
    expect(resource(tf, 'aws_eks_cluster', 'control-plane/cluster').block.vpc_config).toMatchObject({ public_access_cidrs: ['203.0.113.0/24'] });
    expect(warnings(stack)).toEqual([]);
  });

  test('a public endpoint open to the world synthesises with a warning', () => {
    expect(warnings(buildStack({ securityChecks: false }))).toEqual([expect.stringContaining('open to 0.0.0.0/0')]);
  });

  test('a private-only endpoint turns the public endpoint off', () => {
    const tf = synthJson(buildStack({ endpoint: { publicAccess: false } }));
    expect(resource(tf, 'aws_eks_cluster', 'control-plane/cluster').block.vpc_config).toMatchObject({
      endpoint_private_access: true,
      endpoint_public_access: false,
    });
  });

  test('a NodePool added through the API is delivered, and one without the Cilium startup taint is refused', () => {
    const stack = buildStack();
    const karpenter = stack.cluster.karpenter!;
    karpenter.addNodePool({ name: 'batch', capacityTypes: ['spot'] });
    expect(() => karpenter.addNodePool({ name: 'bare', startupTaints: [] })).toThrow(/startupTaints.*node\.cilium\.io\/agent-not-ready/);
    const tf = synthJson(stack);
    const values = parse((resource(tf, 'helm_release', 'karpenter/node-resources/release').block.values as string[])[0]) as { manifests: { kind: string; metadata: { name: string } }[] };
    expect(values.manifests.filter((m) => m.kind === 'NodePool').map((m) => m.metadata.name)).toEqual(['batch', 'default']);
  });

  test('objects added after the release configuration was read are delivered at the next read', () => {
    const stack = buildStack();
    const karpenter = stack.cluster.karpenter!;
    const poolsIn = (): string[] => {
      // Read as the security checks read it: the configuration with its tokens resolved.
      const values = synthesizedResource(karpenter.nodeResources.release).config.values as string[];
      return (parse(values[0]) as { manifests: { kind: string; metadata: { name: string } }[] }).manifests.filter((m) => m.kind === 'NodePool').map((m) => m.metadata.name);
    };
    expect(poolsIn()).toEqual(['default']);
    karpenter.addNodePool({ name: 'late', capacityTypes: ['spot'] });
    expect(poolsIn()).toEqual(['default', 'late']);
    const tf = synthJson(stack);
    const values = parse((resource(tf, 'helm_release', 'karpenter/node-resources/release').block.values as string[])[0]) as { manifests: { kind: string; metadata: { name: string } }[] };
    expect(values.manifests.filter((m) => m.kind === 'NodePool').map((m) => m.metadata.name)).toEqual(['default', 'late']);
  });

  test('a policy added through the API is linted at synth: a toFQDNs rule the pods cannot resolve fails', () => {
    const stack = buildStack();
    const raw = {
      apiVersion: 'cilium.io/v2' as const,
      kind: 'CiliumNetworkPolicy' as const,
      metadata: { name: 'blind-fqdn', namespace: 'payments' },
      spec: { endpointSelector: { matchLabels: { app: 'x' } }, egress: [{ toFQDNs: [{ matchName: 'api.stripe.com' }] }] },
    };
    expect(() => stack.cluster.addNetworkPolicy(raw)).toThrow(/blind-fqdn/);
  });

  test('chart 1.18 runs without hooks and makes the first Hubble certificates after CoreDNS', () => {
    // Cilium 1.18 is e2e tested up to Kubernetes 1.33.
    const tf = synthJson(buildStack({ kubernetesVersion: '1.33', cilium: { chartVersion: '1.18.12' } }));
    expect(resource(tf, 'helm_release', 'cilium/release').block).toMatchObject({ version: '1.18.12', disable_webhooks: true });
    const bootstrap = resource(tf, 'helm_release', 'bootstrap/release').block;
    expect(dependsOn(bootstrap)).toContain(resource(tf, 'aws_eks_addon', 'control-plane/coredns').address);
    expect(bootstrap.wait_for_jobs).toBe(true);
    const manifests = (parse((bootstrap.values as string[])[0]) as { manifests: { kind: string; metadata: { name: string } }[] }).manifests;
    expect(manifests.map((m) => `${m.kind}/${m.metadata.name}`)).toEqual(['Job/hubble-generate-certs-bootstrap']);
  });

  test('karpenter.extraValues are merged over the project values, top-level keys replacing', () => {
    const tf = synthJson(buildStack({ karpenter: { extraValues: { logLevel: 'debug', replicas: 3, settings: { featureGates: { spotToSpotConsolidation: true } } } } }));
    const values = parse((resource(tf, 'helm_release', 'karpenter/release').block.values as string[])[0]) as Record<string, unknown>;
    expect(values).toMatchObject({ logLevel: 'debug', replicas: 3, settings: { featureGates: { spotToSpotConsolidation: true } } });
    // Replaced, not deep-merged: the project's settings are gone, as the prop documents.
    expect((values.settings as Record<string, unknown>).clusterName).toBeUndefined();
    expect(values.podSecurityContext).toMatchObject({ runAsNonRoot: true });
  });

  test('karpenter: false leaves Karpenter out', () => {
    const tf = synthJson(buildStack({ karpenter: false }));
    expect(tf.resource.aws_sqs_queue).toBeUndefined();
    expect(resourcesOfType(tf, 'helm_release').map((r) => r.name).sort()).toEqual(['cilium', 'cilium-eks-network-policies', 'cilium-eks-tracing-policies', 'log-shipper', 'tetragon']);
  });

  test('the security baseline runs by default: the open endpoint is reported by its rule too', () => {
    expect(warnings(buildStack())).toEqual(expect.arrayContaining([expect.stringContaining('cilium-eks-security:eks-public-endpoint-open')]));
    expect(warnings(buildStack({ securityChecks: false })).some((w) => w.includes('cilium-eks-security'))).toBe(false);
  });

  test('addPodIdentity binds a role to a service account through Pod Identity', () => {
    const stack = buildStack();
    stack.cluster.addPodIdentity('reports', {
      namespace: 'payments',
      serviceAccount: 'reports',
      policyStatements: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: 'arn:aws:s3:::reports/*' }],
      managedPolicyArns: ['arn:aws:iam::aws:policy/AmazonSQSReadOnlyAccess'],
    });
    const tf = synthJson(stack);
    const role = resource(tf, 'aws_iam_role', 'pod-identity-reports/role');
    expect(JSON.parse(role.block.assume_role_policy as string)).toEqual(POD_IDENTITY_TRUST_POLICY);
    const assoc = resource(tf, 'aws_eks_pod_identity_association', 'pod-identity-reports/association');
    expect(assoc.block).toMatchObject({ namespace: 'payments', service_account: 'reports', role_arn: `\${${role.address}.arn}` });
    expect(dependsOn(assoc.block)).toEqual([resource(tf, 'aws_eks_addon', 'control-plane/eks-pod-identity-agent').address]);
    const policy = resource(tf, 'aws_iam_policy', 'pod-identity-reports/policy');
    expect(JSON.parse(policy.block.policy as string).Statement[0].Action).toEqual(['s3:GetObject']);
    // Both policies on the role, each under its own attachment.
    expect(resource(tf, 'aws_iam_role_policy_attachment', 'pod-identity-reports/policy-attachment').block).toEqual({ role: `\${${role.address}.name}`, policy_arn: `\${${policy.address}.arn}` });
    expect(resource(tf, 'aws_iam_role_policy_attachment', 'pod-identity-reports/managed-arn-aws-iam-aws-policy-AmazonSQSReadOnlyAccess').block).toEqual({
      role: `\${${role.address}.name}`,
      policy_arn: 'arn:aws:iam::aws:policy/AmazonSQSReadOnlyAccess',
    });
  });

  test('extra admins get access entries', () => {
    const tf = synthJson(buildStack({ admins: ['arn:aws:iam::123456789012:role/platform-admin'] }));
    expect(resource(tf, 'aws_eks_access_entry', 'control-plane/admin-arn-aws-iam-123456789012-role-platform-admin').block.principal_arn).toBe(
      'arn:aws:iam::123456789012:role/platform-admin',
    );
  });
});

/** Warnings after synth (the security Aspect runs then). */
function warnings(stack: CiliumEksStack): string[] {
  synthStack(stack);
  return stack.node
    .findAll()
    .flatMap((c) => c.node.metadata)
    .filter((m) => m.type === 'aws:cdk:warning' || m.type === 'warning' || String(m.type).includes('warn'))
    .map((m) => String(m.data));
}

describe('validation at synth', () => {
  const cases: [string, Parameters<typeof buildStack>[0], RegExp][] = [
    ['an invalid VPC CIDR', { network: { vpcCidr: '10.0.0.0/33' } }, /network\.vpcCidr: "10\.0\.0\.0\/33" is not valid; allowed: an IPv4 network in CIDR notation/],
    ['a VPC CIDR with host bits', { network: { vpcCidr: '10.0.1.0/16' } }, /network\.vpcCidr: "10\.0\.1\.0\/16" is not valid.*host bits are set; the network is 10\.0\.0\.0\/16/],
    ['a VPC CIDR too small', { network: { vpcCidr: '10.0.0.0/24' } }, /network\.vpcCidr: "10\.0\.0\.0\/24" is not valid; allowed: a prefix length from \/16 to \/22/],
    ['a service CIDR overlapping the VPC', { serviceIpv4Cidr: '10.0.128.0/20' }, /serviceIpv4Cidr: "10\.0\.128\.0\/20" is not valid; allowed: a range that does not overlap the VPC CIDR "10\.0\.0\.0\/16"/],
    ['a service CIDR outside RFC 1918', { serviceIpv4Cidr: '100.64.0.0/16' }, /serviceIpv4Cidr: "100\.64\.0\.0\/16" is not valid; allowed: a \/12 to \/24 inside 10\.0\.0\.0\/8/],
    ['fewer than two availability zones', { network: { availabilityZones: ['eu-west-1a'] } }, /network\.availabilityZones: \["eu-west-1a"\] is not valid; allowed: two or three availability zones/],
    ['duplicate availability zones', { network: { availabilityZones: ['eu-west-1a', 'eu-west-1a'] } }, /network\.availabilityZones\[1\]: "eu-west-1a" is not valid; allowed: a zone not listed before/],
    ['an AL2 AMI type', { systemNodeGroup: { amiType: 'AL2_x86_64' } }, /systemNodeGroup\.amiType: "AL2_x86_64" is not valid; allowed: one of AL2023_x86_64_STANDARD, AL2023_ARM_64_STANDARD/],
    ['a Graviton type on an x86 AMI', { systemNodeGroup: { instanceTypes: ['m7g.large'] } }, /systemNodeGroup\.instanceTypes\[0\]: "m7g\.large" is not valid; allowed: an x86_64 instance type/],
    ['a Kubernetes version out of range', { kubernetesVersion: '1.30' }, /kubernetesVersion: "1\.30" is not valid; allowed: one of 1\.31, 1\.32, 1\.33, 1\.34, 1\.35, 1\.36 \(/],
    ['a cluster name EKS refuses', { clusterName: '-bad name' }, /clusterName: "-bad name" is not valid; allowed: 1 to 100 characters/],
    ['a cluster name that is too long', { clusterName: 'a'.repeat(101) }, /clusterName: "a{101}" is not valid/],
    ['min > desired', { systemNodeGroup: { minSize: 3, desiredSize: 2, maxSize: 4 } }, /systemNodeGroup\.minSize\/desiredSize\/maxSize: "3\/2\/4" is not valid; allowed: minSize <= desiredSize <= maxSize/],
    ['desired > max', { systemNodeGroup: { minSize: 1, desiredSize: 5, maxSize: 4 } }, /"1\/5\/4" is not valid/],
    ['maxPods above what ENI IPAM addresses', { cilium: { prefixDelegation: false }, systemNodeGroup: { maxPods: 100 } }, /systemNodeGroup\.maxPods: 100 is not valid; allowed: at most 29 on m7i\.large/],
    ['an unsupported chart version', { cilium: { chartVersion: '1.15.0' } }, /cilium\.chartVersion: "1\.15\.0" is not valid; allowed: one of .*1\.19\.6/],
    ['a public endpoint CIDR that is invalid', { endpoint: { publicAccessCidrs: ['203.0.113.0/33'] } }, /endpoint\.publicAccessCidrs\[0\]: "203\.0\.113\.0\/33" is not valid/],
    ['public CIDRs with the public endpoint off', { endpoint: { publicAccess: false, publicAccessCidrs: ['203.0.113.0/24'] } }, /endpoint\.publicAccessCidrs: \["203\.0\.113\.0\/24"\] is not valid; allowed: no CIDRs while endpoint\.publicAccess is false/],
    ['an admin that is not an IAM role or user ARN', { admins: ['arn:aws:sts::123456789012:assumed-role/x/y'] }, /admins\[0\]: "arn:aws:sts::123456789012:assumed-role\/x\/y" is not valid; allowed: an IAM role or user ARN/],
    ['an invalid region', { region: 'Europe' }, /region: "Europe" is not valid; allowed: an AWS region \(aws: af-south-1/],
    ['karpenter.extraValues that are not JSON data', { karpenter: { extraValues: { controller: { resources: { limits: { cpu: Number.NaN } } } } } }, /karpenter\.extraValues\.controller\.resources\.limits\.cpu: NaN is not valid; allowed: JSON data/],
    ['an existing network with one subnet', { network: undefined, existingNetwork: { vpcId: 'vpc-0123abcd', privateSubnetIds: ['subnet-0000000a'] } }, /existingNetwork\.privateSubnetIds: \["subnet-0000000a"\] is not valid; allowed: a list of at least 2 subnet IDs/],
  ];
  test.each(cases)('rejects %s', (_name, props, message) => {
    expect(() => buildStack(props)).toThrow(message);
  });
});

describe('determinism', () => {
  test('two synths of the app give byte-identical files', () => {
    const outputs = [0, 1].map(() => {
      const outdir = fs.mkdtempSync(path.join(require('os').tmpdir(), 'cilium-eks-'));
      synthApp(buildApp(new App({ outdir, skipValidation: false })));
      const files = listFiles(outdir);
      const content = files.map((f) => `${path.relative(outdir, f)}\n${fs.readFileSync(f, 'utf8')}`).join('\n');
      fs.rmSync(outdir, { recursive: true, force: true });
      return content;
    });
    expect(outputs[0].length).toBeGreaterThan(10000);
    expect(outputs[1]).toBe(outputs[0]);
    expect(outputs[0]).not.toMatch(/\/tmp\/|\/work\/|\/home\//);
  });
});

function listFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? listFiles(path.join(dir, e.name)) : [path.join(dir, e.name)]))
    .sort();
}

describe('the day-2 scripts', () => {
  test('read the cluster name and region of main.ts as the config the app loads', () => {
    // scripts/verify.js and scripts/predestroy.js are plain Node and read main.ts as text.
    const target = require('../scripts/lib/target') as { mainTsDefaults(text: string): { clusterName?: string; region?: string } };
    const text = fs.readFileSync(path.join(__dirname, '..', 'main.ts'), 'utf8');
    expect(target.mainTsDefaults(text)).toEqual({ clusterName: config.clusterName, region: config.region });
    expect(target.mainTsDefaults(text.replace(`clusterName: '${config.clusterName}'`, "clusterName: 'renamed'")).clusterName).toBe('renamed');
  });
});

describe('the stack class', () => {
  test('is what the app builds', () => {
    const app = buildApp(Testing.app());
    expect(app.node.children.filter((c) => c instanceof CiliumEksStack).map((c) => c.node.id)).toEqual([config.clusterName]);
  });
});
