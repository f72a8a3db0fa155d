import { randomUUID } from 'node:crypto';
import { type ExpectStatic, afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import type { Store } from '../../functions/adapters/store/index.ts';
import type { ApiRoute } from '../../functions/api/http.ts';
import { API_ROUTES } from '../../contract/index.ts';
import { handler } from '../../functions/handlers/api.ts';
import { type Act, type Organisation, parseInstant } from '../../shared/base/index.ts';
import type { Obligation } from '../../shared/model/index.ts';
import { catalog, findRule } from '../../shared/rules/index.ts';
import { readDirectory } from '../../local/system/directory.ts';
import { sharedDynamoDbLocal } from '../local/support.ts';
import { recordFigures } from '../support/figures.ts';
import { type Answer, type RecordingSfn, type RequestParts, type Who, apiEvent, lambdaContext, region, apiEnvironment, type ApiEnvironment } from '../api/support.ts';
import { ACT_MATRIX, MATRIX_ROLES, type MatrixRole, type MatrixRule, RELATIONS, type Relation, readmeActMatrix, renderActMatrix } from './act-matrix.ts';

/**
 * The authorization matrix: every role a token may carry (contract/index.ts GROUPS), a token
 * with no group and a request with no token, against every route of API_ROUTES, on a target in
 * the caller's own unit, in a unit under it, and in a unit outside its subtree; and, for
 * POST /obligations/{id}/events, against every act a person records, on an obligation in each
 * relation to the caller (test/security/act-matrix.ts). Each cell is one real request to the
 * `api` function on a real DynamoDB Local table.
 *
 * The rules the tables follow (functions/api/http.ts `authorize`, functions/api/scope.ts,
 * functions/api/opening.ts, the catalog's `authority`):
 * - a caller reaches their own unit (the token's `custom:org`); the heads (unit head, department
 *   head, shelter head, commission chair, regional head) also every unit under theirs, however
 *   deep; the administrator every unit;
 * - an obligation is read by those who reach its unit, or the body that issued it; to anyone
 *   else it does not exist: 404, the same answer as for an unknown id;
 * - a clock is opened only for a unit of the directory of a kind that owes the rule (422 naming
 *   `org`), by the body that must act, by the issuer for the bodies it addresses (a commission
 *   names itself as `issuedBy`, and nothing else may be named: 422 `issuedBy`), or by the
 *   administrator; a head opens nothing for the units under it (403);
 * - an act is recorded by the parties the catalog gives it (403 otherwise), on an obligation the
 *   caller sees (404 otherwise);
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

type Role = MatrixRole;
const ROLES = MATRIX_ROLES;

/**
 * The targets of a request: a unit or obligation relative to the caller's own unit. For
 * GET /obligations, `own`/`below`/`other` ask `?org=` that unit, `issued by own`/`issuer other`
 * ask `?issuer=` the caller's unit or an outside one, `self`/`someone else` ask `?assignee=`.
 * For POST /action-plans, the plan is issued by the caller's unit or an outside commission.
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
  /** An obligation of the caller's own unit naming an outside commission as its issuer. */
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
 * Units added to the demo directory (local/demo/directory.json): one under every caller's unit,
 * of its kind (a non-head must not reach it, a head must), a crisis centre and a police unit
 * outside the shelter head's and the regional head's reach, and a second region to hand a case
 * of the region over to.
 */
const ADDED_UNITS: Organisation[] = [
  { org: 'zko-uralsk-akimat-sss-office', kind: 'akimat-department', parent: 'zko-uralsk-akimat-sss', names: names('SSS office') },
  { org: 'zko-uralsk-police-dv-post', kind: 'police-unit', parent: 'zko-uralsk-police-dv', names: names('Police post') },
  { org: 'zko-uralsk-kdn-office', kind: 'commission', parent: 'zko-uralsk-kdn', names: names('Commission office') },
  { org: 'zko-uralsk-school-12-annex', kind: 'education', parent: 'zko-uralsk-school-12', names: names('School annex') },
  { org: 'zko-uralsk-crisis-centre-branch', kind: 'crisis-centre', parent: 'zko-uralsk-crisis-centre', names: names('Crisis centre branch') },
  { org: 'zko-burlin-crisis-centre', kind: 'crisis-centre', parent: 'zko-burlin', names: names('Burlin crisis centre') },
  { org: 'ako', kind: 'region', names: names('Aktobe region') },
  { org: 'ako-police', kind: 'police-department', parent: 'mvd-kap', names: names('Aktobe police department') },
  { org: 'ako-aktobe-police-dv', kind: 'police-unit', parent: 'ako-police', names: names('Aktobe unit against domestic violence') },
];

/** A commission outside every caller's reach but the administrator's: the issuer of the obligations a caller did not issue. */
const OUTSIDE_COMMISSION = 'zko-burlin-kdn';
/** A body the commissions address, outside every caller's reach but the administrator's. */
const OUTSIDE_ADDRESSEE = 'zko-burlin-hospital';

const PLACEMENTS: Record<Role, Placement> = {
  'akimat-department': {
    who: { user: 'aliya.sss', org: 'zko-uralsk-akimat-sss', groups: ['akimat-department'] },
    own: 'zko-uralsk-akimat-sss',
    below: 'zko-uralsk-akimat-sss-office',
    other: 'zko-burlin-akimat-sss',
    reach: ['zko-uralsk-akimat-sss'],
  },
  'akimat-department-head': {
    who: { user: 'serik.sss-head', org: 'zko-uralsk-akimat-sss', groups: ['akimat-department-head'] },
    own: 'zko-uralsk-akimat-sss',
    below: 'zko-uralsk-akimat-sss-office',
    other: 'zko-burlin-akimat-sss',
    reach: ['zko-uralsk-akimat-sss', 'zko-uralsk-akimat-sss-office'],
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
    other: 'ako-aktobe-police-dv',
    reach: ['zko-police', 'zko-uralsk-police-dv', 'zko-burlin-police-dv', 'zko-uralsk-police-dv-post'],
  },
  'shelter-head': {
    who: { user: 'saule.shelter-head', org: 'zko-uralsk-crisis-centre', groups: ['shelter-head'] },
    own: 'zko-uralsk-crisis-centre',
    below: 'zko-uralsk-crisis-centre-branch',
    other: 'zko-burlin-crisis-centre',
    reach: ['zko-uralsk-crisis-centre', 'zko-uralsk-crisis-centre-branch'],
  },
  admin: {
    who: { user: 'admin', org: 'zko', groups: ['admin'] },
    own: 'zko',
    below: 'zko-burlin-akimat-sss',
    // The police hierarchy runs under the ministry's committee, not under the region.
    other: 'zko-police',
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

// The route matrix

/** POST /obligations/{id}/events is asked act by act: the act matrix below. */
type MatrixRoute = Exclude<ApiRoute, 'POST /obligations/{id}/events'>;

/**
 * Expected status of each request. Rows: a route and the target it is asked about; columns: who
 * asks. 2xx: allowed; 401: no token; 403: refused; 404: refused by not showing (an obligation
 * out of reach is indistinguishable from one that does not exist); 422: a clock opened for a unit
 * that does not owe the rule, or naming an issuer that issues no such thing.
 *
 * POST /obligations asks for the clock each caller would open (`openingFor`): the akimat
 * department its decision, the police their protective order, the crisis centre its absence,
 * the commission a reply to its decision (`issuedBy` itself), the school (no group) a decision it
 * does not owe; for `issued by own` a reply issued by the caller's unit to an outside body, for
 * `issuer other` a reply to the caller's unit issued by an outside commission. The administrator
 * opens, for each unit, a clock the unit owes.
 */
// prettier-ignore
const MATRIX: readonly (readonly [MatrixRoute, Target, ...number[]])[] = [
  //                                                       akimat  akimat  inspec  unit-   commis. commis. region. shelter admin   no      no
  // route                                    target       dept.   head    tor     head    secret. chair   head    head            group   token
  ['POST /obligations',                       'own',           201,    201,    201,    201,    422,    422,    422,    201,    201,    422,    401],
  ['POST /obligations',                       'below',         403,    403,    403,    403,    422,    422,    403,    403,    201,    422,    401],
  ['POST /obligations',                       'other',         403,    403,    403,    403,    422,    422,    403,    403,    201,    422,    401],
  ['POST /obligations',                       'issued by own', 422,    422,    422,    422,    201,    201,    422,    422,    201,    422,    401],
  ['POST /obligations',                       'issuer other',  403,    403,    403,    403,    422,    422,    403,    403,    201,    403,    401],
  ['POST /plans/preview',                     'own',           200,    200,    200,    200,    422,    422,    422,    200,    200,    422,    401],
  ['POST /plans/preview',                     'below',         403,    403,    403,    403,    422,    422,    403,    403,    200,    422,    401],
  ['POST /plans/preview',                     'other',         403,    403,    403,    403,    422,    422,    403,    403,    200,    422,    401],
  ['POST /plans/preview',                     'issued by own', 422,    422,    422,    422,    200,    200,    422,    422,    200,    422,    401],
  ['POST /plans/preview',                     'issuer other',  403,    403,    403,    403,    422,    422,    403,    403,    200,    403,    401],
  ['GET /obligations',                        'own',           200,    200,    200,    200,    200,    200,    200,    200,    200,    200,    401],
  ['GET /obligations',                        'below',         403,    200,    403,    200,    403,    200,    200,    200,    200,    403,    401],
  ['GET /obligations',                        'other',         403,    403,    403,    403,    403,    403,    403,    403,    200,    403,    401],
  ['GET /obligations',                        'issued by own', 200,    200,    200,    200,    200,    200,    200,    200,    200,    200,    401],
  ['GET /obligations',                        'issuer other',  403,    403,    403,    403,    403,    403,    403,    403,    200,    403,    401],
  ['GET /obligations',                        'self',          200,    200,    200,    200,    200,    200,    200,    200,    200,    200,    401],
  ['GET /obligations',                        'someone else',  403,    200,    403,    200,    403,    200,    200,    200,    200,    403,    401],
  ['GET /obligations/{id}',                   'own',           200,    200,    200,    200,    200,    200,    200,    200,    200,    200,    401],
  ['GET /obligations/{id}',                   'below',         404,    200,    404,    200,    404,    200,    200,    200,    200,    404,    401],
  ['GET /obligations/{id}',                   'other',         404,    404,    404,    404,    404,    404,    404,    404,    200,    404,    401],
  ['GET /obligations/{id}',                   'issued by own', 200,    200,    200,    200,    200,    200,    200,    200,    200,    200,    401],
  ['GET /cases',                              'own',           200,    200,    200,    200,    200,    200,    200,    200,    200,    200,    401],
  ['GET /cases',                              'below',         200,    200,    200,    200,    200,    200,    200,    200,    200,    200,    401],
  ['GET /cases',                              'other',         200,    200,    200,    200,    200,    200,    200,    200,    200,    200,    401],
  ['GET /cases',                              'issued by own', 200,    200,    200,    200,    200,    200,    200,    200,    200,    200,    401],
  ['GET /rules',                              '—',             200,    200,    200,    200,    200,    200,    200,    200,    200,    200,    401],
  ['GET /rules/{id}',                         '—',             200,    200,    200,    200,    200,    200,    200,    200,    200,    200,    401],
  ['GET /calendar/{year}',                    '—',             200,    200,    200,    200,    200,    200,    200,    200,    200,    200,    401],
  ['GET /calendar/overrides',                 '—',             200,    200,    200,    200,    200,    200,    200,    200,    200,    200,    401],
  ['PUT /calendar/overrides/{date}',          '—',             403,    403,    403,    403,    403,    403,    403,    403,    200,    403,    401],
  ['DELETE /calendar/overrides/{date}',       '—',             403,    403,    403,    403,    403,    403,    403,    403,    204,    403,    401],
  ['GET /organisations',                      '—',             200,    200,    200,    200,    200,    200,    200,    200,    200,    200,    401],
  ['PUT /organisations/{org}',                'own',           403,    403,    403,    403,    403,    403,    403,    403,    200,    403,    401],
  ['PUT /organisations/{org}',                'below',         403,    403,    403,    403,    403,    403,    403,    403,    200,    403,    401],
  ['PUT /organisations/{org}',                'other',         403,    403,    403,    403,    403,    403,    403,    403,    200,    403,    401],
  ['PUT /organisations/{org}/members/{user}', 'own',           403,    403,    403,    403,    403,    403,    403,    403,    200,    403,    401],
  ['PUT /organisations/{org}/members/{user}', 'other',         403,    403,    403,    403,    403,    403,    403,    403,    200,    403,    401],
  ['POST /action-plans',                      'issued by own', 403,    403,    403,    403,    201,    403,    403,    403,    201,    403,    401],
  ['POST /action-plans',                      'issuer other',  403,    403,    403,    403,    403,    403,    403,    403,    201,    403,    401],
  ['GET /me/calendar.ics',                    '—',             200,    200,    200,    200,    200,    200,    200,    200,    200,    200,    401],
  ['GET /notices/failed',                     '—',             403,    403,    403,    403,    403,    403,    403,    403,    200,    403,    401],
  ['GET /directory/gaps',                     '—',             403,    403,    403,    403,    403,    403,    403,    403,    200,    403,    401],
  ['GET /openapi.json',                       '—',             200,    200,    200,    200,    200,    200,    200,    200,    200,    200,    200],
  ['GET /reports/quarterly',                  'own',           200,    200,    200,    200,    200,    200,    200,    200,    200,    200,    401],
  ['GET /reports/quarterly',                  'below',         403,    200,    403,    200,    403,    200,    200,    200,    200,    403,    401],
  ['GET /reports/quarterly',                  'other',         403,    403,    403,    403,    403,    403,    403,    403,    200,    403,    401],
  ['GET /reports/unanswered-submissions',     'own',           200,    200,    200,    200,    200,    200,    200,    200,    200,    200,    401],
  ['GET /reports/unanswered-submissions',     'below',         403,    200,    403,    200,    403,    200,    200,    200,    200,    403,    401],
  ['GET /reports/unanswered-submissions',     'other',         403,    403,    403,    403,    403,    403,    403,    403,    200,    403,    401],
  ['GET /reports/trend',                      'own',           200,    200,    200,    200,    200,    200,    200,    200,    200,    200,    401],
  ['GET /reports/trend',                      'below',         403,    200,    403,    200,    403,    200,    200,    200,    200,    403,    401],
  ['GET /reports/trend',                      'other',         403,    403,    403,    403,    403,    403,    403,    403,    200,    403,    401],
];

// The system under test

const dynamodb = sharedDynamoDbLocal();
let environment: ApiEnvironment | undefined;
let sfn: RecordingSfn;
let store: Store;
const now = parseInstant('2026-03-19T16:00:00+05:00');
const directory = readDirectory();
const ORGANISATIONS = [...directory.organisations, ...ADDED_UNITS];
const ALL_UNITS = ORGANISATIONS.map((organisation) => organisation.org);
const KINDS: ReadonlyMap<string, string> = new Map(ORGANISATIONS.map((organisation) => [organisation.org, organisation.kind]));

const ADMIN = PLACEMENTS.admin.who as Who;
/** One request to the api function as API Gateway would make it; a body that is not JSON (the iCalendar feed) is kept as text. */
async function api(who: Who | null, method: string, target: string, parts: RequestParts = {}): Promise<Answer> {
  const result = (await handler(apiEvent(method, target, { ...parts, as: who }), lambdaContext())) as { statusCode?: number; headers?: Record<string, unknown>; body?: string };
  const headers = Object.fromEntries(Object.entries(result.headers ?? {}).map(([name, value]) => [name.toLowerCase(), String(value)]));
  const json = headers['content-type']?.startsWith('application/json') === true && result.body !== undefined && result.body !== '';
  return { status: result.statusCode ?? 200, headers, body: json ? JSON.parse(result.body ?? '') : result.body };
}

const ref = (): string => `REF-${randomUUID().slice(0, 8)}`;
/** Every seeded clock started an hour ago: an act recorded now is neither early nor late. */
const SEED_START = '2026-03-19T15:00+05:00';
/** The last day a request for time asks for and an extension grants: after every seeded due date. */
const LATER_DUE_DATE = '2026-04-30';
/** A corrected start: the same morning, before the start recorded. */
const CORRECTED_START = '2026-03-19T09:00+05:00';
const REASON = 'Основание указано в служебной записке';

type OpenBody = { rule: string; caseRef: string; org: string; start: string } & Record<string, unknown>;

const opening = (rule: string, org: string, extra: Record<string, unknown> = {}): OpenBody => ({ rule, caseRef: ref(), org, start: SEED_START, ...extra });
const reply = (issuedBy: string, org: string): OpenBody => opening('kdn-placement-reply', org, { issuedBy });

/**
 * A clock a unit owes, as the administrator opens it: its decision, its protective order, its
 * absence, a commission's reply, a plan item of the region; undefined for a unit that owes no
 * clock of the catalog (a commission, the ministry's committee).
 */
function fittingOpening(org: string, extra: Record<string, unknown> = {}): OpenBody | undefined {
  switch (KINDS.get(org)) {
    case 'akimat-department':
      return opening('sss-decision', org, extra);
    case 'police-unit':
      return opening('protective-order', org, extra);
    case 'crisis-centre':
      return opening('shelter-absence', org, extra);
    case 'region':
    case 'district':
      return opening('action-plan-item', org, { issuedBy: OUTSIDE_COMMISSION, ...extra });
    case 'commission':
    case 'police-committee':
    case undefined:
      return undefined;
    default:
      return opening('kdn-placement-reply', org, { issuedBy: OUTSIDE_COMMISSION, ...extra });
  }
}

/** Opens one obligation as the administrator and gives its id. */
async function opened(body: OpenBody): Promise<string> {
  const answer = await api(ADMIN, 'POST', '/obligations', { body });
  if (answer.status !== 201) throw new Error(`seeding: POST /obligations ${JSON.stringify(body)} → ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body.obligations[0].id;
}

const owes = (org: string, kinds: readonly string[] | undefined): boolean => kinds !== undefined && kinds.includes(KINDS.get(org) ?? '');

/**
 * An obligation of a rule in the given unit and issued by the given body. The administrator opens
 * it there when the directory allows it; where it does not (a decision of the police unit, a
 * reply issued by the akimat department) it is opened for a unit that owes the rule and then
 * moved in the table: authority over an act depends on the units, whatever brought the
 * obligation there (a unit's kind changed in the directory, an older import).
 */
async function placed(rule: MatrixRule, org: string, issuedBy: string | undefined): Promise<string> {
  const { bodies, issuers } = findRule(rule).authority.opens;
  const openOrg = owes(org, bodies) ? org : ALL_UNITS.find((unit) => owes(unit, bodies));
  const openIssuer = issuers === undefined ? undefined : issuedBy !== undefined && owes(issuedBy, issuers) ? issuedBy : OUTSIDE_COMMISSION;
  if (openOrg === undefined) throw new Error(`seeding: no unit owes ${rule}`);
  const id = await opened(
    opening(rule, openOrg, {
      ...(openIssuer === undefined ? {} : { issuedBy: openIssuer }),
      ...(rule === 'submission-measure' ? { dueDate: LATER_DUE_DATE } : {}),
    }),
  );
  if (openOrg === org && openIssuer === issuedBy) return id;
  const stored = await store.obligations.getObligation(id);
  if (stored === undefined) throw new Error('seeding: no obligation');
  const { issuedBy: _opened, ...rest } = stored;
  await store.obligations.saveObligation({ ...rest, org, ...(issuedBy === undefined ? {} : { issuedBy }), version: stored.version + 1 }, stored.version);
  return id;
}

/** Obligations of a rule and case reference in a unit, as the administrator lists them (an order's checks are opened with it). */
async function casesOpened(org: string, rule: string, caseRef: string): Promise<number> {
  const answer = await api(ADMIN, 'GET', `/obligations?org=${org}&limit=100`);
  return answer.body.obligations.filter((obligation: { rule: string; caseRef: string }) => obligation.rule === rule && obligation.caseRef === caseRef).length;
}

// How each cell is asked, and what a refusal must have left unchanged

interface Probe {
  /** The request; may seed what it needs first. */
  request(placement: Placement, role: Role): Promise<{ method: string; path: string; parts?: RequestParts; after?: (answer: Answer) => Promise<void> }>;
}

const unitOf = (placement: Placement, target: Target): string => {
  if (target === 'own' || target === 'below' || target === 'other') return placement[target];
  throw new Error(`no unit for target ${target}`);
};

const readProbe = (target: Target): Probe => ({
  async request(placement) {
    const id =
      target === 'issued by own' ? await placed('kdn-placement-reply', OUTSIDE_ADDRESSEE, placement.own) : await placed('kdn-placement-reply', unitOf(placement, target), OUTSIDE_COMMISSION);
    return {
      method: 'GET',
      path: `/obligations/${id}`,
      async after(answer) {
        if (answer.status === 404) expect(answer.body).toEqual({ message: `no obligation ${id}` });
        if (answer.status === 200) expect(answer.body.obligation.id).toBe(id);
      },
    };
  },
});

/** Whether an obligation is in a caller's reach: its unit, or the body that issued it. */
const inReach = (placement: Placement, obligation: { readonly org: string; readonly issuedBy?: string | undefined }): boolean =>
  placement.reach === 'everything' || placement.reach.includes(obligation.org) || (obligation.issuedBy !== undefined && placement.reach.includes(obligation.issuedBy));

/**
 * GET /cases answers everyone signed in; it holds the case's obligation exactly when the caller
 * may read it (GET /obligations/{id} answers 200), and nothing of it otherwise.
 */
const caseProbe = (target: Target): Probe => ({
  async request(placement) {
    const id =
      target === 'issued by own' ? await placed('kdn-placement-reply', OUTSIDE_ADDRESSEE, placement.own) : await placed('kdn-placement-reply', unitOf(placement, target), OUTSIDE_COMMISSION);
    const caseRef = (await store.obligations.getObligation(id))?.caseRef ?? '';
    return {
      method: 'GET',
      path: `/cases?caseRef=${encodeURIComponent(caseRef)}`,
      async after(answer) {
        if (answer.status !== 200) return;
        const shown = answer.body.obligations as { id: string; org: string; issuedBy?: string }[];
        const readable = (await api(placement.who, 'GET', `/obligations/${id}`)).status === 200;
        expect(shown.some((obligation) => obligation.id === id), `${caseRef} shows ${id} exactly when it may be read`).toBe(readable);
        for (const obligation of shown) expect(inReach(placement, obligation), `${obligation.id} of ${obligation.org} in the case`).toBe(true);
      },
    };
  },
});

/** The opening a caller of this role would ask for, for the target (see MATRIX). */
function openingFor(role: Role, placement: Placement, target: Target): OpenBody {
  if (role === 'admin') {
    if (target === 'issued by own') return opening('action-plan-item', OUTSIDE_ADDRESSEE, { issuedBy: placement.own });
    if (target === 'issuer other') return opening('action-plan-item', placement.own, { issuedBy: OUTSIDE_COMMISSION });
    const body = fittingOpening(unitOf(placement, target));
    if (body === undefined) throw new Error(`the administrator's ${target} unit owes no clock`);
    return body;
  }
  if (target === 'issued by own') return reply(placement.own, OUTSIDE_ADDRESSEE);
  if (target === 'issuer other') return reply(OUTSIDE_COMMISSION, placement.own);
  const org = unitOf(placement, target);
  switch (role) {
    case 'inspector':
    case 'unit-head':
    case 'regional-head':
      return opening('protective-order', org);
    case 'shelter-head':
      return opening('shelter-absence', org);
    case 'commission-secretary':
    case 'commission-chair':
      return reply(placement.own, org);
    default:
      return opening('sss-decision', org);
  }
}

const openProbe = (target: Target): Probe => ({
  async request(placement, role) {
    const body = openingFor(role, placement, target);
    return {
      method: 'POST',
      path: '/obligations',
      parts: { body },
      async after(answer) {
        expect(await casesOpened(body.org, body.rule, body.caseRef), 'opened exactly when allowed').toBe(answer.status === 201 ? 1 : 0);
        if (answer.status === 422) expect(answer.body.issues?.[0]?.path, JSON.stringify(answer.body)).toMatch(/^(org|issuedBy)$/);
        if (answer.status === 403 && placement.who !== null) expect(answer.body.issues?.[0]?.path, JSON.stringify(answer.body)).toBe('rule');
      },
    };
  },
});

/** The preview asks what POST /obligations would open: the same answers (200 for 201), and nothing opened either way. */
const previewProbe = (target: Target): Probe => ({
  async request(placement, role) {
    const body = openingFor(role, placement, target);
    return {
      method: 'POST',
      path: '/plans/preview',
      parts: { body },
      async after(answer) {
        expect(await casesOpened(body.org, body.rule, body.caseRef), 'a preview opens nothing').toBe(0);
        if (answer.status === 200) expect(answer.body.plans?.[0]?.org, JSON.stringify(answer.body)).toBe(body.org);
        if (answer.status === 422) expect(answer.body.issues?.[0]?.path, JSON.stringify(answer.body)).toMatch(/^(org|issuedBy)$/);
        if (answer.status === 403 && placement.who !== null) expect(answer.body.issues?.[0]?.path, JSON.stringify(answer.body)).toBe('rule');
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
    if (method === 'DELETE') await store.calendar.putCalendarOverride({ date: OVERRIDE_DATE, kind: 'day-off', reason: 'decree' }, 'admin', now);
    else await store.calendar.deleteCalendarOverride(OVERRIDE_DATE);
    return {
      method,
      path: `/calendar/overrides/${OVERRIDE_DATE}`,
      ...(method === 'PUT' ? { parts: { body: { kind: 'day-off', reason: 'decree' } } } : {}),
      async after(answer) {
        const stored = (await store.calendar.calendarOverrides()).some((override) => override.date === OVERRIDE_DATE);
        const changed = method === 'PUT' ? stored : !stored;
        expect(changed, 'the calendar changes exactly when allowed').toBe(answer.status < 300);
      },
    };
  },
});

const organisationProbe = (target: Target): Probe => ({
  async request(placement) {
    const org = unitOf(placement, target);
    const stored = await store.directory.organisation(org);
    if (stored === undefined) throw new Error(`no organisation ${org}`);
    const renamed = { kind: stored.kind, ...(stored.parent === undefined ? {} : { parent: stored.parent }), names: { ...stored.names, en: `${stored.names.en.replace(/ \(renamed.*$/, '')} (renamed ${randomUUID().slice(0, 4)})` } };
    return {
      method: 'PUT',
      path: `/organisations/${org}`,
      parts: { body: renamed },
      async after(answer) {
        expect((await store.directory.organisation(org))?.names.en === renamed.names.en, 'the directory changes exactly when allowed').toBe(answer.status === 200);
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
        const members = await store.directory.members(org);
        expect(members.some((member) => member.user === user), 'the member is added exactly when allowed').toBe(answer.status === 200);
      },
    };
  },
});

const planProbe = (target: Target): Probe => ({
  async request(placement) {
    const issuedBy = target === 'issued by own' ? placement.own : OUTSIDE_COMMISSION;
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

const PROBES: Record<MatrixRoute, (target: Target) => Probe> = {
  'POST /obligations': openProbe,
  'GET /obligations': listProbe,
  'GET /obligations/{id}': readProbe,
  'GET /cases': caseProbe,
  'POST /plans/preview': previewProbe,
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
  'GET /directory/gaps': () => fixed('GET', '/directory/gaps'),
  'GET /openapi.json': () => fixed('GET', '/openapi.json'),
  // Reports reach as the work lists: a unit in reach, and for heads the units under theirs.
  'GET /reports/quarterly': (target) => ({ request: async (placement) => ({ method: 'GET', path: `/reports/quarterly?org=${unitOf(placement, target)}&quarter=2026-Q1` }) }),
  'GET /reports/trend': (target) => ({ request: async (placement) => ({ method: 'GET', path: `/reports/trend?org=${unitOf(placement, target)}&weeks=4` }) }),
  'GET /reports/unanswered-submissions': (target) => ({ request: async (placement) => ({ method: 'GET', path: `/reports/unanswered-submissions?issuer=${unitOf(placement, target)}&format=csv` }) }),
};

// The act matrix: how each act is asked, and what it must have done

/** A member of a unit with no group: the acting body, and nothing more, for a seed's first act. */
const clerkOf = (org: string): Who => ({ user: `clerk.${org}`, org, groups: [] });

/** The unit and issuer of an obligation in a relation to the caller. */
function unitsFor(placement: Placement, relation: Relation, rule: MatrixRule): { org: string; issuedBy: string | undefined } {
  const issued = findRule(rule).authority.opens.issuers === undefined ? undefined : OUTSIDE_COMMISSION;
  switch (relation) {
    case 'acting body':
      return { org: placement.own, issuedBy: issued };
    case 'issuer':
      return { org: OUTSIDE_ADDRESSEE, issuedBy: placement.own };
    case 'head above':
      return { org: placement.below, issuedBy: issued };
    case 'another unit':
      return { org: placement.other, issuedBy: issued };
  }
}

/** What must stand before the act: a paused check to resume, a request for time to grant or refuse. */
const PREPARED: Partial<Record<Act, Record<string, unknown>>> = {
  resumed: { act: 'suspended', reason: 'Правонарушитель арестован' },
  extended: { act: 'extension-requested', dueDate: LATER_DUE_DATE, reason: 'Ребёнок на лечении до конца апреля' },
  'extension-refused': { act: 'extension-requested', dueDate: LATER_DUE_DATE, reason: 'Ребёнок на лечении до конца апреля' },
};

/** A unit of the same kind to hand a case over to. */
function handOverTo(current: string): string {
  const target = ALL_UNITS.find((org) => org !== current && KINDS.get(org) === KINDS.get(current));
  if (target === undefined) throw new Error(`no unit of the kind of ${current} to hand a case over to`);
  return target;
}

/** Which field a transfer moves: the catalog hands an own clock to another acting unit, an issuer's to another issuer. */
const movedByTransfer = (rule: MatrixRule): 'org' | 'issuedBy' => (rule === 'kdn-placement-reply' ? 'issuedBy' : 'org');

/** The request of an act, with every field it needs, so that authority is the only reason to refuse it. */
function actRequest(act: Act, rule: MatrixRule, role: Role, placement: Placement, relation: Relation, obligation: Obligation): Record<string, unknown> {
  switch (act) {
    case 'refused':
    case 'cancelled':
    case 'suspended':
    case 'extension-refused':
      return { act, reason: REASON };
    case 'extension-requested':
      return { act, dueDate: LATER_DUE_DATE, reason: REASON };
    case 'extended':
      return { act, dueDate: LATER_DUE_DATE };
    case 'start-corrected':
      return { act, start: CORRECTED_START, reason: REASON };
    case 'transferred': {
      const current = obligation[movedByTransfer(rule)];
      if (current === undefined) throw new Error(`a ${rule} to transfer has no ${movedByTransfer(rule)}`);
      return { act, org: handOverTo(current) };
    }
    case 'reassigned':
      // An official takes an unassigned obligation of their own unit; a head or the administrator gives it to a member of its unit.
      return { act, assignee: relation === 'acting body' && role !== 'admin' && placement.who !== null ? placement.who.user : clerkOf(obligation.org).user };
    default:
      return { act };
  }
}

interface Recorded {
  readonly before: Obligation;
  readonly after: Obligation;
  readonly request: Record<string, unknown>;
  readonly answer: Answer;
}

const closes = (act: Act) => ({ after }: Recorded, expect: ExpectStatic) => {
  expect(after.status).toBe('done');
  expect(after.closedBy).toBe(act);
};
const nextCycle = ({ before, after }: Recorded, expect: ExpectStatic) => {
  expect(after.status).toBe('open');
  expect(after.cycle).toBe(before.cycle + 1);
  expect(after.start).toBe(now);
};

/** What an allowed act must have done to the obligation. */
const EFFECTS: Partial<Record<Act, (recorded: Recorded, expect: ExpectStatic) => void | Promise<void>>> = {
  decided: closes('decided'),
  refused: closes('refused'),
  replied: closes('replied'),
  reported: closes('reported'),
  'resident-returned': closes('resident-returned'),
  deregistered: closes('deregistered'),
  checked: nextCycle,
  resumed: (recorded, expect) => {
    expect(recorded.before.status).toBe('suspended');
    nextCycle(recorded, expect);
  },
  suspended: ({ after }, expect) => expect(after.status).toBe('suspended'),
  cancelled: ({ after }, expect) => expect(after.status).toBe('cancelled'),
  'violation-found': ({ before, after }, expect) => {
    expect(after.violations).toBe((before.violations ?? 0) + 1);
    expect(after.status).toBe(before.status);
  },
  renewed: async ({ before, after, answer }, expect) => {
    expect(after.status, 'a running order served again ends').toBe('done');
    expect(after.renewedBy).toBeDefined();
    expect(answer.body.opened?.id).toBe(after.renewedBy);
    const renewal = await store.obligations.getObligation(after.renewedBy ?? '');
    expect(renewal?.renewedFrom).toBe(before.id);
    expect(renewal?.start).toBe(now);
    expect(renewal?.status).toBe('open');
  },
  'extension-requested': ({ before, after }, expect) => {
    expect(after.requestedDueDate).toBe(LATER_DUE_DATE);
    expect(after.dueAt, 'asking moves nothing').toBe(before.dueAt);
  },
  extended: ({ before, after }, expect) => {
    expect(after.extendedTo).toBe(LATER_DUE_DATE);
    expect(after.revision).toBe(before.revision + 1);
    expect(after.dueAt).toBeGreaterThan(before.dueAt);
  },
  'extension-refused': ({ before, after }, expect) => {
    expect(before.requestedDueDate).toBe(LATER_DUE_DATE);
    expect(after.requestedDueDate).toBeUndefined();
    expect(after.dueAt).toBe(before.dueAt);
  },
  'start-corrected': ({ before, after }, expect) => {
    expect(after.start).toBe(parseInstant(CORRECTED_START));
    expect(after.revision).toBe(before.revision + 1);
  },
  reassigned: ({ after, request }, expect) => expect(after.assignee).toBe(request['assignee']),
  transferred: ({ before, after, request }, expect) => {
    const moved = movedByTransfer(before.rule as MatrixRule);
    expect(after[moved]).toBe(request['org']);
    expect(after.dueAt, 'the clock goes on').toBe(before.dueAt);
  },
};

// Setup

beforeAll(async () => {
  environment = await apiEnvironment(dynamodb.endpoint(), 'merzim-authz', {
    organisations: ORGANISATIONS,
    // The demo's people, and a clerk in every unit: whom an obligation is reassigned to.
    members: [...directory.members, ...ALL_UNITS.map((org) => ({ user: clerkOf(org).user, org, role: 'addressee' as const, email: 'office@demo.kz' }))],
    now: () => now,
  });
  ({ sfn, store } = environment);
});

const tally = { cells: 0, allowed: 0, denied: 0, unexpected: 0, actCells: 0 };
const seen = { items: 0, outOfReach: 0, lists: 0 };

afterAll(async () => {
  recordFigures('authorization', {
    cells: tally.cells,
    'act cells': tally.actCells,
    allowed: tally.allowed,
    denied: tally.denied,
    unexpected: { value: tally.unexpected, expected: '0' },
    'list answers checked': seen.lists,
    'list items checked': seen.items,
    'other-unit items seen in lists': { value: seen.outOfReach, expected: '0' },
  });
  await environment?.close();
});

function names(en: string) {
  return { kk: en, ru: en, en };
}

function count(status: number, expected: number): void {
  tally.cells += 1;
  if (status < 300) tally.allowed += 1;
  else tally.denied += 1;
  if (status !== expected) tally.unexpected += 1;
}

// The matrices are complete

describe('the matrices are complete', () => {
  test('every route of API_ROUTES has rows (the act route in the act matrix), every row a status for every role', () => {
    const routes = new Set<string>(MATRIX.map(([route]) => route));
    routes.add('POST /obligations/{id}/events');
    expect([...routes].sort()).toEqual(API_ROUTES.map(({ route }) => route).sort());
    for (const [route, target, ...statuses] of MATRIX) expect(statuses, `${route} ${target}`).toHaveLength(ROLES.length);
    expect(new Set(MATRIX.map(([route, target]) => `${route} ${target}`)).size).toBe(MATRIX.length);
  });

  test('every act a person records on some rule has rows, on a rule it applies to, in every relation, for every role', () => {
    const recordedByPeople = new Set(catalog.flatMap((rule) => Object.keys(rule.authority.acts)));
    expect([...new Set(ACT_MATRIX.map(([act]) => act))].sort()).toEqual([...recordedByPeople].sort());
    for (const [act, rule, relation, ...statuses] of ACT_MATRIX) {
      expect(Object.keys(findRule(rule).authority.acts), `${act} applies to ${rule}`).toContain(act);
      expect(statuses, `${act} ${rule} ${relation}`).toHaveLength(ROLES.length);
    }
    const cells = ACT_MATRIX.map(([act, rule, relation]) => `${act} ${rule} ${relation}`);
    expect(new Set(cells).size).toBe(cells.length);
    const actRules = new Set(ACT_MATRIX.map(([act, rule]) => `${act} ${rule}`));
    expect(cells.length).toBe(actRules.size * RELATIONS.length);
  });

  test("the README's act table is the act matrix (npx tsx test/security/act-matrix.ts --write)", () => {
    const rendered = renderActMatrix();
    expect(readmeActMatrix(), `README.md's act matrix is not the suite's: put this between <!-- act-matrix:start --> and <!-- act-matrix:end -->\n${rendered}\n`).toBe(rendered);
  });
});

// The route matrix, cell by cell

describe.each(MATRIX.map((row) => ({ route: row[0], target: row[1], statuses: row.slice(2) as number[] })))('$route — target: $target', ({ route, target, statuses }) => {
  test.each(ROLES.map((role, index) => ({ role, expected: statuses[index] ?? 0 })))('$role → $expected', async ({ role, expected }) => {
    const placement = PLACEMENTS[role];
    const { method, path, parts = {}, after } = await PROBES[route](target).request(placement, role);
    const answer = await api(placement.who, method, path, parts);
    count(answer.status, expected);
    expect(answer.status, `${role} ${method} ${path}: ${JSON.stringify(answer.body)?.slice(0, 300)}`).toBe(expected);
    await after?.(answer);
  });
});

// The act matrix, cell by cell

describe.concurrent.each(ACT_MATRIX.map((row) => ({ act: row[0], rule: row[1], relation: row[2], statuses: row.slice(3) as number[] })))(
  'POST /obligations/{id}/events $act on $rule — relation: $relation',
  ({ act, rule, relation, statuses }) => {
    // Concurrent: each cell seeds its own obligation; `expect` is the cell's own.
    test.for(ROLES.map((role, index) => ({ role, expected: statuses[index] ?? 0 })))('$role → $expected', async ({ role, expected }, { expect }) => {
      const placement = PLACEMENTS[role];
      const { org, issuedBy } = unitsFor(placement, relation, rule);
      const id = await placed(rule, org, issuedBy);
      const prepared = PREPARED[act];
      if (prepared !== undefined) {
        const first = await api(clerkOf(org), 'POST', `/obligations/${id}/events`, { body: prepared });
        if (first.status !== 200) throw new Error(`seeding: ${JSON.stringify(prepared)} → ${first.status} ${JSON.stringify(first.body)}`);
      }
      const before = await store.obligations.getObligation(id);
      if (before === undefined) throw new Error('seeding: no obligation');
      const eventsBefore = await store.obligations.events(id);
      const request = actRequest(act, rule, role, placement, relation, before);

      const answer = await api(placement.who, 'POST', `/obligations/${id}/events`, { body: request });
      count(answer.status, expected);
      tally.actCells += 1;
      expect(answer.status, `${role} ${JSON.stringify(request)} on ${rule} of ${org} issued by ${issuedBy ?? 'nobody'}: ${JSON.stringify(answer.body)?.slice(0, 300)}`).toBe(expected);

      const after = await store.obligations.getObligation(id);
      if (after === undefined) throw new Error('the obligation is gone');
      const eventsAfter = await store.obligations.events(id);
      if (answer.status === 200) {
        expect(eventsAfter.filter((event) => event.type === act && !eventsBefore.some((earlier) => earlier.seq === event.seq && earlier.type === act)).map((event) => event.by)).toEqual([
          placement.who?.user,
        ]);
        await EFFECTS[act]?.({ before, after, request, answer }, expect);
      } else {
        expect(after, 'a refusal changes nothing').toEqual(before);
        expect(eventsAfter, 'a refusal writes no event').toHaveLength(eventsBefore.length);
        if (answer.status === 404) expect(answer.body).toEqual({ message: `no obligation ${id}` });
        if (answer.status === 403) {
          expect(answer.body.issues?.[0]?.path).toBe('act');
          expect(answer.body.message).toContain(`record ${act} on ${rule}`);
        }
      }
    });
  },
);

// Lists never show what is out of reach

const LIST_STATUSES = ['open', 'overdue', 'closed', 'due-soon'] as const;
const LIST_GROUPS = ['overdue', 'week', 'later'] as const;

describe('lists show only what the caller reaches', () => {
  beforeAll(async () => {
    // In every unit that owes a clock: an open, an overdue and a cancelled obligation, and
    // assignments of every caller; and from every body that issues, an obligation of another.
    const people = ROLES.flatMap((role) => (PLACEMENTS[role].who === null ? [] : [PLACEMENTS[role].who?.user ?? '']));
    const addressees = ALL_UNITS.filter((org) => KINDS.get(org) === 'education' || KINDS.get(org) === 'health');
    await Promise.all(
      ALL_UNITS.map(async (org, index) => {
        const kind = KINDS.get(org);
        const addressee = addressees[index % addressees.length] ?? OUTSIDE_ADDRESSEE;
        if (kind === 'commission') await opened(reply(org, addressee));
        if (kind === 'akimat' || kind === 'region' || kind === 'district') await opened(opening('action-plan-item', addressee, { issuedBy: org }));
        const owed = (extra: Record<string, unknown> = {}) => fittingOpening(org, extra);
        if (owed() === undefined) return;
        await opened(owed() as OpenBody);
        const overdue = await opened(owed() as OpenBody);
        const stored = await store.obligations.getObligation(overdue);
        if (stored === undefined) throw new Error('seeding: no obligation');
        await store.obligations.saveObligation({ ...stored, status: 'overdue', version: stored.version + 1 }, stored.version);
        const closed = await opened(owed() as OpenBody);
        const done = await api(ADMIN, 'POST', `/obligations/${closed}/events`, { body: { act: 'cancelled', reason: REASON } });
        if (done.status !== 200) throw new Error(`seeding: cancelled → ${done.status} ${JSON.stringify(done.body)}`);
        for (const user of [...people, 'nurlan.inspector']) await opened(owed({ assignee: user }) as OpenBody);
      }),
    );
  }, 300_000);

  const listers = ROLES.filter((role) => role !== 'no token');

  test.each(listers)('%s: GET /obligations with every filter it may use, every status, every page', async (role) => {
    const placement = PLACEMENTS[role];
    const who = placement.who as Who;
    const queries = [`org=${placement.own}`, `issuer=${placement.own}`, `assignee=${who.user}`, 'assignee=nurlan.inspector', `org=${placement.below}`, `issuer=${placement.below}`, `org=${placement.other}`];
    let itemsSeen = 0;
    for (const filter of queries) {
      const parts = [...LIST_STATUSES.map((status) => `status=${status}${status === 'due-soon' ? '&within=366' : ''}`), ...LIST_GROUPS.map((group) => `group=${group}`)];
      for (const part of parts) {
        let cursor: string | undefined;
        do {
          const query = `${filter}&${part}&limit=7${cursor === undefined ? '' : `&cursor=${cursor}`}`;
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
      const obligation = await store.obligations.getObligation(id);
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
