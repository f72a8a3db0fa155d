import { GetExecutionHistoryCommand, StartExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { describe as group, expect, test, vi } from 'vitest';
import { HandlerRegistry, VirtualClock } from '../../local/index.ts';
import { WAIT_THEN_TASK_EVENTS, createMachine, describe, lambdaArn, startTestService, sharedDynamoDbLocal } from './support.ts';

// Real services can be slow to answer on a busy CI machine; no test waits on time itself.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

// One DynamoDB Local for the file; each test runs its own service on its own table.
const dynamodb = sharedDynamoDbLocal();

const start = '2026-03-02T04:00:00.000Z';
const days = (n: number): number => n * 24 * 60 * 60 * 1000;
const instant = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');

/** Wait for a deadline 40 days ahead, check the obligation, branch on whether it was met. */
const deadlineMachine = {
  StartAt: 'WaitForDeadline',
  States: {
    WaitForDeadline: { Type: 'Wait', TimestampPath: '$.dueAt', Next: 'CheckObligation' },
    CheckObligation: { Type: 'Task', Resource: lambdaArn('check-obligation'), ResultPath: '$.check', Next: 'WasItMet' },
    WasItMet: {
      Type: 'Choice',
      Choices: [{ Variable: '$.check.closed', BooleanEquals: true, Next: 'Met' }],
      Default: 'EscalateToHead',
    },
    Met: { Type: 'Succeed' },
    EscalateToHead: { Type: 'Pass', Result: 'escalated', ResultPath: '$.outcome', End: true },
  },
};

group('a parked Wait', () => {
  test('a Wait on a timestamp 40 days ahead, then a Task and a Choice, runs to completion under the virtual clock', async () => {
    const clock = new VirtualClock(start);
    const { sfn, handlers, stop } = await startTestService(dynamodb.endpoint(), clock);
    try {
      const checks: unknown[] = [];
      handlers.register('check-obligation', async (event) => {
        checks.push(event);
        return { closed: false, checkedAt: new Date(clock.now()).toISOString() };
      });
      const machine = await createMachine(sfn, 'deadline', deadlineMachine);
      const dueAt = instant(Date.parse(start) + days(40));
      const { executionArn } = await sfn.send(
        new StartExecutionCommand({ stateMachineArn: machine, name: 'OBL-1-r1', input: JSON.stringify({ ref: 'OBL-1', dueAt }) }),
      );
      await clock.settle();
      expect((await describe(sfn, executionArn!)).status).toBe('RUNNING');

      await clock.advanceTo(Date.parse(start) + days(40) - 1000);
      expect(checks).toEqual([]);
      expect((await describe(sfn, executionArn!)).status).toBe('RUNNING');

      await clock.advanceTo(Date.parse(start) + days(41));
      expect(checks).toEqual([{ ref: 'OBL-1', dueAt }]);
      const done = await describe(sfn, executionArn!);
      expect(done.status).toBe('SUCCEEDED');
      expect(JSON.parse(done.output!)).toEqual({
        ref: 'OBL-1',
        dueAt,
        check: { closed: false, checkedAt: new Date(Date.parse(start) + days(40)).toISOString() },
        outcome: 'escalated',
      });
      // The task ran when the wait ended, not when the clock stopped.
      expect(done.stopDate?.toISOString()).toBe(new Date(Date.parse(start) + days(40)).toISOString());

      const { events } = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
      expect(events?.map((event) => event.type)).toEqual([
        ...WAIT_THEN_TASK_EVENTS,
        'ChoiceStateEntered',
        'ChoiceStateExited',
        'PassStateEntered',
        'PassStateExited',
        'ExecutionSucceeded',
      ]);
      expect(events?.map((event) => event.id)).toEqual(events?.map((_, index) => index + 1));
      expect(events?.[1]?.timestamp?.toISOString()).toBe(start);
      expect(events?.[2]?.timestamp?.toISOString()).toBe(new Date(Date.parse(start) + days(40)).toISOString());
    } finally {
      await stop();
    }
  });

  test('a wait of a year ends on its day', async () => {
    const clock = new VirtualClock(start);
    const { sfn, stop } = await startTestService(dynamodb.endpoint(), clock);
    try {
      const machine = await createMachine(sfn, 'yearly', {
        StartAt: 'WaitAYear',
        States: { WaitAYear: { Type: 'Wait', Seconds: 365 * 24 * 60 * 60, End: true } },
      });
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: machine, input: '{"ref":"OBL-2"}' }));
      await clock.advanceTo(Date.parse(start) + days(365) - 1);
      expect((await describe(sfn, executionArn!)).status).toBe('RUNNING');
      await clock.advanceTo(Date.parse(start) + days(365));
      const done = await describe(sfn, executionArn!);
      expect(done.status).toBe('SUCCEEDED');
      expect(done.output).toBe('{"ref":"OBL-2"}');
    } finally {
      await stop();
    }
  });

  test('a stop during a wait ends the execution ABORTED and nothing fires afterwards', async () => {
    const clock = new VirtualClock(start);
    const { sfn, handlers, stop } = await startTestService(dynamodb.endpoint(), clock);
    try {
      let calls = 0;
      handlers.register('check-obligation', async () => {
        calls += 1;
        return { closed: true };
      });
      const machine = await createMachine(sfn, 'deadline', deadlineMachine);
      const dueAt = instant(Date.parse(start) + days(40));
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: machine, input: JSON.stringify({ dueAt }) }));
      await clock.advanceTo(Date.parse(start) + days(10));
      await sfn.send(new StopExecutionCommand({ executionArn, error: 'Revised', cause: 'the deadline was extended' }));
      // Past the 40 days the wait was for, and within the 90 days a closed execution is kept.
      await clock.advanceTo(Date.parse(start) + days(60));

      expect(calls).toBe(0);
      const stopped = await describe(sfn, executionArn!);
      expect(stopped.status).toBe('ABORTED');
      expect(stopped.stopDate?.toISOString()).toBe(new Date(Date.parse(start) + days(10)).toISOString());
      const { events } = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
      expect(events?.map((event) => event.type)).toEqual(['ExecutionStarted', 'WaitStateEntered', 'ExecutionAborted']);
      expect(events?.at(-1)?.executionAbortedEventDetails).toEqual({ error: 'Revised', cause: 'the deadline was extended' });
    } finally {
      await stop();
    }
  });

  test("an execution's TimeoutSeconds spans its parked waits: it times out on its deadline and the rest never runs", async () => {
    const clock = new VirtualClock(start);
    const { sfn, handlers, stop } = await startTestService(dynamodb.endpoint(), clock);
    try {
      let calls = 0;
      handlers.register('check-obligation', async () => {
        calls += 1;
        return {};
      });
      const machine = await createMachine(sfn, 'bounded', {
        TimeoutSeconds: 10 * 24 * 60 * 60,
        StartAt: 'WaitForDeadline',
        States: {
          WaitForDeadline: { Type: 'Wait', Seconds: 30 * 24 * 60 * 60, Next: 'CheckObligation' },
          CheckObligation: { Type: 'Task', Resource: lambdaArn('check-obligation'), End: true },
        },
      });
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: machine }));
      await clock.advanceTo(Date.parse(start) + days(60));
      const timedOut = await describe(sfn, executionArn!);
      expect(timedOut.status).toBe('TIMED_OUT');
      expect(timedOut.stopDate?.toISOString()).toBe(new Date(Date.parse(start) + days(10)).toISOString());
      expect(calls).toBe(0);
      const { events } = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
      expect(events?.map((event) => event.type)).toEqual(['ExecutionStarted', 'WaitStateEntered', 'ExecutionTimedOut']);
    } finally {
      await stop();
    }
  });

  test('a TimestampPath that points at no timestamp fails the execution with States.Runtime', async () => {
    const clock = new VirtualClock(start);
    const { sfn, stop } = await startTestService(dynamodb.endpoint(), clock);
    try {
      const machine = await createMachine(sfn, 'deadline', deadlineMachine);
      const { executionArn } = await sfn.send(
        new StartExecutionCommand({ stateMachineArn: machine, input: JSON.stringify({ dueAt: 'in three working days' }) }),
      );
      await clock.settle();
      const failed = await describe(sfn, executionArn!);
      expect(failed.status).toBe('FAILED');
      expect(failed.error).toBe('States.Runtime');
      expect(failed.cause).toMatch(/TimestampPath .* 'WaitForDeadline'/);
    } finally {
      await stop();
    }
  });

  test('InputPath and OutputPath of a parked Wait shape what the next state receives, as in AWS', async () => {
    const clock = new VirtualClock(start);
    const { sfn, stop } = await startTestService(dynamodb.endpoint(), clock);
    try {
      const machine = await createMachine(sfn, 'paths', {
        StartAt: 'WaitForReminder',
        States: {
          WaitForReminder: { Type: 'Wait', InputPath: '$.plan', TimestampPath: '$.remindAt', OutputPath: '$.milestone', End: true },
        },
      });
      const remindAt = instant(Date.parse(start) + days(2));
      const { executionArn } = await sfn.send(
        new StartExecutionCommand({ stateMachineArn: machine, input: JSON.stringify({ ref: 'OBL-3', plan: { remindAt, milestone: 'reminder' } }) }),
      );
      await clock.advanceTo(Date.parse(start) + days(3));
      expect(await describe(sfn, executionArn!)).toMatchObject({ status: 'SUCCEEDED', output: '"reminder"' });
    } finally {
      await stop();
    }
  });

  test('a task cut short by a stop of the service runs again when a service starts on the same data, and the execution completes', async () => {
    const table = `sfn-cut-${Date.now()}`;
    const clock = new VirtualClock(start);
    const first = await startTestService(dynamodb.endpoint(), clock, table);
    let release: (() => void) | undefined;
    let entered: (() => void) | undefined;
    const taskEntered = new Promise<void>((resolve) => (entered = resolve));
    const attempts: string[] = [];
    first.handlers.register('check-obligation', async () => {
      attempts.push('first service');
      entered?.();
      // Holds the task until the service is gone, like a function still running at a crash.
      await new Promise<void>((resolve) => (release = resolve));
      return { closed: true };
    });
    const machine = await createMachine(first.sfn, 'deadline', deadlineMachine);
    const dueAt = instant(Date.parse(start) + days(3));
    const { executionArn } = await first.sfn.send(new StartExecutionCommand({ stateMachineArn: machine, input: JSON.stringify({ dueAt }) }));
    const jump = clock.advanceTo(Date.parse(start) + days(3));
    await taskEntered;
    await first.stop();
    await jump;
    release?.();
    expect(attempts).toEqual(['first service']);

    // Handlers are in place before the service starts: a wake-up already due fires at once.
    const handlers = new HandlerRegistry().register('check-obligation', async () => {
      attempts.push('second service');
      return { closed: true };
    });
    const second = await startTestService(dynamodb.endpoint(), clock, table, handlers);
    try {
      await clock.settle();
      expect(attempts).toEqual(['first service', 'second service']);
      const done = await describe(second.sfn, executionArn!);
      expect(done.status).toBe('SUCCEEDED');
      expect(JSON.parse(done.output!)).toMatchObject({ check: { closed: true } });
      const { events } = await second.sfn.send(new GetExecutionHistoryCommand({ executionArn }));
      expect(events?.filter((event) => event.type === 'WaitStateExited')).toHaveLength(1);
    } finally {
      await second.stop();
    }
  });
});
