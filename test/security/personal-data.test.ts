import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import type { z } from 'zod';
import { lendClock } from '../../functions/adapters/clock.ts';
import { NoticeRecordSchema, type Store } from '../../functions/adapters/store.ts';
import { MemberBodySchema, OrganisationBodySchema, OverrideBodySchema } from '../../functions/api/schemas.ts';
import { deliverMilestone } from '../../functions/app/deliver.ts';
import { sendMorningMail } from '../../functions/app/morning.ts';
import { kazakhstan } from '../../shared/calendar/index.ts';
import { handler } from '../../functions/handlers/api.ts';
import { localDateOf, parseInstant } from '../../shared/calendar/instant.ts';
import { ActionPlanSchema } from '../../shared/model/action-plan.ts';
import { MemberSchema, OrganisationSchema } from '../../shared/model/directory.ts';
import {
  type Obligation,
  ObligationEventSchema,
  ObligationSchema,
  OpenObligationRequestSchema,
  RecordActRequestSchema,
} from '../../shared/model/obligation.ts';
import { REFERENCE_LIMITS } from '../../shared/model/text.ts';
import { findRule } from '../../shared/rules/catalog.ts';
import { call, registerUnit, startApiEnvironment, tableStore, type Who } from '../api/support.ts';
import { freshStore, loadDemoDirectory, obligation, setFunctionEnv, sharedSesLocal } from '../functions/support.ts';
import { sharedDynamoDbLocal } from '../local/support.ts';
import { recordFigures } from '../support/figures.ts';

/**
 * No personal data (LEGAL.md §5): what comes in and what is kept has no field outside its schema,
 * no 12-digit run that could be an IIN in any text, no free text beyond the reference limits
 * (shared/model/text.ts); the notices and digests carry the reference, the rule, the dates, the
 * unit and the role, and no other text anyone typed.
 */

vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

const SEED = 20_260_319;
const RUNS = 300;

// Valid values of each schema: each property below changes one thing of them.

const plan = findRule('sss-decision');
const stored: Obligation = obligation({ id: 'o-personal-1', rule: plan.id, org: 'zko-uralsk-akimat-sss', startText: '2026-03-19T15:20' });
const TARGETS: readonly { readonly name: string; readonly schema: z.ZodType; readonly valid: Record<string, unknown>; readonly texts: readonly (readonly (string | number)[])[] }[] = [
  {
    name: 'OpenObligationRequest',
    schema: OpenObligationRequestSchema,
    valid: { rule: 'submission-reply', caseRef: 'КДН-12/2026', org: 'zko-uralsk-school-12', issuedBy: 'zko-uralsk-kdn', start: '2026-03-19T15:20', measures: [{ item: '1', dueDate: '2026-04-01' }] },
    texts: [['caseRef']],
  },
  { name: 'RecordActRequest', schema: RecordActRequestSchema, valid: { act: 'refused', reason: 'the conclusion was withdrawn', note: 'see the file of the department' }, texts: [['reason'], ['note']] },
  { name: 'Obligation', schema: ObligationSchema, valid: stored, texts: [['caseRef']] },
  {
    name: 'ObligationEvent',
    schema: ObligationEventSchema,
    valid: { obligationId: stored.id, seq: 0, type: 'refused', at: stored.start, recordedAt: stored.start, by: 'aliya.sss', revision: 1, cycle: 1, reason: 'withdrawn', note: 'by phone', details: { dueAt: '2026-03-27T13:30:00.000Z' } },
    texts: [['reason'], ['note'], ['details', 'dueAt']],
  },
  {
    name: 'NoticeRecord',
    schema: NoticeRecordSchema,
    valid: { obligationId: stored.id, revision: 1, milestone: 'due', milestoneAt: stored.dueAt, recipient: 'aliya.sss', email: 'aliya.sss@akimat.demo.kz', role: 'akimat-department', subject: 'Еске салу / Напоминание', status: 'pending', claimedAt: stored.start, expiresAt: 1 },
    texts: [],
  },
  {
    name: 'ActionPlan',
    schema: ActionPlanSchema,
    valid: { plan: 'ZKO-IAP-2026', issuedBy: 'zko-uralsk-kdn', from: '2026-01-01', until: '2026-12-31', items: [{ item: '1', title: 'Quarterly report', deadline: 'quarterly', responsible: ['zko-uralsk-police-dv'], form: 'information' }] },
    texts: [['plan'], ['items', 0, 'title'], ['items', 0, 'form']],
  },
  { name: 'Member', schema: MemberSchema, valid: { user: 'new.inspector', org: 'zko-uralsk-police-dv', role: 'inspector', email: 'new.inspector@police.demo.kz' }, texts: [['email']] },
  { name: 'MemberBody', schema: MemberBodySchema, valid: { role: 'inspector', email: 'new.inspector@police.demo.kz' }, texts: [['email']] },
  { name: 'Organisation', schema: OrganisationSchema, valid: { org: 'zko-test', kind: 'district', names: { kk: 'Тест', ru: 'Тест', en: 'Test' } }, texts: [['names', 'kk'], ['names', 'ru'], ['names', 'en']] },
  { name: 'OrganisationBody', schema: OrganisationBodySchema, valid: { kind: 'district', names: { kk: 'Тест', ru: 'Тест', en: 'Test' } }, texts: [['names', 'kk']] },
  { name: 'CalendarOverrideBody', schema: OverrideBodySchema, valid: { kind: 'day-off', reason: 'Decree No. 123', source: 'adilet.zan.kz' }, texts: [['reason'], ['source']] },
];

