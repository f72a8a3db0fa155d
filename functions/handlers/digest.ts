import { kazakhstan } from '../../shared/calendar/index.ts';
import { errorKind } from '../adapters/log.ts';
import { SesMail } from '../adapters/ses-mail.ts';
import type { Store } from '../adapters/store/index.ts';
import { storeFromEnv } from '../app/context.ts';
import { now } from '../adapters/clock.ts';
import { scheduledInstant } from '../app/digest.ts';
import { type MorningSummary, MorningMailFailedError, sendMorningMail } from '../app/morning.ts';
import { lambdaHandler } from './chain.ts';

let deps: { store: Store; mail: SesMail } | undefined;

/** The morning mail (queued notices and the digest), every morning by EventBridge Scheduler (`SCHEDULES.digest`). */
export const handler = lambdaHandler({
  lines: { done: 'morning mail: done', failed: 'morning mail: failed' },
  prepare: (input) => {
    const at = scheduledInstant(input, now);
    deps ??= { store: storeFromEnv(), mail: SesMail.fromEnv() };
    return { at, ...deps };
  },
  run: ({ at, store, mail }): Promise<MorningSummary> => sendMorningMail({ store, mail, now, calendar: async () => kazakhstan(await store.calendar.calendarOverrides()) }, at),
  done: (summary) => ({ ...summary }),
  // The causes by kind only: an in-doubt claim, SES's refusal, a throttled table; never whom or what.
  failed: (error) =>
    error instanceof MorningMailFailedError ? { failed: error.failed, sent: error.summary.sent, people: error.summary.people, causes: [...new Set(error.causes.map(errorKind))].join(' ') } : {},
});
