/**
 * The rotate form was submitted: check who it is again, run the shared rotation protocol, then
 * report in the modal, to the person (response_url) and to the audit channel. The secret is read
 * from the submission, handed to the protocol and dropped; it is in no message, log or record.
 */
import { randomUUID } from "node:crypto";
import type { App } from "@slack/bolt";
import { describeApiError } from "../../../shared/api/error-in-words.js";
import type { ScmIntegration } from "../../../shared/api/schemas.js";
import { rotateScmCredentials } from "../../../shared/rotation/protocol.js";
import type { RotationResult } from "../../../shared/rotation/types.js";
import { section } from "../../../shared/slack/blocks.js";
import { escapeMrkdwn, fallbackText } from "../../../shared/slack/mrkdwn.js";
import { formatRotationResult } from "../../../shared/slack/rotation-result.js";
import { useApprovalForSubmission } from "../../approvals/flow.js";
import type { BotContext } from "../../context.js";
import { respondTo } from "../../deliver.js";
import { resolveTarget } from "../../gitpod.js";
import { RESTARTING_TEXT, refusedMessage } from "../../messages.js";
import { journaledApi } from "../../rotations/journaled-api.js";
import { finishJournaledRotation, startJournaledRotation } from "../../rotations/start.js";
import {
  CLIENT_ID_BLOCK,
  CLIENT_SECRET_BLOCK,
  decodeMetadata,
  INPUT_ACTION,
  messageView,
  progressView,
  ROTATE_CALLBACK_ID,
  type RotateModalMetadata,
  resultView,
} from "../../views.js";
import { auditBase } from "../commands/rotate.js";
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
    const errors = checkSubmission(clientId, clientSecret);
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
function checkSubmission(clientId: string, clientSecret: string): Record<string, string> | undefined {
  const errors: Record<string, string> = {};
  if (!clientId) errors.client_id = "Enter the OAuth app's client id.";
  else if (/\s/.test(clientId)) errors.client_id = "A client id has no spaces.";
  if (!clientSecret) errors.client_secret = "Paste the new client secret.";
  else if (/\s/.test(clientSecret))
    errors.client_secret = "A client secret has no spaces: check what was pasted.";
  return Object.keys(errors).length > 0 ? errors : undefined;
}

