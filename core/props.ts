/**
 * Error paths of building blocks, named as the user wrote them. (Unknown keys and every other
 * check of a props type are its declaration's: the schema module.)
 */
import { ValidationError } from './errors';

/**
 * Runs `fn`; a {@link ValidationError} it throws is thrown again with `prefix` before its
 * property, so an error raised by a building block names the property as the user wrote it
 * (`securityChecks.suppress.x` rather than `suppress.x`).
 */
export function withPropertyPrefix<T>(prefix: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ValidationError) throw new ValidationError(`${prefix}.${e.property}`, e.value, e.allowed, e.reason);
    throw e;
  }
}

/**
 * Runs `fn`; a {@link ValidationError} it throws is thrown again naming `property` instead (a
 * builder's internal name such as `Fqdn.name` becomes the place the user wrote the value).
 */
export function withProperty<T>(property: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ValidationError) throw new ValidationError(property, e.value, e.allowed, e.reason);
    throw e;
  }
}
