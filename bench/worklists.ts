import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { obligationKey } from '../functions/adapters/store/index.ts';
import { VirtualClock } from '../local/clock.ts';
import type { Obligation, ObligationStatus } from '../shared/model/index.ts';
import { generate, itemsOf, loadItems, sampleObligation } from './seed.ts';
import { besideEnded } from './beside.ts';
import { type Section, latencies, now, fmt, ratio } from './stats.ts';
import { startBenchSystem } from './system.ts';

const UNITS = 200;
const DAY_MS = 86_400_000;

/**
 * One unit's overdue list with `total` obligations in the table across 200 units: through the
 * HTTP API and through Store.list, against one GetItem of an obligation, in the same run.
 */
export async function measureWorkLists(total: number, samples: number): Promise<Section> {
  const start = '2026-03-02T10:00:00+05:00';
  const clock = new VirtualClock(start);
  const bench = await startBenchSystem(clock);
  const { system, api, documents } = bench;
  try {
    // One obligation opened through the API gives the shape every loaded item copies.
    const { store, sample } = await sampleObligation(bench, { rule: 'sss-decision', caseRef: 'BENCH-SAMPLE', org: 'zko-uralsk-akimat-sss', start });

    const statusOf = (i: number): ObligationStatus => (['overdue', 'done', 'open', 'open', 'open'] as const)[i % 5] ?? 'open';
    const items = generate(total, (i) => {
      const status = statusOf(Math.floor(i / UNITS));
      const obligation: Obligation = {
        ...sample,
        id: `bench-${i.toString(36).padStart(6, '0')}`,
        caseRef: `BENCH/${i}`,
        org: `bench-unit-${String(i % UNITS).padStart(3, '0')}`,
        status,
        dueAt: clock.now() + (status === 'open' ? 1 : -1) * ((i % 97) + 1) * DAY_MS,
      };
      return itemsOf(obligation);
    });
    const { seconds: loadS } = await loadItems(bench, items);
    // In a whole run the cost measure goes beside the load: nothing timed below shares the machine with it.
    const waitedS = await besideEnded();

    const org = 'bench-unit-007';
    const sampleOf = async (operation: () => Promise<number>): Promise<{ ms: number[]; items: number }> => {
      for (let i = 0; i < 10; i++) await operation(); // warm-up
      const ms: number[] = [];
      let items = 0;
      for (let i = 0; i < samples; i++) {
        const t = now();
        items = await operation();
        ms.push(now() - t);
      }
      return { ms, items };
    };
    const viaApi = await sampleOf(async () => (await api<{ obligations: unknown[] }>('GET', `/obligations?org=${org}&status=overdue`)).obligations.length);
    const viaStore = await sampleOf(async () => (await store.obligations.list({ by: 'org', key: org, state: 'overdue', asOf: clock.now(), dueFrom: 0, limit: 50 })).items.length);
    const getItem = await sampleOf(async () => {
      const { Item } = await documents.send(new GetCommand({ TableName: system.table, Key: obligationKey('bench-0000a7'), ConsistentRead: true }));
      return Item === undefined ? 0 : 1;
    });
    const [a, s, g] = [latencies(viaApi.ms), latencies(viaStore.ms), latencies(getItem.ms)];
    return {
      title: `Work lists: one unit's overdue list, ${total.toLocaleString('en-US')} obligations across ${UNITS} units`,
      rows: [
        { figure: `load: BatchWriteItem, 25 per batch, 8 in flight${waitedS === undefined ? '' : ', beside the cost measure'}`, value: `${fmt(total / loadS)} items/s (${fmt(loadS)} s)` },
        { figure: `GET /obligations?org=…&status=overdue p50 / p99 (ms)`, value: `${fmt(a.p50)} / ${fmt(a.p99)}`, ratio: `${ratio(a.p50, g.p50)} / ${ratio(a.p99, g.p99)} of GetItem` },
        { figure: `Store.list (same query) p50 / p99 (ms)`, value: `${fmt(s.p50)} / ${fmt(s.p99)}`, ratio: `${ratio(s.p50, g.p50)} / ${ratio(s.p99, g.p99)} of GetItem` },
        { figure: `GetItem of one obligation p50 / p99 (ms)`, value: `${fmt(g.p50)} / ${fmt(g.p99)}` },
      ],
      notes: [
        `Each unit holds ${total / UNITS} obligations: 20% overdue, 20% done, 60% open; the list is the first page (the API's default limit, ${viaApi.items} items), by due instant, from the byOrg index.`,
        `${samples} sequential calls each after 10 warm-up calls; GetItem is consistent, as Store.getObligation reads.`,
        'Items are copies of one obligation opened through the API (same attributes, same plan) with their own id, unit, status, due instant and index keys.',
        ...(waitedS === undefined ? [] : [`The cost measure ran beside the load (it counts, it does not time); the calls above waited ${waitedS.toFixed(1)} s after the load for it to end.`]),
      ],
      data: { total, units: UNITS, loadS, beside: waitedS !== undefined, waitedS: waitedS ?? 0, listItems: viaApi.items, api: a, store: s, getItem: g },
    };
  } finally {
    await bench.stop();
  }
}
