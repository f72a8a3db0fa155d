import './promise-with-resolvers.ts';
import { randomUUID } from 'node:crypto';
import { type RunOptions, StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import type { HandlerRegistry, LambdaContext } from '../handlers.ts';
import { RETRY_DEFAULTS, type Retrier, START_TIME_FIELD } from './definition.ts';

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

/**
 * A top-level state that failed and will be tried again once its backoff has passed: the run
 * ends there, and the service parks the execution until `wakeAt`.
 */
export interface RetryParking {
  readonly state: string;
  /** The state's raw input, as it was entered. */
  readonly input: unknown;
  /** When the state was entered (its `$$.State.EnteredTime`), epoch ms. */
  readonly enteredAt: number;
  /** Retries made so far by each of the state's retriers, this one included. */
  readonly counts: readonly number[];
  readonly wakeAt: number;
}

export type SegmentOutcome =
  | { readonly kind: 'succeeded'; readonly output: unknown }
  | { readonly kind: 'failed'; readonly error: string; readonly cause: string }
  | { readonly kind: 'retry'; readonly parking: RetryParking }
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

/** A run that tries a state again after a parked retry: the state is not entered anew. */
export interface RetrySeed {
  readonly state: string;
  readonly enteredAt: number;
  readonly counts: readonly number[];
}

export interface SegmentOptions {
  readonly definition: StateMachineDefinition;
  /** The execution's input: `$$.Execution.Input` must be it in every segment. */
  readonly input: unknown;
  readonly context: NonNullable<RunOptions['context']>;
  /** The execution's start, epoch ms: `$$.Execution.StartTime`. */
  readonly startDate: number;
  readonly tasks: ReadonlyMap<string, string>;
  /** Top-level states whose retries are parked, with their retriers as written. */
  readonly retries: ReadonlyMap<string, readonly Retrier[]>;
  readonly resumed?: RetrySeed;
  readonly handlers: HandlerRegistry;
  readonly now: () => number;
  /**
   * Retries inside a Parallel or Map cannot be parked; on a virtual clock they run without their
   * backoff (the interpreter would sleep it in real seconds while the clock stands still).
   */
  readonly instantNestedRetries?: boolean;
}

/** Lambda's error for a function that does not exist, which is what an unregistered one is here. */
const FUNCTION_NOT_FOUND = 'Lambda.ResourceNotFoundException';
/** The error Lambda reports for an invocation that outlasts the function's timeout. */
export const LAMBDA_TIMEOUT_ERROR = 'Sandbox.Timedout';
const LAMBDA_INVOKE = 'arn:aws:states:::lambda:invoke';

/** Runs the interpreter from the definition's StartAt until it ends, parks or is aborted. */
export function runSegment(options: SegmentOptions): SegmentRun {
  const invocations: Invocation[] = [];
  let parking: RetryParking | undefined;
  let abortRun: (() => void) | undefined;
  let abortRequested = false;
  const abort = (): void => {
    abortRequested = true;
    abortRun?.();
  };

  const tracker = new StateTracker(options.now, options.resumed, (state, retrier, attempt, entry) => {
    if (parking !== undefined) return true;
    const retriers = options.retries.get(state);
    if (retriers === undefined) return false;
    const runRetriers = (options.definition.States[state] as { Retry?: unknown[] } | undefined)?.Retry ?? [];
    const index = runRetriers.indexOf(retrier);
    const written = retriers[index];
    if (written === undefined) return false;
    const counts = retriers.map((_, i) => entry.baseCounts[i] ?? 0);
    counts[index] = (counts[index] ?? 0) + attempt;
    const now = options.now();
    parking = { state, input: entry.input, enteredAt: entry.enteredAt, counts, wakeAt: now + backoffMs(written, counts[index] ?? 1) };
    // The run ends here; what the interpreter does after this (it tries the state at once) is
    // cut short: the abort stops its loop, and the task handlers run nothing once parked.
    abort();
    return true;
  });

  const overrides: TaskHandlers = {};
  for (const [state, resource] of options.tasks) {
    overrides[state] = (input) => (parking !== undefined || abortRequested ? Promise.resolve(null) : invokeTask(state, resource, input, options.handlers, invocations));
  }
  const retryIntervalOverrides: Record<string, number> = {};
  for (const state of options.retries.keys()) retryIntervalOverrides[state] = 0;
  if (options.instantNestedRetries === true) for (const state of options.tasks.keys()) retryIntervalOverrides[state] = 0;

  // Validated once at CreateStateMachine; the rewritten definition need not be again.
  const machine = new StateMachine(options.definition, { validationOptions: { noValidate: true } });
  const context = {
    ...options.context,
    Execution: { ...options.context.Execution, [START_TIME_FIELD]: new Date(options.startDate).toISOString() },
    State: tracker.view,
    [TRACKER]: tracker,
  };
  const run = machine.run(options.input as Json, {
    overrides: { taskResourceLocalHandlers: overrides, retryIntervalOverrides },
    noThrowOnAbort: true,
    context,
  });
  abortRun = () => run.abort();
  if (abortRequested) run.abort();

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
    if (parking !== undefined) outcome = { kind: 'retry', parking };
    else if (last?.type === 'ExecutionAborted') outcome = { kind: 'aborted' };
    else if (last?.type === 'ExecutionFailed') outcome = { kind: 'failed', error: last.Error, cause: stringifyCause(last.Cause) };
    else if (thrown !== undefined) {
      outcome = { kind: 'failed', error: 'States.Runtime', cause: thrown instanceof Error ? thrown.message : String(thrown) };
    } else outcome = { kind: 'succeeded', output };
    return { outcome, events, invocations };
  })();
  return { result, abort };
}

