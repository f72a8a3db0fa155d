import { describe, expect, test, vi } from 'vitest';
import { kazakhstan } from '../../shared/calendar/index.ts';
import { formatInstant, parseInstant } from '../../shared/base/index.ts';
import { type Obligation, type ObligationEvent, auditEntry } from '../../shared/model/index.ts';
import { type Milestone, findRule } from '../../shared/rules/index.ts';
import { planOf } from '../../shared/obligations/index.ts';
import type { Mail } from '../../functions/adapters/mail.ts';
import type { Store } from '../../functions/adapters/store/index.ts';
import { deliverMilestone } from '../../functions/app/deliver.ts';
import { digestOutboxId } from '../../functions/app/digest.ts';
import { MorningMailFailedError, morningAddress, morningAfter, retryMorningMail, sendMorningMail } from '../../functions/app/morning.ts';
import { demoStoreEachTest, obligation, open } from './support.ts';

/**
 * The morning mail: reminders and escalations not marked urgent in the catalog are queued by the
 * milestone's Task and go out in one mail per person on the next working morning (09:30, Astana),
 * with the digest; the urgent ones go at once. Each notice once, whatever a run did before it died.
 */
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });
let store: Store;
const { ses } = demoStoreEachTest((fresh) => (store = fresh));

const SSS = 'sss.uralsk@akimat.demo.kz';
const INSPECTOR = 'inspector.uralsk@police.demo.kz';
const calendar = async () => kazakhstan();

function milestoneOf(item: Obligation, id: string): Milestone {
  const milestone = item.plan.milestones.find((candidate) => candidate.id === id);
  if (milestone === undefined) throw new Error(`no milestone ${id}`);
  return milestone;
}

/** The Task at a milestone's instant: what deliverMilestone does with it. */
async function reach(item: Obligation, id: string, mail: Mail = ses.mail()) {
  const milestone = milestoneOf(item, id);
  return deliverMilestone({ store, mail, now: () => milestone.at }, item, findRule(item.rule), milestone);
}

const morningOf = (date: string): number => parseInstant(`${date}T09:30+05:00`);
const morning = (at: number, mail: Mail = ses.mail()) => sendMorningMail({ store, mail, now: () => at, calendar }, at);

/** Two decisions on special social services for one official, both on their last day on 19 March. */
const first = obligation({ id: 'sss-a', rule: 'sss-decision', org: 'zko-uralsk-akimat-sss', assignee: 'aliya.sss', startText: '2026-03-16T10:00' });
const second = obligation({ id: 'sss-b', rule: 'sss-decision', org: 'zko-uralsk-akimat-sss', assignee: 'aliya.sss', startText: '2026-03-16T11:00' });

test('two reminders for one person on one day: queued at their instant, no mail; then one morning mail carries both, once', async () => {
  await open(store, first, second);
  expect(milestoneOf(first, 'reminder-1').at).toBe(parseInstant('2026-03-19T09:00+05:00'));
  expect(await reach(first, 'reminder-1')).toMatchObject({ sent: [], queued: ['aliya.sss'] });
  expect(await reach(second, 'reminder-1')).toMatchObject({ sent: [], queued: ['aliya.sss'] });
  // A retried Task queues nothing twice.
  expect(await reach(second, 'reminder-1')).toMatchObject({ queued: [], skipped: ['aliya.sss'] });
  expect(await ses.sent()).toEqual([]);
  expect((await store.outbox.queuedNotices()).map((notice) => notice.obligationId).sort()).toEqual(['sss-a', 'sss-b']);

  const summary = await morning(morningOf('2026-03-19'));
  expect(summary).toEqual({ date: '2026-03-19', dayOff: false, sent: 1, people: 1, notices: 2, withdrawn: 0 });
  const mails = await ses.sent();
  expect(mails).toHaveLength(1);
  const [mail] = mails;
  expect(mail?.destination.to).toEqual([SSS]);
  expect(mail?.subject).toContain('19.03.2026');
  expect(mail?.subject).toContain('Хабарламалар / Уведомления: 2');
  expect(mail?.body.text).toContain(first.caseRef);
  expect(mail?.body.text).toContain(second.caseRef);
  expect((mail?.body.text ?? '').match(/Напоминание: Решение о предоставлении специальных социальных услуг/g)).toHaveLength(2);
  expect((mail?.body.text ?? '').match(/Еске салу:/g)).toHaveLength(2);

  // Each notice is sent, named by the mail that carried it, and out of the queue.
  for (const id of ['sss-a', 'sss-b']) {
    expect(await store.outbox.notices(id)).toEqual([expect.objectContaining({ status: 'sent', mail: morningAddress('2026-03-19', 'aliya.sss') })]);
  }
  expect(await store.outbox.queuedNotices()).toEqual([]);
  expect(await store.outbox.notices(digestOutboxId('2026-03-19'))).toEqual([expect.objectContaining({ recipient: 'aliya.sss', status: 'sent' })]);

  // The schedule fired again, or a person ran it by hand: nothing more.
  expect(await morning(morningOf('2026-03-19') + 60_000)).toMatchObject({ sent: 0, people: 0 });
  // The next morning nothing is queued for her: no mail to her (her head is told of the two overdue decisions).
  await morning(morningOf('2026-03-20'));
  expect((await ses.sent()).filter((mail) => mail.destination.to[0] === SSS)).toHaveLength(1);
});

