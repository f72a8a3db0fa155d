import { describe, expect, it } from 'vitest';
import { type Mail, type ObligationView, noticesIn, scenario } from './harness.ts';

/**
 * Seed 002's rows as written, through the whole system: a window of months ("қыркүйек–қазан")
 * opens on its first day with a reminder, a permanent item ("тұрақты негізде") is reported each
 * quarter, and an item with a year of its own stops with that year.
 */
describe('action-plan rows as the plan writes them', () => {
  // The morning mail runs: the window's reminder is not urgent, it comes at 09:30 on the day it opens.
  const run = scenario('2026-08-20T12:00:00+05:00', { schedules: ['digest'] });
  const PLAN = 'ЗКО-ЖОСПАР-2026';
  const SCHOOL_OFFICE = 'office.school12.uralsk@edu.demo.kz';
  type Item = ObligationView & { readonly start: string; readonly until?: string; readonly plan: ObligationView['plan'] & { readonly nextCycle?: { readonly startsAt: string } } };
  const item = async (label: string): Promise<Item> => {
    const answer = await run().api<{ obligations: Item[] }>('admin', 'GET', `/cases?caseRef=${encodeURIComponent(`${PLAN}/${label}`)}`);
    expect(answer.status).toBe(200);
    const [only] = answer.body.obligations;
    if (only === undefined) throw new Error(`no obligation for item ${label}`);
    // The case view lists it as a card does; its plan comes with the obligation.
    const detail = await run().api<{ obligation: Item }>('admin', 'GET', `/obligations/${only.id}`);
    expect(detail.status).toBe(200);
    return detail.body.obligation;
  };
  const toSchool = (mail: readonly Mail[]) => mail.filter((one) => one.to.includes(SCHOOL_OFFICE));

  it('imports a window, a permanent item and an item with its own year, none refused', async () => {
    const answer = await run().api<{ opened: number }>('secretary', 'POST', '/action-plans', {
      plan: PLAN,
      issuedBy: 'zko-uralsk-kdn',
      from: '2026-01-01',
      until: '2027-12-31',
      items: [
        { item: '13', title: 'Педагогтар мен психологтарға семинар ұйымдастыру', deadline: 'months:09-10', responsible: ['zko-uralsk-school-12'] },
        { item: '29', title: 'Балаларды үйге барып тексеру', deadline: 'permanent', responsible: ['zko-burlin-hospital'] },
        { item: '10', title: 'Кеңес беру қызметін жетілдіру', deadline: 'monthly', years: '2026', responsible: ['zko-burlin-hospital'] },
      ],
    });
    expect(answer.status).toBe(201);
    expect(answer.body.opened).toBe(3);

    // 31 October 2026 is a Saturday: the window is due on Monday 2 November; the next opens on 1 September 2027
    expect(await item('13')).toMatchObject({ variant: 'window', start: '2026-09-01T00:00:00+05:00', plan: { dueDate: '2026-11-02', nextCycle: { startsAt: '2027-09-01T00:00:00+05:00' } } });
    // loaded on 20 August: the quarter under way
    expect(await item('29')).toMatchObject({ variant: 'permanent', start: '2026-07-01T00:00:00+05:00', plan: { dueDate: '2026-09-30' }, until: '2027-12-31' });
    expect(await item('10')).toMatchObject({ variant: 'monthly', start: '2026-08-01T00:00:00+05:00', until: '2026-12-31' });
  });

  it('the window is reminded as it opens, and not before', async () => {
    await run().at('2026-08-31T23:00:00+05:00');
    expect(toSchool(await run().newMail())).toEqual([]);
    await run().at('2026-09-01T09:00:00+05:00');
    expect(toSchool(await run().newMail())).toEqual([]);
    // Tuesday 1 September, a working day: the school's morning mail carries it.
    await run().at('2026-09-01T09:30:00+05:00');
    const [opened, ...more] = noticesIn(toSchool(await run().newMail()));
    expect(more).toEqual([]);
    expect(opened?.subject).toMatch(/^Еске салу \/ Напоминание: .* · ЗКО-ЖОСПАР-2026\/13 · 02\.11\.2026, 24:00$/);
    expect(opened?.text).toContain('Жоспар бойынша орындау мерзімі: жыл сайын, қыркүйек–қазан (01.09.2026 – 31.10.2026)');
    expect(opened?.text).toContain('Жоспар бойынша орындау мерзімі басталды: 01.09.2026 – 31.10.2026.');
    expect(opened?.text).toContain('Срок исполнения по плану: ежегодно, сентябрь–октябрь (01.09.2026 – 31.10.2026)');
    expect(opened?.text).toContain('Начался срок исполнения по плану: 01.09.2026 – 31.10.2026.');
  });

  it('the permanent item goes on each quarter; the item of 2026 stops with 2026', async () => {
    await run().at('2027-01-05T10:00:00+05:00');
    expect(await item('29')).toMatchObject({ cycle: 3, start: '2027-01-01T00:00:00+05:00', plan: { dueDate: '2027-03-31' } });
    // August to December 2026: five months, and no January
    const monthly = await item('10');
    expect(monthly).toMatchObject({ cycle: 5, start: '2026-12-01T00:00:00+05:00', plan: { dueDate: '2026-12-31' } });
    expect(monthly.timer?.finished).toBe(true);
    // the window waits for September 2027
    expect(await item('13')).toMatchObject({ cycle: 1, plan: { nextCycle: { startsAt: '2027-09-01T00:00:00+05:00' } } });
  });
});
