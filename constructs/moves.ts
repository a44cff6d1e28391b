/**
 * Stable construct ids for items a user lists, and `moved` blocks from the ids 0.1.0 gave them by
 * position, so upgrading moves Terraform state instead of replacing resources.
 */
import { Construct } from 'constructs';
import { TerraformResource, TerraformStack, Token } from './cdktf';

/**
 * A construct id keyed by what an item is (a subnet ID, a principal ARN), so removing one item
 * changes only its own resources. A Terraform token cannot be a key: it falls back to the position.
 */
export function stableId(prefix: string, key: string, index: number): string {
  if (Token.isUnresolved(key)) return `${prefix}-${index}`;
  return `${prefix}-${key.replace(/[^A-Za-z0-9_-]+/g, '-')}`;
}

/**
 * Emits a Terraform `moved` block from the 0.1.0 address (`legacyId` under `parent`) to `resource`,
 * so an upgrade moves the state instead of replacing the resource. A `moved` block whose source is
 * not in the state does nothing.
 */
export function moveFromLegacyId(resource: TerraformResource, legacyId: string, parent: Construct): void {
  if (resource.node.id === legacyId || parent.node.tryFindChild(legacyId) !== undefined) return;
  const probe = new Construct(parent, legacyId);
  const legacyLogicalId = TerraformStack.of(parent).getLogicalId(probe.node);
  parent.node.tryRemoveChild(legacyId);
  resource.moveFromId(`${resource.terraformResourceType}.${legacyLogicalId}`);
}
