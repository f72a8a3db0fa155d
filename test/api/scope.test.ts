import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { DirectoryRepository } from '../../functions/adapters/store/index.ts';
import { reachOf, subtreeOf } from '../../functions/api/scope.ts';
import { handler } from '../../functions/handlers/api.ts';
import { parseInstant } from '../../shared/base/index.ts';
import { readDirectory } from '../../local/system/directory.ts';
import { sharedDynamoDbLocal } from '../local/support.ts';
import { type Answer, type RequestParts, type Who, type RecordingSfn, call, apiEnvironment, type ApiEnvironment } from './support.ts';

/**
 * Scoping on the demo hierarchy (local/demo/directory.json): a caller reaches their unit, heads
 * its subtree, the administrator everything; a commission's secretary and chair besides every
 * obligation the commission issued. Out of reach, an obligation is not found (404), an opening
 * or a list is refused (403).
 */

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const dynamodb = sharedDynamoDbLocal();
let environment: ApiEnvironment | undefined;
let sfn: RecordingSfn;
const now = parseInstant('2026-03-19T16:00:00+05:00');
const directory = readDirectory();

// People of the demo directory, with the groups their tokens carry.
const ADMIN: Who = { user: 'admin', org: 'zko', groups: ['admin'] };
const URALSK_SSS: Who = { user: 'aliya.sss', org: 'zko-uralsk-akimat-sss', groups: ['akimat-department'] };
const BURLIN_SSS: Who = { user: 'madina.sss', org: 'zko-burlin-akimat-sss', groups: ['akimat-department'] };
const URALSK_INSPECTOR: Who = { user: 'aigerim.inspector', org: 'zko-uralsk-police-dv', groups: ['inspector'] };
const URALSK_UNIT_HEAD: Who = { user: 'yerlan.unit-head', org: 'zko-uralsk-police-dv', groups: ['unit-head'] };
const REGIONAL_HEAD: Who = { user: 'berik.regional-head', org: 'zko-police', groups: ['regional-head'] };
const URALSK_SECRETARY: Who = { user: 'dana.secretary', org: 'zko-uralsk-kdn', groups: ['commission-secretary'] };
const URALSK_CHAIR: Who = { user: 'askar.chair', org: 'zko-uralsk-kdn', groups: ['commission-chair'] };
const BURLIN_SECRETARY: Who = { user: 'zhanna.secretary', org: 'zko-burlin-kdn', groups: ['commission-secretary'] };
const SCHOOL: Who = { user: 'gulnara.school', org: 'zko-uralsk-school-12', groups: [] };
/** Not in the demo: a head at the city of Uralsk, whose subtree is three levels deep. */
const URALSK_CITY_HEAD: Who = { user: 'head.uralsk', org: 'zko-uralsk', groups: ['unit-head'] };

const api = (who: Who, method: string, target: string, parts: RequestParts = {}): Promise<Answer> => call(handler, method, target, { ...parts, as: who });

async function open(who: Who, body: Record<string, unknown>): Promise<{ id: string; org: string }[]> {
  const answer = await api(who, 'POST', '/obligations', { body });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return answer.body.obligations;
}

const ref = (): string => `REF-${randomUUID().slice(0, 8)}`;
const sss = (org: string) => ({ rule: 'sss-decision', caseRef: ref(), org, start: '2026-03-19T15:20+05:00' });
const warning = (org: string, extra: Record<string, unknown> = {}) => ({ rule: 'official-warning', caseRef: ref(), org, start: '2026-03-19T12:00+05:00', ...extra });
const submission = (issuedBy: string, addressees: readonly string[]) => ({ rule: 'submission-reply', caseRef: ref(), addressees, issuedBy, start: '2026-03-19T10:00+05:00' });
const ids = (answer: Answer): string[] => answer.body.obligations.map((obligation: { id: string }) => obligation.id);

/** Obligations every test reads, opened once by the administrator and the Uralsk secretary. */
const the = { uralskSss: '', burlinSss: '', burlinPolice: '', uralskSubmission: '' };

