import type { LegalSource } from '../model/source.ts';
import { isValidOn } from '../model/source.ts';
import type { Texts } from '../i18n/texts.ts';
import type { CalendarData } from './facts.ts';
import type { CalendarOverride } from './overrides.ts';
import {
  type LocalDate,
  dayNumber,
  datesBetween,
  fromDayNumber,
  isoWeekday,
  makeDate,
  parts,
} from './local-date.ts';
import { InputError } from '../model/errors.ts';

/** Why a day is what it is: what a lawyer asks when a deadline moves. */
export type DayReason =
  | { readonly kind: 'weekday' }
  | { readonly kind: 'weekend' }
  | { readonly kind: 'holiday'; readonly names: Texts; readonly source: LegalSource }
  | { readonly kind: 'religious'; readonly names: Texts; readonly source: LegalSource }
  | { readonly kind: 'transferred'; readonly from: LocalDate; readonly names: Texts; readonly source: LegalSource }
  | { readonly kind: 'decree-day-off'; readonly source: LegalSource }
  | { readonly kind: 'decree-working-day'; readonly source: LegalSource }
  | { readonly kind: 'override'; readonly override: CalendarOverride };

export interface Day {
  readonly date: LocalDate;
  readonly working: boolean;
  readonly reason: DayReason;
}

export class CalendarRangeError extends InputError {
  override readonly name = 'CalendarRangeError';
}

/**
 * Kazakhstan's working days: the shipped facts, the transfer rule, decreed transfers, then an
 * administrator's overrides. Every question about a date outside the data is an error: a
 * deadline must never rest on a guessed calendar.
 */
export class WorkingDayCalendar {
  readonly version: string;
  readonly from: LocalDate;
  readonly to: LocalDate;
  private readonly days: ReadonlyMap<number, Day>;
  private readonly firstDay: number;
  private readonly lastDay: number;

  constructor(
    readonly data: CalendarData,
    readonly overrides: readonly CalendarOverride[] = [],
  ) {
    this.from = data.coverage.from;
    this.to = data.coverage.to;
    this.firstDay = dayNumber(this.from);
    this.lastDay = dayNumber(this.to);
    for (const override of overrides) this.assertCovered(override.date);
    this.days = buildDays(data, overrides);
    this.version = overrides.length === 0 ? data.version : `${data.version}+${overrides.length} overrides`;
  }

  /** The same calendar with further administrator overrides on top (a later override wins). */
  withOverrides(overrides: readonly CalendarOverride[]): WorkingDayCalendar {
    return new WorkingDayCalendar(this.data, [...this.overrides, ...overrides]);
  }

  day(date: LocalDate): Day {
    const day = this.days.get(this.assertCovered(date));
    if (day === undefined) throw new Error(`calendar has no entry for ${date}`);
    return day;
  }

  isWorkingDay(date: LocalDate): boolean {
    return this.day(date).working;
  }

  /** The first working day strictly after `date`. */
  nextWorkingDay(date: LocalDate): LocalDate {
    return this.addWorkingDays(date, 1);
  }

  /** The working day on or after `date`: where a last day that is not a working day moves. */
  workingDayOnOrAfter(date: LocalDate): LocalDate {
    return this.isWorkingDay(date) ? date : this.nextWorkingDay(date);
  }

  /**
   * The `n`th working day after `date` (before it when `n` is negative); `date` itself is never
   * counted. `n = 0` returns `date`.
   */
  addWorkingDays(date: LocalDate, n: number): LocalDate {
    if (!Number.isInteger(n)) throw new RangeError(`working days must be a whole number, got ${n}`);
    let day = this.assertCovered(date);
    const step = Math.sign(n);
    for (let left = Math.abs(n); left > 0; ) {
      day += step;
      if (this.dayAt(day).working) left -= 1;
    }
    return fromDayNumber(day);
  }

  /** Working days in `[from, to]`, both included. */
  countWorkingDays(from: LocalDate, to: LocalDate): number {
    let count = 0;
    for (const date of datesBetween(from, to)) if (this.isWorkingDay(date)) count += 1;
    return count;
  }

