import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { describe, expect, test } from 'vitest';
import { TIMER_SIGNALS } from '../../contract/index.ts';
import { catalog, findRule, recursOnCalendar, timerSlots } from '../../shared/rules/index.ts';
import { MAX_STATE_NAME_LENGTH, allStateNames, timerStateNames } from '../../workflows/state-names.ts';
import { TimerStateMachine } from '../../workflows/timer-state-machine.ts';
import { type Asl, type AslState, FUNCTION_NAMES, fakeLambdaArn, synthesizeTimer } from './support.ts';

const arn = {
  timer: fakeLambdaArn(FUNCTION_NAMES.timer),
  notify: fakeLambdaArn(FUNCTION_NAMES.notify),
  escalate: fakeLambdaArn(FUNCTION_NAMES.escalate),
};

const machines = new Map(catalog.map((rule) => [rule.id, synthesizeTimer(rule)]));
const aslOf = (ruleId: string): Asl => {
  const machine = machines.get(ruleId);
  if (machine === undefined) throw new Error(`no machine for ${ruleId}`);
  return machine.asl;
};
const state = (asl: Asl, name: string | undefined): AslState => {
  const found = name === undefined ? undefined : asl.States[name];
  if (found === undefined) throw new Error(`no state ${String(name)}`);
  return found;
};
interface Catcher {
  readonly ErrorEquals: readonly string[];
  readonly Next: string;
  readonly ResultPath?: string | null;
}
const catchers = (s: AslState): readonly Catcher[] => (s.Catch ?? []) as readonly Catcher[];
const caughtTo = (s: AslState, error: string): string | undefined => catchers(s).find((c) => c.ErrorEquals.includes(error))?.Next;

/**
 * The states an execution passes through when every step goes on: as many as the state
 * transitions Step Functions bills for one run with nobody acting.
 */
function linePath(asl: Asl): string[] {
  const path: string[] = [];
  let name: string | undefined = asl.StartAt;
  while (name !== undefined) {
    if (path.includes(name)) throw new Error(`a loop at ${name}`);
    path.push(name);
    name = state(asl, name).Next;
  }
  return path;
}

