import { type LocalDate, dayNumber, fromDayNumber, makeDate } from '../base/index.ts';

/**
 * The arithmetic (tabular) Islamic calendar, used only to project a religious day off whose
 * date the government has not yet set (Kurban Ait, 10 Dhu al-Hijjah). It is well defined and
 * needs no astronomy: months alternate 30 and 29 days, Dhu al-Hijjah has 30 days in the 11 leap
 * years of each 30-year cycle (2, 5, 7, 10, 13, 16, 18, 21, 24, 26, 29), as in Reingold &
 * Dershowitz, "Calendrical Calculations", `fixed-from-islamic`.
 *
 * The date actually observed follows the sighting or the calculation of the new moon and may
 * differ from the tabular one by a day or two: a projected date is provisional (⚠), never a fact.
 *
 * Two epochs are in use. `civil` counts from Friday 16 July 622 (Julian), `astronomical` from
 * Thursday 15 July 622, one day earlier. Against the first days of Kurban Ait published in
 * Kazakhstan (LEGAL.md §2: 2024-06-16, 2025-06-06, 2026-05-27) the astronomical epoch gives
 * 2024-06-16, 2025-06-06 and 2026-05-26; the civil one 2024-06-17, 2025-06-07 and 2026-05-27.
 * Kazakhstan's data (kazakhstan.ts) chooses the astronomical epoch; test/calendar checks the fit.
 */
export type IslamicEpoch = 'civil' | 'astronomical';

/** Day numbers (days since 1970-01-01) of the day before 1 Muharram AH 1. */
const EPOCH_DAY: Readonly<Record<IslamicEpoch, number>> = {
  // 622-07-16 Julian is 622-07-19 proleptic Gregorian; day number of that day, minus one.
  civil: dayNumber('0622-07-19') - 1,
  astronomical: dayNumber('0622-07-18') - 1,
};

/** The day number of an Islamic date (month 1–12, day 1–30) by the tabular calendar. */
export function islamicDayNumber(year: number, month: number, day: number, epoch: IslamicEpoch): number {
  if (!Number.isInteger(year) || year < 1 || !Number.isInteger(month) || month < 1 || month > 12 || !Number.isInteger(day) || day < 1 || day > 30) {
    throw new RangeError(`no Islamic date ${year}-${month}-${day}`);
  }
  return (
    EPOCH_DAY[epoch] +
    day +
    29 * (month - 1) +
    Math.floor((6 * month - 1) / 11) +
    (year - 1) * 354 +
    Math.floor((3 + 11 * year) / 30)
  );
}

/** An Islamic date that falls in a Gregorian year, with the Islamic year it belongs to. */
export interface IslamicOccurrence {
  readonly date: LocalDate;
  readonly islamicYear: number;
}

/**
 * Every Gregorian date of a Gregorian year that is `day` of `month` by the tabular Islamic
 * calendar: usually one, two in some years (the Islamic year is 354 or 355 days: 2039 has two
 * 10 Dhu al-Hijjah), in date order.
 */
export function islamicDatesIn(gregorianYear: number, month: number, day: number, epoch: IslamicEpoch): IslamicOccurrence[] {
  const first = dayNumber(makeDate(gregorianYear, 1, 1));
  const last = dayNumber(makeDate(gregorianYear, 12, 31));
  // AH year n begins about 354.37 (n - 1) days after the epoch: start one year early to be safe.
  const approximate = Math.floor((first - EPOCH_DAY.astronomical) / 354.367);
  const found: IslamicOccurrence[] = [];
  for (let year = Math.max(1, approximate - 1); year <= approximate + 2; year += 1) {
    const at = islamicDayNumber(year, month, day, epoch);
    if (at >= first && at <= last) found.push({ date: fromDayNumber(at), islamicYear: year });
  }
  return found;
}
