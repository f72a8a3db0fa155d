import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { kazakhstan } from '../../shared/calendar/index.ts';
import { DAY_MS, type LocalDate, addDays, dayNumber, fromDayNumber, instantAt, localDateOf, parseInstant, parts } from '../../shared/base/index.ts';
import { explainSteps, explanationLines } from '../../shared/i18n/index.ts';
import type { CountStep } from '../../shared/periods/index.ts';
import { type PlanRequest, type Rule, catalog, explainedPlan, findRule, planObligation } from '../../shared/rules/index.ts';
import { startArb, validRequest } from '../rules/requests.ts';

const calendar = kazakhstan();

type Step<K extends CountStep['kind']> = Extract<CountStep, { kind: K }>;
const only = <K extends CountStep['kind']>(steps: readonly CountStep[], kind: K): Step<K>[] => steps.filter((step): step is Step<K> => step.kind === kind);
const one = <K extends CountStep['kind']>(steps: readonly CountStep[], kind: K): Step<K> => {
  const found = only(steps, kind);
  expect(found, `one ${kind} step`).toHaveLength(1);
  return found[0] as Step<K>;
};

const lastDayOfMonth = (year: number, month: number): LocalDate => fromDayNumber(dayNumber(`${year + Math.floor(month / 12)}-${String((month % 12) + 1).padStart(2, '0')}-01`) - 1);

/**
 * What a lawyer does with an explanation: takes its steps and counts again by the Civil Code,
 * with the calendar only to confirm each day is what the step says. Returns the due date, its
 * end and the day it moved from, to compare with the plan.
 */
function recount(steps: readonly CountStep[], request: PlanRequest, closesAt = '18:30') {
  const event = one(steps, 'event');
  expect(steps[0]).toBe(event);
  expect(event.at).toBe(request.start);
  const ends = one(steps, 'ends');
  expect(steps.at(-1)).toBe(ends);

  const hours = only(steps, 'hours-start');
  if (hours.length === 1) {
    const start = hours[0] as Step<'hours-start'>;
    expect(start.at).toBe(request.start);
    expect(ends.endOfDay).toBe('instant');
    expect(ends.at).toBe(start.at + start.count * DAY_MS);
    expect(ends.date).toBe(localDateOf(ends.at));
    return { dueDate: ends.date, dueAt: ends.at, movedFrom: undefined };
  }

  const startDate = localDateOf(request.start);
  const last = one(steps, 'last-day');
  const { period } = last;
  let lastDay: LocalDate;
  switch (period.unit) {
    case 'working-days': {
      // Walk from the day after the start: every day the steps skip must be a day off, every
      // other day is counted and must be a working day, until the count is reached.
      const first = one(steps, 'count-starts');
      expect(first.date).toBe(addDays(startDate, 1));
      const skipped = new Set([...only(steps, 'skipped').flatMap((step) => step.days.map((day) => day.date)), ...only(steps, 'weekends-skipped').flatMap((step) => step.dates)]);
      let day = first.date;
      let counted = 0;
      const seen = new Set<LocalDate>();
      for (;;) {
        if (skipped.has(day)) {
          expect(calendar.isWorkingDay(day), `${day} skipped`).toBe(false);
          seen.add(day);
        } else {
          expect(calendar.isWorkingDay(day), `${day} counted`).toBe(true);
          counted += 1;
          if (counted === period.count) break;
        }
        day = addDays(day, 1);
      }
      expect(seen).toEqual(skipped); // no skipped day lies outside the count
      lastDay = day;
      break;
    }
    case 'days':
      expect(one(steps, 'count-starts').date).toBe(addDays(startDate, 1));
      one(steps, 'days-off-counted');
      lastDay = addDays(startDate, period.count);
      break;
    case 'weeks':
      one(steps, 'days-off-counted');
      lastDay = addDays(startDate, 7 * period.count);
      break;
    case 'months': {
      one(steps, 'days-off-counted');
      const { year, month, day } = parts(startDate);
      const monthEnd = lastDayOfMonth(year, month + period.count);
      const sameDay = `${monthEnd.slice(0, 8)}${String(day).padStart(2, '0')}`;
      lastDay = sameDay <= monthEnd ? sameDay : monthEnd;
      break;
    }
    case 'period-end': {
      const { year, month } = parts(startDate);
      lastDay = period.of === 'month' ? lastDayOfMonth(year, month) : period.of === 'quarter' ? lastDayOfMonth(year, Math.ceil(month / 3) * 3) : `${year}-12-31`;
      break;
    }
    case 'month-ends': {
      const { year, month } = parts(startDate);
      lastDay = lastDayOfMonth(year, month + period.count - 1);
      break;
    }
    case 'day-after-period': {
      // A start at 00:00 closes the day before's period (a quarter ends at 00:00 on 1 April).
      const reported = request.start === instantAt(startDate, '00:00') ? addDays(startDate, -1) : startDate;
      const { year, month } = parts(reported);
      const lastMonth = period.of === 'month' ? month : period.of === 'quarter' ? Math.ceil(month / 3) * 3 : 12;
      const next = addDays(lastDayOfMonth(year, lastMonth), 1);
      lastDay = `${next.slice(0, 8)}${String(period.day).padStart(2, '0')}`;
      break;
    }
    case 'set-date':
      lastDay = (request.extendedTo ?? request.dueDate) as LocalDate;
      expect(last.extended === true).toBe(request.extendedTo !== undefined);
      break;
    default:
      throw new Error(`no recount for ${period.unit}`);
  }
  expect(last.date).toBe(lastDay);

  const moved = only(steps, 'moved');
  let dueDate = lastDay;
  if (moved.length === 1) {
    const move = moved[0] as Step<'moved'>;
    expect(move.from).toBe(lastDay);
    // Every day moved over is a day off, in a row from the last day; the day it lands on works.
    expect(move.days.map((day) => day.date)).toEqual(Array.from({ length: dayNumber(move.to) - dayNumber(move.from) }, (_, index) => addDays(move.from, index)));
    expect(move.days.every((day) => !calendar.isWorkingDay(day.date))).toBe(true);
    expect(calendar.isWorkingDay(move.to)).toBe(true);
    dueDate = move.to;
  } else if (only(steps, 'not-moved').length === 0) {
    expect(moved).toEqual([]);
  }
  expect(ends.date).toBe(dueDate);
  const dueAt = ends.endOfDay === 'midnight' ? instantAt(addDays(dueDate, 1), '00:00') : instantAt(dueDate, closesAt);
  return { dueDate, dueAt, movedFrom: moved.length === 1 ? lastDay : undefined };
}

