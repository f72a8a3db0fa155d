import { join } from 'node:path';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { ListExecutionsCommand, ListStateMachinesCommand, SFNClient } from '@aws-sdk/client-sfn';
import { type CryptoKey, SignJWT, base64url, exportJWK, generateKeyPair } from 'jose';
import { describe, expect, test } from 'vitest';
import { API_ROUTES, CLAIMS } from '../../contract/index.ts';
import { localClientConfig } from '../../local/aws.ts';
import { RATE_LIMITS_ENV } from '../../functions/api/limits.ts';
import { PEOPLE, type Person } from '../../local/system/client.ts';
import { LOCAL_AUDIENCE, LOCAL_ISSUER, defaultDataDir, loadOrCreateKeys } from '../../local/system/index.ts';
import { scenario } from '../scenarios/harness.ts';
import { recordFigures } from '../support/figures.ts';
import {
  BAD_JSON,
  FORBIDDEN_CHARACTERS,
  HUGE_STRINGS,
  IINS,
  INJECTIONS,
  NOT_DATES,
  NOT_INSTANTS,
  NOT_INTEGERS,
  NOT_STRINGS,
  ONE_TOO_LONG,
  SEED,
  UNICODE_CODES,
  randomNonStrings,
  randomWith,
} from './bad-values.ts';

/**
 * Bad input, through real HTTP, to the whole application as `npm start` runs it: every route that
 * takes input gets requests that are valid in all but one respect (one field of the body, the
 * path or the query; the token; the content type; the JSON itself; the size), thousands of
 * them, generated from a fixed seed. Every answer must be a 4xx; a validation failure must name
 * the field that is wrong and say why; nothing may be written to the table and no timer started.
 */

// Thousands of probes from one person would meet the per-person rate limit (a 429 is a 4xx, but
// it would hide the answer the probe is for); the limit itself is tried in insider.test.ts.
process.env[RATE_LIMITS_ENV] = 'off';
const system = scenario('2026-03-19T10:00:00+05:00');

interface Probe {
  readonly what: string;
  readonly route: string;
  readonly method: string;
  /** The path with its query, already encoded. */
  readonly target: string;
  readonly body?: string | Uint8Array;
  readonly contentType?: string | null;
  readonly headers?: Readonly<Record<string, string>>;
  /** Who signs in, a raw Authorization header, or nobody. */
  readonly auth: { readonly person: Person } | { readonly authorization: string } | null;
  readonly expect: readonly number[];
  /** The field the answer must name (`issues[].path`), and for an action plan's item, its row. */
  readonly field?: string;
  readonly row?: number;
}

// What a request is when nothing is wrong with it: none of these is ever sent as it is.

const OPEN = { rule: 'sss-decision', caseRef: 'SSS-2026/041', org: 'zko-uralsk-akimat-sss', start: '2026-03-19T09:00:00+05:00' };
const ACT = { act: 'decided', at: '2026-03-19T09:30:00+05:00' };
const OVERRIDE = { kind: 'day-off', reason: 'Decree No. 123 of the Government', source: 'adilet.zan.kz' };
const ORGANISATION = { kind: 'district', names: { kk: 'Тест ауданы', ru: 'Тестовый район', en: 'Test district' }, parent: 'zko' };
const MEMBER = { role: 'inspector', email: 'new.inspector@police.example.kz' };
const PLAN = {
  plan: 'ZKO-IAP-2026',
  issuedBy: 'zko-uralsk-kdn',
  from: '2026-01-01',
  until: '2026-12-31',
  items: [{ item: '1', title: 'Quarterly report on prevention', deadline: 'quarterly', responsible: ['zko-uralsk-police-dv'], form: 'information' }],
};

type Json = Record<string, unknown>;

/** A copy of `base` with the value at `path` replaced (or removed when `value` is REMOVE). */
const REMOVE = Symbol('remove');
function withValue(base: Json, path: readonly (string | number)[], value: unknown): Json {
  const copy = structuredClone(base) as Json;
  let at: Record<string | number, unknown> = copy;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
  const last = path[path.length - 1] as string | number;
  if (value === REMOVE) delete at[last];
  else at[last] = value;
  return copy;
}

/** One path segment as a client would encode it; a value that cannot be UTF-8 (a lone surrogate) goes as CESU bytes. */
function segment(value: string): string {
  let encoded: string;
  try {
    encoded = encodeURIComponent(value);
  } catch {
    encoded = value.replace(/[\ud800-\udfff]/g, '%ED%A0%80').replace(/[^A-Za-z0-9%_~-]/g, (char) => `%${char.charCodeAt(0).toString(16).padStart(2, '0')}`);
  }
  // A dot is sent encoded, so that no client folds `..` away before the API sees it.
  return encoded.replace(/\./g, '%2E');
}

let seed = SEED;
const nextSeed = (): number => (seed += 7919);

// Values that make each kind of field wrong.

const CODE_FORBIDDEN = ['<', ' ', '\u0000', '\u202e', "'", ':', '😀', 'Я', '\ud800', '$', 'A', '#', '\n', '*'];
const CASE_FORBIDDEN = ['<', '\u0000', '\u202e', "'", ':', '😀', '\ud800', '$', '"', ';', '=', '{', '\u0301', '*', '\u0007'];
const TEXT_FORBIDDEN = [...FORBIDDEN_CHARACTERS.filter((char) => char.trim() !== ''), ' 880101300123 '];

