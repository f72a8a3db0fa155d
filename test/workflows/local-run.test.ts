import { type HistoryEvent, GetExecutionHistoryCommand, type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { describe as group, expect, test, vi } from 'vitest';
import { type TimerExecutionInput, type MilestoneStepResult, type PlanStepResult, type StepOutcome, executionName } from '../../functions/contract.ts';
import { VirtualClock } from '../../local/index.ts';
import { kazakhstan } from '../../shared/calendar/index.ts';
import { findRule } from '../../shared/rules/catalog.ts';
import { type Plan, planObligation } from '../../shared/rules/plan.ts';
import type { Rule } from '../../shared/rules/rule.ts';
import { slotTimes, timerSlots, timestamp } from '../../shared/rules/slots.ts';
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
  /** What notify or escalate answer at a milestone; `continue` unless said otherwise. */
  readonly answers?: Readonly<Record<string, StepOutcome>>;
}

/**
 * Runs the synthesized machine of a rule on the local Step Functions service with fake
 * functions: `timer` answers the plan (as the real one would, from planObligation and
 * slotTimes), notify and escalate answer `continue` or what the scenario says.
 */
async function runScenario({ rule, plan, answers = {} }: Scenario) {
  const clock = new VirtualClock(plan.start);
  const service = await startTestService(dynamodb.endpoint(), clock);
  const calls: Call[] = [];
  const record = (fn: Call['function'], event: unknown): void => {
    calls.push({ function: fn, event: event as Record<string, unknown>, at: timestamp(clock.now()) });
  };
  const planResult: PlanStepResult = {
    next: 'continue',
    at: slotTimes(rule, plan),
    ...(plan.nextCycle?.kind === 'calendar' ? { nextPeriodAt: timestamp(plan.nextCycle.startsAt) } : {}),
  };
  service.handlers
    .register(FUNCTION_NAMES.timer, async (event) => {
      record('timer', event);
      return (event as { step: string }).step === 'plan' ? planResult : {};
    })
    .register(FUNCTION_NAMES.notify, async (event) => {
      record('notify', event);
      return { next: answers[(event as { milestone: string }).milestone] ?? 'continue' } satisfies MilestoneStepResult;
    })
    .register(FUNCTION_NAMES.escalate, async (event) => {
      record('escalate', event);
      return { next: answers[(event as { milestone: string }).milestone] ?? 'continue' } satisfies MilestoneStepResult;
    });
  const machine = await createMachine(service.sfn, `merzim-test-${rule.id}`, synthesizeTimer(rule).asl);
  const input: TimerExecutionInput = { obligationId: 'OBL-2026-0001', revision: 1 };
  const started = await service.sfn.send(
    new StartExecutionCommand({ stateMachineArn: machine, name: executionName(input.obligationId, input.revision), input: JSON.stringify(input) }),
  );
  const executionArn = started.executionArn!;
  await clock.settle();
  return {
    clock,
    calls,
    input,
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

  test('nobody acts: the reminder, the overdue mark and the whole ladder come in order, each at its instant, and the execution succeeds', async () => {
    const run = await runScenario({ rule, plan });
    try {
      expect(run.calls).toEqual([{ function: 'timer', event: { step: 'plan', ...run.input }, at: timestamp(plan.start) }]);
      expect(await run.status()).toBe('RUNNING');

      await run.clock.advanceTo(milestoneAt(plan, 'reminder-1') - 1000);
      expect(run.calls).toHaveLength(1);

      const last = plan.milestones.at(-1)!.at;
      await run.clock.advanceTo(last + DAY_MS);
      const slots = timerSlots(rule);
      expect(run.calls.slice(1)).toEqual(
        slots.map((slot) => ({
          function: slot.kind === 'escalation' ? 'escalate' : 'notify',
          event: { ...run.input, milestone: slot.milestone },
          at: timestamp(milestoneAt(plan, slot.milestone)),
        })),
      );
      expect(run.calls.slice(1).map((call) => call.event['milestone'])).toEqual([
        'reminder-1',
        'due',
        'escalation-1-1',
        'escalation-1-2',
        'escalation-1-3',
        'escalation-2-1',
      ]);
      expect(await run.status()).toBe('SUCCEEDED');
      expect((await run.statesEntered()).at(-1)).toBe('LadderFinished');
    } finally {
      await run.stop();
    }
  });

  test('the department decides before the last day: the reminder step answers closed, and nothing follows', async () => {
    const run = await runScenario({ rule, plan, answers: { 'reminder-1': 'closed' } });
    try {
      await run.clock.advanceTo(plan.milestones.at(-1)!.at + 30 * DAY_MS);
      expect(run.calls.map((call) => [call.function, call.event['step'] ?? call.event['milestone']])).toEqual([
        ['timer', 'plan'],
        ['notify', 'reminder-1'],
      ]);
      expect(await run.status()).toBe('SUCCEEDED');
      expect(await run.statesEntered()).toEqual(['Plan', 'StillOpenAfterPlan', 'WaitForReminder', 'RemindAkimatDepartment', 'StillOpenAfterRemindAkimatDepartment', 'ObligationClosed']);
    } finally {
      await run.stop();
    }
  });

  test('a newer revision took over after the first escalation: the execution ends without telling the deputy akim', async () => {
    const run = await runScenario({ rule, plan, answers: { 'escalation-1-2': 'superseded' } });
    try {
      await run.clock.advanceTo(plan.milestones.at(-1)!.at + DAY_MS);
      expect(run.calls.map((call) => call.event['milestone']).filter(Boolean)).toEqual(['reminder-1', 'due', 'escalation-1-1', 'escalation-1-2']);
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
  const plan = planObligation({ rule, start: Date.parse('2026-03-31T18:00:00+05:00'), calendar });

  test('the report is in at the first reminder (cycle-closed): it waits for the next quarter, then opens the next cycle', async () => {
    expect(plan.nextCycle?.kind).toBe('calendar');
    const nextPeriodAt = plan.nextCycle?.kind === 'calendar' ? plan.nextCycle.startsAt : Number.NaN;
    expect(new Date(nextPeriodAt).toISOString()).toBe('2026-06-29T19:00:00.000Z'); // 30 June, 00:00 in Astana

    const run = await runScenario({ rule, plan, answers: { 'reminder-1': 'cycle-closed' } });
    try {
      await run.clock.advanceTo(nextPeriodAt - 1000);
      expect(run.calls.map((call) => [call.function, call.event['step'] ?? call.event['milestone']])).toEqual([
        ['timer', 'plan'],
        ['notify', 'reminder-1'],
      ]);
      expect(await run.status()).toBe('RUNNING');
      expect((await run.statesEntered()).at(-1)).toBe('WaitForNextPeriod');

      await run.clock.advanceTo(nextPeriodAt + DAY_MS);
      expect(run.calls.slice(2)).toEqual([{ function: 'timer', event: { step: 'next-cycle', ...run.input }, at: timestamp(nextPeriodAt) }]);
      expect(await run.status()).toBe('SUCCEEDED');
      expect((await run.statesEntered()).slice(-3)).toEqual(['WaitForNextPeriod', 'StartNextCycle', 'NextCycleStarted']);
    } finally {
      await run.stop();
    }
  });

  test('nobody reports: the whole ladder runs, then the next cycle opens when the quarter turns', async () => {
    const nextPeriodAt = plan.nextCycle?.kind === 'calendar' ? plan.nextCycle.startsAt : Number.NaN;
    const run = await runScenario({ rule, plan });
    try {
      await run.clock.advanceTo(nextPeriodAt + DAY_MS);
      expect(run.calls.map((call) => call.event['milestone'] ?? call.event['step'])).toEqual([
        'plan',
        ...timerSlots(rule).map((slot) => slot.milestone),
        'next-cycle',
      ]);
      expect(await run.status()).toBe('SUCCEEDED');
    } finally {
      await run.stop();
    }
  });
});
