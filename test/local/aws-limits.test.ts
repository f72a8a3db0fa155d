import {
  CreateStateMachineCommand,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  ListExecutionsCommand,
  type SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { describe as group, expect, test, vi } from 'vitest';
import { HandlerRegistry, RealClock, VirtualClock } from '../../local/index.ts';
import { createMachine, describe, failure, lambdaArn, roleArn, sharedDynamoDbLocal, startTestService } from './support.ts';

// Real services can be slow to answer on a busy CI machine; no test waits on time itself.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

/**
 * The local Step Functions service holds AWS's limits, so that what runs here runs there: a
 * Standard execution lasts at most a year, a closed one is kept 90 days, a Lambda task times out
 * with its function, names and definitions AWS refuses are refused, the context object is on the
 * service's clock, and a Retry's backoff passes on that clock.
 */

const dynamodb = sharedDynamoDbLocal();

const start = '2026-03-02T04:00:00.000Z';
const t0 = Date.parse(start);
const SECOND = 1000;
const DAY = 24 * 60 * 60 * SECOND;
const iso = (ms: number): string => new Date(ms).toISOString();

async function history(sfn: SFNClient, executionArn: string): Promise<HistoryEvent[]> {
  return (await sfn.send(new GetExecutionHistoryCommand({ executionArn }))).events ?? [];
}

group('a Standard execution lasts at most a year', () => {
  test('a 400-day Wait ends TIMED_OUT after a virtual year, with States.Timeout in its history and DescribeExecution', async () => {
    const clock = new VirtualClock(start);
    const { sfn, handlers, stop } = await startTestService(dynamodb.endpoint(), clock);
    try {
      let escalated = 0;
      handlers.register('escalate', async () => {
        escalated += 1;
        return {};
      });
      const machine = await createMachine(sfn, 'long-order', {
        StartAt: 'WaitFourHundredDays',
        States: {
          WaitFourHundredDays: { Type: 'Wait', Seconds: 400 * 24 * 60 * 60, Next: 'Escalate' },
          Escalate: { Type: 'Task', Resource: lambdaArn('escalate'), End: true },
        },
      });
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: machine, name: 'OBL-400' }));
      await clock.advanceTo(t0 + 365 * DAY - 1);
      expect((await describe(sfn, executionArn!)).status).toBe('RUNNING');

      await clock.advanceTo(t0 + 400 * DAY);
      const ended = await describe(sfn, executionArn!);
      expect(ended).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout' });
      expect(ended.cause).toMatch(/at most one year/);
      expect(ended.stopDate?.toISOString()).toBe(iso(t0 + 365 * DAY));
      expect(escalated).toBe(0);
      const events = await history(sfn, executionArn!);
      expect(events.map((event) => event.type)).toEqual(['ExecutionStarted', 'WaitStateEntered', 'ExecutionTimedOut']);
      expect(events.at(-1)?.executionTimedOutEventDetails).toMatchObject({ error: 'States.Timeout' });
      expect(events.at(-1)?.timestamp?.toISOString()).toBe(iso(t0 + 365 * DAY));
    } finally {
      await stop();
    }
  });

  test('the year counts from the start, across waits each shorter than a year', async () => {
    const clock = new VirtualClock(start);
    const { sfn, handlers, stop } = await startTestService(dynamodb.endpoint(), clock);
    try {
      const checked: string[] = [];
      handlers.register('check', async () => {
        checked.push(iso(clock.now()));
        return {};
      });
      const machine = await createMachine(sfn, 'two-waits', {
        StartAt: 'First',
        States: {
          First: { Type: 'Wait', Seconds: 200 * 24 * 60 * 60, Next: 'Check' },
          Check: { Type: 'Task', Resource: lambdaArn('check'), Next: 'Second' },
          Second: { Type: 'Wait', Seconds: 200 * 24 * 60 * 60, Next: 'CheckAgain' },
          CheckAgain: { Type: 'Task', Resource: lambdaArn('check'), End: true },
        },
      });
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: machine }));
      await clock.advanceTo(t0 + 401 * DAY);
      expect(checked).toEqual([iso(t0 + 200 * DAY)]);
      expect(await describe(sfn, executionArn!)).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout' });
      expect((await describe(sfn, executionArn!)).stopDate?.toISOString()).toBe(iso(t0 + 365 * DAY));
    } finally {
      await stop();
    }
  });

  test('TimeoutSeconds, when shorter, still ends it first, and says so', async () => {
    const clock = new VirtualClock(start);
    const { sfn, stop } = await startTestService(dynamodb.endpoint(), clock);
    try {
      const machine = await createMachine(sfn, 'bounded', {
        TimeoutSeconds: 3600,
        StartAt: 'Pause',
        States: { Pause: { Type: 'Wait', Seconds: 7200, End: true } },
      });
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: machine }));
      await clock.advanceTo(t0 + DAY);
      const ended = await describe(sfn, executionArn!);
      expect(ended).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout' });
      expect(ended.cause).toMatch(/TimeoutSeconds \(3600 s\)/);
      expect(ended.stopDate?.toISOString()).toBe(iso(t0 + 3600 * SECOND));
    } finally {
      await stop();
    }
  });

  test('on a real clock, a run still under way at its deadline is timed out there', async () => {
    const clock = new RealClock();
    const { sfn, handlers, stop } = await startTestService(dynamodb.endpoint(), clock);
    let release: (() => void) | undefined;
    try {
      handlers.register(
        'slow',
        () =>
          new Promise((resolve) => {
            release = () => resolve({});
          }),
        { timeoutSeconds: 600 },
      );
      const machine = await createMachine(sfn, 'overrun', {
        TimeoutSeconds: 1,
        StartAt: 'Slow',
        States: { Slow: { Type: 'Task', Resource: lambdaArn('slow'), End: true } },
      });
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: machine }));
      let status: string | undefined;
      do status = (await describe(sfn, executionArn!)).status;
      while (status === 'RUNNING');
      expect(await describe(sfn, executionArn!)).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout' });
      const types = (await history(sfn, executionArn!)).map((event) => event.type);
      expect(types).toEqual(['ExecutionStarted', 'TaskStateEntered', 'LambdaFunctionScheduled', 'LambdaFunctionStarted', 'ExecutionTimedOut']);
    } finally {
      release?.();
      await stop();
    }
  });
});

