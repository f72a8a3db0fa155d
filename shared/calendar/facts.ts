import type { Texts } from '../i18n/texts.ts';
import type { LegalSource, Validity } from '../model/source.ts';
import type { LocalDate } from './local-date.ts';

/**
 * A public holiday on a fixed day of the year. If it falls on a Saturday or Sunday, the next
 * working day is a day off instead (the transfer rule).
 */
export interface Holiday extends Validity {
  readonly kind: 'holiday';
  readonly id: string;
  readonly names: Texts;
  /** `MM-DD` */
  readonly day: string;
  readonly source: LegalSource;
}

/** A religious day off on a given date. Never transferred. */
export interface ReligiousDayOff {
  readonly kind: 'religious';
  readonly id: string;
  readonly names: Texts;
  readonly date: LocalDate;
  readonly source: LegalSource;
}

/** A day off moved by decree or order: `dayOff` is rested, `workingDay` (a weekend day) is worked. */
export interface DecreedTransfer {
  readonly kind: 'transfer';
  readonly id: string;
  readonly dayOff: LocalDate;
  readonly workingDay: LocalDate;
  readonly source: LegalSource;
}

/** How far the shipped data reaches, and how sure each year is. */
export interface CalendarCoverage {
  readonly from: LocalDate;
  readonly to: LocalDate;
  readonly years: Readonly<Record<number, 'confirmed' | 'provisional'>>;
}

export interface CalendarData {
  readonly country: 'KZ';
  /** When this data was last checked against the law; recorded with every plan. */
  readonly version: string;
  readonly coverage: CalendarCoverage;
  readonly weekend: readonly number[];
  readonly transferRule: { readonly source: LegalSource };
  readonly holidays: readonly Holiday[];
  readonly religiousDaysOff: readonly ReligiousDayOff[];
  readonly transfers: readonly DecreedTransfer[];
}
