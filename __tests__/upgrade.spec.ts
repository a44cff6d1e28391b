/**
 * Day-2 upgrades and node settings: the synth-time version rules, the kernel warnings, the order of
 * one Kubernetes bump, Karpenter's CRD release, and the system nodes' NodeConfig (golden file).
 */
import { parse } from 'yaml';
import { checkKubernetesUpgrade, datapathUpgradeChanges, kernelUpgradeWarnings, upgradeCompatibilityFor } from '../bpf/upgrade';
import { al2023AmiSsmParameter, AL2023_AMI_TYPES, systemNodeConfig } from '../constructs/system-node-group';
import { DEFAULT_AL2023_AMI_VERSION } from '../constructs/karpenter/versions';
import { CiliumEksStack } from '../constructs/cilium-eks-stack';
import { versionStep } from '../core/version-step';
import { TfBlock, buildStack, defaultStack, dependsOn, resource, synthJson, synthStack } from './support/synth';
import { expectGolden } from './support/golden';
import { thrown } from './support/errors';

describe('synth-time version rules', () => {
  test('Kubernetes moves one minor up; the message names the next version, or says EKS cannot go down', () => {
    expect(() => checkKubernetesUpgrade('1.33', '1.34')).not.toThrow();
    expect(() => checkKubernetesUpgrade('1.34', '1.34')).not.toThrow();
    expect(thrown(() => checkKubernetesUpgrade('1.32', '1.34')).message).toMatch(/^kubernetesVersion: "1\.34" is not valid; allowed: 1\.33 first while 1\.32 runs \(kubernetesUpgradeFrom\) \(EKS updates a control plane one minor version at a time\)/);
    expect(thrown(() => checkKubernetesUpgrade('1.34', '1.33')).message).toMatch(/^kubernetesVersion: "1\.33" is not valid; allowed: 1\.34 or 1\.35 \(EKS cannot downgrade a control plane\)/);
    expect(thrown(() => checkKubernetesUpgrade('one', '1.34')).message).toMatch(/^kubernetesUpgradeFrom: "one" is not valid/);
  });

  test('upgradeCompatibility holds the minor upgraded from, only while the minor goes up', () => {
    expect(upgradeCompatibilityFor('1.19.6', '1.20.0')).toBe('1.19');
    expect(upgradeCompatibilityFor('1.18.12', '1.19.6')).toBe('1.18');
    expect(upgradeCompatibilityFor('1.19.6', '1.19.6')).toBeUndefined();
    expect(upgradeCompatibilityFor('1.20.0', '1.19.6')).toBeUndefined();
    expect(upgradeCompatibilityFor(undefined, '1.20.0')).toBeUndefined();
  });

  test('version strings and image references parse alike', () => {
    expect(versionStep('quay.io/cilium/cilium:v1.18.12@sha256:ab', '1.20.0', { maxForward: 1, maxBackward: 1 })).toEqual({ ok: false, runningMinor: 18, nextMinor: 19 });
    expect(versionStep('v1.19.6', '1.20.0', { maxForward: 1, maxBackward: 1 })).toEqual({ ok: true, runningMinor: 19 });
    expect(versionStep(null, '1.20.0')).toEqual({ ok: true });
  });
});

