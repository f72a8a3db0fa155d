import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import * as z from 'zod';
import { checkDefinition } from './checks.ts';
import { SfnError } from './protocol.ts';

/**
 * A state machine definition made ready for the interpreter.
 *
 * The interpreter holds a `Wait` in a `setTimeout`, which neither survives a restart nor waits
 * longer than 24.8 days. So every top-level `Wait` becomes a terminal `Pass` that ends the run
 * with what the wait needs (its effective input, and the instant or seconds its path points to):
 * the service parks that durably and later runs the interpreter again from a `Pass` that replays
 * the wait's output into the state after it.
 */
export interface CompiledDefinition {
  /** The definition with top-level waits turned into parking states. */
  readonly runnable: StateMachineDefinition;
  readonly waits: ReadonlyMap<string, WaitSpec>;
  /** Task state name → its `Resource`, nested states included (names are unique per machine). */
  readonly tasks: ReadonlyMap<string, string>;
  /**
   * Top-level states with a `Retry`, and their retriers as written. The service parks each of
   * their retries like a wait (the interpreter would sleep the backoff in a timer), and resumes
   * the state when the backoff has passed on the service's clock.
   */
  readonly retries: ReadonlyMap<string, readonly Retrier[]>;
  readonly timeoutSeconds: number | undefined;
}

export interface Retrier {
  readonly ErrorEquals: readonly string[];
  readonly IntervalSeconds?: number;
  readonly MaxAttempts?: number;
  readonly BackoffRate?: number;
  readonly MaxDelaySeconds?: number;
  readonly JitterStrategy?: 'FULL' | 'NONE';
}

/** The States Language's defaults for a retrier. */
export const RETRY_DEFAULTS = { IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2 } as const;

/**
 * Where the service puts the execution's start instant in the context object. The interpreter
 * sets `$$.Execution.StartTime` to the wall-clock time its run began (a run is one stretch
 * between parked waits), so every path to it is rewritten to this field, which holds the
 * execution's start on the service's clock.
 */
export const START_TIME_FIELD = 'MerzimStartTime';

export type WaitDuration =
  | { readonly kind: 'seconds'; readonly seconds: number }
  | { readonly kind: 'timestamp'; readonly timestamp: string }
  | { readonly kind: 'secondsPath' }
  | { readonly kind: 'timestampPath' };

export interface WaitSpec {
  readonly name: string;
  readonly duration: WaitDuration;
}

/** The name of the state a resumed run starts in; no definition may use it. */
export const resumeStateName = 'merzim:resume-after-wait';

/** What a parking state outputs; its key cannot clash with anything the interpreter adds. */
export const parkedShape = z.object({
  input: z.unknown(),
  at: z.unknown().optional(),
});

type Json = StateMachineDefinition['States'][string];
type RawStates = Record<string, Record<string, unknown>>;

const definitionShape = z.looseObject({
  StartAt: z.string(),
  States: z.record(z.string(), z.looseObject({ Type: z.string() })),
  TimeoutSeconds: z.number().int().positive().optional(),
});

/** The longest task timeout `setTimeout` can hold, in seconds. */
const MAX_TASK_TIMEOUT_SECONDS = 2_147_483;

const START_TIME_PATH = /\$\$\.Execution\.StartTime(?![A-Za-z0-9_])/g;

