import { RESTRICTED_CONTAINER_SECURITY_CONTEXT, restrictedPodSecurityContext } from './cilium-values';
import { chartHasFeature, CiliumChartVersion, CILIUM_CHART_FACTS } from './versions';
import { CRITICAL_ADDONS_TOLERATION, KubernetesManifest } from '../core/k8s';
import { toSortedYaml } from '../core/yaml';

/**
 * The first Hubble TLS certificates of a new cluster, where the chart cannot make them itself.
 *
 * With `hubble.tls.auto.method: cronJob` the chart makes the certificates with a Job and rotates
 * them with a CronJob. From chart 1.19 that Job is a plain object: with `wait = false` Helm does not
 * wait for it, and it runs as soon as nodes exist. In chart 1.18 it is a Helm
 * `post-install,post-upgrade` hook, and Helm waits for hook Jobs to complete even with
 * `wait = false`: on a new cluster the nodes come after the Cilium release, so the Job could never
 * run and the release would time out. For such a chart the release runs without hooks and this Job,
 * delivered once nodes and CoreDNS are up, does what the chart's Job would: the same certgen image,
 * arguments and `CILIUM_CERTGEN_CONFIG`, under the chart's `hubble-generate-certs` account.
 */

/** Days the certificates are valid: the chart default of `hubble.tls.auto.certValidityDuration`. */
export const HUBBLE_CERT_VALIDITY_DAYS = 365;
export const HUBBLE_CERT_BOOTSTRAP_JOB_NAME = 'hubble-generate-certs-bootstrap';

/** Whether the chart's Hubble certgen Job is a Helm hook, so the release must run without hooks. */
export function needsHubbleCertBootstrap(chartVersion: CiliumChartVersion): boolean {
  return chartHasFeature(chartVersion, 'hubbleCertgenHook');
}

export interface HubbleCertBootstrapOptions {
  /** Cilium chart version (selects the certgen image). */
  readonly chartVersion: CiliumChartVersion;
  /** Namespace Cilium is installed in. @default 'kube-system' */
  readonly namespace?: string;
  /** Whether Hubble Relay is deployed (it needs a client certificate). @default true */
  readonly relay?: boolean;
  /** Cilium `cluster.name`. @default 'default' (the chart default) */
  readonly clusterName?: string;
}

/** The certificates the chart's Job makes for the project's values (server, and relay client). */
export function certgenConfig(namespace: string, relay: boolean, clusterName: string): string {
  const validity = `${HUBBLE_CERT_VALIDITY_DAYS * 24}h`;
  const server = `*.${clusterName.replace(/\./g, '-')}.hubble-grpc.cilium.io`;
  const certs = [
    { name: 'hubble-server-certs', namespace, commonName: server, hosts: [server], usage: ['signing', 'key encipherment', 'server auth', 'client auth'], validity },
    ...(relay
      ? [{ name: 'hubble-relay-client-certs', namespace, commonName: '*.hubble-relay.cilium.io', hosts: ['*.hubble-relay.cilium.io'], usage: ['signing', 'key encipherment', 'client auth'], validity }]
      : []),
  ];
  return toSortedYaml({ certs });
}

export function hubbleCertBootstrapJob(options: HubbleCertBootstrapOptions): KubernetesManifest {
  const image = CILIUM_CHART_FACTS[options.chartVersion].certgenImage;
  const namespace = options.namespace ?? 'kube-system';
  const labels = { 'k8s-app': 'hubble-generate-certs', 'app.kubernetes.io/part-of': 'cilium-eks' };
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: HUBBLE_CERT_BOOTSTRAP_JOB_NAME, namespace, labels },
    spec: {
      backoffLimit: 6,
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: 'hubble-generate-certs',
          restartPolicy: 'OnFailure',
          securityContext: restrictedPodSecurityContext(),
          // It runs before Karpenter exists: on the system nodes, which only critical add-ons tolerate.
          tolerations: [{ ...CRITICAL_ADDONS_TOLERATION }],
          containers: [
            {
              name: 'certgen',
              image: `${image.repository}:${image.tag}@${image.digest}`,
              command: ['/usr/bin/cilium-certgen'],
              args: ['--ca-generate=true', '--ca-reuse-secret', `--ca-secret-namespace=${namespace}`, '--ca-secret-name=cilium-ca', '--ca-common-name=Cilium CA'],
              env: [{ name: 'CILIUM_CERTGEN_CONFIG', value: certgenConfig(namespace, options.relay ?? true, options.clusterName ?? 'default') }],
              securityContext: { ...RESTRICTED_CONTAINER_SECURITY_CONTEXT },
            },
          ],
        },
      },
    },
  };
}
