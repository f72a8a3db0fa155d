import { type Act, HOUR_MS, InputError, type Instant, type LegalSource, type LocalDate, type Role, addDays, addMonths, datesBetween, daysInMonth, instantAt, isValidOn, localDateOf, parts } from '../base/index.ts';
import { CalendarRangeError, type WorkingDayCalendar } from '../calendar/index.ts';
import { type Counting, type CountStep, type Deadline, type OrganisationHours, type Period, STATE_BODY_HOURS, countedDeadline, daysRestedOn } from '../periods/index.ts';
import type { Offset, Recurrence, Rule, RuleVariant } from './rule.ts';

export type MilestoneKind = 'reminder' | 'due' | 'expiry' | 'escalation';

/** One instant of a plan at which someone is told something. */
export interface Milestone {
  /** Stable within a plan: `reminder-1`, `due`, `escalation-2-1` (rung 2, first time). */
  readonly id: string;
  readonly kind: MilestoneKind;
  readonly at: Instant;
  readonly notify: readonly Role[];
}

/** What the next cycle of a recurring obligation waits for. */
export type NextCycle =
  | { readonly kind: 'after-act'; readonly acts: readonly Act[] }
  | { readonly kind: 'calendar'; readonly startsAt: Instant };

/**
 * A day past the published calendar that a deadline rests on: what the law makes of it, until
 * its year's calendar is published (shared/calendar/working-day-calendar.ts, `Projection`).
 */
export interface ProjectedDay {
  readonly date: LocalDate;
  readonly working: boolean;
  readonly why: string;
  /** `computed` and `inferred` are ⚠: a date the government sets, or a holiday awaiting its law. */
  readonly basis: 'law' | 'computed' | 'inferred';
}

/** A rule applied to one start: the due date and everything that happens around it. */
export interface Plan {
  readonly rule: string;
  readonly ruleVersion: number;
  readonly variant?: string;
  readonly calendarVersion: string;
  readonly start: Instant;
  readonly dueDate: LocalDate;
  readonly dueAt: Instant;
  readonly movedFrom?: LocalDate;
  /**
   * The deadline rests on days past the published calendar (projected from the law): a decree
   * for that year may still move it. Absent when every day it rests on is published.
   */
  readonly provisional?: true;
  /** Those days: the projected ones among the days a working-day count crossed, the last day and the days it moved over. */
  readonly projectedDays?: readonly ProjectedDay[];
  readonly actor: Role;
  readonly overdueGrounds?: Rule['overdueGrounds'];
  readonly milestones: readonly Milestone[];
  readonly nextCycle?: NextCycle;
}

export interface PlanRequest {
  readonly rule: Rule;
  readonly start: Instant;
  readonly calendar: WorkingDayCalendar;
  readonly hours?: OrganisationHours;
  readonly variant?: string;
  /** The count a court or a register category sets, where the rule allows it. */
  readonly count?: number;
  /** The last day, where the document sets it. */
  readonly dueDate?: LocalDate;
  /** A new last day granted by an extension: it replaces the counted one. */
  readonly extendedTo?: LocalDate;
}

export class PlanError extends InputError {
  override readonly name = 'PlanError';
}

/** Turns a rule and a start into a plan. Pure: the same request gives the same plan. */
export function planObligation(request: PlanRequest): Plan {
  return explainedPlan(request).plan;
}

/** How a plan's due date was counted, step by step: the due date is the last step's (periods/explanation.ts). */
export interface Explanation {
  readonly steps: readonly CountStep[];
}

/** A plan and how its due date was counted, by the one count that makes the plan. */
export function explainedPlan(request: PlanRequest): { readonly plan: Plan; readonly explanation: Explanation } {
  return namingTheField(request, () => planned(request));
}

