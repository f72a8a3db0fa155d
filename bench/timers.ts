import { paginateScan } from '@aws-sdk/client-dynamodb';
import { CreateStateMachineCommand, GetExecutionHistoryCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { localClientConfig } from '../local/aws.ts';
import { RealClock, VirtualClock } from '../local/clock.ts';
import { HandlerRegistry } from '../local/handlers.ts';
import { startLocalRuntime } from '../local/index.ts';
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { Executions } from '../functions/adapters/executions.ts';
import { SesMail } from '../functions/adapters/ses-mail.ts';
import { Store } from '../functions/adapters/store/index.ts';
import { type AppContext, type Caller, STORE_OPTIONS } from '../functions/app/context.ts';
import { morningAfter, sendMorningMail } from '../functions/app/morning.ts';
import { openObligations } from '../functions/app/obligations.ts';
import { ENV } from '../contract/index.ts';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { PEOPLE } from '../local/system/client.ts';
import { kazakhstan } from '../shared/calendar/index.ts';
import { OpenObligationRequestSchema } from '../shared/model/index.ts';
import { type Section, cpuSeconds, fmt, inParallel, latencies, now, ratio } from './stats.ts';
import { itemsOf, loadItems } from './seed.ts';
import { startBenchSystem } from './system.ts';

/** How many openings run at once in the bulk setup, and how many between two settles of the clock. */
const OPEN_CONCURRENCY = 48;
const OPEN_CHUNK = 1_000;

/** The recipients of the bench's notices: one member of one unit each, as a department is (a few people). */
const RECIPIENTS = 500;
const benchUnit = (i: number): string => `bench-sss-${i}`;

/**
 * `n` sss-decision obligations with one start instant, so that their reminders fall at one
 * instant; then the virtual clock jumps there (advanceTo resolves when every wake-up and its
 * consequences have settled) and the outbox is counted: every reminder is queued for the morning
 * mail (the catalog does not mark it urgent). In the same run, on the same local Step Functions
 * service: `floorN` executions of a machine of the same shape (a Wait, then a Task) whose Task
 * does nothing, woken at one instant: the engine's floor, one execution per wake-up. Then the
 * morning job (sendMorningMail) sends what the wake-ups queued: one mail per recipient.
 *
 * The obligations are opened in bulk, not through the HTTP API (~30 openings/s here, which would
 * spend the whole budget on the setup): the open use case itself (functions/app/obligations.ts
 * `openObligations`, with the API's caller and a request the API's schema parsed) writes each
 * obligation and its first event with the Store and starts its execution of the real state
 * machine on the local Step Functions service, under the contract's name and input; each
 * execution parks on its first Wait, as after an opening through the API. They are spread over
 * RECIPIENTS units of one member each (the bench's own units, with no head above them whose
 * digest would list them all), so the morning mail goes to RECIPIENTS people.
 */
export async function measureVirtualWakeups(n: number, floorN: number, morningN: number): Promise<Record<string, number>> {
  const start = '2026-03-02T10:00:00+05:00';
  const clock = new VirtualClock(start);
  const bench = await startBenchSystem(clock);
  const { system, dynamodb, documents } = bench;
  const sfn = new SFNClient(localClientConfig(system.runtime.endpoints.sfn, system.runtime.region));
  const ses = new SESv2Client(localClientConfig(system.runtime.endpoints.ses, system.runtime.region));
  try {
    const prefix = process.env[ENV.stateMachinePrefix];
    if (prefix === undefined) throw new Error(`the system set no ${ENV.stateMachinePrefix}`);
    const from = process.env[ENV.mailFrom];
    if (from === undefined) throw new Error(`the system set no ${ENV.mailFrom}`);
    const store = new Store(documents, system.table, STORE_OPTIONS);
    const recipients = Math.min(RECIPIENTS, n);
    await inParallel(
      Array.from({ length: recipients }, (_, i) => i),
      16,
      async (i) => {
        await store.directory.putOrganisation({ org: benchUnit(i), kind: 'akimat-department', names: { kk: `Бөлім ${i}`, ru: `Отдел ${i}`, en: `Department ${i}` } });
        await store.directory.putMember({ user: `bench.sss-${i}`, org: benchUnit(i), role: 'akimat-department', email: `sss-${i}@bench.demo.kz` });
      },
    );
    // One calendar for the whole setup: every opening asks for it at the same virtual instant.
    const calendar = kazakhstan(await store.calendar.calendarOverrides());
    // Openings send no mail at once: a send here would be a bug.
    const mail = { send: () => Promise.reject(new Error('the bench sends no mail')) };
    const context: AppContext = { store, executions: new Executions(sfn, prefix, () => clock.now()), mail, now: () => clock.now(), calendar: async () => calendar };
    const caller: Caller = { user: PEOPLE.admin.user, groups: PEOPLE.admin.groups, org: PEOPLE.admin.org };

    let reminderAt = Number.NaN;
    const openProfile = await startProfile();
    const openCpu = cpuSeconds();
    const openStart = now();
    for (let from = 0; from < n; from += OPEN_CHUNK) {
      const chunk = Array.from({ length: Math.min(OPEN_CHUNK, n - from) }, (_, i) => from + i);
      await inParallel(chunk, OPEN_CONCURRENCY, async (i) => {
        const request = OpenObligationRequestSchema.parse({ rule: 'sss-decision', caseRef: `BENCH-T-${i}`, org: benchUnit(i % recipients), start });
        const { obligations } = await openObligations(context, caller, request);
        const reminder = obligations[0]?.plan.milestones.find((milestone) => milestone.id === 'reminder-1');
        reminderAt = reminder?.at ?? Number.NaN;
      });
      // The executions start in the background: let them park before the next chunk.
      await clock.settle();
    }
    const openS = (now() - openStart) / 1000;
    const openCpuEnd = cpuSeconds();
    await openProfile?.stop(`open-${n}`);
    const parked = clock.pending;
    if (parked < n) throw new Error(`expected ${n} executions parked on their Wait, found ${parked} wake-ups pending`);

    const profile = await startProfile();
    const wakeCpu = cpuSeconds();
    const wakeStart = now();
    await clock.advanceTo(reminderAt);
    const wakeS = (now() - wakeStart) / 1000;
    const wakeCpuEnd = cpuSeconds();
    await profile?.stop(`wake-${n}`);

    const queued = await countNotices(dynamodb, system.table, 'queued');
    if (queued !== n) throw new Error(`expected ${n} notices queued in the outbox, found ${queued}`);

    // The floor: the same service, a Wait → Task machine whose Task does nothing, woken before
    // the obligations' next milestone (the due instant, hours later) and their morning mail.
    const floor = await measureFloor(system.runtime.handlers, sfn, clock, system.runtime.region, floorN, reminderAt + 10 * 60_000);

    // The morning batch is measured on `morningN` notices: what the wake-ups queued, and copies
    // of it (each copied notice under a copy of its obligation, for the same recipient), written
    // straight to the table. Waking that many would spend the budget on the wake-ups.
    const copies = Math.max(0, Math.ceil(morningN / n) - 1);
    const morningNotices = n * (copies + 1);
    if (copies > 0) await loadItems(bench, await copiesOfQueued(store, copies));

    // The morning job on what is queued, at that day's 09:30.
    const morningAt = morningAfter(calendar, reminderAt);
    const morningDeps = { store, mail: new SesMail(ses, from), now: () => morningAt, calendar: async () => calendar };
    const morningProfile = await startProfile();
    const morningCpu = cpuSeconds();
    const morningStart = now();
    const summary = await sendMorningMail(morningDeps, morningAt);
    const morningS = (now() - morningStart) / 1000;
    await morningProfile?.stop(`morning-${morningNotices}`);
    const morningCpuEnd = cpuSeconds();
    const sent = await countNotices(dynamodb, system.table, 'sent');
    // Every notice sent, each person one mail (the morning mails are outbox items too: `sent`).
    if (summary.notices !== morningNotices || summary.sent !== recipients || sent !== morningNotices + recipients) {
      throw new Error(`the morning batch: expected ${morningNotices} notices in ${recipients} mails, found ${summary.notices} in ${summary.sent} (${sent} sent in the outbox)`);
    }
    const perOp = (from: number, to: number, count = n): number => ((to - from) * 1000) / count;
    return {
      n,
      openS,
      wakeS,
      queued,
      wakesPerS: n / wakeS,
      opensPerS: n / openS,
      openConcurrency: OPEN_CONCURRENCY,
      // CPU ms per opening and per wake-up: this process (the functions, the Step Functions service) and its children (DynamoDB Local, SES).
      openNodeCpuMs: perOp(openCpu.node, openCpuEnd.node),
      openChildCpuMs: perOp(openCpu.children, openCpuEnd.children),
      wakeNodeCpuMs: perOp(wakeCpu.node, wakeCpuEnd.node),
      wakeChildCpuMs: perOp(wakeCpu.children, wakeCpuEnd.children),
      floorN,
      floorS: floor.wakeS,
      floorPerS: floorN / floor.wakeS,
      floorNodeCpuMs: floor.nodeCpuMs,
      floorChildCpuMs: floor.childCpuMs,
      morningNotices: summary.notices,
      morningMails: summary.sent,
      morningCopied: morningNotices - n,
      morningS,
      morningNodeCpuMs: perOp(morningCpu.node, morningCpuEnd.node, morningNotices),
      morningChildCpuMs: perOp(morningCpu.children, morningCpuEnd.children, morningNotices),
    };
  } finally {
    sfn.destroy();
    ses.destroy();
    await bench.stop();
  }
}

/**
 * `copies` copies of every queued notice and of its obligation, as the Store keys them: the
 * obligation under `<id>-c<k>`, its notice for the same recipient at the same milestone.
 */
async function copiesOfQueued(store: Store, copies: number): Promise<Record<string, unknown>[]> {
  const queued = await store.outbox.queuedNotices();
  const obligations = await store.obligations.getObligations(queued.map((notice) => notice.obligationId));
  const items: Record<string, unknown>[] = [];
  for (const notice of queued) {
    const obligation = obligations.get(notice.obligationId);
    if (obligation === undefined) throw new Error(`a queued notice of ${notice.obligationId}, which is not in the table`);
    for (let k = 1; k <= copies; k++) {
      const id = `${obligation.id}-c${k}`;
      items.push(...itemsOf({ ...obligation, id, caseRef: `${obligation.caseRef}-c${k}` }));
      const { Item } = store.outbox.queuedPut({ ...notice, obligationId: id, expiresAt: notice.expiresAt ?? obligation.dueAt });
      items.push(Item);
    }
  }
  return items;
}

/** Outbox items (notices and morning mails) with a status, counted by a scan. */
async function countNotices(dynamodb: Parameters<typeof paginateScan>[0]['client'], table: string, status: 'queued' | 'sent'): Promise<number> {
  let count = 0;
  const pages = paginateScan(
    { client: dynamodb },
    {
      TableName: table,
      Select: 'COUNT',
      FilterExpression: 'begins_with(sk, :note) AND #status = :status',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':note': { S: 'NOTE#' }, ':status': { S: status } },
    },
  );
  for await (const page of pages) count += page.Count ?? 0;
  return count;
}

