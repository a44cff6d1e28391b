/**
 * Encrypted EBS volumes on every node and volume the stack creates.
 *
 * - `aws_launch_template`: every `block_device_mappings[].ebs` has `encrypted = true`; a template
 *   without block device mappings leaves the root volume to the AMI and the account default.
 * - `aws_instance`: `root_block_device` and every `ebs_block_device` encrypted.
 * - `aws_ebs_volume`: `encrypted = true`.
 * - `aws_eks_node_group` without a `launch_template`: its `disk_size` volume follows the account
 *   default, so it is non-compliant.
 * - Karpenter `EC2NodeClass` in `helm_release` values: every `spec.blockDeviceMappings[].ebs` has
 *   `encrypted: true`; none at all means Karpenter's AL2023 default, which is encrypted
 *   (`DefaultEBS`, pkg/providers/amifamily/resolver.go of v1.14.1).
 *
 * An `aws_ebs_encryption_by_default` with `enabled = true` in the same stack makes every EC2
 * volume compliant (the account encrypts what is not marked), but not the Karpenter objects'
 * explicit `encrypted: false`.
 */
import { judgeNodeClasses } from '../node-classes';
import { isRecord } from '../../../core/json';
import { asBoolean, block, blocks, compliant, defineRule, nonCompliant, RuleContext, show, SynthesizedConfig } from '../rule';

function encryptedByDefault(ctx: RuleContext): boolean {
  return ctx.ofType('aws_ebs_encryption_by_default').some((r) => asBoolean(r.config.enabled) !== false);
}

function unencrypted(where: string, value: unknown): string[] {
  return asBoolean(value) === true ? [] : [`${where} encrypted is ${show(value)}, must be true`];
}

function ec2Problems(type: string, config: SynthesizedConfig): string[] {
  switch (type) {
    case 'aws_launch_template': {
      const mappings = blocks(config, 'block_device_mappings').filter((m) => block(m, 'ebs') !== undefined);
      if (mappings.length === 0) return ['no block_device_mappings with ebs: the root volume follows the AMI and the account default'];
      return mappings.flatMap((m, i) => unencrypted(`block_device_mappings[${i}] (${String(m.device_name)}).ebs`, block(m, 'ebs')?.encrypted));
    }
    case 'aws_instance':
      return [
        ...unencrypted('root_block_device', block(config, 'root_block_device')?.encrypted),
        ...blocks(config, 'ebs_block_device').flatMap((d, i) => unencrypted(`ebs_block_device[${i}]`, d.encrypted)),
      ];
    case 'aws_ebs_volume':
      return unencrypted('the volume', config.encrypted);
    case 'aws_eks_node_group':
      return block(config, 'launch_template') === undefined ? ['the node group has no launch_template: its root volume follows the account default'] : [];
    default:
      return [];
  }
}

function nodeClassProblems(spec: Record<string, unknown>, where: string): string[] {
  const mappings = Array.isArray(spec.blockDeviceMappings) ? spec.blockDeviceMappings.filter(isRecord) : [];
  return mappings.flatMap((m, i) => unencrypted(`${where}.blockDeviceMappings[${i}].ebs`, isRecord(m.ebs) ? m.ebs.encrypted : undefined));
}

export const encryptedVolumes = defineRule({
  id: 'encrypted-volumes',
  level: 'error',
  title: 'Every EBS volume of the nodes is encrypted',
  cost:
    'Node volumes hold container images, emptyDir data, logs and the kubelet’s copies of Secrets; an unencrypted volume or ' +
    'snapshot exposes them to anyone who can read the snapshot.',
  resourceTypes: ['aws_launch_template', 'aws_instance', 'aws_ebs_volume', 'aws_eks_node_group', 'helm_release'],
  check: (type, config, ctx) => {
    if (type === 'helm_release') return judgeNodeClasses(config, ctx, nodeClassProblems, 'volumes encrypted');
    const problems = ec2Problems(type, config);
    if (problems.length === 0) return compliant('volumes encrypted');
    if (encryptedByDefault(ctx)) return compliant('aws_ebs_encryption_by_default is enabled in the stack');
    return nonCompliant(problems.join('; '));
  },
});
