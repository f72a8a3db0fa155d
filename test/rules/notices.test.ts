import { describe, expect, it } from 'vitest';
import { kazakhstan } from '../../shared/calendar/index.ts';
import { parseInstant } from '../../shared/base/index.ts';
import { composeNotice, kazakhTime, kazakhUntil, localTimeText, russianDays } from '../../shared/i18n/index.ts';
import { catalog, findRule, planObligation } from '../../shared/rules/index.ts';

function notice(ruleId: string, start: string, milestoneId: string, late: { toldAt?: string; replaces?: number } = {}) {
  const rule = findRule(ruleId);
  const plan = planObligation({ rule, start: parseInstant(start), calendar: kazakhstan() });
  const milestone = plan.milestones.find((m) => m.id === milestoneId);
  if (milestone === undefined) throw new Error(`no milestone ${milestoneId}`);
  const recipient = milestone.notify[0] ?? rule.actor;
  return composeNotice({
    rule,
    plan,
    milestone,
    reference: 'ЖҚ-2026/0147',
    organisation: { names: { kk: 'Бәйтерек ауданының жұмыспен қамту бөлімі', ru: 'Отдел занятости Байтерекского района' }, kind: 'akimat-department' },
    recipient,
    signsIn: true,
    ...(late.toldAt === undefined ? {} : { toldAt: parseInstant(late.toldAt) }),
    ...(late.replaces === undefined ? {} : { replaces: late.replaces }),
  });
}