/**
 * How long a retrier waits before its `attempt`-th retry (1 for the first): IntervalSeconds ×
 * BackoffRate^(attempt − 1), at most MaxDelaySeconds, and with full jitter a random share of it.
 */
export function backoffMs(retrier: Retrier, attempt: number, random: () => number = Math.random): number {
  const interval = (retrier.IntervalSeconds ?? RETRY_DEFAULTS.IntervalSeconds) * (retrier.BackoffRate ?? RETRY_DEFAULTS.BackoffRate) ** (attempt - 1);
  const capped = retrier.MaxDelaySeconds === undefined ? interval : Math.min(interval, retrier.MaxDelaySeconds);
  const ms = Math.round(capped * 1000);
  return retrier.JitterStrategy === 'FULL' ? Math.floor(random() * (ms + 1)) : ms;
}

interface StateEntry {
  readonly input: unknown;
  readonly enteredAt: number;
  retryCount: number;
  /** Retries each retrier made before this run (a state resumed after a parked retry). */
  readonly baseCounts: readonly number[];
}

/** Says whether the retry was taken over (parked); false lets the interpreter retry in the run. */
type OnRetry = (state: string, retrier: unknown, attempt: number, entry: StateEntry) => boolean;

const TRACKER = Symbol('merzim:state-tracker');

/**
 * The state a run is in, for `$$.State` (the interpreter sets no `State` in the context): its
 * name, when it was entered on the service's clock and how many times it was retried. `view` is
 * the context's `State`; its fields are read when a path asks for them.
 */
class StateTracker {
  readonly #now: () => number;
  readonly #seed: RetrySeed | undefined;
  #seedUsed = false;
  readonly #onRetry: OnRetry;
  readonly #entries = new Map<string, StateEntry>();
  #current: string | undefined;
  readonly view: { readonly Name: string | undefined; readonly EnteredTime: string | undefined; readonly RetryCount: number | undefined };

