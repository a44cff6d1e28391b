/**
 * The versions in a synthesized stack: the support calendar's warnings and errors on the day the
 * app is told (context `cilium-eks:supportCalendarDate`), a synthesized plan that is the same
 * whatever that day, the Cilium line refused for an untested Kubernetes version, refused AMI
 * releases, and the cluster's version report.
 */
import { App, Testing } from 'cdktf';
import { CiliumEksStack, CiliumEksStackProps } from '../constructs/cilium-eks-stack';
import { supportCalendarDay } from '../constructs/component-versions';
import { SUPPORT_CALENDAR_DATE_CONTEXT, utcDay } from '../core/eks-support';
import { config as appConfig } from '../main';
import { buildStack, defaultStack, synthStack } from './support/synth';
import { thrown } from './support/errors';

/** The stack of main.ts's config with `props`, judged on `day` (set after the app reads the tests' fixed day from the environment). */
function stackOn(day: string, props: Partial<CiliumEksStackProps> = {}): CiliumEksStack {
  const app = Testing.app();
  app.node.setContext(SUPPORT_CALENDAR_DATE_CONTEXT, day);
  return new CiliumEksStack(app, 'test', { ...appConfig, ...props });
}

/** The warnings the project adds at synth (not the security checks'). */
function versionWarnings(stack: CiliumEksStack): string[] {
  return stack.node
    .findAll()
    .flatMap((c) => c.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => String(m.data)))
    .filter((w) => /^(kubernetesVersion|cilium\.chartVersion) /.test(w));
}