/** The places an object of each schema holds other objects: an unknown key is refused there too. */
const NESTED: Readonly<Record<string, readonly (readonly (string | number)[])[]>> = {
  OpenObligationRequest: [['measures', 0]],
  ActionPlan: [['items', 0]],
  Organisation: [['names']],
  OrganisationBody: [['names']],
};

function withValue(base: Record<string, unknown>, path: readonly (string | number)[], value: unknown): Record<string, unknown> {
  const copy = structuredClone(base);
  let at: Record<string | number, unknown> = copy;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
  at[path[path.length - 1] as string | number] = value;
  return copy;
}

function valueAt(base: Record<string, unknown>, path: readonly (string | number)[]): unknown {
  return path.reduce<unknown>((at, key) => (at as Record<string | number, unknown>)[key], base);
}

/** An IIN-like number: 12 digits, as typed: in one run, or in groups split by spaces, dashes or dots. */
const iinArbitrary = fc
  .tuple(fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 12, maxLength: 12 }), fc.array(fc.constantFrom('', '', '', ' ', '-', '.', '\u00a0'), { minLength: 11, maxLength: 11 }))
  .map(([digits, separators]) => digits.map((digit, index) => `${digit}${index < 11 ? (separators[index] ?? '') : ''}`).join(''));

/** Words that any field's text may hold around it. */
const wordArbitrary = fc.stringMatching(/^[A-Za-zА-Яа-яӘәҒғҚқҢңӨөҰұҮүІі]{1,12}$/);

let tried = 0;
let acceptedWithPersonalData = 0;
let extraFieldsAccepted = 0;

