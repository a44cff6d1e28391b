/**
 * Versions as data with dates: the EKS support calendar judged on fixed days (before the warning
 * window, inside it, in extended support, past it), the Kubernetes versions each Cilium line is
 * tested with, the rule behind the default Kubernetes version, every default inside every
 * component's range, the refused AMI releases, and the version report. Pure: no cdktf.
 */
import { checkKubernetesUpgrade, KUBERNETES_STEP_RULE, kubernetesSupportWarnings, nextStepAdvice } from '../bpf/upgrade';
import {
  checkCiliumTestedWith,
  CILIUM_TESTED_KUBERNETES,
  ciliumTestedKubernetes,
  DEFAULT_CILIUM_CHART_VERSION,
  DEFAULT_KUBERNETES_VERSION,
  SUPPORTED_CILIUM_CHART_VERSIONS,
  SUPPORTED_KUBERNETES_VERSIONS,
} from '../bpf/versions';
import { assertDay, calendarVersions, dayNumber, EKS_SUPPORT_CALENDAR, eksSupportStatus } from '../core/eks-support';
import { versionStep } from '../core/version-step';
import {
  chooseDefaultKubernetesVersion,
  componentVersionReport,
  defaultStackExclusions,
  StackComponents,
} from '../constructs/component-versions';
import { assertAmiReleaseNotRefused, DEFAULT_AL2023_AMI_VERSION, KARPENTER_DEFAULT_VERSION, REFUSED_AL2023_AMI_RELEASES } from '../constructs/karpenter/versions';
import { assertAl2023Alias } from '../constructs/karpenter/node-resources';
import { TEST_SUPPORT_CALENDAR_DATE } from './support/support-calendar-date';
import { thrown } from './support/errors';

describe('the EKS support calendar', () => {
  test('every Kubernetes version the project accepts has its dates: 12 months of extended support after standard support', () => {
    expect(calendarVersions()).toEqual(SUPPORTED_KUBERNETES_VERSIONS);
    for (const [version, d] of Object.entries(EKS_SUPPORT_CALENDAR)) {
      const [released, standard] = [d.released, d.endOfStandardSupport].map((day) => dayNumber(day) as number);
      expect([version, released < standard]).toEqual([version, true]);
      // Standard support: 14 months from the EKS release (the release dates are the first platform
      // version, a few days after it at most); extended support: exactly one year more.
      expect([version, Math.round((standard - released) / 30.44)]).toEqual([version, 14]);
      expect([version, d.endOfExtendedSupport]).toEqual([version, `${Number(d.endOfStandardSupport.slice(0, 4)) + 1}${d.endOfStandardSupport.slice(4)}`]);
    }
  });

  test.each([
    ['1.35', '2026-12-04', 'standard', 113],
    ['1.35', '2026-12-26', 'standard', 91],
    ['1.35', '2026-12-27', 'standard-ending', 90],
    ['1.35', '2027-03-26', 'standard-ending', 1],
    ['1.35', '2027-03-27', 'extended', 366],
    ['1.34', '2026-12-01', 'standard-ending', 1],
    ['1.34', '2026-12-02', 'extended', 365],
    ['1.34', '2027-12-01', 'extended', 1],
    ['1.34', '2027-12-02', 'ended', 0],
    ['1.31', '2026-12-04', 'ended', -8],
  ])('Kubernetes %s on %s: %s, %d days left', (version, day, phase, daysLeft) => {
    expect(eksSupportStatus(version, day)).toMatchObject({ phase, daysLeft });
  });

  test('a day that is not a YYYY-MM-DD date is refused, naming where it came from', () => {
    for (const bad of ['2026-02-30', '2026-1-1', 'today', 20261204]) {
      thrown(() => assertDay(bad, 'context cilium-eks:supportCalendarDate'), /^context cilium-eks:supportCalendarDate: .* is not valid; allowed: a date as YYYY-MM-DD/);
    }
    expect(dayNumber('2026-12-04')! - dayNumber('2026-12-02')!).toBe(2);
  });
});

