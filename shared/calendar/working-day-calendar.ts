import { InputError, type LegalSource, type LocalDate, type Texts, datesBetween, dayNumber, fromDayNumber, isoWeekday, isValidOn, makeDate, parts } from '../base/index.ts';
import type { CalendarData, Holiday, ReligiousDayRule } from './facts.ts';
import { islamicDatesIn } from './islamic.ts';
import type { CalendarOverride } from './overrides.ts';

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

/**
 * The mark of a day past the published data: what the law makes of it before its year's
 * calendar is published. A decree may still move any such day (as Friday 3 January 2025 was).
 */
export interface Projection {
  /** Why the day is a working day or a day off, in one sentence. */
  readonly why: string;
  /**
   * `law`: the five-day week, a holiday of the holidays law, a fixed religious day or the transfer
   * rule make it so; `computed` ⚠: a date the government sets each year, computed here (Kurban
   * Ait); `inferred` ⚠: a holiday whose source awaits confirmation, or the transfer of one.
   */
  readonly basis: 'law' | 'computed' | 'inferred';
}

export interface Day {
  readonly date: LocalDate;
  readonly working: boolean;
  readonly reason: DayReason;
  /** Present on a day past the published data (and not overridden): the day is a projection. */
  readonly projected?: Projection;
}

export class CalendarRangeError extends InputError {
  override readonly name = 'CalendarRangeError';
}

/**
 * Kazakhstan's working days: the shipped facts, the transfer rule, decreed transfers, then an
 * administrator's overrides. Past the last published year the calendar is projected from the
 * law (holidays, the transfer rule, religious days by their rules) up to a horizon, and every
 * projected day says so. Before the data or past the horizon every question is an error: a
 * deadline must never rest on a guess that nobody marked.
 */
export class WorkingDayCalendar {
  readonly version: string;
  /** The first day of the data. */
  readonly from: LocalDate;
  /** The last day of the published data: the days after it are projected. */
  readonly publishedTo: LocalDate;
  /** The horizon: the last day the calendar answers for. */
  readonly to: LocalDate;
  private readonly days: ReadonlyMap<number, Day>;
  private readonly firstDay: number;
  private readonly lastDay: number;

  constructor(
    readonly data: CalendarData,
    readonly overrides: readonly CalendarOverride[] = [],
  ) {
    this.from = data.coverage.from;
    this.publishedTo = data.coverage.to;
    this.to = makeDate(parts(this.publishedTo).year + data.projection.years, 12, 31);
    this.firstDay = dayNumber(this.from);
    this.lastDay = dayNumber(this.to);
    for (const override of overrides) this.check(override.date);
    this.days = buildDays(data, this.to, overrides);
    this.version = overrides.length === 0 ? data.version : `${data.version}+${overrides.length} overrides`;
  }

  /** The same calendar with further administrator overrides on top (a later override wins). */
  withOverrides(overrides: readonly CalendarOverride[]): WorkingDayCalendar {
    return new WorkingDayCalendar(this.data, [...this.overrides, ...overrides]);
  }

  day(date: LocalDate): Day {
    const day = this.days.get(this.check(date));
    if (day === undefined) throw new Error(`calendar has no entry for ${date}`);
    return day;
  }

  isWorkingDay(date: LocalDate): boolean {
    return this.day(date).working;
  }

  /** Whether a date lies past the published data, where the calendar is a projection. */
  isProjected(date: LocalDate): boolean {
    return this.day(date).projected !== undefined;
  }

  /**
   * Refuses a date before the data or past the horizon, with a message that says which; returns
   * its day number. For a date whose working status does not matter (a start, an exact instant).
   */
  check(date: LocalDate): number {
    const day = dayNumber(date);
    if (day < this.firstDay) {
      throw new CalendarRangeError(`${date} is before Kazakhstan's calendar data, which begins on ${this.from}`);
    }
    if (day > this.lastDay) throw new CalendarRangeError(`${date} is ${this.pastHorizon()}`);
    return day;
  }

  /** The first working day strictly after `date`. */
  nextWorkingDay(date: LocalDate): LocalDate {
    return this.addWorkingDays(date, 1);
  }

  /**
   * The working day on or after `date`: where a last day that is not a working day moves.
   * `skipped`, when given, receives the days off it moves over (`date` among them).
   */
  workingDayOnOrAfter(date: LocalDate, skipped?: Day[]): LocalDate {
    const day = this.day(date);
    if (day.working) return date;
    skipped?.push(day);
    return this.addWorkingDays(date, 1, skipped);
  }

