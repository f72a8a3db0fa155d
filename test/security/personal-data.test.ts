import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import type * as z from 'zod';
import { NoticeRecordSchema, type Store } from '../../functions/adapters/store/index.ts';
import { MemberBodySchema, OrganisationBodySchema, OverrideBodySchema } from '../../functions/api/schemas.ts';
import { deliverMilestone } from '../../functions/app/deliver.ts';
import { sendMorningMail } from '../../functions/app/morning.ts';
import { kazakhstan } from '../../shared/calendar/index.ts';
import { handler } from '../../functions/handlers/api.ts';
import { MemberSchema, OrganisationSchema, PERSONAL_DATA_KINDS, type PersonalDataKind, REFERENCE_LIMITS, foldText, localDateOf, parseInstant, personalDataIn, personalDataKindOf } from '../../shared/base/index.ts';
import { ActionPlanSchema, parseActionPlanCsv } from '../../shared/action-plans/index.ts';
import {
  type Obligation,
  ObligationEventSchema,
  ObligationSchema,
  OpenObligationRequestSchema,
  RecordActRequestSchema,
} from '../../shared/model/index.ts';
import { findRule } from '../../shared/rules/index.ts';
import { call, registerUnit, apiEnvironment, type ApiEnvironment, type Who } from '../api/support.ts';
import { tableStore } from '../support/store.ts';
import { freshStore, loadDemoDirectory, obligation, setFunctionEnv, sharedSesLocal } from '../functions/support.ts';
import { sharedDynamoDbLocal } from '../local/support.ts';
import { recordFigures } from '../support/figures.ts';

/**
 * No personal data (LEGAL.md §5): what comes in and what is kept has no field outside its schema,
 * no 12-digit run that could be an IIN in any text, no free text beyond the reference limits
 * (shared/base/text.ts); the notices and digests carry the reference, the rule, the dates, the
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
    for (const text of ['СВ-2026/0142', 'КДН-12/2026-п', 'ZKO-IAP-2020/8.2', 'КДН-4521/19.03.2026', '2026/0123456']) {
      expect(OpenObligationRequestSchema.safeParse({ rule: 'sss-decision', caseRef: text, org: 'zko', start: '2026-03-19' }).success, text).toBe(true);
      expect(RecordActRequestSchema.safeParse({ act: 'refused', reason: `decided under ${text}` }).success, text).toBe(true);
    }
  });
});

// The guard itself (shared/base/personal-data.ts): generated forms of each kind are refused, ordinary texts pass.

/** The zero of decimal digits in several scripts: ASCII, Arabic-Indic, Extended Arabic-Indic, Devanagari, Bengali, Thai, Myanmar, full-width, mathematical bold, Adlam. */
const ZEROS = [0x30, 0x660, 0x6f0, 0x966, 0x9e6, 0xe50, 0x1040, 0xff10, 0x1d7ce, 0x1e950];
const inScript = (digit: number, zero: number): string => String.fromCodePoint(zero + digit);
/** What people put between an IIN's digits, visible or not. */
const IIN_SEPARATORS = [' ', '/', '_', '№', '#', '-', '\u2212', ',', '.', '\u00a0', '\u2009', '\u200b', '\u2060', '\u00ad', ' / ', ', ', ' - ', '№ '];

/** 12 digits, each in a script of its own or all in one, split anywhere by any of the separators. */
const iinForms = fc
  .record({
    digits: fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 12, maxLength: 12 }),
    mixed: fc.boolean(),
    zero: fc.constantFrom(...ZEROS),
    zeros: fc.array(fc.constantFrom(...ZEROS), { minLength: 12, maxLength: 12 }),
    gaps: fc.array(fc.option(fc.constantFrom(...IIN_SEPARATORS), { freq: 2 }), { minLength: 11, maxLength: 11 }),
  })
  .map(({ digits, mixed, zero, zeros, gaps }) => digits.map((digit, index) => `${inScript(digit, mixed ? (zeros[index] ?? 0x30) : zero)}${index < 11 ? (gaps[index] ?? '') : ''}`).join(''));

