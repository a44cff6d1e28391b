import { ValidationError } from '../../core/errors';

/**
 * The tests' one way to expect a {@link ValidationError}: runs `fn` and returns the error it
 * throws; fails if it throws nothing or something else, or, when `message` is given, if the
 * message does not match it.
 */
export function thrown(fn: () => unknown, message?: RegExp | string): ValidationError {
  let error: ValidationError | undefined;
  try {
    fn();
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    error = e;
  }
  if (error === undefined) throw new Error('expected a ValidationError');
  if (message !== undefined) expect(error.message).toMatch(message);
  return error;
}
