import { Construct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { configureKubernetesProviders } from '../kubernetes-access';
import { TerraformOutput, TerraformStack } from '../cdktf';
import { setUpStack } from '../stack-setup';
import { CiliumEksSecurityChecksProps } from '../security/security-aspect';
import { CiliumMigration, CiliumMigrationProps, MIGRATION_RECORD } from './cilium-migration';
import { declare, optional, parse, strict } from '../../core/schema';
import { tags as tagsSchema } from '../../core/rules';
import { stackSetupEntries } from '../cilium-eks-stack';
import { migrationPropsEntries } from './cilium-migration';

/**
 * The props of {@link CiliumMigrationStack}: those of {@link CiliumMigrationProps} (the migration of one
 * existing cluster), and the stack's own: the AWS provider's default tags, the local state backend and the
 * security checks (docs/migration.md).
 */
export interface CiliumMigrationStackProps extends CiliumMigrationProps {
  /** Tags the AWS provider adds to every resource it creates. @default - { 'cilium-eks/cluster': clusterName } */
  readonly defaultTags?: Record<string, string>;
  /**
   * Keep state in a local file beside the project (`terraform.<stack id>.tfstate`). Set false to add
   * your own backend; the state must survive between phases (it holds the sizes a rollback restores).
   * @default true
   */
  readonly localBackend?: boolean;
  /** The security baseline checks (docs/security.md#security-baseline-checks). @default - every rule on */
  readonly securityChecks?: CiliumEksSecurityChecksProps | false;
}
export const CiliumMigrationStackPropsSchema = declare<CiliumMigrationStackProps>()(
  strict({ ...migrationPropsEntries, defaultTags: optional(tagsSchema()), ...stackSetupEntries }, 'migration stack props'),
);

/**
 * One Terraform stack that migrates one existing EKS cluster to Cilium, one phase per deploy. The
 * `helm` and `kubernetes` providers reach the cluster through the `aws_eks_cluster` data source
 * and `aws eks get-token` (no kubeconfig file), as {@link CiliumEksStack} does for its own cluster.
 */
export class CiliumMigrationStack extends TerraformStack {
  /**
   * The stack's migration ({@link CiliumMigration}, construct id `migration`): the phase it deploys and what
   * that phase creates, changes or removes.
   */
  public readonly migration: CiliumMigration;

  constructor(scope: Construct, id: string, props: CiliumMigrationStackProps) {
    super(scope, id);
    parse(CiliumMigrationStackPropsSchema, props);
    const { defaultTags, localBackend, securityChecks, ...migrationProps } = props;
    setUpStack(this, id, { localBackend, securityChecks });
    new AwsProvider(this, 'aws', {
      region: props.region,
      defaultTags: [{ tags: defaultTags ?? { 'cilium-eks/cluster': props.clusterName } }],
    });
    this.migration = new CiliumMigration(this, 'migration', migrationProps);
    const cluster = this.migration.cluster;
    // The data source's endpoint and CA; the token is asked for by the configured name.
    configureKubernetesProviders(this, { name: props.clusterName, endpoint: cluster.endpoint, certificateAuthority: cluster.certificateAuthority }, props.region);

    const phase = this.migration.phase;
    const next = phase.sequence[phase.index + 1];
    new TerraformOutput(this, 'migration_phase', { value: phase.name, description: 'The phase this configuration deploys' });
    new TerraformOutput(this, 'migration_next_phase', { value: next ?? 'none: the migration is complete', description: 'The phase to set next, once the checks in docs/migration.md pass' });
    new TerraformOutput(this, 'migration_record_command', {
      value: `kubectl -n ${MIGRATION_RECORD.namespace} get configmap ${MIGRATION_RECORD.name} -o jsonpath='{.data.phase}'`,
      description: 'Shows the phase the cluster is recorded in',
    });
    const nodeSecurityGroup = this.migration.nodeSecurityGroup;
    if (nodeSecurityGroup) {
      new TerraformOutput(this, 'cilium_node_security_group_id', {
        value: nodeSecurityGroup.securityGroup.id,
        description: 'The Cilium nodes\' security group: allow it where pod security groups are allowed, and add it to the EC2NodeClasses of a Karpenter that runs already (docs/migration.md#karpenter-nodes)',
      });
    }
    new TerraformOutput(this, 'migration_check_commands', {
      value: 'cilium status --wait; kubectl get pods -A -o wide; hubble observe --verdict DROPPED --last 200; hubble observe --verdict AUDIT --last 200',
      description: 'What to check before the next phase (docs/migration.md)',
    });
  }
}
