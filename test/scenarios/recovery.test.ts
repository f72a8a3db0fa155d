import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeExecutionCommand, ExecutionDoesNotExist, SFNClient, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { BatchWriteCommand, DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { ENV, executionArn, executionName, stateMachineArn } from '../../functions/contract.ts';
import { START_GRACE_MS } from '../../functions/app/reconcile.ts';
import { localClientConfig } from '../../local/aws.ts';
import { type Mail, noticesIn, recipients, scenario } from './harness.ts';

/**
 * The hourly reconciler gives back a timer that was stopped behind Merzim's back (an operator in
 * the console, a failed deployment): the obligation gets a new revision on a new execution, the
 * notices still to come arrive on time, and the ones already sent are not sent again.
 * The timers are stopped here as an operator would, with the Step Functions API of the runtime.
 * Reminders and escalations come in the 09:30 morning mail, beside the heads' digests.
 */
describe('recovery: the reconciler restarts a timer stopped behind its back', () => {
  const run = scenario('2026-03-19T15:30:00+05:00', { schedules: ['digest'] });
  const ref = { early: 'SSS-2026/301', late: 'SSS-2026/302' } as const;
  const ids = { early: '', late: '' };

  let sfn: SFNClient | undefined;
  const client = (): SFNClient => {
    sfn ??= new SFNClient(localClientConfig(run().system.runtime.endpoints.sfn, run().system.runtime.region));
    return sfn;
  };
  afterAll(() => sfn?.destroy());

  const arnOf = (id: string, revision: number): string => {
    const prefix = process.env[ENV.stateMachinePrefix];
    if (prefix === undefined) throw new Error(`${ENV.stateMachinePrefix} is not set: the system has not started`);
    return executionArn(stateMachineArn(prefix, 'sss-decision'), executionName(id, revision));
  };
  const statusOf = async (id: string, revision: number): Promise<string | undefined> =>
    (await client().send(new DescribeExecutionCommand({ executionArn: arnOf(id, revision) }))).status;
  const stop = async (id: string, revision: number): Promise<void> => {
    await run().clock.settle();
    await client().send(new StopExecutionCommand({ executionArn: arnOf(id, revision), error: 'Operator', cause: 'stopped by hand in the console' }));
    expect(await statusOf(id, revision)).toBe('ABORTED');
  };
  /** A run of the reconciler at an instant, as its hourly schedule would (none runs on its own here). */
  const reconcile = async (at?: string): Promise<{ checked: number; restarted: string[] }> => {
    if (at !== undefined) await run().at(at);
    const summary = (await run().system.invoke('reconcile', at === undefined ? {} : { scheduledAt: at })) as { checked: number; restarted: string[] };
    await run().clock.settle();
    return summary;
  };
  /** Notices about a case, alone or in a morning mail (a digest names the case too, and is left out). */
  const noticesAbout = (mail: readonly Mail[], caseRef: string): Mail[] => noticesIn(mail).filter((item) => item.text.includes(caseRef));
  const reminders = (mail: readonly Mail[], caseRef: string): Mail[] => noticesAbout(mail, caseRef).filter((item) => item.subject.includes('Напоминание'));

  it('opens two decisions due 27 March 18:30, each on a running timer, which the reconciler leaves alone', async () => {
    const [early] = await run().open('sss', { rule: 'sss-decision', caseRef: ref.early, org: 'zko-uralsk-akimat-sss', start: '2026-03-19T15:20:00+05:00' });
    const [late] = await run().open('burlinSss', { rule: 'sss-decision', caseRef: ref.late, org: 'zko-burlin-akimat-sss', start: '2026-03-19T15:20:00+05:00' });
    expect(early).toMatchObject({ revision: 1, dueAt: '2026-03-27T18:30:00+05:00' });
    expect(late).toMatchObject({ revision: 1, dueAt: '2026-03-27T18:30:00+05:00' });
    ids.early = early?.id ?? '';
    ids.late = late?.id ?? '';
    await run().clock.settle();
    expect(await statusOf(ids.early, 1)).toBe('RUNNING');
    expect(await reconcile()).toEqual({ checked: 2, restarted: [] });
  });

  it('a timer stopped on 19 March is restarted by the next hourly run, past the grace: revision 2, a restarted entry', async () => {
    await run().at('2026-03-19T15:40:00+05:00');
    await stop(ids.early, 1);
    const nextRun = '2026-03-19T16:30:00+05:00';
    expect(Date.parse(nextRun) - Date.parse('2026-03-19T15:30:00+05:00')).toBeGreaterThan(START_GRACE_MS);
    expect(await reconcile(nextRun)).toEqual({ checked: 2, restarted: [ids.early] });

    const { obligation, events } = await run().api<{
      obligation: { status: string; revision: number; dueAt: string };
      events: { type: string; revision: number; by: string; details?: Record<string, unknown> }[];
    }>('admin', 'GET', `/obligations/${ids.early}`).then((answer) => answer.body);
    expect(obligation).toMatchObject({ status: 'open', revision: 2, dueAt: '2026-03-27T18:30:00+05:00' });
    expect(events.map((event) => event.type)).toEqual(['opened', 'restarted']);
    expect(events[1]).toMatchObject({ revision: 2, by: 'merzim', details: { previousRevision: 1, previousStatus: 'ABORTED' } });
    expect(await statusOf(ids.early, 2)).toBe('RUNNING');
    // The run after finds both timers alive.
    expect(await reconcile('2026-03-19T17:30:00+05:00')).toEqual({ checked: 2, restarted: [] });
  });

  it('the restarted case is reminded in the morning mail of 27 March, exactly once', async () => {
    await run().at('2026-03-27T09:29:00+05:00');
    expect(noticesIn(await run().allMail())).toEqual([]);
    await run().at('2026-03-27T09:30:00+05:00');
    const mail = await run().allMail();
    expect(recipients(reminders(mail, ref.early))).toEqual(['sss.uralsk@akimat.demo.kz']);
    expect(reminders(mail, ref.early)[0]?.subject).toContain('27.03.2026, 18:30');
    expect(recipients(reminders(mail, ref.late))).toEqual(['sss.burlin@akimat.demo.kz']);
  });

  it('a timer stopped after its reminder went out is restarted without telling the department again', async () => {
    await run().at('2026-03-27T10:00:00+05:00');
    await stop(ids.late, 1);
    expect(await reconcile('2026-03-27T10:30:00+05:00')).toEqual({ checked: 2, restarted: [ids.late] });
    expect((await run().obligation(ids.late)).obligation.revision).toBe(2);
    expect(await statusOf(ids.late, 2)).toBe('RUNNING');
    expect(reminders(await run().allMail(), ref.late)).toHaveLength(1);
  });

  it('the restarted case goes overdue and is escalated in the morning mail of 30 March; its reminder was sent once, and so was the other\'s', async () => {
    await run().at('2026-03-30T09:30:00+05:00');
    const mail = await run().allMail();
    expect(reminders(mail, ref.late)).toHaveLength(1);
    expect(reminders(mail, ref.early)).toHaveLength(1);
    const escalations = noticesAbout(mail, ref.late).filter((item) => item.subject.includes('Просрочено'));
    expect(recipients(escalations)).toEqual(['sss-head.burlin@akimat.demo.kz']);

    const { obligation, events } = await run().obligation(ids.late);
    // Overdue is read from the due instant: no state of the timer marks it.
    expect(obligation).toMatchObject({ status: 'overdue', revision: 2 });
    expect(events.map((event) => event.type)).toEqual(['opened', 'reminded', 'restarted', 'escalated']);
  });

  it('once the ladder has run to the deputy akim, the obligation records that its timer finished', async () => {
    await run().at('2026-04-06T12:00:00+05:00');
    for (const id of [ids.early, ids.late]) {
      const { obligation, events } = await run().obligation(id);
      expect(obligation).toMatchObject({ status: 'overdue', revision: 2, timer: { revision: 2, segment: 1, finished: true } });
      expect(events.filter((event) => event.type === 'escalated')).toHaveLength(4);
      expect(await statusOf(id, 2)).toBe('SUCCEEDED');
    }
    expect(await reconcile('2026-04-06T12:30:00+05:00')).toEqual({ checked: 2, restarted: [] });
  });

  it('200 days later, its executions forgotten (AWS keeps an ended one 90 days), neither overdue obligation is restarted', async () => {
    await run().at('2026-10-20T12:00:00+05:00');
    await forgetExecutions([ids.early, ids.late]);
    for (const id of [ids.early, ids.late]) for (const revision of [1, 2]) await expect(statusOf(id, revision)).rejects.toBeInstanceOf(ExecutionDoesNotExist);

    const told = noticesIn(await run().allMail()).length;
    expect(await reconcile('2026-10-20T12:30:00+05:00')).toEqual({ checked: 2, restarted: [] });
    await run().at('2026-10-27T12:00:00+05:00');
    for (const id of [ids.early, ids.late]) {
      const { obligation, events } = await run().obligation(id);
      expect(obligation).toMatchObject({ status: 'overdue', revision: 2 });
      expect(events.filter((event) => event.type === 'restarted')).toHaveLength(1);
    }
    // Nobody is told anything again (the heads' digests go on listing what is overdue).
    expect(noticesIn(await run().allMail())).toHaveLength(told);
  });

  /** Deletes the executions of obligations (and their history) from the local service's table, as AWS does 90 days after they end. */
  async function forgetExecutions(obligationIds: readonly string[]): Promise<void> {
    const prefix = process.env[ENV.stateMachinePrefix] ?? '';
    const machine = `${prefix.slice(prefix.indexOf(':stateMachine:') + ':stateMachine:'.length)}sss-decision`;
    const documents = DynamoDBDocumentClient.from(new DynamoDBClient(localClientConfig(run().system.runtime.endpoints.dynamodb, run().system.runtime.region)));
    try {
      const table = 'merzim-local-stepfunctions';
      const { Items = [] } = await documents.send(new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `EX#${machine}` } }));
      const forgotten = Items.filter((item) => obligationIds.some((id) => String(item['sk']).startsWith(`${id}-r`)));
      expect(forgotten.length).toBeGreaterThanOrEqual(2 * obligationIds.length);
      const keys: { pk: string; sk: string }[] = [];
      for (const item of forgotten) {
        keys.push({ pk: String(item['pk']), sk: String(item['sk']) });
        const history = await documents.send(new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `H#${String(item['executionArn'])}` } }));
        for (const chunk of history.Items ?? []) keys.push({ pk: String(chunk['pk']), sk: String(chunk['sk']) });
      }
      for (let index = 0; index < keys.length; index += 25) {
        await documents.send(new BatchWriteCommand({ RequestItems: { [table]: keys.slice(index, index + 25).map((Key) => ({ DeleteRequest: { Key } })) } }));
      }
    } finally {
      documents.destroy();
    }
  }
});
