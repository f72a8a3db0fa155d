import * as z from 'zod';
import { type LocalDate, dayNumber, fromDayNumber } from './local-date.ts';
import { InputError } from './errors.ts';

/**
 * Instants are milliseconds since the epoch (UTC). Kazakhstan has used one offset, UTC+5, since
 * 2024-03-01 00:00 (Government decree No. 1749 of 23.11.2000 as amended; tzdata 2024a). The
 * offset is a constant here on purpose: the runtime's time-zone database may be older.
 */
export type Instant = number;

export const KZ_OFFSET_MINUTES = 300;
const OFFSET_MS = KZ_OFFSET_MINUTES * 60_000;
const DAY_MS = 86_400_000;

/** Before this instant eastern Kazakhstan was at UTC+6: local dates cannot be read with one offset. */
export const SINGLE_ZONE_SINCE: Instant = Date.UTC(2024, 1, 29, 19, 0, 0); // 2024-03-01T00:00+05:00

export class InvalidInstantError extends InputError {
  override readonly name = 'InvalidInstantError';
}

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})?)?$/i;

/**
 * Reads an instant. With an offset (`Z`, `+05:00`) it is taken as is; without one it is
 * Kazakhstan time (+05:00). A bare date is the start of that day in Kazakhstan.
 */
export function parseInstant(text: string): Instant {
  const match = RFC3339.exec(text.trim());
  if (match === null) {
    throw new InvalidInstantError(
      `"${text}" is not an instant (expected e.g. 2026-03-19T15:20:00+05:00, 2026-03-19T15:20 or 2026-03-19)`,
    );
  }
  const [, y, mo, d, h, mi, s, fraction, zone] = match;
  const date = `${y}-${mo}-${d}`;
  let day: number;
  try {
    day = dayNumber(date);
  } catch {
    throw new InvalidInstantError(`"${text}" has no such calendar date`);
  }
  const hours = Number(h ?? '0');
  const minutes = Number(mi ?? '0');
  const seconds = Number(s ?? '0');
  if (hours > 23 || minutes > 59 || seconds > 59) {
    throw new InvalidInstantError(`"${text}" has no such time of day`);
  }
  const millis = fraction === undefined ? 0 : Math.floor(Number(`0.${fraction}`) * 1000);
  const offsetMinutes = zoneOffsetMinutes(zone, text);
  return day * DAY_MS + ((hours * 60 + minutes - offsetMinutes) * 60 + seconds) * 1000 + millis;
}

function zoneOffsetMinutes(zone: string | undefined, text: string): number {
  if (zone === undefined) return KZ_OFFSET_MINUTES;
  if (zone.toUpperCase() === 'Z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const hours = Number(zone.slice(1, 3));
  const minutes = Number(zone.slice(4, 6));
  if (hours > 14 || minutes > 59) throw new InvalidInstantError(`"${text}" has an impossible offset`);
  return sign * (hours * 60 + minutes);
}

/** RFC 3339 in Kazakhstan time, to the second: `2026-03-27T18:30:00+05:00`. */
export function formatInstant(instant: Instant): string {
  const local = new Date(instant + OFFSET_MS).toISOString();
  return `${local.slice(0, 19)}+05:00`;
}

/** Kazakhstan's calendar date of an instant. */
export function localDateOf(instant: Instant): LocalDate {
  return fromDayNumber(Math.floor((instant + OFFSET_MS) / DAY_MS));
}

/** Minutes after local midnight of a wall-clock time `HH:MM` (24:00 allowed: the end of the day). */
export function minutesOfDay(time: WallTime): number {
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

/** The instant at a wall-clock time of a Kazakhstan date. */
export function instantAt(date: LocalDate, time: WallTime): Instant {
  return dayNumber(date) * DAY_MS + (minutesOfDay(time) - KZ_OFFSET_MINUTES) * 60_000;
}

/** A local wall-clock time `HH:MM`, 00:00 to 24:00. */
export type WallTime = string;
export const WallTimeSchema = z
  .string()
  .regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'expected a time of day HH:MM');

export const HOUR_MS = 3_600_000;
export { DAY_MS };

/**
 * The end of the week an instant falls in: the next Monday at 00:00 in Kazakhstan (+05:00), which
 * is Sunday 24:00. On a Sunday it is that night.
 */
export function weekEndOf(now: Instant): Instant {
  const day = Math.floor((now + OFFSET_MS) / DAY_MS);
  // 1 January 1970 was a Thursday: day 0 is weekday 4 (0 = Sunday).
  const weekday = (day + 4) % 7;
  const sunday = day + ((7 - weekday) % 7);
  return (sunday + 1) * DAY_MS - OFFSET_MS;
}
