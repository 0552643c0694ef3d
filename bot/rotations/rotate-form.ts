/**
 * The rotate modals' views (an OAuth secret, a service account's host token, an LLM API key). A modal opens at
 * once with a loading view (the trigger id expires after three seconds), then is filled in with
 * views.update: the form, a choice, a refusal or a result.
 */

import type { types } from "@slack/bolt";
import type { HostAuthenticationToken } from "../../shared/api/resources/host-authentication-tokens.wire.js";
import type { LlmIntegration } from "../../shared/api/resources/llm-integrations.wire.js";
import type { ScmIntegration } from "../../shared/api/resources/scm-integrations.wire.js";
import { llmPhaseWords } from "../../shared/credential-upkeep/llm-health.js";
import { endpointHost, llmPhaseWord } from "../../shared/rotation/llm-key.js";
import type { RotationResult } from "../../shared/rotation/types.js";
import type { MessageBlock } from "../../shared/slack/blocks.js";
import { bold, code, escapeMrkdwn } from "../../shared/slack/mrkdwn.js";
import { formatRotationResult } from "../../shared/slack/rotation-result.js";
import { sections } from "../../shared/slack/split.js";
import { runnerLabel } from "../../shared/text/runner-label.js";

export const ROTATE_CALLBACK_ID = "rotate_submit";
export const CLIENT_ID_BLOCK = "client_id";
export const CLIENT_SECRET_BLOCK = "client_secret";
export const INPUT_ACTION = "value";
export const ROTATE_TOKEN_CALLBACK_ID = "rotate_token_submit";
export const HOST_TOKEN_BLOCK = "host_token";
export const TOKEN_EXPIRY_BLOCK = "token_expires";
export const ROTATE_LLM_CALLBACK_ID = "rotate_llm_submit";
export const LLM_KEY_BLOCK = "llm_api_key";

/** The modal kinds besides the OAuth secret's (the default, for metadata from before kinds). */
type ModalKind = "host-token" | "llm-key";

/** What the modal carries between steps (Slack returns it signed with the submission). */
export interface RotateModalMetadata {
  /** The slash command's response_url, for the final report. */
  responseUrl?: string;
  channelId?: string;
  /** Set once an integration is chosen. */
  integrationId?: string;
  /** The approved four-eyes request the form was opened under. */
  approvalId?: string;
  /** Set for a host token's modal (with the token once it is known) and an LLM API key's. */
  kind?: ModalKind;
  tokenId?: string;
  /** The LLM integration, once it is known (an LLM API key's modal). */
  llmIntegrationId?: string;
}

function encodeMetadata(metadata: RotateModalMetadata): string {
  return JSON.stringify(metadata);
}

export function decodeMetadata(raw: string | undefined): RotateModalMetadata {
  try {
    const value: unknown = JSON.parse(raw ?? "{}");
    if (typeof value !== "object" || value === null) return {};
    const record = value as Record<string, unknown>;
    const text = (key: string) => (typeof record[key] === "string" ? (record[key] as string) : undefined);
    const metadata: RotateModalMetadata = {};
    const keys = [
      "responseUrl",
      "channelId",
      "integrationId",
      "approvalId",
      "tokenId",
      "llmIntegrationId",
    ] as const;
    for (const key of keys) {
      const value = text(key);
      if (value) metadata[key] = value;
    }
    const kind = text("kind");
    if (kind === "host-token" || kind === "llm-key") metadata.kind = kind;
    return metadata;
  } catch {
    return {};
  }
}

const CLOSE: types.PlainTextElement = { type: "plain_text", text: "Close" };

/** Per modal kind: its title, what it looks up, what it does once submitted. */
const WORDS: Record<ModalKind | "oauth-secret", { title: string; lookingUp: string; progress: string }> = {
  "oauth-secret": {
    title: "Rotate OAuth secret",
    lookingUp: "the integration",
    progress: "Testing the new credentials, then rotating…",
  },
  "host-token": {
    title: "Rotate host token",
    lookingUp: "the token",
    progress: "Storing the new token, then reading it back…",
  },
  "llm-key": {
    title: "Rotate LLM API key",
    lookingUp: "the LLM integration",
    progress: "Storing the new API key, then reading the integration's phase…",
  },
};

function wordsOf(metadata: RotateModalMetadata) {
  return WORDS[metadata.kind ?? "oauth-secret"];
}

function titleOf(metadata: RotateModalMetadata): types.PlainTextElement {
  return { type: "plain_text", text: wordsOf(metadata).title };
}

function modal(blocks: (MessageBlock | types.KnownBlock)[], metadata: RotateModalMetadata): types.ModalView {
  return {
    type: "modal",
    title: titleOf(metadata),
    close: CLOSE,
    private_metadata: encodeMetadata(metadata),
    blocks: blocks as types.KnownBlock[],
  };
}

export function loadingView(metadata: RotateModalMetadata): types.ModalView {
  return modal(sections(`:hourglass_flowing_sand: Looking up ${wordsOf(metadata).lookingUp}…`), metadata);
}

export function messageView(mrkdwn: string, metadata: RotateModalMetadata): types.ModalView {
  return modal(sections(mrkdwn), metadata);
}

export function choiceView(blocks: types.KnownBlock[], metadata: RotateModalMetadata): types.ModalView {
  return modal(blocks, metadata);
}

/**
 * The OAuth secret form. Under an approval (`approvedClientId`) the client id is shown, not asked:
 * the approvers approved a new secret for that app, and the submission may store no other.
 */