async function handleRotateSubmission(bot: BotContext, submission: RotateSubmission): Promise<string> {
  const { userId, viewId, metadata } = submission;
  const integrationId = metadata.integrationId ?? "";
  const respond = metadata.responseUrl ? respondTo(metadata.responseUrl) : undefined;
  const show = (view: ReturnType<typeof messageView>) =>
    bot.slack.views.update({ view_id: viewId, view }).catch((error: unknown) => {
      bot.logger.warn("views_update_failed", { error: describeApiError(error).code });
    });
  const tell = async (message: { text: string; blocks: unknown[] }) => {
    if (!respond) return;
    try {
      await respond({
        ...(message as { text: string }),
        response_type: "ephemeral",
        replace_original: false,
      });
    } catch (error) {
      bot.logger.warn("response_url_failed", { error: describeApiError(error).code });
    }
  };

  const decision = await bot.authorizer.canRotate(userId);
  if (!decision.allowed) {
    await show(
      messageView(
        `:lock: You are not allowed to rotate credentials: ${escapeMrkdwn(decision.reason)}.`,
        metadata,
      ),
    );
    await tell(refusedMessage("rotate credentials", decision.reason));
    await bot.auditor.record({
      ...auditBase(bot, userId),
      outcome: "unauthorized",
      integrationId,
      reason: decision.reason,
    });
    return "unauthorized";
  }

  // Four-eyes: only under an approved request for this integration by this person, used up here.
  let approvalId = submission.approvalId ?? metadata.approvalId;
  if (bot.config.approvals.required > 0) {
    const approval = await useApprovalForSubmission(bot, {
      userId,
      integrationId,
      ...(approvalId === undefined ? {} : { approvalId }),
    });
    if (!approval.ok) {
      const text = `:no_entry_sign: Not rotated: ${escapeMrkdwn(approval.reason)}. Nothing was changed.`;
      await show(messageView(text, metadata));
      await bot.auditor.record({
        ...auditBase(bot, userId),
        outcome: "refused",
        integrationId,
        reason: approval.reason,
      });
      return "approval-refused";
    }
  } else {
    approvalId = undefined;
  }

  let integration: ScmIntegration;
  try {
    const resolution = await resolveTarget(bot.gitpod, bot.runnerIds, { kind: "id", id: integrationId });
    if (resolution.kind !== "one") {
      const reason = resolution.kind === "none" ? resolution.reason : "ambiguous";
      await show(messageView(`:mag: ${escapeMrkdwn(reason)} Nothing was changed.`, metadata));
      await bot.auditor.record({ ...auditBase(bot, userId), outcome: "failed", integrationId, reason });
      return "not-found";
    }
    integration = resolution.integration;
  } catch (error) {
    const reason = describeApiError(error).text;
    await show(
      messageView(`:warning: Could not rotate: ${escapeMrkdwn(reason)} Nothing was changed.`, metadata),
    );
    await bot.auditor.record({ ...auditBase(bot, userId), outcome: "failed", integrationId, reason });
    throw error;
  }
  const subject = {
    integrationId,
    runnerId: integration.runnerId,
    ...(integration.host ? { host: integration.host } : {}),
    ...(integration.scmId ? { scmId: integration.scmId } : {}),
  };

  // The lease on the integration, then the journal entry: both before anything is sent to Gitpod.
  const journalId = randomUUID();
  const guard = await startJournaledRotation(bot, {
    journalId,
    userId,
    viewId,
    integration,
    ...(approvalId === undefined ? {} : { approvalId }),
    onWait: (text) =>
      show(messageView(`:hourglass_flowing_sand: ${text} Waiting for it to finish…`, metadata)),
  });
  if (guard.kind !== "started") {
    const reason =
      guard.kind === "busy" ? guard.reason : { mrkdwn: escapeMrkdwn(guard.reason), plain: guard.reason };
    const after =
      guard.kind === "busy"
        ? ". Nothing was changed; try again once it has finished."
        : " Nothing was changed.";
    await show(messageView(`:no_entry_sign: ${reason.mrkdwn}${after}`, metadata));
    await tell({
      text: fallbackText(`${reason.plain}${after}`),
      blocks: [section(`${reason.mrkdwn}${after}`)],
    });
    await bot.auditor.record({
      ...auditBase(bot, userId),
      ...subject,
      outcome: guard.kind === "busy" ? "refused" : "failed",
      reason: reason.plain,
    });
    return guard.kind;
  }
  await bot.auditor.record({
    ...auditBase(bot, userId),
    ...subject,
    outcome: "started",
    reason: "Rotation started: journaled before any change; the outcome follows.",
    journalId,
  });

  // Tracked as a whole, reports included: a shutdown waits for the person to be told.
  return bot.rotations.track(
    journalId,
    (async () => {
      let result: RotationResult;
      try {
        result = await rotateScmCredentials(
          journaledApi(bot.gitpod, bot.store, journalId, Date.now),
          { integrationId, clientId: submission.clientId, clientSecret: submission.clientSecret },
          { lock: bot.lock, now: bot.now },
        );
        await finishJournaledRotation(bot, journalId, result);
        if (!guard.lease.intact) {
          // The store lost this rotation's lease mid-way (unreachable past BOT_LEASE_TTL_MS).
          bot.logger.warn("lease_lost_during_rotation", { journalId, integrationId });
        }
      } finally {
        await guard.lease.release().catch((error: unknown) => {
          bot.logger.warn("lease_release_failed", { journalId, error: describeApiError(error).code });
        });
      }
      await show(resultView(result, metadata, bot.runnerLabels));
      await tell(formatRotationResult(result, { actorUserId: userId, runnerLabels: bot.runnerLabels }));
      await bot.auditor.record({
        ...auditBase(bot, userId),
        outcome: result.outcome,
        integrationId: result.integrationId,
        ...(result.runnerId ? { runnerId: result.runnerId } : {}),
        ...(result.host ? { host: result.host } : {}),
        ...(result.scmId ? { scmId: result.scmId } : {}),
        reason: result.summary,
        steps: result.steps.map(({ step, status, detail }) => ({ step, status, detail })),
        journalId,
        ...(approvalId ? { approvalId } : {}),
      });
      bot.logger.info("rotation", {
        user: userId,
        integrationId: result.integrationId,
        outcome: result.outcome,
        waitedMs: result.waitedMs,
      });
      return result.outcome;
    })(),
  );
}
