import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { ObligationDetailResponseSchema, ListResponseSchema, OpenedResponseSchema } from '../../functions/api/schemas.ts';
import { API_ROUTES } from '../../contract/index.ts';
import { handler } from '../../functions/handlers/api.ts';
import { type OrganisationKind, parseInstant } from '../../shared/base/index.ts';
import { readDirectory } from '../../local/system/directory.ts';
import type { Store } from '../../functions/adapters/store/index.ts';
import { sharedDynamoDbLocal } from '../local/support.ts';
import { logLines } from '../support/log.ts';
import { type Answer, type RequestParts, type Who, ADMIN, type RecordingSfn, STATE_MACHINE_ARN_PREFIX, call, registerUnit, apiEnvironment, type ApiEnvironment } from './support.ts';

// DynamoDB Local can be slow to answer on a busy machine; nothing here waits on time itself.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const dynamodb = sharedDynamoDbLocal();
let environment: ApiEnvironment | undefined;
let sfn: RecordingSfn;
let store: Store;

/** The API's "now": lent to the functions as the embedded runtime lends its clock. */
let now = parseInstant('2026-03-19T16:00:00+05:00');

const INSPECTOR: Who = { user: 'insp.almaty.07', org: 'almaty-police-07', groups: ['inspector'] };
const SOCIAL: Who = { user: 'sss.almaty.1', org: 'almaty-sss', groups: ['akimat-department'] };
const SECRETARY: Who = { user: 'kdn.secretary', org: 'almaty-kdn', groups: ['commission-secretary'] };
/** The secretary of the commission that issued the action plan of the fixture. */
const ZKO_SECRETARY: Who = { user: 'dana.secretary', org: 'zko-uralsk-kdn', groups: ['commission-secretary'] };

// Each test works in units of its own, put in the directory as it starts: an administrator
// reaches them all. Who may reach what is test/api/scope.test.ts's, on the demo hierarchy.
const api = (method: string, target: string, parts: RequestParts = {}): Promise<Answer> => call(handler, method, target, { as: ADMIN, ...parts });

beforeAll(async () => {
  // The action plan of the fixture names the demo region's bodies.
  environment = await apiEnvironment(dynamodb.endpoint(), 'merzim-api', { organisations: readDirectory().organisations, now: () => now });
  ({ sfn, store } = environment);
});

afterAll(() => environment?.close());

/** A fresh unit code per test, so that work lists do not see each other. */
const fresh = (name: string): string => `${name}-${randomUUID().slice(0, 8)}`;
/** A fresh unit, put in the directory with its kind. */
const unit = (name: string, kind: OrganisationKind = 'akimat-department'): Promise<string> => registerUnit(store, fresh(name), kind);

const sss = (org: string, extra: Record<string, unknown> = {}) => ({
  rule: 'sss-decision',
  caseRef: 'СВ-2026/0142',
  org,
  start: '2026-03-19T15:20+05:00',
  ...extra,
});

async function list(query: string, as: Who = ADMIN): Promise<Answer> {
  const answer = await api('GET', `/obligations?${query}`, { as });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  ListResponseSchema.parse(answer.body);
  return answer;
}

