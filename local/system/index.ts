import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { SFNClient } from '@aws-sdk/client-sfn';
import { ENV, type FunctionName } from '../../contract/index.ts';
import { lendClock } from '../../functions/adapters/clock.ts';
import type { Directory } from '../../shared/base/index.ts';
import { localClientConfig } from '../aws.ts';
import { type Clock, RealClock, VirtualClock } from '../clock.ts';
import { LocalStreamReader } from '../streams.ts';
import type { Persistence } from '../dynamodb.ts';
import { HandlerRegistry, type LambdaContext, type LambdaHandler } from '../handlers.ts';
import { type LocalRuntime, startLocalRuntime } from '../index.ts';
import { FaultyEndpoint } from '../faults.ts';
import { type RunningApi, startApiServer } from './api.ts';
import { type SesEventRelay, relaySesEvents } from './ses-events.ts';
import { loadOrCreateCursorKey } from './cursor-key.ts';
import { deployStack, importHandler, sharedEnvironment } from './deploy.ts';
import { loadDirectory, readDirectory } from './directory.ts';
import { type RunningSchedules, type ScheduleSelection, runSchedules, scheduleInput, selectSchedules } from './schedules.ts';
import { type FunctionDescription, type StackDescription, describeStack, readTemplate } from './stack.ts';
import { STACK_NAME, projectRoot, synthesize } from './synth.ts';
import { type TokenRequest, loadOrCreateKeys, localTokens } from './tokens.ts';

export { ScaledClock } from '../clock.ts';
export { LOCAL_AUDIENCE, LOCAL_ISSUER, apiGatewayClaims, loadOrCreateKeys, localTokens, signToken, verifyToken, type TokenRequest } from './tokens.ts';
export { DEMO_DIRECTORY_PATH, readDirectory } from './directory.ts';
export { SynthError, synthesize } from './synth.ts';

/** `.local/` of the working tree: data, keys, the cloud assembly. Git-ignored. */
export const defaultDataDir = join(projectRoot, '.local');

export interface LocalSystemOptions<C extends Clock = Clock> {
  /** Real time unless given (a `VirtualClock` in tests, a `ScaledClock` for `--speed`). */
  readonly clock?: C;
  /** DynamoDB Local's data: in memory unless a folder is given. */
  readonly persistence?: Persistence;
  /** Where keys and the cloud assembly live: `.local` of the working tree unless given. */
  readonly dataDir?: string;
  /** Which schedules run: all (default), none, or those named (schedule name or function: `digest`). */
  readonly schedules?: ScheduleSelection;
  /** The organisation directory to load: the demo one unless given; false loads none. */
  readonly directory?: Directory | false;
  /** The API's port on 127.0.0.1; 0 (default) takes a free one. */
  readonly port?: number;
  /** The cloud assembly: synthesized into `<dataDir>/cdk.out` unless given. */
  readonly assemblyDir?: string;
  /** Use this assembly as it is, without synthesizing (a test's hand-made template). */
  readonly synth?: boolean;
  /** Invoke the provision function once at start (default true). */
  readonly provision?: boolean;
  /** Where the system says what it does: stderr unless given. */
  readonly log?: (line: string) => void;
  /**
   * The functions' log level (Powertools, POWERTOOLS_LOG_LEVEL): WARN unless given, so tests and
   * the demo stay quiet; `merzim start` shows INFO, each request and step on one JSON line.
   */
  readonly functionLogLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  /** An SES already running to send through (see LocalRuntimeOptions.sesEndpoint). */
  readonly sesEndpoint?: string;
  /** How long Step Functions keeps a closed execution, in days: 90 unless given, as AWS does. */
  readonly executionRetentionDays?: number;
  /**
   * Put a FaultyEndpoint between the functions and DynamoDB Local, and one between them and the
   * local SES, for a test to make fail (`system.faults`). The services themselves are untouched.
   */
  readonly faults?: boolean;
}