const codes = (limit: number, random = 60): unknown[] => [
  ...NOT_STRINGS,
  ...INJECTIONS,
  ...UNICODE_CODES,
  '',
  ONE_TOO_LONG(limit),
  ...HUGE_STRINGS,
  ...randomWith(CODE_FORBIDDEN, random, nextSeed()),
  ...randomNonStrings(10, nextSeed()),
];
const caseRefs = (): unknown[] => [
  ...NOT_STRINGS,
  ...INJECTIONS,
  ...IINS,
  ...IINS.map((iin) => `СВ-2026/${iin}`),
  '',
  '   ',
  ONE_TOO_LONG(64, 'Я'),
  ...HUGE_STRINGS,
  'zko\u0000',
  '\u202eABC',
  'A\ud800',
  'A😀',
  'A\u200b',
  ...randomWith(CASE_FORBIDDEN, 60, nextSeed()),
];
/** Free text of at most `limit` characters (and at least `min`). */
const texts = (limit: number, min: number): unknown[] => [
  ...NOT_STRINGS,
  ...(min > 0 ? ['', 'a'.repeat(min - 1).padEnd(min - 1, ' ')] : []),
  ONE_TOO_LONG(limit, 'я'),
  ...HUGE_STRINGS,
  ...IINS.map((iin) => `see the person ${iin} at home`),
  ...FORBIDDEN_CHARACTERS.map((char) => `Decision${char} taken by the department`),
  ...randomWith(TEXT_FORBIDDEN, 60, nextSeed()).map((text) => `Note: ${text}`),
];
const dates = (): unknown[] => [...NOT_STRINGS, ...NOT_DATES, ...INJECTIONS.slice(0, 12), ...randomWith(CODE_FORBIDDEN, 10, nextSeed())];
const instants = (): unknown[] => [...NOT_STRINGS, ...NOT_INSTANTS, ...INJECTIONS.slice(0, 12), ...randomWith(['<', '\u0000', '😀', 'x'], 10, nextSeed())];
const enums = (valid: string): unknown[] => [
  ...NOT_STRINGS,
  '',
  valid.toUpperCase(),
  ` ${valid}`,
  `${valid} `,
  `${valid}\u0000`,
  `${valid}\u202e`,
  ...INJECTIONS,
  ...UNICODE_CODES,
  ...randomWith(CODE_FORBIDDEN, 15, nextSeed()),
];
const notArrays = (): unknown[] => ['zko-uralsk', 1, true, null, {}, { 0: 'zko-uralsk' }];

// The probes, route by route.

const probes: Probe[] = [];

function bodyProbes(route: string, target: string, person: Person, base: Json, field: string, values: readonly unknown[], options: { path?: (string | number)[]; expectField?: string; row?: number; extra?: Json } = {}): void {
  const [method = ''] = route.split(' ');
  for (const value of values) {
    const body = withValue({ ...base, ...options.extra }, options.path ?? [field], value);
    probes.push({
      what: `body ${field}`,
      route,
      method,
      target,
      body: JSON.stringify(body),
      auth: { person },
      expect: [400, 422],
      field: options.expectField ?? field,
      ...(options.row === undefined ? {} : { row: options.row }),
    });
  }
}

function unknownFieldProbes(route: string, target: string, person: Person, base: Json, at: (string | number)[] = []): void {
  const [method = ''] = route.split(' ');
  const names = ['iin', 'IIN', 'name', 'patientName', 'address', 'phone', 'comment', 'constructor', 'prototype', '__proto__', 'pk', 'sk', '#pk', ':v', '$where', 'status', 'version', 'createdBy'];
  for (const name of names) {
    // Some are real fields of other shapes (status, version…): never of the request's.
    if (at.length === 0 && name in base) continue;
    const text = JSON.stringify(withValue(base, [...at, '@@KEY@@'], '880101300123')).replace('"@@KEY@@"', JSON.stringify(name));
    probes.push({ what: 'unknown field', route, method, target, body: text, auth: { person }, expect: [400, 422], field: [...at, name].join('.') });
  }
}

function pathProbes(route: string, make: (value: string) => string, person: Person, field: string, values: readonly unknown[], body?: Json): void {
  const [method = ''] = route.split(' ');
  for (const value of values) {
    // Over-long URLs are the server's limit, probed once below, not the field's.
    if (typeof value !== 'string' || value.length > 2000) continue;
    const encoded = segment(value);
    probes.push({
      what: `path ${field}`,
      route,
      method,
      target: make(encoded),
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      auth: { person },
      // An empty segment matches no route: API Gateway's own 404.
      expect: encoded === '' ? [404] : [400, 422],
      ...(encoded === '' ? {} : { field }),
    });
  }
}

function queryProbes(route: string, path: string, person: Person, base: Record<string, string>, field: string, values: readonly unknown[], options: { remove?: string[] } = {}): void {
  const [method = ''] = route.split(' ');
  for (const value of values) {
    if (typeof value !== 'string' || value.length > 2000) continue;
    const query = new URLSearchParams({ ...base });
    for (const name of options.remove ?? []) query.delete(name);
    query.set(field, value);
    probes.push({ what: `query ${field}`, route, method, target: `${path}?${query.toString()}`, auth: { person }, expect: [400], field });
  }
}

/** The obligation the act probes point at, opened before counting. */
let obligationId = 'set-in-setup';
const eventsTarget = (id = obligationId): string => `/obligations/${id}/events`;

