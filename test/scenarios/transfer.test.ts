import { describe, expect, it } from 'vitest';
import { type Mail, type ObligationView, recipients, scenario } from './harness.ts';

/**
 * An order served in Uralsk on Monday 2 March 2026 at 10:00 puts the offender on the preventive
 * register: his first weekly check is due by 9 March, 24:00. On 3 March the Uralsk inspector finds
 * a breach at a check, and the unit head is told at once. On 4 March he has moved to the Burlin
 * district: the Uralsk unit head hands his checks over to the Burlin police. The count goes on as
 * it was; from then on Burlin's inspector is reminded and Burlin's unit head told. On 10 March a
 * second breach is found while SES refuses mail: the act stands, the notice waits in the
 * dead-letter list. Then he moves on to Terekti, whose unit has nobody in the directory yet: the
 * hand-over is recorded, and its trail says nobody could be told. The acts' notices go at once;
 * the checks' reminder and escalation in the 09:30 morning mail of the next working day (9 March
 * is a day off, for 8 March).
 */
describe('an offender\'s checks handed over from Uralsk to Burlin, and breaches found at checks', () => {
  const run = scenario('2026-03-02T10:30:00+05:00', { faults: true, schedules: ['digest'] });
  const REF = 'ЗП-2026/140';
  const URALSK = 'zko-uralsk-police-dv';
  const BURLIN = 'zko-burlin-police-dv';
  const ids = { order: '', checks: '' };

  /** The checks' reminders and escalations come in the morning mail, which names them in its text. */
  const aboutChecks = (mail: readonly Mail[]): Mail[] => mail.filter((item) => `${item.subject}\n${item.text}`.includes('Проверка правонарушителя'));
  const telling = (headline: string) => (mail: readonly Mail[]): Mail[] => mail.filter((item) => item.text.includes(`${headline}: Проверка правонарушителя`));

  interface AuditEvent {
    readonly type: string;
    readonly by: string;
    readonly at: string;
    readonly revision: number;
    readonly note?: string;
    readonly details?: Record<string, unknown>;
  }
  interface Notice {
    readonly milestone: string;
    readonly recipient: string;
    readonly role: string;
    readonly status: string;
  }
  type Detailed = ObligationView & { readonly version: number; readonly assignee?: string; readonly violations?: number };
  interface Detail {
    readonly obligation: Detailed;
    readonly events: AuditEvent[];
    readonly notices: Notice[];
  }
  const detail = async (id: string): Promise<Detail> => {
    const answer = await run().api<Detail>('admin', 'GET', `/obligations/${id}`);
    expect(answer.status).toBe(200);
    return answer.body;
  };
  const listed = async (person: 'inspector' | 'burlinInspector' | 'unitHead', org: string): Promise<Detailed[]> => {
    const answer = await run().api<{ obligations: Detailed[] }>(person, 'GET', `/obligations?org=${org}&status=open`);
    expect(answer.status).toBe(200);
    return answer.body.obligations;
  };

  it('2 March: the Uralsk inspector serves the order; the weekly checks open with it, due 9 March at 24:00', async () => {
    const opened = await run().open('inspector', { rule: 'protective-order', caseRef: REF, org: URALSK, assignee: 'aigerim.inspector', start: '2026-03-02T10:00:00+05:00' });
    const order = opened.find((obligation) => obligation.rule === 'protective-order');
    const checks = opened.find((obligation) => obligation.rule === 'offender-check');
    expect(checks).toMatchObject({ org: URALSK, parentId: order?.id, dueAt: '2026-03-10T00:00:00+05:00', assignee: 'aigerim.inspector' });
    ids.order = order?.id ?? '';
    ids.checks = checks?.id ?? '';
    expect(await run().newMail()).toEqual([]);
  });

  it('3 March: a breach found at a check is counted and told at once to the Uralsk unit head, in Kazakh and Russian', async () => {
    await run().at('2026-03-03T12:00:00+05:00');
    const before = await detail(ids.checks);
    const found = await run().record('inspector', ids.checks, { act: 'violation-found', note: 'Нарушение особых требований при проверке' });
    expect(found).toMatchObject({ status: 'open', revision: 1, cycle: 1, dueAt: '2026-03-10T00:00:00+05:00', violations: 1 });
    expect(found.plan).toEqual(before.obligation.plan);

    const mail = await run().newMail();
    expect(recipients(mail)).toEqual(['unit-head.uralsk@police.demo.kz']);
    const [notice] = mail;
    expect(notice?.subject).toContain('Бұзушылық анықталды / Выявлено нарушение');
    expect(notice?.subject).toContain(REF);
    expect(notice?.text).toContain('ҚАЗАҚША');
    expect(notice?.text).toContain('РУССКИЙ');
    expect(notice?.text).toContain('Подразделение по противодействию бытовому насилию города Уральск');
    expect(notice?.text).toContain('Срок: 09.03.2026, 24:00');
    // The note is the inspector's, kept in the audit trail only.
    expect(notice?.text).not.toContain('Нарушение особых требований');

    const { obligation, events, notices } = await detail(ids.checks);
    expect(events.map((event) => event.type)).toEqual(['opened', 'violation-found']);
    expect(events[1]).toMatchObject({ by: 'aigerim.inspector', at: '2026-03-03T12:00:00+05:00', details: { told: 'yerlan.unit-head' } });
    expect(notices.map((sent) => [sent.milestone, sent.recipient, sent.role, sent.status])).toEqual([[`act-violation-found-v${obligation.version}`, 'yerlan.unit-head', 'unit-head', 'sent']]);
    // The unit head's list shows the count.
    expect((await listed('unitHead', URALSK)).find((listedOne) => listedOne.id === ids.checks)?.violations).toBe(1);
  });

  it('4 March: the inspector may not hand the case over; the unit head does, to Burlin, and the clock is unchanged', async () => {
    await run().at('2026-03-04T11:00:00+05:00');
    const before = await detail(ids.checks);
    const byInspector = await run().api('inspector', 'POST', `/obligations/${ids.checks}/events`, { act: 'transferred', org: BURLIN });
    expect(byInspector.status).toBe(403);
    expect((await detail(ids.checks)).obligation).toEqual(before.obligation);

    const moved = await run().record('unitHead', ids.checks, { act: 'transferred', org: BURLIN, note: 'Переезд в Бурлинский район' });
    expect(moved).toMatchObject({ org: BURLIN, status: 'open', revision: 1, cycle: 1, dueAt: '2026-03-10T00:00:00+05:00', violations: 1 });
    expect(moved.plan).toEqual(before.obligation.plan);
    // The Uralsk inspector's assignment does not travel: Burlin's people take it up.
    expect((moved as Detailed).assignee).toBeUndefined();
  });

  it('Burlin\'s inspector and unit head are told at once; nobody in Uralsk is', async () => {
    const mail = await run().newMail();
    expect(recipients(mail)).toEqual(['inspector.burlin@police.demo.kz', 'unit-head.burlin@police.demo.kz']);
    for (const notice of mail) {
      expect(notice.subject).toContain('Іс берілді / Дело передано');
      expect(notice.subject).toContain(REF);
      expect(notice.subject).toContain('09.03.2026, 24:00');
      expect(notice.text).toContain('Подразделение: Подразделение по противодействию бытовому насилию Бурлинского района');
      expect(notice.text).toContain('Дело передал: Подразделение по противодействию бытовому насилию города Уральск');
      expect(notice.text).toContain('Істі берген: Орал қаласы');
      expect(notice.text).toContain('Основание: Закон РК от 09.12.2009 № 214-IV «О профилактике бытового насилия»');
      expect(notice.text).toContain('Подразделение по противодействию бытовому насилию Бурлинского района');
      expect(notice.text).not.toContain('Переезд');
    }
    expect(mail.find((notice) => notice.to.includes('inspector.burlin@police.demo.kz'))?.text).toContain(
      'Кому: Участковый инспектор полиции или инспектор подразделения по противодействию бытовому насилию',
    );
    expect(mail.find((notice) => notice.to.includes('unit-head.burlin@police.demo.kz'))?.text).toContain('Кому: Начальник подразделения полиции');
  });

  it('the audit trail shows both units, who handed it over and who was told', async () => {
    const { obligation, events, notices } = await detail(ids.checks);
    expect(events.map((event) => event.type)).toEqual(['opened', 'violation-found', 'transferred']);
    expect(events[2]).toMatchObject({
      by: 'yerlan.unit-head',
      at: '2026-03-04T11:00:00+05:00',
      revision: 1,
      note: 'Переезд в Бурлинский район',
      details: { fromOrg: URALSK, toOrg: BURLIN, told: 'asel.inspector ruslan.unit-head' },
    });
    const handOver = notices.filter((notice) => notice.milestone === `act-transferred-v${obligation.version}`);
    expect(handOver.map((notice) => [notice.recipient, notice.role, notice.status]).sort()).toEqual([
      ['asel.inspector', 'inspector', 'sent'],
      ['ruslan.unit-head', 'unit-head', 'sent'],
    ]);
  });

  it('the same hand-over sent again is refused and tells nobody twice', async () => {
    const again = await run().api<{ issues: { path: string }[] }>('unitHead', 'POST', `/obligations/${ids.checks}/events`, { act: 'transferred', org: BURLIN });
    // The Uralsk head no longer reaches the case: it is Burlin's.
    expect(again.status).toBe(404);
    const byAdmin = await run().api<{ issues: { path: string }[] }>('admin', 'POST', `/obligations/${ids.checks}/events`, { act: 'transferred', org: BURLIN });
    expect(byAdmin.status).toBe(422);
    expect(byAdmin.body.issues.map((issue) => issue.path)).toEqual(['org']);
    expect(await run().newMail()).toEqual([]);
    expect((await detail(ids.checks)).events.map((event) => event.type)).toEqual(['opened', 'violation-found', 'transferred']);
  });

  it('the checks are on Burlin\'s list and off Uralsk\'s; the order stays in Uralsk', async () => {
    expect((await listed('burlinInspector', BURLIN)).map((obligation) => obligation.id)).toEqual([ids.checks]);
    const uralsk = (await listed('inspector', URALSK)).map((obligation) => obligation.id);
    expect(uralsk).toEqual([ids.order]);
    expect((await run().api('inspector', 'GET', `/obligations/${ids.checks}`)).status).toBe(404);
  });

  it('9 March, a day off: the reminder falls, and nobody is mailed', async () => {
    await run().at('2026-03-09T23:00:00+05:00');
    expect(aboutChecks(await run().newMail())).toEqual([]);
  });

  it("10 March: the morning mail reminds the Burlin inspector, not the Uralsk one, and tells the Burlin unit head of the missed check", async () => {
    await run().at('2026-03-10T09:00:00+05:00');
    expect((await run().obligation(ids.checks)).obligation.status).toBe('overdue');
    expect(aboutChecks(await run().newMail())).toEqual([]);
    await run().at('2026-03-10T09:30:00+05:00');
    const mail = await run().newMail();
    const reminder = telling('Напоминание')(mail);
    expect(recipients(reminder)).toEqual(['inspector.burlin@police.demo.kz']);
    expect(reminder[0]?.subject).toContain('10.03.2026');
    expect(reminder[0]?.text).toContain('Еске салу / Напоминание: Профилактикалық есептегі құқық бұзушыны тексеру / Проверка правонарушителя, состоящего на профилактическом учёте · ЗП-2026/140 · 09.03.2026, 24:00');
    const escalation = telling('Просрочено')(mail);
    expect(recipients(escalation)).toEqual(['unit-head.burlin@police.demo.kz']);
    expect(escalation[0]?.text).toContain('Мерзімі өткен / Просрочено:');
    expect(recipients(aboutChecks(mail))).not.toContain('inspector.uralsk@police.demo.kz');
    expect(recipients(aboutChecks(mail))).not.toContain('unit-head.uralsk@police.demo.kz');
  });

  it('10 March, SES refusing mail: a breach found in Burlin is recorded all the same; its notice waits in the dead-letter list', async () => {
    await run().at('2026-03-10T11:00:00+05:00');
    const faults = run().system.faults;
    if (faults === undefined) throw new Error('the scenario runs without fault proxies');
    faults.ses.fail('ses-unavailable');
    try {
      const found = await run().record('burlinInspector', ids.checks, { act: 'violation-found' });
      expect(found).toMatchObject({ org: BURLIN, status: 'overdue', violations: 2 });
    } finally {
      faults.ses.heal();
    }
    expect(await run().newMail()).toEqual([]);

    const { obligation, events, notices } = await detail(ids.checks);
    expect(obligation.violations).toBe(2);
    expect(events.at(-1)).toMatchObject({ type: 'violation-found', by: 'asel.inspector', details: { told: 'ruslan.unit-head' } });
    const milestone = `act-violation-found-v${obligation.version}`;
    expect(notices.filter((notice) => notice.milestone === milestone).map((notice) => [notice.recipient, notice.status])).toEqual([['ruslan.unit-head', 'failed']]);
    const failed = await run().api<{ notices: { obligationId: string; milestone: string; recipient: string; lastError: string }[] }>('admin', 'GET', '/notices/failed');
    expect(failed.status).toBe(200);
    expect(failed.body.notices).toEqual([
      expect.objectContaining({ obligationId: ids.checks, milestone, recipient: 'ruslan.unit-head', lastError: expect.stringMatching(/HTTP 503/) }),
    ]);
  });
  it('the checks handed over again, to a unit nobody in the directory works for yet: recorded, and the trail says nobody could be told', async () => {
    const TEREKTI = 'zko-terekti-police-dv';
    const unit = await run().api('admin', 'PUT', `/organisations/${TEREKTI}`, {
      kind: 'police-unit',
      parent: 'zko-police',
      names: {
        kk: 'Теректі ауданы отбасылық-тұрмыстық зорлық-зомбылыққа қарсы іс-қимыл бөлінісі',
        ru: 'Подразделение по противодействию бытовому насилию Теректинского района',
        en: 'Unit against domestic violence, Terekti district',
      },
    });
    expect(unit.status).toBe(200);
    const before = await detail(ids.checks);
    const moved = await run().record('admin', ids.checks, { act: 'transferred', org: TEREKTI });
    expect(moved).toMatchObject({ org: TEREKTI, status: 'overdue', revision: before.obligation.revision, dueAt: '2026-03-10T00:00:00+05:00' });
    expect(moved.plan).toEqual(before.obligation.plan);
    expect(await run().newMail()).toEqual([]);
    const { events, notices } = await detail(ids.checks);
    expect(events.at(-1)).toMatchObject({
      type: 'transferred',
      by: 'admin',
      details: { fromOrg: BURLIN, toOrg: TEREKTI, toldNobody: true, unreachable: 'inspector unit-head' },
    });
    expect(events.at(-1)?.details).not.toHaveProperty('told');
    expect(notices.filter((notice) => notice.milestone.startsWith('act-transferred')).map((notice) => notice.recipient).sort()).toEqual(['asel.inspector', 'ruslan.unit-head']);
  });
});
