import { type Instant, formatInstant } from '../calendar/instant.ts';
import type { Role } from '../model/roles.ts';
import { ROLES } from '../model/roles.ts';
import type { Milestone, MilestoneKind, Plan } from '../rules/plan.ts';
import type { Rule } from '../rules/rule.ts';
import type { Texts } from './texts.ts';

/**
 * What one e-mail says, in Kazakh and Russian in one message: the kind of notice, the rule, the
 * case reference and the due time. Never anything about the people in the case (LEGAL.md §5):
 * the reference is the owning body's case number, nothing else.
 */
export interface Notice {
  readonly subject: string;
  readonly text: string;
}

export interface NoticeInput {
  readonly rule: Rule;
  readonly plan: Plan;
  readonly milestone: Milestone;
  /** The owning body's case reference. */
  readonly reference: string;
  /** The organisation unit that must act. */
  readonly organisation: string;
  readonly recipient: Role;
  /** When the notice goes: an escalation says how long the deadline is overdue by then. */
  readonly toldAt?: Instant;
  /** How many earlier notices of a late timer this one replaces (functions/app/late.ts). */
  readonly replaces?: number;
}

const headline: Record<MilestoneKind, Texts> = {
  reminder: { kk: 'Еске салу', ru: 'Напоминание', en: 'Reminder' },
  due: { kk: 'Мерзімі өтті', ru: 'Срок истёк', en: 'Deadline passed' },
  expiry: { kk: 'Мерзімі аяқталды', ru: 'Срок действия истёк', en: 'Expired' },
  escalation: { kk: 'Мерзімі өткен', ru: 'Просрочено', en: 'Overdue' },
};

const labels = {
  due: { kk: 'Мерзімі', ru: 'Срок', en: 'Due' },
  case: { kk: 'Іс', ru: 'Дело', en: 'Case' },
  unit: { kk: 'Жауапты бөлім', ru: 'Ответственное подразделение', en: 'Responsible unit' },
  to: { kk: 'Кімге', ru: 'Кому', en: 'To' },
  source: { kk: 'Негіз', ru: 'Основание', en: 'Source' },
  act: {
    kk: 'Әрекет жасалған болса, оны Merzim жүйесінде тіркеңіз.',
    ru: 'Если действие совершено, отметьте его в Merzim.',
    en: 'If the act is done, record it in Merzim.',
  },
  zone: { kk: 'Астана уақыты', ru: 'время Астаны', en: 'Astana time' },
} as const satisfies Record<string, Texts>;

/** `27.03.2026, 18:30`; a deadline at local midnight is the end of the day before: `02.03.2026, 24:00`. */
export function localTimeText(instant: Instant, endOfDay: boolean): string {
  const shifted = endOfDay && formatInstant(instant).slice(11, 16) === '00:00' ? instant - 1 : instant;
  const text = formatInstant(shifted);
  const time = shifted === instant ? text.slice(11, 16) : '24:00';
  return `${text.slice(8, 10)}.${text.slice(5, 7)}.${text.slice(0, 4)}, ${time}`;
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** Russian's three forms of a counted noun: 1 день, 2 дня, 5 дней (11–14 дней). */
function russianCount(count: number, [one, few, many]: readonly [string, string, string]): string {
  const tens = count % 100;
  const units = count % 10;
  const form = tens >= 11 && tens <= 14 ? many : units === 1 ? one : units >= 2 && units <= 4 ? few : many;
  return `${count} ${form}`;
}

/** How long the deadline is overdue at `toldAt`: whole days, or whole hours within the first day. */
export function overdueText(dueAt: Instant, toldAt: Instant): Texts {
  const late = Math.max(toldAt - dueAt, HOUR_MS);
  if (late >= DAY_MS) {
    const days = Math.floor(late / DAY_MS);
    return { kk: `Мерзімі өткелі ${days} күн болды.`, ru: `Срок пропущен на ${russianCount(days, ['день', 'дня', 'дней'])}.`, en: `Overdue by ${days} day${days === 1 ? '' : 's'}.` };
  }
  const hours = Math.floor(late / HOUR_MS);
  return { kk: `Мерзімі өткелі ${hours} сағат болды.`, ru: `Срок пропущен на ${russianCount(hours, ['час', 'часа', 'часов'])}.`, en: `Overdue by ${hours} hour${hours === 1 ? '' : 's'}.` };
}

const replacedText: Texts = {
  kk: 'Бұл мерзім бойынша бұрынғы хабарламалар уақытында жіберілмеді: олардың орнына осы бір хабарлама жіберіліп отыр.',
  ru: 'Прежние уведомления по этому сроку не были разосланы вовремя: вместо них направляется это одно.',
  en: 'The earlier notices of this deadline did not go out in time: this one goes instead.',
};

export function composeNotice({ rule, plan, milestone, reference, organisation, recipient, toldAt, replaces = 0 }: NoticeInput): Notice {
  const due = localTimeText(plan.dueAt, true);
  const section = (language: 'kk' | 'ru'): string => {
    const lines = [
      `${headline[milestone.kind][language]}: ${rule.names[language]}`,
      `${labels.due[language]}: ${due} (${labels.zone[language]})`,
      `${labels.case[language]}: ${reference}`,
      `${labels.unit[language]}: ${organisation}`,
      `${labels.to[language]}: ${ROLES[recipient][language]}`,
    ];
    if (milestone.kind === 'escalation' && toldAt !== undefined) lines.push(overdueText(plan.dueAt, toldAt)[language]);
    if (replaces > 0) lines.push(replacedText[language]);
    if (milestone.kind === 'escalation' && plan.overdueGrounds !== undefined) {
      lines.push(plan.overdueGrounds.names[language]);
    }
    if (milestone.kind !== 'expiry') lines.push(labels.act[language]);
    return lines.join('\n');
  };
  const source = rule.sources[0];
  return {
    subject: `${headline[milestone.kind].kk} / ${headline[milestone.kind].ru}: ${rule.names.ru} · ${reference} · ${due}`,
    text: [
      'ҚАЗАҚША',
      section('kk'),
      '',
      'РУССКИЙ',
      section('ru'),
      '',
      `${labels.source.ru}: ${source === undefined ? '' : [source.act, source.provision].filter(Boolean).join(', ')}`,
    ].join('\n'),
  };
}
