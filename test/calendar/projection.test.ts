import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CalendarData, type Day, WorkingDayCalendar, islamicDatesIn, kazakhstan, kazakhstanCalendar } from '../../shared/calendar/index.ts';
import { addDays, datesBetween, dayNumber, fromDayNumber, isoWeekday, isValidOn, makeDate } from '../../shared/base/index.ts';

const calendar = kazakhstan();
const PUBLISHED_TO = '2027-12-31';
const HORIZON = '2037-12-31';
const projectedYear = fc.integer({ min: 2028, max: 2037 });
const projectedDate = fc.integer({ min: dayNumber('2028-01-01'), max: dayNumber(HORIZON) }).map(fromDayNumber);

/** The statutory holidays of a year by the law's list (kazakhstan.ts), those valid that year. */
const holidaysOf = (year: number) =>
  kazakhstanCalendar.holidays.map((holiday) => ({ holiday, date: `${year}-${holiday.day}` })).filter(({ holiday, date }) => isValidOn(holiday, date));
const weekend = (date: string): boolean => isoWeekday(date) >= 6;
const yearDays = (year: number): Day[] => [...datesBetween(makeDate(year, 1, 1), makeDate(year, 12, 31))].map((date) => calendar.day(date));

describe('the horizon', () => {
  it('is ten years past the last published year, and the days after the published data are projected', () => {
    expect({ from: calendar.from, publishedTo: calendar.publishedTo, to: calendar.to }).toEqual({ from: '2024-01-01', publishedTo: PUBLISHED_TO, to: HORIZON });
    expect(calendar.isProjected(PUBLISHED_TO)).toBe(false);
    expect(calendar.isProjected('2028-01-01')).toBe(true);
    expect(calendar.isProjected(HORIZON)).toBe(true);
  });

  it('every projected day carries a mark with why, every published day none', () => {
    fc.assert(
      fc.property(projectedDate, (date) => {
        const { projected } = calendar.day(date);
        expect(projected?.why).toEqual(expect.stringMatching(/\w/));
        expect(['law', 'computed', 'inferred']).toContain(projected?.basis);
      }),
    );
    for (const date of datesBetween('2024-01-01', PUBLISHED_TO)) expect(calendar.day(date).projected).toBeUndefined();
  });

  it('leaves the published years exactly as they are without a projection', () => {
    const unprojected = new WorkingDayCalendar({ ...kazakhstanCalendar, projection: { ...kazakhstanCalendar.projection, years: 0 } });
    expect(unprojected.to).toBe(PUBLISHED_TO);
    for (const date of datesBetween('2024-01-01', PUBLISHED_TO)) expect(calendar.day(date)).toEqual(unprojected.day(date));
  });
});

