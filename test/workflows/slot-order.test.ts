import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { kazakhstan } from '../../shared/calendar/index.ts';
import { type PlanRequest, type Rule, catalog, planObligation, timerSlots } from '../../shared/rules/index.ts';

/**
 * The state machine of a rule is linear: it waits for its slots one after the other. That is
 * right only if every plan puts its milestones in the slots' order, whatever the variant and the
 * start: a plan whose escalation fell before its reminder would be told in the wrong order.
 */

const calendar = kazakhstan();

/** Starts across 2026: a Monday morning, a Friday evening before a holiday, quarter and year ends. */
const STARTS = [
  '2026-03-02T04:00:00Z',
  '2026-03-06T13:00:00Z',
  '2026-03-20T12:00:00Z',
  '2026-03-31T13:00:00Z',
  '2026-05-08T06:30:00Z',
  '2026-06-30T18:59:00Z',
  '2026-08-25T03:00:00Z',
  '2026-12-15T10:00:00Z',
  '2026-12-31T13:00:00Z',
].map((instant) => Date.parse(instant));

/** The counts a case may give: none where the law fixes the period, else the bounds and a middle. */
function countsOf(rule: Rule, variant: string | undefined): (number | undefined)[] {
  const bounds = (variant === undefined ? undefined : rule.variants?.[variant]?.countSetPerCase) ?? rule.countSetPerCase;
  if (bounds === undefined) return [undefined];
  const counts = [bounds.min, Math.round((bounds.min + bounds.max) / 2), bounds.max];
  return bounds.required ? counts : [undefined, ...counts];
}

/** A set last day, for a rule whose period ends on one: a month and a half after the start. */
function dueDateOf(rule: Rule, variant: string | undefined, start: number): string | undefined {
  const counting = (variant === undefined ? undefined : rule.variants?.[variant]?.counting) ?? rule.counting;
  if (counting.period.unit !== 'set-date') return undefined;
  return new Date(start + 45 * 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
}

describe.each(catalog.map((rule) => [rule.id, rule] as const))('the plans of %s', (_, rule) => {
  const variants = rule.variants === undefined ? [undefined] : Object.keys(rule.variants);

  test.each(variants.map((variant) => [variant ?? '(no variant)', variant] as const))(
    'variant %s: from a few starts, the milestones come in the order of the slots, and every milestone that tells someone has a slot',
    (_, variant) => {
      for (const start of STARTS) {
        for (const count of countsOf(rule, variant)) {
          expectSlotOrder(rule, variant, start, count);
        }
      }
    },
  );

  test.each(variants.map((variant) => [variant ?? '(no variant)', variant] as const))('variant %s: the same for any start in 2026', (_, variant) => {
    const counts = countsOf(rule, variant);
    fc.assert(
      // From the day the rule is in force, when that falls in 2026 (an official warning from 2 March).
      fc.property(fc.integer({ min: Math.max(YEAR_2026[0], Date.parse(`${rule.validFrom}T00:00:00+05:00`)), max: YEAR_2026[1] }), fc.constantFrom(...counts), (start, count) => {
        expectSlotOrder(rule, variant, start, count);
      }),
      { numRuns: 200 },
    );
  });
});

/** 2026 in Kazakhstan (UTC+05:00): a later start would run a yearly period past the calendar's data (2027). */
const YEAR_2026 = [Date.parse('2026-01-01T00:00:00+05:00'), Date.parse('2026-12-31T23:59:59+05:00')] as const;

function expectSlotOrder(rule: Rule, variant: string | undefined, start: number, count: number | undefined): void {
  const slots = timerSlots(rule).map((slot) => slot.milestone);
  const dueDate = dueDateOf(rule, variant, start);
  const request: PlanRequest = {
    rule,
    start,
    calendar,
    ...(variant === undefined ? {} : { variant }),
    ...(count === undefined ? {} : { count }),
    ...(dueDate === undefined ? {} : { dueDate: dueDate as NonNullable<PlanRequest['dueDate']> }),
  };
  const milestones = planObligation(request).milestones;
  const where = `${rule.id} ${variant ?? ''} from ${new Date(start).toISOString()}${count === undefined ? '' : `, count ${count}`}`;
  // Only a due instant that tells nobody and merely marks the obligation overdue has no slot:
  // overdue is read from the due instant.
  const unslotted = milestones.filter((milestone) => !slots.includes(milestone.id));
  expect(unslotted.every((milestone) => milestone.kind === 'due' && milestone.notify.length === 0), where).toBe(true);
  const ids = milestones.map((milestone) => milestone.id).filter((id) => slots.includes(id));
  expect(ids, where).toEqual(slots.filter((id) => ids.includes(id)));
}
