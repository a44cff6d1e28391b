/**
 * `npm run predestroy` (scripts/predestroy.js) against stub `aws` and `kubectl` commands that
 * return recorded (hand-written) outputs: what it runs, what it reports, and its exit status.
 */
import * as fs from 'fs';
import * as path from 'path';
import { expectHelpDocumentsScript, fixture, fixtureJson, MAIN_TS_CONFIG as config, Recording, runScript, runWithStubs } from './support/stub-cli';

// Plain Node modules without type declarations; the shapes used here are spelt out.
const checks = require('../scripts/lib/predestroy-checks') as {
  networkInterfaces(json: unknown, region: string): { kind: string; what: string; fix: string[] }[];
  detachedVolumes(json: unknown, region: string): { kind: string; what: string; fix: string[] }[];
  targetGroups(json: unknown, vpcId: string, region: string): { kind: string; what: string }[];
  classicLoadBalancers(json: unknown, vpcId: string, region: string): { kind: string; what: string; fix: string[] }[];
  persistentVolumeClaims(json: unknown): { kind: string; what: string; fix: string[] }[];
};

const VPC = 'vpc-0a1b2c3d4e5f60718';
const GROUP_ARN = (kind: string): string => `arn:aws:logs:eu-west-1:111122223333:log-group:/cilium-eks/cilium-eks/${kind}`;
const CONTROL_PLANE_ARN = 'arn:aws:logs:eu-west-1:111122223333:log-group:/aws/eks/cilium-eks/cluster';
const KEY = 'arn:aws:kms:eu-west-1:111122223333:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';

/** NodeClaims of the managed `default` pool only. */
function managedNodeClaims(): string {
  const list = fixtureJson<{ items: { metadata: { labels: Record<string, string> } }[] }>('k8s-nodeclaims.json');
  list.items = list.items.filter((c) => c.metadata.labels['karpenter.sh/nodepool'] === 'default');
  return JSON.stringify(list);
}

/** A cluster and VPC where nothing blocks the destroy. */
function cleanTable(overrides: Recording[] = []): Recording[] {
  const base: Recording[] = [
    { cmd: 'aws', args: 'eks describe-cluster', stdout: fixture('eks-describe-cluster.json') },
    { cmd: 'kubectl', args: 'config view --minify -o json', stdout: fixture('kubeconfig-view.json') },
    // The control plane's group (and one that only shares its prefix, which is not the cluster's).
    { cmd: 'aws', args: `logs describe-log-groups --region ${config.region} --log-group-name-prefix /aws/eks/${config.clusterName}/cluster`, stdout: fixture('logs-describe-log-groups-control-plane.json') },
    { cmd: 'aws', args: 'logs describe-log-groups', stdout: fixture('logs-describe-log-groups.json') },
    { cmd: 'aws', args: 'logs list-tags-for-resource', stdout: fixture('logs-tags-keep.json') },
    { cmd: 'kubectl', args: 'get services --all-namespaces -o json', stdout: fixture('k8s-services-clusterip.json') },
    { cmd: 'kubectl', args: 'get persistentvolumeclaims --all-namespaces -o json', stdout: fixture('k8s-pvcs-none.json') },
    { cmd: 'kubectl', args: 'get customresourcedefinition nodeclaims.karpenter.sh --ignore-not-found -o name', stdout: 'customresourcedefinition.apiextensions.k8s.io/nodeclaims.karpenter.sh\n' },
    { cmd: 'kubectl', args: 'get nodepools.karpenter.sh -o json', stdout: fixture('k8s-nodepools.json') },
    { cmd: 'kubectl', args: 'get nodeclaims.karpenter.sh -o json', stdout: managedNodeClaims() },
    { cmd: 'aws', args: 'elbv2 describe-load-balancers', stdout: fixture('elbv2-load-balancers-other-vpc.json') },
    { cmd: 'aws', args: 'elb describe-load-balancers', stdout: fixture('elb-none.json') },
    { cmd: 'aws', args: 'elbv2 describe-target-groups', stdout: fixture('elbv2-target-groups-none.json') },
    { cmd: 'aws', args: 'ec2 describe-volumes', stdout: fixture('ec2-volumes-none.json') },
    { cmd: 'aws', args: 'ec2 describe-network-interfaces', stdout: fixture('ec2-enis-clean.json') },
  ];
  // An override replaces the recording of the same command and arguments.
  return [...overrides, ...base.filter((b) => !overrides.some((o) => o.cmd === b.cmd && o.args === b.args))];
}

