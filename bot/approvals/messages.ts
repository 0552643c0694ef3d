/** The four-eyes approval's Slack messages. Pure; texts from Gitpod are escaped. */
import type { types } from "@slack/bolt";
import { context, type MessageBlock, section } from "../../shared/slack/blocks.js";
import { code, escapeMrkdwn, fallbackText, userMention } from "../../shared/slack/mrkdwn.js";
import { credentialText, type RotatedCredential } from "../rotations/credential.js";
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
  if (credential.kind === "host-token") return `*${escapeMrkdwn(credentialText(credential))}*`;
  const what = credential.host
    ? `${escapeMrkdwn(credential.host)}${credential.scmId ? ` (${escapeMrkdwn(credential.scmId)})` : ""}`
    : code(credential.integrationId);
  return `the OAuth secret of *${what}*`;
}

function plainSubject(credential: RotatedCredential): string {
  return credential.kind === "host-token"
    ? credentialText(credential)
    : `the OAuth secret of ${credentialText(credential)}`;
}

/** The words for what is typed into the form once approved. */
function newValue(approval: Pick<Approval, "credential">): string {
  return approval.credential === "host-token" ? "the new token" : "the new secret";
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

/** Posted to the audit channel: who asks, for what, and the two buttons. */
export function approvalRequestMessage(approval: Approval, credential: RotatedCredential): ApprovalMessage {
  const needed = approval.required === 1 ? "one approval" : `${approval.required} approvals`;
  const ids =
    credential.kind === "host-token"
      ? `token ID ${code(credential.tokenId)}`
      : `ID ${code(credential.integrationId)}`;
  // The OAuth app is part of what is approved: the form is locked to this client id.
  const app =
    credential.kind === "oauth-secret" && credential.clientId
      ? `\nOAuth client id ${code(credential.clientId)} (kept: only the secret changes).`
      : "";
  return {
    text: fallbackText(`Approval needed: ${approval.requester} wants to rotate ${plainSubject(credential)}`),
    blocks: [
      section(
        `:raised_hand: *Approval needed:* ${userMention(approval.requester)} wants to rotate ${subject(credential)}.${app}\nNeeds ${needed} from someone else; expires at ${utc(approval.expiresAt)}.`,
      ),
      approvalButtons(approval.id),
      context(`${ids} · runner ${code(credential.runnerId)} · request ${code(approval.id)}`),
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
      `Your rotation of ${integrationText} was approved; open the form to enter ${newValue(approval)}.`,
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
              text: approval.credential === "host-token" ? "Enter the new token" : "Enter the new secret",
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
  return {
    text: fallbackText(`Your ${request.verb} of ${request.of} was denied by ${by}. Nothing was changed.`),
    blocks: [
      section(
        `:no_entry: Your ${request.verb} of *${escapeMrkdwn(request.of)}* was denied by ${userMention(by)}. Nothing was changed. (request ${code(approval.id)})`,
      ),
    ],
  };
}
