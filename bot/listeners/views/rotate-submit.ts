/**
 * The rotate form was submitted: read the integration fresh and hand it to the path every Slack
 * rotation takes (rotations/slack-rotation.ts) with the OAuth secret protocol. The secret is read
 * from the submission, handed to the protocol and dropped; it is in no message, log or record.
 */
import type { App } from "@slack/bolt";
import { describeApiError } from "../../../shared/api/error-in-words.js";
import type { ScmIntegration } from "../../../shared/api/resources/scm-integrations.wire.js";
import { rotateScmCredentials } from "../../../shared/rotation/protocol.js";
import { code, escapeMrkdwn } from "../../../shared/slack/mrkdwn.js";
import { approvedClientId } from "../../approvals/flow.js";
import type { BotContext } from "../../context.js";
import { resolveTarget } from "../../gitpod/reads.js";
import { auditFieldsOf, oauthSecretOf } from "../../rotations/credential.js";
import { submissionRefusal } from "../../rotations/fresh-read.js";
import { journaledApi } from "../../rotations/journaled-api.js";
import {
  CLIENT_ID_BLOCK,
  CLIENT_SECRET_BLOCK,
  decodeMetadata,
  INPUT_ACTION,
  progressView,
  ROTATE_CALLBACK_ID,
  type RotateModalMetadata,
} from "../../rotations/rotate-form.js";
import { admitSubmission, rotationAuditBase } from "../../rotations/slack-rotation.js";
import { RESTARTING_TEXT } from "../../slack/messages.js";
import { ranAs } from "../log-requests.js";

export function registerRotateSubmission(app: App, bot: BotContext): void {
  app.view(ROTATE_CALLBACK_ID, async ({ ack, body, view, context }) => {
    const values = view.state.values;
    const clientId = (values[CLIENT_ID_BLOCK]?.[INPUT_ACTION]?.value ?? "").trim();
    const clientSecret = (values[CLIENT_SECRET_BLOCK]?.[INPUT_ACTION]?.value ?? "").trim();
    const metadata = decodeMetadata(view.private_metadata);
    if (bot.lifecycle.draining) {
      // The form stays open with what was typed; nothing was sent anywhere.
      await ack({ response_action: "errors", errors: { [CLIENT_SECRET_BLOCK]: RESTARTING_TEXT } });
      ranAs(context, "rotate", "restarting");
      return;
    }
    // Under an approval the form shows the approved client id instead of asking for one.
    const errors = checkSubmission(clientId, clientSecret, metadata.approvalId === undefined);
    if (errors) {
      await ack({ response_action: "errors", errors });
      ranAs(context, "rotate", "form-errors");
      return;
    }
    await ack({ response_action: "update", view: progressView(metadata) });
    ranAs(context, "rotate");
    const submission = { userId: body.user.id, viewId: view.id, metadata, clientId, clientSecret };
    ranAs(context, "rotate", await handleRotateSubmission(bot, submission));
  });
}

interface RotateSubmission {
  userId: string;
  viewId: string;
  metadata: RotateModalMetadata;
  clientId: string;
  clientSecret: string;
  /** The four-eyes approval this rotation runs under, if approvals are on. */
  approvalId?: string;
}

/** Problems with the form's input, keyed by block id, as Slack's `response_action: "errors"` wants. */
function checkSubmission(
  clientId: string,
  clientSecret: string,
  clientIdAsked: boolean,
): Record<string, string> | undefined {
  const errors: Record<string, string> = {};
  if (!clientId && clientIdAsked) errors.client_id = "Enter the OAuth app's client id.";
  else if (/\s/.test(clientId)) errors.client_id = "A client id has no spaces.";
  if (!clientSecret) errors.client_secret = "Paste the new client secret.";
  else if (/\s/.test(clientSecret))
    errors.client_secret = "A client secret has no spaces: check what was pasted.";
  return Object.keys(errors).length > 0 ? errors : undefined;
}

async function handleRotateSubmission(bot: BotContext, submission: RotateSubmission): Promise<string> {
  const { userId, viewId, metadata } = submission;
  const integrationId = metadata.integrationId ?? "";
  const approvalId = submission.approvalId ?? metadata.approvalId;
  const admitted = await admitSubmission(bot, {
    userId,
    viewId,
    credential: { kind: "oauth-secret", integrationId },
    ...(approvalId === undefined ? {} : { approvalId }),
    metadata,
    auditSubject: { integrationId },
  });
  if (!admitted.ok) return admitted.outcome;

  const refuse = submissionRefusal(bot, {
    reporter: admitted.reporter,
    metadata,
    ...(admitted.approvalId === undefined ? {} : { approvalId: admitted.approvalId }),
    audit: {
      ...rotationAuditBase(bot, "oauth-secret", userId),
      integrationId,
    },
  });
  let integration: ScmIntegration;
  try {
    const resolution = await resolveTarget(bot.gitpod, bot.runnerIds, { kind: "id", id: integrationId });
    if (resolution.kind !== "one") {
      const reason = resolution.kind === "none" ? resolution.reason : "ambiguous";
      await refuse({ outcome: "failed", reason, shown: `:mag: ${escapeMrkdwn(reason)}` });
      return "not-found";
    }
    integration = resolution.integration;
  } catch (error) {
    const reason = describeApiError(error).text;
    await refuse({ outcome: "failed", reason, shown: `:warning: Could not rotate: ${escapeMrkdwn(reason)}` });
    throw error;
  }

  // Under an approval exactly what was approved runs: a new secret for the approved OAuth app.
  let clientId = submission.clientId;
  if (admitted.approval) {
    const approved = approvedClientId(admitted.approval, integration);
    if (clientId && clientId !== approved) {
      const reason = `the approval is for OAuth client id ${approved} and the form asked to store ${clientId}; under an approval only what was approved runs, so the approval is used up. Run rotate again to have the other app approved`;
      await refuse({
        outcome: "refused",
        reason: `Not rotated: ${reason}.`,
        shown: `:no_entry_sign: Not rotated: the approval is for OAuth client id ${code(approved)}, and the form asked to store ${code(clientId)}. Under an approval only what was approved runs; the approval is used up. Run \`rotate\` again to have the other app approved.`,
        subject: auditFieldsOf(oauthSecretOf(integration)),
      });
      return "client-id-not-approved";
    }
    clientId = approved;
  }

  return admitted.rotate(oauthSecretOf(integration), (journalId) =>
    rotateScmCredentials(
      journaledApi(bot.gitpod, bot.store, journalId, Date.now),
      { integrationId, clientId, clientSecret: submission.clientSecret },
      { lock: bot.lock, now: bot.now },
    ),
  );
}
