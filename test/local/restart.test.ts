import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetExecutionHistoryCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, expect, test, vi } from 'vitest';
import { HandlerRegistry, VirtualClock, localClientConfig, startLocalRuntime } from '../../local/index.ts';
import { WAIT_THEN_TASK_EVENTS, createMachine, describe, lambdaArn } from './support.ts';

// Real services can be slow to answer on a busy CI machine; no test waits on time itself.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const dir = mkdtempSync(join(tmpdir(), 'merzim-restart-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const start = Date.parse('2026-03-02T04:00:00Z');
const days = (n: number): number => n * 24 * 60 * 60 * 1000;

test('a restart of the whole runtime in the middle of a 30-day wait loses nothing, and the wait fires once', { timeout: 120_000 }, async () => {
  const notified: number[] = [];
  const handlers = (): HandlerRegistry =>
    new HandlerRegistry().register('notify-secretary', async () => {
      notified.push(clock.now());
      return { sent: true };
    });

  // First life: start the execution, let ten of its thirty days pass, stop everything.
  let clock = new VirtualClock(start);
  const first = await startLocalRuntime({ clock, handlers: handlers(), persistence: { dir } });
  const firstClock = clock;
  let sfn = new SFNClient(localClientConfig(first.endpoints.sfn, first.region));
  const machine = await createMachine(sfn, 'protective-order', {
    StartAt: 'WaitForExpiry',
    States: {
      WaitForExpiry: { Type: 'Wait', Seconds: 30 * 24 * 60 * 60, Next: 'NotifySecretary' },
      NotifySecretary: { Type: 'Task', Resource: lambdaArn('notify-secretary'), End: true },
    },
  });
  const { executionArn } = await sfn.send(
    new StartExecutionCommand({ stateMachineArn: machine, name: 'PO-7-r1', input: '{"ref":"PO-7"}' }),
  );
  await clock.advanceTo(start + days(10));
  sfn.destroy();
  await first.stop();
  // The stopped service's timers are gone with it.
  await firstClock.advanceTo(start + days(40));
  expect(notified).toEqual([]);

  // Second life, on the same data: the wait is still there and ends on day 30, once.
  clock = new VirtualClock(start + days(10));
  const second = await startLocalRuntime({ clock, handlers: handlers(), persistence: { dir } });
  try {
    sfn = new SFNClient(localClientConfig(second.endpoints.sfn, second.region));
    expect((await describe(sfn, executionArn!)).status).toBe('RUNNING');
    await clock.advanceTo(start + days(30) - 1);
    expect(notified).toEqual([]);
    await clock.advanceTo(start + days(60));
    expect(notified).toEqual([start + days(30)]);

    const done = await describe(sfn, executionArn!);
    expect(done.status).toBe('SUCCEEDED');
    expect(done.startDate?.getTime()).toBe(start);
    const { events } = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    expect(events?.map((event) => event.type)).toEqual([...WAIT_THEN_TASK_EVENTS, 'ExecutionSucceeded']);
    sfn.destroy();
  } finally {
    await second.stop();
  }
});
