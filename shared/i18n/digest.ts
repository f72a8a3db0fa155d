import type { Instant, LocalDate, Texts } from '../base/index.ts';
import { localTimeText } from './notices.ts';
import { MAIL_LABELS, dottedDate } from './labels.ts';

/**
 * The daily digest: one e-mail per person, in Kazakh and Russian, listing what is overdue and
 * what falls due in the next days among the obligations they watch. Like every notice it holds
 * references, units and deadlines only (LEGAL.md §5).
 */
export interface DigestItem {
  readonly rule: Texts;
  readonly reference: string;
  /** The unit that must act: its names, or its code when the directory has none. */
  readonly organisation: Texts | string;
  readonly dueAt: Instant;
  readonly overdue: boolean;
  /** What the law makes of it being overdue (CoAO art. 479 for a submission's reply). */
  readonly grounds?: Texts;
}

export interface DigestInput {
  /** The digest's day, Kazakhstan time. */
  readonly date: LocalDate;
  /** How many days ahead "due soon" looks. */
  readonly days: number;
  readonly items: readonly DigestItem[];
}

const labels = {
  ...MAIL_LABELS,
  title: { kk: 'Merzim: күнделікті шолу', ru: 'Merzim: ежедневная сводка', en: 'Merzim: daily digest' },
  dueSoon: { kk: 'Жақын күндерде мерзімі бітетіндер', ru: 'Срок истекает в ближайшие дни', en: 'Due soon' },
  days: { kk: 'күн ішінде', ru: 'дн.', en: 'days' },
  // The unit that must act: a police unit, a department, a school or a commission alike.
  unit: { kk: 'Орындаушы', ru: 'Исполнитель', en: 'Acting body' },
  count: { kk: 'Барлығы', ru: 'Всего', en: 'In all' },
  act: {
    kk: 'Орындалғанын Merzim жүйесінде белгілеңіз.',
    ru: 'Исполнение отметьте в Merzim.',
    en: 'Record in Merzim what is done.',
  },
} as const satisfies Record<string, Texts>;

type Language = 'kk' | 'ru';

function itemLines(item: DigestItem, index: number, language: Language): string[] {
  const organisation = typeof item.organisation === 'string' ? item.organisation : item.organisation[language];
  const lines = [
    `${index + 1}. ${item.overdue ? `[${labels.overdue[language].toUpperCase()}] ` : ''}${item.rule[language]}`,
    `   ${labels.case[language]}: ${item.reference}`,
    `   ${labels.unit[language]}: ${organisation}`,
    `   ${labels.due[language]}: ${localTimeText(item.dueAt, true)} (${labels.zone[language]})`,
  ];
  if (item.overdue && item.grounds !== undefined) lines.push(`   ${item.grounds[language]}`);
  return lines;
}

/** Overdue first, then by due time. */
export function digestOrder(a: DigestItem, b: DigestItem): number {
  return Number(b.overdue) - Number(a.overdue) || a.dueAt - b.dueAt || a.reference.localeCompare(b.reference);
}

export function composeDigest({ date, days, items }: DigestInput): { subject: string; text: string } {
  const sorted = [...items].sort(digestOrder);
  const overdue = sorted.filter((item) => item.overdue);
  const soon = sorted.filter((item) => !item.overdue);
  const section = (language: Language): string => {
    const lines = [`${labels.title[language]} · ${dottedDate(date)}`, ''];
    if (overdue.length > 0) {
      lines.push(`${labels.overdue[language]} (${overdue.length}):`);
      overdue.forEach((item, index) => lines.push(...itemLines(item, index, language)));
      lines.push('');
    }
    if (soon.length > 0) {
      lines.push(`${labels.dueSoon[language]} (${days} ${labels.days[language]}) (${soon.length}):`);
      soon.forEach((item, index) => lines.push(...itemLines(item, index, language)));
      lines.push('');
    }
    lines.push(labels.act[language]);
    return lines.join('\n');
  };
  return {
    subject: `${labels.title.kk} / ${labels.title.ru} · ${dottedDate(date)} · ${labels.overdue.kk} / ${labels.overdue.ru}: ${overdue.length} · ${labels.count.kk} / ${labels.count.ru}: ${sorted.length}`,
    text: ['ҚАЗАҚША', section('kk'), '', 'РУССКИЙ', section('ru')].join('\n'),
  };
}
