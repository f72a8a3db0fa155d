import { resumeStateName } from './definition.ts';
import type { Invocation, StampedEvent } from './interpreter.ts';

/** A history event as GetExecutionHistory returns it (timestamp in epoch ms until encoded). */
export interface HistoryEvent {
  readonly timestamp: number;
  readonly type: string;
  readonly id: number;
  readonly previousEventId: number;
  readonly [details: string]: unknown;
}

export type EventDraft = { readonly timestamp: number; readonly type: string } & Record<string, unknown>;

export interface SegmentFacts {
  /** Number of events the execution already has; new ids continue from it. */
  readonly firstId: number;
  readonly roleArn: string;
  readonly region: string;
  readonly waits: ReadonlySet<string>;
  readonly tasks: ReadonlyMap<string, string>;
  /** The wait this run resumes after, if it is not the execution's first run. */
  readonly resumedWait: string | undefined;
  /** The state this run tries again after a parked retry: it is not entered anew. */
  readonly resumedRetry?: string | undefined;
  /**
   * Top-level states whose retries the service parks: the retry's task is scheduled by the run
   * that resumes it, at the instant it does, not when the interpreter logged the retry.
   */
  readonly parkedRetries?: ReadonlySet<string>;
}

const LAMBDA_INVOKE = 'arn:aws:states:::lambda:invoke';

/**
 * Turns one run's interpreter log into the events AWS would have written, so the history reads
 * as one execution: a parked wait shows as `WaitStateEntered` … `WaitStateExited`, never as the
 * runs and rewritten states that carry it.
 */