describe('predestroy with stub aws and kubectl', () => {
  test('nothing blocks, run as a user runs it (node scripts/predestroy.js): exit 0, and every command it ran is printed as run', () => {
    // WHEN
    const r = runWithStubs('predestroy.js', [], cleanTable());
    // THEN
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('predestroy: nothing found that would block the destroy.');
    expect(r.stdout).toContain(`cluster ${config.clusterName} (main.ts config), region ${config.region} (main.ts config)`);
    expect(r.stdout).toContain(`VPC ${VPC}`);
    expect(r.calls).toEqual([
      `aws eks describe-cluster --region ${config.region} --name ${config.clusterName} --output json`,
      'kubectl config view --minify -o json',
      'kubectl get services --all-namespaces -o json',
      'kubectl get persistentvolumeclaims --all-namespaces -o json',
      'kubectl get customresourcedefinition nodeclaims.karpenter.sh --ignore-not-found -o name',
      'kubectl get nodepools.karpenter.sh -o json',
      'kubectl get nodeclaims.karpenter.sh -o json',
      `aws elbv2 describe-load-balancers --region ${config.region} --output json`,
      `aws elb describe-load-balancers --region ${config.region} --output json`,
      `aws elbv2 describe-target-groups --region ${config.region} --output json`,
      `aws ec2 describe-volumes --region ${config.region} --filters Name=tag-key,Values=kubernetes.io/cluster/${config.clusterName} Name=status,Values=available --output json`,
      `aws ec2 describe-network-interfaces --region ${config.region} --filters Name=vpc-id,Values=${VPC} --output json`,
      `aws logs describe-log-groups --region ${config.region} --log-group-name-prefix /cilium-eks/${config.clusterName}/ --output json`,
      `aws logs describe-log-groups --region ${config.region} --log-group-name-prefix /aws/eks/${config.clusterName}/cluster --output json`,
      `aws logs list-tags-for-resource --region ${config.region} --resource-arn ${GROUP_ARN('hubble-flows')} --output json`,
      `aws logs list-tags-for-resource --region ${config.region} --resource-arn ${GROUP_ARN('tetragon-events')} --output json`,
      `aws logs list-tags-for-resource --region ${config.region} --resource-arn ${CONTROL_PLANE_ARN} --output json`,
    ]);
    for (const call of r.calls) expect(r.stdout).toContain(`$ ${call}`);
    expect(r.stdout).toContain('[1/10] Services of type LoadBalancer');
    expect(r.stdout).toContain('[10/10] Evidence the destroy keeps (log groups and their key)');
  });

  test('says what the destroy keeps: the log groups and their key, with the commands that delete them deliberately', () => {
    // WHEN
    const r = runScript('predestroy.js', [], cleanTable());
    // THEN: kept evidence is no finding
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('KEPT    log group /cilium-eks/cilium-eks/hubble-flows (365 days retention, 4.8 GB stored, KMS-encrypted)');
    expect(r.stdout).toContain('kept (logExport.keepOnDestroy): CloudWatch deletes its events after 365 days');
    expect(r.stdout).toContain(`delete it deliberately: aws logs delete-log-group --region ${config.region} --log-group-name /cilium-eks/cilium-eks/tetragon-events`);
    expect(r.stdout).toContain(`KEPT    KMS key ${KEY} (encrypts the log groups above)`);
    expect(r.stdout).toContain(`delete it deliberately: aws kms schedule-key-deletion --region ${config.region} --key-id ${KEY} --pending-window-in-days 30`);
    expect(r.stdout).toContain('KEPT    log group /aws/eks/cilium-eks/cluster (90 days retention, 1.3 GB stored, KMS-encrypted)');
    expect(r.stdout).toContain('kept (keepControlPlaneLogsOnDestroy): CloudWatch deletes its events after 90 days');
    expect(r.stdout).toContain(`delete it deliberately: aws logs delete-log-group --region ${config.region} --log-group-name /aws/eks/cilium-eks/cluster`);
    // A group that only shares the prefix is not the cluster's.
    expect(r.stdout).not.toContain('cluster-archive');
    expect(r.stdout).toContain('predestroy: the destroy keeps 4 item(s) of evidence on purpose');
  });

  test('the control plane\'s log group tagged for deletion (keepControlPlaneLogsOnDestroy: false) is said to go, the export\'s groups and their shared key stay', () => {
    const r = runScript(
      'predestroy.js',
      [],
      cleanTable([{ cmd: 'aws', args: `logs list-tags-for-resource --region ${config.region} --resource-arn ${CONTROL_PLANE_ARN}`, stdout: '{"tags":{"cilium-eks/on-destroy":"delete"}}' }]),
    );
    expect(r.stdout).toContain('DELETED log group /aws/eks/cilium-eks/cluster');
    expect(r.stdout).toContain('deleted by the destroy (keepControlPlaneLogsOnDestroy: false)');
    expect(r.stdout).toContain('KEPT    log group /cilium-eks/cilium-eks/hubble-flows');
    expect(r.stdout).toContain(`KEPT    KMS key ${KEY}`);
  });

  test('log groups tagged for deletion (keepOnDestroy: false) are said to go with the destroy, and so is their key', () => {
    const r = runScript('predestroy.js', [], cleanTable([{ cmd: 'aws', args: 'logs list-tags-for-resource', stdout: '{"tags":{"cilium-eks/on-destroy":"delete"}}' }]));
    expect(r.stdout).toContain('DELETED log group /cilium-eks/cilium-eks/hubble-flows');
    expect(r.stdout).toContain('deleted by the destroy (logExport.keepOnDestroy: false)');
    expect(r.stdout).toContain(`DELETED KMS key ${KEY}`);
    expect(r.stdout).not.toMatch(/KEPT/);
  });

  test('a kube context of another cluster is refused before anything runs, naming both (exit 3)', () => {
    // WHEN
    const r = runScript('predestroy.js', [], cleanTable([{ cmd: 'kubectl', args: 'config view --minify -o json', stdout: fixture('kubeconfig-view-staging.json') }]));
    // THEN
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/predestroy: refused: the current kube context arn:aws:eks:eu-west-1:111122223333:cluster\/staging points at https:\/\/FEDCBA9876543210FEDCBA9876543210\.yl4\.eu-west-1\.eks\.amazonaws\.com .*not at cluster cilium-eks \(arn:aws:eks:eu-west-1:111122223333:cluster\/cilium-eks, endpoint https:\/\/0123456789ABCDEF0123456789ABCDEF\.gr7/);
    expect(r.stderr).toContain('if the cluster is already gone, check its VPC alone: --aws-only --vpc-id vpc-...');
    expect(r.calls).toEqual([`aws eks describe-cluster --region ${config.region} --name ${config.clusterName} --output json`, 'kubectl config view --minify -o json']);
  });

  test('--delete lists what it will delete and, not on a terminal and without --yes, deletes nothing (exit 3)', () => {
    // WHEN
    const r = runScript('predestroy.js', ['--delete'], cleanTable([{ cmd: 'kubectl', args: 'get services --all-namespaces -o json', stdout: fixture('k8s-services-loadbalancer.json') }]));
    // THEN
    expect(r.status).toBe(3);
    expect(r.stdout).toContain('predestroy --delete will run these 1 command(s), in this order:\n  kubectl -n storefront delete service web');
    expect(r.stderr).toContain('predestroy: refused: --delete needs --yes when not run on a terminal (nothing was deleted)');
    expect(r.calls.filter((c) => / delete/.test(c))).toEqual([]);
  });

  test('--delete on a terminal asks; "no" deletes nothing, "yes" runs the listed commands', () => {
    const table = cleanTable([
      { cmd: 'kubectl', args: 'get services --all-namespaces -o json', stdout: fixture('k8s-services-loadbalancer.json') },
      { cmd: 'kubectl', args: '-n storefront delete service web', stdout: 'service "web" deleted\n' },
    ]);
    const no = runScript('predestroy.js', ['--delete'], table, {}, undefined, { answers: ['no'] });
    expect(no.status).toBe(3);
    expect(no.stdout).toContain('Delete the 1 item(s) above? Type yes to go on: no');
    expect(no.calls).not.toContain('kubectl -n storefront delete service web');
    const yes = runScript('predestroy.js', ['--delete'], table, {}, undefined, { answers: ['yes'] });
    expect(yes.calls.slice(-1)).toEqual(['kubectl -n storefront delete service web']);
    expect(yes.status).toBe(1);
    expect(yes.stdout).toContain('predestroy --delete: ran 1 command(s).');
  });

  test('--delete --yes runs every listed command in order and never the kept evidence\'s', () => {
    const table = cleanTable([
      { cmd: 'kubectl', args: 'get services --all-namespaces -o json', stdout: fixture('k8s-services-loadbalancer.json') },
      { cmd: 'aws', args: 'ec2 describe-network-interfaces', stdout: fixture('ec2-enis-leftover.json') },
      { cmd: 'kubectl', args: '-n storefront delete service web', stdout: 'service "web" deleted\n' },
      { cmd: 'aws', args: 'ec2 delete-network-interface', status: 254, stderr: 'An error occurred (InvalidNetworkInterfaceID.NotFound)' },
    ]);
    const r = runScript('predestroy.js', ['--delete', '--yes'], table);
    const deletions = r.calls.filter((c) => / delete-|kubectl .*delete |schedule-key-deletion/.test(c));
    expect(deletions).toEqual(['kubectl -n storefront delete service web', `aws ec2 delete-network-interface --region ${config.region} --network-interface-id eni-0e0e0e0e0e0e0e0e5`]);
    expect(r.status).toBe(2);
    expect(r.stdout).toContain('predestroy --delete: 1 of 2 command(s) failed (above).');
  });

  test('--yes alone is refused (it confirms --delete)', () => {
    const r = runScript('predestroy.js', ['--yes'], cleanTable());
    expect([r.status, r.calls]).toEqual([2, []]);
    expect(r.stderr).toContain('predestroy: --yes confirms --delete: pass both, or neither');
  });

  test('--help documents every flag the script accepts, and only those, and every exit status', () => {
    expectHelpDocumentsScript('predestroy.js');
  });

  test('a Service of type LoadBalancer blocks: exit 1, with the command that removes it', () => {
    // WHEN
    const r = runScript('predestroy.js', [], cleanTable([{ cmd: 'kubectl', args: 'get services --all-namespaces -o json', stdout: fixture('k8s-services-loadbalancer.json') }]));
    // THEN
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/BLOCKS +Service storefront\/web \(type LoadBalancer, a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5-0123456789abcdef\.elb\.eu-west-1\.amazonaws\.com\)/);
    expect(r.stdout).toContain('fix: kubectl -n storefront delete service web');
    expect(r.stdout).not.toContain('Service default/kubernetes');
    expect(r.stdout).toContain('1 item(s) would block deleting the VPC or stay behind');
  });

  test('a network interface left in a subnet blocks; attached and AWS-managed ones do not', () => {
    // WHEN
    const r = runScript('predestroy.js', [], cleanTable([{ cmd: 'aws', args: 'ec2 describe-network-interfaces', stdout: fixture('ec2-enis-leftover.json') }]));
    // THEN
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/BLOCKS +network interface eni-0e0e0e0e0e0e0e0e5 \(subnet-0cc33dd44ee55ff66, 10\.0\.90\.77, "Cilium-CNI \(i-0deadbeef0000aaaa\)"\)/);
    expect(r.stdout).toContain(`fix: aws ec2 delete-network-interface --region ${config.region} --network-interface-id eni-0e0e0e0e0e0e0e0e5`);
    for (const kept of ['eni-0a0a0a0a0a0a0a0a1', 'eni-0b0b0b0b0b0b0b0b2', 'eni-0c0c0c0c0c0c0c0c3', 'eni-0d0d0d0d0d0d0d0d4']) expect(r.stdout).not.toContain(kept);
  });

  test('an AWS CLI that fails makes the run fail loudly (exit 2), never "none"', () => {
    // WHEN
    const denied = 'An error occurred (AccessDenied) when calling the DescribeLoadBalancers operation: User: arn:aws:iam::111122223333:user/ci is not authorized';
    const r = runScript('predestroy.js', [], cleanTable([{ cmd: 'aws', args: 'elbv2 describe-load-balancers', status: 254, stderr: `\n${denied}\n` }]));
    // THEN
    expect(r.status).toBe(2);
    expect(r.stdout).toContain(`FAILED  Load balancers (ALB/NLB) in the VPC: could not check: exited 254: ${denied}`);
    expect(r.stdout).not.toContain('Load balancers (ALB/NLB) in the VPC: none');
    expect(r.stdout).toContain('predestroy: FAILED: 1 check(s) could not run (Load balancers (ALB/NLB) in the VPC)');
    expect(r.stdout).not.toContain('nothing found');
  });

  test('kubectl that cannot reach the cluster fails loudly (exit 2)', () => {
    const refused = 'The connection to the server 0123456789ABCDEF0123456789ABCDEF.gr7.eu-west-1.eks.amazonaws.com was refused - did you specify the right host or port?';
    const r = runScript('predestroy.js', [], cleanTable([{ cmd: 'kubectl', args: 'get services --all-namespaces -o json', status: 1, stderr: refused }]));
    expect(r.status).toBe(2);
    expect(r.stdout).toContain(`FAILED  Services of type LoadBalancer: could not check: exited 1: ${refused}`);
  });

  test('an AWS CLI missing from the PATH: the cluster cannot be read, so the run is refused (exit 3)', () => {
    const r = runScript('predestroy.js', [], cleanTable(), {}, ['kubectl']);
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('predestroy: refused: could not read cluster cilium-eks in eu-west-1: aws is not on the PATH');
    expect(r.calls).toEqual([]);
  });

  test('output that is not JSON is a failure, not an empty list', () => {
    const r = runScript('predestroy.js', [], cleanTable([{ cmd: 'aws', args: 'ec2 describe-volumes', stdout: 'Unable to locate credentials. You can configure credentials by running "aws configure".' }]));
    expect(r.status).toBe(2);
    expect(r.stdout).toContain('FAILED  Detached EBS volumes of the cluster: could not check: printed no JSON');
  });

  test('a NodeClaim whose NodePool the destroy does not delete blocks', () => {
    // WHEN
    const r = runScript('predestroy.js', [], cleanTable([{ cmd: 'kubectl', args: 'get nodeclaims.karpenter.sh -o json', stdout: fixture('k8s-nodeclaims.json') }]));
    // THEN
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('BLOCKS  NodeClaim gpu-q9w8e (NodePool gpu, ip-10-0-81-9.eu-west-1.compute.internal, aws:///eu-west-1c/i-0f9e8d7c6b5a43210)');
    expect(r.stdout).toContain('the destroy would remove the Karpenter controller with this instance running');
    expect(r.stdout).not.toContain('NodeClaim default-7xk2p');
  });

  test('no Karpenter in the cluster: said so, and no NodeClaim query', () => {
    const r = runScript('predestroy.js', [], cleanTable([{ cmd: 'kubectl', args: 'get customresourcedefinition nodeclaims.karpenter.sh --ignore-not-found -o name', stdout: '' }]));
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('no NodeClaim CRD in the cluster: Karpenter is not installed');
    expect(r.calls.filter((c) => c.startsWith('kubectl get node'))).toEqual([]);
  });

  test('cluster, region and VPC from the arguments, then the environment', () => {
    // WHEN
    const r = runScript('predestroy.js', ['--cluster', 'other', '--vpc-id', VPC], cleanTable(), { AWS_REGION: 'us-east-2' });
    // THEN
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('cluster other (--cluster), region us-east-2 ($AWS_REGION)');
    // The cluster is still described, for the context check; the VPC is the one given.
    expect(r.calls[0]).toBe('aws eks describe-cluster --region us-east-2 --name other --output json');
    expect(r.stdout).toContain(`VPC ${VPC} (--vpc-id)`);
    expect(r.calls).toContain('aws ec2 describe-volumes --region us-east-2 --filters Name=tag-key,Values=kubernetes.io/cluster/other Name=status,Values=available --output json');
  });

  test('--aws-only checks the VPC without the cluster and says what it did not run', () => {
    // WHEN: the cluster is gone, kubectl absent
    const r = runScript('predestroy.js', ['--aws-only', '--vpc-id', VPC], cleanTable([{ cmd: 'aws', args: 'ec2 describe-network-interfaces', stdout: fixture('ec2-enis-leftover.json') }]), {}, ['aws']);
    // THEN
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('NOT RUN Services of type LoadBalancer, PersistentVolumeClaims, NodeClaims (--aws-only)');
    expect(r.calls.every((c) => c.startsWith('aws ') && !c.includes('eks describe-cluster'))).toBe(true);
    expect(r.stdout).toContain('eni-0e0e0e0e0e0e0e0e5');
    const clean = runScript('predestroy.js', ['--aws-only', '--vpc-id', VPC], cleanTable(), {}, ['aws']);
    expect(clean.status).toBe(0);
    expect(clean.stdout).toContain('nothing found that would block the destroy in the VPC (the cluster was not checked: --aws-only)');
  });

  test('--aws-only without a VPC is refused', () => {
    const r = runScript('predestroy.js', ['--aws-only'], cleanTable());
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--aws-only needs the VPC');
    expect(r.calls).toEqual([]);
  });

  test('an unknown option is refused (exit 2) before anything runs', () => {
    const r = runScript('predestroy.js', ['--clusters', 'x'], cleanTable());
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('predestroy: unknown option --clusters');
    expect(r.calls).toEqual([]);
  });
});

