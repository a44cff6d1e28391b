/**
 * Top-level Terraform blocks cdktf 0.21 cannot write itself (its `importFrom` has no
 * `for_each`, and it has no `removed` block), Terraform >= 1.7 (1.9 for a `removed` block's provisioners):
 *
 * - `import` with `for_each`: adopt a log group that exists already (kept by an earlier destroy of a
 *   cluster of the same name) instead of failing the apply with ResourceAlreadyExistsException.
 *   When the resource is in the state already, the import is a no-op (checked with Terraform 1.11
 *   and mocked providers in the tests).
 * - `removed` with `lifecycle { destroy = false }`: forget a resource without destroying it (the
 *   0.1.0 evidence key, which a plain removal would schedule for deletion).
 */
import { Construct } from 'constructs';
import { TerraformElement, TerraformResource } from '../cdktf';
import { JsonObject } from '../../core/yaml';

/** A top-level block given as a function of synthesis (addresses are known only then). */
class TopLevelBlock extends TerraformElement {
  constructor(
    scope: Construct,
    id: string,
    private readonly block: () => JsonObject,
  ) {
    super(scope, id);
  }

  public override toTerraform(): JsonObject {
    return this.block();
  }

  public override toHclTerraform(): JsonObject {
    return this.block();
  }
}

/** The Terraform address of a resource (`aws_cloudwatch_log_group.<logical id>`). */
export function addressOf(resource: TerraformResource): string {
  return `${resource.terraformResourceType}.${resource.friendlyUniqueId}`;
}

/**
 * Imports `resource` under `id` when `existingIds` (a Terraform expression giving a list, read at
 * plan time) holds `id`: `import { for_each = contains(list, id) ? [id] : [], to, id = each.value }`.
 */
export function importWhenListed(scope: Construct, constructId: string, resource: TerraformResource, existingIds: string, id: string): void {
  const literal = JSON.stringify(id);
  new TopLevelBlock(scope, constructId, () => ({
    import: [{ for_each: `\${contains(${existingIds}, ${literal}) ? toset([${literal}]) : toset([])}`, to: addressOf(resource), id: '${each.value}' }],
  }));
}

/** A `local-exec` provisioner as Terraform JSON writes it. */
export interface LocalExec {
  readonly command: string;
  readonly interpreter?: readonly string[];
  /** Values may read `self` (the object being destroyed, from the state). */
  readonly environment?: Readonly<Record<string, string>>;
}

/**
 * `removed { from = address; lifecycle { destroy = true }; provisioner "local-exec" { when = destroy ... } }`
 * (Terraform >= 1.9, hashicorp/terraform #35230): a resource whose block leaves the configuration
 * is destroyed WITH its destroy-time provisioners, which Terraform otherwise drops together with the
 * block (hashicorp/terraform #13549). `self` is the object in the state. A no-op when the state
 * holds no such object (checked with Terraform 1.11 in the lifecycle tests).
 */
export function destroyWithProvisioners(scope: Construct, constructId: string, address: () => string, provisioners: readonly LocalExec[]): void {
  new TopLevelBlock(scope, constructId, () => ({
    removed: [{ from: address(), lifecycle: { destroy: true }, provisioner: provisioners.map((p) => ({ 'local-exec': { ...p, when: 'destroy' } })) as unknown as JsonObject[] }],
  }));
}

/** `removed { from = address; lifecycle { destroy = false } }`: Terraform forgets it and AWS keeps it. */
export function forgetWithoutDestroying(scope: Construct, constructId: string, address: () => string): void {
  new TopLevelBlock(scope, constructId, () => ({ removed: [{ from: address(), lifecycle: { destroy: false } }] }));
}
