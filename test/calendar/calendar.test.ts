import { describe, expect, it } from 'vitest';
import { CalendarRangeError, kazakhstan } from '../../shared/calendar/index.ts';

const calendar = kazakhstan();

// ../shared/domain/LEGAL.md §2, "Weekdays that are not working days". 2024 is derived by the
// same rules: the transfer of 6 July (Saturday) and the order moving 4 May to 8 May.
const nonWorkingWeekdays: Record<number, string> = {
  2024: '01-01 01-02 03-08 03-21 03-22 03-25 05-01 05-07 05-08 05-09 07-08 08-30 10-25 12-16',
  2025: '01-01 01-02 01-03 01-07 03-10 03-21 03-24 03-25 05-01 05-07 05-09 06-06 07-07 09-01 10-27 12-16',
  2026: '01-01 01-02 01-07 03-09 03-23 03-24 03-25 05-01 05-07 05-11 05-27 07-06 10-26 12-16',
  2027: '01-01 01-04 01-07 03-08 03-15 03-22 03-23 03-24 05-03 05-07 05-10 07-06 10-25 12-16',
};
const workingWeekendDays: Record<number, string[]> = { 2024: ['2024-05-04'], 2025: ['2025-01-05'], 2026: [], 2027: [] };

// Working days in each month of a five-day week, counted from the lists above.
const workingDaysPerMonth: Record<number, number[]> = {
  2024: [21, 21, 17, 22, 20, 20, 22, 21, 21, 22, 21, 21],
  2025: [20, 20, 17, 22, 19, 20, 22, 21, 21, 22, 20, 22],
  2026: [19, 20, 18, 22, 17, 22, 22, 21, 22, 21, 21, 22],
  2027: [18, 20, 18, 22, 18, 22, 21, 22, 22, 20, 22, 22],
};

describe.each([2024, 2025, 2026, 2027])('Kazakhstan calendar %i', (year) => {
  it('lists the weekdays that are not working days', () => {
    const expected = (nonWorkingWeekdays[year] ?? '').split(' ').map((day) => `${year}-${day}`);
    expect(calendar.nonWorkingWeekdays(year)).toEqual(expected);
  });

  it('lists the weekend days that are worked', () => {
    expect(calendar.workingWeekendDays(year)).toEqual(workingWeekendDays[year]);
  });

  it('has the working days of each month', () => {
    const counts = Array.from({ length: 12 }, (_, index) => {
      const month = String(index + 1).padStart(2, '0');
      const last = new Date(Date.UTC(year, index + 1, 0)).getUTCDate();
      return calendar.countWorkingDays(`${year}-${month}-01`, `${year}-${month}-${last}`);
    });
    expect(counts).toEqual(workingDaysPerMonth[year]);
  });
});

describe('why a day is what it is', () => {
  it('moves Nauryz on a weekend to the first free weekdays after it', () => {
    expect(calendar.day('2026-03-24').reason).toMatchObject({ kind: 'transferred', from: '2026-03-21' });
    expect(calendar.day('2026-03-25').reason).toMatchObject({ kind: 'transferred', from: '2026-03-22' });
    expect(calendar.day('2026-03-23').reason).toMatchObject({ kind: 'holiday' });
  });

  it('never transfers a religious day off on a weekend', () => {
    expect(calendar.day('2024-06-16').reason.kind).toBe('religious');
    expect(calendar.isWorkingDay('2024-06-17')).toBe(true);
    expect(calendar.day('2024-01-07').working).toBe(false);
    expect(calendar.isWorkingDay('2024-01-08')).toBe(true);
  });

  it('works Sunday 5 January 2025 by the Minister of Labour order No. 436', () => {
    const day = calendar.day('2025-01-05');
    expect(day.working).toBe(true);
    expect(day.reason).toMatchObject({ kind: 'decree-working-day', source: { act: expect.stringContaining('No. 436') } });
    expect(calendar.day('2025-01-03').reason.kind).toBe('decree-day-off');
  });

  it('keeps Constitution Day on 30 August up to 2025 and not in 2026', () => {
    expect(calendar.isWorkingDay('2024-08-30')).toBe(false);
    expect(calendar.day('2025-09-01').reason).toMatchObject({ kind: 'transferred', from: '2025-08-30' });
    expect(calendar.isWorkingDay('2026-08-31')).toBe(true);
  });
});

