import { Construct } from 'constructs';
import { DataAwsEksNodeGroup } from '@cdktf/provider-aws/lib/data-aws-eks-node-group';
import { EKS_NODEGROUP_LABEL, MIGRATION_NO_SCHEDULE_TAINT } from '../../bpf/migration';
import { DataResource, ITerraformDependable, TerraformStack, dependable } from '../cdktf';
import { destroyWithProvisioners } from '../log-shipping/terraform-blocks';
import { CORDON_SCRIPT, DRAIN_SCRIPT, RESTORE_SCRIPT, UNCORDON_SCRIPT } from './scripts';
import { bool, declare, optional, parse, pattern, rules, strict } from '../../core/schema';
import { goDuration, region } from '../../core/rules';
import { clusterName, dependables } from '../inputs';

/**
 * Terraform a migration stack needs: its rollback writes `removed` blocks with destroy-time
 * provisioners (Terraform 1.9, hashicorp/terraform #35230).
 */
export const MIGRATION_TERRAFORM_VERSION = '>= 1.9.0';

/** Default `kubectl drain --timeout`: how long PodDisruptionBudgets may hold a drain before the deploy fails. */
export const DEFAULT_DRAIN_TIMEOUT = '1h';

/**
 * The props of {@link OldNodeGroup}: the cluster, region and name of a managed node group that runs VPC-CNI
 * pods, and which of its migration steps this phase takes. {@link CiliumMigration} fills them for each of
 * `oldNodeGroups` by phase.
 */
export interface OldNodeGroupProps {
  /** Cluster name. */
  readonly clusterName: string;
  /** AWS region of the cluster. */
  readonly region: string;
  /** Name of the managed node group that runs VPC-CNI pods. */
  readonly nodeGroupName: string;
  /** Taint the group NoSchedule and cordon its nodes. */
  readonly cordon: boolean;
  /** Drain the nodes and scale the group to zero (needs `cordon`). */
  readonly drain: boolean;
  /** `kubectl drain --timeout`. @default DEFAULT_DRAIN_TIMEOUT */
  readonly drainTimeout?: string;
  /** What the cordon waits for (the Cilium nodes being there). @default - nothing */
  readonly dependsOn?: ITerraformDependable[];
}
/** The declaration of {@link OldNodeGroupProps}: a drain needs the cordon. */
export const OldNodeGroupPropsSchema = declare<OldNodeGroupProps>()(
  rules(
    strict(
      {
        clusterName: clusterName(),
        region: region(),
        nodeGroupName: pattern(/^[0-9A-Za-z][A-Za-z0-9_-]{0,62}$/, 'a managed node group name: 1 to 63 letters, digits, "-" and "_", starting with a letter or digit', 'the EKS CreateNodegroup name rule'),
        cordon: bool(),
        drain: bool(),
        drainTimeout: optional(goDuration('a drain timeout')),
        dependsOn: optional(dependables()),
      },
      'OldNodeGroup props { clusterName, region, nodeGroupName, cordon, drain, drainTimeout?, dependsOn? }',
    ),
    (p, report) => (p.drain && !p.cordon ? report(['drain'], p.drain, 'false while cordon is false', 'a drain needs the cordon: the nodes must stop taking pods first') : undefined),
  ),
);

/** `/bin/sh -c`, written out so the command runs the same on every deployer machine. */
const SHELL = ['/bin/sh', '-c'];

/**
 * One managed node group of the cluster as it was (VPC-CNI), keyed by its name: read at plan time
 * (a name EKS does not know fails the plan), then, in the phases that say so, tainted and cordoned,
 * and drained and scaled to zero. Each step is a `terraform_data` whose destroy-time provisioner
 * undoes it, so setting an earlier phase rolls it back.
 *
 * A phase without a step writes, instead of it, a `removed` block with the step's destroy-time
 * provisioner: rolling back to that phase destroys the step left by a later one AND undoes it.
 * Terraform drops a destroy-time provisioner together with its resource block (hashicorp/terraform
 * #13549), so without the block a rollback would leave the group tainted, cordoned or at zero (found
 * by the migration's lifecycle sequence). On the way forward the block finds nothing: a no-op.
 *
 * The sizes restored on rollback are the ones read when the drain was first planned: they are
 * stored in the drain's `input`, which later reads (of a group at zero) must not overwrite, hence
 * `ignore_changes = [input]`; `triggers_replace` holds only the group's identity.
 */
export class OldNodeGroup extends Construct {
  /**
   * The managed node group as EKS has it (`aws_eks_node_group` data source, read at plan: a name EKS does not
   * know fails the plan); the drain records its scaling sizes from it.
   */
  public readonly nodeGroup: DataAwsEksNodeGroup;
  /**
   * The cordon step (`terraform_data` with local-exec provisioners), when `cordon` is set: taints the node
   * group NoSchedule through EKS (new nodes) and cordons its running nodes; destroying it (a rollback)
   * removes the taint and uncordons them. Runs `aws` and `kubectl` on the deploying machine.
   */
  public readonly cordonStep?: DataResource;
  /**
   * The drain step (`terraform_data`), when `drain` is set: drains the group's nodes (`kubectl drain`,
   * PodDisruptionBudgets honoured, `drainTimeout`) and scales the group to zero; destroying it (a rollback)
   * restores the sizes recorded when the drain was first planned.
   */
  public readonly drainStep?: DataResource;

