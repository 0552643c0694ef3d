/**
 * A cancelled workflow run sends the step SIGINT, then SIGTERM (and later kills it). The first signal
 * stops new writes from starting while those in flight finish or time out; the second stops waiting
 * for them. Either way the run then writes its summary and outputs of what was and was not done.
 */
import { logInfo } from "./log.js";

export interface Cancellation {
  /** Aborted on the first signal. */
  readonly stopWrites: AbortSignal;
  /** Aborted on the second signal. */
  readonly abandon: AbortSignal;
  /** Removes the signal handlers (Node's default, exiting at once, applies again). */
  dispose(): void;
}

export function listenForCancellation(): Cancellation {
  const stop = new AbortController();
  const abandon = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (!stop.signal.aborted) {
      stop.abort();
      logInfo(
        `Received ${signal}: no new writes will start; writes in flight finish or time out, then the summary is written.`,
      );
    } else if (!abandon.signal.aborted) {
      abandon.abort();
      logInfo(
        `Received ${signal} again: not waiting for writes in flight; they are reported as may or may not have happened.`,
      );
    }
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return {
    stopWrites: stop.signal,
    abandon: abandon.signal,
    dispose() {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    },
  };
}
