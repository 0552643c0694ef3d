/**
 * The approval modals: the requester's reason (before a request is posted) and a denier's reason.
 * Pure. The reason is shown to the approvers and kept in the history, so it must not be a secret:
 * the submission refuses words that look like one (listeners/views/approval-submit.ts).
 */
import type { types } from "@slack/bolt";
import { code, escapeMrkdwn } from "../../shared/slack/mrkdwn.js";
import {
  type CredentialRef,
  credentialText,
  newValueWord,
  type RotatedCredential,
} from "../rotations/credential.js";

export const REQUEST_CALLBACK_ID = "approval_request_submit";
export const DENY_CALLBACK_ID = "approval_deny_submit";
export const REASON_BLOCK = "reason";
export const REASON_ACTION = "value";
/** Long enough for a sentence or two and a ticket link; short enough for every message it goes into. */
export const REASON_MAX_LENGTH = 500;

/** What the reason modal carries to its submission (Slack returns it with the submission). */
export interface ApprovalRequestMetadata {
  channelId: string;
  credential: CredentialRef;
}

export function decodeRequestMetadata(raw: string | undefined): ApprovalRequestMetadata | undefined {
  try {
    const value = JSON.parse(raw ?? "") as Partial<ApprovalRequestMetadata>;
    const channelId = typeof value.channelId === "string" ? value.channelId : "";
    const credential = value.credential;
    if (credential?.kind === "oauth-secret" && typeof credential.integrationId === "string")
      return { channelId, credential: { kind: "oauth-secret", integrationId: credential.integrationId } };
    if (credential?.kind === "host-token" && typeof credential.tokenId === "string")
      return { channelId, credential: { kind: "host-token", tokenId: credential.tokenId } };
    if (credential?.kind === "llm-key" && typeof credential.integrationId === "string")
      return { channelId, credential: { kind: "llm-key", integrationId: credential.integrationId } };
    return undefined;
  } catch {
    return undefined;
  }
}

function reasonInput(label: string, placeholder: string): types.InputBlock {
  return {
    type: "input",
    block_id: REASON_BLOCK,
    label: { type: "plain_text", text: label },
    element: {
      type: "plain_text_input",
      action_id: REASON_ACTION,
      multiline: true,
      min_length: 3,
      max_length: REASON_MAX_LENGTH,
      placeholder: { type: "plain_text", text: placeholder },
    },
  };
}

/** Under four-eyes approval the rotate commands open this instead of the secret form. */
export function requestReasonView(
  credential: RotatedCredential,
  metadata: { channelId: string },
  required: number,
): types.ModalView {
  const needed = required === 1 ? "one approval" : `${required} approvals`;
  const value = newValueWord(credential.kind);
  const what =
    credential.kind === "host-token"
      ? `*${escapeMrkdwn(credentialText(credential))}* (token ID ${code(credential.tokenId)})`
      : credential.kind === "llm-key"
        ? `*${escapeMrkdwn(credentialText(credential))}* (LLM integration ID ${code(credential.integrationId)})`
        : `the OAuth secret of *${escapeMrkdwn(credentialText(credential))}* (ID ${code(credential.integrationId)})`;
  const carried: ApprovalRequestMetadata = {
    channelId: metadata.channelId,
    credential:
      credential.kind === "host-token"
        ? { kind: "host-token", tokenId: credential.tokenId }
        : { kind: credential.kind, integrationId: credential.integrationId },
  };
  return {
    type: "modal",
    callback_id: REQUEST_CALLBACK_ID,
    title: { type: "plain_text", text: "Ask for approval" },
    submit: { type: "plain_text", text: "Ask for approval" },
    close: { type: "plain_text", text: "Cancel" },
    private_metadata: JSON.stringify(carried),
    blocks: [
      {
        type: "section",
        text: {
          type: "mrkdwn",
          text: `:raised_hand: Rotating ${what} needs ${needed} from someone else. The approvers get your request and your reason in a direct message; once it is approved you get a button to enter the new ${value}.`,
        },
      },
      reasonInput("Why rotate it now?", "e.g. the secret was shown in a screen share; ticket SEC-123"),
      {
        type: "context",
        elements: [
          {
            type: "mrkdwn",
            text: "The approvers, the audit channel and the history see this reason. Never paste a secret here.",
          },
        ],
      },
    ],
  };
}

/** A Deny asks why; the requester and the audit channel see the answer. */
export function denyReasonView(approvalId: string, what: string): types.ModalView {
  return {
    type: "modal",
    callback_id: DENY_CALLBACK_ID,
    title: { type: "plain_text", text: "Deny the request" },
    submit: { type: "plain_text", text: "Deny" },
    close: { type: "plain_text", text: "Cancel" },
    private_metadata: JSON.stringify({ approvalId }),
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: `:no_entry: Deny the request to ${what}?` } },
      reasonInput("Why deny it?", "e.g. not during the release freeze; use the scheduled rotation"),
    ],
  };
}

export function decodeDenyMetadata(raw: string | undefined): string | undefined {
  try {
    const value = JSON.parse(raw ?? "") as { approvalId?: unknown };
    return typeof value.approvalId === "string" ? value.approvalId : undefined;
  } catch {
    return undefined;
  }
}

/** A modal that only says something (after a submission). */
export function noticeView(title: string, mrkdwn: string): types.ModalView {
  return {
    type: "modal",
    title: { type: "plain_text", text: title },
    close: { type: "plain_text", text: "Close" },
    blocks: [{ type: "section", text: { type: "mrkdwn", text: mrkdwn } }],
  };
}