describe('predestroy rules', () => {
  test('npm runs it before `npm run destroy`: the pre-script of destroy is this script', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.destroy).toContain('cdktf destroy');
    const pre = /^node (\S+)$/.exec(pkg.scripts[`pre${'destroy'}`]);
    expect(pre?.[1]).toBe('scripts/predestroy.js');
    expect(fs.existsSync(path.join(__dirname, '..', pre?.[1] ?? 'missing'))).toBe(true);
  });

  test('an interface attached without DeleteOnTermination blocks, with the command that turns it on', () => {
    const json = fixtureJson<{ NetworkInterfaces: Record<string, unknown>[] }>('ec2-enis-clean.json');
    (json.NetworkInterfaces[1].Attachment as Record<string, unknown>).DeleteOnTermination = false;
    const found = checks.networkInterfaces(json, 'eu-west-1');
    expect(found.map((f) => f.what)).toEqual([expect.stringContaining('eni-0b0b0b0b0b0b0b0b2')]);
    expect(found[0].fix).toEqual([
      'aws ec2 modify-network-interface-attribute --region eu-west-1 --network-interface-id eni-0b0b0b0b0b0b0b0b2 --attachment AttachmentId=eni-attach-0b0b0b0b0b0b0b0b2,DeleteOnTermination=true',
    ]);
  });

  test('detached volumes and PVCs stay behind; target groups and classic load balancers of this VPC only', () => {
    const volumes = { Volumes: [{ VolumeId: 'vol-0123456789abcdef0', Size: 20, AvailabilityZone: 'eu-west-1a', State: 'available', Tags: [{ Key: 'kubernetes.io/created-for/pvc/namespace', Value: 'shop' }, { Key: 'kubernetes.io/created-for/pvc/name', Value: 'data-db-0' }] }] };
    expect(checks.detachedVolumes(volumes, 'eu-west-1')).toEqual([
      expect.objectContaining({ kind: 'left-behind', what: 'EBS volume vol-0123456789abcdef0 (20 GiB, eu-west-1a, was shop/data-db-0)', fix: ['aws ec2 delete-volume --region eu-west-1 --volume-id vol-0123456789abcdef0'] }),
    ]);
    const pvcs = { items: [{ metadata: { namespace: 'shop', name: 'data-db-0' }, spec: { volumeName: 'pvc-1b2c', storageClassName: 'gp3' } }] };
    expect(checks.persistentVolumeClaims(pvcs)[0]).toMatchObject({ kind: 'left-behind', fix: ['kubectl -n shop delete persistentvolumeclaim data-db-0'] });
    const tgs = { TargetGroups: [{ TargetGroupName: 'k8s-shop-web-1a2b3c', TargetGroupArn: 'arn:tg', VpcId: VPC, TargetType: 'ip' }, { TargetGroupName: 'other', TargetGroupArn: 'arn:tg2', VpcId: 'vpc-other' }] };
    expect(checks.targetGroups(tgs, VPC, 'eu-west-1').map((f) => f.what)).toEqual(['target group k8s-shop-web-1a2b3c (ip, 0 load balancer(s))']);
    const clbs = { LoadBalancerDescriptions: [{ LoadBalancerName: 'a1b2c3', DNSName: 'a1b2c3.eu-west-1.elb.amazonaws.com', VPCId: VPC }] };
    expect(checks.classicLoadBalancers(clbs, VPC, 'eu-west-1')[0].fix).toEqual(['aws elb delete-load-balancer --region eu-west-1 --load-balancer-name a1b2c3']);
  });
});