describe('the schemas of what comes in and what is kept', () => {
  test('every valid example parses (the properties below change one thing of it)', () => {
    for (const { name, schema, valid } of TARGETS) expect(schema.safeParse(valid).success, name).toBe(true);
  });

  test('a field outside the schema is refused, at the top and in nested objects, whatever its name and value', () => {
    for (const { name, schema, valid } of TARGETS) {
      for (const at of [[], ...(NESTED[name] ?? [])]) {
        const known = Object.keys((at.length === 0 ? valid : valueAt(valid, at)) as object);
        fc.assert(
          fc.property(
            fc.string({ minLength: 1, maxLength: 20 }).filter((key) => !known.includes(key) && key !== '__proto__'),
            fc.jsonValue({ maxDepth: 2 }),
            (key, value) => {
              tried += 1;
              const target = at.length === 0 ? { ...valid, [key]: value } : withValue(valid, [...at, key], value);
              const accepted = schema.safeParse(target).success;
              if (accepted) extraFieldsAccepted += 1;
              return !accepted;
            },
          ),
          { seed: SEED, numRuns: RUNS / 3 },
        );
      }
    }
    expect(extraFieldsAccepted).toBe(0);
  });

  test('a 12-digit run (an IIN), in one piece or in groups, is refused in every text field', () => {
    for (const { name, schema, valid, texts } of TARGETS) {
      for (const path of texts) {
        const original = String(valueAt(valid, path));
        fc.assert(
          fc.property(iinArbitrary, wordArbitrary, fc.boolean(), (iin, word, before) => {
            tried += 1;
            // In an e-mail address the number goes into the local part; elsewhere, among words.
            const text = path[0] === 'email' ? original.replace('@', `.${iin.replace(/[^0-9]/g, '')}@`) : before ? `${word} ${iin} ${original}` : `${original}/${iin}`;
            const accepted = schema.safeParse(withValue(valid, path, text)).success;
            if (accepted) acceptedWithPersonalData += 1;
            return !accepted;
          }),
          { seed: SEED, numRuns: RUNS },
        );
        expect(acceptedWithPersonalData, `${name}.${path.join('.')}`).toBe(0);
      }
    }
  });

  test('free text is held to the reference limits: at the limit accepted, one character over refused', () => {
    const limits: [string, readonly (string | number)[], number][] = [
      ['OpenObligationRequest', ['caseRef'], REFERENCE_LIMITS.caseReference],
      ['RecordActRequest', ['reason'], REFERENCE_LIMITS.remark.max],
      ['RecordActRequest', ['note'], REFERENCE_LIMITS.remark.max],
      ['ObligationEvent', ['reason'], REFERENCE_LIMITS.remark.max],
      ['ActionPlan', ['items', 0, 'title'], REFERENCE_LIMITS.planText],
      ['ActionPlan', ['items', 0, 'form'], REFERENCE_LIMITS.planText],
      ['Organisation', ['names', 'ru'], REFERENCE_LIMITS.organisationName],
      ['CalendarOverrideBody', ['reason'], REFERENCE_LIMITS.overrideReason.max],
      ['CalendarOverrideBody', ['source'], REFERENCE_LIMITS.overrideSource],
    ];
    for (const [name, path, limit] of limits) {
      const target = TARGETS.find((candidate) => candidate.name === name);
      if (target === undefined) throw new Error(name);
      fc.assert(
        fc.property(fc.array(wordArbitrary, { minLength: 1, maxLength: 80 }), (words) => {
          tried += 2;
          const text = words.join(' ').padEnd(limit, 'я').slice(0, limit);
          const atLimit = target.schema.safeParse(withValue(target.valid, path, text)).success;
          const over = target.schema.safeParse(withValue(target.valid, path, `${text}я`)).success;
          return atLimit && !over;
        }),
        { seed: SEED, numRuns: 50 },
      );
    }
  });

  test('shorter digit runs, as case references and remarks hold them, are accepted', () => {
    for (const text of ['СВ-2026/0142', 'КДН-12/2026-п', 'ZKO-IAP-2020/8.2', 'КДН-4521/19.03.2026', '2026/01234567890']) {
      expect(OpenObligationRequestSchema.safeParse({ rule: 'sss-decision', caseRef: text, org: 'zko', start: '2026-03-19' }).success, text).toBe(true);
      expect(RecordActRequestSchema.safeParse({ act: 'refused', reason: `decided under ${text}` }).success, text).toBe(true);
    }
  });
});

// Through the API and the store, on DynamoDB Local.

const dynamodb = sharedDynamoDbLocal();
const ses = sharedSesLocal();
const ADMIN: Who = { user: 'admin', org: 'zko', groups: ['admin'] };
const now = parseInstant('2026-03-19T16:00:00+05:00');

