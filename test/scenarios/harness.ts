import { afterAll, beforeAll, vi } from 'vitest';
import { VirtualClock } from '../../local/clock.ts';
import { type Mail, SystemClient } from '../../local/system/client.ts';
import { startLocalSystem } from '../../local/system/index.ts';

export { type Mail, type ObligationView, recipients } from '../../local/system/client.ts';

/**
 * A step of a scenario runs the whole application (every timer due by the instant, each through
 * the local Step Functions service and DynamoDB Local): seconds on a quiet machine, many more on a
 * shared one. Vitest's 5 s would fail a correct step for being slow; each step still waits for
 * states (VirtualClock.settle), never for a duration.
 */
vi.setConfig({ testTimeout: 120_000 });
/** Starting a system bundles the functions and starts DynamoDB Local: minutes on a busy machine. */
const START_TIMEOUT_MS = 600_000;

/**
 * A scenario runs the whole application as `npm start` does (the synthesized assembly on the
 * embedded runtime) on a virtual clock, and talks to it as its users do (SystemClient).
 * One system per file, started at `start` (the functions' modules, and so their AWS clients, live
 * once per process: a second system in the same file would find them pointing at the first).
 * Schedules are off unless named. With `faults`, the functions reach DynamoDB and SES through
 * proxies a step may make fail (`run().system.faults`, local/faults.ts).
 */
export function scenario(start: string, options: { schedules?: readonly string[]; provision?: boolean; faults?: boolean } = {}): () => SystemClient {
  let current: SystemClient | undefined;
  beforeAll(async () => {
    const clock = new VirtualClock(start);
    const system = await startLocalSystem({
      clock,
      schedules: options.schedules ?? [],
      provision: options.provision ?? false,
      faults: options.faults ?? false,
      log: () => {},
    });
    current = new SystemClient(system, clock);
  }, START_TIMEOUT_MS);
  afterAll(async () => {
    await current?.system.stop();
  }, 60_000);
  return () => {
    if (current === undefined) throw new Error('the scenario has not started');
    return current;
  };
}

// The morning mail (issue 15): what a person reads in it, notice by notice.

/** A morning mail's or a digest's subject: a notice's own begins with its headline. */
const isMorningMail = (mail: Mail): boolean => mail.subject.startsWith('Merzim:');
/** Where a morning mail's digest begins (shared/i18n/morning.ts). */
const DIGEST_RULE = '\n\n——————\n\n';

/**
 * Every notice a person received, as it would have come alone: a mail sent at once is one; a
 * morning mail carries several, each under its own subject line; a digest carries none.
 */
export function noticesIn(mail: readonly Mail[]): Mail[] {
  return mail.flatMap((item) => {
    if (!isMorningMail(item)) return [item];
    const [notices = ''] = item.text.split(DIGEST_RULE);
    return notices
      .split(/^—— \d+ \/ \d+ ——\n/m)
      .slice(1)
      .map((part) => {
        const [subject = '', , ...text] = part.trimEnd().split('\n');
        return { to: item.to, subject, text: text.join('\n') };
      });
  });
}

/** Every digest a person received: alone, or at the end of his morning mail (with that mail's subject). */
export function digestsIn(mail: readonly Mail[]): Mail[] {
  return mail.flatMap((item) => {
    if (!isMorningMail(item)) return [];
    if (!item.text.startsWith('—— ')) return [item];
    const [, digest] = item.text.split(DIGEST_RULE);
    return digest === undefined ? [] : [{ to: item.to, subject: item.subject, text: digest }];
  });
}
