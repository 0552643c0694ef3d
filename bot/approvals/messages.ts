/**
 * The four-eyes approval's Slack messages. Pure; texts from Gitpod and people's reasons are escaped
 * (mrkdwn in blocks, fallbackText in `text`).
 */
import type { types } from "@slack/bolt";
import { context, type MessageBlock, section } from "../../shared/slack/blocks.js";
import { code, escapeMrkdwn, fallbackText, userMention } from "../../shared/slack/mrkdwn.js";
import {
  credentialOfApproval,
  credentialText,
  newValueWord,
  type RotatedCredential,
} from "../rotations/credential.js";
import type { Approval } from "../state/store.js";

export const APPROVE_ACTION = "approval_approve";
export const DENY_ACTION = "approval_deny";
export const OPEN_FORM_ACTION = "approval_open_form";

export interface ApprovalMessage {
  text: string;
  blocks: (MessageBlock | types.KnownBlock)[];
}

/** "the OAuth secret of *github.com (github)*", "*the github.com token of service account …*". */
function subject(credential: RotatedCredential): string {
  if (credential.kind !== "oauth-secret") return `*${escapeMrkdwn(credentialText(credential))}*`;
  const what = credential.host
    ? `${escapeMrkdwn(credential.host)}${credential.scmId ? ` (${escapeMrkdwn(credential.scmId)})` : ""}`
    : code(credential.integrationId);
  return `the OAuth secret of *${what}*`;
}

function plainSubject(credential: RotatedCredential): string {
  return credential.kind === "oauth-secret"
    ? `the OAuth secret of ${credentialText(credential)}`
    : credentialText(credential);
}

/** The words for what is typed into the form once approved. */
function newValue(approval: Pick<Approval, "credential">): string {
  return `the new ${newValueWord(approval.credential ?? "oauth-secret")}`;
}

export function utc(at: number): string {
  return `${new Date(at).toISOString().slice(11, 16)} UTC`;
}

/** The Approve and Deny buttons under every approval request, rotation or revocation. */
export function approvalButtons(approvalId: string): types.ActionsBlock {
  const button = (action_id: string, style: "primary" | "danger", text: string) => ({
    type: "button" as const,
    action_id,
    style,
    text: { type: "plain_text" as const, text },
    value: approvalId,
  });
  return {
    type: "actions",
    elements: [button(APPROVE_ACTION, "primary", "Approve"), button(DENY_ACTION, "danger", "Deny")],
  };
}

/** A person's words as a mrkdwn quote: escaped, every line quoted (a newline cannot end the quote). */
function quoted(words: string): string {
  return escapeMrkdwn(words)
    .split("\n")
    .map((line) => `>${line}`)
    .join("\n");
}

/** What a request asks for: the opening line (mrkdwn), the same in plain words, and its ids line. */
function requestWords(approval: Approval): { mrkdwn: string; plain: string; ids: string; app?: string } {
  if (approval.revoke) {
    const { host, selector, ids } = approval.revoke;
    const what = `${ids.length} host authentication token${ids.length === 1 ? "" : "s"}`;
    return {
      mrkdwn: `revoke ${what} for ${code(host)} (${escapeMrkdwn(selector)})`,
      plain: `revoke ${what} for ${host} (${selector})`,
      ids: `request ${code(approval.id)}`,
    };
  }
  const credential = credentialOfApproval(approval);
  const ids =
    credential.kind === "host-token"
      ? `token ID ${code(credential.tokenId)}`
      : credential.kind === "llm-key"
        ? `LLM integration ID ${code(credential.integrationId)}`
        : `ID ${code(credential.integrationId)}`;
  const runner = credential.runnerId ? ` · runner ${code(credential.runnerId)}` : "";
  // The OAuth app is part of what is approved: the form is locked to this client id.
  const app =
    credential.kind === "oauth-secret" && credential.clientId
      ? `\nOAuth client id ${code(credential.clientId)} (kept: only the secret changes).`
      : "";
  return {
    mrkdwn: `rotate ${subject(credential)}`,
    app,
    plain: `rotate ${plainSubject(credential)}`,
    ids: `${ids}${runner} · request ${code(approval.id)}`,
  };
}

function mentions(users: readonly string[]): string {
  return users.map(userMention).join(", ");
}

function approversOf(approval: Approval): string[] {
  return approval.votes.filter((vote) => vote.decision === "approve").map((vote) => vote.approver);
}

