import { InputError, type LocalDate, addMonths, daysInMonth, formatInstant, instantAt, makeDate, parts } from '../base/index.ts';
import type { WorkingDayCalendar } from '../calendar/index.ts';
import { STATE_BODY_HOURS, deadline } from '../periods/index.ts';
import { type Rule, effectiveBody, planObligation } from '../rules/index.ts';
import { type ActionPlan, type ActionPlanDeadline, type ActionPlanRow, type ActionPlanVariant, MONTHS, type OpeningRequest, YEARLY_BY, YEARS } from './schemas.ts';

/** The periods an action plan's items run in, and the obligations a checked plan opens. */

/**
 * The obligations a checked plan opens: one per (item, responsible body), in the plan's order.
 * Monthly, quarterly, yearly and permanent items start at the first day of the month, quarter or
 * year that holds the item's first day (the first report covers that whole period), at
 * 00:00+05:00; later periods come with the rule's calendar recurrence. A window of months starts
 * on its first day and recurs each year. A dated item opens the by-date variant with its due date.
 * A `yearly:MM-DD` item opens its FIRST year's by-date obligation only (the first such day on or
 * after `from`); the next year's comes with recurrence later, not from this import. An item with
 * years of its own runs within them: its periods start in them, and it ends with the last.
 */
export function openingsOf(plan: ActionPlan, options: { readonly today?: LocalDate } = {}): OpeningRequest[] {
  return plan.items.flatMap((row) => {
    const span = spanOf(row, plan);
    const first = span === undefined ? undefined : currentCycle(cyclesOf(row.deadline, span.from, span.until), options.today);
    if (span === undefined || first === undefined) return []; // cannot happen for a checked plan: the check refuses such a row
    return row.responsible.map((org) => ({
      rule: 'action-plan-item' as const,
      variant: first.variant,
      caseRef: `${plan.plan}/${row.item}`,
      org,
      issuedBy: plan.issuedBy,
      start: formatInstant(instantAt(first.start, '00:00')),
      ...(first.dueDate === undefined ? {} : { dueDate: first.dueDate }),
      ...(first.count === undefined ? {} : { count: first.count }),
      until: span.until,
      label: row.item,
      ...(row.title === undefined ? {} : { title: row.title }),
    }));
  });
}

/**
 * The period to open on `today`: a plan loaded after its start opens the period under way (a
 * recurring item) or the next date still to come (a yearly by-date item), not months of periods
 * already past, each of which would be reminded and escalated at once.
 */
function currentCycle(cycles: readonly Cycle[], today: LocalDate | undefined): Cycle | undefined {
  if (today === undefined) return cycles[0];
  const dated = cycles.filter((cycle) => cycle.last !== undefined);
  if (dated.length > 0) return dated.find((cycle) => (cycle.last ?? '') >= today) ?? dated[dated.length - 1];
  return cycles.filter((cycle) => cycle.start <= today).pop() ?? cycles[0];
}

/** One period of an item: when its clock starts and, for a by-date item, its last day; for a window, its months. */
export interface Cycle {
  readonly variant: ActionPlanVariant;
  readonly start: LocalDate;
  readonly dueDate?: LocalDate;
  readonly count?: number;
  /** The last day a dated item or a window runs to, before any move off a day off: a plan loaded later opens the first still to come. */
  readonly last?: LocalDate;
}

/**
 * The days an item runs: the plan's period, or the part of it within the item's own years.
 * Undefined when those years lie outside the plan.
 */
export function spanOf(row: Pick<ActionPlanRow, 'years'>, plan: { readonly from: LocalDate; readonly until: LocalDate }): { from: LocalDate; until: LocalDate } | undefined {
  const years = row.years === undefined ? null : YEARS.exec(row.years);
  if (years === null) return { from: plan.from, until: plan.until };
  const first = `${years[1] ?? ''}-01-01`;
  const last = `${years[2] ?? years[1] ?? ''}-12-31`;
  const span = { from: first > plan.from ? first : plan.from, until: last < plan.until ? last : plan.until };
  return span.from <= span.until ? span : undefined;
}

