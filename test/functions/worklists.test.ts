import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { Store } from '../../functions/adapters/store/index.ts';
import { parseInstant } from '../../shared/base/index.ts';
import { statusAt } from '../../shared/model/index.ts';
import { sharedDynamoDbLocal } from '../local/support.ts';
import { freshStore, obligation, open, setFunctionEnv } from './support.ts';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });
setFunctionEnv();

const dynamodb = sharedDynamoDbLocal();
let store: Store;
let close: () => void;
beforeEach(async () => {
  ({ store, close } = await freshStore(dynamodb.endpoint()));
});
afterEach(() => close());

/**
 * Where nobody is told that an obligation fell overdue (an akimat department's decision), the
 * timer writes nothing then: the work lists split one partition, ordered by due instant, at now.
 */
describe('the open and overdue work lists', () => {
  const org = 'zko-uralsk-akimat-sss';
  // Decisions due 27 March 18:30 (received 19 March) and 6 April 18:30 (received 1 April).
  const early = obligation({ id: 'sss-early', rule: 'sss-decision', org, startText: '2026-03-19T15:20' });
  const marked = obligation({ id: 'sss-marked', rule: 'sss-decision', org, startText: '2026-03-19T15:20', status: 'overdue' });
  const late = obligation({ id: 'sss-late', rule: 'sss-decision', org, startText: '2026-04-01T10:00' });
  const done = obligation({ id: 'sss-done', rule: 'sss-decision', org, startText: '2026-03-19T15:20', status: 'done', closedBy: 'decided' });
  const ids = async (state: 'open' | 'overdue' | 'closed', asOf: string, range: { dueFrom?: number; dueTo?: number } = {}): Promise<string[]> =>
    (await store.obligations.list({ by: 'org', key: org, state, asOf: parseInstant(asOf), ...range })).items.map((item) => item.id);

  test('an open obligation is listed open until its due instant, overdue from it, with nothing written', async () => {
    await open(store, early, marked, late, done);
    expect(await ids('open', '2026-03-27T18:29')).toEqual(['sss-early', 'sss-marked', 'sss-late']);
    expect(await ids('overdue', '2026-03-27T18:29')).toEqual([]);

    expect(await ids('open', '2026-03-27T18:30')).toEqual(['sss-late']);
    expect(await ids('overdue', '2026-03-27T18:30')).toEqual(['sss-early', 'sss-marked']);
    expect(await ids('closed', '2026-03-27T18:30')).toEqual(['sss-done']);
    expect(statusAt(early, parseInstant('2026-03-27T18:30'))).toBe('overdue');
    expect(statusAt(early, parseInstant('2026-03-27T18:29'))).toBe('open');
    expect(statusAt(done, parseInstant('2026-04-30T00:00'))).toBe('done');
    expect(await store.obligations.getObligation(early.id)).toMatchObject({ status: 'open', version: 1 });
  });

  test('a range narrows each part: due soon is the open part due within it, never the overdue one', async () => {
    await open(store, early, late);
    const asOf = '2026-04-01T12:00';
    expect(await ids('open', asOf, { dueFrom: 0, dueTo: parseInstant('2026-04-04T12:00') })).toEqual([]);
    expect(await ids('open', asOf, { dueFrom: 0, dueTo: parseInstant('2026-04-10T12:00') })).toEqual(['sss-late']);
    expect(await ids('overdue', asOf, { dueFrom: 0 })).toEqual(['sss-early']);
    expect(await ids('overdue', asOf, { dueFrom: parseInstant('2026-03-28T00:00') })).toEqual([]);
  });
});