describe('every projected year, by the law', () => {
  it('has each statutory holiday as a day off, whatever its weekday', () => {
    fc.assert(
      fc.property(projectedYear, (year) => {
        const holidays = holidaysOf(year);
        // New Year ×2, 8 March, Nauryz ×3, 1, 7 and 9 May, 6 July, 15 March ⚠, 25 October, 16 December
        expect(holidays).toHaveLength(13);
        for (const { date } of holidays) expect(calendar.isWorkingDay(date), date).toBe(false);
        expect(calendar.isWorkingDay(`${year}-08-30`) || weekend(`${year}-08-30`)).toBe(true);
      }),
    );
  });

  it('rests on weekends: no Saturday or Sunday is worked without a decree', () => {
    fc.assert(
      fc.property(projectedDate, (date) => {
        if (weekend(date)) expect(calendar.isWorkingDay(date)).toBe(false);
      }),
    );
    fc.assert(
      fc.property(projectedYear, (year) => {
        expect(calendar.workingWeekendDays(year)).toEqual([]);
      }),
    );
  });

  it('moves each holiday on a Saturday or Sunday to the next working day, in date order', () => {
    fc.assert(
      fc.property(projectedYear, (year) => {
        const transferred = yearDays(year).filter((day) => day.reason.kind === 'transferred');
        const onWeekends = holidaysOf(year).filter(({ date }) => weekend(date)).sort((a, b) => a.date.localeCompare(b.date));
        // One day off per holiday on a weekend, none for anything else.
        expect(transferred.map((day) => (day.reason.kind === 'transferred' ? day.reason.from : ''))).toEqual(onWeekends.map(({ date }) => date));
        for (const day of transferred) {
          if (day.reason.kind !== 'transferred') continue;
          expect(day.working).toBe(false);
          expect(weekend(day.date)).toBe(false);
          // The next working day: every weekday between the holiday and it is already a day off.
          for (const between of datesBetween(addDays(day.reason.from, 1), addDays(day.date, -1))) {
            if (!weekend(between)) expect(calendar.day(between).working, `${between} before ${day.date}`).toBe(false);
          }
          expect(day.projected?.why).toContain(`on ${isoWeekday(day.reason.from) === 6 ? 'Saturday' : 'Sunday'} ${day.reason.from}`);
        }
      }),
    );
  });

  it('never transfers a religious day off: Orthodox Christmas on 7 January, on any weekday', () => {
    fc.assert(
      fc.property(projectedYear, (year) => {
        const christmas = calendar.day(`${year}-01-07`);
        expect(christmas).toMatchObject({ working: false, reason: { kind: 'religious', names: { en: 'Orthodox Christmas' } }, projected: { basis: 'law' } });
        const fromChristmas = yearDays(year).filter((day) => day.reason.kind === 'transferred' && day.reason.from === `${year}-01-07`);
        expect(fromChristmas).toEqual([]);
      }),
    );
    // 2034: 7 January is a Saturday and Monday 9 January is worked.
    expect(isoWeekday('2034-01-07')).toBe(6);
    expect(calendar.isWorkingDay('2034-01-09')).toBe(true);
  });

  it('works every other weekday', () => {
    fc.assert(
      fc.property(projectedDate, (date) => {
        const { working, reason } = calendar.day(date);
        if (!weekend(date) && !['holiday', 'religious', 'transferred'].includes(reason.kind)) expect(working).toBe(true);
      }),
    );
  });
});

describe('Kurban Ait, past the published data', () => {
  it('is 10 Dhu al-Hijjah by the tabular Islamic calendar, a day off marked ⚠ provisional and never transferred', () => {
    fc.assert(
      fc.property(projectedYear, (year) => {
        const [computed, ...more] = islamicDatesIn(year, 12, 10, 'astronomical');
        expect(more).toEqual([]);
        const day = calendar.day(computed?.date ?? '');
        expect(day.working).toBe(false);
        if (day.reason.kind === 'holiday') return; // 2032: it falls on Nauryz, off by law anyway
        expect(day).toMatchObject({ reason: { kind: 'religious', names: { en: 'Kurban Ait' }, source: { confidence: 'inferred' } }, projected: { basis: 'computed' } });
        expect(day.projected?.why).toMatch(/^Kurban Ait ⚠ provisional: 10 Dhu al-Hijjah \d{4} AH by the tabular Islamic calendar/);
        if (weekend(day.date)) expect(calendar.day(addDays(day.date, isoWeekday(day.date) === 6 ? 2 : 1)).reason.kind).not.toBe('transferred');
      }),
    );
    expect(calendar.day('2028-05-04')).toMatchObject({ working: false, projected: { basis: 'computed', why: expect.stringContaining('1449 AH') } });
  });

  it('the tabular calendar chosen lands on the published dates of 2024 and 2025 and a day before 2026’s (LEGAL.md §2)', () => {
    const published = { 2024: '2024-06-16', 2025: '2025-06-06', 2026: '2026-05-27' };
    const computed = Object.keys(published).map((year) => islamicDatesIn(Number(year), 12, 10, 'astronomical')[0]?.date);
    expect(computed).toEqual(['2024-06-16', '2025-06-06', '2026-05-26']);
    // The civil epoch is a day late twice: why the data chooses the astronomical one.
    expect(Object.keys(published).map((year) => islamicDatesIn(Number(year), 12, 10, 'civil')[0]?.date)).toEqual(['2024-06-17', '2025-06-07', '2026-05-27']);
    // Two in one Gregorian year when the Islamic year fits inside it.
    expect(islamicDatesIn(2039, 12, 10, 'astronomical').map((found) => found.date)).toEqual(['2039-01-05', '2039-12-25']);
  });
});

