/**
 * The approval modals' submissions: the requester's reason (then the request is posted and the
 * approvers are messaged) and a denier's reason (then the Deny is recorded). Both ack at once with
 * a "working" view and report in the same modal. A reason is people's words: one that looks like a
 * secret is refused in the form, since it would be shown to others and kept in the history.
 */
import type { App } from "@slack/bolt";
import { describeApiError } from "../../../shared/api/error-in-words.js";
import { isServiceAccountToken } from "../../../shared/api/matching.js";
import { escapeMrkdwn } from "../../../shared/slack/mrkdwn.js";
import { decideApproval, requestApproval } from "../../approvals/flow.js";
import { reasonProblem } from "../../approvals/reason.js";
import {
  type ApprovalRequestMetadata,
  DENY_CALLBACK_ID,
  decodeDenyMetadata,
  decodeRequestMetadata,
  noticeView,
  REASON_ACTION,
  REASON_BLOCK,
  REQUEST_CALLBACK_ID,
} from "../../approvals/views.js";
import type { BotContext } from "../../context.js";
import { resolveTarget } from "../../gitpod/reads.js";
import { republishAfterVote } from "../../home/publish.js";
import { hostTokenOf, llmKeyOf, oauthSecretOf, type RotatedCredential } from "../../rotations/credential.js";
import { rotationAuditBase } from "../../rotations/slack-rotation.js";
import type { Respond } from "../../slack/deliver.js";
import { RESTARTING_TEXT } from "../../slack/messages.js";
import { ranAs } from "../log-requests.js";

const REQUEST_TITLE = "Ask for approval";
const DENY_TITLE = "Deny the request";

export function registerApprovalSubmissions(app: App, bot: BotContext): void {
  app.view(REQUEST_CALLBACK_ID, async ({ ack, body, view, context }) => {
    const reason = (view.state.values[REASON_BLOCK]?.[REASON_ACTION]?.value ?? "").trim();
    if (bot.lifecycle.draining) {
      await ack({ response_action: "errors", errors: { [REASON_BLOCK]: RESTARTING_TEXT } });
      ranAs(context, "approval-request", "restarting");
      return;
    }
    const problem = reasonProblem(reason);
    if (problem) {
      await ack({ response_action: "errors", errors: { [REASON_BLOCK]: problem } });
      ranAs(context, "approval-request", "form-errors");
      return;
    }
    await ack({
      response_action: "update",
      view: noticeView(REQUEST_TITLE, ":hourglass_flowing_sand: Posting your request…"),
    });
    ranAs(context, "approval-request");
    const metadata = decodeRequestMetadata(view.private_metadata);
    const show = async (text: string) => {
      await bot.slack.views.update({ view_id: view.id, view: noticeView(REQUEST_TITLE, text) });
    };
    if (!metadata) {
      await show(":warning: This form lost what it was for; run the command again.");
      ranAs(context, "approval-request", "bad-metadata");
      return;
    }
    ranAs(
      context,
      "approval-request",
      await submitRequest(bot, { userId: body.user.id, reason, metadata }, show),
    );
  });

  app.view(DENY_CALLBACK_ID, async ({ ack, body, view, context }) => {
    const reason = (view.state.values[REASON_BLOCK]?.[REASON_ACTION]?.value ?? "").trim();
    if (bot.lifecycle.draining) {
      await ack({ response_action: "errors", errors: { [REASON_BLOCK]: RESTARTING_TEXT } });
      ranAs(context, "approval-deny", "restarting");
      return;
    }
    const problem = reasonProblem(reason);
    if (problem) {
      await ack({ response_action: "errors", errors: { [REASON_BLOCK]: problem } });
      ranAs(context, "approval-deny", "form-errors");
      return;
    }
    await ack({
      response_action: "update",
      view: noticeView(DENY_TITLE, ":hourglass_flowing_sand: Recording your decision…"),
    });
    ranAs(context, "approval-deny");
    // The vote's answers (recorded, or why not) are shown in this modal.
    const respond: Respond = async (message) =>
      bot.slack.views.update({ view_id: view.id, view: noticeView(DENY_TITLE, message.text) });
    const vote = {
      approvalId: decodeDenyMetadata(view.private_metadata) ?? "",
      userId: body.user.id,
      decision: "deny" as const,
      reason,
    };
    ranAs(context, "approval-deny", await decideApproval(bot, vote, respond));
    await republishAfterVote(bot, vote);
  });
}

/**
 * The reason form was submitted: still allowed to rotate, the credential read fresh (still one of
 * the bot's runners', a token still a service account's), then the request is posted.
 */
async function submitRequest(
  bot: BotContext,
  submission: { userId: string; reason: string; metadata: ApprovalRequestMetadata },
  show: (text: string) => Promise<void>,
): Promise<string> {
  const { userId, metadata } = submission;
  const kind = metadata.credential.kind;
  const target =
    metadata.credential.kind === "host-token"
      ? metadata.credential.tokenId
      : metadata.credential.integrationId;
  if (bot.config.approvals.required === 0) {
    await show(":information_source: Approvals are off now; run the command again to get the form.");
    return "approvals-off";
  }
  const decision = await bot.authorizer.canRotate(userId);
  if (!decision.allowed) {
    await show(`:lock: You are not allowed to rotate credentials: ${escapeMrkdwn(decision.reason)}.`);
    await bot.auditor.record({
      ...rotationAuditBase(bot, kind, userId),
      outcome: "unauthorized",
      target,
      reason: decision.reason,
    });
    return "unauthorized";
  }
  let credential: RotatedCredential;
  try {
    const found = await readCredential(bot, metadata.credential);
    if (typeof found === "string") {
      await show(`:mag: ${escapeMrkdwn(found)} No request was posted.`);
      return "not-found";
    }
    credential = found;
  } catch (error) {
    await show(
      `:warning: Could not read what to rotate: ${escapeMrkdwn(describeApiError(error).text)}. No request was posted.`,
    );
    throw error;
  }
  const requested = await requestApproval(bot, {
    userId,
    channelId: metadata.channelId,
    credential,
    reason: submission.reason,
  });
  await show(requested.text);
  return "approval-requested";
}

/** The credential as it is now, or why it cannot be asked for. */
async function readCredential(
  bot: BotContext,
  ref: ApprovalRequestMetadata["credential"],
): Promise<RotatedCredential | string> {
  if (ref.kind === "oauth-secret") {
    const resolution = await resolveTarget(bot.gitpod, bot.runnerIds, { kind: "id", id: ref.integrationId });
    if (resolution.kind !== "one") return resolution.kind === "none" ? resolution.reason : "Ambiguous.";
    if (!resolution.integration.oauth?.clientId) return "This integration has no OAuth app configured.";
    return oauthSecretOf(resolution.integration);
  }
  if (ref.kind === "llm-key") {
    const integration = await bot.gitpod.llmIntegrations.get({ id: ref.integrationId });
    if (!bot.runnerIds.includes(integration.runnerId))
      return "This LLM integration belongs to a runner this bot does not manage.";
    return llmKeyOf(integration);
  }
  const token = await bot.gitpod.hostAuthenticationTokens.get({ id: ref.tokenId });
  if (!isServiceAccountToken(token) || !bot.runnerIds.includes(token.runnerId ?? ""))
    return "This token is no longer a service account's token of the bot's runners.";
  return hostTokenOf(token);
}