beforeAll(async () => {
  environment = await apiEnvironment(dynamodb.endpoint(), 'merzim-scope', { organisations: directory.organisations, now: () => now });
  ({ sfn } = environment);

  the.uralskSss = (await open(ADMIN, sss('zko-uralsk-akimat-sss')))[0]?.id ?? '';
  the.burlinSss = (await open(ADMIN, sss('zko-burlin-akimat-sss')))[0]?.id ?? '';
  the.burlinPolice = (await open(ADMIN, warning('zko-burlin-police-dv')))[0]?.id ?? '';
  the.uralskSubmission = (await open(URALSK_SECRETARY, submission('zko-uralsk-kdn', ['zko-uralsk-school-12'])))[0]?.id ?? '';
});

afterAll(() => environment?.close());

describe('reach', () => {
  test('a head reaches the whole subtree by parent, however deep; others their unit; the administrator everything', () => {
    const { organisations } = directory;
    expect([...subtreeOf('zko-uralsk', organisations)].sort()).toEqual([
      'zko-uralsk',
      'zko-uralsk-akimat',
      'zko-uralsk-akimat-sss',
      'zko-uralsk-crisis-centre',
      'zko-uralsk-kdn',
      'zko-uralsk-school-12',
    ]);
    expect([...reachOf({ ...REGIONAL_HEAD }, organisations).units].sort()).toEqual(['zko-burlin-police-dv', 'zko-police', 'zko-uralsk-police-dv']);
    expect([...reachOf({ ...URALSK_SSS }, organisations).units]).toEqual(['zko-uralsk-akimat-sss']);
    expect([...reachOf({ ...URALSK_SECRETARY }, organisations).units]).toEqual(['zko-uralsk-kdn']);
    expect([...reachOf({ ...URALSK_CHAIR }, organisations).units]).toEqual(['zko-uralsk-kdn']);
    expect(reachOf({ ...ADMIN }, organisations).everything).toBe(true);
    expect(reachOf({ ...URALSK_SSS }, organisations).everything).toBe(false);
  });

  test('a cycle in the directory ends the walk', () => {
    const looped = [
      { org: 'a', parent: 'c' },
      { org: 'b', parent: 'a' },
      { org: 'c', parent: 'b' },
    ];
    expect([...subtreeOf('a', looped)].sort()).toEqual(['a', 'b', 'c']);
  });
});

describe('GET /obligations/{id}', () => {
  test('in the caller’s unit: 200; in another unit: 404, the same answer as for no such obligation', async () => {
    expect((await api(URALSK_SSS, 'GET', `/obligations/${the.uralskSss}`)).status).toBe(200);
    const hidden = await api(URALSK_SSS, 'GET', `/obligations/${the.burlinSss}`);
    expect(hidden.status).toBe(404);
    expect(hidden.body).toEqual({ message: `no obligation ${the.burlinSss}` });
    expect((await api(BURLIN_SSS, 'GET', `/obligations/${the.burlinSss}`)).status).toBe(200);
  });

  test('heads see their subtree, transitively; not beside it', async () => {
    expect((await api(REGIONAL_HEAD, 'GET', `/obligations/${the.burlinPolice}`)).status).toBe(200);
    expect((await api(URALSK_UNIT_HEAD, 'GET', `/obligations/${the.burlinPolice}`)).status).toBe(404);
    expect((await api(URALSK_CITY_HEAD, 'GET', `/obligations/${the.uralskSss}`)).status).toBe(200);
    expect((await api(URALSK_CITY_HEAD, 'GET', `/obligations/${the.burlinSss}`)).status).toBe(404);
    // A head's group does not stretch an inspector's reach.
    expect((await api(URALSK_INSPECTOR, 'GET', `/obligations/${the.burlinPolice}`)).status).toBe(404);
  });

  test('the issuing commission’s secretary and chair see what it issued; another commission does not', async () => {
    expect((await api(URALSK_SECRETARY, 'GET', `/obligations/${the.uralskSubmission}`)).status).toBe(200);
    expect((await api(URALSK_CHAIR, 'GET', `/obligations/${the.uralskSubmission}`)).status).toBe(200);
    expect((await api(SCHOOL, 'GET', `/obligations/${the.uralskSubmission}`)).status).toBe(200);
    expect((await api(BURLIN_SECRETARY, 'GET', `/obligations/${the.uralskSubmission}`)).status).toBe(404);
    expect((await api(URALSK_SECRETARY, 'GET', `/obligations/${the.uralskSss}`)).status).toBe(404);
  });

  test('the administrator sees everything', async () => {
    for (const id of Object.values(the)) expect((await api(ADMIN, 'GET', `/obligations/${id}`)).status, id).toBe(200);
  });
});

