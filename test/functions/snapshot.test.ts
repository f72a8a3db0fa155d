import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { Executions } from '../../functions/adapters/executions.ts';
import type { Store } from '../../functions/adapters/store/index.ts';
import type { AppContext } from '../../functions/app/context.ts';
import { takeSnapshots, weekEndedBy } from '../../functions/app/snapshot.ts';
import { createApiHandler } from '../../functions/handlers/api.ts';
import { apiEvent, lambdaContext } from '../api/support.ts';
import { kazakhstan } from '../../shared/calendar/index.ts';
import { parseInstant } from '../../shared/base/index.ts';
import { sharedDynamoDbLocal } from '../local/support.ts';
import { freshStore, loadDemoDirectory, obligation, open, region, setFunctionEnv } from './support.ts';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { localClientConfig } from '../../local/index.ts';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });
setFunctionEnv();

const dynamodb = sharedDynamoDbLocal();
let store: Store;
let table: string;
let close: () => void;
const contextAt = (now: number): AppContext => ({
  store,
  executions: {} as Executions,
  mail: { send: () => Promise.reject(new Error('a snapshot sends no mail')) },
  now: () => now,
  calendar: async () => kazakhstan(),
});
beforeEach(async () => {
  ({ store, table, close } = await freshStore(dynamodb.endpoint()));
  await loadDemoDirectory(store);
});
afterEach(() => close());

describe('the weekly snapshot', () => {
  test('taken on Monday 00:30, it describes the week that ended at Sunday 24:00', () => {
    expect(weekEndedBy(parseInstant('2026-03-23T00:30+05:00'))).toEqual({ weekEnd: '2026-03-22', endsAt: parseInstant('2026-03-23T00:00+05:00') });
    expect(weekEndedBy(parseInstant('2026-03-23T00:00+05:00')).weekEnd).toBe('2026-03-22');
    expect(weekEndedBy(parseInstant('2026-03-22T23:59+05:00')).weekEnd).toBe('2026-03-15');
  });

  test('counts each unit’s open and overdue obligations per rule at the week’s end, and nothing else', async () => {
    const org = 'zko-uralsk-akimat-sss';
    await open(
      store,
      // Due 27 March 18:30, 18:30 on 6 April: at the end of 29 March one overdue, one open.
      obligation({ id: 'sss-overdue', rule: 'sss-decision', org, startText: '2026-03-19T15:20' }),
      obligation({ id: 'sss-open', rule: 'sss-decision', org, startText: '2026-04-01T10:00' }),
      obligation({ id: 'sss-done', rule: 'sss-decision', org, startText: '2026-03-19T15:20', status: 'done', closedBy: 'decided' }),
      obligation({ id: 'po-open', rule: 'protective-order', org: 'zko-uralsk-police-dv', startText: '2026-03-25T10:00' }),
    );
    const summary = await takeSnapshots(contextAt(parseInstant('2026-04-06T00:30+05:00')), parseInstant('2026-04-06T00:30+05:00'));
    expect(summary.weekEnd).toBe('2026-04-05');
    expect((await store.snapshots.snapshots(org, '2026-04-05', '2026-04-05')).map((snapshot) => snapshot.counts)).toEqual([{ 'sss-decision': { open: 1, overdue: 1 } }]);
    expect((await store.snapshots.snapshots('zko-uralsk-police-dv', '2026-04-05', '2026-04-05'))[0]?.counts).toEqual({ 'protective-order': { open: 1, overdue: 0 } });
    // Every unit of the directory has its snapshot, empty where nothing runs.
    expect((await store.snapshots.snapshots('zko-burlin-akimat-sss', '2000-01-01', '2100-01-01')).map((snapshot) => snapshot.counts)).toEqual([{}]);
  });

  test('the trend reads the snapshots as they were taken: a decision made since does not change a past week', async () => {
    const org = 'zko-uralsk-akimat-sss';
    const decision = obligation({ id: 'sss-late', rule: 'sss-decision', org, startText: '2026-03-19T15:20' });
    await open(store, decision);
    await takeSnapshots(contextAt(parseInstant('2026-03-23T00:30+05:00')), parseInstant('2026-03-23T00:30+05:00'));
    await takeSnapshots(contextAt(parseInstant('2026-03-30T00:30+05:00')), parseInstant('2026-03-30T00:30+05:00'));
    // Decided on 2 April: the snapshot of the week to 29 March still counts it overdue.
    await store.obligations.saveObligation({ ...decision, status: 'done', closedBy: 'decided', closedAt: parseInstant('2026-04-02T10:00+05:00'), version: 2 }, 1);
    await takeSnapshots(contextAt(parseInstant('2026-04-06T00:30+05:00')), parseInstant('2026-04-06T00:30+05:00'));

    const answer = await trend(contextAt(parseInstant('2026-04-08T10:00+05:00')), `/reports/trend?org=${org}&weeks=3`);
    expect(answer.statusCode).toBe(200);
    const body = JSON.parse(String(answer.body)) as { weeks: string[]; units: { org: string; weeks: Record<string, Record<string, { open: number; overdue: number }>> }[] };
    expect(body.weeks).toEqual(['2026-03-22', '2026-03-29', '2026-04-05']);
    expect(body.units[0]?.weeks).toEqual({
      '2026-03-22': { 'sss-decision': { open: 1, overdue: 0 } },
      '2026-03-29': { 'sss-decision': { open: 0, overdue: 1 } },
      '2026-04-05': {},
    });
  });
});

