import { ListExecutionsCommand, StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { expect, test, vi } from 'vitest';
import { VirtualClock } from '../../local/index.ts';
import { createMachine, lambdaArn, startTestService, sharedDynamoDbLocal } from './support.ts';

// Real services can be slow to answer on a busy CI machine; no test waits on time itself.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const dynamodb = sharedDynamoDbLocal();

const start = Date.parse('2026-03-02T04:00:00Z');
const minutes = (n: number): number => n * 60 * 1000;
const days = (n: number): number => n * 24 * 60 * 60 * 1000;

async function listAll(sfn: SFNClient, stateMachineArn: string, statusFilter: 'RUNNING' | 'SUCCEEDED'): Promise<string[]> {
  const names: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(new ListExecutionsCommand({ stateMachineArn, statusFilter, maxResults: 1000, nextToken }));
    names.push(...(page.executions ?? []).map((execution) => execution.name!));
    nextToken = page.nextToken;
  } while (nextToken !== undefined);
  return names;
}

test('1,000 parked executions all fire, once each and in time order, on one clock jump', { timeout: 120_000 }, async () => {
  const clock = new VirtualClock(start);
  const { sfn, handlers, stop } = await startTestService(dynamodb.endpoint(), clock);
  try {
    const reminded: { ref: string; at: number }[] = [];
    handlers.register('remind-assignee', async (event) => {
      reminded.push({ ref: (event as { ref: string }).ref, at: clock.now() });
      return { sent: true };
    });
    const machine = await createMachine(sfn, 'reminder', {
      StartAt: 'WaitForReminder',
      States: {
        WaitForReminder: { Type: 'Wait', TimestampPath: '$.remindAt', Next: 'RemindAssignee' },
        RemindAssignee: { Type: 'Task', Resource: lambdaArn('remind-assignee'), End: true },
      },
    });
    // Reminders due over 30 days, ten to a minute: a hundred distinct instants.
    const obligations = Array.from({ length: 1000 }, (_, i) => ({
      ref: `OBL-${String(i).padStart(4, '0')}`,
      remindAt: new Date(start + days(30) + minutes(i % 100)).toISOString(),
    }));
    for (let i = 0; i < obligations.length; i += 100) {
      await Promise.all(
        obligations.slice(i, i + 100).map((obligation) =>
          sfn.send(new StartExecutionCommand({ stateMachineArn: machine, name: obligation.ref, input: JSON.stringify(obligation) })),
        ),
      );
    }
    await clock.settle();
    expect(await listAll(sfn, machine, 'RUNNING')).toHaveLength(1000);
    expect(reminded).toEqual([]);

    const jumpStarted = performance.now();
    await clock.advanceTo(start + days(31));
    const jumpMs = performance.now() - jumpStarted;
    console.info(`1,000 parked executions fired on one clock jump in ${Math.round(jumpMs)} ms`);

    expect(reminded.map((r) => r.ref).sort()).toEqual(obligations.map((o) => o.ref));
    const firedAt = reminded.map((r) => r.at);
    expect(firedAt).toEqual([...firedAt].sort((a, b) => a - b));
    for (const r of reminded) {
      const obligation = obligations.find((o) => o.ref === r.ref)!;
      expect(new Date(r.at).toISOString()).toBe(obligation.remindAt);
    }
    expect(await listAll(sfn, machine, 'SUCCEEDED')).toHaveLength(1000);
    expect(await listAll(sfn, machine, 'RUNNING')).toEqual([]);
  } finally {
    await stop();
  }
});
