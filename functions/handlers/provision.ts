import { type AppContext, contextFromEnv } from '../app/context.ts';
import { ScheduledEventSchema } from '../../contract/index.ts';
import { type ProvisionSummary, provisionQuarterlyReports } from '../app/provision.ts';
import { lambdaHandler } from './chain.ts';

let context: AppContext | undefined;

/** Every night (`SCHEDULES.provision`): each police unit and regional department has its quarterly report. */
export const handler = lambdaHandler({
  lines: { done: 'provision: done', failed: 'provision: failed' },
  prepare: (input) => {
    ScheduledEventSchema.parse(input ?? {});
    return (context ??= contextFromEnv());
  },
  run: (context): Promise<ProvisionSummary> => provisionQuarterlyReports(context),
  done: (summary) => ({ opened: summary.opened.length, obligationIds: summary.opened, existing: summary.existing }),
});