export function compileDefinition(text: string): CompiledDefinition {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new SfnError('InvalidDefinition', `Invalid State Machine Definition: the definition is not JSON (${(error as Error).message})`);
  }
  const shape = definitionShape.safeParse(raw);
  if (!shape.success) {
    throw new SfnError('InvalidDefinition', `Invalid State Machine Definition: ${shape.error.issues[0]?.message ?? 'bad shape'}`);
  }
  // First what the local service cannot run, and what AWS refuses beyond the States Language's schema.
  checkDefinition(shape.data);
  try {
    // Validates against the States Language (the interpreter's validator), throws on error.
    new StateMachine(raw as StateMachineDefinition, { validationOptions: { checkArn: true, checkPaths: true } });
  } catch (error) {
    throw new SfnError('InvalidDefinition', `Invalid State Machine Definition: ${(error as Error).message}`);
  }
  const definition = shape.data;
  const states = definition.States as RawStates;
  if (Object.hasOwn(states, resumeStateName)) {
    throw new SfnError('InvalidDefinition', `Invalid State Machine Definition: the state name '${resumeStateName}' is reserved by the local service`);
  }

  const tasks = new Map<string, string>();
  collectTasks(states, tasks, null);

  const waits = new Map<string, WaitSpec>();
  const retries = new Map<string, readonly Retrier[]>();
  const runnableStates: Record<string, unknown> = {};
  for (const [stateName, state] of Object.entries(rewriteStartTime(states) as RawStates)) {
    if (state['Type'] === 'Wait') {
      waits.set(stateName, { name: stateName, duration: waitDuration(state) });
      runnableStates[stateName] = parkingState(state);
    } else {
      if (Array.isArray(state['Retry']) && state['Retry'].length > 0) retries.set(stateName, state['Retry'] as Retrier[]);
      runnableStates[stateName] = taskTimeouts(state);
    }
  }
  // The execution's own timeout spans parked waits, so the service keeps it, not the interpreter.
  const { TimeoutSeconds: timeoutSeconds, ...rest } = definition;
  const runnable = { ...rest, States: runnableStates } as unknown as StateMachineDefinition;
  return { runnable, waits, tasks, retries, timeoutSeconds };
}

/**
 * The definition for a run that tries the state `state` again after a parked retry, with `input`
 * its raw input as it was first entered. `counts[i]` is how many retries the state's retrier `i`
 * has made: in the run, each retrier has that many attempts fewer, and its interval has already
 * been multiplied that many times, so the interpreter counts on where the last run stopped.
 */
export function resumeRetry(compiled: CompiledDefinition, state: string, input: unknown, counts: readonly number[]): StateMachineDefinition {
  const retriers = compiled.retries.get(state);
  const raw = (compiled.runnable.States as unknown as RawStates)[state];
  if (retriers === undefined || raw === undefined) throw new Error(`no state '${state}' with a Retry in the definition`);
  const retry = retriers.map((retrier, index) => {
    const used = counts[index] ?? 0;
    const interval = (retrier.IntervalSeconds ?? RETRY_DEFAULTS.IntervalSeconds) * (retrier.BackoffRate ?? RETRY_DEFAULTS.BackoffRate) ** used;
    return { ...retrier, MaxAttempts: Math.max(0, (retrier.MaxAttempts ?? RETRY_DEFAULTS.MaxAttempts) - used), IntervalSeconds: interval };
  });
  const resume = { Type: 'Pass', Result: input, Next: state };
  return {
    ...compiled.runnable,
    StartAt: resumeStateName,
    States: { ...compiled.runnable.States, [state]: { ...raw, Retry: retry } as unknown as Json, [resumeStateName]: resume as unknown as Json },
  };
}

/** The definition for a run that continues after the wait `wait` with the wait's input. */
export function resumeAfter(
  compiled: CompiledDefinition,
  original: StateMachineDefinition,
  wait: string,
  effectiveInput: unknown,
): StateMachineDefinition {
  const state = (original.States as unknown as RawStates)[wait];
  if (state === undefined) throw new Error(`no Wait state '${wait}' in the definition`);
  const resume: Record<string, unknown> = { Type: 'Pass', Result: effectiveInput };
  if ('OutputPath' in state) resume['OutputPath'] = state['OutputPath'];
  if (typeof state['Next'] === 'string') resume['Next'] = state['Next'];
  else resume['End'] = true;
  return {
    ...compiled.runnable,
    StartAt: resumeStateName,
    States: { ...compiled.runnable.States, [resumeStateName]: resume as unknown as Json },
  };
}

