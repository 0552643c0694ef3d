/**
 * The witness's state, shared by the vitest set-up file and the tests (on globalThis, so every copy
 * of this module reaches the same one): the exchanges observed and not judged yet, what judging them
 * found, and the explicit marker a test uses when it makes our client send a request the official
 * rules refuse on purpose.
 *
 * Exchanges are queued as they happen and judged in the test's afterEach, so the witness never adds
 * latency to an emulator's answers while a test measures or waits for them.
 */
import type { Exchange } from "../emulator/observer.js";
import { checkRequest, decodeAnswer } from "./official-descriptors.js";

/** Our transport's User-Agent (shared/api/transport.ts) and the official SDK's (`Gitpod/JS 0.6.0`). */
const JUDGED_CLIENTS = /^(gitpod-runner-config\/|Gitpod\/JS )/;

interface Observed {
  exchange: Exchange;
  /** Whether the request is judged: it came from our client or the SDK, and the test did not opt out. */
  judgeRequest: boolean;
}

interface WitnessState {
  testReason: string | undefined;
  /** Removes the witness the set-up file registered (set-up runs once per test file). */
  unobserve?: () => void;
  pending: Observed[];
}

const KEY = Symbol.for("gitpod-runner-config.witness");

export function witnessState(): WitnessState {
  const holder = globalThis as { [KEY]?: WitnessState };
  holder[KEY] ??= { testReason: undefined, pending: [] };
  return holder[KEY];
}

/** The observer the set-up file registers: queue now, judge after the test. */
export function observe(exchange: Exchange): void {
  const state = witnessState();
  state.pending.push({
    exchange,
    judgeRequest: state.testReason === undefined && JUDGED_CLIENTS.test(exchange.userAgent ?? ""),
  });
}

/** Judges every queued exchange: answers decode strictly, judged requests pass the official rules. */
export function judgePending(): string[] {
  const problems: string[] = [];
  for (const { exchange, judgeRequest } of witnessState().pending.splice(0)) {
    try {
      if (exchange.status === 200 && exchange.fault === undefined) {
        const problem = decodeAnswer(exchange.rpc, exchange.responseText);
        if (problem) problems.push(`emulator: ${problem}`);
      }
      if (judgeRequest) {
        for (const violation of checkRequest(exchange.rpc, exchange.requestText)) {
          problems.push(`client (${exchange.userAgent}): ${exchange.rpc} ${violation}`);
        }
      }
    } catch (error) {
      problems.push(`witness: ${(error as Error).message}`);
    }
  }
  return problems;
}

/** For the running test only: our client's requests are not judged against the official rules. */
export function acceptInvalidRequests(reason: string): void {
  if (reason.trim() === "") throw new Error("acceptInvalidRequests needs a reason");
  witnessState().testReason = reason;
}

/** What the witness finds in this test so far (for the witness's own tests); nothing is left to report. */
export function takeWitnessProblems(): string[] {
  return judgePending();
}