describe('POST /obligations/{id}/events', () => {
  test('out of reach: 404 and nothing recorded; in reach: recorded', async () => {
    const [one] = await open(ADMIN, sss('zko-burlin-akimat-sss'));
    const id = one?.id ?? '';
    expect((await api(URALSK_SSS, 'POST', `/obligations/${id}/events`, { body: { act: 'decided' } })).status).toBe(404);
    expect((await api(ADMIN, 'GET', `/obligations/${id}`)).body.obligation.status).toBe('open');
    const decided = await api(BURLIN_SSS, 'POST', `/obligations/${id}/events`, { body: { act: 'decided' } });
    expect(decided.status, JSON.stringify(decided.body)).toBe(200);
    expect(decided.body.obligation.status).toBe('done');
  });

  test('the issuing commission records the reply it received; another commission may not', async () => {
    const [reply] = await open(URALSK_SECRETARY, submission('zko-uralsk-kdn', ['zko-uralsk-akimat-sss']));
    const id = reply?.id ?? '';
    expect((await api(BURLIN_SECRETARY, 'POST', `/obligations/${id}/events`, { body: { act: 'replied' } })).status).toBe(404);
    const replied = await api(URALSK_SECRETARY, 'POST', `/obligations/${id}/events`, { body: { act: 'replied' } });
    expect(replied.status, JSON.stringify(replied.body)).toBe(200);
    expect(replied.body.obligation.status).toBe('done');
  });

  test('a regional head records for a unit under it; a unit head beside it may not', async () => {
    const [one] = await open(ADMIN, warning('zko-burlin-police-dv'));
    const id = one?.id ?? '';
    expect((await api(URALSK_UNIT_HEAD, 'POST', `/obligations/${id}/events`, { body: { act: 'cancelled', reason: 'Отменено приказом' } })).status).toBe(404);
    expect((await api(REGIONAL_HEAD, 'POST', `/obligations/${id}/events`, { body: { act: 'cancelled', reason: 'Отменено приказом' } })).status).toBe(200);
  });
});

