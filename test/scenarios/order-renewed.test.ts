import { describe, expect, it } from 'vitest';
import { type Mail, type ObligationView, recipients, scenario } from './harness.ts';

/**
 * A protective order served in Uralsk on Monday 2 March 2026 at 10:00 is in force for thirty
 * 24-hour periods, to 1 April 10:00, and nobody extends that term: on 20 March an attempt to is
 * refused and changes nothing. The order lapses on 1 April; on 3 April at 13:00 it is served
 * again, and the inspector records that at 15:00: a new order of its own 30 × 24 hours, to
 * 3 May 13:00, linked both ways to the old one.
 */
describe('a protective order: its term is not extended, it is renewed', () => {
  const run = scenario('2026-03-02T10:30:00+05:00');
  const REF = 'ЗП-2026/150';
  const ids = { order: '', renewed: '' };

  const aboutOrder = (mail: readonly Mail[]): Mail[] => mail.filter((item) => item.subject.includes('Защитное предписание'));

  interface AuditEvent {
    readonly type: string;
    readonly by: string;
    readonly at: string;
    readonly recordedAt: string;
    readonly backdated?: boolean;
    readonly details?: Record<string, unknown>;
  }
  type Detailed = ObligationView & { readonly version: number; readonly assignee?: string; readonly renewedFrom?: string; readonly renewedBy?: string };
  interface Detail {
    readonly obligation: Detailed;
    readonly events: AuditEvent[];
    readonly allowedActs: { act: string }[];
  }
  const detail = async (id: string, person: 'admin' | 'inspector' | 'unitHead' = 'admin'): Promise<Detail> => {
    const answer = await run().api<Detail>(person, 'GET', `/obligations/${id}`);
    expect(answer.status).toBe(200);
    return answer.body;
  };

  it('2 March: the order is served, in force to 1 April 10:00', async () => {
    const opened = await run().open('inspector', {
      rule: 'protective-order',
      caseRef: REF,
      org: 'zko-uralsk-police-dv',
      assignee: 'aigerim.inspector',
      start: '2026-03-02T10:00:00+05:00',
    });
    const order = opened.find((obligation) => obligation.rule === 'protective-order');
    expect(order).toMatchObject({ status: 'open', revision: 1, dueAt: '2026-04-01T10:00:00+05:00' });
    ids.order = order?.id ?? '';
    // Neither the inspector nor the head is offered an extension.
    for (const person of ['inspector', 'unitHead'] as const) {
      const offered = (await detail(ids.order, person)).allowedActs.map((allowed) => allowed.act);
      expect(offered).not.toContain('extended');
      expect(offered).not.toContain('extension-requested');
    }
  });

  it('20 March: extending the 30 × 24 h term, or asking for it, is refused with 422 because the law fixes it; nothing changes', async () => {
    await run().at('2026-03-20T10:00:00+05:00');
    const before = await detail(ids.order);
    const attempts = [
      { person: 'inspector', act: { act: 'extended', dueDate: '2026-04-15', reason: 'Потерпевшая просит продлить' } },
      { person: 'unitHead', act: { act: 'extended', dueDate: '2026-04-15', reason: 'Потерпевшая просит продлить' } },
      { person: 'admin', act: { act: 'extended', dueDate: '2026-04-15', reason: 'Потерпевшая просит продлить' } },
      { person: 'inspector', act: { act: 'extension-requested', dueDate: '2026-04-15', reason: 'Потерпевшая просит продлить' } },
    ] as const;
    for (const { person, act } of attempts) {
      const answer = await run().api<{ message: string; issues: { path: string; message: string }[] }>(person, 'POST', `/obligations/${ids.order}/events`, act);
      expect(answer.status, `${person} ${act.act}`).toBe(422);
      expect(answer.body.message).toContain('fixed by law');
      expect(answer.body.issues).toEqual([{ path: 'act', message: expect.stringContaining('the term of protective-order is fixed by law') }]);
    }
    const after = await detail(ids.order);
    expect(after.obligation).toEqual(before.obligation);
    expect(after.obligation).toMatchObject({ revision: 1, dueAt: '2026-04-01T10:00:00+05:00' });
    expect(after.events).toEqual(before.events);
    expect(after.events.map((event) => event.type)).toEqual(['opened']);
  });

  it('1 April 10:00: the order lapses, as it was always going to', async () => {
    await run().at('2026-03-29T10:00:00+05:00');
    const warning = aboutOrder(await run().newMail());
    expect(recipients(warning)).toEqual(['inspector.uralsk@police.demo.kz']);
    expect(warning[0]?.subject).toContain('01.04.2026, 10:00');
    await run().at('2026-04-01T10:00:01+05:00');
    const expired = aboutOrder(await run().newMail());
    expect(recipients(expired)).toEqual(['inspector.uralsk@police.demo.kz']);
    expect(expired[0]?.subject).toContain('Срок действия истёк');
    expect((await run().obligation(ids.order)).obligation.status).toBe('expired');
  });

  it('3 April: served again at 13:00, recorded at 15:00: a new order due 30 × 24 h after the new service, linked to the old', async () => {
    await run().at('2026-04-03T15:00:00+05:00');
    const answer = await run().api<{ obligation: Detailed; opened?: Detailed }>('inspector', 'POST', `/obligations/${ids.order}/events`, {
      act: 'renewed',
      at: '2026-04-03T13:00:00+05:00',
    });
    expect(answer.status).toBe(200);
    const { obligation: old, opened } = answer.body;
    expect(opened).toMatchObject({
      rule: 'protective-order',
      caseRef: REF,
      org: 'zko-uralsk-police-dv',
      assignee: 'aigerim.inspector',
      status: 'open',
      revision: 1,
      renewedFrom: ids.order,
      start: '2026-04-03T13:00:00+05:00',
      dueAt: '2026-05-03T13:00:00+05:00',
    });
    ids.renewed = opened?.id ?? '';
    expect(ids.renewed).not.toBe(ids.order);
    // The lapsed order stays as it ended, and says what renewed it.
    expect(old).toMatchObject({ id: ids.order, status: 'expired', renewedBy: ids.renewed, dueAt: '2026-04-01T10:00:00+05:00' });
  });

  it('both timelines show the link; the act, recorded two hours after it happened, shows as backdated', async () => {
    const old = await detail(ids.order);
    expect(old.obligation.renewedBy).toBe(ids.renewed);
    expect(old.events.map((event) => event.type)).toEqual(['opened', 'reminded', 'expired', 'renewed']);
    expect(old.events.at(-1)).toMatchObject({
      by: 'aigerim.inspector',
      at: '2026-04-03T13:00:00+05:00',
      recordedAt: '2026-04-03T15:00:00+05:00',
      backdated: true,
      details: { renewedBy: ids.renewed },
    });

    const renewed = await detail(ids.renewed);
    expect(renewed.obligation).toMatchObject({ renewedFrom: ids.order, status: 'open', dueAt: '2026-05-03T13:00:00+05:00' });
    expect(renewed.events.map((event) => event.type)).toEqual(['opened']);
    expect(renewed.events[0]).toMatchObject({ by: 'aigerim.inspector', at: '2026-04-03T13:00:00+05:00', details: { renewedFrom: ids.order } });
  });

  it('renewing the old order again is 409, and writes nothing', async () => {
    const again = await run().api<{ issues: { path: string }[] }>('inspector', 'POST', `/obligations/${ids.order}/events`, { act: 'renewed' });
    expect(again.status).toBe(409);
    expect(again.body.issues.map((issue) => issue.path)).toEqual(['act']);
    expect((await detail(ids.order)).events.map((event) => event.type)).toEqual(['opened', 'reminded', 'expired', 'renewed']);
    const open = await run().api<{ obligations: ObligationView[] }>('inspector', 'GET', '/obligations?org=zko-uralsk-police-dv&status=open');
    expect(open.body.obligations.filter((obligation) => obligation.rule === 'protective-order').map((obligation) => obligation.id)).toEqual([ids.renewed]);
  });

  it('the new order runs its own clock: a warning 72 hours before 3 May 13:00, then expiry', async () => {
    await run().at('2026-04-30T13:00:00+05:00');
    const warning = aboutOrder(await run().newMail());
    expect(recipients(warning)).toEqual(['inspector.uralsk@police.demo.kz']);
    expect(warning[0]?.subject).toContain('Напоминание');
    expect(warning[0]?.subject).toContain('03.05.2026, 13:00');
    expect(warning[0]?.text).toContain(REF);
    await run().at('2026-05-03T13:00:01+05:00');
    expect((await run().obligation(ids.renewed)).obligation.status).toBe('expired');
  });
});
