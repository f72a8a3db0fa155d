import { expect, test } from 'vitest';
import { VirtualClock } from '../../local/index.ts';
import { parseScheduleExpression, runSchedules, scheduleInput, selectSchedules } from '../../local/system/schedules.ts';
import type { ScheduleDescription } from '../../local/system/stack.ts';

const iso = (ms: number | undefined): string | undefined => (ms === undefined ? undefined : new Date(ms).toISOString());

function occurrences(expression: string, from: string, count: number, timezone = 'Asia/Almaty'): string[] {
  const next = parseScheduleExpression(expression, timezone, Date.parse(from));
  const found: string[] = [];
  let after = Date.parse(from);
  for (let i = 0; i < count; i++) {
    const at = next(after);
    if (at === undefined) break;
    found.push(iso(at) ?? '');
    after = at;
  }
  return found;
}

test('cron in Asia/Almaty: 08:00 is 03:00Z, every day, whatever the machine time zone', () => {
  expect(occurrences('cron(0 8 * * ? *)', '2026-03-19T02:59:00Z', 3)).toEqual(['2026-03-19T03:00:00.000Z', '2026-03-20T03:00:00.000Z', '2026-03-21T03:00:00.000Z']);
  expect(occurrences('cron(0 8 * * ? *)', '2026-03-19T03:00:00Z', 1)).toEqual(['2026-03-20T03:00:00.000Z']);
  // 00:05 in Almaty is 19:05Z the day before.
  expect(occurrences('cron(5 0 * * ? *)', '2026-03-19T00:00:00Z', 2)).toEqual(['2026-03-19T19:05:00.000Z', '2026-03-20T19:05:00.000Z']);
  expect(occurrences('cron(0 8 * * ? *)', '2026-03-19T00:00:00Z', 1, 'UTC')).toEqual(['2026-03-19T08:00:00.000Z']);
});

test('cron lists, ranges, steps, month and weekday names (AWS: 1 = Sunday)', () => {
  // Weekdays MON-FRI at 09:30 and 14:30 Almaty; 2026-03-20 is a Friday.
  expect(occurrences('cron(30 9,14 ? * MON-FRI *)', '2026-03-20T05:00:00Z', 4)).toEqual([
    '2026-03-20T09:30:00.000Z',
    '2026-03-23T04:30:00.000Z',
    '2026-03-23T09:30:00.000Z',
    '2026-03-24T04:30:00.000Z',
  ]);
  expect(occurrences('cron(0/20 10 * * ? *)', '2026-03-19T00:00:00Z', 4)).toEqual([
    '2026-03-19T05:00:00.000Z',
    '2026-03-19T05:20:00.000Z',
    '2026-03-19T05:40:00.000Z',
    '2026-03-20T05:00:00.000Z',
  ]);
  // The first of each quarter's next month at 00:00 Almaty.
  expect(occurrences('cron(0 0 1 JAN,APR,JUL,OCT ? *)', '2026-03-19T00:00:00Z', 2)).toEqual(['2026-03-31T19:00:00.000Z', '2026-06-30T19:00:00.000Z']);
  expect(occurrences('cron(0 12 ? * 1 *)', '2026-03-19T00:00:00Z', 1)).toEqual(['2026-03-22T07:00:00.000Z']);
  expect(occurrences('cron(0 0 31 * ? *)', '2026-03-31T20:00:00Z', 1)).toEqual(['2026-05-30T19:00:00.000Z']);
  expect(occurrences('cron(0 0 1 1 ? 2026)', '2026-06-01T00:00:00Z', 1)).toEqual([]);
});

test('bad expressions are refused with the reason', () => {
  expect(() => parseScheduleExpression('cron(0 8 * * *)')).toThrow(/six fields/);
  expect(() => parseScheduleExpression('cron(0 25 * * ? *)')).toThrow(/out of range/);
  expect(() => parseScheduleExpression('cron(0 8 1 * MON *)')).toThrow(/must be "\?"/);
  expect(() => parseScheduleExpression('rate(0 hours)')).toThrow(/at least 1/);
  expect(() => parseScheduleExpression('every hour')).toThrow(/not a cron/);
  expect(() => parseScheduleExpression('rate(1 hour)', 'Europe/Paris')).toThrow(/not known/);
});

