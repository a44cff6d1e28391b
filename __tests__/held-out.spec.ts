/**
 * A held-out list of realistic mistakes aimed at the newer entry points (fleet, migration, stack
 * configuration, NodePool and EC2NodeClass builders, TracingPolicy builders, log export), written
 * before issue 23 converted the input checks to declarations and kept unchanged since: every one
 * must be refused at construction with a ValidationError that names the place as the user wrote it
 * (the path's tail is compared; map keys as `["key"]`), and the valid inputs at the end must pass.
 *
 * Measured against the code before the conversion (commit 997a0d5): see the issue 23 report.
 */
import { App } from 'cdktf';
import { IConstruct } from 'constructs';
import { CiliumEksStack, CiliumEksStackProps } from '../constructs/cilium-eks-stack';
import { CiliumEksFleetStack, CiliumEksFleetStackProps } from '../constructs/fleet/cilium-eks-fleet-stack';
import { CiliumMigrationStack, CiliumMigrationStackProps } from '../constructs/migration/cilium-migration-stack';
import { buildNodePool, buildEc2NodeClass } from '../constructs/karpenter/node-resources';
import { TracingPolicy, TracingPolicyProps } from '../bpf/tracing';
import { ValidationError } from '../core/errors';
import { meshConfig } from '../examples/cluster-mesh/main';
import { migrationConfig } from '../examples/migration/main';
import { config } from '../main';

type Props = Record<string, unknown>;
const loose = <T>(p: Props): T => p as unknown as T;

function stack(extra: Props): IConstruct {
  return new CiliumEksStack(new App({ outdir: '/tmp/unused' }), 'held-out', loose<CiliumEksStackProps>({ ...config, ...extra }));
}
function fleet(change: (p: Props & { clusters: Props[] }) => void): IConstruct {
  const p = JSON.parse(JSON.stringify(meshConfig)) as Props & { clusters: Props[] };
  change(p);
  return new CiliumEksFleetStack(new App({ outdir: '/tmp/unused' }), 'held-out', loose<CiliumEksFleetStackProps>(p));
}
function migration(extra: Props): IConstruct {
  return new CiliumMigrationStack(new App({ outdir: '/tmp/unused' }), 'held-out', loose<CiliumMigrationStackProps>({ ...migrationConfig, ...extra }));
}
function addNodePool(options: Props): unknown {
  return (stack({}) as CiliumEksStack).cluster.addNodePool(loose(options));
}
function addNodeClass(options: Props): unknown {
  return (stack({}) as CiliumEksStack).cluster.addNodeClass(loose(options));
}
function tracing(props: Props): unknown {
  return new TracingPolicy(loose<TracingPolicyProps>({ name: 'watch', ...props }));
}
const kprobe = (extra: Props): Props => ({ call: 'sys_openat', syscall: true, args: [{ index: 1, type: 'string' }], ...extra });
const pool = (extra: Props): Props => ({ karpenter: { defaultNodePool: extra } });
const OTHER_REGION_KEY = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

