import { kazakhstan } from '../../shared/calendar/index.ts';
import { errorKind, logger } from '../adapters/log.ts';
import { SesMail } from '../adapters/mail.ts';
import type { Store } from '../adapters/store/index.ts';
import { storeFromEnv } from '../app/context.ts';
import { now } from '../adapters/clock.ts';
import { scheduledInstant } from '../app/digest.ts';
import { type MorningSummary, MorningMailFailedError, sendMorningMail } from '../app/morning.ts';

let deps: { store: Store; mail: SesMail } | undefined;

/** The morning mail (queued notices and the digest), every morning by EventBridge Scheduler (`SCHEDULES.digest`). */
export async function handler(input: unknown): Promise<MorningSummary> {
  const started = Date.now();
  const at = scheduledInstant(input, now);
  deps ??= { store: storeFromEnv(), mail: SesMail.fromEnv() };
  const { store } = deps;
  try {
    const summary = await sendMorningMail({ ...deps, now, calendar: async () => kazakhstan(await store.calendar.calendarOverrides()) }, at);
    logger.info('morning mail: done', { ...summary, durationMs: Date.now() - started });
    return summary;
  } catch (error) {
    logger.error('morning mail: failed', {
      error: errorKind(error),
      // The causes by kind only: an in-doubt claim, SES's refusal, a throttled table; never whom or what.
      ...(error instanceof MorningMailFailedError ? { failed: error.failed, sent: error.summary.sent, people: error.summary.people, causes: [...new Set(error.causes.map(errorKind))].join(' ') } : {}),
      durationMs: Date.now() - started,
    });
    throw error;
  }
}
