import type { Rule } from '../shared/rules/rule.ts';
import { effectiveBody } from '../shared/rules/plan.ts';
import { type TimerSlot, recursOnCalendar, timerSlots } from '../shared/rules/slots.ts';
import { rolesInName } from './role-names.ts';

/** Step Functions allows at most 80 characters in a state name. */
export const MAX_STATE_NAME_LENGTH = 80;

/** Which function a milestone's Task invokes. */
export type MilestoneFunction = 'notify' | 'escalate';

/** The states of one slot: wait for its instant, act, then branch on what the act answered. */
export interface SlotStateNames {
  readonly slot: TimerSlot;
  readonly wait: string;
  readonly task: string;
  readonly check: string;
  readonly function: MilestoneFunction;
}

/** The states after the last slot of a calendar-recurring rule. */
export interface NextPeriodStateNames {
  /**
   * A Choice on whether the plan gives `nextPeriodAt`; only where some variant of the rule does
   * not recur on the calendar (an action-plan item "by a set date"), absent otherwise.
   */
  readonly check?: string;
  readonly wait: string;
  readonly start: string;
  readonly started: string;
}

/** Every state name of a rule's state machine, unique and at most 80 characters each. */
export interface TimerStateNames {
  readonly plan: string;
  readonly checkPlan: string;
  readonly slots: readonly SlotStateNames[];
  readonly closed: string;
  readonly superseded: string;
  /**
   * Where the machine ends when nobody closed the obligation on the way: `LadderFinished`,
   * `MeasureExpired`, `OverdueMarked`. Absent where every run goes on to the next period.
   */
  readonly finished?: string;
  /** A Fail for an outcome the machine has no branch for (a bug, not a case). */
  readonly unexpected: string;
  readonly nextPeriod?: NextPeriodStateNames;
}

/**
 * Names the states of a rule's machine in the domain's words, as a lawyer reads them in the
 * Step Functions console: `WaitForReminder`, `RemindAkimatDepartment`, `WaitForDeadline`,
 * `MarkOverdue`, `WaitForEscalationToDepartmentHead`, `EscalateToDepartmentHead`,
 * `EscalateToDepartmentHeadAgain2` (the second time), `EscalateToDeputyAkim`. A name a rule
 * repeats (a second reminder) takes a numeral: `WaitForReminder2`, `RemindAddressee2`.
 */
export function timerStateNames(rule: Rule): TimerStateNames {
  const names = new UniqueNames();
  const plan = names.take('Plan');
  const checkPlan = names.take('StillOpenAfterPlan');
  const closed = names.take('ObligationClosed');
  const superseded = names.take('SupersededByNewerRevision');
  const unexpected = names.take('UnexpectedStepOutcome');

  const slots = timerSlots(rule).map((slot): SlotStateNames => {
    const base = slotBaseNames(slot);
    const wait = names.take(base.wait);
    const task = names.take(base.task);
    const check = names.take(`StillOpenAfter${task}`);
    return { slot, wait, task, check, function: slot.kind === 'escalation' ? 'escalate' : 'notify' };
  });

  const finished = (): string => names.take(finishedName(slots.map((states) => states.slot)));

  if (!recursOnCalendar(rule)) return { plan, checkPlan, slots, closed, superseded, unexpected, finished: finished() };
  const variants = rule.variants === undefined ? [undefined] : Object.keys(rule.variants);
  const everyVariantRecurs = variants.every((variant) => effectiveBody(rule, variant).recurrence?.kind === 'calendar');
  const nextPeriod: NextPeriodStateNames = {
    ...(everyVariantRecurs ? {} : { check: names.take('IsNextPeriodPlanned') }),
    wait: names.take('WaitForNextPeriod'),
    start: names.take('StartNextCycle'),
    started: names.take('NextCycleStarted'),
  };
  return { plan, checkPlan, slots, closed, superseded, unexpected, nextPeriod, ...(everyVariantRecurs ? {} : { finished: finished() }) };
}

/** Every name of the machine: the plan, the slots first to last, what follows, then the ends. */
export function allStateNames(names: TimerStateNames): string[] {
  const { nextPeriod } = names;
  return [
    names.plan,
    names.checkPlan,
    ...names.slots.flatMap((slot) => [slot.wait, slot.task, slot.check]),
    nextPeriod?.check,
    nextPeriod?.wait,
    nextPeriod?.start,
    nextPeriod?.started,
    names.finished,
    names.closed,
    names.superseded,
    names.unexpected,
  ].filter((name) => name !== undefined);
}

function slotBaseNames(slot: TimerSlot): { wait: string; task: string } {
  switch (slot.kind) {
    case 'reminder':
      return { wait: 'WaitForReminder', task: `Remind${rolesInName(slot.notify)}` };
    case 'due':
      return { wait: 'WaitForDeadline', task: 'MarkOverdue' };
    case 'expiry':
      return { wait: 'WaitForExpiry', task: 'MarkExpired' };
    case 'escalation': {
      const to = slot.notify.length === 0 ? '' : `To${rolesInName(slot.notify)}`;
      const again = slot.repeat !== undefined && slot.repeat > 1 ? `Again${slot.repeat}` : '';
      return { wait: `WaitForEscalation${to}${again}`, task: `Escalate${to}${again}` };
    }
  }
}

/** The end of a ladder nobody closed: escalations ran out, a measure expired, or it was marked overdue. */
function finishedName(slots: readonly TimerSlot[]): string {
  if (slots.some((slot) => slot.kind === 'escalation')) return 'LadderFinished';
  if (slots.some((slot) => slot.kind === 'expiry')) return 'MeasureExpired';
  return 'OverdueMarked';
}

/** Hands out names once each: a repeat takes a numeral (`2`, `3`…), a long name is cut to fit. */
class UniqueNames {
  readonly #taken = new Set<string>();

  take(wanted: string): string {
    for (let count = 1; ; count += 1) {
      const suffix = count === 1 ? '' : String(count);
      const name = wanted.slice(0, MAX_STATE_NAME_LENGTH - suffix.length) + suffix;
      if (!this.#taken.has(name)) {
        this.#taken.add(name);
        return name;
      }
    }
  }
}
