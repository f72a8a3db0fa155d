import { describe, expect, it } from 'vitest';
import { type ObligationView, recipients, scenario } from './harness.ts';

/**
 * A commission decision sent to four bodies: four clocks, each closed by its own reply. The
 * reminders are not urgent: each body's comes in its 09:30 morning mail.
 */
describe('kdn-placement-reply to four bodies', () => {
  const run = scenario('2026-04-06T10:30:00+05:00', { schedules: ['digest'] });
  const bodies = ['zko-uralsk-school-12', 'zko-burlin-hospital', 'zko-uralsk-akimat-sss', 'zko-uralsk-police-dv'];
  let opened: ObligationView[] = [];

  it('opens one obligation per addressee, each due in two weeks', async () => {
    opened = await run().open('secretary', {
      rule: 'kdn-placement-reply',
      caseRef: 'КДН-2026/19',
      addressees: bodies,
      issuedBy: 'zko-uralsk-kdn',
      start: '2026-04-06T10:00:00+05:00',
    });
    expect(opened.map((obligation) => obligation.org)).toEqual(bodies);
    expect(new Set(opened.map((obligation) => obligation.dueAt))).toEqual(new Set(['2026-04-21T00:00:00+05:00']));
  });

  it('the school replies: only its clock closes', async () => {
    await run().at('2026-04-10T12:00:00+05:00');
    const school = opened[0];
    expect((await run().record('secretary', school?.id ?? '', { act: 'replied' })).status).toBe('done');
    for (const other of opened.slice(1)) expect((await run().obligation(other.id)).obligation.status).toBe('open');
  });

  it('the three others are reminded, then overdue; the school hears nothing', async () => {
    await run().at('2026-04-16T09:30:00+05:00');
    // The commission's own morning mails (its digest of what it waits for) are not reminders.
    const reminders = (await run().newMail()).filter((mail) => mail.text.includes('Напоминание: '));
    expect(reminders).toHaveLength(3);
    for (const mail of reminders) expect(mail.subject).toContain('16.04.2026');
    expect(recipients(reminders)).not.toContain('office.school12.uralsk@edu.demo.kz');
    expect(recipients(reminders)).toContain('office.hospital.burlin@health.demo.kz');

    await run().at('2026-04-21T09:00:00+05:00');
    const statuses = await Promise.all(opened.map(async (obligation) => (await run().obligation(obligation.id)).obligation.status));
    expect(statuses).toEqual(['done', 'overdue', 'overdue', 'overdue']);
    const secretary = await run().api<{ obligations: ObligationView[] }>('secretary', 'GET', '/obligations?issuer=zko-uralsk-kdn&status=overdue');
    expect(secretary.body.obligations).toHaveLength(3);
  });
});
