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
import { describeValue, ValidationError } from '../core/errors';
import { meshConfig } from '../examples/cluster-mesh/main';
import { migrationConfig } from '../examples/migration/main';
import { config } from '../main';
import { Fn, TerraformStack } from 'cdktf';
import { NodeRole } from '../constructs/node-role';
import { CiliumNodeSecurityGroup } from '../constructs/node-security-group';
import { ManifestRelease } from '../constructs/manifest-release';
import { PlanGate, versionStepCheck } from '../constructs/plan-gate';
import { planCapacity } from '../bpf/ipam';
import { estimateExportCost } from '../constructs/log-shipping/cost';
import { componentVersionReport } from '../constructs/component-versions';
import { HttpHeader, Peer } from '../bpf/policy';
import { lintPodIdentityEgress } from '../bpf/policy/pod-identity';
import { podSecurityLabels } from '../core/pss/namespace';
import { resolveDatapathProfile } from '../bpf/datapath';
import { datapathUpgradeChanges } from '../bpf/upgrade';
import { buildTetragonValues } from '../constructs/tetragon/values';
import { subnetDemand } from '../bpf/migration-preflight';

type Props = Record<string, unknown>;
const loose = <T>(p: Props | unknown[]): T => p as unknown as T;
const scope = (): TerraformStack => new TerraformStack(new App({ outdir: '/tmp/unused' }), 'lower-level');

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

/** The classes of mistake the table covers. */
export type MistakeClass = 'unknown key' | 'missing key' | 'type' | 'null/hole' | 'range' | 'format' | 'enum' | 'cross-reference' | 'domain rule';

