import { InputError } from '../shared/base/index.ts';
import { type Command, type CommandHelp, type CommandIo, type Options, helpText } from './command.ts';
import { calendarCommand, calendarHelp } from './commands/calendar.ts';
import { demoCommand, demoHelp } from './commands/demo.ts';
import { dueCommand, dueHelp } from './commands/due.ts';
import { localCommand, localHelp } from './commands/local.ts';
import { planCommand, planHelp } from './commands/plan.ts';
import { rulesCommand, rulesHelp } from './commands/rules.ts';
import { startCommand, startHelp } from './commands/start.ts';
import { tokenCommand, tokenHelp } from './commands/token.ts';

interface Entry {
  readonly run: Command;
  readonly help: CommandHelp<Options>;
}

/** Each command with its usage: `merzim COMMAND --help` prints it. */
export const commands: Readonly<Record<string, Entry>> = {
  due: { run: dueCommand, help: dueHelp },
  calendar: { run: calendarCommand, help: calendarHelp },
  rules: { run: rulesCommand, help: rulesHelp },
  local: { run: localCommand, help: localHelp },
  start: { run: startCommand, help: startHelp },
  token: { run: tokenCommand, help: tokenHelp },
  plan: { run: planCommand, help: planHelp },
  demo: { run: demoCommand, help: demoHelp },
};

const usage = [
  'usage: merzim <command> [options]',
  ...Object.values(commands).flatMap(({ help }) => [`  ${help.synopsis}`, `      ${help.about}`]),
  '',
  'merzim <command> --help prints the command\'s options.',
].join('\n');

const consoleIo: CommandIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

export async function main(argv: readonly string[], io: CommandIo = consoleIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h') {
    io.out(usage);
    return name === undefined ? 2 : 0;
  }
  const command = commands[name];
  if (command === undefined) {
    io.err(`merzim: unknown command "${name}" (known: ${Object.keys(commands).join(', ')})`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(helpText(command.help));
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof InputError || isParseArgsError(error)) {
      io.err(`merzim ${name}: ${(error as Error).message}`);
      return 2;
    }
    throw error;
  }
}

function isParseArgsError(error: unknown): boolean {
  return error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS');
}
