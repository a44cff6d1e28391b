/**
 * The lifecycle harness fails where Terraform fails (support/lifecycle-selftest.ts): a for_each over
 * a value unknown until apply, and a provider configuration removed together with its resources,
 * for the mocked AWS provider and for a stood-in one; each beside a control that must pass.
 */
import { judgeSelfTest, SELF_TEST_CASES, selfTestResults } from './support/lifecycle-selftest';
import { awsProviderSchema, environment, LIFECYCLE_TIMEOUT_MS, stripUnknownAwsArguments } from './support/lifecycle';

describe.each(SELF_TEST_CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
  test(c.mustFailWith ? `Terraform refuses it and so does the harness: ${c.proves}` : `passes: ${c.proves}`, async () => {
    const results = await selfTestResults();
    expect(judgeSelfTest(c, results[c.name])).toBeUndefined();
  }, LIFECYCLE_TIMEOUT_MS);
});

describe('version skew', () => {
  test('an argument the provider in use lacks is removed and listed, nested ones with their path', () => {
    const env = environment();
    const tf = {
      resource: { aws_vpc: { a: { cidr_block: '10.0.0.0/16', not_an_argument: true } }, aws_eks_cluster: { c: { name: 'c', role_arn: 'arn', vpc_config: { subnet_ids: [], not_nested: 1 } } } },
      data: { aws_region: { r: { also_not: 'x' } } },
      provider: { aws: [{ region: 'eu-west-1', nor_this: 1 }] },
    };
    const { tf: stripped, removed } = stripUnknownAwsArguments(tf, awsProviderSchema(env));
    expect(removed).toEqual(['aws_eks_cluster.vpc_config.not_nested', 'aws_vpc.not_an_argument', 'data.aws_region.also_not', 'provider.aws.nor_this']);
    expect(stripped.resource).toEqual({ aws_vpc: { a: { cidr_block: '10.0.0.0/16' } }, aws_eks_cluster: { c: { name: 'c', role_arn: 'arn', vpc_config: { subnet_ids: [] } } } });
  }, LIFECYCLE_TIMEOUT_MS);
});
