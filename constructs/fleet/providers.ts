import { IConstruct } from 'constructs';
import { IAspect, TerraformDataSource, TerraformProvider, TerraformResource } from '../cdktf';
import { declare, optional, strict } from '../../core/schema';
import { provider } from '../inputs';

/**
 * Providers for every resource and data source under one construct, by provider type. A stack
 * that holds several clusters (a fleet) has one `aws` provider per region and one `helm` and
 * `kubernetes` provider per cluster; the constructs below a cluster create their resources without
 * naming a provider, and this assigns them at synth.
 */
export interface ClusterProviders {
  /** For `aws_*` resources and data sources. @default - the stack's default `aws` provider */
  readonly aws?: TerraformProvider;
  /** For `helm_*` resources. @default - the stack's default `helm` provider */
  readonly helm?: TerraformProvider;
  /** For `kubernetes_*` resources. @default - the stack's default `kubernetes` provider */
  readonly kubernetes?: TerraformProvider;
}
/** The declaration of {@link ClusterProviders}. */
export const ClusterProvidersSchema = declare<ClusterProviders>()(
  strict({ aws: optional(provider), helm: optional(provider), kubernetes: optional(provider) }, 'cluster providers { aws?, helm?, kubernetes? }'),
);

/**
 * The Aspect behind {@link CiliumEksCluster.useProviders}: sets `provider` on every resource and
 * data source of the matching type that has none yet, including ones added after the call.
 */
export class ProviderAssignment implements IAspect {
  constructor(private readonly providers: ClusterProviders) {}

  visit(node: IConstruct): void {
    // The toolchain's own checks, not instanceof: a resource of another copy of the toolchain
    // (CDK Terrain's providers beside the cdktf alias) is a resource all the same (constructs/cdktf.ts).
    if (!TerraformResource.isTerraformResource(node) && !TerraformDataSource.isTerraformDataSource(node)) return;
    if (node.provider !== undefined) return;
    const type = node.terraformResourceType;
    const provider = type.startsWith('aws_')
      ? this.providers.aws
      : type.startsWith('helm_')
        ? this.providers.helm
        : type.startsWith('kubernetes_')
          ? this.providers.kubernetes
          : undefined;
    if (provider !== undefined) node.provider = provider;
  }
}
