/**
 * AWS partitions: the ARN prefix and the IAM service principals of a region, derived at synth from
 * the region (which `AWS_REGIONS` maps to its partition). Pure: no cdktf.
 *
 * Service principals follow the AWS provider's `aws_service_principal` data source, whose table
 * (terraform-provider-aws `ServicePrincipalNameForPartition`, "taken from aws-cdk region-info
 * default.ts") gives every service `<service>.amazonaws.com` except, in aws-cn, `codedeploy`,
 * `elasticmapreduce` and `logs`, which take the partition's DNS suffix `amazonaws.com.cn`. The
 * data source's `name` is `<service>.<suffix>` and its `id` `<service>.<region>.<suffix>` (the
 * regional form a KMS key policy names CloudWatch Logs by). The project's tests compare both
 * functions with the real provider's data source for every service the stacks use, in a region of
 * each partition (the first-apply tests). terraform-aws-eks derives its principals from
 * the same data source since v21.6 (#3539) and trusts `ec2.amazonaws.com` for managed node groups
 * in every partition.
 *
 * The ISO partitions are not targets of the project (`AWS_REGIONS`); their exceptions are left out.
 */
import { AwsPartition, assertRegion } from './regions';

/** DNS suffix of each partition (the AWS provider's `aws_partition.dns_suffix`). */
export const PARTITION_DNS_SUFFIX: Readonly<Record<AwsPartition, string>> = Object.freeze({
  aws: 'amazonaws.com',
  'aws-cn': 'amazonaws.com.cn',
  'aws-us-gov': 'amazonaws.com',
});

/** Services whose principal takes the partition's DNS suffix rather than `amazonaws.com`. */
const DNS_SUFFIX_PRINCIPALS: Readonly<Record<AwsPartition, readonly string[]>> = Object.freeze({
  aws: [],
  'aws-cn': ['codedeploy', 'elasticmapreduce', 'logs'],
  'aws-us-gov': [],
});

/** The suffix of `service`'s principal in `partition` (the data source's `suffix`). */
function principalSuffix(service: string, partition: AwsPartition): string {
  return DNS_SUFFIX_PRINCIPALS[partition].includes(service) ? PARTITION_DNS_SUFFIX[partition] : 'amazonaws.com';
}

/**
 * The global principal of `service` in `partition`. A partition that is not one of the three (a
 * Terraform token) is accepted for a service whose principal is the same in all three; for one
 * that differs (`logs`, ...) use {@link partitionContext} or the provider's data source.
 */
export function servicePrincipal(service: string, partition: string): string {
  if (partition in DNS_SUFFIX_PRINCIPALS) return `${service}.${principalSuffix(service, partition as AwsPartition)}`;
  const differs = (Object.keys(DNS_SUFFIX_PRINCIPALS) as AwsPartition[]).filter((p) => DNS_SUFFIX_PRINCIPALS[p].includes(service));
  if (differs.length > 0) throw new Error(`servicePrincipal(${service}): the principal differs in ${differs.join(', ')}; it needs a known partition`);
  return `${service}.amazonaws.com`;
}

/** What a stack in one region derives from its partition. */
export interface PartitionContext {
  /** `aws`, `aws-cn` or `aws-us-gov`: the second field of every ARN. */
  readonly partition: AwsPartition;
  /** The region the context was made for, e.g. `eu-west-1` or `cn-north-1`; it is in {@link AWS_REGIONS} of `partition`. */
  readonly region: string;
  /** The global principal of `service` (`ec2.amazonaws.com`): `aws_service_principal.name`. */
  servicePrincipal(service: string): string;
  /** The regional principal (`logs.cn-north-1.amazonaws.com.cn`): `aws_service_principal.id`. */
  regionalServicePrincipal(service: string): string;
}

/** The partition context of `region`; throws a ValidationError naming `property` for an unknown region. */
export function partitionContext(region: string, property = 'region'): PartitionContext {
  const partition = assertRegion(region, property);
  return Object.freeze({
    partition,
    region,
    servicePrincipal: (service: string) => servicePrincipal(service, partition),
    regionalServicePrincipal: (service: string) => `${service}.${region}.${principalSuffix(service, partition)}`,
  });
}