/**
 * `count` executions of a machine with the timer machines' shape (a Wait on `$.at`, then a
 * Lambda Task) whose Task does nothing, parked, then woken at `at` by the virtual clock: how
 * fast the engine alone wakes them, on the service the real wake-ups ran on.
 */
async function measureFloor(
  handlers: HandlerRegistry,
  sfn: SFNClient,
  clock: VirtualClock,
  region: string,
  count: number,
  at: number,
): Promise<{ wakeS: number; nodeCpuMs: number; childCpuMs: number }> {
  let ran = 0;
  handlers.register('bench-nothing', async () => {
    ran += 1;
    return {};
  });
  const { stateMachineArn } = await sfn.send(
    new CreateStateMachineCommand({
      name: 'bench-floor',
      roleArn: 'arn:aws:iam::000000000000:role/bench',
      definition: JSON.stringify({
        StartAt: 'WaitUntil',
        States: {
          WaitUntil: { Type: 'Wait', TimestampPath: '$.at', Next: 'Nothing' },
          Nothing: { Type: 'Task', Resource: `arn:aws:lambda:${region}:000000000000:function:bench-nothing`, End: true },
        },
      }),
    }),
  );
  const input = JSON.stringify({ at: new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z') });
  const before = clock.pending;
  await inParallel(
    Array.from({ length: count }, (_, i) => i),
    OPEN_CONCURRENCY,
    async (i) => {
      await sfn.send(new StartExecutionCommand({ stateMachineArn, name: `floor-${i}`, input }));
    },
  );
  await clock.settle();
  if (clock.pending < before + count) throw new Error(`expected ${count} do-nothing executions parked, found ${clock.pending - before}`);
  const cpu = cpuSeconds();
  const started = now();
  await clock.advanceTo(at);
  const wakeS = (now() - started) / 1000;
  const cpuEnd = cpuSeconds();
  if (ran !== count) throw new Error(`expected ${count} do-nothing Tasks run, found ${ran}`);
  return { wakeS, nodeCpuMs: ((cpuEnd.node - cpu.node) * 1000) / count, childCpuMs: ((cpuEnd.children - cpu.children) * 1000) / count };
}

/** `BENCH_CPU_PROFILE=DIR`: CPU profiles of the setup and of the wake-ups are written there. */
async function startProfile(): Promise<{ stop(name: string): Promise<void> } | undefined> {
  const dir = process.env.BENCH_CPU_PROFILE;
  if (dir === undefined || dir === '') return undefined;
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    async stop(name) {
      const { profile } = await session.post('Profiler.stop');
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `${name}.cpuprofile`), JSON.stringify(profile));
      session.disconnect();
    },
  };
}

