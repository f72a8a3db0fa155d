import { describe, expect, it } from 'vitest';
import { addMonths, dayNumber, formatInstant, isoWeekday, localDateOf, parseInstant } from '../../shared/base/index.ts';

describe('dates', () => {
  it('adds months to the same-numbered day, else the last day of the month', () => {
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2026-10-31', 2)).toBe('2026-12-31');
    expect(addMonths('2026-11-30', 3)).toBe('2027-02-28');
    expect(addMonths('2026-03-15', -3)).toBe('2025-12-15');
  });
  it('knows weekdays', () => {
    expect(isoWeekday('2026-03-19')).toBe(4);
    expect(isoWeekday('2026-03-22')).toBe(7);
  });
  it('refuses what is not a calendar date', () => {
    expect(() => dayNumber('2026-02-29')).toThrow(/not a calendar date/);
    expect(() => dayNumber('2026-3-1')).toThrow(/expected YYYY-MM-DD/);
  });
});

describe('instants', () => {
  it('takes an offset as given and reads none as +05:00', () => {
    expect(formatInstant(parseInstant('2026-03-19T15:20'))).toBe('2026-03-19T15:20:00+05:00');
    expect(formatInstant(parseInstant('2026-03-19T10:20:00Z'))).toBe('2026-03-19T15:20:00+05:00');
    expect(formatInstant(parseInstant('2026-03-19T16:20:00+06:00'))).toBe('2026-03-19T15:20:00+05:00');
    expect(formatInstant(parseInstant('2026-03-19T15:20:30.250+05:00'))).toBe('2026-03-19T15:20:30+05:00');
    expect(formatInstant(parseInstant('2026-03-19'))).toBe('2026-03-19T00:00:00+05:00');
  });
  it('gives the local date', () => {
    expect(localDateOf(parseInstant('2026-03-19T19:30:00Z'))).toBe('2026-03-20');
  });
  it.each(['2026-03-19T25:00', '2026-03-19T10', '19.03.2026', '2026-02-30T10:00', 'tomorrow', '2026-03-19T10:00+99:00'])(
    'refuses %s',
    (text) => {
      expect(() => parseInstant(text)).toThrow(/"/);
    },
  );
});
