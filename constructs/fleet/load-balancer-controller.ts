/**
 * The AWS Load Balancer Controller, installed in each cluster of a fleet for one job: keeping the
 * clustermesh-apiserver pods registered as IP targets of the Terraform-made target group
 * (a `TargetGroupBinding`). Values and IAM statements are pure functions, tested without a synth.
 *
 * Sources (kubernetes-sigs/aws-load-balancer-controller at tag v3.5.0, commit 11eb202c, 2026-08-03):
 * - `helm/aws-load-balancer-controller/Chart.yaml`: chart 3.5.0, appVersion v3.5.0; published in the
 *   eks-charts repository (https://aws.github.io/eks-charts, the installation guide below).
 * - The installation guide (https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/deploy/installation/):
 *   "The LBC is supported by AWS"; IAM through IRSA or Pod Identity; v2.5.0+ requires Kubernetes 1.22+.
 * - The TargetGroupBinding guide (https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/targetgroupbinding/targetgroupbinding/):
 *   a TargetGroupBinding "can expose your pods
 *   using an existing ALB TargetGroup or NLB TargetGroup", so the load balancer is provisioned
 *   "completely outside of Kubernetes" while its targets follow a Service; `targetType` and `vpcID`
 *   given explicitly spare the webhook its AWS lookups.
 * - `pkg/networking/networking_manager.go`: without `spec.networking` the controller computes no
 *   security group rule for the binding (the rules stay Terraform's).
 * - The published IAM policy (`iam_policy.json` of the repository's install docs): the read-only statement below is its `ec2:Describe*` /
 *   `elasticloadbalancing:Describe*` statement; `RegisterTargets`/`DeregisterTargets` are its
 *   target-group statement, narrowed here to the one target group. Nothing that creates, changes or
 *   deletes a load balancer, a target group, a listener or a security group is granted: an Ingress
 *   or Service this controller would otherwise reconcile fails with AccessDenied instead.
 * - `helm/aws-load-balancer-controller/values.yaml`: `enableServiceMutatorWebhook` (default true)
 *   would make the controller the default for every Service of type LoadBalancer; the pod webhook
 *   (`mpod.elbv2.k8s.aws`, `failurePolicy: Ignore`) injects readiness gates into pods of namespaces
 *   labelled `elbv2.k8s.aws/pod-readiness-gate-inject: enabled` that `objectSelector` selects.
 */
import { Construct } from 'constructs';
import { Release } from '@cdktf/provider-helm/lib/release';
import { Labels } from '@cdktf/provider-kubernetes/lib/labels';
import { IamStatement } from '../../core/iam';
import { CRITICAL_ADDONS_TOLERATION, KubernetesManifest } from '../../core/k8s';
import { JsonObject, toSortedYaml } from '../../core/yaml';
import { ITerraformDependable } from '../cdktf';
import { ManifestRelease } from '../manifest-release';
import { declare, int, opaque, parse, strict, text, v } from '../../core/schema';
import { ec2Id, labels, region } from '../../core/rules';
import { clusterName, dependables } from '../inputs';

/** The pinned chart (and controller) version: the newest tag in the repository snapshot of 2026-08-17. */
export const LOAD_BALANCER_CONTROLLER_CHART_VERSION = '3.5.0';
/** Helm repository of the chart (eks-charts). */
export const LOAD_BALANCER_CONTROLLER_HELM_REPOSITORY = 'https://aws.github.io/eks-charts';
export const LOAD_BALANCER_CONTROLLER_CHART = 'aws-load-balancer-controller';
/** Namespace and service account of the controller (the Pod Identity association binds them). */
export const LOAD_BALANCER_CONTROLLER_NAMESPACE = 'kube-system';
export const LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT = 'aws-load-balancer-controller';
/** The label that lets the controller's pod webhook add readiness gates in a namespace. */
export const READINESS_GATE_NAMESPACE_LABEL = 'elbv2.k8s.aws/pod-readiness-gate-inject';
/** The clustermesh-apiserver pods' own label (Cilium chart, `clustermesh-apiserver/deployment.yaml` and its Service selector). */
export const CLUSTERMESH_APISERVER_SELECTOR = Object.freeze({ 'k8s-app': 'clustermesh-apiserver' });

/**
 * What the controller may do: read load balancers, target groups and the VPC (the upstream policy's
 * read-only statement), and register and deregister targets of `targetGroupArns` only.
 */