/** [entry point, mistake, call, the tail of the path the error must name]. */
export const HELD_OUT: ReadonlyArray<readonly [string, string, () => unknown, string]> = [
  // ---- fleet
  ['fleet', 'a cluster id as a string', () => fleet((p) => (p.clusters[1].clusterId = '2')), 'clusters[1].clusterId'],
  ['fleet', 'a VPC CIDR with a /33 prefix', () => fleet((p) => (p.clusters[0].vpcCidr = '10.10.0.0/33')), 'clusters[0].vpcCidr'],
  ['fleet', 'a misspelt cluster key', () => fleet((p) => (p.clusters[2].vpcCIDR = '10.30.0.0/16')), 'clusters[2].vpcCIDR'],
  ['fleet', 'network.vpcCidr, which the fleet sets from vpcCidr', () => fleet((p) => (p.clusters[0].network = { vpcCidr: '10.99.0.0/16' })), 'clusters[0].network.vpcCidr'],
  ['fleet', 'cilium.clusterMesh, which the fleet sets itself', () => fleet((p) => (p.clusters[1].cilium = { clusterMesh: {} })), 'clusters[1].cilium.clusterMesh'],
  ['fleet', 'maxConnectedClusters 256', () => fleet((p) => (p.maxConnectedClusters = 256)), 'maxConnectedClusters'],
  ['fleet', 'a CA valid for 10 days', () => fleet((p) => (p.ca = { kind: 'generated', validityDays: 10 })), 'ca.validityDays'],
  ['fleet', 'a misspelt CA kind', () => fleet((p) => (p.ca = { kind: 'secretManager', secretId: 'mesh-ca' })), 'ca.kind'],
  ['fleet', 'a secret id on a generated CA', () => fleet((p) => (p.ca = { kind: 'generated', secretId: 'mesh-ca' })), 'ca.secretId'],
  ['fleet', 'no clustermesh-apiserver replica', () => fleet((p) => (p.apiServerReplicas = 0)), 'apiServerReplicas'],
  ['fleet', 'a domain in upper case', () => fleet((p) => (p.domain = 'Mesh.Example.com')), 'domain'],
  ['fleet', 'a default tag with the aws: prefix', () => fleet((p) => (p.defaultTags = { 'aws:team': 'x' })), 'defaultTags["aws:team"]'],
  ['fleet', 'a hole in the cluster list', () => fleet((p) => (p.clusters[1] = null as unknown as Props)), 'clusters[1]'],
  ['fleet', 'a native routing CIDR without a prefix', () => fleet((p) => (p.nativeRoutingCidr = '10.0.0.0')), 'nativeRoutingCidr'],
  ['fleet', 'a region that does not exist', () => fleet((p) => (p.clusters[0].region = 'eu-west-9')), 'clusters[0].region'],
  ['fleet', 'a capacity type misspelt in a cluster', () => fleet((p) => (p.clusters[1].karpenter = { defaultNodePool: { capacityTypes: ['spot', 'ondemand'] } })), 'clusters[1].karpenter.defaultNodePool.capacityTypes[1]'],
  ['fleet', 'a tag value that is a number', () => fleet((p) => (p.clusters[0].tags = { team: 123 })), 'clusters[0].tags["team"]'],
  ['fleet', 'a misspelt top-level key', () => fleet((p) => (p.maxConectedClusters = 511)), 'maxConectedClusters'],
  // ---- migration
  ['migration', 'an old node group key misspelt', () => migration({ oldNodeGroups: [{ name: 'web' }, { nodegroup: 'workers' }] }), 'oldNodeGroups[1].nodegroup'],
  ['migration', 'an add-on origin misspelt', () => migration({ current: { cni: 'aws-vpc-cni', addons: 'selfmanaged' } }), 'current.addons'],
  ['migration', 'a drain timeout in words', () => migration({ drainTimeout: '90 minutes' }), 'drainTimeout'],
  ['migration', 'a negative node group size', () => migration({ ciliumNodeGroups: [{ name: 'cilium', minSize: -1 }] }), 'ciliumNodeGroups[0].minSize'],
  ['migration', 'instance types as one string', () => migration({ ciliumNodeGroups: [{ name: 'cilium', instanceTypes: 'm7i.large' }] }), 'ciliumNodeGroups[0].instanceTypes'],
  ['migration', 'an add-on version "latest"', () => migration({ addonVersions: { vpcCni: 'latest' } }), 'addonVersions.vpcCni'],
  ['migration', 'a security group id that is not sg-...', () => migration({ extraNodeSecurityGroupIds: ['sg-xyz'] }), 'extraNodeSecurityGroupIds[0]'],
  ['migration', 'a node role ARN with a 4-digit account', () => migration({ nodeRoleArn: 'arn:aws:iam::1111:role/eks-node' }), 'nodeRoleArn'],
  ['migration', 'a NodePool limit below zero, written in the prepare phase', () => migration({ karpenter: { defaultNodePool: { limits: { cpu: -5 } } } }), 'karpenter.defaultNodePool.limits.cpu'],
  ['migration', 'a namespace name in upper case, written in the prepare phase', () => migration({ networkPolicies: { namespaces: [{ name: 'Storefront' }] } }), 'networkPolicies.namespaces[0].name'],
  ['migration', 'podIdentityAgent "installed"', () => migration({ podIdentityAgent: 'installed' }), 'podIdentityAgent'],
  ['migration', 'a tag with the aws: prefix', () => migration({ tags: { 'aws:owner': 'x' } }), 'tags["aws:owner"]'],
  ['migration', 'a flow file size of zero', () => migration({ cilium: { hubble: { flowExport: { fileMaxSizeMb: 0 } } } }), 'cilium.hubble.flowExport.fileMaxSizeMb'],
  ['migration', 'a hole in the subnet list', () => migration({ privateSubnetIds: ['subnet-0a1b2c3d4e5f60001', null, 'subnet-0a1b2c3d4e5f60003'] }), 'privateSubnetIds[1]'],
  // ---- stack configuration
  ['stack', 'a root volume key in another region', () => stack({ systemNodeGroup: { ...config.systemNodeGroup, volumeKmsKeyArn: OTHER_REGION_KEY } }), 'systemNodeGroup.volumeKmsKeyArn'],
  ['stack', 'a log retention CloudWatch does not offer', () => stack({ logRetentionDays: 45 }), 'logRetentionDays'],
  ['stack', 'a log type in the wrong case', () => stack({ logTypes: ['api', 'Audit'] }), 'logTypes[1]'],
  ['stack', 'half an operator replica', () => stack({ cilium: { operatorReplicas: 1.5 } }), 'cilium.operatorReplicas'],
  ['stack', 'a scrape interval in words', () => stack({ cilium: { hubble: { serviceMonitor: { enabled: true, interval: '10 seconds' } } } }), 'cilium.hubble.serviceMonitor.interval'],
  ['stack', 'source ranges on a port-forward UI', () => stack({ cilium: { hubble: { uiAccess: { mode: 'port-forward', sourceRanges: ['10.0.0.0/8'] } } } }), 'cilium.hubble.uiAccess.sourceRanges'],
  ['stack', 'an FQDN egress port above 65535', () => stack({ networkPolicies: { namespaces: [{ name: 'shop', fqdnEgress: [{ labels: { app: 'shop' }, fqdns: ['api.example.com'], port: 70000 }] }] } }), 'networkPolicies.namespaces[0].fqdnEgress[0].port'],
  ['stack', 'an FQDN egress label key ending in /', () => stack({ networkPolicies: { namespaces: [{ name: 'shop', fqdnEgress: [{ labels: { 'app/': 'shop' }, fqdns: ['api.example.com'] }] }] } }), 'networkPolicies.namespaces[0].fqdnEgress[0].labels["app/"]'],
  ['stack', 'a Tetragon export file of 0 MB', () => stack({ tetragon: { exportFile: { maxSizeMb: 0 } } }), 'tetragon.exportFile.maxSizeMb'],
  ['stack', 'a ready-made Tetragon policy that does not exist', () => stack({ tetragon: { policies: ['file-monitoring', 'shell'] } }), 'tetragon.policies[1]'],
  ['stack', 'a monitoring label value with a space', () => stack({ monitoring: { prometheusOperator: true, labels: { release: 'kube prometheus' } } }), 'monitoring.labels["release"]'],
  ['stack', 'a drop threshold as a string', () => stack({ monitoring: { prometheusOperator: true, dropRateThreshold: '50' } }), 'monitoring.dropRateThreshold'],
  ['stack', 'a suppression without a reason', () => stack({ securityChecks: { suppress: { 'cilium-wireguard-off': '' } } }), 'securityChecks.suppress["cilium-wireguard-off"]'],
  ['stack', 'a hole in the admin list', () => stack({ admins: ['arn:aws:iam::123456789012:role/ops', null] }), 'admins[1]'],
  ['stack', 'an upgrade-from version with a patch', () => stack({ kubernetesUpgradeFrom: '1.33.2' }), 'kubernetesUpgradeFrom'],
  ['stack', 'controller resources without limits', () => stack({ karpenter: { controllerResources: { requests: { cpu: '500m', memory: '1Gi' } } } }), 'karpenter.controllerResources.limits'],
  ['stack', 'public access CIDRs as one string', () => stack({ endpoint: { publicAccess: true, publicAccessCidrs: '203.0.113.0/24' } }), 'endpoint.publicAccessCidrs'],
  // ---- log export
  ['log export', 'a retention CloudWatch does not offer', () => stack({ logExport: { retentionDays: 45 } }), 'logExport.retentionDays'],
  ['log export', 'a source kind misspelt', () => stack({ logExport: { sources: ['hubble-flows', 'tetragon'] } }), 'logExport.sources[1]'],
  ['log export', 'a misspelt key', () => stack({ logExport: { source: ['hubble-flows'] } }), 'logExport.source'],
  ['log export', 'true instead of options', () => stack({ logExport: true }), 'logExport'],
  // ---- NodePool and EC2NodeClass builders
  ['NodePool', 'Gt with two values', () => addNodePool({ name: 'gpu', requirements: [{ key: 'karpenter.k8s.aws/instance-gpu-count', operator: 'Gt', values: ['0', '1'] }] }), 'addNodePool(gpu).requirements[0].values'],
  ['NodePool', 'Exists with a value', () => addNodePool({ name: 'gpu', requirements: [{ key: 'nvidia.com/gpu', operator: 'Exists', values: ['true'] }] }), 'addNodePool(gpu).requirements[0].values'],
  ['NodePool', 'In with no value', () => addNodePool({ name: 'gpu', requirements: [{ key: 'node.kubernetes.io/instance-type', operator: 'In', values: [] }] }), 'addNodePool(gpu).requirements[0].values'],
  ['NodePool', 'a requirement on a label Karpenter reserves', () => addNodePool({ name: 'gpu', requirements: [{ key: 'karpenter.sh/nodepool', operator: 'In', values: ['x'] }] }), 'addNodePool(gpu).requirements[0].key'],
  ['NodePool', 'minValues above the number of values', () => addNodePool({ name: 'gpu', requirements: [{ key: 'karpenter.k8s.aws/instance-family', operator: 'In', values: ['g5', 'g6'], minValues: 3 }] }), 'addNodePool(gpu).requirements[0].minValues'],
  ['NodePool', 'a label value with a trailing space', () => addNodePool({ name: 'gpu', labels: { 'nvidia.com/gpu': 'true ' } }), 'addNodePool(gpu).labels["nvidia.com/gpu"]'],
  ['NodePool', 'a taint key with two slashes', () => addNodePool({ name: 'gpu', taints: [{ key: 'nvidia.com/gpu/x', effect: 'NoSchedule' }] }), 'addNodePool(gpu).taints[0].key'],
  ['NodePool', 'an expireAfter in days', () => stack(pool({ expireAfter: '30d' })), 'karpenter.defaultNodePool.expireAfter'],
  ['NodePool', 'an unknown key in the builder', () => buildNodePool(loose({ prefixDelegation: true, limit: { cpu: 10 } })), 'buildNodePool(options).limit'],
  ['EC2NodeClass', 'a KMS key in another region', () => addNodeClass({ name: 'gpu', kmsKeyId: OTHER_REGION_KEY }), 'addNodeClass(gpu).kmsKeyId'],
  ['EC2NodeClass', 'a tag with the aws: prefix', () => addNodeClass({ name: 'gpu', tags: { 'aws:team': 'x' } }), 'addNodeClass(gpu).tags["aws:team"]'],
  ['EC2NodeClass', 'a root volume size as a number', () => buildEc2NodeClass(loose({ prefixDelegation: true, clusterName: 'c', nodeRoleName: 'r', rootVolumeSize: 100 })), 'buildEc2NodeClass(options).rootVolumeSize'],
  // ---- TracingPolicy builders
  ['TracingPolicy', 'an argument type misspelt', () => tracing({ kprobes: [kprobe({ args: [{ index: 1, type: 'strng' }] })] }), 'kprobes[0].args[0].type'],
  ['TracingPolicy', 'matchBinaries written as a list, as in the CRD', () => tracing({ kprobes: [kprobe({ selectors: [{ matchBinaries: [{ operator: 'In', values: ['/bin/sh'] }] }] })] }), 'kprobes[0].selectors[0].matchBinaries'],
  ['TracingPolicy', 'an action in lower case', () => tracing({ kprobes: [kprobe({ selectors: [{ matchActions: [{ action: 'sigkill' }] }] })] }), 'kprobes[0].selectors[0].matchActions[0].action'],
  ['TracingPolicy', 'a tracepoint without its event', () => tracing({ tracepoints: [{ subsystem: 'syscalls' }] }), 'tracepoints[0].event'],
  ['TracingPolicy', 'a negative argument index', () => tracing({ kprobes: [kprobe({ selectors: [{ matchArgs: [{ index: -1, operator: 'Prefix', values: ['/etc'] }] }] })] }), 'kprobes[0].selectors[0].matchArgs[0].index'],
  ['TracingPolicy', 'a pod label value with a space', () => tracing({ kprobes: [kprobe({})], podLabels: { app: 'my app' } }), 'podLabels["app"]'],
  ['TracingPolicy', 'six selectors (Tetragon takes five)', () => tracing({ kprobes: [kprobe({ selectors: Array.from({ length: 6 }, () => ({ matchActions: [{ action: 'Post' }] })) })] }), 'kprobes[0].selectors'],
  ['TracingPolicy', 'a misspelt kprobe key', () => tracing({ kprobes: [kprobe({ syscalls: true })] }), 'kprobes[0].syscalls'],
  ['TracingPolicy', 'a rate limit in words', () => tracing({ kprobes: [kprobe({ selectors: [{ matchActions: [{ action: 'Post', rateLimit: '1 minute' }] }] })] }), 'kprobes[0].selectors[0].matchActions[0].rateLimit'],
];

