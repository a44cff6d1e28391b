/**
 * Tests synthesize as the bundled app does (main.ts): without cdktf's per-token creation stack
 * traces (`disableTokenStackTraces()`). Under Jest each capture would also go through the
 * source-map support Jest installs, frame by frame: about a tenth of a synthesizing test file's
 * time. `CILIUM_EKS_TOKEN_STACK_TRACES=1` keeps them, as in the app, when a test's synth error
 * needs a token's creation stack. Loaded through `setupFilesAfterEnv` (jest.config.js) into every
 * test file's own module registry; the switch's module loads one private cdktf file, not the
 * package, so a test file that synthesizes nothing stays light.
 */
import { disableTokenStackTraces } from '../../constructs/token-stack-traces';

disableTokenStackTraces();