group('closed executions are kept 90 days', () => {
  test('then DescribeExecution and GetExecutionHistory answer ExecutionDoesNotExist, ListExecutions omits them, and the name is free again', async () => {
    const clock = new VirtualClock(start);
    const { sfn, stop } = await startTestService(dynamodb.endpoint(), clock);
    try {
      const machine = await createMachine(sfn, 'ladder', {
        StartAt: 'Pause',
        States: { Pause: { Type: 'Wait', Seconds: 10 * 24 * 60 * 60, End: true } },
      });
      const long = await createMachine(sfn, 'long', {
        StartAt: 'Pause',
        States: { Pause: { Type: 'Wait', Seconds: 200 * 24 * 60 * 60, End: true } },
      });
      const done = await sfn.send(new StartExecutionCommand({ stateMachineArn: machine, name: 'OBL-90-r1', input: '{"n":1}' }));
      const running = await sfn.send(new StartExecutionCommand({ stateMachineArn: long, name: 'OBL-91-r1' }));
      const closedAt = t0 + 10 * DAY;
      await clock.advanceTo(closedAt + 90 * DAY - 1);
      expect(await describe(sfn, done.executionArn!)).toMatchObject({ status: 'SUCCEEDED' });
      expect((await history(sfn, done.executionArn!)).at(-1)?.type).toBe('ExecutionSucceeded');
      const before = await sfn.send(new ListExecutionsCommand({ stateMachineArn: machine }));
      expect(before.executions?.map((execution) => execution.name)).toEqual(['OBL-90-r1']);

      await clock.advanceTo(closedAt + 90 * DAY);
      expect(await failure(describe(sfn, done.executionArn!))).toMatchObject({ name: 'ExecutionDoesNotExist', status: 400 });
      expect(await failure(sfn.send(new GetExecutionHistoryCommand({ executionArn: done.executionArn })))).toMatchObject({
        name: 'ExecutionDoesNotExist',
      });
      const after = await sfn.send(new ListExecutionsCommand({ stateMachineArn: machine }));
      expect(after.executions).toEqual([]);
      // A running execution is kept however old it is.
      expect(await describe(sfn, running.executionArn!)).toMatchObject({ status: 'RUNNING' });

      // AWS lets a name be used again once its execution is forgotten: a new execution, afresh.
      const again = await sfn.send(new StartExecutionCommand({ stateMachineArn: machine, name: 'OBL-90-r1', input: '{"n":2}' }));
      expect(again.executionArn).toBe(done.executionArn);
      expect(again.startDate?.toISOString()).toBe(iso(closedAt + 90 * DAY));
      await clock.advanceTo(closedAt + 101 * DAY);
      expect(await describe(sfn, again.executionArn!)).toMatchObject({ status: 'SUCCEEDED', output: '{"n":2}' });
      expect((await history(sfn, again.executionArn!)).map((event) => event.type)).toEqual([
        'ExecutionStarted',
        'WaitStateEntered',
        'WaitStateExited',
        'ExecutionSucceeded',
      ]);
    } finally {
      await stop();
    }
  });

  test('the retention is configurable', async () => {
    const clock = new VirtualClock(start);
    const { sfn, stop } = await startTestService(dynamodb.endpoint(), clock, undefined, undefined, { retentionDays: 1 });
    try {
      const machine = await createMachine(sfn, 'quick', { StartAt: 'Done', States: { Done: { Type: 'Succeed' } } });
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: machine }));
      await clock.advanceTo(t0 + DAY - 1);
      expect((await describe(sfn, executionArn!)).status).toBe('SUCCEEDED');
      await clock.advanceTo(t0 + DAY);
      expect((await failure(describe(sfn, executionArn!))).name).toBe('ExecutionDoesNotExist');
    } finally {
      await stop();
    }
  });
});

