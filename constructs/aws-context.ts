import { Construct } from 'constructs';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { DataAwsServicePrincipal } from '@cdktf/provider-aws/lib/data-aws-service-principal';
import { partitionContext } from '../core/partition';
import { Token } from './cdktf';

/**
 * Where a cluster's ARNs and trust policies point: its partition, region and account, and the
 * IAM principals of the AWS services it trusts, all derived from the region.
 */
export interface AwsContext {
  /** `aws`, `aws-cn` or `aws-us-gov` (a data source token only when the region is one). */
  readonly partition: string;
  /**
   * The region the context was made for, as given to {@link awsContext} (`eu-west-1`, or a Terraform token):
   * the region of the regional service principals and of the ARNs built from this context.
   */
  readonly region: string;
  /**
   * The account the `aws` provider deploys into: `aws_caller_identity.account_id`, the same for
   * every principal that deploys into that account (no resource is keyed on who runs Terraform).
   */
  readonly accountId: string;
  /**
   * HCL address of the `aws_caller_identity` data source that gives {@link accountId}, for
   * plan-time checks that read who runs Terraform (`<address>.arn`); no resource may key off it.
   */
  readonly callerIdentityAddress: string;
  /** `<service>.<suffix>`, as `aws_service_principal.name` gives it (`ec2.amazonaws.com`). */
  servicePrincipal(service: string): string;
  /** `<service>.<region>.<suffix>`, as `aws_service_principal.id` gives it (`logs.cn-north-1.amazonaws.com.cn`). */
  regionalServicePrincipal(service: string): string;
}

/**
 * The {@link AwsContext} of `region`, its data sources created in `scope`. A region known at synth
 * (every region this project accepts) gives literal values ({@link partitionContext}), so every ARN
 * and principal is plain text in the plan; a region that is a Terraform token falls back to the
 * provider's `aws_partition` and `aws_service_principal` data sources.
 */
export function awsContext(scope: Construct, region: string): AwsContext {
  const caller = new DataAwsCallerIdentity(scope, 'account');
  const accountId = caller.accountId;
  const callerIdentityAddress = `data.${caller.terraformResourceType}.${caller.friendlyUniqueId}`;
  if (!Token.isUnresolved(region)) {
    const p = partitionContext(region);
    return { partition: p.partition, region, accountId, callerIdentityAddress, servicePrincipal: p.servicePrincipal, regionalServicePrincipal: p.regionalServicePrincipal };
  }
  const principals = new Map<string, DataAwsServicePrincipal>();
  const principal = (service: string): DataAwsServicePrincipal => {
    let ds = principals.get(service);
    if (!ds) {
      ds = new DataAwsServicePrincipal(scope, `service-principal-${service.replace(/[^A-Za-z0-9-]/g, '-')}`, { serviceName: service });
      principals.set(service, ds);
    }
    return ds;
  };
  return {
    partition: new DataAwsPartition(scope, 'partition').partition,
    region,
    accountId,
    callerIdentityAddress,
    servicePrincipal: (service) => principal(service).name,
    regionalServicePrincipal: (service) => principal(service).id,
  };
}