describe('POST /obligations', () => {
  test('for the caller’s own unit: 201; for another: 403 naming the rule and who opens it, nothing opened', async () => {
    await open(URALSK_SSS, sss('zko-uralsk-akimat-sss'));
    const calls = sfn.calls.length;
    const body = sss('zko-burlin-akimat-sss');
    const refused = await api(URALSK_SSS, 'POST', '/obligations', { body });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toMatch(/^sss-decision is opened by the acting body or the administrator: you are none of them for zko-burlin-akimat-sss/);
    expect(refused.body.issues).toEqual([{ path: 'rule', message: refused.body.message }]);
    expect((await api(URALSK_INSPECTOR, 'POST', '/obligations', { body: warning('zko-burlin-police-dv') })).status).toBe(403);
    expect(sfn.calls.length).toBe(calls);
    const burlin = await api(ADMIN, 'GET', '/obligations?org=zko-burlin-akimat-sss&limit=100');
    expect(burlin.body.obligations.filter((obligation: { caseRef: string }) => obligation.caseRef === body.caseRef)).toEqual([]);
  });

  // Before issue 13 a head opened clocks anywhere in its subtree; now only the body that acts
  // (or the administrator) opens its own clock: a head reads and escalates, it does not open.
  test('a head does not open the clock of a unit under it; the body that acts does', async () => {
    const calls = sfn.calls.length;
    const below = await api(REGIONAL_HEAD, 'POST', '/obligations', { body: warning('zko-burlin-police-dv') });
    expect(below.status).toBe(403);
    expect(below.body.issues).toEqual([{ path: 'rule', message: expect.stringMatching(/^official-warning is opened by the acting body or the administrator/) }]);
    expect((await api(URALSK_UNIT_HEAD, 'POST', '/obligations', { body: warning('zko-burlin-police-dv') })).status).toBe(403);
    // A head is no issuer of a commission's decision, even for the bodies under it.
    const asIssuer = await api(REGIONAL_HEAD, 'POST', '/obligations', {
      body: { rule: 'kdn-placement-reply', caseRef: ref(), addressees: ['zko-uralsk-police-dv', 'zko-burlin-police-dv'], issuedBy: 'zko-uralsk-kdn', start: '2026-03-19T10:00' },
    });
    expect(asIssuer.status).toBe(403);
    expect(asIssuer.body.issues[0].path).toBe('rule');
    expect(sfn.calls.length).toBe(calls);
    await open(URALSK_INSPECTOR, warning('zko-uralsk-police-dv'));
  });

  test('a commission opens for the bodies it sends its decisions to when it is the issuer, not for another commission', async () => {
    const opened = await open(URALSK_SECRETARY, submission('zko-uralsk-kdn', ['zko-uralsk-school-12', 'zko-uralsk-police-dv', 'zko-burlin-hospital']));
    expect(opened.map((obligation) => obligation.org)).toEqual(['zko-uralsk-school-12', 'zko-uralsk-police-dv', 'zko-burlin-hospital']);
    const forged = await api(URALSK_SECRETARY, 'POST', '/obligations', { body: submission('zko-burlin-kdn', ['zko-burlin-hospital']) });
    expect(forged.status).toBe(403);
    expect(forged.body.message).toMatch(/^submission-reply is opened by the issuer \(commission\) or the administrator: you are none of them for zko-burlin-hospital/);
    expect(ids(await api(ADMIN, 'GET', '/obligations?issuer=zko-burlin-kdn'))).toEqual([]);
    expect((await api(URALSK_SECRETARY, 'POST', '/obligations', { body: sss('zko-uralsk-akimat-sss') })).status).toBe(403);
  });

  test('the administrator opens anywhere', async () => {
    await open(ADMIN, sss('zko-burlin-akimat-sss'));
  });
});

describe('GET /obligations', () => {
  test('org= in reach: 200; out of reach: 403', async () => {
    expect(ids(await api(URALSK_SSS, 'GET', '/obligations?org=zko-uralsk-akimat-sss'))).toContain(the.uralskSss);
    const refused = await api(URALSK_SSS, 'GET', '/obligations?org=zko-burlin-akimat-sss');
    expect(refused.status).toBe(403);
    expect(refused.body.message).toMatch(/zko-burlin-akimat-sss is outside your reach/);
    expect(ids(await api(REGIONAL_HEAD, 'GET', '/obligations?org=zko-burlin-police-dv'))).toContain(the.burlinPolice);
    expect((await api(URALSK_UNIT_HEAD, 'GET', '/obligations?org=zko-burlin-police-dv')).status).toBe(403);
    expect((await api(ADMIN, 'GET', '/obligations?org=zko-burlin-akimat-sss')).status).toBe(200);
  });

  test('issuer= the caller’s commission: 200; another issuer: 403', async () => {
    expect(ids(await api(URALSK_SECRETARY, 'GET', '/obligations?issuer=zko-uralsk-kdn'))).toContain(the.uralskSubmission);
    expect(ids(await api(URALSK_CHAIR, 'GET', '/obligations?issuer=zko-uralsk-kdn'))).toContain(the.uralskSubmission);
    expect((await api(BURLIN_SECRETARY, 'GET', '/obligations?issuer=zko-uralsk-kdn')).status).toBe(403);
    expect((await api(URALSK_SSS, 'GET', '/obligations?issuer=zko-uralsk-kdn')).status).toBe(403);
  });

  test('assignee= the caller: 200; someone else: 403, except for heads and the administrator, who see only what they reach', async () => {
    const [uralsk] = await open(ADMIN, warning('zko-uralsk-police-dv', { assignee: 'nurlan.inspector' }));
    const [burlin] = await open(ADMIN, warning('zko-burlin-police-dv', { assignee: 'nurlan.inspector' }));
    const nurlan: Who = { user: 'nurlan.inspector', org: 'zko-uralsk-police-dv', groups: ['inspector'] };
    // His own list: what he reaches (the Burlin one is out of his unit's reach).
    expect(ids(await api(nurlan, 'GET', '/obligations?assignee=nurlan.inspector'))).toEqual([uralsk?.id]);
    const refused = await api(URALSK_INSPECTOR, 'GET', '/obligations?assignee=nurlan.inspector');
    expect(refused.status).toBe(403);
    expect(refused.body.message).toMatch(/your own assignments/);
    expect(ids(await api(URALSK_UNIT_HEAD, 'GET', '/obligations?assignee=nurlan.inspector'))).toEqual([uralsk?.id]);
    expect(ids(await api(REGIONAL_HEAD, 'GET', '/obligations?assignee=nurlan.inspector')).sort()).toEqual([uralsk?.id, burlin?.id].sort());
    expect(ids(await api(ADMIN, 'GET', '/obligations?assignee=nurlan.inspector')).sort()).toEqual([uralsk?.id, burlin?.id].sort());
  });

  test('the directory is read once per request, however many obligations a head’s list checks', async () => {
    for (let index = 0; index < 3; index += 1) await open(ADMIN, warning('zko-burlin-police-dv', { assignee: 'asel.inspector' }));
    const reads = vi.spyOn(DirectoryRepository.prototype, 'organisations');
    try {
      const answer = await api(REGIONAL_HEAD, 'GET', '/obligations?assignee=asel.inspector');
      expect(ids(answer)).toHaveLength(3);
      expect(reads).toHaveBeenCalledTimes(1);
      reads.mockClear();
      // Someone who is no head needs no directory at all.
      expect((await api(URALSK_SSS, 'GET', '/obligations?org=zko-uralsk-akimat-sss')).status).toBe(200);
      expect(reads).not.toHaveBeenCalled();
    } finally {
      reads.mockRestore();
    }
  });
});

