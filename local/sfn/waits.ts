import type { WaitSpec } from './definition.ts';

/** When a parked wait is due, or why the wait cannot be honoured (a `States.Runtime` failure). */
export type WakeInstant = { readonly ok: true; readonly at: number } | { readonly ok: false; readonly cause: string };

// RFC 3339 as Step Functions reads it: date, 'T', time, optional fraction, 'Z' or an offset.
const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

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
      if (typeof pathValue === 'number' && Number.isInteger(pathValue) && pathValue >= 0) {
        return { ok: true, at: enteredAt + pathValue * 1000 };
      }
      return {
        ok: false,
        cause: `The SecondsPath parameter of the Wait state '${wait.name}' does not reference a non-negative integer: ${JSON.stringify(pathValue) ?? 'nothing'}`,
      };
    case 'timestampPath':
      return timestamp(wait, pathValue, 'TimestampPath');
  }
}

function timestamp(wait: WaitSpec, value: unknown, field: string): WakeInstant {
  if (typeof value === 'string' && rfc3339.test(value)) {
    const at = Date.parse(value);
    if (Number.isFinite(at)) return { ok: true, at };
  }
  return {
    ok: false,
    cause: `The ${field} parameter of the Wait state '${wait.name}' does not reference a valid ISO-8601 extended offset date-time format string: ${JSON.stringify(value) ?? 'nothing'}`,
  };
}
