import { describe, expect, it } from 'vitest';
import { type Mail, type ObligationView, recipients, scenario } from './harness.ts';

/**
 * The Uralsk commission's placement decisions reach school No. 12 on Monday 6 April 2026 at
 * 10:00: two weeks to report the measures taken, to Monday 20 April (24:00). The term is the
 * commission's, so the school may only ask for more time; the commission's secretary answers.
 * On 14 April the school asks for 10 more days on both cases, with its reason. On 15 April the
 * secretary grants one (to 30 April) and refuses the other, which keeps its deadline.
 */
describe('an extension asked for by the addressee and answered by the commission', () => {
  const run = scenario('2026-04-06T10:30:00+05:00', { schedules: ['digest'] });
  const ref = { granted: 'КДН-2026/40', refused: 'КДН-2026/41' } as const;
  const ids = { granted: '', refused: '' };
  const SCHOOL_OFFICE = 'office.school12.uralsk@edu.demo.kz';
  const REASON = 'Ждём ответа органа опеки на запрос школы';

  // The reminders come in the school's 09:30 morning mail; the commission's digests name the cases too, and are not reminders.
  const reminders = (mail: readonly Mail[]): Mail[] => mail.filter((item) => item.to.includes(SCHOOL_OFFICE) && item.text.includes('Напоминание: '));
  const about = (mail: readonly Mail[], caseRef: string): Mail[] => reminders(mail).filter((item) => item.text.includes(caseRef));

  interface AuditEvent {
    readonly type: string;
    readonly by: string;
    readonly at: string;
    readonly recordedAt: string;
    readonly revision: number;
    readonly reason?: string;
    readonly details?: Record<string, unknown>;
  }
  type Detailed = ObligationView & { readonly requestedDueDate?: string; readonly version: number };
  interface Detail {
    readonly obligation: Detailed;
    readonly events: AuditEvent[];
    readonly allowedActs: { act: string; needs: string[] }[];
  }
  const detail = async (person: 'admin' | 'school' | 'secretary', id: string): Promise<Detail> => {
    const answer = await run().api<Detail>(person, 'GET', `/obligations/${id}`);
    expect(answer.status).toBe(200);
    return answer.body;
  };

  it('6 April: the secretary opens both decisions for the school, each due 20 April at 24:00', async () => {
    for (const key of ['granted', 'refused'] as const) {
      const [opened] = await run().open('secretary', {
        rule: 'kdn-placement-reply',
        caseRef: ref[key],
        org: 'zko-uralsk-school-12',
        issuedBy: 'zko-uralsk-kdn',
        start: '2026-04-06T10:00:00+05:00',
      });
      expect(opened).toMatchObject({ status: 'open', revision: 1, plan: { dueDate: '2026-04-20' }, dueAt: '2026-04-21T00:00:00+05:00' });
      ids[key] = opened?.id ?? '';
    }
    // The school may ask; it may not extend.
    const acts = (await detail('school', ids.granted)).allowedActs.map((allowed) => allowed.act);
    expect(acts).toContain('extension-requested');
    expect(acts).not.toContain('extended');
  });

  it('14 April: the school may not extend the deadline itself (403, nothing written)', async () => {
    await run().at('2026-04-14T11:00:00+05:00');
    const before = await detail('admin', ids.granted);
    const refused = await run().api<{ message: string }>('school', 'POST', `/obligations/${ids.granted}/events`, { act: 'extended', dueDate: '2026-04-30', reason: REASON });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toContain('extended');
    const after = await detail('admin', ids.granted);
    expect(after.obligation).toEqual(before.obligation);
    expect(after.events).toEqual(before.events);
  });

  it('14 April: the school asks for 10 more days on both cases, with its reason; the deadlines stay as they are', async () => {
    for (const id of [ids.granted, ids.refused]) {
      const asked = await run().record('school', id, { act: 'extension-requested', dueDate: '2026-04-30', reason: REASON });
      expect(asked).toMatchObject({ status: 'open', revision: 1, dueAt: '2026-04-21T00:00:00+05:00', plan: { dueDate: '2026-04-20' }, requestedDueDate: '2026-04-30' });
    }
    // One request at a time: the school cannot ask again before the commission answers.
    const again = await run().api('school', 'POST', `/obligations/${ids.granted}/events`, { act: 'extension-requested', dueDate: '2026-05-05', reason: REASON });
    expect(again.status).toBe(409);
    expect(await run().allMail()).toEqual([]);
  });

  it('the secretary sees the requests in the commission\'s list, and may grant or refuse each', async () => {
    const listed = await run().api<{ obligations: Detailed[] }>('secretary', 'GET', '/obligations?issuer=zko-uralsk-kdn&status=open');
    expect(listed.status).toBe(200);
    const requested = listed.body.obligations.filter((obligation) => obligation.requestedDueDate !== undefined);
    expect(requested.map((obligation) => [obligation.caseRef, obligation.requestedDueDate]).sort()).toEqual([
      [ref.granted, '2026-04-30'],
      [ref.refused, '2026-04-30'],
    ]);
    const { allowedActs } = await detail('secretary', ids.granted);
    expect(allowedActs).toContainEqual({ act: 'extended', needs: ['dueDate'] });
    expect(allowedActs).toContainEqual({ act: 'extension-refused', needs: ['reason'] });
  });

  it('15 April: the secretary grants one to 30 April (revision 2, due 30 April at 24:00) and refuses the other, which keeps 20 April', async () => {
    await run().at('2026-04-15T10:00:00+05:00');
    const granted = await run().record('secretary', ids.granted, { act: 'extended', dueDate: '2026-04-30' });
    expect(granted).toMatchObject({ status: 'open', revision: 2, dueAt: '2026-05-01T00:00:00+05:00', plan: { dueDate: '2026-04-30' } });
    expect((granted as Detailed).requestedDueDate).toBeUndefined();

    const refused = await run().record('secretary', ids.refused, { act: 'extension-refused', reason: 'Срок достаточен для принятия мер' });
    expect(refused).toMatchObject({ status: 'open', revision: 1, dueAt: '2026-04-21T00:00:00+05:00', plan: { dueDate: '2026-04-20' } });
    expect((refused as Detailed).requestedDueDate).toBeUndefined();
    // Refused, the request is answered: the school may ask again.
    expect((await detail('school', ids.refused)).allowedActs.map((allowed) => allowed.act)).toContain('extension-requested');
  });

  it('16 April: the old plan\'s first reminder comes only for the refused case', async () => {
    await run().at('2026-04-16T09:30:00+05:00');
    const mail = reminders(await run().newMail());
    expect(recipients(mail)).toEqual([SCHOOL_OFFICE]);
    expect(about(mail, ref.refused)).toHaveLength(1);
    expect(about(mail, ref.granted)).toHaveLength(0);
    expect(mail[0]?.text).toContain('20.04.2026, 24:00');
  });

  it('20 April, the old last day: the refused case is reminded, then overdue at midnight; the granted one hears nothing and stays open', async () => {
    await run().at('2026-04-20T09:30:00+05:00');
    const lastDay = reminders(await run().newMail());
    expect(recipients(lastDay)).toEqual([SCHOOL_OFFICE]);
    expect(about(lastDay, ref.refused)).toHaveLength(1);

    await run().at('2026-04-21T09:30:00+05:00');
    expect((await run().obligation(ids.refused)).obligation.status).toBe('overdue');
    expect((await run().obligation(ids.granted)).obligation.status).toBe('open');
    expect(about(await run().allMail(), ref.granted)).toEqual([]);
  });

  it('28 and 30 April: the granted case is reminded on the new plan, the last time on its new last day', async () => {
    await run().at('2026-04-28T09:30:00+05:00');
    const first = about(await run().allMail(), ref.granted);
    expect(recipients(first)).toEqual([SCHOOL_OFFICE]);

    await run().at('2026-04-30T09:30:00+05:00');
    const granted = about(await run().allMail(), ref.granted);
    expect(recipients(granted)).toEqual([SCHOOL_OFFICE, SCHOOL_OFFICE]);
    for (const reminder of granted) {
      expect(reminder.text).toContain('Напоминание');
      expect(reminder.text).toContain('30.04.2026, 24:00');
    }
    expect((await run().obligation(ids.granted)).obligation.status).toBe('open');
  });

  it('the audit trails show the request and its answer: who, when, and why', async () => {
    const granted = await detail('admin', ids.granted);
    expect(granted.events.map((event) => event.type)).toEqual(['opened', 'extension-requested', 'extended', 'replanned', 'reminded', 'reminded']);
    const [, request, extension, replanned] = granted.events;
    expect(request).toMatchObject({ by: 'gulnara.school', at: '2026-04-14T11:00:00+05:00', revision: 1, reason: REASON, details: { dueDate: '2026-04-30' } });
    expect(extension).toMatchObject({ by: 'dana.secretary', at: '2026-04-15T10:00:00+05:00', revision: 1, details: { dueDate: '2026-04-30' } });
    expect(replanned).toMatchObject({ by: 'dana.secretary', revision: 2, details: { previousDueAt: '2026-04-20T19:00:00.000Z', dueAt: '2026-04-30T19:00:00.000Z' } });

    const refused = await detail('admin', ids.refused);
    expect(refused.events.map((event) => event.type).slice(0, 3)).toEqual(['opened', 'extension-requested', 'extension-refused']);
    expect(refused.events[2]).toMatchObject({ by: 'dana.secretary', at: '2026-04-15T10:00:00+05:00', reason: 'Срок достаточен для принятия мер' });
    expect(refused.events.some((event) => event.type === 'replanned')).toBe(false);
    expect(refused.obligation).toMatchObject({ revision: 1, dueAt: '2026-04-21T00:00:00+05:00' });
  });
});