describe('kernel changes on a Kubernetes bump', () => {
  const netkit = { preset: 'custom' as const, base: 'performance' as const, netkit: true };
  const ctx = { chartVersion: '1.19.6' as const, wireguard: true };

  test('netkit, which kernel 6.1 refuses, is reported as turned on by 1.32 -> 1.33, with what happens to running pods', () => {
    const changes = datapathUpgradeChanges({ ...ctx, datapath: netkit, fromKubernetesVersion: '1.32', toKubernetesVersion: '1.33' });
    expect(changes.map((c) => [c.setting, c.from, c.to])).toEqual([['netkit', false, true]]);
    const [warning] = kernelUpgradeWarnings({ ...ctx, datapath: netkit, fromKubernetesVersion: '1.32', toKubernetesVersion: '1.33' });
    expect(warning).toMatch(/^kubernetesVersion 1\.32 -> 1\.33 moves the nodes from kernel 6\.1 to 6\.12 and changes cilium\.datapath\.netkit: /);
    expect(warning).toContain('pods that keep running keep their veth devices');
    expect(warning).toContain('Upgrade Kubernetes with netkit off, then turn it on and replace the nodes');
  });

  test('no warning when the kernel stays, or when the profile does not depend on it', () => {
    expect(kernelUpgradeWarnings({ ...ctx, datapath: netkit, fromKubernetesVersion: '1.33', toKubernetesVersion: '1.34' })).toEqual([]);
    for (const preset of ['performance', 'compatible'] as const) {
      expect(kernelUpgradeWarnings({ ...ctx, datapath: { preset }, fromKubernetesVersion: '1.32', toKubernetesVersion: '1.33' })).toEqual([]);
      expect(kernelUpgradeWarnings({ ...ctx, datapath: { preset }, fromKubernetesVersion: '1.35', toKubernetesVersion: '1.36' })).toEqual([]);
    }
  });

  test('the stack reports it as a synth warning and refuses a two-minor jump at synth', () => {
    const stack = buildStack({ kubernetesVersion: '1.33', kubernetesUpgradeFrom: '1.32', cilium: { datapath: netkit } });
    synthStack(stack);
    const warnings = stack.node
      .findAll()
      .flatMap((c) => c.node.metadata)
      .filter((m) => String(m.type).includes('warn'))
      .map((m) => String(m.data));
    expect(warnings.filter((w) => w.includes('changes cilium.datapath.netkit'))).toHaveLength(1);
    expect(thrown(() => buildStack({ kubernetesVersion: '1.34', kubernetesUpgradeFrom: '1.32' })).message).toMatch(/^kubernetesVersion: "1\.34" is not valid; allowed: 1\.33 first/);
    expect(thrown(() => buildStack({ kubernetesVersion: '1.37' })).message).toMatch(/^kubernetesVersion: "1\.37" is not valid; allowed: one of .*1\.36 \(/);
  });
});

describe('one Kubernetes bump, in order', () => {
  let stack: CiliumEksStack;
  let tf: ReturnType<typeof synthJson>;
  beforeAll(() => {
    // Cilium 1.20 is the line e2e tested with 1.36.
    stack = buildStack({ kubernetesVersion: '1.36', cilium: { chartVersion: '1.20.0' } });
    tf = synthJson(stack);
  });
  const address = (type: string, path: string): string => resource(tf, type, path).address;

  test('the control plane, then the add-ons (version looked up for the new control plane version), then the system nodes, then Karpenter', () => {
    const cluster = address('aws_eks_cluster', 'control-plane/cluster');
    // Add-ons: the EKS default version for the cluster's (new) version, read from the cluster resource.
    const addonVersion = Object.values(tf.data!.aws_eks_addon_version) as TfBlock[];
    expect(addonVersion.length).toBeGreaterThan(0);
    for (const d of addonVersion) expect(d.kubernetes_version).toBe(`\${${cluster}.version}`);
    // System nodes: the AMI of the new version, through a launch template that references the cluster.
    const ssm = Object.values(tf.data!.aws_ssm_parameter)[0] as TfBlock;
    expect(ssm.name).toBe(al2023AmiSsmParameter('1.36', 'AL2023_x86_64_STANDARD', DEFAULT_AL2023_AMI_VERSION));
    const lt = resource(tf, 'aws_launch_template', 'system-nodes/launch-template').block;
    expect(lt.user_data).toContain(`\${${cluster}.endpoint}`);
    // The node group comes after the Cilium release, which comes after the control plane.
    expect(dependsOn(resource(tf, 'aws_eks_node_group', 'system-nodes/node-group').block)).toContain(address('helm_release', 'cilium/release'));
    // Karpenter's releases and its node resources after the system nodes and CoreDNS.
    const nodeGroup = address('aws_eks_node_group', 'system-nodes/node-group');
    expect(dependsOn(resource(tf, 'helm_release', 'karpenter/crd-release').block)).toContain(nodeGroup);
  });

  test("the system nodes and Karpenter's default alias share one AMI release pin", () => {
    const ssm = Object.values(tf.data!.aws_ssm_parameter)[0] as TfBlock;
    expect(String(ssm.name)).toContain(`-1.36-${DEFAULT_AL2023_AMI_VERSION}/image_id`);
    const values = String(resource(tf, 'helm_release', 'karpenter/node-resources/release').block.values);
    expect(values).toContain(`al2023@${DEFAULT_AL2023_AMI_VERSION}`);
  });
});

describe('a Cilium minor upgrade in the stack', () => {
  test('upgradeFrom writes upgradeCompatibility; preflight adds the pre-flight release the chart upgrade waits for', () => {
    const tf = synthJson(buildStack({ cilium: { chartVersion: '1.20.0', upgradeFrom: '1.19.6', preflight: true } }));
    const main = resource(tf, 'helm_release', 'cilium/release');
    const preflight = resource(tf, 'helm_release', 'cilium/preflight');
    expect(parse((main.block.values as string[])[0])).toMatchObject({ upgradeCompatibility: '1.19' });
    expect(preflight.block).toMatchObject({ name: 'cilium-preflight', chart: 'cilium', version: '1.20.0', namespace: 'kube-system', wait: true });
    expect(parse((preflight.block.values as string[])[0])).toMatchObject({ preflight: { enabled: true }, agent: false, operator: { enabled: false }, k8sServicePort: 443 });
    expect(dependsOn(main.block)).toContain(preflight.address);
  });

  test('without them: no upgradeCompatibility, no pre-flight release; a two-minor jump is refused at synth', () => {
    const { tf } = defaultStack();
    expect(parse((resource(tf, 'helm_release', 'cilium/release').block.values as string[])[0])).not.toHaveProperty('upgradeCompatibility');
    expect(Object.values(tf.resource.helm_release).map((r) => r.name)).not.toContain('cilium-preflight');
    expect(thrown(() => buildStack({ cilium: { chartVersion: '1.20.0', upgradeFrom: '1.18.12' } })).message).toMatch(/^cilium\.chartVersion: "1\.20\.0" is not valid; allowed: 1\.19\.6 first while 1\.18\.12 runs/);
  });
});

describe('Karpenter CRDs', () => {
  const { tf } = defaultStack();
  const crd = resource(tf, 'helm_release', 'karpenter/crd-release');
  const controller = resource(tf, 'helm_release', 'karpenter/release').block;
  const nodeResources = resource(tf, 'helm_release', 'karpenter/node-resources/release').block;

  test('the karpenter-crd chart is its own release of the same version, before the controller', () => {
    expect(crd.block).toMatchObject({ name: 'karpenter-crd', chart: 'karpenter-crd', repository: 'oci://public.ecr.aws/karpenter', version: controller.version, namespace: 'karpenter' });
    expect(dependsOn(controller)).toContain(crd.address);
  });

  test("the controller release skips its chart's crds/ folder, and the node resources come after both", () => {
    expect(controller.skip_crds).toBe(true);
    expect(crd.block.skip_crds).toBeUndefined();
    expect(dependsOn(nodeResources)).toEqual(expect.arrayContaining([crd.address, resource(tf, 'helm_release', 'karpenter/release').address]));
  });
});

describe('system node NodeConfig', () => {
  const cluster = {
    name: 'cilium-eks',
    apiServerEndpoint: 'https://ABCDEF0123456789.gr7.eu-west-1.eks.amazonaws.com',
    certificateAuthority: 'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==',
    serviceIpv4Cidr: '172.20.0.0/16',
  };
  const taints = ['node.cilium.io/agent-not-ready=true:NoExecute'];

  /** The one application/node.eks.aws part of a MIME document, parsed. */
  function nodeConfigOf(userData: string): Record<string, unknown> {
    const boundary = /boundary=([^\s;]+)/.exec(userData)?.[1];
    expect(boundary).toBeDefined();
    const parts = userData.split(`--${boundary}`).filter((p) => p.includes('Content-Type: application/node.eks.aws'));
    expect(parts).toHaveLength(1);
    return parse(parts[0].split('\n\n').slice(1).join('\n\n')) as Record<string, unknown>;
  }

  test('with prefix delegation: complete, maxPods and the kubelet reservation basis agree (golden)', () => {
    const text = systemNodeConfig({ cluster, maxPods: 110, labels: { 'cilium-eks/node-group': 'system', team: 'platform' }, taints });
    expectGolden('nodes/system-nodeconfig-110.txt', text);
    const config = nodeConfigOf(text);
    expect(config).toEqual({
      apiVersion: 'node.eks.aws/v1alpha1',
      kind: 'NodeConfig',
      spec: {
        cluster: { name: 'cilium-eks', apiServerEndpoint: cluster.apiServerEndpoint, certificateAuthority: cluster.certificateAuthority, cidr: '172.20.0.0/16' },
        kubelet: {
          config: { maxPods: 110 },
          // nodeadm computes kubeReserved from this, not from config.maxPods.
          maxPodsExpression: '110',
          flags: ['--node-labels=cilium-eks/node-group=system,team=platform', '--register-with-taints=node.cilium.io/agent-not-ready=true:NoExecute'],
        },
      },
    });
  });

  test('without prefix delegation: no maxPods, so nodeadm computes the ENI formula for both (golden)', () => {
    const text = systemNodeConfig({ cluster, labels: { 'cilium-eks/node-group': 'system' }, taints });
    expectGolden('nodes/system-nodeconfig-eni.txt', text);
    const kubelet = (nodeConfigOf(text).spec as Record<string, Record<string, unknown>>).kubelet;
    expect(kubelet).not.toHaveProperty('config');
    expect(kubelet).not.toHaveProperty('maxPodsExpression');
  });

  test('labels a kubelet may not set on itself stay node group labels only', () => {
    const text = systemNodeConfig({ cluster, labels: { 'cilium-eks/node-group': 'system', 'node-role.kubernetes.io/system': '', 'example.k8s.io/x': 'y', 'kubernetes.io/role': 'x' }, taints });
    expect((nodeConfigOf(text).spec as Record<string, Record<string, string[]>>).kubelet.flags[0]).toBe('--node-labels=cilium-eks/node-group=system');
  });

  test('the AMI parameter names the release for each AMI type', () => {
    expect(AL2023_AMI_TYPES.map((t) => al2023AmiSsmParameter('1.36', t, 'v20260714'))).toEqual([
      '/aws/service/eks/optimized-ami/1.36/amazon-linux-2023/x86_64/standard/amazon-eks-node-al2023-x86_64-standard-1.36-v20260714/image_id',
      '/aws/service/eks/optimized-ami/1.36/amazon-linux-2023/arm64/standard/amazon-eks-node-al2023-arm64-standard-1.36-v20260714/image_id',
      '/aws/service/eks/optimized-ami/1.36/amazon-linux-2023/x86_64/nvidia/amazon-eks-node-al2023-x86_64-nvidia-1.36-v20260714/image_id',
      '/aws/service/eks/optimized-ami/1.36/amazon-linux-2023/arm64/nvidia/amazon-eks-node-al2023-arm64-nvidia-1.36-v20260714/image_id',
      '/aws/service/eks/optimized-ami/1.36/amazon-linux-2023/x86_64/neuron/amazon-eks-node-al2023-x86_64-neuron-1.36-v20260714/image_id',
    ]);
    expect(thrown(() => buildStack({ systemNodeGroup: { amiReleaseVersion: 'latest' } })).message).toMatch(new RegExp(`^systemNodeGroup\\.amiReleaseVersion: "latest" is not valid; allowed: an amazon-eks-ami release such as ${DEFAULT_AL2023_AMI_VERSION}`));
    expect(thrown(() => buildStack({ systemNodeGroup: { amiReleaseVersion: 'v20250920' } })).message).toMatch(/^systemNodeGroup\.amiReleaseVersion: "v20250920" is not valid; allowed: v20251007 or later while kubelet maxPods is set/);
    expect(() => buildStack({ cilium: { prefixDelegation: false }, systemNodeGroup: { amiReleaseVersion: 'v20250920' } })).not.toThrow();
  });

  test('the synthesized launch template carries the AMI and this NodeConfig with the cluster references', () => {
    const { tf } = defaultStack();
    const lt = resource(tf, 'aws_launch_template', 'system-nodes/launch-template').block;
    const ssm = Object.keys(tf.data!.aws_ssm_parameter)[0];
    expect(lt.image_id).toBe(`\${data.aws_ssm_parameter.${ssm}.insecure_value}`);
    const cluster = resource(tf, 'aws_eks_cluster', 'control-plane/cluster').address;
    const inner = /^\$\{base64encode\((".*")\)\}$/s.exec(String(lt.user_data))?.[1];
    expect(inner).toBeDefined();
    const userData = JSON.parse(inner as string) as string;
    expect(userData).toBe(
      systemNodeConfig({
        cluster: { name: `\${${cluster}.name}`, apiServerEndpoint: `\${${cluster}.endpoint}`, certificateAuthority: `\${${cluster}.certificate_authority[0].data}`, serviceIpv4Cidr: '172.20.0.0/16' },
        maxPods: 110,
        labels: { 'cilium-eks/node-group': 'system' },
        // The default stack has Karpenter: the system nodes are kept for the add-ons.
        taints: [...taints, 'CriticalAddonsOnly=true:NoSchedule'],
      }),
    );
  });
});
