import { describe, expect, it } from 'vitest';
import { recipients, scenario } from './harness.ts';

/**
 * A social worker's conclusion reaches the akimat department on Thursday 19 March 2026, the
 * eve of Nauryz: three working days end on Friday 27 March at 18:30. Its reminder and
 * escalations are not urgent: each goes in its recipient's 09:30 morning mail of that day.
 */
describe('sss-decision: three working days for the akimat department', () => {
  const run = scenario('2026-03-19T15:30:00+05:00', { schedules: ['digest'] });
  const ids = { undecided: '', decided: '' };

  it('opens both cases with the deadline of 27 March, 18:30', async () => {
    const [undecided] = await run().open('sss', { rule: 'sss-decision', caseRef: 'SSS-2026/041', org: 'zko-uralsk-akimat-sss', start: '2026-03-19T15:20:00+05:00' });
    // Each department opens its own case: the Burlin one is Burlin's to open and to decide.
    const [decided] = await run().open('burlinSss', { rule: 'sss-decision', caseRef: 'SSS-2026/042', org: 'zko-burlin-akimat-sss', start: '2026-03-19T15:20:00+05:00' });
    expect(undecided).toMatchObject({ status: 'open', dueAt: '2026-03-27T18:30:00+05:00', plan: { dueDate: '2026-03-27' } });
    expect(decided?.dueAt).toBe('2026-03-27T18:30:00+05:00');
    ids.undecided = undecided?.id ?? '';
    ids.decided = decided?.id ?? '';
  });

  it('a decision recorded on 26 March closes its case: no reminder, no escalation ever', async () => {
    await run().at('2026-03-26T11:00:00+05:00');
    const closed = await run().record('burlinSss', ids.decided, { act: 'decided' });
    expect(closed.status).toBe('done');
    expect(await run().newMail()).toEqual([]);
  });

  it('reminds the Uralsk department in its morning mail of 27 March, in Kazakh and Russian', async () => {
    // At 09:00 the reminder is queued, not mailed.
    await run().at('2026-03-27T09:00:00+05:00');
    expect(await run().newMail()).toEqual([]);
    await run().at('2026-03-27T09:30:00+05:00');
    const mail = await run().newMail();
    expect(recipients(mail)).toEqual(['sss.uralsk@akimat.demo.kz']);
    const [reminder] = mail;
    expect(reminder?.subject).toContain('27.03.2026');
    expect(reminder?.subject).toContain('Хабарламалар / Уведомления: 1');
    expect(reminder?.text).toContain('Напоминание: Решение о предоставлении специальных социальных услуг');
    expect(reminder?.text).toContain('27.03.2026, 18:30');
    expect(reminder?.text).toContain('ҚАЗАҚША');
    expect(reminder?.text).toContain('РУССКИЙ');
    expect(reminder?.text).toContain('SSS-2026/041');
    expect(reminder?.text).toContain('Арнаулы әлеуметтік көрсетілетін қызметтер');
  });

  it('after 18:30 the undecided case is overdue, the decided one done', async () => {
    await run().at('2026-03-27T18:31:00+05:00');
    expect((await run().obligation(ids.undecided)).obligation.status).toBe('overdue');
    expect((await run().obligation(ids.decided)).obligation.status).toBe('done');
    const overdue = await run().api<{ obligations: { id: string }[] }>('sss', 'GET', '/obligations?org=zko-uralsk-akimat-sss&status=overdue');
    expect(overdue.body.obligations.map((obligation) => obligation.id)).toEqual([ids.undecided]);
  });

  it('escalates to the head of the department on Monday 30 March, then up to the deputy akim, each in the morning mail', async () => {
    await run().at('2026-03-30T09:30:00+05:00');
    const first = await run().newMail();
    const head = first.filter((mail) => mail.to.includes('sss-head.uralsk@akimat.demo.kz'));
    // One morning mail for the head: the escalation, and his digest with the overdue case.
    expect(head).toHaveLength(1);
    expect(head[0]?.text).toContain('Просрочено: Решение о предоставлении специальных социальных услуг');
    expect(head[0]?.text).toContain('SSS-2026/041');
    expect(recipients(first)).not.toContain('sss.uralsk@akimat.demo.kz');

    // 31 March, 1 and 2 April: one morning mail a day to the head; the second rung on 2 April
    // reaches the deputy akim.
    await run().at('2026-04-02T09:30:00+05:00');
    const later = await run().newMail();
    expect(later.filter((mail) => mail.to.includes('sss-head.uralsk@akimat.demo.kz'))).toHaveLength(3);
    const deputy = later.filter((mail) => mail.to.includes('deputy-akim.uralsk@akimat.demo.kz'));
    expect(deputy.filter((mail) => mail.text.includes('Просрочено: Решение о предоставлении специальных социальных услуг'))).toHaveLength(1);
    expect(deputy.find((mail) => mail.text.includes('Просрочено: Решение'))?.subject).toContain('02.04.2026');
  });

  it('keeps the audit trail of both cases', async () => {
    const undecided = await run().obligation(ids.undecided);
    // Falling overdue tells nobody here: it is read from the due instant, not written.
    expect(undecided.events.map((event) => event.type)).toEqual(['opened', 'reminded', 'escalated', 'escalated', 'escalated', 'escalated']);
    const decided = await run().obligation(ids.decided);
    expect(decided.events.map((event) => event.type)).toEqual(['opened', 'decided']);
    expect(recipients(await run().allMail())).not.toContain('sss.burlin@akimat.demo.kz');
  });
});