/** Where a request stands, in mrkdwn: the votes so far and the decision. */
function standing(approval: Approval): string {
  const approvedBy = approversOf(approval);
  const count = `${approvedBy.length} of ${approval.required}`;
  const denial = approval.votes.find((vote) => vote.decision === "deny");
  switch (approval.status) {
    case "pending": {
      const needed = approval.required === 1 ? "one approval" : `${approval.required} approvals`;
      const so = approvedBy.length > 0 ? ` Approved so far by ${mentions(approvedBy)} (${count}).` : "";
      return `Needs ${needed} from someone else; expires at ${utc(approval.expiresAt)}.${so}`;
    }
    case "approved":
    case "used":
      return `:white_check_mark: *Approved* by ${mentions(approvedBy)} (${count})${approval.decidedAt ? ` at ${utc(approval.decidedAt)}` : ""}.`;
    case "denied":
      return `:no_entry: *Denied* by ${userMention(denial?.approver ?? "")}${approval.decidedAt ? ` at ${utc(approval.decidedAt)}` : ""}.${denial?.reason ? `\n${quoted(denial.reason)}` : ""}`;
    case "expired":
      return `:alarm_clock: *Expired* at ${utc(approval.expiresAt)} with ${count} approvals${approvedBy.length > 0 ? ` (${mentions(approvedBy)})` : ""}; nothing was done.`;
  }
}

/**
 * The request as the audit channel and each approver's DM show it: who asks, for what, why, where
 * it stands, and Approve/Deny while it is pending. Redrawn from the stored approval on every vote
 * and at the end (chat.update), so any replica draws the same message.
 */
export function approvalRequestMessage(
  approval: Approval,
  audience: "channel" | "dm" = "channel",
): ApprovalMessage {
  const words = requestWords(approval);
  const lead =
    approval.status === "pending"
      ? ":raised_hand: *Approval needed:*"
      : ":ballot_box_with_check: *Approval request:*";
  const blocks: ApprovalMessage["blocks"] = [
    section(`${lead} ${userMention(approval.requester)} wants to ${words.mrkdwn}.${words.app ?? ""}`),
  ];
  if (approval.reason) blocks.push(section(`*Reason:*\n${quoted(approval.reason)}`));
  blocks.push(section(standing(approval)));
  if (approval.status === "pending") blocks.push(approvalButtons(approval.id));
  const where = audience === "dm" ? "You are asked as one of the approvers. " : "";
  blocks.push(context(`${where}${words.ids}`));
  const reason = approval.reason ? ` Reason: ${approval.reason}` : "";
  const state =
    approval.status === "pending" ? "Approval needed" : `Approval request ${statusWord(approval)}`;
  return {
    text: fallbackText(`${state}: ${approval.requester} wants to ${words.plain}.${reason}`),
    blocks,
  };
}

function statusWord(approval: Approval): string {
  return approval.status === "used" ? "approved" : approval.status;
}

/** The requester's DM once the request expired undecided. */
export function expiredMessage(approval: Approval): ApprovalMessage {
  const words = requestWords(approval);
  const count = `${approversOf(approval).length} of ${approval.required}`;
  return {
    text: fallbackText(
      `Your request to ${words.plain} expired at ${utc(approval.expiresAt)} with ${count} approvals. Nothing was changed; run the command again if it is still needed.`,
    ),
    blocks: [
      section(
        `:alarm_clock: Your request to ${words.mrkdwn} expired at ${utc(approval.expiresAt)} with ${count} approvals. Nothing was changed; run the command again if it is still needed.`,
      ),
      context(words.ids),
    ],
  };
}

/** Told to the requester once approved: the only way to the secret form. */
export function approvedMessage(approval: Approval, integrationText: string): ApprovalMessage {
  const approvers = approval.votes
    .filter((vote) => vote.decision === "approve")
    .map((vote) => userMention(vote.approver))
    .join(", ");
  return {
    text: fallbackText(
      `Your rotation of ${integrationText} was approved by ${approval.votes
        .filter((vote) => vote.decision === "approve")
        .map((vote) => vote.approver)
        .join(", ")}; open the form to enter ${newValue(approval)}.`,
    ),
    blocks: [
      section(
        `:ballot_box_with_check: Your rotation of *${escapeMrkdwn(integrationText)}* was approved by ${approvers}. Enter ${newValue(approval)} before ${utc(approval.expiresAt)}.`,
      ),
      {
        type: "actions",
        elements: [
          {
            type: "button",
            action_id: OPEN_FORM_ACTION,
            style: "primary",
            text: {
              type: "plain_text",
              text: `Enter ${newValue(approval)}`,
            },
            value: approval.id,
          },
        ],
      },
    ],
  };
}

/** `request`: what was asked, e.g. `{ verb: "rotation", of: "github.com" }`. */
export function deniedMessage(
  approval: Approval,
  request: { verb: "rotation" | "revoke"; of: string },
  by: string,
): ApprovalMessage {
  const reason = approval.votes.find((vote) => vote.approver === by && vote.decision === "deny")?.reason;
  return {
    text: fallbackText(
      `Your ${request.verb} of ${request.of} was denied by ${by}. Nothing was changed.${reason ? ` Reason: ${reason}` : ""}`,
    ),
    blocks: [
      section(
        `:no_entry: Your ${request.verb} of *${escapeMrkdwn(request.of)}* was denied by ${userMention(by)}. Nothing was changed. (request ${code(approval.id)})`,
      ),
      ...(reason ? [section(`*Reason:*\n${quoted(reason)}`)] : []),
    ],
  };
}
