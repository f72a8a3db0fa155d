import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { VirtualClock } from '../../local/clock.ts';
import { startLocalSystem } from '../../local/system/index.ts';

/**
 * The embedded runtime in a process of its own, for crash.test.ts to kill with SIGKILL: the whole
 * application on DynamoDB Local kept in `<dataDir>/db`, sending through an SES that lives outside
 * (the test's, as AWS's lives outside a crashed Lambda). It says `{"ready":…}` on stdout, then
 * takes lines on stdin: `advance <epoch ms>` moves the virtual clock there and says `{"advanced":…}`
 * when every wake-up due by then has run.
 * Arguments: <dataDir> <sesEndpoint> <start instant> [--no-synth] [--reconcile] [--morning]
 */
const [dataDir, sesEndpoint, start, ...flags] = process.argv.slice(2);
if (dataDir === undefined || sesEndpoint === undefined || start === undefined) throw new Error('usage: crash-host <dataDir> <sesEndpoint> <start> [--no-synth] [--reconcile] [--morning]');

const clock = new VirtualClock(start);
const system = await startLocalSystem({
  clock,
  dataDir,
  persistence: { dir: join(dataDir, 'db') },
  synth: !flags.includes('--no-synth'),
  sesEndpoint,
  // The reconciler's hourly run and the morning mail (`digest`), when asked: on the way to a
  // wake-up days ahead the reconciler would only slow the test.
  schedules: [...(flags.includes('--reconcile') ? ['reconcile'] : []), ...(flags.includes('--morning') ? ['digest'] : [])],
  provision: false,
  log: (line) => process.stderr.write(`${line}\n`),
});
const say = (message: unknown): void => void process.stdout.write(`${JSON.stringify(message)}\n`);
say({ ready: true, apiUrl: system.apiUrl, now: clock.now(), timings: system.timings });

for await (const line of createInterface({ input: process.stdin })) {
  const [command, argument] = line.trim().split(/\s+/);
  if (command === 'advance') {
    const target = Number(argument);
    await clock.advanceTo(target);
    await clock.settle();
    say({ advanced: target });
  } else if (command === 'stop') {
    await system.stop();
    process.exit(0);
  }
}
