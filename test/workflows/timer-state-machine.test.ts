import { effectiveBody } from '../../shared/rules/plan.ts';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { describe, expect, test } from 'vitest';
import { catalog, findRule } from '../../shared/rules/catalog.ts';
import { recursOnCalendar, timerSlots } from '../../shared/rules/slots.ts';
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
const choiceOn = (choice: AslState, value: string): string | undefined => choice.Choices?.find((c) => c.StringEquals === value)?.Next;

/** The states an execution passes through when every step answers `continue`. */
function continuePath(asl: Asl): string[] {
  const path: string[] = [];
  let name: string | undefined = asl.StartAt;
  while (name !== undefined) {
    if (path.includes(name)) throw new Error(`a loop at ${name}`);
    path.push(name);
    const current = state(asl, name);
    if (current.Type === 'Choice') {
      name = choiceOn(current, 'continue') ?? current.Choices?.find((c) => c.IsPresent === true)?.Next;
    } else name = current.Next;
  }
  return path;
}

describe.each(catalog.map((rule) => [rule.id, rule] as const))('the state machine of %s', (ruleId, rule) => {
  const asl = aslOf(ruleId);
  const slots = timerSlots(rule);

  test('is a Standard machine of the given name', () => {
    machines.get(ruleId)?.template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineName: `merzim-test-${ruleId}`,
      StateMachineType: 'STANDARD',
    });
  });

  test('plans first: the timer function with the ids of the execution, its answer under $.plan', () => {
    const plan = state(asl, asl.StartAt);
    expect(plan).toMatchObject({
      Type: 'Task',
      Resource: arn.timer,
      Parameters: { step: 'plan', 'obligationId.$': '$.obligationId', 'revision.$': '$.revision' },
      ResultPath: '$.plan',
    });
    expect(state(asl, plan.Next).Choices?.every((choice) => choice.Variable === '$.plan.next')).toBe(true);
  });

  test('every slot has its Wait on the plan timestamp and its Task with the milestone id', () => {
    for (const slot of slots) {
      const waits = Object.entries(asl.States).filter(([, s]) => s.Type === 'Wait' && s.TimestampPath === `$.plan.at.${slot.key}`);
      expect(waits, slot.milestone).toHaveLength(1);
      const task = state(asl, waits[0]?.[1].Next);
      expect(task, slot.milestone).toMatchObject({
        Type: 'Task',
        Resource: slot.kind === 'escalation' ? arn.escalate : arn.notify,
        Parameters: { 'obligationId.$': '$.obligationId', 'revision.$': '$.revision', milestone: slot.milestone },
        ResultPath: '$.last',
      });
      const check = state(asl, task.Next);
      expect(check.Type).toBe('Choice');
      expect(check.Choices?.every((choice) => choice.Variable === '$.last.next')).toBe(true);
    }
  });

  test('an execution where every step answers continue meets the slots in their order, once each', () => {
    const milestones = continuePath(asl)
      .map((name) => state(asl, name))
      .filter((s) => s.Type === 'Task' && typeof s.Parameters?.['milestone'] === 'string')
      .map((s) => s.Parameters?.['milestone']);
    expect(milestones).toEqual(slots.map((slot) => slot.milestone));
  });

  test('every outcome has its branch: closed and superseded end in success, and only a calendar-recurring rule knows cycle-closed', () => {
    const choices = Object.values(asl.States).filter((s) => s.Type === 'Choice' && s.Choices?.some((c) => c.StringEquals !== undefined));
    expect(choices).toHaveLength(slots.length + 1);
    for (const choice of choices) {
      expect(choiceOn(choice, 'closed')).toBe('ObligationClosed');
      expect(choiceOn(choice, 'superseded')).toBe('SupersededByNewerRevision');
      // A rule with a variant that does not recur (a plan item by a set date) asks first whether a next period is planned.
      const recursAlways = (rule.variants === undefined ? [undefined] : Object.keys(rule.variants)).every((variant) => effectiveBody(rule, variant).recurrence?.kind === 'calendar');
      expect(choiceOn(choice, 'cycle-closed')).toBe(recursOnCalendar(rule) ? (recursAlways ? 'WaitForNextPeriod' : 'IsNextPeriodPlanned') : undefined);
      expect(choice.Default).toBe('UnexpectedStepOutcome');
    }
    expect(state(asl, 'ObligationClosed').Type).toBe('Succeed');
    expect(state(asl, 'SupersededByNewerRevision').Type).toBe('Succeed');
    expect(state(asl, 'UnexpectedStepOutcome').Type).toBe('Fail');
  });

  test('a calendar-recurring rule waits for the next period and then starts the next cycle; another rule ends', () => {
    const path = continuePath(asl);
    const last = state(asl, path.at(-1));
    expect(last.Type).toBe('Succeed');
    if (recursOnCalendar(rule)) {
      expect(path.slice(-3)).toEqual(['WaitForNextPeriod', 'StartNextCycle', 'NextCycleStarted']);
      expect(state(asl, 'WaitForNextPeriod').TimestampPath).toBe('$.plan.nextPeriodAt');
      expect(state(asl, 'StartNextCycle')).toMatchObject({
        Type: 'Task',
        Resource: arn.timer,
        Parameters: { step: 'next-cycle', 'obligationId.$': '$.obligationId', 'revision.$': '$.revision' },
      });
    } else {
      expect(Object.keys(asl.States)).not.toContain('WaitForNextPeriod');
      expect(Object.keys(asl.States)).not.toContain('StartNextCycle');
      expect(['LadderFinished', 'MeasureExpired', 'OverdueMarked']).toContain(path.at(-1));
    }
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
  });

  test('a failing step is retried with a growing, jittered backoff that outlasts a notice in doubt (5 min), then fails the execution: nothing catches it', () => {
    for (const [name, s] of Object.entries(asl.States)) {
      expect(s.Catch, name).toBeUndefined();
      if (s.Type !== 'Task') continue;
      expect(s.Retry?.some((retry) => retry.ErrorEquals.includes('Lambda.ServiceException')), name).toBe(true);
      const taskFailed = s.Retry?.find((retry) => retry.ErrorEquals.includes('States.TaskFailed'));
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

describe('state names in the domain words', () => {
  const names = (ruleId: string): string[] => Object.keys(aslOf(ruleId).States);

  test('sss-decision reminds the akimat department, marks it overdue, then climbs to the department head and the deputy akim', () => {
    expect(continuePath(aslOf('sss-decision'))).toEqual([
      'Plan',
      'StillOpenAfterPlan',
      'WaitForReminder',
      'RemindAkimatDepartment',
      'StillOpenAfterRemindAkimatDepartment',
      'WaitForDeadline',
      'MarkOverdue',
      'StillOpenAfterMarkOverdue',
      'WaitForEscalationToDepartmentHead',
      'EscalateToDepartmentHead',
      'StillOpenAfterEscalateToDepartmentHead',
      'WaitForEscalationToDepartmentHeadAgain2',
      'EscalateToDepartmentHeadAgain2',
      'StillOpenAfterEscalateToDepartmentHeadAgain2',
      'WaitForEscalationToDepartmentHeadAgain3',
      'EscalateToDepartmentHeadAgain3',
      'StillOpenAfterEscalateToDepartmentHeadAgain3',
      'WaitForEscalationToDeputyAkim',
      'EscalateToDeputyAkim',
      'StillOpenAfterEscalateToDeputyAkim',
      'LadderFinished',
    ]);
  });

  test('protective-order expires rather than falls overdue', () => {
    expect(names('protective-order')).toEqual(expect.arrayContaining(['WaitForReminder', 'RemindInspector', 'WaitForExpiry', 'MarkExpired', 'MeasureExpired']));
    expect(names('protective-order')).not.toContain('MarkOverdue');
    expect(state(aslOf('protective-order'), 'MarkExpired').Parameters?.['milestone']).toBe('due');
  });

  test('two reminders and two roles on one rung are told apart', () => {
    expect(names('kdn-placement-reply')).toEqual(
      expect.arrayContaining(['RemindAddressee', 'RemindAddressee2', 'EscalateToAddresseeHeadAndSecretary', 'EscalateToAddresseeHeadAndSecretaryAgain2', 'EscalateToCommissionChair']),
    );
  });

  test('unit-quarterly-report waits for the next quarter and starts its next cycle', () => {
    expect(names('unit-quarterly-report')).toEqual(
      expect.arrayContaining(['RemindUnitHead', 'RemindUnitHead2', 'MarkOverdue', 'EscalateToRegionalHead', 'WaitForNextPeriod', 'StartNextCycle']),
    );
  });

  test('shelter-absence, with no reminder and no ladder, ends once marked overdue', () => {
    expect(continuePath(aslOf('shelter-absence')).filter((name) => aslOf('shelter-absence').States[name]?.Type !== 'Choice')).toEqual([
      'Plan',
      'WaitForDeadline',
      'MarkOverdue',
      'OverdueMarked',
    ]);
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
