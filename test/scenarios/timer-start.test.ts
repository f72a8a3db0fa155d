import { DescribeExecutionCommand, ExecutionDoesNotExist, SFNClient } from '@aws-sdk/client-sfn';
import { afterAll, describe, expect, it } from 'vitest';
import { ENV, executionArn, executionName, stateMachineArn } from '../../contract/index.ts';
import { START_GRACE_MS } from '../../functions/app/reconcile.ts';
import { localClientConfig } from '../../local/aws.ts';
import { scenario } from './harness.ts';

/**
 * Issue 20: an opening writes, and the table's stream starts its timer (the `start` function, fed
 * as a Pipe feeds it); a stream that lost its records is covered by the hourly reconciler; a
 * calendar override is planned on by the very next opening.
 */
describe('timers start from the table\'s stream', () => {
  const run = scenario('2026-03-19T15:30:00+05:00');
  let sfn: SFNClient | undefined;
  const client = (): SFNClient => (sfn ??= new SFNClient(localClientConfig(run().system.runtime.endpoints.sfn, run().system.runtime.region)));
  afterAll(() => sfn?.destroy());

  const statusOf = async (id: string, revision: number): Promise<string | undefined> => {
    const prefix = process.env[ENV.stateMachinePrefix];
    if (prefix === undefined) throw new Error('the system has not started');
    try {
      return (await client().send(new DescribeExecutionCommand({ executionArn: executionArn(stateMachineArn(prefix, 'sss-decision'), executionName(id, revision)) }))).status;
    } catch (error) {
      if (error instanceof ExecutionDoesNotExist) return undefined;
      throw error;
    }
  };
  const opening = (caseRef: string, start = '2026-03-19T15:20:00+05:00') => ({ rule: 'sss-decision', caseRef, org: 'zko-uralsk-akimat-sss', start });

  it('an opening answers with its plan; once settled, its timer runs, named by the obligation and its revision', async () => {
    const [opened] = await run().open('sss', opening('SSS-2026/901'));
    expect(opened).toMatchObject({ revision: 1, status: 'open', dueAt: '2026-03-27T18:30:00+05:00' });
    await run().clock.settle();
    expect(await statusOf(opened?.id ?? '', 1)).toBe('RUNNING');
    // The opening entry, written within the obligation's item, heads its audit trail as before.
    const { events } = (await run().api<{ events: { type: string; by: string; revision: number }[] }>('admin', 'GET', `/obligations/${opened?.id ?? ''}`)).body;
    expect(events[0]).toMatchObject({ type: 'opened', by: 'aliya.sss', revision: 1 });
    expect(events.filter((event) => event.type === 'opened')).toHaveLength(1);
  });

  it('an act that re-plans: the old timer stopped at once, the new revision\'s started from the stream', async () => {
    const [opened] = await run().open('sss', opening('SSS-2026/902'));
    const id = opened?.id ?? '';
    await run().clock.settle();
    const corrected = await run().api<{ obligation: { revision: number } }>('admin', 'POST', `/obligations/${id}/events`, { act: 'start-corrected', start: '2026-03-19T15:00:00+05:00', reason: 'the conclusion arrived earlier' });
    expect(corrected.status, JSON.stringify(corrected.body)).toBe(200);
    expect(corrected.body.obligation.revision).toBe(2);
    await run().clock.settle();
    expect(await statusOf(id, 1)).toBe('ABORTED');
    expect(await statusOf(id, 2)).toBe('RUNNING');
    // The obligation written again keeps its opening entry: the trail reads opened, the act, replanned.
    const { events } = (await run().api<{ events: { type: string }[] }>('admin', 'GET', `/obligations/${id}`)).body;
    expect(events.map((event) => event.type)).toEqual(['opened', 'start-corrected', 'replanned']);
  });

  it('records the stream lost: no timer; the reconciler, past its grace, starts one as revision 2', async () => {
    const stream = run().system.streams;
    if (stream === undefined) throw new Error('the stack has no stream');
    stream.pause();
    let id = '';
    try {
      const [opened] = await run().open('sss', opening('SSS-2026/903'));
      id = opened?.id ?? '';
      await run().clock.settle();
    } finally {
      stream.resume();
    }
    expect(await statusOf(id, 1)).toBeUndefined();
    await run().clock.settle();
    expect(await statusOf(id, 1), 'a lost record is not delivered later').toBeUndefined();

    const at = new Date(run().clock.now() + START_GRACE_MS + 60_000).toISOString();
    await run().at(at);
    const summary = (await run().system.invoke('reconcile', { scheduledAt: at })) as { restarted: string[] };
    await run().clock.settle();
    expect(summary.restarted).toEqual([id]);
    expect(await statusOf(id, 2)).toBe('RUNNING');
  });

  it('a calendar override recorded, then an opening at once: it is planned on the override', async () => {
    // 26 March 2026 (Thursday) made a day off: the 5 working days from 19 March end a day later.
    const before = await run().open('sss', opening('SSS-2026/904'));
    expect(before[0]?.dueAt).toBe('2026-03-27T18:30:00+05:00');
    const put = await run().api('admin', 'PUT', '/calendar/overrides/2026-03-26', { kind: 'day-off', reason: 'decree of the Government' });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    const after = await run().open('sss', opening('SSS-2026/905'));
    expect(after[0]?.dueAt).toBe('2026-03-30T18:30:00+05:00');
    const removed = await run().api('admin', 'DELETE', '/calendar/overrides/2026-03-26');
    expect(removed.status).toBe(204);
    const again = await run().open('sss', opening('SSS-2026/906'));
    expect(again[0]?.dueAt).toBe('2026-03-27T18:30:00+05:00');
  });
});
