import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { lendClock } from '../../functions/adapters/clock.ts';
import { Store } from '../../functions/adapters/store.ts';
import type { ApiRoute } from '../../functions/api/http.ts';
import { API_ROUTES, GROUPS, type Group } from '../../functions/contract.ts';
import { handler } from '../../functions/handlers/api.ts';
import { parseInstant } from '../../shared/calendar/instant.ts';
import type { Organisation } from '../../shared/model/directory.ts';
import { localClientConfig } from '../../local/index.ts';
import { readDirectory } from '../../local/system/directory.ts';
import { sharedDynamoDbLocal } from '../local/support.ts';
import { recordFigures } from '../support/figures.ts';
import { type Answer, type RecordingSfn, type RequestParts, type Who, apiEvent, lambdaContext, region, startApiEnvironment } from '../api/support.ts';

/**
 * The authorization matrix: every role a token may carry (functions/contract.ts GROUPS), a token
 * with no group and a request with no token, against every route of API_ROUTES, on a target in
 * the caller's own unit, in a unit under it, and in a unit outside its subtree. Each cell of the
 * table below is one real request to the `api` function on a real DynamoDB Local table.
 *
 * The rules the table follows (functions/api/http.ts `authorize`, functions/api/scope.ts):
 * - a caller reaches their own unit (the token's `custom:org`); the heads (unit head, commission
 *   chair, regional head) also every unit under theirs, however deep; the administrator every unit;
 * - an obligation is read and acted on by those who reach its unit, or the body that issued it;
 *   to anyone else it does not exist: 404, the same answer as for an unknown id;
 * - obligations are opened for units in reach; a commission's secretary also opens them for the
 *   bodies the commission sends its decisions and submissions to (`issuedBy` = the commission);
 *   nobody names as issuer a body outside their reach;
 * - a work list is of a unit in reach, of an issuer in reach, or of the caller's own assignments
 *   (heads and the administrator may ask for anyone's assignments, and see those in reach);
 * - the catalog, the calendar and the organisation directory (names of state bodies and their
 *   hierarchy, no people) are read by everyone signed in; only the administrator writes the
 *   calendar and the directory;
 * - an action plan is imported by the administrator, or the secretary of the commission that issued it;
 * - without a token nothing but the OpenAPI document is served (401).
 */

vi.setConfig({ testTimeout: 60_000, hookTimeout: 120_000 });

// Who calls

type Role = Group | 'no group' | 'no token';
const ROLES = [...GROUPS, 'no group', 'no token'] as const satisfies readonly Role[];

/**
 * The targets of a request: a unit or obligation relative to the caller's own unit. For
 * GET /obligations, `own`/`below`/`other` ask `?org=` that unit, `issued by own`/`issuer other`
 * ask `?issuer=` the caller's unit or an outside one, `self`/`someone else` ask `?assignee=`.
 * For POST /action-plans, the plan is issued by the caller's unit or an outside one.
 */
type Target =
  | '—'
  /** The caller's own unit. */
  | 'own'
  /** A unit under the caller's own one (two levels down for the regional head). */
  | 'below'
  /** A unit outside the caller's subtree. */
  | 'other'
  /** An obligation of an outside unit, issued by the caller's own unit (a commission's decision). */
  | 'issued by own'
  /** An obligation of the caller's own unit naming an outside body as its issuer. */
  | 'issuer other'
  /** The caller's own assignments; another person's. */
  | 'self'
  | 'someone else';

interface Placement {
  readonly who: Who | null;
  readonly own: string;
  readonly below: string;
  readonly other: string;
  /** Every unit the caller reaches, written out (never computed by the code under test). */
  readonly reach: readonly string[] | 'everything';
}

/**
 * Units added to the demo directory (local/demo/directory.json) so that every caller's unit has
 * one under it: a non-head must not reach it.
 */
const ADDED_UNITS: Organisation[] = [
  { org: 'zko-uralsk-akimat-sss-office', kind: 'akimat-department', parent: 'zko-uralsk-akimat-sss', names: names('SSS office') },
  { org: 'zko-uralsk-police-dv-post', kind: 'police-unit', parent: 'zko-uralsk-police-dv', names: names('Police post') },
  { org: 'zko-uralsk-kdn-office', kind: 'commission', parent: 'zko-uralsk-kdn', names: names('Commission office') },
  { org: 'zko-uralsk-school-12-annex', kind: 'education', parent: 'zko-uralsk-school-12', names: names('School annex') },
];

