import { InputError } from '../shared/base/index.ts';

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

/** The options a command reads, as `parseArgs` takes them. */
export type Options = NonNullable<import('node:util').ParseArgsConfig['options']>;

/**
 * What `merzim COMMAND --help` prints: the synopsis, what it does, and each option the command
 * reads. `options` is keyed by the command's own `parseArgs` options, so none goes unexplained.
 */
export interface CommandHelp<O extends Options = Options> {
  readonly synopsis: string;
  readonly about: string;
  readonly options: { readonly [K in keyof O]: { readonly value?: string; readonly help: string } };
}

/** One command's usage: the synopsis, what it does, then one line per option. */
export function helpText(help: CommandHelp): string {
  const rows = [
    ...Object.entries(help.options).map(([name, option]) => [`--${name}${option.value === undefined ? '' : ` ${option.value}`}`, option.help] as const),
    ['--help', 'prints this usage'] as const,
  ];
  const width = Math.max(0, ...rows.map(([flag]) => flag.length));
  return [`usage: merzim ${help.synopsis}`, '', `  ${help.about}`, ...(rows.length === 0 ? [] : ['', 'options:', ...rows.map(([flag, text]) => `  ${flag.padEnd(width)}  ${text}`)])].join('\n');
}
