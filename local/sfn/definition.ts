import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { z } from 'zod';
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
  readonly timeoutSeconds: number | undefined;
}

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
  const runnableStates: Record<string, unknown> = {};
  for (const [stateName, state] of Object.entries(states)) {
    if (state['Type'] === 'Wait') {
      waits.set(stateName, { name: stateName, duration: waitDuration(state) });
      runnableStates[stateName] = parkingState(state);
    } else {
      runnableStates[stateName] = clampTaskTimeout(state);
    }
  }
  // The execution's own timeout spans parked waits, so the service keeps it, not the interpreter.
  const { TimeoutSeconds: timeoutSeconds, ...rest } = definition;
  const runnable = { ...rest, States: runnableStates } as unknown as StateMachineDefinition;
  return { runnable, waits, tasks, timeoutSeconds };
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

function clampTaskTimeout(state: Record<string, unknown>): Record<string, unknown> {
  const timeout = state['TimeoutSeconds'];
  if (state['Type'] === 'Task' && typeof timeout === 'number' && timeout > MAX_TASK_TIMEOUT_SECONDS) {
    return { ...state, TimeoutSeconds: MAX_TASK_TIMEOUT_SECONDS };
  }
  return state;
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