export function historyOf(log: readonly StampedEvent[], invocations: readonly Invocation[], facts: SegmentFacts): HistoryEvent[] {
  const drafts: EventDraft[] = [];
  const pending = new Map<string, Invocation[]>();
  for (const invocation of invocations) {
    const list = pending.get(invocation.state) ?? [];
    list.push(invocation);
    pending.set(invocation.state, list);
  }
  const current = new Map<string, Invocation>();
  const json = (value: unknown): string => JSON.stringify(value ?? null);
  const typeOf = (name: string, type: string): string => (facts.waits.has(name) ? 'Wait' : type);
  let parkedAt: string | undefined;
  let retryResumed = false;

  const scheduleTask = (timestamp: number, state: string): void => {
    const invocation = pending.get(state)?.shift();
    if (invocation === undefined) return;
    current.set(state, invocation);
    const resource = facts.tasks.get(state) ?? '';
    if (resource === LAMBDA_INVOKE) {
      const task = { resourceType: 'lambda', resource: 'invoke' };
      drafts.push({
        timestamp,
        type: 'TaskScheduled',
        taskScheduledEventDetails: { ...task, region: facts.region, parameters: json(invocation.input) },
      });
      drafts.push({ timestamp, type: 'TaskStarted', taskStartedEventDetails: task });
    } else {
      drafts.push({
        timestamp,
        type: 'LambdaFunctionScheduled',
        lambdaFunctionScheduledEventDetails: { resource, input: json(invocation.input), inputDetails: { truncated: false } },
      });
      drafts.push({ timestamp, type: 'LambdaFunctionStarted' });
    }
  };
  const endTask = (timestamp: number, state: string, failure?: { error: string; cause: string }): void => {
    const invocation = current.get(state);
    if (invocation === undefined) return;
    current.delete(state);
    const invoke = facts.tasks.get(state) === LAMBDA_INVOKE;
    const task = { resourceType: 'lambda', resource: 'invoke' };
    if (failure === undefined) {
      const output = { output: json(invocation.output), outputDetails: { truncated: false } };
      drafts.push(
        invoke
          ? { timestamp, type: 'TaskSucceeded', taskSucceededEventDetails: { ...task, ...output } }
          : { timestamp, type: 'LambdaFunctionSucceeded', lambdaFunctionSucceededEventDetails: output },
      );
    } else if (failure.error === 'States.Timeout') {
      drafts.push(
        invoke
          ? { timestamp, type: 'TaskTimedOut', taskTimedOutEventDetails: { ...task, ...failure } }
          : { timestamp, type: 'LambdaFunctionTimedOut', lambdaFunctionTimedOutEventDetails: failure },
      );
    } else {
      drafts.push(
        invoke
          ? { timestamp, type: 'TaskFailed', taskFailedEventDetails: { ...task, ...failure } }
          : { timestamp, type: 'LambdaFunctionFailed', lambdaFunctionFailedEventDetails: failure },
      );
    }
  };

  for (const { at: timestamp, event } of log) {
    switch (event.type) {
      case 'ExecutionStarted':
        if (facts.resumedWait === undefined && facts.resumedRetry === undefined) {
          drafts.push({
            timestamp,
            type: 'ExecutionStarted',
            executionStartedEventDetails: { input: json(event.input), inputDetails: { truncated: false }, roleArn: facts.roleArn },
          });
        }
        break;
      case 'StateEntered': {
        const name = event.state.name;
        if (name === resumeStateName) break;
        if (name === facts.resumedRetry && !retryResumed) {
          // The state was entered before its retry was parked; only its task starts again.
          retryResumed = true;
          if (event.state.type === 'Task') scheduleTask(timestamp, name);
          break;
        }
        parkedAt = facts.waits.has(name) && event.index === undefined ? name : undefined;
        drafts.push({
          timestamp,
          type: `${typeOf(name, event.state.type)}StateEntered`,
          stateEnteredEventDetails: { name, input: json(event.state.input), inputDetails: { truncated: false } },
        });
        if (event.state.type === 'Task') scheduleTask(timestamp, name);
        break;
      }
      case 'StateExited': {
        const name = event.state.name;
        if (name === resumeStateName) {
          if (facts.resumedWait === undefined) break;
          drafts.push({
            timestamp,
            type: 'WaitStateExited',
            stateExitedEventDetails: { name: facts.resumedWait ?? name, output: json(event.state.output), outputDetails: { truncated: false } },
          });
          break;
        }
        // A parking state exits into the store, not into the next state: the wake-up writes the exit.
        if (facts.waits.has(name)) break;
        if (event.state.type === 'Task') endTask(timestamp, name);
        drafts.push({
          timestamp,
          type: `${event.state.type}StateExited`,
          stateExitedEventDetails: { name, output: json(event.state.output), outputDetails: { truncated: false } },
        });
        break;
      }
      case 'StateFailed':
        if (event.state.type === 'Task') endTask(timestamp, event.state.name, { error: event.Error, cause: causeText(event.Cause) });
        break;
      case 'StateRetried':
        if (facts.parkedRetries?.has(event.state.name) === true) break;
        if (event.state.type === 'Task') scheduleTask(timestamp, event.state.name);
        break;
      case 'MapIterationStarted':
      case 'MapIterationSucceeded':
      case 'MapIterationFailed': {
        const key = `${event.type.charAt(0).toLowerCase()}${event.type.slice(1)}EventDetails`;
        drafts.push({ timestamp, type: event.type, [key]: { name: event.parentState.name, index: event.index } });
        break;
      }
      case 'ExecutionSucceeded':
        if (parkedAt === undefined) {
          drafts.push({
            timestamp,
            type: 'ExecutionSucceeded',
            executionSucceededEventDetails: { output: json(event.output), outputDetails: { truncated: false } },
          });
        }
        break;
      case 'ExecutionFailed':
        drafts.push({ timestamp, type: 'ExecutionFailed', executionFailedEventDetails: { error: event.Error, cause: causeText(event.Cause) } });
        break;
      default:
        // Caught errors, Parallel branches and the interpreter's own abort have no AWS event of
        // their own here; an abort is written by StopExecution with its error and cause.
        break;
    }
  }
  return number(drafts, facts.firstId);
}

/** Events the service writes itself (a wait that cannot be parked, a stop, a timeout). */
export function serviceEvents(drafts: readonly EventDraft[], firstId: number): HistoryEvent[] {
  return number(drafts, firstId);
}

function number(drafts: readonly EventDraft[], firstId: number): HistoryEvent[] {
  return drafts.map((draft, index) => ({ ...draft, id: firstId + index + 1, previousEventId: firstId + index }));
}

function causeText(cause: unknown): string {
  if (typeof cause === 'string') return cause;
  if (cause instanceof Error) return cause.message;
  return JSON.stringify(cause) ?? '';
}
