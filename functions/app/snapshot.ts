import { DAY_MS, type Instant, localDateOf, weekEndOf } from '../../shared/base/index.ts';
import type { Snapshot } from '../adapters/store/index.ts';
import { obligationsDueFrom } from './reports.ts';
import { mapWithConcurrency } from './reconcile.ts';
import type { AppContext } from './context.ts';

/**
 * The weekly snapshot (issue 19): at the end of each week, how many obligations of each unit were
 * open and overdue, per rule. The heads' trend reads these, and never recomputes a past week.
 */

/** The week a snapshot taken at `at` describes: the one that ended by then (Sunday 24:00, +05:00). */
export function weekEndedBy(at: Instant): { weekEnd: string; endsAt: Instant } {
  // weekEndOf gives the end of the week `at` falls in; a week ended is the one before, unless `at` is its very end.
  const next = weekEndOf(at);
  const endsAt = next - at === 7 * DAY_MS ? at : next - 7 * DAY_MS;
  return { weekEnd: localDateOf(endsAt - 1), endsAt };
}

/** Counts one unit's open and overdue obligations per rule as of `asOf`: two index queries' worth of live work. */
export async function countsOf(context: Pick<AppContext, 'store'>, org: string, asOf: Instant): Promise<Snapshot['counts']> {
  const live = (await obligationsDueFrom(context, 'org', org, 0, asOf, ['open', 'overdue'])).filter((obligation) => obligation.status !== 'suspended');
  const counts: Record<string, { open: number; overdue: number }> = {};
  for (const obligation of live) {
    const entry = (counts[obligation.rule] ??= { open: 0, overdue: 0 });
    if (obligation.dueAt <= asOf) entry.overdue += 1;
    else entry.open += 1;
  }
  return counts;
}

/** Takes every unit's snapshot of the week ended by `at`; taken again, the same week is written again. */
export async function takeSnapshots(context: Pick<AppContext, 'store' | 'now'>, at: Instant): Promise<{ weekEnd: string; units: number }> {
  const { weekEnd, endsAt } = weekEndedBy(at);
  const units = await context.store.directory.organisations();
  const takenAt = context.now();
  await mapWithConcurrency(units, 8, async (unit) => {
    await context.store.snapshots.putSnapshot({ org: unit.org, weekEnd, takenAt, counts: await countsOf(context, unit.org, endsAt) });
  });
  return { weekEnd, units: units.length };
}
