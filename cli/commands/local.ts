import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { JavaMissingError, type LocalRuntime, startLocalRuntime } from '../../local/index.ts';
import { type Command, UsageError, stopSignal } from '../command.ts';

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
    options: {
      'in-memory': { type: 'boolean', default: false },
      data: { type: 'string' },
    },
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
