import { SesMail } from '../adapters/mail.ts';
import { Store } from '../adapters/store.ts';
import { now } from '../adapters/clock.ts';
import { type DigestSummary, scheduledInstant, sendDigests } from '../app/digest.ts';

let deps: { store: Store; mail: SesMail } | undefined;

/** The daily digest, every morning by EventBridge Scheduler (`SCHEDULES.digest`). */
export async function handler(input: unknown): Promise<DigestSummary> {
  const at = scheduledInstant(input, now);
  deps ??= { store: Store.fromEnv(), mail: SesMail.fromEnv() };
  const summary = await sendDigests({ ...deps, now }, at);
  console.log(JSON.stringify({ digest: summary }));
  return summary;
}
