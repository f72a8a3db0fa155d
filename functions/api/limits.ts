import { RateLimitedError } from './errors.ts';

/**
 * Per-user rate limits of the API: a token bucket per person and kind of request, in the memory
 * of the `api` function. Locally one process serves everyone, so the limits hold exactly. On AWS
 * each warm instance of the function keeps its own buckets: a person whose requests are spread
 * over n concurrent instances gets up to n times the figures. The stage's throttling
 * (infra/api.ts) caps the whole API; this keeps one token from taking it all, and from opening
 * clocks in bulk.
 */

export interface Bucket {
  /** Requests in a burst: what a full bucket holds. */
  readonly capacity: number;
  /** Requests given back per second. */
  readonly perSecond: number;
}

export type RequestKind = 'open' | 'any';

/**
 * The figures, and why:
 * - `open` (POST /obligations, POST /action-plans): each request opens obligations, each a billed
 *   Step Functions execution that runs for weeks. An official opens a clock as a case arrives; a
 *   secretary entering a session's decisions opens a dozen in a row. 40 at once, then one a
 *   second: the attempt of issue 17 (60 in 3.4 s) gets 40 through and the rest a 429.
 * - `any` (every signed-in request, openings included): a dashboard screen asks 5–10 lists at
 *   once and a person clicks about once a second; 300 at once, then 5 a second, is far above
 *   that and stops a script paging through the table.
 */
export const RATE_LIMITS: Readonly<Record<RequestKind, Bucket>> = {
  open: { capacity: 40, perSecond: 1 },
  any: { capacity: 300, perSecond: 5 },
};

/**
 * `off` turns the limits off: for a load test or a benchmark that opens thousands with one
 * token, and for the in-process API tests (test/api/support.ts), which seed through the API.
 * The stack never sets it.
 */
export const RATE_LIMITS_ENV = 'API_RATE_LIMITS';

/** The routes whose requests open obligations. */
const OPENING_ROUTES = new Set(['POST /obligations', 'POST /action-plans']);

/** Buckets kept before the full ones are forgotten (a full bucket is the same as none). */
const KEPT_BUCKETS = 10_000;

export class RateLimiter {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly limits: Readonly<Record<RequestKind, Bucket>> = RATE_LIMITS,
    /** Milliseconds of wall time: the limits are about request rates, not the obligations' (virtual) time. */
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** The limiter the environment asks for: none when RATE_LIMITS_ENV is `off`, the figures above otherwise. */
  static fromEnv(): RateLimiter | undefined {
    return process.env[RATE_LIMITS_ENV] === 'off' ? undefined : new RateLimiter();
  }

  /** Takes one request of `user` on `route` from its buckets, or throws RateLimitedError taking nothing. */
  take(user: string, route: string): void {
    const kinds: RequestKind[] = OPENING_ROUTES.has(route) ? ['any', 'open'] : ['any'];
    const now = this.now();
    const buckets = kinds.map((kind) => ({ key: `${kind}\u0000${user}`, limit: this.limits[kind], ...this.#level(`${kind}\u0000${user}`, this.limits[kind], now) }));
    const short = buckets.filter((bucket) => bucket.tokens < 1);
    if (short.length > 0) {
      const waitS = Math.max(...short.map((bucket) => (1 - bucket.tokens) / bucket.limit.perSecond));
      throw new RateLimitedError(Math.max(1, Math.ceil(waitS)));
    }
    if (this.#buckets.size >= KEPT_BUCKETS) this.#forgetFull(now);
    for (const bucket of buckets) this.#buckets.set(bucket.key, { tokens: bucket.tokens - 1, at: now });
  }

  #level(key: string, limit: Bucket, now: number): { tokens: number } {
    const kept = this.#buckets.get(key);
    if (kept === undefined) return { tokens: limit.capacity };
    return { tokens: Math.min(limit.capacity, kept.tokens + ((now - kept.at) / 1000) * limit.perSecond) };
  }

  #forgetFull(now: number): void {
    for (const [key, kept] of this.#buckets) {
      const limit = this.limits[key.startsWith('open\u0000') ? 'open' : 'any'];
      if (kept.tokens + ((now - kept.at) / 1000) * limit.perSecond >= limit.capacity) this.#buckets.delete(key);
    }
  }
}