describe('POST /obligations', () => {
  test('opens sss-decision: 201, due 2026-03-27 at the close of business (Nauryz moves it), timer started', async () => {
    const org = await unit('almaty-sss');
    const answer = await api('POST', '/obligations', { body: sss(org) });
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
    const { obligations } = OpenedResponseSchema.parse(answer.body);
    expect(obligations).toHaveLength(1);
    const [view] = obligations;
    expect(view).toMatchObject({
      rule: 'sss-decision',
      org,
      status: 'open',
      start: '2026-03-19T15:20:00+05:00',
      dueAt: '2026-03-27T18:30:00+05:00',
      createdAt: '2026-03-19T16:00:00+05:00',
      revision: 1,
      ruleName: { en: 'Decision on special social services' },
      plan: { dueDate: '2026-03-27', dueAt: '2026-03-27T18:30:00+05:00' },
    });
    expect(view?.overdueGrounds).toBeUndefined();
    expect(sfn.calls).toContainEqual({
      action: 'StartExecution',
      input: expect.objectContaining({ stateMachineArn: `${STATE_MACHINE_ARN_PREFIX}sss-decision`, name: `${view?.id}-r1` }),
    });
  });

  test('the same Idempotency-Key twice: the same obligations, the second answer 200 and replayed', async () => {
    const org = await unit('almaty-sss');
    const key = `retry-${randomBytes(16).toString('base64url')}`;
    const first = await api('POST', '/obligations', { body: sss(org), headers: { 'Idempotency-Key': key } });
    const second = await api('POST', '/obligations', { body: sss(org), headers: { 'idempotency-key': key } });
    expect(first.status).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(second.status).toBe(200);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.body.obligations.map((o: { id: string }) => o.id)).toEqual(first.body.obligations.map((o: { id: string }) => o.id));
    expect((await list(`org=${org}`)).body.obligations).toHaveLength(1);
  });

  test('the same key with another body: 409', async () => {
    const org = await unit('almaty-sss');
    const key = `retry-${randomBytes(16).toString('base64url')}`;
    expect((await api('POST', '/obligations', { body: sss(org), headers: { 'Idempotency-Key': key } })).status).toBe(201);
    const other = await api('POST', '/obligations', { body: sss(org, { caseRef: 'СВ-2026/0143' }), headers: { 'Idempotency-Key': key } });
    expect(other.status).toBe(409);
    expect(other.body.message).toMatch(/Idempotency-Key/);
  });

  test('an Idempotency-Key of the wrong form: 400', async () => {
    const answer = await api('POST', '/obligations', { body: sss(await unit('almaty-sss')), headers: { 'Idempotency-Key': 'short' } });
    expect(answer.status).toBe(400);
    expect(answer.body.message).toMatch(/Idempotency-Key/);
  });

  test('a bad body: 400 naming the field and the reason, nothing written', async () => {
    const org = await unit('almaty-sss');
    const calls = sfn.calls.length;
    const answer = await api('POST', '/obligations', { body: sss(org, { caseRef: '', start: 'next tuesday' }) });
    expect(answer.status).toBe(400);
    expect(answer.body.issues).toEqual(
      expect.arrayContaining([
        { path: 'caseRef', message: 'a case reference is required' },
        { path: 'start', message: expect.stringContaining('"next tuesday" is not an instant') },
      ]),
    );
    expect(answer.body.message).toMatch(/^invalid body: caseRef/);
    expect((await list(`org=${org}`)).body.obligations).toEqual([]);
    expect(sfn.calls.length).toBe(calls);
  });

  test('an unknown field: 400 naming it', async () => {
    const answer = await api('POST', '/obligations', { body: sss(await unit('almaty-sss'), { iin: '900101300123' }) });
    expect(answer.status).toBe(400);
    expect(answer.body.issues).toContainEqual({ path: 'iin', message: 'unknown field' });
  });

  test('malformed JSON: 400; no content type: 415', async () => {
    const malformed = await api('POST', '/obligations', { rawBody: '{"rule": "sss-decision",' });
    expect(malformed.status).toBe(400);
    expect(malformed.body).toEqual({ message: 'the body is not valid JSON', issues: [{ path: 'body', message: 'the body is not valid JSON' }] });
    const untyped = await api('POST', '/obligations', { rawBody: '{}', headers: { 'Content-Type': 'text/plain' } });
    expect(untyped.status).toBe(415);
    expect(untyped.body.issues).toEqual([{ path: 'content-type', message: 'send the body as JSON, with content-type: application/json' }]);
  });

  test('an unknown rule: 422', async () => {
    const org = await unit('almaty-sss');
    const answer = await api('POST', '/obligations', { body: sss(org, { rule: 'no-such-rule' }) });
    expect(answer.status).toBe(422);
    expect(answer.body.message).toMatch(/unknown rule "no-such-rule"/);
    expect((await list(`org=${org}`)).body.obligations).toEqual([]);
  });

  test('a commission decision to 4 addressees: 4 obligations, each in its own organisation’s list and in the commission’s', async () => {
    const commission = await unit('almaty-kdn', 'commission');
    const addressees = [await unit('almaty-police', 'police-unit'), await unit('almaty-sss'), await unit('almaty-education', 'education'), await unit('almaty-health', 'health')];
    const answer = await api('POST', '/obligations', {
      // The secretary of the commission that issues the decision.
      as: { ...SECRETARY, org: commission },
      body: { rule: 'kdn-placement-reply', caseRef: 'КДН-2026/77', addressees, issuedBy: commission, start: '2026-03-19T10:00' },
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    expect(answer.body.obligations.map((o: { org: string }) => o.org)).toEqual(addressees);
    for (const org of addressees) {
      const { body } = await list(`org=${org}`);
      expect(body.obligations).toHaveLength(1);
      expect(body.obligations[0]).toMatchObject({ org, issuedBy: commission, rule: 'kdn-placement-reply' });
    }
    expect((await list(`issuer=${commission}`)).body.obligations).toHaveLength(4);
  });

  test('a protective order opens its offender checks with it', async () => {
    const org = await unit('almaty-police', 'police-unit');
    const inspector: Who = { ...INSPECTOR, org };
    const answer = await api('POST', '/obligations', {
      as: inspector,
      body: { rule: 'protective-order', caseRef: 'ЗП-2026/15', org, assignee: INSPECTOR.user, start: '2026-03-19T11:00' },
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    const [order, check] = answer.body.obligations;
    expect(order.rule).toBe('protective-order');
    expect(check).toMatchObject({ rule: 'offender-check', org, parentId: order.id, caseRef: 'ЗП-2026/15' });
    expect((await list(`assignee=${INSPECTOR.user}`, inspector)).body.obligations.map((o: { id: string }) => o.id)).toEqual(
      expect.arrayContaining([order.id, check.id]),
    );
  });
});

describe('acts', () => {
  /** A decision opened by the administrator; the department's own member records it. */
  async function opened(): Promise<{ id: string; org: string; department: Who }> {
    const org = await unit('almaty-sss');
    const answer = await api('POST', '/obligations', { body: sss(org) });
    expect(answer.status).toBe(201);
    return { id: answer.body.obligations[0].id, org, department: { ...SOCIAL, org } };
  }

  test('a decision recorded: done, the timer stopped, and GET shows the act in the events', async () => {
    const { id, org, department } = await opened();
    // Dated when it was taken: after the conclusion arrived (15:20), before it is recorded (16:00).
    const answer = await api('POST', `/obligations/${id}/events`, { as: department, body: { act: 'decided', at: '2026-03-19T15:45', note: 'решение № 14' } });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body.obligation).toMatchObject({ id, status: 'done', closedBy: 'decided', closedAt: '2026-03-19T16:00:00+05:00' });
    expect(sfn.executions.get(`${STATE_MACHINE_ARN_PREFIX.replace(':stateMachine:', ':execution:')}sss-decision:${id}-r1`)?.stopped).toBe(true);

    const detail = await api('GET', `/obligations/${id}`);
    expect(detail.status).toBe(200);
    const parsed = ObligationDetailResponseSchema.parse(detail.body);
    expect(parsed.events.map((event) => event.type)).toEqual(['opened', 'decided']);
    expect(parsed.events[1]).toMatchObject({ type: 'decided', at: '2026-03-19T15:45:00+05:00', by: SOCIAL.user, note: 'решение № 14' });
    expect(parsed.notices).toEqual([]);

    expect((await list(`org=${org}&status=closed`)).body.obligations.map((o: { id: string }) => o.id)).toEqual([id]);
    expect((await list(`org=${org}`)).body.obligations).toEqual([]);
  });

  test('a refusal without a reason: 400 naming reason', async () => {
    const { id } = await opened();
    const answer = await api('POST', `/obligations/${id}/events`, { body: { act: 'refused' } });
    expect(answer.status).toBe(400);
    expect(answer.body.issues).toEqual([{ path: 'reason', message: 'refused needs a reason' }]);
  });

  test('an act that does not apply to the rule: 422', async () => {
    const { id } = await opened();
    const answer = await api('POST', `/obligations/${id}/events`, { body: { act: 'checked' } });
    expect(answer.status).toBe(422);
    expect(answer.body.message).toMatch(/"checked" does not apply to sss-decision/);
  });

  test('an act on a closed obligation: 409', async () => {
    const { id, department } = await opened();
    expect((await api('POST', `/obligations/${id}/events`, { as: department, body: { act: 'decided' } })).status).toBe(200);
    const again = await api('POST', `/obligations/${id}/events`, { as: department, body: { act: 'decided' } });
    expect(again.status).toBe(409);
    expect(again.body.message).toMatch(/done/);
  });

  test('an unknown obligation: 404; a malformed id: 400', async () => {
    expect((await api('GET', '/obligations/o-no-such-thing')).status).toBe(404);
    expect((await api('POST', '/obligations/o-no-such-thing/events', { body: { act: 'decided' } })).status).toBe(404);
    const malformed = await api('GET', '/obligations/NOT_AN_ID');
    expect(malformed.status).toBe(400);
    expect(malformed.body.issues[0].path).toBe('id');
  });
});

describe('GET /obligations', () => {
  test('by organisation and state; due-soon is open and due within `within` days', async () => {
    const org = await unit('almaty-sss');
    const early = await api('POST', '/obligations', { body: sss(org, { caseRef: 'A-1', start: '2026-03-16T10:00' }) }); // due 2026-03-19
    const late = await api('POST', '/obligations', { body: sss(org, { caseRef: 'A-2' }) }); // due 2026-03-27
    expect([early.status, late.status]).toEqual([201, 201]);
    expect(early.body.obligations[0].dueAt).toBe('2026-03-19T18:30:00+05:00');
    const ids = (answer: Answer) => answer.body.obligations.map((o: { caseRef: string }) => o.caseRef);

    expect(ids(await list(`org=${org}&status=open`))).toEqual(['A-1', 'A-2']);
    expect(ids(await list(`org=${org}&status=due-soon`))).toEqual(['A-1']);
    expect(ids(await list(`org=${org}&status=due-soon&within=9`))).toEqual(['A-1', 'A-2']);
    expect(ids(await list(`org=${org}&status=overdue`))).toEqual([]);

    const page = await list(`org=${org}&limit=1`);
    expect(ids(page)).toEqual(['A-1']);
    expect(page.body.cursor).toEqual(expect.any(String));
    expect(ids(await list(`org=${org}&limit=1&cursor=${page.body.cursor}`))).toEqual(['A-2']);
  });

  test('groups of the open work, cut at now in Kazakhstan time: overdue, due this week (to Sunday 24:00), later; each counted whole', async () => {
    // Now is Thursday 19 March 2026, 16:00 at +05:00: this week ends on Sunday 22 March at 24:00.
    const org = await unit('almaty-sss');
    const opened = async (caseRef: string, start: string) => {
      const answer = await api('POST', '/obligations', { body: sss(org, { caseRef, start }) });
      expect(answer.status, JSON.stringify(answer.body)).toBe(201);
      return answer.body.obligations[0] as { id: string; dueAt: string };
    };
    const late = await opened('B-7', '2026-03-06T10:00'); // due before now
    const soon = await opened('A-1', '2026-03-16T10:00'); // due 19 March 18:30
    const later = await opened('A-2', '2026-03-19T15:20'); // due 27 March 18:30
    await opened('B-9', '2026-03-19T15:30'); // due 27 March 18:30 too
    expect(Date.parse(late.dueAt)).toBeLessThan(now);
    expect(soon.dueAt).toBe('2026-03-19T18:30:00+05:00');
    expect(later.dueAt).toBe('2026-03-27T18:30:00+05:00');
    const caseRefs = (answer: Answer) => answer.body.obligations.map((o: { caseRef: string }) => o.caseRef).sort();

    const overdue = await list(`org=${org}&group=overdue`);
    expect(caseRefs(overdue)).toEqual(['B-7']);
    expect(overdue.body.obligations[0].status).toBe('overdue');
    expect(overdue.body.group).toEqual({ name: 'overdue', asOf: '2026-03-19T16:00:00+05:00', dueBy: '2026-03-19T16:00:00+05:00', total: 1 });
    const week = await list(`org=${org}&group=week`);
    expect(caseRefs(week)).toEqual(['A-1']);
    expect(week.body.group).toEqual({ name: 'week', asOf: '2026-03-19T16:00:00+05:00', dueAfter: '2026-03-19T16:00:00+05:00', dueBy: '2026-03-23T00:00:00+05:00', total: 1 });
    const rest = await list(`org=${org}&group=later`);
    expect(caseRefs(rest)).toEqual(['A-2', 'B-9']);
    expect(rest.body.group).toMatchObject({ dueAfter: '2026-03-23T00:00:00+05:00', total: 2 });
    expect(rest.body.group.dueBy).toBeUndefined();

    // On Sunday evening the week is that night; from Monday 00:00 the next one.
    now = parseInstant('2026-03-22T23:00:00+05:00');
    try {
      expect((await list(`org=${org}&group=week`)).body.group.dueBy).toBe('2026-03-23T00:00:00+05:00');
      now = parseInstant('2026-03-23T00:00:00+05:00');
      const monday = await list(`org=${org}&group=week`);
      expect(monday.body.group.dueBy).toBe('2026-03-30T00:00:00+05:00');
      expect(caseRefs(monday)).toEqual(['A-2', 'B-9']);
      expect(caseRefs(await list(`org=${org}&group=overdue`))).toEqual(['A-1', 'B-7']);
    } finally {
      now = parseInstant('2026-03-19T16:00:00+05:00');
    }
  });

  test('a list carries what its cards show, never the plan: the plan comes with the obligation', async () => {
    const commission = await unit('almaty-kdn', 'commission');
    const police = await unit('almaty-police', 'police-unit');
    const school = await unit('almaty-education', 'education');
    // A submission received in February is overdue now, with its grounds; an order lapses (an expiry); a decision counted over Nauryz.
    const submission = await api('POST', '/obligations', {
      as: { ...SECRETARY, org: commission },
      body: { rule: 'submission-reply', caseRef: 'КДН-2026/91', addressees: [school], issuedBy: commission, start: '2026-02-02T10:00' },
    });
    const order = await api('POST', '/obligations', { as: { ...INSPECTOR, org: police }, body: { rule: 'protective-order', caseRef: 'ЗП-2026/31', org: police, start: '2026-03-19T11:00' } });
    const sssOrg = await unit('almaty-sss');
    const decision = await api('POST', '/obligations', { body: sss(sssOrg) });
    expect([submission.status, order.status, decision.status], JSON.stringify([submission.body, order.body, decision.body])).toEqual([201, 201, 201]);

    const listed = [
      ...(await list(`issuer=${commission}&status=overdue`)).body.obligations,
      ...(await list(`org=${police}`)).body.obligations,
      ...(await list(`org=${sssOrg}&group=later`)).body.obligations,
      ...(await api('GET', `/cases?caseRef=${encodeURIComponent('ЗП-2026/31')}`)).body.obligations,
    ] as Record<string, unknown>[];
    expect(listed.map((item) => item['caseRef']).sort()).toEqual(['ЗП-2026/31', 'ЗП-2026/31', 'ЗП-2026/31', 'ЗП-2026/31', 'КДН-2026/91', 'СВ-2026/0142']);
    for (const item of listed) {
      expect(item).not.toHaveProperty('plan');
      expect(item).not.toHaveProperty('tally');
      const { body } = await api('GET', `/obligations/${String(item['id'])}`);
      const { plan, createdAt: _createdAt, createdBy: _createdBy, version: _version, timer: _timer, ...shown } = body.obligation;
      // The card's fields are the obligation's, and what it shows of the plan is the plan's.
      expect(item).toEqual(Object.fromEntries(Object.entries(shown).filter(([name]) => name in item || name === 'overdueGrounds')));
      const escalations = plan.milestones.filter((milestone: { kind: string }) => milestone.kind === 'escalation').map(({ at, notify }: { at: string; notify: string[] }) => ({ at, notify }));
      expect(item['deadline']).toEqual({
        lastDay: plan.dueDate,
        ...(plan.movedFrom === undefined ? {} : { movedFrom: plan.movedFrom }),
        ...(plan.milestones.some((milestone: { kind: string }) => milestone.kind === 'expiry') ? { expiry: true } : {}),
        escalations,
      });
    }
    const ofRule = (rule: string) => listed.find((item) => item['rule'] === rule);
    const [overdue, lapsing, moved] = [ofRule('submission-reply'), ofRule('protective-order'), ofRule('sss-decision')];
    expect(overdue).toMatchObject({ status: 'overdue', overdueGrounds: { names: { en: expect.stringMatching(/CoAO art\. 479/) } } });
    expect((overdue?.['deadline'] as { escalations: unknown[] }).escalations.length).toBeGreaterThan(0);
    expect(lapsing?.['deadline']).toMatchObject({ expiry: true });
    expect(moved?.['deadline']).toMatchObject({ lastDay: '2026-03-27' });
  });

  test('search by the start of a case reference, and pages whose cursor belongs to its query and caller', async () => {
    const org = await unit('almaty-sss');
    for (const caseRef of ['СВ-2026/0201', 'СВ-2026/0202', 'СВ-2026/0203', 'КУИ-2026/77']) {
      expect((await api('POST', '/obligations', { body: sss(org, { caseRef }) })).status).toBe(201);
    }
    const caseRefs = (answer: Answer) => answer.body.obligations.map((o: { caseRef: string }) => o.caseRef);
    const found = await list(`org=${org}&group=later&caseRef=${encodeURIComponent('КУИ')}`);
    expect(caseRefs(found)).toEqual(['КУИ-2026/77']);
    expect(found.body.group.total).toBe(1);
    expect(caseRefs(await list(`org=${org}&group=later&caseRef=${encodeURIComponent('СВ-2026/0202')}`))).toEqual(['СВ-2026/0202']);
    expect(caseRefs(await list(`org=${org}&group=week&caseRef=${encodeURIComponent('КУИ')}`))).toEqual([]);
    // A page of one still finds each case: the search reads on past the cases before it, never an empty page with "more".
    for (const caseRef of ['СВ-2026/0201', 'СВ-2026/0202', 'СВ-2026/0203', 'КУИ-2026/77']) {
      const one = await list(`org=${org}&group=later&caseRef=${encodeURIComponent(caseRef)}&limit=1`);
      expect(caseRefs(one), caseRef).toEqual([caseRef]);
    }

    // Two at a time: every page, each case once, and the total of the whole group on each.
    const query = `org=${org}&group=later&caseRef=${encodeURIComponent('СВ-')}&limit=2`;
    const first = await list(query);
    expect(first.body.group.total).toBe(3);
    expect(first.body.cursor).toEqual(expect.any(String));
    const seen = [...caseRefs(first)];
    let cursor: string | undefined = first.body.cursor;
    while (cursor !== undefined) {
      const next = await list(`${query}&cursor=${cursor}`);
      seen.push(...caseRefs(next));
      cursor = next.body.cursor;
    }
    expect(seen.sort()).toEqual(['СВ-2026/0201', 'СВ-2026/0202', 'СВ-2026/0203']);

    // The cursor is of that query and that caller: another group, search, unit or caller is refused.
    const other = await unit('almaty-sss');
    for (const [target, as] of [
      [`org=${org}&group=week&limit=2`, ADMIN],
      [`org=${org}&group=later&caseRef=${encodeURIComponent('КУИ')}&limit=2`, ADMIN],
      [`org=${other}&group=later&caseRef=${encodeURIComponent('СВ-')}&limit=2`, ADMIN],
      [query, { ...ADMIN, user: 'admin.other' }],
    ] as const) {
      const refused = await api('GET', `/obligations?${target}&cursor=${first.body.cursor}`, { as });
      expect(refused.status, target).toBe(400);
      expect(refused.body.issues[0].path).toBe('cursor');
    }
    // A changed page size is the same query.
    expect((await api('GET', `/obligations?${query.replace('limit=2', 'limit=5')}&cursor=${first.body.cursor}`)).status).toBe(200);
  });

  test('bad queries: 400', async () => {
    for (const query of [
      '',
      'org=a-b&assignee=c.d',
      'org=almaty&status=late',
      'org=almaty&limit=0',
      'org=almaty&within=3',
      'org=almaty&cursor=@@',
      'org=almaty&sort=due',
      'org=almaty&group=soon',
      'org=almaty&group=week&status=open',
      'org=almaty&caseRef=',
      'org=almaty&caseRef=%24where',
    ]) {
      const answer = await api('GET', `/obligations?${query}`);
      expect(answer.status, query).toBe(400);
      expect(answer.body.issues.length, query).toBeGreaterThan(0);
    }
    const foreign = await api('GET', `/obligations?org=almaty&cursor=${Buffer.from('[1]').toString('base64url')}`);
    expect(foreign.status).toBe(400);
  });
});

describe('catalog', () => {
  test('GET /rules lists every rule with its sources; GET /rules/{id} gives one, 404 for an unknown one', async () => {
    const rules = await api('GET', '/rules');
    expect(rules.status).toBe(200);
    expect(rules.body.rules.map((rule: { id: string }) => rule.id)).toContain('sss-decision');
    const report = rules.body.rules.find((rule: { id: string }) => rule.id === 'unit-quarterly-report');
    expect(report.variants.map((variant: { id: string }) => variant.id)).toContain('district');
    const one = await api('GET', '/rules/sss-decision');
    expect(one.status).toBe(200);
    expect(one.body.rule).toMatchObject({ id: 'sss-decision', counting: { period: { unit: 'working-days', count: 3 } } });
    expect((await api('GET', '/rules/no-such-rule')).status).toBe(404);
  });
});

describe('calendar', () => {
  test('GET /calendar/2026: Nauryz and its transfers; a year outside the data: 422', async () => {
    const year = await api('GET', '/calendar/2026');
    expect(year.status).toBe(200);
    expect(year.body.year).toBe(2026);
    expect(year.body.nonWorkingWeekdays).toContainEqual(expect.objectContaining({ date: '2026-03-23', names: expect.objectContaining({ kk: expect.any(String) }) }));
    expect((await api('GET', '/calendar/1990')).status).toBe(422);
    expect((await api('GET', '/calendar/twenty')).status).toBe(400);
  });

  test('only an administrator may write overrides: 403 for anyone else, nothing written', async () => {
    const answer = await api('PUT', '/calendar/overrides/2027-11-29', { as: SOCIAL, body: { kind: 'day-off', reason: 'decree of the Government' } });
    expect(answer.status).toBe(403);
    expect((await api('GET', '/calendar/overrides')).body.overrides).toEqual([]);
  });

  test('an administrator puts and deletes an override; the year shows it; a bad date: 400, outside the data: 422', async () => {
    const put = await api('PUT', '/calendar/overrides/2027-11-29', { as: ADMIN, body: { kind: 'day-off', reason: 'decree of the Government', source: 'Decree No. 1' } });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body).toEqual({ override: { date: '2027-11-29', kind: 'day-off', reason: 'decree of the Government', source: 'Decree No. 1' }, replanned: expect.any(Number) });
    const year = await api('GET', '/calendar/2027');
    expect(year.body.overrides).toEqual([put.body.override]);
    expect(year.body.nonWorkingWeekdays).toContainEqual({ date: '2027-11-29', reason: 'override' });
    expect((await api('DELETE', '/calendar/overrides/2027-11-29', { as: ADMIN })).status).toBe(204);
    expect((await api('DELETE', '/calendar/overrides/2027-11-29', { as: ADMIN })).status).toBe(404);
    expect((await api('PUT', '/calendar/overrides/2027-02-30', { as: ADMIN, body: { kind: 'day-off', reason: 'none' } })).status).toBe(400);
    expect((await api('PUT', '/calendar/overrides/2040-01-02', { as: ADMIN, body: { kind: 'day-off', reason: 'too far' } })).status).toBe(422);
  });
});

describe('directory', () => {
  test('an administrator puts an organisation and a member; others may not; the path decides the org', async () => {
    const org = fresh('almaty-district');
    const names = { kk: 'Алмалы ауданы', ru: 'Алмалинский район', en: 'Almaly district' };
    expect((await api('PUT', `/organisations/${org}`, { as: SOCIAL, body: { kind: 'district', names } })).status).toBe(403);
    const put = await api('PUT', `/organisations/${org}`, { as: ADMIN, body: { kind: 'district', names } });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body.organisation).toEqual({ org, kind: 'district', names });
    expect((await api('PUT', `/organisations/${org}`, { as: ADMIN, body: { org: 'elsewhere', kind: 'district', names } })).status).toBe(400);
    const member = await api('PUT', `/organisations/${org}/members/head.almaly`, { as: ADMIN, body: { role: 'deputy-akim', email: 'head@almaly.example.kz' } });
    expect(member.status, JSON.stringify(member.body)).toBe(200);
    expect(member.body.member).toEqual({ org, user: 'head.almaly', role: 'deputy-akim', email: 'head@almaly.example.kz' });
    expect((await api('PUT', `/organisations/${fresh('nowhere')}/members/head.almaly`, { as: ADMIN, body: { role: 'deputy-akim', email: 'a@b.kz' } })).status).toBe(404);
    expect((await api('GET', '/organisations')).body.organisations).toContainEqual(put.body.organisation);
  });
});

