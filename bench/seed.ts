import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { Store, indexAttributes } from '../functions/adapters/store.ts';
import type { Clock } from '../local/clock.ts';
import type { Obligation, ObligationEvent } from '../shared/model/obligation.ts';
import { inParallel, now } from './stats.ts';
import type { BenchSystem } from './system.ts';

/**
 * Loading a benchmark's table: thousands of obligations are written straight to DynamoDB, each a
 * copy of one opened through the API, so that they have the shape the app writes.
 */

/** One obligation opened through the API, as the table holds it: the shape every loaded item copies. */
export async function sampleObligation<C extends Clock>(bench: BenchSystem<C>, opening: Record<string, unknown>): Promise<{ store: Store; sample: Obligation }> {
  const opened = await bench.api<{ obligations: { id: string }[] }>('POST', '/obligations', opening);
  const store = new Store(bench.documents, bench.system.table);
  const sample = await store.getObligation(opened.obligations[0]?.id ?? '');
  if (sample === undefined) throw new Error('the sample obligation was not written');
  return { store, sample };
}

/** The table's items of an obligation and of its audit entries, keyed as the Store keys them. */
export function itemsOf(obligation: Obligation, events: readonly ObligationEvent[] = []): Record<string, unknown>[] {
  return [
    { pk: `OBL#${obligation.id}`, sk: 'META', ...obligation, ...indexAttributes(obligation) },
    ...events.map((event) => ({ pk: `OBL#${obligation.id}`, sk: `EV#${new Date(event.recordedAt).toISOString()}#${String(event.seq).padStart(6, '0')}`, ...event })),
  ];
}

/** Writes the items in batches of 25, 8 batches at a time, again for what DynamoDB leaves unprocessed; the seconds it took. */
export async function loadItems<C extends Clock>(bench: BenchSystem<C>, items: readonly Record<string, unknown>[]): Promise<number> {
  const table = bench.system.table;
  const batches = Array.from({ length: Math.ceil(items.length / 25) }, (_, b) => items.slice(b * 25, b * 25 + 25));
  const loadStart = now();
  await inParallel(batches, 8, async (batch) => {
    let requests: Record<string, unknown>[] = batch.map((Item) => ({ PutRequest: { Item } }));
    while (requests.length > 0) {
      const { UnprocessedItems } = await bench.documents.send(new BatchWriteCommand({ RequestItems: { [table]: requests as never } }));
      requests = (UnprocessedItems?.[table] ?? []) as Record<string, unknown>[];
    }
  });
  return (now() - loadStart) / 1000;
}