const PLACEMENTS: Record<Role, Placement> = {
  'akimat-department': {
    who: { user: 'aliya.sss', org: 'zko-uralsk-akimat-sss', groups: ['akimat-department'] },
    own: 'zko-uralsk-akimat-sss',
    below: 'zko-uralsk-akimat-sss-office',
    other: 'zko-burlin-akimat-sss',
    reach: ['zko-uralsk-akimat-sss'],
  },
  inspector: {
    who: { user: 'aigerim.inspector', org: 'zko-uralsk-police-dv', groups: ['inspector'] },
    own: 'zko-uralsk-police-dv',
    below: 'zko-uralsk-police-dv-post',
    other: 'zko-burlin-police-dv',
    reach: ['zko-uralsk-police-dv'],
  },
  'unit-head': {
    who: { user: 'yerlan.unit-head', org: 'zko-uralsk-police-dv', groups: ['unit-head'] },
    own: 'zko-uralsk-police-dv',
    below: 'zko-uralsk-police-dv-post',
    other: 'zko-burlin-police-dv',
    reach: ['zko-uralsk-police-dv', 'zko-uralsk-police-dv-post'],
  },
  'commission-secretary': {
    who: { user: 'dana.secretary', org: 'zko-uralsk-kdn', groups: ['commission-secretary'] },
    own: 'zko-uralsk-kdn',
    below: 'zko-uralsk-kdn-office',
    other: 'zko-burlin-kdn',
    reach: ['zko-uralsk-kdn'],
  },
  'commission-chair': {
    who: { user: 'askar.chair', org: 'zko-uralsk-kdn', groups: ['commission-chair'] },
    own: 'zko-uralsk-kdn',
    below: 'zko-uralsk-kdn-office',
    other: 'zko-burlin-kdn',
    reach: ['zko-uralsk-kdn', 'zko-uralsk-kdn-office'],
  },
  'regional-head': {
    who: { user: 'berik.regional-head', org: 'zko-police', groups: ['regional-head'] },
    own: 'zko-police',
    below: 'zko-uralsk-police-dv-post',
    other: 'zko-uralsk-akimat-sss',
    reach: ['zko-police', 'zko-uralsk-police-dv', 'zko-burlin-police-dv', 'zko-uralsk-police-dv-post'],
  },
  admin: {
    who: { user: 'admin', org: 'zko', groups: ['admin'] },
    own: 'zko',
    below: 'zko-burlin-akimat-sss',
    other: 'mvd-kap',
    reach: 'everything',
  },
  /** A school's member, as addressees of a commission's decisions sign in: no group. */
  'no group': {
    who: { user: 'gulnara.school', org: 'zko-uralsk-school-12', groups: [] },
    own: 'zko-uralsk-school-12',
    below: 'zko-uralsk-school-12-annex',
    other: 'zko-burlin-hospital',
    reach: ['zko-uralsk-school-12'],
  },
  'no token': { who: null, own: 'zko-uralsk-akimat-sss', below: 'zko-uralsk-akimat-sss-office', other: 'zko-burlin-akimat-sss', reach: [] },
};

// The matrix

/**
 * Expected status of each request. Rows: a route and the target it is asked about; columns: who
 * asks. 2xx: allowed; 401: no token; 403: refused; 404: refused by not showing (an obligation
 * out of reach is indistinguishable from one that does not exist).
 */
