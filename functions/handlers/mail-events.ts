import { now } from '../adapters/clock.ts';
import type { Store } from '../adapters/store/index.ts';
import { storeFromEnv } from '../app/context.ts';
import { type MailEventsSummary, handleMailEvents } from '../app/mail-events.ts';
import { lambdaHandler } from './chain.ts';

let store: Store | undefined;

/**
 * SES's events for the mail Merzim sent, from the configuration set through SNS: a Send event
 * marks `sent` the notice its message carried, where its sender has not yet (it died after SES
 * took the message, or is slow); a bounce or a complaint marks the notice `bounced` or
 * `complained` and, for a notice of an obligation (a digest belongs to none), goes in its audit
 * trail. Other events are counted and let be (functions/app/mail-events.ts).
 */
export const handler = lambdaHandler({
  lines: { done: 'mail-events: done', failed: 'mail-events: failed' },
  prepare: (input) => ({ input, store: (store ??= storeFromEnv()) }),
  run: ({ input, store }): Promise<MailEventsSummary> => handleMailEvents({ store, now }, input),
  done: (summary) => ({ ...summary }),
});
