/**
 * The witness's shared state, and the explicit marker a test uses when it makes our client send a request the official rules
 * refuse on purpose (to see the product handle the service's refusal). The reason is required so
 * the marker says why. State lives on globalThis: the set-up file and the test share it.
 */

interface WitnessState {
  testReason: string | undefined;
  fileReason: string | undefined;
  /** Removes the witness the set-up file registered (set-up runs once per test file). */
  unobserve?: () => void;
  /** What the witness found since the last report. */
  problems: string[];
}

const KEY = Symbol.for("gitpod-runner-config.witness.opt-out");

export function witnessState(): WitnessState {
  const holder = globalThis as { [KEY]?: WitnessState };
  holder[KEY] ??= { testReason: undefined, fileReason: undefined, problems: [] };
  return holder[KEY];
}

/** For the running test only: our client's requests are not judged against the official rules. */
export function acceptInvalidRequests(reason: string): void {
  if (reason.trim() === "") throw new Error("acceptInvalidRequests needs a reason");
  witnessState().testReason = reason;
}

/** For every test of the calling file (call it at the top of the file). */
export function acceptInvalidRequestsInThisFile(reason: string): void {
  if (reason.trim() === "") throw new Error("acceptInvalidRequestsInThisFile needs a reason");
  witnessState().fileReason = reason;
}

/** Takes what the witness found so far in this test (for the witness's own tests). */
export function takeWitnessProblems(): string[] {
  return witnessState().problems.splice(0);
}
