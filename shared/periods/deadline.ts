import { DAY_MS, InputError, type Instant, type LegalSource, type LocalDate, SINGLE_ZONE_SINCE, addDays, addMonths, daysInMonth, formatInstant, instantAt, localDateOf, makeDate, parts } from '../base/index.ts';
import { CalendarRangeError, type Day, type WorkingDayCalendar } from '../calendar/index.ts';
import { CIVIL_CODE, type CountStep, groundsOfDay, skippedSteps } from './explanation.ts';
import type { Counting, OrganisationHours, Period } from './period.ts';

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
export function deadline(input: DeadlineInput): Deadline {
  return countedDeadline(input).deadline;
}

/**
 * Counts a period from its start and tells how, step by step (explanation.ts): the one count
 * behind every due date, so that an explanation can never tell another story than the plan.
 */
export function countedDeadline({ start, counting, calendar, hours, setDate }: DeadlineInput): { readonly deadline: Deadline; readonly steps: readonly CountStep[] } {
  if (start < SINGLE_ZONE_SINCE) {
    throw new CalendarRangeError(
      `${formatInstant(start)} is before 2024-03-01, when Kazakhstan moved to one time zone; such clocks are not computed`,
    );
  }
  const { period } = counting;
  if (period.unit === 'hours24') {
    const dueAt = start + period.count * DAY_MS;
    calendar.check(localDateOf(dueAt)); // the instant must still lie inside the calendar's horizon
    return {
      deadline: { dueDate: localDateOf(dueAt), dueAt },
      steps: [
        { kind: 'hours-start', at: start, count: period.count, grounds: [CIVIL_CODE.hours24] },
        { kind: 'ends', date: localDateOf(dueAt), at: dueAt, endOfDay: 'instant', grounds: [CIVIL_CODE.hours24] },
      ],
    };
  }
  const startDate = localDateOf(start);
  calendar.check(startDate);
  const skipped: Day[] = [];
  const lastDay = lastDayOf(period, period.unit === 'day-after-period' ? reportedOn(start) : startDate, calendar, setDate, skipped);
  const moved: Day[] = [];
  const dueDate = counting.movesOffNonWorkingDays ? calendar.workingDayOnOrAfter(lastDay, moved) : lastDay;
  if (!counting.movesOffNonWorkingDays) calendar.check(dueDate);
  const dueAt =
    counting.endOfDay === 'midnight' ? instantAt(addDays(dueDate, 1), '00:00') : instantAt(dueDate, hours.closesAt);

  const counted = 'count' in period;
  const steps: CountStep[] = [
    ...(counted ? [{ kind: 'count-starts', date: addDays(startDate, 1), period, grounds: [CIVIL_CODE.start] } as const] : []),
    ...(period.unit === 'days' || period.unit === 'weeks' || period.unit === 'months' ? [{ kind: 'days-off-counted', grounds: [CIVIL_CODE.calendarDays] } as const] : []),
    ...skippedSteps(skipped, calendar),
    { kind: 'last-day', date: lastDay, period, grounds: lastDayGrounds(period) },
  ];
  if (dueDate !== lastDay) {
    steps.push({ kind: 'moved', from: lastDay, to: dueDate, days: moved, grounds: [CIVIL_CODE.move, ...unique(moved.flatMap((day) => groundsOfDay(day, calendar)))] });
  } else if (!counting.movesOffNonWorkingDays && !calendar.isWorkingDay(lastDay)) {
    steps.push({ kind: 'not-moved', day: calendar.day(lastDay), grounds: groundsOfDay(calendar.day(lastDay), calendar) });
  }
  steps.push({ kind: 'ends', date: dueDate, at: dueAt, endOfDay: counting.endOfDay, grounds: [CIVIL_CODE.endOfDay] });
  return { deadline: dueDate === lastDay ? { dueDate, dueAt } : { dueDate, dueAt, movedFrom: lastDay }, steps };
}

function lastDayGrounds(period: Exclude<Period, { unit: 'hours24' }>): LegalSource[] {
  switch (period.unit) {
    case 'working-days':
      return [CIVIL_CODE.workingDays];
    case 'days':
      return [CIVIL_CODE.calendarDays];
    case 'weeks':
    case 'months':
      return [CIVIL_CODE.weeksMonths];
    default:
      return []; // the rule's own source sets it (a reporting period, a document's date)
  }
}

/** The same act cited once. */
function unique(sources: readonly LegalSource[]): LegalSource[] {
  const seen = new Set<string>();
  return sources.filter((source) => {
    const key = `${source.act}|${source.provision ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
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
  /** Receives the days off a working-day count steps over. */
  skipped?: Day[],
): LocalDate {
  switch (period.unit) {
    case 'working-days':
      return calendar.addWorkingDays(startDate, period.count, skipped);
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
    case 'day-after-period': {
      const { year, month } = parts(addDays(endOfPeriodContaining(startDate, period.of), 1));
      return makeDate(year, month, period.day);
    }
    case 'set-date':
      if (setDate === undefined) throw new PeriodError('this period ends on a date the document sets: give the due date');
      if (setDate < startDate) throw new PeriodError(`the due date ${setDate} is before the start ${startDate}`);
      return setDate;
  }
}

/**
 * The day whose period a report is for: the start's own day, except at 00:00, the very instant
 * the day before ends, which closes that day's period (a quarter ends at 00:00 on 1 April).
 */
export function reportedOn(start: Instant): LocalDate {
  const date = localDateOf(start);
  return start === instantAt(date, '00:00') ? addDays(date, -1) : date;
}

export function endOfPeriodContaining(date: LocalDate, of: 'month' | 'quarter' | 'year'): LocalDate {
  const { year, month } = parts(date);
  const lastMonth = of === 'month' ? month : of === 'quarter' ? Math.ceil(month / 3) * 3 : 12;
  return makeDate(year, lastMonth, daysInMonth(year, lastMonth));
}
