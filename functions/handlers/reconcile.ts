import { errorKind, logger } from '../adapters/log.ts';
import { type AppContext, contextFromEnv } from '../app/context.ts';
import { ScheduledEventSchema } from '../app/digest.ts';
import { type ReconcileSummary, reconcile } from '../app/reconcile.ts';

let context: AppContext | undefined;

/** Every hour (`SCHEDULES.reconcile`): every obligation that needs a timer gets one. */
export async function handler(input: unknown): Promise<ReconcileSummary> {
  const started = Date.now();
  ScheduledEventSchema.parse(input ?? {});
  context ??= contextFromEnv();
  try {
    const summary = await reconcile(context);
    logger.info('reconcile: done', { checked: summary.checked, restarted: summary.restarted.length, obligationIds: summary.restarted, durationMs: Date.now() - started });
    return summary;
  } catch (error) {
    logger.error('reconcile: failed', { error: errorKind(error), durationMs: Date.now() - started });
    throw error;
  }
}
