/**
 * The brownfield cluster of examples/migration as the plan-time data sources see it (aws-node,
 * its ConfigMaps and service account, nodes, aws-node pods, Karpenter NodePools, the Cilium agent,
 * the recorded phase), changed by options: the states both the migration's plan-check tables
 * (migration-plan-checks.spec.ts) and its lifecycle sequence (lifecycle.spec.ts) plan against.
 */
import { migrationConfig } from '../../examples/migration/main';
import { CILIUM_NODE_LABEL, EKS_NODEGROUP_LABEL } from '../../bpf/migration';
import { VPC_CNI_ENV_DEFAULTS } from '../../bpf/migration-preflight';
import { JsonObject } from '../../core/yaml';
import { AddonState, ClusterState, KubeObject } from './plan-state';


export interface ClusterOptions {
  readonly env?: Readonly<Record<string, string>>;
  readonly initEnv?: Readonly<Record<string, string>>;
  readonly networkPolicy?: 'true' | 'false';
  readonly serviceAccountRole?: string;
  readonly kubeProxyMode?: string;
  readonly addons?: Readonly<Record<string, AddonState>>;
  readonly securityGroupPolicies?: number;
  readonly podIdentityAgent?: boolean;
  readonly freeAddresses?: number;
  readonly nodes?: readonly { name: string; labels: Record<string, string> }[];
  readonly awsNodeOn?: readonly string[];
  readonly nodePools?: readonly JsonObject[];
  readonly cilium?: { readonly kubeProxyReplacement: string; readonly desired: number; readonly updated: number; readonly available: number; readonly generation: number; readonly observed: number };
  readonly recorded?: string;
}

export const OLD_NODES = [
  { name: 'ip-10-0-1-10.eu-west-1.compute.internal', labels: { [EKS_NODEGROUP_LABEL]: 'web' } },
  { name: 'ip-10-0-2-20.eu-west-1.compute.internal', labels: { [EKS_NODEGROUP_LABEL]: 'workers' } },
];
export const CILIUM_NODES = [
  { name: 'ip-10-0-1-30.eu-west-1.compute.internal', labels: { [EKS_NODEGROUP_LABEL]: 'shop-prod-cilium-1', [CILIUM_NODE_LABEL.key]: CILIUM_NODE_LABEL.value } },
  { name: 'ip-10-0-2-40.eu-west-1.compute.internal', labels: { [EKS_NODEGROUP_LABEL]: 'shop-prod-cilium-1', [CILIUM_NODE_LABEL.key]: CILIUM_NODE_LABEL.value } },
];
export const KARPENTER_CRD: KubeObject = { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'nodepools.karpenter.sh' } };

export const ks = (kind: string, name: string, rest: Record<string, unknown> = {}, apiVersion = 'v1'): KubeObject => ({ apiVersion, kind, metadata: { name, namespace: 'kube-system' }, ...rest });
const envList = (env: Readonly<Record<string, string>>) => Object.entries(env).map(([name, value]) => ({ name, value, valueFrom: null }));

/** The example's cluster: tuned as its `current` says. */
export const EXAMPLE_ENV = migrationConfig.current.vpcCni!.configuration!.env as Record<string, string>;
export const EXAMPLE_ROLE = migrationConfig.current.vpcCni!.serviceAccountRoleArn;

