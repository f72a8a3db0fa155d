import type { Texts } from '../base/index.ts';
import { dottedDate } from './labels.ts';

/**
 * An action-plan item's term as the plan words it, for the mails and the dashboard: "тоқсан
 * сайын", "тұрақты негізде" with the quarter it is reported by (⚠ the plan names no period: the
 * catalog's `permanent` variant), or a window of months with its days this year. Plain data in
 * and out, with no calendar: the dashboard bundles it as it is.
 */

/** What the term is read from: the obligation's rule and variant, and its current period. */
export interface ItemTermInput {
  readonly rule: string;
  readonly variant?: string | undefined;
  /** The period's first day, YYYY-MM-DD (Kazakhstan time). */
  readonly firstDay: string;
  /** The period's last day as counted, before any move off a day off, YYYY-MM-DD. */
  readonly lastDay: string;
}

const MONTHS: Readonly<Record<keyof Texts, readonly string[]>> = {
  kk: ['қаңтар', 'ақпан', 'наурыз', 'сәуір', 'мамыр', 'маусым', 'шілде', 'тамыз', 'қыркүйек', 'қазан', 'қараша', 'желтоқсан'],
  ru: ['январь', 'февраль', 'март', 'апрель', 'май', 'июнь', 'июль', 'август', 'сентябрь', 'октябрь', 'ноябрь', 'декабрь'],
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
};

const RECURRING: Readonly<Record<string, Texts>> = {
  monthly: { kk: 'ай сайын', ru: 'ежемесячно', en: 'monthly' },
  quarterly: { kk: 'тоқсан сайын', ru: 'ежеквартально', en: 'quarterly' },
  yearly: { kk: 'жыл сайын', ru: 'ежегодно', en: 'yearly' },
  permanent: {
    kk: 'тұрақты негізде; ақпарат тоқсан сайын беріледі',
    ru: 'на постоянной основе; информация представляется ежеквартально',
    en: 'on a permanent basis; reported quarterly',
  },
};


/** The window's months, `қыркүйек–қазан`, and its days, `01.09.2026 – 31.10.2026`. */
function windowTexts(firstDay: string, lastDay: string): Texts {
  const first = Number(firstDay.slice(5, 7)) - 1;
  const last = Number(lastDay.slice(5, 7)) - 1;
  const days = `${dottedDate(firstDay)} – ${dottedDate(lastDay)}`;
  const months = (language: keyof Texts): string =>
    first === last ? (MONTHS[language][first] ?? '') : `${MONTHS[language][first] ?? ''}–${MONTHS[language][last] ?? ''}`;
  return {
    kk: `жыл сайын, ${months('kk')} (${days})`,
    ru: `ежегодно, ${months('ru')} (${days})`,
    en: `yearly, ${months('en')} (${days})`,
  };
}

/** The item's term, or nothing for an item due by a set date (its due date says it all) and for any other rule. */
export function itemTerm(input: ItemTermInput): Texts | undefined {
  if (input.rule !== 'action-plan-item') return undefined;
  const variant = input.variant ?? 'monthly';
  if (variant === 'window') return windowTexts(input.firstDay, input.lastDay);
  return RECURRING[variant];
}

/** What the reminder as a window opens says: the window has begun, and its days. */
export function windowOpened(input: Pick<ItemTermInput, 'firstDay' | 'lastDay'>): Texts {
  const days = `${dottedDate(input.firstDay)} – ${dottedDate(input.lastDay)}`;
  return {
    kk: `Жоспар бойынша орындау мерзімі басталды: ${days}.`,
    ru: `Начался срок исполнения по плану: ${days}.`,
    en: `The plan's term has begun: ${days}.`,
  };
}
