/**
 * Approvals that reach people: the request goes to the audit channel and, with its buttons, to each
 * approver by direct message; every post's channel and ts is kept in the store, so any replica can
 * redraw them in place (chat.update) after a vote, a decision or the expiry, and the requester is
 * told the outcome by direct message. A Slack failure here is logged and does not undo a vote:
 * the store is the record, the messages show it.
 */
import { describeApiError } from "../../shared/api/error-in-words.js";
import type { BotContext } from "../context.js";
import type { Approval, ApprovalMessageRef } from "../state/store.js";
import { type ApprovalMessage, approvalRequestMessage } from "./messages.js";

/** More approvers than this are not messaged one by one (they still see the audit channel). */
const MAX_APPROVER_DMS = 50;
/** Direct messages sent at once. */
const DM_BATCH = 5;

function slackError(error: unknown): string {
  return (error as { data?: { error?: string } }).data?.error ?? describeApiError(error).code;
}

/** A direct message from the bot to `userId` (conversations.open, then chat.postMessage). */
async function directMessage(
  bot: BotContext,
  userId: string,
  message: ApprovalMessage,
): Promise<{ channelId: string; ts: string }> {
  const opened = await bot.slack.conversations.open({ users: userId });
  const channelId = opened.channel?.id;
  if (!channelId) throw new Error("conversations.open gave no channel");
  const posted = (await bot.slack.chat.postMessage({
    channel: channelId,
    text: message.text,
    blocks: message.blocks,
  })) as { ts?: string };
  return { channelId, ts: posted.ts ?? "" };
}

/** The request's post in the audit channel (rows from before migration 004 kept only its ts). */
export async function requestPost(
  bot: BotContext,
  approval: Approval,
): Promise<{ channelId: string; ts: string } | undefined> {
  const refs = await bot.store.approvalMessages(approval.id);
  const request = refs.find((ref) => ref.kind === "request");
  if (request) return { channelId: request.channelId, ts: request.ts };
  return approval.messageTs ? { channelId: bot.config.auditChannelId, ts: approval.messageTs } : undefined;
}

/**
 * Posts a new request: `channel` to the audit channel, then `dm` to every approver but the
 * requester. `requesterChannelId` is where the requester asked (for the ephemeral notices).
 */
export async function announceRequest(
  bot: BotContext,
  approval: Approval,
  messages: { channel: ApprovalMessage; dm: ApprovalMessage },
  requesterChannelId: string,
): Promise<void> {
  const posted = (await bot.slack.chat.postMessage({
    channel: bot.config.auditChannelId,
    text: messages.channel.text,
    blocks: messages.channel.blocks,
  })) as { ts?: string };
  await bot.store.setApprovalMessage(approval.id, requesterChannelId, posted.ts ?? "");
  if (posted.ts) {
    await bot.store.addApprovalMessage({
      approvalId: approval.id,
      kind: "request",
      userId: "",
      channelId: bot.config.auditChannelId,
      ts: posted.ts,
    });
  }
  const { users, unreadGroups } = await bot.approvers.everyone(approval.requester);
  const messaged = users.slice(0, MAX_APPROVER_DMS);
  const reached: string[] = [];
  const missed: string[] = [];
  for (let start = 0; start < messaged.length; start += DM_BATCH) {
    await Promise.all(
      messaged.slice(start, start + DM_BATCH).map(async (userId) => {
        try {
          const dm = await directMessage(bot, userId, messages.dm);
          await bot.store.addApprovalMessage({ approvalId: approval.id, kind: "approver", userId, ...dm });
          reached.push(userId);
        } catch (error) {
          missed.push(userId);
          bot.logger.warn("approval_dm_failed", {
            approvalId: approval.id,
            user: userId,
            error: slackError(error),
          });
        }
      }),
    );
  }
  const notes = [
    reached.length > 0
      ? `Sent by direct message to ${reached.sort().join(", ")}.`
      : "No approver could be sent a direct message.",
    ...(missed.length > 0 ? [`Could not message ${missed.sort().join(", ")}.`] : []),
    ...(users.length > messaged.length
      ? [`Only the first ${MAX_APPROVER_DMS} approvers were messaged.`]
      : []),
    ...(unreadGroups.length > 0 ? [`Could not read the approver group(s) ${unreadGroups.join(", ")}.`] : []),
  ];
  await bot.auditor.remember({
    action: "approval",
    at: bot.now().toISOString(),
    actor: approval.requester,
    source: "slack",
    outcome: "notified",
    approvalId: approval.id,
    ...(approval.host ? { host: approval.host } : {}),
    ...(approval.integrationId ? { integrationId: approval.integrationId } : {}),
    reason: notes.join(" "),
  });
}

/**
 * Redraws the request in the audit channel and in every approver's DM from the stored approval:
 * the votes so far, the decision, and no buttons once it is decided or expired.
 */
export async function redrawRequest(bot: BotContext, approval: Approval): Promise<void> {
  const refs: ApprovalMessageRef[] = await bot.store.approvalMessages(approval.id);
  if (!refs.some((ref) => ref.kind === "request") && approval.messageTs) {
    refs.push({
      approvalId: approval.id,
      kind: "request",
      userId: "",
      channelId: bot.config.auditChannelId,
      ts: approval.messageTs,
    });
  }
  const channel = approvalRequestMessage(approval, "channel");
  const dm = approvalRequestMessage(approval, "dm");
  await Promise.all(
    refs
      .filter((ref) => ref.kind !== "requester")
      .map(async (ref) => {
        const message = ref.kind === "request" ? channel : dm;
        try {
          await bot.slack.chat.update({
            channel: ref.channelId,
            ts: ref.ts,
            text: message.text,
            blocks: message.blocks,
          });
        } catch (error) {
          bot.logger.warn("approval_update_failed", {
            approvalId: approval.id,
            message: ref.kind,
            user: ref.userId,
            error: slackError(error),
          });
        }
      }),
  );
}

/** The outcome, by direct message to the requester; kept in the store and the history. */
export async function tellRequester(
  bot: BotContext,
  approval: Approval,
  message: ApprovalMessage,
): Promise<void> {
  let note: string;
  try {
    const dm = await directMessage(bot, approval.requester, message);
    await bot.store.addApprovalMessage({
      approvalId: approval.id,
      kind: "requester",
      userId: approval.requester,
      ...dm,
    });
    note = `The requester was told by direct message (${approval.status}).`;
  } catch (error) {
    bot.logger.warn("approval_requester_dm_failed", { approvalId: approval.id, error: slackError(error) });
    note = `The requester could not be sent a direct message (${slackError(error)}).`;
  }
  await bot.auditor.remember({
    action: "approval",
    at: bot.now().toISOString(),
    actor: approval.requester,
    source: "slack",
    outcome: "notified",
    approvalId: approval.id,
    ...(approval.host ? { host: approval.host } : {}),
    ...(approval.integrationId ? { integrationId: approval.integrationId } : {}),
    reason: note,
  });
}