  constructor(scope: Construct, id: string, props: OldNodeGroupProps) {
    super(scope, id);
    parse(OldNodeGroupPropsSchema, props);
    this.nodeGroup = new DataAwsEksNodeGroup(this, 'node-group', { clusterName: props.clusterName, nodeGroupName: props.nodeGroupName });
    const identity = { cluster: props.clusterName, region: props.region, nodegroup: props.nodeGroupName };
    const env = (keys: readonly string[]): Record<string, string> =>
      Object.fromEntries(keys.map((k) => [k.toUpperCase(), `\${self.input.${k.toLowerCase()}}`]));

    // Every phase: the `removed` blocks of the rollback need it, and a phase that writes none must not accept less.
    TerraformStack.of(this).addOverride('terraform.required_version', MIGRATION_TERRAFORM_VERSION);
    const cordonKeys = [...Object.keys(identity), 'node_label', 'taint_key', 'taint_value', 'taint_effect'];
    const drainKeys = [...Object.keys(identity), 'node_label', 'drain_timeout', 'min_size', 'max_size', 'desired_size'];
    if (!props.cordon) this.undoWhenRemoved('cordon', UNCORDON_SCRIPT, env(cordonKeys));
    if (!props.drain) this.undoWhenRemoved('drain', RESTORE_SCRIPT, env(drainKeys));
    if (props.cordon) {
      const input = {
        ...identity,
        node_label: EKS_NODEGROUP_LABEL,
        taint_key: MIGRATION_NO_SCHEDULE_TAINT.key,
        taint_value: MIGRATION_NO_SCHEDULE_TAINT.value,
        taint_effect: MIGRATION_NO_SCHEDULE_TAINT.effect,
      };
      const keys = Object.keys(input);
      if (keys.join() !== cordonKeys.join()) throw new Error(`${this.node.path}: the cordon's keys changed: ${keys.join()}`);
      this.cordonStep = new DataResource(this, 'cordon', {
        input,
        triggersReplace: identity,
        dependsOn: props.dependsOn,
        provisioners: [
          { type: 'local-exec', interpreter: SHELL, command: CORDON_SCRIPT, environment: env(keys) },
          { type: 'local-exec', when: 'destroy', interpreter: SHELL, command: UNCORDON_SCRIPT, environment: env(keys) },
        ],
      });
    }
    if (props.drain) {
      if (!this.cordonStep) throw new Error(`${this.node.path}: a drain needs the cordon`);
      const size = this.nodeGroup.scalingConfig.get(0);
      const input = {
        ...identity,
        node_label: EKS_NODEGROUP_LABEL,
        drain_timeout: props.drainTimeout ?? DEFAULT_DRAIN_TIMEOUT,
        min_size: size.minSize,
        max_size: size.maxSize,
        desired_size: size.desiredSize,
      };
      const keys = Object.keys(input);
      if (keys.join() !== drainKeys.join()) throw new Error(`${this.node.path}: the drain's keys changed: ${keys.join()}`);
      this.drainStep = new DataResource(this, 'drain', {
        input,
        triggersReplace: identity,
        dependsOn: [this.cordonStep],
        lifecycle: { ignoreChanges: ['input'] },
        provisioners: [
          { type: 'local-exec', interpreter: SHELL, command: DRAIN_SCRIPT, environment: env(keys) },
          { type: 'local-exec', when: 'destroy', interpreter: SHELL, command: RESTORE_SCRIPT, environment: env(keys) },
        ],
      });
    }
  }

  /** A `removed` block for the step `id` (absent in this phase) that runs `command` when the state still holds it. */
  private undoWhenRemoved(id: string, command: string, environment: Record<string, string>): void {
    const stack = TerraformStack.of(this);
    const probe = new Construct(this, id);
    const address = `terraform_data.${stack.getLogicalId(probe.node)}`;
    this.node.tryRemoveChild(id);
    destroyWithProvisioners(this, `${id}-undo`, () => address, [{ command, interpreter: SHELL, environment }]);
  }

  /**
   * Makes this group's drain (when it has one) wait for the given steps too, beside its own cordon.
   * {@link CiliumMigration} passes every old group's cordon: the pods a drain evicts must not land on
   * another old group that is not cordoned yet (they would be evicted twice). The dependency also
   * orders the rollback and the teardown, which undo in reverse: every drain is undone (sizes
   * restored) before any cordon is removed.
   */
  public drainAfter(steps: readonly ITerraformDependable[]): void {
    if (!this.drainStep) return;
    const others = steps.filter((s) => s !== this.cordonStep && s !== this.drainStep);
    this.drainStep.dependsOn = [...(this.drainStep.dependsOn ?? []), ...others.map((s) => dependable(s))];
  }

  /** The steps of this group that exist in the phase. */
  public get steps(): DataResource[] {
    return [this.cordonStep, this.drainStep].filter((s): s is DataResource => s !== undefined);
  }
}
