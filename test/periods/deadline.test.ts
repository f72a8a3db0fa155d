import { describe, expect, it } from 'vitest';
import { kazakhstan } from '../../shared/calendar/index.ts';
import { formatInstant, parseInstant } from '../../shared/base/index.ts';
import { type Counting, type EndOfDay, type Period, STATE_BODY_HOURS, deadline } from '../../shared/periods/index.ts';

const calendar = kazakhstan();

function due(start: string, period: Period, options: { moves?: boolean; endOfDay?: EndOfDay; closesAt?: string; setDate?: string } = {}) {
  const counting: Counting = { period, movesOffNonWorkingDays: options.moves ?? true, endOfDay: options.endOfDay ?? 'midnight' };
  const result = deadline({
    start: parseInstant(start),
    counting,
    calendar,
    hours: { ...STATE_BODY_HOURS, closesAt: options.closesAt ?? STATE_BODY_HOURS.closesAt },
    ...(options.setDate === undefined ? {} : { setDate: options.setDate }),
  });
  return { dueDate: result.dueDate, dueAt: formatInstant(result.dueAt), movedFrom: result.movedFrom };
}

describe('working days: counted from the first working day after the start date (LEGAL §1.3)', () => {
  it.each([
    // start, count, due date: why
    ['2026-03-19T15:20', 3, '2026-03-27'], // Thursday; Nauryz 23–25 March are days off
    ['2026-03-20T09:00', 1, '2026-03-26'],
    ['2026-03-21T12:00', 3, '2026-03-30'], // a Saturday start counts from Thursday 26th
    ['2026-05-06T17:00', 3, '2026-05-13'], // 7 May and 11 May (for 9 May) are days off
    ['2024-12-30T10:00', 3, '2025-01-06'], // 31 Dec, then Sunday 5 January 2025 (worked by order), then 6th
    ['2026-12-15T10:00', 2, '2026-12-18'], // Independence Day 16 December
  ])('received %s + %i working days → %s', (start, count, dueDate) => {
    expect(due(start, { unit: 'working-days', count }, { endOfDay: 'close-of-business' })).toEqual({
      dueDate,
      dueAt: `${dueDate}T18:30:00+05:00`,
      movedFrom: undefined,
    });
  });
});

describe('calendar days, weeks and months, moved off a non-working last day (LEGAL §1.2, 1.4, 1.5)', () => {
  it.each<[string, Period, string, string | undefined]>([
    ['2026-03-16T10:00', { unit: 'days', count: 7 }, '2026-03-26', '2026-03-23'], // Nauryz, then 24–25 transferred
    ['2026-03-02T10:00', { unit: 'days', count: 5 }, '2026-03-10', '2026-03-07'], // Saturday; Monday 9th is off for Sunday 8 March
    ['2026-03-18T10:00', { unit: 'weeks', count: 2 }, '2026-04-01', undefined],
    ['2026-05-13T10:00', { unit: 'weeks', count: 2 }, '2026-05-28', '2026-05-27'], // Kurban Ait
    ['2026-01-31T10:00', { unit: 'months', count: 1 }, '2026-03-02', '2026-02-28'], // no 31 Feb: last day, a Saturday
    ['2027-01-31T10:00', { unit: 'months', count: 1 }, '2027-03-01', '2027-02-28'], // last day of February, a Sunday
    ['2024-03-31T10:00', { unit: 'months', count: 11 }, '2025-02-28', undefined],
    ['2026-03-31T10:00', { unit: 'months', count: 1 }, '2026-04-30', undefined],
    ['2026-08-30T10:00', { unit: 'months', count: 1 }, '2026-09-30', undefined],
    ['2025-07-30T10:00', { unit: 'months', count: 1 }, '2025-09-02', '2025-08-30'], // Constitution Day on Saturday, its day off Monday 1 Sep
    ['2026-07-30T10:00', { unit: 'months', count: 1 }, '2026-08-31', '2026-08-30'], // 31 Aug 2026 is a working day
    ['2026-03-31T10:00', { unit: 'days', count: 5 }, '2026-04-06', '2026-04-05'],
  ])('%s + %o → %s', (start, period, dueDate, movedFrom) => {
    const result = due(start, period);
    expect(result.dueDate).toBe(dueDate);
    expect(result.movedFrom).toBe(movedFrom);
  });

  it('keeps a last day that is not moved, for periods that run every day', () => {
    expect(due('2026-03-16T10:00', { unit: 'days', count: 7 }, { moves: false })).toEqual({
      dueDate: '2026-03-23',
      dueAt: '2026-03-24T00:00:00+05:00',
      movedFrom: undefined,
    });
  });
});

describe('24-hour periods run from the moment and are never moved (LEGAL §1.7)', () => {
  it.each([
    ['2026-02-27T22:15:00+05:00', 30, '2026-03-29T22:15:00+05:00'],
    ['2026-03-20T08:00:00+05:00', 3, '2026-03-23T08:00:00+05:00'], // ends on Nauryz, stays there
    ['2026-12-31T19:30:00Z', 30, '2027-01-31T00:30:00+05:00'], // given in UTC, shown in +05:00
  ])('%s + %i × 24 h → %s', (start, count, dueAt) => {
    expect(due(start, { unit: 'hours24', count }).dueAt).toBe(dueAt);
  });
});

describe('the end of the last day (LEGAL §1.6)', () => {
  it('is 24:00 for an act anyone may do', () => {
    expect(due('2026-03-18T10:00', { unit: 'weeks', count: 2 }).dueAt).toBe('2026-04-02T00:00:00+05:00');
  });
  it("is the end of the organisation's working hours for an act done in it", () => {
    const period: Period = { unit: 'working-days', count: 3 };
    expect(due('2026-03-19T15:20', period, { endOfDay: 'close-of-business' }).dueAt).toBe('2026-03-27T18:30:00+05:00');
    expect(due('2026-03-19T15:20', period, { endOfDay: 'close-of-business', closesAt: '17:00' }).dueAt).toBe(
      '2026-03-27T17:00:00+05:00',
    );
  });
  it('reads the start in Kazakhstan time: 23:30 UTC is already the next day', () => {
    expect(due('2026-03-18T20:30:00Z', { unit: 'working-days', count: 1 }).dueDate).toBe('2026-03-20');
  });
});

describe('reporting periods and set dates', () => {
  it('ends a month, quarter or year period on its last day, moved off a non-working day', () => {
    expect(due('2026-02-01T00:00', { unit: 'period-end', of: 'month' }).dueDate).toBe('2026-03-02');
    expect(due('2026-04-01T00:00', { unit: 'period-end', of: 'quarter' }).dueDate).toBe('2026-06-30');
    expect(due('2026-01-01T00:00', { unit: 'period-end', of: 'year' })).toMatchObject({ dueDate: '2026-12-31' });
  });
  it('takes the date a document sets, and refuses one before the start or none at all', () => {
    expect(due('2026-01-10T00:00', { unit: 'set-date' }, { setDate: '2026-08-25' }).dueDate).toBe('2026-08-25');
    expect(() => due('2026-09-10T00:00', { unit: 'set-date' }, { setDate: '2026-08-25' })).toThrow(/before the start/);
    expect(() => due('2026-09-10T00:00', { unit: 'set-date' })).toThrow(/give the due date/);
  });
  it('refuses a start before Kazakhstan moved to one time zone', () => {
    expect(() => due('2024-02-20T10:00', { unit: 'days', count: 7 })).toThrow(/2024-03-01/);
  });
});
