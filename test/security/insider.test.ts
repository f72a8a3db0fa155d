import { randomUUID } from 'node:crypto';
import { DynamoDBDocumentClient, ScanCommand, type ScanCommandOutput, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import type { Store } from '../../functions/adapters/store/index.ts';
import { storeWith } from '../support/store.ts';
import { RATE_LIMITS, RateLimiter } from '../../functions/api/limits.ts';
import { type AppContext, contextFromEnv } from '../../functions/app/context.ts';
import { createApiHandler, handler } from '../../functions/handlers/api.ts';
import { formatInstant, parseInstant } from '../../shared/base/index.ts';
import { readDirectory } from '../../local/system/directory.ts';
import { sharedDynamoDbLocal } from '../local/support.ts';
import { type Answer, type RecordingSfn, type Who, call, apiEnvironment, type ApiEnvironment } from '../api/support.ts';

/**
 * The hostile insider of issue 13, request by request against the `api` function on DynamoDB
 * Local: each attempt listed at the top of the issue is refused with a 4xx that names the field
 * (`issues[].path`) or the rule, and leaves the table exactly as it was, with no timer started.
 * Then the honest-time rules, start corrections, reassignment, pauses, and the acts the API offers
 * each caller (`allowedActs`), on the demo directory (local/demo/directory.json).
 */

vi.setConfig({ testTimeout: 60_000, hookTimeout: 120_000 });

// People of the demo directory, with the groups their tokens carry.
const ADMIN: Who = { user: 'admin', org: 'zko', groups: ['admin'] };
const URALSK_SSS: Who = { user: 'aliya.sss', org: 'zko-uralsk-akimat-sss', groups: ['akimat-department'] };
const URALSK_SSS_HEAD: Who = { user: 'serik.sss-head', org: 'zko-uralsk-akimat-sss', groups: ['akimat-department-head'] };
const INSPECTOR: Who = { user: 'aigerim.inspector', org: 'zko-uralsk-police-dv', groups: ['inspector'] };
const OTHER_INSPECTOR: Who = { user: 'nurlan.inspector', org: 'zko-uralsk-police-dv', groups: ['inspector'] };
const UNIT_HEAD: Who = { user: 'yerlan.unit-head', org: 'zko-uralsk-police-dv', groups: ['unit-head'] };
const SECRETARY: Who = { user: 'dana.secretary', org: 'zko-uralsk-kdn', groups: ['commission-secretary'] };
/** The school's office: an addressee of the commission's decisions signs in without a group. */
const SCHOOL: Who = { user: 'gulnara.school', org: 'zko-uralsk-school-12', groups: [] };

const dynamodb = sharedDynamoDbLocal();
let environment: ApiEnvironment | undefined;
let sfn: RecordingSfn;
let documents: DynamoDBDocumentClient;
let store: Store;
let table: string;

/** The API's "now", lent to the function as the embedded runtime lends its clock: a Thursday afternoon. */
const NOW = parseInstant('2026-03-19T16:00:00+05:00');
let now = NOW;
const HOUR = 3600_000;
const DAY = 24 * HOUR;
const at = (instant: number): string => formatInstant(instant);

beforeAll(async () => {
  environment = await apiEnvironment(dynamodb.endpoint(), 'merzim-insider', { ...readDirectory(), now: () => now });
  ({ sfn, table, store, documents } = environment);
});

beforeEach(() => {
  now = NOW;
});

afterAll(() => environment?.close());

const api = (who: Who, method: string, target: string, body?: unknown): Promise<Answer> => call(handler, method, target, { as: who, ...(body === undefined ? {} : { body }) });
const ref = (): string => `REF-${randomUUID().slice(0, 8)}`;

/** Every item of the table, in key order: what a refused request must leave as it found it. */
async function snapshot(): Promise<unknown[]> {
  const items: Record<string, unknown>[] = [];
  let start: ScanCommandOutput['LastEvaluatedKey'];
  do {
    const page: ScanCommandOutput = await documents.send(new ScanCommand({ TableName: table, ConsistentRead: true, ...(start === undefined ? {} : { ExclusiveStartKey: start }) }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  const key = (item: Record<string, unknown>): string => `${String(item['pk'])}\u0000${String(item['sk'])}`;
  return items.sort((a, b) => key(a).localeCompare(key(b)));
}

/**
 * Sends a request that must be refused: the status, the field or rule its body names, and
 * nothing written (no obligation, no event, no change) and no timer started or stopped.
 */
async function refused(who: Who, method: string, target: string, body: unknown, expected: { status: number; path: string; message?: RegExp }): Promise<Answer> {
  const before = await snapshot();
  expect(before.length, 'the table holds the directory at least').toBeGreaterThan(0);
  const calls = sfn.calls.length;
  const answer = await api(who, method, target, body);
  expect(answer.status, JSON.stringify(answer.body)).toBe(expected.status);
  expect(answer.body.issues.map((issue: { path: string }) => issue.path), JSON.stringify(answer.body)).toContain(expected.path);
  if (expected.message !== undefined) expect(answer.body.message).toMatch(expected.message);
  expect(await snapshot(), 'a refusal writes nothing').toEqual(before);
  expect(sfn.calls.slice(calls), 'a refusal starts and stops no timer').toEqual([]);
  return answer;
}

async function open(who: Who, body: Record<string, unknown>): Promise<{ id: string; org: string; rule: string }[]> {
  const answer = await api(who, 'POST', '/obligations', body);
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return answer.body.obligations;
}

async function openOne(who: Who, body: Record<string, unknown>): Promise<string> {
  const [first] = await open(who, body);
  if (first === undefined) throw new Error('nothing opened');
  return first.id;
}

async function record(who: Who, id: string, body: Record<string, unknown>): Promise<Answer> {
  const answer = await api(who, 'POST', `/obligations/${id}/events`, body);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer;
}

async function detail(who: Who, id: string): Promise<Answer> {
  const answer = await api(who, 'GET', `/obligations/${id}`);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer;
}

const actsOf = async (who: Who, id: string): Promise<string[]> => (await detail(who, id)).body.allowedActs.map((allowed: { act: string }) => allowed.act);

const decision = (extra: Record<string, unknown> = {}) => ({ rule: 'sss-decision', caseRef: ref(), org: 'zko-uralsk-akimat-sss', start: '2026-03-19T15:20+05:00', ...extra });
const placementReply = (extra: Record<string, unknown> = {}) => ({
  rule: 'kdn-placement-reply',
  caseRef: ref(),
  org: 'zko-uralsk-school-12',
  issuedBy: 'zko-uralsk-kdn',
  start: '2026-03-19T10:00+05:00',
  ...extra,
});
const warning = (extra: Record<string, unknown> = {}) => ({ rule: 'official-warning', caseRef: ref(), org: 'zko-uralsk-police-dv', start: '2026-03-19T12:00+05:00', ...extra });

describe('the attempts of issue 13: each refused, naming the field or the rule, and nothing written', () => {
  const TEN_DAYS_BACK = '2026-03-09T10:00+05:00';

  test('the Uralsk secretary, naming her commission as issuer, opens a decision for the Burlin akimat department: 422 issuedBy; without the issuer, 403 rule', async () => {
    await refused(SECRETARY, 'POST', '/obligations', decision({ org: 'zko-burlin-akimat-sss', issuedBy: 'zko-uralsk-kdn', start: TEN_DAYS_BACK }), {
      status: 422,
      path: 'issuedBy',
      message: /^sss-decision is opened by the body that acts: it has no issuer/,
    });
    await refused(SECRETARY, 'POST', '/obligations', decision({ org: 'zko-burlin-akimat-sss', start: TEN_DAYS_BACK }), {
      status: 403,
      path: 'rule',
      message: /^sss-decision is opened by the acting body or the administrator: you are none of them for zko-burlin-akimat-sss/,
    });
  });

  test('the secretary opens a protective order for the Burlin police: 422 issuedBy; without the issuer, 403 rule', async () => {
    const order = { rule: 'protective-order', caseRef: ref(), org: 'zko-burlin-police-dv', start: '2026-03-19T11:00+05:00' };
    await refused(SECRETARY, 'POST', '/obligations', { ...order, issuedBy: 'zko-uralsk-kdn' }, { status: 422, path: 'issuedBy', message: /^protective-order is opened by the body that acts/ });
    await refused(SECRETARY, 'POST', '/obligations', order, { status: 403, path: 'rule', message: /^protective-order is opened by the acting body or the administrator/ });
  });

  test('the secretary opens a quarterly report for the national committee: 403 rule; nobody opens one by hand, not even the administrator', async () => {
    const report = { rule: 'unit-quarterly-report', caseRef: ref(), org: 'mvd-kap', start: '2026-03-19T10:00+05:00' };
    await refused(SECRETARY, 'POST', '/obligations', { ...report, issuedBy: 'zko-uralsk-kdn' }, { status: 403, path: 'rule', message: /^Merzim opens unit-quarterly-report itself/ });
    await refused(ADMIN, 'POST', '/obligations', { ...report, org: 'zko-uralsk-police-dv' }, { status: 403, path: 'rule', message: /^Merzim opens unit-quarterly-report itself/ });
  });

  test('the secretary opens for a unit that does not exist: 422 naming org, or the addressee; nothing opened for the others', async () => {
    await refused(SECRETARY, 'POST', '/obligations', placementReply({ org: 'zko-burlin-nowhere' }), {
      status: 422,
      path: 'org',
      message: /^zko-burlin-nowhere is not a unit of the directory/,
    });
    const { org: _org, ...withoutOrg } = placementReply();
    await refused(SECRETARY, 'POST', '/obligations', { ...withoutOrg, addressees: ['zko-uralsk-school-12', 'zko-burlin-nowhere'] }, { status: 422, path: 'addressees.1' });
  });

  test('the administrator opens for zko-uralsk-sss, not in the directory: 422 org', async () => {
    await refused(ADMIN, 'POST', '/obligations', decision({ org: 'zko-uralsk-sss' }), { status: 422, path: 'org', message: /^zko-uralsk-sss is not a unit of the directory/ });
  });

  test('an inspector records a check dated a year ahead: 422 at, the next check stays a week away', async () => {
    const id = await openOne(INSPECTOR, { rule: 'offender-check', caseRef: ref(), org: 'zko-uralsk-police-dv', start: '2026-03-18T10:00+05:00' });
    const before = (await store.obligations.getObligation(id))?.dueAt;
    await refused(INSPECTOR, 'POST', `/obligations/${id}/events`, { act: 'checked', at: '2027-03-19T10:00+05:00' }, { status: 422, path: 'at', message: /cannot be dated after the moment it is recorded/ });
    expect((await store.obligations.getObligation(id))?.dueAt).toBe(before);
  });

  test('the akimat department corrects the start of its own overdue decision: 403 naming the act, only its head or the administrator may', async () => {
    const id = await openOne(URALSK_SSS, decision({ start: TEN_DAYS_BACK }));
    // The timer marked it overdue (and escalated it) long ago.
    const stored = await store.obligations.getObligation(id);
    if (stored === undefined) throw new Error('not stored');
    await store.obligations.saveObligation({ ...stored, status: 'overdue', version: stored.version + 1 }, stored.version);
    await refused(URALSK_SSS, 'POST', `/obligations/${id}/events`, { act: 'start-corrected', start: '2026-03-18T10:00+05:00', reason: 'Заключение получено позже' }, {
      status: 403,
      path: 'act',
      message: /^only the acting body's head or the administrator may record start-corrected on sss-decision/,
    });
    expect(await store.obligations.getObligation(id)).toMatchObject({ status: 'overdue', start: parseInstant(TEN_DAYS_BACK), revision: 1 });
  });

  test('an addressee extends the commission’s two-week deadline, then cancels it: 403 naming the act each time', async () => {
    const id = await openOne(SECRETARY, placementReply());
    await refused(SCHOOL, 'POST', `/obligations/${id}/events`, { act: 'extended', dueDate: '2026-07-01' }, {
      status: 403,
      path: 'act',
      message: /^only the issuer \(commission\) or the administrator may record extended on kdn-placement-reply/,
    });
    await refused(SCHOOL, 'POST', `/obligations/${id}/events`, { act: 'cancelled', reason: 'Не актуально' }, { status: 403, path: 'act', message: /may record cancelled on kdn-placement-reply/ });
    expect(await store.obligations.getObligation(id)).toMatchObject({ status: 'open', revision: 1 });
  });

  test('a decision dated before the clock started, and a year in the future: 422 at', async () => {
    const id = await openOne(URALSK_SSS, decision());
    await refused(URALSK_SSS, 'POST', `/obligations/${id}/events`, { act: 'decided', at: '2026-03-19T09:00+05:00' }, { status: 422, path: 'at', message: /^decided cannot be dated before the clock started \(2026-03-19T15:20:00\+05:00\)$/ });
    await refused(URALSK_SSS, 'POST', `/obligations/${id}/events`, { act: 'decided', at: '2027-03-19T10:00+05:00' }, { status: 422, path: 'at', message: /^decided cannot be dated after the moment it is recorded/ });
    expect(await store.obligations.getObligation(id)).toMatchObject({ status: 'open' });
  });

  test('an opening dated ahead of now: 422 start, unless the rule runs ahead', async () => {
    await refused(URALSK_SSS, 'POST', '/obligations', decision({ start: '2026-03-20T10:00+05:00' }), { status: 422, path: 'start', message: /2026-03-20T10:00:00\+05:00 is still ahead$/ });
  });
});

describe('honest times', () => {
  test('a clock 5 minutes ahead is accepted; 6 minutes ahead is refused', async () => {
    const early = await openOne(URALSK_SSS, decision());
    await refused(URALSK_SSS, 'POST', `/obligations/${early}/events`, { act: 'decided', at: at(NOW + 6 * 60_000) }, { status: 422, path: 'at' });
    const decided = await record(URALSK_SSS, early, { act: 'decided', at: at(NOW + 4 * 60_000) });
    expect(decided.body.obligation.status).toBe('done');
    const events = (await detail(URALSK_SSS, early)).body.events;
    expect(events.find((event: { type: string }) => event.type === 'decided')).toMatchObject({ at: '2026-03-19T16:04:00+05:00', recordedAt: '2026-03-19T16:00:00+05:00' });
  });

  test('an act dated over 72 hours back needs a reason; with one it is accepted and shown backdated', async () => {
    const id = await openOne(URALSK_SSS, decision({ start: '2026-03-12T10:00+05:00' }));
    const late = '2026-03-16T11:00+05:00';
    await refused(URALSK_SSS, 'POST', `/obligations/${id}/events`, { act: 'decided', at: late }, { status: 422, path: 'reason', message: /more than 72 hours back: give the reason/ });
    const reason = 'Решение принято 16.03, внесено после проверки связи';
    await record(URALSK_SSS, id, { act: 'decided', at: late, reason });
    const decided = (await detail(URALSK_SSS, id)).body.events.find((event: { type: string }) => event.type === 'decided');
    expect(decided).toMatchObject({ at: '2026-03-16T11:00:00+05:00', recordedAt: '2026-03-19T16:00:00+05:00', reason, backdated: true });
  });

  test('within 72 hours no reason is needed; recorded over an hour late it is still shown backdated, on time it is not', async () => {
    const [late, onTime] = [await openOne(URALSK_SSS, decision({ start: '2026-03-17T09:00+05:00' })), await openOne(URALSK_SSS, decision())];
    await record(URALSK_SSS, late, { act: 'decided', at: '2026-03-17T10:00+05:00' });
    await record(URALSK_SSS, onTime, { act: 'decided', at: '2026-03-19T15:30+05:00' });
    const decidedOf = async (id: string) => (await detail(URALSK_SSS, id)).body.events.find((event: { type: string }) => event.type === 'decided');
    expect(await decidedOf(late)).toMatchObject({ backdated: true });
    expect((await decidedOf(onTime)).backdated).toBeUndefined();
  });
});

describe('correcting a start', () => {
  test('the head, with a reason, within 30 days: the plan moves, and the audit entry keeps the old and the new start and due', async () => {
    const id = await openOne(URALSK_SSS, decision());
    now = NOW + 2 * DAY;
    const reason = 'Заключение фактически поступило 17.03';
    const corrected = await record(URALSK_SSS_HEAD, id, { act: 'start-corrected', start: '2026-03-17T10:00+05:00', reason });
    expect(corrected.body.obligation).toMatchObject({ start: '2026-03-17T10:00:00+05:00', dueAt: '2026-03-20T18:30:00+05:00', revision: 2, status: 'overdue' });
    const events = (await detail(URALSK_SSS_HEAD, id)).body.events;
    expect(events.map((event: { type: string }) => event.type)).toEqual(['opened', 'start-corrected', 'replanned']);
    expect(events[1]).toMatchObject({
      by: URALSK_SSS_HEAD.user,
      reason,
      details: {
        previousStart: new Date(parseInstant('2026-03-19T15:20+05:00')).toISOString(),
        start: new Date(parseInstant('2026-03-17T10:00+05:00')).toISOString(),
        previousDueAt: new Date(parseInstant('2026-03-27T18:30+05:00')).toISOString(),
        dueAt: new Date(parseInstant('2026-03-20T18:30+05:00')).toISOString(),
      },
    });
  });

  test('without a reason: 400 naming reason', async () => {
    const id = await openOne(URALSK_SSS, decision());
    await refused(URALSK_SSS_HEAD, 'POST', `/obligations/${id}/events`, { act: 'start-corrected', start: '2026-03-18T10:00+05:00' }, { status: 400, path: 'reason' });
  });

  test('more than 30 days after opening: 409, the record stands', async () => {
    const id = await openOne(URALSK_SSS, decision());
    now = NOW + 31 * DAY;
    await refused(URALSK_SSS_HEAD, 'POST', `/obligations/${id}/events`, { act: 'start-corrected', start: '2026-03-18T10:00+05:00', reason: 'Уточнение даты' }, {
      status: 409,
      path: 'act',
      message: /within 30 days of opening/,
    });
  });

  test('on a closed obligation: 409', async () => {
    const id = await openOne(URALSK_SSS, decision());
    await record(URALSK_SSS, id, { act: 'decided' });
    await refused(URALSK_SSS_HEAD, 'POST', `/obligations/${id}/events`, { act: 'start-corrected', start: '2026-03-18T10:00+05:00', reason: 'Уточнение даты' }, {
      status: 409,
      path: 'act',
      message: /the obligation is done/,
    });
  });
});

describe('reassignment', () => {
  test('an official takes an unassigned obligation of the unit; another may not take it from them; the head gives it to anyone of the unit', async () => {
    const id = await openOne(INSPECTOR, warning());
    await refused(INSPECTOR, 'POST', `/obligations/${id}/events`, { act: 'reassigned', assignee: OTHER_INSPECTOR.user }, {
      status: 403,
      path: 'assignee',
      message: /you may take an unassigned obligation yourself/,
    });
    const taken = await record(OTHER_INSPECTOR, id, { act: 'reassigned', assignee: OTHER_INSPECTOR.user });
    expect(taken.body.obligation.assignee).toBe(OTHER_INSPECTOR.user);
    await refused(INSPECTOR, 'POST', `/obligations/${id}/events`, { act: 'reassigned', assignee: INSPECTOR.user }, {
      status: 409,
      path: 'act',
      message: /assigned to someone already: the unit's head reassigns it/,
    });
    await refused(UNIT_HEAD, 'POST', `/obligations/${id}/events`, { act: 'reassigned', assignee: 'asel.inspector' }, { status: 422, path: 'assignee', message: /not a member of zko-uralsk-police-dv/ });
    const given = await record(UNIT_HEAD, id, { act: 'reassigned', assignee: INSPECTOR.user });
    expect(given.body.obligation.assignee).toBe(INSPECTOR.user);
    const events = (await detail(UNIT_HEAD, id)).body.events.filter((event: { type: string }) => event.type === 'reassigned');
    expect(events.map((event: { by: string; details: { assignee: string } }) => [event.by, event.details.assignee])).toEqual([
      [OTHER_INSPECTOR.user, OTHER_INSPECTOR.user],
      [UNIT_HEAD.user, INSPECTOR.user],
    ]);
  });
});

describe('suspension', () => {
  test('a rule without a legal ground for a pause: 422 with a clear message', async () => {
    const decisionId = await openOne(URALSK_SSS, decision());
    await refused(URALSK_SSS, 'POST', `/obligations/${decisionId}/events`, { act: 'suspended', reason: 'Заявитель в больнице' }, {
      status: 422,
      path: 'act',
      message: /^sss-decision names no legal ground for a pause: its clock cannot be suspended/,
    });
    const [order] = await open(INSPECTOR, { rule: 'protective-order', caseRef: ref(), org: 'zko-uralsk-police-dv', start: '2026-03-19T11:00+05:00' });
    await refused(UNIT_HEAD, 'POST', `/obligations/${order?.id ?? ''}/events`, { act: 'suspended', reason: 'Правонарушитель задержан' }, {
      status: 422,
      path: 'act',
      message: /^protective-order names no legal ground for a pause/,
    });
  });

  test('the offender check, whose entry names one, is paused and resumed', async () => {
    const id = await openOne(INSPECTOR, { rule: 'offender-check', caseRef: ref(), org: 'zko-uralsk-police-dv', start: '2026-03-18T10:00+05:00' });
    expect((await record(INSPECTOR, id, { act: 'suspended', reason: 'Правонарушитель арестован' })).body.obligation.status).toBe('suspended');
    await refused(INSPECTOR, 'POST', `/obligations/${id}/events`, { act: 'checked' }, { status: 409, path: 'act', message: /paused/ });
    expect((await record(INSPECTOR, id, { act: 'resumed' })).body.obligation).toMatchObject({ status: 'open', start: '2026-03-19T16:00:00+05:00' });
  });
});

describe('allowedActs: what GET /obligations/{id} offers each caller', () => {
  test('the akimat department decides or refuses; its head also corrects the start and cancels', async () => {
    const id = await openOne(URALSK_SSS, decision());
    const department = (await detail(URALSK_SSS, id)).body.allowedActs;
    expect(department).toEqual(expect.arrayContaining([{ act: 'decided', needs: [] }, { act: 'refused', needs: ['reason'] }]));
    const acts = department.map((allowed: { act: string }) => allowed.act);
    for (const act of ['start-corrected', 'cancelled', 'extended', 'extension-requested', 'transferred', 'suspended']) expect(acts, act).not.toContain(act);
    const head = (await detail(URALSK_SSS_HEAD, id)).body.allowedActs;
    expect(head).toEqual(expect.arrayContaining([{ act: 'start-corrected', needs: ['start', 'reason'] }, { act: 'cancelled', needs: ['reason'] }]));
    expect(head.map((allowed: { act: string }) => allowed.act)).not.toContain('extended');
  });

  test('the addressee of a commission’s decision replies or asks for time; the secretary extends only once asked', async () => {
    const id = await openOne(SECRETARY, placementReply());
    const addressee = await actsOf(SCHOOL, id);
    expect(addressee).toEqual(expect.arrayContaining(['replied', 'extension-requested']));
    for (const act of ['extended', 'extension-refused', 'cancelled', 'start-corrected']) expect(addressee, act).not.toContain(act);
    const secretary = await actsOf(SECRETARY, id);
    expect(secretary).toEqual(expect.arrayContaining(['replied', 'cancelled']));
    expect(secretary).not.toContain('extended');
    expect(secretary).not.toContain('extension-refused');
    expect(secretary).not.toContain('extension-requested');
    await refused(SECRETARY, 'POST', `/obligations/${id}/events`, { act: 'extended', dueDate: '2026-04-17' }, { status: 409, path: 'act', message: /no extension has been asked for/ });

    const asked = await record(SCHOOL, id, { act: 'extension-requested', dueDate: '2026-04-17', reason: 'Ребёнок на лечении до 10.04' });
    expect(asked.body.obligation).toMatchObject({ requestedDueDate: '2026-04-17', dueAt: '2026-04-03T00:00:00+05:00' });
    expect(await actsOf(SECRETARY, id)).toEqual(expect.arrayContaining(['extended', 'extension-refused']));
    expect(await actsOf(SCHOOL, id)).not.toContain('extension-requested');

    const extended = await record(SECRETARY, id, { act: 'extended', dueDate: '2026-04-17' });
    expect(extended.body.obligation.dueAt).toBe('2026-04-18T00:00:00+05:00');
    expect(extended.body.obligation.requestedDueDate).toBeUndefined();
    expect(await actsOf(SECRETARY, id)).not.toContain('extended');
  });
});

describe('issue 17: a request at the schema’s maximum opens every obligation once, however many transactions it takes', () => {
  /** Schools of the test's own: 30 addressees, as many as a decision may name (shared/model/obligation.ts). */
  const SCHOOLS = Array.from({ length: 30 }, (_, index) => `zko-fanout-school-${String(index + 1).padStart(2, '0')}`);
  beforeAll(async () => {
    await Promise.all(SCHOOLS.map((org) => store.directory.putOrganisation({ org, kind: 'education', parent: 'zko-uralsk', names: { kk: org, ru: org, en: org } })));
  });

  const measures = Array.from({ length: 20 }, (_, index) => ({ item: String(index + 1), dueDate: '2026-04-30' }));
  const submission = (caseRef: string) => ({ rule: 'submission-reply', caseRef, addressees: SCHOOLS.slice(0, 5), issuedBy: 'zko-uralsk-kdn', start: '2026-03-19T10:00+05:00', measures });

  /** The obligations of a case, by id: each opened once, each with one `opened` entry and one timer. */
  async function openedOnce(caseRef: string, expected: number): Promise<void> {
    const written = await store.obligations.caseObligations(caseRef);
    expect(written).toHaveLength(expected);
    expect(new Set(written.map((obligation) => obligation.id)).size).toBe(expected);
    for (const obligation of written.slice(0, 3)) expect((await store.obligations.events(obligation.id)).filter((entry) => entry.type === 'opened')).toHaveLength(1);
    const started = new Set(sfn.calls.filter((call) => call.action === 'StartExecution').map((call) => String(call.input.name)));
    for (const obligation of written) expect(started.has(`${obligation.id}-r1`), obligation.id).toBe(true);
  }

  test('a decision to 30 addressees: 201, 30 obligations', async () => {
    const caseRef = ref();
    const opened = await open(SECRETARY, { rule: 'kdn-placement-reply', caseRef, addressees: SCHOOLS, issuedBy: 'zko-uralsk-kdn', start: '2026-03-19T10:00+05:00' });
    expect(opened).toHaveLength(30);
    expect(new Set(opened.map((obligation) => obligation.org))).toEqual(new Set(SCHOOLS));
    await openedOnce(caseRef, 30);
  });

  test('a submission to 5 bodies with 20 measures: 201, 105 obligations, in several transactions', async () => {
    const caseRef = ref();
    const opened = await open(SECRETARY, submission(caseRef));
    expect(opened).toHaveLength(5 * 21);
    expect(opened.filter((obligation) => obligation.rule === 'submission-measure')).toHaveLength(100);
    await openedOnce(caseRef, 105);
  });

  test('a failure after the first transaction, then the same request again: the set is completed, nothing opened twice', async () => {
    // A store whose second transaction fails, as a connection dropped mid-request would.
    let writes = 0;
    const failing = new Proxy(documents, {
      get(target, property, receiver) {
        if (property !== 'send') return Reflect.get(target, property, receiver) as unknown;
        return async (command: Parameters<DynamoDBDocumentClient['send']>[0]) => {
          if (command instanceof TransactWriteCommand && (writes += 1) === 2) throw new Error('injected: the connection dropped after the first transaction');
          return target.send(command);
        };
      },
    });
    const base = contextFromEnv();
    const faulty: AppContext = {
      store: storeWith(failing, table),
      executions: base.executions,
      get mail() {
        return base.mail;
      },
      now: () => now,
      calendar: () => base.calendar(),
    };
    const failingHandler = createApiHandler(() => faulty);

    for (const key of ['fanout-retry-1', undefined]) {
      const caseRef = ref();
      writes = 0;
      const headers = key === undefined ? {} : { 'idempotency-key': key };
      const first = await call(failingHandler, 'POST', '/obligations', { as: SECRETARY, body: submission(caseRef), headers });
      expect(first.status, JSON.stringify(first.body)).toBe(500);
      const partial = await store.obligations.caseObligations(caseRef);
      expect(partial.length, 'the first transaction was written').toBeGreaterThan(0);
      expect(partial.length, 'the rest was not').toBeLessThan(105);

      const again = await call(handler, 'POST', '/obligations', { as: SECRETARY, body: submission(caseRef), headers });
      expect(again.status, JSON.stringify(again.body)).toBe(201);
      expect(again.body.obligations).toHaveLength(105);
      const ids = again.body.obligations.map((obligation: { id: string }) => obligation.id);
      for (const written of partial) expect(ids, 'the ids of the first attempt are kept').toContain(written.id);
      await openedOnce(caseRef, 105);

      const third = await call(handler, 'POST', '/obligations', { as: SECRETARY, body: submission(caseRef), headers });
      expect(third.status).toBe(200);
      expect(third.headers['idempotent-replayed']).toBe('true');
      await openedOnce(caseRef, 105);
    }
  });
});

describe('issue 17: a variant is one of the rule’s own, never a name every object inherits', () => {
  test.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty'])('variant "%s" for a rule without variants: 422 variant, nothing written', async (variant) => {
    await refused(URALSK_SSS, 'POST', '/obligations', decision({ variant }), { status: 422, path: 'variant', message: /has no variants/ });
  });

  test('the same names in a preview: 422 variant', async () => {
    for (const variant of ['__proto__', 'constructor', 'toString']) {
      const answer = await api(URALSK_SSS, 'POST', '/plans/preview', decision({ variant }));
      expect(answer.status, JSON.stringify(answer.body)).toBe(422);
      expect(answer.body.issues[0].path).toBe('variant');
    }
  });
});

describe('issue 17: one token cannot open clocks in bulk', () => {
  test('40 openings at once, then 429 with Retry-After and nothing written; others go on; after Retry-After seconds it opens again', async () => {
    // The function's own limits (functions/api/limits.ts), on a wall clock this test moves.
    let wall = 0;
    const limited = createApiHandler(
      () => contextFromEnv(),
      () => new RateLimiter(RATE_LIMITS, () => wall),
    );
    const as = (who: Who, method: string, target: string, body?: unknown) => call(limited, method, target, { as: who, ...(body === undefined ? {} : { body }) });
    expect(RATE_LIMITS.open.capacity).toBe(40);
    for (let n = 0; n < RATE_LIMITS.open.capacity; n += 1) {
      const answer = await as(INSPECTOR, 'POST', '/obligations', warning());
      expect(answer.status, `opening ${n + 1}: ${JSON.stringify(answer.body)}`).toBe(201);
    }
    const over = warning();
    const refusedAnswer = await as(INSPECTOR, 'POST', '/obligations', over);
    expect(refusedAnswer.status).toBe(429);
    expect(refusedAnswer.headers['retry-after']).toBe('1');
    expect(refusedAnswer.body.message).toMatch(/too many requests/);
    expect(await store.obligations.caseObligations(over.caseRef)).toEqual([]);

    // Reading is another bucket; another person has buckets of their own.
    expect((await as(INSPECTOR, 'GET', '/obligations?org=zko-uralsk-police-dv&limit=1')).status).toBe(200);
    expect((await as(OTHER_INSPECTOR, 'POST', '/obligations', warning())).status).toBe(201);

    wall += Number(refusedAnswer.headers['retry-after']) * 1000;
    expect((await as(INSPECTOR, 'POST', '/obligations', over)).status).toBe(201);
    expect(await store.obligations.caseObligations(over.caseRef)).toHaveLength(1);
  });
});

describe('issue 17: an action plan is bounded, and names only bodies of the directory', () => {
  const plan = (items: unknown[]) => ({ plan: `IAP-${randomUUID().slice(0, 6)}`, issuedBy: 'zko-uralsk-kdn', from: '2026-01-01', until: '2026-12-31', items });
  const row = (item: string, responsible: string[], deadline = 'quarterly') => ({ item, deadline, responsible });
  const units = Array.from({ length: 30 }, (_, index) => `zko-plan-school-${String(index + 1).padStart(2, '0')}`);
  beforeAll(async () => {
    await Promise.all(units.map((org) => store.directory.putOrganisation({ org, kind: 'education', parent: 'zko-uralsk', names: { kk: org, ru: org, en: org } })));
  });

  test('a row naming 20,000 bodies, beside a deliberately bad row: 400 naming both rows, nothing opened', async () => {
    const many = Array.from({ length: 20_000 }, (_, index) => `zko-nowhere-${index}`);
    const answer = await refused(SECRETARY, 'POST', '/action-plans', plan([row('1', ['zko-uralsk-school-12'], 'whenever'), row('2', many)]), { status: 400, path: 'responsible' });
    expect(answer.body.issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ row: 1, path: 'deadline' }),
        expect.objectContaining({ row: 2, path: 'responsible', message: 'name at most 30 responsible bodies' }),
      ]),
    );
  });

  test('a body not in the directory: 400 naming its row and the body, with the other errors', async () => {
    const answer = await refused(
      SECRETARY,
      'POST',
      '/action-plans',
      plan([row('1', ['zko-uralsk-school-12'], 'whenever'), row('2', ['zko-uralsk-school-12', 'zko-uralsk-school-999'])]),
      { status: 400, path: 'responsible' },
    );
    expect(answer.body.issues).toEqual([
      expect.objectContaining({ row: 1, path: 'deadline' }),
      { row: 2, path: 'responsible', message: '"zko-uralsk-school-999" is not a unit of the directory' },
    ]);
  });

  test('more than 500 openings in one plan: 400 items, import it in parts', async () => {
    const items = Array.from({ length: 17 }, (_, index) => row(String(index + 1), units));
    const answer = await refused(SECRETARY, 'POST', '/action-plans', plan(items), { status: 400, path: 'items' });
    expect(answer.body.issues).toEqual([{ row: 0, path: 'items', message: 'a plan opens at most 500 obligations (one per item and responsible body), this one 510: import it in parts' }]);
  });
});