  /**
   * The `n`th working day after `date` (before it when `n` is negative); `date` itself is never
   * counted. `n = 0` returns `date`. `skipped`, when given, receives the days off the count
   * crosses, in the order it crosses them: what a deadline's explanation lists.
   */
  addWorkingDays(date: LocalDate, n: number, skipped?: Day[]): LocalDate {
    if (!Number.isInteger(n)) throw new RangeError(`working days must be a whole number, got ${n}`);
    let day = this.check(date);
    const step = Math.sign(n);
    for (let left = Math.abs(n); left > 0; ) {
      day += step;
      const entry = this.dayAt(day);
      if (entry.working) left -= 1;
      else skipped?.push(entry);
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

  /** Every day of a year, in order. */
  yearDays(year: number): Day[] {
    const from = makeDate(year, 1, 1);
    const to = makeDate(year, 12, 31);
    if (!Number.isInteger(year) || from < this.from || to > this.to) {
      throw new CalendarRangeError(
        `no calendar for ${year}: Kazakhstan's calendar is published for ${parts(this.from).year}–${parts(this.publishedTo).year} and projected from the law to ${parts(this.to).year}`,
      );
    }
    return [...datesBetween(from, to)].map((date) => this.day(date));
  }

  private pastHorizon(): string {
    return `past the calendar's horizon, ${this.to}: Kazakhstan's calendar is published to ${this.publishedTo} and projected from the law ${this.data.projection.years} years further; no deadline is counted beyond`;
  }

  private dayAt(day: number): Day {
    const entry = this.days.get(day);
    if (entry === undefined) {
      throw new CalendarRangeError(
        day < this.firstDay
          ? `the count runs back past ${this.from}, where Kazakhstan's calendar data begins`
          : `the count runs ${this.pastHorizon()}`,
      );
    }
    return entry;
  }
}

const WEEKDAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const weekdayName = (date: LocalDate): string => WEEKDAY_NAMES[isoWeekday(date) - 1] ?? '';

/** Whether a holiday's source awaits confirmation: its projection is marked ⚠ inferred. */
const inferred = (source: LegalSource): boolean => source.confidence === 'inferred';

function buildDays(data: CalendarData, horizon: LocalDate, overrides: readonly CalendarOverride[]): Map<number, Day> {
  const days = new Map<number, Day>();
  const { from, to: publishedTo } = data.coverage;
  const projected = (date: LocalDate): boolean => date > publishedTo;
  const covered = (date: LocalDate): boolean => date >= from && date <= horizon;
  /** A day past the published data carries its projection; a fact (a decree, an override) none. */
  const put = (date: LocalDate, working: boolean, reason: DayReason, projection?: Projection): void => {
    days.set(dayNumber(date), { date, working, reason, ...(projection === undefined || !projected(date) ? {} : { projected: projection }) });
  };
  const isDayOff = (date: LocalDate): boolean => days.get(dayNumber(date))?.working === false;
  const unpublished = (date: LocalDate): string => `no calendar for ${date.slice(0, 4)} is published yet`;

  // Every day first, by day number: this runs for some 5,000 days each time a calendar is built.
  // The marks of ordinary days are the same for a year and a weekday: made once each.
  const ordinary = new Map<string, Projection>();
  const ordinaryMark = (date: LocalDate, weekday: number, weekend: boolean): Projection => {
    const key = `${date.slice(0, 4)}-${weekend ? weekday : 0}`;
    let mark = ordinary.get(key);
    if (mark === undefined) {
      mark = {
        why: weekend
          ? `a ${WEEKDAY_NAMES[weekday - 1]}, a rest day of the five-day week; ${unpublished(date)}, so no decree making it a working day is known`
          : `a working day of the five-day week: no holiday falls on it; ${unpublished(date)}, so no decree moving a day off onto it is known`,
        basis: 'law',
      };
      ordinary.set(key, mark);
    }
    return mark;
  };
  const lastPublished = dayNumber(publishedTo);
  for (let day = dayNumber(from), last = dayNumber(horizon); day <= last; day += 1) {
    const date = fromDayNumber(day);
    const weekday = (((day + 3) % 7) + 7) % 7 + 1; // 1970-01-01 (day 0) was a Thursday
    const weekend = data.weekend.includes(weekday);
    const reason: DayReason = { kind: weekend ? 'weekend' : 'weekday' };
    days.set(day, day > lastPublished ? { date, working: !weekend, reason, projected: ordinaryMark(date, weekday, weekend) } : { date, working: !weekend, reason });
  }

  const holidayDates = [...range(parts(from).year, parts(horizon).year)]
    .flatMap((year) => data.holidays.map((holiday) => ({ holiday, date: `${year}-${holiday.day}` })))
    .filter(({ holiday, date }) => covered(date) && isValidOn(holiday, date))
    .sort((a, b) => a.date.localeCompare(b.date));

  for (const { holiday, date } of holidayDates) {
    put(date, false, { kind: 'holiday', names: holiday.names, source: holiday.source }, {
      why: `${holiday.names.en}, a holiday by ${holiday.source.act}${inferred(holiday.source) ? ` ⚠ inferred: ${holiday.source.note ?? 'awaits confirmation'}` : ''}`,
      basis: inferred(holiday.source) ? 'inferred' : 'law',
    });
  }
  for (const religious of data.religiousDaysOff) {
    if (covered(religious.date)) put(religious.date, false, { kind: 'religious', names: religious.names, source: religious.source });
  }
  for (const { rule, date, why } of projectedReligiousDays(data, horizon)) {
    // On a holiday the day is off by law whatever the computed date: keep the certain reason.
    if (days.get(dayNumber(date))?.reason.kind === 'holiday') continue;
    put(date, false, { kind: 'religious', names: rule.names, source: rule.source }, { why, basis: rule.kind === 'islamic' ? 'computed' : 'law' });
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
      put(targetDate, false, { kind: 'transferred', from: date, names: holiday.names, source: data.transferRule.source }, transferProjection(holiday, date));
    }
  }

  for (const override of overrides) {
    put(override.date, override.kind === 'working-day', { kind: 'override', override });
  }
  return days;
}

function transferProjection(holiday: Holiday, date: LocalDate): Projection {
  return {
    why: `the day off for ${holiday.names.en} on ${weekdayName(date)} ${date}, by the transfer rule (a holiday on a Saturday or Sunday makes the next working day a day off)${inferred(holiday.source) ? ' ⚠ inferred: the holiday awaits confirmation' : ''}`,
    basis: inferred(holiday.source) ? 'inferred' : 'law',
  };
}

/**
 * The religious days off of the years past the published data, by the projection's rules. A
 * year whose day the data already dates (id `<rule>-<year>`, e.g. a decree entered early) keeps
 * the decree's date.
 */
function projectedReligiousDays(data: CalendarData, horizon: LocalDate): { rule: ReligiousDayRule; date: LocalDate; why: string }[] {
  const dated = new Set(data.religiousDaysOff.map((religious) => religious.id));
  const found: { rule: ReligiousDayRule; date: LocalDate; why: string }[] = [];
  for (const year of range(parts(data.coverage.to).year, parts(horizon).year)) {
    for (const rule of data.projection.religiousDays) {
      if (dated.has(`${rule.id}-${year}`)) continue;
      const dates =
        rule.kind === 'fixed'
          ? [{ date: `${year}-${rule.day}`, why: `${rule.names.en}, a religious day off on ${Number(rule.day.slice(3))} ${monthName(rule.day)} by ${rule.source.act}; never transferred` }]
          : islamicDatesIn(year, rule.month, rule.day, rule.epoch).map(({ date, islamicYear }) => ({
              date,
              why: `${rule.names.en} ⚠ provisional: ${rule.day} ${ISLAMIC_MONTHS[rule.month - 1] ?? `month ${rule.month}`} ${islamicYear} AH by the tabular Islamic calendar (${rule.epoch} epoch); the Government sets the date each year and it may differ by a day or two; never transferred`,
            }));
      for (const { date, why } of dates) if (date > data.coverage.to && date <= horizon) found.push({ rule, date, why });
    }
  }
  return found;
}

const ISLAMIC_MONTHS = ['Muharram', 'Safar', "Rabi' al-Awwal", "Rabi' al-Thani", 'Jumada al-Ula', 'Jumada al-Akhirah', 'Rajab', "Sha'ban", 'Ramadan', 'Shawwal', "Dhu al-Qa'dah", 'Dhu al-Hijjah'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const monthName = (day: string): string => MONTHS[Number(day.slice(0, 2)) - 1] ?? day;

function* range(from: number, to: number): Generator<number> {
  for (let n = from; n <= to; n += 1) yield n;
}
