/**
 * AWS regions per partition, to refuse a region name that does not exist at synth (a typo such
 * as `eu-west-4` would otherwise fail at `terraform plan` with a provider error, or worse, build
 * names and policies for a region nobody deploys to).
 *
 * Source: botocore `botocore/data/partitions.json` (boto/botocore, stored snapshot commit
 * 3fb20494519e, read 2026-11-28) for aws, aws-cn and aws-us-gov. Regions opened after that
 * snapshot are added from AWS's region announcements and marked: ap-east-2 (Taipei),
 * ap-southeast-6 (New Zealand), ap-southeast-7 (Thailand) and mx-central-1 (Mexico) (unverified
 * against a partitions.json here). The ISO partitions are left out: EKS there is not a target of
 * this project. A new region is one line below.
 */
import { ValidationError } from './errors';

/** Partitions the project builds clusters in. */
export type AwsPartition = 'aws' | 'aws-cn' | 'aws-us-gov';

/**
 * The region names of each partition the project builds in (`aws`, `aws-cn`, `aws-us-gov`), from
 * botocore's partitions.json plus the later regions marked above: a region outside every list is
 * refused at synth (`assertRegion`), and {@link partitionOf} reads the partition from it.
 */
export const AWS_REGIONS: Readonly<Record<AwsPartition, readonly string[]>> = Object.freeze({
  aws: [
    'af-south-1',
    'ap-east-1',
    'ap-east-2', // announcement, not in the stored partitions.json
    'ap-northeast-1',
    'ap-northeast-2',
    'ap-northeast-3',
    'ap-south-1',
    'ap-south-2',
    'ap-southeast-1',
    'ap-southeast-2',
    'ap-southeast-3',
    'ap-southeast-4',
    'ap-southeast-5',
    'ap-southeast-6', // announcement, not in the stored partitions.json
    'ap-southeast-7', // announcement, not in the stored partitions.json
    'ca-central-1',
    'ca-west-1',
    'eu-central-1',
    'eu-central-2',
    'eu-north-1',
    'eu-south-1',
    'eu-south-2',
    'eu-west-1',
    'eu-west-2',
    'eu-west-3',
    'il-central-1',
    'me-central-1',
    'me-south-1',
    'mx-central-1', // announcement, not in the stored partitions.json
    'sa-east-1',
    'us-east-1',
    'us-east-2',
    'us-west-1',
    'us-west-2',
  ],
  'aws-cn': ['cn-north-1', 'cn-northwest-1'],
  'aws-us-gov': ['us-gov-east-1', 'us-gov-west-1'],
});

/** The partition of `region`, or undefined when no partition lists it. */
export function partitionOf(region: string): AwsPartition | undefined {
  return (Object.keys(AWS_REGIONS) as AwsPartition[]).find((p) => AWS_REGIONS[p].includes(region));
}

/** Throws a {@link ValidationError} naming `property` unless `region` is listed in {@link AWS_REGIONS}. */
export function assertRegion(region: string, property = 'region'): AwsPartition {
  const partition = partitionOf(region);
  if (partition === undefined) {
    const all = Object.entries(AWS_REGIONS).map(([p, rs]) => `${p}: ${rs.join(', ')}`);
    throw new ValidationError(property, region, `an AWS region (${all.join('; ')})`, 'the region list of botocore partitions.json; see core/regions.ts');
  }
  return partition;
}

/**
 * Throws unless `zone` is an availability zone name of `region`: the region followed by a letter
 * (`eu-west-1a`), or a Local Zone of it (`us-west-2-lax-1a`).
 */
export function assertZoneOfRegion(zone: string, region: string, property: string): void {
  const ok = typeof zone === 'string' && (new RegExp(`^${region}[a-z]$`).test(zone) || new RegExp(`^${region}-[a-z]+-\\d+[a-z]$`).test(zone));
  if (!ok) throw new ValidationError(property, zone, `an availability zone of ${region} (${region}a, ${region}b, ...)`, 'subnets can only be created in zones of the stack\'s region');
}
