/**
 * Transparent encryption between nodes on in the Cilium release: `encryption.enabled: true`
 * (`type: wireguard`, the project default; `ipsec` is accepted as encryption too). Reads the
 * `helm_release` of the Cilium chart: its values YAML, then its `set` entries.
 *
 * A pre-flight release (`preflight.enabled: true` with `agent: false`) is not judged: it only
 * pre-pulls the new image on every node and runs no agent, so it carries no pod traffic (Cilium
 * upgrade guide, "Running pre-flight check": `helm install cilium-preflight ... --set
 * preflight.enabled=true --set agent=false --set operator.enabled=false`). Judging it made the
 * README's own upgrade step (`preflight: true`) fail `cdktf synth`.
 */
import { valueAt } from '../../../core/helm-values';
import { helmReleaseValues, isCiliumRelease } from '../parse';
import { asBoolean, compliant, defineRule, nonCompliant, notApplicable, show, unreadable } from '../rule';

export const ciliumWireguardOff = defineRule({
  id: 'cilium-wireguard-off',
  level: 'error',
  title: 'Cilium encrypts pod traffic between nodes (WireGuard)',
  cost:
    'Pod-to-pod traffic crosses the VPC in clear text: anyone with VPC traffic mirroring, a compromised node on the path or ' +
    'a misrouted peering sees it. WireGuard costs some CPU per packet and excludes BIG TCP (not available on ENA anyway).',
  resourceTypes: ['helm_release'],
  check: (_type, config, ctx) => {
    if (!isCiliumRelease(config)) return notApplicable('not the Cilium chart');
    const { values, unreadable: why } = helmReleaseValues(config, ctx);
    if (values === undefined) return unreadable(why);
    if (asBoolean(valueAt(values, 'preflight.enabled')) === true && asBoolean(valueAt(values, 'agent')) === false) {
      return notApplicable('a pre-flight release: it runs no agent and carries no pod traffic');
    }
    const enabled = valueAt(values, 'encryption.enabled');
    const type = valueAt(values, 'encryption.type') ?? 'ipsec';
    if (asBoolean(enabled) !== true) return nonCompliant(`encryption.enabled is ${show(enabled)} (chart default false): node-to-node traffic is not encrypted`);
    return compliant(`encryption.type ${show(type)}`);
  },
});
