import { Construct } from 'constructs';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { Fn, Token } from './cdktf';
import { opaque, parse, v } from '../core/schema';
import { region } from '../core/rules';

/** The exec plugin settings both providers use: a fresh token from `aws eks get-token` per run. */
export interface KubernetesAccess {
  /** The Kubernetes API endpoint, `https://...`: the cluster's `endpoint`, the providers' `host`. */
  readonly host: string;
  /**
   * The cluster CA as PEM (the cluster's base64 `certificate_authority[0].data`, decoded by Terraform's
   * `base64decode`): the providers' `cluster_ca_certificate`.
   */
  readonly clusterCaCertificate: string;
  /**
   * The exec credential plugin the providers run for a token: `aws eks get-token --cluster-name <name>
   * --region <region> [--role-arn <role>] --output json`, API version `client.authentication.k8s.io/v1beta1`.
   * The AWS CLI must be on the PATH of whoever runs Terraform.
   */
  readonly exec: { apiVersion: string; command: string; args: string[] };
}

/**
 * What the providers need of a cluster: the `aws_eks_cluster` resource, or the data source of a
 * cluster this project did not create (its `name` may be the configured name instead).
 */
export interface EksClusterEndpoint {
  /**
   * The EKS cluster name, passed to `aws eks get-token --cluster-name`; best the cluster resource's `name`
   * attribute, so the token waits for the cluster.
   */
  readonly name: string;
  /** The cluster's Kubernetes API endpoint, `https://...` (the cluster's `endpoint` attribute). */
  readonly endpoint: string;
  /**
   * The cluster's CA list as the `aws_eks_cluster` resource or data source gives it: `.get(0).data` is the
   * base64-encoded PEM certificate.
   */
  readonly certificateAuthority: { get(index: number): { readonly data: string } };
}
/**
 * The declaration of {@link EksClusterEndpoint}: usually an `aws_eks_cluster` resource or data
 * source, so its other members are not refused; `name` and `endpoint` must be strings and
 * `certificateAuthority` a list of `{ data }` (`.get(0)`).
 */
export const EksClusterEndpointSchema: v.GenericSchema<EksClusterEndpoint> = opaque<EksClusterEndpoint>(
  'an EKS cluster (aws_eks_cluster or its data source) or { name, endpoint, certificateAuthority }',
  (x) => {
    const c = x as Partial<EksClusterEndpoint> | null;
    return typeof c === 'object' && c !== null && typeof c.name === 'string' && typeof c.endpoint === 'string' && typeof c.certificateAuthority?.get === 'function';
  },
);

/**
 * Connection settings for the Helm and Kubernetes providers, taken from the cluster in the same
 * stack (no kubeconfig file): the endpoint, the CA, and a token from the AWS CLI (through
 * `roleArn` when given; default: the caller's own credentials).
 */
export function kubernetesAccess(cluster: EksClusterEndpoint, regionName: string, roleArn?: string): KubernetesAccess {
  parse(EksClusterEndpointSchema, cluster, 'kubernetesAccess(cluster)');
  parse(region(), regionName, 'kubernetesAccess(region)');
  return {
    host: cluster.endpoint,
    clusterCaCertificate: Token.asString(Fn.base64decode(cluster.certificateAuthority.get(0).data)),
    exec: {
      apiVersion: 'client.authentication.k8s.io/v1beta1',
      command: 'aws',
      // A cluster in another account: the token of a role there (`aws eks get-token --role-arn`).
      args: ['eks', 'get-token', '--cluster-name', cluster.name, '--region', regionName, ...(roleArn !== undefined ? ['--role-arn', roleArn] : []), '--output', 'json'],
    },
  };
}

/** Configures the `helm` and `kubernetes` providers in `scope` from the cluster. */
export function configureKubernetesProviders(scope: Construct, cluster: EksClusterEndpoint, region: string): { helm: HelmProvider; kubernetes: KubernetesProvider } {
  const access = kubernetesAccess(cluster, region);
  return {
    helm: new HelmProvider(scope, 'helm', { kubernetes: access }),
    kubernetes: new KubernetesProvider(scope, 'kubernetes', {
      host: access.host,
      clusterCaCertificate: access.clusterCaCertificate,
      exec: [access.exec],
    }),
  };
}
