/**
 * The lease a rotation holds on its credential (an integration's OAuth secret, a host token) in the
 * shared store, so rotations of the same credential never interleave, whichever replica runs them. A second rotation waits a bounded
 * time, then is refused with who holds the lease. An expired lease (its holder crashed) is taken
 * over only after that holder's journal entry is resolved (recovery.ts).
 */
import type { BotStore, Lease } from "../state/store.js";

export interface HeldLease {
  key: string;
  owner: string;
  /** Stops the heartbeat and releases the lease. */
  release(): Promise<void>;
  /** False once a heartbeat found the lease gone (e.g. the store was unreachable past the TTL). */
  readonly intact: boolean;
}

export type LeaseOutcome =
  | { kind: "held"; lease: HeldLease; waitedMs: number }
  | { kind: "busy"; holder?: Lease };

export interface LeaseWaitOptions {
  store: BotStore;
  /** The credential's lease key (credentialLeaseKey). */
  key: string;
  /** Unique per rotation (a process may run several). */
  owner: string;
  holder: string;
  journalId: string;
  ttlMs: number;
  waitMs: number;
  now?: () => number;
  /** Resolve an abandoned journal entry that blocks the lease (recovery). */
  resolveAbandoned: (journalId: string) => Promise<void>;
  /** Told once, when the first attempt finds the lease held. */
  onWait?: (holder: Lease) => unknown;
  onHeartbeatError?: (error: unknown) => void;
  pollMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function acquireRotationLease(options: LeaseWaitOptions): Promise<LeaseOutcome> {
  const now = options.now ?? Date.now;
  const key = options.key;
  const started = now();
  const deadline = started + options.waitMs;
  let told = false;
  let holder: Lease | undefined;
  for (;;) {
    const attempt = await options.store.acquireLease({
      key,
      owner: options.owner,
      holder: options.holder,
      journalId: options.journalId,
      ttlMs: options.ttlMs,
      now: now(),
    });
    if (attempt.acquired) {
      return { kind: "held", lease: heartbeat(options, key), waitedMs: now() - started };
    }
    holder = attempt.holder;
    if (holder && holder.expiresAt < now() && holder.journalId) {
      // Its holder is gone but its rotation is unresolved: resolve it, then try again at once.
      await options.resolveAbandoned(holder.journalId);
      continue;
    }
    if (holder && !told) {
      told = true;
      await options.onWait?.(holder);
    }
    if (now() >= deadline) return holder ? { kind: "busy", holder } : { kind: "busy" };
    await sleep(Math.min(options.pollMs ?? 200, Math.max(1, deadline - now())));
  }
}

function heartbeat(options: LeaseWaitOptions, key: string): HeldLease {
  const now = options.now ?? Date.now;
  let intact = true;
  let released = false;
  const timer = setInterval(
    () => {
      options.store.renewLease(key, options.owner, options.ttlMs, now()).then(
        (renewed) => {
          if (!renewed && !released) intact = false;
        },
        (error: unknown) => options.onHeartbeatError?.(error),
      );
    },
    Math.max(100, Math.floor(options.ttlMs / 3)),
  );
  timer.unref();
  return {
    key,
    owner: options.owner,
    get intact() {
      return intact;
    },
    async release() {
      released = true;
      clearInterval(timer);
      await options.store.releaseLease(key, options.owner);
    },
  };
}
