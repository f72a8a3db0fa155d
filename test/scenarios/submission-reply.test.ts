import { describe, expect, it } from 'vitest';
import { type ObligationView, noticesIn, recipients, scenario } from './harness.ts';

/**
 * A commission's submission: one month to reply, its own measures, CoAO art. 479 when missed.
 * Its reminders and escalations are not urgent: they come in the recipients' 09:30 morning mail.
 */
const REMINDER = 'Напоминание: ';
describe('submission-reply and the measures a submission proposes', () => {
  const run = scenario('2026-01-31T11:00:00+05:00', { schedules: ['digest'] });
  const ids = { reply: '', measure: '' };

  it('a submission received on 31 January 2026 is due on 2 March 2026; its measure on its own date', async () => {
    const opened = await run().open('secretary', {
      rule: 'submission-reply',
      caseRef: 'КДН-2026/07',
      org: 'zko-uralsk-school-12',
      issuedBy: 'zko-uralsk-kdn',
      start: '2026-01-31T10:00:00+05:00',
      measures: [{ item: '1', dueDate: '2026-02-20' }],
    });
    const reply = opened.find((obligation) => obligation.rule === 'submission-reply');
    const measure = opened.find((obligation) => obligation.rule === 'submission-measure');
    expect(reply).toMatchObject({ plan: { dueDate: '2026-03-02' }, dueAt: '2026-03-03T00:00:00+05:00' });
    expect(measure).toMatchObject({ parentId: reply?.id, plan: { dueDate: '2026-02-20' } });
    ids.reply = reply?.id ?? '';
    ids.measure = measure?.id ?? '';
  });

  it('the measure reported on time closes only the measure', async () => {
    await run().at('2026-02-18T09:30:00+05:00');
    // The commission's digests (what it waits for) come too; the reminder goes to the school alone.
    const reminders = (await run().newMail()).filter((mail) => mail.text.includes(REMINDER));
    expect(recipients(reminders)).toEqual(['office.school12.uralsk@edu.demo.kz']);
    expect(reminders[0]?.subject).toContain('18.02.2026');
    await run().at('2026-02-19T12:00:00+05:00');
    expect((await run().record('secretary', ids.measure, { act: 'reported' })).status).toBe('done');
    expect((await run().obligation(ids.reply)).obligation.status).toBe('open');
  });

  it('reminds the school before the reply is due', async () => {
    await run().at('2026-03-02T09:30:00+05:00');
    const mail = (await run().newMail()).filter((item) => item.text.includes(REMINDER));
    expect(new Set(recipients(mail))).toEqual(new Set(['office.school12.uralsk@edu.demo.kz']));
    // Two reminders in the school's morning mails, each of the reply due 2 March (each notice
    // names itself twice, in its subject line and its Russian headline: count the notices).
    const reminders = noticesIn(mail).filter((notice) => notice.subject.includes(REMINDER));
    expect(reminders).toHaveLength(2);
    expect(reminders.every((notice) => notice.text.includes('02.03.2026, 24:00'))).toBe(true);
  });

  it('on 3 March the reply is overdue and listed with the grounds of CoAO art. 479', async () => {
    await run().at('2026-03-03T09:30:00+05:00');
    const listed = await run().api<{ obligations: ObligationView[] }>('secretary', 'GET', '/obligations?issuer=zko-uralsk-kdn&status=overdue');
    expect(listed.status).toBe(200);
    expect(listed.body.obligations.map((obligation) => obligation.id)).toEqual([ids.reply]);
    expect(listed.body.obligations[0]?.overdueGrounds?.names.ru).toContain('ст. 479 КоАП');

    // One morning mail each: the school's director and the commission's secretary are told of it.
    const mail = (await run().newMail()).filter((item) => item.text.includes('Просрочено: '));
    expect(recipients(mail).sort()).toEqual(['director.school12.uralsk@edu.demo.kz', 'kdn-secretary.uralsk@akimat.demo.kz']);
    expect(mail.every((item) => item.subject.includes('03.03.2026'))).toBe(true);
    const escalation = mail.find((item) => item.to.includes('director.school12.uralsk@edu.demo.kz'));
    expect(escalation?.text).toContain('479-бабы');
    expect(escalation?.text).toContain('ст. 479 КоАП РК');
    // The school has no sign-in: it is told where to reply, and gets no link.
    expect(escalation?.text).toContain('секретарь комиссии — kdn-secretary.uralsk@akimat.demo.kz');
    expect(escalation?.text).not.toContain('/dashboard/');
    // The secretary signs in: her mails link to the reply on the dashboard the local API serves.
    const link = `${run().system.apiUrl}/dashboard/#/o/${ids.reply}`;
    const secretary = mail.filter((item) => item.to.includes('kdn-secretary.uralsk@akimat.demo.kz'));
    expect(secretary.every((item) => item.text.includes(`Открыть в Merzim: ${link}`) && item.text.includes(`Merzim-де ашу: ${link}`))).toBe(true);
    expect(await fetch(link.replace(/#.*$/, ''))).toHaveProperty('status', 200);
  });
});
