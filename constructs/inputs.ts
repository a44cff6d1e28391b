/**
 * Declarations of what construct props hold besides plain data: constructs, Terraform resources
 * and providers the caller made. The project cannot judge them beyond their kind; a plain object
 * literal or a primitive where one belongs is refused. No `instanceof` on toolchain classes (two
 * copies may be loaded: constructs/cdktf.ts), so the checks read what every copy has.
 */
import { isPlainObject } from '../core/json';
import { list, opaque, v } from '../core/schema';
import type { ITerraformDependable, TerraformProvider } from './cdktf';

/** An object made by a constructor (a construct, a resource), not an object literal. */
const made = (x: unknown): boolean => typeof x === 'object' && x !== null && !Array.isArray(x) && !isPlainObject(x);

/** A resource or construct to wait for (`dependsOn`). */
export const dependable = opaque<ITerraformDependable>('a Terraform resource or construct to wait for', made);

/** A list of {@link dependable}s. */
export const dependables = (): v.GenericSchema<ITerraformDependable[]> => list(dependable);

/** A Terraform provider construct. */
export const provider = opaque<TerraformProvider>('a Terraform provider (new AwsProvider(...), new HelmProvider(...)...)', made);

/** A construct of the project or of a provider, as `what` says (`the EksControlPlane`). */
export function construct<T>(what: string): v.GenericSchema<T> {
  return opaque<T>(what, made);
}
