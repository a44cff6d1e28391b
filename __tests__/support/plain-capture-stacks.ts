/**
 * cdktf records where every token was created (`captureStackTrace` in cdktf's lazy and intrinsic
 * tokens: a full-depth stack, formatted at once, thousands of times per synth). Under Jest each of
 * those goes through the source-map support Jest installs, which maps every frame through the
 * inline source maps of cdktf and of the transpiled tests: about a tenth of a synthesizing test
 * file's time, for text nobody reads unless a token fails to resolve.
 *
 * Those captures are into a plain object, never an `Error`: this formats them as V8 does by default
 * (unmapped frames, the innermost few) and leaves every `Error`'s stack to the source-map support, so a failing
 * test's trace still points at TypeScript lines. Loaded through `setupFilesAfterEnv`
 * (jest.config.js), after Jest installed the source-map support.
 */
const mapped = Error.prepareStackTrace;

/** Frames kept of a capture: enough to find where a token was made; all of them cost as much again. */
const CAPTURED_FRAMES = 12;

if (mapped) {
  Error.prepareStackTrace = (error: unknown, frames: NodeJS.CallSite[]): unknown =>
    error instanceof Error ? mapped(error, frames) : `${String(error)}\n${frames.slice(0, CAPTURED_FRAMES).map((f) => `    at ${String(f)}`).join('\n')}`;
}
