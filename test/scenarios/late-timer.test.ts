import { describe, expect, it } from 'vitest';
import { type Mail, type ObligationView, noticesIn, scenario } from './harness.ts';

/**
 * A commission's submission registered six weeks late: by the time it is opened, its reminders,
 * its deadline and every rung of its escalation have passed. The timer does not replay the
 * ladder: each person is told once, by the latest escalation, which says how long the reply is
 * overdue; the reminders are recorded as skipped, and the head the police unit does not have in
 * the directory is recorded as nobody to tell, and listed for the administrator. The escalation is
 * not urgent: it comes in the next working morning's mail, one mail per person with all of his.
 */
describe('a timer that starts after its milestones have passed', () => {
  const run = scenario('2026-04-13T09:30:00+05:00', { schedules: ['digest'] });
  let opened: ObligationView[] = [];
  const to = (mail: readonly Mail[], address: string): Mail[] => mail.filter((item) => item.to.includes(address));
  const trail = async (id: string) =>
    (await run().api<{ events: { type: string; at: string; details?: Record<string, string | number | boolean> }[] }>('admin', 'GET', `/obligations/${id}`)).body.events;

  it('tells the secretary, the chair and the education head once each per obligation, in one morning mail each, nobody twice, no reminder', async () => {
    opened = await run().open('secretary', {
      rule: 'submission-reply',
      caseRef: 'KDN-P-2026/09',
      addressees: ['zko-education', 'zko-uralsk-police-dv'],
      issuedBy: 'zko-uralsk-kdn',
      start: '2026-03-02T10:00:00+05:00',
    });
    // Every milestone of the plan is past.
    for (const obligation of opened) for (const milestone of obligation.plan.milestones) expect(Date.parse(milestone.at)).toBeLessThan(Date.parse('2026-04-13T09:30:00+05:00'));
    await run().clock.settle();
    // Opened after this morning's mail: told in the next one.
    expect(await run().newMail()).toEqual([]);
    await run().at('2026-04-14T09:30:00+05:00');
    const mail = await run().newMail();
    for (const [address, notices] of [
      ['head.education.zko@edu.demo.kz', 1],
      ['kdn-secretary.uralsk@akimat.demo.kz', 2],
      ['kdn-chair.uralsk@akimat.demo.kz', 2],
    ] as const) {
      expect(to(mail, address), address).toHaveLength(1);
      expect(noticesIn(to(mail, address)), address).toHaveLength(notices);
    }
    expect(to(mail, 'office.education.zko@edu.demo.kz')).toEqual([]);
    expect(to(mail, 'office.dv.uralsk@police.demo.kz')).toEqual([]);
    expect(noticesIn(mail)).toHaveLength(5);
    expect(noticesIn(mail).filter((notice) => notice.subject.includes('Напоминание'))).toEqual([]);
    // The one notice says how late, and that it stands for the ones not sent.
    const [head] = noticesIn(to(mail, 'head.education.zko@edu.demo.kz'));
    expect(head?.subject).toMatch(/^Мерзімі өткен \/ Просрочено:/);
    expect(head?.text).toMatch(/просрочено на \d+ (день|дня|дней)/);
    expect(head?.text).toMatch(/\d+ күнге кешіктірілді/);
    expect(head?.text).toContain('вместо них направляется это одно');
  });

  it('records the reminders as skipped (opened late), the earlier rungs as collapsed into the last, and the missing head as nobody to tell', async () => {
    const [education, police] = opened;
    const events = await trail(police?.id ?? '');
    const skipped = events.filter((event) => event.type === 'milestone-skipped');
    expect(skipped.map((event) => [event.details?.['milestone'], event.details?.['reason'], event.details?.['into']])).toEqual([
      ['reminder-1', 'opened-late', undefined],
      ['reminder-2', 'opened-late', undefined],
      ['due', 'opened-late', 'escalation-2-1'],
      ['escalation-1-1', 'opened-late', 'escalation-2-1'],
    ]);
    const escalated = events.filter((event) => event.type === 'escalated');
    expect(escalated).toHaveLength(1);
    expect(escalated[0]?.details).toMatchObject({ milestone: 'escalation-2-1', unreachable: 'addressee-head', replaces: 'due escalation-1-1' });
    expect(escalated[0]?.details?.['toldNobody']).toBeUndefined();
    // The deadline still marks the obligation overdue.
    expect(events.map((event) => event.type)).toContain('marked-overdue');
    const educationEscalated = (await trail(education?.id ?? '')).filter((event) => event.type === 'escalated');
    expect(educationEscalated.map((event) => event.details?.['unreachable'])).toEqual([undefined]);
  });

  it('lists the police unit without a head of its own on the directory gaps, for the administrator only, until one is added', async () => {
    const gaps = await run().api<{ gaps: { org: string; role: string; obligationId: string }[] }>('admin', 'GET', '/directory/gaps');
    expect(gaps.status).toBe(200);
    expect(gaps.body.gaps).toEqual([expect.objectContaining({ org: 'zko-uralsk-police-dv', role: 'addressee-head', obligationId: opened[1]?.id })]);
    expect((await run().api('secretary', 'GET', '/directory/gaps')).status).toBe(403);
  });

  it('a week later nothing is told again (the digests go on listing what is overdue)', async () => {
    await run().at('2026-04-20T12:00:00+05:00');
    expect(noticesIn(await run().newMail())).toEqual([]);
  });

  it('the gap leaves the list once the directory has a head for the unit', async () => {
    const added = await run().api('admin', 'PUT', '/organisations/zko-uralsk-police-dv/members/dv-head.uralsk', {
      role: 'addressee-head',
      email: 'head.dv.uralsk@police.demo.kz',
    });
    expect(added.status).toBe(200);
    expect((await run().api<{ gaps: unknown[] }>('admin', 'GET', '/directory/gaps')).body.gaps).toEqual([]);
  });
});