test('rate counts from the anchor; at() fires once', () => {
  expect(occurrences('rate(1 hour)', '2026-03-19T10:17:00Z', 3)).toEqual(['2026-03-19T11:17:00.000Z', '2026-03-19T12:17:00.000Z', '2026-03-19T13:17:00.000Z']);
  expect(occurrences('rate(15 minutes)', '2026-03-19T10:00:00Z', 2)).toEqual(['2026-03-19T10:15:00.000Z', '2026-03-19T10:30:00.000Z']);
  expect(occurrences('at(2026-03-20T08:00:00)', '2026-03-19T00:00:00Z', 3)).toEqual(['2026-03-20T03:00:00.000Z']);
});

test('on a virtual clock a jump fires every occurrence it passes, once each, in order, with its scheduled time', async () => {
  const clock = new VirtualClock('2026-03-19T00:00:00Z');
  const schedule = (name: string, expression: string): ScheduleDescription => ({
    name,
    expression,
    timezone: 'Asia/Almaty',
    enabled: true,
    functionName: name,
    input: '{"scheduledAt":"<aws.scheduler.scheduled-time>","name":"' + name + '"}',
  });
  const fired: string[] = [];
  const running = runSchedules([schedule('reconcile', 'rate(1 hour)'), schedule('digest', 'cron(0 8 * * ? *)')], clock, async (s, at) => {
    const input = scheduleInput(s.input, at) as { scheduledAt: string; name: string };
    fired.push(`${input.name}@${input.scheduledAt}`);
  });
  await clock.advanceTo('2026-03-19T05:30:00Z');
  // Two schedules due at one instant fire in the order they were armed.
  expect(fired).toEqual([
    'reconcile@2026-03-19T01:00:00Z',
    'reconcile@2026-03-19T02:00:00Z',
    'digest@2026-03-19T03:00:00Z',
    'reconcile@2026-03-19T03:00:00Z',
    'reconcile@2026-03-19T04:00:00Z',
    'reconcile@2026-03-19T05:00:00Z',
  ]);
  await clock.advanceTo('2026-03-21T00:00:00Z');
  expect(fired.filter((line) => line.startsWith('reconcile'))).toHaveLength(48);
  expect(fired.filter((line) => line.startsWith('digest'))).toEqual(['digest@2026-03-19T03:00:00Z', 'digest@2026-03-20T03:00:00Z']);
  running.stop();
  await clock.advanceTo('2026-03-22T00:00:00Z');
  expect(fired).toHaveLength(50);
  expect(clock.pending).toBe(0);
});

test('schedules can be turned off or narrowed to a few by name or function', () => {
  const all: ScheduleDescription[] = [
    { name: 'merzim-dev-digest', expression: 'rate(1 day)', timezone: 'UTC', enabled: true, functionName: 'merzim-dev-digest' },
    { name: 'merzim-dev-reconcile', expression: 'rate(1 hour)', timezone: 'UTC', enabled: true, functionName: 'merzim-dev-reconcile' },
    { name: 'off', expression: 'rate(1 hour)', timezone: 'UTC', enabled: false, functionName: 'x' },
  ];
  const roles = new Map([['merzim-dev-digest', 'digest'], ['merzim-dev-reconcile', 'reconcile']]);
  expect(selectSchedules(all, true).map((s) => s.name)).toEqual(['merzim-dev-digest', 'merzim-dev-reconcile']);
  expect(selectSchedules(all, false)).toEqual([]);
  expect(selectSchedules(all, ['digest'], roles).map((s) => s.name)).toEqual(['merzim-dev-digest']);
  expect(selectSchedules(all, ['merzim-dev-reconcile']).map((s) => s.name)).toEqual(['merzim-dev-reconcile']);
});
