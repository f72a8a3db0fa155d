import {
  CreateStateMachineCommand,
  DescribeStateMachineCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  type SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe as group, expect, test, vi } from 'vitest';
import { type RunningService, VirtualClock, startDynamoDbLocal } from '../../local/index.ts';
import { type TestService, createMachine, describe, failure, lambdaArn, region, roleArn, startTestService } from './support.ts';

// Real services can be slow to answer on a busy CI machine; no test waits on time itself.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

let dynamodb: RunningService;
let service: TestService;
let sfn: SFNClient;
const clock = new VirtualClock('2026-03-02T04:00:00Z');

beforeAll(async () => {
  dynamodb = await startDynamoDbLocal('memory');
  service = await startTestService(dynamodb.endpoint, clock);
  sfn = service.sfn;
  service.handlers.register('decide', async (event) => {
    const { ref } = event as { ref: string };
    if (ref.startsWith('BAD')) throw new RangeError(`no such case: ${ref}`);
    return { decided: ref };
  });
}, 60_000);
afterAll(async () => {
  await service?.stop();
  await dynamodb?.stop();
});

const waitThenDecide = {
  StartAt: 'WaitForDecision',
  States: {
    WaitForDecision: { Type: 'Wait', Seconds: 3 * 24 * 60 * 60, Next: 'Decide' },
    Decide: { Type: 'Task', Resource: lambdaArn('decide'), End: true },
  },
};

group('state machines', () => {
  test('create, describe and list; creating the same again is idempotent, a different one under the name is refused', async () => {
    const arn = await createMachine(sfn, 'sss-decision', waitThenDecide);
    expect(arn).toBe(`arn:aws:states:${region}:000000000000:stateMachine:sss-decision`);
    expect(await createMachine(sfn, 'sss-decision', waitThenDecide)).toBe(arn);

    const described = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn }));
    expect(described).toMatchObject({ name: 'sss-decision', status: 'ACTIVE', type: 'STANDARD', roleArn });
    expect(JSON.parse(described.definition!)).toEqual(waitThenDecide);
    expect(described.creationDate?.toISOString()).toBe('2026-03-02T04:00:00.000Z');

    const listed = await sfn.send(new ListStateMachinesCommand({}));
    expect(listed.stateMachines?.map((machine) => machine.stateMachineArn)).toContain(arn);

    const clash = await failure(createMachine(sfn, 'sss-decision', { StartAt: 'Done', States: { Done: { Type: 'Succeed' } } }));
    expect(clash).toMatchObject({ name: 'StateMachineAlreadyExists', status: 400 });
  });

  test('a definition with a Wait inside a Parallel is refused, saying why', async () => {
    const refused = await failure(
      createMachine(sfn, 'nested-wait', {
        StartAt: 'Both',
        States: {
          Both: {
            Type: 'Parallel',
            End: true,
            Branches: [{ StartAt: 'Pause', States: { Pause: { Type: 'Wait', Seconds: 60, End: true } } }],
          },
        },
      }),
    );
    expect(refused.name).toBe('InvalidDefinition');
    expect(refused.message).toMatch(/Wait state 'Pause' is inside Parallel state 'Both'/);
    expect(refused.message).toMatch(/only top-level Wait states/);
  });

  test('an invalid definition is refused with InvalidDefinition', async () => {
    const refused = await failure(
      sfn.send(new CreateStateMachineCommand({ name: 'broken', roleArn, definition: '{"StartAt":"Nowhere","States":{}}' })),
    );
    expect(refused.name).toBe('InvalidDefinition');
  });

  test('describing a state machine that does not exist is StateMachineDoesNotExist', async () => {
    const missing = await failure(
      sfn.send(new DescribeStateMachineCommand({ stateMachineArn: `arn:aws:states:${region}:000000000000:stateMachine:nope` })),
    );
    expect(missing.name).toBe('StateMachineDoesNotExist');
  });
});