export interface LocalSystem<C extends Clock = Clock> {
  readonly apiUrl: string;
  /** The local SES: the viewer at `/`, the mailbox as JSON at `/store`. */
  readonly mailViewerUrl: string;
  readonly runtime: LocalRuntime<C>;
  readonly stack: StackDescription;
  /** The table the functions use (TABLE_NAME). */
  readonly table: string;
  /** Signs a token the API accepts. */
  signToken(request: TokenRequest): Promise<string>;
  /** Invokes a function in-process by its name or its role in the contract (`digest`). */
  invoke(functionNameOrRole: string, event?: unknown): Promise<unknown>;
  /**
   * The table's stream as its Pipes read it (local/streams.ts), when the stack has one: paused,
   * its records are dropped as a Pipe that gave up drops them, until resumed; held, they wait
   * unread until released. `skipToEnd`: what it holds now is passed over unread (a bulk load's
   * records).
   */
  readonly streams?: { pause(): void; resume(): void; hold(): void; release(): void; skipToEnd(): Promise<void> };
  /** The fault proxies, when started with `faults: true`. */
  readonly faults?: { readonly dynamodb: FaultyEndpoint; readonly ses: FaultyEndpoint };
  /** Publishes SES's Send events for what the mailbox holds now (it also does so every half second). */
  flushMailEvents(): Promise<void>;
  /** How long each step of the start took, in ms. */
  readonly timings: Readonly<Record<string, number>>;
  stop(): Promise<void>;
}

/**
 * Runs the synthesized app on this machine: DynamoDB Local, the local SES and Step Functions
 * (startLocalRuntime), the template's tables, functions and state machines, the demo directory,
 * the HTTP API and the schedules. `stop()` ends all of it.
 */
