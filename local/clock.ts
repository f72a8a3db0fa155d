/**
 * Time as the local runtime sees it. The Step Functions service asks the clock for "now" when it
 * stamps history and computes a Wait's wake instant, and hands it every wake-up and every piece
 * of background work, so a test can drive time and know when the consequences are over.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Calls `wake` once at or after `at` (epoch ms). The returned function cancels it. */
  schedule(at: number, wake: () => Promise<void>): () => void;
  /** Background work started outside a wake-up (an execution's first steps, say). */
  track(work: Promise<unknown>): void;
  /**
   * True on a virtual clock, whose time moves only when a test moves it. The Step Functions
   * service parks a top-level state's retry on the clock like a wait; a retry inside a Parallel
   * or Map cannot be parked, and on such a clock it runs without its backoff (the interpreter
   * would otherwise sleep it in real seconds while the clock stands still).
   */
  readonly instantRetries?: boolean;
}

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
    // Re-check on every waking: a wait longer than one timer holds re-arms in steps, and rounding
    // may wake it a millisecond early. The first check is always on a timer, never in the caller.
    const arm = (): void => {
      if (cancelled) return;
      const scaledDelay = at - this.now();
      if (scaledDelay <= 0 && timer !== undefined) {
        this.track(wake());
        return;
      }
      timer = setTimeout(arm, Math.min(MAX_TIMER_DELAY_MS, Math.max(0, Math.ceil(scaledDelay / this.speed))));
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

/** Wall-clock time: what `npm start` runs on. Timers never keep the process alive alone. */
export class RealClock extends ScaledClock {
  constructor() {
    super(1);
  }
}

interface VirtualTimer {
  readonly at: number;
  readonly seq: number;
  readonly wake: () => Promise<void>;
}

/**
 * Time that moves only when a test says so. `advanceTo` fires every wake-up due by the target in
 * time order, letting the work of one instant settle before the next instant begins, so that a
 * wake-up scheduled by a wake-up still fires in the same jump when it is due.
 */
export class VirtualClock implements Clock {
  readonly instantRetries = true;
  #now: number;
  #seq = 0;
  #timers: VirtualTimer[] = [];
  readonly #inFlight = new Set<Promise<unknown>>();
  #failures: unknown[] = [];

  constructor(start: Date | string | number) {
    this.#now = toEpochMs(start);
  }

  now(): number {
    return this.#now;
  }

  schedule(at: number, wake: () => Promise<void>): () => void {
    const timer: VirtualTimer = { at, seq: this.#seq++, wake };
    if (at <= this.#now) {
      // Already due: it fires now, as a real timer of zero delay would.
      this.track(Promise.resolve().then(wake));
      return () => {};
    }
    this.#timers.push(timer);
    return () => {
      this.#timers = this.#timers.filter((t) => t !== timer);
    };
  }

  track(work: Promise<unknown>): void {
    this.#inFlight.add(work);
    work.then(
      () => this.#inFlight.delete(work),
      (error: unknown) => {
        this.#inFlight.delete(work);
        this.#failures.push(error);
      },
    );
  }

  /** How many wake-ups are waiting for a later instant. */
  get pending(): number {
    return this.#timers.length;
  }

  /** Moves time forward to `instant`, firing everything due on the way; resolves when settled. */
  async advanceTo(instant: Date | string | number): Promise<void> {
    const target = toEpochMs(instant);
    if (target < this.#now) {
      throw new RangeError(`the virtual clock cannot go back from ${iso(this.#now)} to ${iso(target)}`);
    }
    await this.settle();
    for (;;) {
      const due = this.#timers.filter((t) => t.at <= target);
      if (due.length === 0) break;
      const at = Math.min(...due.map((t) => t.at));
      const firing = due.filter((t) => t.at === at).sort((a, b) => a.seq - b.seq);
      const fired = new Set(firing);
      this.#timers = this.#timers.filter((t) => !fired.has(t));
      this.#now = at;
      for (const timer of firing) this.track(timer.wake());
      await this.settle();
    }
    this.#now = target;
  }

  /** Moves time forward by `ms` milliseconds. */
  advanceBy(ms: number): Promise<void> {
    return this.advanceTo(this.#now + ms);
  }

  /**
   * Resolves once all work in flight, and the work it started, is done. Rejects with what went
   * wrong if any of it failed (a broken store, not a failed execution: those are outcomes).
   */
  async settle(): Promise<void> {
    while (this.#inFlight.size > 0) {
      await Promise.allSettled([...this.#inFlight]);
      // Let continuations queued by the work just finished register what they start.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    const failures = this.#failures;
    this.#failures = [];
    if (failures.length === 1) throw failures[0];
    if (failures.length > 1) throw new AggregateError(failures, `${failures.length} background tasks failed`);
  }
}

function toEpochMs(instant: Date | string | number): number {
  const ms = instant instanceof Date ? instant.getTime() : typeof instant === 'string' ? Date.parse(instant) : instant;
  if (!Number.isFinite(ms)) throw new RangeError(`not an instant: ${String(instant)}`);
  return ms;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