  constructor(now: () => number, seed: RetrySeed | undefined, onRetry: OnRetry) {
    this.#now = now;
    this.#seed = seed;
    this.#onRetry = onRetry;
    const current = (): StateEntry | undefined => (this.#current === undefined ? undefined : this.#entries.get(this.#current));
    const tracker = this;
    this.view = {
      get Name() {
        return tracker.#current;
      },
      get EnteredTime() {
        const entry = current();
        return entry === undefined ? undefined : new Date(entry.enteredAt).toISOString();
      },
      get RetryCount() {
        return current()?.retryCount;
      },
    };
  }

  entered(state: string, input: unknown): void {
    this.#current = state;
    const seed = this.#seed;
    if (seed !== undefined && !this.#seedUsed && seed.state === state) {
      // The same entry of the state as before the parked retry, not a new one.
      this.#seedUsed = true;
      const retries = seed.counts.reduce((sum, count) => sum + count, 0);
      this.#entries.set(state, { input, enteredAt: seed.enteredAt, retryCount: retries, baseCounts: seed.counts });
      return;
    }
    this.#entries.set(state, { input, enteredAt: this.#now(), retryCount: 0, baseCounts: [] });
  }

  /** True when the retry is parked: the run is being ended. */
  retried(state: string, retrier: unknown, attempt: number): boolean {
    const entry = this.#entries.get(state);
    if (entry === undefined) return false;
    if (this.#onRetry(state, retrier, attempt, entry)) return true;
    this.#current = state;
    entry.retryCount += 1;
    return false;
  }
}

/**
 * The interpreter tells no one when a state is entered or retried but its event log, which is
 * read asynchronously: too late for the paths of the state itself. So its private `execute`
 * (which every run, nested ones included, goes through with its event logger) is wrapped once
 * here, and a run whose context carries a StateTracker has its logger report to the tracker
 * synchronously, before the state's paths are evaluated. Checked against aws-local-stepfunctions
 * 3.0.0; if the internals move, the service fails at import rather than running without `$$.State`.
 */
interface EventLoggerInternals {
  dispatchStateEnteredEvent(state: string, type: string, input: unknown): void;
  dispatchStateRetriedEvent(state: string, type: string, input: unknown, retrier: unknown, attempt: number): void;
}
interface ExecuteOptions {
  readonly runOptions?: { readonly context?: Record<PropertyKey, unknown> };
  readonly eventLogger: EventLoggerInternals;
}
type Execute = (this: unknown, input: unknown, options: ExecuteOptions, cleanup: () => void) => Promise<unknown>;

const wrapped = new WeakSet<EventLoggerInternals>();
const prototype = StateMachine.prototype as unknown as { execute?: Execute; [TRACKER]?: true };
if (prototype[TRACKER] !== true) {
  const execute = prototype.execute;
  if (typeof execute !== 'function') throw new Error('aws-local-stepfunctions has no StateMachine.prototype.execute: $$.State cannot be provided');
  prototype.execute = function (this: unknown, input, options, cleanup) {
    const tracker = options.runOptions?.context?.[TRACKER];
    const logger = options.eventLogger;
    if (tracker instanceof StateTracker && !wrapped.has(logger)) {
      wrapped.add(logger);
      const entered = logger.dispatchStateEnteredEvent.bind(logger);
      const retried = logger.dispatchStateRetriedEvent.bind(logger);
      logger.dispatchStateEnteredEvent = (state, type, stateInput) => {
        tracker.entered(state, stateInput);
        entered(state, type, stateInput);
      };
      logger.dispatchStateRetriedEvent = (state, type, stateInput, retrier, attempt) => {
        // The event is logged either way: a parked retry's history ends with its failure.
        retried(state, type, stateInput, retrier, attempt);
        tracker.retried(state, retrier, attempt);
      };
    }
    return execute.call(this, input, options, cleanup);
  };
  prototype[TRACKER] = true;
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

/**
 * Runs the function's handler as Lambda would, within the function's timeout (in real time: the
 * handler runs in real time whatever the clock). An invocation that outlasts it fails as Lambda
 * reports a timeout to Step Functions: error `Sandbox.Timedout`, the message in the cause. That is
 * a task failure, not `States.Timeout`, so a `Retry` on `States.TaskFailed` or `States.ALL`
 * applies. The handler cannot be killed in-process: what it does after is not waited for.
 */
async function invokeFunction(functionNameOrArn: string, event: unknown, handlers: HandlerRegistry): Promise<Json> {
  const target = handlers.resolve(functionNameOrArn);
  if (target === undefined) {
    throw namedError(FUNCTION_NOT_FOUND, `Function not found: ${functionNameOrArn} (no handler is registered for it)`);
  }
  const timeoutMs = target.timeoutSeconds * 1000;
  const deadline = Date.now() + timeoutMs;
  const requestId = randomUUID();
  const context: LambdaContext = {
    functionName: target.functionName,
    invokedFunctionArn: functionNameOrArn,
    awsRequestId: requestId,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const errorMessage = `RequestId: ${requestId} Error: Task timed out after ${target.timeoutSeconds.toFixed(2)} seconds`;
      reject(namedError(LAMBDA_TIMEOUT_ERROR, JSON.stringify({ errorType: LAMBDA_TIMEOUT_ERROR, errorMessage })));
    }, timeoutMs);
  });
  const invoked = (async () => {
    try {
      // A copy, as Lambda would deserialise its own: a handler cannot mutate the execution's data.
      return await target.handler(structuredClone(event), context);
    } catch (error) {
      // As Lambda reports an unhandled error: the type names the error, the cause is its JSON.
      const errorType = error instanceof Error ? error.name : 'Error';
      const errorMessage = error instanceof Error ? error.message : String(error);
      throw namedError(errorType, JSON.stringify({ errorType, errorMessage }));
    }
  })();
  // A late failure of a handler that timed out is nobody's to hear.
  invoked.catch(() => {});
  try {
    const result = await Promise.race([invoked, timedOut]);
    return result === undefined ? null : (JSON.parse(JSON.stringify(result)) as Json);
  } finally {
    clearTimeout(timer);
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
