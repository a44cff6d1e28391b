/**
 * cdktf 0.21.0 records a full stack trace each time it creates a token (dozens per resource),
 * only to print it if the token can never be resolved: about a quarter of synth CPU time and a
 * third of peak memory for a cluster stack (see `npm run bench`). This switches that recording
 * off for the process. cdktf 0.21.0 is the last release, so the private module it patches cannot
 * move under a pinned version; the community fork has the same switch as `CDKTN_DISABLE_CREATION_STACK`.
 *
 * The bundled app calls it; a library user may call it in their own app. It does nothing while
 * `CILIUM_EKS_TOKEN_STACK_TRACES=1` (set that when a synth error needs a token's creation stack).
 */
export function disableTokenStackTraces(): void {
  if (process.env.CILIUM_EKS_TOKEN_STACK_TRACES === '1') return;
  const stackTrace = require('cdktf/lib/tokens/private/stack-trace') as { captureStackTrace: () => string[] };
  stackTrace.captureStackTrace = (): string[] => [];
}
