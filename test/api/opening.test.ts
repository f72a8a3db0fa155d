import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { PreviewResponseSchema, RulesResponseSchema } from '../../functions/api/schemas.ts';
import { handler } from '../../functions/handlers/api.ts';
import { parseInstant } from '../../shared/base/index.ts';
import { readDirectory } from '../../local/system/directory.ts';
import type { Store } from '../../functions/adapters/store/index.ts';
import { PEOPLE } from '../../local/system/client.ts';
import { sharedDynamoDbLocal } from '../local/support.ts';
import { type Answer, type RequestParts, type Who, ADMIN, type RecordingSfn, call, apiEnvironment, type ApiEnvironment } from './support.ts';

/**
 * Opening from the page: GET /rules says what this caller may open (for whom, naming which
 * issuer, with which fields), and POST /plans/preview shows the plans an opening would make
 * after the same checks as POST /obligations, writing nothing. On the demo directory.
 */

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const dynamodb = sharedDynamoDbLocal();
let environment: ApiEnvironment | undefined;
let sfn: RecordingSfn;
let store: Store;
const now = parseInstant('2026-04-13T10:00:00+05:00');

const SECRETARY: Who = PEOPLE.secretary;
const CHAIR: Who = PEOPLE.chair;
const SSS: Who = PEOPLE.sss;
const INSPECTOR: Who = PEOPLE.inspector;
const UNIT_HEAD: Who = PEOPLE.unitHead;
const SCHOOL: Who = PEOPLE.school;
const REGIONAL_HEAD: Who = PEOPLE.regionalHead;

const api = (method: string, target: string, parts: RequestParts = {}): Promise<Answer> => call(handler, method, target, { as: ADMIN, ...parts });

beforeAll(async () => {
  environment = await apiEnvironment(dynamodb.endpoint(), 'merzim-opening', { organisations: readDirectory().organisations, now: () => now });
  ({ sfn, store } = environment);
});

afterAll(() => environment?.close());

type Rules = ReturnType<typeof RulesResponseSchema.parse>['rules'];

async function rulesOf(who: Who): Promise<Rules> {
  const answer = await api('GET', '/rules', { as: who });
  expect(answer.status).toBe(200);
  return RulesResponseSchema.parse(answer.body).rules;
}

const openingsOf = async (who: Who) => Object.fromEntries((await rulesOf(who)).flatMap((rule) => (rule.opening === undefined ? [] : [[rule.id, rule.opening]])));

let count = 0;
const ref = (): string => `ОТК-2026/${++count}`;

