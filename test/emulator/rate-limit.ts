/**
 * A per-token rate limit (a token bucket per bearer token): `rps` requests a second on average,
 * bursts up to `burst`. Over the limit the service answers 429 resource_exhausted with Retry-After
 * (whole seconds, as the HTTP header allows).
 */
export interface RateLimitOptions {
  /** Requests per second per token. */
  rps: number;
  /** Bucket size; default max(1, rps). */
  burst?: number;
}

export class RateLimiter {
  readonly #rps: number;
  readonly #burst: number;
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  constructor(options: RateLimitOptions) {
    if (!(options.rps > 0)) throw new Error("rate limit: rps must be > 0");
    this.#rps = options.rps;
    this.#burst = Math.max(1, options.burst ?? options.rps);
  }

  /** undefined when the call may go ahead, else the seconds to wait (at least 1). */
  take(key: string, now = performance.now()): number | undefined {
    const bucket = this.#buckets.get(key) ?? { tokens: this.#burst, at: now };
    bucket.tokens = Math.min(this.#burst, bucket.tokens + ((now - bucket.at) / 1000) * this.#rps);
    bucket.at = now;
    this.#buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return undefined;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.#rps));
  }
}
