/**
 * Declarations of what construct props hold besides plain data: constructs, Terraform resources
 * and providers the caller made. The project cannot judge them beyond their kind; a plain object
 * literal or a primitive where one belongs is refused. No `instanceof` on toolchain classes (two
 * copies may be loaded: constructs/cdktf.ts), so the checks read what every copy has.
 */
import { isPlainObject } from '../core/json';
import { list, opaque, pattern, v } from '../core/schema';
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

/** An EKS cluster name, by the CreateCluster rule (a token is judged where it resolves). */
export const clusterName = (): v.GenericSchema<string> =>
  pattern(/^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/, 'an EKS cluster name: 1 to 100 letters, digits, hyphens and underscores, starting with a letter or digit', 'the EKS CreateCluster name rule');

/** A prefix of AWS resource names the project derives (IAM roles, policies): letters, digits and `+=,.@_-`. */
export const namePrefix = (): v.GenericSchema<string> => pattern(/^[\w+=,.@-]{1,100}$/, 'a name prefix: 1 to 100 letters, digits and + = , . @ _ -', 'the characters IAM names allow');

/** An AWS partition. */
export const partition = (): v.GenericSchema<string> => pattern(/^aws(-cn|-us-gov)?$/, 'an AWS partition: aws, aws-cn or aws-us-gov');