describe('work lists by group, and one case', () => {
  test('a unit’s groups hold what is addressed to it, whatever the rule, and nothing of another unit', async () => {
    const [addressed] = await open(URALSK_SECRETARY, submission('zko-uralsk-kdn', ['zko-uralsk-akimat-sss']));
    const [foreign] = await open(ADMIN, sss('zko-burlin-akimat-sss'));
    const all = async (who: Who, query: string): Promise<string[]> => {
      const found: string[] = [];
      for (const group of ['overdue', 'week', 'later']) {
        const answer = await api(who, 'GET', `/obligations?${query}&group=${group}&limit=100`);
        expect(answer.status, JSON.stringify(answer.body)).toBe(200);
        found.push(...ids(answer));
      }
      return found;
    };
    const uralsk = await all(URALSK_SSS, 'org=zko-uralsk-akimat-sss');
    expect(uralsk).toEqual(expect.arrayContaining([addressed?.id, the.uralskSss]));
    expect(uralsk).not.toContain(foreign?.id);
    expect(uralsk).not.toContain(the.burlinSss);
    expect(await all(URALSK_SECRETARY, 'issuer=zko-uralsk-kdn')).toContain(addressed?.id);
    expect((await api(URALSK_SSS, 'GET', '/obligations?org=zko-burlin-akimat-sss&group=later')).status).toBe(403);
  });

  test('a case shows each caller the obligations of it they see: the addressee its own, the issuer all, another unit none', async () => {
    const body = submission('zko-uralsk-kdn', ['zko-uralsk-akimat-sss', 'zko-uralsk-school-12']);
    const opened = await open(URALSK_SECRETARY, body);
    const [toSss, toSchool] = [opened.find((o) => o.org === 'zko-uralsk-akimat-sss')?.id, opened.find((o) => o.org === 'zko-uralsk-school-12')?.id];
    const caseOf = async (who: Who, caseRef = body.caseRef): Promise<string[]> => {
      const answer = await api(who, 'GET', `/cases?caseRef=${encodeURIComponent(caseRef)}`);
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      expect(answer.body.caseRef).toBe(caseRef);
      return ids(answer).sort();
    };
    // The submission opened the measures it asks for beside the replies: the issuer sees them all.
    const secretary = await caseOf(URALSK_SECRETARY);
    expect(secretary).toEqual(expect.arrayContaining([toSss, toSchool]));
    expect(await caseOf(URALSK_CHAIR)).toEqual(secretary);
    expect(await caseOf(ADMIN)).toEqual(secretary);
    const sssSees = await caseOf(URALSK_SSS);
    expect(sssSees).toContain(toSss);
    expect(sssSees).not.toContain(toSchool);
    expect(await caseOf(SCHOOL)).toContain(toSchool);
    expect(await caseOf(SCHOOL)).not.toContain(toSss);
    expect(await caseOf(BURLIN_SSS)).toEqual([]);
    expect(await caseOf(BURLIN_SECRETARY)).toEqual([]);
    // Exact, not a prefix: the start of the reference is another case.
    expect(await caseOf(URALSK_SECRETARY, body.caseRef.slice(0, 6))).toEqual([]);
    expect((await api(URALSK_SSS, 'GET', '/cases')).status).toBe(400);
    expect((await api(URALSK_SSS, 'GET', '/cases?caseRef=%24ne')).status).toBe(400);
  });
});

