import { now } from '../adapters/clock.ts';
import { errorKind, logger } from '../adapters/log.ts';
import type { Store } from '../adapters/store/index.ts';
import { storeFromEnv } from '../app/context.ts';
import { type MailEventsSummary, handleMailEvents } from '../app/mail-events.ts';

let store: Store | undefined;

/**
 * SES's send, bounce and complaint events, from the configuration set through SNS: a send
 * settles a notice whose sender died before marking it sent; a bounce or complaint marks the
 * notice and goes in the obligation's audit trail (functions/app/mail-events.ts).
 */
export async function handler(input: unknown): Promise<MailEventsSummary> {
  const started = Date.now();
  store ??= storeFromEnv();
  try {
    const summary = await handleMailEvents({ store, now }, input);
    logger.info('mail-events: done', { ...summary, durationMs: Date.now() - started });
    return summary;
  } catch (error) {
    logger.error('mail-events: failed', { error: errorKind(error), durationMs: Date.now() - started });
    throw error;
  }
}
