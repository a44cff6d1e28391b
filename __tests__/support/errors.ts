import { ValidationError } from '../../core/errors';

/** Runs `fn` and returns the ValidationError it throws; fails if it throws nothing or something else. */
export function thrown(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ValidationError) return e;
    throw e;
  }
  throw new Error('expected a ValidationError');
}