group("a Lambda task's timeout is its function's", () => {
  test('an invocation that outlasts the function fails the task with Sandbox.Timedout, and a Retry on States.TaskFailed tries it again', async () => {
    const clock = new VirtualClock(start);
    const { sfn, handlers, stop } = await startTestService(dynamodb.endpoint(), clock);
    const hung: (() => void)[] = [];
    try {
      let calls = 0;
      handlers.register(
        'notify',
        async () => {
          calls += 1;
          // The first attempt never answers, as a function stuck on a dead connection.
          if (calls === 1) await new Promise<void>((resolve) => hung.push(resolve));
          return { sent: true };
        },
        { timeoutSeconds: 1 },
      );
      const machine = await createMachine(sfn, 'notify-once', {
        StartAt: 'Notify',
        States: {
          Notify: {
            Type: 'Task',
            Resource: lambdaArn('notify'),
            Retry: [{ ErrorEquals: ['States.TaskFailed'], IntervalSeconds: 20, MaxAttempts: 2 }],
            End: true,
          },
        },
      });
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: machine }));
      // Settled once the first attempt has timed out (in real time) and the retry is parked.
      await clock.settle();
      expect(calls).toBe(1);
      const failed = (await history(sfn, executionArn!)).find((event) => event.type === 'LambdaFunctionFailed');
      expect(failed?.lambdaFunctionFailedEventDetails?.error).toBe('Sandbox.Timedout');
      expect(JSON.parse(failed?.lambdaFunctionFailedEventDetails?.cause ?? '{}')).toMatchObject({
        errorType: 'Sandbox.Timedout',
        errorMessage: expect.stringMatching(/Task timed out after 1\.00 seconds/),
      });

      await clock.advanceTo(t0 + 20 * SECOND);
      expect(calls).toBe(2);
      expect(await describe(sfn, executionArn!)).toMatchObject({ status: 'SUCCEEDED', output: '{"sent":true}' });
    } finally {
      for (const resolve of hung) resolve();
      await stop();
    }
  });

  test('without a Retry, the execution fails with the Lambda timeout, not States.Timeout', async () => {
    const clock = new VirtualClock(start);
    const { sfn, handlers, stop } = await startTestService(dynamodb.endpoint(), clock);
    const hung: (() => void)[] = [];
    try {
      handlers.register('stuck', () => new Promise((resolve) => hung.push(() => resolve({}))), { timeoutSeconds: 1 });
      const machine = await createMachine(sfn, 'stuck', {
        StartAt: 'Stuck',
        States: { Stuck: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'stuck', 'Payload.$': '$' }, End: true } },
      });
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: machine }));
      await clock.settle();
      expect(await describe(sfn, executionArn!)).toMatchObject({ status: 'FAILED', error: 'Sandbox.Timedout' });
      expect((await history(sfn, executionArn!)).map((event) => event.type)).toContain('TaskFailed');
    } finally {
      for (const resolve of hung) resolve();
      await stop();
    }
  });

  test('a function registered without a timeout gets Lambda’s default, and a wrapper registered over it keeps the function’s', () => {
    const registry = new HandlerRegistry().register('plain', async () => ({}));
    expect(registry.resolve('plain')?.timeoutSeconds).toBe(3);
    registry.register('step', async () => ({}), { timeoutSeconds: 30 });
    registry.register('step', async () => ({ wrapped: true }));
    expect(registry.resolve(lambdaArn('step'))?.timeoutSeconds).toBe(30);
  });
});

