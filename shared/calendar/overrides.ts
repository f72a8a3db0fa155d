import * as z from 'zod';
import { REFERENCE_LIMITS, freeText, isLocalDate } from '../base/index.ts';

/**
 * An administrator's correction on top of the shipped data: a late decree, a moved Kurban Ait.
 * `day-off` makes a date a non-working day; `working-day` makes it a working day (cancels a
 * day off, or works a weekend day).
 */
export const CalendarOverrideSchema = z.object({
  date: z.string().refine(isLocalDate, 'expected a calendar date YYYY-MM-DD'),
  kind: z.enum(['day-off', 'working-day']),
  reason: freeText('a reason', REFERENCE_LIMITS.overrideReason),
  source: freeText('a source', { max: REFERENCE_LIMITS.overrideSource }).optional(),
});
export type CalendarOverride = z.infer<typeof CalendarOverrideSchema>;
