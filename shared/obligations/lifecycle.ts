import { type Act, InputError, type Instant, type LocalDate, type Party, formatInstant } from '../base/index.ts';
import type { WorkingDayCalendar } from '../calendar/index.ts';
import type { Obligation } from '../model/index.ts';
import { type Explanation, type Plan, type PlanRequest, type Rule, effectiveBody, explainedPlan } from '../rules/index.ts';

const ACT_REFUSED_STATUS = { conflict: 409, invalid: 422, forbidden: 403 } as const;

/** An act that cannot be recorded on this obligation now: the API answers 403, 409 or 422. */
export class ActRefusedError extends InputError {
  override readonly name = 'ActRefusedError';
  override readonly status: number;
  constructor(
    message: string,
    /**
     * `forbidden`: the caller holds no power to record it (403); `conflict`: the obligation's
     * state forbids it now (409); `invalid`: the act or its values never apply (422).
     */
    override readonly kind: 'conflict' | 'invalid' | 'forbidden',
    field?: string,
  ) {
    super(message, field === undefined ? {} : { field });
    this.status = ACT_REFUSED_STATUS[kind];
  }
}

/** What recording an act does to an obligation and its timer. */
export type ActEffect =
  /** Closed for good: the timer stops. */
  | { readonly kind: 'close'; readonly status: 'done' | 'cancelled' }
  /** A check done, or a pause ended: the next cycle starts from the act, on a new timer. */
  | { readonly kind: 'next-cycle'; readonly start: Instant }
  /** A periodic report sent: this cycle is done; the timer goes on to the next period. */
  | { readonly kind: 'cycle-done' }
  /** The deadline moves: a new revision of the plan on a new timer. */
  | { readonly kind: 'replan'; readonly extendedTo?: LocalDate; readonly start?: Instant }
  /** Recorded, and the clock goes on as it was: a request for time, a hand-over, a breach found. */
  | { readonly kind: 'keep'; readonly changes: ObligationChanges }
  /** Paused on its rule's legal ground: the timer stops until resumed. */
  | { readonly kind: 'suspend' }
  /** Served again: a new obligation from `start`, linked to this one, which closes if it still runs. */
  | { readonly kind: 'renew'; readonly start: Instant };

/** Fields an act may set on the obligation without a new plan; `null` removes one. */
export interface ObligationChanges {
  readonly org?: string;
  readonly issuedBy?: string;
  readonly assignee?: string | null;
  readonly requestedDueDate?: LocalDate | null;
  readonly violations?: number;
}

export interface ActInput {
  readonly act: Act;
  readonly at: Instant;
  /** When it is recorded: an act is never dated after it (beyond CLOCK_SKEW_MS). */
  readonly now: Instant;
  /** Who records it, and what they are to the obligation (shared/obligations/authority.ts). */
  readonly user: string;
  readonly parties: ReadonlySet<Party>;
  readonly reason?: string;
  readonly dueDate?: LocalDate;
  readonly start?: Instant;
  readonly org?: string;
  readonly assignee?: string;
}

/** A clock a few minutes ahead of ours is a clock, not a lie. */
export const CLOCK_SKEW_MS = 5 * 60_000;
/** An act dated further back than this needs a reason. */
export const BACKDATING_WITHOUT_REASON_MS = 72 * 3600_000;
/** A start is corrected within this long of opening; after that the record stands. */
export const START_CORRECTION_WINDOW_MS = 30 * 24 * 3600_000;

/** Acts that may be recorded while the clock is paused. */
const WHILE_SUSPENDED: ReadonlySet<Act> = new Set(['resumed', 'cancelled', 'deregistered', 'transferred', 'reassigned']);

/**
 * Why the obligation's state refuses an act now, or undefined. Only the state: the act's own
 * values (dates, units) are checked by effectOf. The dashboard's allowed acts use this too.
 */
