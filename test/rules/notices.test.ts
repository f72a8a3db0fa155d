import { describe, expect, it } from 'vitest';
import { kazakhstan } from '../../shared/calendar/index.ts';
import { parseInstant } from '../../shared/calendar/instant.ts';
import { composeNotice, localTimeText } from '../../shared/i18n/notices.ts';
import { findRule } from '../../shared/rules/catalog.ts';
import { planObligation } from '../../shared/rules/plan.ts';

function notice(ruleId: string, start: string, milestoneId: string) {
  const rule = findRule(ruleId);
  const plan = planObligation({ rule, start: parseInstant(start), calendar: kazakhstan() });
  const milestone = plan.milestones.find((m) => m.id === milestoneId);
  if (milestone === undefined) throw new Error(`no milestone ${milestoneId}`);
  const recipient = milestone.notify[0] ?? rule.actor;
  return composeNotice({ rule, plan, milestone, reference: 'ЖҚ-2026/0147', organisation: 'Байтерек ауданы', recipient });
}

describe('notices', () => {
  it('remind the akimat department in Kazakh and Russian, naming the rule, the case and the due time', () => {
    const { subject, text } = notice('sss-decision', '2026-03-19T15:20', 'reminder-1');
    expect(subject).toBe(
      'Еске салу / Напоминание: Решение о предоставлении специальных социальных услуг · ЖҚ-2026/0147 · 27.03.2026, 18:30',
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
    expect(text).toContain('Основание для производства по ст. 479 КоАП РК');
    expect(text).toContain('ӘҚБтК 479-бабы');
  });

  it('tell the inspector a protective order expired without asking to record an act', () => {
    const { subject, text } = notice('protective-order', '2026-02-27T22:15:00+05:00', 'due');
    expect(subject).toContain('Мерзімі аяқталды / Срок действия истёк');
    expect(subject).toContain('29.03.2026, 22:15');
    expect(text).not.toContain('Merzim');
  });
});
