import { InputError } from './errors.ts';
/**
 * Calendar dates as `YYYY-MM-DD` strings and the day numbers (days since 1970-01-01) used to
 * count them. A date has no time zone: it is a day on Kazakhstan's wall calendar.
 */
export type LocalDate = string;

const DAY_MS = 86_400_000;
const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export class InvalidDateError extends InputError {
  override readonly name = 'InvalidDateError';
}

/** Day number of a date; throws on anything that is not a real calendar date. */
export function dayNumber(date: LocalDate): number {
  const match = LOCAL_DATE.exec(date);
  if (match === null) throw new InvalidDateError(`"${date}" is not a date (expected YYYY-MM-DD)`);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    throw new InvalidDateError(`"${date}" is not a calendar date`);
  }
  return Date.UTC(year, month - 1, day) / DAY_MS;
}

export function isLocalDate(value: string): boolean {
  try {
    dayNumber(value);
    return true;
  } catch {
    return false;
  }
}

export function fromDayNumber(day: number): LocalDate {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export function addDays(date: LocalDate, days: number): LocalDate {
  return fromDayNumber(dayNumber(date) + days);
}

/** ISO weekday: Monday 1 … Sunday 7. */
export function isoWeekday(date: LocalDate): number {
  const sundayZero = (dayNumber(date) + 4) % 7; // 1970-01-01 was a Thursday
  return sundayZero === 0 ? 7 : sundayZero;
}

export function isWeekend(date: LocalDate): boolean {
  return isoWeekday(date) >= 6;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function parts(date: LocalDate): { year: number; month: number; day: number } {
  dayNumber(date);
  return { year: Number(date.slice(0, 4)), month: Number(date.slice(5, 7)), day: Number(date.slice(8, 10)) };
}

export function makeDate(year: number, month: number, day: number): LocalDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * The same-numbered day `months` later; if that month is shorter, its last day
 * (Civil Code: a period in months ends on the same-numbered day of the last month).
 */
export function addMonths(date: LocalDate, months: number): LocalDate {
  const { year, month, day } = parts(date);
  const index = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(index / 12);
  const targetMonth = (index % 12) + 1;
  return makeDate(targetYear, targetMonth, Math.min(day, daysInMonth(targetYear, targetMonth)));
}

/** Every date from `from` to `to`, both included. */
export function* datesBetween(from: LocalDate, to: LocalDate): Generator<LocalDate> {
  for (let day = dayNumber(from); day <= dayNumber(to); day += 1) yield fromDayNumber(day);
}
