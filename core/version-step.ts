import { declare, int, optional, parse, strict } from './schema';
/**
 * The "one minor at a time" rule of upgrades, as pure code. Both Cilium ("the only tested rollback
 * and upgrade path is between consecutive minor releases", Cilium upgrade guide) and EKS ("update
 * one minor version at a time", EKS cluster update docs; a downgrade is not possible) follow it.
 *
 * The same rule is written twice: here in TypeScript (used at synth when the previous version is
 * given, and as the reference the tests compare against) and as a Terraform expression by
 * `versionStepCheck` (evaluated at plan time against what runs). The tests run both on one
 * table of cases.
 */

/** A `major.minor` pair. */
export interface MinorVersion {
  /** The major number: 1 for every Kubernetes and Cilium version the project reads. */
  readonly major: number;
  /** The minor number, e.g. 34 for Kubernetes 1.34 or 19 for Cilium 1.19. */
  readonly minor: number;
}

/** How far a version may move in one deploy. */
export interface VersionStepRule {
  /** The largest allowed step forward, in minors. @default 1 */
  readonly maxForward?: number;
  /** The largest allowed step back, in minors (0: no downgrade). @default 0 */
  readonly maxBackward?: number;
}
/** The declaration of {@link VersionStepRule}. */
export const VersionStepRuleSchema = declare<VersionStepRule>()(
  strict({ maxForward: optional(int(0, 100, 'a number of minors from 0 to 100')), maxBackward: optional(int(0, 100, 'a number of minors from 0 to 100')) }, 'a version step rule { maxForward?, maxBackward? }'),
);

/** What the rule says of a move. */
export interface VersionStepResult {
  /** True when the move is allowed (or nothing runs, or the running version cannot be read). */
  readonly ok: boolean;
  /** The running minor, when it could be read. @default - absent: nothing runs, or its version cannot be read */
  readonly runningMinor?: number;
  /** The next minor to deploy when `ok` is false: one step from the running one towards the target. @default - absent when `ok` */
  readonly nextMinor?: number;
}

/**
 * The minor of a version string: `1.19`, `1.19.6`, `v1.19.6`, or an image reference such as
 * `quay.io/cilium/cilium:v1.19.6@sha256:...` (the tag after the last `:` before any `@`). Only
 * major 1 is recognised, as in the Terraform expression; anything else gives undefined.
 */
export function parseMinor(version: string | null | undefined): number | undefined {
  if (version === null || version === undefined) return undefined;
  const m = VERSION_MINOR_RE.exec(version);
  return m ? Number(m[1]) : undefined;
}

/**
 * `1.<minor>` at the start of the string or after a `:` (an image tag), with an optional `v`,
 * followed by a `.` or the end. The Terraform expression uses the same pattern (RE2 and JavaScript
 * agree on it).
 */
export const VERSION_MINOR_PATTERN = '(?:^|:)v?1[.]([0-9]+)(?:[.]|$)';
const VERSION_MINOR_RE = new RegExp(VERSION_MINOR_PATTERN);

/**
 * Applies the rule to a move from `running` (undefined or null: nothing runs yet) to `target`.
 * A running version that cannot be read passes: the gate cannot judge it (documented in docs/day-2.md#how-a-jump-is-refused).
 */
export function versionStep(running: string | null | undefined, target: string, rule: VersionStepRule = {}): VersionStepResult {
  parse(VersionStepRuleSchema, rule, 'versionStep(rule)');
  const targetMinor = parseMinor(target);
  if (targetMinor === undefined) throw new Error(`versionStep: target ${JSON.stringify(target)} is not a 1.x version`);
  const runningMinor = parseMinor(running);
  if (runningMinor === undefined) return { ok: true };
  const diff = targetMinor - runningMinor;
  const maxForward = rule.maxForward ?? 1;
  const maxBackward = rule.maxBackward ?? 0;
  const ok = diff <= maxForward && -diff <= maxBackward;
  if (ok) return { ok, runningMinor };
  return { ok, runningMinor, nextMinor: diff > 0 ? runningMinor + 1 : runningMinor - (maxBackward > 0 ? 1 : 0) };
}