const MOBILE_CODES = ['700', '701', '702', '705', '707', '708', '747', '771', '775', '776', '777', '778'];
const AREA_CODES = ['7172', '727', '7112', '7132', '7142', '7152', '7162', '7182', '7212', '7222', '7232', '7242', '7252', '7262', '7282', '7292'];
/** Kazakhstan's numbers as people write them: +7 or 8 or nothing, a mobile or a landline code, the rest in groups. */
const phoneForms = fc
  .record({
    prefix: fc.constantFrom('+7 ', '+7', '8 ', '8', '8-', '+7-', '7 ', ''),
    code: fc.oneof(fc.constantFrom(...MOBILE_CODES), fc.constantFrom(...AREA_CODES)),
    rest: fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 7, maxLength: 7 }),
    brackets: fc.boolean(),
    style: fc.constantFrom('spaces', 'dashes', 'joined', 'mixed'),
    zero: fc.constantFrom(...ZEROS),
  })
  .map(({ prefix, code, rest, brackets, style, zero }) => {
    // The subscriber number fills the ten digits after the code.
    const subscriber = rest.slice(0, 10 - code.length).join('');
    const groups = subscriber.length === 7 ? [subscriber.slice(0, 3), subscriber.slice(3, 5), subscriber.slice(5)] : [subscriber.slice(0, 2), subscriber.slice(2, 4), subscriber.slice(4)];
    const join = { spaces: ' ', dashes: '-', joined: '', mixed: '-' }[style];
    const head = brackets ? `(${code}) ` : `${code}${style === 'joined' ? '' : ' '}`;
    const number = `${prefix}${head}${style === 'mixed' ? `${groups[0] ?? ''} ${groups.slice(1).join(join)}` : groups.join(join)}`;
    return number.replace(/[0-9]/g, (digit) => inScript(Number(digit), zero));
  });

const emailForms = fc
  .record({
    local: fc.array(fc.stringMatching(/^[a-z]{1,8}$/), { minLength: 1, maxLength: 3 }),
    digits: fc.option(fc.integer({ min: 1, max: 9999 })),
    joiner: fc.constantFrom('.', '_', '-'),
    at: fc.constantFrom('@', '＠'),
    domain: fc.constantFrom('mail.ru', 'gmail.com', 'mail.kz', 'yandex.kz', 'inbox.ru', 'akimat.gov.kz', 'почта.қаз'),
  })
  .map(({ local, digits, joiner, at, domain }) => `${local.join(joiner)}${digits ?? ''}${at}${domain}`);

const SURNAMES = ['Иванова', 'Сериков', 'Ахметова', 'Нурланов', 'Петрова', 'Жумабаев', 'Ким', 'Ли', 'Сейткали', 'Оспанова', 'Кенжебаева', 'Абдрахманов', 'Ivanova', 'Serikov', 'Akhmetova', 'Zhumabayev'];
const NAMES = ['Айгуль', 'Ерлан', 'Мария', 'Асель', 'Данияр', 'Гульнара', 'Нурсултан', 'Aigul', 'Yerlan', 'Asel', 'Daniyar'];
const PATRONYMICS = ['Сериковна', 'Болатович', 'Ивановна', 'Ерланович', 'Маратовна', 'Болатұлы', 'Сериккызы', 'Кайратович', 'Ильич', 'Serikovna', 'Bolatovich', 'Yerlanovna', 'Nurlanuly', 'Bolatkyzy'];
const FATHER_NAMES = ['Серик', 'Болат', 'Ерлан', 'Марат'];
/** Surname, name and patronymic in the orders documents use, in Cyrillic or Latin, in capitals or not. */
const fullNameForms = fc
  .record({
    surname: fc.constantFrom(...SURNAMES),
    name: fc.constantFrom(...NAMES),
    patronymic: fc.constantFrom(...PATRONYMICS),
    father: fc.constantFrom(...FATHER_NAMES),
    order: fc.constantFrom('surname-first', 'name-first', 'kazakh-word', 'no-patronymic'),
    upperSurname: fc.boolean(),
  })
  .filter(({ surname, order }) => order !== 'no-patronymic' || /^\p{Script=Cyrillic}+(?:ов|ев|ова|ева|ин|ина)$/u.test(surname))
  .map(({ surname, name, patronymic, father, order, upperSurname }) => {
    const family = upperSurname ? surname.toUpperCase() : surname;
    if (order === 'name-first') return `${name} ${patronymic} ${family}`;
    if (order === 'kazakh-word') return `${name} ${father} қызы`;
    if (order === 'no-patronymic') return `${family} ${name} ${father}`;
    return `${family} ${name} ${patronymic}`;
  });

