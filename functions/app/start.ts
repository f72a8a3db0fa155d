import type { Obligation } from '../../shared/model/index.ts';
import { needsTimer } from '../../shared/obligations/index.ts';
import { findRule } from '../../shared/rules/index.ts';
import type { AppContext } from './context.ts';

/** One write of an obligation, as the table's stream tells it: the item as it is, and as it was (none: new). */
export interface ObligationWritten {
  readonly after: Obligation;
  readonly before?: Obligation;
}

export interface StartSummary {
  /** The obligations whose new revision's timer was started (or found started). */
  readonly started: string[];
}

/**
 * Starts the timer of each new revision the table's stream brings (an opening, a re-plan, a
 * restart): the write is what counts, not the request that made it, so an opening answers
 * without waiting for Step Functions. Any other write of an obligation (a notice, an act that
 * keeps the plan, a segment handed on) starts nothing. The execution's name is the obligation's
 * id and revision (Executions.start): a record delivered twice, or a revision started already
 * by whoever wrote it, starts one timer. A record that arrives after its revision was superseded
 * starts a timer that ends at its first step (functions/app/steps.ts: superseded).
 */
export async function startNewRevisions(context: Pick<AppContext, 'executions'>, writes: readonly ObligationWritten[]): Promise<StartSummary> {
  const fresh = writes.filter(({ after, before }) => before?.revision !== after.revision && needsTimer(findRule(after.rule), after));
  await Promise.all(fresh.map(({ after }) => context.executions.start(after)));
  return { started: fresh.map(({ after }) => after.id) };
}
