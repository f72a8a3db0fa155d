import { describe, expect, it } from 'vitest';
import { recipients, scenario } from './harness.ts';

/**
 * A social worker's conclusion reaches the akimat department on Thursday 19 March 2026, the
 * eve of Nauryz: three working days end on Friday 27 March at 18:30.
 */
describe('sss-decision: three working days for the akimat department', () => {
  const run = scenario('2026-03-19T15:30:00+05:00');
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

  it('reminds the Uralsk department on the morning of 27 March, in Kazakh and Russian', async () => {
    await run().at('2026-03-27T09:00:00+05:00');
    const mail = await run().newMail();
    expect(recipients(mail)).toEqual(['sss.uralsk@akimat.demo.kz']);
    const [reminder] = mail;
    expect(reminder?.subject).toContain('Напоминание');
    expect(reminder?.subject).toContain('27.03.2026, 18:30');
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

  it('escalates to the head of the department on Monday 30 March, then up to the deputy akim', async () => {
    await run().at('2026-03-30T09:00:00+05:00');
    const first = await run().newMail();
    expect(recipients(first)).toEqual(['sss-head.uralsk@akimat.demo.kz']);
    expect(first[0]?.subject).toContain('Просрочено');

    await run().at('2026-04-02T09:00:00+05:00');
    expect(recipients(await run().newMail())).toEqual([
      'deputy-akim.uralsk@akimat.demo.kz',
      'sss-head.uralsk@akimat.demo.kz',
      'sss-head.uralsk@akimat.demo.kz',
    ]);
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
