import { type AppContext, contextFromEnv } from '../app/context.ts';
import { ScheduledEventSchema } from '../app/digest.ts';
import { type ProvisionSummary, provisionQuarterlyReports } from '../app/provision.ts';

let context: AppContext | undefined;

/** Every night (`SCHEDULES.provision`): each police unit and regional department has its quarterly report. */
export async function handler(input: unknown): Promise<ProvisionSummary> {
  ScheduledEventSchema.parse(input ?? {});
  context ??= contextFromEnv();
  const summary = await provisionQuarterlyReports(context);
  console.log(JSON.stringify({ provision: summary }));
  return summary;
}