describe.each(catalog.map((rule) => [rule.id, rule] as const))('the state machine of %s', (ruleId, rule) => {
  const asl = aslOf(ruleId);
  const slots = timerSlots(rule);
  const tasks = Object.entries(asl.States).filter(([, s]) => s.Type === 'Task');

  test('is a Standard machine of the given name', () => {
    machines.get(ruleId)?.template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineName: `merzim-test-${ruleId}`,
      StateMachineType: 'STANDARD',
    });
  });

  test('starts by waiting for the first milestone: no planning step, the instants come in the execution input', () => {
    expect(state(asl, asl.StartAt)).toMatchObject({ Type: 'Wait', TimestampPath: `$.at.${slots[0]?.key}` });
    expect(Object.values(asl.States).filter((s) => s.Type === 'Choice' || s.Type === 'Pass')).toEqual([]);
    for (const [name] of tasks) expect(state(asl, name).Parameters?.['step'], name).not.toBe('plan');
  });

  test('every milestone costs two states: its Wait on the input instant, chained to its Task with the milestone id', () => {
    for (const slot of slots) {
      const waits = Object.entries(asl.States).filter(([, s]) => s.Type === 'Wait' && s.TimestampPath === `$.at.${slot.key}`);
      expect(waits, slot.milestone).toHaveLength(1);
      const task = state(asl, waits[0]?.[1].Next);
      expect(task, slot.milestone).toMatchObject({
        Type: 'Task',
        Resource: slot.kind === 'escalation' ? arn.escalate : arn.notify,
        Parameters: { 'obligationId.$': '$.obligationId', 'revision.$': '$.revision', milestone: slot.milestone },
        // The next Wait reads the execution's input, so the answer is dropped.
        ResultPath: null,
      });
    }
    const waits = Object.values(asl.States).filter((s) => s.Type === 'Wait');
    expect(waits).toHaveLength(slots.length + (recursOnCalendar(rule) ? 1 : 0));
  });

  test('run with nobody acting, the machine meets the slots in their order, once each, and its last Task ends it', () => {
    const path = linePath(asl);
    const milestones = path.map((name) => state(asl, name).Parameters?.['milestone']).filter((milestone) => milestone !== undefined);
    expect(milestones).toEqual(slots.map((slot) => slot.milestone));
    const last = state(asl, path.at(-1));
    expect(last).toMatchObject({ Type: 'Task', End: true });
    if (recursOnCalendar(rule)) {
      expect(path.slice(-2)).toEqual(['WaitForNextPeriod', 'StartNextCycle']);
      expect(state(asl, 'WaitForNextPeriod').TimestampPath).toBe('$.at.next_period');
      expect(last).toMatchObject({ Resource: arn.timer, Parameters: { step: 'next-cycle', 'obligationId.$': '$.obligationId', 'revision.$': '$.revision' } });
    } else {
      expect(path).toHaveLength(2 * slots.length);
      expect(Object.keys(asl.States)).not.toContain('WaitForNextPeriod');
    }
  });

  test('a step’s signal goes by its Catch: closed and superseded to the end, a report in to the next period, a milestone past the segment to the next segment', () => {
    for (const [name, task] of tasks) {
      if (name === 'ContinueInNextSegment') continue;
      expect(caughtTo(task, TIMER_SIGNALS.closed), name).toBe('ObligationClosed');
      expect(caughtTo(task, TIMER_SIGNALS.superseded), name).toBe('SupersededByNewerRevision');
      expect(caughtTo(task, TIMER_SIGNALS.notYet), name).toBe('ContinueInNextSegment');
      const milestoneTask = typeof task.Parameters?.['milestone'] === 'string';
      expect(caughtTo(task, TIMER_SIGNALS.cycleClosed), name).toBe(recursOnCalendar(rule) && milestoneTask ? 'WaitForNextPeriod' : undefined);
      // The input goes on unchanged: the next state reads its instants from it.
      for (const catcher of catchers(task)) expect(catcher.ResultPath, name).toBeNull();
      // Nothing else is caught: a failure fails the execution (see below).
      expect(catchers(task).flatMap((catcher) => catcher.ErrorEquals).every((error) => (Object.values(TIMER_SIGNALS) as string[]).includes(error)), name).toBe(true);
    }
    expect(state(asl, 'ObligationClosed').Type).toBe('Succeed');
    expect(state(asl, 'SupersededByNewerRevision').Type).toBe('Succeed');
    expect(state(asl, 'ContinueInNextSegment')).toMatchObject({
      Type: 'Task',
      Resource: arn.timer,
      Parameters: { step: 'next-segment', 'obligationId.$': '$.obligationId', 'revision.$': '$.revision', 'segment.$': '$.segment' },
      End: true,
    });
  });

  test('state names are unique, plain, at most 80 characters, and the ones the names module promises', () => {
    const names = Object.keys(asl.States);
    for (const name of names) {
      expect(name).toMatch(/^[A-Z][A-Za-z0-9]*$/);
      expect(name.length).toBeLessThanOrEqual(MAX_STATE_NAME_LENGTH);
    }
    const promised = allStateNames(timerStateNames(rule));
    expect(new Set(promised).size).toBe(promised.length);
    expect(names.toSorted()).toEqual(promised.toSorted());
    // The names module lists them in the order the machine runs them.
    expect(promised.slice(0, linePath(asl).length)).toEqual(linePath(asl));
  });

  test('a failing step is retried with a growing, jittered backoff that outlasts a notice in doubt (5 min), then fails the execution; a signal is never retried', () => {
    for (const [name, s] of tasks) {
      expect(s.Retry?.some((retry) => retry.ErrorEquals.includes('Lambda.ServiceException')), name).toBe(true);
      const signals = s.Retry?.findIndex((retry) => retry.ErrorEquals.includes(TIMER_SIGNALS.closed)) ?? -1;
      const taskFailedAt = s.Retry?.findIndex((retry) => retry.ErrorEquals.includes('States.TaskFailed')) ?? -1;
      const taskFailed = s.Retry?.[taskFailedAt];
      if (name !== 'ContinueInNextSegment') {
        expect(signals, name).toBeGreaterThanOrEqual(0);
        expect(signals, `${name}: the signals' retrier comes before States.TaskFailed`).toBeLessThan(taskFailedAt);
        expect(s.Retry?.[signals]?.MaxAttempts, name).toBe(0);
      }
      expect(taskFailed?.MaxAttempts, name).toBeGreaterThan(0);
      expect(taskFailed?.MaxAttempts, name).toBeLessThanOrEqual(8);
      expect(taskFailed?.BackoffRate, name).toBeGreaterThan(1);
      expect(taskFailed?.JitterStrategy, name).toBe('FULL');
      // The waits before the retries, at most (full jitter draws each from 0 to this).
      const waits = Array.from({ length: taskFailed?.MaxAttempts ?? 0 }, (_, attempt) =>
        Math.min((taskFailed?.IntervalSeconds ?? 1) * (taskFailed?.BackoffRate ?? 1) ** attempt, taskFailed?.MaxDelaySeconds ?? Number.POSITIVE_INFINITY),
      );
      expect(waits.reduce((sum, wait) => sum + wait, 0), name).toBeGreaterThan(2 * 5 * 60);
      expect(waits.reduce((sum, wait) => sum + wait, 0), name).toBeLessThan(60 * 60);
    }
  });
});

