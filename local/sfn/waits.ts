import type { WaitSpec } from './definition.ts';
import { MAX_WAIT_SECONDS } from './limits.ts';

/** When a parked wait is due, or why the wait cannot be honoured (a `States.Runtime` failure). */
export type WakeInstant = { readonly ok: true; readonly at: number } | { readonly ok: false; readonly cause: string };

/**
 * RFC 3339 as the States Language reads a timestamp: an upper-case `T` between date and time,
 * and an upper-case `Z` when no numeric offset is given (`2026-03-02T09:00:00Z`,
 * `2026-03-02T14:00:00+05:00`); a lower-case `t` or `z` is refused, as AWS refuses it.
 */
const rfc3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-](\d{2}):(\d{2}))$/;

/** The instant a States Language timestamp names, or undefined if it is not one (or no real date). */
export function parseStatesTimestamp(text: string): number | undefined {
  const match = rfc3339.exec(text);
  if (match === null) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 59) return undefined;
  if (match[9] !== undefined && (Number(match[9]) > 23 || Number(match[10]) > 59)) return undefined;
  const at = Date.parse(text);
  return Number.isFinite(at) ? at : undefined;
}

/**
 * The instant a wait entered at `enteredAt` ends. `pathValue` is what its `SecondsPath` or
 * `TimestampPath` selected from the effective input (the parking state resolved it).
 */
export function wakeInstant(wait: WaitSpec, enteredAt: number, pathValue: unknown): WakeInstant {
  switch (wait.duration.kind) {
    case 'seconds':
      return { ok: true, at: enteredAt + wait.duration.seconds * 1000 };
    case 'timestamp':
      return timestamp(wait, wait.duration.timestamp, 'Timestamp');
    case 'secondsPath':
      if (typeof pathValue === 'number' && Number.isInteger(pathValue) && pathValue >= 0 && pathValue <= MAX_WAIT_SECONDS) {
        return { ok: true, at: enteredAt + pathValue * 1000 };
      }
      return {
        ok: false,
        cause: `The SecondsPath parameter of the Wait state '${wait.name}' does not reference a non-negative integer of at most ${MAX_WAIT_SECONDS}: ${JSON.stringify(pathValue) ?? 'nothing'}`,
      };
    case 'timestampPath':
      return timestamp(wait, pathValue, 'TimestampPath');
  }
}

function timestamp(wait: WaitSpec, value: unknown, field: string): WakeInstant {
  const at = typeof value === 'string' ? parseStatesTimestamp(value) : undefined;
  if (at !== undefined) return { ok: true, at };
  return {
    ok: false,
    cause: `The ${field} parameter of the Wait state '${wait.name}' does not reference a valid ISO-8601 extended offset date-time format string: ${JSON.stringify(value) ?? 'nothing'}`,
  };
}
