import { DescribeExecutionCommand, ExecutionDoesNotExist, SFNClient } from '@aws-sdk/client-sfn';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { ENV, executionArn, executionName, stateMachineArn } from '../../functions/contract.ts';
import { localClientConfig } from '../../local/aws.ts';
import { type Mail, type ObligationView, noticesIn, recipients, scenario } from './harness.ts';

// A year of virtual time passes in a step: the local services take their time on a busy machine.
vi.setConfig({ testTimeout: 180_000 });

const DAY_MS = 86_400_000;
/** AWS ends a Standard execution after one year. */
const YEAR_MS = 365 * DAY_MS;

/**
 * Plans longer than a year run as a chain of executions (segments), each well inside AWS's one
 * year, the next started by the last state of the one before; the chain is one obligation in the
 * API, its lists and its audit trail. Opened on 5 January 2026 at 09:30:
 * - a 12-month special-requirements order, expiring at the end of 5 January 2027 (two segments);
 * - a yearly action-plan item for 2026, escalated on 5 January 2027, day 369 (two segments);
 * - a plan item due by 24 December 2027, escalated on 27 December 2027 (three segments).
 * (Dates stay inside 2027: the calendar data ends there, see issue 14's calendar part.)
 * Their reminders, escalations and the expiry come in the 09:30 morning mail of their working day.
 */