test('an urgent milestone goes at once, on a Sunday too: the reminder before a protective order lapses', async () => {
  const order = obligation({ id: 'po-1', rule: 'protective-order', org: 'zko-uralsk-police-dv', assignee: 'aigerim.inspector', startText: '2026-03-16T10:00' });
  await open(store, order);
  const reminder = milestoneOf(order, 'reminder-1');
  // 72 hours before the 30 × 24 h end: Sunday 12 April, 10:00.
  expect(reminder.at).toBe(parseInstant('2026-04-12T10:00+05:00'));
  expect(await reach(order, 'reminder-1')).toMatchObject({ sent: ['aigerim.inspector'], queued: [] });
  const mails = await ses.sent();
  expect(mails.map((mail) => mail.destination.to[0])).toEqual([INSPECTOR]);
  expect(mails[0]?.subject).toContain(order.caseRef);
  expect(await store.outbox.queuedNotices()).toEqual([]);
  // The reason is in the catalog, where a lawyer reads it.
  expect(findRule('protective-order').reminders[0]?.urgent?.reason).toMatch(/before it lapses/);
  expect(findRule('protective-order').onDue.urgent?.reason).toMatch(/no longer protected/);
});

test("a Saturday sends no mail; Monday's morning mail carries Saturday's reminder", async () => {
  // A weekly check counted in calendar days: its last day, and its reminder, fall on Saturday 28 March.
  const check = obligation({ id: 'chk-1', rule: 'offender-check', org: 'zko-uralsk-police-dv', assignee: 'aigerim.inspector', startText: '2026-03-21T10:00' });
  await open(store, check);
  expect(milestoneOf(check, 'reminder-1').at).toBe(parseInstant('2026-03-28T09:00+05:00'));
  expect(await reach(check, 'reminder-1')).toMatchObject({ queued: ['aigerim.inspector'] });

  expect(await morning(morningOf('2026-03-28'))).toEqual({ date: '2026-03-28', dayOff: true, sent: 0, people: 0, notices: 0, withdrawn: 0 });
  expect(await morning(morningOf('2026-03-29'))).toMatchObject({ dayOff: true, sent: 0 });
  expect(await ses.sent()).toEqual([]);
  expect(await store.outbox.queuedNotices()).toHaveLength(1);

  const monday = await morning(morningOf('2026-03-30'));
  expect(monday).toMatchObject({ date: '2026-03-30', dayOff: false, notices: 1 });
  const toInspector = (await ses.sent()).filter((mail) => mail.destination.to[0] === INSPECTOR);
  expect(toInspector).toHaveLength(1);
  expect(toInspector[0]?.subject).toContain('30.03.2026');
  expect(toInspector[0]?.body.text).toContain(check.caseRef);
  expect(toInspector[0]?.body.text).toContain('Напоминание: Проверка правонарушителя');
  expect(await store.outbox.queuedNotices()).toEqual([]);
});

test('nobody with nothing in it gets a mail: no queue and nothing overdue, though a head has units with work due soon', async () => {
  // Due in two days: it is the unit's own work, told by its reminders; no head is told of it.
  const soon = obligation({ id: 'sss-soon', rule: 'sss-decision', org: 'zko-uralsk-akimat-sss', assignee: 'aliya.sss', startText: '2026-03-17T10:00' });
  await open(store, soon);
  expect(await morning(morningOf('2026-03-18'))).toEqual({ date: '2026-03-18', dayOff: false, sent: 0, people: 0, notices: 0, withdrawn: 0 });
  expect(await ses.sent()).toEqual([]);
});

