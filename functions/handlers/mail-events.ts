import { now } from '../adapters/clock.ts';
import { errorKind, logger } from '../adapters/log.ts';
import { Store } from '../adapters/store.ts';
import { type MailEventsSummary, handleMailEvents } from '../app/mail-events.ts';

let store: Store | undefined;

/**
 * SES's bounce and complaint events, from the configuration set through SNS (`mail-events`):
 * the notice is marked and the obligation's audit trail says so (functions/app/mail-events.ts).
 */
export async function handler(input: unknown): Promise<MailEventsSummary> {
  const started = Date.now();
  store ??= Store.fromEnv();
  try {
    const summary = await handleMailEvents({ store, now }, input);
    logger.info('mail-events: done', { ...summary, durationMs: Date.now() - started });
    return summary;
  } catch (error) {
    logger.error('mail-events: failed', { error: errorKind(error), durationMs: Date.now() - started });
    throw error;
  }
}
