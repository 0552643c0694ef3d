/**
 * The part of a rotation protocol that changes something, shared by the credentials whose value
 * cannot be read back (host tokens, LLM API keys): send the update, then read the credential back.
 * Only a 4xx answer (other than 429) proves the update was refused; no answer, a reset or a 5xx
 * may have come after the write, so the stored value is then unknown.
 */
import { GitpodApiError } from "../api/errors.js";
import type { RotationStepLog } from "./step-log.js";

/** How the update and the read-back went, for the protocol to put in its own words. */
export type UpdateReadBack = "refused" | "no-answer" | "not-verified" | "verified";

export async function updateThenReadBack(
  steps: RotationStepLog,
  calls: {
    /** Sends the update; resolves with the update step's detail. */
    update: () => Promise<string>;
    /** Reads the credential back; `ok: false` leaves it updated but not verified. */
    readBack: () => Promise<{ ok: boolean; detail: string }>;
  },
): Promise<UpdateReadBack> {
  let updateError: unknown;
  const updated = await steps.run("update", async () => {
    try {
      return { ok: true, detail: await calls.update() };
    } catch (error) {
      updateError = error;
      throw error;
    }
  });
  if (!updated) {
    const definite =
      updateError instanceof GitpodApiError &&
      updateError.status !== undefined &&
      updateError.status < 500 &&
      updateError.status !== 429;
    return definite ? "refused" : "no-answer";
  }
  return (await steps.run("verify", calls.readBack)) ? "verified" : "not-verified";
}
