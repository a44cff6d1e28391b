/**
 * A consumer's own Cilium release, not built by cilium-eks, with WireGuard off: the security
 * checks must report it (the consumer test runs this and expects the synth to fail).
 */
import { App, Aspects, TerraformStack } from 'cdktf';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { Release } from '@cdktf/provider-helm/lib/release';
import { CiliumEksSecurityChecks } from 'cilium-eks';

const app = new App({ outdir: process.env.CDKTF_OUTDIR ?? 'cdktf.out' });
const stack = new TerraformStack(app, 'own-cilium');
new HelmProvider(stack, 'helm', {});
new Release(stack, 'cilium', {
  name: 'cilium',
  repository: 'https://helm.cilium.io',
  chart: 'cilium',
  version: '1.19.6',
  namespace: 'kube-system',
  values: ['encryption:\n  enabled: false\nhubble:\n  relay:\n    enabled: true\n'],
});
Aspects.of(stack).add(new CiliumEksSecurityChecks());
app.synth();
