/**
 * `revoke`'s buttons under the preview: Confirm (only its requester, still authorized, deletes
 * exactly the previewed ids; a token already gone is not an error) and Cancel.
 */
import type { App, BlockButtonAction } from "@slack/bolt";
import { describeApiError } from "../../../shared/api/error-in-words.js";
import type { BotContext } from "../../context.js";
import type { Respond } from "../../deliver.js";
import { refusedMessage } from "../../messages.js";
import { refuseRevoke, revokeAuditBase } from "../../revoke/access.js";
import {
  parseRevokeButton,
  REVOKE_CANCEL_ACTION,
  REVOKE_CONFIRM_ACTION,
  type RevokeResult,
  resultMessage,
} from "../../revoke/preview.js";
import { ranAs } from "../log-requests.js";

export function registerRevokeButtons(app: App, bot: BotContext): void {
  app.action<BlockButtonAction>(REVOKE_CONFIRM_ACTION, async ({ ack, body, action, respond, context }) => {
    await ack();
    ranAs(context, "revoke");
    ranAs(
      context,
      "revoke",
      await handleRevokeConfirm(bot, { userId: body.user.id, value: action.value }, respond),
    );
  });
  app.action<BlockButtonAction>(REVOKE_CANCEL_ACTION, async ({ ack, respond, context }) => {
    await ack();
    ranAs(context, "revoke-cancel", "cancelled");
    await respond({ text: "Revoke cancelled: nothing was deleted.", replace_original: true });
  });
}

/** The confirm button: only the person who asked, still authorized, deletes exactly the previewed ids. */
async function handleRevokeConfirm(
  bot: BotContext,
  press: { userId: string; value: string | undefined },
  respond: Respond,
): Promise<string> {
  const value = parseRevokeButton(press.value);
  if (!value) return "revoke-bad-button";
  if (press.userId !== value.requester) {
    await respond({
      ...refusedMessage("confirm this revoke", "only the person who asked for it can confirm it"),
      response_type: "ephemeral",
      replace_original: false,
    });
    await bot.auditor.record({
      ...revokeAuditBase(bot, press.userId, value.host, value.selector),
      outcome: "refused",
      reason: "pressed someone else's revoke confirmation",
    });
    return "revoke-not-requester";
  }
  const refused = await refuseRevoke(bot, press.userId, value.host, value.selector, respond);
  if (refused) return refused;

  const result: RevokeResult = { deleted: [], alreadyGone: [], failed: [] };
  for (const id of value.ids) {
    try {
      await bot.gitpod.hostAuthenticationTokens.delete({ id });
      result.deleted.push(id);
    } catch (error) {
      const described = describeApiError(error);
      if (described.code === "not_found") result.alreadyGone.push(id);
      else result.failed.push({ id, reason: described.text });
    }
  }
  const summary = `${result.deleted.length} deleted, ${result.alreadyGone.length} already gone, ${result.failed.length} not deleted (${value.ids.length} confirmed)`;
  await respond({ ...resultMessage(value.host, value.selector, result), replace_original: true });
  await bot.auditor.record({
    ...revokeAuditBase(bot, press.userId, value.host, value.selector),
    outcome: result.failed.length > 0 ? "failed" : "revoked",
    reason: result.failed.length > 0 ? `${summary}; the state of those not deleted is unknown` : summary,
  });
  return `revoke ${summary}`;
}
