import { randomUUID } from 'node:crypto';
import { SFNClient, StartExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { expect, test, vi } from 'vitest';
import { HandlerRegistry, VirtualClock, localClientConfig, startSfnService } from '../../local/index.ts';
import { createMachine, describe, lambdaArn, region, sharedDynamoDbLocal } from './support.ts';

// Real services can be slow to answer on a busy CI machine; no test waits on time itself.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const dynamodb = sharedDynamoDbLocal();

const start = Date.parse('2026-03-02T04:00:00Z');
const due = '2026-03-05T04:00:00Z';

test('runs beyond the service’s limit wait their turn; one stopped while it waits never runs its task', async () => {
  const clock = new VirtualClock(start);
  const handlers = new HandlerRegistry();
  const service = await startSfnService({
    dynamodbEndpoint: dynamodb.endpoint(),
    clock,
    handlers,
    partition: { region, account: '000000000000' },
    table: `sfn-${randomUUID()}`,
    concurrentRuns: 1,
  });
  const sfn = new SFNClient(localClientConfig(service.endpoint, region));
  try {
    const ran: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let firstStarted!: () => void;
    const first = new Promise<void>((resolve) => (firstStarted = resolve));
    handlers.register('remind', async (event) => {
      ran.push((event as { ref: string }).ref);
      if (ran.length === 1) {
        firstStarted();
        await gate;
      }
      return { sent: true };
    });
    const machine = await createMachine(sfn, 'reminder', {
      StartAt: 'WaitForReminder',
      States: {
        WaitForReminder: { Type: 'Wait', TimestampPath: '$.at', Next: 'Remind' },
        Remind: { Type: 'Task', Resource: lambdaArn('remind'), End: true },
      },
    });
    const arns = new Map<string, string>();
    for (const ref of ['A', 'B', 'C']) {
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: machine, name: ref, input: JSON.stringify({ ref, at: due }) }));
      arns.set(ref, executionArn ?? '');
      await clock.settle();
    }

    // All three are due at once; the first task holds the only slot.
    const jump = clock.advanceTo(Date.parse(due));
    await first;
    const holder = ran[0] ?? '';
    expect(ran).toEqual([holder]);
    const [stopped, other] = ['A', 'B', 'C'].filter((ref) => ref !== holder) as [string, string];
    await sfn.send(new StopExecutionCommand({ executionArn: arns.get(stopped), cause: 'closed while its wake-up waited' }));
    expect(ran).toEqual([holder]);
    release();
    await jump;

    expect(ran).toEqual([holder, other]);
    expect((await describe(sfn, arns.get(holder) ?? '')).status).toBe('SUCCEEDED');
    expect((await describe(sfn, arns.get(other) ?? '')).status).toBe('SUCCEEDED');
    expect((await describe(sfn, arns.get(stopped) ?? '')).status).toBe('ABORTED');
  } finally {
    sfn.destroy();
    await service.stop();
  }
});
