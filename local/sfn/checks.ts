import { MAX_WAIT_SECONDS } from './limits.ts';
import { SfnError } from './protocol.ts';
import { parseStatesTimestamp } from './waits.ts';

/**
 * What AWS refuses at CreateStateMachine that the interpreter's validator lets through, so that a
 * definition the local service takes is one AWS takes too; and what the local service cannot run
 * (JSONata, variables), refused here rather than silently ignored.
 */

type RawState = Record<string, unknown>;

const JITTER_STRATEGIES: ReadonlySet<unknown> = new Set(['FULL', 'NONE']);

/** Fields that exist only for JSONata states: a JSONPath interpreter would skip them. */
const JSONATA_FIELDS = ['Arguments', 'Output'] as const;

export function checkDefinition(definition: Record<string, unknown>): void {
  if (definition['QueryLanguage'] === 'JSONata') refuseJsonata('/QueryLanguage');
  checkStates(definition['States'] as Record<string, RawState>, '/States');
}

function checkStates(states: Record<string, RawState>, at: string): void {
  for (const [name, state] of Object.entries(states)) {
    const where = `${at}/${name}`;
    if (state['QueryLanguage'] === 'JSONata') refuseJsonata(`${where}/QueryLanguage`);
    for (const field of JSONATA_FIELDS) if (field in state) refuseJsonata(`${where}/${field}`);
    if ('Assign' in state) refuseAssign(`${where}/Assign`);
    if (Array.isArray(state['Choices'])) {
      state['Choices'].forEach((choice: unknown, index) => {
        if (isObject(choice) && 'Assign' in choice) refuseAssign(`${where}/Choices/${index}/Assign`);
      });
    }
    if (state['Type'] === 'Wait') checkWait(state, where);
    checkErrorMatchers(state['Retry'], `${where}/Retry`, true);
    checkErrorMatchers(state['Catch'], `${where}/Catch`, false);
    if (Array.isArray(state['Catch'])) {
      state['Catch'].forEach((catcher: unknown, index) => {
        if (isObject(catcher) && 'Assign' in catcher) refuseAssign(`${where}/Catch/${index}/Assign`);
      });
    }
    for (const [path, nested] of nestedMachines(state, where)) checkStates(nested, path);
  }
}

function checkWait(state: RawState, where: string): void {
  const seconds = state['Seconds'];
  if (seconds !== undefined && !(typeof seconds === 'number' && Number.isInteger(seconds) && seconds >= 0 && seconds <= MAX_WAIT_SECONDS)) {
    refuse(`${where}/Seconds`, `a Wait's Seconds must be an integer from 0 to ${MAX_WAIT_SECONDS}, not ${JSON.stringify(seconds)}`);
  }
  const timestamp = state['Timestamp'];
  if (timestamp !== undefined && (typeof timestamp !== 'string' || parseStatesTimestamp(timestamp) === undefined)) {
    refuse(
      `${where}/Timestamp`,
      `a Wait's Timestamp must be an RFC 3339 date-time with an upper-case 'T' and an upper-case 'Z' or a numeric offset, such as 2026-03-02T09:00:00Z; not ${JSON.stringify(timestamp)}`,
    );
  }
}

/** `States.ALL` must stand alone in its ErrorEquals, and its retrier or catcher must come last. */
function checkErrorMatchers(matchers: unknown, where: string, retry: boolean): void {
  if (!Array.isArray(matchers)) return;
  matchers.forEach((matcher: unknown, index) => {
    if (!isObject(matcher)) return;
    const errors = matcher['ErrorEquals'];
    if (Array.isArray(errors) && errors.includes('States.ALL')) {
      if (errors.length > 1) refuse(`${where}/${index}/ErrorEquals`, 'States.ALL must appear alone in its ErrorEquals');
      if (index !== matchers.length - 1) {
        refuse(`${where}/${index}`, `a ${retry ? 'retrier' : 'catcher'} on States.ALL must be the last in its ${retry ? 'Retry' : 'Catch'}`);
      }
    }
    if (retry && 'JitterStrategy' in matcher && !JITTER_STRATEGIES.has(matcher['JitterStrategy'])) {
      refuse(`${where}/${index}/JitterStrategy`, `JitterStrategy must be FULL or NONE, not ${JSON.stringify(matcher['JitterStrategy'])}`);
    }
  });
}

function nestedMachines(state: RawState, where: string): [string, Record<string, RawState>][] {
  const found: [string, Record<string, RawState>][] = [];
  const take = (machine: unknown, path: string): void => {
    if (isObject(machine) && isObject(machine['States'])) found.push([`${path}/States`, machine['States'] as Record<string, RawState>]);
  };
  if (Array.isArray(state['Branches'])) state['Branches'].forEach((branch: unknown, index) => take(branch, `${where}/Branches/${index}`));
  take(state['Iterator'], `${where}/Iterator`);
  take(state['ItemProcessor'], `${where}/ItemProcessor`);
  return found;
}

function refuse(at: string, why: string): never {
  throw new SfnError('InvalidDefinition', `Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: ${why} at ${at}'`);
}

function refuseJsonata(at: string): never {
  throw new SfnError(
    'InvalidDefinition',
    `Invalid State Machine Definition: JSONata (at ${at}) is not supported by the local Step Functions service, ` +
      'which runs JSONPath states only; AWS would run it, so it is refused here rather than run differently',
  );
}

function refuseAssign(at: string): never {
  throw new SfnError(
    'InvalidDefinition',
    `Invalid State Machine Definition: variables (Assign, at ${at}) are not supported by the local Step Functions service; ` +
      'AWS would run them, so they are refused here rather than ignored',
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
