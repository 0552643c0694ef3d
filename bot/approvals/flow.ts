/**
 * Four-eyes approval of a rotation (SLACK_ROTATE_APPROVALS_REQUIRED > 0):
 * 1. `rotate` asks the requester why (a modal), then posts the request with Approve/Deny to the
 *    audit channel and to each approver by direct message (no secret form yet);
 * 2. approvers vote (a Deny asks why); the requester cannot, nor can anyone outside
 *    SLACK_ROTATE_APPROVERS; each vote is a reply under the request, whose post and DMs are
 *    redrawn in place; the requester is told the outcome by direct message;
 * 3. once approved the requester gets a button that opens the secret form; the secret is typed
 *    only then and never stored; the approval is used up by the submission; it expires after
 *    SLACK_ROTATE_APPROVAL_TTL_MS (30 min by default), found by a sweep on every replica.
 * Every step goes into the history, and votes and expiries into the audit channel.
 */
import { randomUUID } from "node:crypto";
import { describeApiError } from "../../shared/api/error-in-words.js";
import { isServiceAccountToken } from "../../shared/api/matching.js";
import type { HostAuthenticationToken } from "../../shared/api/resources/host-authentication-tokens.wire.js";
import type { LlmIntegration } from "../../shared/api/resources/llm-integrations.wire.js";
import type { ScmIntegration } from "../../shared/api/resources/scm-integrations.wire.js";
import { escapeMrkdwn, userMention } from "../../shared/slack/mrkdwn.js";
import type { BotContext } from "../context.js";
import { runApprovedRevoke } from "../revoke/approval.js";
import {
  auditFieldsOf,
  type CredentialRef,
  credentialColumns,
  credentialOfApproval,
  credentialText,
  newValueWord,
  type RotatedCredential,
  refOf,
  sameCredential,
} from "../rotations/credential.js";
import {
  llmKeyFormView,
  messageView,
  type RotateModalMetadata,
  rotateFormView,
  tokenFormView,
} from "../rotations/rotate-form.js";
import type { Respond } from "../slack/deliver.js";
import type { Approval, DecisionResult } from "../state/store.js";
import { approvalRequestMessage, approvedMessage, deniedMessage, expiredMessage } from "./messages.js";
import { announceRequest, redrawRequest, requestPost, tellRequester } from "./notify.js";
import { denyReasonView } from "./views.js";

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

/**
 * Step 1: instead of the form, an approval request with the requester's reason (asked in a modal
 * first, or given to the Workflow Builder step). `channelId`: where the requester asked, for the
 * notices there; "" when there is no such channel (a workflow step: the DMs are the notices).
 * Returns the stored request and the text the modal shows.
 */
