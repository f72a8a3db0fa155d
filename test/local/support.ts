import { randomUUID } from 'node:crypto';
import { CreateStateMachineCommand, DescribeExecutionCommand, type DescribeExecutionCommandOutput, SFNClient, SFNServiceException } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll } from 'vitest';
import { type Clock, HandlerRegistry, type RunningService, localClientConfig, startDynamoDbLocal, startSfnService } from '../../local/index.ts';

export const region = 'eu-central-1';
export const roleArn = 'arn:aws:iam::000000000000:role/merzim-local';

/** A Step Functions service of its own on a shared DynamoDB Local: its own table, clock, handlers. */
export interface TestService {
  readonly sfn: SFNClient;
  readonly service: RunningService;
  readonly handlers: HandlerRegistry;
  stop(): Promise<void>;
}

export async function startTestService(
  dynamodbEndpoint: string,
  clock: Clock,
  table = `sfn-${randomUUID()}`,
  handlers = new HandlerRegistry(),
  options: { readonly retentionDays?: number } = {},
): Promise<TestService> {
  const service = await startSfnService({
    dynamodbEndpoint,
    clock,
    handlers,
    partition: { region, account: '000000000000' },
    table,
    ...options,
  });
  const sfn = new SFNClient(localClientConfig(service.endpoint, region));
  return {
    sfn,
    service,
    handlers,
    async stop() {
      sfn.destroy();
      await service.stop();
    },
  };
}

export async function createMachine(sfn: SFNClient, name: string, definition: object): Promise<string> {
  const created = await sfn.send(new CreateStateMachineCommand({ name, roleArn, definition: JSON.stringify(definition) }));
  if (created.stateMachineArn === undefined) throw new Error('CreateStateMachine returned no ARN');
  return created.stateMachineArn;
}

export function describe(sfn: SFNClient, executionArn: string): Promise<DescribeExecutionCommandOutput> {
  return sfn.send(new DescribeExecutionCommand({ executionArn }));
}

export const lambdaArn = (name: string): string => `arn:aws:lambda:${region}:000000000000:function:${name}`;

/** The history Step Functions writes for an execution that starts, waits, then runs a Lambda Task that succeeds. */
export const WAIT_THEN_TASK_EVENTS = [
  'ExecutionStarted',
  'WaitStateEntered',
  'WaitStateExited',
  'TaskStateEntered',
  'LambdaFunctionScheduled',
  'LambdaFunctionStarted',
  'LambdaFunctionSucceeded',
  'TaskStateExited',
] as const;

/** One in-memory DynamoDB Local for the test file; call at its top level, read `endpoint()` in tests. */
export function sharedDynamoDbLocal(): { endpoint(): string } {
  let dynamodb: RunningService | undefined;
  beforeAll(async () => {
    dynamodb = await startDynamoDbLocal('memory');
  }, 60_000);
  afterAll(async () => {
    await dynamodb?.stop();
  });
  return {
    endpoint() {
      if (dynamodb === undefined) throw new Error('DynamoDB Local is not running');
      return dynamodb.endpoint;
    },
  };
}

/** The error an SDK call fails with, as the service named it; throws if the call succeeds. */
export async function failure(promise: Promise<unknown>): Promise<{ name: string; message: string; status: number | undefined }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof SFNServiceException) {
      return { name: error.name, message: error.message, status: error.$metadata.httpStatusCode };
    }
    throw error;
  }
  throw new Error('the call succeeded');
}
