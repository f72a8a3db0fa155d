import { SfnError } from './protocol.ts';

/**
 * What AWS refuses in a state machine's or an execution's name (API reference, CreateStateMachine
 * and StartExecution): white space, brackets `< > { } [ ]`, wildcards `? *`, the special
 * characters `" # % \ ^ | ~ ` $ & , ; : /`, control characters (U+0000–001F, U+007F–009F),
 * U+FFFE–FFFF, surrogates and U+10FFFF. The length (1 to 80) is the request's own constraint,
 * a ValidationException on AWS as here (see protocol.ts).
 */
const forbidden = /[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f\ufffe\uffff\u{10ffff}\p{Cs}]/u;

export function checkName(kind: 'execution' | 'state machine', name: string): void {
  if (!forbidden.test(name)) return;
  throw new SfnError('InvalidName', kind === 'execution' ? `Invalid Name: '${name}'` : `Invalid State Machine Name: '${name}'`);
}