// Starts a few days before a holiday, where counts skip and move: random days alone rarely land there.
const HOLIDAYS = ['01-01', '01-07', '03-08', '03-21', '05-01', '05-07', '05-09', '05-27', '06-06', '07-06', '08-30', '10-25', '12-16'];
const nearHolidayArb = fc
  .record({ year: fc.integer({ min: 2024, max: 2036 }), holiday: fc.constantFrom(...HOLIDAYS), before: fc.integer({ min: 0, max: 12 }), minute: fc.integer({ min: 0, max: 24 * 60 - 1 }) })
  .map(({ year, holiday, before, minute }) => instantAt(addDays(`${year}-${holiday}`, -before), '00:00') + minute * 60_000)
  .filter((start) => start >= instantAt('2024-03-01', '00:00'));
const anyStartArb = fc.oneof(startArb, nearHolidayArb);

/** Every rule with every variant: the catalog's plans. */
const variantsOf = (rule: Rule): (string | undefined)[] => (rule.variants === undefined ? [undefined] : Object.keys(rule.variants));
const ruleVariants = catalog.flatMap((rule) => variantsOf(rule).map((variant) => ({ rule, variant })));

function requestFor(rule: Rule, variant: string | undefined, drawn: number, count: number, extend: boolean): PlanRequest {
  const request = validRequest(rule, variant, drawn, count, calendar, 5);
  return extend ? { ...request, extendedTo: addDays(localDateOf(request.start), 40 + count) } : request;
}