/** Words around a form: a remark holds it among other words. */
const around = (form: fc.Arbitrary<string>) =>
  fc.tuple(fc.constantFrom('', 'звонила ', 'связь: ', 'contact ', 'по делу ', 'өтініш берген '), form, fc.constantFrom('', ' сегодня', ', see the file', ' по телефону', '.'))
    .map(([before, text, after]) => `${before}${text}${after}`);

/** Ordinary texts: references, dates, times, article numbers, amounts, numbers of up to 11 digits, unit names. */
const ordinaryPieces = fc.oneof(
  fc
    .tuple(fc.constantFrom('КДН', 'СВ', 'ӘБ', 'ZKO-IAP', 'SSS', 'ОП', 'ЮП'), fc.integer({ min: 2000, max: 2030 }), fc.constantFrom('/', '-', '.'), fc.integer({ min: 1, max: 99_999 }), fc.constantFrom('', '-п', '/2'))
    .map(([prefix, year, separator, number, suffix]) => `${prefix}-${year}${separator}${number}${suffix}`),
  fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2037-12-31T00:00:00Z'), noInvalidDate: true }).chain((date) => {
    const [year, month, day] = date.toISOString().slice(0, 10).split('-');
    return fc.constantFrom(`${day}.${month}.${year}`, `${year}-${month}-${day}`, `${day}/${month}/${year}`, `${date.toISOString().slice(0, 16)}+05:00`, `${day}.${month}.${year} ${date.toISOString().slice(11, 16)}`);
  }),
  fc.tuple(fc.integer({ min: 1, max: 500 }), fc.option(fc.integer({ min: 1, max: 9 })), fc.integer({ min: 1, max: 12 }), fc.constantFrom('КоАП РК', 'ГК РК', 'Закона о профилактике')).map(([article, sub, part, act]) => `ст. ${article}${sub === null ? '' : `-${sub}`} ч. ${part} ${act}`),
  fc.tuple(fc.integer({ min: 0, max: 999_999_999 }), fc.option(fc.integer({ min: 0, max: 99 }))).map(([amount, cents]) => `${amount.toLocaleString('ru-RU').replace(/\s/g, ' ')}${cents === null ? '' : `,${String(cents).padStart(2, '0')}`} тенге`),
  // 11 digits: a register number, an account. One that starts with 7 or 8 has a phone's shape and is refused as one.
  fc.tuple(fc.integer({ min: 0, max: 6 }).map((first) => (first >= 7 ? first + 2 : first)), fc.integer({ min: 0, max: 9_999_999_999 })).map(([first, rest]) => `№ ${first}${String(rest).padStart(10, '0')}`),
  fc.constantFrom('Бурлинский районный акимат', 'West Kazakhstan Region', 'Burlin District Akimat', 'Department Of Education', 'Школа № 12 города Уральска', 'Орал қаласының әкімдігі', 'Отдел Полиции Города Уральска'),
  fc.stringMatching(/^[a-zа-яәғқңөұүі]{2,12}$/),
);
const ordinaryTexts = fc.array(ordinaryPieces, { minLength: 1, maxLength: 4 }).chain((pieces) =>
  fc.array(fc.constantFrom(' и ', ' от ', '; см. ', ' and ', ' бойынша '), { minLength: pieces.length, maxLength: pieces.length }).map((joiners) => pieces.map((piece, index) => `${index === 0 ? '' : (joiners[index] ?? ' и ')}${piece}`).join('')),
);

