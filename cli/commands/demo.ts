import { parseArgs } from 'node:util';
import { DemoAbortedError, playDemo } from '../../local/demo/story.ts';
import { JavaMissingError } from '../../local/index.ts';
import { SynthError } from '../../local/system/index.ts';
import { type Command, type CommandHelp, UsageError } from '../command.ts';

export const demoOptions = { quiet: { type: 'boolean', default: false } } as const;

export const demoHelp: CommandHelp<typeof demoOptions> = {
  synopsis: 'demo [--quiet]',
  about: 'a scripted story of each rule through the API on a virtual clock: the acts and the notices in time order, then a summary',
  options: { quiet: { help: 'print only the summary' } },
};

/**
 * `merzim demo [--quiet]`: plays a scripted story of each rule through the API of the whole app
 * on a virtual clock (local/demo/story.ts) and prints the acts and the notices in time order,
 * then a summary. `--quiet` prints only the summary. Nothing is kept: the data live in memory.
 */
export const demoCommand: Command = async (args, io) => {
  const { values, positionals } = parseArgs({ args: [...args], allowPositionals: true, options: demoOptions });
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0] ?? ''}"`);
  const quiet = values.quiet;

  const stop = new AbortController();
  const onSignal = (): void => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const started = Date.now();
  if (!quiet) io.err('merzim demo: synthesizing the app and starting the services on a virtual clock…');
  try {
    const lines = await playDemo({
      signal: stop.signal,
      ...(quiet ? {} : { onLine: (line: string) => io.out(line), log: (line: string) => io.err(line) }),
    });
    if (quiet) io.out(lines.at(-1) ?? '');
    if (!quiet) io.err(`merzim demo: played in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return 0;
  } catch (error) {
    if (error instanceof JavaMissingError || error instanceof SynthError || error instanceof DemoAbortedError) {
      io.err(`merzim demo: ${error.message}`);
      return 1;
    }
    throw error;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
};