describe('issue 17: a list’s cursor reveals nothing, and never points at what the caller does not see', () => {
  const BURLIN_INSPECTOR = 'asel.inspector';
  const BURLIN_POLICE = 'zko-burlin-police-dv';
  let burlinIds: string[] = [];

  /** Neither the cursor nor its bytes hold an obligation id or an instant. */
  function revealsNothing(cursor: string, ids: readonly string[]): void {
    const bytes = Buffer.from(cursor, 'base64url').toString('latin1');
    for (const id of ids) {
      expect(cursor).not.toContain(id);
      expect(bytes).not.toContain(id);
      expect(cursor).not.toContain(Buffer.from(id).toString('base64url').slice(0, 12));
    }
    expect(bytes).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}/);
    expect(cursor).not.toContain(Buffer.from('2026-').toString('base64url').slice(0, 6));
  }

  beforeAll(async () => {
    burlinIds = [];
    for (let n = 0; n < 3; n += 1) burlinIds.push(await openOne(ADMIN, { ...warning({ org: BURLIN_POLICE }), assignee: BURLIN_INSPECTOR }));
  });

  test('a unit head lists another district’s inspector’s assignments with limit=1: no items and no cursor', async () => {
    const answer = await api(UNIT_HEAD, 'GET', `/obligations?assignee=${BURLIN_INSPECTOR}&limit=1`);
    expect(answer.status).toBe(200);
    expect(answer.body.obligations).toEqual([]);
    expect(answer.body.cursor).toBeUndefined();
    for (const status of ['overdue', 'closed', 'due-soon']) {
      const other = await api(UNIT_HEAD, 'GET', `/obligations?assignee=${BURLIN_INSPECTOR}&status=${status}&limit=1`);
      expect(other.body.obligations).toEqual([]);
      expect(other.body.cursor).toBeUndefined();
    }
  });

  test('a cursor given holds no id and no instant, opens only for its caller and query, and pages through', async () => {
    const first = await api(ADMIN, 'GET', `/obligations?assignee=${BURLIN_INSPECTOR}&limit=1`);
    expect(first.body.obligations).toHaveLength(1);
    const cursor = first.body.cursor as string;
    expect(cursor).toBeDefined();
    revealsNothing(cursor, burlinIds);

    const seen = [first.body.obligations[0].id as string];
    let next: string | undefined = cursor;
    while (next !== undefined) {
      const page = await api(ADMIN, 'GET', `/obligations?assignee=${BURLIN_INSPECTOR}&limit=1&cursor=${next}`);
      expect(page.status).toBe(200);
      seen.push(...page.body.obligations.map((obligation: { id: string }) => obligation.id));
      next = page.body.cursor;
      if (next !== undefined) revealsNothing(next, burlinIds);
    }
    expect(seen.sort()).toEqual([...burlinIds].sort());

    // Another caller, another query, or a changed character: 400 on the cursor.
    for (const [who, query] of [
      [UNIT_HEAD, `assignee=${BURLIN_INSPECTOR}&limit=1`],
      [ADMIN, `assignee=${BURLIN_INSPECTOR}&status=overdue&limit=1`],
      [ADMIN, `org=${BURLIN_POLICE}&limit=1`],
    ] as const) {
      const answer = await api(who, 'GET', `/obligations?${query}&cursor=${cursor}`);
      expect(answer.status, `${who.user} ${query}`).toBe(400);
      expect(answer.body.issues[0].path).toBe('cursor');
    }
    const changed = `${cursor.slice(0, 20)}${cursor[20] === 'A' ? 'B' : 'A'}${cursor.slice(21)}`;
    expect((await api(ADMIN, 'GET', `/obligations?assignee=${BURLIN_INSPECTOR}&limit=1&cursor=${changed}`)).status).toBe(400);
  });

  test('a head’s page of a person’s assignments, some in reach and some not: full pages of what it sees, the cursor at the last one shown', async () => {
    // Nurlan, of the Uralsk unit, also holds two of Burlin's (handed over): his head sees only the Uralsk ones.
    const uralsk = [];
    for (let n = 0; n < 3; n += 1) uralsk.push(await openOne(ADMIN, { ...warning(), assignee: 'nurlan.inspector' }));
    const hidden = [];
    for (let n = 0; n < 2; n += 1) hidden.push(await openOne(ADMIN, { ...warning({ org: BURLIN_POLICE }), assignee: 'nurlan.inspector' }));
    const shown: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await api(UNIT_HEAD, 'GET', `/obligations?assignee=nurlan.inspector&limit=2${cursor === undefined ? '' : `&cursor=${cursor}`}`);
      expect(page.status).toBe(200);
      for (const obligation of page.body.obligations as { id: string; org: string }[]) {
        expect(obligation.org).toBe('zko-uralsk-police-dv');
        shown.push(obligation.id);
      }
      cursor = page.body.cursor;
      if (cursor !== undefined) {
        expect(page.body.obligations, 'a page with a cursor is full').toHaveLength(2);
        revealsNothing(cursor, [...uralsk, ...hidden]);
      }
    } while (cursor !== undefined);
    for (const id of uralsk) expect(shown).toContain(id);
    for (const id of hidden) expect(shown).not.toContain(id);
  });
});
