import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CalendarRangeError, kazakhstan } from '../../shared/calendar/index.ts';
import { formatInstant, localDateOf, parseInstant } from '../../shared/base/index.ts';
import { planView } from '../../shared/i18n/index.ts';
import { type PlanRequest, catalog, findRule, planObligation } from '../../shared/rules/index.ts';
import { startArb, validRequest, variantOf } from './requests.ts';

/**
 * A deadline past the published calendar is computed on the projected one and says so: which
 * projected days it rests on (those a working-day count crossed, the last day, the days it moved
 * over). Past the horizon it is refused, naming the field that took it there.
 */
const calendar = kazakhstan();
const plan = (rule: string, start: string, more: Partial<PlanRequest> = {}) => planObligation({ rule: findRule(rule), start: parseInstant(start), calendar, ...more });
const days = (p: ReturnType<typeof plan>) => p.projectedDays?.map(({ date, working, basis }) => [date, working, basis]);

describe('a plan on the projected calendar', () => {
  it('a 12-month special requirement from June 2027 ends on 1 June 2028, provisional: its last day is projected', () => {
    const court = plan('special-requirements', '2027-06-01T10:00:00+05:00', { count: 12 });
    expect(court).toMatchObject({ dueDate: '2028-06-01', provisional: true });
    expect(formatInstant(court.dueAt)).toBe('2028-06-02T00:00:00+05:00');
    expect(days(court)).toEqual([['2028-06-01', true, 'law']]);
    expect(court.projectedDays?.[0]?.why).toMatch(/no calendar for 2028 is published yet/);
  });

  it('three working days from 29 December 2027 cross New Year 2028 and its transfers: due 5 January, resting on each day crossed', () => {
    const decision = plan('sss-decision', '2027-12-29T10:00:00+05:00');
    expect(decision).toMatchObject({ dueDate: '2028-01-05', provisional: true });
    expect(days(decision)).toEqual([
      ['2028-01-01', false, 'law'],
      ['2028-01-02', false, 'law'],
      ['2028-01-03', false, 'law'],
      ['2028-01-04', false, 'law'],
      ['2028-01-05', true, 'law'],
    ]);
    expect(decision.projectedDays?.[2]?.why).toMatch(/^the day off for New Year on Saturday 2028-01-01, by the transfer rule/);
  });

  it('two weeks ending on Sunday 2 January 2028 move to 5 January: it rests on the days moved over', () => {
    const reply = plan('kdn-placement-reply', '2027-12-19T10:00:00+05:00');
    expect(reply).toMatchObject({ dueDate: '2028-01-05', movedFrom: '2028-01-02', provisional: true });
    expect(days(reply)?.map(([date]) => date)).toEqual(['2028-01-02', '2028-01-03', '2028-01-04', '2028-01-05']);
  });

  it('a last day on the computed Kurban Ait is marked ⚠ computed', () => {
    // 3 working days from Monday 1 May 2028 (Unity Day): 2, 3, then 4 May is Kurban Ait by the tabular calendar, 5 May.
    const decision = plan('sss-decision', '2028-05-01T10:00:00+05:00');
    expect(decision.dueDate).toBe('2028-05-05');
    expect(decision.projectedDays?.find((day) => day.date === '2028-05-04')).toMatchObject({ working: false, basis: 'computed', why: expect.stringMatching(/^Kurban Ait ⚠ provisional/) });
  });

  it('a deadline inside the published data is not provisional, even when its escalations fall in 2028', () => {
    const decision = plan('sss-decision', '2027-12-27T10:00:00+05:00');
    expect(decision.dueDate).toBe('2027-12-30');
    expect(decision.provisional).toBeUndefined();
    expect(decision.projectedDays).toBeUndefined();
    expect(formatInstant(decision.milestones.at(-1)?.at ?? 0)).toBe('2028-01-10T09:00:00+05:00');
    expect('provisional' in planView(decision)).toBe(false);
  });

  it('the plan view shows it next to the due date', () => {
    const view = planView(plan('sss-decision', '2027-12-29T10:00:00+05:00'));
    expect(Object.keys(view).slice(Object.keys(view).indexOf('dueAt'), Object.keys(view).indexOf('dueAt') + 3)).toEqual(['dueAt', 'provisional', 'projectedDays']);
    expect(view.projectedDays?.map((day) => day.date)).toEqual(['2028-01-01', '2028-01-02', '2028-01-03', '2028-01-04', '2028-01-05']);
  });

  it('an override for the projected day the plan rests on makes it a fact: the plan moves and that day is no longer listed', () => {
    const corrected = calendar.withOverrides([{ date: '2028-01-05', kind: 'day-off', reason: 'a decree for 2028' }]);
    const decision = planObligation({ rule: findRule('sss-decision'), start: parseInstant('2027-12-29T10:00:00+05:00'), calendar: corrected });
    expect(decision.dueDate).toBe('2028-01-06');
    expect(days(decision)?.map(([date]) => date)).toEqual(['2028-01-01', '2028-01-02', '2028-01-03', '2028-01-04', '2028-01-06']);
  });
});

