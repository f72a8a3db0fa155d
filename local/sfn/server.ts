import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Executions } from './executions.ts';
import type { HistoryEvent } from './history.ts';
import {
  type Action,
  type Request,
  SfnError,
  decodeToken,
  encodeToken,
  epochSeconds,
  isAction,
  pageSize,
  parseRequest,
  targetPrefix,
} from './protocol.ts';
import type { ExecutionRecord } from './store.ts';

type Handlers = { readonly [A in Action]: (request: Request<A>) => Promise<unknown> };

/** The largest body the service reads; a definition may be 1 MiB, an input 256 KiB. */
const MAX_BODY_BYTES = 2 * 1024 * 1024;

/** Serves the Step Functions API over HTTP on loopback, in AWS JSON 1.0. */
export async function listen(executions: Executions): Promise<{ server: Server; endpoint: string }> {
  const handlers = actions(executions);
  const server = createServer((request, response) => {
    void serve(handlers, request, response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return { server, endpoint: `http://127.0.0.1:${port}` };
}

async function serve(handlers: Handlers, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const requestId = randomUUID();
  try {
    if (request.method !== 'POST') throw new SfnError('UnknownOperationException', 'the Step Functions API takes POST /');
    const target = request.headers['x-amz-target'];
    const action = typeof target === 'string' && target.startsWith(targetPrefix) ? target.slice(targetPrefix.length) : undefined;
    const body = await readBody(request);
    if (action === undefined || !isAction(action)) {
      throw new SfnError(
        'UnknownOperationException',
        action === undefined ? 'the X-Amz-Target header names no AWSStepFunctions action' : `the local Step Functions service does not serve ${action}`,
      );
    }
    const result = await dispatch(handlers, action, body);
    send(response, 200, requestId, result);
  } catch (error) {
    if (error instanceof SfnError) {
      send(response, error.status, requestId, { __type: error.code, message: error.message }, error.code);
    } else {
      process.emitWarning(error instanceof Error ? error : new Error(String(error)), 'MerzimLocalStepFunctions');
      send(response, 500, requestId, { __type: 'InternalFailure', message: 'the local Step Functions service failed; see its log' }, 'InternalFailure');
    }
  }
}

function dispatch<A extends Action>(handlers: Handlers, action: A, body: string): Promise<unknown> {
  const handler = handlers[action] as (request: Request<A>) => Promise<unknown>;
  return handler(parseRequest(action, body));
}

function send(response: ServerResponse, status: number, requestId: string, body: unknown, errorType?: string): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'Content-Type': 'application/x-amz-json-1.0',
    'Content-Length': Buffer.byteLength(text),
    'x-amzn-RequestId': requestId,
    ...(errorType === undefined ? {} : { 'x-amzn-ErrorType': errorType }),
  });
  response.end(text);
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new SfnError('ValidationException', 'the request body is larger than the service accepts');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function actions(executions: Executions): Handlers {
  return {
    CreateStateMachine: async (request) => {
      const created = await executions.createStateMachine(request);
      return { stateMachineArn: created.stateMachineArn, creationDate: epochSeconds(created.creationDate) };
    },
    DescribeStateMachine: async (request) => {
      const machine = await executions.describeStateMachine(request.stateMachineArn);
      return {
        stateMachineArn: machine.arn,
        name: machine.name,
        status: 'ACTIVE',
        definition: machine.definition,
        roleArn: machine.roleArn,
        type: machine.type,
        creationDate: epochSeconds(machine.creationDate),
        loggingConfiguration: { level: 'OFF', includeExecutionData: false },
        tracingConfiguration: { enabled: false },
      };
    },
    ListStateMachines: async (request) => {
      const machines = (await executions.listStateMachines()).sort((a, b) => (a.name < b.name ? -1 : 1));
      return page(request, machines, 'stateMachines', (machine) => ({
        stateMachineArn: machine.arn,
        name: machine.name,
        type: machine.type,
        creationDate: epochSeconds(machine.creationDate),
      }));
    },
    StartExecution: async (request) => {
      const started = await executions.start(request);
      return { executionArn: started.executionArn, startDate: epochSeconds(started.startDate) };
    },
    StopExecution: async (request) => {
      const stopped = await executions.stop(request);
      return { stopDate: epochSeconds(stopped.stopDate) };
    },
    DescribeExecution: async (request) => describeExecution(await executions.describe(request.executionArn)),
    ListExecutions: async (request) => {
      const found = await executions.list(request);
      return page(request, found, 'executions', executionSummary);
    },
    GetExecutionHistory: async (request) => {
      const events = await executions.history(request.executionArn);
      const ordered = request.reverseOrder === true ? [...events].reverse() : events;
      const withData = request.includeExecutionData === false ? ordered.map(withoutData) : ordered;
      return page(request, withData, 'events', (event) => ({ ...event, timestamp: epochSeconds(event.timestamp) }));
    },
  };
}

/** The fields ListExecutions gives for each execution, and DescribeExecution starts with. */
function executionSummary(execution: ExecutionRecord): Record<string, unknown> {
  return {
    executionArn: execution.executionArn,
    stateMachineArn: execution.stateMachineArn,
    name: execution.name,
    status: execution.status,
    startDate: epochSeconds(execution.startDate),
    ...(execution.stopDate === undefined ? {} : { stopDate: epochSeconds(execution.stopDate) }),
  };
}

function describeExecution(execution: ExecutionRecord): Record<string, unknown> {
  return {
    ...executionSummary(execution),
    input: execution.input,
    inputDetails: { included: true },
    ...(execution.output === undefined ? {} : { output: execution.output, outputDetails: { included: true } }),
    ...(execution.error === undefined ? {} : { error: execution.error }),
    ...(execution.cause === undefined ? {} : { cause: execution.cause }),
  };
}

function page<T>(
  request: { maxResults?: number | undefined; nextToken?: string | undefined },
  items: readonly T[],
  key: string,
  encode: (item: T) => unknown,
): Record<string, unknown> {
  const offset = decodeToken(request.nextToken);
  const size = pageSize(request.maxResults);
  const slice = items.slice(offset, offset + size);
  const next = offset + size < items.length ? { nextToken: encodeToken(offset + size) } : {};
  return { [key]: slice.map(encode), ...next };
}

/** History without inputs and outputs, as AWS returns it when asked not to include data. */
function withoutData(event: HistoryEvent): HistoryEvent {
  const stripped: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(event)) {
    if (key.endsWith('EventDetails') && value !== null && typeof value === 'object') {
      const { input: _input, output: _output, ...rest } = value as Record<string, unknown>;
      stripped[key] = rest;
    } else {
      stripped[key] = value;
    }
  }
  return stripped as unknown as HistoryEvent;
}