export function loadBalancerControllerStatements(targetGroupArns: readonly string[]): IamStatement[] {
  return [
    {
      Sid: 'Read',
      Effect: 'Allow',
      Action: [
        'ec2:DescribeAvailabilityZones',
        'ec2:DescribeInstances',
        'ec2:DescribeNetworkInterfaces',
        'ec2:DescribeSecurityGroups',
        'ec2:DescribeSubnets',
        'ec2:DescribeTags',
        'ec2:DescribeVpcs',
        'ec2:GetSecurityGroupsForVpc',
        'elasticloadbalancing:DescribeListeners',
        'elasticloadbalancing:DescribeLoadBalancers',
        'elasticloadbalancing:DescribeTags',
        'elasticloadbalancing:DescribeTargetGroupAttributes',
        'elasticloadbalancing:DescribeTargetGroups',
        'elasticloadbalancing:DescribeTargetHealth',
      ],
      Resource: '*',
    },
    { Sid: 'Targets', Effect: 'Allow', Action: ['elasticloadbalancing:RegisterTargets', 'elasticloadbalancing:DeregisterTargets'], Resource: [...targetGroupArns] },
  ];
}

/**
 * What {@link loadBalancerControllerValues} needs to write the controller's chart values: the cluster's name,
 * region and VPC, and the nodes it runs on.
 */
export interface LoadBalancerControllerValuesOptions {
  /** The EKS cluster name, the chart's `clusterName` value: the cluster the controller serves. */
  readonly clusterName: string;
  /**
   * The cluster's AWS region (`eu-west-1`), the chart's `region` value: where the controller calls Elastic
   * Load Balancing and EC2.
   */
  readonly region: string;
  /**
   * The ID of the cluster's VPC (`vpc-...`), the chart's `vpcId` value; the `TargetGroupBinding` names it too
   * (`spec.vpcID`).
   */
  readonly vpcId: string;
  /** Node labels the controller runs on (the system nodes). */
  readonly nodeSelector: Readonly<Record<string, string>>;
}
const valuesEntries = { clusterName: clusterName(), region: region(), vpcId: ec2Id('vpc', 'a VPC ID'), nodeSelector: labels() };
/** The declaration of {@link LoadBalancerControllerValuesOptions}. */
export const LoadBalancerControllerValuesOptionsSchema = declare<LoadBalancerControllerValuesOptions>()(
  strict(valuesEntries, 'load balancer controller values options { clusterName, region, vpcId, nodeSelector }'),
);

