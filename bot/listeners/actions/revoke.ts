/**
 * `revoke`'s buttons under the preview: Confirm (only its requester, still authorized, once, deletes
 * the previewed ids kept in the store; a token already gone is not an error) and Cancel.
 */
import type { App, BlockButtonAction } from "@slack/bolt";
import { describeApiError } from "../../../shared/api/error-in-words.js";
import { fallbackText } from "../../../shared/slack/mrkdwn.js";
import type { BotContext } from "../../context.js";
import { refuseRevoke, revokeAuditBase } from "../../revoke/access.js";
import { requestRevokeApproval } from "../../revoke/approval.js";
import { auditRevoke, deleteManagedTokens } from "../../revoke/delete.js";
import {
  MAX_TOKENS_PER_REVOKE,
  parseRevokeButton,
  REVOKE_CANCEL_ACTION,
  REVOKE_CONFIRM_ACTION,
  type RevokeResult,
  resultMessage,
} from "../../revoke/preview.js";
import type { Respond } from "../../slack/deliver.js";
import { refusedMessage } from "../../slack/messages.js";
import type { RevokePreview } from "../../state/store.js";
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
 * The confirm button: it carries only the preview's id; the store says who may press it and which
 * ids it deletes. Only the person who asked, still authorized, uses it, once, before it expires;
 * it deletes those previewed ids that are still tokens of the bot's runners, or with four-eyes
 * approval on asks for approval of exactly those. Every refusal is audited.
 */
async function handleRevokeConfirm(
  bot: BotContext,
  press: { userId: string; channelId: string | undefined; value: string | undefined },
  respond: Respond,
): Promise<string> {
  const refuse = async (text: string, outcome: string, reason: string, where?: RevokePreview) => {
    await respond({
      ...refusedMessage("confirm this revoke", text),
      response_type: "ephemeral",
      replace_original: false,
    });
    await bot.auditor.record({
      ...revokeAuditBase(bot, press.userId, where?.host ?? "", where?.selector ?? ""),
      outcome: "refused",
      reason,
    });
    return outcome;
  };
  const previewId = parseRevokeButton(press.value);
  if (!previewId)
    return refuse(
      "the button is not one of the bot's revoke confirmations; run revoke again",
      "revoke-bad-button",
      `pressed a revoke confirmation whose value is not a preview id (${describeValue(press.value)})`,
    );
  const preview = await bot.store.getRevokePreview(previewId);
  if (!preview)
    return refuse(
      "this revoke confirmation is unknown; run revoke again",
      "revoke-unknown-preview",
      `pressed a revoke confirmation for an unknown preview ${previewId}`,
    );
  if (press.userId !== preview.requester)
    return refuse(
      "only the person who asked for it can confirm it",
      "revoke-not-requester",
      "pressed someone else's revoke confirmation",
      preview,
    );
  const refused = await refuseRevoke(bot, press.userId, preview.host, preview.selector, respond);
  if (refused) return refused;
  if (preview.ids.length > MAX_TOKENS_PER_REVOKE)
    return refuse(
      `a confirmation deletes at most ${MAX_TOKENS_PER_REVOKE} tokens`,
      "revoke-too-many",
      `a revoke preview holds ${preview.ids.length} ids, over ${MAX_TOKENS_PER_REVOKE}`,
      preview,
    );
  // Once: a second press (or a replay of the request) finds it used.
  if (!(await bot.store.useRevokePreview(preview.id, press.userId, Date.now())))
    return refuse(
      "this confirmation was already used or has expired (nothing more was deleted); run revoke again to see what there is now",
      "revoke-preview-used",
      `pressed a revoke confirmation that was already used or expired (preview ${preview.id})`,
      preview,
    );

  // Four-eyes: the confirmation becomes an approval request; the deletion runs once approved.
  if (bot.config.approvals.required > 0) return requestRevokeApproval(bot, press, preview, respond);

  let result: RevokeResult;
  try {
    result = await deleteManagedTokens(bot, preview.ids);
  } catch (error) {
    await respond({
      text: fallbackText(
        `Could not read the host tokens (${describeApiError(error).text}); nothing was deleted. Run revoke again.`,
      ),
      response_type: "ephemeral",
      replace_original: false,
    });
    throw error;
  }
  await respond({ ...resultMessage(preview.host, preview.selector, result), replace_original: true });
  const summary = await auditRevoke(bot, { actor: press.userId, ...preview, result });
  return `revoke ${summary}`;
}

/** A button value in the audit record: its length and a short, escaped start. */
function describeValue(value: string | undefined): string {
  if (value === undefined) return "no value";
  const start = value.slice(0, 40).replace(/[^\x20-\x7e]/g, "?");
  return `${value.length} characters: ${start}${value.length > 40 ? "…" : ""}`;
}
