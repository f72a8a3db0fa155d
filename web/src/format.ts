/**
 * Instants as Kazakhstan reads them: at +05:00 (one offset throughout the country since
 * 2024-03-01), whatever the browser's time zone, and never through the browser's time-zone
 * database (it may still know Almaty at +06:00).
 */
const OFFSET_MS = 5 * 3_600_000;
const DAY_MS = 86_400_000;

const pad = (n: number): string => String(n).padStart(2, '0');

function shifted(instant: number): Date {
  return new Date(instant + OFFSET_MS);
}

export function toInstant(value: string | number): number {
  return typeof value === 'number' ? value : Date.parse(value);
}

/**
 * A deadline that ends at midnight as the law counts it: the last day until 24:00
 * (`02.04.2026 24:00`), not the next day at 00:00.
 */
export function formatDeadline(value: string | number): string {
  const instant = toInstant(value);
  const d = shifted(instant);
  if (d.getUTCHours() === 0 && d.getUTCMinutes() === 0 && d.getUTCSeconds() === 0) return `${formatDate(instant - 1)} 24:00`;
  return formatDateTime(instant);
}

/** `27.03.2026` */
export function formatDate(value: string | number): string {
  const d = shifted(toInstant(value));
  return `${pad(d.getUTCDate())}.${pad(d.getUTCMonth() + 1)}.${d.getUTCFullYear()}`;
}

/** `27.03.2026 18:30` */
export function formatDateTime(value: string | number): string {
  const d = shifted(toInstant(value));
  return `${formatDate(value)} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/** A YYYY-MM-DD local date (as the API gives due dates) as `27.03.2026`. */
export function formatLocalDate(date: string): string {
  const [y, m, d] = date.split('-');
  return `${d ?? ''}.${m ?? ''}.${y ?? ''}`;
}

/** The local date (YYYY-MM-DD at +05:00) of an instant. */
export function localDate(value: string | number): string {
  const d = shifted(toInstant(value));
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** The RFC 3339 form at +05:00, for `<time datetime>`. */
export function machineTime(value: string | number): string {
  const d = shifted(toInstant(value));
  return `${localDate(value)}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}+05:00`;
}

/** The weekday's short name at +05:00, from the page's own texts (browsers' Kazakh data varies). */
export function weekday(value: string | number, names: readonly string[]): string {
  return names[shifted(toInstant(value)).getUTCDay()] ?? '';
}

export function daysBetween(from: number, to: number): number {
  return Math.floor((to - from) / DAY_MS);
}
