/**
 * What would stop `cdktf destroy` from deleting the VPC, or stay behind after it: pure functions
 * from the JSON that `kubectl` and the AWS CLI print to a list of findings, each with the command
 * that fixes it. scripts/predestroy.js runs the commands; the tests feed recorded outputs.
 *
 * Why each one matters:
 * - A Service of type LoadBalancer makes the cloud controller (or the AWS Load Balancer Controller)
 *   create a load balancer with network interfaces in the subnets and its own security group;
 *   Terraform knows neither, so the subnets, the node security group and the VPC cannot be deleted
 *   while it exists. Deleting the Service while the cluster runs lets the controller remove it.
 * - A PersistentVolumeClaim's EBS volume is deleted by the CSI driver only while the cluster runs
 *   (and only with reclaim policy Delete); otherwise the volume stays, and costs, after the destroy.
 * - A NodeClaim whose NodePool the destroy does not delete (a NodePool created outside this
 *   project, or none left because an earlier destroy's `helm uninstall` timed out and purged the
 *   release record) keeps its instance running; the destroy then removes the Karpenter controller,
 *   and the instance blocks the subnets and security groups (constructs/karpenter/destroy-budget.ts).
 * - A network interface that is not attached (`available`) and not managed by an AWS service
 *   (`RequesterManaged`) is deleted by nobody; one attached to an instance without
 *   `DeleteOnTermination` outlives its instance. Either blocks its subnet. The ENIs Cilium's
 *   operator attaches are deleted with their instance unless the CiliumNode sets
 *   `spec.eni.delete-on-termination: false` (cilium `pkg/ipam/types`, "If the parameter is not set
 *   the default behavior is to delete the ENI on instance termination"); one it created but never
 *   attached is `available`.
 * - Load balancers and target groups in the VPC that a Service no longer owns; volumes of the
 *   cluster (`kubernetes.io/cluster/<name>` tag) that are detached (`available`).
 */
'use strict';
const { commandLine } = require('./run');

/** The Helm release that delivers the project's EC2NodeClass and NodePools (constructs/karpenter/karpenter.ts). */
const NODE_RESOURCES_RELEASE = 'karpenter-node-resources';

/** One command of a fix: `[cmd, args]`. */
const cmd = (command, args) => [command, args];

/**
 * A finding: `blocks` (VPC deletion fails) or `left-behind` (the destroy ends, the resource stays),
 * with the commands that remove it (`commands`, run by `--delete`) as a user types them (`fix`).
 */
function finding(kind, what, why, commands) {
  return { kind, what, why, fix: commands.map(([c, args]) => commandLine(c, args)), commands };
}

function loadBalancerServices(servicesJson) {
  return (servicesJson.items || [])
    .filter((s) => s.spec && s.spec.type === 'LoadBalancer')
    .map((s) => {
      const ingress = ((s.status && s.status.loadBalancer && s.status.loadBalancer.ingress) || []).map((i) => i.hostname || i.ip).filter(Boolean);
      return finding(
        'blocks',
        `Service ${s.metadata.namespace}/${s.metadata.name} (type LoadBalancer${ingress.length ? `, ${ingress.join(', ')}` : ''})`,
        'its load balancer has network interfaces in the subnets and a security group Terraform does not know',
        [cmd('kubectl', ['-n', s.metadata.namespace, 'delete', 'service', s.metadata.name])],
      );
    });
}

function persistentVolumeClaims(pvcJson) {
  return (pvcJson.items || []).map((p) => {
    const detail = [p.spec && p.spec.volumeName, p.spec && p.spec.storageClassName].filter(Boolean).join(', ');
    return finding(
      'left-behind',
      `PersistentVolumeClaim ${p.metadata.namespace}/${p.metadata.name}${detail ? ` (${detail})` : ''}`,
      'its volume is deleted only by the CSI driver while the cluster runs, and only with reclaim policy Delete',
      [cmd('kubectl', ['-n', p.metadata.namespace, 'delete', 'persistentvolumeclaim', p.metadata.name])],
    );
  });
}

/** NodeClaims whose NodePool is not one the destroy deletes (and waits for). */
function unmanagedNodeClaims(nodePoolsJson, nodeClaimsJson) {
  const managed = new Set(
    (nodePoolsJson.items || [])
      .filter((p) => ((p.metadata && p.metadata.annotations) || {})['meta.helm.sh/release-name'] === NODE_RESOURCES_RELEASE)
      .map((p) => p.metadata.name),
  );
  return (nodeClaimsJson.items || [])
    .filter((c) => !managed.has(((c.metadata && c.metadata.labels) || {})['karpenter.sh/nodepool']))
    .map((c) => {
      const pool = ((c.metadata && c.metadata.labels) || {})['karpenter.sh/nodepool'];
      const node = (c.status && c.status.nodeName) || 'no node yet';
      const exists = (nodePoolsJson.items || []).some((p) => p.metadata.name === pool);
      return finding(
        'blocks',
        `NodeClaim ${c.metadata.name} (NodePool ${pool || 'unknown'}, ${node}, ${(c.status && c.status.providerID) || 'no instance yet'})`,
        exists
          ? `NodePool ${pool} is not delivered by the ${NODE_RESOURCES_RELEASE} release, so the destroy neither deletes it nor waits for its nodes`
          : `NodePool ${pool || '(none)'} is gone (an earlier destroy timed out?): the destroy would remove the Karpenter controller with this instance running`,
        exists
          ? [cmd('kubectl', ['delete', 'nodepool', pool]), cmd('kubectl', ['wait', '--for=delete', `nodeclaim/${c.metadata.name}`, '--timeout=2h'])]
          : [cmd('kubectl', ['delete', 'nodeclaim', c.metadata.name]), cmd('kubectl', ['wait', '--for=delete', `nodeclaim/${c.metadata.name}`, '--timeout=2h'])],
      );
    });
}

