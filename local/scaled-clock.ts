import type { Clock } from './clock.ts';

/** The longest delay `setTimeout` honours; longer ones fire at once. */
const MAX_TIMER_DELAY_MS = 2_147_483_647;

/**
 * Time that runs `speed` times faster than the wall clock from the instant it starts:
 * now = origin + (real − start) × speed. For demonstrations (`merzim start --speed 60`: an hour
 * a minute). A wake-up at a scaled instant waits the real time that takes; timers never keep the
 * process alive alone.
 */
export class ScaledClock implements Clock {
  readonly speed: number;
  readonly #realStart: number;
  readonly #origin: number;
  readonly #inFlight = new Set<Promise<unknown>>();

  /** `origin`: the scaled time at the start (the wall-clock time unless given). */
  constructor(speed: number, origin?: number, realNow: () => number = Date.now) {
    if (!Number.isFinite(speed) || speed <= 0) throw new RangeError(`the speed must be a positive number, not ${String(speed)}`);
    this.speed = speed;
    this.#realNow = realNow;
    this.#realStart = realNow();
    this.#origin = origin ?? this.#realStart;
  }

  readonly #realNow: () => number;

  now(): number {
    return Math.floor(this.#origin + (this.#realNow() - this.#realStart) * this.speed);
  }

  schedule(at: number, wake: () => Promise<void>): () => void {
    let timer: NodeJS.Timeout | undefined;
    let cancelled = false;
    const arm = (): void => {
      if (cancelled) return;
      const scaledDelay = at - this.now();
      if (scaledDelay <= 0) {
        timer = setTimeout(() => {
          if (!cancelled) this.track(wake());
        }, 0);
      } else {
        // Re-check on waking: rounding may leave it a millisecond early.
        timer = setTimeout(arm, Math.min(MAX_TIMER_DELAY_MS, Math.ceil(scaledDelay / this.speed)));
      }
      timer.unref();
    };
    arm();
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }

  track(work: Promise<unknown>): void {
    this.#inFlight.add(work);
    const forget = (): void => {
      this.#inFlight.delete(work);
    };
    work.then(forget, (error: unknown) => {
      forget();
      process.emitWarning(error instanceof Error ? error : new Error(String(error)), 'MerzimLocalRuntime');
    });
  }
}