group('names AWS refuses', () => {
  test('a state machine or an execution name with white space, brackets, wildcards, special or control characters is InvalidName', async () => {
    const clock = new VirtualClock(start);
    const { sfn, stop } = await startTestService(dynamodb.endpoint(), clock);
    try {
      const create = (name: string) =>
        sfn.send(new CreateStateMachineCommand({ name, roleArn, definition: '{"StartAt":"Done","States":{"Done":{"Type":"Succeed"}}}' }));
      for (const name of ['bad name', 'sss{decision}', 'a/b', 'what?', 'tab\there']) {
        expect(await failure(create(name)), name).toMatchObject({ name: 'InvalidName', status: 400 });
      }
      const machine = await createMachine(sfn, 'Шешім-СПС_2026', { StartAt: 'Done', States: { Done: { Type: 'Succeed' } } });
      for (const name of ['bad name', 'OBL#1', 'r1;r2', 'a*', '[x]', 'bell\u0007', 'nbsp\u00a0x', 'quote"']) {
        expect(await failure(sfn.send(new StartExecutionCommand({ stateMachineArn: machine, name }))), name).toMatchObject({ name: 'InvalidName' });
      }
      // The length is the request's constraint: a ValidationException, as AWS answers it.
      expect((await failure(sfn.send(new StartExecutionCommand({ stateMachineArn: machine, name: 'x'.repeat(81) })))).name).toBe('ValidationException');
      const ok = await sfn.send(new StartExecutionCommand({ stateMachineArn: machine, name: `OBL-2026-0001-r1.${'x'.repeat(63)}` }));
      expect(ok.executionArn).toMatch(/:OBL-2026-0001-r1\.x{63}$/);
    } finally {
      await stop();
    }
  });
});

