import { type AppContext, contextFromEnv } from '../app/context.ts';
import { scheduledInstant } from '../app/digest.ts';
import { takeSnapshots } from '../app/snapshot.ts';
import { lambdaHandler } from './chain.ts';

let context: AppContext | undefined;

/** Every Monday at 00:30 (`SCHEDULES.snapshot`): each unit's counts of the week that ended, per rule. */
export const handler = lambdaHandler({
  lines: { done: 'snapshot: done', failed: 'snapshot: failed' },
  prepare: (input) => {
    context ??= contextFromEnv();
    return { context, at: scheduledInstant(input, context.now) };
  },
  run: ({ context, at }): Promise<{ weekEnd: string; units: number }> => takeSnapshots(context, at),
  done: (summary) => ({ ...summary }),
});
