import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { JavaMissingError, ScaledClock } from '../../local/index.ts';
import { type LocalSystem, SynthError, defaultDataDir, startLocalSystem } from '../../local/system/index.ts';
import { type Command, type CommandHelp, UsageError, stopSignal } from '../command.ts';

/**
 * `merzim start`: the synthesized app on this machine (DynamoDB Local, the local SES and Step
 * Functions, the functions, the HTTP API, the schedules), its data kept in `.local/data`.
 * Serves until SIGINT or SIGTERM.
 */
/** A fixed port, so that the README's curl lines work as written; `--port 0` takes a free one. */
export const DEFAULT_API_PORT = 4010;

/** The Node major the dependencies declare (aws-local-stepfunctions 3; the AWS SDK from January 2027). */
export const NODE_DECLARED = 22;

/** One line for a Node older than the dependencies declare: it runs, and says why it may not for long. */
export function nodeVersionHint(version: string): string | undefined {
  const major = Number(version.split('.')[0]);
  if (!(major < NODE_DECLARED)) return undefined;
  return `merzim start: Node ${version} runs Merzim (a shim stands in for Promise.withResolvers), but its dependencies declare Node >= ${NODE_DECLARED}: upgrade Node when you can.`;
}

export const startOptions = {
  speed: { type: 'string' },
  port: { type: 'string' },
  fresh: { type: 'boolean', default: false },
} as const;

export const startHelp: CommandHelp<typeof startOptions> = {
  synopsis: 'start [--speed N] [--port P] [--fresh]',
  about: 'the whole app here (API, functions, state machines, schedules), its data kept in .local/data; serves until Ctrl-C',
  options: {
    speed: { value: 'N', help: 'run the clock N times faster than real time (default 1)' },
    port: { value: 'P', help: `the API's port (default ${DEFAULT_API_PORT}; 0 takes a free one)` },
    fresh: { help: 'start from no data: forget the obligations and the clock of the last run' },
  },
};

export const startCommand: Command = async (args, io) => {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: startOptions,
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0] ?? ''}"`);
  const speed = values.speed === undefined ? undefined : Number(values.speed);
  if (speed !== undefined && !(Number.isFinite(speed) && speed > 0)) throw new UsageError(`--speed takes a positive number, not "${values.speed ?? ''}"`);
  const port = values.port === undefined ? DEFAULT_API_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new UsageError(`--port takes a port number 0-65535, not "${values.port ?? ''}"`);

  const dataDir = defaultDataDir;
  const persistenceDir = join(dataDir, 'data');
  // The scaled time of the last run: it goes on from there, so time never runs backwards on kept data.
  const clockFile = join(dataDir, 'clock.json');
  const runtimeFile = join(dataDir, 'runtime.json');
  if (values.fresh) {
    rmSync(persistenceDir, { recursive: true, force: true });
    rmSync(clockFile, { force: true });
  }
  mkdirSync(dataDir, { recursive: true });

  const clock = startClock(speed, lastInstant(clockFile));

  const started = Date.now();
  const hint = nodeVersionHint(process.versions.node);
  if (hint !== undefined) io.err(hint);
  io.err('merzim start: synthesizing the app and starting the services…');
  let system: LocalSystem;
  try {
    system = await startLocalSystem({ functionLogLevel: 'INFO',
      ...(clock === undefined ? {} : { clock }),
      persistence: { dir: persistenceDir },
      dataDir,
      port,
      log: (line) => io.err(line),
    });
  } catch (error) {
    if (error instanceof JavaMissingError || error instanceof SynthError) {
      io.err(`merzim start: ${error.message}`);
      return 1;
    }
    throw error;
  }
  io.err(`merzim start: ${Object.entries(system.timings).map(([step, ms]) => `${step} ${(ms / 1000).toFixed(1)} s`).join(', ')}`);
  writeFileSync(runtimeFile, `${JSON.stringify({ apiUrl: system.apiUrl, mailViewerUrl: system.mailViewerUrl, pid: process.pid })}\n`);

  io.out(`Merzim runs on this machine (started in ${((Date.now() - started) / 1000).toFixed(1)} s, data in ${persistenceDir}).`);
  io.out(`  API          ${system.apiUrl}`);
  io.out(`  dashboard    ${system.apiUrl}/dashboard/   (sign in as any demo user)`);
  io.out(`  mail viewer  ${system.mailViewerUrl}   (sent mail as JSON: ${system.mailViewerUrl}/store)`);
  if (clock !== undefined) io.out(`  clock        ${speed ?? 1}× real time, now ${new Date(clock.now()).toISOString()}`);
  io.out('A token (12 h) for a demo user of a role, in another terminal:');
  io.out('  TOKEN=$(npx merzim token --role inspector)');
  io.out(`  curl -H "Authorization: Bearer $TOKEN" ${system.apiUrl}/rules`);
  io.out('Roles: akimat-department, inspector, unit-head, commission-secretary, commission-chair, regional-head, admin. Ctrl-C stops.');

  const signal = await stopSignal();
  io.err(`merzim start: ${signal}, stopping`);
  if (clock !== undefined) writeFileSync(clockFile, `${JSON.stringify({ now: new Date(clock.now()).toISOString() })}\n`);
  await system.stop();
  rmSync(runtimeFile, { force: true });
  return 0;
};

/**
 * The clock of a start: scaled when asked; at real speed, the wall clock, unless a faster run
 * left the kept data ahead of it: then real speed from that instant, since going back would show
 * what already escalated as due this week and leave the overdue empty.
 */
export function startClock(speed: number | undefined, kept: number, realNow: () => number = Date.now): ScaledClock | undefined {
  const now = realNow();
  if (speed !== undefined && speed !== 1) return new ScaledClock(speed, Math.max(now, kept), realNow);
  return kept > now ? new ScaledClock(1, kept, realNow) : undefined;
}

function lastInstant(file: string): number {
  if (!existsSync(file)) return 0;
  try {
    const saved = Date.parse((JSON.parse(readFileSync(file, 'utf8')) as { now?: string }).now ?? '');
    return Number.isFinite(saved) ? saved : 0;
  } catch {
    return 0;
  }
}