// prettier-ignore
const MATRIX: readonly (readonly [ApiRoute, Target, ...number[]])[] = [
  //                                                       akimat  inspec  unit-   commis. commis. region. admin   no      no
  // route                                    target       dept.   tor     head    secret. chair   head            group   token
  ['POST /obligations',                       'own',           201,    201,    201,    201,    201,    201,    201,    201,    401],
  ['POST /obligations',                       'below',         403,    403,    201,    403,    201,    201,    201,    403,    401],
  ['POST /obligations',                       'other',         403,    403,    403,    403,    403,    403,    201,    403,    401],
  ['POST /obligations',                       'issued by own', 403,    403,    403,    201,    403,    403,    201,    403,    401],
  ['POST /obligations',                       'issuer other',  403,    403,    403,    403,    403,    403,    201,    403,    401],
  ['GET /obligations',                        'own',           200,    200,    200,    200,    200,    200,    200,    200,    401],
  ['GET /obligations',                        'below',         403,    403,    200,    403,    200,    200,    200,    403,    401],
  ['GET /obligations',                        'other',         403,    403,    403,    403,    403,    403,    200,    403,    401],
  ['GET /obligations',                        'issued by own', 200,    200,    200,    200,    200,    200,    200,    200,    401],
  ['GET /obligations',                        'issuer other',  403,    403,    403,    403,    403,    403,    200,    403,    401],
  ['GET /obligations',                        'self',          200,    200,    200,    200,    200,    200,    200,    200,    401],
  ['GET /obligations',                        'someone else',  403,    403,    200,    403,    200,    200,    200,    403,    401],
  ['GET /obligations/{id}',                   'own',           200,    200,    200,    200,    200,    200,    200,    200,    401],
  ['GET /obligations/{id}',                   'below',         404,    404,    200,    404,    200,    200,    200,    404,    401],
  ['GET /obligations/{id}',                   'other',         404,    404,    404,    404,    404,    404,    200,    404,    401],
  ['GET /obligations/{id}',                   'issued by own', 200,    200,    200,    200,    200,    200,    200,    200,    401],
  ['POST /obligations/{id}/events',           'own',           200,    200,    200,    200,    200,    200,    200,    200,    401],
  ['POST /obligations/{id}/events',           'below',         404,    404,    200,    404,    200,    200,    200,    404,    401],
  ['POST /obligations/{id}/events',           'other',         404,    404,    404,    404,    404,    404,    200,    404,    401],
  ['POST /obligations/{id}/events',           'issued by own', 200,    200,    200,    200,    200,    200,    200,    200,    401],
  ['GET /rules',                              '—',             200,    200,    200,    200,    200,    200,    200,    200,    401],
  ['GET /rules/{id}',                         '—',             200,    200,    200,    200,    200,    200,    200,    200,    401],
  ['GET /calendar/{year}',                    '—',             200,    200,    200,    200,    200,    200,    200,    200,    401],
  ['GET /calendar/overrides',                 '—',             200,    200,    200,    200,    200,    200,    200,    200,    401],
  ['PUT /calendar/overrides/{date}',          '—',             403,    403,    403,    403,    403,    403,    200,    403,    401],
  ['DELETE /calendar/overrides/{date}',       '—',             403,    403,    403,    403,    403,    403,    204,    403,    401],
  ['GET /organisations',                      '—',             200,    200,    200,    200,    200,    200,    200,    200,    401],
  ['PUT /organisations/{org}',                'own',           403,    403,    403,    403,    403,    403,    200,    403,    401],
  ['PUT /organisations/{org}',                'below',         403,    403,    403,    403,    403,    403,    200,    403,    401],
  ['PUT /organisations/{org}',                'other',         403,    403,    403,    403,    403,    403,    200,    403,    401],
  ['PUT /organisations/{org}/members/{user}', 'own',           403,    403,    403,    403,    403,    403,    200,    403,    401],
  ['PUT /organisations/{org}/members/{user}', 'other',         403,    403,    403,    403,    403,    403,    200,    403,    401],
  ['POST /action-plans',                      'issued by own', 403,    403,    403,    201,    403,    403,    201,    403,    401],
  ['POST /action-plans',                      'issuer other',  403,    403,    403,    403,    403,    403,    201,    403,    401],
  ['GET /me/calendar.ics',                    '—',             200,    200,    200,    200,    200,    200,    200,    200,    401],
  ['GET /notices/failed',                     '—',             403,    403,    403,    403,    403,    403,    200,    403,    401],
  ['GET /openapi.json',                       '—',             200,    200,    200,    200,    200,    200,    200,    200,    200],
];

// The system under test

const dynamodb = sharedDynamoDbLocal();
let sfn: RecordingSfn;
let client: DynamoDBClient | undefined;
let store: Store;
const now = parseInstant('2026-03-19T16:00:00+05:00');
const directory = readDirectory();
const ALL_UNITS = [...directory.organisations.map((organisation) => organisation.org), ...ADDED_UNITS.map((organisation) => organisation.org)];

