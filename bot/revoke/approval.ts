/**
 * `revoke` under four-eyes approval (SLACK_ROTATE_APPROVALS_REQUIRED > 0):
 * 1. the requester confirms the preview: an approval request for exactly those token ids goes to
 *    the audit channel, showing them as they are now (count, owners, runners);
 * 2. approvers vote with the rotation's Approve/Deny buttons (approvals/flow.ts): not the
 *    requester, nobody outside SLACK_ROTATE_APPROVERS; refusals are audited;
 * 3. once approved, the deletion runs at once and exactly once (the approval is used up), if the
 *    requester may still revoke; the result goes to the audit channel and to the requester.
 */
import { randomUUID } from "node:crypto";
import { describeApiError } from "../../shared/api/error-in-words.js";
import type { HostAuthenticationToken } from "../../shared/api/resources/host-authentication-tokens.wire.js";
import { context, type SlackMessage, section } from "../../shared/slack/blocks.js";
import { escapeMrkdwn, fallbackText, userMention } from "../../shared/slack/mrkdwn.js";
import { announceRequest, tellRequester } from "../approvals/notify.js";
import type { BotContext } from "../context.js";
import { readManagedHostTokens } from "../host-tokens/read.js";
import type { Respond } from "../slack/deliver.js";
import type { Approval, RevokePreview } from "../state/store.js";
import { revokeAuditBase } from "./access.js";
import { auditRevoke, deleteManagedTokens } from "./delete.js";
import { resultMessage, revokeApprovalRequestMessage } from "./preview.js";

/** Step 1: the requester's confirmation becomes an approval request. */
export async function requestRevokeApproval(
  bot: BotContext,
  press: { userId: string; channelId: string | undefined },
  value: Pick<RevokePreview, "host" | "selector" | "ids">,
  respond: Respond,
): Promise<string> {
  let tokens: HostAuthenticationToken[];
  try {
    const confirmed = new Set(value.ids);
    tokens = (await readManagedHostTokens(bot)).filter((token) => confirmed.has(token.id));
  } catch (error) {
    await respond({
      text: fallbackText(
        `Could not read the host tokens (${describeApiError(error).text}); no approval was requested and nothing was deleted.`,
      ),
      response_type: "ephemeral",
      replace_original: false,
    });
    throw error;
  }
  const now = Date.now();
  const approval: Approval = {
    id: randomUUID(),
    integrationId: "",
    host: value.host,
    requester: press.userId,
    required: bot.config.approvals.required,
    status: "pending",
    createdAt: now,
    expiresAt: now + bot.config.approvals.ttlMs,
    votes: [],
    revoke: { host: value.host, selector: value.selector, ids: value.ids },
  };
  await bot.store.createApproval(approval);
  const plan = { host: value.host, selector: value.selector, ids: value.ids };
  const message = revokeApprovalRequestMessage(approval, plan, tokens, bot.runnerLabels);
  await bot.auditor.remember({
    ...revokeAuditBase(bot, press.userId, value.host, value.selector),
    outcome: "requested",
    approvalId: approval.id,
    reason: `Approval requested to revoke ${value.ids.length} host authentication token(s).`,
  });
  // To the audit channel and each approver; later votes redraw both (approvals/notify.ts).
  await announceRequest(bot, approval, { channel: message, dm: message }, press.channelId ?? "");
  const count = value.ids.length;
  await respond({
    text: fallbackText(
      `Revoking ${count} token${count === 1 ? "" : "s"} for ${value.host} needs approval by someone else. The request is in the audit channel and with each approver; the tokens are deleted once it is approved, and you will be told here and by direct message. Nothing was deleted yet.`,
    ),
    replace_original: true,
  });
  return `revoke-approval-requested ${count}`;
}

/** Step 3: called once the approval is approved (by the vote that approved it). */
export async function runApprovedRevoke(bot: BotContext, approval: Approval): Promise<string> {
  const plan = approval.revoke;
  if (!plan) return "not-a-revoke";
  // Exactly once, however many approvers, clicks or replicas see this approval.
  if (!(await bot.store.useApproval(approval.id, approval.requester, Date.now())))
    return "revoke-already-run";
  // Where they asked, and by direct message (kept in the store and the history).
  const tell = async (message: SlackMessage) => {
    await tellRequester(bot, approval, message);
    try {
      await bot.slack.chat.postEphemeral({
        channel: approval.channelId || bot.config.auditChannelId,
        user: approval.requester,
        ...message,
      });
    } catch (error) {
      bot.logger.warn("revoke_notice_failed", {
        approvalId: approval.id,
        error: describeApiError(error).code,
      });
    }
  };
  const still = await bot.authorizer.canRotate(approval.requester);
  if (!still.allowed) {
    await bot.auditor.record({
      ...revokeAuditBase(bot, approval.requester, plan.host, plan.selector),
      outcome: "unauthorized",
      approvalId: approval.id,
      reason: `approved, but the requester may no longer revoke (${still.reason}); nothing was deleted`,
    });
    const text = `Your revoke for ${plan.host} was approved, but you may no longer revoke (${still.reason}). Nothing was deleted.`;
    await tell({ text: fallbackText(text), blocks: [section(`:lock: ${escapeMrkdwn(text)}`)] });
    return "revoke-requester-unauthorized";
  }
  let result: Awaited<ReturnType<typeof deleteManagedTokens>>;
  try {
    result = await deleteManagedTokens(bot, plan.ids);
  } catch (error) {
    const text = `Your revoke for ${plan.host} was approved, but the host tokens could not be read (${describeApiError(error).text}). Nothing was deleted; run revoke again.`;
    await tell({ text: fallbackText(text), blocks: [section(`:warning: ${escapeMrkdwn(text)}`)] });
    throw error;
  }
  const approvedBy = approval.votes
    .filter((vote) => vote.decision === "approve")
    .map((vote) => vote.approver);
  const summary = await auditRevoke(bot, {
    actor: approval.requester,
    ...plan,
    result,
    approvalId: approval.id,
    approvedBy,
  });
  const message = resultMessage(plan.host, plan.selector, result);
  await tell({
    text: `${message.text} Approved by ${approvedBy.join(", ")}.`,
    blocks: [...message.blocks, context(`Approved by ${approvedBy.map(userMention).join(", ")}.`)],
  });
  return `revoke ${summary}`;
}