describe('synth warnings and errors of the calendar, on fixed days', () => {
  test('before the 90-day window: no warning', () => {
    expect(kubernetesSupportWarnings('1.35', '1.19.6', '2026-12-04')).toEqual([]);
    expect(kubernetesSupportWarnings('1.36', '1.20.0', '2026-12-04')).toEqual([]);
  });

  test('inside the 90-day window: a warning naming the date, the days left and the next version, with the Cilium chart it needs', () => {
    const [warning, ...rest] = kubernetesSupportWarnings('1.35', '1.19.6', '2027-01-10');
    expect(rest).toEqual([]);
    expect(warning).toMatch(/^kubernetesVersion 1\.35 leaves EKS standard support on 2027-03-27 \(in 76 days\); from then EKS bills extended support per cluster-hour/);
    expect(warning).toContain('move to 1.36 (one minor per deploy: kubernetesVersion 1.36 with kubernetesUpgradeFrom 1.35');
    expect(warning).toContain('after cilium.chartVersion 1.20.0 (Cilium 1.19 is not e2e tested with 1.36)');
    expect(warning).toContain('Source: EKS "Kubernetes version lifecycle" release calendar');
  });

  test('in extended support: a warning naming since when, until when, and the next version', () => {
    const [warning] = kubernetesSupportWarnings('1.34', '1.19.6', TEST_SUPPORT_CALENDAR_DATE);
    expect(warning).toMatch(/^kubernetesVersion 1\.34 is in EKS extended support since 2026-12-02, billed per cluster-hour at a higher price than standard support \(EKS pricing page\), until 2027-12-02, when EKS upgrades the cluster itself: move to 1\.35 /);
    // 1.19 is tested with 1.35: no chart step is named.
    expect(warning).not.toContain('cilium.chartVersion');
  });

  test('past extended support: refused, with the versions still allowed and the source', () => {
    const e = thrown(() => kubernetesSupportWarnings('1.31', '1.18.12', TEST_SUPPORT_CALENDAR_DATE));
    expect([e.property, e.value]).toEqual(['kubernetesVersion', '1.31']);
    expect(e.allowed).toBe('one of 1.32, 1.33, 1.34, 1.35, 1.36 (in standard support: 1.35, 1.36)');
    expect(e.reason).toBe('EKS extended support of 1.31 ended on 2026-11-26; EKS upgrades such a cluster itself (EKS "Kubernetes version lifecycle" release calendar; endoflife.date amazon-eks)');
    // The same version the day before its end: a warning, not an error.
    expect(kubernetesSupportWarnings('1.31', '1.18.12', '2026-11-25')).toHaveLength(1);
  });

  test('the newest version names no next one', () => {
    expect(nextStepAdvice('1.36', '1.20.0')).toBe('no newer Kubernetes version is known to the project yet (update cilium-eks)');
  });
});

describe('Cilium lines and the Kubernetes versions they are e2e tested with', () => {
  test('every supported chart has its line, read from its compatibility page', () => {
    for (const v of SUPPORTED_CILIUM_CHART_VERSIONS) expect(ciliumTestedKubernetes(v).source).toMatch(/Documentation\/network\/kubernetes\/compatibility\.rst/);
    expect(Object.keys(CILIUM_TESTED_KUBERNETES)).toEqual(['1.18', '1.19', '1.20']);
  });

  test('a line not tested with the version is refused, naming the charts that are, the tested versions and the override', () => {
    const e = thrown(() => checkCiliumTestedWith('1.19.6', '1.36', false));
    expect([e.property, e.value]).toEqual(['cilium.chartVersion', '1.19.6']);
    expect(e.allowed).toBe('1.20.0 for kubernetesVersion 1.36, a kubernetesVersion of 1.32, 1.33, 1.34, 1.35, or cilium.allowUntestedKubernetesVersion: true');
    expect(e.reason).toBe('Cilium 1.19 is e2e tested with Kubernetes 1.32, 1.33, 1.34, 1.35 (cilium v1.19.3 Documentation/network/kubernetes/compatibility.rst)');
    thrown(() => checkCiliumTestedWith('1.18.12', '1.34', false), /^cilium\.chartVersion: "1\.18\.12" is not valid; allowed: 1\.19\.6 or 1\.20\.0 for kubernetesVersion 1\.34/);
  });

  test('with the override it is a warning; a tested pair is neither', () => {
    expect(checkCiliumTestedWith('1.19.6', '1.36', true)).toMatch(/^cilium\.chartVersion 1\.19\.6 runs Kubernetes 1\.36 untested \(cilium\.allowUntestedKubernetesVersion\): Cilium 1\.19 is e2e tested with Kubernetes 1\.32, 1\.33, 1\.34, 1\.35/);
    expect(checkCiliumTestedWith('1.20.0', '1.36', false)).toBeUndefined();
  });
});

describe('the defaults', () => {
  test("the default Kubernetes version is the rule's choice on the day it was chosen: 1.36 is left out by the default Cilium line only", () => {
    const choice = chooseDefaultKubernetesVersion(TEST_SUPPORT_CALENDAR_DATE);
    expect(choice.version).toBe(DEFAULT_KUBERNETES_VERSION);
    expect(Object.keys(choice.excluded)).toEqual(['1.36']);
    expect(choice.excluded['1.36']).toEqual([expect.stringMatching(/^Cilium 1\.19\.6 is e2e tested with 1\.32, 1\.33, 1\.34, 1\.35 only/)]);
  });

  test("every default is inside every component's supported range, and costs no extended-support fee on that day", () => {
    expect(defaultStackExclusions(DEFAULT_KUBERNETES_VERSION)).toEqual([]);
    expect(ciliumTestedKubernetes(DEFAULT_CILIUM_CHART_VERSION).versions).toContain(DEFAULT_KUBERNETES_VERSION);
    expect(eksSupportStatus(DEFAULT_KUBERNETES_VERSION, TEST_SUPPORT_CALENDAR_DATE)?.phase).toBe('standard');
    expect(() => assertAmiReleaseNotRefused(DEFAULT_AL2023_AMI_VERSION, 'x')).not.toThrow();
    // A component's range that stops below a version shows as its exclusion.
    expect(defaultStackExclusions('1.37')).toEqual(expect.arrayContaining([expect.stringMatching(/^no AL2023 AMI kernel/), expect.stringMatching(/^Karpenter 1\.14\.1 supports 1\.26 to 1\.36/)]));
  });

  test('the previous default, 1.34, is one gated step from the default', () => {
    expect(() => checkKubernetesUpgrade('1.34', DEFAULT_KUBERNETES_VERSION)).not.toThrow();
    expect(versionStep('1.34', DEFAULT_KUBERNETES_VERSION, KUBERNETES_STEP_RULE)).toEqual({ ok: true, runningMinor: 34 });
  });
});

