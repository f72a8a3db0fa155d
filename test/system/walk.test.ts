import { expect, test } from 'vitest';
import { startClock } from '../../cli/commands/start.ts';

/**
 * Found by walking the running system: `npm start -- --speed 3600` ran the kept data a week
 * ahead, and a plain `npm start` after it went back to the wall clock, so every obligation
 * escalated in that week showed as overdue in "this week" and "Overdue (0)" stood empty.
 */
test('a start at real speed after a faster run goes on from the kept time, never back', () => {
  let real = Date.parse('2026-11-30T18:20:00Z');
  const kept = Date.parse('2026-12-13T11:02:01Z');
  const clock = startClock(undefined, kept, () => real);
  expect(clock).toBeDefined();
  expect(new Date(clock?.now() ?? 0).toISOString()).toBe('2026-12-13T11:02:01.000Z');
  real += 60_000;
  expect(new Date(clock?.now() ?? 0).toISOString()).toBe('2026-12-13T11:03:01.000Z');
});

test('a start at real speed with no time kept ahead runs on the wall clock', () => {
  const real = Date.parse('2026-11-30T18:20:00Z');
  expect(startClock(undefined, 0, () => real)).toBeUndefined();
  expect(startClock(undefined, real - 86_400_000, () => real)).toBeUndefined();
  expect(startClock(1, real - 86_400_000, () => real)).toBeUndefined();
});

test('a faster start goes on from the later of the wall clock and the kept time', () => {
  const real = Date.parse('2026-11-30T18:20:00Z');
  expect(startClock(3600, Date.parse('2026-12-13T11:02:01Z'), () => real)?.now()).toBe(Date.parse('2026-12-13T11:02:01Z'));
  expect(startClock(3600, 0, () => real)?.now()).toBe(real);
});
