/**
 * The shell commands the migration runs through `terraform_data` provisioners, on the machine that
 * runs `cdktf deploy` (it needs the AWS CLI, which the providers' `aws eks get-token` needs anyway,
 * and kubectl). Each script is static text: everything it acts on comes from the environment,
 * which the provisioner fills from `self.input` (destroy-time provisioners can only read `self`).
 * Tests run them against stub `aws` and `kubectl` commands.
 *
 * Sources:
 * - `aws eks update-nodegroup-config --taints addOrUpdateTaints=[...]|removeTaints=[...]` and
 *   `--scaling-config minSize=,maxSize=,desiredSize=`; `aws eks wait nodegroup-active`;
 *   `aws eks update-kubeconfig --kubeconfig <file>` (AWS CLI reference, `eks`).
 * - `kubectl drain` evicts through the Eviction API, which honours PodDisruptionBudgets, retrying
 *   until `--timeout` (kubectl reference, `drain`). Scaling a managed node group down drains too,
 *   but "If the node hasn't been drained after 5 minutes, Amazon EKS lets Auto Scaling continue
 *   the forced termination" (EKS user guide, delete-managed-node-group): so the nodes are drained
 *   by kubectl first and the group is scaled to zero only once they are empty.
 */

/** A kubeconfig of its own for the run, removed on exit; the node list of the node group. */
const PREAMBLE = [
  'set -eu',
  'kubeconfig="$(mktemp)"',
  'trap \'rm -f "$kubeconfig"\' EXIT',
  'aws eks update-kubeconfig --region "$REGION" --name "$CLUSTER" --kubeconfig "$kubeconfig" >/dev/null',
  'nodes="$(kubectl --kubeconfig "$kubeconfig" get nodes -l "$NODE_LABEL=$NODEGROUP" -o name)"',
];

const WAIT_ACTIVE = 'aws eks wait nodegroup-active --region "$REGION" --cluster-name "$CLUSTER" --nodegroup-name "$NODEGROUP"';
const TAINT = '{key=$TAINT_KEY,value=$TAINT_VALUE,effect=$TAINT_EFFECT}';

/** Taints the node group NoSchedule (new nodes) and cordons its nodes (running ones): no new pod lands there. */
export const CORDON_SCRIPT = [
  ...PREAMBLE,
  `aws eks update-nodegroup-config --region "$REGION" --cluster-name "$CLUSTER" --nodegroup-name "$NODEGROUP" --taints "addOrUpdateTaints=[${TAINT}]"`,
  WAIT_ACTIVE,
  'if [ -n "$nodes" ]; then kubectl --kubeconfig "$kubeconfig" cordon $nodes; fi',
  '',
].join('\n');

/** Rollback of {@link CORDON_SCRIPT}: the taint removed, the nodes uncordoned. */
export const UNCORDON_SCRIPT = [
  ...PREAMBLE,
  `aws eks update-nodegroup-config --region "$REGION" --cluster-name "$CLUSTER" --nodegroup-name "$NODEGROUP" --taints "removeTaints=[${TAINT}]"`,
  WAIT_ACTIVE,
  'if [ -n "$nodes" ]; then kubectl --kubeconfig "$kubeconfig" uncordon $nodes; fi',
  '',
].join('\n');

/**
 * Evicts every pod of the node group's nodes (PodDisruptionBudgets honoured), then scales the group
 * to zero. Once the scale-down is accepted the step succeeds even if the wait for it times out (a
 * warning is printed): a failed step is replaced on the next deploy, and its replacement would
 * store the sizes read then (zero) as the ones a rollback restores.
 */
export const DRAIN_SCRIPT = [
  ...PREAMBLE,
  'if [ -n "$nodes" ]; then kubectl --kubeconfig "$kubeconfig" drain $nodes --ignore-daemonsets --delete-emptydir-data --timeout="$DRAIN_TIMEOUT"; fi',
  'aws eks update-nodegroup-config --region "$REGION" --cluster-name "$CLUSTER" --nodegroup-name "$NODEGROUP" --scaling-config "minSize=0,maxSize=$MAX_SIZE,desiredSize=0"',
  `${WAIT_ACTIVE} || echo "warning: node group $NODEGROUP is scaling to zero but not ACTIVE yet; check it before the next phase" >&2`,
  '',
].join('\n');

/** Rollback of {@link DRAIN_SCRIPT}: the sizes the group had before the drain. */
export const RESTORE_SCRIPT = [
  'set -eu',
  'aws eks update-nodegroup-config --region "$REGION" --cluster-name "$CLUSTER" --nodegroup-name "$NODEGROUP" --scaling-config "minSize=$MIN_SIZE,maxSize=$MAX_SIZE,desiredSize=$DESIRED_SIZE"',
  WAIT_ACTIVE,
  '',
].join('\n');
