import { Duration } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { RESULT_PATHS, type StepOutcome } from '../functions/contract.ts';
import type { Rule } from '../shared/rules/rule.ts';
import type { TimerSlot } from '../shared/rules/slots.ts';
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
  /** Execution logging (issue 5 will pass a log group). */
  readonly logs?: sfn.LogOptions;
}

/** One Standard state machine per rule: plan, then wait for and act on each milestone in turn. */
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

function required<T>(value: T | undefined, what: string | undefined): T {
  if (value === undefined) throw new Error(`timerDefinition: no state for ${what ?? 'the end of the machine'}`);
  return value;
}

const outcome = (path: string, value: StepOutcome): sfn.Condition => sfn.Condition.stringEquals(`${path}.next`, value);

/**
 * Builds the states of a rule's machine in `scope` and returns the first one, `Plan`. Each
 * state's name is its construct id (see `timerStateNames`), so give each machine a scope of its
 * own. The machine is linear: the slots of `timerSlots(rule)` in order, each a `Wait` on the
 * plan's timestamp for it, a Task, and a Choice on what the Task answered.
 */
export function timerDefinition(scope: Construct, rule: Rule, functions: TimerFunctions, names: TimerStateNames = timerStateNames(rule)): sfn.State {
  const closed = new sfn.Succeed(scope, names.closed, { comment: 'The obligation was closed: decided, replied, cancelled…' });
  const superseded = new sfn.Succeed(scope, names.superseded, { comment: 'A newer revision of the plan runs in its own execution.' });
  const finished = names.finished === undefined ? undefined : new sfn.Succeed(scope, names.finished, { comment: 'Every milestone of the plan has passed.' });
  const unexpected = new sfn.Fail(scope, names.unexpected, {
    error: 'Merzim.UnexpectedStepOutcome',
    cause: 'A step answered an outcome this state machine has no branch for.',
  });

  const plan = new tasks.LambdaInvoke(scope, names.plan, {
    comment: 'Computes the instant of every milestone from the rule, the start and the calendar.',
    lambdaFunction: functions.timer,
    payloadResponseOnly: true,
    payload: sfn.TaskInput.fromObject({ step: 'plan', ...ids }),
    resultPath: RESULT_PATHS.plan,
  }).addRetry(TASK_RETRY);

  // After the last slot: the next period of a calendar-recurring rule, or the end.
  let afterLastSlot: sfn.State | undefined = finished;
  let cycleClosed: sfn.State | undefined;
  if (names.nextPeriod !== undefined) {
    const next = names.nextPeriod;
    const wait = new sfn.Wait(scope, next.wait, {
      comment: 'Waits for the next period (a month, a quarter, a year) to start.',
      time: sfn.WaitTime.timestampPath(`${RESULT_PATHS.plan}.nextPeriodAt`),
    });
    const startNext = new tasks.LambdaInvoke(scope, next.start, {
      comment: 'Opens the next cycle of the obligation, which runs in an execution of its own.',
      lambdaFunction: functions.timer,
      payloadResponseOnly: true,
      payload: sfn.TaskInput.fromObject({ step: 'next-cycle', ...ids }),
      resultPath: '$.nextCycle',
    }).addRetry(TASK_RETRY);
    wait.next(startNext).next(new sfn.Succeed(scope, next.started));
    afterLastSlot = cycleClosed =
      next.check === undefined
        ? wait
        : new sfn.Choice(scope, next.check, { comment: 'A period with a set date has no next period.' })
            .when(sfn.Condition.isPresent(`${RESULT_PATHS.plan}.nextPeriodAt`), wait)
            .otherwise(required(finished, names.finished));
  }

  const branch = (choice: sfn.Choice, path: string, onContinue: sfn.State): sfn.Choice => {
    choice.when(outcome(path, 'continue'), onContinue).when(outcome(path, 'closed'), closed).when(outcome(path, 'superseded'), superseded);
    if (cycleClosed !== undefined) choice.when(outcome(path, 'cycle-closed'), cycleClosed);
    return choice.otherwise(unexpected);
  };

  // Built from the last slot back, so that each Choice knows where `continue` leads.
  let following: sfn.State = required(afterLastSlot, 'the end of the ladder');
  for (const states of [...names.slots].reverse()) {
    const { slot } = states;
    const wait = new sfn.Wait(scope, states.wait, {
      comment: `Waits for milestone ${slot.milestone}.`,
      time: sfn.WaitTime.timestampPath(`${RESULT_PATHS.plan}.at.${slot.key}`),
    });
    const task = new tasks.LambdaInvoke(scope, states.task, {
      comment: `Milestone ${slot.milestone}: ${ACTS[slot.kind]}${slot.notify.length === 0 ? '' : `; tells ${slot.notify.join(', ')}`}.`,
      lambdaFunction: functions[states.function],
      payloadResponseOnly: true,
      payload: sfn.TaskInput.fromObject({ ...ids, milestone: slot.milestone }),
      resultPath: RESULT_PATHS.milestone,
    }).addRetry(TASK_RETRY);
    const check = branch(new sfn.Choice(scope, states.check), RESULT_PATHS.milestone, following);
    wait.next(task).next(check);
    following = wait;
  }

  plan.next(branch(new sfn.Choice(scope, names.checkPlan), RESULT_PATHS.plan, following));
  return plan;
}