function generate(): void {
  // POST /obligations
  const open = 'POST /obligations';
  for (const [field, values] of [
    ['rule', [...codes(64), 'no-such-rule', 'sss-decision-x', 'SSS-DECISION']],
    ['caseRef', caseRefs()],
    ['org', codes(63)],
    ['start', instants()],
  ] as const) {
    bodyProbes(open, '/obligations', 'sss', OPEN, field, values);
    bodyProbes(open, '/obligations', 'sss', OPEN, field, [REMOVE]);
  }
  bodyProbes(open, '/obligations', 'sss', OPEN, 'variant', [...codes(32, 20), 'no-such-variant']);
  bodyProbes(open, '/obligations', 'sss', OPEN, 'issuedBy', codes(63, 20));
  bodyProbes(open, '/obligations', 'sss', OPEN, 'assignee', codes(63, 20));
  bodyProbes(open, '/obligations', 'sss', OPEN, 'count', [...NOT_INTEGERS, 0, -1, 367, 1e6, 2 ** 53]);
  bodyProbes(open, '/obligations', 'sss', OPEN, 'dueDate', dates());
  bodyProbes(open, '/obligations', 'sss', OPEN, 'until', dates());
  bodyProbes(open, '/obligations', 'sss', { ...OPEN, org: undefined }, 'addressees', [
    ...notArrays(),
    [],
    ['zko-uralsk-akimat-sss', 'zko-uralsk-akimat-sss'],
    Array.from({ length: 31 }, (_, index) => `zko-unit-${index}`),
    Array.from({ length: 100_000 }, (_, index) => `zko-unit-${index}`),
    ...codes(63, 10).map((code) => [code]),
  ]);
  bodyProbes(open, '/obligations', 'sss', OPEN, 'measures', [
    ...notArrays(),
    [],
    [{ item: '1', dueDate: '2026-04-01' }],
    Array.from({ length: 21 }, (_, index) => ({ item: String(index + 1), dueDate: '2026-04-01' })),
  ]);
  bodyProbes(open, '/obligations', 'sss', { ...OPEN, rule: 'submission-reply', org: 'zko-uralsk-police-dv' }, 'measures', [
    ...[...NOT_STRINGS, '', ...INJECTIONS, ONE_TOO_LONG(16, '1'), ...randomWith(['<', ' ', '\u0000', '\u202e', "'", ':', '😀', '\ud800', '$', '#', '*'], 20, nextSeed())].map((item) => [{ item, dueDate: '2026-04-01' }]),
    ...dates().map((dueDate) => [{ item: '1', dueDate }]),
    [{ item: '1', dueDate: '2026-04-01', note: 'extra' }],
  ]);
  unknownFieldProbes(open, '/obligations', 'sss', OPEN);
  // The last ones hold an IIN or a phone (issue 17): refused before anything is written.
  for (const key of ['short', 'a'.repeat(129), 'key with space', 'key;DROP TABLE', '%0d%0aSet-Cookie:%20a=b', 'key\\u0000zero', '<script>x</script>', 'key/../../etc', 'key-880101_300123', '8801-0130-0123-x', 'tel-87012345678']) {
    probes.push({ what: 'header idempotency-key', route: open, method: 'POST', target: '/obligations', body: JSON.stringify(OPEN), headers: { 'idempotency-key': key }, auth: { person: 'sss' }, expect: [400], field: 'idempotency-key' });
  }

  // POST /plans/preview: the body of POST /obligations, parsed the same way
  const preview = 'POST /plans/preview';
  for (const [field, values] of [
    ['caseRef', caseRefs()],
    ['start', instants()],
    ['org', codes(63, 20)],
  ] as const) {
    bodyProbes(preview, '/plans/preview', 'sss', OPEN, field, values);
  }
  unknownFieldProbes(preview, '/plans/preview', 'sss', OPEN);

  // POST /obligations/{id}/events
  const record = 'POST /obligations/{id}/events';
  bodyProbes(record, eventsTarget(), 'sss', ACT, 'act', enums('decided'));
  bodyProbes(record, eventsTarget(), 'sss', ACT, 'act', [REMOVE]);
  bodyProbes(record, eventsTarget(), 'sss', ACT, 'at', instants());
  bodyProbes(record, eventsTarget(), 'sss', ACT, 'reason', texts(500, 3));
  bodyProbes(record, eventsTarget(), 'sss', ACT, 'note', texts(500, 3));
  bodyProbes(record, eventsTarget(), 'sss', { act: 'refused' }, 'reason', [REMOVE, ...IINS.map((iin) => `the applicant ${iin} withdrew`)]);
  bodyProbes(record, eventsTarget(), 'sss', { act: 'extended' }, 'dueDate', [REMOVE, ...dates()]);
  bodyProbes(record, eventsTarget(), 'sss', { act: 'start-corrected' }, 'start', [REMOVE, ...instants()]);
  unknownFieldProbes(record, eventsTarget(), 'sss', ACT);
  pathProbes(record, (id) => eventsTarget(id), 'sss', 'id', codes(70), ACT);

  // GET /obligations/{id}
  pathProbes('GET /obligations/{id}', (id) => `/obligations/${id}`, 'sss', 'id', codes(70));

  // PUT and DELETE /calendar/overrides/{date}
  const putOverride = 'PUT /calendar/overrides/{date}';
  const overrideTarget = '/calendar/overrides/2026-05-04';
  bodyProbes(putOverride, overrideTarget, 'admin', OVERRIDE, 'kind', [...enums('day-off'), REMOVE]);
  bodyProbes(putOverride, overrideTarget, 'admin', OVERRIDE, 'reason', [...texts(200, 3), REMOVE]);
  bodyProbes(putOverride, overrideTarget, 'admin', OVERRIDE, 'source', texts(300, 0));
  bodyProbes(putOverride, overrideTarget, 'admin', OVERRIDE, 'date', ['2026-05-04']);
  unknownFieldProbes(putOverride, overrideTarget, 'admin', OVERRIDE);
  pathProbes(putOverride, (date) => `/calendar/overrides/${date}`, 'admin', 'date', [...dates(), '1999-01-01', '2200-01-01'], OVERRIDE);
  pathProbes('DELETE /calendar/overrides/{date}', (date) => `/calendar/overrides/${date}`, 'admin', 'date', dates());

  // PUT /organisations/{org}
  const putOrg = 'PUT /organisations/{org}';
  const orgTarget = '/organisations/zko-test-district';
  bodyProbes(putOrg, orgTarget, 'admin', ORGANISATION, 'kind', [...enums('district'), REMOVE]);
  bodyProbes(putOrg, orgTarget, 'admin', ORGANISATION, 'names', [...NOT_STRINGS.filter((value) => typeof value !== 'object' || value === null || Array.isArray(value)), REMOVE]);
  for (const language of ['kk', 'ru', 'en']) {
    bodyProbes(putOrg, orgTarget, 'admin', ORGANISATION, `names.${language}`, [...texts(200, 1), REMOVE], { path: ['names', language] });
  }
  bodyProbes(putOrg, orgTarget, 'admin', ORGANISATION, 'names.xx', ['Extra'], { path: ['names', 'xx'] });
  bodyProbes(putOrg, orgTarget, 'admin', ORGANISATION, 'parent', [...codes(63, 20), 'zko-test-district']);
  bodyProbes(putOrg, orgTarget, 'admin', ORGANISATION, 'org', [...codes(63, 10), 'zko-other-district']);
  unknownFieldProbes(putOrg, orgTarget, 'admin', ORGANISATION);
  pathProbes(putOrg, (org) => `/organisations/${org}`, 'admin', 'org', codes(63), ORGANISATION);

  // PUT /organisations/{org}/members/{user}
  const putMember = 'PUT /organisations/{org}/members/{user}';
  const memberTarget = '/organisations/zko-uralsk-police-dv/members/new.inspector';
  bodyProbes(putMember, memberTarget, 'admin', MEMBER, 'role', [...enums('inspector'), 'admin', REMOVE]);
  bodyProbes(putMember, memberTarget, 'admin', MEMBER, 'email', [
    ...NOT_STRINGS,
    '',
    'new.inspector',
    'new.inspector@',
    '@police.example.kz',
    'a@b@police.example.kz',
    'new inspector@police.example.kz',
    'new.inspector@police.example.kz\r\nBcc: all@example.kz',
    'new.inspector@police.example.kz\nX-Injected: 1',
    '<script>@police.example.kz',
    '880101300123@mail.kz',
    'ivan.880101300123@police.example.kz',
    `${'a'.repeat(250)}@police.example.kz`,
    'new.inspector@police.example.kz\u0000',
    'new.inspector@police.example.kz\u202e',
    'new.inspector@😀.kz',
    REMOVE,
  ]);
  bodyProbes(putMember, memberTarget, 'admin', MEMBER, 'user', ['new.inspector']);
  bodyProbes(putMember, memberTarget, 'admin', MEMBER, 'org', ['zko-uralsk-police-dv']);
  unknownFieldProbes(putMember, memberTarget, 'admin', MEMBER);
  pathProbes(putMember, (org) => `/organisations/${org}/members/new.inspector`, 'admin', 'org', codes(63, 20), MEMBER);
  pathProbes(putMember, (user) => `/organisations/zko-uralsk-police-dv/members/${user}`, 'admin', 'user', [...codes(63, 20), '880101300123', 'ivan880101300123'], MEMBER);

  // POST /action-plans: plan-level fields on row 0, an item's fields on its row.
  const plans = 'POST /action-plans';
  bodyProbes(plans, '/action-plans', 'admin', PLAN, 'plan', [...caseRefs(), REMOVE], { row: 0 });
  bodyProbes(plans, '/action-plans', 'admin', PLAN, 'issuedBy', [...codes(63, 20), REMOVE], { row: 0 });
  bodyProbes(plans, '/action-plans', 'admin', PLAN, 'from', [...dates(), REMOVE], { row: 0 });
  bodyProbes(plans, '/action-plans', 'admin', PLAN, 'until', [...dates(), REMOVE], { row: 0 });
  bodyProbes(plans, '/action-plans', 'admin', PLAN, 'items', [...notArrays(), [], Array.from({ length: 2001 }, (_, index) => ({ ...PLAN.items[0], item: String(index + 1) }))], { row: 0 });
  const itemFields: [string, unknown[]][] = [
    ['item', [...NOT_STRINGS, '', 'a', '1..2', '1.2.3.4.5', '1234', ...INJECTIONS.slice(0, 10), ...UNICODE_CODES.slice(0, 6)]],
    ['title', texts(300, 0).filter((value) => !(typeof value === 'string' && value.trim() === ''))],
    // A deadline is trimmed: ` quarterly` is quarterly.
    ['deadline', [...enums('quarterly').filter((value) => typeof value !== 'string' || value.trim() !== 'quarterly'), 'yearly:02-29', 'yearly:13-01', '2026-02-30', '2030-01-01']],
    ['responsible', [...notArrays(), [], ...codes(63, 10).map((code) => [code])]],
    ['form', texts(300, 0).filter((value) => !(typeof value === 'string' && value.trim() === ''))],
  ];
  for (const [field, values] of itemFields) bodyProbes(plans, '/action-plans', 'admin', PLAN, field, values, { path: ['items', 0, field], row: 1 });
  unknownFieldProbes(plans, '/action-plans', 'admin', PLAN);

  // GET /obligations: the query
  const list = 'GET /obligations';
  const listBase = { org: 'zko-uralsk-akimat-sss' };
  queryProbes(list, '/obligations', 'sss', listBase, 'org', codes(63));
  queryProbes(list, '/obligations', 'sss', listBase, 'assignee', codes(63, 20), { remove: ['org'] });
  queryProbes(list, '/obligations', 'sss', listBase, 'issuer', codes(63, 20), { remove: ['org'] });
  queryProbes(list, '/obligations', 'sss', listBase, 'status', enums('open'));
  queryProbes(list, '/obligations', 'sss', { ...listBase, status: 'due-soon' }, 'within', ['0', '367', '-1', '1.5', 'a', '', '99999', '1e2', ...INJECTIONS.slice(0, 10)]);
  queryProbes(list, '/obligations', 'sss', listBase, 'within', ['3']);
  queryProbes(list, '/obligations', 'sss', listBase, 'limit', ['0', '101', '-1', '1.5', 'a', '', '99999', '0x10', ...INJECTIONS.slice(0, 10)]);
  queryProbes(list, '/obligations', 'sss', listBase, 'cursor', [
    '',
    '!!!',
    'a'.repeat(2049),
    ...INJECTIONS,
    ...[{ pk: 'OBL#x', sk: 'META' }, { pk: "' OR 1=1", sk: ':v' }, { gsi1pk: 'ORG#zko-uralsk-police-dv#open', gsi1sk: '#pk' }, { a: 'b' }, [], 'x', 1, { pk: { S: 'x' } }].map((key) =>
      Buffer.from(JSON.stringify(key)).toString('base64url'),
    ),
    Buffer.from('not json').toString('base64url'),
  ]);
  queryProbes(list, '/obligations', 'sss', listBase, 'group', enums('week'));
  queryProbes(list, '/obligations', 'sss', { ...listBase, status: 'open' }, 'group', ['week']);
  queryProbes(list, '/obligations', 'sss', listBase, 'caseRef', caseRefs());
  for (const name of ['x', 'iin', 'org[]', '$where', '__proto__', 'constructor']) queryProbes(list, '/obligations', 'sss', listBase, name, ['1']);

  // GET /cases: one case reference, exactly
  queryProbes('GET /cases', '/cases', 'sss', {}, 'caseRef', caseRefs());
  for (const name of ['x', 'org', '__proto__']) queryProbes('GET /cases', '/cases', 'sss', { caseRef: 'SSS-2026/041' }, name, ['1']);
  probes.push({ what: 'query org twice', route: list, method: 'GET', target: '/obligations?org=zko-uralsk-akimat-sss&org=zko-burlin-akimat-sss', auth: { person: 'sss' }, expect: [400], field: 'org' });
  probes.push({ what: 'query no unit', route: list, method: 'GET', target: '/obligations?status=open', auth: { person: 'sss' }, expect: [400], field: 'org' });

  // GET /calendar/{year}, GET /rules/{id}, GET /me/calendar.ics
  pathProbes('GET /calendar/{year}', (year) => `/calendar/${year}`, 'sss', 'year', ['0', '999', '20266', 'abcd', '１２３４', '2026 ', '-2026', '1999', '2200', '0000', ...codes(4, 20)]);
  pathProbes('GET /rules/{id}', (id) => `/rules/${id}`, 'sss', 'id', codes(64));
  queryProbes('GET /me/calendar.ics', '/me/calendar.ics', 'sss', {}, 'lang', enums('ru'));
  queryProbes('GET /me/calendar.ics', '/me/calendar.ics', 'sss', { lang: 'ru' }, 'x', ['1']);

  // GET /notices/failed: the dead-letter list's paging
  const failed = 'GET /notices/failed';
  queryProbes(failed, '/notices/failed', 'admin', {}, 'limit', ['0', '101', '-1', '1.5', 'a', '', '99999', '0x10', ...INJECTIONS.slice(0, 10)]);
  queryProbes(failed, '/notices/failed', 'admin', {}, 'cursor', [
    '!!!',
    'a'.repeat(2049),
    ...INJECTIONS,
    ...[{ pk: 'OBL#x', sk: 'META' }, { gsi1pk: 'NOTICES#failed', gsi1sk: '#pk' }, [], 'x', 1].map((key) => Buffer.from(JSON.stringify(key)).toString('base64url')),
  ]);
  for (const name of ['x', 'status', '__proto__']) queryProbes(failed, '/notices/failed', 'admin', {}, name, ['1']);

  // Bodies that are not JSON, not UTF-8, not an object, of the wrong type, too big.
  const bodyRoutes: [string, string, Person, Json, string][] = [
    [open, '/obligations', 'sss', OPEN, 'body'],
    [record, eventsTarget(), 'sss', ACT, 'body'],
    [putOverride, overrideTarget, 'admin', OVERRIDE, 'body'],
    [putOrg, orgTarget, 'admin', ORGANISATION, 'body'],
    [putMember, memberTarget, 'admin', MEMBER, 'body'],
    [plans, '/action-plans', 'admin', PLAN, 'plan'],
  ];
  for (const [route, target, person, base, rootField] of bodyRoutes) {
    const [method = ''] = route.split(' ');
    for (const text of BAD_JSON) probes.push({ what: 'bad JSON', route, method, target, body: text, auth: { person }, expect: [400], field: 'body' });
    probes.push({ what: 'no body', route, method, target, auth: { person }, contentType: 'application/json', expect: [400], field: 'body' });
    // Bytes that are not UTF-8 arrive as U+FFFD, as API Gateway passes them: an unknown field.
    probes.push({ what: 'not UTF-8', route, method, target, body: Uint8Array.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]), contentType: 'application/json', auth: { person }, expect: [400], field: '\ufffd\ufffd' });
    probes.push({ what: 'null body', route, method, target, body: 'null', auth: { person }, expect: [400], field: 'body' });
    for (const text of ['[]', '"text"', '42', 'true', '[{}]', JSON.stringify([base])]) {
      probes.push({ what: 'not an object', route, method, target, body: text, auth: { person }, expect: [400], field: rootField, ...(rootField === 'plan' ? { row: 0 } : {}) });
    }
    const json = JSON.stringify(base);
    for (const contentType of ['text/plain', 'text/json', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'image/png', 'application/jsonp', 'application/octet-stream', null]) {
      probes.push({ what: 'content type', route, method, target, body: new TextEncoder().encode(json), contentType, auth: { person }, expect: [415], field: 'content-type' });
    }
    probes.push({ what: 'deeply nested', route, method, target, body: `{"x":${'['.repeat(200_000)}${']'.repeat(200_000)}}`, auth: { person }, expect: [400], field: 'x' });
  }
  // Over API Gateway's 10 MB, and over the 6 MB a Lambda function can be invoked with.
  for (const [route, target, person] of bodyRoutes) {
    const [method = ''] = route.split(' ');
    probes.push({ what: 'body over 10 MB', route, method, target, body: JSON.stringify({ ...OPEN, caseRef: 'A'.repeat(10 * 1024 * 1024 + 1) }), auth: { person }, expect: [413] });
    probes.push({ what: 'body over 6 MB', route, method, target, body: JSON.stringify({ ...OPEN, caseRef: 'A'.repeat(6 * 1024 * 1024 + 1) }), auth: { person }, expect: [413] });
  }

  // A URL over what the server reads (API Gateway: 10 KB of request line and headers).
  for (const target of [`/obligations/${'a'.repeat(20_000)}`, `/obligations?org=${'я'.repeat(10_000)}`, `/rules/${'%F0%9F%98%80'.repeat(3000)}`]) {
    probes.push({ what: 'URL too long', route: 'GET', method: 'GET', target, auth: { person: 'sss' }, expect: [414, 431] });
  }

  // Routes and methods API Gateway does not have.
  for (const [method, target] of [
    ['PATCH', '/obligations'],
    ['PUT', '/obligations'],
    ['DELETE', '/obligations/o1234567'],
    ['PATCH', '/obligations/o1234567/events'],
    ['POST', '/rules/sss-decision'],
    ['DELETE', '/organisations/zko'],
    ['POST', '/calendar/2026'],
    ['GET', '/obligations/o1234567/events/1'],
    ['GET', '/admin'],
    ['GET', '/%2e%2e/%2e%2e/etc/passwd'],
    ['GET', '/obligations%00'],
  ] as const) {
    probes.push({ what: 'no such route', route: `${method} ${target}`, method, target, ...(method === 'GET' || method === 'DELETE' ? {} : { body: JSON.stringify(OPEN) }), auth: { person: 'admin' }, expect: [404, 405] });
  }
}

