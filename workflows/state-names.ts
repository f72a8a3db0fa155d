import { type Rule, type TimerSlot, recursOnCalendar, timerSlots } from '../shared/rules/index.ts';
import { rolesInName } from './role-names.ts';

/** Step Functions allows at most 80 characters in a state name. */
export const MAX_STATE_NAME_LENGTH = 80;

/** Which function a milestone's Task invokes. */
export type MilestoneFunction = 'notify' | 'escalate';

/** The two states of one slot: wait for its instant, then act. */
export interface SlotStateNames {
  readonly slot: TimerSlot;
  readonly wait: string;
  readonly task: string;
  readonly function: MilestoneFunction;
}

/** The states after the last slot of a calendar-recurring rule. */
export interface NextPeriodStateNames {
  readonly wait: string;
  readonly start: string;
}

/** Every state name of a rule's state machine, unique and at most 80 characters each. */
export interface TimerStateNames {
  readonly slots: readonly SlotStateNames[];
  /** A calendar-recurring rule waits for its next period and opens it; another ends at its last slot. */
  readonly nextPeriod?: NextPeriodStateNames;
  /** The Task that starts the next segment of a plan longer than a segment, and ends this one. */
  readonly nextSegment: string;
  readonly closed: string;
  readonly superseded: string;
}

/**
 * Names the states of a rule's machine in the domain's words, as a lawyer reads them in the
 * Step Functions console: `WaitForReminder`, `RemindAkimatDepartment`,
 * `WaitForEscalationToDepartmentHead`, `EscalateToDepartmentHead`,
 * `EscalateToDepartmentHeadAgain2` (the second time), `EscalateToDeputyAkim`. A name a rule
 * repeats (a second reminder) takes a numeral: `WaitForReminder2`, `RemindAddressee2`.
 */
export function timerStateNames(rule: Rule): TimerStateNames {
  const names = new UniqueNames();
  const slots = timerSlots(rule).map((slot): SlotStateNames => {
    const base = slotBaseNames(slot);
    return { slot, wait: names.take(base.wait), task: names.take(base.task), function: slot.kind === 'escalation' ? 'escalate' : 'notify' };
  });
  const nextPeriod = recursOnCalendar(rule) ? { wait: names.take('WaitForNextPeriod'), start: names.take('StartNextCycle') } : undefined;
  return {
    slots,
    ...(nextPeriod === undefined ? {} : { nextPeriod }),
    nextSegment: names.take('ContinueInNextSegment'),
    closed: names.take('ObligationClosed'),
    superseded: names.take('SupersededByNewerRevision'),
  };
}

/** Every name of the machine in the order it runs: the slots first to last, the next period, then the ends. */
export function allStateNames(names: TimerStateNames): string[] {
  return [
    ...names.slots.flatMap((slot) => [slot.wait, slot.task]),
    ...(names.nextPeriod === undefined ? [] : [names.nextPeriod.wait, names.nextPeriod.start]),
    names.nextSegment,
    names.closed,
    names.superseded,
  ];
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