describe('through the API', () => {
  let stop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const { sfn, table } = await startApiEnvironment(dynamodb.endpoint(), 'merzim-personal');
    // The unit the requests name is in the directory: what refuses them is the data, not the unit.
    const directory = tableStore(dynamodb.endpoint(), table);
    await registerUnit(directory.store, 'zko-personal-sss', 'akimat-department');
    directory.close();
    stop = () => sfn.stop();
    lendClock(() => now);
  });
  afterAll(async () => {
    lendClock(undefined);
    await stop?.();
  });

  test('an IIN in a case reference, a reason or a mailbox, or a field outside the schema: 400 naming the field, nothing opened', async () => {
    const open = { rule: 'sss-decision', caseRef: 'СВ-2026/0142', org: 'zko-personal-sss', start: '2026-03-19T15:20+05:00' };
    const refused: [string, string, unknown, string][] = [
      ['POST', '/obligations', { ...open, caseRef: 'СВ-880101300123' }, 'caseRef'],
      ['POST', '/obligations', { ...open, caseRef: 'СВ 880101 300123' }, 'caseRef'],
      ['POST', '/obligations', { ...open, caseRef: '8801-0130-0123' }, 'caseRef'],
      ['POST', '/obligations', { ...open, iin: '880101300123' }, 'iin'],
      ['POST', '/obligations', { ...open, victim: { name: 'A. B.' } }, 'victim'],
      ['POST', '/obligations', { ...open, rule: 'submission-reply', measures: [{ item: '1', dueDate: '2026-04-01', note: 'x' }] }, 'measures.0.note'],
      ['PUT', '/organisations/zko-personal-sss/members/new.person', { role: 'inspector', email: 'ivan.880101300123@mail.kz' }, 'email'],
      ['PUT', '/organisations/zko-personal-sss', { kind: 'district', names: { kk: 'Тест', ru: 'Тест', en: 'Test', comment: 'x' } }, 'names.comment'],
    ];
    for (const [method, target, body, field] of refused) {
      const answer = await call(handler, method, target, { as: ADMIN, body });
      expect(answer.status, `${target} ${JSON.stringify(body)}`).toBe(400);
      expect(answer.body.issues.map((issue: { path: string }) => issue.path), JSON.stringify(body)).toContain(field);
    }
    const listed = await call(handler, 'GET', '/obligations?org=zko-personal-sss', { as: ADMIN });
    expect(listed.status).toBe(200);
    expect(listed.body.obligations).toEqual([]);

    const opened = await call(handler, 'POST', '/obligations', { as: ADMIN, body: open });
    expect(opened.status).toBe(201);
    const id = opened.body.obligations[0].id as string;
    for (const [body, field] of [
      [{ act: 'refused', reason: 'the applicant, IIN 880101300123, withdrew' }, 'reason'],
      [{ act: 'decided', note: 'called 8 701 234 56 78 90' }, 'note'],
      [{ act: 'decided', note: 'fine', diagnosis: 'x' }, 'diagnosis'],
    ] as const) {
      const answer = await call(handler, 'POST', `/obligations/${id}/events`, { as: ADMIN, body });
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.issues.map((issue: { path: string }) => issue.path)).toContain(field);
    }
    const detail = await call(handler, 'GET', `/obligations/${id}`, { as: ADMIN });
    expect(detail.body.obligation.status).toBe('open');
    expect(detail.body.events.map((event: { type: string }) => event.type)).toEqual(['opened']);
  });
});

