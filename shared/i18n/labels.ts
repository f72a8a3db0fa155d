import type { Texts } from '../base/index.ts';

/**
 * The words the mails label their lines with, written once: a milestone's notice, an act's notice,
 * the digest and the morning mail say them alike.
 */
export const MAIL_LABELS = {
  due: { kk: 'Мерзімі', ru: 'Срок', en: 'Due' },
  case: { kk: 'Іс', ru: 'Дело', en: 'Case' },
  overdue: { kk: 'Мерзімі өткен', ru: 'Просрочено', en: 'Overdue' },
  to: { kk: 'Кімге', ru: 'Кому', en: 'To' },
  source: { kk: 'Негіз', ru: 'Основание', en: 'Legal basis' },
  zone: { kk: 'Астана уақыты', ru: 'время Астаны', en: 'Astana time' },
  link: { kk: 'Merzim-де ашу', ru: 'Открыть в Merzim', en: 'Open in Merzim' },
} as const satisfies Record<string, Texts>;

/** `01.09.2026`. */
export function dottedDate(date: string): string {
  return `${date.slice(8, 10)}.${date.slice(5, 7)}.${date.slice(0, 4)}`;
}
