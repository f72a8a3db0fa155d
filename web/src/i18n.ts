import { type Messages, en } from '../i18n/en.ts';
import { kk } from '../i18n/kk.ts';
import { ru } from '../i18n/ru.ts';

/** The language of the page: Kazakh first, Russian, English; kept in localStorage. */
export const LANGUAGES = ['kk', 'ru', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
const MESSAGES: Record<Language, Messages> = { kk, ru, en };
const KEY = 'merzim.lang';

function initial(): Language {
  const stored = localStorage.getItem(KEY);
  if (stored === 'kk' || stored === 'ru' || stored === 'en') return stored;
  const browser = navigator.language.slice(0, 2);
  return browser === 'ru' || browser === 'en' ? browser : 'kk';
}

let current: Language = initial();

export function lang(): Language {
  return current;
}

export function setLang(language: Language): void {
  current = language;
  localStorage.setItem(KEY, language);
  document.documentElement.lang = language;
}

export function t(): Messages {
  return MESSAGES[current];
}

/** A text the API gives in the three languages. */
export function pick(texts: { readonly kk: string; readonly ru: string; readonly en: string } | undefined, fallback = ''): string {
  return texts === undefined ? fallback : texts[current];
}

export function messagesOf(language: Language): Messages {
  return MESSAGES[language];
}
