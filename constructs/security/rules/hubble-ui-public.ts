/**
 * Hubble UI not published through an internet-facing load balancer. Hubble UI has no
 * authentication and shows every flow of the cluster. The project reaches it through a
 * port-forward (`hubble.ui.service.type: ClusterIP`).
 *
 * Non-compliant when Hubble UI is enabled and either:
 * - `hubble.ui.service.type` is `LoadBalancer` without an internal-scheme annotation
 *   (`service.beta.kubernetes.io/aws-load-balancer-scheme: internal` or
 *   `service.beta.kubernetes.io/aws-load-balancer-internal: "true"`); without one the in-tree AWS
 *   cloud provider makes an internet-facing load balancer;
 * - `hubble.ui.ingress.enabled` with `alb.ingress.kubernetes.io/scheme: internet-facing`.
 */
import { valueAt } from '../../../core/helm-values';
import { helmReleaseValues, isCiliumRelease } from '../parse';
import { isRecord } from '../../../core/json';
import { asBoolean, compliant, defineRule, nonCompliant, notApplicable, unreadable } from '../rule';

/** Annotations that make the AWS load balancer of a Service internal. */
export const INTERNAL_LOAD_BALANCER_ANNOTATIONS: Readonly<Record<string, string>> = {
  'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal',
  'service.beta.kubernetes.io/aws-load-balancer-internal': 'true',
};

function annotations(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

export const hubbleUiPublic = defineRule({
  id: 'hubble-ui-public',
  level: 'error',
  title: 'Hubble UI is not exposed through an internet-facing load balancer',
  cost:
    'Hubble UI has no login: anyone on the internet sees the service map and every flow (names, addresses, ports, DNS and HTTP ' +
    'metadata) of the cluster.',
  resourceTypes: ['helm_release'],
  check: (_type, config, ctx) => {
    if (!isCiliumRelease(config)) return notApplicable('not the Cilium chart');
    const { values, unreadable: why } = helmReleaseValues(config, ctx);
    if (values === undefined) return unreadable(why);
    if (asBoolean(valueAt(values, 'hubble.ui.enabled')) !== true) return compliant('Hubble UI is off');
    const type = valueAt(values, 'hubble.ui.service.type') ?? 'ClusterIP';
    const svcAnnotations = annotations(valueAt(values, 'hubble.ui.service.annotations'));
    const internal = Object.entries(INTERNAL_LOAD_BALANCER_ANNOTATIONS).some(([k, v]) => String(svcAnnotations[k]) === v);
    if (type === 'LoadBalancer' && !internal) {
      return nonCompliant('hubble.ui.service.type is "LoadBalancer" without an internal-scheme annotation in hubble.ui.service.annotations: an internet-facing load balancer');
    }
    const ingressOn = asBoolean(valueAt(values, 'hubble.ui.ingress.enabled')) === true;
    const scheme = annotations(valueAt(values, 'hubble.ui.ingress.annotations'))['alb.ingress.kubernetes.io/scheme'];
    if (ingressOn && scheme === 'internet-facing') {
      return nonCompliant('hubble.ui.ingress is enabled with alb.ingress.kubernetes.io/scheme: internet-facing');
    }
    return compliant(`Hubble UI service type ${JSON.stringify(type)}${internal ? ' (internal)' : ''}${ingressOn ? ', ingress not internet-facing' : ''}`);
  },
});
