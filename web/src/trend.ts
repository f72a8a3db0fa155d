import { localDate } from './format.ts';
import type { Obligation } from './types.ts';

/**
 * The trend of the heads' view: how many obligations were overdue at the end of each of the last
 * weeks, and now, by unit and in total. The weeks ended are read from the weekly snapshots
 * (GET /reports/trend: kept, never recomputed, so a week long past costs what last week does);
 * `now` is counted live from the overdue work lists the view loads anyway. A week with no
 * snapshot (before the system ran, or the one ended minutes ago) is unknown, not nought.
 * This module is pure (no DOM, no texts); trend-view.ts draws it.
 */

/** GET /reports/trend's answer, as far as the trend reads it. */
export interface TrendAnswer {
  readonly weeks: readonly string[];
  readonly units: readonly { readonly org: string; readonly weeks: Readonly<Record<string, Readonly<Record<string, { readonly overdue: number }>>>> }[];
}

/** A count, or null where no snapshot was kept. */
export type Count = number | null;

export interface Trend {
  /** The overdue count at each instant, over the units. */
  readonly total: Count[];
  /** The overdue count at each instant, per unit. */
  readonly byOrg: ReadonlyMap<string, Count[]>;
}

const OFFSET_MS = 5 * 3_600_000;
const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;

/** The Sunday a week end (Monday 00:00 at +05:00) closes, as the snapshots name it. */
export const sundayOf = (weekEnd: number): string => localDate(weekEnd - 1);

/** What the live count takes of an obligation: its unit and its status (the overdue list's). */
export type LiveObligation = Pick<Obligation, 'org' | 'status'>;

/**
 * The trend of `units` at `instants` (week ends, then now): the weeks from the snapshots (every
 * rule's overdue summed), now from the overdue obligations, as the snapshot counts them (a
 * suspended one is paused, not overdue). Pure.
 */
export function snapshotTrend(units: readonly string[], instants: readonly number[], answers: readonly TrendAnswer[], overdueNow: readonly LiveObligation[]): Trend {
  const kept = new Map<string, TrendAnswer['units'][number]['weeks']>();
  for (const answer of answers) for (const unit of answer.units) kept.set(unit.org, unit.weeks);
  const last = instants.length - 1;
  const byOrg = new Map<string, Count[]>();
  for (const org of units) {
    byOrg.set(
      org,
      instants.map((instant, i) => {
        if (i === last) return overdueNow.filter((obligation) => obligation.org === org && obligation.status === 'overdue').length;
        const counts = kept.get(org)?.[sundayOf(instant)];
        return counts === undefined ? null : Object.values(counts).reduce((sum, rule) => sum + rule.overdue, 0);
      }),
    );
  }
  const total = instants.map((_, i) => {
    const known = units.map((org) => byOrg.get(org)?.[i] ?? null).filter((count): count is number => count !== null);
    return known.length === 0 ? null : known.reduce((sum, count) => sum + count, 0);
  });
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
