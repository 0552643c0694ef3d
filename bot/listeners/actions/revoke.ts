/**
 * `revoke`'s buttons under the preview: Confirm (only its requester, still authorized, deletes
 * exactly the previewed ids; a token already gone is not an error) and Cancel.
 */
import type { App, BlockButtonAction } from "@slack/bolt";
import type { BotContext } from "../../context.js";
import type { Respond } from "../../deliver.js";
import { refusedMessage } from "../../messages.js";
import { refuseRevoke, revokeAuditBase } from "../../revoke/access.js";
import { requestRevokeApproval } from "../../revoke/approval.js";
import { auditRevoke, deleteTokens } from "../../revoke/delete.js";
import {
  parseRevokeButton,
  REVOKE_CANCEL_ACTION,
  REVOKE_CONFIRM_ACTION,
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
      await handleRevokeConfirm(
        bot,
        { userId: body.user.id, channelId: body.channel?.id, value: action.value },
        respond,
      ),
    );
  });
  app.action<BlockButtonAction>(REVOKE_CANCEL_ACTION, async ({ ack, respond, context }) => {
    await ack();
    ranAs(context, "revoke-cancel", "cancelled");
    await respond({ text: "Revoke cancelled: nothing was deleted.", replace_original: true });
  });
}

/**
 * The confirm button: only the person who asked, still authorized, deletes exactly the previewed
 * ids, or with four-eyes approval on, asks for approval of exactly those.
 */
async function handleRevokeConfirm(
  bot: BotContext,
  press: { userId: string; channelId: string | undefined; value: string | undefined },
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

  // Four-eyes: the confirmation becomes an approval request; the deletion runs once approved.
  if (bot.config.approvals.required > 0) return requestRevokeApproval(bot, press, value, respond);

  const result = await deleteTokens(bot, value.ids);
  await respond({ ...resultMessage(value.host, value.selector, result), replace_original: true });
  const summary = await auditRevoke(bot, { actor: press.userId, ...value, result });
  return `revoke ${summary}`;
}
