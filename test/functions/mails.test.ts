import { beforeEach, describe, expect, test, vi } from 'vitest';
import { type Milestone, findRule } from '../../shared/rules/index.ts';
import type { Store } from '../../functions/adapters/store/index.ts';
import { ENV } from '../../contract/index.ts';
import { deliverMilestone } from '../../functions/app/deliver.ts';
import { morningAfter, sendMorningMail } from '../../functions/app/morning.ts';
import { kazakhstan } from '../../shared/calendar/index.ts';
import type { Obligation } from '../../shared/model/index.ts';
import { dashboardUrlFromEnv, obligationLink } from '../../functions/app/notice-context.ts';
import { type SentMail, demoStoreEachTest, obligation, open } from './support.ts';

/**
 * The mails people act on, as SES receives them: each language's section cites the law in that
 * language, names the commission that waits, says who is told next and when, and links to the
 * obligation; an office without a sign-in is told whom to reply to instead. What is not urgent
 * comes in the recipient's 09:30 morning mail, each notice in it under its own subject, saying
 * the same; the protective order's lapse comes at once.
 */

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });
let store: Store;
const { ses } = demoStoreEachTest((fresh) => (store = fresh));
beforeEach(() => {
  delete process.env[ENV.dashboardUrl];
});

const DASHBOARD = 'https://merzim.example.kz/';
const now = () => Date.parse('2026-03-03T04:00:00Z');

/** Uralsk's commission sent a submission to school No. 12 on 2 February: the reply is due by 02.03.2026, 24:00. */
const submission = obligation({ id: 'sub-7', rule: 'submission-reply', org: 'zko-uralsk-school-12', issuedBy: 'zko-uralsk-kdn', startText: '2026-02-02T10:00' });

function milestoneOf(plan: { milestones: readonly Milestone[] }, id: string): Milestone {
  const milestone = plan.milestones.find((candidate) => candidate.id === id);
  if (milestone === undefined) throw new Error(`no milestone ${id}: ${plan.milestones.map((m) => m.id).join(', ')}`);
  return milestone;
}

/**
 * A milestone reached at `now`, then the morning mail that carries what it queued (nothing is
 * sent before it): the mails SES received.
 */
async function tell(item: Obligation, id: string, dashboardUrl?: string): Promise<SentMail[]> {
  const milestone = milestoneOf(item.plan, id);
  const result = await deliverMilestone({ store, mail: ses.mail(), now, ...(dashboardUrl === undefined ? {} : { dashboardUrl }) }, item, findRule(item.rule), milestone);
  expect(result.sent).toEqual([]);
  expect(await ses.sent()).toEqual([]);
  const morning = morningAfter(kazakhstan(), Math.max(now(), milestone.at));
  await sendMorningMail({ store, mail: ses.mail(), now: () => morning, calendar: async () => kazakhstan(), ...(dashboardUrl === undefined ? {} : { dashboardUrl }) }, morning);
  return ses.sent();
}

/** The one notice a morning mail carries: its subject line and its text (the digest after it left out). */
function carried(mail: SentMail | undefined): { subject: string; text: string } {
  const text = mail?.body.text ?? '';
  expect(text.startsWith('—— 1 / 1 ——\n')).toBe(true);
  const [, subject = '', blank, ...rest] = text.split('——————')[0]?.trimEnd().split('\n') ?? [];
  expect(blank).toBe('');
  return { subject, text: rest.join('\n') };
}

/** The Kazakh and the Russian section of a mail's text (of the notice a morning mail carries). */
function sections(mail: SentMail | undefined): { kk: string; ru: string } {
  const text = mail?.subject.startsWith('Merzim:') === true ? carried(mail).text : (mail?.body.text ?? '');
  const at = text.indexOf('РУССКИЙ');
  expect(text.startsWith('ҚАЗАҚША')).toBe(true);
  expect(at).toBeGreaterThan(0);
  return { kk: text.slice(0, at), ru: text.slice(at) };
}