const GUARD_RUNS = 1000;
const refusedByKind: Record<PersonalDataKind, number> = { iin: 0, phone: 0, email: 0, 'full-name': 0 };
const generatedByKind: Record<PersonalDataKind, number> = { iin: 0, phone: 0, email: 0, 'full-name': 0 };
let ordinaryTried = 0;
let ordinaryRefused = 0;

describe('the personal-data guard', () => {
  test('every decimal digit of every script folds to its value: all numbering systems Intl knows, and every Nd run of ten', () => {
    let systems = 0;
    for (const system of Intl.supportedValuesOf('numberingSystem')) {
      const written = Array.from({ length: 10 }, (_, digit) => new Intl.NumberFormat(`en-u-nu-${system}`, { useGrouping: false }).format(digit));
      // Algorithmic systems (Roman numerals, Han words) write no decimal digits.
      if (!written.every((text) => /^\p{Nd}$/u.test(text))) continue;
      systems += 1;
      expect(foldText(written.join('')), system).toBe('0123456789');
    }
    expect(systems).toBeGreaterThan(50);
    let runs = 0;
    for (let codePoint = 0; codePoint <= 0x10ffff; codePoint += 1) {
      if (codePoint >= 0xd800 && codePoint <= 0xdfff) continue;
      const character = String.fromCodePoint(codePoint);
      if (!/\p{Nd}/u.test(character) || /\p{Nd}/u.test(String.fromCodePoint(codePoint - 1))) continue;
      runs += 1;
      let ten = '';
      for (let digit = 0; digit < 10; digit += 1) ten += String.fromCodePoint(codePoint + digit);
      expect(foldText(ten), codePoint.toString(16)).toBe('0123456789');
    }
    expect(runs).toBeGreaterThan(60);
  });

  const kinds: [PersonalDataKind, fc.Arbitrary<string>, readonly PersonalDataKind[]][] = [
    // An IIN split so that part of it reads as a phone is refused as a phone: refused all the same.
    ['iin', around(iinForms), ['iin', 'phone']],
    ['phone', around(phoneForms), ['phone']],
    ['email', around(emailForms), ['email']],
    ['full-name', around(fullNameForms), ['full-name']],
  ];
  for (const [kind, forms, named] of kinds) {
    test(`generated ${kind} forms are refused, and the refusal names the kind`, () => {
      fc.assert(
        fc.property(forms, (text) => {
          generatedByKind[kind] += 1;
          const found = personalDataIn(text);
          if (found !== undefined && named.includes(found)) refusedByKind[kind] += 1;
          return found !== undefined && named.includes(found);
        }),
        { seed: SEED, numRuns: GUARD_RUNS },
      );
      expect(refusedByKind[kind]).toBe(generatedByKind[kind]);
    });
  }

  test('ordinary texts pass: case references, dates and times, article numbers, amounts, 11-digit numbers, unit names', () => {
    fc.assert(
      fc.property(ordinaryTexts, (text) => {
        ordinaryTried += 1;
        const found = personalDataIn(text);
        if (found !== undefined) ordinaryRefused += 1;
        return found === undefined;
      }),
      { seed: SEED, numRuns: GUARD_RUNS },
    );
  });

  test('the finding as reported: each form is refused in the field it was found in', () => {
    const measure = (item: string) => ({ rule: 'submission-reply', caseRef: 'КДН-12/2026', org: 'zko-uralsk-school-12', issuedBy: 'zko-uralsk-kdn', start: '2026-03-19T15:20', measures: [{ item, dueDate: '2026-04-01' }] });
    const open = (caseRef: string) => ({ rule: 'sss-decision', caseRef, org: 'zko', start: '2026-03-19' });
    const refused: [z.ZodType, unknown, PersonalDataKind][] = [
      [OpenObligationRequestSchema, measure('880101300123'), 'iin'],
      ...['880101/300123', '880101_300123', '880101№300123', '880101#300123', '٨٨٠١٠١٣٠٠١٢٣', '८८०१०१३००१२३', '88٠1٠13००123'].map((caseRef): [z.ZodType, unknown, PersonalDataKind] => [OpenObligationRequestSchema, open(caseRef), 'iin']),
      [OpenObligationRequestSchema, open('Иванова Айгуль Сериковна'), 'full-name'],
      [OpenObligationRequestSchema, open('8 701 234 56 78'), 'phone'],
      ...['\u200b', '\u2060', '\u00ad', ',', '/', '\u2212'].map((separator): [z.ZodType, unknown, PersonalDataKind] => [RecordActRequestSchema, { act: 'refused', reason: `applicant 880101${separator}300123 withdrew` }, 'iin']),
      [RecordActRequestSchema, { act: 'decided', note: 'written in Arabic digits ٨٨٠١٠١٣٠٠١٢٣' }, 'iin'],
      [RecordActRequestSchema, { act: 'decided', note: 'call her on +7 (701) 234-56-78' }, 'phone'],
      [RecordActRequestSchema, { act: 'refused', reason: 'write to aigul.ivanova@mail.ru' }, 'email'],
    ];
    for (const [schema, input, kind] of refused) {
      const result = schema.safeParse(input);
      expect(result.success, JSON.stringify(input)).toBe(false);
      expect(result.error?.issues.map((issue) => personalDataKindOf(issue)), JSON.stringify(input)).toContain(kind);
    }
    // A plan's CSV cells: each refused on its line, with the kind, and the cell not said back.
    const csv = [
      'item,title,deadline,responsible,form',
      '1,Отчёт для Ивановой Айгуль Сериковны,quarterly,zko-uralsk-police-dv,',
      '2,Отчёт,quarterly,zko-uralsk-police-dv,звонить 8 701 234 56 78',
      '3,"Сверка ٨٨٠١٠١٣٠٠١٢٣",quarterly,zko-uralsk-police-dv,',
      '4,Отчёт,quarterly,zko-880101-300123,',
    ].join('\n');
    const parsed = parseActionPlanCsv(csv, { plan: 'ZKO-IAP-2026', issuedBy: 'zko-uralsk-kdn', from: '2026-01-01', until: '2026-12-31' });
    expect(parsed.ok).toBe(false);
    const errors = parsed.ok ? [] : parsed.errors;
    expect(errors.map((error) => `${error.row} ${error.field}:${error.personalData ?? '-'}`)).toEqual(['2 title:full-name', '3 form:phone', '4 title:iin', '5 responsible:iin']);
    expect(JSON.stringify(errors)).not.toMatch(/Иванов|701 234|٨٨|880101/);
  });

  test('what the guard found, as `npm run verify` prints it', () => {
    recordFigures('no personal data', {
      'generated IINs (split, other scripts) refused': { value: `${refusedByKind.iin} of ${generatedByKind.iin}`, expected: 'all' },
      'generated phone numbers refused': { value: `${refusedByKind.phone} of ${generatedByKind.phone}`, expected: 'all' },
      'generated e-mail addresses refused': { value: `${refusedByKind.email} of ${generatedByKind.email}`, expected: 'all' },
      'generated full names refused': { value: `${refusedByKind['full-name']} of ${generatedByKind['full-name']}`, expected: 'all' },
      'generated ordinary texts refused': { value: `${ordinaryRefused} of ${ordinaryTried}`, expected: '0' },
    });
    for (const kind of PERSONAL_DATA_KINDS) expect(generatedByKind[kind], kind).toBeGreaterThan(0);
    expect(ordinaryTried).toBeGreaterThan(0);
  });
});

