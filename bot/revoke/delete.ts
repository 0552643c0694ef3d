/**
 * Deleting exactly the confirmed (or approved) host tokens, and the audit record of it. A token
 * already gone is not an error; any other failure leaves that token's state unknown and says so.
 */
import { describeApiError } from "../../shared/api/error-in-words.js";
import type { BotContext } from "../context.js";
import { readManagedHostTokens } from "../host-tokens/read.js";
import { revokeAuditBase } from "./access.js";
import type { RevokeResult } from "./preview.js";

/**
 * Deletes those of `ids` that are now tokens of the bot's runners (read fresh): an id that is not
 * (gone since, or never one of them) is counted as already gone and nothing is sent for it.
 * Throws, having deleted nothing, when the tokens cannot be read.
 */
export async function deleteManagedTokens(bot: BotContext, ids: readonly string[]): Promise<RevokeResult> {
  const managed = new Set((await readManagedHostTokens(bot)).map((token) => token.id));
  const present = ids.filter((id) => managed.has(id));
  const result = await deleteTokens(bot, present);
  result.alreadyGone.push(...ids.filter((id) => !managed.has(id)));
  return result;
}

async function deleteTokens(bot: BotContext, ids: readonly string[]): Promise<RevokeResult> {
  const result: RevokeResult = { deleted: [], alreadyGone: [], failed: [] };
  for (const id of ids) {
    try {
      await bot.gitpod.hostAuthenticationTokens.delete({ id });
      result.deleted.push(id);
    } catch (error) {
      const described = describeApiError(error);
      if (described.code === "not_found") result.alreadyGone.push(id);
      else result.failed.push({ id, reason: described.text });
    }
  }
  return result;
}

/** Into the log, the history and the audit channel; returns the summary for the log line. */
export async function auditRevoke(
  bot: BotContext,
  revoke: {
    actor: string;
    host: string;
    selector: string;
    ids: readonly string[];
    result: RevokeResult;
    approvalId?: string;
    approvedBy?: readonly string[];
  },
): Promise<string> {
  const { result } = revoke;
  const summary = `${result.deleted.length} deleted, ${result.alreadyGone.length} already gone, ${result.failed.length} not deleted (${revoke.ids.length} confirmed)`;
  const approved = revoke.approvedBy?.length ? `; approved by ${revoke.approvedBy.join(", ")}` : "";
  await bot.auditor.record({
    ...revokeAuditBase(bot, revoke.actor, revoke.host, revoke.selector),
    outcome: result.failed.length > 0 ? "failed" : "revoked",
    reason:
      result.failed.length > 0
        ? `${summary}${approved}; the state of those not deleted is unknown`
        : `${summary}${approved}`,
    ...(revoke.approvalId ? { approvalId: revoke.approvalId } : {}),
  });
  return summary;
}
