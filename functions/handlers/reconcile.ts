import { errorKind, logger } from '../adapters/log.ts';
import { type AppContext, contextFromEnv } from '../app/context.ts';
import { ScheduledEventSchema } from '../app/digest.ts';
import { type ReconcileSummary, reconcile } from '../app/reconcile.ts';
import { retryMorningMail } from '../app/morning.ts';

let context: AppContext | undefined;

/**
 * Every hour (`SCHEDULES.reconcile`): every obligation that needs a timer gets one, and today's
 * morning mails that SES refused are sent again.
 */
export async function handler(input: unknown): Promise<ReconcileSummary> {
  const started = Date.now();
  ScheduledEventSchema.parse(input ?? {});
  context ??= contextFromEnv();
  try {
    const summary = await reconcile(context);
    logger.info('reconcile: done', { checked: summary.checked, restarted: summary.restarted.length, obligationIds: summary.restarted, durationMs: Date.now() - started });
    const morning = await retryMorningMail(context);
    if (morning !== undefined) logger.info('reconcile: morning mail sent again', { ...morning });
    return summary;
  } catch (error) {
    logger.error('reconcile: failed', { error: errorKind(error), durationMs: Date.now() - started });
    throw error;
  }
}
