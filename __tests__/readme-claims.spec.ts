/**
 * What the README promises a user about switches that are easy to get wrong: turning WireGuard
 * off, leaving the deployer out of the admins, Karpenter off, and the one call for a consumer
 * stack. Each claim is checked on a synthesized stack.
 */
import { Aspects, Testing, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { CiliumEksCluster } from '../constructs/cilium-eks-cluster';
import { CiliumEksSecurityChecks } from '../constructs/security/security-aspect';
import { buildStack, resourcesOfType, synthJson, synthStack, synthStackWithErrors } from './support/synth';
import { thrown } from './support/errors';
import { securityAnnotations } from './support/annotations';

const annotations = securityAnnotations;

describe('README claims', () => {
  test('WireGuard off is an error on the Cilium release until cilium-wireguard-off is suppressed with a reason', () => {
    const off = buildStack({ cilium: { wireguard: false } });
    expect(synthStackWithErrors(off).errors).toEqual([expect.stringMatching(/cilium-wireguard-off/)]);
    expect(annotations(off, 'error')).toEqual([expect.stringMatching(/^\[cilium-eks-security:cilium-wireguard-off\] .*encryption\.enabled is false/)]);
    const suppressed = buildStack({ cilium: { wireguard: false }, securityChecks: { suppress: { 'cilium-wireguard-off': 'IPsec appliance in the VPC' } } });
    synthStack(suppressed);
    expect(annotations(suppressed, 'error')).toEqual([]);
    expect(annotations(suppressed, 'info')).toEqual([expect.stringContaining('IPsec appliance in the VPC')]);
  });

  test('the access entries are exactly the admins listed: none for whoever runs Terraform', () => {
    const tf = synthJson(buildStack({ admins: ['arn:aws:iam::111122223333:role/ops', 'arn:aws:iam::111122223333:user/alice'] }));
    const principals = resourcesOfType(tf, 'aws_eks_access_entry').filter((e) => e.type === 'STANDARD').map((e) => String(e.principal_arn));
    expect(principals.sort()).toEqual(['arn:aws:iam::111122223333:role/ops', 'arn:aws:iam::111122223333:user/alice']);
  });

  test('with Karpenter off, addNodePool and addNodeClass are errors, not silent no-ops', () => {
    const stack = buildStack({ karpenter: false });
    expect(thrown(() => stack.cluster.addNodePool({ name: 'batch' })).message).toMatch(/^karpenter: false is not valid; allowed: Karpenter on \(not false\) to call addNodePool/);
    expect(thrown(() => stack.cluster.addNodeClass({ name: 'gpu' })).message).toMatch(/to call addNodeClass/);
  });

  test('a NodePool must name an EC2NodeClass of the cluster; addNodeClass adds one', () => {
    const stack = buildStack();
    expect(thrown(() => stack.cluster.addNodePool({ name: 'gpu', nodeClassName: 'gpu' })).message).toMatch(/^addNodePool\(gpu\)\.nodeClassName: "gpu" is not valid; allowed: an EC2NodeClass of this cluster: default/);
    stack.cluster.addNodeClass({ name: 'gpu', rootVolumeSize: '200Gi' });
    const pool = stack.cluster.addNodePool({ name: 'gpu', nodeClassName: 'gpu' }) as unknown as { spec: { template: { spec: { nodeClassRef: { name: string } } } } };
    expect(pool.spec.template.spec.nodeClassRef.name).toBe('gpu');
    expect(thrown(() => stack.cluster.addNodeClass({ name: 'gpu' })).message).toMatch(/^addNodeClass\(gpu\)\.name: "gpu" is not valid/);
  });

  test('configureStack sets up helm, kubernetes and the security checks from the cluster in one call', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'consumer');
    new AwsProvider(stack, 'aws', { region: 'us-west-2' });
    const cluster = new CiliumEksCluster(stack, 'cluster', { clusterName: 'team-a', region: 'us-west-2', admins: ['arn:aws:iam::111122223333:role/platform-admin'], karpenter: false });
    cluster.configureStack();
    const tf = synthJson(stack as never);
    expect(Object.keys(tf.provider).sort()).toEqual(['aws', 'helm', 'kubernetes']);
    const helm = tf.provider.helm[0] as { kubernetes: { exec: { args: string[] } } };
    expect(helm.kubernetes.exec.args).toEqual(['eks', 'get-token', '--cluster-name', expect.stringContaining('aws_eks_cluster'), '--region', 'us-west-2', '--output', 'json']);
    expect(Aspects.of(stack).all.some((a) => a instanceof CiliumEksSecurityChecks)).toBe(true);
  });
});