describe('for any rule and start up to 2036', () => {
  const requestArb = fc
    .record({ rule: fc.constantFrom(...catalog), start: startArb, pick: fc.nat(), count: fc.integer({ min: 1, max: 31 }) })
    .map(({ rule, start, pick, count }) => validRequest(rule, variantOf(rule, pick), start, count, calendar, 7));

  it('a plan is provisional exactly when its last day lies past the published data, and lists projected days between the start and the due date', () => {
    fc.assert(
      fc.property(requestArb, (request) => {
        const result = planObligation(request);
        expect(result.provisional === true).toBe(result.dueDate > calendar.publishedTo);
        if (result.provisional !== true) return;
        const dates = result.projectedDays?.map((day) => day.date) ?? [];
        expect(dates.at(-1)).toBe(result.dueDate);
        expect([...dates].sort()).toEqual(dates);
        for (const day of result.projectedDays ?? []) {
          // A period ending on the day it starts (a monthly item loaded on the month's last day, a
          // Saturday) rests on that day too: it moved over it.
          expect(day.date >= localDateOf(request.start) && day.date > calendar.publishedTo).toBe(true);
          expect(calendar.day(day.date)).toMatchObject({ working: day.working, projected: { why: day.why, basis: day.basis } });
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('past the horizon (2037-12-31)', () => {
  const refusal = (make: () => unknown): CalendarRangeError => {
    try {
      make();
    } catch (error) {
      if (error instanceof CalendarRangeError) return error;
      throw error;
    }
    throw new Error('expected a refusal');
  };

  it('a start past it is refused, naming the start', () => {
    const error = refusal(() => plan('sss-decision', '2038-01-04T10:00:00+05:00'));
    expect(error.field).toBe('start');
    expect(error.message).toBe(
      "2038-01-04 is past the calendar's horizon, 2037-12-31: Kazakhstan's calendar is published to 2027-12-31 and projected from the law 10 years further; no deadline is counted beyond",
    );
  });

  it("the court's count that carries the term past it is refused, naming the count; a shorter one is taken", () => {
    expect(refusal(() => plan('special-requirements', '2037-06-01T10:00:00+05:00', { count: 12 })).field).toBe('count');
    expect(plan('special-requirements', '2037-06-01T10:00:00+05:00', { count: 6 })).toMatchObject({ dueDate: '2037-12-01', provisional: true });
  });

  it('a fixed period counted past it is refused, naming the start', () => {
    const error = refusal(() => plan('submission-reply', '2037-12-15T10:00:00+05:00'));
    expect(error.field).toBe('start');
    expect(error.message).toMatch(/^2038-01-15 is past the calendar's horizon/);
  });

  it('a due date the document sets past it, or an extension to past it, is refused naming the due date', () => {
    const item = () => plan('action-plan-item', '2037-12-01T00:00:00+05:00', { variant: 'by-date', dueDate: '2038-03-01' });
    expect(refusal(item).field).toBe('dueDate');
    expect(refusal(() => plan('sss-decision', '2037-12-01T10:00:00+05:00', { extendedTo: '2038-02-01' })).field).toBe('dueDate');
  });

  it('a start before the data is refused, naming the start', () => {
    expect(refusal(() => plan('sss-decision', '2023-12-20T10:00:00+05:00')).field).toBe('start');
  });
});