describe('2028, projected', () => {
  it('has these weekdays off, as LEGAL.md §2 derives a year from the rules', () => {
    expect(calendar.nonWorkingWeekdays(2028)).toEqual(
      '01-03 01-04 01-07 03-08 03-15 03-21 03-22 03-23 05-01 05-04 05-08 05-09 07-06 10-25 12-18'.split(' ').map((day) => `2028-${day}`),
    );
    expect(calendar.day('2028-01-03')).toMatchObject({ reason: { kind: 'transferred', from: '2028-01-01' }, projected: { basis: 'law' } });
    expect(calendar.day('2028-03-15').projected).toMatchObject({ basis: 'inferred', why: expect.stringContaining('⚠ inferred') });
    expect(calendar.day('2028-12-18').reason).toMatchObject({ kind: 'transferred', from: '2028-12-16' });
  });
});

describe('when the decree comes', () => {
  it('an override on a projected day is a fact: it carries no projection mark', () => {
    const corrected = calendar.withOverrides([{ date: '2028-05-05', kind: 'day-off', reason: 'Kurban Ait 2028 announced for Friday 5 May' }]);
    expect(corrected.day('2028-05-05')).toMatchObject({ working: false, reason: { kind: 'override' } });
    expect(corrected.day('2028-05-05').projected).toBeUndefined();
    expect(corrected.isProjected('2028-05-04')).toBe(true);
  });

  it("a year entered as data is published: its days lose the mark, its decree's dates replace the computed ones, and the horizon moves a year", () => {
    const source = { act: 'Government decree on 2028 (test)', confidence: 'official' as const };
    const with2028: CalendarData = {
      ...kazakhstanCalendar,
      coverage: { ...kazakhstanCalendar.coverage, to: '2028-12-31', years: { ...kazakhstanCalendar.coverage.years, 2028: 'confirmed' } },
      religiousDaysOff: [
        ...kazakhstanCalendar.religiousDaysOff,
        { kind: 'religious', id: 'orthodox-christmas-2028', names: { kk: 'Р', ru: 'Р', en: 'Orthodox Christmas' }, date: '2028-01-07', source },
        { kind: 'religious', id: 'kurban-ait-2028', names: { kk: 'Құрбан айт', ru: 'Курбан айт', en: 'Kurban Ait' }, date: '2028-05-05', source },
      ],
      transfers: [...kazakhstanCalendar.transfers, { kind: 'transfer', id: 'transfer-2028-01', dayOff: '2028-01-05', workingDay: '2028-01-08', source }],
    };
    const published = new WorkingDayCalendar(with2028);
    expect({ publishedTo: published.publishedTo, to: published.to }).toEqual({ publishedTo: '2028-12-31', to: '2038-12-31' });
    expect(published.isProjected('2028-06-01')).toBe(false);
    expect(published.isProjected('2029-01-01')).toBe(true);
    expect(published.isWorkingDay('2028-05-04')).toBe(true);
    expect(published.day('2028-05-05')).toMatchObject({ working: false, reason: { kind: 'religious', source } });
    expect(published.workingWeekendDays(2028)).toEqual(['2028-01-08']);
    expect(published.day('2038-06-01').projected).toBeDefined();
  });
});