/** A running VPC-CNI cluster as EKS installs it (`o.env` replaces what the example's cluster changed on it), changed by `o`. */
export function cluster(o: ClusterOptions = {}): ClusterState {
  // What EKS's aws-node runs: the defaults, the version, the fieldRef variables.
  const env = { ...VPC_CNI_ENV_DEFAULTS, VPC_CNI_VERSION: 'v1.20.4', ...(o.env ?? EXAMPLE_ENV) };
  const nodes = o.nodes ?? OLD_NODES;
  const objects: KubeObject[] = [
    ks('DaemonSet', 'aws-node', {
      spec: {
        template: {
          spec: {
            initContainers: [{ name: 'aws-vpc-cni-init', env: envList({ DISABLE_TCP_EARLY_DEMUX: 'false', ENABLE_IPv6: 'false', ...o.initEnv }) }],
            containers: [
              { name: 'aws-node', env: [...envList(env), { name: 'MY_NODE_NAME', value: null, valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }] },
              { name: 'aws-eks-nodeagent', env: [{ name: 'MY_NODE_NAME', value: null, valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }] },
            ],
          },
        },
      },
    }, 'apps/v1'),
    ks('ConfigMap', 'amazon-vpc-cni', { data: { 'enable-network-policy-controller': o.networkPolicy ?? 'false', 'enable-windows-ipam': 'false' } }),
    ks('ConfigMap', 'kube-proxy-config', { data: { config: `apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmode: "${o.kubeProxyMode ?? 'iptables'}"\n` } }),
    { ...ks('ServiceAccount', 'aws-node'), metadata: { name: 'aws-node', namespace: 'kube-system', annotations: o.serviceAccountRole !== '' ? { 'eks.amazonaws.com/role-arn': o.serviceAccountRole ?? EXAMPLE_ROLE! } : undefined } },
    ...nodes.map((n): KubeObject => ({ apiVersion: 'v1', kind: 'Node', metadata: { name: n.name, labels: { 'kubernetes.io/os': 'linux', ...n.labels } } })),
    ...(o.awsNodeOn ?? nodes.filter((n) => !n.labels[CILIUM_NODE_LABEL.key]).map((n) => n.name)).map((node, i) => ({ ...ks('Pod', `aws-node-${i}`), metadata: { name: `aws-node-${i}`, namespace: 'kube-system', labels: { 'k8s-app': 'aws-node' } }, spec: { nodeName: node } })),
  ];
  if (o.securityGroupPolicies !== undefined) {
    objects.push({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'securitygrouppolicies.vpcresources.k8s.aws' } });
    for (let i = 0; i < o.securityGroupPolicies; i++) objects.push({ apiVersion: 'vpcresources.k8s.aws/v1beta1', kind: 'SecurityGroupPolicy', metadata: { name: `db-access-${i}`, namespace: 'payments' } });
  }
  if (o.podIdentityAgent) objects.push(ks('DaemonSet', 'eks-pod-identity-agent', {}, 'apps/v1'));
  if (o.nodePools) objects.push(KARPENTER_CRD, ...o.nodePools.map((p) => p as unknown as KubeObject));
  if (o.cilium) {
    objects.push(ks('ConfigMap', 'cilium-config', { data: { 'kube-proxy-replacement': o.cilium.kubeProxyReplacement } }));
    objects.push({
      ...ks('DaemonSet', 'cilium', {}, 'apps/v1'),
      metadata: { name: 'cilium', namespace: 'kube-system', generation: o.cilium.generation },
      status: { desiredNumberScheduled: o.cilium.desired, updatedNumberScheduled: o.cilium.updated, numberAvailable: o.cilium.available, observedGeneration: o.cilium.observed },
    });
  }
  if (o.recorded) objects.push(ks('ConfigMap', 'cilium-eks-migration', { data: { phase: o.recorded } }));
  return {
    clusters: ['shop-prod'],
    version: '1.34',
    objects,
    addons: o.addons,
    subnets: Object.fromEntries(
      migrationConfig.privateSubnetIds.map((id, i) => [id, { cidr_block: `10.0.${16 * i}.0/20`, availability_zone: `eu-west-1${'abc'[i]}`, available_ip_address_count: o.freeAddresses ?? 3000 }]),
    ),
  };
}

/** A managed add-on as `data aws_eks_addon` reads it. */
export const addon = (configuration?: JsonObject, role?: string, associations: { service_account: string; role_arn: string }[] = []): AddonState => ({
  configuration_values: configuration ? JSON.stringify(configuration) : '',
  service_account_role_arn: role ?? null,
  pod_identity_association: associations,
});
export const managedAddons = (vpcCni: AddonState, kubeProxy: AddonState = addon()): Record<string, AddonState> => ({ 'vpc-cni': vpcCni, 'kube-proxy': kubeProxy });