describe('what the store keeps and what notices say', () => {
  let store: Store;
  let table: string;
  let documents: DynamoDBDocumentClient;
  let close: (() => void) | undefined;
  beforeAll(async () => {
    setFunctionEnv();
    ({ store, table, close } = await freshStore(dynamodb.endpoint()));
    documents = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: dynamodb.endpoint(), region: 'eu-central-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }));
    await loadDemoDirectory(store);
  });
  afterAll(() => {
    documents?.destroy();
    close?.();
  });

  test('the store refuses to write an obligation, an event or a notice with a field outside its schema', async () => {
    const extra = { ...stored, id: 'o-personal-extra', iin: '880101300123' } as Obligation;
    await expect(store.openObligations([{ obligation: extra, events: [] }])).rejects.toThrow();
    expect(await store.getObligation('o-personal-extra')).toBeUndefined();
    const event = { ...(TARGETS.find((target) => target.name === 'ObligationEvent')?.valid as z.infer<typeof ObligationEventSchema>), obligationId: 'o-personal-extra' };
    await expect(store.appendEvent({ ...event, victim: 'A. B.' } as typeof event)).rejects.toThrow();
    expect(await store.events('o-personal-extra')).toEqual([]);
    const notice = { ...(TARGETS.find((target) => target.name === 'NoticeRecord')?.valid as z.infer<typeof NoticeRecordSchema>), obligationId: 'o-personal-extra', expiresAt: 1, text: 'the whole message' };
    await expect(store.claimNotice(notice)).rejects.toThrow();
    expect(await store.notices('o-personal-extra')).toEqual([]);
  });

  test('notices and digests of generated obligations carry the case reference and no other text anyone typed; the stored notice has exactly the schema’s fields', async () => {
    const units = ['zko-uralsk-akimat-sss', 'zko-burlin-akimat-sss'];
    // Markers no notice text holds unless it was copied from the input.
    const marker = fc.stringMatching(/^[a-z]{8}$/).map((letters) => `zq${letters}`);
    const cases = fc.sample(
      fc.record({
        ref: fc.tuple(fc.constantFrom('СВ', 'SSS', 'ӘБ', 'КДН'), fc.integer({ min: 1, max: 99_999 }), fc.constantFrom('/', '-', '.')).map(([prefix, number, separator]) => `${prefix}-2026${separator}${number}`),
        org: fc.constantFrom(...units),
        reason: marker,
        note: marker,
        assignee: marker,
        createdBy: marker,
        hour: fc.integer({ min: 9, max: 17 }),
      }),
      { seed: SEED, numRuns: 12 },
    );
    const typed = cases.flatMap((one) => [one.reason, one.note, one.assignee, one.createdBy]);
    const obligations: Obligation[] = [];
    for (const [index, one] of cases.entries()) {
      const made = obligation({ id: `o-notice-${index}`, rule: 'sss-decision', org: one.org, startText: `2026-03-19T${String(one.hour).padStart(2, '0')}:00`, caseRef: one.ref, assignee: one.assignee, createdBy: one.createdBy });
      const event = { obligationId: made.id, seq: 1, type: 'extended' as const, at: made.start, recordedAt: made.start, by: one.createdBy, revision: 1, cycle: 1, reason: `${one.reason} asked`, note: `${one.note} noted` };
      await store.openObligations([{ obligation: made, events: [event] }]);
      obligations.push(made);
    }

    let composed = 0;
    // The Tasks queue the reminders and escalations (sss-decision has no urgent slot); each
    // working morning from the first milestone to past the last sends them with the digests.
    for (const made of obligations) {
      for (const milestone of made.plan.milestones) {
        await deliverMilestone({ store, mail: ses.mail(), now: () => milestone.at }, made, findRule(made.rule), milestone);
      }
    }
    expect(await ses.sent()).toEqual([]);
    const instants = obligations.flatMap((made) => made.plan.milestones.map((milestone) => milestone.at));
    const calendar = kazakhstan();
    const last = calendar.nextWorkingDay(localDateOf(Math.max(...instants)));
    for (let date = calendar.workingDayOnOrAfter(localDateOf(Math.min(...instants))); date <= last; date = calendar.nextWorkingDay(date)) {
      const at = parseInstant(`${date}T09:30+05:00`);
      await sendMorningMail({ store, mail: ses.mail(), now: () => at, calendar: async () => calendar }, at);
    }
    expect(await store.queuedNotices()).toEqual([]);
    const mails = await ses.sent();
    expect(mails.length).toBeGreaterThan(0);
    let carrying = 0;
    for (const mail of mails) {
      composed += 1;
      const text = `${mail.subject}\n${mail.body.text ?? ''}`;
      if (typed.some((word) => text.includes(word))) carrying += 1;
      expect(obligations.some((made) => text.includes(made.caseRef)), mail.subject).toBe(true);
    }
    expect(carrying).toBe(0);

    const schemaKeys = Object.keys(NoticeRecordSchema.shape).sort();
    let notices = 0;
    let outsideTheSchema = 0;
    for (const made of obligations) {
      const { Items = [] } = await documents.send(new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :pk AND begins_with(sk, :notice)', ExpressionAttributeValues: { ':pk': `OBL#${made.id}`, ':notice': 'NOTE#' } }));
      for (const item of Items) {
        notices += 1;
        const keys = Object.keys(item).filter((key) => key !== 'pk' && key !== 'sk');
        if (!keys.every((key) => schemaKeys.includes(key))) outsideTheSchema += 1;
        expect(NoticeRecordSchema.safeParse(Object.fromEntries(Object.entries(item).filter(([key]) => key !== 'pk' && key !== 'sk'))).success).toBe(true);
        expect(typed.some((word) => JSON.stringify(item).includes(word))).toBe(false);
      }
    }
    expect(notices).toBeGreaterThan(0);
    expect(outsideTheSchema).toBe(0);

    recordFigures('no personal data', {
      'inputs tried': { value: tried, expected: '> 0' },
      'accepted with personal data': { value: acceptedWithPersonalData, expected: '0' },
      'fields outside the schema accepted': { value: extraFieldsAccepted, expected: '0' },
      'mails composed from generated obligations': { value: composed, expected: '> 0' },
      'mails carrying other typed text': { value: carrying, expected: '0' },
      'stored notices': { value: notices, expected: '> 0' },
      'stored notices with keys outside the schema': { value: outsideTheSchema, expected: '0' },
    });
  });
});