test('a reminder whose obligation was decided before the morning is withdrawn, not sent', async () => {
  await open(store, first);
  await reach(first, 'reminder-1');
  await store.obligations.saveObligation({ ...first, status: 'done', closedAt: parseInstant('2026-03-19T09:10+05:00'), version: 2 }, 1);
  expect(await morning(morningOf('2026-03-19'))).toMatchObject({ sent: 0, people: 0, withdrawn: 1 });
  expect(await ses.sent()).toEqual([]);
  expect(await store.outbox.notices(first.id)).toEqual([expect.objectContaining({ status: 'withdrawn', withdrawnBecause: 'closed' })]);
  expect(await store.outbox.queuedNotices()).toEqual([]);
});

test("SES refuses the morning mail: nothing is lost, the reconciler's next hourly run sends it once with the same notices", async () => {
  await open(store, first, second);
  await reach(first, 'reminder-1');
  await reach(second, 'reminder-1');
  const refusing: Mail = { send: () => Promise.reject(Object.assign(new Error('SES: down'), { name: 'ServiceUnavailable', $metadata: { httpStatusCode: 503 } })) };
  const at = morningOf('2026-03-19');
  await expect(morning(at, refusing)).rejects.toBeInstanceOf(MorningMailFailedError);
  expect(await ses.sent()).toEqual([]);
  expect((await store.outbox.failedNotices()).items).toEqual([expect.objectContaining({ recipient: 'aliya.sss', status: 'failed' })]);
  // Still queued, named by the mail that did not go.
  expect((await store.outbox.queuedNotices()).map((notice) => notice.status)).toEqual(['queued', 'queued']);

  // The reconciler's hourly run (functions/handlers/reconcile.ts) sees today's failed mail and
  // does the morning run again; once it went there is nothing more to retry.
  const retry = (now: number) => retryMorningMail({ store, mail: ses.mail(), now: () => now, calendar });
  expect(await retry(at + 60 * 60_000)).toMatchObject({ date: '2026-03-19', sent: 1, notices: 2 });
  expect(await retry(at + 120 * 60_000)).toBeUndefined();
  const mails = await ses.sent();
  expect(mails).toHaveLength(1);
  expect(mails[0]?.body.text).toContain(first.caseRef);
  expect(mails[0]?.body.text).toContain(second.caseRef);
  expect(await store.outbox.queuedNotices()).toEqual([]);
  expect((await store.outbox.failedNotices()).items).toEqual([]);
});

