/** One text in each language users read: Kazakh, Russian, English. */
export interface Texts {
  readonly kk: string;
  readonly ru: string;
  readonly en: string;
}

export const LANGUAGES = ['kk', 'ru', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
