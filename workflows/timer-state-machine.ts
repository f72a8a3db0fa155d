import { Duration } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { TIMER_SIGNALS } from '../contract/index.ts';
import { NEXT_PERIOD_KEY, type Rule, type TimerSlot } from '../shared/rules/index.ts';
import { type TimerStateNames, timerStateNames } from './state-names.ts';

export interface TimerFunctions {
  readonly timer: lambda.IFunction;
  readonly notify: lambda.IFunction;
  readonly escalate: lambda.IFunction;
}

export interface TimerStateMachineProps {
  readonly rule: Rule;
  readonly stateMachineName: string;
  readonly functions: TimerFunctions;
  /** Execution logging: the stack passes its log group, errors only, without execution data (it may name a case). */
  readonly logs?: sfn.LogOptions;
}

/** One Standard state machine per rule: wait for and act on each milestone in turn. */
export class TimerStateMachine extends Construct {
  readonly stateMachine: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: TimerStateMachineProps) {
    super(scope, id);
    const start = timerDefinition(new Construct(this, 'Definition'), props.rule, props.functions);
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName: props.stateMachineName,
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromChainable(start),
      comment: `${props.rule.names.en} (${props.rule.id} v${props.rule.version})`,
      ...(props.logs === undefined ? {} : { logs: props.logs }),
    });
  }
}

/**
 * A bounded retry of any failure of a step, on top of CDK's retry of Lambda service exceptions:
 * every step is idempotent (the outbox writes each notification once), so running it again is
 * safe. The backoff (20 s doubling to 5 min, full jitter: about 15 minutes in all) outlasts a
 * short SES or DynamoDB outage and the time a notice stays in doubt after a crash (five minutes,
 * NOTICE_IN_DOUBT_MS). What still fails fails the execution: an alarm fires, the failed notices
 * wait in the dead-letter list, and the reconciler starts the timer again within the hour.
 */
export const TASK_RETRY: sfn.RetryProps = {
  errors: [sfn.Errors.TASKS_FAILED],
  interval: Duration.seconds(20),
  maxAttempts: 6,
  backoffRate: 2,
  maxDelay: Duration.minutes(5),
  jitterStrategy: sfn.JitterType.FULL,
};

const ids = {
  obligationId: sfn.JsonPath.stringAt('$.obligationId'),
  revision: sfn.JsonPath.numberAt('$.revision'),
};

const ACTS: Record<TimerSlot['kind'], string> = {
  reminder: 'reminds the one who must act',
  due: 'the deadline has passed: marks the obligation overdue',
  expiry: 'the term has ended: marks the measure expired',
  escalation: 'escalates the missed deadline',
};

/**
 * Builds the states of a rule's machine in `scope` and returns the first one. Each state's name
 * is its construct id (see `timerStateNames`), so give each machine a scope of its own.
 *
 * The machine is a line of two states per milestone, a `Wait` on the instant the execution's
 * input gives for it (`$.at.<slot>`) and the Task that acts on it, the slots of
 * `timerSlots(rule)` in order; a calendar-recurring rule then waits for its next period and
 * opens it. The last Task ends the machine. There is no planning step: the starter
 * (`Executions.start`) gives every instant, and a new plan is a new revision on a new execution.
 * A Task that finds the obligation closed or superseded, a report in, or its milestone past the
 * end of this segment says so by an error that its `Catch` takes to the end, to the next period,
 * or to the next segment: no `Choice` after every Task.
 */
