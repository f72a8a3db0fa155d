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

/**
 * Writes the items in batches of 25, 8 batches at a time, again for what DynamoDB leaves
 * unprocessed: how many, and the seconds it took. The items are taken from the iterable as the
 * batches go, so a caller that makes them on the way keeps a few hundred in memory. The work
 * lists' 100,000 held at once filled half a gigabyte of heap, and this process's collector spent
 * 125 s of CPU beside the load; made on the way, the load took 166 s instead of 181 on the same
 * machine (1 December 2026).
 */
export async function loadItems<C extends Clock>(bench: BenchSystem<C>, items: Iterable<Record<string, unknown>>): Promise<{ items: number; seconds: number }> {
  const table = bench.system.table;
  // The copies are not openings: the table's stream must not start a timer for each of them
  // (it would start 100,000 executions). Held during the load, passed over after it.
  bench.system.streams?.hold();
  let count = 0;
  const loadStart = now();
  await inParallel(batchesOf(items, 25), 8, async (batch) => {
    count += batch.length;
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
  bench.system.streams?.release();
  return { items: count, seconds };
}

/** The items in arrays of `size` (the last one shorter), each made when it is asked for. */
function* batchesOf<T>(items: Iterable<T>, size: number): Generator<T[]> {
  let batch: T[] = [];
  for (const item of items) {
    if (batch.push(item) === size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/** `count` values made one at a time, as a consumer asks for them. */
export function* generate<T>(count: number, make: (index: number) => Iterable<T>): Generator<T> {
  for (let index = 0; index < count; index++) yield* make(index);
}
