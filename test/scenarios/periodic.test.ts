import { describe, expect, it } from 'vitest';
import { type Mail, type ObligationView, recipients, scenario } from './harness.ts';

/** The notices of a kind about a rule, in the morning mails' texts (a digest lists the rule otherwise). */
const told = (headline: string, rule: string) => (mail: readonly Mail[]) => mail.filter((item) => item.text.includes(`${headline}: ${rule}`));
const REPORT = 'Ежеквартальная служебная записка';
const PLAN_ITEM = 'Информация по пункту межведомственного плана';
const count = (mail: readonly Mail[], words: string): number => mail.reduce((sum, item) => sum + item.text.split(words).length - 1, 0);

/**
 * Quarterly reports no one opens by hand, and an interagency action plan loaded from a file.
 * Their reminders and escalations come in the recipients' 09:30 morning mail.
 */
describe('unit-quarterly-report and action-plan-item', () => {
  const run = scenario('2026-03-25T12:00:00+05:00', { schedules: ['digest'] });
  const quarterly = async (org: string, status = 'open'): Promise<ObligationView | undefined> => {
    const answer = await run().api<{ obligations: ObligationView[] }>('admin', 'GET', `/obligations?org=${org}&status=${status}`);
    return answer.body.obligations.find((obligation) => obligation.rule === 'unit-quarterly-report');
  };

  it('every police unit and the regional department get their report for the quarter, once', async () => {
    await run().system.invoke('provision', { scheduledAt: '2026-03-25T07:00:00Z' });
    await run().system.invoke('provision', { scheduledAt: '2026-03-26T19:05:00Z' });
    expect((await quarterly('zko-uralsk-police-dv'))?.dueAt).toBe('2026-04-06T18:30:00+05:00');
    expect((await quarterly('zko-burlin-police-dv'))?.dueAt).toBe('2026-04-06T18:30:00+05:00');
    expect((await quarterly('zko-police'))?.dueAt).toBe('2026-04-10T18:30:00+05:00');
    const all = await run().api<{ obligations: ObligationView[] }>('admin', 'GET', '/obligations?org=zko-uralsk-police-dv&status=open');
    expect(all.body.obligations.filter((obligation) => obligation.rule === 'unit-quarterly-report')).toHaveLength(1);
  });

  it('loads an action plan: one obligation per item and responsible body', async () => {
    const answer = await run().api<{ opened: number }>('secretary', 'POST', '/action-plans', {
      plan: 'ЗКО-ПЛАН-2026',
      issuedBy: 'zko-uralsk-kdn',
      from: '2026-04-01',
      until: '2026-12-31',
      items: [
        { item: '5', title: 'Отбасыларды анықтау', deadline: 'monthly', responsible: ['zko-uralsk-school-12'] },
        { item: '7', title: 'Көмек көрсету', deadline: 'quarterly', responsible: ['zko-burlin-hospital', 'zko-uralsk-school-12'] },
      ],
    });
    expect(answer.status).toBe(201);
    expect(answer.body.opened).toBe(3);
  });

  it('reminds the unit heads; a report sent closes that unit\'s quarter only', async () => {
    await run().at('2026-04-02T09:30:00+05:00');
    expect(recipients(told('Напоминание', REPORT)(await run().newMail())).sort()).toEqual(['unit-head.burlin@police.demo.kz', 'unit-head.uralsk@police.demo.kz']);
    const uralsk = await quarterly('zko-uralsk-police-dv');
    await run().at('2026-04-03T10:00:00+05:00');
    expect((await run().record('unitHead', uralsk?.id ?? '', { act: 'reported' })).status).toBe('done');

    await run().at('2026-04-07T09:30:00+05:00');
    const mail = await run().newMail();
    expect(recipients(told('Напоминание', REPORT)(mail))).toEqual(['unit-head.burlin@police.demo.kz']);
    expect(recipients(told('Просрочено', REPORT)(mail))).toEqual(['head.police.zko@police.demo.kz']);
  });

  it('the plan item is reminded and, unreported, escalated to the head of the body', async () => {
    await run().at('2026-04-30T09:30:00+05:00');
    const reminded = told('Напоминание', PLAN_ITEM)(await run().newMail());
    expect(new Set(recipients(reminded))).toEqual(new Set(['office.school12.uralsk@edu.demo.kz']));
    expect(count(reminded, `Напоминание: ${PLAN_ITEM}`)).toBe(2);
    // 1 May is a holiday: the escalation comes in Monday's morning mail.
    await run().at('2026-05-04T09:30:00+05:00');
    expect(recipients(told('Просрочено', PLAN_ITEM)(await run().newMail()))).toEqual(['director.school12.uralsk@edu.demo.kz']);
  });

  it('each periodic obligation goes on to its next period by itself', async () => {
    await run().at('2026-05-04T10:00:00+05:00');
    const school = await run().api<{ obligations: ObligationView[] }>('admin', 'GET', '/obligations?org=zko-uralsk-school-12&status=open');
    const monthly = school.body.obligations.find((obligation) => obligation.rule === 'action-plan-item' && obligation.deadline.lastDay === '2026-06-01');
    expect(monthly).toMatchObject({ cycle: 2, status: 'open' });

    await run().at('2026-06-30T00:00:01+05:00');
    const next = await quarterly('zko-uralsk-police-dv');
    expect(next).toMatchObject({ cycle: 2, status: 'open', dueAt: '2026-07-07T18:30:00+05:00' });
  });
});