  /** Monday-to-Friday dates of a year that are not working days, sorted. */
  nonWorkingWeekdays(year: number): LocalDate[] {
    return this.yearDays(year)
      .filter((day) => !day.working && isoWeekday(day.date) <= 5)
      .map((day) => day.date);
  }

  /** Saturdays and Sundays of a year that are working days, sorted. */
  workingWeekendDays(year: number): LocalDate[] {
    return this.yearDays(year)
      .filter((day) => day.working && isoWeekday(day.date) >= 6)
      .map((day) => day.date);
  }

  private yearDays(year: number): Day[] {
    const from = makeDate(year, 1, 1);
    const to = makeDate(year, 12, 31);
    if (!Number.isInteger(year) || from < this.from || to > this.to) {
      throw new CalendarRangeError(
        `no calendar data for ${year}: Kazakhstan's calendar is known for ${parts(this.from).year}–${parts(this.to).year}`,
      );
    }
    return [...datesBetween(from, to)].map((date) => this.day(date));
  }

  private dayAt(day: number): Day {
    const entry = this.days.get(day);
    if (entry === undefined) {
      throw new CalendarRangeError(
        `the count runs past ${fromDayNumber(day < this.firstDay ? this.firstDay : this.lastDay)}, the edge of Kazakhstan's calendar data (${this.from} … ${this.to})`,
      );
    }
    return entry;
  }

  private assertCovered(date: LocalDate): number {
    const day = dayNumber(date);
    if (day < this.firstDay || day > this.lastDay) {
      throw new CalendarRangeError(
        `${date} is outside Kazakhstan's calendar data (${this.from} … ${this.to})`,
      );
    }
    return day;
  }
}

function buildDays(data: CalendarData, overrides: readonly CalendarOverride[]): Map<number, Day> {
  const days = new Map<number, Day>();
  const put = (date: LocalDate, working: boolean, reason: DayReason): void => {
    days.set(dayNumber(date), { date, working, reason });
  };
  const isDayOff = (date: LocalDate): boolean => days.get(dayNumber(date))?.working === false;

  for (const date of datesBetween(data.coverage.from, data.coverage.to)) {
    const weekend = data.weekend.includes(isoWeekday(date));
    put(date, !weekend, { kind: weekend ? 'weekend' : 'weekday' });
  }

  const { from, to } = data.coverage;
  const covered = (date: LocalDate): boolean => date >= from && date <= to;
  const holidayDates = [...range(parts(from).year, parts(to).year)]
    .flatMap((year) => data.holidays.map((holiday) => ({ holiday, date: `${year}-${holiday.day}` })))
    .filter(({ holiday, date }) => covered(date) && isValidOn(holiday, date))
    .sort((a, b) => a.date.localeCompare(b.date));

  for (const { holiday, date } of holidayDates) {
    put(date, false, { kind: 'holiday', names: holiday.names, source: holiday.source });
  }
  for (const religious of data.religiousDaysOff) {
    if (covered(religious.date)) put(religious.date, false, { kind: 'religious', names: religious.names, source: religious.source });
  }
  for (const transfer of data.transfers) {
    put(transfer.dayOff, false, { kind: 'decree-day-off', source: transfer.source });
    put(transfer.workingDay, true, { kind: 'decree-working-day', source: transfer.source });
  }

  // The transfer rule, in date order, so that Nauryz on Saturday and Sunday moves to the
  // first and the second free weekday after it.
  for (const { holiday, date } of holidayDates) {
    if (!data.weekend.includes(isoWeekday(date))) continue;
    let target = dayNumber(date) + 1;
    while (days.has(target) && (isDayOff(fromDayNumber(target)) || data.weekend.includes(isoWeekday(fromDayNumber(target))))) {
      target += 1;
    }
    const targetDate = fromDayNumber(target);
    if (covered(targetDate)) {
      put(targetDate, false, { kind: 'transferred', from: date, names: holiday.names, source: data.transferRule.source });
    }
  }

  for (const override of overrides) {
    put(override.date, override.kind === 'working-day', { kind: 'override', override });
  }
  return days;
}

function* range(from: number, to: number): Generator<number> {
  for (let n = from; n <= to; n += 1) yield n;
}