/** [entry point, class of mistake, mistake, call, the tail of the path the error must name]. */
export const HELD_OUT: ReadonlyArray<readonly [string, MistakeClass, string, () => unknown, string]> = [
  // ---- fleet
  ['fleet', 'type', 'a cluster id as a string', () => fleet((p) => (p.clusters[1].clusterId = '2')), 'clusters[1].clusterId'],
  ['fleet', 'format', 'a VPC CIDR with a /33 prefix', () => fleet((p) => (p.clusters[0].vpcCidr = '10.10.0.0/33')), 'clusters[0].vpcCidr'],
  ['fleet', 'unknown key', 'a misspelt cluster key', () => fleet((p) => (p.clusters[2].vpcCIDR = '10.30.0.0/16')), 'clusters[2].vpcCIDR'],
  ['fleet', 'unknown key', 'network.vpcCidr, which the fleet sets from vpcCidr', () => fleet((p) => (p.clusters[0].network = { vpcCidr: '10.99.0.0/16' })), 'clusters[0].network.vpcCidr'],
  ['fleet', 'unknown key', 'cilium.clusterMesh, which the fleet sets itself', () => fleet((p) => (p.clusters[1].cilium = { clusterMesh: {} })), 'clusters[1].cilium.clusterMesh'],
  ['fleet', 'enum', 'maxConnectedClusters 256', () => fleet((p) => (p.maxConnectedClusters = 256)), 'maxConnectedClusters'],
  ['fleet', 'range', 'a CA valid for 10 days', () => fleet((p) => (p.ca = { kind: 'generated', validityDays: 10 })), 'ca.validityDays'],
  ['fleet', 'enum', 'a misspelt CA kind', () => fleet((p) => (p.ca = { kind: 'secretManager', secretId: 'mesh-ca' })), 'ca.kind'],
  ['fleet', 'unknown key', 'a secret id on a generated CA', () => fleet((p) => (p.ca = { kind: 'generated', secretId: 'mesh-ca' })), 'ca.secretId'],
  ['fleet', 'range', 'no clustermesh-apiserver replica', () => fleet((p) => (p.apiServerReplicas = 0)), 'apiServerReplicas'],
  ['fleet', 'format', 'a domain in upper case', () => fleet((p) => (p.domain = 'Mesh.Example.com')), 'domain'],
  ['fleet', 'domain rule', 'a default tag with the aws: prefix', () => fleet((p) => (p.defaultTags = { 'aws:team': 'x' })), 'defaultTags["aws:team"]'],
  ['fleet', 'null/hole', 'a hole in the cluster list', () => fleet((p) => (p.clusters[1] = null as unknown as Props)), 'clusters[1]'],
  ['fleet', 'format', 'a native routing CIDR without a prefix', () => fleet((p) => (p.nativeRoutingCidr = '10.0.0.0')), 'nativeRoutingCidr'],
  ['fleet', 'domain rule', 'a region that does not exist', () => fleet((p) => (p.clusters[0].region = 'eu-west-9')), 'clusters[0].region'],
  ['fleet', 'enum', 'a capacity type misspelt in a cluster', () => fleet((p) => (p.clusters[1].karpenter = { defaultNodePool: { capacityTypes: ['spot', 'ondemand'] } })), 'clusters[1].karpenter.defaultNodePool.capacityTypes[1]'],
  ['fleet', 'type', 'a tag value that is a number', () => fleet((p) => (p.clusters[0].tags = { team: 123 })), 'clusters[0].tags["team"]'],
  ['fleet', 'unknown key', 'a misspelt top-level key', () => fleet((p) => (p.maxConectedClusters = 511)), 'maxConectedClusters'],
  ['fleet', 'type', 'decommissioned as a string', () => fleet((p) => (p.clusters[2].decommissioned = 'yes')), 'clusters[2].decommissioned'],
  [
    'fleet',
    'domain rule',
    "a new cluster taking a decommissioned cluster's id",
    () => fleet((p) => p.clusters.push({ ...p.clusters[2], name: 'us-east-1b', vpcCidr: '10.30.0.0/16', serviceIpv4Cidr: '172.23.0.0/16' }) && (p.clusters[2].decommissioned = true)),
    'clusters[3].clusterId',
  ],
  // ---- migration
  ['migration', 'unknown key', 'an old node group key misspelt', () => migration({ oldNodeGroups: [{ name: 'web' }, { nodegroup: 'workers' }] }), 'oldNodeGroups[1].nodegroup'],
  ['migration', 'enum', 'an add-on origin misspelt', () => migration({ current: { cni: 'aws-vpc-cni', addons: 'selfmanaged' } }), 'current.addons'],
  ['migration', 'format', 'a drain timeout in words', () => migration({ drainTimeout: '90 minutes' }), 'drainTimeout'],
  ['migration', 'range', 'a negative node group size', () => migration({ ciliumNodeGroups: [{ name: 'cilium', minSize: -1 }] }), 'ciliumNodeGroups[0].minSize'],
  ['migration', 'type', 'instance types as one string', () => migration({ ciliumNodeGroups: [{ name: 'cilium', instanceTypes: 'm7i.large' }] }), 'ciliumNodeGroups[0].instanceTypes'],
  ['migration', 'format', 'an add-on version "latest"', () => migration({ addonVersions: { vpcCni: 'latest' } }), 'addonVersions.vpcCni'],
  ['migration', 'format', 'a security group id that is not sg-...', () => migration({ extraNodeSecurityGroupIds: ['sg-xyz'] }), 'extraNodeSecurityGroupIds[0]'],
  ['migration', 'domain rule', 'a node role ARN with a 4-digit account', () => migration({ nodeRoleArn: 'arn:aws:iam::1111:role/eks-node' }), 'nodeRoleArn'],
  ['migration', 'range', 'a NodePool limit below zero, written in the prepare phase', () => migration({ karpenter: { defaultNodePool: { limits: { cpu: -5 } } } }), 'karpenter.defaultNodePool.limits.cpu'],
  ['migration', 'domain rule', 'a namespace name in upper case, written in the prepare phase', () => migration({ networkPolicies: { namespaces: [{ name: 'Storefront' }] } }), 'networkPolicies.namespaces[0].name'],
  ['migration', 'enum', 'podIdentityAgent "installed"', () => migration({ podIdentityAgent: 'installed' }), 'podIdentityAgent'],
  ['migration', 'domain rule', 'a tag with the aws: prefix', () => migration({ tags: { 'aws:owner': 'x' } }), 'tags["aws:owner"]'],
  ['migration', 'range', 'a flow file size of zero', () => migration({ cilium: { hubble: { flowExport: { fileMaxSizeMb: 0 } } } }), 'cilium.hubble.flowExport.fileMaxSizeMb'],
  ['migration', 'null/hole', 'a hole in the subnet list', () => migration({ privateSubnetIds: ['subnet-0a1b2c3d4e5f60001', null, 'subnet-0a1b2c3d4e5f60003'] }), 'privateSubnetIds[1]'],
  // ---- stack configuration
  ['stack', 'cross-reference', 'a root volume key in another region', () => stack({ systemNodeGroup: { ...config.systemNodeGroup, volumeKmsKeyArn: OTHER_REGION_KEY } }), 'systemNodeGroup.volumeKmsKeyArn'],
  ['stack', 'enum', 'a log retention CloudWatch does not offer', () => stack({ logRetentionDays: 45 }), 'logRetentionDays'],
  ['stack', 'type', 'keeping the control-plane logs "yes"', () => stack({ keepControlPlaneLogsOnDestroy: 'yes' }), 'keepControlPlaneLogsOnDestroy'],
  ['stack', 'enum', 'a log type in the wrong case', () => stack({ logTypes: ['api', 'Audit'] }), 'logTypes[1]'],
  ['stack', 'type', 'half an operator replica', () => stack({ cilium: { operatorReplicas: 1.5 } }), 'cilium.operatorReplicas'],
  ['stack', 'format', 'a scrape interval in words', () => stack({ cilium: { hubble: { serviceMonitor: { enabled: true, interval: '10 seconds' } } } }), 'cilium.hubble.serviceMonitor.interval'],
  ['stack', 'unknown key', 'source ranges on a port-forward UI', () => stack({ cilium: { hubble: { uiAccess: { mode: 'port-forward', sourceRanges: ['10.0.0.0/8'] } } } }), 'cilium.hubble.uiAccess.sourceRanges'],
  ['stack', 'range', 'an FQDN egress port above 65535', () => stack({ networkPolicies: { namespaces: [{ name: 'shop', fqdnEgress: [{ labels: { app: 'shop' }, fqdns: ['api.example.com'], port: 70000 }] }] } }), 'networkPolicies.namespaces[0].fqdnEgress[0].port'],
  ['stack', 'domain rule', 'an FQDN egress label key ending in /', () => stack({ networkPolicies: { namespaces: [{ name: 'shop', fqdnEgress: [{ labels: { 'app/': 'shop' }, fqdns: ['api.example.com'] }] }] } }), 'networkPolicies.namespaces[0].fqdnEgress[0].labels["app/"]'],
  ['stack', 'range', 'a Tetragon export file of 0 MB', () => stack({ tetragon: { exportFile: { maxSizeMb: 0 } } }), 'tetragon.exportFile.maxSizeMb'],
  ['stack', 'enum', 'a ready-made Tetragon policy that does not exist', () => stack({ tetragon: { policies: ['file-monitoring', 'shell'] } }), 'tetragon.policies[1]'],
  ['stack', 'domain rule', 'a monitoring label value with a space', () => stack({ monitoring: { prometheusOperator: true, labels: { release: 'kube prometheus' } } }), 'monitoring.labels["release"]'],
  ['stack', 'type', 'a drop threshold as a string', () => stack({ monitoring: { prometheusOperator: true, dropRateThreshold: '50' } }), 'monitoring.dropRateThreshold'],
  ['stack', 'format', 'a suppression without a reason', () => stack({ securityChecks: { suppress: { 'cilium-wireguard-off': '' } } }), 'securityChecks.suppress["cilium-wireguard-off"]'],
  ['stack', 'null/hole', 'a hole in the admin list', () => stack({ admins: ['arn:aws:iam::123456789012:role/ops', null] }), 'admins[1]'],
  ['stack', 'format', 'an upgrade-from version with a patch', () => stack({ kubernetesUpgradeFrom: '1.33.2' }), 'kubernetesUpgradeFrom'],
  ['stack', 'missing key', 'controller resources without limits', () => stack({ karpenter: { controllerResources: { requests: { cpu: '500m', memory: '1Gi' } } } }), 'karpenter.controllerResources.limits'],
  ['stack', 'type', 'public access CIDRs as one string', () => stack({ endpoint: { publicAccess: true, publicAccessCidrs: '203.0.113.0/24' } }), 'endpoint.publicAccessCidrs'],
  // ---- log export
  ['log export', 'enum', 'a retention CloudWatch does not offer', () => stack({ logExport: { retentionDays: 45 } }), 'logExport.retentionDays'],
  ['log export', 'enum', 'a source kind misspelt', () => stack({ logExport: { sources: ['hubble-flows', 'tetragon'] } }), 'logExport.sources[1]'],
  ['log export', 'unknown key', 'a misspelt key', () => stack({ logExport: { source: ['hubble-flows'] } }), 'logExport.source'],
  ['log export', 'type', 'true instead of options', () => stack({ logExport: true }), 'logExport'],
  // ---- NodePool and EC2NodeClass builders
  ['NodePool', 'domain rule', 'Gt with two values', () => addNodePool({ name: 'gpu', requirements: [{ key: 'karpenter.k8s.aws/instance-gpu-count', operator: 'Gt', values: ['0', '1'] }] }), 'addNodePool(gpu).requirements[0].values'],
  ['NodePool', 'domain rule', 'Exists with a value', () => addNodePool({ name: 'gpu', requirements: [{ key: 'nvidia.com/gpu', operator: 'Exists', values: ['true'] }] }), 'addNodePool(gpu).requirements[0].values'],
  ['NodePool', 'domain rule', 'In with no value', () => addNodePool({ name: 'gpu', requirements: [{ key: 'node.kubernetes.io/instance-type', operator: 'In', values: [] }] }), 'addNodePool(gpu).requirements[0].values'],
  ['NodePool', 'domain rule', 'a requirement on a label Karpenter reserves', () => addNodePool({ name: 'gpu', requirements: [{ key: 'karpenter.sh/nodepool', operator: 'In', values: ['x'] }] }), 'addNodePool(gpu).requirements[0].key'],
  ['NodePool', 'cross-reference', 'minValues above the number of values', () => addNodePool({ name: 'gpu', requirements: [{ key: 'karpenter.k8s.aws/instance-family', operator: 'In', values: ['g5', 'g6'], minValues: 3 }] }), 'addNodePool(gpu).requirements[0].minValues'],
  ['NodePool', 'domain rule', 'a label value with a trailing space', () => addNodePool({ name: 'gpu', labels: { 'nvidia.com/gpu': 'true ' } }), 'addNodePool(gpu).labels["nvidia.com/gpu"]'],
  ['NodePool', 'domain rule', 'a taint key with two slashes', () => addNodePool({ name: 'gpu', taints: [{ key: 'nvidia.com/gpu/x', effect: 'NoSchedule' }] }), 'addNodePool(gpu).taints[0].key'],
  ['NodePool', 'format', 'an expireAfter in days', () => stack(pool({ expireAfter: '30d' })), 'karpenter.defaultNodePool.expireAfter'],
  ['NodePool', 'unknown key', 'an unknown key in the builder', () => buildNodePool(loose({ prefixDelegation: true, limit: { cpu: 10 } })), 'buildNodePool(options).limit'],
  ['EC2NodeClass', 'cross-reference', 'a KMS key in another region', () => addNodeClass({ name: 'gpu', kmsKeyId: OTHER_REGION_KEY }), 'addNodeClass(gpu).kmsKeyId'],
  ['EC2NodeClass', 'domain rule', 'a tag with the aws: prefix', () => addNodeClass({ name: 'gpu', tags: { 'aws:team': 'x' } }), 'addNodeClass(gpu).tags["aws:team"]'],
  ['EC2NodeClass', 'type', 'a root volume size as a number', () => buildEc2NodeClass(loose({ prefixDelegation: true, clusterName: 'c', nodeRoleName: 'r', rootVolumeSize: 100 })), 'buildEc2NodeClass(options).rootVolumeSize'],
  // ---- TracingPolicy builders
  ['TracingPolicy', 'enum', 'an argument type misspelt', () => tracing({ kprobes: [kprobe({ args: [{ index: 1, type: 'strng' }] })] }), 'kprobes[0].args[0].type'],
  ['TracingPolicy', 'type', 'matchBinaries written as a list, as in the CRD', () => tracing({ kprobes: [kprobe({ selectors: [{ matchBinaries: [{ operator: 'In', values: ['/bin/sh'] }] }] })] }), 'kprobes[0].selectors[0].matchBinaries'],
  ['TracingPolicy', 'enum', 'an action in lower case', () => tracing({ kprobes: [kprobe({ selectors: [{ matchActions: [{ action: 'sigkill' }] }] })] }), 'kprobes[0].selectors[0].matchActions[0].action'],
  ['TracingPolicy', 'missing key', 'a tracepoint without its event', () => tracing({ tracepoints: [{ subsystem: 'syscalls' }] }), 'tracepoints[0].event'],
  ['TracingPolicy', 'range', 'a negative argument index', () => tracing({ kprobes: [kprobe({ selectors: [{ matchArgs: [{ index: -1, operator: 'Prefix', values: ['/etc'] }] }] })] }), 'kprobes[0].selectors[0].matchArgs[0].index'],
  ['TracingPolicy', 'domain rule', 'a pod label value with a space', () => tracing({ kprobes: [kprobe({})], podLabels: { app: 'my app' } }), 'podLabels["app"]'],
  ['TracingPolicy', 'range', 'six selectors (Tetragon takes five)', () => tracing({ kprobes: [kprobe({ selectors: Array.from({ length: 6 }, () => ({ matchActions: [{ action: 'Post' }] })) })] }), 'kprobes[0].selectors'],
  ['TracingPolicy', 'unknown key', 'a misspelt kprobe key', () => tracing({ kprobes: [kprobe({ syscalls: true })] }), 'kprobes[0].syscalls'],
  ['TracingPolicy', 'format', 'a rate limit in words', () => tracing({ kprobes: [kprobe({ selectors: [{ matchActions: [{ action: 'Post', rateLimit: '1 minute' }] }] })] }), 'kprobes[0].selectors[0].matchActions[0].rateLimit'],
  // ---- lower-level constructs and builders (declared in the second part of issue 23)
  ['NodeRole', 'format', 'a partition that does not exist', () => new NodeRole(scope(), 'role', { namePrefix: 'demo', partition: 'aws-eu' }), 'partition'],
  ['NodeRole', 'unknown key', 'a misspelt key', () => new NodeRole(scope(), 'role', loose({ namePrefix: 'demo', partition: 'aws', tag: {} })), 'tag'],
  ['CiliumNodeSecurityGroup', 'format', 'a VPC id that is not vpc-...', () => new CiliumNodeSecurityGroup(scope(), 'sg', { clusterName: 'demo', vpcId: 'vpc-xyz' }), 'vpcId'],
  ['CiliumNodeSecurityGroup', 'domain rule', 'a tag with the aws: prefix', () => new CiliumNodeSecurityGroup(scope(), 'sg', { clusterName: 'demo', vpcId: 'vpc-0a1b2c3d', tags: { 'aws:x': 'y' } }), 'tags["aws:x"]'],
  ['ManifestRelease', 'domain rule', 'a release name in upper case', () => new ManifestRelease(scope(), 'm', { releaseName: 'Policies', namespace: 'kube-system' }), 'releaseName'],
  ['ManifestRelease', 'range', 'a timeout of zero seconds', () => new ManifestRelease(scope(), 'm', { releaseName: 'policies', namespace: 'kube-system', timeout: 0 }), 'timeout'],
  ['PlanGate', 'domain rule', 'a cluster name that is a resource attribute', () => new PlanGate(scope(), 'g', { clusterName: Fn.lower('demo') }), 'clusterName'],
  ['PlanGate', 'unknown key', 'a misspelt key', () => new PlanGate(scope(), 'g', loose({ cluster: 'demo' })), 'cluster'],
  ['planCapacity', 'range', 'a node shape of 300 pods', () => planCapacity({ prefixDelegation: true, zones: [], shapes: [{ name: 'system', maxNodes: 3, maxNodesFrom: 'maxSize 3', podsPerNode: 300, eniLimits: { maxEnis: 3, ipv4PerEni: 10 } }], systemPods: 10, podSubnets: false }), 'planCapacity(input).shapes[0].podsPerNode'],
  ['planCapacity', 'missing key', 'ENI limits without ipv4PerEni', () => planCapacity(loose({ prefixDelegation: true, zones: [], shapes: [{ name: 'system', maxNodes: 3, maxNodesFrom: 'maxSize 3', podsPerNode: 110, eniLimits: { maxEnis: 3 } }], systemPods: 10, podSubnets: false })), 'planCapacity(input).shapes[0].eniLimits.ipv4PerEni'],
  ['estimateExportCost', 'range', 'a negative node count', () => estimateExportCost({ nodes: -1, lines: [], retentionDays: 30 }), 'estimateExportCost(input).nodes'],
  ['estimateExportCost', 'null/hole', 'a hole in the lines', () => estimateExportCost(loose({ nodes: 3, lines: [null], retentionDays: 30 })), 'estimateExportCost(input).lines[0]'],
  ['componentVersionReport', 'format', 'an AMI release without the v', () => componentVersionReport({ kubernetesVersion: '1.34', chartVersion: '1.19.6', tetragon: true, logShipper: true, amiRelease: '20261012', toolchain: { name: 'cdktf', version: '0.21.0' } }, '2026-12-05'), 'componentVersionReport(s).amiRelease'],
  ['versionStepCheck', 'format', 'a target that is not a 1.x version', () => versionStepCheck({ running: { hcl: 'null', description: 'x' }, target: 'latest', subject: 'Cilium', property: 'cilium.chartVersion' }), 'versionStepCheck(o).target'],
  ['versionStepCheck', 'type', 'maxForward as a string', () => versionStepCheck(loose({ running: { hcl: 'null', description: 'x' }, target: '1.19', subject: 'Cilium', property: 'cilium.chartVersion', maxForward: '1' })), 'versionStepCheck(o).maxForward'],
  ['HttpHeader.matches', 'enum', 'a mismatch action in lower case', () => HttpHeader.matches('x-team', loose({ value: 'a', mismatch: 'log' })), 'HttpHeader.matches(options).mismatch'],
  ['Peer.cidrSet', 'type', 'except as one string', () => Peer.cidrSet(loose({ cidr: '10.0.0.0/8', except: '10.1.0.0/16' })), 'Peer.cidrSet[0].except'],
  ['lintPodIdentityEgress', 'domain rule', 'a namespace in upper case', () => lintPodIdentityEgress([], [{ namespace: 'Shop', serviceAccount: 'app' }]), 'lintPodIdentityEgress(bindings)[0].namespace'],
  ['podSecurityLabels', 'format', "the version 'latest'", () => podSecurityLabels({ version: 'latest' }), 'version'],
  ['resolveDatapathProfile', 'missing key', 'a kernel without its minor', () => resolveDatapathProfile({}, loose({ kernel: { major: 6 } })), 'resolveDatapathProfile(context).kernel.minor'],
  ['datapathUpgradeChanges', 'enum', 'a chart version the project does not support', () => datapathUpgradeChanges(loose({ fromKubernetesVersion: '1.33', toKubernetesVersion: '1.34', chartVersion: '1.17.0', wireguard: true })), 'datapathUpgradeChanges(ctx).chartVersion'],
  ['buildTetragonValues', 'type', 'serviceMonitors as a string', () => buildTetragonValues(loose({ clusterName: 'demo', serviceMonitors: 'yes' })), 'buildTetragonValues(input).serviceMonitors'],
  ['subnetDemand', 'null/hole', 'a hole in the groups', () => subnetDemand(loose([null]), 2, true), 'subnetDemand(groups)[0]'],
  ['subnetDemand', 'range', 'a node group of 0 pods per node', () => subnetDemand([{ name: 'cilium', maxNodes: 3, maxPods: 0, instanceTypes: ['m7i.large'] }], 2, true), 'subnetDemand(groups)[0].maxPods'],
  ['componentVersionReport', 'enum', 'a toolchain that is neither cdktf nor cdktn', () => componentVersionReport({ kubernetesVersion: '1.34', chartVersion: '1.19.6', tetragon: true, logShipper: true, amiRelease: 'v20261012', toolchain: { name: 'pulumi', version: '3' } }, '2026-12-05'), 'componentVersionReport(s).toolchain.name'],
  ['HttpHeader.matches', 'unknown key', 'a misspelt key', () => HttpHeader.matches('x-team', loose({ values: 'a' })), 'HttpHeader.matches(options).values'],
  ['Peer.cidrSet', 'unknown key', 'a misspelt key', () => Peer.cidrSet(loose({ cidr: '10.0.0.0/8', excepts: ['10.1.0.0/16'] })), 'Peer.cidrSet[0].excepts'],
  ['lintPodIdentityEgress', 'missing key', 'a binding without its service account', () => lintPodIdentityEgress([], [loose({ namespace: 'shop' })]), 'lintPodIdentityEgress(bindings)[0].serviceAccount'],
  ['podSecurityLabels', 'enum', 'a level that does not exist', () => podSecurityLabels(loose({ level: 'strict' })), 'level'],
  ['resolveDatapathProfile', 'format', 'a Kubernetes version with a patch', () => resolveDatapathProfile({}, { kubernetesVersion: '1.34.2' }), 'resolveDatapathProfile(context).kubernetesVersion'],
  ['datapathUpgradeChanges', 'format', 'a Kubernetes version with a patch', () => datapathUpgradeChanges({ fromKubernetesVersion: '1.33.1', toKubernetesVersion: '1.34', chartVersion: '1.19.6', wireguard: true }), 'datapathUpgradeChanges(ctx).fromKubernetesVersion'],
  ['buildTetragonValues', 'domain rule', 'an operator node selector value with a space', () => buildTetragonValues({ clusterName: 'demo', operatorNodeSelector: { role: 'system nodes' } }), 'buildTetragonValues(input).operatorNodeSelector["role"]'],
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
  test.each(HELD_OUT.map(([entry, kind, mistake, call, path]) => [`${entry} (${kind}): ${mistake}`, call, path] as const))('%s', (_name, call, path) => {
    expect(outcome(call, path)).toBe('refused');
    // The message names the place, the value received and what is allowed.
    let error: ValidationError | undefined;
    try {
      call();
    } catch (e) {
      error = e as ValidationError;
    }
    expect(error!.message).toContain(`${error!.property}: ${describeValue(error!.value)} is not valid; allowed: `);
    expect(error!.allowed.length).toBeGreaterThan(5);
  });
  test.each(HELD_OUT_VALID.map(([entry, input, call]) => [`${entry}: ${input}`, call] as const))('valid: %s', (_name, call) => {
    expect(call).not.toThrow();
  });
  test('every entry point of the table meets mistakes of several classes', () => {
    const classes = new Map<string, Set<MistakeClass>>();
    for (const [entry, kind] of HELD_OUT) classes.set(entry, (classes.get(entry) ?? new Set()).add(kind));
    for (const [entry, kinds] of classes) expect([entry, kinds.size >= 2]).toEqual([entry, true]);
  });
});
