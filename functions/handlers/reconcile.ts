import { type AppContext, contextFromEnv } from '../app/context.ts';
import { ScheduledEventSchema } from '../app/digest.ts';
import { type ReconcileSummary, reconcile } from '../app/reconcile.ts';

let context: AppContext | undefined;

/** Every hour (`SCHEDULES.reconcile`): every obligation that needs a timer gets one. */
export async function handler(input: unknown): Promise<ReconcileSummary> {
  ScheduledEventSchema.parse(input ?? {});
  context ??= contextFromEnv();
  const summary = await reconcile(context);
  console.log(JSON.stringify({ reconcile: summary }));
  return summary;
}