describe('notices', () => {
  it('remind the akimat department in Kazakh and Russian, naming the rule, the case and the due time', () => {
    const { subject, text } = notice('sss-decision', '2026-03-19T15:20', 'reminder-1');
    expect(subject).toBe(
      'Еске салу / Напоминание: Арнаулы әлеуметтік көрсетілетін қызметтер ұсыну туралы шешім / Решение о предоставлении специальных социальных услуг · ЖҚ-2026/0147 · 27.03.2026, 18:30',
    );
    expect(text).toContain('Еске салу: Арнаулы әлеуметтік көрсетілетін қызметтер ұсыну туралы шешім');
    expect(text).toContain('Мерзімі: 27.03.2026, 18:30 (Астана уақыты)');
    expect(text).toContain('Срок: 27.03.2026, 18:30 (время Астаны)');
    expect(text).toContain('Дело: ЖҚ-2026/0147');
  });

  it('show a deadline that ends at midnight as 24:00 of the last day', () => {
    expect(localTimeText(parseInstant('2026-03-03T00:00'), true)).toBe('02.03.2026, 24:00');
    expect(localTimeText(parseInstant('2026-03-03T00:00'), false)).toBe('03.03.2026, 00:00');
    const { subject, text } = notice('submission-reply', '2026-01-31T11:00', 'escalation-1-1');
    expect(subject).toContain('Мерзімі өткен / Просрочено');
    expect(subject).toContain('02.03.2026, 24:00');
    expect(text).toContain('основание для возбуждения дела по ст. 479 КоАП РК');
    expect(text).toContain('ӘҚБтК 479-бабы');
    expect(text).toContain('Срок истёк 02.03.2026, 24:00: просрочено на 1 день');
    expect(text).toContain('Мерзімі 02.03.2026, 24:00 өтті: 1 күнге кешіктірілді');
  });

  it('count a late escalation\'s days to when it goes, and say it replaces the notices not sent', () => {
    const { text } = notice('submission-reply', '2026-01-31T11:00', 'escalation-1-1', { toldAt: '2026-04-13T09:05:00+05:00', replaces: 3 });
    expect(text).toContain('Срок истёк 02.03.2026, 24:00: просрочено на 42 дня');
    expect(text).toContain('Мерзімі 02.03.2026, 24:00 өтті: 42 күнге кешіктірілді');
    expect(text).toContain('Прежние уведомления по этому сроку не были разосланы вовремя: вместо них направляется это одно.');
    expect(text).toContain('Бұл мерзім бойынша бұрынғы хабарламалар уақытында жіберілмеді');
    expect(notice('submission-reply', '2026-01-31T11:00', 'escalation-1-1').text).not.toContain('вместо них');
  });

  it('tell the inspector a protective order lapsed and that it may be served again, without asking to record an act', () => {
    const { subject, text } = notice('protective-order', '2026-02-27T22:15:00+05:00', 'due');
    expect(subject).toContain('Қолданылу мерзімі аяқталды / Срок действия истёк: Қорғау нұсқамасы / Защитное предписание');
    expect(subject).toContain('29.03.2026, 22:15');
    expect(text).toContain('Срок действия истёк 29.03.2026, 22:15: мера больше не действует.');
    expect(text).toContain('может быть вынесено повторно');
    expect(text).toContain('қайта шығарылуы мүмкін');
    expect(text).not.toMatch(/Когда действие будет совершено|Әрекет орындалғанда|исполнение в Merzim не отмечено/);
    // An order that lapses is nobody's failure: nobody else is told.
    expect(text).not.toContain('уведомление получит');
  });

  it("cite the legal basis in the section's own language, never in English", () => {
    const { text } = notice('submission-reply', '2026-01-31T11:00', 'reminder-1');
    const [kk = '', ru = ''] = text.split('РУССКИЙ');
    expect(kk).toContain('Негіз: ҚР ӘҚБтК, 826-бап, 2-бөлік');
    expect(ru).toContain('Основание: КоАП РК, ст. 826, ч. 2');
    expect(text).not.toMatch(/CoAO|art\.|Law of/);
    // Latin letters only in an act's number (`№ 114-IV`).
    const latin = (cite: string): string => cite.replace(/№ \d+-[IVXL]+/g, '');
    for (const rule of catalog) {
      for (const source of [...rule.sources, ...(rule.overdueGrounds === undefined ? [] : [rule.overdueGrounds.source])]) {
        expect(latin(source.cite.ru)).not.toMatch(/[A-Za-z]/);
        expect(latin(source.cite.kk)).not.toMatch(/[A-Za-z]/);
      }
    }
  });

  it('say who is told next and when: the secretary at the deadline, then the chair', () => {
    const reminder = notice('submission-reply', '2026-01-31T11:00', 'reminder-1').text;
    expect(reminder).toContain('Если до 02.03.2026, 24:00 исполнение не будет отмечено в Merzim, уведомление получит: секретарь комиссии');
    const escalation = notice('submission-reply', '2026-01-31T11:00', 'escalation-1-1').text;
    expect(escalation).toContain('Если до 10.03.2026, 09:00 исполнение не будет отмечено в Merzim, уведомление получит: председатель комиссии.');
    expect(escalation).toContain('10.03.2026, 09:00-ге дейін Merzim жүйесінде белгіленбесе, хабарлама жіберіледі: Комиссия төрағасы.');
    const last = notice('submission-reply', '2026-01-31T11:00', 'escalation-2-1').text;
    expect(last).not.toContain('уведомление получит');
  });

  it('count the days overdue in Russian as a native speaker does', () => {
    expect([1, 2, 4, 5, 11, 14, 21, 22, 25, 101, 111].map(russianDays)).toEqual([
      '1 день',
      '2 дня',
      '4 дня',
      '5 дней',
      '11 дней',
      '14 дней',
      '21 день',
      '22 дня',
      '25 дней',
      '101 день',
      '111 дней',
    ]);
  });
});

describe('a time before «дейін» in Kazakh', () => {
  it('takes the dative ending of the last number read aloud', () => {
    expect(kazakhUntil('10.03.2026, 09:00')).toBe('10.03.2026, 09:00-ге дейін');
    expect(kazakhUntil('02.03.2026, 24:00')).toBe('02.03.2026, 24:00-ге дейін');
    expect(kazakhUntil('27.03.2026, 18:30')).toBe('27.03.2026, 18:30-ға дейін');
    expect(kazakhUntil('27.03.2026, 18:40')).toBe('27.03.2026, 18:40-қа дейін');
    expect(kazakhUntil('27.03.2026, 18:50')).toBe('27.03.2026, 18:50-ге дейін');
    expect(kazakhUntil('27.03.2026, 18:45')).toBe('27.03.2026, 18:45-ке дейін');
    expect(kazakhUntil('27.03.2026, 18:36')).toBe('27.03.2026, 18:36-ға дейін');
    expect(kazakhUntil('27.03.2026, 18:27')).toBe('27.03.2026, 18:27-ге дейін');
  });
  it('and the locative ending alike, after «сағат»', () => {
    expect(['18:00', '17:30', '17:40', '17:45', '17:50', '17:59'].map((time) => kazakhTime(time, 'locative'))).toEqual([
      '18:00-де', '17:30-да', '17:40-та', '17:45-те', '17:50-де', '17:59-да',
    ]);
  });
});
