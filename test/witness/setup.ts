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
import { type Exchange, observeExchanges } from "../emulator/observer.js";
import { checkRequest, decodeAnswer } from "./official-descriptors.js";
import { witnessState } from "./opt-out.js";

/** Our transport's User-Agent (shared/api/transport.ts) and the official SDK's (`Gitpod/JS 0.6.0`). */
const JUDGED_CLIENTS = /^(gitpod-runner-config\/|Gitpod\/JS )/;

function witness(exchange: Exchange): void {
  const state = witnessState();
  const problems = state.problems;
  try {
    if (exchange.status === 200 && exchange.fault === undefined) {
      const problem = decodeAnswer(exchange.rpc, exchange.responseText);
      if (problem) problems.push(`emulator: ${problem}`);
    }
    const reason = state.testReason ?? state.fileReason;
    if (reason === undefined && JUDGED_CLIENTS.test(exchange.userAgent ?? "")) {
      for (const violation of checkRequest(exchange.rpc, exchange.requestText)) {
        problems.push(`client (${exchange.userAgent}): ${exchange.rpc} ${violation}`);
      }
    }
  } catch (error) {
    problems.push(`witness: ${(error as Error).message}`);
  }
}

// One witness per test file: a worker may run several files in one process, so the previous
// file's witness (and its file-wide opt-out) is replaced, not added to.
const state = witnessState();
state.unobserve?.();
state.unobserve = observeExchanges(witness);
state.fileReason = undefined;
state.problems.length = 0;

function report(when: string): void {
  const found = witnessState().problems.splice(0);
  if (found.length === 0) return;
  const unique = [...new Set(found)];
  throw new Error(
    `the official descriptors refuse ${found.length} message(s) ${when}:\n- ${unique.slice(0, 10).join("\n- ")}${unique.length > 10 ? `\n- … and ${unique.length - 10} more` : ""}`,
  );
}

afterEach(() => {
  witnessState().testReason = undefined;
  report("exchanged during this test");
});

afterAll(() => {
  report("exchanged outside any test (beforeAll/afterAll)");
});
