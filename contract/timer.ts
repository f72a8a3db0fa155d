import * as z from 'zod';
import { TABLE } from './table.ts';

/**
 * What the timer state machines (workflows/), the functions their Tasks invoke and the starter of
 * their executions (functions/adapters/executions.ts) agree on. The payloads are zod schemas: the
 * functions parse what a Task hands them, and the types are read off the schemas.
 */

/**
 * The input every execution of a timer state machine starts with: which revision of which
 * obligation, which segment of it, and the instant of every `Wait` (the machine has no planning
 * step: a new plan is a new revision, and so a new execution with new instants).
 */
export const TimerExecutionInputSchema = z.object({
  obligationId: z.string(),
  revision: z.number().int(),
  /** 1, then 2, 3… when a plan longer than a segment runs as a chain of executions. */
  segment: z.number().int().min(1),
  /**
   * One `Wait` timestamp per slot of the rule (`timerSlots`), keyed by the slot's `key`, in the
   * `YYYY-MM-DDTHH:MM:SSZ` form `TimestampPath` takes; `next_period` too for a rule that recurs
   * on the calendar (shared/rules/slots.ts `slotTimes`). None lies past the segment's end
   * (`SEGMENT_SPAN_MS`): a milestone further off is waited for up to the end of the segment, and
   * its Task hands over to the next segment.
   */
  at: z.record(z.string(), z.iso.datetime({ precision: 0 })),
});
export type TimerExecutionInput = z.infer<typeof TimerExecutionInputSchema>;

/**
 * One execution per segment of a revision of an obligation: a new plan is a new name, a retry the
 * same, so a retried start never starts two. Segment 1 keeps the name it always had.
 */
export function executionName(obligationId: string, revision: number, segment = 1): string {
  return segment === 1 ? `${obligationId}-r${revision}` : `${obligationId}-r${revision}-s${segment}`;
}

/** The state machine of a rule is named `<prefix><rule id>`, e.g. `merzim-dev-sss-decision`. */
export function stateMachineArn(prefix: string, ruleId: string): string {
  return `${prefix}${ruleId}`;
}

/** `arn:aws:states:<region>:<account>:execution:<machine name>:<execution name>`. */
export function executionArn(stateMachine: string, name: string): string {
  return `${stateMachine.replace(':stateMachine:', ':execution:')}:${name}`;
}

/**
 * What ends a Task otherwise than by going on to the next state: the function throws an error of
 * one of these names, and the Task's `Catch` takes the machine where it says (a `Choice` after
 * every Task would cost a state transition per milestone):
 * - `closed`: the obligation is closed (decided, replied, cancelled…): the machine ends;
 * - `superseded`: a newer revision runs in its own execution (extension, corrected start,
 *   calendar change): the machine ends;
 * - `cycleClosed`: this cycle of a calendar-recurring rule is done: wait for the next period;
 * - `notYet`: the milestone lies past the end of this segment: the next segment waits for it.
 * A Task's `Retry` never retries these: they are answers, not failures.
 */
export const TIMER_SIGNALS = {
  closed: 'Merzim.ObligationClosed',
  superseded: 'Merzim.Superseded',
  cycleClosed: 'Merzim.CycleClosed',
  notYet: 'Merzim.NotYetDue',
} as const;
export type TimerSignal = keyof typeof TIMER_SIGNALS;

/** Payloads of the `timer` function: open the next cycle of a recurring rule, or start the next segment. */
export const TimerStepEventSchema = z.discriminatedUnion('step', [
  z.object({ step: z.literal('next-cycle'), obligationId: z.string(), revision: z.number().int() }),
  z.object({ step: z.literal('next-segment'), obligationId: z.string(), revision: z.number().int(), segment: z.number().int().min(1) }),
]);
export type TimerStepEvent = z.infer<typeof TimerStepEventSchema>;

/** Payload of the `notify` (reminder, due, expiry) and `escalate` functions. */
export const MilestoneStepEventSchema = z.object({
  obligationId: z.string(),
  revision: z.number().int(),
  /** A milestone id of the plan: `reminder-1`, `due`, `escalation-2-1`. */
  milestone: z.string(),
});
export type MilestoneStepEvent = z.infer<typeof MilestoneStepEventSchema>;

/**
 * What a Task's function answers when the machine goes on: what it did, for the execution's
 * history (the state machine discards it: the next state reads the execution's input).
 */
export const StepResultSchema = z.object({
  done: z.enum(['told', 'skipped', 'next-cycle-opened', 'next-segment-started', 'finished']),
});
export type StepResult = z.infer<typeof StepResultSchema>;

/**
 * Payload of the `start` function: a batch of the table's stream records as an EventBridge Pipe
 * (and the local stream reader, local/streams.ts) hands them to a Lambda target, after the Pipe's
 * filter (STREAM_START_FILTER). The images are DynamoDB JSON, read by the store.
 */
export const StreamRecordSchema = z.object({
  eventName: z.enum(['INSERT', 'MODIFY', 'REMOVE']),
  dynamodb: z.object({
    SequenceNumber: z.string().optional(),
    NewImage: z.record(z.string(), z.unknown()).optional(),
    OldImage: z.record(z.string(), z.unknown()).optional(),
  }),
});
export const StreamBatchSchema = z.array(StreamRecordSchema);
export type StreamRecord = z.infer<typeof StreamRecordSchema>;

/**
 * The Pipe's filter (an EventBridge pattern), one pattern: an obligation's item written and
 * still in the reconciler's `live` index (it needs a timer). Whether its revision is new is told
 * by the `start` function, which compares the old image with the new: a pattern cannot compare
 * two fields.
 */
export const STREAM_START_FILTER = {
  eventName: ['INSERT', 'MODIFY'],
  dynamodb: {
    // An obligation's own item (functions/adapters/store/keys.ts `obligationKey`), in a shard of the live index (`indexAttributes`).
    Keys: { [TABLE.sortKey]: { S: ['META'] } },
    NewImage: { [TABLE.indexes.live.partitionKey]: { S: [{ prefix: 'LIVE#' }] } },
  },
} as const;
