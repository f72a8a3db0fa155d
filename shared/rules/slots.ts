import type { Role } from '../base/index.ts';
import { type MilestoneKind, type Plan, effectiveBody } from './plan.ts';
import { type Rule, type RuleVariant } from './rule.ts';

/**
 * A place in a rule's state machine where a milestone may fall: a `Wait` and the Task after it.
 * A rule has the same slots for every start and every variant, so one state machine serves all
 * of them; a plan fills each slot with an instant, or leaves it empty.
 */
export interface TimerSlot {
  /** The milestone id a plan gives it: `reminder-1`, `due`, `escalation-2-1`. */
  readonly milestone: string;
  /** The same as a JSON key a `TimestampPath` can name: `reminder_1`, `escalation_2_1`. */
  readonly key: string;
  readonly kind: MilestoneKind;
  /** Who the default variant tells; a variant may tell others. */
  readonly notify: readonly Role[];
  /** Escalations: the rung (1-based) and the time on it (1-based). */
  readonly rung?: number;
  readonly repeat?: number;
}

/**
 * AWS ends a Standard execution after one year. A segment of a timer waits at most this long
 * after it starts, so that with its retries (minutes) it ends days inside the year; a later
 * milestone is waited for by the next segment, an execution of its own.
 */
export const SEGMENT_SPAN_MS = 360 * 24 * 3_600_000;

/** Where a calendar-recurring rule's `WaitForNextPeriod` finds its instant among the `Wait` timestamps. */
export const NEXT_PERIOD_KEY = 'next_period';

const keyOf = (milestone: string): string => milestone.replaceAll('-', '_');

/**
 * The slots of a rule in time order: reminders, the due instant, then the escalation ladder.
 *
 * The due instant has a slot only where something happens then besides the obligation falling
 * overdue: a measure expires, or someone is told (the commission's secretary, the shelter's
 * head). Where it only marks the obligation overdue it has none: overdue is read from the due
 * instant (`statusAt`), and a state transition per obligation is saved.
 */
export function timerSlots(rule: Rule): readonly TimerSlot[] {
  const variants: (string | undefined)[] = rule.variants === undefined ? [undefined] : Object.keys(rule.variants);
  const bodies = variants.map((variant) => effectiveBody(rule, variant));
  const main = effectiveBody(rule, rule.defaultVariant);
  const reminders = Math.max(...bodies.map((body) => body.reminders.length));
  const rungs = Math.max(...bodies.map((body) => body.escalation.length));

  const slots: TimerSlot[] = [];
  for (let index = 1; index <= reminders; index += 1) {
    const milestone = `reminder-${index}`;
    slots.push({ milestone, key: keyOf(milestone), kind: 'reminder', notify: main.reminders[index - 1]?.notify ?? [rule.actor] });
  }
  if (bodies.some((body) => body.onDue.kind === 'expiry' || body.onDue.notify.length > 0)) {
    slots.push({ milestone: 'due', key: 'due', kind: main.onDue.kind === 'expiry' ? 'expiry' : 'due', notify: main.onDue.notify });
  }
  for (let rung = 1; rung <= rungs; rung += 1) {
    const times = Math.max(...bodies.map((body) => body.escalation[rung - 1]?.times ?? 0));
    for (let repeat = 1; repeat <= times; repeat += 1) {
      const milestone = `escalation-${rung}-${repeat}`;
      const notify = main.escalation[rung - 1]?.notify ?? bodies.find((body) => body.escalation[rung - 1])?.escalation[rung - 1]?.notify ?? [];
      slots.push({ milestone, key: keyOf(milestone), kind: 'escalation', notify, rung, repeat });
    }
  }
  return slots;
}

/** Whether a rule starts its next cycle on the calendar (a quarter, a month) from its state machine. */
export function recursOnCalendar(rule: Rule): boolean {
  const variants: (RuleVariant | undefined)[] = [undefined, ...Object.values(rule.variants ?? {})];
  return variants.some((variant) => (variant?.recurrence ?? rule.recurrence)?.kind === 'calendar');
}

/**
 * The `Wait` timestamps of a plan for a segment that starts at `segmentStart`, one per slot, as
 * `TimestampPath` takes them, and the next period's for a calendar-recurring rule:
 * - an empty slot (a reminder that would have come before the start) takes the time of the slot
 *   before it (or the start), so its `Wait` ends at once and its Task does nothing;
 * - a milestone that passed already (a later segment, a restarted timer) keeps its time, so its
 *   `Wait` ends at once and its Task finds it told;
 * - nothing lies past the segment's end (`SEGMENT_SPAN_MS` on): a later milestone is waited for
 *   up to the end, and its Task, finding it not yet due, hands over to the next segment;
 * - a variant that does not recur (a plan item by a set date) waits for no next period: its
 *   `StartNextCycle` finds none and ends the timer.
 */
export function slotTimes(rule: Rule, plan: Plan, segmentStart: number = plan.start): Record<string, string> {
  const end = segmentStart + SEGMENT_SPAN_MS;
  const byId = new Map(plan.milestones.map((milestone) => [milestone.id, milestone.at]));
  const times: Record<string, string> = {};
  let previous = plan.start;
  for (const slot of timerSlots(rule)) {
    const at = byId.get(slot.milestone) ?? previous;
    times[slot.key] = timestamp(Math.min(at, end));
    previous = at;
  }
  if (recursOnCalendar(rule)) {
    const next = plan.nextCycle?.kind === 'calendar' ? plan.nextCycle.startsAt : previous;
    times[NEXT_PERIOD_KEY] = timestamp(Math.min(next, end));
  }
  return times;
}

/**
 * The instant the timer of a plan waits for last: its last milestone, or the next period of a
 * calendar-recurring rule. A plan whose last wait lies further than `SEGMENT_SPAN_MS` from its
 * start runs as more than one segment.
 */
export function lastWaitOf(plan: Plan): number {
  const last = Math.max(plan.start, ...plan.milestones.map((milestone) => milestone.at));
  return plan.nextCycle?.kind === 'calendar' ? Math.max(last, plan.nextCycle.startsAt) : last;
}

/** `YYYY-MM-DDTHH:MM:SSZ`: UTC without milliseconds, the form Step Functions' `Wait` takes. */
export function timestamp(instant: number): string {
  return new Date(instant).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