export function rotateFormView(
  integration: ScmIntegration,
  metadata: RotateModalMetadata,
  runnerLabels: Readonly<Record<string, string>>,
  approvedClientId?: string,
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
  return formModal({
    callbackId: ROTATE_CALLBACK_ID,
    metadata: { ...metadata, integrationId: integration.id },
    submit: "Test and rotate",
    about,
    fields: [
      approvedClientId === undefined
        ? {
            type: "input",
            block_id: CLIENT_ID_BLOCK,
            label: { type: "plain_text", text: "OAuth client id" },
            element: clientIdInput,
          }
        : {
            type: "section",
            text: {
              type: "mrkdwn",
              text: `OAuth client id ${code(approvedClientId)}: approved as is, only the secret changes.`,
            },
          },
      secretInput(CLIENT_SECRET_BLOCK, "New client secret", "Paste the new secret", 1000),
    ],
    note: "The new secret is tested first; nothing changes if it is refused. It is never shown or logged.",
  });
}

/** The one field a secret is pasted into: read from the submission, never shown back. */
function secretInput(
  blockId: string,
  label: string,
  placeholder: string,
  maxLength: number,
): types.InputBlock {
  return {
    type: "input",
    block_id: blockId,
    label: { type: "plain_text", text: label },
    element: {
      type: "plain_text_input",
      action_id: INPUT_ACTION,
      placeholder: { type: "plain_text", text: placeholder },
      max_length: maxLength,
    },
  };
}

/**
 * A rotate form: what it is for, its fields, and a note on what happens to the secret. The
 * metadata carries the kind (the title) and what was chosen, for the submission.
 */
function formModal(form: {
  callbackId: string;
  metadata: RotateModalMetadata;
  submit: string;
  about: string;
  fields: types.KnownBlock[];
  note: string;
}): types.ModalView {
  return {
    type: "modal",
    callback_id: form.callbackId,
    title: titleOf(form.metadata),
    submit: { type: "plain_text", text: form.submit },
    close: { type: "plain_text", text: "Cancel" },
    private_metadata: encodeMetadata(form.metadata),
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: form.about } },
      ...form.fields,
      { type: "context", elements: [{ type: "mrkdwn", text: form.note }] },
    ],
  };
}

/**
 * The host token form: the new token (never shown back) and its new expiry. The API cannot test a
 * host token, so the form says so instead of promising a test.
 */
export function tokenFormView(
  token: HostAuthenticationToken,
  metadata: RotateModalMetadata,
  runnerLabels: Readonly<Record<string, string>>,
): types.ModalView {
  const runnerId = token.runnerId ?? "";
  const about = [
    `${bold(token.host ?? "(no host)")} · service account ${code(token.subject?.id ?? "")}`,
    `Runner ${escapeMrkdwn(runnerLabel(runnerId, runnerLabels?.[runnerId]))}`,
    `Token ID ${code(token.id)} · expires ${escapeMrkdwn(token.expiresAt || "never (no expiry stored)")}`,
  ].join("\n");
  return formModal({
    callbackId: ROTATE_TOKEN_CALLBACK_ID,
    metadata: { ...metadata, kind: "host-token", tokenId: token.id },
    submit: "Rotate",
    about,
    fields: [
      secretInput(HOST_TOKEN_BLOCK, "New token", "Paste the service account's new token", 4000),
      {
        type: "input",
        block_id: TOKEN_EXPIRY_BLOCK,
        optional: true,
        label: { type: "plain_text", text: "The new token expires on (UTC)" },
        hint: {
          type: "plain_text",
          text: "Stored as 00:00 UTC of that day, so expiry warnings come early. Leave empty to keep the stored expiry.",
        },
        element: { type: "datepicker", action_id: INPUT_ACTION },
      },
    ],
    note: "The API cannot test a host token before storing it: check that it works at the host first. It is read back after the update; its value is never shown or logged.",
  });
}

/**
 * The LLM API key form: the integration it is for and one empty secret field (never prefilled,
 * never shown back). The API cannot test a key before storing it; the phase is read back after.
 */
export function llmKeyFormView(
  integration: LlmIntegration,
  metadata: RotateModalMetadata,
  runnerLabels: Readonly<Record<string, string>>,
): types.ModalView {
  const phase = llmPhaseWords({
    phase: llmPhaseWord(integration.phase),
    ...(integration.phaseReason ? { phaseReason: integration.phaseReason } : {}),
  });
  const about = [
    `LLM ${bold(endpointHost(integration.endpoint) || "(no endpoint)")} · ${escapeMrkdwn(phase)}`,
    `Runner ${escapeMrkdwn(runnerLabel(integration.runnerId, runnerLabels?.[integration.runnerId]))}`,
    `LLM integration ID ${code(integration.id)}`,
  ].join("\n");
  return formModal({
    callbackId: ROTATE_LLM_CALLBACK_ID,
    metadata: { ...metadata, kind: "llm-key", llmIntegrationId: integration.id },
    submit: "Rotate",
    about,
    fields: [secretInput(LLM_KEY_BLOCK, "New API key", "Paste the provider's new API key", 4000)],
    note: "The API cannot test an API key before storing it: the integration's phase is read back after the update. The key is stored encrypted; it is never shown or logged. Request headers are not changed here.",
  });
}

export function progressView(metadata: RotateModalMetadata): types.ModalView {
  return modal(sections(`:hourglass_flowing_sand: ${wordsOf(metadata).progress}`), metadata);
}

export function resultView(
  result: RotationResult,
  metadata: RotateModalMetadata,
  runnerLabels: Readonly<Record<string, string>>,
): types.ModalView {
  return modal(formatRotationResult(result, { runnerLabels }).blocks, metadata);
}
