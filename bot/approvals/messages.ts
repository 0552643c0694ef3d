/** The four-eyes approval's Slack messages. Pure; texts from Gitpod are escaped. */
import type { types } from "@slack/bolt";
import type { ScmIntegration } from "../../shared/api/schemas.js";
import { context, type MessageBlock, section } from "../../shared/slack/blocks.js";
import { code, escapeMrkdwn, fallbackText, userMention } from "../../shared/slack/mrkdwn.js";
import type { Approval } from "../state/store.js";

export const APPROVE_ACTION = "approval_approve";
export const DENY_ACTION = "approval_deny";
export const OPEN_FORM_ACTION = "approval_open_form";

export interface ApprovalMessage {
  text: string;
  blocks: (MessageBlock | types.KnownBlock)[];
}

function subject(integration: Pick<ScmIntegration, "host" | "scmId" | "id">): string {
  return integration.host
    ? `${escapeMrkdwn(integration.host)}${integration.scmId ? ` (${escapeMrkdwn(integration.scmId)})` : ""}`
    : code(integration.id);
}

function utc(at: number): string {
  return `${new Date(at).toISOString().slice(11, 16)} UTC`;
}

/** Posted to the audit channel: who asks, for what, and the two buttons. */
export function approvalRequestMessage(
  approval: Approval,
  integration: Pick<ScmIntegration, "host" | "scmId" | "id" | "runnerId">,
): ApprovalMessage {
  const what = subject(integration);
  const needed = approval.required === 1 ? "one approval" : `${approval.required} approvals`;
  return {
    text: fallbackText(
      `Approval needed: ${approval.requester} wants to rotate the OAuth secret of ${integration.host ?? integration.id}`,
    ),
    blocks: [
      section(
        `:raised_hand: *Approval needed:* ${userMention(approval.requester)} wants to rotate the OAuth secret of *${what}*.\nNeeds ${needed} from someone else; expires at ${utc(approval.expiresAt)}.`,
      ),
      {
        type: "actions",
        elements: [
          {
            type: "button",
            action_id: APPROVE_ACTION,
            style: "primary",
            text: { type: "plain_text", text: "Approve" },
            value: approval.id,
          },
          {
            type: "button",
            action_id: DENY_ACTION,
            style: "danger",
            text: { type: "plain_text", text: "Deny" },
            value: approval.id,
          },
        ],
      },
      context(
        `ID ${code(integration.id)} · runner ${code(integration.runnerId)} · request ${code(approval.id)}`,
      ),
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
      `Your rotation of ${integrationText} was approved; open the form to enter the new secret.`,
    ),
    blocks: [
      section(
        `:ballot_box_with_check: Your rotation of *${escapeMrkdwn(integrationText)}* was approved by ${approvers}. Enter the new secret before ${utc(approval.expiresAt)}.`,
      ),
      {
        type: "actions",
        elements: [
          {
            type: "button",
            action_id: OPEN_FORM_ACTION,
            style: "primary",
            text: { type: "plain_text", text: "Enter the new secret" },
            value: approval.id,
          },
        ],
      },
    ],
  };
}

export function deniedMessage(approval: Approval, integrationText: string, by: string): ApprovalMessage {
  return {
    text: fallbackText(`Your rotation of ${integrationText} was denied by ${by}. Nothing was changed.`),
    blocks: [
      section(
        `:no_entry: Your rotation of *${escapeMrkdwn(integrationText)}* was denied by ${userMention(by)}. Nothing was changed. (request ${code(approval.id)})`,
      ),
    ],
  };
}
