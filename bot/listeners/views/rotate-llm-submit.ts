/**
 * The LLM API key form was submitted: read the integration fresh (still there, still on the bot's
 * runners, under an approval still at the approved endpoint) and hand it to the path every Slack
 * rotation takes (rotations/slack-rotation.ts) with the LLM key protocol: read, test (skipped: the
 * API has none), update (never retried blind), read back the phase. The key is handed to the
 * protocol and dropped; it is in no message, log or record.
 */
import type { App } from "@slack/bolt";
import { endpointHost, rotateLlmKey } from "../../../shared/rotation/llm-key.js";
import { code } from "../../../shared/slack/mrkdwn.js";
import type { BotContext } from "../../context.js";
import { LLM_KEY_TARGET, llmKeyOf } from "../../rotations/credential.js";
import { readFreshCredential, submissionRefusal } from "../../rotations/fresh-read.js";
import { journaledLlmKeyApi } from "../../rotations/journaled-api.js";
import {
  decodeMetadata,
  INPUT_ACTION,
  LLM_KEY_BLOCK,
  progressView,
  ROTATE_LLM_CALLBACK_ID,
  type RotateModalMetadata,
} from "../../rotations/rotate-form.js";
import { admitSubmission, rotationAuditBase } from "../../rotations/slack-rotation.js";
import { RESTARTING_TEXT } from "../../slack/messages.js";
import { ranAs } from "../log-requests.js";

export function registerRotateLlmSubmission(app: App, bot: BotContext): void {
  app.view(ROTATE_LLM_CALLBACK_ID, async ({ ack, body, view, context }) => {
    const apiKey = (view.state.values[LLM_KEY_BLOCK]?.[INPUT_ACTION]?.value ?? "").trim();
    const metadata = decodeMetadata(view.private_metadata);
    if (bot.lifecycle.draining) {
      // The form stays open with what was typed; nothing was sent anywhere.
      await ack({ response_action: "errors", errors: { [LLM_KEY_BLOCK]: RESTARTING_TEXT } });
      ranAs(context, "rotate-llm", "restarting");
      return;
    }
    const problem = apiKeyProblem(apiKey);
    if (problem) {
      await ack({ response_action: "errors", errors: { [LLM_KEY_BLOCK]: problem } });
      ranAs(context, "rotate-llm", "form-errors");
      return;
    }
    await ack({ response_action: "update", view: progressView(metadata) });
    ranAs(context, "rotate-llm");
    const submission = { userId: body.user.id, viewId: view.id, metadata, apiKey };
    ranAs(context, "rotate-llm", await handleRotateLlmSubmission(bot, submission));
  });
}

/** The form's field error, or undefined. Pure; the text never repeats what was typed. */
function apiKeyProblem(apiKey: string): string | undefined {
  if (!apiKey) return "Paste the provider's new API key.";
  if (/\s/.test(apiKey)) return "An API key has no spaces: check what was pasted.";
  return undefined;
}

interface RotateLlmSubmission {
  userId: string;
  viewId: string;
  metadata: RotateModalMetadata;
  /** The new API key in clear text. */
  apiKey: string;
}

async function handleRotateLlmSubmission(bot: BotContext, submission: RotateLlmSubmission): Promise<string> {
  const { userId, viewId, metadata } = submission;
  const integrationId = metadata.llmIntegrationId ?? "";
  const admitted = await admitSubmission(bot, {
    userId,
    viewId,
    credential: { kind: "llm-key", integrationId },
    ...(metadata.approvalId === undefined ? {} : { approvalId: metadata.approvalId }),
    metadata,
    auditSubject: { integrationId, target: LLM_KEY_TARGET },
  });
  if (!admitted.ok) return admitted.outcome;

  const refuse = submissionRefusal(bot, {
    reporter: admitted.reporter,
    metadata,
    ...(admitted.approvalId === undefined ? {} : { approvalId: admitted.approvalId }),
    audit: {
      ...rotationAuditBase(bot, "llm-key", userId),
      integrationId,
      target: LLM_KEY_TARGET,
    },
  });
  const read = await readFreshCredential(bot, refuse, {
    read: () => bot.gitpod.llmIntegrations.get({ id: integrationId }),
    runnerIdOf: (found) => found.runnerId,
    name: "the LLM integration",
  });
  if (!read.ok) return read.outcome;
  const integration = read.found;
  // Under an approval exactly what was approved runs: a new key for the endpoint the approvers saw.
  const approvedHost = admitted.approval?.host;
  const host = endpointHost(integration.endpoint);
  if (approvedHost !== undefined && approvedHost !== host) {
    await refuse({
      outcome: "refused",
      reason: `Not rotated: the approval is for the LLM endpoint ${approvedHost} and the integration now points at ${host || "no endpoint"}; under an approval only what was approved runs, so the approval is used up. Run rotate-llm again to have the new endpoint approved.`,
      shown: `:no_entry_sign: Not rotated: the approval is for the LLM endpoint ${code(approvedHost)}, and the integration now points at ${code(host || "no endpoint")}. Under an approval only what was approved runs; the approval is used up. Run \`rotate-llm\` again to have the new endpoint approved.`,
    });
    return "endpoint-not-approved";
  }

  return admitted.rotate(llmKeyOf(integration), (journalId) =>
    rotateLlmKey(
      journaledLlmKeyApi(bot.gitpod, bot.store, journalId, Date.now),
      { integrationId, apiKey: submission.apiKey },
      { lock: bot.lock, now: bot.now },
    ),
  );
}
