/**
 * cdktf 0.21.0 records a full stack trace each time it creates a token (dozens per resource),
 * only to print it if the token can never be resolved: about a quarter of synth CPU time and a
 * third of peak memory for a cluster stack (see `npm run bench`). This switches that recording
 * off for the process, under both toolchains:
 * - cdktf 0.21.0 (the last release, so the private module patched here cannot move under a pinned
 *   version): its `captureStackTrace`, which every token constructor calls through the module's
 *   exports, answers nothing;
 * - CDK Terrain (`cdktn`, also when installed under the `cdktf` alias): its tokens call
 *   `captureCreationStack`, which reads `CDKTN_DISABLE_CREATION_STACK` on each call; the variable is
 *   set for the process, so every copy of cdktn in it (the app's own and the alias) records none,
 *   and the exported function of the copy loaded here is replaced as for cdktf.
 *
 * The bundled app calls it; a library user may call it in their own app. It does nothing while
 * `CILIUM_EKS_TOKEN_STACK_TRACES=1` (set that when a synth error needs a token's creation stack).
 */
export function disableTokenStackTraces(): void {
  if (process.env.CILIUM_EKS_TOKEN_STACK_TRACES === '1') return;
  process.env.CDKTN_DISABLE_CREATION_STACK = '1';
  const stackTrace = require('cdktf/lib/tokens/private/stack-trace') as { captureStackTrace: () => string[]; captureCreationStack?: () => string[] };
  stackTrace.captureStackTrace = (): string[] => [];
  if (typeof stackTrace.captureCreationStack === 'function') stackTrace.captureCreationStack = (): string[] => [];
}
