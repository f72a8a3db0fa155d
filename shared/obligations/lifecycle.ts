import type { Instant } from '../calendar/instant.ts';
import type { LocalDate } from '../calendar/local-date.ts';
import type { WorkingDayCalendar } from '../calendar/working-day-calendar.ts';
import type { Act } from '../model/acts.ts';
import { InputError } from '../model/errors.ts';
import type { Obligation } from '../model/obligation.ts';
import { type Plan, effectiveBody, planObligation } from '../rules/plan.ts';
import type { Rule } from '../rules/rule.ts';

/** An act that cannot be recorded on this obligation now: the API answers 409 or 422. */
export class ActRefusedError extends InputError {
  override readonly name = 'ActRefusedError';
  constructor(
    message: string,
    /** `conflict`: the obligation's state forbids it (409); `invalid`: the act never applies (422). */
    readonly kind: 'conflict' | 'invalid',
  ) {
    super(message);
  }
}

/** What recording an act does to an obligation and its timer. */
export type ActEffect =
  /** Closed for good: the timer stops. */
  | { readonly kind: 'close'; readonly status: 'done' | 'cancelled' }
  /** A check done: the next cycle starts from the act, on a new timer. */
  | { readonly kind: 'next-cycle'; readonly start: Instant }
  /** A periodic report sent: this cycle is done; the timer goes on to the next period. */
  | { readonly kind: 'cycle-done' }
  /** The deadline moves: a new revision of the plan on a new timer. */
  | { readonly kind: 'replan'; readonly extendedTo?: LocalDate; readonly start?: Instant };

export interface ActInput {
  readonly act: Act;
  readonly at: Instant;
  readonly dueDate?: LocalDate;
  readonly start?: Instant;
}

/** Decides what an act means for an obligation of a rule, or refuses it with a reason. */
export function effectOf(rule: Rule, obligation: Obligation, input: ActInput): ActEffect {
  const body = effectiveBody(rule, obligation.variant);
  const recurrence = body.recurrence;
  const finished = obligation.status === 'expired' || obligation.status === 'cancelled' || (obligation.status === 'done' && recurrence?.kind !== 'calendar');
  if (finished) {
    throw new ActRefusedError(`the obligation is ${obligation.status}: no act can be recorded on it`, 'conflict');
  }
  const { act } = input;
  if (act === 'cancelled') return { kind: 'close', status: 'cancelled' };
  if (recurrence?.until.includes(act) === true) return { kind: 'close', status: 'done' };
  if (rule.closedBy.includes(act)) {
    if (recurrence?.kind === 'after-act' && recurrence.acts.includes(act)) {
      if (input.at < obligation.start) throw new ActRefusedError(`the ${act} act cannot be before the cycle's start`, 'invalid');
      return { kind: 'next-cycle', start: input.at };
    }
    if (recurrence?.kind === 'calendar') {
      if (obligation.status === 'done') throw new ActRefusedError(`this period's ${act} act is already recorded`, 'conflict');
      return { kind: 'cycle-done' };
    }
    return { kind: 'close', status: 'done' };
  }
  if (obligation.status === 'done') {
    throw new ActRefusedError('this period is done; the next one opens on its own', 'conflict');
  }
  if (act === 'extended') {
    if (input.dueDate === undefined) throw new ActRefusedError('an extension needs the new last day', 'invalid');
    if (input.dueDate < obligation.plan.dueDate) {
      throw new ActRefusedError(`an extension moves the last day later: ${input.dueDate} is before ${obligation.plan.dueDate}`, 'invalid');
    }
    return { kind: 'replan', extendedTo: input.dueDate };
  }
  if (act === 'start-corrected') {
    if (input.start === undefined) throw new ActRefusedError('a corrected start needs the start', 'invalid');
    return { kind: 'replan', start: input.start };
  }
  const applies = [...rule.closedBy, ...(recurrence?.until ?? []), 'extended', 'start-corrected', 'cancelled'];
  throw new ActRefusedError(`"${act}" does not apply to ${rule.id}: one of ${[...new Set(applies)].join(', ')}`, 'invalid');
}

/** The plan of an obligation as it stands: its start, variant, count, set date and extension. */
export function planOf(rule: Rule, obligation: Pick<Obligation, 'start' | 'variant' | 'count' | 'dueDate' | 'extendedTo'>, calendar: WorkingDayCalendar): Plan {
  return planObligation({
    rule,
    start: obligation.start,
    calendar,
    ...(obligation.variant === undefined ? {} : { variant: obligation.variant }),
    ...(obligation.count === undefined ? {} : { count: obligation.count }),
    ...(obligation.dueDate === undefined ? {} : { dueDate: obligation.dueDate }),
    ...(obligation.extendedTo === undefined ? {} : { extendedTo: obligation.extendedTo }),
  });
}

/** Whether an obligation still needs a running timer: the reconciler watches these. */
export function needsTimer(rule: Rule, obligation: Pick<Obligation, 'status' | 'variant' | 'closedAt'>): boolean {
  if (obligation.status === 'open' || obligation.status === 'overdue') return true;
  // A periodic report done for this period waits for the next one, until the last period ends.
  return obligation.status === 'done' && obligation.closedAt === undefined && effectiveBody(rule, obligation.variant).recurrence?.kind === 'calendar';
}
