/**
 * Host authentication tokens per runner, read once for everyone who asks at about the same time.
 * Every `list` shows token counts, and a large workspace has tens of thousands of tokens per runner
 * (150 pages one after another at 15,000): concurrent commands share one read in flight, and its
 * result is kept for a few seconds. A failed read is not kept, so the next command tries again.
 * The App Home reads the managed runners' integrations through the same cache (`sharedRead`).
 */
import { hostTokensOfRunner } from "../../shared/api/live-reads.js";
import type { HostAuthenticationToken } from "../../shared/api/resources/host-authentication-tokens.wire.js";
import type { CredentialsApi } from "../../shared/rotation/types.js";

/** How long a read answers later commands: token counts a few seconds old are fine for a list. */
export const HOST_TOKEN_CACHE_MS = 10_000;

interface Entry {
  readAt: number;
  value: Promise<unknown>;
}

/** Per client, so two bots (or two tests) in one process never share answers. */
const entriesByApi = new WeakMap<object, Map<string, Entry>>();

/**
 * The read in flight or a recent one under `key` (for this client), else `read()`: one read of the
 * API for everyone who asks within HOST_TOKEN_CACHE_MS. A failed read is dropped at once.
 */
export function sharedRead<T>(
  api: object,
  key: string,
  read: () => Promise<T>,
  nowMs = Date.now(),
): Promise<T> {
  let entries = entriesByApi.get(api);
  if (!entries) {
    entries = new Map();
    entriesByApi.set(api, entries);
  }
  const cached = entries.get(key);
  if (cached && nowMs - cached.readAt < HOST_TOKEN_CACHE_MS) return cached.value as Promise<T>;
  const entry: Entry = { readAt: nowMs, value: read() };
  entries.set(key, entry);
  const owner = entries;
  entry.value.catch(() => {
    if (owner.get(key) === entry) owner.delete(key);
  });
  return entry.value as Promise<T>;
}

/** The runner's host tokens: the read in flight or a recent one, else a new read. */
export function hostTokensOf(
  api: CredentialsApi,
  runnerId: string,
  nowMs: number = Date.now(),
): Promise<HostAuthenticationToken[]> {
  return sharedRead(api, `host-tokens:${runnerId}`, () => hostTokensOfRunner(api, runnerId), nowMs);
}

/** Waits for a shared read, but gives up (without cancelling it for the others) when `signal` aborts. */
export function untilAborted<T>(shared: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return shared;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    shared.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}
