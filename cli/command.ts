import { InputError } from '../shared/model/errors.ts';

/** What a subcommand of `merzim` receives: its own arguments and where to write. */
export interface CommandIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

/** A subcommand resolves to the process exit status. */
export type Command = (args: readonly string[], io: CommandIo) => Promise<number>;

/**
 * Bad input from the person at the terminal: printed as one line, exit status 2.
 * Anything else thrown is a defect and keeps its stack.
 */
export class UsageError extends InputError {
  override readonly name = 'UsageError';
}

/** Resolves with the first SIGINT or SIGTERM: a command that serves until Ctrl-C awaits it. */
export function stopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (received: NodeJS.Signals): void => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve(received);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
