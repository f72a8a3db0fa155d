import { toInstant } from './format.ts';
import type { Obligation } from './types.ts';

/**
 * The trend of the heads' view: how many obligations were overdue at the end of each of the last
 * weeks, and now, by unit and in total. The API keeps no history of the counts; they are rebuilt
 * here from the obligations themselves (overdue, open and closed ones), by their own instants.
 * This module is pure (no DOM, no texts); trend-view.ts draws it.
 */

/** What the trend reads of an obligation: the view's instants (RFC 3339 at +05:00) and its unit. */
export type TrendObligation = Pick<Obligation, 'org' | 'start' | 'dueAt' | 'closedAt'>;

export interface Trend {
  /** The overdue count at each instant, over every obligation given. */
  readonly total: number[];
  /** The overdue count at each instant, per unit (only the units of the obligations given). */
  readonly byOrg: ReadonlyMap<string, number[]>;
}

const OFFSET_MS = 5 * 3_600_000;
const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;

/** Overdue at `instant`: started, its deadline passed, and not closed yet (closed at `instant` is closed). */
export function overdueAt(obligation: TrendObligation, instant: number): boolean {
  const closedAt = obligation.closedAt === undefined ? undefined : toInstant(obligation.closedAt);
  return toInstant(obligation.start) <= instant && toInstant(obligation.dueAt) < instant && (closedAt === undefined || closedAt > instant);
}

/** Counts the obligations overdue at each instant, in total and per unit. Pure. */
export function overdueTrend(obligations: readonly TrendObligation[], instants: readonly number[]): Trend {
  const total = instants.map(() => 0);
  const byOrg = new Map<string, number[]>();
  for (const obligation of obligations) {
    const counts = byOrg.get(obligation.org) ?? instants.map(() => 0);
    byOrg.set(obligation.org, counts);
    instants.forEach((instant, i) => {
      if (!overdueAt(obligation, instant)) return;
      total[i] = (total[i] ?? 0) + 1;
      counts[i] = (counts[i] ?? 0) + 1;
    });
  }
  return { total, byOrg };
}

/**
 * The ends of the last `weeks` weeks before `now` (each a Monday 00:00 at +05:00, i.e. Sunday
 * 24:00), oldest first, then `now` itself.
 */
export function weekEnds(now: number, weeks = 8): number[] {
  const localDay = Math.floor((now + OFFSET_MS) / DAY_MS) * DAY_MS;
  const sinceMonday = (new Date(localDay).getUTCDay() + 6) % 7;
  let last = localDay - sinceMonday * DAY_MS - OFFSET_MS;
  if (last >= now) last -= WEEK_MS;
  return [...Array.from({ length: weeks }, (_, i) => last - (weeks - 1 - i) * WEEK_MS), now];
}
