import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { PEOPLE, type SystemClient } from '../../local/system/client.ts';
import { scenario } from './harness.ts';
import type { Store } from '../../functions/adapters/store/index.ts';
import { storeWith } from '../support/store.ts';
import { localClientConfig } from '../../local/index.ts';
import { tallyOf } from '../../shared/reports/index.ts';

/**
 * The third quarter of 2026 on the virtual clock: protective orders served, breached, expired
 * and served again; offender checks on time, late and missed; decisions on special social
 * services on time and late; a commission's submission answered by one addressee and not by the
 * other; a placement decision answered late. At its end the quarterly report is counted by hand
 * below, figure by figure, and read back from its spreadsheet.
 */
/** What the scenario hands out (git-ignored): the region's XLSX, the README's sample. */
const OUTPUT = join(dirname(fileURLToPath(import.meta.url)), 'output');

describe('the quarterly report of 2026-Q3, counted by hand', () => {
  const run = scenario('2026-07-01T09:00:00+05:00');
  const ids: Record<string, string> = {};
  const openOne = async (person: Parameters<ReturnType<typeof run>['open']>[0], request: Record<string, unknown>, names: Record<string, string>) => {
    const opened = await run().open(person, request);
    for (const [rule, name] of Object.entries(names)) {
      const found = opened.filter((obligation) => obligation.rule === rule);
      for (const obligation of found) ids[found.length === 1 ? name : `${name}:${obligation.org}`] = obligation.id;
    }
    return opened;
  };

  it('runs the quarter', async () => {
    // Uralsk: an order served on 2 July, its checks due 9 July (24:00).
    await run().at('2026-07-02T10:30:00+05:00');
    const order = await openOne('inspector', { rule: 'protective-order', caseRef: 'ЗП-2026/301', org: 'zko-uralsk-police-dv', start: '2026-07-02T10:00:00+05:00' }, { 'protective-order': 'orderA', 'offender-check': 'checksA' });
    expect(order.find((obligation) => obligation.rule === 'offender-check')?.dueAt).toBe('2026-07-10T00:00:00+05:00');

    await run().at('2026-07-08T12:00:00+05:00');
    // Check 1: on time; the next is due 15 July.
    expect((await run().record('inspector', ids['checksA'] ?? '', { act: 'checked' })).dueAt).toBe('2026-07-16T00:00:00+05:00');
    await run().at('2026-07-10T11:00:00+05:00');
    await run().record('inspector', ids['orderA'] ?? '', { act: 'violation-found' });

    await run().at('2026-07-13T10:30:00+05:00');
    const decision1 = await openOne('sss', { rule: 'sss-decision', caseRef: 'SSS-2026/301', org: 'zko-uralsk-akimat-sss', start: '2026-07-13T10:00:00+05:00' }, { 'sss-decision': 'decision1' });
    expect(decision1[0]?.plan.dueDate).toBe('2026-07-16');

    await run().at('2026-07-15T10:00:00+05:00');
    const submission = await openOne(
      'secretary',
      { rule: 'submission-reply', caseRef: 'КДН-2026/301', addressees: ['zko-uralsk-school-12', 'zko-uralsk-police-dv'], issuedBy: 'zko-uralsk-kdn', start: '2026-07-15T09:00:00+05:00' },
      { 'submission-reply': 'submission' },
    );
    // One month from 15 July is Saturday 15 August: the last day moves to Monday 17 August.
    expect(submission.map((obligation) => obligation.plan.dueDate)).toEqual(['2026-08-17', '2026-08-17']);
    await run().at('2026-07-15T12:00:00+05:00');
    await run().record('sss', ids['decision1'] ?? '', { act: 'decided' });

    // Check 2: due 15 July, done on the 17th: late. Then the offender leaves the register before check 3 falls due.
    await run().at('2026-07-17T10:00:00+05:00');
    await run().record('inspector', ids['checksA'] ?? '', { act: 'checked' });
    await run().at('2026-07-20T10:00:00+05:00');
    await run().record('inspector', ids['checksA'] ?? '', { act: 'deregistered' });

    // Order A expires on 1 August at 10:00 (30 × 24 h).
    await run().at('2026-08-01T12:00:00+05:00');
    expect((await run().obligation(ids['orderA'] ?? '')).obligation.status).toBe('expired');

    await run().at('2026-08-10T11:00:00+05:00');
    await run().record('inspector', ids['submission:zko-uralsk-police-dv'] ?? '', { act: 'replied' });

    // Burlin: an order served on 20 August; its first check (due 27 August) never comes.
    await run().at('2026-08-20T09:30:00+05:00');
    await openOne('burlinInspector', { rule: 'protective-order', caseRef: 'ЗП-2026/302', org: 'zko-burlin-police-dv', start: '2026-08-20T09:00:00+05:00' }, { 'protective-order': 'orderB', 'offender-check': 'checksB' });

    await run().at('2026-09-01T10:00:00+05:00');
    const placement = await openOne('secretary', { rule: 'kdn-placement-reply', caseRef: 'КДН-2026/302', org: 'zko-uralsk-school-12', issuedBy: 'zko-uralsk-kdn', start: '2026-09-01T09:00:00+05:00' }, { 'kdn-placement-reply': 'placement' });
    expect(placement[0]?.plan.dueDate).toBe('2026-09-15');

    // Order B breached and served again on 5 September: a new order, linked.
    await run().at('2026-09-05T10:00:00+05:00');
    await run().record('burlinInspector', ids['orderB'] ?? '', { act: 'renewed' });

    await run().at('2026-09-18T10:00:00+05:00');
    await run().record('secretary', ids['placement'] ?? '', { act: 'replied' });

    await run().at('2026-09-24T11:30:00+05:00');
    const decision2 = await openOne('sss', { rule: 'sss-decision', caseRef: 'SSS-2026/302', org: 'zko-uralsk-akimat-sss', start: '2026-09-24T11:00:00+05:00' }, { 'sss-decision': 'decision2' });
    expect(decision2[0]?.plan.dueDate).toBe('2026-09-29');
    await run().at('2026-09-28T10:30:00+05:00');
    // Due on 1 October: the fourth quarter's.
    const decision3 = await openOne('sss', { rule: 'sss-decision', caseRef: 'SSS-2026/303', org: 'zko-uralsk-akimat-sss', start: '2026-09-28T10:00:00+05:00' }, { 'sss-decision': 'decision3' });
    expect(decision3[0]?.plan.dueDate).toBe('2026-10-01');
    await run().at('2026-09-30T10:00:00+05:00');
    await run().record('sss', ids['decision2'] ?? '', { act: 'decided' });

    await run().at('2026-10-02T10:00:00+05:00');
  });

  it('the regional police department’s report sums its two district units', async () => {
    const answer = await run().api<Report>('regionalHead', 'GET', '/reports/quarterly?org=zko-police&quarter=2026-Q3');
    expect(answer.status).toBe(200);
    const report = answer.body;
    expect(report).toMatchObject({ org: 'zko-police', quarter: '2026-Q3', from: '2026-07-01', to: '2026-09-30', asOf: '2026-10-02T10:00:00+05:00' });
    expect(report.units.map((unit) => unit.org)).toEqual(['zko-police', 'zko-burlin-police-dv', 'zko-uralsk-police-dv']);
    const figures = Object.fromEntries(report.units.map((unit) => [unit.org, unit.figures]));
    // Uralsk: order A served, breached once, expired on 1 August; its checks: 9 July on time, 15 July late, the third
    // not owed (deregistered before it fell due); the submission answered on 10 August, a week before 17 August.
    expect(figures['zko-uralsk-police-dv']).toEqual({
      'protective-order': { served: 1, expired: 1, breached: 1 },
      'offender-check': { due: 2, onTime: 1, late: 1 },
      'submission-reply': { due: 1, onTime: 1 },
    });
    // Burlin: order B served and served again (two orders served, one renewal); its first check missed.
    expect(figures['zko-burlin-police-dv']).toEqual({
      'protective-order': { served: 2, renewed: 1 },
      'offender-check': { due: 1, missed: 1 },
    });
    expect(figures['zko-police']).toEqual({});
    expect(report.total).toEqual({
      'protective-order': { served: 3, expired: 1, renewed: 1, breached: 1 },
      'offender-check': { due: 3, onTime: 1, late: 1, missed: 1 },
      'submission-reply': { due: 1, onTime: 1 },
    });
    // Every rule a police unit acts under has its line, with what counts and why.
    const checks = report.rules.find((line) => line.rule === 'offender-check');
    expect(checks).toMatchObject({ counting: 'cycles', figures: ['due', 'onTime', 'late', 'missed', 'pending', 'breaches'] });
    expect(checks?.why.join(' ')).toContain('seed 001 L2759–2761');
    expect(report.rules.map((line) => line.rule)).toEqual(expect.arrayContaining(['protective-order', 'offender-check', 'official-warning', 'special-requirements', 'unit-quarterly-report']));
  });

  it('the district’s report: decisions on time and late, a reply missing, a placement report late', async () => {
    const answer = await run().api<Report>('admin', 'GET', '/reports/quarterly?org=zko-uralsk&quarter=2026-Q3');
    expect(answer.status).toBe(200);
    // Decision 1 (due 16 July, made 15 July), decision 2 (due 29 September, made 30 September); decision 3 is
    // due in October. The school did not reply to the submission (due 17 August) and reported on the placement
    // (due 15 September) on 18 September.
    expect(answer.body.total).toEqual({
      'sss-decision': { due: 2, onTime: 1, late: 1 },
      'submission-reply': { due: 1, missing: 1 },
      'kdn-placement-reply': { due: 1, late: 1 },
    });
    expect(answer.body.units.find((unit) => unit.org === 'zko-uralsk-school-12')?.figures).toEqual({
      'submission-reply': { due: 1, missing: 1 },
      'kdn-placement-reply': { due: 1, late: 1 },
    });
    // Decision 3 counts in the fourth quarter: due on 1 October and not made by the 2nd.
    const next = await run().api<Report>('sssHead', 'GET', '/reports/quarterly?org=zko-uralsk-akimat-sss&quarter=2026-Q4');
    expect(next.body.total).toEqual({ 'sss-decision': { due: 1, missing: 1 } });
  });

  it('a district unit’s head may not read the region’s report', async () => {
    expect((await run().api('unitHead', 'GET', '/reports/quarterly?org=zko-police&quarter=2026-Q3')).status).toBe(403);
  });

  it('the art. 479 list names the school, its submission, the dates and the days overdue', async () => {
    const answer = await run().api<{ items: Record<string, unknown>[] }>('secretary', 'GET', '/reports/unanswered-submissions?issuer=zko-uralsk-kdn');
    expect(answer.status).toBe(200);
    // 17 August to 2 October: 46 days.
    expect(answer.body.items).toEqual([
      expect.objectContaining({ org: 'zko-uralsk-school-12', caseRef: 'КДН-2026/301', received: '2026-07-15', due: '2026-08-17', daysOverdue: 46 }),
    ]);
    const csv = await fetchReport(run(), 'secretary', '/reports/unanswered-submissions?issuer=zko-uralsk-kdn', { accept: 'text/csv' });
    expect(csv.type).toBe('text/csv; charset=utf-8');
    const lines = new TextDecoder().decode(csv.bytes).replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('Адресат');
    expect(lines[1]?.split(';').slice(2, 7)).toEqual(['zko-uralsk-school-12', 'КДН-2026/301', '15.07.2026', '17.08.2026', '46']);
  });

  it('the XLSX: one sheet per rule, headers in Kazakh and Russian frozen, dates as dates, the same figures', async () => {
    const json = (await run().api<Report>('regionalHead', 'GET', '/reports/quarterly?org=zko-police&quarter=2026-Q3')).body;
    const xlsx = await fetchReport(run(), 'regionalHead', '/reports/quarterly?org=zko-police&quarter=2026-Q3&format=xlsx');
    expect(xlsx.type).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(xlsx.disposition).toContain('merzim-zko-police-2026-Q3.xlsx');
    // Kept as the README's sample (docs/quarterly-report-sample.xlsx is copied from it).
    mkdirSync(OUTPUT, { recursive: true });
    writeFileSync(join(OUTPUT, 'merzim-zko-police-2026-Q3.xlsx'), xlsx.bytes);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.bytes as unknown as ExcelJS.Buffer);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['report', ...json.rules.map((line) => line.rule)]);
    const about = workbook.getWorksheet('report');
    expect(about?.getCell('E3').value).toEqual(new Date('2026-07-01T00:00:00Z'));
    expect(about?.getCell('F3').value).toEqual(new Date('2026-09-30T00:00:00Z'));
    for (const line of json.rules) {
      const sheet = workbook.getWorksheet(line.rule);
      expect(sheet?.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 });
      const heads = (row: number) => (sheet?.getRow(row).values as unknown[]).slice(1);
      expect(heads(1)[0]).toBe('Бөлініс коды');
      expect(heads(2)[0]).toBe('Код подразделения');
      // Rows 3…: one per unit as the JSON lists them, then the total.
      const rows = [...json.units.map((unit) => ({ org: unit.org, figures: unit.figures[line.rule] ?? {} })), { org: null, figures: json.total[line.rule] ?? {} }];
      rows.forEach(({ org, figures }, index) => {
        const values = (sheet?.getRow(3 + index).values as unknown[]).slice(1);
        expect(values[0] ?? null, `${line.rule} row ${3 + index}`).toEqual(org);
        expect(values.slice(3), `${line.rule} ${org ?? 'total'}`).toEqual(line.figures.map((figure) => figures[figure] ?? 0));
      });
    }
    expect(workbook.getWorksheet('offender-check')?.getRow(6).getCell(2).value).toBe('Барлығы');
  });

  // The report reads the obligations, never their audit trails: each keeps its tally (issue 19).
  const REGION_TOTAL = {
    'protective-order': { served: 3, expired: 1, renewed: 1, breached: 1 },
    'offender-check': { due: 3, onTime: 1, late: 1, missed: 1 },
    'submission-reply': { due: 1, onTime: 1 },
  };
  const DISTRICT_TOTAL = {
    'sss-decision': { due: 2, onTime: 1, late: 1 },
    'submission-reply': { due: 1, missing: 1 },
    'kdn-placement-reply': { due: 1, late: 1 },
  };
  const table = () => {
    const client = DynamoDBDocumentClient.from(new DynamoDBClient(localClientConfig(run().system.runtime.endpoints.dynamodb, run().system.runtime.region)));
    return { client, store: storeWith(client, run().system.table) };
  };
  const everyId = async (store: Store) => [...new Set([...Object.values(ids), ...(await Promise.all(Object.values(ids).map((id) => store.obligations.getObligation(id)))).flatMap((found) => (found?.renewedBy === undefined ? [] : [found.renewedBy]))])];

  it('the XLSX and the calendar feed come from the deployed bundle, which loads exceljs and ics from beside it', async () => {
    // The packages the afterBundling hook writes into the API's asset (infra/bundling.ts ROUTE_ONLY):
    // the bundle's bare imports find them there, not in the project's node_modules above.
    const api = run().system.stack.functions.find((fn) => fn.role === 'api');
    if (api === undefined) throw new Error('the stack has no api function');
    for (const library of ['exceljs', 'ics']) expect(existsSync(join(dirname(api.entry), 'node_modules', library, 'index.mjs')), library).toBe(true);
    const feed = await fetchReport(run(), 'secretary', '/me/calendar.ics');
    expect(feed.type).toContain('text/calendar');
    const calendar = new ICAL.Component(ICAL.parse(new TextDecoder().decode(feed.bytes)));
    expect(calendar.getFirstPropertyValue('prodid')).toContain('Merzim');
    expect(calendar.getAllSubcomponents('vevent').length).toBeGreaterThan(0);
  });

  it('each obligation keeps, written with each act and milestone, the tally its whole audit trail folds to', async () => {
    const { store } = table();
    const all = await everyId(store);
    // Ten opened, and the order served again.
    expect(all).toHaveLength(11);
    for (const id of all) {
      const obligation = await store.obligations.getObligation(id);
      expect(obligation?.tally, id).toBeDefined();
      expect(obligation?.tally, id).toEqual(tallyOf(obligation?.rule ?? '', await store.obligations.events(id)));
    }
  });

  it('an obligation written before the tally was kept is counted from its audit trail', async () => {
    const { client } = table();
    // Order A and its checks, and the school's submission, as an older Merzim wrote them: no tally.
    for (const id of [ids['orderA'], ids['checksA'], ids['submission:zko-uralsk-school-12']]) {
      await client.send(new UpdateCommand({ TableName: run().system.table, Key: { pk: `OBL#${id ?? ''}`, sk: 'META' }, UpdateExpression: 'REMOVE tally' }));
    }
    expect((await run().api<Report>('regionalHead', 'GET', '/reports/quarterly?org=zko-police&quarter=2026-Q3')).body.total).toEqual(REGION_TOTAL);
    expect((await run().api<Report>('admin', 'GET', '/reports/quarterly?org=zko-uralsk&quarter=2026-Q3')).body.total).toEqual(DISTRICT_TOTAL);
  });

  it('with the audit trails of the obligations that keep a tally deleted, the report is the same', async () => {
    const { client, store } = table();
    const kept = [];
    for (const id of await everyId(store)) if ((await store.obligations.getObligation(id))?.tally !== undefined) kept.push(id);
    expect(kept).not.toContain(ids['checksA']);
    for (const id of kept) {
      const trail = await client.send(new QueryCommand({ TableName: run().system.table, KeyConditionExpression: 'pk = :pk AND begins_with(sk, :ev)', ExpressionAttributeValues: { ':pk': `OBL#${id}`, ':ev': 'EV#' } }));
      for (const item of trail.Items ?? []) await client.send(new DeleteCommand({ TableName: run().system.table, Key: { pk: item['pk'], sk: item['sk'] } }));
      // The opening entry is written within the obligation's item (issue 20): part of the trail too.
      await client.send(new UpdateCommand({ TableName: run().system.table, Key: { pk: `OBL#${id}`, sk: 'META' }, UpdateExpression: 'REMOVE openedEntry' }));
      expect(await store.obligations.events(id)).toEqual([]);
    }
    expect((await run().api<Report>('regionalHead', 'GET', '/reports/quarterly?org=zko-police&quarter=2026-Q3')).body.total).toEqual(REGION_TOTAL);
    expect((await run().api<Report>('admin', 'GET', '/reports/quarterly?org=zko-uralsk&quarter=2026-Q3')).body.total).toEqual(DISTRICT_TOTAL);
  });
});

interface Report {
  org: string;
  quarter: string;
  rules: { rule: string; counting: string; figures: string[]; why: string[] }[];
  units: { org: string; figures: Record<string, Record<string, number>> }[];
  total: Record<string, Record<string, number>>;
}

/** A report in a spreadsheet format, as bytes. */
async function fetchReport(client: SystemClient, person: 'secretary' | 'regionalHead', path: string, headers: Record<string, string> = {}): Promise<{ bytes: Buffer; type: string | null; disposition: string | null }> {
  const token = await client.system.signToken(PEOPLE[person]);
  const response = await fetch(`${client.system.apiUrl}${path}`, { headers: { authorization: `Bearer ${token}`, ...headers } });
  expect(response.status).toBe(200);
  return { bytes: Buffer.from(await response.arrayBuffer()), type: response.headers.get('content-type'), disposition: response.headers.get('content-disposition') };
}