describe('GET /rules: what this caller may open', () => {
  test('the secretary addresses the commission’s decisions and submissions to any body they may go to, naming only her own commission', async () => {
    const openings = await openingsOf(SECRETARY);
    expect(Object.keys(openings).sort()).toEqual(['action-plan-item', 'kdn-placement-reply', 'submission-measure', 'submission-reply']);
    const reply = openings['kdn-placement-reply'];
    expect(reply).toMatchObject({ several: true, issuers: ['zko-uralsk-kdn'], startEvent: 'decision-received', startAhead: false, measures: false });
    expect(reply?.orgs).toEqual(expect.arrayContaining(['zko-uralsk-school-12', 'zko-health', 'zko-uralsk-akimat-sss', 'zko-burlin-hospital']));
    // Not a commission, a region or a district: the catalog's addressees only.
    expect(reply?.orgs).not.toContain('zko-uralsk-kdn');
    expect(reply?.orgs).not.toContain('zko');
    expect(openings['submission-reply']).toMatchObject({ measures: true });
    expect(openings['submission-measure']).toMatchObject({ dueDate: {} });
    // A plan item needs a date only by a set date, and recurs (until a day) in the others.
    expect(openings['action-plan-item']).toMatchObject({ dueDate: { variants: ['by-date'] }, until: { variants: ['monthly', 'quarterly', 'yearly', 'permanent', 'window'] }, startAhead: true });
  });

  test('the acting bodies open their own clocks, for their own unit only; a head opens nothing for the units under it; nobody opens the quarterly report', async () => {
    expect(await openingsOf(SSS)).toEqual({
      'sss-decision': { orgs: ['zko-uralsk-akimat-sss'], several: false, startEvent: 'conclusion-received', startAhead: false, measures: false },
    });
    const police = await openingsOf(INSPECTOR);
    expect(Object.keys(police).sort()).toEqual(['offender-check', 'official-warning', 'protective-order', 'special-requirements']);
    expect(police['protective-order']?.orgs).toEqual(['zko-uralsk-police-dv']);
    expect(police['offender-check']?.count).toEqual({ min: 1, max: 31, unit: 'days', required: false, default: 7, setBy: expect.objectContaining({ ru: 'категория учёта' }) });
    expect(police['special-requirements']?.count).toMatchObject({ min: 3, max: 12, required: true });
    expect(Object.keys(await openingsOf(UNIT_HEAD)).sort()).toEqual(Object.keys(police).sort());
    expect(await openingsOf(REGIONAL_HEAD)).toEqual({});
    expect(await openingsOf(SCHOOL)).toEqual({});
    const admin = await openingsOf(ADMIN);
    expect(admin['unit-quarterly-report']).toBeUndefined();
    expect(admin['sss-decision']?.orgs).toEqual(['zko-burlin-akimat-sss', 'zko-uralsk-akimat-sss']);
    expect(admin['kdn-placement-reply']?.issuers).toEqual(['zko-burlin-kdn', 'zko-uralsk-kdn']);
  });

  test('what the list offers, the preview and the opening take: every rule, for its first and last unit, with each issuer offered', async () => {
    for (const who of [SECRETARY, CHAIR, SSS, INSPECTOR, ADMIN]) {
      for (const rule of await rulesOf(who)) {
        const opening = rule.opening;
        if (opening === undefined) continue;
        for (const org of new Set([opening.orgs[0], opening.orgs.at(-1)])) {
          for (const issuedBy of opening.issuers ?? [undefined]) {
            const body = {
              rule: rule.id,
              caseRef: ref(),
              org,
              ...(issuedBy === undefined ? {} : { issuedBy }),
              start: opening.startAhead ? '2026-05-01' : '2026-04-13T09:00+05:00',
              ...(opening.count?.required === true ? { count: opening.count.min } : {}),
              ...(opening.dueDate !== undefined && opening.dueDate.variants === undefined ? { dueDate: '2026-05-15' } : {}),
            };
            const previewed = await api('POST', '/plans/preview', { as: who, body });
            expect(previewed.status, `${who.user} ${JSON.stringify(body)}: ${JSON.stringify(previewed.body)}`).toBe(200);
            const plans = PreviewResponseSchema.parse(previewed.body).plans;
            const opened = await api('POST', '/obligations', { as: who, body });
            expect(opened.status, `${who.user} ${JSON.stringify(body)}: ${JSON.stringify(opened.body)}`).toBe(201);
            // The preview is what opening makes: the same due instants, the same milestones.
            const made = (opened.body as { obligations: { rule: string; dueAt: string; plan: { milestones: unknown[] } }[] }).obligations;
            expect(plans.map((plan) => [plan.rule, plan.dueAt, plan.plan.milestones])).toEqual(made.map((obligation) => [obligation.rule, obligation.dueAt, obligation.plan.milestones]));
          }
        }
      }
    }
  });
});

