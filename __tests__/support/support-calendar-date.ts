/**
 * Every app a test makes judges the EKS support calendar on one fixed day, so that no test changes
 * its outcome with the date it runs on: cdktf's `App` (and CDK Terrain's) reads context from
 * `CDKTF_CONTEXT_JSON`, as the CLI passes cdktf.json's context, and child processes (the bundled
 * app, the consumer apps) inherit it. The calendar's own tests pass their days explicitly, and one
 * test shows that without the context the day is today's. Loaded through `setupFilesAfterEnv`
 * (jest.config.js).
 */
import { SUPPORT_CALENDAR_DATE_CONTEXT } from '../../core/eks-support';

/** The day the tests judge the calendar on: the day the current defaults were chosen. */
export const TEST_SUPPORT_CALENDAR_DATE = '2026-12-04';

const context = JSON.parse(process.env.CDKTF_CONTEXT_JSON ?? '{}') as Record<string, unknown>;
process.env.CDKTF_CONTEXT_JSON = JSON.stringify({ ...context, [SUPPORT_CALENDAR_DATE_CONTEXT]: TEST_SUPPORT_CALENDAR_DATE });
