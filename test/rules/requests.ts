import fc from 'fast-check';
import type { WorkingDayCalendar } from '../../shared/calendar/index.ts';
import { addDays, dayNumber, fromDayNumber, instantAt, localDateOf } from '../../shared/base/index.ts';
import { type PlanRequest, type Rule, effectiveBody } from '../../shared/rules/index.ts';

/** Drawn plan requests, for the property tests of plans (test/rules, test/periods). */

/**
 * Starts from 2024-03-01 (one time zone) to mid-2036, through the published years and the
 * projected ones, leaving room for a year's period before the horizon (2037-12-31).
 */
export const startArb: fc.Arbitrary<number> = fc
  .record({ day: fc.integer({ min: dayNumber('2024-03-01'), max: dayNumber('2036-06-30') }), minute: fc.integer({ min: 0, max: 24 * 60 - 1 }) })
  .map(({ day, minute }) => instantAt(fromDayNumber(day), '00:00') + minute * 60_000);

/** A drawn start moved into the rule's days in force, at the same time of day: a rule counts nothing before it applies. */
export function inForce(rule: Rule, drawn: number): number {
  const from = instantAt(rule.validFrom, '00:00');
  return drawn < from ? from + (drawn - instantAt(localDateOf(drawn), '00:00')) : drawn;
}

/** One of the rule's variants (none for a rule without), picked by any natural number. */
export function variantOf(rule: Rule, pick: number): string | undefined {
  const variants = Object.keys(rule.variants ?? {});
  return variants.length === 0 ? undefined : variants[pick % variants.length];
}

/**
 * A valid request for a rule and variant from a drawn start and count: the start in force, the
 * count held within the rule's bounds where a court or register sets it, and a set date
 * `count × setDateStep` days after the start where the document sets the last day.
 */
export function validRequest(rule: Rule, variant: string | undefined, drawn: number, count: number, calendar: WorkingDayCalendar, setDateStep: number): PlanRequest {
  const start = inForce(rule, drawn);
  const body = effectiveBody(rule, variant);
  const bounds = body.countSetPerCase;
  return {
    rule,
    start,
    calendar,
    ...(variant === undefined ? {} : { variant }),
    ...(bounds?.required === true ? { count: Math.min(bounds.max, Math.max(bounds.min, count)) } : {}),
    ...(body.counting.period.unit === 'set-date' ? { dueDate: addDays(localDateOf(start), count * setDateStep) } : {}),
  };
}