export async function requestApproval(
  bot: BotContext,
  request: { userId: string; channelId: string; credential: RotatedCredential; reason: string },
): Promise<{ approval: Approval; text: string }> {
  const { credential } = request;
  const {
    credential: kind,
    integrationId,
    tokenId,
    subjectId,
    host,
    runnerId,
    scmId,
  } = credentialColumns(credential);
  const now = Date.now();
  const approval: Approval = {
    id: randomUUID(),
    credential: kind,
    integrationId,
    ...(tokenId ? { tokenId } : {}),
    ...(subjectId ? { subjectId } : {}),
    ...(host ? { host } : {}),
    ...(runnerId ? { runnerId } : {}),
    ...(scmId ? { scmId } : {}),
    // What the approvers see and approve: the rotation may store no other OAuth app.
    ...(credential.kind === "oauth-secret" && credential.clientId ? { clientId: credential.clientId } : {}),
    requester: request.userId,
    reason: request.reason,
    required: bot.config.approvals.required,
    status: "pending",
    createdAt: now,
    expiresAt: now + bot.config.approvals.ttlMs,
    votes: [],
  };
  await bot.store.createApproval(approval);
  // The history first: the request exists from here on, whatever Slack does with the messages.
  await bot.auditor.remember({
    ...base(bot, request.userId, approval),
    outcome: "requested",
    reason: `Reason: ${request.reason}`,
  });
  await announceRequest(
    bot,
    approval,
    { channel: approvalRequestMessage(approval, "channel"), dm: approvalRequestMessage(approval, "dm") },
    request.channelId,
  );
  const value = newValueWord(credential.kind);
  return {
    approval,
    text: `:raised_hand: Rotating ${escapeMrkdwn(credentialText(credential))} needs approval by someone else. The request is in the audit channel and with each approver; once it is approved you will get a button (in the channel where you asked and in a direct message) to enter the new ${value} (nothing to type until then).`,
  };
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

/** Someone outside the approvers (or the requester) pressed a button: told, and audited. */
async function refuseVoter(
  bot: BotContext,
  approval: Approval,
  voter: { userId: string; reason: string },
  respond: Respond,
): Promise<string> {
  await respond({
    text: `:lock: Not recorded: ${voter.reason}.`,
    response_type: "ephemeral",
    replace_original: false,
  });
  const refusal = { ...base(bot, voter.userId, approval), outcome: "refused" as const, reason: voter.reason };
  // A revoke deletes at once when approved: a refused vote on it goes to the audit channel too.
  if (approval.revoke) {
    const thread = await requestPost(bot, approval);
    await bot.auditor.record(refusal, thread ? { threadTs: thread.ts } : {});
  } else await bot.auditor.remember(refusal);
  return "refused";
}

/**
 * A Deny asks why: the modal opens only for someone who could deny this request now (others are
 * told why not, as a vote would tell them); the vote itself happens on the modal's submission.
 */
export async function openDenyForm(
  bot: BotContext,
  press: { approvalId: string; userId: string; triggerId: string },
  respond: Respond,
): Promise<string> {
  const refuse = async (reason: string) => {
    await respond({ text: REFUSALS[reason] ?? reason, response_type: "ephemeral", replace_original: false });
    return reason;
  };
  const approval = await bot.store.getApproval(press.approvalId);
  if (!approval) return refuse("not-found");
  const may = await bot.approvers.canApprove(press.userId, approval.requester);
  if (!may.allowed) return refuseVoter(bot, approval, { userId: press.userId, reason: may.reason }, respond);
  if (approval.status === "expired") return refuse("expired");
  if (approval.status !== "pending") return refuse("not-pending");
  // Past its expiry: the vote path (or the sweep) closes it; the form would only be refused.
  if (Date.now() > approval.expiresAt) return decideApproval(bot, { ...press, decision: "deny" }, respond);
  if (approval.votes.some((vote) => vote.approver === press.userId)) return refuse("already-voted");
  const { verb, of } = requested(approval);
  const what = `${verb === "rotation" ? "rotate" : "revoke"} *${escapeMrkdwn(of)}* by ${userMention(approval.requester)}`;
  await bot.slack.views.open({ trigger_id: press.triggerId, view: denyReasonView(approval.id, what) });
  return "deny-form";
}

/** Step 2: a vote from the buttons in the audit channel or an approver's DM (a Deny with its reason). */
export async function decideApproval(
  bot: BotContext,
  vote: { approvalId: string; userId: string; decision: "approve" | "deny"; reason?: string },
  respond: Respond,
): Promise<string> {
  const approval = await bot.store.getApproval(vote.approvalId);
  if (!approval) {
    await respond({ text: REFUSALS["not-found"] ?? "", response_type: "ephemeral", replace_original: false });
    await auditUnknownApproval(bot, vote.userId, vote.approvalId, `${vote.decision} vote`);
    return "not-found";
  }
  const may = await bot.approvers.canApprove(vote.userId, approval.requester);
  if (!may.allowed) return refuseVoter(bot, approval, { userId: vote.userId, reason: may.reason }, respond);
  let result: DecisionResult;
  try {
    result = await bot.store.decideApproval({
      id: approval.id,
      approver: vote.userId,
      decision: vote.decision,
      now: Date.now(),
      ...(vote.reason ? { reason: vote.reason } : {}),
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
    // Closed by the expiry sweep before this vote: say so rather than "already decided".
    const refusal =
      result.reason === "not-pending" && result.approval?.status === "expired" ? "expired" : result.reason;
    await respond({
      text: REFUSALS[refusal] ?? refusal,
      response_type: "ephemeral",
      replace_original: false,
    });
    // "expired": this vote found it past its expiry and closed it (so it runs once).
    if (result.reason === "expired") {
      await closeExpired(bot, result.approval ?? approval, {
        actor: vote.userId,
        reason: `An approver answered after the request had expired; ${nothingDone(approval)}.`,
      });
    }
    return result.reason;
  }
  const decided = result.approval;
  const approvals = decided.votes.filter((entry) => entry.decision === "approve").length;
  const thread = await requestPost(bot, decided);
  await bot.auditor.record(
    {
      ...base(bot, vote.userId, decided),
      outcome: vote.decision === "deny" ? "denied" : "approved",
      reason:
        vote.decision === "deny"
          ? `The request was denied${vote.reason ? `: "${vote.reason}"` : ""}; ${nothingDone(decided)}.`
          : decided.status === "approved"
            ? decided.revoke
              ? `Approved (${approvals} of ${decided.required}); the tokens are deleted now.`
              : `Approved (${approvals} of ${decided.required}); the requester may now enter the new ${newValueWord(decided.credential ?? "oauth-secret")}.`
            : `${approvals} of ${decided.required} approvals so far.`,
    },
    thread ? { threadTs: thread.ts } : {},
  );
  await respond({ text: "Recorded, thank you.", response_type: "ephemeral", replace_original: false });
  await redrawRequest(bot, decided);
  if (decided.status === "approved" && decided.revoke) {
    return `approved: ${await runApprovedRevoke(bot, decided)}`;
  }
  if (decided.status === "approved" || decided.status === "denied") {
    const message =
      decided.status === "approved"
        ? approvedMessage(decided, integrationText(decided))
        : deniedMessage(decided, requested(decided), vote.userId);
    await tellRequester(bot, decided, message);
    // A request from a workflow step was asked in no channel: the requester's DM is the notice.
    if (decided.channelId === "") return decided.status;
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

/**
 * A request that has just expired (this process changed its status, so this runs once): the audit
 * record as a reply under the request, the posts redrawn without buttons, the requester told.
 * `actor`: the approver whose late vote found it expired, or "schedule" for the sweep.
 */
async function closeExpired(bot: BotContext, approval: Approval, by: { actor: string; reason: string }) {
  const expired: Approval = { ...approval, status: "expired" };
  const thread = await requestPost(bot, expired);
  await bot.auditor.record(
    {
      ...base(bot, by.actor, expired),
      ...(by.actor === "schedule" ? { source: "schedule" } : {}),
      outcome: "expired",
      reason: by.reason,
    },
    thread ? { threadTs: thread.ts } : {},
  );
  await redrawRequest(bot, expired);
  await tellRequester(bot, expired, expiredMessage(expired));
}

/**
 * Every replica runs this on a timer: pending requests past their expiry are closed, each by the
 * one replica whose store update changed its status. Returns how many this call closed.
 */
export async function sweepExpiredApprovals(bot: BotContext): Promise<number> {
  const expired = await bot.store.expirePendingApprovals(Date.now());
  for (const approval of expired) {
    const approvals = approval.votes.filter((vote) => vote.decision === "approve").length;
    await closeExpired(bot, approval, {
      actor: "schedule",
      reason: `The request expired undecided (${approvals} of ${approval.required} approvals); ${nothingDone(approval)}.`,
    });
  }
  return expired.length;
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
  if (approval.credential === "llm-key") return openApprovedLlmKeyForm(bot, approval, request, refuse);
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
    ? rotateFormView(integration, metadata, bot.runnerLabels, approvedClientId(approval, integration))
    : messageView(":information_source: This integration has no OAuth app configured.", metadata);
  await bot.slack.views.open({ trigger_id: request.triggerId, view });
  return "form";
}

/**
 * The OAuth app an approved rotation stores: the one the approvers saw, or for a request from
 * before the bot kept it, the one the integration has (the rotation then keeps its app).
 */
export function approvedClientId(approval: Approval, integration: ScmIntegration): string {
  return approval.clientId ?? integration.oauth?.clientId ?? "";
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

/** The LLM API key form, for the integration the approval names, if it is still on the bot's runners. */
async function openApprovedLlmKeyForm(
  bot: BotContext,
  approval: Approval,
  request: { triggerId: string },
  refuse: (text: string, outcome: string) => Promise<string>,
): Promise<string> {
  let integration: LlmIntegration;
  try {
    integration = await bot.gitpod.llmIntegrations.get({ id: approval.integrationId });
  } catch (error) {
    return refuse(`Could not read the LLM integration: ${describeApiError(error).text}`, "read-failed");
  }
  if (!bot.runnerIds.includes(integration.runnerId))
    return refuse("This LLM integration no longer belongs to the bot's runners.", "not-managed");
  const metadata: RotateModalMetadata = {
    kind: "llm-key",
    approvalId: approval.id,
    ...(approval.channelId ? { channelId: approval.channelId } : {}),
  };
  await bot.slack.views.open({
    trigger_id: request.triggerId,
    view: llmKeyFormView(integration, metadata, bot.runnerLabels),
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
): Promise<{ ok: true; approval: Approval } | { ok: false; reason: string }> {
  if (!submission.approvalId) return { ok: false, reason: "rotations need an approved request first" };
  const approval = await bot.store.getApproval(submission.approvalId);
  if (!approval || approval.revoke || !sameCredential(refOf(approval), submission.credential)) {
    const what =
      submission.credential.kind === "host-token"
        ? "token"
        : submission.credential.kind === "llm-key"
          ? "LLM integration"
          : "integration";
    return { ok: false, reason: `the approval does not belong to this ${what}` };
  }
  const used = await bot.store.useApproval(approval.id, submission.userId, Date.now());
  if (!used) return { ok: false, reason: "the approval is not valid (already used, expired, or not yours)" };
  return { ok: true, approval };
}
