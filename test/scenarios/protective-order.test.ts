import { describe, expect, it } from 'vitest';
import { type Mail, recipients, scenario } from './harness.ts';

/** The checks' notices are not urgent: they come in the morning mail, which names them in its text. */
const aboutChecks = (mail: readonly Mail[]) => mail.filter((item) => `${item.subject}\n${item.text}`.includes('Проверка правонарушителя'));
/** The order's reminder and lapse are urgent: each is a mail of its own, at its instant. */
const aboutOrder = (mail: readonly Mail[]) => mail.filter((item) => item.subject.includes('Защитное предписание'));

/**
 * An order served on 2 March 2026 at 10:00: weekly checks, expiry 30 × 24 h later. The checks'
 * reminders and escalations go in the 09:30 morning mail; the order's warning and lapse at once.
 */
describe('protective-order and the offender checks it starts', () => {
  const run = scenario('2026-03-02T10:30:00+05:00', { schedules: ['digest'] });
  const ids = { order: '', checks: '' };

  it('serving the order opens the order and the weekly checks', async () => {
    const opened = await run().open('inspector', {
      rule: 'protective-order',
      caseRef: 'ЗП-2026/118',
      org: 'zko-uralsk-police-dv',
      assignee: 'aigerim.inspector',
      start: '2026-03-02T10:00:00+05:00',
    });
    const order = opened.find((obligation) => obligation.rule === 'protective-order');
    const checks = opened.find((obligation) => obligation.rule === 'offender-check');
    expect(order?.dueAt).toBe('2026-04-01T10:00:00+05:00');
    expect(checks).toMatchObject({ parentId: order?.id, dueAt: '2026-03-10T00:00:00+05:00', cycle: 1 });
    ids.order = order?.id ?? '';
    ids.checks = checks?.id ?? '';
  });

  it('a check recorded on 5 March makes the next one due 7 days after it', async () => {
    await run().at('2026-03-05T11:00:00+05:00');
    const next = await run().record('inspector', ids.checks, { act: 'checked' });
    expect(next).toMatchObject({ status: 'open', cycle: 2, dueAt: '2026-03-13T00:00:00+05:00' });
    expect(aboutChecks(await run().newMail())).toEqual([]);
  });

  it("reminds the inspector in the last day's morning mail, and tells the unit head in the next morning's after a missed check", async () => {
    await run().at('2026-03-12T09:00:00+05:00');
    expect(aboutChecks(await run().newMail())).toEqual([]);
    await run().at('2026-03-12T09:30:00+05:00');
    const reminder = aboutChecks(await run().newMail());
    expect(recipients(reminder)).toEqual(['inspector.uralsk@police.demo.kz']);
    expect(reminder[0]?.subject).toContain('12.03.2026');
    expect(reminder[0]?.text).toContain('Напоминание: Проверка правонарушителя');
    expect(reminder[0]?.text).toContain('12.03.2026, 24:00');

    await run().at('2026-03-13T09:30:00+05:00');
    expect((await run().obligation(ids.checks)).obligation.status).toBe('overdue');
    // The escalation goes to the unit head alone; the heads above read the overdue check in their digests.
    const mail = aboutChecks(await run().newMail());
    const told = mail.filter((item) => item.text.includes('Просрочено: Проверка правонарушителя'));
    expect(recipients(told)).toEqual(['unit-head.uralsk@police.demo.kz']);
    expect(mail.every((item) => item.subject.includes('13.03.2026'))).toBe(true);
  });

  it('a late check starts the next week from the moment it was made', async () => {
    await run().at('2026-03-13T10:00:00+05:00');
    const next = await run().record('inspector', ids.checks, { act: 'checked' });
    expect(next).toMatchObject({ status: 'open', cycle: 3, dueAt: '2026-03-21T00:00:00+05:00' });
  });

  it('the order expires 30 × 24 hours after service, with a warning three days before', async () => {
    await run().at('2026-03-29T10:00:00+05:00');
    const warning = aboutOrder(await run().newMail());
    expect(recipients(warning)).toEqual(['inspector.uralsk@police.demo.kz']);
    expect(warning[0]?.subject).toContain('01.04.2026, 10:00');
    expect((await run().obligation(ids.order)).obligation.status).toBe('open');

    await run().at('2026-04-01T10:00:01+05:00');
    const expired = aboutOrder(await run().newMail());
    expect(recipients(expired)).toEqual(['inspector.uralsk@police.demo.kz']);
    expect(expired[0]?.subject).toContain('Срок действия истёк');
    expect((await run().obligation(ids.order)).obligation.status).toBe('expired');
  });

  it('deregistering the offender ends the checks', async () => {
    const ended = await run().record('inspector', ids.checks, { act: 'deregistered' });
    expect(ended.status).toBe('done');
    await run().at('2026-04-20T10:00:00+05:00');
    expect(aboutChecks(await run().newMail())).toEqual([]);
  });
});
