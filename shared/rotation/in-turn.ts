/**
 * What every credential's rotation protocol shares around its steps: it runs in turn behind any
 * earlier rotation of the same credential, and its result carries the same timing and scrubbed words.
 */
import { rotationLock } from "./lock.js";
import type { RotationStepLog } from "./step-log.js";
import type { RotationOptions, RotationOutcome, RotationResult } from "./types.js";

/** The rotation's clock: when it started, and how long it queued behind an earlier one. */
export interface RotationClock {
  now: () => Date;
  startedAt: Date;
  waitedMs: number;
}

/** Runs `rotate` once every earlier rotation on `key` in this process has finished. */
export function rotateInTurn(
  key: string,
  options: RotationOptions,
  rotate: (clock: RotationClock) => Promise<RotationResult>,
): Promise<RotationResult> {
  const lock = options.lock ?? rotationLock;
  const now = options.now ?? (() => new Date());
  const queuedAt = Date.now();
  return lock.run(key, () => {
    const waitedMs = Date.now() - queuedAt;
    return rotate({ now, startedAt: now(), waitedMs });
  });
}

/** The fields every result has; each protocol adds what it knows of its credential. */
export function rotationResult(
  clock: RotationClock,
  steps: RotationStepLog,
  integrationId: string,
  finished: { outcome: RotationOutcome; changed: boolean | "unknown"; summary: string },
): RotationResult {
  return {
    integrationId,
    outcome: finished.outcome,
    changed: finished.changed,
    steps: steps.inOrder(),
    summary: steps.scrub(finished.summary),
    startedAt: clock.startedAt.toISOString(),
    finishedAt: clock.now().toISOString(),
    waitedMs: clock.waitedMs,
  };
}

/** The summary of an update whose read-back did not confirm it, in the verify step's words. */
export function notVerifiedSummary(steps: RotationStepLog, credential: "integration" | "token"): string {
  return `UPDATED BUT NOT VERIFIED: ${steps.detail("verify")}. Check the ${credential} now.`;
}