/** Tokens API Gateway's JWT authorizer refuses, or whose claims the function refuses: all 401. */
async function tokenProbes(sign: (person: Person) => Promise<string>): Promise<void> {
  const keys = await loadOrCreateKeys(join(defaultDataDir, 'keys'));
  const stranger = await generateKeyPair('ES256');
  const claims = (person: Person) => ({ [CLAIMS.user]: PEOPLE[person].user, [CLAIMS.groups]: [...PEOPLE[person].groups], [CLAIMS.org]: PEOPLE[person].org, token_use: 'id' });
  const now = Math.floor(Date.now() / 1000);
  const signed = (person: Person, change: (jwt: SignJWT) => SignJWT, key: CryptoKey = keys.privateKey, payload: Json = claims(person)) =>
    change(new SignJWT(payload).setProtectedHeader({ alg: 'ES256', typ: 'JWT' }).setSubject(PEOPLE[person].user).setIssuer(LOCAL_ISSUER).setAudience(LOCAL_AUDIENCE).setIssuedAt().setExpirationTime('1h')).sign(key);
  const unsigned = (header: Json, payload: Json) => `${base64url.encode(JSON.stringify(header))}.${base64url.encode(JSON.stringify(payload))}.`;
  const publicJwk = await exportJWK(keys.publicKey);

  const tokens = async (person: Person): Promise<[string, string | null][]> => {
    const good = await sign(person);
    const [header = '', payload = '', signature = ''] = good.split('.');
    const payloadJson = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Json;
    const hs256 = await new SignJWT(claims(person))
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(PEOPLE[person].user)
      .setIssuer(LOCAL_ISSUER)
      .setAudience(LOCAL_AUDIENCE)
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(JSON.stringify(publicJwk)));
    return [
      ['missing', null],
      ['empty bearer', 'Bearer '],
      ['basic', `Basic ${Buffer.from('admin:admin').toString('base64')}`],
      ['garbage', 'Bearer abc.def.ghi'],
      ['not base64', 'Bearer !!!.???.***'],
      ['expired', `Bearer ${await signed(person, (jwt) => jwt.setExpirationTime(now - 3600))}`],
      ['not yet valid', `Bearer ${await signed(person, (jwt) => jwt.setNotBefore(now + 3600))}`],
      ['forged (another key)', `Bearer ${await signed(person, (jwt) => jwt, stranger.privateKey)}`],
      ['wrong audience', `Bearer ${await signed(person, (jwt) => jwt.setAudience('another-app'))}`],
      ['wrong issuer', `Bearer ${await signed(person, (jwt) => jwt.setIssuer('https://cognito-idp.example/evil'))}`],
      ['alg none', `Bearer ${unsigned({ alg: 'none', typ: 'JWT' }, payloadJson)}`],
      ['alg none, signature kept', `Bearer ${unsigned({ alg: 'none', typ: 'JWT' }, payloadJson)}${signature}`],
      ['HS256 with the public key', `Bearer ${hs256}`],
      ['tampered claims', `Bearer ${header}.${base64url.encode(JSON.stringify({ ...payloadJson, [CLAIMS.groups]: ['admin', 'regional-head'], [CLAIMS.org]: 'mvd-kap' }))}.${signature}`],
      ['signature cut', `Bearer ${header}.${payload}.`],
      ['no user', `Bearer ${await signed(person, (jwt) => jwt.setSubject(''), keys.privateKey, { [CLAIMS.groups]: [...PEOPLE[person].groups], [CLAIMS.org]: PEOPLE[person].org, token_use: 'id' })}`],
      ['the user only in sub (a Cognito UUID)', `Bearer ${await signed(person, (jwt) => jwt, keys.privateKey, { [CLAIMS.groups]: [...PEOPLE[person].groups], [CLAIMS.org]: PEOPLE[person].org, token_use: 'id' })}`],
      ['no org', `Bearer ${await signed(person, (jwt) => jwt, keys.privateKey, { [CLAIMS.user]: PEOPLE[person].user, [CLAIMS.groups]: [...PEOPLE[person].groups], token_use: 'id' })}`],
      ['no exp', `Bearer ${await new SignJWT(claims(person)).setProtectedHeader({ alg: 'ES256', typ: 'JWT' }).setIssuer(LOCAL_ISSUER).setAudience(LOCAL_AUDIENCE).setIssuedAt().sign(keys.privateKey)}`],
      ['iat a year ahead', `Bearer ${await signed(person, (jwt) => jwt.setIssuedAt(now + 365 * 86_400).setExpirationTime(now + 366 * 86_400))}`],
      ['an access token', `Bearer ${await signed(person, (jwt) => jwt, keys.privateKey, { ...claims(person), token_use: 'access' })}`],
    ];
  };

  const valid: [string, string, Person, string | undefined][] = [
    ['POST /obligations', '/obligations', 'sss', JSON.stringify(OPEN)],
    ['GET /obligations', '/obligations?org=zko-uralsk-akimat-sss', 'sss', undefined],
    ['GET /obligations/{id}', `/obligations/${obligationId}`, 'sss', undefined],
    ['GET /cases', '/cases?caseRef=SSS-2026%2F041', 'sss', undefined],
    ['POST /obligations/{id}/events', eventsTarget(), 'sss', JSON.stringify(ACT)],
    ['POST /plans/preview', '/plans/preview', 'sss', JSON.stringify(OPEN)],
    ['GET /rules', '/rules', 'sss', undefined],
    ['GET /rules/{id}', '/rules/sss-decision', 'sss', undefined],
    ['GET /calendar/{year}', '/calendar/2026', 'sss', undefined],
    ['GET /calendar/overrides', '/calendar/overrides', 'admin', undefined],
    ['PUT /calendar/overrides/{date}', '/calendar/overrides/2026-05-04', 'admin', JSON.stringify(OVERRIDE)],
    ['DELETE /calendar/overrides/{date}', '/calendar/overrides/2026-05-04', 'admin', undefined],
    ['GET /organisations', '/organisations', 'admin', undefined],
    ['PUT /organisations/{org}', '/organisations/zko-test-district', 'admin', JSON.stringify(ORGANISATION)],
    ['PUT /organisations/{org}/members/{user}', '/organisations/zko-uralsk-police-dv/members/new.inspector', 'admin', JSON.stringify(MEMBER)],
    ['POST /action-plans', '/action-plans', 'admin', JSON.stringify(PLAN)],
    ['GET /me/calendar.ics', '/me/calendar.ics?lang=ru', 'sss', undefined],
    ['GET /notices/failed', '/notices/failed', 'admin', undefined],
    ['GET /directory/gaps', '/directory/gaps', 'admin', undefined],
    ['GET /reports/quarterly', '/reports/quarterly?org=zko-uralsk-akimat-sss&quarter=2026-Q1', 'sss', undefined],
    ['GET /reports/unanswered-submissions', '/reports/unanswered-submissions?issuer=zko-uralsk-kdn', 'secretary', undefined],
    ['GET /reports/trend', '/reports/trend?org=zko-uralsk-akimat-sss', 'sss', undefined],
  ];
  const guarded = new Set<string>(API_ROUTES.filter((route) => route.auth).map((route) => route.route));
  expect(valid.map(([route]) => route).sort()).toEqual([...guarded].sort());
  for (const [route, target, person, body] of valid) {
    const [method = ''] = route.split(' ');
    for (const [what, authorization] of await tokens(person)) {
      probes.push({
        what: `token: ${what}`,
        route,
        method,
        target,
        ...(body === undefined ? {} : { body }),
        auth: authorization === null ? null : { authorization },
        expect: [401],
      });
    }
  }
}