describe('every due date, recounted from its explanation', () => {
  it('agrees with the plan for every rule and variant of the catalog, for any start', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ruleVariants), anyStartArb, fc.integer({ min: 1, max: 40 }), fc.boolean(), ({ rule, variant }, start, count, extend) => {
        const request = requestFor(rule, variant, start, count, extend);
        const { plan, explanation } = explainedPlan(request);
        expect(plan).toEqual(planObligation(request));
        const recounted = recount(explanation.steps, request);
        expect(recounted.dueDate).toBe(plan.dueDate);
        expect(recounted.dueAt).toBe(plan.dueAt);
        expect(recounted.movedFrom).toBe(plan.movedFrom);
      }),
      { numRuns: 800 },
    );
  }, 60_000);

  it('agrees with the plan for a working-day count of any length', () => {
    const rule = findRule('sss-decision');
    fc.assert(
      fc.property(anyStartArb, fc.integer({ min: 1, max: 120 }), (start, count) => {
        const request: PlanRequest = { rule: { ...rule, counting: { ...rule.counting, period: { unit: 'working-days', count } } }, start, calendar };
        const { plan, explanation } = explainedPlan(request);
        const recounted = recount(explanation.steps, request);
        expect({ dueDate: recounted.dueDate, dueAt: recounted.dueAt }).toEqual({ dueDate: plan.dueDate, dueAt: plan.dueAt });
      }),
      { numRuns: 300 },
    );
  }, 60_000);

  it("agrees with the catalog tests' own plans, and with an organisation's own closing time", () => {
    const cases: [string, string, string | undefined, number | undefined][] = [
      ['sss-decision', '2026-03-19T15:20:00+05:00', undefined, undefined],
      ['protective-order', '2026-02-27T22:15:00+05:00', undefined, undefined],
      ['offender-check', '2026-03-14T10:00:00+05:00', undefined, undefined],
      ['submission-reply', '2026-01-31T10:00:00+05:00', undefined, undefined],
      ['kdn-placement-reply', '2026-12-10T10:00:00+05:00', undefined, undefined],
      ['unit-quarterly-report', '2026-03-31T19:00:00Z', 'region', undefined],
      ['unit-quarterly-report', '2026-12-31T19:00:00Z', 'district', undefined],
      ['special-requirements', '2026-01-31T12:00:00+05:00', undefined, 3],
      ['shelter-absence', '2026-05-08T20:00:00+05:00', undefined, undefined],
      ['sss-decision', '2024-12-31T17:00:00+05:00', undefined, undefined], // 3 January 2025, a day off by order No. 436
    ];
    for (const [id, start, variant, count] of cases) {
      const rule = findRule(id);
      for (const hours of [undefined, { opensAt: '08:00', closesAt: '17:00' }]) {
        const request: PlanRequest = { rule, start: parseInstant(start), calendar, ...(variant === undefined ? {} : { variant }), ...(count === undefined ? {} : { count }), ...(hours === undefined ? {} : { hours }) };
        const { plan, explanation } = explainedPlan(request);
        const recounted = recount(explanation.steps, request, hours?.closesAt);
        expect({ dueDate: recounted.dueDate, dueAt: recounted.dueAt }, `${id} ${start}`).toEqual({ dueDate: plan.dueDate, dueAt: plan.dueAt });
      }
    }
  });
});

