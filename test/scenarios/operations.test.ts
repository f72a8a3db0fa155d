import { describe, expect, it } from 'vitest';
import { type Mail, type ObligationView, digestsIn, noticesIn, recipients, scenario } from './harness.ts';

/**
 * What officials do to deadlines that are already running, and the daily digest, on one system
 * whose morning mail goes every working morning at 09:30 (Astana), with each person's notices
 * and digest in one mail:
 * - the Uralsk akimat department, addressee of a commission's decision, asks the commission for
 *   more time; the commission's secretary grants it: the old plan's reminders never come, the new ones do;
 * - a start registered wrongly by the Burlin department is corrected by the department's head,
 *   with the reason (the department itself may not move its own clock): the deadline moves with it;
 * - the administrator declares 6 April 2026 a day off: what was due that day is due the next
 *   working day, and the extended case's escalations move off it too;
 * - the commission secretary gets one digest a working day with the overdue reply and its CoAO art. 479 grounds.
 *
 * The digest goes out every working morning to every head with something overdue or due soon, in
 * the same mail as his notices, so the notices of one case are picked out of the mails by their
 * case reference (noticesIn) and the digests by where they stand (digestsIn).
 */
describe('operations on running deadlines, and the daily digest', () => {
  const run = scenario('2026-03-19T15:30:00+05:00', { schedules: ['digest'] });
  const ref = { extended: 'КДН-2026/24', corrected: 'SSS-2026/202', moved: 'SSS-2026/203', reply: 'КДН-2026/31' } as const;
  const ids = { extended: '', corrected: '', moved: '', reply: '' };

  /** Notices (not digests) about one case. */
  const noticesAbout = (mail: readonly Mail[], caseRef: string): Mail[] => noticesIn(mail).filter((item) => item.text.includes(caseRef));
  const digestsTo = (mail: readonly Mail[], address: string): Mail[] => digestsIn(mail).filter((item) => item.to.includes(address));
  const to = (mail: readonly Mail[], address: string): Mail[] => mail.filter((item) => item.to.includes(address));

  interface AuditEvent {
    readonly type: string;
    readonly revision: number;
    readonly by: string;
    readonly at: string;
    readonly recordedAt: string;
    readonly reason?: string;
    readonly details?: Record<string, unknown>;
  }
  const trail = async (id: string): Promise<{ obligation: ObligationView & { requestedDueDate?: string }; events: AuditEvent[] }> => {
    const answer = await run().api<{ obligation: ObligationView & { requestedDueDate?: string }; events: AuditEvent[] }>('admin', 'GET', `/obligations/${id}`);
    expect(answer.status).toBe(200);
    return answer.body;
  };

  it('opens a commission decision for the Uralsk department due 2 April, a Burlin decision due 27 March and a submission reply due 19 March', async () => {
    // The commission's placement decision reached the Uralsk department on 19 March: two weeks, to 2 April.
    const [extended] = await run().open('secretary', {
      rule: 'kdn-placement-reply',
      caseRef: ref.extended,
      org: 'zko-uralsk-akimat-sss',
      issuedBy: 'zko-uralsk-kdn',
      start: '2026-03-19T15:20:00+05:00',
    });
    // The Burlin department opens (and its head later corrects) its own case.
    const [corrected] = await run().open('burlinSss', { rule: 'sss-decision', caseRef: ref.corrected, org: 'zko-burlin-akimat-sss', start: '2026-03-19T15:20:00+05:00' });
    const [reply] = await run().open('secretary', {
      rule: 'submission-reply',
      caseRef: ref.reply,
      org: 'zko-uralsk-school-12',
      issuedBy: 'zko-uralsk-kdn',
      start: '2026-02-19T10:00:00+05:00',
    });
    expect(extended).toMatchObject({ status: 'open', revision: 1, plan: { dueDate: '2026-04-02' }, dueAt: '2026-04-03T00:00:00+05:00' });
    expect(corrected).toMatchObject({ status: 'open', revision: 1, dueAt: '2026-03-27T18:30:00+05:00' });
    expect(reply).toMatchObject({ status: 'open', plan: { dueDate: '2026-03-19' }, dueAt: '2026-03-20T00:00:00+05:00' });
    ids.extended = extended?.id ?? '';
    ids.corrected = corrected?.id ?? '';
    ids.reply = reply?.id ?? '';
  });

  describe('the daily digest', () => {
    it('on 20 March at 09:30 the commission secretary gets one mail: the deadline and the escalation of the overdue reply, and the digest with it and the grounds of CoAO art. 479, in Kazakh and Russian', async () => {
      await run().newMail();
      await run().at('2026-03-20T09:00:00+05:00');
      expect(await run().newMail()).toEqual([]);
      await run().at('2026-03-20T09:30:00+05:00');
      const mail = await run().newMail();
      expect(to(mail, 'kdn-secretary.uralsk@akimat.demo.kz')).toHaveLength(1);
      // The deadline passed at midnight and the escalation fell at 09:00: her one morning mail tells
      // the reply once, as the escalation, and says it folds the deadline's notice.
      const told = noticesIn(to(mail, 'kdn-secretary.uralsk@akimat.demo.kz'));
      expect(told.map((notice) => notice.subject.split(':')[0])).toEqual(['Мерзімі өткен / Просрочено']);
      expect(told[0]?.subject).toContain(`${ref.reply} · 19.03.2026, 24:00`);
      expect(told[0]?.text).toContain('здесь приведено последнее');
      // Both of her notices are carried by that mail, the folded one too.
      const shown = await run().api<{ notices: { milestone: string; recipient: string; status: string }[] }>('admin', 'GET', `/obligations/${ids.reply}`);
      expect(shown.body.notices.filter((notice) => notice.recipient === 'dana.secretary').map((notice) => notice.status)).toEqual(['sent', 'sent']);
      const digests = digestsIn(mail);
      // Only the reply is overdue or due within three days: the commission (secretary, chair) and the school's director watch it.
      expect(recipients(digests)).toEqual(['director.school12.uralsk@edu.demo.kz', 'kdn-chair.uralsk@akimat.demo.kz', 'kdn-secretary.uralsk@akimat.demo.kz']);
      const [digest] = digestsTo(digests, 'kdn-secretary.uralsk@akimat.demo.kz');
      expect(digest?.subject).toContain('20.03.2026');
      expect(digest?.subject).toContain('Мерзімі өткен / Просрочено: 1');
      expect(digest?.text).toContain('ҚАЗАҚША');
      expect(digest?.text).toContain('РУССКИЙ');
      expect(digest?.text).toContain(ref.reply);
      expect(digest?.text).toContain('[МЕРЗІМІ ӨТКЕН]');
      expect(digest?.text).toContain('[ПРОСРОЧЕНО]');
      expect(digest?.text).toContain('ӘҚБтК 479-бабы');
      expect(digest?.text).toContain('ст. 479 КоАП РК');
      expect(digest?.text).not.toContain(ref.extended);
    });

    it('the same day is never sent twice: the schedule fired again, or the digest run by hand later that day, sends nothing', async () => {
      const again = (await run().system.invoke('digest', { scheduledAt: '2026-03-20T09:30:00+05:00' })) as { sent: number; people: number };
      expect(again).toMatchObject({ date: '2026-03-20', sent: 0, people: 3 });
      await run().at('2026-03-20T14:00:00+05:00');
      expect(await run().system.invoke('digest', {})).toMatchObject({ date: '2026-03-20', sent: 0 });
      expect(digestsTo(await run().newMail(), 'kdn-secretary.uralsk@akimat.demo.kz')).toEqual([]);
    });

    it('no digest on the days off: the weekend of 21–22 March and Nauryz, 23–25 March', async () => {
      await run().at('2026-03-25T09:59:00+05:00');
      expect(to(await run().newMail(), 'kdn-secretary.uralsk@akimat.demo.kz')).toEqual([]);
      expect(digestsTo(await run().allMail(), 'kdn-secretary.uralsk@akimat.demo.kz')).toHaveLength(1);
    });
  });

  describe('an extension asked for and granted, and a corrected start', () => {
    it('on 25 March the Uralsk department may not extend the commission\'s deadline itself: 403, nothing changes', async () => {
      await run().at('2026-03-25T10:00:00+05:00');
      const refused = await run().api<{ message: string }>('sss', 'POST', `/obligations/${ids.extended}/events`, {
        act: 'extended',
        dueDate: '2026-04-03',
        reason: 'Запрошены дополнительные документы',
      });
      expect(refused.status).toBe(403);
      expect(refused.body.message).toContain('extended');
      const { obligation, events } = await trail(ids.extended);
      expect(obligation).toMatchObject({ revision: 1, dueAt: '2026-04-03T00:00:00+05:00' });
      expect(events.map((event) => event.type)).toEqual(['opened']);
    });

    it('it asks the commission for time until 3 April, with the reason: the deadline stays until the commission answers', async () => {
      const asked = await run().record('sss', ids.extended, { act: 'extension-requested', dueDate: '2026-04-03', reason: 'Запрошены дополнительные документы' });
      expect(asked).toMatchObject({ status: 'open', revision: 1, dueAt: '2026-04-03T00:00:00+05:00', requestedDueDate: '2026-04-03' });
      const { events } = await trail(ids.extended);
      expect(events.map((event) => event.type)).toEqual(['opened', 'extension-requested']);
      expect(events.at(-1)).toMatchObject({ by: 'aliya.sss', at: '2026-03-25T10:00:00+05:00', reason: 'Запрошены дополнительные документы', details: { dueDate: '2026-04-03' } });
    });

    it('26 March, the next working morning, brings the secretary her next digest', async () => {
      await run().at('2026-03-26T09:30:00+05:00');
      const [digest, ...more] = digestsTo(await run().newMail(), 'kdn-secretary.uralsk@akimat.demo.kz');
      expect(more).toEqual([]);
      expect(digest?.subject).toContain('26.03.2026');
      expect(digest?.text).toContain(ref.reply);
      expect(digestsTo(await run().allMail(), 'kdn-secretary.uralsk@akimat.demo.kz')).toHaveLength(2);
    });

    it('on 26 March the commission\'s secretary grants it: revision 2, due 3 April 24:00, replanned', async () => {
      await run().at('2026-03-26T10:00:00+05:00');
      const extended = await run().record('secretary', ids.extended, { act: 'extended', dueDate: '2026-04-03' });
      expect(extended).toMatchObject({ status: 'open', revision: 2, dueAt: '2026-04-04T00:00:00+05:00', plan: { dueDate: '2026-04-03' } });
      const { obligation, events } = await trail(ids.extended);
      expect(obligation).toMatchObject({ revision: 2, dueAt: '2026-04-04T00:00:00+05:00' });
      // The request is answered.
      expect(obligation.requestedDueDate).toBeUndefined();
      expect(events.map((event) => event.type)).toEqual(['opened', 'extension-requested', 'extended', 'replanned']);
      expect(events.at(-2)).toMatchObject({ by: 'dana.secretary', at: '2026-03-26T10:00:00+05:00', details: { dueDate: '2026-04-03' } });
      expect(events.at(-1)).toMatchObject({
        revision: 2,
        by: 'dana.secretary',
        details: { previousDueAt: '2026-04-02T19:00:00.000Z', dueAt: '2026-04-03T19:00:00.000Z' },
      });
    });

    it('the Burlin conclusion was registered with the wrong start: the department may not correct it, its head does, with the reason; due on 30 March', async () => {
      const correction = { act: 'start-corrected', start: '2026-03-25T09:00:00+05:00', reason: 'Заключение поступило 25 марта, зарегистрировано ошибочно' };
      const byDepartment = await run().api('burlinSss', 'POST', `/obligations/${ids.corrected}/events`, correction);
      expect(byDepartment.status).toBe(403);
      const { reason: _reason, ...withoutReason } = correction;
      const unexplained = await run().api<{ issues: { path: string }[] }>('burlinSssHead', 'POST', `/obligations/${ids.corrected}/events`, withoutReason);
      expect(unexplained.status).toBe(400);
      expect(unexplained.body.issues.map((issue) => issue.path)).toEqual(['reason']);
      expect((await trail(ids.corrected)).events.map((event) => event.type)).toEqual(['opened']);

      const corrected = await run().record('burlinSssHead', ids.corrected, correction);
      expect(corrected).toMatchObject({ status: 'open', revision: 2, dueAt: '2026-03-30T18:30:00+05:00', plan: { dueDate: '2026-03-30' } });
      const { events } = await trail(ids.corrected);
      expect(events.map((event) => event.type)).toEqual(['opened', 'start-corrected', 'replanned']);
      expect(events[1]).toMatchObject({
        by: 'timur.sss-head',
        reason: correction.reason,
        details: { previousStart: '2026-03-19T10:20:00.000Z', start: '2026-03-25T04:00:00.000Z' },
      });
      expect(events.at(-1)).toMatchObject({ revision: 2, details: { previousDueAt: '2026-03-27T13:30:00.000Z', dueAt: '2026-03-30T13:30:00.000Z' } });
    });

    it('27 March, the corrected case\'s old last day, passes without a reminder, and neither case is overdue', async () => {
      await run().newMail();
      await run().at('2026-03-27T18:31:00+05:00');
      expect(noticesIn(await run().newMail())).toEqual([]);
      expect((await run().obligation(ids.extended)).obligation.status).toBe('open');
      expect((await run().obligation(ids.corrected)).obligation.status).toBe('open');
    });

    it('the corrected case is reminded in the morning mail of 30 March, its new last day', async () => {
      await run().at('2026-03-30T09:30:00+05:00');
      const mail = await run().newMail();
      const notices = noticesIn(mail);
      expect(recipients(notices)).toEqual(['sss.burlin@akimat.demo.kz']);
      expect(to(mail, 'sss.burlin@akimat.demo.kz')[0]?.subject).toContain('30.03.2026');
      expect(notices[0]?.subject).toContain('Напоминание');
      expect(notices[0]?.subject).toContain('30.03.2026, 18:30');
      expect(notices[0]?.text).toContain(ref.corrected);
      expect(noticesAbout(await run().allMail(), ref.extended)).toEqual([]);
    });

    it('31 March, the old plan\'s first reminder, passes in silence; the new plan reminds the department\'s office on 1 April', async () => {
      await run().at('2026-03-31T23:59:00+05:00');
      expect(noticesAbout(await run().allMail(), ref.extended)).toEqual([]);
      await run().at('2026-04-01T09:30:00+05:00');
      const notices = noticesAbout(await run().allMail(), ref.extended);
      expect(recipients(notices)).toEqual(['office.sss.uralsk@akimat.demo.kz']);
      expect(notices[0]?.subject).toContain('Напоминание');
      expect(notices[0]?.subject).toContain('03.04.2026, 24:00');
    });
  });

  describe('a calendar override by the administrator', () => {
    it('a conclusion received on 1 April is due on Monday 6 April', async () => {
      await run().at('2026-04-01T10:00:00+05:00');
      const [moved] = await run().open('sss', { rule: 'sss-decision', caseRef: ref.moved, org: 'zko-uralsk-akimat-sss', start: '2026-04-01T09:30:00+05:00' });
      expect(moved).toMatchObject({ status: 'open', revision: 1, dueAt: '2026-04-06T18:30:00+05:00' });
      ids.moved = moved?.id ?? '';
    });

    it('only the administrator may change the calendar', async () => {
      const refused = await run().api('sss', 'PUT', '/calendar/overrides/2026-04-06', { kind: 'day-off', reason: 'Перенос выходного дня' });
      expect(refused.status).toBe(403);
      expect((await run().obligation(ids.moved)).obligation).toMatchObject({ revision: 1, dueAt: '2026-04-06T18:30:00+05:00' });
    });

    it('6 April declared a day off: the case due that day is due on 7 April, and the answer says how many moved', async () => {
      const answer = await run().api<{ override: Record<string, unknown>; replanned: number }>('admin', 'PUT', '/calendar/overrides/2026-04-06', {
        kind: 'day-off',
        reason: 'Перенос выходного дня постановлением Правительства',
      });
      expect(answer.status).toBe(200);
      expect(answer.body.override).toMatchObject({ date: '2026-04-06', kind: 'day-off' });
      // The new case's deadline moves; the extended case keeps its granted last day (3 April) but
      // its escalations, from 6 April on, move too. The corrected case's plan ends on 3 April.
      expect(answer.body.replanned).toBe(2);

      const moved = await trail(ids.moved);
      expect(moved.obligation).toMatchObject({ status: 'open', revision: 2, dueAt: '2026-04-07T18:30:00+05:00', plan: { dueDate: '2026-04-07' } });
      expect(moved.events.map((event) => event.type)).toEqual(['opened', 'replanned']);
      expect(moved.events.at(-1)).toMatchObject({ by: 'admin', details: { calendarDate: '2026-04-06', dueAt: '2026-04-07T13:30:00.000Z' } });

      const extended = await trail(ids.extended);
      expect(extended.obligation).toMatchObject({ status: 'open', revision: 3, dueAt: '2026-04-04T00:00:00+05:00', plan: { dueDate: '2026-04-03' } });
      expect(extended.obligation.plan.milestones.find((milestone) => milestone.id === 'escalation-1-1')?.at).toBe('2026-04-07T09:00:00+05:00');
      // Its new plan's first reminder (1 April) is in the trail before the calendar's replan.
      expect(extended.events.map((event) => event.type)).toEqual(['opened', 'extension-requested', 'extended', 'replanned', 'reminded', 'replanned']);
      expect((await run().obligation(ids.corrected)).obligation.revision).toBe(2);
    });

    it('the extended case is reminded in the morning mail of 3 April, its new last day, and never on 2 April, the old one', async () => {
      await run().at('2026-04-02T23:59:00+05:00');
      expect(noticesAbout(await run().allMail(), ref.extended)).toHaveLength(1);
      await run().at('2026-04-03T09:30:00+05:00');
      const notices = noticesAbout(await run().allMail(), ref.extended);
      expect(recipients(notices)).toEqual(['office.sss.uralsk@akimat.demo.kz', 'office.sss.uralsk@akimat.demo.kz']);
      expect(notices[1]?.subject).toContain('Напоминание');
      expect(notices[1]?.subject).toContain('03.04.2026, 24:00');
    });

    it('nothing about the moved cases on the day off; on 7 April the moved case is reminded, and the secretary told in one mail that the granted term ran out and is overdue', async () => {
      await run().at('2026-04-06T23:59:00+05:00');
      expect(noticesAbout(await run().allMail(), ref.moved)).toEqual([]);
      // The granted term ran out at midnight of 3 April, before a weekend and the new day off: the
      // secretary's notice of it waits for the next working morning; no escalation yet.
      const beforeMorning = noticesAbout(await run().allMail(), ref.extended);
      expect(recipients(beforeMorning)).toEqual(['office.sss.uralsk@akimat.demo.kz', 'office.sss.uralsk@akimat.demo.kz']);
      expect((await run().obligation(ids.moved)).obligation.status).toBe('open');
      await run().newMail();

      await run().at('2026-04-07T09:30:00+05:00');
      const mail = await run().newMail();
      const moved = noticesAbout(mail, ref.moved);
      expect(recipients(moved)).toEqual(['sss.uralsk@akimat.demo.kz']);
      expect(moved[0]?.subject).toContain('07.04.2026, 18:30');
      const told = noticesAbout(to(mail, 'kdn-secretary.uralsk@akimat.demo.kz'), ref.extended);
      expect(to(mail, 'kdn-secretary.uralsk@akimat.demo.kz')).toHaveLength(1);
      // The term ran out at midnight and the escalation fell at 09:00: told once, as the escalation.
      expect(told.map((item) => item.subject.split(':')[0])).toEqual(['Мерзімі өткен / Просрочено']);
      expect(told[0]?.text).toContain('здесь приведено последнее');
      const escalated = noticesAbout(mail, ref.extended).filter((item) => item.subject.includes('Просрочено'));
      expect(recipients(escalated)).toEqual(['kdn-secretary.uralsk@akimat.demo.kz']);
      expect((await run().obligation(ids.extended)).obligation.status).toBe('overdue');
    });
  });
});