/** Valid inputs of the same entry points that must not be refused. */
export const HELD_OUT_VALID: ReadonlyArray<readonly [string, string, () => unknown]> = [
  ['migration', 'a drain timeout as a Go duration (kubectl reads it)', () => migration({ drainTimeout: '1h30m' })],
  ['NodePool', 'Gt with one integer value', () => addNodePool({ name: 'gpu', requirements: [{ key: 'karpenter.k8s.aws/instance-gpu-count', operator: 'Gt', values: ['0'] }] })],
  ['stack', 'a KMS key of the stack region', () => stack({ systemNodeGroup: { ...config.systemNodeGroup, volumeKmsKeyArn: OTHER_REGION_KEY.replace('us-east-1', 'eu-west-1') } })],
];

/** How one mistake was met: `refused` when the ValidationError names the path, otherwise what happened. */
export function outcome(call: () => unknown, path: string): string {
  let result: unknown;
  try {
    result = call();
  } catch (e) {
    if (!(e instanceof ValidationError)) return `refused without a path: ${(e as Error).constructor.name}: ${(e as Error).message.split('\n')[0]}`;
    // Map keys compared in one form: `labels["app"]` and `labels.app` name the same place.
    const flat = (p: string): string => p.replace(/\["([^"]*)"\]/g, '.$1');
    const named = flat(e.property);
    return named === flat(path) || named.endsWith(`.${flat(path)}`) ? 'refused' : `refused naming ${e.property}`;
  }
  const construct = result as IConstruct | undefined;
  const errors = construct?.node ? construct.node.findAll().flatMap((c) => c.node.validate()) : [];
  return errors.length > 0 ? `refused at synth validation without a path: ${errors[0]}` : 'accepted';
}

describe('held-out mistakes at the newer entry points', () => {
  test.each(HELD_OUT.map(([entry, mistake, call, path]) => [`${entry}: ${mistake}`, call, path] as const))('%s', (_name, call, path) => {
    expect(outcome(call, path)).toBe('refused');
  });
  test.each(HELD_OUT_VALID.map(([entry, input, call]) => [`${entry}: ${input}`, call] as const))('valid: %s', (_name, call) => {
    expect(call).not.toThrow();
  });
});