group('definitions AWS refuses at CreateStateMachine', () => {
  const task = (extra: object) => ({ StartAt: 'Notify', States: { Notify: { Type: 'Task', Resource: lambdaArn('notify'), End: true, ...extra } } });
  const wait = (extra: object) => ({ StartAt: 'Pause', States: { Pause: { Type: 'Wait', End: true, ...extra } } });
  const refused: [string, object, RegExp][] = [
    ['a Wait of more than 99999999 seconds', wait({ Seconds: 100_000_000 }), /Seconds must be an integer from 0 to 99999999, not 100000000 at \/States\/Pause\/Seconds/],
    ['a Wait of a fraction of a second', wait({ Seconds: 1.5 }), /Seconds must be an integer/],
    ['States.ALL beside another error', task({ Retry: [{ ErrorEquals: ['States.ALL', 'Lambda.ServiceException'] }] }), /States.ALL must appear alone/],
    ['a retrier on States.ALL before another', task({ Retry: [{ ErrorEquals: ['States.ALL'] }, { ErrorEquals: ['Custom'] }] }), /retrier on States.ALL must be the last/],
    [
      'a catcher on States.ALL before another',
      {
        StartAt: 'Notify',
        States: {
          Notify: {
            Type: 'Task',
            Resource: lambdaArn('notify'),
            Catch: [
              { ErrorEquals: ['States.ALL'], Next: 'Done' },
              { ErrorEquals: ['Custom'], Next: 'Done' },
            ],
            End: true,
          },
          Done: { Type: 'Succeed' },
        },
      },
      /catcher on States.ALL must be the last in its Catch/,
    ],
    ['a JitterStrategy other than FULL or NONE', task({ Retry: [{ ErrorEquals: ['Custom'], JitterStrategy: 'HALF' }] }), /JitterStrategy must be FULL or NONE/],
    ['a Timestamp with a lower-case t', wait({ Timestamp: '2026-03-27t13:30:00Z' }), /upper-case 'T'/],
    ['a Timestamp with a lower-case z', wait({ Timestamp: '2026-03-27T13:30:00z' }), /upper-case 'Z'/],
    ['a Timestamp on a day that does not exist', wait({ Timestamp: '2026-02-30T09:00:00Z' }), /Timestamp must be an RFC 3339 date-time/],
    [
      'a misplaced States.ALL inside a Parallel branch',
      {
        StartAt: 'Both',
        States: {
          Both: {
            Type: 'Parallel',
            End: true,
            Branches: [{ StartAt: 'Inner', States: { Inner: { Type: 'Task', Resource: lambdaArn('notify'), Retry: [{ ErrorEquals: ['States.ALL', 'X'] }], End: true } } }],
          },
        },
      },
      /States.ALL must appear alone .* at \/States\/Both\/Branches\/0\/States\/Inner\/Retry\/0\/ErrorEquals/,
    ],
    ['JSONata for the machine', { QueryLanguage: 'JSONata', ...wait({ Seconds: 1 }) }, /JSONata \(at \/QueryLanguage\) is not supported by the local Step Functions service/],
    [
      'JSONata for a state',
      { StartAt: 'Shape', States: { Shape: { Type: 'Pass', QueryLanguage: 'JSONata', Output: '{% $states.input.ref %}', End: true } } },
      /JSONata \(at \/States\/Shape\/QueryLanguage\) is not supported/,
    ],
    ['a variable', { StartAt: 'Keep', States: { Keep: { Type: 'Pass', Assign: { ref: 'OBL-1' }, End: true } } }, /variables \(Assign, at \/States\/Keep\/Assign\) are not supported/],
  ];

  test.each(refused)('%s is InvalidDefinition, saying why', async (_, definition, message) => {
    const clock = new VirtualClock(start);
    const { sfn, stop } = await startTestService(dynamodb.endpoint(), clock);
    try {
      const answer = await failure(sfn.send(new CreateStateMachineCommand({ name: 'refused', roleArn, definition: JSON.stringify(definition) })));
      expect(answer.name).toBe('InvalidDefinition');
      expect(answer.message).toMatch(message);
    } finally {
      await stop();
    }
  });

  test('what AWS takes is taken: the longest Wait, a timestamp with an offset, States.ALL alone and last, FULL jitter', async () => {
    const clock = new VirtualClock(start);
    const { sfn, stop } = await startTestService(dynamodb.endpoint(), clock);
    try {
      await createMachine(sfn, 'longest', wait({ Seconds: 99_999_999 }));
      await createMachine(sfn, 'astana', wait({ Timestamp: '2026-03-27T18:30:00+05:00' }));
      await createMachine(
        sfn,
        'retries',
        task({
          Retry: [
            { ErrorEquals: ['Lambda.ServiceException'], JitterStrategy: 'NONE' },
            { ErrorEquals: ['States.ALL'], JitterStrategy: 'FULL', MaxDelaySeconds: 300 },
          ],
        }),
      );
    } finally {
      await stop();
    }
  });
});

