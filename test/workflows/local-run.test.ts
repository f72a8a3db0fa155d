import { type HistoryEvent, GetExecutionHistoryCommand, type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { describe as group, expect, test, vi } from 'vitest';
import { type TimerExecutionInput, TIMER_SIGNALS, type TimerSignal, executionName } from '../../contract/index.ts';
import { VirtualClock } from '../../local/index.ts';
import { kazakhstan } from '../../shared/calendar/index.ts';
import { type Plan, type Rule, SEGMENT_SPAN_MS, findRule, planObligation, slotTimes, timerSlots, timestamp } from '../../shared/rules/index.ts';
import { createMachine, describe, sharedDynamoDbLocal, startTestService } from '../local/support.ts';
import { FUNCTION_NAMES, synthesizeTimer } from './support.ts';

// Real services can be slow to answer on a busy CI machine; no test waits on time itself.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const dynamodb = sharedDynamoDbLocal();
const calendar = kazakhstan();
const DAY_MS = 24 * 60 * 60 * 1000;

/** A call one of the fake functions received, and the virtual instant it came at. */
interface Call {
  readonly function: keyof typeof FUNCTION_NAMES;
  readonly event: Record<string, unknown>;
  readonly at: string;
}

interface Scenario {
  readonly rule: Rule;
  readonly plan: Plan;
  /** The signal notify or escalate answer with at a milestone; they go on unless said otherwise. */
  readonly signals?: Readonly<Record<string, TimerSignal>>;
  /** Where the segment starts: the plan's start unless said otherwise. */
  readonly segmentStart?: number;
}

/** An error as the functions throw a signal: Lambda reports it by its name. */
function signal(name: TimerSignal): Error {
  const error = new Error(`a test answers ${name}`);
  error.name = TIMER_SIGNALS[name];
  return error;
}

/**
 * Runs the synthesized machine of a rule on the local Step Functions service with fake
 * functions, from the input `Executions.start` gives it (the plan's instants, `slotTimes`):
 * notify and escalate go on, or throw the signal the scenario says; a milestone Task woken
 * before its milestone (the end of a segment) answers not-yet, as the real one does.
 */
async function runScenario({ rule, plan, signals = {}, segmentStart = plan.start }: Scenario) {
  const clock = new VirtualClock(segmentStart);
  const service = await startTestService(dynamodb.endpoint(), clock);
  const calls: Call[] = [];
  const milestoneAt = new Map(plan.milestones.map((milestone) => [milestone.id, milestone.at]));
  const milestone = (fn: 'notify' | 'escalate') => async (event: unknown) => {
    calls.push({ function: fn, event: event as Record<string, unknown>, at: timestamp(clock.now()) });
    const id = (event as { milestone: string }).milestone;
    if ((milestoneAt.get(id) ?? 0) > clock.now() + 60_000) throw signal('notYet');
    const answer = signals[id];
    if (answer !== undefined) throw signal(answer);
    return { done: 'told' };
  };
  service.handlers
    .register(FUNCTION_NAMES.timer, async (event) => {
      calls.push({ function: 'timer', event: event as Record<string, unknown>, at: timestamp(clock.now()) });
      return { done: 'next-cycle-opened' };
    })
    .register(FUNCTION_NAMES.notify, milestone('notify'))
    .register(FUNCTION_NAMES.escalate, milestone('escalate'));
  const machine = await createMachine(service.sfn, `merzim-test-${rule.id}`, synthesizeTimer(rule).asl);
  const input: TimerExecutionInput = { obligationId: 'OBL-2026-0001', revision: 1, segment: 1, at: slotTimes(rule, plan, segmentStart) };
  const started = await service.sfn.send(
    new StartExecutionCommand({ stateMachineArn: machine, name: executionName(input.obligationId, input.revision), input: JSON.stringify(input) }),
  );
  const executionArn = started.executionArn!;
  await clock.settle();
  return {
    clock,
    calls,
    input,
    steps: () => calls.map((call) => [call.function, call.event['step'] ?? call.event['milestone']]),
    status: async () => (await describe(service.sfn, executionArn)).status,
    statesEntered: () => statesEntered(service.sfn, executionArn),
    stop: () => service.stop(),
  };
}

async function statesEntered(sfn: SFNClient, executionArn: string): Promise<string[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn, nextToken }));
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken !== undefined);
  return events.flatMap((event) => (event.stateEnteredEventDetails?.name === undefined ? [] : [event.stateEnteredEventDetails.name]));
}