describe('POST /plans/preview', () => {
  test('a decision for two addressees: one plan each, with the due date, reminders, escalation and source; nothing is written', async () => {
    const caseRef = ref();
    const body = { rule: 'kdn-placement-reply', caseRef, addressees: ['zko-uralsk-school-12', 'zko-health'], issuedBy: 'zko-uralsk-kdn', start: '2026-04-13T09:00+05:00' };
    const answer = await api('POST', '/plans/preview', { as: SECRETARY, body });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const { plans } = PreviewResponseSchema.parse(answer.body);
    expect(plans.map((plan) => plan.org)).toEqual(['zko-uralsk-school-12', 'zko-health']);
    const [first] = plans;
    // Two weeks from Monday 13 April: Monday 27 April, to midnight.
    expect(first).toMatchObject({ rule: 'kdn-placement-reply', caseRef, issuedBy: 'zko-uralsk-kdn', plan: { dueDate: '2026-04-27' } });
    expect(first?.plan.milestones.map((milestone) => milestone.kind)).toEqual(expect.arrayContaining(['reminder', 'due', 'escalation']));
    expect(first?.sources[0]?.act).toBeTruthy();
    const listed = await api('GET', '/obligations?issuer=zko-uralsk-kdn&status=open&limit=100', { as: SECRETARY });
    expect(listed.body.obligations.filter((obligation: { caseRef: string }) => obligation.caseRef === caseRef)).toEqual([]);
    expect(sfn.calls.filter((started) => JSON.stringify(started.input).includes(caseRef))).toEqual([]);
  });

  test('a protective order shows its first check with it', async () => {
    const answer = await api('POST', '/plans/preview', { as: INSPECTOR, body: { rule: 'protective-order', caseRef: ref(), org: 'zko-uralsk-police-dv', start: '2026-04-13T09:00+05:00' } });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const { plans } = PreviewResponseSchema.parse(answer.body);
    expect(plans.map((plan) => [plan.rule, plan.openedWith])).toEqual([
      ['protective-order', undefined],
      ['offender-check', 'protective-order'],
    ]);
    expect(plans[0]?.plan.milestones.some((milestone) => milestone.kind === 'expiry')).toBe(true);
  });

  test('refused as the opening is, by the field: no issuer, an issuer not hers, an IIN in the case reference, a body that does not owe it', async () => {
    const base = { rule: 'kdn-placement-reply', caseRef: ref(), addressees: ['zko-uralsk-school-12'], issuedBy: 'zko-uralsk-kdn', start: '2026-04-13T09:00+05:00' };
    const refused = async (body: Record<string, unknown>, who: Who = SECRETARY) => {
      const answer = await api('POST', '/plans/preview', { as: who, body });
      return [answer.status, answer.body.issues?.[0]?.path];
    };
    expect(await refused({ ...base, issuedBy: undefined })).toEqual([422, 'issuedBy']);
    expect(await refused({ ...base, issuedBy: 'zko-burlin-kdn' })).toEqual([403, 'rule']);
    // Personal data in a text: well-formed, but not to be kept (422, the field and the kind).
    expect(await refused({ ...base, caseRef: 'Дело 860412350123' })).toEqual([422, 'caseRef']);
    expect(await refused({ ...base, addressees: ['zko-uralsk-school-12', 'zko-uralsk-kdn'] })).toEqual([422, 'addressees.1']);
    expect(await refused({ rule: 'sss-decision', caseRef: ref(), org: 'zko-burlin-akimat-sss', start: '2026-04-13T09:00+05:00' }, SSS)).toEqual([403, 'rule']);
  });

  test('a warning dated before Law No. 245-VIII is in force: 422 naming the start, the day and the law, by the preview and the opening; nothing is written', async () => {
    const caseRef = ref();
    const body = { rule: 'official-warning', caseRef, org: 'zko-uralsk-police-dv', start: '2025-12-01T10:00:00+05:00' };
    const message = 'official-warning is in force from 2026-03-02, by Law of the RK No. 245-VIII of 30.12.2025 "On prevention of offences": a start on 2025-12-01 is before it';
    for (const target of ['/plans/preview', '/obligations']) {
      const answer = await api('POST', target, { as: INSPECTOR, body, headers: { 'idempotency-key': `warning-${count}-${target.length}` } });
      expect(answer.status, JSON.stringify(answer.body)).toBe(422);
      expect(answer.body).toEqual({ message, issues: [{ path: 'start', message }] });
    }
    const listed = await api('GET', '/obligations?org=zko-uralsk-police-dv&limit=100', { as: INSPECTOR });
    expect(listed.status).toBe(200);
    expect(listed.body.obligations.filter((obligation: { caseRef: string }) => obligation.caseRef === caseRef)).toEqual([]);
    expect(sfn.calls.filter((started) => JSON.stringify(started.input).includes(caseRef))).toEqual([]);
    // The day the law takes effect, it opens.
    const opened = await api('POST', '/plans/preview', { as: INSPECTOR, body: { ...body, start: '2026-03-02T10:00:00+05:00' } });
    expect(opened.status, JSON.stringify(opened.body)).toBe(200);
  });
});
