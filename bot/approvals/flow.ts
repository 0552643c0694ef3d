/**
 * Four-eyes approval of a rotation (SLACK_ROTATE_APPROVALS_REQUIRED > 0):
 * 1. `rotate` posts an approval request with Approve/Deny to the audit channel (no form yet);
 * 2. approvers vote; the requester cannot, nor can anyone outside SLACK_ROTATE_APPROVERS;
 * 3. once approved the requester gets a button that opens the secret form; the secret is typed
 *    only then and never stored; the approval is used up by the submission; it expires after
 *    SLACK_ROTATE_APPROVAL_TTL_MS (30 min by default).
 * Every step goes into the history, and votes and expiries into the audit channel.
 */
import { randomUUID } from "node:crypto";
import { describeApiError } from "../../shared/api/error-in-words.js";
import { isServiceAccountToken } from "../../shared/api/matching.js";
import type { HostAuthenticationToken, ScmIntegration } from "../../shared/api/schemas.js";
import { escapeMrkdwn } from "../../shared/slack/mrkdwn.js";
import type { BotContext } from "../context.js";
import type { Respond } from "../deliver.js";
import { runApprovedRevoke } from "../revoke/approval.js";
import {
  auditFieldsOf,
  type CredentialRef,
  credentialColumns,
  credentialOfApproval,
  credentialText,
  type RotatedCredential,
  refOf,
  sameCredential,
} from "../rotations/credential.js";
import type { Approval, DecisionResult } from "../state/store.js";
import { messageView, type RotateModalMetadata, rotateFormView, tokenFormView } from "../views.js";
import { approvalRequestMessage, approvedMessage, deniedMessage } from "./messages.js";

/** What the approval is for, in words ("github.com", "the github.com token of service account …"). */
function integrationText(approval: Approval): string {
  return credentialText(credentialOfApproval(approval));
}

function base(bot: BotContext, actor: string, approval: Approval) {
  return {
    action: "approval",
    at: bot.now().toISOString(),
    actor,
    source: "slack",
    ...auditFieldsOf(credentialOfApproval(approval)),
    ...(approval.revoke ? { target: `revoke ${approval.revoke.selector}` } : {}),
    approvalId: approval.id,
  };
}

/** A rotation of "github.com", or a revoke of "2 host tokens for github.com (all users)". */
function requested(approval: Approval): { verb: "rotation" | "revoke"; of: string } {
  if (!approval.revoke) return { verb: "rotation", of: integrationText(approval) };
  const { host, selector, ids } = approval.revoke;
  return {
    verb: "revoke",
    of: `${ids.length} host token${ids.length === 1 ? "" : "s"} for ${host} (${selector})`,
  };
}

/** What a denied or expired request would have done, in words. */
function nothingDone(approval: Approval): string {
  return approval.revoke ? "nothing is deleted with it" : "nothing can be rotated with it";
}

/** Step 1: instead of the form, an approval request. Returns the text the modal shows. */
export async function requestApproval(
  bot: BotContext,
  request: { userId: string; channelId: string; credential: RotatedCredential },
): Promise<string> {
  const { credential } = request;
  const { credential: kind, integrationId, tokenId, subjectId, host } = credentialColumns(credential);
  const now = Date.now();
  const approval: Approval = {
    id: randomUUID(),
    credential: kind,
    integrationId,
    ...(tokenId ? { tokenId } : {}),
    ...(subjectId ? { subjectId } : {}),
    ...(host ? { host } : {}),
    requester: request.userId,
    required: bot.config.approvals.required,
    status: "pending",
    createdAt: now,
    expiresAt: now + bot.config.approvals.ttlMs,
    votes: [],
  };
  await bot.store.createApproval(approval);
  const message = approvalRequestMessage(approval, credential);
  const posted = (await bot.slack.chat.postMessage({
    channel: bot.config.auditChannelId,
    text: message.text,
    blocks: message.blocks,
  })) as { ts?: string };
  // Where the requester asked (to tell them the decision) and the request's post.
  await bot.store.setApprovalMessage(approval.id, request.channelId, posted.ts ?? "");
  await bot.auditor.remember({ ...base(bot, request.userId, approval), outcome: "requested" });
  const value = credential.kind === "host-token" ? "token" : "secret";
  return `:raised_hand: Rotating ${escapeMrkdwn(credentialText(credential))} needs approval by someone else. The request is in the audit channel; once it is approved you will get a button in this channel to enter the new ${value} (nothing to type until then).`;
}