describe('POST /action-plans', () => {
  const plan = () => JSON.parse(readFileSync(new URL('../fixtures/action-plan-zko-2020.json', import.meta.url), 'utf8')) as { items: { responsible: string[] }[] } & Record<string, unknown>;

  test('a commission secretary imports a plan: one obligation per item and body; a re-run opens nothing new', async () => {
    const body = { ...plan(), plan: `ZKO-IAP-${randomUUID().slice(0, 6)}` };
    expect(plan()['issuedBy']).toBe(ZKO_SECRETARY.org);
    const expected = body.items.reduce((sum, item) => sum + item.responsible.length, 0);
    const first = await api('POST', '/action-plans', { as: ZKO_SECRETARY, body });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body).toMatchObject({ opened: expected, replayed: 0 });
    const again = await api('POST', '/action-plans', { as: ZKO_SECRETARY, body });
    expect(again.status).toBe(201);
    expect(again.body).toEqual({ opened: expected, replayed: expected, obligations: first.body.obligations });
  });

  test('a plan with errors: 400 with each row’s errors, nothing opened; an inspector may not import', async () => {
    const body = plan();
    const issuer = fresh('zko-kdn');
    const broken = { ...body, issuedBy: issuer, items: [...body.items.slice(0, 2), { item: '9', deadline: 'whenever', responsible: ['zko-police'] }] };
    const answer = await api('POST', '/action-plans', { as: SECRETARY, body: broken });
    expect(answer.status).toBe(400);
    expect(answer.body.issues).toEqual([{ path: 'deadline', row: 3, message: 'expected monthly, quarterly, yearly, permanent, months:MM or months:MM-MM, yearly:MM-DD or a date' }]);
    expect((await list(`issuer=${issuer}`)).body.obligations).toEqual([]);
    expect((await api('POST', '/action-plans', { as: INSPECTOR, body })).status).toBe(403);
  });
});

