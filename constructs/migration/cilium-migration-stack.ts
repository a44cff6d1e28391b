import { Construct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { Aspects, Fn, LocalBackend, TerraformOutput, TerraformStack, Token } from '../cdktf';
import { CiliumEksSecurityChecks, CiliumEksSecurityChecksProps } from '../security/security-aspect';
import { CiliumMigration, CiliumMigrationProps, MIGRATION_RECORD } from './cilium-migration';
import { checkMigrationPropsKeys } from './props-keys';

export interface CiliumMigrationStackProps extends CiliumMigrationProps {
  /** Tags the AWS provider adds to every resource it creates. @default - { 'cilium-eks/cluster': clusterName } */
  readonly defaultTags?: Record<string, string>;
  /**
   * Keep state in a local file beside the project (`terraform.<stack id>.tfstate`). Set false to add
   * your own backend; the state must survive between phases (it holds the sizes a rollback restores).
   * @default true
   */
  readonly localBackend?: boolean;
  /** The security baseline checks (README, "Security"). @default - every rule on */
  readonly securityChecks?: CiliumEksSecurityChecksProps | false;
}

/**
 * One Terraform stack that migrates one existing EKS cluster to Cilium, one phase per deploy. The
 * `helm` and `kubernetes` providers reach the cluster through the `aws_eks_cluster` data source
 * and `aws eks get-token` (no kubeconfig file), as {@link CiliumEksStack} does for its own cluster.
 */
export class CiliumMigrationStack extends TerraformStack {
  public readonly migration: CiliumMigration;

  constructor(scope: Construct, id: string, props: CiliumMigrationStackProps) {
    super(scope, id);
    checkMigrationPropsKeys(props, true);
    const { defaultTags, localBackend, securityChecks, ...migrationProps } = props;
    this.node.setContext('@cdktf/disable_stack_trace_in_metadata', true);
    if (securityChecks !== false) Aspects.of(this).add(new CiliumEksSecurityChecks(securityChecks ?? {}));
    if (localBackend ?? true) new LocalBackend(this, { path: `../../../terraform.${id}.tfstate` });
    new AwsProvider(this, 'aws', {
      region: props.region,
      defaultTags: [{ tags: defaultTags ?? { 'cilium-eks/cluster': props.clusterName } }],
    });
    this.migration = new CiliumMigration(this, 'migration', migrationProps);
    const cluster = this.migration.cluster;
    const access = {
      host: cluster.endpoint,
      clusterCaCertificate: Token.asString(Fn.base64decode(cluster.certificateAuthority.get(0).data)),
      exec: {
        apiVersion: 'client.authentication.k8s.io/v1beta1',
        command: 'aws',
        args: ['eks', 'get-token', '--cluster-name', props.clusterName, '--region', props.region, '--output', 'json'],
      },
    };
    new HelmProvider(this, 'helm', { kubernetes: access });
    new KubernetesProvider(this, 'kubernetes', { host: access.host, clusterCaCertificate: access.clusterCaCertificate, exec: [access.exec] });

    const phase = this.migration.phase;
    const next = phase.sequence[phase.index + 1];
    new TerraformOutput(this, 'migration_phase', { value: phase.name, description: 'The phase this configuration deploys' });
    new TerraformOutput(this, 'migration_next_phase', { value: next ?? 'none: the migration is complete', description: 'The phase to set next, once the checks in the README pass' });
    new TerraformOutput(this, 'migration_record_command', {
      value: `kubectl -n ${MIGRATION_RECORD.namespace} get configmap ${MIGRATION_RECORD.name} -o jsonpath='{.data.phase}'`,
      description: 'Shows the phase the cluster is recorded in',
    });
    new TerraformOutput(this, 'migration_check_commands', {
      value: 'cilium status --wait; kubectl get pods -A -o wide; hubble observe --verdict DROPPED --last 200; hubble observe --verdict AUDIT --last 200',
      description: 'What to check before the next phase (README, "Migrating from VPC-CNI")',
    });
  }
}
