import { type Act, type Instant, type LegalSource, type LocalDate, dayNumber } from '../base/index.ts';
import type { Day, WorkingDayCalendar } from '../calendar/index.ts';
import type { EndOfDay, Period } from './period.ts';

/**
 * How a due date was counted, step by step, as the counting itself went (deadline.ts): what a
 * lawyer checks a deadline against without reading code. The due date is the last step's
 * (`ends`) date. Each step names what it rests on (`grounds`): the Civil Code's rules of
 * counting, the rule's own source, or the act that makes a skipped day a day off.
 */
export type CountStep =
  /** The event that starts the clock, at its instant. */
  | { readonly kind: 'event'; readonly at: Instant; readonly act: Act; readonly grounds: readonly LegalSource[] }
  /** The first day of the count: the day after the start's date. */
  | { readonly kind: 'count-starts'; readonly date: LocalDate; readonly period: Period; readonly grounds: readonly LegalSource[] }
  /** A period in 24-hour units runs from the start's instant itself. */
  | { readonly kind: 'hours-start'; readonly at: Instant; readonly count: number; readonly grounds: readonly LegalSource[] }
  /** A count in calendar days, weeks or months: the days off inside are counted like any other day. */
  | { readonly kind: 'days-off-counted'; readonly grounds: readonly LegalSource[] }
  /** Consecutive days off of one reason that a working-day count steps over. */
  | { readonly kind: 'skipped'; readonly days: readonly Day[]; readonly grounds: readonly LegalSource[] }
  /** The Saturdays and Sundays a long working-day count steps over, told as one line (`dates` keeps each). */
  | { readonly kind: 'weekends-skipped'; readonly dates: readonly LocalDate[]; readonly grounds: readonly LegalSource[] }
  /** The last day of the period as counted, before any move; `extended` when an extension set it. */
  | {
      readonly kind: 'last-day';
      readonly date: LocalDate;
      readonly period: Period;
      readonly extended?: true;
      readonly grounds: readonly LegalSource[];
    }
  /** The last day was a day off: the period ends on the next working day. `days` are the days moved over. */
  | { readonly kind: 'moved'; readonly from: LocalDate; readonly to: LocalDate; readonly days: readonly Day[]; readonly grounds: readonly LegalSource[] }
  /** The last day is a day off and stays: this period is not moved. */
  | { readonly kind: 'not-moved'; readonly day: Day; readonly grounds: readonly LegalSource[] }
  /** When the period ends: 24:00 of the due date, the close of business, or the exact instant of a 24-hour count. */
  | {
      readonly kind: 'ends';
      readonly date: LocalDate;
      readonly at: Instant;
      readonly endOfDay: EndOfDay | 'instant';
      readonly grounds: readonly LegalSource[];
    };

export type CountStepKind = CountStep['kind'];

/**
 * The Civil Code's rules of counting (LEGAL.md §1). ⚠ LEGAL.md gives the articles as "~172–176",
 * to be confirmed: each is cited by the chapter's title and the rule it states, not a number.
 */
const civilCode = (provision: string): LegalSource => ({
  act: 'Civil Code of the RK (General Part), "Calculation of periods" (arts. ~172–176 ⚠, numbers to be confirmed)',
  provision,
  confidence: 'secondary',
  cite: {
    kk: 'ҚР Азаматтық кодексі, «Мерзімдерді есептеу» ⚠',
    ru: 'ГК РК, «Исчисление сроков» ⚠',
    en: 'Civil Code of the RK, "Calculation of periods" ⚠',
  },
});

export const CIVIL_CODE = {
  start: civilCode('a period starts on the day after the calendar date or the event that begins it'),
  calendarDays: civilCode('a period in days is counted in calendar days unless the law says working days'),
  workingDays: civilCode('working days are counted from the first working day after the start date; Saturdays, Sundays, holidays and transferred days off are not working days'),
  weeksMonths: civilCode('a period in weeks ends on the same weekday of its last week; in months, on the same-numbered day of its last month, or that month\'s last day'),
  move: civilCode('a last day that is not a working day moves to the next working day'),
  endOfDay: civilCode('an act may be done until 24:00 of the last day; one done in an organisation, until its working hours end'),
  hours24: civilCode('a period in 24-hour units (тәулік, сутки) runs from the moment, not the day, and is never moved'),
} as const;

/** What makes a day a day off, as it is cited. */
export function groundsOfDay(day: Day, calendar: WorkingDayCalendar): LegalSource[] {
  const reason = day.reason;
  switch (reason.kind) {
    case 'weekday':
      return [];
    case 'weekend':
      return calendar.data.weekendSource === undefined ? [] : [calendar.data.weekendSource];
    case 'holiday':
    case 'religious':
    case 'transferred':
    case 'decree-day-off':
    case 'decree-working-day':
      return [reason.source];
    case 'override': {
      const cite = reason.override.source ?? reason.override.reason;
      return [{ act: cite, provision: reason.override.reason, confidence: 'official', cite: { kk: cite, ru: cite, en: cite } }];
    }
  }
}

/** One key per reason: days off next to each other with the same key read as one step. */
function reasonKey(day: Day): string {
  const reason = day.reason;
  switch (reason.kind) {
    case 'holiday':
    case 'religious':
      return `${reason.kind}:${reason.names.en}`;
    case 'transferred':
      return `transferred:${reason.from}`;
    case 'decree-day-off':
    case 'decree-working-day':
      return `${reason.kind}:${reason.source.act}`;
    case 'override':
      return `override:${reason.override.reason}`;
    default:
      return reason.kind;
  }
}

/** Past this many Saturdays and Sundays, a working-day count tells them as one line. */
const WEEKEND_DAYS_LISTED = 4;

/**
 * The days off a working-day count stepped over, as steps: consecutive days of one reason
 * together, holidays and transfers each by name, and the weekends of a long count in one line.
 */
export function skippedSteps(days: readonly Day[], calendar: WorkingDayCalendar): CountStep[] {
  const runs: Day[][] = [];
  for (const day of days) {
    const run = runs.at(-1);
    const previous = run?.at(-1);
    if (run !== undefined && previous !== undefined && dayNumber(day.date) === dayNumber(previous.date) + 1 && reasonKey(day) === reasonKey(previous)) {
      run.push(day);
    } else runs.push([day]);
  }
  const weekendDays = days.filter((day) => day.reason.kind === 'weekend');
  const summarise = weekendDays.length > WEEKEND_DAYS_LISTED;
  const steps: CountStep[] = [];
  let summarised = false;
  for (const run of runs) {
    const first = run[0] as Day;
    if (summarise && first.reason.kind === 'weekend') {
      if (summarised) continue;
      summarised = true;
      steps.push({
        kind: 'weekends-skipped',
        dates: weekendDays.map((day) => day.date),
        grounds: groundsOfDay(first, calendar),
      });
      continue;
    }
    steps.push({ kind: 'skipped', days: run, grounds: groundsOfDay(first, calendar) });
  }
  return steps;
}

/** The due date the steps arrive at: the last step's. */
export function dueDateOf(steps: readonly CountStep[]): LocalDate | undefined {
  const last = steps.at(-1);
  return last?.kind === 'ends' ? last.date : undefined;
}
