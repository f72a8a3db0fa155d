import * as z from 'zod';
import { WallTimeSchema } from '../base/index.ts';

/**
 * How long a period is, in the units the law uses (LEGAL.md §1).
 * - `working-days`: counted from the first working day after the start date;
 * - `days`, `weeks`, `months`: calendar, from the day after the start date;
 * - `hours24` (тәулік, сутки): exact 24-hour periods from the start instant, never moved;
 * - `period-end`: the last day of the month, quarter or year in which the clock starts
 *   (reporting periods of an action plan);
 * - `month-ends`: the last day of the `count`-th month, the month the clock starts in being the
 *   first (an action plan's window of months: September–October is 2 from 1 September);
 * - `set-date`: the document that starts the clock names the last day itself;
 * - `day-after-period`: a fixed day of the month after the month, quarter or year the start
 *   falls in ("by the 5th of the month after the reporting period"). A start at the very instant
 *   a period ends (00:00 of the next one's first day, Kazakhstan time) belongs to the period
 *   that ended.
 */
export const PeriodSchema = z.discriminatedUnion('unit', [
  z.object({ unit: z.literal('working-days'), count: z.number().int().min(1).max(250) }),
  z.object({ unit: z.literal('days'), count: z.number().int().min(1).max(1100) }),
  z.object({ unit: z.literal('weeks'), count: z.number().int().min(1).max(156) }),
  z.object({ unit: z.literal('months'), count: z.number().int().min(1).max(36) }),
  z.object({ unit: z.literal('hours24'), count: z.number().int().min(1).max(1100) }),
  z.object({ unit: z.literal('period-end'), of: z.enum(['month', 'quarter', 'year']) }),
  z.object({ unit: z.literal('month-ends'), count: z.number().int().min(1).max(12) }),
  z.object({ unit: z.literal('set-date') }),
  z.object({ unit: z.literal('day-after-period'), of: z.enum(['month', 'quarter', 'year']), day: z.number().int().min(1).max(28) }),
]);
export type Period = z.infer<typeof PeriodSchema>;

/**
 * When the last day ends. `midnight`: at 24:00 (an act anyone may do, such as sending a reply).
 * `close-of-business`: when the acting organisation's working hours end (an act done in the
 * organisation itself, such as a department's decision).
 */
export const EndOfDaySchema = z.enum(['midnight', 'close-of-business']);
export type EndOfDay = z.infer<typeof EndOfDaySchema>;

/** Everything needed to count one period. */
export const CountingSchema = z.object({
  period: PeriodSchema,
  /** Civil Code: a last day that is not a working day moves to the next working day. */
  movesOffNonWorkingDays: z.boolean(),
  endOfDay: EndOfDaySchema,
});
export type Counting = z.infer<typeof CountingSchema>;

/** An organisation's working hours in local time; state bodies close at 18:30 by default. */
export const OrganisationHoursSchema = z.object({
  opensAt: WallTimeSchema,
  closesAt: WallTimeSchema,
});
export type OrganisationHours = z.infer<typeof OrganisationHoursSchema>;

export const STATE_BODY_HOURS: OrganisationHours = { opensAt: '09:00', closesAt: '18:30' };