interface Outcome {
  readonly probe: Probe;
  readonly status: number;
  readonly body: unknown;
  readonly headers: Headers;
}

interface Issue {
  readonly path?: unknown;
  readonly message?: unknown;
  readonly row?: unknown;
}

/** The issue of the answer that names the probe's field, if any. */
function namedIssue(outcome: Outcome): Issue | undefined {
  const { field, row } = outcome.probe;
  if (field === undefined) return undefined;
  const issues = (outcome.body as { issues?: Issue[] } | undefined)?.issues ?? [];
  return issues.find(
    (issue) =>
      typeof issue.path === 'string' &&
      (issue.path === field || issue.path.startsWith(`${field}.`)) &&
      typeof issue.message === 'string' &&
      issue.message.trim() !== '' &&
      (row === undefined || issue.row === row),
  );
}

async function countItems(dynamodb: DynamoDBClient, table: string): Promise<number> {
  let count = 0;
  let start: Record<string, never> | undefined;
  do {
    const page = await dynamodb.send(new ScanCommand({ TableName: table, Select: 'COUNT', ConsistentRead: true, ...(start === undefined ? {} : { ExclusiveStartKey: start }) }));
    count += page.Count ?? 0;
    start = page.LastEvaluatedKey as Record<string, never> | undefined;
  } while (start !== undefined);
  return count;
}

