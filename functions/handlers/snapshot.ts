import { errorKind, logger } from '../adapters/log.ts';
import { type AppContext, contextFromEnv } from '../app/context.ts';
import { scheduledInstant } from '../app/digest.ts';
import { takeSnapshots } from '../app/snapshot.ts';

let context: AppContext | undefined;

/** Every Monday at 00:30 (`SCHEDULES.snapshot`): each unit's counts of the week that ended, per rule. */
export async function handler(input: unknown): Promise<{ weekEnd: string; units: number }> {
  const started = Date.now();
  context ??= contextFromEnv();
  const at = scheduledInstant(input, context.now);
  try {
    const summary = await takeSnapshots(context, at);
    logger.info('snapshot: done', { ...summary, durationMs: Date.now() - started });
    return summary;
  } catch (error) {
    logger.error('snapshot: failed', { error: errorKind(error), durationMs: Date.now() - started });
    throw error;
  }
}
