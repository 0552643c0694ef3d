/**
 * Waiting on a condition instead of sleeping: poll until it holds, and fail naming it once a
 * deadline passes. A fixed sleep either wastes time or, under load, is too short.
 */
import { setTimeout as sleep } from "node:timers/promises";

type Pending = undefined | null | false;

/**
 * Resolves with the first value of `probe` that is not undefined, null or false; rejects after
 * `timeoutMs` (default 20 s, well under the test timeout) with `what` in the message.
 */
export async function waitUntil<T>(
  probe: () => T | Pending | Promise<T | Pending>,
  options: { what?: string; timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const { what = "the condition", timeoutMs = 20_000, intervalMs = 25 } = options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}
