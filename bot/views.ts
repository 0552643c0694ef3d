/**
 * The rotate modal's views. It opens at once with a loading view (the trigger id expires after
 * three seconds), then is filled in with views.update: the form, a choice, a refusal or a result.
 */

import type { types } from "@slack/bolt";
import type { ScmIntegration } from "../shared/api/schemas.js";
import type { RotationResult } from "../shared/rotation/types.js";
import type { MessageBlock } from "../shared/slack/blocks.js";
import { bold, code, escapeMrkdwn } from "../shared/slack/mrkdwn.js";
import { formatRotationResult } from "../shared/slack/rotation-result.js";
import { sections } from "../shared/slack/split.js";
import { runnerLabel } from "../shared/text/runner-label.js";

export const ROTATE_CALLBACK_ID = "rotate_submit";
export const CLIENT_ID_BLOCK = "client_id";
export const CLIENT_SECRET_BLOCK = "client_secret";
export const INPUT_ACTION = "value";

/** What the modal carries between steps (Slack returns it signed with the submission). */
export interface RotateModalMetadata {
  /** The slash command's response_url, for the final report. */
  responseUrl?: string;
  channelId?: string;
  /** Set once an integration is chosen. */
  integrationId?: string;
  /** The approved four-eyes request the form was opened under. */
  approvalId?: string;
}

export function encodeMetadata(metadata: RotateModalMetadata): string {
  return JSON.stringify(metadata);
}

export function decodeMetadata(raw: string | undefined): RotateModalMetadata {
  try {
    const value: unknown = JSON.parse(raw ?? "{}");
    if (typeof value !== "object" || value === null) return {};
    const record = value as Record<string, unknown>;
    const text = (key: string) => (typeof record[key] === "string" ? (record[key] as string) : undefined);
    const metadata: RotateModalMetadata = {};
    const responseUrl = text("responseUrl");
    const channelId = text("channelId");
    const integrationId = text("integrationId");
    const approvalId = text("approvalId");
    if (approvalId) metadata.approvalId = approvalId;
    if (responseUrl) metadata.responseUrl = responseUrl;
    if (channelId) metadata.channelId = channelId;
    if (integrationId) metadata.integrationId = integrationId;
    return metadata;
  } catch {
    return {};
  }
}

const TITLE: types.PlainTextElement = { type: "plain_text", text: "Rotate OAuth secret" };
const CLOSE: types.PlainTextElement = { type: "plain_text", text: "Close" };

function modal(blocks: (MessageBlock | types.KnownBlock)[], metadata: RotateModalMetadata): types.ModalView {
  return {
    type: "modal",
    title: TITLE,
    close: CLOSE,
    private_metadata: encodeMetadata(metadata),
    blocks: blocks as types.KnownBlock[],
  };
}

export function loadingView(metadata: RotateModalMetadata): types.ModalView {
  return modal(sections(":hourglass_flowing_sand: Looking up the integration…"), metadata);
}

export function messageView(mrkdwn: string, metadata: RotateModalMetadata): types.ModalView {
  return modal(sections(mrkdwn), metadata);
}

export function choiceView(blocks: types.KnownBlock[], metadata: RotateModalMetadata): types.ModalView {
  return modal(blocks, metadata);
}

export function rotateFormView(
  integration: ScmIntegration,
  metadata: RotateModalMetadata,
  runnerLabels: Readonly<Record<string, string>>,
): types.ModalView {
  const clientId = integration.oauth?.clientId ?? "";
  const about = [
    `${bold(integration.host ?? "(no host)")} · ${escapeMrkdwn(integration.scmId ?? "")}`,
    `Runner ${escapeMrkdwn(runnerLabel(integration.runnerId, runnerLabels?.[integration.runnerId]))}`,
    `ID ${code(integration.id)}`,
  ].join("\n");
  const clientIdInput: types.PlainTextInput = {
    type: "plain_text_input",
    action_id: INPUT_ACTION,
    placeholder: { type: "plain_text", text: "The OAuth app's client id" },
    max_length: 255,
  };
  if (clientId) clientIdInput.initial_value = clientId;
  return {
    type: "modal",
    callback_id: ROTATE_CALLBACK_ID,
    title: TITLE,
    submit: { type: "plain_text", text: "Test and rotate" },
    close: { type: "plain_text", text: "Cancel" },
    private_metadata: encodeMetadata({ ...metadata, integrationId: integration.id }),
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: about } },
      {
        type: "input",
        block_id: CLIENT_ID_BLOCK,
        label: { type: "plain_text", text: "OAuth client id" },
        element: clientIdInput,
      },
      {
        type: "input",
        block_id: CLIENT_SECRET_BLOCK,
        label: { type: "plain_text", text: "New client secret" },
        element: {
          type: "plain_text_input",
          action_id: INPUT_ACTION,
          placeholder: { type: "plain_text", text: "Paste the new secret" },
          max_length: 1000,
        },
      },
      {
        type: "context",
        elements: [
          {
            type: "mrkdwn",
            text: "The new secret is tested first; nothing changes if it is refused. It is never shown or logged.",
          },
        ],
      },
    ],
  };
}

export function progressView(metadata: RotateModalMetadata): types.ModalView {
  return modal(sections(":hourglass_flowing_sand: Testing the new credentials, then rotating…"), metadata);
}

export function resultView(
  result: RotationResult,
  metadata: RotateModalMetadata,
  runnerLabels: Readonly<Record<string, string>>,
): types.ModalView {
  return modal(formatRotationResult(result, { runnerLabels }).blocks, metadata);
}
