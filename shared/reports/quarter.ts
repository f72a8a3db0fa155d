import * as z from 'zod';
import { type Instant, type LocalDate, addDays, addMonths, instantAt, localDateOf, makeDate } from '../base/index.ts';

/**
 * A reporting quarter, `2026-Q3`: the first and last calendar day in Kazakhstan, and the
 * instants that bound it (+05:00). The service note of seed 000 item 9 covers one.
 */
export interface Quarter {
  readonly name: string;
  readonly year: number;
  readonly number: 1 | 2 | 3 | 4;
  readonly from: LocalDate;
  readonly to: LocalDate;
  /** 00:00 of `from`, local. */
  readonly startsAt: Instant;
  /** 00:00 of the day after `to`, local: the quarter holds instants before it. */
  readonly endsAt: Instant;
}

export const QuarterNameSchema = z
  .string()
  .regex(/^(20\d\d)-Q([1-4])$/, 'a quarter like 2026-Q3')
  .transform((name) => quarterOf(name));

export function quarterOf(name: string): Quarter {
  const match = /^(\d{4})-Q([1-4])$/.exec(name);
  if (match === null) throw new RangeError(`"${name}" is not a quarter like 2026-Q3`);
  const year = Number(match[1]);
  const number = Number(match[2]) as Quarter['number'];
  const from = makeDate(year, (number - 1) * 3 + 1, 1);
  const next = addMonths(from, 3);
  return { name, year, number, from, to: addDays(next, -1), startsAt: instantAt(from, '00:00'), endsAt: instantAt(next, '00:00') };
}

/** The quarter an instant falls in, in Kazakhstan time. */
export function quarterAt(instant: Instant): Quarter {
  const date = localDateOf(instant);
  return quarterOf(`${date.slice(0, 4)}-Q${Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1}`);
}

/** The quarter before. */
export function previousQuarter(quarter: Quarter): Quarter {
  return quarter.number === 1 ? quarterOf(`${quarter.year - 1}-Q4`) : quarterOf(`${quarter.year}-Q${quarter.number - 1}`);
}

export function inQuarter(quarter: Quarter, instant: Instant): boolean {
  return instant >= quarter.startsAt && instant < quarter.endsAt;
}

/**
 * The last day a due instant closes: a deadline due at 24:00 of 30 September is due the instant
 * 1 October begins, and belongs to 30 September (and so to the third quarter).
 */
export function lastDayOf(dueAt: Instant): LocalDate {
  return localDateOf(dueAt - 1);
}

/**
 * The quarter a quarterly report due at `dueAt` covers: the one before the month it falls due in
 * (seed 000 item 9: by the 5th, or the 10th, of the month after the quarter, moved off a day off).
 */
export function reportedQuarter(dueAt: Instant): Quarter {
  return previousQuarter(quarterAt(dueAt - 1));
}