/** How far ahead of the first due instant the executions are started (they must park before it). */
const REAL_LEAD_MS = 4_000;

/**
 * With the real clock: `count` timers due over 5 seconds, (a) as executions of a tiny state
 * machine (Wait on TimestampPath, then a Lambda task that notes when it ran) on the local Step
 * Functions service, (b) as bare RealClock.schedule calls. Lateness: when it ran − when it was due.
 * Only executions that had parked on their Wait before it was due count: one still being started
 * when its instant came measures the starting, not the timer (their number is given).
 */
export async function measureRealLateness(count: number): Promise<Section> {
  const handlers = new HandlerRegistry();
  const fired = new Map<number, number>();
  let allFired!: () => void;
  const done = new Promise<void>((resolve) => (allFired = resolve));
  handlers.register('bench-fire', async (event) => {
    const { at, i } = event as { at: string; i: number };
    fired.set(i, Date.now() - Date.parse(at));
    if (fired.size === count) allFired();
    return {};
  });
  const runtime = await startLocalRuntime({ clock: new RealClock(), handlers });
  const sfn = new SFNClient(localClientConfig(runtime.endpoints.sfn, runtime.region));
  try {
    const { stateMachineArn } = await sfn.send(
      new CreateStateMachineCommand({
        name: 'bench-wait',
        roleArn: 'arn:aws:iam::000000000000:role/bench',
        definition: JSON.stringify({
          StartAt: 'WaitUntil',
          States: {
            WaitUntil: { Type: 'Wait', TimestampPath: '$.at', Next: 'Fire' },
            Fire: { Type: 'Task', Resource: `arn:aws:lambda:${runtime.region}:000000000000:function:bench-fire`, End: true },
          },
        }),
      }),
    );
    const base = Math.ceil((Date.now() + REAL_LEAD_MS) / 1000) * 1000;
    // Started in the order they are due: the first due are parked first.
    const targets = Array.from({ length: count }, (_, i) => base + Math.floor((i * 5) / count) * 1000);
    const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const startedAt = Date.now();
    const arns: string[] = [];
    await inParallel(targets, 8, async (at, i) => {
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, name: `wait-${i}`, input: JSON.stringify({ at: iso(at), i }) }));
      arns[i] = executionArn ?? '';
    });
    const startS = (Date.now() - startedAt) / 1000;
    // The guard's timer is cleared: left running, it would hold the process open for its minute.
    let guard: NodeJS.Timeout | undefined;
    await Promise.race([done, new Promise((_, reject) => (guard = setTimeout(() => reject(new Error(`only ${fired.size} of ${count} timers fired in 60 s`)), 60_000)))]).finally(() =>
      clearTimeout(guard),
    );

    // When each execution entered its Wait (parked), from its history.
    const inTime: number[] = [];
    let parkedLate = 0;
    await inParallel(arns, 8, async (executionArn, i) => {
      const { events = [] } = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
      const entered = events.find((event) => event.type === 'WaitStateEntered')?.timestamp?.getTime() ?? Number.POSITIVE_INFINITY;
      if (entered <= (targets[i] ?? 0)) inTime.push(fired.get(i) ?? Number.NaN);
      else parkedLate += 1;
    });

    // The same instants on the bare clock.
    const bare: number[] = [];
    const clock = new RealClock();
    const bareBase = Math.ceil(Date.now() / 1000) * 1000 + 1000;
    await new Promise<void>((resolve) => {
      for (let i = 0; i < count; i++) {
        const at = bareBase + (i % 5) * 1000;
        clock.schedule(at, async () => {
          bare.push(Date.now() - at);
          if (bare.length === count) resolve();
        });
      }
    });
    const [s, b] = [latencies(inTime), latencies(bare)];
    const all = latencies([...fired.values()]);
    return {
      title: `Timers, real clock: ${count} wake-ups due over 5 s`,
      rows: [
        { figure: 'local Step Functions Wait → Task lateness p50 / p99 (ms)', value: `${fmt(s.p50)} / ${fmt(s.p99)}`, ratio: `+${fmt(s.p99 - b.p99)} ms p99 over the bare clock` },
        { figure: 'bare RealClock.schedule lateness p50 / p99 (ms)', value: `${fmt(b.p50)} / ${fmt(b.p99)}` },
      ],
      notes: [
        `(a) the local Step Functions service with a tiny machine (Wait on TimestampPath, then a Lambda task registered in-process), RealClock; lateness = when the task ran − the Wait's timestamp. ${count} executions, 20 due on each of 5 whole seconds (TimestampPath has whole seconds), started in the order they are due, the first due ${fmt(REAL_LEAD_MS / 1000)} s or more after the first start. (b) RealClock.schedule directly, the same pattern.`,
        parkedLate === 0
          ? `Starting the ${count} executions (8 at a time) took ${fmt(startS)} s; every one had parked on its Wait before it was due.`
          : `Starting the ${count} executions (8 at a time) took ${fmt(startS)} s; ${parkedLate} had not parked on their Wait when it was due and are left out (with them: p50 / p99 ${fmt(all.p50)} / ${fmt(all.p99)} ms).`,
      ],
      data: { sfn: s, bare: b, all, parkedLate, startS },
    };
  } finally {
    sfn.destroy();
    await runtime.stop();
  }
}

