import { describe, expect, test } from 'vitest';
import type { Context } from 'aws-lambda';
import { lambdaHandler } from '../../functions/handlers/chain.ts';
import { logLines as writtenLines } from '../support/log.ts';

/**
 * The one chain of the step and schedule functions (functions/handlers/chain.ts): what an
 * operator reads in the logs of an invocation, and what the state machine or the dead-letter
 * queue gets when it fails.
 */

class SignalError extends Error {
  override readonly name = 'SignalError';
}

class CountedError extends Error {
  override readonly name = 'CountedError';
  readonly failed = 2;
}

/** The JSON lines the functions' logger writes while `run` runs. */
async function logLines(run: () => Promise<unknown>): Promise<{ lines: Record<string, unknown>[]; outcome: PromiseSettledResult<unknown> }> {
  let outcome: PromiseSettledResult<unknown> | undefined;
  const written = await writtenLines(async () => {
    outcome = (await Promise.allSettled([run()]))[0];
  });
  if (outcome === undefined) throw new Error('the run did not settle');
  return { lines: written.map((line) => JSON.parse(line) as Record<string, unknown>), outcome };
}

const handler = lambdaHandler({
  lines: { done: 'test: done', failed: 'test: failed' },
  prepare: (input) => {
    const { what } = input as { what?: string };
    if (what === undefined) throw new TypeError('no what');
    return { what, seen: {} as { step?: number } };
  },
  run: async ({ what, seen }) => {
    seen.step = 1;
    if (what === 'signal') throw new SignalError('closed');
    if (what === 'counted') throw new CountedError('two failed');
    if (what === 'defect') throw new Error('broken');
    return { answered: what };
  },
  fields: ({ what, seen }) => ({ what, ...seen }),
  done: (result) => ({ answered: result.answered }),
  failed: (error) => (error instanceof CountedError ? { failed: error.failed } : {}),
  signal: (error) => error instanceof SignalError,
});

const context = {
  functionName: 'merzim-test-step',
  invokedFunctionArn: 'arn:aws:lambda:eu-central-1:000000000000:function:merzim-test-step',
  awsRequestId: 'request-1',
  memoryLimitInMB: '256',
  getRemainingTimeInMillis: () => 1,
} as unknown as Context;

describe('the functions’ chain', () => {
  test('done: the result as the work returned it, one info line with its fields, the duration and the Lambda context', async () => {
    const { lines, outcome } = await logLines(() => handler({ what: 'ok' }, context));
    expect(outcome).toEqual({ status: 'fulfilled', value: { answered: 'ok' } });
    expect(lines).toEqual([
      expect.objectContaining({ level: 'INFO', message: 'test: done', what: 'ok', step: 1, answered: 'ok', durationMs: expect.any(Number), function_request_id: 'request-1' }),
    ]);
  });

  test('a failure: one error line naming the error by kind, with its counts; the same error thrown on', async () => {
    const { lines, outcome } = await logLines(() => handler({ what: 'counted' }, context));
    expect(outcome.status === 'rejected' && outcome.reason).toBeInstanceOf(CountedError);
    expect(lines).toEqual([expect.objectContaining({ level: 'ERROR', message: 'test: failed', what: 'counted', step: 1, error: 'CountedError', failed: 2, durationMs: expect.any(Number) })]);
    expect(JSON.stringify(lines)).not.toContain('two failed');
  });

  test('a signal for the machine’s Catch: thrown on, logged as the done line with the signal, not as a failure', async () => {
    const { lines, outcome } = await logLines(() => handler({ what: 'signal' }, context));
    expect(outcome.status === 'rejected' && outcome.reason).toBeInstanceOf(SignalError);
    expect(lines).toEqual([expect.objectContaining({ level: 'INFO', message: 'test: done', what: 'signal', signal: 'SignalError', durationMs: expect.any(Number) })]);
  });

  test('no early timeout of middy’s: work that outlasts the time left is Lambda’s to end (Sandbox.Timedout), not cut short', async () => {
    const slow = lambdaHandler({
      lines: { done: 'slow: done', failed: 'slow: failed' },
      prepare: () => ({}),
      run: () => new Promise<string>((resolve) => setTimeout(() => resolve('finished'), 20)),
    });
    const { outcome } = await logLines(() => slow({}, context));
    expect(outcome).toEqual({ status: 'fulfilled', value: 'finished' });
  });

  test('an input that does not prepare: thrown as it is, before any work, with no line; called without a context too', async () => {
    const { lines, outcome } = await logLines(() => handler({}));
    expect(outcome.status === 'rejected' && outcome.reason).toBeInstanceOf(TypeError);
    expect(lines).toEqual([]);
  });
});
