import { expect, test, vi } from 'vitest';
import { localTimeText } from '../../shared/i18n/index.ts';
import type { Store } from '../../functions/adapters/store/index.ts';
import { digestOutboxId, scheduledInstant } from '../../functions/app/digest.ts';
import { sendMorningMail } from '../../functions/app/morning.ts';
import { kazakhstan } from '../../shared/calendar/index.ts';
import { demoStoreEachTest, obligation, open } from './support.ts';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });
let store: Store;
const { ses } = demoStoreEachTest((fresh) => (store = fresh));

// 2026-03-20 08:00 in Astana: the digest's schedule.
const morning = Date.parse('2026-03-20T03:00:00Z');
const now = () => morning + 2_000;
const SECRETARY = 'kdn-secretary.uralsk@akimat.demo.kz';

/** Uralsk's commission waits for school No. 12's reply, a month after the submission: overdue. */
const overdueReply = obligation({ id: 'sub-1', rule: 'submission-reply', org: 'zko-uralsk-school-12', issuedBy: 'zko-uralsk-kdn', status: 'overdue', startText: '2026-02-02T10:00' });
/** The same commission's placement decision sent to school No. 12, due in two days. */
const dueSoon = obligation({ id: 'pl-1', rule: 'kdn-placement-reply', org: 'zko-uralsk-school-12', issuedBy: 'zko-uralsk-kdn', startText: '2026-03-06T10:00' });
/** Burlin's commission, open and due in weeks: in nobody's digest today. */
const later = obligation({ id: 'sub-2', rule: 'submission-reply', org: 'zko-burlin-hospital', issuedBy: 'zko-burlin-kdn', startText: '2026-03-19T10:00' });

test('the secretary gets one digest listing the overdue reply with its art. 479 grounds; a second run the same day sends nothing', async () => {
  expect(overdueReply.dueAt).toBeLessThan(morning);
  expect(dueSoon.dueAt).toBeGreaterThan(morning);
  expect(dueSoon.dueAt).toBeLessThan(morning + 3 * 86_400_000);
  expect(later.dueAt).toBeGreaterThan(morning + 3 * 86_400_000);
  await open(store, overdueReply, dueSoon, later);

  const first = await sendMorningMail({ store, mail: ses.mail(), now, calendar: async () => kazakhstan() }, morning);
  // The secretary and the chair of Uralsk's commission, and the school's director (a head).
  expect(first).toMatchObject({ date: '2026-03-20', dayOff: false, sent: 3, people: 3 });
  const mails = await ses.sent();
  expect(mails.map((mail) => mail.destination.to[0]).sort()).toEqual(['director.school12.uralsk@edu.demo.kz', 'kdn-chair.uralsk@akimat.demo.kz', SECRETARY]);

  const toSecretary = mails.filter((mail) => mail.destination.to[0] === SECRETARY);
  expect(toSecretary).toHaveLength(1);
  const text = toSecretary[0]?.body.text ?? '';
  expect(toSecretary[0]?.subject).toContain('20.03.2026');
  expect(text).toContain('ҚАЗАҚША');
  expect(text).toContain('РУССКИЙ');
  expect(text).toContain('[ПРОСРОЧЕНО] Рассмотрение представления и сообщение о принятых мерах');
  expect(text).toContain('[МЕРЗІМІ ӨТКЕН]');
  expect(text).toContain('основание для возбуждения дела по ст. 479 КоАП РК');
  expect(text).toContain('ӘҚБтК 479-бабы');
  expect(text).toContain(`Дело: ${overdueReply.caseRef}`);
  expect(text).toContain(`Срок: ${localTimeText(overdueReply.dueAt, true)} (время Астаны)`);
  expect(text).toContain('Исполнитель: Школа № 12 города Уральск');
  expect(text).toContain('Орындаушы: Орал қаласының № 12 мектебі');
  // Due soon, not overdue: listed without the mark and without grounds.
  expect(text).toContain(dueSoon.caseRef);
  expect(text.match(/ст\. 479 КоАП/g)).toHaveLength(1);
  expect(text).not.toContain(later.caseRef);
  // Overdue first.
  expect(text.indexOf(overdueReply.caseRef)).toBeLessThan(text.indexOf(dueSoon.caseRef));

  expect(await store.outbox.notices(digestOutboxId('2026-03-20'))).toHaveLength(3);

  const second = await sendMorningMail({ store, mail: ses.mail(), now: () => morning + 3_600_000, calendar: async () => kazakhstan() }, morning + 3_600_000);
  expect(second).toMatchObject({ date: '2026-03-20', dayOff: false, sent: 0, people: 3 });
  expect(await ses.sent()).toHaveLength(3);
});

test('nothing to list, nothing sent', async () => {
  await open(store, later);
  expect(await sendMorningMail({ store, mail: ses.mail(), now, calendar: async () => kazakhstan() }, morning)).toMatchObject({ date: '2026-03-20', dayOff: false, sent: 0, people: 0 });
  expect(await ses.sent()).toEqual([]);
});

test('heads get the units under them: the regional head sees a district unit overdue', async () => {
  const report = obligation({ id: 'uqr-x', rule: 'unit-quarterly-report', variant: 'district', org: 'zko-burlin-police-dv', caseRef: 'quarterly-report', status: 'overdue', startText: '2025-12-31T00:00' });
  await open(store, report);
  const summary = await sendMorningMail({ store, mail: ses.mail(), now, calendar: async () => kazakhstan() }, morning);
  expect(summary).toMatchObject({ date: '2026-03-20', dayOff: false, sent: 3, people: 3 });
  expect((await ses.sent()).map((mail) => mail.destination.to[0]).sort()).toEqual([
    'head.kap@police.demo.kz',
    'head.police.zko@police.demo.kz',
    'unit-head.burlin@police.demo.kz',
  ]);
});

test('the schedule passes its instant; without one, now', () => {
  expect(scheduledInstant({ scheduledAt: '2026-03-20T03:00:00Z' }, now)).toBe(morning);
  expect(scheduledInstant({}, now)).toBe(now());
  expect(scheduledInstant(undefined, now)).toBe(now());
  expect(() => scheduledInstant({ scheduledAt: 'tomorrow' }, now)).toThrow();
});