export function timerDefinition(scope: Construct, rule: Rule, functions: TimerFunctions, names: TimerStateNames = timerStateNames(rule)): sfn.State {
  // First pass: the states, in the order the machine runs them.
  const milestones = names.slots.map(({ slot, wait, task, function: fn }) => ({
    wait: new sfn.Wait(scope, wait, {
      comment: `Waits for milestone ${slot.milestone}.`,
      time: sfn.WaitTime.timestampPath(`$.at.${slot.key}`),
    }),
    task: new tasks.LambdaInvoke(scope, task, {
      comment: `Milestone ${slot.milestone}: ${ACTS[slot.kind]}${slot.notify.length === 0 ? '' : `; tells ${slot.notify.join(', ')}`}.`,
      lambdaFunction: functions[fn],
      payloadResponseOnly: true,
      payload: sfn.TaskInput.fromObject({ ...ids, milestone: slot.milestone }),
      // The next Wait reads its instant from the execution's input: the answer is not kept.
      resultPath: sfn.JsonPath.DISCARD,
    }),
  }));
  const nextPeriod =
    names.nextPeriod === undefined
      ? undefined
      : {
          wait: new sfn.Wait(scope, names.nextPeriod.wait, {
            comment: 'Waits for the next period (a month, a quarter, a year) to start.',
            time: sfn.WaitTime.timestampPath(`$.at.${NEXT_PERIOD_KEY}`),
          }),
          task: new tasks.LambdaInvoke(scope, names.nextPeriod.start, {
            comment: 'Opens the next cycle of the obligation, which runs in an execution of its own; a plan item by a set date has none, and its timer ends.',
            lambdaFunction: functions.timer,
            payloadResponseOnly: true,
            payload: sfn.TaskInput.fromObject({ step: 'next-cycle', ...ids }),
            resultPath: sfn.JsonPath.DISCARD,
          }),
        };
  const nextSegment = new tasks.LambdaInvoke(scope, names.nextSegment, {
    comment: 'The next milestone lies past the end of this segment (AWS ends an execution after a year): starts the next segment, which waits for it, and ends this one.',
    lambdaFunction: functions.timer,
    payloadResponseOnly: true,
    payload: sfn.TaskInput.fromObject({ step: 'next-segment', ...ids, segment: sfn.JsonPath.numberAt('$.segment') }),
    resultPath: sfn.JsonPath.DISCARD,
  }).addRetry(TASK_RETRY);
  const closed = new sfn.Succeed(scope, names.closed, { comment: 'The obligation was closed: decided, replied, cancelled…' });
  const superseded = new sfn.Succeed(scope, names.superseded, { comment: 'A newer revision of the plan runs in its own execution.' });

  // Second pass: each state to the next; the last Task ends the machine.
  const line: (sfn.Wait | tasks.LambdaInvoke)[] = [...milestones.flatMap(({ wait, task }) => [wait, task]), ...(nextPeriod === undefined ? [] : [nextPeriod.wait, nextPeriod.task])];
  line.forEach((state, index) => {
    const following = line[index + 1];
    if (following !== undefined) state.next(following);
  });
  const catches = (task: tasks.LambdaInvoke, onCycleClosed: sfn.State | undefined): void => {
    const signals: [string, sfn.State][] = [
      [TIMER_SIGNALS.closed, closed],
      [TIMER_SIGNALS.superseded, superseded],
      ...(onCycleClosed === undefined ? [] : [[TIMER_SIGNALS.cycleClosed, onCycleClosed] as [string, sfn.State]]),
      [TIMER_SIGNALS.notYet, nextSegment],
    ];
    // A signal is an answer, not a failure, but `States.TaskFailed` matches it: a retrier that
    // never retries comes first, and the signal goes to its `Catch`.
    task.addRetry({ errors: signals.map(([error]) => error), maxAttempts: 0 }).addRetry(TASK_RETRY);
    for (const [error, to] of signals) task.addCatch(to, { errors: [error], resultPath: sfn.JsonPath.DISCARD });
  };
  for (const { task } of milestones) catches(task, nextPeriod?.wait);
  if (nextPeriod !== undefined) catches(nextPeriod.task, undefined);

  const first = line[0];
  if (first === undefined) throw new Error(`timerDefinition: ${rule.id} has nothing to wait for`);
  return first;
}
