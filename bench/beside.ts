import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { now } from './stats.ts';

/**
 * Two measures in one run at once, where one of them only counts: the cost measure (transitions,
 * units, mails; no time of its own but its handlers' mean) runs beside the work lists' bulk load,
 * which is setup, and uses the core the load leaves idle. The measure beside which another runs
 * is told, by this variable, of a file that appears when the other has ended; its timed calls
 * wait for it (bench/run.ts).
 */
export const BESIDE_ENV = 'MERZIM_BENCH_BESIDE';

/** Resolves once the measure running beside this one has ended: the seconds waited; undefined when none runs beside it. */
export async function besideEnded(): Promise<number | undefined> {
  const marker = process.env[BESIDE_ENV];
  if (marker === undefined || marker === '') return undefined;
  const started = now();
  // Polled: the file is written by the parent process when the other child exits.
  while (!existsSync(marker)) await sleep(200);
  return (now() - started) / 1000;
}
