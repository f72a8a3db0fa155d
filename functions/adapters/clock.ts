/**
 * The functions' clock. In AWS it is the system clock. The embedded runtime runs the functions
 * in its own process and lends them its clock (virtual in tests, faster for demonstrations)
 * through this one global, so a scenario of 40 days takes seconds and every audit entry, digest
 * and work list agrees with the time the timers run on.
 */
const LENT_CLOCK = Symbol.for('merzim.clock');

export function now(): number {
  const lent = (globalThis as Record<symbol, unknown>)[LENT_CLOCK];
  return typeof lent === 'function' ? (lent as () => number)() : Date.now();
}

/** Used by the embedded runtime only. */
export function lendClock(clock: (() => number) | undefined): void {
  (globalThis as Record<symbol, unknown>)[LENT_CLOCK] = clock;
}