group('the context object and Retry backoffs on the virtual clock', () => {
  /** A Wait of ten days, then a task that reads `$$` and fails twice before it answers. */
  const recordMachine = {
    StartAt: 'Pause',
    States: {
      Pause: { Type: 'Wait', Seconds: 10 * 24 * 60 * 60, Next: 'Record' },
      Record: {
        Type: 'Task',
        Resource: lambdaArn('record'),
        Parameters: {
          'state.$': '$$.State.Name',
          'entered.$': '$$.State.EnteredTime',
          'retries.$': '$$.State.RetryCount',
          'started.$': '$$.Execution.StartTime',
          'label.$': "States.Format('{} since {}', $$.State.Name, $$.Execution.StartTime)",
        },
        Retry: [{ ErrorEquals: ['States.TaskFailed'], IntervalSeconds: 60, MaxAttempts: 3, BackoffRate: 2 }],
        Next: 'Mark',
      },
      Mark: { Type: 'Pass', Parameters: { 'state.$': '$$.State.Name', 'entered.$': '$$.State.EnteredTime', 'retries.$': '$$.State.RetryCount' }, End: true },
    },
  };

  function recorder(clock: VirtualClock, failures: number) {
    const calls: { at: string; event: unknown }[] = [];
    const handler = async (event: unknown): Promise<unknown> => {
      calls.push({ at: iso(clock.now()), event });
      if (calls.length <= failures) throw new Error(`SES unavailable (attempt ${calls.length})`);
      return { sent: true };
    };
    return { calls, handler };
  }

  test('$$.State.Name, EnteredTime and RetryCount, and $$.Execution.StartTime, are on the clock; each backoff passes on it before the next attempt', async () => {
    const clock = new VirtualClock(start);
    const { sfn, handlers, stop } = await startTestService(dynamodb.endpoint(), clock);
    try {
      const { calls, handler } = recorder(clock, 2);
      handlers.register('record', handler);
      const machine = await createMachine(sfn, 'record', recordMachine);
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: machine, name: 'OBL-CTX' }));
      const enteredAt = t0 + 10 * DAY;

      await clock.advanceTo(enteredAt);
      expect(calls.map((call) => call.at)).toEqual([iso(enteredAt)]);
      // The first retry waits IntervalSeconds (60 s) on the clock: nothing happens before.
      await clock.advanceTo(enteredAt + 59 * SECOND);
      expect(calls).toHaveLength(1);
      expect((await describe(sfn, executionArn!)).status).toBe('RUNNING');
      await clock.advanceTo(enteredAt + 60 * SECOND);
      expect(calls).toHaveLength(2);
      // The second, 60 × 2 = 120 s after the first retry.
      await clock.advanceTo(enteredAt + 179 * SECOND);
      expect(calls).toHaveLength(2);
      await clock.advanceTo(enteredAt + 180 * SECOND);
      expect(calls.map((call) => call.at)).toEqual([iso(enteredAt), iso(enteredAt + 60 * SECOND), iso(enteredAt + 180 * SECOND)]);

      expect(calls.map((call) => call.event)).toEqual(
        [0, 1, 2].map((retries) => ({
          state: 'Record',
          entered: iso(enteredAt),
          retries,
          started: start,
          label: `Record since ${start}`,
        })),
      );
      const done = await describe(sfn, executionArn!);
      expect(done.status).toBe('SUCCEEDED');
      expect(JSON.parse(done.output!)).toEqual({ state: 'Mark', entered: iso(enteredAt + 180 * SECOND), retries: 0 });

      const events = await history(sfn, executionArn!);
      expect(events.map((event) => event.type)).toEqual([
        'ExecutionStarted',
        'WaitStateEntered',
        'WaitStateExited',
        'TaskStateEntered',
        ...['LambdaFunctionScheduled', 'LambdaFunctionStarted', 'LambdaFunctionFailed'],
        ...['LambdaFunctionScheduled', 'LambdaFunctionStarted', 'LambdaFunctionFailed'],
        ...['LambdaFunctionScheduled', 'LambdaFunctionStarted', 'LambdaFunctionSucceeded'],
        'TaskStateExited',
        'PassStateEntered',
        'PassStateExited',
        'ExecutionSucceeded',
      ]);
      expect(events.map((event) => event.id)).toEqual(events.map((_, index) => index + 1));
      const scheduled = events.filter((event) => event.type === 'LambdaFunctionScheduled').map((event) => event.timestamp?.toISOString());
      expect(scheduled).toEqual([iso(enteredAt), iso(enteredAt + 60 * SECOND), iso(enteredAt + 180 * SECOND)]);
    } finally {
      await stop();
    }
  });

  test("when the retries run out the Catch takes the error, after the whole backoff has passed", async () => {
    const clock = new VirtualClock(start);
    const { sfn, handlers, stop } = await startTestService(dynamodb.endpoint(), clock);
    try {
      const { calls, handler } = recorder(clock, Infinity);
      handlers.register('record', handler);
      const machine = await createMachine(sfn, 'give-up', {
        StartAt: 'Notify',
        States: {
          Notify: {
            Type: 'Task',
            Resource: lambdaArn('record'),
            Retry: [{ ErrorEquals: ['Error'], IntervalSeconds: 10, MaxAttempts: 2, BackoffRate: 3 }],
            Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'DeadLetter' }],
            End: true,
          },
          DeadLetter: { Type: 'Pass', Result: 'listed', ResultPath: '$.notice', End: true },
        },
      });
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: machine, input: '{"ref":"OBL-7"}' }));
      await clock.advanceTo(t0 + DAY);
      expect(calls.map((call) => call.at)).toEqual([start, iso(t0 + 10 * SECOND), iso(t0 + 40 * SECOND)]);
      const done = await describe(sfn, executionArn!);
      expect(done.stopDate?.toISOString()).toBe(iso(t0 + 40 * SECOND));
      expect(JSON.parse(done.output!)).toMatchObject({ ref: 'OBL-7', notice: 'listed', error: { Error: 'Error' } });
    } finally {
      await stop();
    }
  });

  test('a full-jitter backoff stays within its bounds: the ~15 minutes of a 20 s doubling to 5 min, 6 attempts', async () => {
    const clock = new VirtualClock(start);
    const { sfn, handlers, stop } = await startTestService(dynamodb.endpoint(), clock);
    try {
      const { calls, handler } = recorder(clock, Infinity);
      handlers.register('record', handler);
      const machine = await createMachine(sfn, 'budget', {
        StartAt: 'Notify',
        States: {
          Notify: {
            Type: 'Task',
            Resource: lambdaArn('record'),
            Retry: [{ ErrorEquals: ['States.TaskFailed'], IntervalSeconds: 20, MaxAttempts: 6, BackoffRate: 2, MaxDelaySeconds: 300, JitterStrategy: 'FULL' }],
            End: true,
          },
        },
      });
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: machine }));
      await clock.advanceTo(t0 + 15 * 60 * SECOND);
      expect(calls).toHaveLength(7);
      const at = calls.map((call) => Date.parse(call.at));
      const caps = [20, 40, 80, 160, 300, 300];
      caps.forEach((cap, index) => {
        const gap = (at[index + 1] ?? 0) - (at[index] ?? 0);
        expect(gap).toBeGreaterThanOrEqual(0);
        expect(gap).toBeLessThanOrEqual(cap * SECOND);
      });
      const failed = await describe(sfn, executionArn!);
      expect(failed).toMatchObject({ status: 'FAILED', error: 'Error' });
      expect(failed.stopDate?.getTime()).toBe(at[6]);
    } finally {
      await stop();
    }
  });

  test('a parked retry survives a restart of the service, and a stop during it ends the execution with no further attempt', async () => {
    const table = `sfn-retry-${Date.now()}`;
    const clock = new VirtualClock(start);
    const machineDefinition = {
      StartAt: 'Notify',
      States: {
        Notify: {
          Type: 'Task',
          Resource: lambdaArn('notify'),
          Parameters: { 'retries.$': '$$.State.RetryCount', 'entered.$': '$$.State.EnteredTime' },
          Retry: [{ ErrorEquals: ['States.TaskFailed'], IntervalSeconds: 3600, MaxAttempts: 3 }],
          End: true,
        },
      },
    };
    const first = await startTestService(dynamodb.endpoint(), clock, table);
    first.handlers.register('notify', async () => {
      throw new Error('SES unavailable');
    });
    const machine = await createMachine(first.sfn, 'notify', machineDefinition);
    const kept = await first.sfn.send(new StartExecutionCommand({ stateMachineArn: machine, name: 'kept' }));
    const stopped = await first.sfn.send(new StartExecutionCommand({ stateMachineArn: machine, name: 'stopped' }));
    await clock.settle();
    await first.stop();

    const events: unknown[] = [];
    const handlers = new HandlerRegistry().register('notify', async (event) => {
      events.push(event);
      return { sent: true };
    });
    const second = await startTestService(dynamodb.endpoint(), clock, table, handlers);
    try {
      await clock.advanceTo(t0 + 30 * 60 * SECOND);
      await second.sfn.send(new StopExecutionCommand({ executionArn: stopped.executionArn, error: 'Closed' }));
      await clock.advanceTo(t0 + DAY);
      expect(events).toEqual([{ retries: 1, entered: start }]);
      expect(await describe(second.sfn, kept.executionArn!)).toMatchObject({ status: 'SUCCEEDED', output: '{"sent":true}' });
      expect((await describe(second.sfn, kept.executionArn!)).stopDate?.toISOString()).toBe(iso(t0 + 3600 * SECOND));
      expect(await describe(second.sfn, stopped.executionArn!)).toMatchObject({ status: 'ABORTED', error: 'Closed' });
      expect((await history(second.sfn, stopped.executionArn!)).map((event) => event.type).slice(-2)).toEqual(['LambdaFunctionFailed', 'ExecutionAborted']);
    } finally {
      await second.stop();
    }
  });

  test("a retry's backoff counts against the execution's deadline", async () => {
    const clock = new VirtualClock(start);
    const { sfn, handlers, stop } = await startTestService(dynamodb.endpoint(), clock);
    try {
      const { calls, handler } = recorder(clock, Infinity);
      handlers.register('record', handler);
      const machine = await createMachine(sfn, 'late-retry', {
        TimeoutSeconds: 100,
        StartAt: 'Notify',
        States: { Notify: { Type: 'Task', Resource: lambdaArn('record'), Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 200 }], End: true } },
      });
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: machine }));
      await clock.advanceTo(t0 + DAY);
      expect(calls).toHaveLength(1);
      const ended = await describe(sfn, executionArn!);
      expect(ended).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout' });
      expect(ended.stopDate?.toISOString()).toBe(iso(t0 + 100 * SECOND));
    } finally {
      await stop();
    }
  });
});