export function stateRefusal(rule: Rule, obligation: Obligation, act: Act, { now, parties, user }: { now: Instant; parties: ReadonlySet<Party>; user: string }): string | undefined {
  const recurrence = effectiveBody(rule, obligation.variant).recurrence;
  const { status } = obligation;
  if (act === 'renewed') {
    if (obligation.renewedBy !== undefined) return `this order was renewed already (${obligation.renewedBy})`;
    return status === 'open' || status === 'overdue' || status === 'expired' ? undefined : `the obligation is ${status}: it cannot be renewed`;
  }
  const finished = status === 'expired' || status === 'cancelled' || (status === 'done' && recurrence?.kind !== 'calendar');
  if (finished) return `the obligation is ${status}: no act can be recorded on it`;
  if (status === 'suspended' && !WHILE_SUSPENDED.has(act)) return 'the clock is paused (suspended): resume it first';
  if (act === 'resumed' && status !== 'suspended') return 'the clock is not paused';
  if (status === 'done' && !rule.closedBy.includes(act) && act !== 'cancelled') return 'this period is done; the next one opens on its own';
  if (status === 'done' && rule.closedBy.includes(act)) return `this period's ${act} act is already recorded`;
  switch (act) {
    case 'extension-requested':
      return obligation.requestedDueDate === undefined ? undefined : `an extension to ${obligation.requestedDueDate} already awaits the issuer's answer`;
    case 'extended':
    case 'extension-refused':
      // The issuer answers the addressee's request for time: it does not move the term unasked.
      return obligation.requestedDueDate === undefined ? 'no extension has been asked for: the addressee asks for it first (extension-requested)' : undefined;
    case 'start-corrected':
      return now - obligation.createdAt > START_CORRECTION_WINDOW_MS ? 'a start is corrected within 30 days of opening; after that the record stands' : undefined;
    case 'reassigned':
      // An official takes an unassigned obligation of their unit; giving it to another is the head's.
      if (parties.has('head') || parties.has('admin')) return undefined;
      return obligation.assignee === undefined ? undefined : `it is assigned to ${obligation.assignee === user ? 'you' : 'someone'} already: the unit's head reassigns it`;
    case 'violation-found':
      return status === 'open' || status === 'overdue' ? undefined : `the obligation is ${status}`;
    default:
      return undefined;
  }
}

/** Decides what an act means for an obligation of a rule, or refuses it with a reason. The caller's power is checked first (authority.ts). */
export function effectOf(rule: Rule, obligation: Obligation, input: ActInput): ActEffect {
  const { act, at, now } = input;
  const refusal = stateRefusal(rule, obligation, act, input);
  if (refusal !== undefined) throw new ActRefusedError(refusal, 'conflict', 'act');
  checkHonestTime(obligation, input);
  const recurrence = effectiveBody(rule, obligation.variant).recurrence;
  switch (act) {
    case 'cancelled':
      return { kind: 'close', status: 'cancelled' };
    case 'extension-requested': {
      const dueDate = required(input.dueDate, 'dueDate', 'a request for time needs the new last day');
      if (dueDate <= currentDueDate(obligation)) throw new ActRefusedError(`a request for time asks for a later last day than ${currentDueDate(obligation)}`, 'invalid', 'dueDate');
      return { kind: 'keep', changes: { requestedDueDate: dueDate } };
    }
    case 'extended': {
      const dueDate = required(input.dueDate, 'dueDate', 'an extension needs the new last day');
      if (dueDate < obligation.plan.dueDate) {
        throw new ActRefusedError(`an extension moves the last day later: ${dueDate} is before ${obligation.plan.dueDate}`, 'invalid', 'dueDate');
      }
      return { kind: 'replan', extendedTo: dueDate };
    }
    case 'extension-refused':
      return { kind: 'keep', changes: { requestedDueDate: null } };
    case 'start-corrected': {
      const start = required(input.start, 'start', 'a corrected start needs the start');
      if (start > now + CLOCK_SKEW_MS) throw new ActRefusedError('a corrected start cannot be in the future', 'invalid', 'start');
      return { kind: 'replan', start };
    }
    case 'transferred': {
      const org = required(input.org, 'org', 'a transfer needs the unit that takes the case over');
      const moves = rule.authority.transfers;
      if (moves === undefined) throw new ActRefusedError(`${rule.id} is not handed over to another unit`, 'invalid', 'act');
      const current = moves === 'issuer' ? obligation.issuedBy : obligation.org;
      if (org === current) throw new ActRefusedError(`the case is with ${org} already`, 'invalid', 'org');
      // The new unit's people take it up: an assignee of the old unit is not theirs.
      return { kind: 'keep', changes: moves === 'issuer' ? { issuedBy: org } : { org, assignee: null } };
    }
    case 'reassigned': {
      const assignee = required(input.assignee, 'assignee', 'a reassignment needs the official');
      if (!input.parties.has('head') && !input.parties.has('admin') && assignee !== input.user) {
        throw new ActRefusedError('you may take an unassigned obligation yourself; the unit\'s head gives it to someone else', 'forbidden', 'assignee');
      }
      return { kind: 'keep', changes: { assignee } };
    }
    case 'violation-found':
      return { kind: 'keep', changes: { violations: (obligation.violations ?? 0) + 1 } };
    case 'renewed':
      return { kind: 'renew', start: at };
    case 'suspended':
      return { kind: 'suspend' };
    case 'resumed':
      if (recurrence?.kind !== 'after-act') throw new ActRefusedError(`${rule.id} does not resume with a new count`, 'invalid', 'act');
      return { kind: 'next-cycle', start: at };
    default:
      break;
  }
  if (recurrence?.until.includes(act) === true) return { kind: 'close', status: 'done' };
  if (rule.closedBy.includes(act)) {
    if (recurrence?.kind === 'after-act' && recurrence.acts.includes(act)) return { kind: 'next-cycle', start: at };
    if (recurrence?.kind === 'calendar') return { kind: 'cycle-done' };
    return { kind: 'close', status: 'done' };
  }
  throw new ActRefusedError(`"${act}" does not apply to ${rule.id}`, 'invalid', 'act');
}

