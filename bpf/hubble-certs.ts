import { assertCiliumChartVersion, CILIUM_CHART_FACTS, DEFAULT_CILIUM_CHART_VERSION } from './versions';
import { KubernetesManifest } from './k8s';

/**
 * The first Hubble TLS certificates of a new cluster.
 *
 * With `hubble.tls.auto.method: cronJob` the chart makes its certificates with a Job that is a
 * Helm `post-install,post-upgrade` hook, and Helm waits for hook Jobs to complete even with
 * `wait = false`. On a new cluster there is no node yet when the Cilium release is installed (the
 * nodes come after it), so that Job could never run and the release would time out. The Cilium
 * release therefore runs without hooks, the chart's CronJob keeps rotating the certificates, and
 * this Job (delivered once the nodes and CoreDNS are up) makes the first ones: the same certgen
 * image and arguments as the chart's Job, under the chart's `hubble-generate-certs` service account.
 */

/** Days the certificates are valid: the chart default of `hubble.tls.auto.certValidityDuration`. */
export const HUBBLE_CERT_VALIDITY_DAYS = 365;
export const HUBBLE_CERT_BOOTSTRAP_JOB_NAME = 'hubble-generate-certs-bootstrap';

export interface HubbleCertBootstrapOptions {
  /** Cilium chart version (selects the certgen image). @default DEFAULT_CILIUM_CHART_VERSION */
  readonly chartVersion?: string;
  /** Namespace Cilium is installed in. @default 'kube-system' */
  readonly namespace?: string;
  /** Whether Hubble Relay is deployed (it needs a client certificate). @default true */
  readonly relay?: boolean;
  /** Cilium `cluster.name`. @default 'default' (the chart default) */
  readonly clusterName?: string;
}

/** The certgen arguments, as the chart's Job passes them for the same values. */
export function certgenArgs(o: Required<Omit<HubbleCertBootstrapOptions, 'chartVersion'>>): string[] {
  const validity = `${HUBBLE_CERT_VALIDITY_DAYS * 24 * 60 * 60}s`;
  return [
    `--cilium-namespace=${o.namespace}`,
    '--ca-generate',
    '--ca-reuse-secret',
    '--hubble-server-cert-generate',
    `--hubble-server-cert-common-name=*.${o.clusterName.replace(/\./g, '-')}.hubble-grpc.cilium.io`,
    `--hubble-server-cert-validity-duration=${validity}`,
    ...(o.relay ? ['--hubble-relay-client-cert-generate', `--hubble-relay-client-cert-validity-duration=${validity}`] : []),
  ];
}

export function hubbleCertBootstrapJob(options: HubbleCertBootstrapOptions = {}): KubernetesManifest {
  const version = assertCiliumChartVersion(options.chartVersion ?? DEFAULT_CILIUM_CHART_VERSION, 'cilium.chartVersion');
  const image = CILIUM_CHART_FACTS[version].certgenImage;
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
          // As the chart's certgen Job: it must not depend on the pod network.
          hostNetwork: true,
          restartPolicy: 'OnFailure',
          securityContext: { runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [
            {
              name: 'certgen',
              image: `${image.repository}:${image.tag}@${image.digest}`,
              command: ['/usr/bin/cilium-certgen'],
              args: certgenArgs({ namespace, relay: options.relay ?? true, clusterName: options.clusterName ?? 'default' }),
              securityContext: {
                allowPrivilegeEscalation: false,
                capabilities: { drop: ['ALL'] },
                readOnlyRootFilesystem: true,
                runAsNonRoot: true,
              },
            },
          ],
        },
      },
    },
  };
}
