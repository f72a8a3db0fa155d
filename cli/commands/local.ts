import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { JavaMissingError, type LocalRuntime, startLocalRuntime } from '../../local/index.ts';
import { type Command, type CommandHelp, UsageError, stopSignal } from '../command.ts';

export const localOptions = {
  'in-memory': { type: 'boolean', default: false },
  data: { type: 'string' },
} as const;

export const localHelp: CommandHelp<typeof localOptions> = {
  synopsis: 'local [--in-memory | --data DIR]',
  about: 'DynamoDB Local, the local SES and the local Step Functions service here; prints their URLs as JSON, serves until Ctrl-C',
  options: {
    'in-memory': { help: 'keep nothing: the data live in memory' },
    data: { value: 'DIR', help: 'where DynamoDB Local keeps its data (default .local/dynamodb)' },
  },
};

/** DynamoDB Local's data for `npm start`: in the working tree, git-ignored, kept across runs. */
const defaultDataDir = fileURLToPath(new URL('../../.local/dynamodb', import.meta.url));

/**
 * `merzim local`: DynamoDB Local, the local SES and the local Step Functions service, alone.
 * Prints one JSON line with their URLs, then serves until SIGINT or SIGTERM.
 */
export const localCommand: Command = async (args, io) => {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: localOptions,
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0] ?? ''}"`);
  if (values['in-memory'] && values.data !== undefined) throw new UsageError('give --in-memory or --data DIR, not both');

  let runtime: LocalRuntime;
  try {
    runtime = await startLocalRuntime({
      persistence: values['in-memory'] ? 'memory' : { dir: values.data ?? defaultDataDir },
    });
  } catch (error) {
    if (error instanceof JavaMissingError) {
      io.err(`merzim local: ${error.message}`);
      return 1;
    }
    throw error;
  }
  io.out(JSON.stringify(runtime.endpoints));

  const signal = await stopSignal();
  io.err(`merzim local: ${signal}, stopping`);
  await runtime.stop();
  return 0;
};
