/**
 * The EKS support calendar as data: for every Kubernetes minor the project accepts, when EKS
 * released it, when its standard support ends and when its extended support ends. Pure: the date
 * it is judged against is an argument, so a synthesized plan never depends on the day it was made
 * (only the synth warnings do).
 *
 * Sources:
 * - [lifecycle] EKS User Guide, "Understand the Kubernetes version lifecycle on EKS"
 *   (https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html): standard support
 *   for 14 months after the EKS release, then extended support for 12 more "at an additional cost
 *   per cluster hour"; extended support is on by default; a cluster still on a version when its
 *   extended support ends "is auto-upgraded to the oldest currently supported extended version".
 * - [eol] endoflife.date, product `amazon-eks` (endoflife-date/endoflife.date
 *   `products/amazon-eks.md`, commit a70eca33, 2026-08-22): the end dates are read by that site from
 *   the release calendar table of [lifecycle] ("End of standard support", "End of extended
 *   support"); its release dates are the first EKS platform version of each minor. The same page
 *   and the EKS pricing page state the extended-support price per cluster-hour.
 *
 * Check for changes (and for a new minor) on the [lifecycle] page or with
 * `curl -s https://endoflife.date/api/amazon-eks.json`.
 */
import { ValidationError } from './errors';

/** The dates of one Kubernetes minor on EKS, as `YYYY-MM-DD` (UTC days). */
export interface EksVersionDates {
  /** First EKS platform version of the minor [eol]. */
  readonly released: string;
  /** End of standard support: from this day the version is in extended support, billed per cluster-hour [lifecycle]. */
  readonly endOfStandardSupport: string;
  /** End of extended support: from this day EKS upgrades the cluster itself [lifecycle]. */
  readonly endOfExtendedSupport: string;
}

/** Where the dates come from, for messages. */
export const EKS_SUPPORT_CALENDAR_SOURCE = 'EKS "Kubernetes version lifecycle" release calendar; endoflife.date amazon-eks';

/**
 * The calendar, oldest first. A minor is added here when EKS releases it (and the AL2023 AMI ships
 * it: AL2023_KERNEL_BY_KUBERNETES_VERSION); one whose extended support has ended stays, so that the error for it names
 * the dates instead of "unknown version".
 */
export const EKS_SUPPORT_CALENDAR: Readonly<Record<string, EksVersionDates>> = Object.freeze({
  '1.31': { released: '2024-09-26', endOfStandardSupport: '2025-11-26', endOfExtendedSupport: '2026-11-26' },
  '1.32': { released: '2025-01-25', endOfStandardSupport: '2026-03-23', endOfExtendedSupport: '2027-03-23' },
  '1.33': { released: '2025-05-28', endOfStandardSupport: '2026-07-29', endOfExtendedSupport: '2027-07-29' },
  '1.34': { released: '2025-10-06', endOfStandardSupport: '2026-12-02', endOfExtendedSupport: '2027-12-02' },
  '1.35': { released: '2026-01-28', endOfStandardSupport: '2027-03-27', endOfExtendedSupport: '2028-03-27' },
  '1.36': { released: '2026-06-02', endOfStandardSupport: '2027-08-02', endOfExtendedSupport: '2028-08-02' },
});

/**
 * App context key of the day the support calendar is judged on (`YYYY-MM-DD`). Unset: today (UTC).
 * Tests set it, so that what they assert does not change with the date; it changes only the synth
 * warnings and the refusal of a version past extended support, never the synthesized output.
 */
export const SUPPORT_CALENDAR_DATE_CONTEXT = 'cilium-eks:supportCalendarDate';

/** The synth warns from this many days before extended support starts (the end of standard support). */
export const SUPPORT_WARNING_DAYS = 90;

/**
 * Where a version stands on a day:
 * - `standard`: in standard support, more than {@link SUPPORT_WARNING_DAYS} days left;
 * - `standard-ending`: in standard support, extended support starts within the window;
 * - `extended`: in extended support (billed per cluster-hour at a higher price);
 * - `ended`: past extended support (EKS upgrades the cluster itself).
 */
export type EksSupportPhase = 'standard' | 'standard-ending' | 'extended' | 'ended';

/**
 * Where one Kubernetes minor stands on EKS's support calendar on a given day
 * ({@link eksSupportStatus}): its dates, its phase and the days left in it.
 */
export interface EksSupportStatus extends EksVersionDates {
  /** The Kubernetes minor, e.g. `1.34`, as in the calendar. */
  readonly version: string;
  /** The support phase on the day asked: `standard`, `standard-ending`, `extended` or `ended` (see {@link EksSupportPhase}). */
  readonly phase: EksSupportPhase;
  /** Days from `today` to the end of standard support (`standard`, `standard-ending`) or of extended support (`extended`, `ended`: 0 or less). */
  readonly daysLeft: number;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of a `YYYY-MM-DD` day, or undefined when it is not a real date. */
export function dayNumber(day: string): number | undefined {
  const m = DAY.exec(day);
  if (!m) return undefined;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  // Date.UTC rolls 2026-02-30 over to March: a real date reads back unchanged.
  return new Date(ms).toISOString().slice(0, 10) === day ? ms / 86_400_000 : undefined;
}

/** The UTC day of `date` as `YYYY-MM-DD`. */
export function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** `day` as a day number; throws a {@link ValidationError} naming `property` when it is not a `YYYY-MM-DD` date. */
export function assertDay(day: unknown, property: string): number {
  const n = typeof day === 'string' ? dayNumber(day) : undefined;
  if (n === undefined) throw new ValidationError(property, day, 'a date as YYYY-MM-DD, e.g. 2026-12-04');
  return n;
}

/** The versions of the calendar, oldest first. */
export function calendarVersions(): string[] {
  return Object.keys(EKS_SUPPORT_CALENDAR).sort((a, b) => Number(a.split('.')[1]) - Number(b.split('.')[1]));
}

/** Where `version` stands on `today` (`YYYY-MM-DD`); undefined for a version the calendar does not know. */
export function eksSupportStatus(version: string, today: string): EksSupportStatus | undefined {
  const dates = EKS_SUPPORT_CALENDAR[version];
  if (!dates) return undefined;
  const now = assertDay(today, 'today');
  const standardLeft = (dayNumber(dates.endOfStandardSupport) as number) - now;
  const extendedLeft = (dayNumber(dates.endOfExtendedSupport) as number) - now;
  const phase: EksSupportPhase = extendedLeft <= 0 ? 'ended' : standardLeft <= 0 ? 'extended' : standardLeft <= SUPPORT_WARNING_DAYS ? 'standard-ending' : 'standard';
  return { version, ...dates, phase, daysLeft: phase === 'standard' || phase === 'standard-ending' ? standardLeft : extendedLeft };
}

/** The versions not past extended support on `today`, oldest first: what a new deploy may use. */
export function versionsNotEnded(today: string): string[] {
  return calendarVersions().filter((v) => eksSupportStatus(v, today)?.phase !== 'ended');
}

/** The versions in standard support on `today` (ending or not), oldest first. */
export function versionsInStandardSupport(today: string): string[] {
  return calendarVersions().filter((v) => {
    const phase = eksSupportStatus(v, today)?.phase;
    return phase === 'standard' || phase === 'standard-ending';
  });
}
