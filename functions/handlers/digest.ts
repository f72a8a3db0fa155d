import { errorKind, logger } from '../adapters/log.ts';
import { SesMail } from '../adapters/mail.ts';
import { Store } from '../adapters/store.ts';
import { now } from '../adapters/clock.ts';
import { type DigestSummary, DigestFailedError, scheduledInstant, sendDigests } from '../app/digest.ts';

let deps: { store: Store; mail: SesMail } | undefined;

/** The daily digest, every morning by EventBridge Scheduler (`SCHEDULES.digest`). */
export async function handler(input: unknown): Promise<DigestSummary> {
  const started = Date.now();
  const at = scheduledInstant(input, now);
  deps ??= { store: Store.fromEnv(), mail: SesMail.fromEnv() };
  try {
    const summary = await sendDigests({ ...deps, now }, at);
    logger.info('digest: done', { date: summary.date, sent: summary.sent, people: summary.people, durationMs: Date.now() - started });
    return summary;
  } catch (error) {
    logger.error('digest: failed', {
      error: errorKind(error),
      ...(error instanceof DigestFailedError ? { failed: error.failed, sent: error.summary.sent, people: error.summary.people } : {}),
      durationMs: Date.now() - started,
    });
    throw error;
  }
}
