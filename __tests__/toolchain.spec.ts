/**
 * The toolchain seams that let one library serve cdktf 0.21 and CDK Terrain (cdktn): resources of
 * a second copy of the toolchain (what an app on CDK Terrain holds beside the `cdktf` alias) are
 * recognised, the chart's asset path is the toolchain-independent hash, and token stack traces are
 * off under both. The installed-package comparison of cdktf and cdktn synths is in
 * cdktn-consumer.spec.ts (package group).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Lazy, Testing, TerraformResource, TerraformStack, Tokenization } from 'cdktf';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { ProviderAssignment } from '../constructs/fleet/providers';
import { manifestsChartDir, manifestsChartHash } from '../constructs/manifest-release';
import { defaultStack, resourcesOfType, synthStack } from './support/synth';

describe('a second copy of the toolchain', () => {
  /** cdktf and the AWS provider loaded again, in a registry of their own: another copy of each class. */
  function secondCopy(): { TerraformResource: typeof TerraformResource; S3Bucket: typeof S3Bucket } {
    let copy: { TerraformResource: typeof TerraformResource; S3Bucket: typeof S3Bucket } | undefined;
    // constructs stays the one copy the app has, as npm resolves it for both.
    const constructs = jest.requireActual<typeof import('constructs')>('constructs');
    jest.isolateModules(() => {
      jest.doMock('constructs', () => constructs);
      copy = {
        TerraformResource: (jest.requireActual('cdktf') as typeof import('cdktf')).TerraformResource,
        S3Bucket: (jest.requireActual('@cdktf/provider-aws/lib/s3-bucket') as typeof import('@cdktf/provider-aws/lib/s3-bucket')).S3Bucket,
      };
    });
    jest.dontMock('constructs');
    return copy!;
  }

  test("gets its provider from a cluster's provider assignment, though instanceof says it is no resource", () => {
    // GIVEN a resource made with the second copy's classes in a stack of the first
    const other = secondCopy();
    const stack = new TerraformStack(Testing.app(), 'copies');
    const provider = new AwsProvider(stack, 'eu', { region: 'eu-west-1', alias: 'eu' });
    const bucket = new other.S3Bucket(stack, 'bucket', {});
    expect(other.TerraformResource).not.toBe(TerraformResource);
    // eslint-disable-next-line cilium-eks/no-toolchain-instanceof -- the point of the test: instanceof fails across copies
    expect(bucket instanceof TerraformResource).toBe(false);
    // WHEN
    new ProviderAssignment({ aws: provider }).visit(bucket);
    // THEN
    expect(JSON.parse(synthStack(stack)).resource.aws_s3_bucket.bucket.provider).toBe('aws.eu');
  });
});

describe("the chart's asset path", () => {
  test("is cdktf 0.21's own hash of the chart directory, given to the asset, so no toolchain flag changes it", () => {
    const { hashPath } = jest.requireActual('cdktf/lib/private/fs') as { hashPath: (dir: string) => string };
    expect(manifestsChartHash()).toBe(hashPath(manifestsChartDir()));
    const charts = resourcesOfType(defaultStack().tf, 'helm_release')
      .map((r) => String(r.chart))
      .filter((c) => c.startsWith('assets/'));
    expect(charts.length).toBeGreaterThan(0);
    for (const c of charts) expect(c).toBe(path.posix.join('assets', 'cilium-eks-manifests-chart', manifestsChartHash()));
  });
});

describe('token stack traces', () => {
  test('are off for cdktf tokens and for every CDK Terrain copy (its switch is set for the process)', () => {
    // The test setup (support/synth-as-the-app.ts) calls disableTokenStackTraces(), as the bundled app does.
    const token = Tokenization.reverseString(Lazy.stringValue({ produce: () => 'x' })).firstToken;
    expect(token?.creationStack).toEqual([]);
    expect(process.env.CDKTN_DISABLE_CREATION_STACK).toBe('1');
  });
});

describe('the Terraform version check (checkTerraformVersionOnce, called by the bundled app)', () => {
  const ENTRY = path.join(__dirname, '__fixtures__', 'version-probe', 'main.ts');

  /** The app command on the fixture with a `terraform` first on the PATH that answers `version` with `version` and logs its calls. */
  function synthWithTerraform(version: string): { status: number | null; stderr: string; calls: number } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cilium-eks-tf-stub-'));
    try {
      const log = path.join(dir, 'calls');
      fs.mkdirSync(path.join(dir, 'bin'));
      fs.writeFileSync(path.join(dir, 'bin', 'terraform'), `#!/bin/sh\necho "$*" >> '${log}'\necho 'Terraform v${version}'\n`, { mode: 0o755 });
      const run = spawnSync(process.execPath, [path.join(__dirname, '..', 'scripts', 'app.js'), ENTRY], {
        encoding: 'utf8',
        env: { ...process.env, PATH: `${path.join(dir, 'bin')}${path.delimiter}${process.env.PATH ?? ''}`, CDKTF_OUTDIR: path.join(dir, 'out') },
      });
      const calls = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n').filter(Boolean) : [];
      expect(new Set(calls)).toEqual(new Set(['version']));
      return { status: run.status, stderr: run.stderr, calls: calls.length };
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  test('runs `terraform version` once for six resources that each carry the check, not six times', () => {
    const run = synthWithTerraform('1.11.4');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.calls).toBe(1);
  });

  test('still fails the synth on a Terraform older than a construct needs, with cdktf\'s message for each construct', () => {
    const run = synthWithTerraform('1.3.9');
    expect(run.status).not.toBe(0);
    expect(run.stderr.match(/terraform version 1\.3\.9 is lower than the required version >=1\.4/g)).toHaveLength(6);
    expect(run.calls).toBe(1);
  });
});
