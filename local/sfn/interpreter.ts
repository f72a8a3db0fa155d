import './promise-with-resolvers.ts';
import { randomUUID } from 'node:crypto';
import { type RunOptions, StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import type { HandlerRegistry, LambdaContext } from '../handlers.ts';

/** A JSON value as the interpreter types it; what `JSON.parse` gives is one. */
type Json = Parameters<StateMachine['run']>[0];
type TaskHandlers = NonNullable<NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']>;

/** One event of the interpreter's log, stamped with the runtime clock when it happened. */
export type InterpreterEvent = ReturnType<StateMachine['run']>['eventLogs'] extends AsyncGenerator<infer E> ? E : never;
export interface StampedEvent {
  readonly at: number;
  readonly event: InterpreterEvent;
}

/** A call the run made to a Lambda function; the history shows what went in and came out. */
export interface Invocation {
  readonly state: string;
  readonly input: unknown;
  output?: unknown;
}

export type SegmentOutcome =
  | { readonly kind: 'succeeded'; readonly output: unknown }
  | { readonly kind: 'failed'; readonly error: string; readonly cause: string }
  | { readonly kind: 'aborted' };

export interface SegmentResult {
  readonly outcome: SegmentOutcome;
  readonly events: readonly StampedEvent[];
  readonly invocations: readonly Invocation[];
}

export interface SegmentRun {
  readonly result: Promise<SegmentResult>;
  abort(): void;
}

export interface SegmentOptions {
  readonly definition: StateMachineDefinition;
  /** The execution's input: `$$.Execution.Input` must be it in every segment. */
  readonly input: unknown;
  readonly context: NonNullable<RunOptions['context']>;
  readonly tasks: ReadonlyMap<string, string>;
  readonly handlers: HandlerRegistry;
  readonly now: () => number;
  /** Run each Task state's retries without their backoff (a virtual clock). */
  readonly instantRetries?: boolean;
}

/** Lambda's error for a function that does not exist, which is what an unregistered one is here. */
const FUNCTION_NOT_FOUND = 'Lambda.ResourceNotFoundException';
const LAMBDA_INVOKE = 'arn:aws:states:::lambda:invoke';

/** Runs the interpreter from the definition's StartAt until it ends, parks or is aborted. */
export function runSegment(options: SegmentOptions): SegmentRun {
  const invocations: Invocation[] = [];
  const overrides: TaskHandlers = {};
  for (const [state, resource] of options.tasks) {
    overrides[state] = (input) => invokeTask(state, resource, input, options.handlers, invocations);
  }
  // Validated once at CreateStateMachine; the rewritten definition need not be again.
  const machine = new StateMachine(options.definition, { validationOptions: { noValidate: true } });
  const run = machine.run(options.input as Json, {
    overrides: {
      taskResourceLocalHandlers: overrides,
      ...(options.instantRetries === true ? { retryIntervalOverrides: Object.fromEntries([...options.tasks.keys()].map((state) => [state, 0])) } : {}),
    },
    noThrowOnAbort: true,
    context: options.context,
  });
  const events: StampedEvent[] = [];
  const collected = (async () => {
    for await (const event of run.eventLogs) events.push({ at: options.now(), event });
  })();
  const result = (async (): Promise<SegmentResult> => {
    let output: unknown;
    let thrown: unknown;
    try {
      output = await run.result;
    } catch (error) {
      thrown = error;
    }
    await collected;
    const last = events.at(-1)?.event;
    let outcome: SegmentOutcome;
    if (last?.type === 'ExecutionAborted') outcome = { kind: 'aborted' };
    else if (last?.type === 'ExecutionFailed') outcome = { kind: 'failed', error: last.Error, cause: stringifyCause(last.Cause) };
    else if (thrown !== undefined) {
      outcome = { kind: 'failed', error: 'States.Runtime', cause: thrown instanceof Error ? thrown.message : String(thrown) };
    } else outcome = { kind: 'succeeded', output };
    return { outcome, events, invocations };
  })();
  return { result, abort: () => run.abort() };
}

async function invokeTask(
  state: string,
  resource: string,
  input: Json,
  handlers: HandlerRegistry,
  invocations: Invocation[],
): Promise<Json> {
  const invocation: Invocation = { state, input };
  invocations.push(invocation);
  let output: Json;
  if (resource.startsWith('arn:aws:lambda:')) {
    output = await invokeFunction(resource, input, handlers);
  } else if (resource === LAMBDA_INVOKE) {
    const request = input as { FunctionName?: unknown; Payload?: unknown } | null;
    if (typeof request?.FunctionName !== 'string') {
      throw namedError('States.Runtime', `the lambda:invoke task '${state}' gives no FunctionName in its Parameters`);
    }
    const payload = await invokeFunction(request.FunctionName, request.Payload ?? {}, handlers);
    output = { ExecutedVersion: '$LATEST', Payload: payload, StatusCode: 200 };
  } else {
    throw namedError(
      'States.TaskFailed',
      `the local Step Functions service runs only Lambda tasks; the resource '${resource}' of '${state}' is not one`,
    );
  }
  invocation.output = output;
  return output;
}

async function invokeFunction(functionNameOrArn: string, event: unknown, handlers: HandlerRegistry): Promise<Json> {
  const target = handlers.resolve(functionNameOrArn);
  if (target === undefined) {
    throw namedError(FUNCTION_NOT_FOUND, `Function not found: ${functionNameOrArn} (no handler is registered for it)`);
  }
  const deadline = Date.now() + 60_000;
  const context: LambdaContext = {
    functionName: target.functionName,
    invokedFunctionArn: functionNameOrArn,
    awsRequestId: randomUUID(),
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
  try {
    // A copy, as Lambda would deserialise its own: a handler cannot mutate the execution's data.
    const result = await target.handler(structuredClone(event), context);
    return result === undefined ? null : (JSON.parse(JSON.stringify(result)) as Json);
  } catch (error) {
    // As Lambda reports an unhandled error: the type names the error, the cause is its JSON.
    const errorType = error instanceof Error ? error.name : 'Error';
    const errorMessage = error instanceof Error ? error.message : String(error);
    throw namedError(errorType, JSON.stringify({ errorType, errorMessage }));
  }
}

function namedError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

function stringifyCause(cause: unknown): string {
  if (typeof cause === 'string') return cause;
  if (cause instanceof Error) return cause.message;
  return JSON.stringify(cause) ?? '';
}
