import { Construct } from 'constructs';
import { TerraformOutput, TerraformStack } from '../cdktf';
import { setUpStack } from '../stack-setup';
import { CiliumEksSecurityChecksProps } from '../security/security-aspect';
import { CiliumEksFleet, CiliumEksFleetProps, fleetStackPropsSchema } from './cilium-eks-fleet';
import { declare, parse } from '../../core/schema';

/**
 * The props of {@link CiliumEksFleetStack}: those of {@link CiliumEksFleetProps} (its fleet), and the stack's
 * own: the local state backend and the security checks.
 */
export interface CiliumEksFleetStackProps extends CiliumEksFleetProps {
  /**
   * Keep state in a local file beside the project (`terraform.<stack id>.tfstate`). Set false to
   * add your own backend: with a generated CA the state holds the CA's private key, so a team
   * should use an encrypted, access-controlled backend (S3 with SSE-KMS and a narrow bucket policy).
   * @default true
   */
  readonly localBackend?: boolean;
  /** The security baseline checks (docs/security.md#security-baseline-checks). @default - every rule on */
  readonly securityChecks?: CiliumEksSecurityChecksProps | false;
}
export const CiliumEksFleetStackPropsSchema = declare<CiliumEksFleetStackProps>()(fleetStackPropsSchema);

/**
 * One Terraform stack holding a whole meshed fleet: `cdktf deploy` of this one stack creates every
 * VPC, cluster, peering, load balancer and DNS name, and the clusters mesh once they are up.
 *
 * One stack rather than one per cluster: the mesh ties every cluster to every other (peering
 * routes, security group rules, the CA, the DNS zone), so per-cluster stacks would need cross-stack
 * references in both directions between every pair; cdktf orders stacks by their references and
 * refuses cycles. The price is the plan's blast radius: every plan and apply covers the whole
 * fleet (docs/fleet.md).
 */
export class CiliumEksFleetStack extends TerraformStack {
  /**
   * The stack's fleet ({@link CiliumEksFleet}, construct id `fleet`): its clusters, endpoints, CA, DNS zone
   * and connectivity.
   */
  public readonly fleet: CiliumEksFleet;

  constructor(scope: Construct, id: string, props: CiliumEksFleetStackProps) {
    super(scope, id);
    parse(CiliumEksFleetStackPropsSchema, props);
    setUpStack(this, id, props);
    this.fleet = new CiliumEksFleet(this, 'fleet', props);
    for (const [name, cluster] of this.fleet.clusters) {
      const role = this.fleet.clusterRoles.get(name);
      new TerraformOutput(this, `kubeconfig_command_${name.replace(/-/g, '_')}`, {
        // A cluster in another account: kubectl's token through the account's role.
        value: `aws eks update-kubeconfig --region ${cluster.region} --name ${name} --alias ${name}${role !== undefined ? ` --role-arn ${role}` : ''}`,
        description: `Writes a kubeconfig context named ${name}`,
      });
    }
    // What `npm run predestroy -- --fleet` reads (cdktf output <stack> --outputs-file fleet.json).
    new TerraformOutput(this, 'fleet_clusters', {
      value: JSON.stringify({ name: props.name, clusters: [...this.fleet.clusters.values()].map((c) => ({ name: c.clusterName, region: c.region })) }),
      description: 'The fleet for npm run predestroy -- --fleet: its clusters and their regions (add "awsProfile" to a cluster in another account)',
    });
    new TerraformOutput(this, 'clustermesh_status_command', {
      value: [...this.fleet.clusters.keys()].map((name) => `cilium clustermesh status --context ${name} --wait`).join(' && '),
      description: 'Waits until every cluster is connected to every peer (cilium CLI)',
    });
  }
}
