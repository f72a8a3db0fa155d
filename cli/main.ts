import { InputError } from '../shared/model/errors.ts';
import type { Command, CommandIo } from './command.ts';
import { calendarCommand } from './commands/calendar.ts';
import { demoCommand } from './commands/demo.ts';
import { dueCommand } from './commands/due.ts';
import { localCommand } from './commands/local.ts';
import { planCommand } from './commands/plan.ts';
import { rulesCommand } from './commands/rules.ts';
import { startCommand } from './commands/start.ts';
import { tokenCommand } from './commands/token.ts';

const commands: Readonly<Record<string, Command>> = {
  due: dueCommand,
  calendar: calendarCommand,
  rules: rulesCommand,
  local: localCommand,
  start: startCommand,
  token: tokenCommand,
  plan: planCommand,
  demo: demoCommand,
};

const usage = `usage: merzim <command> [options]
  due RULE --start INSTANT [--variant V] [--count N] [--closes HH:MM] [--explain [--lang kk|ru|en]]
                                  the plan of one obligation as JSON; --explain: how its due date was counted
  calendar --year YYYY            non-working weekdays and working weekend days
  rules                           the statutory catalog as JSON
  local [--in-memory | --data DIR]  DynamoDB Local, SES and Step Functions here; prints their URLs
  start [--speed N] [--port P] [--fresh]
                                  the whole app here (API, functions, state machines, schedules)
  token --role ROLE [--user U] [--org ORG] [--hours H]
                                  a token for the API of merzim start
  plan import FILE [--plan REF --issued-by ORG --from DATE --until DATE] [--api URL] [--token T] [--dry-run]
                                  checks an action plan (JSON or CSV) and opens its obligations
  demo [--quiet]                  a scripted story of each rule through the API on a virtual clock`;

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
  try {
    return await command(rest, io);
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
