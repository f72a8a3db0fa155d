import { describe, expect, it } from 'vitest';
import { type ObligationView, recipients, scenario } from './harness.ts';

/**
 * The calendar past its published data: on 29 December 2027 the akimat department receives a
 * conclusion whose three working days run into 2028, a year whose calendar is not published yet.
 * The deadline is counted on the calendar projected from the law (New Year on a weekend, its two
 * transfers) and shown as provisional. Then the administrator enters 2028's decree as overrides:
 * the day that moves the deadline re-plans the obligation onto a new timer, the day that only
 * confirms the projection leaves the timer alone and the plan no longer lists it. Past the
 * horizon (2037-12-31) the API refuses, naming the field.
 */
type ProvisionalView = ObligationView & {
  readonly plan: ObligationView['plan'] & {
    readonly provisional?: true;
    readonly projectedDays?: readonly { readonly date: string; readonly working: boolean; readonly why: string; readonly basis: string }[];
  };
};

describe('a deadline in 2028, before 2028’s calendar is published', () => {
  const run = scenario('2027-12-29T10:00:00+05:00', { schedules: ['digest'] });
  const ref = 'SSS-2027/512';
  let id = '';

  const read = async (): Promise<{ obligation: ProvisionalView; events: { type: string; at: string }[] }> => {
    const answer = await run().obligation(id);
    return { obligation: answer.obligation as ProvisionalView, events: answer.events };
  };

  it('opens a decision due on 5 January 2028 at 18:30, provisional, resting on New Year and its transfers', async () => {
    const [opened] = (await run().open('sss', { rule: 'sss-decision', caseRef: ref, org: 'zko-uralsk-akimat-sss', start: '2027-12-29T09:30:00+05:00' })) as ProvisionalView[];
    expect(opened).toMatchObject({ status: 'open', revision: 1, dueAt: '2028-01-05T18:30:00+05:00', plan: { dueDate: '2028-01-05', provisional: true } });
    expect(opened?.plan.projectedDays?.map((day) => [day.date, day.working])).toEqual([
      ['2028-01-01', false],
      ['2028-01-02', false],
      ['2028-01-03', false],
      ['2028-01-04', false],
      ['2028-01-05', true],
    ]);
    expect(opened?.plan.projectedDays?.[3]?.why).toMatch(/^the day off for New Year on Sunday 2028-01-02, by the transfer rule/);
    id = opened?.id ?? '';
  });

  it('2028 reads as projected from the API; 2038 is past the horizon: 422 naming the year', async () => {
    const year = await run().api<{ nonWorkingWeekdays: { date: string; reason: string; projected?: { basis: string; why: string } }[] }>('admin', 'GET', '/calendar/2028');
    expect(year.status).toBe(200);
    expect(year.body.nonWorkingWeekdays.find((day) => day.date === '2028-01-03')).toMatchObject({ reason: 'transferred', projected: { basis: 'law' } });
    expect(year.body.nonWorkingWeekdays.find((day) => day.date === '2028-05-04')).toMatchObject({ reason: 'religious', projected: { basis: 'computed' } });
    expect((await run().api<{ nonWorkingWeekdays: { projected?: unknown }[] }>('admin', 'GET', '/calendar/2026')).body.nonWorkingWeekdays.every((day) => day.projected === undefined)).toBe(true);
    const far = await run().api<{ message: string; issues: { path: string }[] }>('admin', 'GET', '/calendar/2038');
    expect(far.status).toBe(422);
    expect(far.body.issues.map((issue) => issue.path)).toEqual(['year']);
    expect(far.body.message).toMatch(/^no calendar for 2038: .*projected from the law to 2037$/);
  });

  it("2028's decree makes 5 January a day off: the decision is re-planned to 6 January on a new revision", async () => {
    const answer = await run().api<{ replanned: number }>('admin', 'PUT', '/calendar/overrides/2028-01-05', {
      kind: 'day-off',
      reason: 'Перенос выходного дня на 2028 год',
      source: 'Постановление Правительства (тест)',
    });
    expect(answer.status).toBe(200);
    expect(answer.body.replanned).toBe(1);
    const { obligation, events } = await read();
    expect(obligation).toMatchObject({ status: 'open', revision: 2, dueAt: '2028-01-06T18:30:00+05:00', plan: { dueDate: '2028-01-06', provisional: true } });
    // 5 January is a fact now, not a projection: the plan rests on the projected days around it.
    expect(obligation.plan.projectedDays?.map((day) => day.date)).toEqual(['2028-01-01', '2028-01-02', '2028-01-03', '2028-01-04', '2028-01-06']);
    expect(events.map((event) => event.type)).toEqual(['opened', 'replanned']);
  });

  it('the decree confirming 4 January moves nothing: no new revision, and the plan no longer lists that day', async () => {
    const answer = await run().api<{ replanned: number }>('admin', 'PUT', '/calendar/overrides/2028-01-04', { kind: 'day-off', reason: 'Перенос выходного дня (2 января)' });
    expect(answer.status).toBe(200);
    expect(answer.body.replanned).toBe(0);
    const { obligation, events } = await read();
    expect(obligation).toMatchObject({ revision: 2, dueAt: '2028-01-06T18:30:00+05:00' });
    expect(obligation.plan.projectedDays?.map((day) => day.date)).toEqual(['2028-01-01', '2028-01-02', '2028-01-03', '2028-01-06']);
    expect(events.map((event) => event.type)).toEqual(['opened', 'replanned']);
  });

  it('nothing on 5 January; the department is reminded in its morning mail of 6 January, its new last day', async () => {
    await run().newMail();
    await run().at('2028-01-05T23:00:00+05:00');
    expect(await run().newMail()).toEqual([]);
    expect((await read()).obligation.status).toBe('open');

    await run().at('2028-01-06T09:30:00+05:00');
    const mail = await run().newMail();
    expect(recipients(mail)).toEqual(['sss.uralsk@akimat.demo.kz']);
    expect(mail[0]?.subject).toContain('06.01.2028');
    expect(mail[0]?.text).toContain('06.01.2028, 18:30');
    expect(mail[0]?.text).toContain(ref);
  });

  it('after 18:30 on 6 January it is overdue', async () => {
    await run().at('2028-01-06T18:31:00+05:00');
    expect((await read()).obligation.status).toBe('overdue');
  });

  it('a plan item the commission sets for March 2038 is refused with 422 naming dueDate; one for June 2030 opens, provisional', async () => {
    const item = (dueDate: string) => ({
      rule: 'action-plan-item',
      variant: 'by-date',
      caseRef: 'ЗКО-ПЛАН-2027/4',
      org: 'zko-uralsk-school-12',
      issuedBy: 'zko-uralsk-kdn',
      start: '2028-01-07T00:00:00+05:00',
      dueDate,
    });
    const refused = await run().api<{ message: string; issues: { path: string }[] }>('secretary', 'POST', '/obligations', item('2038-03-01'));
    expect(refused.status).toBe(422);
    expect(refused.body.issues.map((issue) => issue.path)).toEqual(['dueDate']);
    expect(refused.body.message).toMatch(/^2038-03-01 is past the calendar's horizon, 2037-12-31: Kazakhstan's calendar is published to 2027-12-31/);
    const [opened] = (await run().open('secretary', item('2030-06-28'))) as ProvisionalView[];
    expect(opened).toMatchObject({ status: 'open', plan: { dueDate: '2030-06-28', provisional: true } });
    expect(opened?.plan.projectedDays?.map((day) => day.date)).toEqual(['2030-06-28']);
  });
});
