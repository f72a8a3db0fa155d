import type { Obligation, ObligationEvent } from '../../shared/model/index.ts';
import { EMPTY_TALLY, tallyWith } from '../../shared/reports/index.ts';

/**
 * The quarterly report's tally, kept by the write that records the entries it counts (issue 19):
 * every write of an obligation with its audit entries goes through the store, which folds them in
 * here, under the same optimistic lock, so that the tally cannot miss an entry nor count one twice.
 */

/** A new obligation: its tally is its first entries', whatever the object it was copied from held. */
export function openedWithTally(obligation: Obligation, events: readonly ObligationEvent[]): Obligation {
  return { ...obligation, tally: tallyWith(EMPTY_TALLY, obligation.rule, events.filter((event) => event.obligationId === obligation.id)) };
}

/**
 * An obligation written again with new entries. One written before the tally was kept has none,
 * and gets none from part of its trail: the report reads its whole trail instead.
 */
export function savedWithTally(next: Obligation, events: readonly ObligationEvent[]): Obligation {
  if (next.tally === undefined) return next;
  const own = events.filter((event) => event.obligationId === next.id);
  return own.length === 0 ? next : { ...next, tally: tallyWith(next.tally, next.rule, own) };
}