test('a run that dies after the mail went and before marking its notices: the next run marks them, sends nothing again', async () => {
  await open(store, first, second);
  await reach(first, 'reminder-1');
  await reach(second, 'reminder-1');
  // The store as the dying run saw it: the batch that marks the notices never comes back.
  const dying: Store = {
    ...store,
    outbox: new Proxy(store.outbox, {
      get(target, key, receiver) {
        if (key === 'markQueuedSent') return () => Promise.reject(new Error('killed'));
        const value: unknown = Reflect.get(target, key, receiver);
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    }),
  };
  const at = morningOf('2026-03-19');
  await expect(sendMorningMail({ store: dying, mail: ses.mail(), now: () => at, calendar }, at)).rejects.toBeInstanceOf(MorningMailFailedError);
  expect(await ses.sent()).toHaveLength(1);
  expect(await store.outbox.queuedNotices()).toHaveLength(2);

  // The retry the same morning, and the next working morning, find the mail sent: no second mail.
  expect(await morning(at + 60_000)).toMatchObject({ sent: 0, notices: 2 });
  expect(await store.outbox.queuedNotices()).toEqual([]);
  await morning(morningOf('2026-03-20'));
  expect((await ses.sent()).filter((mail) => mail.destination.to[0] === SSS)).toHaveLength(1);
  for (const id of ['sss-a', 'sss-b']) expect(await store.outbox.notices(id)).toEqual([expect.objectContaining({ status: 'sent' })]);
});

test("a notice named by a mail that never went is carried by the next working morning's mail", async () => {
  await open(store, first);
  await reach(first, 'reminder-1');
  const refusing: Mail = { send: () => Promise.reject(Object.assign(new Error('SES: down'), { name: 'ServiceUnavailable', $metadata: { httpStatusCode: 503 } })) };
  await expect(morning(morningOf('2026-03-19'), refusing)).rejects.toBeInstanceOf(MorningMailFailedError);
  // Nobody retried that day; the next morning the obligation is overdue and the reminder still stands.
  expect(await morning(morningOf('2026-03-20'))).toMatchObject({ notices: 1 });
  const toHer = (await ses.sent()).filter((mail) => mail.destination.to[0] === SSS);
  expect(toHer).toHaveLength(1);
  expect(toHer[0]?.body.text).toContain(first.caseRef);
  expect(await store.outbox.notices(first.id)).toEqual([expect.objectContaining({ status: 'sent', mail: morningAddress('2026-03-20', 'aliya.sss') })]);
});

/**
 * A queued escalation whose obligation goes on to its next cycle before the morning: the notice is
 * judged by the cycle it was queued in, not by the plan the obligation has moved on to.
 */
describe('a queued escalation of a cycle the obligation has since left', () => {
  /** The cycle after `current`, from `start`, as the step or the act writes it (functions/app/steps.ts, obligations.ts). */
  async function nextCycle(current: Obligation, start: number, acts: readonly ObligationEvent[], details: Record<string, string>, recordedAt = start): Promise<Obligation> {
    const reopened = { ...current, start, cycle: current.cycle + 1, revision: current.revision + 1, updatedAt: recordedAt, version: current.version + 1 };
    const plan = planOf(findRule(current.rule), reopened, kazakhstan());
    const next: Obligation = { ...reopened, plan, dueAt: plan.dueAt, status: 'open' };
    await store.obligations.saveObligation(next, current.version, [
      ...acts,
      auditEntry(next, 'cycle-opened', { at: start, recordedAt, by: 'merzim', seq: next.version * 10 + 1, details: { dueAt: new Date(next.dueAt).toISOString(), ...details } }),
    ]);
    return next;
  }

  test("a plan item's month missed: the calendar opens the next month before the morning, and the escalation of the missed one is still sent", async () => {
    const item = obligation({ id: 'ap-missed', rule: 'action-plan-item', variant: 'monthly', org: 'zko-uralsk-school-12', issuedBy: 'zko-uralsk-kdn', label: '5', title: 'Отбасыларды анықтау', startText: '2026-04-01T00:00' });
    await open(store, item);
    // The month ends on 30 April at 24:00; 1–3 May are days off: the escalation falls on Monday 4 May.
    const escalation = milestoneOf(item, 'escalation-1-1');
    expect(escalation.at).toBe(parseInstant('2026-05-04T09:00+05:00'));
    expect(item.plan.nextCycle).toEqual({ kind: 'calendar', startsAt: parseInstant('2026-05-01T00:00+05:00') });
    expect(await reach(item, 'escalation-1-1')).toMatchObject({ queued: ['bolat.director'] });
    // Its timer's last step opens May right after (nextCycleStep), unreported.
    const may = await nextCycle(item, parseInstant('2026-05-01T00:00+05:00'), [], { previousStatus: 'open' }, escalation.at + 60_000);
    expect(may.plan.milestones.some((milestone) => milestone.id === 'escalation-1-1' && milestone.at === escalation.at)).toBe(false);

    expect(await morning(morningOf('2026-05-04'))).toMatchObject({ sent: 1, notices: 1, withdrawn: 0 });
    const [mail, ...more] = await ses.sent();
    expect(more).toEqual([]);
    expect(mail?.destination.to).toEqual(['director.school12.uralsk@edu.demo.kz']);
    const text = mail?.body.text ?? '';
    // The missed month's deadline, not May's.
    expect(text).toContain(`Мерзімі өткен / Просрочено: Ведомствоаралық іс-шаралар жоспарының тармағы бойынша ақпарат / Информация по пункту межведомственного плана мероприятий · ${item.caseRef} · 30.04.2026, 24:00`);
    expect(text).toContain('Пункт: 5 — Отбасыларды анықтау');
    expect(text).toContain('просрочено на');
    expect(await store.outbox.notices(item.id)).toEqual([expect.objectContaining({ milestone: 'escalation-1-1', status: 'sent' })]);
    expect(await store.outbox.queuedNotices()).toEqual([]);
  });

  test('a missed offender check, made late before the morning: the act opens the next week, and the queued escalation is withdrawn', async () => {
    const check = obligation({ id: 'chk-late', rule: 'offender-check', org: 'zko-uralsk-police-dv', assignee: 'aigerim.inspector', startText: '2026-04-06T10:00' });
    await open(store, check);
    const escalation = milestoneOf(check, 'escalation-1-1');
    expect(await reach(check, 'escalation-1-1')).toMatchObject({ queued: ['yerlan.unit-head'] });
    const morningAt = morningAfter(kazakhstan(), escalation.at);
    const checkedAt = escalation.at + 10 * 60_000;
    expect(checkedAt).toBeLessThan(morningAt);
    const checked = auditEntry(check, 'checked', { at: checkedAt, recordedAt: checkedAt, by: 'aigerim.inspector', seq: (check.version + 1) * 10 });
    await nextCycle(check, checkedAt, [checked], { previousDueAt: new Date(check.dueAt).toISOString() });

    expect(await morning(morningAt)).toMatchObject({ sent: 0, notices: 0, withdrawn: 1 });
    expect(await ses.sent()).toEqual([]);
    expect(await store.outbox.notices(check.id)).toEqual([expect.objectContaining({ milestone: 'escalation-1-1', status: 'withdrawn', withdrawnBecause: 'closed' })]);
  });
});

test("an overdue check escalated to the unit head on Saturday, Sunday and Monday: Monday's mail tells it once, where it stands, and carries all three", async () => {
  // Due Friday 27 March at 24:00; the ladder tells the unit head each morning after it.
  const check = obligation({ id: 'chk-weekend', rule: 'offender-check', org: 'zko-uralsk-police-dv', assignee: 'aigerim.inspector', startText: '2026-03-20T09:00' });
  await open(store, check);
  const monday = morningOf('2026-03-30');
  const weekend = check.plan.milestones.filter((milestone) => milestone.kind === 'escalation' && milestone.at > parseInstant('2026-03-28T00:00+05:00') && milestone.at < monday);
  expect(weekend.map((milestone) => formatInstant(milestone.at))).toEqual(['2026-03-28T09:00:00+05:00', '2026-03-29T09:00:00+05:00', '2026-03-30T09:00:00+05:00']);
  for (const milestone of weekend) expect(await reach(check, milestone.id)).toMatchObject({ queued: ['yerlan.unit-head'] });
  // Saturday and Sunday are days off: nothing goes.
  expect(await morning(morningOf('2026-03-28'))).toMatchObject({ dayOff: true, sent: 0 });

  // The regional heads' digests go too; the unit head's mail is the one with the notices.
  expect(await morning(monday)).toMatchObject({ notices: 3 });
  const [mail] = (await ses.sent()).filter((sent) => sent.destination.to.includes('unit-head.uralsk@police.demo.kz'));
  const text = mail?.body.text ?? '';
  expect(mail?.subject).toContain('Хабарламалар / Уведомления: 1');
  expect(text.match(/^Просрочено: Проверка правонарушителя/gm)).toHaveLength(1);
  expect(text).toContain('просрочено на 3 дня');
  expect(text).toContain('С прошлой утренней рассылки по этому сроку накопилось несколько уведомлений: здесь приведено последнее.');
  expect(text).toContain('Өткен таңғы хабарламадан бері осы мерзім бойынша бірнеше хабарлама жиналды');
  // The next notice it announces is ahead of the morning, not one of the three behind it.
  expect(text).not.toMatch(/Если до (28|29|30)\.03\.2026/);
  expect(await store.outbox.notices(check.id)).toEqual(weekend.map((milestone) => expect.objectContaining({ milestone: milestone.id, status: 'sent', mail: morningAddress('2026-03-30', 'yerlan.unit-head') })));
});

test("the quarterly report's reminder, in the unit head's morning mail, links to the unit's report of the quarter it covers", async () => {
  const dashboardUrl = 'https://merzim.example.kz/';
  // The third quarter's service note: due Monday 5 October, the reminder on Thursday 1 October at 09:00.
  const report = obligation({ id: 'uqr-q3', rule: 'unit-quarterly-report', org: 'zko-uralsk-police-dv', startText: '2026-10-01T00:00' });
  await open(store, report);
  const milestone = milestoneOf(report, 'reminder-1');
  await deliverMilestone({ store, mail: ses.mail(), now: () => milestone.at, dashboardUrl }, report, findRule(report.rule), milestone);
  await sendMorningMail({ store, mail: ses.mail(), now: () => morningOf('2026-10-01'), calendar, dashboardUrl }, morningOf('2026-10-01'));
  const mails = await ses.sent();
  expect(mails).toHaveLength(1);
  const text = mails[0]?.body.text ?? '';
  const link = 'https://merzim.example.kz/#/reports/quarterly?org=zko-uralsk-police-dv&quarter=2026-Q3';
  expect(text).toContain(`Тоқсандағы көрсеткіштер (есепке): ${link}`);
  expect(text).toContain(`Показатели за квартал (для отчёта): ${link}`);
  // Once in each language, beside the link to the obligation itself.
  expect(text.match(/#\/reports\/quarterly/g)).toHaveLength(2);
});