describe('state transitions without an act', () => {
  const transitions = (ruleId: string): number => linePath(aslOf(ruleId)).length;

  test.each(catalog.filter((rule) => !recursOnCalendar(rule)).map((rule) => [rule.id] as const))('%s takes at most 12', (ruleId) => {
    expect(transitions(ruleId)).toBeLessThanOrEqual(12);
  });

  test('a protective order together with the first offender check it opens takes at most 12', () => {
    const companions = findRule('protective-order').companions?.map((companion) => companion.rule);
    expect(companions).toEqual(['offender-check']);
    expect(transitions('protective-order') + transitions('offender-check')).toBeLessThanOrEqual(12);
  });
});

describe('state names in the domain words', () => {
  const names = (ruleId: string): string[] => Object.keys(aslOf(ruleId).States);

  test('sss-decision reminds the akimat department, then climbs to the department head and the deputy akim; falling overdue needs no state', () => {
    expect(linePath(aslOf('sss-decision'))).toEqual([
      'WaitForReminder',
      'RemindAkimatDepartment',
      'WaitForEscalationToDepartmentHead',
      'EscalateToDepartmentHead',
      'WaitForEscalationToDepartmentHeadAgain2',
      'EscalateToDepartmentHeadAgain2',
      'WaitForEscalationToDepartmentHeadAgain3',
      'EscalateToDepartmentHeadAgain3',
      'WaitForEscalationToDeputyAkim',
      'EscalateToDeputyAkim',
    ]);
    expect(names('sss-decision')).not.toContain('MarkOverdue');
  });

  test('protective-order expires rather than falls overdue', () => {
    expect(linePath(aslOf('protective-order'))).toEqual(['WaitForReminder', 'RemindInspector', 'WaitForExpiry', 'MarkExpired']);
    expect(state(aslOf('protective-order'), 'MarkExpired').Parameters?.['milestone']).toBe('due');
  });

  test('two reminders and two roles on one rung are told apart; the due instant that tells the secretary keeps its state', () => {
    expect(names('kdn-placement-reply')).toEqual(
      expect.arrayContaining(['RemindAddressee', 'RemindAddressee2', 'MarkOverdue', 'EscalateToAddresseeHeadAndSecretary', 'EscalateToAddresseeHeadAndSecretaryAgain2', 'EscalateToCommissionChair']),
    );
  });

  test('unit-quarterly-report waits for the next quarter and starts its next cycle', () => {
    expect(names('unit-quarterly-report')).toEqual(expect.arrayContaining(['RemindUnitHead', 'RemindUnitHead2', 'EscalateToRegionalHead', 'WaitForNextPeriod', 'StartNextCycle']));
    expect(names('unit-quarterly-report')).not.toContain('MarkOverdue');
  });

  test('shelter-absence, with no reminder and no ladder, waits for the deadline, tells the shelter’s head and ends', () => {
    expect(linePath(aslOf('shelter-absence'))).toEqual(['WaitForDeadline', 'MarkOverdue']);
  });
});

describe('TimerStateMachine', () => {
  test('passes execution logging through', () => {
    const stack = new Stack(new App(), 'Logged');
    const fn = (id: string) =>
      new lambda.Function(stack, id, { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => ({})') });
    const destination = new logs.LogGroup(stack, 'Executions');
    new TimerStateMachine(stack, 'SssDecision', {
      rule: findRule('sss-decision'),
      stateMachineName: 'merzim-dev-sss-decision',
      functions: { timer: fn('Timer'), notify: fn('Notify'), escalate: fn('Escalate') },
      logs: { destination, level: sfn.LogLevel.ALL },
    });
    Template.fromStack(stack).hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineName: 'merzim-dev-sss-decision',
      LoggingConfiguration: Match.objectLike({ Level: 'ALL' }),
    });
  });

  test('two machines of two rules live in one stack', () => {
    const stack = new Stack(new App(), 'Two');
    const fn = (id: string) =>
      new lambda.Function(stack, id, { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => ({})') });
    const functions = { timer: fn('Timer'), notify: fn('Notify'), escalate: fn('Escalate') };
    for (const rule of catalog) new TimerStateMachine(stack, rule.id, { rule, stateMachineName: `merzim-dev-${rule.id}`, functions });
    Template.fromStack(stack).resourceCountIs('AWS::StepFunctions::StateMachine', catalog.length);
  });
});