const ADMIN = PLACEMENTS.admin.who as Who;
/** One request to the api function as API Gateway would make it; a body that is not JSON (the iCalendar feed) is kept as text. */
async function api(who: Who | null, method: string, target: string, parts: RequestParts = {}): Promise<Answer> {
  const result = (await handler(apiEvent(method, target, { ...parts, as: who }), lambdaContext())) as { statusCode?: number; headers?: Record<string, unknown>; body?: string };
  const headers = Object.fromEntries(Object.entries(result.headers ?? {}).map(([name, value]) => [name.toLowerCase(), String(value)]));
  const json = headers['content-type']?.startsWith('application/json') === true && result.body !== undefined && result.body !== '';
  return { status: result.statusCode ?? 200, headers, body: json ? JSON.parse(result.body ?? '') : result.body };
}

const ref = (): string => `REF-${randomUUID().slice(0, 8)}`;
const decision = (org: string, extra: Record<string, unknown> = {}) => ({ rule: 'sss-decision', caseRef: ref(), org, start: '2026-03-19T15:20+05:00', ...extra });
const reply = (issuedBy: string, org: string) => ({ rule: 'kdn-placement-reply', caseRef: ref(), org, issuedBy, start: '2026-03-19T10:00+05:00' });

/** Opens one obligation as the administrator (who reaches every unit) and gives its id. */
async function opened(body: Record<string, unknown>): Promise<string> {
  const answer = await api(ADMIN, 'POST', '/obligations', { body });
  if (answer.status !== 201) throw new Error(`seeding: POST /obligations → ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body.obligations[0].id;
}

/** Obligations of a case reference as the table holds them (read as the administrator). */
async function statusOf(id: string): Promise<string> {
  return (await store.getObligation(id))?.status ?? 'missing';
}

async function casesOpened(org: string, caseRef: string): Promise<number> {
  const answer = await api(ADMIN, 'GET', `/obligations?org=${org}&limit=100`);
  return answer.body.obligations.filter((obligation: { caseRef: string }) => obligation.caseRef === caseRef).length;
}

// How each cell is asked, and what a refusal must have left unchanged

interface Probe {
  /** The request; may seed what it needs first. */
  request(placement: Placement): Promise<{ method: string; path: string; parts?: RequestParts; after?: (answer: Answer) => Promise<void> }>;
}

const unitOf = (placement: Placement, target: Target): string => {
  if (target === 'own' || target === 'below' || target === 'other') return placement[target];
  throw new Error(`no unit for target ${target}`);
};

const obligationProbe =
  (method: 'GET' | 'POST') =>
  (target: Target): Probe => ({
    async request(placement) {
      const id =
        target === 'issued by own' ? await opened(reply(placement.own, placement.other)) : await opened(decision(unitOf(placement, target)));
      const path = method === 'GET' ? `/obligations/${id}` : `/obligations/${id}/events`;
      return {
        method,
        path,
        ...(method === 'POST' ? { parts: { body: { act: 'cancelled', reason: 'Отменено приказом' } } } : {}),
        async after(answer) {
          if (method === 'POST') expect(await statusOf(id), 'the act is recorded exactly when allowed').toBe(answer.status === 200 ? 'cancelled' : 'open');
          if (answer.status === 404) expect(answer.body).toEqual({ message: `no obligation ${id}` });
        },
      };
    },
  });

const openProbe = (target: Target): Probe => ({
  async request(placement) {
    const body =
      target === 'issued by own'
        ? reply(placement.own, placement.other)
        : target === 'issuer other'
          ? reply(placement.other, placement.own)
          : decision(unitOf(placement, target));
    return {
      method: 'POST',
      path: '/obligations',
      parts: { body },
      async after(answer) {
        expect(await casesOpened(body.org, body.caseRef), 'opened exactly when allowed').toBe(answer.status === 201 ? 1 : 0);
      },
    };
  },
});

const listProbe = (target: Target): Probe => ({
  async request(placement) {
    const query =
      target === 'self'
        ? `assignee=${placement.who?.user ?? 'nobody'}`
        : target === 'someone else'
          ? 'assignee=nurlan.inspector'
          : target === 'issued by own'
            ? `issuer=${placement.own}`
            : target === 'issuer other'
              ? `issuer=${placement.other}`
              : `org=${unitOf(placement, target)}`;
    return { method: 'GET', path: `/obligations?${query}` };
  },
});

const fixed = (method: string, path: string, parts: RequestParts = {}): Probe => ({ request: async () => ({ method, path, parts }) });

const OVERRIDE_DATE = '2027-12-30';
const overrideProbe = (method: 'PUT' | 'DELETE'): Probe => ({
  async request() {
    // A DELETE needs an override to delete; a PUT starts from none.
    if (method === 'DELETE') await store.putCalendarOverride({ date: OVERRIDE_DATE, kind: 'day-off', reason: 'decree' }, 'admin', now);
    else await store.deleteCalendarOverride(OVERRIDE_DATE);
    return {
      method,
      path: `/calendar/overrides/${OVERRIDE_DATE}`,
      ...(method === 'PUT' ? { parts: { body: { kind: 'day-off', reason: 'decree' } } } : {}),
      async after(answer) {
        const stored = (await store.calendarOverrides()).some((override) => override.date === OVERRIDE_DATE);
        const changed = method === 'PUT' ? stored : !stored;
        expect(changed, 'the calendar changes exactly when allowed').toBe(answer.status < 300);
      },
    };
  },
});

const organisationProbe = (target: Target): Probe => ({
  async request(placement) {
    const org = unitOf(placement, target);
    const stored = await store.organisation(org);
    if (stored === undefined) throw new Error(`no organisation ${org}`);
    const renamed = { kind: stored.kind, ...(stored.parent === undefined ? {} : { parent: stored.parent }), names: { ...stored.names, en: `${stored.names.en.replace(/ \(renamed.*$/, '')} (renamed ${randomUUID().slice(0, 4)})` } };
    return {
      method: 'PUT',
      path: `/organisations/${org}`,
      parts: { body: renamed },
      async after(answer) {
        expect((await store.organisation(org))?.names.en === renamed.names.en, 'the directory changes exactly when allowed').toBe(answer.status === 200);
      },
    };
  },
});

const memberProbe = (target: Target): Probe => ({
  async request(placement) {
    const org = unitOf(placement, target);
    const user = `new.member-${randomUUID().slice(0, 6)}`;
    return {
      method: 'PUT',
      path: `/organisations/${org}/members/${user}`,
      parts: { body: { role: 'addressee', email: 'office@demo.kz' } },
      async after(answer) {
        const members = await store.members(org);
        expect(members.some((member) => member.user === user), 'the member is added exactly when allowed').toBe(answer.status === 200);
      },
    };
  },
});

const planProbe = (target: Target): Probe => ({
  async request(placement) {
    const issuedBy = target === 'issued by own' ? placement.own : placement.other;
    const plan = {
      plan: `ЗКО-ПЛАН-${randomUUID().slice(0, 6)}`,
      issuedBy,
      from: '2026-04-01',
      until: '2026-12-31',
      items: [{ item: '5', title: 'Отбасыларды анықтау', deadline: 'quarterly', responsible: ['zko-uralsk-school-12'] }],
    };
    return {
      method: 'POST',
      path: '/action-plans',
      parts: { body: plan },
      async after(answer) {
        const listed = await api(ADMIN, 'GET', `/obligations?issuer=${issuedBy}&limit=100`);
        const ofPlan = listed.body.obligations.filter((obligation: { caseRef: string }) => obligation.caseRef.startsWith(plan.plan));
        expect(ofPlan.length > 0, 'the plan opens obligations exactly when allowed').toBe(answer.status === 201);
      },
    };
  },
});

const PROBES: Record<ApiRoute, (target: Target) => Probe> = {
  'POST /obligations': openProbe,
  'GET /obligations': listProbe,
  'GET /obligations/{id}': obligationProbe('GET'),
  'POST /obligations/{id}/events': obligationProbe('POST'),
  'GET /rules': () => fixed('GET', '/rules'),
  'GET /rules/{id}': () => fixed('GET', '/rules/sss-decision'),
  'GET /calendar/{year}': () => fixed('GET', '/calendar/2026'),
  'GET /calendar/overrides': () => fixed('GET', '/calendar/overrides'),
  'PUT /calendar/overrides/{date}': () => overrideProbe('PUT'),
  'DELETE /calendar/overrides/{date}': () => overrideProbe('DELETE'),
  'GET /organisations': () => fixed('GET', '/organisations'),
  'PUT /organisations/{org}': organisationProbe,
  'PUT /organisations/{org}/members/{user}': memberProbe,
  'POST /action-plans': planProbe,
  'GET /me/calendar.ics': () => fixed('GET', '/me/calendar.ics'),
  'GET /notices/failed': () => fixed('GET', '/notices/failed'),
  'GET /openapi.json': () => fixed('GET', '/openapi.json'),
};

// Setup

beforeAll(async () => {
  let table: string;
  ({ sfn, table } = await startApiEnvironment(dynamodb.endpoint(), 'merzim-authz'));
  client = new DynamoDBClient(localClientConfig(dynamodb.endpoint(), region));
  store = new Store(DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } }), table);
  await Promise.all([...directory.organisations, ...ADDED_UNITS].map((organisation) => store.putOrganisation(organisation)));
  lendClock(() => now);
});

afterAll(async () => {
  lendClock(undefined);
  client?.destroy();
  await sfn?.stop();
});

function names(en: string) {
  return { kk: en, ru: en, en };
}

// The matrix, cell by cell

const tally = { cells: 0, allowed: 0, denied: 0, unexpected: 0 };

describe('the matrix is complete', () => {
  test('every route of API_ROUTES has rows, every row a status for every role', () => {
    const routes = new Set(MATRIX.map(([route]) => route));
    expect([...routes].sort()).toEqual(API_ROUTES.map(({ route }) => route).sort());
    for (const [route, target, ...statuses] of MATRIX) expect(statuses, `${route} ${target}`).toHaveLength(ROLES.length);
    expect(new Set(MATRIX.map(([route, target]) => `${route} ${target}`)).size).toBe(MATRIX.length);
  });
});

describe.each(MATRIX.map((row) => ({ route: row[0], target: row[1], statuses: row.slice(2) as number[] })))('$route — target: $target', ({ route, target, statuses }) => {
  test.each(ROLES.map((role, index) => ({ role, expected: statuses[index] ?? 0 })))('$role → $expected', async ({ role, expected }) => {
    const placement = PLACEMENTS[role];
    const { method, path, parts = {}, after } = await PROBES[route](target).request(placement);
    const answer = await api(placement.who, method, path, parts);
    tally.cells += 1;
    if (answer.status < 300) tally.allowed += 1;
    else tally.denied += 1;
    if (answer.status !== expected) tally.unexpected += 1;
    expect(answer.status, `${role} ${method} ${path}: ${JSON.stringify(answer.body)?.slice(0, 300)}`).toBe(expected);
    await after?.(answer);
  });
});

// Lists never show what is out of reach

const LIST_STATUSES = ['open', 'overdue', 'closed', 'due-soon'] as const;

describe('lists show only what the caller reaches', () => {
  const seen = { items: 0, outOfReach: 0, lists: 0 };
  const inReach = (placement: Placement, obligation: { readonly org: string; readonly issuedBy?: string | undefined }): boolean =>
    placement.reach === 'everything' || placement.reach.includes(obligation.org) || (obligation.issuedBy !== undefined && placement.reach.includes(obligation.issuedBy));

  beforeAll(async () => {
    // In every unit: an open, an overdue and a closed obligation; assignments of every caller in
    // every unit; and a decision issued by every unit to another one.
    const people = ROLES.flatMap((role) => (PLACEMENTS[role].who === null ? [] : [PLACEMENTS[role].who?.user ?? '']));
    await Promise.all(
      ALL_UNITS.map(async (org, index) => {
        await opened(decision(org));
        const overdue = await opened(decision(org));
        const stored = await store.getObligation(overdue);
        if (stored === undefined) throw new Error('seeding: no obligation');
        await store.saveObligation({ ...stored, status: 'overdue', version: stored.version + 1 }, stored.version);
        const closed = await opened(decision(org));
        const done = await api(ADMIN, 'POST', `/obligations/${closed}/events`, { body: { act: 'decided' } });
        if (done.status !== 200) throw new Error(`seeding: decided → ${done.status}`);
        for (const user of [...people, 'nurlan.inspector']) await opened(decision(org, { assignee: user }));
        await opened(reply(org, ALL_UNITS[(index + 5) % ALL_UNITS.length] ?? 'zko'));
      }),
    );
  }, 300_000);

  afterAll(() => {
    recordFigures('authorization', {
      cells: tally.cells,
      allowed: tally.allowed,
      denied: tally.denied,
      unexpected: { value: tally.unexpected, expected: '0' },
      'list answers checked': seen.lists,
      'list items checked': seen.items,
      'other-unit items seen in lists': { value: seen.outOfReach, expected: '0' },
    });
  });

  const listers = ROLES.filter((role) => role !== 'no token');

  test.each(listers)('%s: GET /obligations with every filter it may use, every status, every page', async (role) => {
    const placement = PLACEMENTS[role];
    const who = placement.who as Who;
    const queries = [`org=${placement.own}`, `issuer=${placement.own}`, `assignee=${who.user}`, 'assignee=nurlan.inspector', `org=${placement.below}`, `issuer=${placement.below}`, `org=${placement.other}`];
    let itemsSeen = 0;
    for (const filter of queries) {
      for (const status of LIST_STATUSES) {
        let cursor: string | undefined;
        do {
          const query = `${filter}&status=${status}${status === 'due-soon' ? '&within=366' : ''}&limit=7${cursor === undefined ? '' : `&cursor=${cursor}`}`;
          const answer = await api(who, 'GET', `/obligations?${query}`);
          if (answer.status === 403) break;
          expect(answer.status, query).toBe(200);
          seen.lists += 1;
          for (const obligation of answer.body.obligations as { id: string; org: string; issuedBy?: string }[]) {
            seen.items += 1;
            itemsSeen += 1;
            if (!inReach(placement, obligation)) seen.outOfReach += 1;
            expect(inReach(placement, obligation), `${role} saw ${obligation.id} of ${obligation.org} in ?${query}`).toBe(true);
          }
          cursor = answer.body.cursor;
        } while (cursor !== undefined);
      }
    }
    expect(itemsSeen, 'the lists were not empty').toBeGreaterThan(0);
  });

  test.each(listers)('%s: GET /me/calendar.ics holds only what the caller reaches', async (role) => {
    const placement = PLACEMENTS[role];
    const result = await api(placement.who, 'GET', '/me/calendar.ics');
    expect(result.status).toBe(200);
    seen.lists += 1;
    const ids = [...new Set([...String(result.body).matchAll(/UID:(o[0-9a-z]+)-r/g)].map((match) => match[1] ?? ''))];
    expect(ids.length, 'the feed is not empty').toBeGreaterThan(0);
    for (const id of ids) {
      const obligation = await store.getObligation(id);
      if (obligation === undefined) throw new Error(`the feed names ${id}, which does not exist`);
      seen.items += 1;
      if (!inReach(placement, obligation)) seen.outOfReach += 1;
      expect(inReach(placement, obligation), `${role}'s feed holds ${id} of ${obligation.org}`).toBe(true);
    }
  });

  test('a cursor of another unit’s list shows nothing of that unit', async () => {
    const foreign = await api(ADMIN, 'GET', '/obligations?org=zko-burlin-akimat-sss&limit=1');
    const cursor = foreign.body.cursor as string;
    expect(cursor).toBeDefined();
    const who = PLACEMENTS['akimat-department'].who as Who;
    const answer = await api(who, 'GET', `/obligations?org=zko-uralsk-akimat-sss&limit=100&cursor=${cursor}`);
    if (answer.status === 200) {
      for (const obligation of answer.body.obligations) expect(obligation.org).toBe('zko-uralsk-akimat-sss');
    } else {
      expect(answer.status).toBe(400);
    }
  });

  test('GET /organisations names units only: no people, no mailboxes', async () => {
    const answer = await api(PLACEMENTS['no group'].who, 'GET', '/organisations');
    expect(answer.status).toBe(200);
    const text = JSON.stringify(answer.body);
    expect(text).not.toMatch(/@/);
    for (const organisation of answer.body.organisations) expect(Object.keys(organisation).sort()).toEqual(expect.arrayContaining(['kind', 'names', 'org']));
    for (const organisation of answer.body.organisations) for (const key of Object.keys(organisation)) expect(['org', 'kind', 'names', 'parent']).toContain(key);
  });
});