function loadBalancersV2(json, vpcId, region) {
  return (json.LoadBalancers || [])
    .filter((lb) => lb.VpcId === vpcId)
    .map((lb) =>
      finding(
        'blocks',
        `${lb.Type || 'elbv2'} load balancer ${lb.LoadBalancerName} (${lb.DNSName || lb.LoadBalancerArn})`,
        'it has network interfaces in the subnets; delete the Service that created it first, then this only if it remains',
        [cmd('aws', ['elbv2', 'delete-load-balancer', '--region', region, '--load-balancer-arn', lb.LoadBalancerArn])],
      ),
    );
}

function classicLoadBalancers(json, vpcId, region) {
  return (json.LoadBalancerDescriptions || [])
    .filter((lb) => lb.VPCId === vpcId)
    .map((lb) =>
      finding(
        'blocks',
        `classic load balancer ${lb.LoadBalancerName} (${lb.DNSName})`,
        'it has network interfaces in the subnets; delete the Service that created it first, then this only if it remains',
        [cmd('aws', ['elb', 'delete-load-balancer', '--region', region, '--load-balancer-name', lb.LoadBalancerName])],
      ),
    );
}

function targetGroups(json, vpcId, region) {
  return (json.TargetGroups || [])
    .filter((tg) => tg.VpcId === vpcId)
    .map((tg) =>
      finding(
        'left-behind',
        `target group ${tg.TargetGroupName} (${tg.TargetType || 'instance'}, ${(tg.LoadBalancerArns || []).length} load balancer(s))`,
        'created for a Service or Ingress; it refers to the VPC and Terraform does not delete it',
        [cmd('aws', ['elbv2', 'delete-target-group', '--region', region, '--target-group-arn', tg.TargetGroupArn])],
      ),
    );
}

function detachedVolumes(json, region) {
  return (json.Volumes || [])
    .filter((v) => v.State === 'available')
    .map((v) => {
      const tag = (k) => ((v.Tags || []).find((t) => t.Key === k) || {}).Value;
      const claim = tag('kubernetes.io/created-for/pvc/namespace') ? `${tag('kubernetes.io/created-for/pvc/namespace')}/${tag('kubernetes.io/created-for/pvc/name')}` : undefined;
      return finding(
        'left-behind',
        `EBS volume ${v.VolumeId} (${v.Size} GiB, ${v.AvailabilityZone}${claim ? `, was ${claim}` : ''})`,
        'detached and tagged for this cluster: nothing deletes it (check that nobody needs its data first)',
        [cmd('aws', ['ec2', 'delete-volume', '--region', region, '--volume-id', v.VolumeId])],
      );
    });
}

function networkInterfaces(json, region) {
  const out = [];
  for (const eni of json.NetworkInterfaces || []) {
    if (eni.RequesterManaged) continue; // an AWS service (ELB, NAT gateway, EKS) removes it with its owner
    const label = `network interface ${eni.NetworkInterfaceId} (${eni.SubnetId}, ${eni.PrivateIpAddress}${eni.Description ? `, "${eni.Description}"` : ''})`;
    if (eni.Status === 'available') {
      out.push(
        finding('blocks', label, 'detached: nothing will delete it, and it holds its subnet', [
          cmd('aws', ['ec2', 'delete-network-interface', '--region', region, '--network-interface-id', eni.NetworkInterfaceId]),
        ]),
      );
    } else if (eni.Attachment && eni.Attachment.InstanceId && eni.Attachment.DeleteOnTermination === false) {
      out.push(
        finding('blocks', `${label}, attached to ${eni.Attachment.InstanceId}`, 'DeleteOnTermination is off: it stays when its instance ends', [
          cmd('aws', [
            'ec2',
            'modify-network-interface-attribute',
            '--region',
            region,
            '--network-interface-id',
            eni.NetworkInterfaceId,
            '--attachment',
            `AttachmentId=${eni.Attachment.AttachmentId},DeleteOnTermination=true`,
          ]),
        ]),
      );
    }
  }
  return out;
}