function planned(request: PlanRequest): { readonly plan: Plan; readonly explanation: Explanation } {
  const { rule, start, calendar, hours = STATE_BODY_HOURS } = request;
  // A deadline follows the rule version in force on the day its clock started (LEGAL.md, head).
  const startDate = localDateOf(start);
  if (!isValidOn(rule, startDate)) throw notInForce(rule, startDate);
  const variant = request.variant ?? rule.defaultVariant;
  const body = effectiveBody(rule, variant);
  const counted = { ...body.counting, period: periodWithCount(rule, body, request.count) };
  const setDate = request.extendedTo ?? request.dueDate;
  const counting =
    request.extendedTo === undefined
      ? counted
      : { ...counted, period: { unit: 'set-date' as const }, endOfDay: counted.period.unit === 'hours24' ? ('midnight' as const) : counted.endOfDay };
  const { deadline: due, steps } = countedDeadline({ start, counting, calendar, hours, ...(setDate === undefined ? {} : { setDate }) });
  const projectedDays = projectedDaysOf(calendar, start, counting, due);

  const at = (offset: Offset, direction: 1 | -1, fromDate: LocalDate, fromInstant: Instant): Instant => {
    switch (offset.unit) {
      case 'hours':
        return fromInstant + direction * offset.count * HOUR_MS;
      case 'days':
        return instantAt(addDays(fromDate, direction * offset.count), offset.at);
      case 'working-days':
        return instantAt(calendar.addWorkingDays(fromDate, direction * offset.count), offset.at);
      case 'period-opens': {
        const first = calendar.workingDayOnOrAfter(localDateOf(start));
        const opens = instantAt(first, offset.at);
        return opens >= start ? opens : instantAt(calendar.workingDayOnOrAfter(addDays(first, 1)), offset.at);
      }
    }
  };

  const reminders: Milestone[] = body.reminders
    .map((reminder, index) => ({
      id: `reminder-${index + 1}`,
      kind: 'reminder' as const,
      at: at(reminder.before, -1, due.dueDate, due.dueAt),
      notify: reminder.notify,
    }))
    .filter((milestone) => milestone.at > start && milestone.at < due.dueAt);

  const escalations: Milestone[] = body.escalation.flatMap((step, stepIndex) => {
    const times: Milestone[] = [];
    let when = at(step.after, 1, due.dueDate, due.dueAt);
    for (let repeat = 1; repeat <= step.times; repeat += 1) {
      times.push({ id: `escalation-${stepIndex + 1}-${repeat}`, kind: 'escalation', at: when, notify: step.notify });
      if (step.every === undefined) break;
      when = at(step.every, 1, localDateOf(when), when);
    }
    return times;
  });

  const onDue: Milestone = { id: 'due', kind: body.onDue.kind === 'expiry' ? 'expiry' : 'due', at: due.dueAt, notify: body.onDue.notify };
  const milestones = [...reminders, onDue, ...escalations].sort((a, b) => a.at - b.at);
  const nextCycle = body.recurrence === undefined ? undefined : nextCycleOf(body.recurrence, start);

  const plan: Plan = {
    rule: rule.id,
    ruleVersion: rule.version,
    ...(variant === undefined ? {} : { variant }),
    calendarVersion: calendar.version,
    start,
    dueDate: due.dueDate,
    dueAt: due.dueAt,
    ...(due.movedFrom === undefined ? {} : { movedFrom: due.movedFrom }),
    ...(projectedDays.length === 0 ? {} : { provisional: true as const, projectedDays }),
    actor: rule.actor,
    ...(rule.overdueGrounds === undefined ? {} : { overdueGrounds: rule.overdueGrounds }),
    milestones,
    ...(nextCycle === undefined ? {} : { nextCycle }),
  };
  return { plan, explanation: { steps: withRuleGrounds(rule, start, steps, request.extendedTo !== undefined) } };
}

/**
 * The count's steps with what the rule itself adds: the event that starts its clock, and its
 * source where the rule, not the Civil Code, sets the length, the date or that a day off stays.
 */
function withRuleGrounds(rule: Rule, start: Instant, steps: readonly CountStep[], extended: boolean): CountStep[] {
  const own = (grounds: readonly LegalSource[]): LegalSource[] => [...rule.sources, ...grounds];
  return [
    { kind: 'event', at: start, act: rule.startEvent, grounds: rule.sources },
    ...steps.map((step): CountStep => {
      switch (step.kind) {
        case 'hours-start':
        case 'not-moved':
          return { ...step, grounds: own(step.grounds) };
        case 'last-day':
          // An extension's last day rests on the act that granted it, recorded on the obligation.
          return extended ? { ...step, extended: true } : { ...step, grounds: own(step.grounds) };
        default:
          return step;
      }
    }),
  ];
}

/**
 * The refusal of a start outside a rule version's days: before them it names the day and the act
 * that bring the rule in; after them, the day it ended. `next` is the version that starts later, if any.
 */
export function notInForce(rule: Rule, date: LocalDate, next?: Rule): PlanError {
  if (date < rule.validFrom) {
    return new PlanError(`${rule.id} is in force from ${rule.validFrom}, by ${rule.enactedBy.act}: a start on ${date} is before it`, { field: 'start' });
  }
  return new PlanError(
    next === undefined
      ? `${rule.id} was in force until ${rule.validTo ?? ''}, and no later version applies: a start on ${date} is after it`
      : `${rule.id} was in force until ${rule.validTo ?? ''}; its next version is in force from ${next.validFrom} (${next.enactedBy.act}): a start on ${date} falls between them`,
    { field: 'start' },
  );
}

/**
 * Whether two plans tell the same people the same things at the same instants: the same last day
 * and due instant, the same milestones (id, kind, instant, whom) and the same next period.
 * Compared field by field, never as JSON: a plan read back from DynamoDB has its keys in the
 * table's order, and every stored plan would look changed.
 */
export function samePlan(a: Plan, b: Plan): boolean {
  return (
    a.dueDate === b.dueDate &&
    a.dueAt === b.dueAt &&
    a.milestones.length === b.milestones.length &&
    a.milestones.every((milestone, index) => {
      const other = b.milestones[index];
      return (
        other !== undefined &&
        milestone.id === other.id &&
        milestone.kind === other.kind &&
        milestone.at === other.at &&
        milestone.notify.length === other.notify.length &&
        milestone.notify.every((role, at) => other.notify[at] === role)
      );
    }) &&
    nextCycleKey(a.nextCycle) === nextCycleKey(b.nextCycle)
  );
}