describe('the caller', () => {
  test('no token: 401', async () => {
    const answer = await api('GET', '/rules', { as: null });
    expect(answer.status).toBe(401);
    expect(answer.headers['www-authenticate']).toBe('Bearer');
  });

  test('groups as a flattened list, an array or a single string', async () => {
    const body = { kind: 'day-off', reason: 'decree of the Government' };
    const admin: Who = { user: 'admin.two', org: 'kz-mvd', groups: ['inspector', 'admin'] };
    for (const groupsAs of ['flattened', 'array'] as const) {
      expect((await api('PUT', '/calendar/overrides/2027-12-01', { as: admin, groupsAs, body })).status, groupsAs).toBe(200);
    }
    expect((await api('PUT', '/calendar/overrides/2027-12-01', { as: ADMIN, groupsAs: 'string', body })).status).toBe(200);
    expect((await api('DELETE', '/calendar/overrides/2027-12-01', { as: ADMIN })).status).toBe(204);
  });

  test('an unknown route: 404 JSON', async () => {
    const answer = await api('GET', '/nothing-here');
    expect(answer.status).toBe(404);
    expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
  });
});

describe('GET /openapi.json', () => {
  test('an OpenAPI 3.1 document of every route, generated from the schemas, without a token', async () => {
    const answer = await api('GET', '/openapi.json', { as: null });
    expect(answer.status).toBe(200);
    const document = answer.body;
    expect(document.openapi).toBe('3.1.0');
    for (const { route, auth } of API_ROUTES) {
      const [method = '', path = ''] = route.split(' ');
      const operation = document.paths[path]?.[method.toLowerCase()];
      expect(operation, route).toBeDefined();
      expect(operation.security, route).toEqual(auth ? [{ bearer: [] }] : []);
      expect(Object.keys(operation.responses).some((status) => status.startsWith('2')), route).toBe(true);
      for (const name of path.match(/\{([^}]+)\}/g) ?? []) {
        expect(operation.parameters.map((parameter: { name?: string }) => parameter.name), route).toContain(name.slice(1, -1));
      }
    }
    expect(document.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
    const open = document.paths['/obligations'].post;
    const body = open.requestBody.content['application/json'].schema;
    expect(body.required).toEqual(expect.arrayContaining(['rule', 'caseRef', 'start']));
    expect(body.properties.start.type).toBe('string');
    expect(open.parameters).toContainEqual({ $ref: '#/components/parameters/IdempotencyKey' });
    expect(document.components.parameters.IdempotencyKey).toMatchObject({ name: 'Idempotency-Key', in: 'header' });
    expect(open.responses['400']).toEqual({ $ref: '#/components/responses/E400' });
    expect(document.components.responses.E422.content['application/json'].schema.properties.message).toBeDefined();
    const listParameters = document.paths['/obligations'].get.parameters.map((parameter: { name: string }) => parameter.name);
    expect(listParameters).toEqual(expect.arrayContaining(['org', 'assignee', 'issuer', 'status', 'within', 'limit', 'cursor']));
    // Every reference resolves.
    const text = JSON.stringify(document);
    for (const [, ref] of text.matchAll(/"\$ref":"#\/([^"]+)"/g)) {
      const target = (ref ?? '').split('/').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], document);
      expect(target, ref).toBeDefined();
    }
  });
});

