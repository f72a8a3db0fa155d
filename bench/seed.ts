import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { Store, eventKey, indexAttributes, obligationKey } from '../functions/adapters/store/index.ts';
import { openedWithTally } from '../functions/adapters/tally.ts';
import { STORE_OPTIONS } from '../functions/app/context.ts';
import type { Clock } from '../local/clock.ts';
import type { Obligation, ObligationEvent } from '../shared/model/index.ts';
import { inParallel, now } from './stats.ts';
import type { BenchSystem } from './system.ts';

/**
 * Loading a benchmark's table: thousands of obligations are written straight to DynamoDB, each a
 * copy of one opened through the API, so that they have the shape the app writes.
 */

/** One obligation opened through the API, as the table holds it: the shape every loaded item copies. */
export async function sampleObligation<C extends Clock>(bench: BenchSystem<C>, opening: Record<string, unknown>): Promise<{ store: Store; sample: Obligation }> {
  const opened = await bench.api<{ obligations: { id: string }[] }>('POST', '/obligations', opening);
  const store = new Store(bench.documents, bench.system.table, STORE_OPTIONS);
  const sample = await store.obligations.getObligation(opened.obligations[0]?.id ?? '');
  if (sample === undefined) throw new Error('the sample obligation was not written');
  return { store, sample };
}

/**
 * The table's items of an obligation and of its audit entries, as the Store writes them: keyed by
 * its keys, with the tally its entries fold to kept on the obligation (functions/adapters/tally.ts).
 */
export function itemsOf(obligation: Obligation, events: readonly ObligationEvent[] = []): Record<string, unknown>[] {
  const kept = openedWithTally(obligation, events);
  return [{ ...obligationKey(obligation.id), ...kept, ...indexAttributes(kept, STORE_OPTIONS.needsTimer(kept)) }, ...events.map((event) => ({ ...eventKey(event), ...event }))];
}

/** Writes the items in batches of 25, 8 batches at a time, again for what DynamoDB leaves unprocessed; the seconds it took. */
export async function loadItems<C extends Clock>(bench: BenchSystem<C>, items: readonly Record<string, unknown>[]): Promise<number> {
  const table = bench.system.table;
  // The copies are not openings: the table's stream must not start a timer for each of them
  // (it would start 100,000 executions). What it holds from now on is dropped.
  bench.system.streams?.pause();
  const batches = Array.from({ length: Math.ceil(items.length / 25) }, (_, b) => items.slice(b * 25, b * 25 + 25));
  const loadStart = now();
  await inParallel(batches, 8, async (batch) => {
    let requests: Record<string, unknown>[] = batch.map((Item) => ({ PutRequest: { Item } }));
    while (requests.length > 0) {
      const { UnprocessedItems } = await bench.documents.send(new BatchWriteCommand({ RequestItems: { [table]: requests as never } }));
      requests = (UnprocessedItems?.[table] ?? []) as Record<string, unknown>[];
    }
  });
  const seconds = (now() - loadStart) / 1000;
  // Passed over unread: reading 100,000 records to drop them took as long as the load, during the
  // first measured calls after it (one slow answer in 300 in the work lists' p99).
  await bench.system.streams?.skipToEnd();
  return seconds;
}
