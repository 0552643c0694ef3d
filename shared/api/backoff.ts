/** Retry timing: exponential backoff with full jitter, and `Retry-After` as a floor. */

export interface BackoffPolicy {
  baseDelayMs: number;
  maxDelayMs: number;
}

/** The longest a server's Retry-After may hold a call back, whatever the backoff cap. */
const RETRY_AFTER_CEILING_MS = 60_000;

/**
 * Delay before retry number `attempt + 1`: a random value in [0, min(cap, base * 2^attempt)], but
 * never less than the server's Retry-After (retrying earlier would only be refused again).
 */
export function backoffDelay(
  policy: BackoffPolicy,
  attempt: number,
  retryAfterMs: number | undefined,
  random: () => number = Math.random,
): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  const jittered = random() * exponential;
  const floor = Math.min(retryAfterMs ?? 0, Math.max(policy.maxDelayMs, RETRY_AFTER_CEILING_MS));
  return Math.round(Math.max(jittered, floor));
}

/** `Retry-After` in milliseconds: delay-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(
  header: string | string[] | undefined,
  now: number = Date.now(),
): number | undefined {
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  // An HTTP date names its weekday or month; without letters, Date.parse would read "-5" as a year.
  if (!/[a-z]/i.test(value)) return undefined;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Waits `ms`, or less if `signal` aborts first; never rejects. */
export function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (ms <= 0 || signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
  });
}