describe('the trend is kept, not recomputed (issue 19)', () => {
  test('a trend over weeks whose snapshots exist reads no obligation: the same weeks with the obligations gone, and no obligation read', async () => {
    const org = 'zko-uralsk-akimat-sss';
    await open(
      store,
      obligation({ id: 'sss-late-1', rule: 'sss-decision', org, startText: '2026-03-19T15:20' }),
      obligation({ id: 'sss-late-2', rule: 'sss-decision', org, startText: '2026-03-19T17:00' }),
    );
    for (const monday of ['2026-03-23', '2026-03-30', '2026-04-06']) await takeSnapshots(contextAt(parseInstant(`${monday}T00:30+05:00`)), parseInstant(`${monday}T00:30+05:00`));
    const path = `/reports/trend?org=${org}&weeks=3`;
    const before = await trend(contextAt(parseInstant('2026-04-08T10:00+05:00')), path);
    expect(JSON.parse(String(before.body)).units[0].weeks).toEqual({
      '2026-03-22': { 'sss-decision': { open: 2, overdue: 0 } },
      '2026-03-29': { 'sss-decision': { open: 0, overdue: 2 } },
      '2026-04-05': { 'sss-decision': { open: 0, overdue: 2 } },
    });

    // Every call the route makes on the store, counted; the obligations themselves deleted.
    const calls: string[] = [];
    // Each repository of the store wrapped, so that a call on any of them is counted by its name.
    const countingRepository = <T extends object>(repository: T): T =>
      new Proxy(repository, {
        get(target, name, receiver) {
          const value: unknown = Reflect.get(target, name, receiver);
          if (typeof value !== 'function') return value;
          return (...args: unknown[]) => {
            calls.push(String(name));
            return (value as (...args: unknown[]) => unknown).apply(target, args);
          };
        },
      });
    const counting = new Proxy(store, {
      get(target, name, receiver) {
        const value: unknown = Reflect.get(target, name, receiver);
        return typeof value === 'object' && value !== null ? countingRepository(value) : value;
      },
    });
    for (const id of ['sss-late-1', 'sss-late-2']) await DynamoDBDocumentClient.from(new DynamoDBClient(localClientConfig(dynamodb.endpoint(), region))).send(new DeleteCommand({ TableName: table, Key: { pk: `OBL#${id}`, sk: 'META' } }));
    expect(await store.obligations.getObligation('sss-late-1')).toBeUndefined();
    const after = await trend({ ...contextAt(parseInstant('2026-04-08T10:00+05:00')), store: counting }, path);
    expect(after.body).toBe(before.body);
    const reads = calls.filter((name) => !['organisations', 'organisation', 'members'].includes(name));
    expect(reads).toEqual(['snapshots']);
    // A quarter two years back costs the same: one snapshots read per unit, nothing else.
    calls.length = 0;
    await trend({ ...contextAt(parseInstant('2028-04-08T10:00+05:00')), store: counting }, `${path}&until=2026-04-06`);
    expect(calls.filter((name) => !['organisations', 'organisation', 'members'].includes(name))).toEqual(['snapshots']);
  });
});

/** The API's trend route on this table, as the head of the Uralsk department. */
async function trend(context: AppContext, path: string): Promise<{ statusCode: number; body?: string }> {
  const handler = createApiHandler(() => context);
  const event = apiEvent('GET', path, { as: { user: 'serik.sss-head', org: 'zko-uralsk-akimat-sss', groups: ['akimat-department-head'] } });
  return (await handler(event as never, lambdaContext())) as { statusCode: number; body?: string };
}
