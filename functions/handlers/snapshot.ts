import { now } from '../adapters/clock.ts';
import type { Store } from '../adapters/store/index.ts';
import { storeFromEnv } from '../app/context.ts';
import { scheduledInstant } from '../app/digest.ts';
import { takeSnapshots } from '../app/snapshot.ts';
import { lambdaHandler } from './chain.ts';

let store: Store | undefined;

/** Every Monday at 00:30 (`SCHEDULES.snapshot`): each unit's counts of the week that ended, per rule. */
export const handler = lambdaHandler({
  lines: { done: 'snapshot: done', failed: 'snapshot: failed' },
  prepare: (input) => ({ store: (store ??= storeFromEnv()), at: scheduledInstant(input, now) }),
  run: ({ store, at }): Promise<{ weekEnd: string; units: number }> => takeSnapshots({ store, now }, at),
  done: (summary) => ({ ...summary }),
});