const milestoneAt = (plan: Plan, id: string): number => {
  const milestone = plan.milestones.find((m) => m.id === id);
  if (milestone === undefined) throw new Error(`the plan has no ${id}`);
  return milestone.at;
};

group('sss-decision on the local Step Functions service', () => {
  const rule = findRule('sss-decision');
  // The social worker's conclusion reaches the akimat on Monday 2 March 2026, 09:00 in Astana.
  const plan = planObligation({ rule, start: Date.parse('2026-03-02T09:00:00+05:00'), calendar });

  test('nobody acts: the reminder and the whole ladder come in order, each at its instant, in 10 state transitions', async () => {
    const run = await runScenario({ rule, plan });
    try {
      expect(run.calls).toEqual([]);
      expect(await run.status()).toBe('RUNNING');

      await run.clock.advanceTo(milestoneAt(plan, 'reminder-1') - 1000);
      expect(run.calls).toEqual([]);

      const last = plan.milestones.at(-1)!.at;
      await run.clock.advanceTo(last + DAY_MS);
      const slots = timerSlots(rule);
      expect(run.calls).toEqual(
        slots.map((slot) => ({
          function: slot.kind === 'escalation' ? 'escalate' : 'notify',
          event: { obligationId: run.input.obligationId, revision: run.input.revision, milestone: slot.milestone },
          at: timestamp(milestoneAt(plan, slot.milestone)),
        })),
      );
      // The due instant tells nobody: it has no state (overdue is read from the due instant).
      expect(run.calls.map((call) => call.event['milestone'])).toEqual(['reminder-1', 'escalation-1-1', 'escalation-1-2', 'escalation-1-3', 'escalation-2-1']);
      expect(await run.status()).toBe('SUCCEEDED');
      const entered = await run.statesEntered();
      expect(entered).toHaveLength(10);
      expect(entered.at(-1)).toBe('EscalateToDeputyAkim');
    } finally {
      await run.stop();
    }
  });

  test('the department decides before the last day: the reminder step signals closed, and nothing follows', async () => {
    const run = await runScenario({ rule, plan, signals: { 'reminder-1': 'closed' } });
    try {
      await run.clock.advanceTo(plan.milestones.at(-1)!.at + 30 * DAY_MS);
      expect(run.steps()).toEqual([['notify', 'reminder-1']]);
      expect(await run.status()).toBe('SUCCEEDED');
      expect(await run.statesEntered()).toEqual(['WaitForReminder', 'RemindAkimatDepartment', 'ObligationClosed']);
    } finally {
      await run.stop();
    }
  });

  test('a newer revision took over after the first escalation: the execution ends without telling the deputy akim', async () => {
    const run = await runScenario({ rule, plan, signals: { 'escalation-1-2': 'superseded' } });
    try {
      await run.clock.advanceTo(plan.milestones.at(-1)!.at + DAY_MS);
      expect(run.calls.map((call) => call.event['milestone'])).toEqual(['reminder-1', 'escalation-1-1', 'escalation-1-2']);
      expect(await run.status()).toBe('SUCCEEDED');
      expect((await run.statesEntered()).at(-1)).toBe('SupersededByNewerRevision');
    } finally {
      await run.stop();
    }
  });
});

