import type { LegalSource, LocalDate, Texts, Validity } from '../base/index.ts';
import type { IslamicEpoch } from './islamic.ts';

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

/**
 * A religious day off as the law names it, for the years no decree has dated yet: on a fixed
 * day of the year (Orthodox Christmas, 7 January), or on a day of the Islamic calendar (Kurban
 * Ait, 10 Dhu al-Hijjah), computed with the tabular Islamic calendar and therefore provisional.
 */
export type ReligiousDayRule =
  | {
      readonly kind: 'fixed';
      readonly id: string;
      readonly names: Texts;
      /** `MM-DD` */
      readonly day: string;
      readonly source: LegalSource;
    }
  | {
      readonly kind: 'islamic';
      readonly id: string;
      readonly names: Texts;
      readonly month: number;
      readonly day: number;
      readonly epoch: IslamicEpoch;
      readonly source: LegalSource;
    };

/**
 * How the calendar goes on past the published data: the holidays and the transfer rule are law
 * and apply to any year; the religious days by these rules; decreed transfers cannot be known.
 */
export interface CalendarProjection {
  /** How many years past the last published year are projected: the horizon. */
  readonly years: number;
  /** Why the horizon is where it is. */
  readonly why: string;
  readonly religiousDays: readonly ReligiousDayRule[];
}

export interface CalendarData {
  readonly country: 'KZ';
  /** When this data was last checked against the law; recorded with every plan. */
  readonly version: string;
  readonly coverage: CalendarCoverage;
  readonly weekend: readonly number[];
  /** The act that makes `weekend` the days of rest: what an explanation cites for a skipped Saturday. */
  readonly weekendSource?: LegalSource;
  readonly transferRule: { readonly source: LegalSource };
  readonly holidays: readonly Holiday[];
  readonly religiousDaysOff: readonly ReligiousDayOff[];
  readonly transfers: readonly DecreedTransfer[];
  readonly projection: CalendarProjection;
}