/** Formats the virtual-clock runs as a section. */
export function virtualSection(runs: readonly Record<string, number>[]): Section {
  const rows = runs.flatMap((run) => {
    const n = (run.n ?? 0).toLocaleString('en-US');
    const floorN = (run.floorN ?? 0).toLocaleString('en-US');
    return [
      {
        figure: `${n} wake-ups at one instant: until every notice is queued (s)`,
        value: fmt(run.wakeS ?? 0),
        ratio: `${fmt(run.wakesPerS ?? 0)} wake-ups/s; ${fmt((run.wakesPerS ?? 0) / (run.floorPerS ?? 1))}× the do-nothing machine (goal ≥ 0.7×)`,
      },
      { figure: `  CPU per wake-up (ms): this process / DynamoDB Local and SES`, value: `${fmt(run.wakeNodeCpuMs ?? 0)} / ${fmt(run.wakeChildCpuMs ?? 0)}` },
      { figure: `the do-nothing machine (Wait → empty Task), ${floorN} at one instant (s)`, value: fmt(run.floorS ?? 0), ratio: `${fmt(run.floorPerS ?? 0)} wake-ups/s: the engine's floor` },
      { figure: `  CPU per do-nothing wake-up (ms): this process / DynamoDB Local`, value: `${fmt(run.floorNodeCpuMs ?? 0)} / ${fmt(run.floorChildCpuMs ?? 0)}` },
      {
        figure: `${(run.morningNotices ?? 0).toLocaleString('en-US')} notices through the morning batch (s)`,
        value: fmt(run.morningS ?? 0),
        ratio: `${fmt(run.morningMails ?? 0)} mails, one per recipient (goal ≤ 10 s)`,
      },
      {
        figure: `  setup: ${n} openings by the open use case, ${run.openConcurrency ?? '?'} at a time (s)`,
        value: fmt(run.openS ?? 0),
        ratio: `${fmt(run.opensPerS ?? 0)} openings/s; wake-up ${ratio(run.wakeS ?? 0, run.openS ?? 1)} of opening`,
      },
    ];
  });
  return {
    title: 'Timers, virtual clock: wake-ups due at one instant (sss-decision reminders) and the morning batch',
    rows,
    notes: [
      `Setup, not through the HTTP API (~30 openings/s here, which would spend the budget on the setup): the open use case itself (openObligations with the API caller and a request parsed by the API schema) writes each obligation and its first event with the Store and starts its execution of the real sss-decision state machine on the local Step Functions service, under the contract name and input; each execution parks on its first Wait (its instants come in its input). The obligations share one start, so every reminder-1 falls at 09:00 on the same day; they are spread over ${RECIPIENTS} units of one member each.`,
      'The virtual clock then jumps there: each wake-up resumes its execution, runs the notify step (one read of the obligation, one of its unit\'s members, one transaction: the new version, the `reminded` entry, the notice queued for the morning mail) and parks the execution on its next Wait. The outbox is then counted: every notice is `queued`.',
      'The do-nothing machine, in the same run on the same local Step Functions service: a Wait on `$.at`, then a Lambda Task registered in-process that returns at once; its executions are started, parked, and woken at one instant like the real ones. Its rate is the floor of one execution per wake-up; the ratio is the real rate over it.',
      `The morning batch: the morning job (sendMorningMail) at that day's 09:30 on what the wake-ups queued and ${(runs[0]?.morningCopied ?? 0).toLocaleString('en-US')} copies of it (each queued notice copied under a copy of its obligation, for the same recipient, written straight to the table): it reads the queue and the obligations, writes each person's mail (one per recipient, ${RECIPIENTS} here) through the local SES, and marks the notices sent; the outbox is then counted.`,
      'CPU per wake-up is what this process (the functions, the Step Functions service, the SDK clients) and its children (the Java DynamoDB Local, the local SES) used during the jump, over the wake-ups: less sensitive to a shared machine than the wall time.',
    ],
    data: { runs },
  };
}
