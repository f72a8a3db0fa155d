import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { quarterlyReport } from '../functions/app/reports.ts';
import type { AppContext } from '../functions/app/context.ts';
import { kazakhstan } from '../shared/calendar/index.ts';
import { type Organisation, SYSTEM_USER } from '../shared/base/index.ts';
import { type Obligation, auditEntry } from '../shared/model/index.ts';
import { quarterOf } from '../shared/reports/index.ts';
import { VirtualClock } from '../local/clock.ts';
import { generate, itemsOf, loadItems, sampleObligation } from './seed.ts';
import { type Section, now, fmt } from './stats.ts';
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
  const { system, documents } = bench;
  try {
    const { store, sample } = await sampleObligation(bench, { rule: 'protective-order', caseRef: 'BENCH-SAMPLE', org: 'zko-uralsk-police-dv', start });
    const region: Organisation = { org: 'bench-police', kind: 'police-department', names: { kk: 'Бенч', ru: 'Бенч', en: 'Bench' } };
    const units: Organisation[] = Array.from({ length: UNITS }, (_, u) => ({ org: `bench-dv-${String(u).padStart(2, '0')}`, kind: 'police-unit', parent: region.org, names: { kk: `Бөлініс ${u}`, ru: `Подразделение ${u}`, en: `Unit ${u}` } }));
    await Promise.all([region, ...units].map((unit) => store.directory.putOrganisation(unit)));

    // Orders served through the quarter, each with its opened entry; every other one expired.
    const quarterStart = Date.parse('2026-01-01T00:00:00+05:00');
    const items = generate(total, (i) => {
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
      const first = { id: obligation.id, revision: 1, cycle: 1 };
      return itemsOf(obligation, [
        auditEntry(first, 'opened', { at: served, recordedAt: served, by: 'bench', seq: 0, details: { dueAt: new Date(obligation.dueAt).toISOString() } }),
        ...(expired ? [auditEntry(first, 'expired', { at: obligation.dueAt, recordedAt: obligation.dueAt, by: SYSTEM_USER, seq: 10 })] : []),
      ]);
    });
    const { items: loaded, seconds: loadS } = await loadItems(bench, items);

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
        { figure: 'load: BatchWriteItem, 25 per batch, 8 in flight', value: `${fmt(loaded / loadS)} items/s (${fmt(loadS)} s)` },
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