function nextCycleKey(next: NextCycle | undefined): string {
  if (next === undefined) return '';
  return next.kind === 'calendar' ? `calendar@${next.startsAt}` : `after:${next.acts.join(',')}`;
}

/** The projected days among those the deadline rests on, in date order. */
function projectedDaysOf(calendar: WorkingDayCalendar, start: Instant, counting: Counting, due: Deadline): ProjectedDay[] {
  const { from, to } = daysRestedOn(start, counting, due);
  const days: ProjectedDay[] = [];
  for (const date of datesBetween(from, to)) {
    const day = calendar.day(date);
    if (day.projected !== undefined) days.push({ date, working: day.working, why: day.projected.why, basis: day.projected.basis });
  }
  return days;
}

/**
 * A plan that reaches before the calendar's data or past its horizon is refused naming the field
 * that took it there: the set last day, else the start, else the court's count.
 */
function namingTheField<T>(request: PlanRequest, plan: () => T): T {
  const setDate = request.extendedTo ?? request.dueDate;
  try {
    return plan();
  } catch (error) {
    if (!(error instanceof CalendarRangeError) || error.field !== undefined) throw error;
    const outside = (date: LocalDate): boolean => {
      try {
        request.calendar.check(date);
        return false;
      } catch {
        return true;
      }
    };
    const field =
      setDate !== undefined && outside(setDate) ? 'dueDate' : outside(localDateOf(request.start)) || request.count === undefined ? 'start' : 'count';
    throw new CalendarRangeError(error.message, { field });
  }
}

type RuleBody = Required<Pick<Rule, 'counting' | 'reminders' | 'onDue' | 'escalation'>> &
  Pick<Rule, 'recurrence' | 'countSetPerCase'>;

/** The rule's body with the chosen variant laid over it. */
export function effectiveBody(rule: Rule, variantName: string | undefined): RuleBody {
  const name = variantName ?? rule.defaultVariant;
  const variants = rule.variants ?? {};
  if (name === undefined) {
    if (Object.keys(variants).length > 0) {
      throw new PlanError(`${rule.id} needs a variant: one of ${Object.keys(variants).join(', ')}`, { field: 'variant' });
    }
    return rule;
  }
  // Only the rule's own keys: `__proto__`, `constructor` or `toString` are not variants, whatever
  // an object inherits.
  const variant: RuleVariant | undefined = Object.hasOwn(variants, name) ? variants[name] : undefined;
  if (variant === undefined) {
    const known = Object.keys(variants);
    throw new PlanError(
      known.length === 0
        ? `${rule.id} has no variants, "${name}" given`
        : `${rule.id} has no variant "${name}": one of ${known.join(', ')}`,
      { field: 'variant' },
    );
  }
  return {
    counting: variant.counting ?? rule.counting,
    reminders: variant.reminders ?? rule.reminders,
    onDue: variant.onDue ?? rule.onDue,
    escalation: variant.escalation ?? rule.escalation,
    recurrence: variant.recurrence ?? rule.recurrence,
    countSetPerCase: variant.countSetPerCase ?? rule.countSetPerCase,
  };
}

function periodWithCount(rule: Rule, body: RuleBody, count: number | undefined): Period {
  const { period } = body.counting;
  const bounds = body.countSetPerCase;
  if (count === undefined) {
    if (bounds?.required === true) {
      throw new PlanError(`${rule.id}: the count is set per case (${bounds.setBy.en}, ${bounds.min}–${bounds.max}): give it`, { field: 'count' });
    }
    return period;
  }
  if (bounds === undefined || !('count' in period)) {
    throw new PlanError(`${rule.id}: the law fixes this period; a count cannot be given`, { field: 'count' });
  }
  if (!Number.isInteger(count) || count < bounds.min || count > bounds.max) {
    throw new PlanError(`${rule.id}: the count must be a whole number from ${bounds.min} to ${bounds.max}, got ${count}`, { field: 'count' });
  }
  return { ...period, count };
}

function nextCycleOf(recurrence: Recurrence, start: Instant): NextCycle {
  if (recurrence.kind === 'after-act') return { kind: 'after-act', acts: recurrence.acts };
  const months = { month: 1, quarter: 3, year: 12 }[recurrence.every];
  return { kind: 'calendar', startsAt: instantAt(samePointLater(localDateOf(start), months), '00:00') };
}

/** The same point of a later period: a month's last day stays a month's last day. */
function samePointLater(date: LocalDate, months: number): LocalDate {
  const { year, month, day } = parts(date);
  const later = addMonths(date, months);
  if (day !== daysInMonth(year, month)) return later;
  const { year: laterYear, month: laterMonth } = parts(later);
  return `${later.slice(0, 8)}${String(daysInMonth(laterYear, laterMonth)).padStart(2, '0')}`;
}