/** The tag that says what a destroy does with a log group and its key (constructs/log-shipping: `keep` or `delete`). */
const ON_DESTROY_TAG = 'cilium-eks/on-destroy';

/** `/cilium-eks/<cluster>/`: the prefix of the cluster's log groups. */
const logGroupPrefix = (cluster) => `/cilium-eks/${cluster}/`;

/** `/aws/eks/<cluster>/cluster`: the EKS control plane's log group (the name EKS writes to). */
const controlPlaneLogGroup = (cluster) => `/aws/eks/${cluster}/cluster`;

/** The option that decides whether a destroy keeps a group, by the group's name. */
const keepSwitch = (name) => (name.startsWith('/aws/eks/') ? 'keepControlPlaneLogsOnDestroy' : 'logExport.keepOnDestroy');

/** The ARN of a log group without the `:*` that `describe-log-groups` appends. */
const logGroupArn = (g) => g.logGroupArn || String(g.arn || '').replace(/:\*$/, '');

/** Bytes as a person reads them. */
function bytes(n) {
  if (!Number.isFinite(n)) return 'size unknown';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
}

/**
 * What the destroy keeps of the evidence, from `aws logs describe-log-groups` (the cluster's
 * prefix) and the `ON_DESTROY_TAG` of each group (`tagsByArn`: group ARN -> tags): each group and
 * the KMS key that encrypts it, kept or deleted, with the commands that delete them deliberately.
 */
function keptEvidence(describeLogGroupsJson, tagsByArn, region) {
  const items = [];
  const keys = new Map();
  for (const g of describeLogGroupsJson.logGroups || []) {
    const tag = (tagsByArn[logGroupArn(g)] || {})[ON_DESTROY_TAG];
    const kept = tag !== 'delete';
    const retention = g.retentionInDays ? `${g.retentionInDays} days retention` : 'no retention: kept forever';
    const option = keepSwitch(g.logGroupName);
    items.push({
      kind: kept ? 'kept' : 'deleted',
      what: `log group ${g.logGroupName} (${retention}, ${bytes(g.storedBytes)} stored${g.kmsKeyId ? ', KMS-encrypted' : ''})`,
      why: kept
        ? tag === 'keep'
          ? `kept (${option}): CloudWatch deletes its events after ${g.retentionInDays || '(never)'} days`
          : `no ${ON_DESTROY_TAG} tag (deployed before ${option.replace(/^logExport\./, '')} existed): deploy this version first, then the destroy keeps it`
        : `deleted by the destroy (${option}: false)`,
      commands: [cmd('aws', ['logs', 'delete-log-group', '--region', region, '--log-group-name', g.logGroupName])],
    });
    if (g.kmsKeyId) keys.set(g.kmsKeyId, (keys.get(g.kmsKeyId) || false) || kept);
  }
  for (const [key, kept] of keys) {
    items.push({
      kind: kept ? 'kept' : 'deleted',
      what: `KMS key ${key} (encrypts the log groups above)`,
      why: kept ? 'kept: the kept events cannot be read without it' : 'scheduled for deletion by the destroy, 30-day window (aws kms cancel-key-deletion undoes it)',
      commands: [cmd('aws', ['kms', 'schedule-key-deletion', '--region', region, '--key-id', key, '--pending-window-in-days', '30'])],
    });
  }
  return items.map((i) => ({ ...i, fix: i.commands.map(([c, args]) => commandLine(c, args)) }));
}

/** The VPC id from `aws eks describe-cluster` output. */
function vpcOfCluster(describeClusterJson) {
  const id = describeClusterJson && describeClusterJson.cluster && describeClusterJson.cluster.resourcesVpcConfig && describeClusterJson.cluster.resourcesVpcConfig.vpcId;
  if (typeof id !== 'string' || !id.startsWith('vpc-')) throw new Error('aws eks describe-cluster printed no cluster.resourcesVpcConfig.vpcId');
  return id;
}

/** Whether `kubectl get customresourcedefinition nodeclaims.karpenter.sh --ignore-not-found -o name` found it. */
function hasKarpenterApi(text) {
  return text.split('\n').map((l) => l.trim()).includes('customresourcedefinition.apiextensions.k8s.io/nodeclaims.karpenter.sh');
}

/** Exit code: 2 when a check could not run, 1 when something blocks or stays, else 0. */
function exitCode(results) {
  if (results.some((r) => r.error)) return 2;
  if (results.some((r) => (r.findings || []).length > 0)) return 1;
  return 0;
}

module.exports = {
  NODE_RESOURCES_RELEASE,
  ON_DESTROY_TAG,
  keptEvidence,
  controlPlaneLogGroup,
  logGroupArn,
  logGroupPrefix,
  classicLoadBalancers,
  detachedVolumes,
  exitCode,
  hasKarpenterApi,
  loadBalancerServices,
  loadBalancersV2,
  networkInterfaces,
  persistentVolumeClaims,
  targetGroups,
  unmanagedNodeClaims,
  vpcOfCluster,
};