/** A button naming an approval that does not exist (altered, or from another bot's database). */
async function auditUnknownApproval(bot: BotContext, actor: string, approvalId: string, what: string) {
  const shown = approvalId.length > 64 ? `${approvalId.slice(0, 64)}…` : approvalId;
  await bot.auditor.record({
    action: "approval",
    at: bot.now().toISOString(),
    actor,
    source: "slack",
    outcome: "refused",
    reason: `${what} for an unknown approval request (${JSON.stringify(shown)})`,
  });
}

const REFUSALS: Record<string, string> = {
  "not-found": "This approval request does not exist.",
  "own-request": "You cannot approve your own request.",
  "already-voted": "You have already decided on this request.",
  "not-pending": "This request was already decided.",
  expired: "This request has expired; the requester must run the command again.",
};

/** Step 2: a vote from the audit channel's buttons. */
export async function decideApproval(
  bot: BotContext,
  vote: { approvalId: string; userId: string; decision: "approve" | "deny" },
  respond: Respond,
): Promise<string> {
  const approval = await bot.store.getApproval(vote.approvalId);
  if (!approval) {
    await respond({ text: REFUSALS["not-found"] ?? "", response_type: "ephemeral", replace_original: false });
    await auditUnknownApproval(bot, vote.userId, vote.approvalId, `${vote.decision} vote`);
    return "not-found";
  }
  const may = await bot.approvers.canApprove(vote.userId, approval.requester);
  if (!may.allowed) {
    await respond({
      text: `:lock: Not recorded: ${may.reason}.`,
      response_type: "ephemeral",
      replace_original: false,
    });
    const refusal = { ...base(bot, vote.userId, approval), outcome: "refused" as const, reason: may.reason };
    // A revoke deletes at once when approved: a refused vote on it goes to the audit channel too.
    if (approval.revoke) await bot.auditor.record(refusal);
    else await bot.auditor.remember(refusal);
    return "refused";
  }
  let result: DecisionResult;
  try {
    result = await bot.store.decideApproval({
      id: approval.id,
      approver: vote.userId,
      decision: vote.decision,
      now: Date.now(),
    });
  } catch (error) {
    // E.g. PostgreSQL dropped the connection mid-transaction (a failover): the transaction was
    // rolled back unless its COMMIT had reached the server, so a second press settles it.
    const reason = error instanceof Error ? error.message : String(error);
    bot.logger.error("approval_vote_failed", { approvalId: approval.id, error: reason });
    const button = vote.decision === "approve" ? "Approve" : "Deny";
    await respond({
      text: `:warning: Your vote was not recorded: the bot's state store failed while saving it (${escapeMrkdwn(reason)}). Nothing was run for it. Please press ${button} again (if it was saved after all, you will be told you have already decided).`,
      response_type: "ephemeral",
      replace_original: false,
    });
    return "store-failed";
  }
  if (!result.ok) {
    await respond({
      text: REFUSALS[result.reason] ?? result.reason,
      response_type: "ephemeral",
      replace_original: false,
    });
    if (result.reason === "expired") {
      await bot.auditor.record({
        ...base(bot, vote.userId, approval),
        outcome: "expired",
        reason: `An approver answered after the request had expired; ${nothingDone(approval)}.`,
      });
    }
    return result.reason;
  }
  const decided = result.approval;
  const approvals = decided.votes.filter((entry) => entry.decision === "approve").length;
  await bot.auditor.record({
    ...base(bot, vote.userId, decided),
    outcome: vote.decision === "deny" ? "denied" : "approved",
    reason:
      vote.decision === "deny"
        ? `The request was denied; ${nothingDone(decided)}.`
        : decided.status === "approved"
          ? decided.revoke
            ? `Approved (${approvals} of ${decided.required}); the tokens are deleted now.`
            : `Approved (${approvals} of ${decided.required}); the requester may now enter the new secret.`
          : `${approvals} of ${decided.required} approvals so far.`,
  });
  await respond({ text: "Recorded, thank you.", response_type: "ephemeral", replace_original: false });
  if (decided.status === "approved" && decided.revoke) {
    return `approved: ${await runApprovedRevoke(bot, decided)}`;
  }
  if (decided.status === "approved" || decided.status === "denied") {
    const message =
      decided.status === "approved"
        ? approvedMessage(decided, integrationText(decided))
        : deniedMessage(decided, requested(decided), vote.userId);
    try {
      await bot.slack.chat.postEphemeral({
        channel: decided.channelId ?? bot.config.auditChannelId,
        user: decided.requester,
        text: message.text,
        blocks: message.blocks,
      });
    } catch (error) {
      bot.logger.warn("approval_notice_failed", {
        approvalId: decided.id,
        error: describeApiError(error).code,
      });
    }
  }
  return decided.status;
}

