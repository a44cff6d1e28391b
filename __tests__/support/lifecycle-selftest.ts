/**
 * The lifecycle harness's self-test: sequences the harness must FAIL because Terraform fails them,
 * each beside a control that differs only in the fault and must pass. A harness that passes a
 * faulty sequence proves nothing, so every lifecycle sequence waits for {@link proveHarness} and
 * fails when it does.
 *
 * The configurations are small cdktf stacks built with the same bindings as the project (AWS and
 * helm providers, one aliased), synthesized through support/synth.ts.
 */
import type { Release } from '@cdktf/provider-helm/lib/release';
import type { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { LifecycleResult, LifecycleStep, runLifecycle } from './lifecycle';

/** What a small stack holds: per region an aliased AWS provider with a VPC, optionally a helm provider (alias `apps`) with a release. */
interface Shape {
  /** Regions with an AWS provider configuration each; the first is `aws.primary`, the others `aws.<region>` (`-` as `_`). */
  readonly regions: readonly string[];
  /** Regions (of `regions`) with a VPC. @default - every one */
  readonly vpcs?: readonly string[];
  /** Whether the helm provider configuration is there. */
  readonly helmProvider: boolean;
  /** Whether the release is there (needs the helm provider). */
  readonly release: boolean;
  /** A subnet per element of this `for_each` (`'known'`: a literal set; `'unknown-aws'`: the VPC's id; `'unknown-standin'`: the release's id). */
  readonly subnets?: 'known' | 'unknown-aws' | 'unknown-standin';
}

function shape(s: Shape): string {
  // Loaded here, not at the top: a warm run reads the results from the cache and needs none of them.
  const { Fn, TerraformIterator, TerraformStack, Testing } = require('cdktf') as typeof import('cdktf');
  const { AwsProvider } = require('@cdktf/provider-aws/lib/provider') as typeof import('@cdktf/provider-aws/lib/provider');
  const { Vpc } = require('@cdktf/provider-aws/lib/vpc') as typeof import('@cdktf/provider-aws/lib/vpc');
  const { Subnet } = require('@cdktf/provider-aws/lib/subnet') as typeof import('@cdktf/provider-aws/lib/subnet');
  const { HelmProvider } = require('@cdktf/provider-helm/lib/provider') as typeof import('@cdktf/provider-helm/lib/provider');
  const { Release } = require('@cdktf/provider-helm/lib/release') as typeof import('@cdktf/provider-helm/lib/release');
  const { synthStack } = require('./synth') as typeof import('./synth');
  const stack = new TerraformStack(Testing.app(), 'selftest');
  let vpc: Vpc | undefined;
  s.regions.forEach((region, i) => {
    const provider = new AwsProvider(stack, `aws-${region}`, { region, alias: i === 0 ? 'primary' : region.replace(/-/g, '_') });
    if (s.vpcs && !s.vpcs.includes(region)) return;
    const v = new Vpc(stack, `vpc-${region}`, { provider, cidrBlock: `10.${i}.0.0/16` });
    vpc ??= v;
  });
  let release: Release | undefined;
  if (s.helmProvider) {
    const helm = new HelmProvider(stack, 'helm', { alias: 'apps', kubernetes: { host: `https://\${${vpc!.fqn}.id}.example` } });
    if (s.release) release = new Release(stack, 'release', { provider: helm, name: 'app', chart: 'app', repository: 'https://charts.example', dependsOn: [vpc!] });
  }
  if (s.subnets) {
    const keys = s.subnets === 'known' ? Fn.toset(['a']) : s.subnets === 'unknown-aws' ? Fn.toset([vpc!.id]) : Fn.toset([release!.id]);
    const it = TerraformIterator.fromList(keys);
    new Subnet(stack, 'subnet', { forEach: it, provider: vpc!.provider, vpcId: vpc!.id, cidrBlock: '10.0.1.0/24', tags: { key: it.value } });
  }
  return synthStack(stack);
}

/** One case of the self-test: a sequence and what Terraform must say of it. */
export interface SelfTestCase {
  readonly name: string;
  /** What the case proves. */
  readonly proves: string;
  readonly steps: () => readonly LifecycleStep[];
  /** `undefined`: must pass; else an `Error:` summary the run must report. */
  readonly mustFailWith?: RegExp;
}

const twoRegions = ['eu-west-1', 'us-east-1'];

export const SELF_TEST_CASES: readonly SelfTestCase[] = [
  {
    name: 'selftest-control',
    proves: 'the controls pass: resources removed while their provider configurations stay, then the configurations removed; a for_each over a known set',
    steps: () => [
      { name: 'all', tf: shape({ regions: twoRegions, helmProvider: true, release: true, subnets: 'known' }) },
      { name: 'resources-gone', tf: shape({ regions: twoRegions, vpcs: twoRegions.slice(0, 1), helmProvider: true, release: false }) },
      { name: 'providers-gone', tf: shape({ regions: twoRegions.slice(0, 1), helmProvider: false, release: false }) },
    ],
  },
  {
    name: 'selftest-unknown-for-each-aws',
    proves: 'a for_each keyed on an AWS attribute unknown until apply fails',
    steps: () => [{ name: 'plan', command: 'plan', tf: shape({ regions: twoRegions.slice(0, 1), helmProvider: false, release: false, subnets: 'unknown-aws' }) }],
    mustFailWith: /^Invalid for_each argument$/,
  },
  {
    name: 'selftest-unknown-for-each-standin',
    proves: "a for_each keyed on a stood-in resource's computed attribute (unknown until apply, as the real one) fails",
    steps: () => [{ name: 'plan', command: 'plan', tf: shape({ regions: twoRegions.slice(0, 1), helmProvider: true, release: true, subnets: 'unknown-standin' }) }],
    mustFailWith: /^Invalid for_each argument$/,
  },
  {
    name: 'selftest-standin-provider-removed',
    proves: 'a stood-in provider configuration (helm) removed together with its resources fails',
    steps: () => [
      { name: 'all', tf: shape({ regions: twoRegions.slice(0, 1), helmProvider: true, release: true }) },
      { name: 'both-gone', tf: shape({ regions: twoRegions.slice(0, 1), helmProvider: false, release: false }) },
    ],
    mustFailWith: /^Provider configuration not present$/,
  },
  {
    name: 'selftest-aws-provider-removed',
    proves: 'an aliased AWS provider configuration (a region) removed together with its resources fails',
    steps: () => [
      { name: 'all', tf: shape({ regions: twoRegions, helmProvider: false, release: false }) },
      { name: 'region-gone', tf: shape({ regions: twoRegions.slice(0, 1), helmProvider: false, release: false }) },
    ],
    mustFailWith: /^Provider configuration not present$/,
  },
];

/** Whether `r` is what `c` demands; the reason when not. */
export function judgeSelfTest(c: SelfTestCase, r: LifecycleResult): string | undefined {
  if (!c.mustFailWith) return r.passed ? undefined : `${c.name} must pass (${c.proves}) but failed:\n${r.failures.join('\n')}\n${r.output}`;
  if (r.passed) return `${c.name}: the harness PASSED a sequence Terraform must refuse (${c.proves}):\n${r.output}`;
  if (!r.failures.some((f) => c.mustFailWith!.test(f))) return `${c.name} failed, but not with ${c.mustFailWith} (${c.proves}):\n${r.failures.join('\n')}\n${r.output}`;
  return undefined;
}

let proven: Promise<Record<string, LifecycleResult>> | undefined;

/** Runs every self-test case (once per process); the results by case name. */
export function selfTestResults(): Promise<Record<string, LifecycleResult>> {
  // Their inputs: this file and the bindings (the harness itself always counts).
  const sources = ['__tests__/support/lifecycle-selftest.ts', '__tests__/support/synth.ts', 'package-lock.json'];
  proven ??= Promise.all(SELF_TEST_CASES.map(async (c) => [c.name, await runLifecycle(c.name, c.steps, { sources })] as const)).then(Object.fromEntries);
  return proven;
}

/** Resolves when the harness failed every faulty sequence and passed every control; throws otherwise. */
export async function proveHarness(): Promise<void> {
  const results = await selfTestResults();
  const wrong = SELF_TEST_CASES.map((c) => judgeSelfTest(c, results[c.name])).filter((w): w is string => w !== undefined);
  if (wrong.length > 0) throw new Error(`the lifecycle harness's self-test failed, so no lifecycle sequence proves anything:\n${wrong.join('\n\n')}`);
}