const to = (mails: readonly SentMail[], address: string): SentMail | undefined => mails.find((mail) => mail.destination.to.includes(address));

describe('the overdue reply to a submission', () => {
  test("the secretary's mail, in Kazakh and in Russian: the law, the commission waiting, who is told next and when, the link", async () => {
    await open(store, submission);
    const mails = await tell(submission, 'escalation-1-1', DASHBOARD);
    const mail = to(mails, 'kdn-secretary.uralsk@akimat.demo.kz');
    expect(carried(mail).subject).toBe(
      'Мерзімі өткен / Просрочено: Ұсынысты қарау және қабылданған шаралар туралы хабарлау / Рассмотрение представления и сообщение о принятых мерах · KDN-SUB-7 · 02.03.2026, 24:00',
    );
    const { kk, ru } = sections(mail);
    const link = `${DASHBOARD}#/o/sub-7`;

    expect(ru).toContain('Основание: КоАП РК, ст. 826, ч. 2');
    expect(ru).toContain('Организация: Школа № 12 города Уральск');
    expect(ru).toContain('Орган, ожидающий ответа: Комиссия по делам несовершеннолетних и защите их прав города Уральск');
    expect(ru).toContain('Срок истёк 02.03.2026, 24:00: просрочено на 1 день');
    expect(ru).toContain('Если ответ поступил, отметьте его в Merzim.');
    expect(ru).toContain('Если до 10.03.2026, 09:00 исполнение не будет отмечено в Merzim, уведомление получит: председатель комиссии.');
    expect(ru).toContain(`Открыть в Merzim: ${link}`);
    expect(ru).not.toMatch(/CoAO|art\.|[Ll]aw|Source/);

    expect(kk).toContain('Негіз: ҚР ӘҚБтК, 826-бап, 2-бөлік');
    expect(kk).toContain('Ұйым: Орал қаласының № 12 мектебі');
    expect(kk).toContain('Жауап күтетін орган: Орал қаласы кәмелетке толмағандардың істері және олардың құқықтарын қорғау жөніндегі комиссия');
    expect(kk).toContain('Мерзімі 02.03.2026, 24:00 өтті: 1 күнге кешіктірілді');
    expect(kk).toContain('10.03.2026, 09:00-ге дейін Merzim жүйесінде белгіленбесе, хабарлама жіберіледі: Комиссия төрағасы.');
    expect(kk).toContain(`Merzim-де ашу: ${link}`);
    expect(kk).not.toMatch(/CoAO|art\.|[Ll]aw|Source|КоАП/);
  });

  test("the school's director, who has no sign-in, is told to reply to the commission's secretary, and gets no link", async () => {
    await open(store, submission);
    const { kk, ru } = sections(to(await tell(submission, 'escalation-1-1', DASHBOARD), 'director.school12.uralsk@edu.demo.kz'));
    expect(ru).toContain('Кому: Руководитель органа (организации), получившего постановление, представление или пункт плана');
    expect(ru).toContain(
      'Ответ направьте официальным письмом: Комиссия по делам несовершеннолетних и защите их прав города Уральск; секретарь комиссии — kdn-secretary.uralsk@akimat.demo.kz.',
    );
    expect(ru).toContain('Получение ответа отметит в Merzim секретарь комиссии: входить в Merzim вам не нужно.');
    expect(kk).toContain('Жауапты ресми хатпен жіберіңіз: Орал қаласы кәмелетке толмағандардың істері және олардың құқықтарын қорғау жөніндегі комиссия; комиссия хатшысы — kdn-secretary.uralsk@akimat.demo.kz.');
    expect(kk).toContain('Жауаптың келгенін комиссия хатшысы Merzim жүйесінде белгілейді');
    // Nothing to record and nothing to sign in to: no link that could be forwarded.
    expect(`${kk}${ru}`).not.toMatch(/отметьте|белгілеңіз|#\/o\//);
    // Who is told next still shows: the chair, if the reply does not come.
    expect(ru).toContain('уведомление получит: председатель комиссии.');
  });

  test("the school's office is reminded the same way, before the deadline", async () => {
    await open(store, submission);
    const { ru } = sections(to(await tell(submission, 'reminder-1', DASHBOARD), 'office.school12.uralsk@edu.demo.kz'));
    expect(ru).toContain('Напоминание: Рассмотрение представления и сообщение о принятых мерах');
    expect(ru).toContain('секретарь комиссии — kdn-secretary.uralsk@akimat.demo.kz');
    expect(ru).toContain('Если до 02.03.2026, 24:00 исполнение не будет отмечено в Merzim, уведомление получит: секретарь комиссии по делам несовершеннолетних и защите их прав.');
  });
});

describe('a mail for the inspector', () => {
  test('a protective order that lapsed, told at once: says what follows, asks for no act, tells nobody else', async () => {
    const order = obligation({ id: 'po-3', rule: 'protective-order', org: 'zko-uralsk-police-dv', assignee: 'aigerim.inspector', startText: '2026-02-27T22:15' });
    await open(store, order);
    await deliverMilestone({ store, mail: ses.mail(), now, dashboardUrl: DASHBOARD }, order, findRule(order.rule), milestoneOf(order.plan, 'due'));
    const [mail] = await ses.sent();
    expect(mail?.subject).toContain('Қолданылу мерзімі аяқталды / Срок действия истёк: Қорғау нұсқамасы / Защитное предписание');
    const { kk, ru } = sections(mail);
    expect(ru).toContain('Подразделение: Подразделение по противодействию бытовому насилию города Уральск');
    expect(ru).toContain('Основание: Закон РК от 09.12.2009 № 214-IV «О профилактике бытового насилия», ст. 20');
    expect(ru).toContain('Срок действия истёк 29.03.2026, 22:15: мера больше не действует.');
    expect(ru).toContain('защитное предписание может быть вынесено повторно');
    expect(kk).toContain('20-бап');
    expect(kk).toContain('қорғау нұсқамасы қайта шығарылуы мүмкін');
    expect(`${kk}${ru}`).not.toMatch(/Когда действие будет совершено|исполнение в Merzim не отмечено|уведомление получит/);
    expect(ru).toContain(`Открыть в Merzim: ${DASHBOARD}#/o/po-3`);
  });

  test('without a configured dashboard the mail has no link rather than a broken one', async () => {
    const check = obligation({ id: 'chk-9', rule: 'offender-check', org: 'zko-uralsk-police-dv', assignee: 'aigerim.inspector', startText: '2026-03-16T10:00' });
    await open(store, check);
    const { kk, ru } = sections(to(await tell(check, 'reminder-1'), 'inspector.uralsk@police.demo.kz'));
    expect(ru).toContain('Когда действие будет совершено, отметьте его в Merzim.');
    expect(ru).toContain('уведомление получит: начальник подразделения полиции.');
    expect(`${kk}${ru}`).not.toMatch(/Открыть в Merzim|Merzim-де ашу|#\/o\/|undefined/);
  });
});

describe('an action-plan mail', () => {
  test("carries the item's number and text", async () => {
    const item = obligation({
      id: 'ap-5',
      rule: 'action-plan-item',
      variant: 'monthly',
      org: 'zko-uralsk-school-12',
      issuedBy: 'zko-uralsk-kdn',
      label: '5',
      title: 'Отбасыларды анықтау',
      startText: '2026-03-01T00:00',
    });
    await open(store, item);
    const { kk, ru } = sections(to(await tell(item, 'reminder-1', DASHBOARD), 'office.school12.uralsk@edu.demo.kz'));
    expect(kk).toContain('Тармақ: 5 — Отбасыларды анықтау');
    expect(ru).toContain('Пункт: 5 — Отбасыларды анықтау');
    expect(kk).toContain('Жоспар бойынша орындау мерзімі: ай сайын');
    expect(ru).toContain('Срок исполнения по плану: ежемесячно');
  });

  test('of a window of months says the window has opened, its months and its days, as it opens', async () => {
    // Seed 002, item 13: "қыркүйек–қазан", September–October each year
    const item = obligation({ id: 'ap-13', rule: 'action-plan-item', variant: 'window', count: 2, org: 'zko-education', issuedBy: 'zko-uralsk-kdn', label: '13', startText: '2026-09-01T00:00' });
    await open(store, item);
    const opening = milestoneOf(item.plan, 'reminder-1');
    expect(opening.at).toBe(Date.parse('2026-09-01T04:00:00Z'));
    // The window's opening reminder comes in the morning mail of 1 September (a Tuesday).
    const { kk, ru } = sections((await tell(item, 'reminder-1', DASHBOARD))[0]);
    // 31 October 2026 is a Saturday: due on Monday 2 November, the window named as the plan has it
    expect(kk).toContain('Мерзімі: 02.11.2026, 24:00 (Астана уақыты)\nЖоспар бойынша орындау мерзімі: жыл сайын, қыркүйек–қазан (01.09.2026 – 31.10.2026)');
    expect(ru).toContain('Срок: 02.11.2026, 24:00 (время Астаны)\nСрок исполнения по плану: ежегодно, сентябрь–октябрь (01.09.2026 – 31.10.2026)');
    expect(kk).toContain('Жоспар бойынша орындау мерзімі басталды: 01.09.2026 – 31.10.2026.');
    expect(ru).toContain('Начался срок исполнения по плану: 01.09.2026 – 31.10.2026.');
  });

  test('of a permanent item says it is permanent and reported each quarter; its later reminder says nothing has opened', async () => {
    const item = obligation({ id: 'ap-29', rule: 'action-plan-item', variant: 'permanent', org: 'zko-health', issuedBy: 'zko-uralsk-kdn', label: '29', startText: '2026-01-01T00:00' });
    await open(store, item);
    const { kk, ru } = sections((await tell(item, 'reminder-1', DASHBOARD))[0]);
    expect(kk).toContain('Мерзімі: 31.03.2026, 24:00');
    expect(kk).toContain('Жоспар бойынша орындау мерзімі: тұрақты негізде; ақпарат тоқсан сайын беріледі');
    expect(ru).toContain('Срок исполнения по плану: на постоянной основе; информация представляется ежеквартально');
    expect(ru).not.toContain('Начался срок');
  });
});

describe("the dashboard's address", () => {
  test('comes from the environment; anything but an http(s) URL gives no link', () => {
    expect(dashboardUrlFromEnv({ [ENV.dashboardUrl]: 'https://d111.cloudfront.net/' })).toBe('https://d111.cloudfront.net/');
    expect(dashboardUrlFromEnv({ [ENV.dashboardUrl]: 'http://127.0.0.1:4000/dashboard/' })).toBe('http://127.0.0.1:4000/dashboard/');
    expect(dashboardUrlFromEnv({ [ENV.dashboardUrl]: '' })).toBeUndefined();
    expect(dashboardUrlFromEnv({ [ENV.dashboardUrl]: 'javascript:alert(1)' })).toBeUndefined();
    expect(dashboardUrlFromEnv({ [ENV.dashboardUrl]: 'not a url' })).toBeUndefined();
    expect(dashboardUrlFromEnv({})).toBeUndefined();
    expect(obligationLink('http://127.0.0.1:4000/dashboard', 'sub-7')).toBe('http://127.0.0.1:4000/dashboard/#/o/sub-7');
    expect(obligationLink(undefined, 'sub-7')).toBeUndefined();
  });
});
