import type { ExecutionStatus } from '@aws-sdk/client-sfn';
import { type Obligation, auditEntry, timerOf } from '../../shared/model/index.ts';
import { needsTimer } from '../../shared/obligations/index.ts';
import { findRule } from '../../shared/rules/index.ts';
import { LIVE_SHARDS, StaleObligationError } from '../adapters/store/index.ts';
import { type AppContext, SYSTEM } from './context.ts';

export const RECONCILE_CONCURRENCY = 8;

/**
 * A timer that was never started may be about to be: the API writes an obligation, then starts
 * its execution. One written this recently is left for the next run.
 */
export const START_GRACE_MS = 10 * 60_000;

/** Statuses of a revision's execution that mean its timer runs, or ran to its end. */
const ALIVE: ReadonlySet<ExecutionStatus> = new Set<ExecutionStatus>(['RUNNING', 'SUCCEEDED', 'PENDING_REDRIVE']);

export interface ReconcileSummary {
  readonly checked: number;
  /** Obligations whose timer was started again as a new revision. */
  readonly restarted: string[];
}

export type ReconcileContext = Pick<AppContext, 'store' | 'executions' | 'now'>;

/**
 * Makes sure every obligation that needs a timer has one: for each id of the sparse `live`
 * index, what the obligation item records of its timer (`Obligation.timer`) says which execution
 * to look at, never execution history, which AWS keeps only 90 days after an execution ends:
 * - a timer that ran its last state is left alone, with no call to Step Functions;
 * - otherwise the segment the item names must be running (or have ended on its own);
 * - a missing, failed, timed-out or aborted one is restarted as revision r+1 with a `restarted`
 *   event, on a new execution from the stored plan.
 */
export async function reconcile(context: ReconcileContext): Promise<ReconcileSummary> {
  const shards = Array.from({ length: LIVE_SHARDS }, (_, shard) => shard);
  const ids = (await Promise.all(shards.map((shard) => context.store.obligations.liveObligationIds(shard)))).flat();
  const restarted: string[] = [];
  let checked = 0;
  await mapWithConcurrency(ids, RECONCILE_CONCURRENCY, async (id) => {
    const outcome = await reconcileOne(context, id);
    if (outcome !== 'gone') checked += 1;
    if (outcome === 'restarted') restarted.push(id);
  });
  return { checked, restarted: restarted.sort() };
}

async function reconcileOne(context: ReconcileContext, id: string): Promise<'fine' | 'restarted' | 'gone'> {
  for (let attempt = 1; ; attempt += 1) {
    // Every live obligation is read each hour; most are fine. The first look is eventually
    // consistent (half the read units): a stale one can only make the restart's write, which is
    // conditional on the version, fail, and the next look is consistent.
    const obligation = await context.store.obligations.getObligation(id, { consistent: attempt > 1 });
    if (obligation === undefined || !needsTimer(findRule(obligation.rule), obligation)) return 'gone';
    const { segment, finished } = timerOf(obligation, obligation.revision);
    if (finished) return 'fine';
    const status = await context.executions.status(obligation, obligation.revision);
    if (status !== undefined && ALIVE.has(status)) return 'fine';
    const now = context.now();
    if (status === undefined && obligation.updatedAt > now - START_GRACE_MS) return 'fine';
    const next: Obligation = { ...obligation, revision: obligation.revision + 1, version: obligation.version + 1, updatedAt: now };
    const restartedEvent = auditEntry(next, 'restarted', {
      at: now,
      recordedAt: now,
      by: SYSTEM.user,
      seq: next.version * 10,
      details: { previousRevision: obligation.revision, ...(segment === 1 ? {} : { previousSegment: segment }), previousStatus: status ?? 'MISSING' },
    });
    try {
      await context.store.obligations.saveObligation(next, obligation.version, [restartedEvent]);
    } catch (error) {
      // Someone changed it meanwhile (an act, a new revision): look again.
      if (error instanceof StaleObligationError && attempt < 3) continue;
      throw error;
    }
    await context.executions.start(next);
    return 'restarted';
  }
}

/** Runs `work` on every item, at most `limit` at a time; the first failure rejects once all settled. */
export async function mapWithConcurrency<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const errors: unknown[] = [];
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next] as T;
      next += 1;
      try {
        await work(item);
      } catch (error) {
        errors.push(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AggregateError(errors, `${errors.length} of ${items.length} failed`);
}