/** Step 3: the requester's button opens the secret form, only for an approved, unexpired request. */
export async function openApprovedForm(
  bot: BotContext,
  request: { approvalId: string; userId: string; triggerId: string },
  respond: Respond,
): Promise<string> {
  const approval = await bot.store.getApproval(request.approvalId);
  const refuse = async (text: string, outcome: string) => {
    await respond({ text, response_type: "ephemeral", replace_original: false });
    return outcome;
  };
  if (!approval) {
    await auditUnknownApproval(bot, request.userId, request.approvalId, "press of the form button");
    return refuse(REFUSALS["not-found"] ?? "", "not-found");
  }
  if (approval.requester !== request.userId) {
    await bot.auditor.record({
      ...base(bot, request.userId, approval),
      outcome: "refused",
      reason: `tried to open the form of ${approval.requester}'s approved request; only the requester may`,
    });
    return refuse("Only the person who asked for this rotation can enter the secret.", "not-requester");
  }
  if (approval.revoke) return refuse("This approval is for a revoke: there is no form.", "not-a-rotation");
  if (approval.status !== "approved" || Date.now() > approval.expiresAt) {
    return refuse(
      approval.status === "used"
        ? "This approval was already used for a rotation; run the command again for another."
        : "This approval is no longer valid (expired or not approved); run the command again.",
      "not-approved",
    );
  }
  if (approval.credential === "host-token") return openApprovedTokenForm(bot, approval, request, refuse);
  const metadata: RotateModalMetadata = {
    integrationId: approval.integrationId,
    approvalId: approval.id,
    ...(approval.channelId ? { channelId: approval.channelId } : {}),
  };
  let integration: ScmIntegration;
  try {
    integration = await bot.gitpod.scmIntegrations.get({ id: approval.integrationId });
  } catch (error) {
    return refuse(`Could not read the integration: ${describeApiError(error).text}`, "read-failed");
  }
  const view = integration.oauth?.clientId
    ? rotateFormView(integration, metadata, bot.runnerLabels)
    : messageView(":information_source: This integration has no OAuth app configured.", metadata);
  await bot.slack.views.open({ trigger_id: request.triggerId, view });
  return "form";
}

/** The host token form, for the token the approval names, if it is still a service account's. */
async function openApprovedTokenForm(
  bot: BotContext,
  approval: Approval,
  request: { triggerId: string },
  refuse: (text: string, outcome: string) => Promise<string>,
): Promise<string> {
  let token: HostAuthenticationToken;
  try {
    token = await bot.gitpod.hostAuthenticationTokens.get({ id: approval.tokenId ?? "" });
  } catch (error) {
    return refuse(`Could not read the host token: ${describeApiError(error).text}`, "read-failed");
  }
  if (!isServiceAccountToken(token) || !bot.runnerIds.includes(token.runnerId ?? ""))
    return refuse("This token is no longer a service account's token of the bot's runners.", "not-managed");
  const metadata: RotateModalMetadata = {
    kind: "host-token",
    approvalId: approval.id,
    ...(approval.channelId ? { channelId: approval.channelId } : {}),
  };
  await bot.slack.views.open({
    trigger_id: request.triggerId,
    view: tokenFormView(token, metadata, bot.runnerLabels),
  });
  return "form";
}

/**
 * At submission: with approvals on, a rotation runs only under an approved request for this
 * credential by this person, and uses it up (a second submission is refused).
 */
export async function useApprovalForSubmission(
  bot: BotContext,
  submission: { userId: string; credential: CredentialRef; approvalId?: string },
): Promise<{ ok: true } | { ok: false; reason: string }> {
  if (!submission.approvalId) return { ok: false, reason: "rotations need an approved request first" };
  const approval = await bot.store.getApproval(submission.approvalId);
  if (!approval || approval.revoke || !sameCredential(refOf(approval), submission.credential)) {
    const what = submission.credential.kind === "host-token" ? "token" : "integration";
    return { ok: false, reason: `the approval does not belong to this ${what}` };
  }
  const used = await bot.store.useApproval(approval.id, submission.userId, Date.now());
  if (!used) return { ok: false, reason: "the approval is not valid (already used, expired, or not yours)" };
  return { ok: true };
}
