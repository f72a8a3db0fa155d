import { BatchWriteCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { Store, eventKey, indexAttributes, obligationKey } from '../functions/adapters/store/index.ts';
import { openedWithTally } from '../functions/adapters/tally.ts';
import { STORE_OPTIONS } from '../functions/app/context.ts';
import { quarterlyReport } from '../functions/app/reports.ts';
import type { AppContext } from '../functions/app/context.ts';
import { kazakhstan } from '../shared/calendar/index.ts';
import type { Organisation } from '../shared/base/directory.ts';
import type { Obligation, ObligationEvent } from '../shared/model/obligation.ts';
import { quarterOf } from '../shared/reports/quarter.ts';
import { VirtualClock } from '../local/clock.ts';
import { type Section, inParallel, now, fmt } from './stats.ts';
import { startBenchSystem } from './system.ts';

const UNITS = 20;
const DAY_MS = 86_400_000;

/**
 * The quarterly report of a region with `total` obligations over 20 police units (issue 19):
 * the region's report as GET /reports/quarterly computes it (three index queries a unit, the
 * tally kept on each obligation, no audit trail), against a Scan of the whole table that reads
 * the same items.
 */
export async function measureReports(total: number): Promise<Section> {
  const start = '2026-01-05T10:00:00+05:00';
  const clock = new VirtualClock('2026-04-02T10:00:00+05:00');
  const bench = await startBenchSystem(clock);
  const { system, api, documents } = bench;
  try {
    const opened = await api<{ obligations: { id: string }[] }>('POST', '/obligations', { rule: 'protective-order', caseRef: 'BENCH-SAMPLE', org: 'zko-uralsk-police-dv', start });
    const store = new Store(documents, system.table, STORE_OPTIONS);
    const sample = await store.obligations.getObligation(opened.obligations[0]?.id ?? '');
    if (sample === undefined) throw new Error('the sample obligation was not written');
    const region: Organisation = { org: 'bench-police', kind: 'police-department', names: { kk: 'Бенч', ru: 'Бенч', en: 'Bench' } };
    const units: Organisation[] = Array.from({ length: UNITS }, (_, u) => ({ org: `bench-dv-${String(u).padStart(2, '0')}`, kind: 'police-unit', parent: region.org, names: { kk: `Бөлініс ${u}`, ru: `Подразделение ${u}`, en: `Unit ${u}` } }));
    await Promise.all([region, ...units].map((unit) => store.directory.putOrganisation(unit)));

    // Orders served through the quarter, each with its opened entry; every other one expired.
    const quarterStart = Date.parse('2026-01-01T00:00:00+05:00');
    const items = Array.from({ length: total }, (_, i) => {
      const served = quarterStart + (i % 85) * DAY_MS + 3_600_000;
      const expired = i % 2 === 0;
      const obligation: Obligation = {
        ...sample,
        id: `bench-${i.toString(36).padStart(6, '0')}`,
        caseRef: `BENCH/${i}`,
        org: units[i % UNITS]?.org ?? region.org,
        start: served,
        dueAt: served + 30 * DAY_MS,
        status: expired ? 'expired' : 'open',
      };
      const events: ObligationEvent[] = [
        { obligationId: obligation.id, seq: 0, type: 'opened', at: served, recordedAt: served, by: 'bench', revision: 1, cycle: 1, details: { dueAt: new Date(obligation.dueAt).toISOString() } },
        ...(expired ? [{ obligationId: obligation.id, seq: 10, type: 'expired' as const, at: obligation.dueAt, recordedAt: obligation.dueAt, by: 'merzim', revision: 1, cycle: 1 }] : []),
      ];
      // As the store writes it: the tally its entries fold to, kept on the obligation (functions/adapters/tally.ts).
      const kept = openedWithTally(obligation, events);
      return [
        { ...obligationKey(obligation.id), ...kept, ...indexAttributes(kept, STORE_OPTIONS.needsTimer(kept)) },
        ...events.map((event) => ({ ...eventKey(event), ...event })),
      ];
    }).flat();
    const batches = Array.from({ length: Math.ceil(items.length / 25) }, (_, b) => items.slice(b * 25, b * 25 + 25));
    const loadStart = now();
    await inParallel(batches, 8, async (batch) => {
      let requests: Record<string, unknown>[] = batch.map((Item) => ({ PutRequest: { Item } }));
      while (requests.length > 0) {
        const { UnprocessedItems } = await documents.send(new BatchWriteCommand({ RequestItems: { [system.table]: requests as never } }));
        requests = (UnprocessedItems?.[system.table] ?? []) as Record<string, unknown>[];
      }
    });
    const loadS = (now() - loadStart) / 1000;

    // Every audit-trail read the report makes, counted: there should be none.
    let trails = 0;
    const reading = new Proxy(store, {
      get(target, name, receiver) {
        const value: unknown = Reflect.get(target, name, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          if (name === 'events') trails += 1;
          return (value as (...args: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    const context: AppContext = { store: reading, executions: {} as AppContext['executions'], mail: { send: () => Promise.reject(new Error('no mail')) }, now: () => clock.now(), calendar: async () => kazakhstan() };
    const reportStart = now();
    const report = await quarterlyReport(context, region, [region, ...units], quarterOf('2026-Q1'));
    const reportS = (now() - reportStart) / 1000;
    const served = report.total['protective-order']?.served ?? 0;
    if (served !== total) throw new Error(`the report counted ${served} orders served, not ${total}`);
    if (trails > 0) throw new Error(`the report read ${trails} audit trails`);

    // The same items by a Scan: every item of the table read, those of the region's units kept.
    const scanStart = now();
    let scanned = 0;
    let kept = 0;
    let cursor: Record<string, unknown> | undefined;
    do {
      const page = await documents.send(new ScanCommand({ TableName: system.table, ...(cursor === undefined ? {} : { ExclusiveStartKey: cursor }) }));
      scanned += page.ScannedCount ?? 0;
      kept += (page.Items ?? []).filter((item) => typeof item['org'] === 'string' && (item['org'] as string).startsWith('bench-dv-') && item['sk'] === 'META').length;
      cursor = page.LastEvaluatedKey;
    } while (cursor !== undefined);
    const scanS = (now() - scanStart) / 1000;

    return {
      title: `Reports: the quarterly report of a region with ${total.toLocaleString('en-US')} obligations over ${UNITS} units`,
      rows: [
        { figure: 'load: BatchWriteItem, 25 per batch, 8 in flight', value: `${fmt(items.length / loadS)} items/s (${fmt(loadS)} s)` },
        { figure: 'the region’s report (index queries, the tally on each obligation)', value: `${fmt(reportS)} s`, ratio: `${fmt(reportS / scanS)} × the Scan` },
        { figure: `Scan of the table (${scanned.toLocaleString('en-US')} items, ${kept.toLocaleString('en-US')} obligations kept)`, value: `${fmt(scanS)} s` },
      ],
      notes: [
        'Every obligation is a protective order served in the quarter (its opened entry), every other one expired in it (its expired entry), written as the store writes it: with its tally, which the report counts from without reading the audit trail.',
        'The Scan only reads; it counts nothing. The report reads the same obligations through the byOrg index, three queries a unit, paged by 100.',
        'Through the API the report runs in the api function, whose timeout is 10 s: a region this large is read in the quarterly report’s own time, not in one request.',
      ],
      data: { total, units: UNITS, loadS, reportS, scanS, scanned, trails },
    };
  } finally {
    await bench.stop();
  }
}
