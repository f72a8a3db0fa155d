import { describe, expect, it } from 'vitest';
import { type Mail, recipients, scenario } from './harness.ts';

/** Mails naming a rule: in the subject of one sent at once, in the text of a morning mail. */
const about = (name: string) => (mail: readonly Mail[]) => mail.filter((item) => `${item.subject}\n${item.text}`.includes(name));
const warnings = about('Официальное предостережение');
const requirements = about('Особые требования');
const absences = (mail: readonly Mail[]) => mail.filter((item) => item.subject.includes('Отсутствие проживающего'));
const count = (mail: readonly Mail[], words: string): number => mail.reduce((sum, item) => sum + item.text.split(words).length - 1, 0);

/**
 * Measures in force and a crisis centre's resident away: their clocks on one calendar. The
 * measures' reminders and expiries are not urgent (the 09:30 morning mail of the next working
 * day); a resident away is (its head is told at the instant).
 */
describe('official-warning, special-requirements, shelter-absence', () => {
  const run = scenario('2026-04-01T12:30:00+05:00', { schedules: ['digest'] });
  const ids = { warning: '', requirements: '', away: '', back: '' };

  it('opens a warning, a court order of special requirements for 3 months, and a resident away', async () => {
    const [warning] = await run().open('inspector', { rule: 'official-warning', caseRef: 'ОП-2026/3', org: 'zko-uralsk-police-dv', start: '2026-04-01T12:00:00+05:00' });
    const [ordered] = await run().open('inspector', { rule: 'special-requirements', caseRef: 'СУД-2026/88', org: 'zko-uralsk-police-dv', start: '2026-04-01', count: 3 });
    expect(warning?.dueAt).toBe('2026-05-02T00:00:00+05:00');
    expect(ordered?.dueAt).toBe('2026-07-02T00:00:00+05:00');
    ids.warning = warning?.id ?? '';
    ids.requirements = ordered?.id ?? '';
  });

  it('a court order without its term is refused with the reason', async () => {
    const answer = await run().api('inspector', 'POST', '/obligations', { rule: 'special-requirements', caseRef: 'СУД-2026/89', org: 'zko-uralsk-police-dv', start: '2026-04-01' });
    expect(answer.status).toBe(422);
    expect(JSON.stringify(answer.body)).toContain('the court');
  });

  it('the warning is checked twice a month, then expires', async () => {
    await run().at('2026-04-16T09:30:00+05:00');
    expect(recipients(warnings(await run().newMail()))).toEqual(['inspector.uralsk@police.demo.kz', 'inspector2.uralsk@police.demo.kz']);
    // It lapses at the start of Saturday 2 May: nobody is mailed on the weekend.
    await run().at('2026-05-02T00:00:01+05:00');
    expect((await run().obligation(ids.warning)).obligation.status).toBe('expired');
    const beforeWeekend = warnings(await run().newMail());
    await run().at('2026-05-03T23:00:00+05:00');
    expect(await run().newMail()).toEqual([]);
    // Monday's morning mail tells each inspector it lapsed. The second reminder fell on Friday
    // 1 May, a holiday: by the next working morning the warning had lapsed, so it is withdrawn,
    // not sent (the lapse says more), and the notices show why.
    await run().at('2026-05-04T09:30:00+05:00');
    const monday = warnings(await run().newMail());
    expect(recipients(monday)).toEqual(['inspector.uralsk@police.demo.kz', 'inspector2.uralsk@police.demo.kz']);
    expect(monday.every((item) => item.subject.includes('04.05.2026'))).toBe(true);
    expect(count(monday, 'Срок действия истёк: Официальное предостережение')).toBe(2);
    expect(count([...beforeWeekend, ...monday], 'Напоминание: Официальное предостережение')).toBe(0);
    const notices = await run().api<{ notices: { milestone: string; status: string; withdrawnBecause?: string }[] }>('admin', 'GET', `/obligations/${ids.warning}`);
    const withdrawn = notices.body.notices.filter((notice) => notice.status === 'withdrawn');
    expect(withdrawn).toHaveLength(2);
    expect(withdrawn.every((notice) => notice.milestone.startsWith('reminder') && notice.withdrawnBecause === 'closed')).toBe(true);
  });

  it('a resident away more than 3 × 24 hours: the head of the crisis centre is told', async () => {
    // The centre registers an absence once it is noticed, never ahead of it.
    await run().at('2026-05-04T21:30:00+05:00');
    const [away] = await run().open('shelterHead', { rule: 'shelter-absence', caseRef: 'КЦ-2026/12', org: 'zko-uralsk-crisis-centre', start: '2026-05-04T20:00:00+05:00' });
    expect(away?.dueAt).toBe('2026-05-07T20:00:00+05:00');
    ids.away = away?.id ?? '';
    const [back] = await run().open('shelterHead', { rule: 'shelter-absence', caseRef: 'КЦ-2026/13', org: 'zko-uralsk-crisis-centre', start: '2026-05-04T21:00:00+05:00' });
    ids.back = back?.id ?? '';

    await run().at('2026-05-06T08:00:00+05:00');
    // The return is the centre's act: the administrator keeps the directory, not the centre's register.
    expect((await run().api('admin', 'POST', `/obligations/${ids.back}/events`, { act: 'resident-returned' })).status).toBe(403);
    expect((await run().record('shelterHead', ids.back, { act: 'resident-returned' })).status).toBe('done');

    await run().at('2026-05-07T20:00:00+05:00');
    const told = absences(await run().newMail());
    expect(recipients(told)).toEqual(['head.crisis-centre.uralsk@social.demo.kz']);
    expect(told[0]?.text).toContain('КЦ-2026/12');
    expect((await run().obligation(ids.away)).obligation.status).toBe('overdue');
  });

  it('special requirements: a reminder ten days before the end, then expiry', async () => {
    // The reminder falls on Sunday 21 June: it comes in Monday's morning mail.
    await run().at('2026-06-21T09:30:00+05:00');
    expect(requirements(await run().newMail())).toEqual([]);
    await run().at('2026-06-22T09:30:00+05:00');
    const reminded = requirements(await run().newMail());
    expect(reminded).toHaveLength(2);
    expect(count(reminded, 'Напоминание: Особые требования')).toBe(2);
    await run().at('2026-07-02T00:00:01+05:00');
    expect((await run().obligation(ids.requirements)).obligation.status).toBe('expired');
    await run().at('2026-07-02T09:30:00+05:00');
    const expired = requirements(await run().newMail());
    expect(count(expired, 'Срок действия истёк: Особые требования')).toBe(2);
  });
});