async function countExecutions(sfn: SFNClient): Promise<number> {
  const { stateMachines = [] } = await sfn.send(new ListStateMachinesCommand({}));
  let count = 0;
  for (const machine of stateMachines) {
    let nextToken: string | undefined;
    do {
      const page = await sfn.send(new ListExecutionsCommand({ stateMachineArn: machine.stateMachineArn, ...(nextToken === undefined ? {} : { nextToken }) }));
      count += page.executions?.length ?? 0;
      nextToken = page.nextToken;
    } while (nextToken !== undefined);
  }
  return count;
}

describe('bad input', () => {
  test(
    'thousands of malformed requests: every answer a 4xx naming the field and the reason, no 5xx, nothing written, no timer started',
    async () => {
      const client = system();
      const { system: running } = client;
      const [opened] = await client.open('sss', { ...OPEN, caseRef: 'SSS-2026/001' });
      obligationId = opened?.id ?? '';
      await client.clock.settle();

      const tokens = new Map<Person, string>();
      const sign = async (person: Person): Promise<string> => {
        let token = tokens.get(person);
        if (token === undefined) {
          token = await running.signToken(PEOPLE[person]);
          tokens.set(person, token);
        }
        return token;
      };
      generate();
      await tokenProbes(sign);
      expect(probes.length).toBeGreaterThanOrEqual(5000);

      const dynamodb = new DynamoDBClient(localClientConfig(running.runtime.endpoints.dynamodb, running.runtime.region));
      const sfn = new SFNClient(localClientConfig(running.runtime.endpoints.sfn, running.runtime.region));
      try {
        const itemsBefore = await countItems(dynamodb, running.table);
        const executionsBefore = await countExecutions(sfn);

        const outcomes: Outcome[] = [];
        let next = 0;
        const worker = async (): Promise<void> => {
          for (let index = next++; index < probes.length; index = next++) {
            const probe = probes[index] as Probe;
            const headers: Record<string, string> = { ...probe.headers };
            if (probe.auth !== null) headers.authorization = 'person' in probe.auth ? `Bearer ${await sign(probe.auth.person)}` : probe.auth.authorization;
            if (probe.contentType !== null) {
              if (probe.contentType !== undefined) headers['content-type'] = probe.contentType;
              else if (probe.body !== undefined) headers['content-type'] = 'application/json';
            }
            let response: Response;
            try {
              response = await fetch(`${running.apiUrl}${probe.target}`, {
                method: probe.method,
                headers,
                redirect: 'manual',
                ...(probe.body === undefined ? {} : { body: probe.body }),
              });
            } catch (error) {
              // A dropped connection is an answer nobody can read: counted as unexpected, naming the probe.
              const cause = (error as { cause?: { code?: string } }).cause;
              outcomes[index] = { probe, status: 0, body: `no answer: ${cause?.code ?? String(error)}`, headers: new Headers() };
              continue;
            }
            const text = await response.text();
            let body: unknown = text;
            try {
              body = JSON.parse(text);
            } catch {
              // Not JSON: the assertions below say so.
            }
            outcomes[index] = { probe, status: response.status, body, headers: response.headers };
          }
        };
        await Promise.all(Array.from({ length: 8 }, worker));
        await client.clock.settle();

        const itemsWritten = (await countItems(dynamodb, running.table)) - itemsBefore;
        const executionsStarted = (await countExecutions(sfn)) - executionsBefore;

        const clientErrors = outcomes.filter((outcome) => outcome.status >= 400 && outcome.status < 500);
        const serverErrors = outcomes.filter((outcome) => outcome.status >= 500);
        const unexpected = outcomes.filter((outcome) => !outcome.probe.expect.includes(outcome.status));
        const fieldProbes = outcomes.filter((outcome) => outcome.probe.field !== undefined);
        const named = fieldProbes.filter((outcome) => namedIssue(outcome) !== undefined);
        const unnamed = fieldProbes.filter((outcome) => namedIssue(outcome) === undefined);
        const notJson = outcomes.filter((outcome) => typeof outcome.body !== 'object' || outcome.body === null || typeof (outcome.body as { message?: unknown }).message !== 'string');
        const injectedHeaders = outcomes.filter((outcome) => outcome.headers.has('set-cookie') || outcome.headers.has('x-injected') || outcome.headers.has('location'));

        recordFigures('bad input', {
          requests: { value: outcomes.length, expected: '≥ 5000' },
          '4xx': { value: clientErrors.length, expected: `= ${outcomes.length}` },
          '5xx': { value: serverErrors.length, expected: '0' },
          'with field-level message': { value: named.length, expected: `= ${fieldProbes.length} (validation failures)` },
          'items written': { value: itemsWritten, expected: '0' },
          'executions started': { value: executionsStarted, expected: '0' },
        });

        const show = (list: readonly Outcome[]): string =>
          list
            .slice(0, 15)
            .map(({ probe, status, body }) => `${probe.what} → ${probe.method} ${probe.target.slice(0, 80)} ${typeof probe.body === 'string' ? probe.body.slice(0, 120) : ''}\n    ${status} ${JSON.stringify(body).slice(0, 300)}`)
            .join('\n');
        const tally = (list: readonly Outcome[]): string =>
          [...list.reduce((counts, { probe, status }) => counts.set(`${probe.route} · ${probe.what} → ${status}`, (counts.get(`${probe.route} · ${probe.what} → ${status}`) ?? 0) + 1), new Map<string, number>())]
            .map(([key, count]) => `  ${count} × ${key}`)
            .join('\n');
        const report = `5xx:\n${tally(serverErrors)}\nunexpected:\n${tally(unexpected)}\nunnamed:\n${tally(unnamed)}\n${show([...serverErrors, ...unexpected, ...unnamed])}`;
        expect(serverErrors.length, report).toBe(0);
        expect(unexpected.length, report).toBe(0);
        expect(clientErrors.length).toBe(outcomes.length);
        expect(unnamed.length, `validation failures that do not name the field:\n${tally(unnamed)}\n${show(unnamed)}`).toBe(0);
        expect(notJson.length, `answers without a JSON message:\n${show(notJson)}`).toBe(0);
        expect(injectedHeaders.length, `answers with injected headers:\n${show(injectedHeaders)}`).toBe(0);
        expect(itemsWritten).toBe(0);
        expect(executionsStarted).toBe(0);
      } finally {
        dynamodb.destroy();
        sfn.destroy();
      }
    },
    600_000,
  );
});
