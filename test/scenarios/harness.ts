import { afterAll, beforeAll } from 'vitest';
import { VirtualClock } from '../../local/clock.ts';
import { SystemClient } from '../../local/system/client.ts';
import { startLocalSystem } from '../../local/system/index.ts';

export { type Mail, type ObligationView, recipients } from '../../local/system/client.ts';

/**
 * A scenario runs the whole application as `npm start` does (the synthesized assembly on the
 * embedded runtime) on a virtual clock, and talks to it as its users do (SystemClient).
 * One system per file, started at `start` (the functions' modules, and so their AWS clients, live
 * once per process: a second system in the same file would find them pointing at the first).
 * Schedules are off unless named.
 */
export function scenario(start: string, options: { schedules?: readonly string[]; provision?: boolean } = {}): () => SystemClient {
  let current: SystemClient | undefined;
  beforeAll(async () => {
    const clock = new VirtualClock(start);
    const system = await startLocalSystem({ clock, schedules: options.schedules ?? [], provision: options.provision ?? false, log: () => {} });
    current = new SystemClient(system, clock);
  }, 240_000);
  afterAll(async () => {
    await current?.system.stop();
  }, 60_000);
  return () => {
    if (current === undefined) throw new Error('the scenario has not started');
    return current;
  };
}
