/**
 * A reason is people's words, shown to approvers and kept in the history: the one check of it for
 * every way a request or a Deny arrives (the modals, the Workflow Builder step).
 */
import { looksLikeSecret } from "../listeners/commands/words.js";
import { REASON_MAX_LENGTH } from "./views.js";

/** Why a typed reason cannot be used, or undefined when it can. Pure. */
export function reasonProblem(reason: string): string | undefined {
  if (reason.length < 3) return "Say in a few words why.";
  if (reason.length > REASON_MAX_LENGTH) return `At most ${REASON_MAX_LENGTH} characters.`;
  if (reason.split(/\s+/).some(looksLikeSecret))
    return "This looks like it contains a secret or token: the reason is shown to others and kept in the history. Remove it (and revoke that secret if it was real).";
  return undefined;
}