describe('AL2023 AMI releases with a known defect', () => {
  test('refused for the system nodes and in an alias, naming the property, the value, what is allowed and why', () => {
    expect(Object.keys(REFUSED_AL2023_AMI_RELEASES)).toEqual(['v20260930', 'v20261003']);
    const e = thrown(() => assertAmiReleaseNotRefused('v20261003', 'systemNodeGroup.amiReleaseVersion'));
    expect(e.message).toBe(
      'systemNodeGroup.amiReleaseVersion: "v20261003" is not valid; allowed: an amazon-eks-ami release other than v20260930 and v20261003, e.g. v20261012 (kernel 6.12.110 of this release has a reported kernel panic, fixed in v20261012 (amazon-eks-ami CHANGELOG.md))',
    );
    thrown(() => assertAl2023Alias('al2023@v20260930', 'karpenter.amiAlias'), /^karpenter\.amiAlias: "al2023@v20260930" is not valid; allowed: an amazon-eks-ami release other than v20260930 and v20261003, e\.g\. al2023@v20261012 /);
    expect(() => assertAl2023Alias('al2023@latest', 'karpenter.amiAlias')).not.toThrow();
  });
});

describe('the version report', () => {
  const stack: StackComponents = {
    kubernetesVersion: '1.35',
    chartVersion: '1.19.6',
    karpenterVersion: KARPENTER_DEFAULT_VERSION,
    tetragon: true,
    logShipper: true,
    amiRelease: DEFAULT_AL2023_AMI_VERSION,
    toolchain: { name: 'cdktf', version: '0.21.0' },
  };

  test('one row per component, each with its source, what to do next and a command that shows a newer version', () => {
    const rows = componentVersionReport(stack, TEST_SUPPORT_CALENDAR_DATE);
    expect(rows.map((r) => [r.component, r.version])).toEqual([
      ['Kubernetes (EKS)', '1.35'],
      ['Cilium chart', '1.19.6'],
      ['Karpenter', '1.14.1'],
      ['Tetragon chart', '1.7.0'],
      ['Fluent Bit chart (aws-for-fluent-bit)', '0.2.0'],
      ['AL2023 AMI release', 'v20261012'],
      ['CDK for Terraform', 'cdktf 0.21.0'],
    ]);
    for (const r of rows) expect([r.component, r.source.length > 0, r.next.length > 0, /^(aws|helm|git|npm) /.test(r.newerCommand)]).toEqual([r.component, true, true, true]);
    const [kubernetes, cilium] = rows;
    expect(kubernetes).toMatchObject({ supportEnds: '2027-03-27' });
    expect(kubernetes.next).toMatch(/^in standard support for 113 more days; the synth warns from 2026-12-27\. Then: move to 1\.36 .*after cilium\.chartVersion 1\.20\.0/);
    expect(cilium.next).toMatch(/^before Kubernetes 1\.36: cilium\.chartVersion 1\.20\.0 \(one minor per deploy, with cilium\.upgradeFrom 1\.19\.6\)/);
    expect(cilium.newerCommand).toBe("helm repo add cilium https://helm.cilium.io && helm search repo cilium/cilium --versions --version '~1.19.0'");
  });

  test('what is off has no row; extended support and the CDK Terrain toolchain read as such', () => {
    const rows = componentVersionReport({ ...stack, kubernetesVersion: '1.34', karpenterVersion: undefined, tetragon: false, logShipper: false, toolchain: { name: 'cdktn', version: '0.24.0' } }, TEST_SUPPORT_CALENDAR_DATE);
    expect(rows.map((r) => r.component)).toEqual(['Kubernetes (EKS)', 'Cilium chart', 'AL2023 AMI release', 'CDK Terrain']);
    expect(rows[0]).toMatchObject({ supportEnds: '2027-12-02' });
    expect(rows[0].next).toMatch(/^in extended support \(billed per cluster-hour\) until 2027-12-02: move to 1\.35/);
    expect(rows[3].version).toBe('cdktn 0.24.0 (as cdktf)');
  });
});
