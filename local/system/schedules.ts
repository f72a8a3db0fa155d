import type { Clock } from '../clock.ts';
import type { ScheduleDescription } from './stack.ts';

/**
 * EventBridge Scheduler on the runtime's clock: `cron(…)`, `rate(…)` and `at(…)` expressions,
 * in a fixed-offset time zone, each occurrence fired once and in order, a late one as soon as the
 * clock gets there (a jump of a virtual clock fires every occurrence it passes).
 */

/** Offsets of the zones a schedule may name, in minutes east of UTC. Kazakhstan is one zone,
 * UTC+05:00, since 2024-03-01; the machine's time-zone database is not consulted. */
const ZONE_OFFSETS: Readonly<Record<string, number>> = {
  UTC: 0,
  'Etc/UTC': 0,
  GMT: 0,
  'Asia/Almaty': 300,
  'Asia/Astana': 300,
  'Asia/Qostanay': 300,
  'Asia/Oral': 300,
  'Asia/Aqtobe': 300,
  'Asia/Aqtau': 300,
  'Asia/Atyrau': 300,
  'Asia/Qyzylorda': 300,
};

export class ScheduleExpressionError extends Error {
  override readonly name = 'ScheduleExpressionError';
}

export function zoneOffsetMinutes(timezone: string): number {
  const offset = ZONE_OFFSETS[timezone];
  if (offset === undefined) throw new ScheduleExpressionError(`time zone ${timezone} is not known to the local scheduler (known: ${Object.keys(ZONE_OFFSETS).join(', ')})`);
  return offset;
}

/** The first occurrence strictly after `after` (epoch ms), or undefined when there is none. */
export type NextOccurrence = (after: number) => number | undefined;

/**
 * Parses a schedule expression. A rate counts from `anchor` (when the schedule was created: the
 * start of the runtime), the first occurrence one period after it.
 */