describe('defects', () => {
  test('anything else: 500 with the request id, logged without the body', async () => {
    const saved = now;
    const org = await unit('almaty-sss');
    let answer: Answer | undefined;
    const lines = await logLines(async () => {
      now = Number.NaN; // the clock fails: a defect, not the caller's fault
      try {
        answer = await api('POST', '/obligations', { body: sss(org, { caseRef: 'SECRET-REF-1' }) });
      } finally {
        now = saved;
      }
    });
    expect(answer?.status).toBe(500);
    expect(answer?.body).toEqual({ message: 'internal error', requestId: expect.any(String) });
    const errors = lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line['level'] === 'ERROR');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ message: 'api: unhandled error', requestId: answer?.body.requestId, service: expect.any(String) });
    expect(lines.join('\n')).not.toContain('SECRET-REF-1');
  });
});

describe('logs', () => {
  test('one JSON line per request with the route and the status; never the body, the case reference or the reason', async () => {
    const org = await unit('almaty-sss');
    const caseRef = 'СВ-2026/LOGME-4711';
    const reason = 'Заявитель отозвал заявление LOGME-REASON';
    let id = '';
    const lines = await logLines(async () => {
      const opened = await api('POST', '/obligations', { body: sss(org, { caseRef }) });
      expect(opened.status).toBe(201);
      id = opened.body.obligations[0].id;
      const department: Who = { ...SOCIAL, org };
      expect((await api('POST', `/obligations/${id}/events`, { as: department, body: { act: 'refused', reason } })).status).toBe(200);
      expect((await api('POST', `/obligations/${id}/events`, { as: department, body: { act: 'refused', reason } })).status).toBe(409);
    });
    const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entries).toContainEqual(expect.objectContaining({ level: 'INFO', message: 'api: request', route: 'POST /obligations', status: 201, durationMs: expect.any(Number) }));
    expect(entries).toContainEqual(expect.objectContaining({ route: 'POST /obligations/{id}/events', status: 200, obligationId: id }));
    expect(entries).toContainEqual(expect.objectContaining({ route: 'POST /obligations/{id}/events', status: 409, obligationId: id, error: 'ActRefusedError' }));
    // Powertools' Lambda context is in every line.
    expect(entries.every((entry) => typeof entry['function_request_id'] === 'string')).toBe(true);
    for (const line of lines) {
      expect(line).not.toContain('LOGME');
      expect(line).not.toContain(JSON.stringify(caseRef).slice(1, -1));
      expect(line).not.toContain(reason);
    }
  });
});