function parkingState(wait: Record<string, unknown>): Record<string, unknown> {
  const parameters: Record<string, unknown> = { 'input.$': '$' };
  if (typeof wait['TimestampPath'] === 'string') parameters['at.$'] = wait['TimestampPath'];
  if (typeof wait['SecondsPath'] === 'string') parameters['at.$'] = wait['SecondsPath'];
  const pass: Record<string, unknown> = { Type: 'Pass', Parameters: parameters, End: true };
  if ('InputPath' in wait) pass['InputPath'] = wait['InputPath'];
  return pass;
}

function waitDuration(wait: Record<string, unknown>): WaitDuration {
  if (typeof wait['Seconds'] === 'number') return { kind: 'seconds', seconds: wait['Seconds'] };
  if (typeof wait['Timestamp'] === 'string') return { kind: 'timestamp', timestamp: wait['Timestamp'] };
  if (typeof wait['SecondsPath'] === 'string') return { kind: 'secondsPath' };
  if (typeof wait['TimestampPath'] === 'string') return { kind: 'timestampPath' };
  throw new SfnError('InvalidDefinition', 'Invalid State Machine Definition: a Wait state needs Seconds, Timestamp, SecondsPath or TimestampPath');
}

/**
 * A Task without `TimeoutSeconds` has no timeout of its own on AWS (the function's `Timeout` ends
 * a Lambda task, see interpreter.ts), where the interpreter would time it out at 60 s. Nested
 * tasks are left alone: a Map or Parallel state's processor is handed to the interpreter as is.
 */
function taskTimeouts(state: Record<string, unknown>): Record<string, unknown> {
  if (state['Type'] !== 'Task') return state;
  const timeout = state['TimeoutSeconds'];
  if (typeof timeout === 'number' && timeout > MAX_TASK_TIMEOUT_SECONDS) return { ...state, TimeoutSeconds: MAX_TASK_TIMEOUT_SECONDS };
  if (timeout === undefined && state['TimeoutSecondsPath'] === undefined) return { ...state, TimeoutSeconds: MAX_TASK_TIMEOUT_SECONDS };
  return state;
}

/**
 * Points every path to `$$.Execution.StartTime` at START_TIME_FIELD: in payload templates (keys
 * ending in `.$`, intrinsic functions included), in the fields that are paths, and in Choice
 * variables; never in a Pass state's `Result`, which is literal JSON.
 */
function rewriteStartTime(value: unknown, key?: string): unknown {
  if (typeof value === 'string') {
    const isPath = key !== undefined && (key.endsWith('.$') || key.endsWith('Path') || key === 'Variable');
    return isPath ? value.replace(START_TIME_PATH, () => `$$.Execution.${START_TIME_FIELD}`) : value;
  }
  if (Array.isArray(value)) return value.map((item) => rewriteStartTime(item));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, name === 'Result' ? item : rewriteStartTime(item, name)]));
  }
  return value;
}

/** Walks nested Parallel branches and Map processors; a Wait there cannot be parked. */
function collectTasks(states: RawStates, tasks: Map<string, string>, container: string | null): void {
  for (const [stateName, state] of Object.entries(states)) {
    if (state['Type'] === 'Wait' && container !== null) {
      throw new SfnError(
        'InvalidDefinition',
        `Invalid State Machine Definition: the Wait state '${stateName}' is inside ${container}; ` +
          'the local Step Functions service parks only top-level Wait states, not waits inside Parallel or Map',
      );
    }
    if (state['Type'] === 'Task' && typeof state['Resource'] === 'string') tasks.set(stateName, state['Resource']);
    for (const nested of nestedMachines(state)) collectTasks(nested, tasks, `${String(state['Type'])} state '${stateName}'`);
  }
}

function nestedMachines(state: Record<string, unknown>): RawStates[] {
  const found: RawStates[] = [];
  const take = (machine: unknown): void => {
    if (machine !== null && typeof machine === 'object' && 'States' in machine) {
      found.push((machine as { States: RawStates }).States);
    }
  };
  if (Array.isArray(state['Branches'])) for (const branch of state['Branches']) take(branch);
  take(state['Iterator']);
  take(state['ItemProcessor']);
  return found;
}