/**
 * Every period of an item within [from, until], the first being the one opened now.
 *
 * `yearly:MM-DD` opens only the first year's by-date obligation; each later year's (listed here
 * so that the calendar is checked for it too) is to be opened by recurrence later: the catalog's
 * by-date variant has no yearly recurrence of its own yet. Its clock starts on 1 January of its
 * year, or on `from` in the plan's first year.
 */
export function cyclesOf(when: ActionPlanDeadline, from: LocalDate, until: LocalDate): Cycle[] {
  const { year, month } = parts(from);
  if (when === 'monthly' || when === 'quarterly' || when === 'yearly' || when === 'permanent') {
    const first =
      when === 'monthly' ? makeDate(year, month, 1) : when === 'yearly' ? makeDate(year, 1, 1) : makeDate(year, Math.floor((month - 1) / 3) * 3 + 1, 1);
    const step = { monthly: 1, quarterly: 3, permanent: 3, yearly: 12 }[when];
    const cycles: Cycle[] = [];
    for (let start = first; start <= until; start = addMonths(start, step)) cycles.push({ variant: when, start });
    return cycles;
  }
  const window = MONTHS.exec(when);
  if (window !== null) {
    // A window belongs to the plan when it opens by `until` and closes on or after `from`: recurrence opens the same ones.
    const [opens, closes] = [Number(window[1]), Number(window[2] ?? window[1])];
    const cycles: Cycle[] = [];
    for (let y = year; makeDate(y, opens, 1) <= until; y += 1) {
      const last = makeDate(y, closes, daysInMonth(y, closes));
      if (last >= from) cycles.push({ variant: 'window', start: makeDate(y, opens, 1), count: closes - opens + 1, last });
    }
    return cycles;
  }
  const yearly = YEARLY_BY.exec(when);
  if (yearly === null) {
    return when >= from && when <= until ? [{ variant: 'by-date', start: from, dueDate: when, last: when }] : [];
  }
  const cycles: Cycle[] = [];
  for (let due = `${year}-${yearly[1]}-${yearly[2]}`; due <= until; due = addMonths(due, 12)) {
    if (due < from) continue;
    const january = `${due.slice(0, 4)}-01-01`;
    cycles.push({ variant: 'by-date', start: january < from ? from : january, dueDate: due, last: due });
  }
  return cycles;
}

/**
 * Why the calendar cannot carry an item's periods, if it cannot. The opening (the first period)
 * starts running now, so it must plan in full: due date, reminders and escalations. Each later
 * period opens with recurrence and is planned then, possibly with a calendar extended by a later
 * decree; here its deadline must at least be countable, so that a plan reaching beyond the
 * calendar's data (dates after 2027) is refused now, on the row that reaches there.
 */
export function uncarried(cycles: readonly Cycle[], rule: Rule, calendar: WorkingDayCalendar): string | undefined {
  for (const [index, cycle] of cycles.entries()) {
    const start = instantAt(cycle.start, '00:00');
    const setDate = cycle.dueDate === undefined ? {} : { dueDate: cycle.dueDate };
    const count = cycle.count === undefined ? {} : { count: cycle.count };
    try {
      if (index === 0) {
        planObligation({ rule, start, calendar, variant: cycle.variant, ...setDate, ...count });
      } else {
        const { counting } = effectiveBody(rule, cycle.variant);
        const period = cycle.count !== undefined && 'count' in counting.period ? { ...counting.period, count: cycle.count } : counting.period;
        deadline({ start, counting: { ...counting, period }, calendar, hours: STATE_BODY_HOURS, ...(cycle.dueDate === undefined ? {} : { setDate: cycle.dueDate }) });
      }
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      const what =
        cycle.dueDate !== undefined
          ? `the deadline ${cycle.dueDate}`
          : cycle.variant === 'window'
            ? `the window from ${cycle.start}`
            : cycle.variant === 'permanent'
              ? `the quarter from ${cycle.start} (permanent)`
              : `the ${cycle.variant} period from ${cycle.start}`;
      return `${what} cannot be ${index === 0 ? 'planned' : 'counted'}: ${error.message}`;
    }
  }
  return undefined;
}
