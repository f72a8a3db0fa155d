import { logger } from '../adapters/log.ts';
import { type AppContext, contextFromEnv } from '../app/context.ts';
import { ScheduledEventSchema } from '../../contract/index.ts';
import { type ReconcileSummary, reconcile } from '../app/reconcile.ts';
import { retryMorningMail } from '../app/morning.ts';
import { lambdaHandler } from './chain.ts';

let context: AppContext | undefined;

/**
 * Every hour (`SCHEDULES.reconcile`): every obligation that needs a timer gets one, and today's
 * morning mails that SES refused are sent again.
 */
export const handler = lambdaHandler({
  lines: { done: 'reconcile: done', failed: 'reconcile: failed' },
  prepare: (input) => {
    ScheduledEventSchema.parse(input ?? {});
    return (context ??= contextFromEnv());
  },
  run: async (context): Promise<ReconcileSummary> => {
    const summary = await reconcile(context);
    const morning = await retryMorningMail(context);
    if (morning !== undefined) logger.info('reconcile: morning mail sent again', { ...morning });
    return summary;
  },
  done: (summary) => ({ checked: summary.checked, restarted: summary.restarted.length, obligationIds: summary.restarted }),
});