export function parseScheduleExpression(expression: string, timezone = 'UTC', anchor = 0): NextOccurrence {
  const offsetMs = zoneOffsetMinutes(timezone) * 60_000;
  const rate = /^rate\(\s*(\d+)\s+(minute|minutes|hour|hours|day|days)\s*\)$/.exec(expression.trim());
  if (rate !== null) {
    const count = Number(rate[1]);
    if (count < 1) throw new ScheduleExpressionError(`${expression}: the rate must be at least 1`);
    const unit = (rate[2] ?? '').replace(/s$/, '');
    const period = count * (unit === 'minute' ? 60_000 : unit === 'hour' ? 3_600_000 : 86_400_000);
    return (after) => anchor + (Math.floor((after - anchor) / period) + 1) * period;
  }
  const at = /^at\((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\)$/.exec(expression.trim());
  if (at !== null) {
    const [, y, mo, d, h, mi, s] = at.map(Number) as [number, number, number, number, number, number, number];
    const instant = Date.UTC(y, mo - 1, d, h, mi, s) - offsetMs;
    return (after) => (instant > after ? instant : undefined);
  }
  const cron = /^cron\((.*)\)$/.exec(expression.trim());
  if (cron !== null) return cronOccurrences(cron[1] ?? '', offsetMs, expression);
  throw new ScheduleExpressionError(`"${expression}" is not a cron(…), rate(…) or at(…) expression`);
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

/** A field of the six-field AWS cron: the set of values it allows, or undefined for any. */
function field(text: string, min: number, max: number, names: readonly string[], nameBase: number, expression: string): Set<number> | undefined {
  if (text === '*' || text === '?') return undefined;
  const value = (token: string): number => {
    const named = names.indexOf(token.toUpperCase());
    const number = named >= 0 ? named + nameBase : Number(token);
    if (!Number.isInteger(number) || number < min || number > max) {
      throw new ScheduleExpressionError(`${expression}: "${token}" is out of range ${min}-${max}`);
    }
    return number;
  };
  const allowed = new Set<number>();
  for (const part of text.split(',')) {
    const [range = '', stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new ScheduleExpressionError(`${expression}: bad step in "${part}"`);
    let from: number;
    let to: number;
    if (range === '*') {
      from = min;
      to = max;
    } else if (range.includes('-')) {
      const [a = '', b = ''] = range.split('-');
      from = value(a);
      to = value(b);
    } else {
      from = value(range);
      to = stepText === undefined ? from : max;
    }
    if (from > to) throw new ScheduleExpressionError(`${expression}: the range "${range}" runs backwards`);
    for (let v = from; v <= to; v += step) allowed.add(v);
  }
  return allowed;
}

function cronOccurrences(body: string, offsetMs: number, expression: string): NextOccurrence {
  const parts = body.trim().split(/\s+/);
  if (parts.length !== 6) throw new ScheduleExpressionError(`${expression}: an AWS cron has six fields (minutes hours day-of-month month day-of-week year)`);
  const [minuteText, hourText, domText, monthText, dowText, yearText] = parts as [string, string, string, string, string, string];
  if (/[LW#]/.test(domText + dowText)) throw new ScheduleExpressionError(`${expression}: L, W and # are not supported locally`);
  if (domText !== '?' && dowText !== '?') throw new ScheduleExpressionError(`${expression}: one of day-of-month and day-of-week must be "?"`);
  const minutes = field(minuteText, 0, 59, [], 0, expression);
  const hours = field(hourText, 0, 23, [], 0, expression);
  const days = field(domText, 1, 31, [], 0, expression);
  const months = field(monthText, 1, 12, MONTHS, 1, expression);
  // AWS numbers the days of the week 1 (Sunday) to 7 (Saturday).
  const weekdays = field(dowText, 1, 7, DAYS, 1, expression);
  const years = field(yearText, 1970, 2199, [], 0, expression);
  const ok = (set: Set<number> | undefined, v: number): boolean => set === undefined || set.has(v);

  return (after) => {
    // Wall-clock time in the zone, as a UTC date whose fields are the local ones.
    const start = new Date(Math.floor((after + offsetMs) / 60_000) * 60_000 + 60_000);
    let y = start.getUTCFullYear();
    let mo = start.getUTCMonth();
    let d = start.getUTCDate();
    let h = start.getUTCHours();
    let mi = start.getUTCMinutes();
    for (let guard = 0; guard < 100_000; guard++) {
      if (y > 2199) return undefined;
      if (!ok(years, y)) {
        [y, mo, d, h, mi] = [y + 1, 0, 1, 0, 0];
        continue;
      }
      if (!ok(months, mo + 1)) {
        [mo, d, h, mi] = [mo + 1, 1, 0, 0];
        if (mo > 11) [y, mo] = [y + 1, 0];
        continue;
      }
      const daysInMonth = new Date(Date.UTC(y, mo + 1, 0)).getUTCDate();
      if (d > daysInMonth) {
        [mo, d, h, mi] = [mo + 1, 1, 0, 0];
        if (mo > 11) [y, mo] = [y + 1, 0];
        continue;
      }
      const weekday = new Date(Date.UTC(y, mo, d)).getUTCDay() + 1;
      if (!ok(days, d) || !ok(weekdays, weekday)) {
        [d, h, mi] = [d + 1, 0, 0];
        continue;
      }
      if (!ok(hours, h)) {
        [h, mi] = [h + 1, 0];
        if (h > 23) [d, h] = [d + 1, 0];
        continue;
      }
      if (!ok(minutes, mi)) {
        mi += 1;
        if (mi > 59) [h, mi] = [h + 1, 0];
        if (h > 23) [d, h] = [d + 1, 0];
        continue;
      }
      return Date.UTC(y, mo, d, h, mi) - offsetMs;
    }
    return undefined;
  };
}

/** `2026-03-19T03:00:00Z`: the form EventBridge Scheduler substitutes. */
export function scheduledTime(instant: number): string {
  return new Date(instant).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The target's input with `<aws.scheduler.scheduled-time>` replaced by the occurrence. */
export function scheduleInput(input: string | undefined, instant: number): unknown {
  if (input === undefined) return {};
  return JSON.parse(input.replaceAll('<aws.scheduler.scheduled-time>', scheduledTime(instant)));
}

/** Which schedules run: all (true), none (false), or those whose name or target function matches. */
export type ScheduleSelection = boolean | readonly string[];

export function selectSchedules(schedules: readonly ScheduleDescription[], selection: ScheduleSelection, functionRoles: ReadonlyMap<string, string> = new Map()): ScheduleDescription[] {
  if (selection === false) return [];
  const enabled = schedules.filter((schedule) => schedule.enabled);
  if (selection === true) return enabled;
  return enabled.filter(
    (schedule) =>
      selection.includes(schedule.name) || selection.includes(schedule.functionName) || selection.includes(functionRoles.get(schedule.functionName) ?? ''),
  );
}

export interface RunningSchedules {
  stop(): void;
}

/**
 * Runs the schedules on `clock`: each occurrence calls `fire` with the schedule and the
 * occurrence's instant; the next occurrence is armed only once the last one's call is over, so
 * occurrences of one schedule never overlap and always come in order.
 */
export function runSchedules(
  schedules: readonly ScheduleDescription[],
  clock: Clock,
  fire: (schedule: ScheduleDescription, instant: number) => Promise<void>,
): RunningSchedules {
  const anchor = clock.now();
  const cancels = new Set<() => void>();
  let stopped = false;
  for (const schedule of schedules) {
    const next = parseScheduleExpression(schedule.expression, schedule.timezone, anchor);
    const arm = (after: number): void => {
      const at = next(after);
      if (at === undefined || stopped) return;
      const cancel = clock.schedule(at, async () => {
        cancels.delete(cancel);
        if (stopped) return;
        await fire(schedule, at);
        arm(at);
      });
      cancels.add(cancel);
    };
    arm(anchor);
  }
  return {
    stop() {
      stopped = true;
      for (const cancel of cancels) cancel();
      cancels.clear();
    },
  };
}