/**
 * An act happened after the clock (or its cycle) started and before it is recorded, give or
 * take a clock's skew; one dated over 72 hours back says why.
 */
function checkHonestTime(obligation: Obligation, { act, at, now, reason }: ActInput): void {
  if (at > now + CLOCK_SKEW_MS) throw new ActRefusedError(`${act} cannot be dated after the moment it is recorded (${formatInstant(now)})`, 'invalid', 'at');
  if (at < obligation.start) throw new ActRefusedError(`${act} cannot be dated before the clock started (${formatInstant(obligation.start)})`, 'invalid', 'at');
  if (at < now - BACKDATING_WITHOUT_REASON_MS && reason === undefined) {
    throw new ActRefusedError(`${act} is dated more than 72 hours back: give the reason it is recorded late`, 'invalid', 'reason');
  }
}

function currentDueDate(obligation: Obligation): LocalDate {
  return obligation.plan.dueDate;
}

function required<T>(value: T | undefined, field: string, message: string): T {
  if (value === undefined) throw new ActRefusedError(message, 'invalid', field);
  return value;
}

/** The plan of an obligation as it stands: its start, variant, count, set date and extension. */
export function planOf(rule: Rule, obligation: Pick<Obligation, 'start' | 'variant' | 'count' | 'dueDate' | 'extendedTo'>, calendar: WorkingDayCalendar): Plan {
  return explainedPlan(requestOf(rule, obligation, calendar)).plan;
}

/**
 * How an obligation's due date was counted, by the count that makes its plan. None when the
 * calendar has changed under the stored plan since (re-planning has not yet run): an
 * explanation never tells of another date than the one the obligation keeps.
 */
export function explanationOf(
  rule: Rule,
  obligation: Pick<Obligation, 'start' | 'variant' | 'count' | 'dueDate' | 'extendedTo' | 'plan'>,
  calendar: WorkingDayCalendar,
): Explanation | undefined {
  if (obligation.plan.rule !== rule.id || obligation.plan.ruleVersion !== rule.version) return undefined;
  const { plan, explanation } = explainedPlan(requestOf(rule, obligation, calendar));
  return plan.dueAt === obligation.plan.dueAt && plan.dueDate === obligation.plan.dueDate ? explanation : undefined;
}

function requestOf(rule: Rule, obligation: Pick<Obligation, 'start' | 'variant' | 'count' | 'dueDate' | 'extendedTo'>, calendar: WorkingDayCalendar): PlanRequest {
  return {
    rule,
    start: obligation.start,
    calendar,
    ...(obligation.variant === undefined ? {} : { variant: obligation.variant }),
    ...(obligation.count === undefined ? {} : { count: obligation.count }),
    ...(obligation.dueDate === undefined ? {} : { dueDate: obligation.dueDate }),
    ...(obligation.extendedTo === undefined ? {} : { extendedTo: obligation.extendedTo }),
  };
}

/** Whether an obligation still needs a running timer: the reconciler watches these. */
export function needsTimer(rule: Rule, obligation: Pick<Obligation, 'status' | 'variant' | 'closedAt'>): boolean {
  if (obligation.status === 'open' || obligation.status === 'overdue') return true;
  // A periodic report done for this period waits for the next one, until the last period ends.
  return obligation.status === 'done' && obligation.closedAt === undefined && effectiveBody(rule, obligation.variant).recurrence?.kind === 'calendar';
}
