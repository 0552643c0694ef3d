/**
 * vitest set-up (every test file): the official descriptors witness the whole suite's traffic with
 * the emulator. Every answer the emulator gives must decode strictly with the official response
 * message, and every request our client (or the official SDK) sends must decode strictly and pass
 * the service's own validation rules. A test whose traffic breaks either fails, naming the RPC and
 * the rule.
 *
 * Requests are judged only when they come from our client or the official SDK (told by their
 * User-Agent): raw requests that tests craft by hand probe the emulator and may be bad on purpose.
 * A test that makes our client send a bad request on purpose says so with `acceptInvalidRequests`.
 */
import { afterAll, afterEach } from "vitest";
import { observeExchanges } from "../emulator/observer.js";
import { judgePending, observe, witnessState } from "./witness.js";

// One witness per test file: a worker may run several files in one process, so the previous
// file's witness is replaced, not added to.
const state = witnessState();
state.unobserve?.();
state.unobserve = observeExchanges(observe);
state.pending.length = 0;

function report(when: string): void {
  const found = judgePending();
  if (found.length === 0) return;
  const unique = [...new Set(found)];
  throw new Error(
    `the official descriptors refuse ${found.length} message(s) ${when}:\n- ${unique.slice(0, 10).join("\n- ")}${unique.length > 10 ? `\n- … and ${unique.length - 10} more` : ""}`,
  );
}

afterEach(() => {
  try {
    report("exchanged during this test (or before it, in beforeAll)");
  } finally {
    witnessState().testReason = undefined;
  }
});

afterAll(() => {
  report("exchanged after the last test (afterAll)");
});