group('unit-quarterly-report on the local Step Functions service', () => {
  const rule = findRule('unit-quarterly-report');
  // The first quarter of 2026 ends on Tuesday 31 March; the district unit's report is due in April.
  const plan = planObligation({ rule, start: Date.parse('2026-03-31T18:00:00+05:00'), calendar, variant: 'district' });
  const nextPeriodAt = plan.nextCycle?.kind === 'calendar' ? plan.nextCycle.startsAt : Number.NaN;

  test('the report is in at the first reminder (cycle closed): it waits for the next quarter, then opens the next cycle', async () => {
    expect(new Date(nextPeriodAt).toISOString()).toBe('2026-06-29T19:00:00.000Z'); // 30 June, 00:00 in Astana

    const run = await runScenario({ rule, plan, signals: { 'reminder-1': 'cycleClosed' } });
    try {
      await run.clock.advanceTo(nextPeriodAt - 1000);
      expect(run.steps()).toEqual([['notify', 'reminder-1']]);
      expect(await run.status()).toBe('RUNNING');
      expect((await run.statesEntered()).at(-1)).toBe('WaitForNextPeriod');

      await run.clock.advanceTo(nextPeriodAt + DAY_MS);
      expect(run.calls.slice(1)).toEqual([{ function: 'timer', event: { step: 'next-cycle', obligationId: run.input.obligationId, revision: 1 }, at: timestamp(nextPeriodAt) }]);
      expect(await run.status()).toBe('SUCCEEDED');
      expect(await run.statesEntered()).toEqual(['WaitForReminder', 'RemindUnitHead', 'WaitForNextPeriod', 'StartNextCycle']);
    } finally {
      await run.stop();
    }
  });

  test('nobody reports: the whole ladder runs, then the next cycle opens when the quarter turns', async () => {
    const run = await runScenario({ rule, plan });
    try {
      await run.clock.advanceTo(nextPeriodAt + DAY_MS);
      expect(run.steps().map(([, step]) => step)).toEqual([...timerSlots(rule).map((slot) => slot.milestone), 'next-cycle']);
      expect(await run.status()).toBe('SUCCEEDED');
      expect(await run.statesEntered()).toHaveLength(2 * timerSlots(rule).length + 2);
    } finally {
      await run.stop();
    }
  });
});

group('a plan longer than a segment', () => {
  const rule = findRule('special-requirements');
  // A court sets 12 months from 15 January 2026: the order expires at the end of 15 January 2027.
  const plan = planObligation({ rule, start: Date.parse('2026-01-15T10:00:00+05:00'), calendar, count: 12 });

  test('waits no longer than the segment: the Task woken at its end hands over to the next segment, and the execution ends inside the year', async () => {
    const end = plan.start + SEGMENT_SPAN_MS;
    expect(plan.dueAt).toBeGreaterThan(end);
    const run = await runScenario({ rule, plan });
    try {
      for (const at of Object.values(run.input.at)) expect(Date.parse(at)).toBeLessThanOrEqual(end);
      await run.clock.advanceTo(plan.dueAt + DAY_MS);
      // The reminder, ten days before the expiry, falls inside the segment; the expiry past it.
      expect(run.steps()).toEqual([
        ['notify', 'reminder-1'],
        ['notify', 'due'],
        ['timer', 'next-segment'],
      ]);
      expect(run.calls.map((call) => call.at)).toEqual([timestamp(milestoneAt(plan, 'reminder-1')), timestamp(end), timestamp(end)]);
      expect(run.calls[2]?.event).toEqual({ step: 'next-segment', obligationId: run.input.obligationId, revision: 1, segment: 1 });
      expect(await run.status()).toBe('SUCCEEDED');
      expect(await run.statesEntered()).toEqual(['WaitForReminder', 'RemindInspector', 'WaitForExpiry', 'MarkExpired', 'ContinueInNextSegment']);
    } finally {
      await run.stop();
    }
  });

  test('the next segment, started at the end of the first, waits for what is left: a milestone passed ends its wait at once', async () => {
    const segmentStart = plan.start + SEGMENT_SPAN_MS;
    const run = await runScenario({ rule, plan, segmentStart });
    try {
      await run.clock.advanceTo(plan.dueAt + DAY_MS);
      expect(run.steps()).toEqual([
        ['notify', 'reminder-1'],
        ['notify', 'due'],
      ]);
      // The reminder's step finds it told (or, a day late, stale) and goes on.
      expect(run.calls.map((call) => call.at)).toEqual([timestamp(segmentStart), timestamp(plan.dueAt)]);
      expect(await run.status()).toBe('SUCCEEDED');
      expect(await run.statesEntered()).toEqual(['WaitForReminder', 'RemindInspector', 'WaitForExpiry', 'MarkExpired']);
    } finally {
      await run.stop();
    }
  });
});