group('executions', () => {
  test('a name is unique per state machine: the same start while running returns that execution, anything else is ExecutionAlreadyExists', async () => {
    const machine = await createMachine(sfn, 'sss-decision', waitThenDecide);
    const first = await sfn.send(new StartExecutionCommand({ stateMachineArn: machine, name: 'OBL-11-r1', input: '{"ref":"OBL-11"}' }));
    const again = await sfn.send(new StartExecutionCommand({ stateMachineArn: machine, name: 'OBL-11-r1', input: '{"ref":"OBL-11"}' }));
    expect(again.executionArn).toBe(first.executionArn);
    expect(again.startDate?.getTime()).toBe(first.startDate?.getTime());

    const otherInput = await failure(
      sfn.send(new StartExecutionCommand({ stateMachineArn: machine, name: 'OBL-11-r1', input: '{"ref":"OBL-12"}' })),
    );
    expect(otherInput).toMatchObject({ name: 'ExecutionAlreadyExists', status: 400 });

    await sfn.send(new StopExecutionCommand({ executionArn: first.executionArn }));
    const afterClose = await failure(
      sfn.send(new StartExecutionCommand({ stateMachineArn: machine, name: 'OBL-11-r1', input: '{"ref":"OBL-11"}' })),
    );
    expect(afterClose.name).toBe('ExecutionAlreadyExists');
  });

  test('describe, list by status and read the history of executions that succeed and that fail', async () => {
    const machine = await createMachine(sfn, 'decisions', {
      StartAt: 'Decide',
      States: { Decide: { Type: 'Task', Resource: lambdaArn('decide'), End: true } },
    });
    const ok = await sfn.send(new StartExecutionCommand({ stateMachineArn: machine, name: 'ok', input: '{"ref":"OBL-21"}' }));
    const bad = await sfn.send(new StartExecutionCommand({ stateMachineArn: machine, name: 'bad', input: '{"ref":"BAD-22"}' }));
    await clock.settle();

    expect(await describe(sfn, ok.executionArn!)).toMatchObject({
      name: 'ok',
      status: 'SUCCEEDED',
      stateMachineArn: machine,
      input: '{"ref":"OBL-21"}',
      output: '{"decided":"OBL-21"}',
    });
    const failed = await describe(sfn, bad.executionArn!);
    expect(failed.status).toBe('FAILED');
    expect(failed.error).toBe('RangeError');
    expect(JSON.parse(failed.cause!)).toEqual({ errorType: 'RangeError', errorMessage: 'no such case: BAD-22' });

    const succeeded = await sfn.send(new ListExecutionsCommand({ stateMachineArn: machine, statusFilter: 'SUCCEEDED' }));
    expect(succeeded.executions?.map((execution) => execution.name)).toEqual(['ok']);
    const all = await sfn.send(new ListExecutionsCommand({ stateMachineArn: machine }));
    expect(all.executions?.map((execution) => execution.name).sort()).toEqual(['bad', 'ok']);

    const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn: bad.executionArn }));
    expect(history.events?.map((event) => event.type)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'LambdaFunctionScheduled',
      'LambdaFunctionStarted',
      'LambdaFunctionFailed',
      'ExecutionFailed',
    ]);
    expect(history.events?.at(-1)?.executionFailedEventDetails?.error).toBe('RangeError');

    const newestFirst = await sfn.send(new GetExecutionHistoryCommand({ executionArn: ok.executionArn, reverseOrder: true, maxResults: 2 }));
    expect(newestFirst.events?.map((event) => event.type)).toEqual(['ExecutionSucceeded', 'TaskStateExited']);
    expect(newestFirst.nextToken).toBeDefined();
    const rest = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn: ok.executionArn, reverseOrder: true, nextToken: newestFirst.nextToken }),
    );
    expect(rest.events?.at(-1)?.type).toBe('ExecutionStarted');
    expect(rest.nextToken).toBeUndefined();
  });

  test('a task whose function has no handler fails the execution with Lambda.ResourceNotFoundException', async () => {
    const machine = await createMachine(sfn, 'unregistered', {
      StartAt: 'Escalate',
      States: { Escalate: { Type: 'Task', Resource: lambdaArn('escalate-to-deputy-akim'), End: true } },
    });
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: machine }));
    await clock.settle();
    const failed = await describe(sfn, executionArn!);
    expect(failed.status).toBe('FAILED');
    expect(failed.error).toBe('Lambda.ResourceNotFoundException');
  });

  test('arn:aws:states:::lambda:invoke tasks, as the CDK writes them, reach the handler by FunctionName', async () => {
    const machine = await createMachine(sfn, 'invoke', {
      StartAt: 'Decide',
      States: {
        Decide: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { FunctionName: lambdaArn('decide'), 'Payload.$': '$' },
          OutputPath: '$.Payload',
          End: true,
        },
      },
    });
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: machine, input: '{"ref":"OBL-31"}' }));
    await clock.settle();
    expect(await describe(sfn, executionArn!)).toMatchObject({ status: 'SUCCEEDED', output: '{"decided":"OBL-31"}' });
    const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    expect(history.events?.map((event) => event.type)).toContain('TaskSucceeded');
  });

  test('an execution that does not exist is ExecutionDoesNotExist; a malformed ARN is InvalidArn', async () => {
    const missing = await failure(describe(sfn, `arn:aws:states:${region}:000000000000:execution:sss-decision:never`));
    expect(missing.name).toBe('ExecutionDoesNotExist');
    const malformed = await failure(describe(sfn, 'not-an-arn'));
    expect(malformed.name).toBe('InvalidArn');
  });
});

group('the wire protocol', () => {
  async function post(target: string | undefined, body: string): Promise<{ status: number; json: unknown }> {
    const response = await fetch(service.service.endpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-amz-json-1.0', ...(target === undefined ? {} : { 'X-Amz-Target': target }) },
      body,
    });
    return { status: response.status, json: await response.json() };
  }

  test('an unknown action is UnknownOperationException', async () => {
    expect(await post('AWSStepFunctions.SendTaskHeartbeat', '{}')).toEqual({
      status: 400,
      json: { __type: 'UnknownOperationException', message: 'the local Step Functions service does not serve SendTaskHeartbeat' },
    });
    expect((await post(undefined, '{}')).json).toMatchObject({ __type: 'UnknownOperationException' });
  });

  test('a body that is not JSON is SerializationException; a missing or mistyped member is ValidationException naming it', async () => {
    expect(await post('AWSStepFunctions.DescribeExecution', '{"executionArn": ')).toMatchObject({
      status: 400,
      json: { __type: 'SerializationException' },
    });
    const missing = await post('AWSStepFunctions.DescribeExecution', '{}');
    expect(missing.status).toBe(400);
    expect(missing.json).toMatchObject({ __type: 'ValidationException' });
    expect((missing.json as { message: string }).message).toMatch(/'executionArn'/);
    const mistyped = await post('AWSStepFunctions.ListExecutions', JSON.stringify({ stateMachineArn: 'x', maxResults: 'ten' }));
    expect((mistyped.json as { message: string }).message).toMatch(/'maxResults'/);
  });
});