describe('calendar and directory', () => {
  test('everyone signed in reads; only the administrator writes', async () => {
    for (const who of [URALSK_SSS, SCHOOL, REGIONAL_HEAD, URALSK_SECRETARY]) {
      expect((await api(who, 'GET', '/organisations')).status, who.user).toBe(200);
      expect((await api(who, 'GET', '/calendar/overrides')).status, who.user).toBe(200);
      expect((await api(who, 'GET', '/calendar/2026')).status, who.user).toBe(200);
    }
    const names = { kk: 'Бөлім', ru: 'Отдел', en: 'Department' };
    for (const who of [REGIONAL_HEAD, URALSK_CHAIR]) {
      expect((await api(who, 'PUT', '/calendar/overrides/2026-12-30', { body: { kind: 'day-off', reason: 'decree' } })).status, who.user).toBe(403);
      expect((await api(who, 'PUT', '/organisations/zko-uralsk-new', { body: { kind: 'other', names, parent: 'zko-uralsk' } })).status, who.user).toBe(403);
      expect((await api(who, 'PUT', '/organisations/zko-uralsk-kdn/members/new.person', { body: { role: 'addressee', email: 'office@demo.kz' } })).status, who.user).toBe(403);
    }
    expect((await api(ADMIN, 'PUT', '/organisations/zko-uralsk-new', { body: { kind: 'other', names, parent: 'zko-uralsk' } })).status).toBe(200);
  });
});

describe('POST /action-plans', () => {
  const plan = (issuedBy: string) => ({
    plan: `ЗКО-ПЛАН-${randomUUID().slice(0, 6)}`,
    issuedBy,
    from: '2026-04-01',
    until: '2026-12-31',
    items: [{ item: '5', title: 'Отбасыларды анықтау', deadline: 'quarterly', responsible: ['zko-uralsk-school-12'] }],
  });

  test('the secretary of the issuing commission imports it; another secretary, a chair or an inspector may not', async () => {
    const own = await api(URALSK_SECRETARY, 'POST', '/action-plans', { body: plan('zko-uralsk-kdn') });
    expect(own.status, JSON.stringify(own.body)).toBe(201);
    const foreign = await api(URALSK_SECRETARY, 'POST', '/action-plans', { body: plan('zko-burlin-kdn') });
    expect(foreign.status).toBe(403);
    expect(foreign.body.message).toMatch(/issued by zko-burlin-kdn/);
    expect(ids(await api(ADMIN, 'GET', '/obligations?issuer=zko-burlin-kdn'))).toEqual([]);
    expect((await api(URALSK_CHAIR, 'POST', '/action-plans', { body: plan('zko-uralsk-kdn') })).status).toBe(403);
    expect((await api(URALSK_INSPECTOR, 'POST', '/action-plans', { body: plan('zko-uralsk-kdn') })).status).toBe(403);
  });

  test('the administrator imports any plan', async () => {
    expect((await api(ADMIN, 'POST', '/action-plans', { body: plan('zko-burlin-kdn') })).status).toBe(201);
  });
});
