import * as fs from 'fs';
import * as path from 'path';
import { Construct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { App, TerraformOutput, TerraformStack } from './cdktf';
import { ValidationError } from '../core/errors';
import { setUpStack } from './stack-setup';
import { CiliumEksSecurityChecksProps } from './security/security-aspect';
import { CiliumEksCluster, CiliumEksClusterProps } from './cilium-eks-cluster';
import { bool, declare, optional, orFalse, parse, rules, strict } from '../core/schema';
import { tagCountProblem, tags as tagsSchema } from '../core/rules';
import { clusterPropsEntries, clusterPropsRules, PROJECT_TAGS_PER_RESOURCE } from './cilium-eks-cluster';
import { CiliumEksSecurityChecksPropsSchema } from './security/security-aspect';

/**
 * The props of {@link CiliumEksStack}: those of {@link CiliumEksClusterProps} (its cluster), and the stack's
 * own: the AWS provider's default tags, the local state backend and the security checks. `main.ts` of the
 * bundled app writes them (every prop with its default: docs/inputs.md).
 */
export interface CiliumEksStackProps extends CiliumEksClusterProps {
  /** Tags the AWS provider adds to every resource. @default - { 'cilium-eks/cluster': clusterName } */
  readonly defaultTags?: Record<string, string>;
  /**
   * Keep state in a local file beside the project (`terraform.<stack id>.tfstate`), named by a
   * relative path so the synthesized output holds no machine path. Set false to add your own
   * backend (S3 and DynamoDB locking for a team) to the stack.
   * @default true
   */
  readonly localBackend?: boolean;
  /**
   * The security baseline checks run over the synthesized stack (docs/security.md#security-baseline-checks); switch a
   * rule off with `{ suppress: { '<rule id>': '<reason>' } }`, or all with `false`.
   * @default - every rule on
   */
  readonly securityChecks?: CiliumEksSecurityChecksProps | false;
}
/** What every stack of the project takes besides its own props (the cluster's, the fleet's, the migration's). */
export const stackSetupEntries = { localBackend: optional(bool()), securityChecks: optional(orFalse(CiliumEksSecurityChecksPropsSchema)) } as const;
export const CiliumEksStackPropsSchema = declare<CiliumEksStackProps>()(
  rules(strict({ ...clusterPropsEntries, defaultTags: optional(tagsSchema()), ...stackSetupEntries }, 'stack props'), (p, report) => {
    // The provider's default tags land on every resource beside the cluster's `tags` and the project's own.
    const defaultTagCount = Object.keys(p.defaultTags ?? { 'cilium-eks/cluster': '' }).length;
    clusterPropsRules(p, report, defaultTagCount);
    const tooMany = tagCountProblem(p.defaultTags, PROJECT_TAGS_PER_RESOURCE + Object.keys(p.tags ?? {}).length);
    if (tooMany) report(['defaultTags'], `${Object.keys(p.defaultTags ?? {}).length} tags`, tooMany.allowed, tooMany.reason);
  }),
);

/**
 * The names of the EKS clusters in a local state file, or none when there is no such file (or it
 * cannot be read: Terraform, not the synth, reports a broken state).
 */
export function clusterNamesInState(stateFile: string): string[] {
  let state: { resources?: Array<{ mode?: string; type?: string; instances?: Array<{ attributes?: { name?: unknown } }> }> };
  try {
    state = JSON.parse(fs.readFileSync(stateFile, 'utf8'));
  } catch {
    return [];
  }
  return (state.resources ?? [])
    .filter((r) => r.mode === 'managed' && r.type === 'aws_eks_cluster')
    .flatMap((r) => r.instances ?? [])
    .map((i) => i.attributes?.name)
    .filter((n): n is string => typeof n === 'string');
}

/**
 * One Terraform stack holding one Cilium-on-EKS cluster, with the `aws`, `helm` and `kubernetes`
 * providers configured: what `cdktf deploy` of the bundled app creates.
 */
export class CiliumEksStack extends TerraformStack {
  /**
   * The stack's cluster ({@link CiliumEksCluster}, construct id `cluster`), built from the props without the
   * stack's own; reach its parts (control plane, Cilium release, node groups) through it.
   */
  public readonly cluster: CiliumEksCluster;

  constructor(scope: Construct, id: string, props: CiliumEksStackProps) {
    super(scope, id);
    // Every prop judged by its declaration before anything is built.
    parse(CiliumEksStackPropsSchema, props);
    const { defaultTags, localBackend, securityChecks, ...clusterProps } = props;
    setUpStack(this, id, { localBackend, securityChecks });
    // The stack's id, not the cluster name, names its state: a renamed cluster would be planned as
    // a replacement in the same state. With the local state beside the project, the synth refuses
    // it already (a remote backend's state is read at plan: EksControlPlane's name record).
    if (localBackend ?? true) {
      const stateFile = path.resolve(App.of(this).outdir, '..', `terraform.${id}.tfstate`);
      const existing = clusterNamesInState(stateFile);
      if (existing.length > 0 && !existing.includes(props.clusterName)) {
        throw new ValidationError(
          'clusterName',
          props.clusterName,
          `${JSON.stringify(existing[0])}, the cluster in this stack's state (terraform.${id}.tfstate)`,
          `EKS cannot rename a cluster: the plan would replace it and everything in it. Set clusterName back to ${JSON.stringify(existing[0])} to keep it; for a cluster under the new name, deploy it as a new stack (its own stack id) and destroy this one when it is no longer needed`,
        );
      }
    }
    new AwsProvider(this, 'aws', {
      region: props.region,
      defaultTags: [{ tags: defaultTags ?? { 'cilium-eks/cluster': props.clusterName } }],
    });
    this.cluster = new CiliumEksCluster(this, 'cluster', clusterProps);
    const eks = this.cluster.controlPlane.cluster;
    // The checks are on the stack already (setUpStack).
    this.cluster.configureStack({ securityChecks: false });

    const name = props.clusterName;
    const region = props.region;
    new TerraformOutput(this, 'cluster_name', { value: eks.name, description: 'EKS cluster name' });
    new TerraformOutput(this, 'cluster_endpoint', { value: eks.endpoint, description: 'Kubernetes API endpoint' });
    new TerraformOutput(this, 'kubeconfig_command', {
      value: `aws eks update-kubeconfig --region ${region} --name ${name}`,
      description: 'Writes a kubeconfig entry for the cluster',
    });
    new TerraformOutput(this, 'cilium_status_command', {
      value: 'cilium status --wait',
      description: 'Checks that the agents, the operator, Hubble relay and UI are ready (cilium CLI)',
    });
    new TerraformOutput(this, 'hubble_observe_command', {
      value: 'cilium hubble port-forward & hubble observe --follow',
      description: 'Streams flows through Hubble Relay (cilium and hubble CLIs)',
    });
    new TerraformOutput(this, 'hubble_ui_command', {
      value: 'cilium hubble ui   # or: kubectl -n kube-system port-forward svc/hubble-ui 12000:80',
      description: 'Opens Hubble UI through a port-forward (it has no load balancer)',
    });
  }
}