// Through the API and the store, on DynamoDB Local.

const dynamodb = sharedDynamoDbLocal();
const ses = sharedSesLocal();
const ADMIN: Who = { user: 'admin', org: 'zko', groups: ['admin'] };
const now = parseInstant('2026-03-19T16:00:00+05:00');

describe('through the API', () => {
  let environment: ApiEnvironment | undefined;
  let table = '';
  beforeAll(async () => {
    environment = await apiEnvironment(dynamodb.endpoint(), 'merzim-personal', { now: () => now });
    ({ table } = environment);
    // The unit the requests name is in the directory: what refuses them is the data, not the unit.
    await registerUnit(environment.store, 'zko-personal-sss', 'akimat-department');
  });
  afterAll(() => environment?.close());

  test('an IIN in a case reference or a mailbox: 422 naming the field and the kind; a field outside the schema: 400; nothing opened', async () => {
    const open = { rule: 'sss-decision', caseRef: 'СВ-2026/0142', org: 'zko-personal-sss', start: '2026-03-19T15:20+05:00' };
    const refused: [string, string, unknown, string, number][] = [
      ['POST', '/obligations', { ...open, caseRef: 'СВ-880101300123' }, 'caseRef', 422],
      ['POST', '/obligations', { ...open, caseRef: 'СВ 880101 300123' }, 'caseRef', 422],
      ['POST', '/obligations', { ...open, caseRef: '8801-0130-0123' }, 'caseRef', 422],
      ['POST', '/obligations', { ...open, iin: '880101300123' }, 'iin', 400],
      ['POST', '/obligations', { ...open, victim: { name: 'A. B.' } }, 'victim', 400],
      ['POST', '/obligations', { ...open, rule: 'submission-reply', measures: [{ item: '1', dueDate: '2026-04-01', note: 'x' }] }, 'measures.0.note', 400],
      ['PUT', '/organisations/zko-personal-sss/members/new.person', { role: 'inspector', email: 'ivan.880101300123@mail.kz' }, 'email', 422],
      ['PUT', '/organisations/zko-personal-sss', { kind: 'district', names: { kk: 'Тест', ru: 'Тест', en: 'Test', comment: 'x' } }, 'names.comment', 400],
    ];
    for (const [method, target, body, field, status] of refused) {
      const answer = await call(handler, method, target, { as: ADMIN, body });
      expect(answer.status, `${target} ${JSON.stringify(body)}`).toBe(status);
      expect(answer.body.issues.map((issue: { path: string }) => issue.path), JSON.stringify(body)).toContain(field);
      if (status === 422) expect(answer.body.issues.map((issue: { personalData?: string }) => issue.personalData)).toContain('iin');
    }
    const listed = await call(handler, 'GET', '/obligations?org=zko-personal-sss', { as: ADMIN });
    expect(listed.status).toBe(200);
    expect(listed.body.obligations).toEqual([]);

    const opened = await call(handler, 'POST', '/obligations', { as: ADMIN, body: open });
    expect(opened.status).toBe(201);
    const id = opened.body.obligations[0].id as string;
    for (const [body, field, status] of [
      [{ act: 'refused', reason: 'the applicant, IIN 880101300123, withdrew' }, 'reason', 422],
      [{ act: 'decided', note: 'called 8 701 234 56 78 90' }, 'note', 422],
      [{ act: 'decided', note: 'fine', diagnosis: 'x' }, 'diagnosis', 400],
    ] as const) {
      const answer = await call(handler, 'POST', `/obligations/${id}/events`, { as: ADMIN, body });
      expect(answer.status, JSON.stringify(body)).toBe(status);
      expect(answer.body.issues.map((issue: { path: string }) => issue.path)).toContain(field);
    }
    const detail = await call(handler, 'GET', `/obligations/${id}`, { as: ADMIN });
    expect(detail.body.obligation.status).toBe('open');
    expect(detail.body.events.map((event: { type: string }) => event.type)).toEqual(['opened']);
  });

  // Issue 17, finding 1: each way personal data got through, as it was tried.
  const unit = 'zko-personal-sss';
  const open = { rule: 'sss-decision', caseRef: 'СВ-2026/0150', org: unit, start: '2026-03-19T15:20+05:00' };
  const refusedFor = (answer: { status: number; body: { issues?: { path: string; personalData?: string }[] } }) => (answer.body.issues ?? []).map((issue) => `${issue.path}:${issue.personalData ?? '-'}`);
  const openedCount = async (): Promise<number> => (await call(handler, 'GET', `/obligations?org=${unit}`, { as: ADMIN })).body.obligations.length as number;

  test('a measure labelled with an IIN (it was shown in the .ics feed): 422 naming measures.0.item and the kind; nothing opened', async () => {
    const before = await openedCount();
    const answer = await call(handler, 'POST', '/obligations', {
      as: ADMIN,
      body: { rule: 'submission-reply', caseRef: 'КДН-2026/145', org: unit, issuedBy: unit, start: '2026-03-19T15:20+05:00', measures: [{ item: '880101300123', dueDate: '2026-04-01' }] },
    });
    expect(answer.status).toBe(422);
    expect(refusedFor(answer)).toEqual(['measures.0.item:iin']);
    expect(await openedCount()).toBe(before);
  });

  test('a case reference with an IIN split by / _ № #, or in Arabic-Indic, Devanagari or mixed digits; a full name; a phone: 422 by kind, nothing opened', async () => {
    const before = await openedCount();
    const cases: [string, string][] = [
      ['СВ-880101/300123', 'iin'],
      ['СВ-880101_300123', 'iin'],
      ['СВ №880101№300123', 'iin'],
      ['СВ-880101#300123', 'iin'],
      ['СВ-٨٨٠١٠١٣٠٠١٢٣', 'iin'],
      ['СВ-८८०१०१३००१२३', 'iin'],
      ['СВ-88٠1٠13००123', 'iin'],
      ['Иванова Айгуль Сериковна', 'full-name'],
      ['8 701 234 56 78', 'phone'],
    ];
    for (const [caseRef, kind] of cases) {
      const answer = await call(handler, 'POST', '/obligations', { as: ADMIN, body: { ...open, caseRef } });
      expect(answer.status, caseRef).toBe(422);
      expect(refusedFor(answer), caseRef).toEqual([`caseRef:${kind}`]);
      // The refused text is not said back.
      expect(JSON.stringify(answer.body), caseRef).not.toContain(caseRef);
    }
    expect(await openedCount()).toBe(before);
  });

  test('notes and reasons with an IIN split by U+200B, U+2060, U+00AD, a comma, a slash or U+2212, in Arabic digits, a phone or an e-mail: 422 by kind, nothing recorded', async () => {
    const opened = await call(handler, 'POST', '/obligations', { as: ADMIN, body: { ...open, caseRef: 'СВ-2026/0151' } });
    expect(opened.status).toBe(201);
    const id = opened.body.obligations[0].id as string;
    const texts: [string, string][] = [
      ...['\u200b', '\u2060', '\u00ad', ',', '/', '\u2212'].map((separator): [string, string] => [`the applicant 880101${separator}300123 withdrew`, 'iin']),
      ['written ٨٨٠١٠١٣٠٠١٢٣', 'iin'],
      ['she asked to be called on +7 (701) 234-56-78', 'phone'],
      ['send the answer to aigul.ivanova@mail.ru', 'email'],
    ];
    for (const [text, kind] of texts) {
      for (const field of ['reason', 'note'] as const) {
        const answer = await call(handler, 'POST', `/obligations/${id}/events`, { as: ADMIN, body: { act: 'refused', reason: 'withdrawn by the applicant', [field]: text } });
        expect(answer.status, `${field}: ${text}`).toBe(422);
        expect(refusedFor(answer), `${field}: ${text}`).toEqual([`${field}:${kind}`]);
      }
    }
    const detail = await call(handler, 'GET', `/obligations/${id}`, { as: ADMIN });
    expect(detail.body.obligation.status).toBe('open');
    expect(detail.body.events.map((event: { type: string }) => event.type)).toEqual(['opened']);
  });

  test('an IIN-shaped Idempotency-Key: 400 before anything is written, no record of the key, nothing opened', async () => {
    const before = await openedCount();
    const { store, close } = tableStore(dynamodb.endpoint(), table);
    try {
      for (const key of ['880101300123', 'key-880101_300123', 'k-8801-0130-0123', 'call-87012345678']) {
        const answer = await call(handler, 'POST', '/obligations', { as: ADMIN, body: { ...open, caseRef: 'СВ-2026/0152' }, headers: { 'Idempotency-Key': key } });
        expect(answer.status, key).toBe(400);
        expect(answer.body.issues.map((issue: { path: string }) => issue.path), key).toEqual(['idempotency-key']);
        expect(await store.idempotency.idempotencyRecord(`${ADMIN.user}#${key}`), key).toBeUndefined();
      }
    } finally {
      close();
    }
    expect(await openedCount()).toBe(before);
  });

  test('an action plan whose rows hold a full name, a phone, an e-mail or an IIN-like item number: 422 naming each row, field and kind; nothing opened', async () => {
    const before = await openedCount();
    const row = { deadline: 'quarterly', responsible: [unit] };
    const answer = await call(handler, 'POST', '/action-plans', {
      as: ADMIN,
      body: {
        plan: 'ZKO-IAP-2026',
        issuedBy: unit,
        from: '2026-01-01',
        until: '2026-12-31',
        items: [
          { item: '1', title: 'Report to Иванова Айгуль Сериковна', ...row },
          { item: '2', title: 'Quarterly report', form: 'call 8 701 234 56 78', ...row },
          { item: '3', form: 'e-mail aigul@mail.ru', ...row },
          { item: '880.101.300.123', ...row },
        ],
      },
    });
    expect(answer.status).toBe(422);
    expect(answer.body.issues.map((issue: { row: number; path: string; personalData?: string }) => `${issue.row} ${issue.path}:${issue.personalData ?? '-'}`)).toEqual([
      '1 title:full-name',
      '2 form:phone',
      '3 form:email',
      '4 item:iin',
    ]);
    expect(await openedCount()).toBe(before);
  });
});

