import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { kazakhstan } from '../../shared/calendar/index.ts';
import { addDays, dayNumber, fromDayNumber, localDateOf } from '../../shared/base/index.ts';
import { type Rule, catalog, effectiveBody, planObligation } from '../../shared/rules/index.ts';
import { startArb, validRequest, variantOf } from './requests.ts';

const calendar = kazakhstan();

const dateArb = fc.integer({ min: dayNumber('2024-02-01'), max: dayNumber('2037-10-31') }).map(fromDayNumber);

const planArb: fc.Arbitrary<PlanInput> = fc.record({
  rule: fc.constantFrom(...catalog),
  start: startArb,
  variantPick: fc.nat(),
  count: fc.integer({ min: 1, max: 31 }),
});

interface PlanInput {
  readonly rule: Rule;
  readonly start: number;
  readonly variantPick: number;
  readonly count: number;
}

/** A valid request for any rule: a start on or after the day the rule is in force, a variant, the court's count and a set date where needed. */
function request({ rule, start, variantPick, count }: PlanInput) {
  return validRequest(rule, variantOf(rule, variantPick), start, count, calendar, 7);
}

describe('plans, for any start', () => {
  it("have their milestones in time order, after the start, and the due milestone at the due instant", () => {
    fc.assert(
      fc.property(planArb, (input) => {
        const plan = planObligation(request(input));
        const times = plan.milestones.map((m) => m.at);
        expect([...times].sort((a, b) => a - b)).toEqual(times);
        expect(times.every((at) => at > plan.start)).toBe(true);
        expect(plan.milestones.filter((m) => m.kind === 'due' || m.kind === 'expiry').map((m) => m.at)).toEqual([plan.dueAt]);
        expect(plan.dueAt).toBeGreaterThan(plan.start);
      }),
      { numRuns: 2000 },
    );
  });

  it('end on a working day whenever the rule moves a last day off non-working days', () => {
    fc.assert(
      fc.property(planArb, (input) => {
        const req = request(input);
        const plan = planObligation(req);
        if (effectiveBody(req.rule, req.variant).counting.movesOffNonWorkingDays) {
          expect(calendar.isWorkingDay(plan.dueDate)).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('give sss-decision exactly three working days after the day of receipt', () => {
    const rule = catalog.find((r) => r.id === 'sss-decision');
    if (rule === undefined) throw new Error('sss-decision missing');
    fc.assert(
      fc.property(startArb, (start) => {
        const plan = planObligation({ rule, start, calendar });
        expect(calendar.isWorkingDay(plan.dueDate)).toBe(true);
        expect(calendar.countWorkingDays(addDays(localDateOf(start), 1), plan.dueDate)).toBe(3);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('working days, for any date', () => {
  it('counted n forward then n back return to the start when it is a working day', () => {
    fc.assert(
      fc.property(dateArb, fc.integer({ min: 0, max: 40 }), (date, n) => {
        const start = calendar.workingDayOnOrAfter(date);
        expect(calendar.addWorkingDays(calendar.addWorkingDays(start, n), -n)).toBe(start);
      }),
      { numRuns: 2000 },
    );
  });

  it('forward by n crosses exactly n working days', () => {
    fc.assert(
      fc.property(dateArb, fc.integer({ min: 1, max: 40 }), (date, n) => {
        const end = calendar.addWorkingDays(date, n);
        expect(calendar.isWorkingDay(end)).toBe(true);
        expect(calendar.countWorkingDays(addDays(date, 1), end)).toBe(n);
      }),
      { numRuns: 2000 },
    );
  });
});