export async function startLocalSystem<C extends Clock = RealClock>(options: LocalSystemOptions<C> = {}): Promise<LocalSystem<C>> {
  const timings: Record<string, number> = {};
  let mark = Date.now();
  const lap = (name: string): void => {
    const now = Date.now();
    timings[name] = now - mark;
    mark = now;
  };
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const dataDir = resolve(options.dataDir ?? defaultDataDir);
  const clock = options.clock ?? (new RealClock() as Clock as C);
  const account = '000000000000';

  const assemblyDir = resolve(options.assemblyDir ?? join(dataDir, 'cdk.out'));
  const templatePath =
    options.synth === false ? join(assemblyDir, `${STACK_NAME}.template.json`) : (await synthesize({ outdir: assemblyDir })).templatePath;
  lap('synth');

  const runtimeRegion = 'eu-central-1';
  const stack = describeStack(readTemplate(templatePath), assemblyDir, { region: runtimeRegion, account, stackName: STACK_NAME });
  const environment = sharedEnvironment(stack.functions);
  const tokens = localTokens(await loadOrCreateKeys(join(dataDir, 'keys')));

  // Every function is registered before the runtime starts (a wait kept from an earlier start may
  // fire at once), but runs only when the stack is deployed and its bundle imported.
  const registry = new HandlerRegistry();
  let openGate!: () => void;
  let failGate!: (error: unknown) => void;
  const gate = new Promise<void>((resolveGate, rejectGate) => {
    openGate = resolveGate;
    failGate = rejectGate;
  });
  gate.catch(() => {});
  const handlers = new Map<string, LambdaHandler>();
  // The functions the table's stream feeds (a Pipe's target): what they write is not read back for them.
  const streamTargets = new Set(stack.pipes.map((pipe) => pipe.functionName));
  let reader: LocalStreamReader | undefined;
  const streamed = (): void => {
    if (reader !== undefined) clock.track(reader.drain());
  };
  for (const fn of stack.functions) {
    // With the template's Timeout: a step that outlasts it fails as on AWS (Sandbox.Timedout).
    registry.register(
      fn.name,
      async (event, context) => {
        await gate;
        const handler = handlers.get(fn.name);
        if (handler === undefined) throw new Error(`function ${fn.name} is not loaded`);
        try {
          return await handler(event, context);
        } finally {
          // What it wrote reaches the stream's targets as work of the clock's, before its caller
          // hears back: a test that settles the clock waits for the timers it started.
          if (!streamTargets.has(fn.name)) streamed();
        }
      },
      { timeoutSeconds: fn.timeoutMs / 1000 },
    );
  }

  const savedEnv = new Map<string, string | undefined>();
  const setEnv = (values: Readonly<Record<string, string>>): void => {
    for (const [key, value] of Object.entries(values)) {
      if (!savedEnv.has(key)) savedEnv.set(key, process.env[key]);
      process.env[key] = value;
    }
  };
  const restoreEnv = (): void => {
    for (const [key, value] of savedEnv) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    savedEnv.clear();
  };

  const runtime = await startLocalRuntime<C>({
    clock,
    handlers: registry,
    persistence: options.persistence ?? 'memory',
    region: runtimeRegion,
    account,
    ...(options.sesEndpoint === undefined ? {} : { sesEndpoint: options.sesEndpoint }),
    ...(options.executionRetentionDays === undefined ? {} : { executionRetentionDays: options.executionRetentionDays }),
  });
  lap('runtime');

  let api: RunningApi | undefined;
  let schedules: RunningSchedules | undefined;
  let relay: SesEventRelay | undefined;
  const faults = options.faults === true ? { dynamodb: new FaultyEndpoint(runtime.endpoints.dynamodb), ses: new FaultyEndpoint(runtime.endpoints.ses) } : undefined;
  const dynamodb = new DynamoDBClient(localClientConfig(runtime.endpoints.dynamodb, runtime.region));
  const streams = new DynamoDBStreamsClient(localClientConfig(runtime.endpoints.dynamodb, runtime.region));
  let polling: NodeJS.Timeout | undefined;
  const sfn = new SFNClient(localClientConfig(runtime.endpoints.sfn, runtime.region));
  const stopAll = async (): Promise<void> => {
    clearInterval(polling);
    await reader?.drain();
    reader = undefined;
    schedules?.stop();
    await relay?.stop();
    await api?.stop();
    await faults?.dynamodb.stop();
    await faults?.ses.stop();
    failGate(new Error('the local system stopped'));
    await runtime.stop();
    dynamodb.destroy();
    streams.destroy();
    sfn.destroy();
    lendClock(undefined);
    restoreEnv();
  };

  try {
    await deployStack(stack, { dynamodb, sfn }, account);
    const functionEndpoints =
      faults === undefined ? {} : { AWS_ENDPOINT_URL_DYNAMODB: await faults.dynamodb.start(), AWS_ENDPOINT_URL_SESV2: await faults.ses.start() };
    setEnv({
      ...environment,
      // The stack resolves the secret at deploy (a dynamic reference); locally a key of the data directory.
      [ENV.cursorKey]: loadOrCreateCursorKey(join(dataDir, 'keys')),
      ...runtime.env,
      ...functionEndpoints,
      // Any other service fails here, never in AWS.
      AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
      POWERTOOLS_LOG_LEVEL: options.functionLogLevel ?? 'WARN',
    });
    lendClock(() => clock.now());
    for (const fn of stack.functions) handlers.set(fn.name, await importHandler(fn));
    // SES's Send events for the mail already sent, before any step runs: after a crash they tell
    // which notices in doubt went out (functions/app/mail-events.ts).
    const mailEvents = stack.functions.find((fn) => fn.role === 'mail-events');
    if (mailEvents !== undefined) {
      const publish = (event: unknown): Promise<unknown> => {
        const handler = handlers.get(mailEvents.name);
        if (handler === undefined) throw new Error(`function ${mailEvents.name} is not loaded`);
        return handler(event, lambdaContext(mailEvents));
      };
      relay = relaySesEvents({ endpoint: runtime.endpoints.ses, publish, now: () => clock.now(), log });
      await relay.flush();
    }
    openGate();
    reader = await readStreams(stack, { dynamodb, streams }, (name, event) => {
      const handler = registry.resolve(name)?.handler;
      const fn = stack.functions.find((candidate) => candidate.name === name);
      if (handler === undefined || fn === undefined) throw new Error(`function ${name} is not registered`);
      return handler(event, lambdaContext(fn));
    }, log);
    // On a clock that runs by itself, writes made by no function (the CLI, a person at the
    // table) reach the stream's targets too, within a second.
    if (!(clock instanceof VirtualClock) && reader !== undefined) {
      polling = setInterval(streamed, 1000);
      polling.unref();
    }
    lap('deploy');

    const table = environment[ENV.table] ?? stack.tables[0]?.name;
    if (table === undefined) throw new Error('the stack has no table');
    const directory = options.directory ?? readDirectory();
    if (directory !== false) {
      const added = await loadDirectory(dynamodb, table, directory);
      if (added > 0) log(`merzim: directory: ${added} organisations and members added to ${table}`);
    }
    lap('directory');

    const byRole = new Map<string, FunctionDescription>();
    for (const fn of stack.functions) if (fn.role !== undefined) byRole.set(fn.role, fn);
    const roles = new Map(stack.functions.map((fn) => [fn.name, fn.role ?? fn.name]));
    const find = (nameOrRole: string): FunctionDescription | undefined =>
      stack.functions.find((fn) => fn.name === nameOrRole) ?? byRole.get(nameOrRole as FunctionName);
    const invoke = async (nameOrRole: string, event: unknown = {}): Promise<unknown> => {
      const fn = find(nameOrRole);
      if (fn === undefined) throw new Error(`no function "${nameOrRole}" in the stack`);
      const handler = registry.resolve(fn.name)?.handler;
      if (handler === undefined) throw new Error(`function ${fn.name} is not registered`);
      return handler(event, lambdaContext(fn));
    };

    if (options.provision !== false && byRole.has('provision')) {
      const provisionSchedule = stack.schedules.find((schedule) => roles.get(schedule.functionName) === 'provision');
      try {
        await invoke('provision', scheduleInput(provisionSchedule?.input, clock.now()));
      } catch (error) {
        log(`merzim: provision failed, going on: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    lap('provision');

    api = await startApiServer({
      routes: stack.routes,
      resolve: (name) => registry.resolve(name)?.handler,
      verify: (token) => tokens.verify(token),
      clock,
      port: options.port ?? 0,
      region: runtime.region,
      account,
      log,
      dashboard: { sign: (request) => tokens.sign(request), ...(directory === false ? {} : { directory }) },
    });
    schedules = runSchedules(selectSchedules(stack.schedules, options.schedules ?? true, roles), clock, async (schedule, instant) => {
      try {
        await invoke(schedule.functionName, scheduleInput(schedule.input, instant));
      } catch (error) {
        log(`merzim: schedule ${schedule.name} at ${new Date(instant).toISOString()} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    });
    // Mails link to the dashboard this API serves, not to the template's CloudFront distribution.
    setEnv({ [ENV.dashboardUrl]: `${api.url}/dashboard/` });
    lap('api');

    const apiUrl = api.url;
    const streamControl = reader === undefined ? undefined : { pause: () => reader?.pause(), resume: () => reader?.resume(), hold: () => reader?.hold(), release: () => reader?.release(), skipToEnd: () => reader?.skipToEnd() ?? Promise.resolve() };
    return {
      apiUrl,
      ...(streamControl === undefined ? {} : { streams: streamControl }),
      mailViewerUrl: runtime.endpoints.ses,
      runtime,
      stack,
      table,
      timings,
      signToken: (request) => tokens.sign(request),
      invoke,
      ...(faults === undefined ? {} : { faults }),
      flushMailEvents: () => relay?.flush() ?? Promise.resolve(),
      stop: stopAll,
    };
  } catch (error) {
    await stopAll().catch(() => {});
    throw error;
  }
}

/** A reader of each table stream the stack's Pipes read (one table here), handing their targets what passes. */
async function readStreams(
  stack: StackDescription,
  clients: { dynamodb: DynamoDBClient; streams: DynamoDBStreamsClient },
  invoke: (functionName: string, event: unknown) => Promise<unknown>,
  log: (line: string) => void,
): Promise<LocalStreamReader | undefined> {
  const [first] = stack.pipes;
  if (first === undefined) return undefined;
  if (stack.pipes.some((pipe) => pipe.table !== first.table)) throw new Error('the local runtime reads one table\'s stream');
  const { Table } = await clients.dynamodb.send(new DescribeTableCommand({ TableName: first.table }));
  const streamArn = Table?.LatestStreamArn;
  if (streamArn === undefined) throw new Error(`the table ${first.table} has no stream for the pipe ${first.name}`);
  return LocalStreamReader.open(
    clients.streams,
    streamArn,
    stack.pipes.map((pipe) => ({ name: pipe.name, batchSize: pipe.batchSize, patterns: pipe.patterns, deliver: async (records) => void (await invoke(pipe.functionName, records)) })),
    log,
  );
}

function lambdaContext(fn: FunctionDescription): LambdaContext {
  const deadline = Date.now() + fn.timeoutMs;
  return {
    functionName: fn.name,
    invokedFunctionArn: fn.arn,
    awsRequestId: randomUUID(),
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
}