describe('what the store keeps and what notices say', () => {
  let store: Store;
  let table: string;
  let documents: DynamoDBDocumentClient;
  let close: (() => void) | undefined;
  beforeAll(async () => {
    setFunctionEnv();
    ({ store, documents, table, close } = await freshStore(dynamodb.endpoint()));
    await loadDemoDirectory(store);
  });
  afterAll(() => {
    close?.();
  });

  test('the store refuses to write an obligation, an event or a notice with a field outside its schema', async () => {
    const extra = { ...stored, id: 'o-personal-extra', iin: '880101300123' } as Obligation;
    await expect(store.obligations.openObligations([{ obligation: extra, events: [] }])).rejects.toThrow();
    expect(await store.obligations.getObligation('o-personal-extra')).toBeUndefined();
    const event = { ...(TARGETS.find((target) => target.name === 'ObligationEvent')?.valid as z.infer<typeof ObligationEventSchema>), obligationId: 'o-personal-extra' };
    await expect(store.obligations.appendEvent({ ...event, victim: 'A. B.' } as typeof event)).rejects.toThrow();
    expect(await store.obligations.events('o-personal-extra')).toEqual([]);
    const notice = { ...(TARGETS.find((target) => target.name === 'NoticeRecord')?.valid as z.infer<typeof NoticeRecordSchema>), obligationId: 'o-personal-extra', expiresAt: 1, text: 'the whole message' };
    await expect(store.outbox.claimNotice(notice)).rejects.toThrow();
    expect(await store.outbox.notices('o-personal-extra')).toEqual([]);
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
      await store.obligations.openObligations([{ obligation: made, events: [event] }]);
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
    expect(await store.outbox.queuedNotices()).toEqual([]);
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