describe('the support calendar at synth', () => {
  test('the default stack on the day its defaults were chosen: no warning', () => {
    expect(versionWarnings(defaultStack().stack)).toEqual([]);
  });

  test('inside the 90-day window, then in extended support: one warning naming the date and the next version', () => {
    const [ending] = versionWarnings(stackOn('2027-01-10'));
    expect(ending).toMatch(/^kubernetesVersion 1\.35 leaves EKS standard support on 2027-03-27 \(in 76 days\).*move to 1\.36.*after cilium\.chartVersion 1\.20\.0/);
    const extended = versionWarnings(buildStack({ kubernetesVersion: '1.34' }));
    expect(extended).toEqual([expect.stringMatching(/^kubernetesVersion 1\.34 is in EKS extended support since 2026-12-02, .* until 2027-12-02, when EKS upgrades the cluster itself: move to 1\.35 /)]);
  });

  test('past extended support: refused before anything is built, with the allowed versions and the source', () => {
    const e = thrown(() => buildStack({ kubernetesVersion: '1.31', cilium: { chartVersion: '1.18.12' } }));
    expect(e.message).toMatch(/^kubernetesVersion: "1\.31" is not valid; allowed: one of 1\.32, 1\.33, 1\.34, 1\.35, 1\.36 \(in standard support: 1\.35, 1\.36\) \(EKS extended support of 1\.31 ended on 2026-11-26;/);
    // The same configuration on a day inside its extended support: a warning only.
    expect(versionWarnings(stackOn('2026-11-01', { kubernetesVersion: '1.31', cilium: { chartVersion: '1.18.12' } }))).toHaveLength(1);
  });

  test('the synthesized plan does not depend on the day: only the warnings do', () => {
    const before = stackOn('2026-12-04');
    const inside = stackOn('2027-02-01');
    expect(synthStack(inside)).toBe(synthStack(before));
    expect([versionWarnings(before).length, versionWarnings(inside).length]).toEqual([0, 1]);
  });

  test("without the context the day is today's (UTC); a context that is not a date is refused", () => {
    const saved = process.env.CDKTF_CONTEXT_JSON;
    delete process.env.CDKTF_CONTEXT_JSON;
    try {
      expect(supportCalendarDay(new App({ outdir: '/tmp' }))).toBe(utcDay(new Date()));
    } finally {
      process.env.CDKTF_CONTEXT_JSON = saved;
    }
    thrown(() => stackOn('4 Dec 2026'), /^context cilium-eks:supportCalendarDate: "4 Dec 2026" is not valid; allowed: a date as YYYY-MM-DD/);
  });
});

describe('the Cilium line and the Kubernetes version', () => {
  test('a line not e2e tested with the chosen version is refused, naming the property as written', () => {
    thrown(() => buildStack({ kubernetesVersion: '1.36' }), /^cilium\.chartVersion: "1\.19\.6" is not valid; allowed: 1\.20\.0 for kubernetesVersion 1\.36, /);
    expect(() => buildStack({ kubernetesVersion: '1.36', cilium: { chartVersion: '1.20.0' } })).not.toThrow();
  });

  test('with cilium.allowUntestedKubernetesVersion the pair synthesizes with a warning', () => {
    const stack = buildStack({ kubernetesVersion: '1.36', cilium: { allowUntestedKubernetesVersion: true } });
    expect(versionWarnings(stack)).toEqual([expect.stringMatching(/^cilium\.chartVersion 1\.19\.6 runs Kubernetes 1\.36 untested/)]);
    thrown(() => buildStack({ cilium: { allowUntestedKubernetesVersion: 'yes' as unknown as boolean } }), /^cilium\.allowUntestedKubernetesVersion: "yes" is not valid; allowed: true or false/);
  });

  test('the upgrade from the previous default is one step at synth; two steps are refused naming the next', () => {
    expect(() => buildStack({ kubernetesUpgradeFrom: '1.34' })).not.toThrow();
    thrown(() => buildStack({ kubernetesVersion: '1.36', kubernetesUpgradeFrom: '1.34', cilium: { chartVersion: '1.20.0' } }), /^kubernetesVersion: "1\.36" is not valid; allowed: 1\.35 first while 1\.34 runs/);
  });
});

describe('an unknown component version', () => {
  test('is refused with the allowed values and the source', () => {
    thrown(() => buildStack({ kubernetesVersion: '1.37' }), /^kubernetesVersion: "1\.37" is not valid; allowed: one of 1\.31, 1\.32, 1\.33, 1\.34, 1\.35, 1\.36 \(.*amazon-eks-ami CHANGELOG.*EKS "Kubernetes version lifecycle"/);
    thrown(() => buildStack({ cilium: { chartVersion: '1.19.9' } }), /^cilium\.chartVersion: "1\.19\.9" is not valid; allowed: one of 1\.18\.12, 1\.19\.6, 1\.20\.0 \(.*values\.schema\.json from cilium\/charts\)/);
    thrown(() => buildStack({ karpenter: { version: '1.14.2' } }), /^karpenter\.version: "1\.14\.2" is not valid; allowed: one of 1\.14\.1 \(.*shared\/upstream\/karpenter/);
  });
});

describe('AL2023 AMI releases with a known defect, in the stack', () => {
  test('refused for the system nodes and for Karpenter, by the property as written', () => {
    thrown(() => buildStack({ systemNodeGroup: { amiReleaseVersion: 'v20260930' } }), /^systemNodeGroup\.amiReleaseVersion: "v20260930" is not valid; allowed: an amazon-eks-ami release other than v20260930 and v20261003/);
    thrown(() => buildStack({ karpenter: { amiAlias: 'al2023@v20261003' } }), /^karpenter\.amiAlias: "al2023@v20261003" is not valid; allowed: an amazon-eks-ami release other than/);
  });
});

describe('CiliumEksCluster.versionReport', () => {
  test("reports what the cluster runs, as configured", () => {
    const stack = buildStack({ kubernetesVersion: '1.34', cilium: { chartVersion: '1.20.0' }, karpenter: false, systemNodeGroup: { amiReleaseVersion: 'v20261012' } });
    const rows = stack.cluster.versionReport('2026-12-04');
    expect(rows.map((r) => [r.component, r.version])).toEqual([
      ['Kubernetes (EKS)', '1.34'],
      ['Cilium chart', '1.20.0'],
      ['Tetragon chart', '1.7.0'],
      ['Fluent Bit chart (aws-for-fluent-bit)', '0.2.0'],
      ['AL2023 AMI release', 'v20261012'],
      ['CDK for Terraform', 'cdktf 0.21.0'],
    ]);
    expect(rows[0].next).toMatch(/^in extended support/);
  });
});