describe('an explanation reads', () => {
  const explain = (id: string, start: string, variant?: string) => {
    const request: PlanRequest = { rule: findRule(id), start: parseInstant(start), calendar, ...(variant === undefined ? {} : { variant }) };
    const { plan, explanation } = explainedPlan(request);
    return { plan, steps: explainSteps(explanation.steps) };
  };

  it('naming each day off a working-day count skips, with the act that makes it one', () => {
    const { steps } = explain('sss-decision', '2026-03-19T15:20:00+05:00');
    expect(steps.map((step) => step.kind)).toEqual(['event', 'count-starts', 'skipped', 'skipped', 'skipped', 'last-day', 'ends']);
    const nauryz = steps[2];
    expect(nauryz?.text.ru).toBe('Не засчитывается: 21.03.2026 (суббота), 22.03.2026 (воскресенье), 23.03.2026 (понедельник) — праздничный день: Наурыз мейрамы.');
    expect(nauryz?.grounds.map((ground) => ground.ru)).toEqual(['Закон РК от 13.12.2001 № 267-II «О праздниках в Республике Казахстан», ст. 1']);
    expect(steps[3]?.text.kk).toContain('21.03.2026 сенбіге сәйкес келген мерекеден ауыстырылған демалыс күні: Наурыз мейрамы');
    expect(steps[3]?.grounds.map((ground) => ground.ru)).toEqual(['Трудовой кодекс РК, ст. 85 ⚠']);
    expect(steps.at(-1)?.text.en).toBe('The act is done in the organisation: the period ends when its working hours end, on 27.03.2026 at 18:30, Astana time.');
    expect(steps[0]?.grounds.map((ground) => ground.ru)[0]).toBe('Закон РК от 29.12.2008 № 114-IV «О специальных социальных услугах»');
  });

  it('a transfer by its order', () => {
    const { steps } = explain('sss-decision', '2024-12-31T17:00:00+05:00');
    const order = steps.find((step) => step.text.en.includes('03.01.2025'));
    expect(order?.text.ru).toBe('Не засчитывается: 03.01.2025 (пятница) — день отдыха по приказу о переносе дня отдыха.');
    expect(order?.grounds.map((ground) => ground.ru)).toEqual(['Приказ Министра труда и социальной защиты населения РК от 21.11.2024 № 436']);
    // Sunday 5 January 2025 was worked: it is counted, not skipped.
    expect(steps.some((step) => step.kind === 'skipped' && step.date === '2025-01-05')).toBe(false);
  });

  it('a move off a day off, and a period that does not move', () => {
    const moved = explain('submission-reply', '2026-01-31T10:00:00+05:00');
    expect(moved.steps.find((step) => step.kind === 'moved')?.text.en).toBe(
      '28.02.2026 (Saturday) is not a working day (a day of rest of the five-day week), so the period ends on the next working day: 02.03.2026 (Monday).',
    );
    expect(moved.steps.find((step) => step.kind === 'days-off-counted')?.text.ru).toContain('выходные и праздничные дни внутри срока засчитываются');
    // The second quarter's report falls on Sunday 5 July; Monday 6 July is Capital Day: each day says why.
    const quarter = explain('unit-quarterly-report', '2026-07-01T00:00:00+05:00');
    expect(quarter.steps.find((step) => step.kind === 'moved')?.text.ru).toBe(
      'Нерабочие дни: 05.07.2026 (воскресенье) — выходной день пятидневной рабочей недели; 06.07.2026 (понедельник) — праздничный день: День столицы. Поэтому днём окончания срока считается ближайший следующий рабочий день: 07.07.2026 (вторник).',
    );
    const stays = explain('offender-check', '2026-03-14T10:00:00+05:00');
    expect(stays.steps.find((step) => step.kind === 'not-moved')?.text.ru).toBe(
      '21.03.2026 (суббота) — нерабочий день (праздничный день: Наурыз мейрамы), но этот срок на рабочий день не переносится.',
    );
  });

  it('a long count compactly: the weekends in one line, the holidays each by name', () => {
    const rule = findRule('sss-decision');
    const request: PlanRequest = { rule: { ...rule, counting: { ...rule.counting, period: { unit: 'working-days', count: 60 } } }, start: parseInstant('2026-02-20T10:00:00+05:00'), calendar };
    const steps = explainSteps(explainedPlan(request).explanation.steps);
    const weekends = steps.filter((step) => step.kind === 'weekends-skipped');
    expect(weekends).toHaveLength(1);
    expect(weekends[0]?.text.ru).toMatch(/^Субботы и воскресенья не засчитываются \(пятидневная рабочая неделя\): \d+ дн(ей|я) с 21\.02\.2026 \(суббота\) по /);
    // Women's Day and Victory Day fell on a Sunday and a Saturday: named as holidays, not weekends.
    expect(steps.filter((step) => step.kind === 'skipped').map((step) => step.date)).toEqual(['2026-03-08', '2026-03-09', '2026-03-21', '2026-03-24', '2026-03-25', '2026-05-01', '2026-05-07', '2026-05-09', '2026-05-11']);
  });

  it('a day past the published calendar as projected', () => {
    const { steps } = explain('sss-decision', '2028-03-20T10:00:00+05:00');
    const projected = steps.filter((step) => step.text.en.includes('projected'));
    expect(projected.length).toBeGreaterThan(0);
    expect(projected[0]?.text.ru).toContain('прогноз: производственный календарь на этот год ещё не опубликован');
  });

  it('on the command line: the due time, then the numbered steps with their grounds', () => {
    const { plan, steps } = explain('protective-order', '2026-02-27T22:15:00+05:00');
    expect(explanationLines(findRule('protective-order').names, plan.dueAt, steps, 'ru')).toEqual([
      'Защитное предписание',
      'Срок: 29.03.2026, 22:15 (время Астаны)',
      '',
      '1. Событие, с которого исчисляется срок: защитное предписание вручено лицу, 27.02.2026, 22:15 (время Астаны).',
      '   Основание: Закон РК от 09.12.2009 № 214-IV «О профилактике бытового насилия», ст. 20; Закон РК от 30.12.2025 № 245-VIII «О профилактике правонарушений», ст. 60 (с 02.03.2026) ⚠',
      '2. Срок (30 суток) исчисляется не со дня, а с момента события: 27.02.2026, 22:15.',
      '   Основание: Закон РК от 09.12.2009 № 214-IV «О профилактике бытового насилия», ст. 20; Закон РК от 30.12.2025 № 245-VIII «О профилактике правонарушений», ст. 60 (с 02.03.2026) ⚠; ГК РК, «Исчисление сроков» ⚠',
      '3. Срок истекает ровно через 30 суток: 29.03.2026, 22:15 (время Астаны).',
      '   Основание: ГК РК, «Исчисление сроков» ⚠',
    ]);
  });
});
