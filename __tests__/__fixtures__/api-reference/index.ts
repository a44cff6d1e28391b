/**
 * What the API reference check must refuse (scripts/api-reference.js --self-test renders this
 * file with typedoc.json's settings): each member below carries one mistake.
 */

/** A props interface with one mistake per member. */
export interface ProbeProps {
  readonly undocumented?: string;
  /** Points at a name that is not exported: {@link NotExported}. */
  readonly brokenLink?: string;
  /** Typed by an interface the entry point does not export. */
  readonly hiddenType?: NotExported;
  /**
   * Carries a tag TypeDoc does not know.
   * @unknowntag anything
   */
  readonly unknownTag?: string;
}

/** Not exported, but named by {@link ProbeProps.hiddenType}. */
interface NotExported {
  /** A member. */
  readonly value: string;
}