/** The chart values: two replicas on the system nodes, restricted contexts, no default for other Services. */
export function loadBalancerControllerValues(o: LoadBalancerControllerValuesOptions): JsonObject {
  parse(LoadBalancerControllerValuesOptionsSchema, o, 'loadBalancerControllerValues(o)');
  return {
    clusterName: o.clusterName,
    // Given, so the controller never asks the instance metadata service for them.
    region: o.region,
    vpcId: o.vpcId,
    replicaCount: 2,
    podDisruptionBudget: { maxUnavailable: 1 },
    serviceAccount: { create: true, name: LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT },
    nodeSelector: { 'kubernetes.io/os': 'linux', ...o.nodeSelector },
    tolerations: [{ ...CRITICAL_ADDONS_TOLERATION }],
    // Other Services of type LoadBalancer keep whatever controller they had; no IngressClass.
    enableServiceMutatorWebhook: false,
    createIngressClassResource: false,
    ingressClassParams: { create: false },
    // Readiness gates for the clustermesh-apiserver pods only (the namespace label alone would
    // also select every other pod of kube-system).
    objectSelector: { matchLabels: { ...CLUSTERMESH_APISERVER_SELECTOR } },
    // The webhook certificate is kept across upgrades rather than minted at every render.
    keepTLSSecret: true,
    podSecurityContext: { fsGroup: 65534, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
    securityContext: { readOnlyRootFilesystem: true, runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
  };
}

/** The binding of the clustermesh-apiserver Service to the target group (elbv2.k8s.aws/v1beta1). */
export function clusterMeshTargetGroupBinding(targetGroupArn: string, vpcId: string, servicePort: number): KubernetesManifest {
  return {
    apiVersion: 'elbv2.k8s.aws/v1beta1',
    kind: 'TargetGroupBinding',
    metadata: { name: 'clustermesh-apiserver', namespace: 'kube-system' },
    spec: {
      serviceRef: { name: 'clustermesh-apiserver', port: servicePort },
      targetGroupARN: targetGroupArn,
      targetType: 'ip',
      vpcID: vpcId,
    },
  } as KubernetesManifest;
}

/** What {@link LoadBalancerController} needs of the cluster it is installed in. */
export interface LoadBalancerControllerHost {
  /** Binds IAM statements to a service account through Pod Identity; returns what the pods need at start. */
  bindIdentity(statements: IamStatement[]): ITerraformDependable[];
}
/** The declaration of {@link LoadBalancerControllerHost}: any object with `bindIdentity` (a CiliumEksCluster). */
export const LoadBalancerControllerHostSchema: v.GenericSchema<LoadBalancerControllerHost> = opaque<LoadBalancerControllerHost>(
  'an object with bindIdentity(statements) (the CiliumEksCluster)',
  (x) => typeof x === 'object' && x !== null && typeof (x as LoadBalancerControllerHost).bindIdentity === 'function',
);

/**
 * The props of {@link LoadBalancerController}: the chart values' inputs, the cluster that binds its IAM
 * identity, the target group it keeps, the clustermesh-apiserver Service's port and what it waits for.
 * {@link ClusterMeshEndpoint} fills them.
 */
export interface LoadBalancerControllerProps extends LoadBalancerControllerValuesOptions {
  /**
   * The cluster the controller is installed in: its `bindIdentity` gives
   * `kube-system/aws-load-balancer-controller` a Pod Identity role with
   * {@link loadBalancerControllerStatements} for `targetGroupArn` (a {@link CiliumEksCluster} through
   * `addPodIdentity`, as {@link ClusterMeshEndpoint} does).
   */
  readonly host: LoadBalancerControllerHost;
  /** The target group whose targets the controller keeps. */
  readonly targetGroupArn: string;
  /** Port of the clustermesh-apiserver Service (the chart's 2379). */
  readonly servicePort: number;
  /** The nodes and DNS, and the Cilium release (which makes the Service). */
  readonly dependsOn: ITerraformDependable[];
}
/** The declaration of {@link LoadBalancerControllerProps}. */
export const LoadBalancerControllerPropsSchema = declare<LoadBalancerControllerProps>()(
  strict(
    { ...valuesEntries, host: LoadBalancerControllerHostSchema, targetGroupArn: text('a target group ARN'), servicePort: int(1, 65535), dependsOn: dependables() },
    'LoadBalancerController props { clusterName, region, vpcId, nodeSelector, host, targetGroupArn, servicePort, dependsOn }',
  ),
);

/**
 * The controller (Helm release, Pod Identity role limited to the target group), the
 * `TargetGroupBinding` of the clustermesh-apiserver Service, and the namespace label that turns on
 * readiness gates for its pods.
 */
export class LoadBalancerController extends Construct {
  /**
   * The controller's Helm release `aws-load-balancer-controller` in `kube-system` (eks-charts, chart
   * {@link LOAD_BALANCER_CONTROLLER_CHART_VERSION}, waits for readiness, no atomic rollback), installed after
   * its Pod Identity and `dependsOn`.
   */
  public readonly release: Release;
  /**
   * The Helm release `clustermesh-target-group` ({@link ManifestRelease}) delivering the `TargetGroupBinding`
   * of the `clustermesh-apiserver` Service to `targetGroupArn` ({@link clusterMeshTargetGroupBinding}); after
   * the controller (whose chart brings the CRD) and the readiness-gate namespace label.
   */
  public readonly binding: ManifestRelease;
  /**
   * The chart values the release is given, {@link loadBalancerControllerValues} of the props: two replicas on
   * the system nodes, restricted security contexts, no Service mutator webhook, no IngressClass.
   */
  public readonly values: JsonObject;

  constructor(scope: Construct, id: string, props: LoadBalancerControllerProps) {
    super(scope, id);
    parse(LoadBalancerControllerPropsSchema, props);
    const identity = props.host.bindIdentity(loadBalancerControllerStatements([props.targetGroupArn]));
    this.values = loadBalancerControllerValues({ clusterName: props.clusterName, region: props.region, vpcId: props.vpcId, nodeSelector: props.nodeSelector });
    this.release = new Release(this, 'release', {
      name: 'aws-load-balancer-controller',
      repository: LOAD_BALANCER_CONTROLLER_HELM_REPOSITORY,
      chart: LOAD_BALANCER_CONTROLLER_CHART,
      version: LOAD_BALANCER_CONTROLLER_CHART_VERSION,
      namespace: LOAD_BALANCER_CONTROLLER_NAMESPACE,
      values: [toSortedYaml(this.values, 'AWS Load Balancer Controller Helm values')],
      wait: true,
      atomic: false,
      timeout: 600,
      maxHistory: 10,
      dependsOn: [...identity, ...props.dependsOn],
    });
    // Pods created from now on in kube-system and selected by objectSelector (the apiserver's) get
    // a readiness gate: a replacement pod counts as ready only once the target group finds it
    // healthy, so a drain never takes the last healthy target.
    const label = new Labels(this, 'readiness-gates', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: LOAD_BALANCER_CONTROLLER_NAMESPACE },
      labels: { [READINESS_GATE_NAMESPACE_LABEL]: 'enabled' },
      fieldManager: 'cilium-eks',
      dependsOn: [this.release],
    });
    // The CRD comes with the chart: the binding is delivered after it (no CRD needed at plan time).
    this.binding = new ManifestRelease(this, 'binding', {
      releaseName: 'clustermesh-target-group',
      namespace: LOAD_BALANCER_CONTROLLER_NAMESPACE,
      manifests: [clusterMeshTargetGroupBinding(props.targetGroupArn, props.vpcId, props.servicePort)],
      dependsOn: [this.release, label, ...props.dependsOn],
    });
  }
}