describe('plans longer than a year', () => {
  const run = scenario('2026-01-05T09:30:00+05:00', { schedules: ['digest'] });
  const refs = { order: 'ОТ-2026/7', yearly: 'ЗКО-ПЛАН-2026/4', byDate: 'ЗКО-ПЛАН-2026/9' } as const;
  const ids = { order: '', yearly: '', byDate: '' };
  const opened = Date.parse('2026-01-05T09:30:00+05:00');

  let sfn: SFNClient | undefined;
  afterAll(() => sfn?.destroy());
  /** The execution of a segment, as AWS would describe it. */
  const execution = async (rule: string, id: string, segment: number) => {
    sfn ??= new SFNClient(localClientConfig(run().system.runtime.endpoints.sfn, run().system.runtime.region));
    const prefix = process.env[ENV.stateMachinePrefix] ?? '';
    return sfn.send(new DescribeExecutionCommand({ executionArn: executionArn(stateMachineArn(prefix, rule), executionName(id, 1, segment)) }));
  };
  /** Each segment ended inside a year (or runs, started less than a year ago), and the last one still runs or ended as said. */
  const expectChain = async (rule: string, id: string, segments: number, last: 'RUNNING' | 'SUCCEEDED'): Promise<void> => {
    for (let segment = 1; segment <= segments; segment += 1) {
      // A segment closed more than 90 days ago is gone from the history, as on AWS: only the
      // segments after it must be there, the last one among them.
      const described = await execution(rule, id, segment).catch((error: unknown) => {
        if (error instanceof ExecutionDoesNotExist && segment < segments) return undefined;
        throw error;
      });
      if (described === undefined) continue;
      expect(described.name).toBe(segment === 1 ? `${id}-r1` : `${id}-r1-s${segment}`);
      expect(described.status, `segment ${segment}`).toBe(segment < segments ? 'SUCCEEDED' : last);
      const ended = described.stopDate?.getTime() ?? run().clock.now();
      expect(ended - (described.startDate?.getTime() ?? 0), `segment ${segment} lasts less than a year`).toBeLessThan(YEAR_MS - 4 * DAY_MS);
    }
    await expect(execution(rule, id, segments + 1)).rejects.toThrow();
  };
  /** The notices about a case (a digest names it too, and is left out). */
  const about = (mail: readonly Mail[], caseRef: string): Mail[] => noticesIn(mail).filter((item) => item.text.includes(caseRef));
  const listed = async (query: string): Promise<string[]> =>
    (await run().api<{ obligations: ObligationView[] }>('admin', 'GET', `/obligations?${query}`)).body.obligations.map((obligation) => obligation.id);

  it('opens the three on 5 January 2026, each on its first segment', async () => {
    const [order] = await run().open('inspector', {
      rule: 'special-requirements',
      caseRef: refs.order,
      org: 'zko-uralsk-police-dv',
      assignee: 'aigerim.inspector',
      start: '2026-01-05T09:00:00+05:00',
      count: 12,
    });
    const [yearly] = await run().open('secretary', {
      rule: 'action-plan-item',
      variant: 'yearly',
      caseRef: refs.yearly,
      org: 'zko-uralsk-school-12',
      issuedBy: 'zko-uralsk-kdn',
      start: '2026-01-01T00:00:00+05:00',
      until: '2026-12-31',
    });
    const [byDate] = await run().open('secretary', {
      rule: 'action-plan-item',
      variant: 'by-date',
      caseRef: refs.byDate,
      org: 'zko-uralsk-school-12',
      issuedBy: 'zko-uralsk-kdn',
      start: '2026-01-05T09:00:00+05:00',
      dueDate: '2027-12-24',
    });
    expect(order).toMatchObject({ status: 'open', revision: 1, dueAt: '2027-01-06T00:00:00+05:00' });
    expect(yearly).toMatchObject({ status: 'open', revision: 1, dueAt: '2027-01-01T00:00:00+05:00' });
    expect(byDate).toMatchObject({ status: 'open', revision: 1, dueAt: '2027-12-25T00:00:00+05:00' });
    ids.order = order?.id ?? '';
    ids.yearly = yearly?.id ?? '';
    ids.byDate = byDate?.id ?? '';
    await run().clock.settle();
    await expectChain('special-requirements', ids.order, 1, 'RUNNING');
    await expectChain('action-plan-item', ids.yearly, 1, 'RUNNING');
    await expectChain('action-plan-item', ids.byDate, 1, 'RUNNING');
  });

  it('360 days on, each first segment has handed over to a second, which the obligation records; the lists show each once', async () => {
    await run().at('2026-12-31T09:29:00+05:00');
    expect((await run().obligation(ids.order)).obligation.timer).toBeUndefined();
    await run().at(new Date(opened + 360 * DAY_MS + 60_000).toISOString());
    for (const [rule, id] of [
      ['special-requirements', ids.order],
      ['action-plan-item', ids.yearly],
      ['action-plan-item', ids.byDate],
    ] as const) {
      await expectChain(rule, id, 2, 'RUNNING');
      const { obligation, events } = await run().obligation(id);
      expect(obligation).toMatchObject({ revision: 1, timer: { revision: 1, segment: 2 } });
      // Handing over is no event of the case.
      expect(events.map((event) => event.type)).not.toContain('restarted');
    }
    expect((await listed('org=zko-uralsk-police-dv&status=open')).filter((id) => id === ids.order)).toHaveLength(1);
    const school = [...(await listed('org=zko-uralsk-school-12&status=open')), ...(await listed('org=zko-uralsk-school-12&status=overdue'))];
    expect(school.filter((id) => id === ids.yearly || id === ids.byDate).sort()).toEqual([ids.yearly, ids.byDate].sort());
    // The order's reminder (Saturday 26 December, in Monday's morning mail) and the yearly item's two came in the first segment.
    const mail = await run().allMail();
    expect(recipients(about(mail, refs.order))).toEqual(['inspector.uralsk@police.demo.kz']);
    expect(about(mail, refs.yearly)).toHaveLength(2);
    expect(about(mail, refs.byDate)).toEqual([]);
  });

  it('the yearly item, unreported, is escalated on 5 January 2027 (day 369), in that morning\'s mail; the plan ends with 2026, so its timer finishes there', async () => {
    await run().at('2027-01-05T09:30:00+05:00');
    const { obligation, events } = await run().obligation(ids.yearly);
    expect(obligation).toMatchObject({ status: 'overdue', revision: 1, cycle: 1, timer: { revision: 1, segment: 2, finished: true } });
    expect(events.map((event) => event.type)).toEqual(['opened', 'reminded', 'reminded', 'escalated']);
    expect(recipients(about(await run().allMail(), refs.yearly))).toEqual([
      'director.school12.uralsk@edu.demo.kz',
      'office.school12.uralsk@edu.demo.kz',
      'office.school12.uralsk@edu.demo.kz',
    ]);
    await expectChain('action-plan-item', ids.yearly, 2, 'SUCCEEDED');
  });

  it('the 12-month order expires at the end of 5 January 2027 in its second segment: the inspector is told once, in the morning mail, and the chain ends', async () => {
    await run().at('2027-01-06T00:00:01+05:00');
    const { obligation, events } = await run().obligation(ids.order);
    expect(obligation).toMatchObject({ status: 'expired', revision: 1 });
    expect(events.map((event) => event.type)).toEqual(['opened', 'reminded', 'expired']);
    expect(about(await run().allMail(), refs.order)).toHaveLength(1);
    await run().at('2027-01-06T09:30:00+05:00');
    const mail = about(await run().allMail(), refs.order);
    expect(recipients(mail)).toEqual(['inspector.uralsk@police.demo.kz', 'inspector.uralsk@police.demo.kz']);
    expect(mail[1]?.subject).toContain('истёк');
    await expectChain('special-requirements', ids.order, 2, 'SUCCEEDED');
  });

  it('the item due by 24 December 2027 is reminded in its second segment and escalated in its third, in the morning mail of 27 December', async () => {
    await run().at('2027-12-26T09:29:00+05:00');
    expect((await run().obligation(ids.byDate)).events.map((event) => event.type)).toEqual(['opened', 'reminded', 'reminded']);
    await expectChain('action-plan-item', ids.byDate, 2, 'RUNNING');

    await run().at('2027-12-27T09:30:00+05:00');
    const { obligation, events } = await run().obligation(ids.byDate);
    expect(obligation).toMatchObject({ status: 'overdue', revision: 1, timer: { revision: 1, segment: 3, finished: true } });
    expect(events.map((event) => event.type)).toEqual(['opened', 'reminded', 'reminded', 'escalated']);
    expect(recipients(about(await run().allMail(), refs.byDate))).toEqual([
      'director.school12.uralsk@edu.demo.kz',
      'office.school12.uralsk@edu.demo.kz',
      'office.school12.uralsk@edu.demo.kz',
    ]);
    await expectChain('action-plan-item', ids.byDate, 3, 'SUCCEEDED');
  });

  it('the reconciler finds nothing to restart, from the obligations alone', async () => {
    await run().at('2028-01-10T12:00:00+05:00');
    const summary = (await run().system.invoke('reconcile', { scheduledAt: '2028-01-10T07:00:00Z' })) as { checked: number; restarted: string[] };
    expect(summary.restarted).toEqual([]);
  });
});
