import middy, { type MiddlewareObj } from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Context } from 'aws-lambda';
import { errorKind, logger } from '../adapters/log.ts';

/**
 * The one middy chain of the functions that are not the API (timer steps, schedules, SES's
 * events): the Lambda context in every log line, and one line per invocation when it ends, done
 * or failed, with its duration. A failure is logged and thrown on as it came: the state machine's
 * Retry and Catch, and the dead-letter queue, see the error the work threw.
 */

type Fields = Readonly<Record<string, unknown>>;

export interface Invocation<P, R> {
  /** The line's message when the work is done (`provision: done`), and when it failed. */
  readonly lines: { readonly done: string; readonly failed: string };
  /**
   * Reads the input and wires what the work needs. What fails here (an input that does not parse,
   * an environment not set) is thrown with no line of ours, before any work.
   */
  readonly prepare: (input: unknown) => P | Promise<P>;
  readonly run: (prepared: P) => Promise<R>;
  /** Fields of the line however it ends, read when it is written: the step, what was delivered. */
  readonly fields?: (prepared: P) => Fields;
  /** Fields of the line when the work is done, from its result. */
  readonly done?: (result: R) => Fields;
  /** More fields of the failure line, for an error that carries counts. */
  readonly failed?: (error: unknown) => Fields;
  /** An error that answers the state machine's Catch (closed, superseded, not yet due): its line is the done line, with the signal. */
  readonly signal?: (error: unknown) => boolean;
}

/** A function's entry point. Lambda always passes a context; a test may call it with the event alone. */
export type Handler<R> = (input: unknown, context?: Context) => Promise<R>;

/** The Lambda context in the log lines, its keys reset after each invocation: the API's chain uses it too. */
export function lambdaContextInLogs(): MiddlewareObj {
  return injectLambdaContext(logger, { resetKeys: true });
}

export function lambdaHandler<P, R>(invocation: Invocation<P, R>): Handler<R> {
  // No early timeout of middy's: a step that outlasts its function's timeout fails as Lambda
  // reports it (Sandbox.Timedout), which the state machines retry.
  const chained = middy<unknown, R>({ timeoutEarlyInMillis: 0 })
    .use(lambdaContextInLogs())
    .use(invocationLine(invocation))
    // The event is what `prepare` made of it (invocationLine's `before`, as a middy parser does).
    .handler((prepared) => invocation.run(prepared as P));
  return (input, context) => chained(input, context as Context);
}

/** Prepares the input, then writes the invocation's one line when it ends. */
function invocationLine<P, R>(invocation: Invocation<P, R>): MiddlewareObj<unknown, R> {
  const { lines, prepare, fields = () => ({}), done = () => ({}), failed = () => ({}), signal = () => false } = invocation;
  // When each invocation started, and what its input was prepared into (none: it did not prepare).
  const started = new WeakMap<object, { readonly at: number; prepared?: { readonly value: P } }>();
  return {
    before: async (request) => {
      const state: { readonly at: number; prepared?: { readonly value: P } } = { at: Date.now() };
      started.set(request, state);
      const value = await prepare(request.event);
      state.prepared = { value };
      request.event = value;
    },
    after: (request) => {
      const state = started.get(request);
      if (state?.prepared === undefined) return;
      logger.info(lines.done, { ...fields(state.prepared.value), ...done(request.response as R), durationMs: Date.now() - state.at });
    },
    onError: (request) => {
      const state = started.get(request);
      if (state?.prepared === undefined) return;
      const { error } = request;
      const durationMs = Date.now() - state.at;
      if (signal(error)) logger.info(lines.done, { ...fields(state.prepared.value), signal: errorKind(error), durationMs });
      else logger.error(lines.failed, { ...fields(state.prepared.value), error: errorKind(error), ...failed(error), durationMs });
    },
  };
}
