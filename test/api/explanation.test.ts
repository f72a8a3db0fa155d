import { expect, test } from 'vitest';
import { ObligationViewSchema, obligationView } from '../../functions/api/views.ts';
import { kazakhstan } from '../../shared/calendar/index.ts';
import { parseInstant } from '../../shared/base/index.ts';
import type { Obligation } from '../../shared/model/index.ts';
import { explanationOf, planOf } from '../../shared/obligations/index.ts';
import { findRule } from '../../shared/rules/index.ts';

const rule = findRule('sss-decision');
const start = parseInstant('2026-03-19T15:20+05:00');

function stored(extendedTo?: string): Obligation {
  const plan = planOf(rule, { start, ...(extendedTo === undefined ? {} : { extendedTo }) }, kazakhstan());
  return { id: 'o-explain-1', rule: rule.id, ruleVersion: 1, caseRef: 'REF-1', org: 'almaty-sss', start, status: 'open', revision: 1, cycle: 1, dueAt: plan.dueAt, plan, createdAt: start, createdBy: 'u.one', updatedAt: start, version: 1, ...(extendedTo === undefined ? {} : { extendedTo }) };
}

test("one obligation's view carries how its due date was counted, in the document's shape; a list's does not", () => {
  const obligation = stored();
  const view = obligationView(obligation, start, explanationOf(rule, obligation, kazakhstan()));
  expect(ObligationViewSchema.parse(view)).toEqual(view);
  const steps = view.plan.explanation?.steps ?? [];
  expect(steps.map((step) => [step.kind, step.date])).toEqual([
    ['event', '2026-03-19'],
    ['count-starts', '2026-03-20'],
    ['skipped', '2026-03-21'],
    ['skipped', '2026-03-24'],
    ['skipped', '2026-03-25'],
    ['last-day', '2026-03-27'],
    ['ends', '2026-03-27'],
  ]);
  expect(steps.at(-1)?.text.kk).toBe('Әрекет ұйымның өзінде жасалады: мерзім оның жұмыс уақыты аяқталғанда, 27.03.2026 күні Астана уақытымен сағат 18:30-да аяқталады.');
  expect(steps[2]?.grounds).toEqual([
    {
      kk: 'ҚР 2001 жылғы 13 желтоқсандағы № 267-II «Қазақстан Республикасындағы мерекелер туралы» Заңы, 1-бап',
      ru: 'Закон РК от 13.12.2001 № 267-II «О праздниках в Республике Казахстан», ст. 1',
      en: 'Law of the RK No. 267-II of 13.12.2001 "On holidays in the Republic of Kazakhstan", art. 1',
    },
  ]);
  expect('explanation' in obligationView(obligation, start).plan).toBe(false);
});

test('an extended obligation is explained by its extension', () => {
  const obligation = stored('2026-04-10');
  const steps = obligationView(obligation, start, explanationOf(rule, obligation, kazakhstan())).plan.explanation?.steps ?? [];
  expect(steps.find((step) => step.kind === 'last-day')?.text.ru).toBe('Срок продлён до 10.04.2026 (пятница): это последний день срока.');
  expect(steps.at(-1)?.date).toBe(obligation.plan.dueDate);
});

test('no explanation of another date: a calendar changed under the stored plan gives none until it is planned again', () => {
  const obligation = stored();
  const changed = kazakhstan([{ date: '2026-03-26', kind: 'day-off', reason: 'a late decree' }]);
  expect(explanationOf(rule, obligation, changed)).toBeUndefined();
  const replanned = { ...obligation, plan: planOf(rule, obligation, changed) };
  const steps = obligationView(replanned, start, explanationOf(rule, replanned, changed)).plan.explanation?.steps ?? [];
  expect(steps.find((step) => step.date === '2026-03-26')?.text.en).toBe('Not counted: 26.03.2026 (Thursday): a day off entered by the administrator: a late decree.');
});
