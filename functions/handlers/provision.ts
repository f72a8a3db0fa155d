import { errorKind, logger } from '../adapters/log.ts';
import { type AppContext, contextFromEnv } from '../app/context.ts';
import { ScheduledEventSchema } from '../../contract/index.ts';
import { type ProvisionSummary, provisionQuarterlyReports } from '../app/provision.ts';

let context: AppContext | undefined;

/** Every night (`SCHEDULES.provision`): each police unit and regional department has its quarterly report. */
export async function handler(input: unknown): Promise<ProvisionSummary> {
  const started = Date.now();
  ScheduledEventSchema.parse(input ?? {});
  context ??= contextFromEnv();
  try {
    const summary = await provisionQuarterlyReports(context);
    logger.info('provision: done', { opened: summary.opened.length, obligationIds: summary.opened, existing: summary.existing, durationMs: Date.now() - started });
    return summary;
  } catch (error) {
    logger.error('provision: failed', { error: errorKind(error), durationMs: Date.now() - started });
    throw error;
  }
}