describe('counting working days', () => {
  it('skips weekends and holidays forward and back', () => {
    expect(calendar.nextWorkingDay('2026-03-20')).toBe('2026-03-26');
    expect(calendar.addWorkingDays('2026-03-19', 3)).toBe('2026-03-27');
    expect(calendar.addWorkingDays('2026-03-27', -3)).toBe('2026-03-19');
    expect(calendar.addWorkingDays('2024-12-31', 1)).toBe('2025-01-05');
    expect(calendar.addWorkingDays('2024-12-31', 2)).toBe('2025-01-06');
    expect(calendar.addWorkingDays('2026-05-08', 0)).toBe('2026-05-08');
  });

  it('refuses a date before the data or past the horizon instead of guessing', () => {
    expect(() => calendar.isWorkingDay('2038-01-04')).toThrow(CalendarRangeError);
    expect(() => calendar.isWorkingDay('2038-01-04')).toThrow(
      "2038-01-04 is past the calendar's horizon, 2037-12-31: Kazakhstan's calendar is published to 2027-12-31 and projected from the law 10 years further; no deadline is counted beyond",
    );
    expect(() => calendar.isWorkingDay('2023-12-29')).toThrow(/^2023-12-29 is before Kazakhstan's calendar data, which begins on 2024-01-01$/);
    expect(() => calendar.addWorkingDays('2037-12-30', 3)).toThrow(/^the count runs past the calendar's horizon, 2037-12-31/);
    expect(() => calendar.addWorkingDays('2024-01-03', -3)).toThrow(/runs back past 2024-01-01/);
    expect(() => calendar.nonWorkingWeekdays(2038)).toThrow(/^no calendar for 2038: Kazakhstan's calendar is published for 2024–2027 and projected from the law to 2037$/);
    // Into the projected 2028: 31 December, then past New Year (1–2 January, a weekend) and its transfers (3–4 January).
    expect(calendar.addWorkingDays('2027-12-30', 3)).toBe('2028-01-06');
  });
});

describe('administrator overrides', () => {
  it('add and cancel a day off on top of the shipped data', () => {
    const corrected = calendar.withOverrides([
      { date: '2027-05-17', kind: 'day-off', reason: 'Kurban Ait 2027 announced for Monday 17 May' },
      { date: '2026-05-27', kind: 'working-day', reason: 'test: cancel a day off' },
    ]);
    expect(corrected.isWorkingDay('2027-05-17')).toBe(false);
    expect(corrected.nonWorkingWeekdays(2027)).toContain('2027-05-17');
    expect(corrected.isWorkingDay('2026-05-27')).toBe(true);
    expect(corrected.day('2026-05-27').reason).toMatchObject({ kind: 'override' });
    expect(corrected.version).not.toBe(calendar.version);
    expect(calendar.isWorkingDay('2027-05-17')).toBe(true);
  });

  it('can make a weekend day a working day', () => {
    const corrected = calendar.withOverrides([{ date: '2026-12-19', kind: 'working-day', reason: 'a late decree' }]);
    expect(corrected.workingWeekendDays(2026)).toEqual(['2026-12-19']);
  });

  it('refuses an override before the data or past the horizon, and takes one on a projected day', () => {
    expect(() => calendar.withOverrides([{ date: '2038-01-04', kind: 'day-off', reason: 'too far' }])).toThrow(CalendarRangeError);
    expect(() => calendar.withOverrides([{ date: '2023-12-29', kind: 'day-off', reason: 'too early' }])).toThrow(CalendarRangeError);
    const corrected = calendar.withOverrides([{ date: '2029-01-03', kind: 'day-off', reason: 'a decree for 2029' }]);
    expect(corrected.day('2029-01-03')).toEqual({ date: '2029-01-03', working: false, reason: { kind: 'override', override: expect.objectContaining({ reason: 'a decree for 2029' }) } });
  });
});
