/**
 * The toolchain seams that let one library serve cdktf 0.21 and CDK Terrain (cdktn): resources of
 * a second copy of the toolchain (what an app on CDK Terrain holds beside the `cdktf` alias) are
 * recognised, the chart's asset path is the toolchain-independent hash, and token stack traces are
 * off under both. The installed-package comparison of cdktf and cdktn synths is in
 * cdktn-consumer.spec.ts (package group).
 */
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
    // The test setup calls disableTokenStackTraces(), as the bundled app does.
    const token = Tokenization.reverseString(Lazy.stringValue({ produce: () => 'x' })).firstToken;
    expect(token?.creationStack).toEqual([]);
    expect(process.env.CDKTN_DISABLE_CREATION_STACK).toBe('1');
  });
});
