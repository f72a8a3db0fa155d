import {
  type Instant,
  DAY_MS,
  SINGLE_ZONE_SINCE,
  formatInstant,
  instantAt,
  localDateOf,
} from '../calendar/instant.ts';
import { type LocalDate, addDays, addMonths, daysInMonth, makeDate, parts } from '../calendar/local-date.ts';
import { CalendarRangeError, type WorkingDayCalendar } from '../calendar/working-day-calendar.ts';
import type { Counting, OrganisationHours, Period } from './period.ts';
import { InputError } from '../model/errors.ts';

/** The end of a period, and how it was reached. */
export interface Deadline {
  /** The last day, in Kazakhstan's calendar. */
  readonly dueDate: LocalDate;
  /** The instant the period ends: after it, the obligation is overdue. */
  readonly dueAt: Instant;
  /** The last day before it moved off a non-working day, when it did. */
  readonly movedFrom?: LocalDate;
}

export interface DeadlineInput {
  readonly start: Instant;
  readonly counting: Counting;
  readonly calendar: WorkingDayCalendar;
  readonly hours: OrganisationHours;
  /** The last day for a `set-date` period. */
  readonly setDate?: LocalDate;
}

export class PeriodError extends InputError {
  override readonly name = 'PeriodError';
}

/** Counts a period from its start (LEGAL.md §1). */
export function deadline({ start, counting, calendar, hours, setDate }: DeadlineInput): Deadline {
  if (start < SINGLE_ZONE_SINCE) {
    throw new CalendarRangeError(
      `${formatInstant(start)} is before 2024-03-01, when Kazakhstan moved to one time zone; such clocks are not computed`,
    );
  }
  const { period } = counting;
  if (period.unit === 'hours24') {
    const dueAt = start + period.count * DAY_MS;
    calendar.check(localDateOf(dueAt)); // the instant must still lie inside the calendar's horizon
    return { dueDate: localDateOf(dueAt), dueAt };
  }
  const startDate = localDateOf(start);
  calendar.check(startDate);
  const lastDay = lastDayOf(period, startDate, calendar, setDate);
  const dueDate = counting.movesOffNonWorkingDays ? calendar.workingDayOnOrAfter(lastDay) : lastDay;
  if (!counting.movesOffNonWorkingDays) calendar.check(dueDate);
  const dueAt =
    counting.endOfDay === 'midnight' ? instantAt(addDays(dueDate, 1), '00:00') : instantAt(dueDate, hours.closesAt);
  return dueDate === lastDay ? { dueDate, dueAt } : { dueDate, dueAt, movedFrom: lastDay };
}

/**
 * The days a deadline rests on, `[from, to]`: the days a working-day count crossed, the last day,
 * and the days it moved over to the due date. A count in calendar days, weeks or months, or in
 * 24-hour periods, reads no day's status on the way: only its last day (and any move) is listed.
 */
export function daysRestedOn(start: Instant, counting: Counting, due: Deadline): { readonly from: LocalDate; readonly to: LocalDate } {
  const lastDay = due.movedFrom ?? due.dueDate;
  return { from: counting.period.unit === 'working-days' ? addDays(localDateOf(start), 1) : lastDay, to: due.dueDate };
}

/** The last day of a period that starts on `startDate`, before any move off a non-working day. */
export function lastDayOf(
  period: Exclude<Period, { unit: 'hours24' }>,
  startDate: LocalDate,
  calendar: WorkingDayCalendar,
  setDate?: LocalDate,
): LocalDate {
  switch (period.unit) {
    case 'working-days':
      return calendar.addWorkingDays(startDate, period.count);
    case 'days':
      return addDays(startDate, period.count);
    case 'weeks':
      return addDays(startDate, 7 * period.count);
    case 'months':
      return addMonths(startDate, period.count);
    case 'period-end':
      return endOfPeriodContaining(startDate, period.of);
    case 'month-ends':
      return endOfPeriodContaining(addMonths(`${startDate.slice(0, 8)}01`, period.count - 1), 'month');
    case 'set-date':
      if (setDate === undefined) throw new PeriodError('this period ends on a date the document sets: give the due date');
      if (setDate < startDate) throw new PeriodError(`the due date ${setDate} is before the start ${startDate}`);
      return setDate;
  }
}

export function endOfPeriodContaining(date: LocalDate, of: 'month' | 'quarter' | 'year'): LocalDate {
  const { year, month } = parts(date);
  const lastMonth = of === 'month' ? month : of === 'quarter' ? Math.ceil(month / 3) * 3 : 12;
  return makeDate(year, lastMonth, daysInMonth(year, lastMonth));
}
