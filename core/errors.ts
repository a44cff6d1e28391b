/**
 * One error shape for every synth-time validation in the project: the message names the
 * property, the value received and what is allowed (and, where there is one, the upstream reason).
 */
export class ValidationError extends Error {
  constructor(
    /** Dotted path of the property, as the user wrote it (`nodeGroup.minSize`). */
    public readonly property: string,
    /** The value that was rejected. */
    public readonly value: unknown,
    /** What would have been accepted. */
    public readonly allowed: string,
    /** Why, where an upstream fact forces it. */
    public readonly reason?: string,
  ) {
    super(`${property}: ${describeValue(value)} is not valid; allowed: ${allowed}${reason ? ` (${reason})` : ''}`);
    this.name = 'ValidationError';
  }
}

/** Renders a value for an error message without throwing on cycles or unresolved tokens. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  // JSON would print NaN and Infinity as null.
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Throws a {@link ValidationError} unless `ok` holds. */
export function check(ok: boolean, property: string, value: unknown, allowed: string, reason?: string): void {
  if (!ok) throw new ValidationError(property, value, allowed, reason);
}
