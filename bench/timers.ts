import { paginateScan } from '@aws-sdk/client-dynamodb';
import { CreateStateMachineCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { localClientConfig } from '../local/aws.ts';
import { RealClock, VirtualClock } from '../local/clock.ts';
import { HandlerRegistry } from '../local/handlers.ts';
import { startLocalRuntime } from '../local/index.ts';
import { type Section, fmt, inParallel, latencies, now, ratio } from './stats.ts';
import { startBenchSystem } from './system.ts';

/**
 * `n` sss-decision obligations opened through the API with one start instant, so that their
 * reminders fall at one instant; then the virtual clock jumps there (advanceTo resolves when every
 * wake-up and its consequences have settled) and the outbox is counted.
 */
export async function measureVirtualWakeups(n: number): Promise<Record<string, number>> {
  const start = '2026-03-02T10:00:00+05:00';
  const clock = new VirtualClock(start);
  const bench = await startBenchSystem(clock);
  const { system, api, dynamodb } = bench;
  try {
    let reminderAt = Number.NaN;
    const openStart = now();
    await inParallel(Array.from({ length: n }, (_, i) => i), 32, async (i) => {
      const body = await api<{ obligations: { plan: { milestones: { id: string; at: string }[] } }[] }>('POST', '/obligations', {
        rule: 'sss-decision',
        caseRef: `BENCH-T-${i}`,
        org: 'zko-uralsk-akimat-sss',
        start,
      });
      const reminder = body.obligations[0]?.plan.milestones.find((milestone) => milestone.id === 'reminder-1');
      reminderAt = Date.parse(reminder?.at ?? '');
    });
    await clock.settle();
    const openS = (now() - openStart) / 1000;

    const wakeStart = now();
    await clock.advanceTo(reminderAt);
    const wakeS = (now() - wakeStart) / 1000;

    let sent = 0;
    const pages = paginateScan(
      { client: dynamodb },
      {
        TableName: system.table,
        Select: 'COUNT',
        FilterExpression: 'begins_with(sk, :note) AND #status = :sent',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':note': { S: 'NOTE#' }, ':sent': { S: 'sent' } },
      },
    );
    for await (const page of pages) sent += page.Count ?? 0;
    if (sent !== n) throw new Error(`expected ${n} notices sent in the outbox, found ${sent}`);
    return { n, openS, wakeS, sent, wakesPerS: n / wakeS };
  } finally {
    await bench.stop();
  }
}

/**
 * With the real clock: `count` timers due over 5 seconds, (a) as executions of a tiny state
 * machine (Wait on TimestampPath, then a Lambda task that notes when it ran) on the local Step
 * Functions service, (b) as bare RealClock.schedule calls. Lateness: when it ran − when it was due.
 */
export async function measureRealLateness(count: number): Promise<Section> {
  const handlers = new HandlerRegistry();
  const fired: number[] = [];
  let allFired!: () => void;
  const done = new Promise<void>((resolve) => (allFired = resolve));
  handlers.register('bench-fire', async (event) => {
    fired.push(Date.now() - Date.parse((event as { at: string }).at));
    if (fired.length === count) allFired();
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
    const base = Math.ceil(Date.now() / 1000) * 1000 + 3000;
    const targets = Array.from({ length: count }, (_, i) => base + (i % 5) * 1000);
    const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
    await inParallel(targets, 8, async (at, i) => {
      await sfn.send(new StartExecutionCommand({ stateMachineArn, name: `wait-${i}`, input: JSON.stringify({ at: iso(at) }) }));
    });
    await Promise.race([done, new Promise((_, reject) => setTimeout(() => reject(new Error(`only ${fired.length} of ${count} timers fired in 60 s`)), 60_000))]);

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
    const [s, b] = [latencies(fired), latencies(bare)];
    return {
      title: `Timers, real clock: ${count} wake-ups due over 5 s`,
      rows: [
        { figure: 'local Step Functions Wait → Task lateness p50 / p99 (ms)', value: `${fmt(s.p50)} / ${fmt(s.p99)}`, ratio: `+${fmt(s.p99 - b.p99)} ms p99 over the bare clock` },
        { figure: 'bare RealClock.schedule lateness p50 / p99 (ms)', value: `${fmt(b.p50)} / ${fmt(b.p99)}` },
      ],
      notes: [
        `(a) the local Step Functions service with a tiny machine (Wait on TimestampPath, then a Lambda task registered in-process), RealClock; lateness = when the task ran − the Wait's timestamp. ${count} executions, 20 due on each of 5 whole seconds (TimestampPath has whole seconds). (b) RealClock.schedule directly, the same pattern.`,
      ],
      data: { sfn: s, bare: b },
    };
  } finally {
    sfn.destroy();
    await runtime.stop();
  }
}

/** Formats the virtual-clock runs as a section. */
export function virtualSection(runs: readonly Record<string, number>[], skipped?: string): Section {
  const rows = runs.flatMap((run) => {
    const n = run.n ?? 0;
    return [
      { figure: `${n.toLocaleString('en-US')} wake-ups at one instant: until every notice is in the outbox (s)`, value: fmt(run.wakeS ?? 0), ratio: `${fmt(run.wakesPerS ?? 0)} wake-ups/s` },
      { figure: `  setup: ${n.toLocaleString('en-US')} openings through the API, c=32 (s)`, value: fmt(run.openS ?? 0), ratio: `wake-up ${ratio(run.wakeS ?? 0, run.openS ?? 1)} of opening` },
    ];
  });
  return {
    title: 'Timers, virtual clock: wake-ups due at one instant (sss-decision reminders)',
    rows,
    notes: [
      'Every obligation is opened through the API with the same start, so each reminder-1 falls at 09:00 on the same day; each wake-up runs the notify step (read, recipients, outbox claim, SES send, mark sent, audit event) and the execution parks on its next Wait. The outbox is then counted: every notice is `sent`.',
      ...(skipped === undefined ? [] : [skipped]),
    ],
    data: { runs },
  };
}
