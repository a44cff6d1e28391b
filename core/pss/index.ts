/** Pod Security Standards evaluator: public API. */
export * from './types';
export { evaluatePodSecurity, isCompliant, PSS_CHECK_IDS } from './evaluate';
export type { PssCheckId, PssFinding, PssLevel, PssOptions, PssTarget } from './evaluate';
