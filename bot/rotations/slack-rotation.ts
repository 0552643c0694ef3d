/**
 * The one path every rotation submitted in a Slack modal takes, whatever the credential (an OAuth
 * client secret, a service account's host token, an LLM integration's API key):
 * 1. admit: the person may still rotate, and with four-eyes on an approved request for exactly
 *    this credential by this person is used up;
 * 2. the credential's lease, then the journal entry, both before anything is sent to Gitpod;
 * 3. the credential's protocol over the journaled API, tracked so a shutdown waits for it;
 * 4. the result in the modal, to the person (response_url), in the audit channel and history.
 * The new secret stays inside the protocol closure: it is in no message, log or record.
 */
import { randomUUID } from "node:crypto";
import { describeApiError } from "../../shared/api/error-in-words.js";
import type { RotationResult } from "../../shared/rotation/types.js";
import type { AuditRecord } from "../../shared/slack/audit-record.js";
import { section } from "../../shared/slack/blocks.js";
import { escapeMrkdwn, fallbackText } from "../../shared/slack/mrkdwn.js";
import { formatRotationResult } from "../../shared/slack/rotation-result.js";
import { useApprovalForSubmission } from "../approvals/flow.js";
import type { BotContext } from "../context.js";
import { republishHome } from "../home/publish.js";
import { respondTo } from "../slack/deliver.js";
import { refusedMessage } from "../slack/messages.js";
import type { Approval, CredentialKind } from "../state/store.js";
import { auditFieldsOf, type CredentialRef, type RotatedCredential, rotationAction } from "./credential.js";
import { finishJournaledRotation, startJournaledRotation } from "./lease-and-journal.js";
import { messageView, type RotateModalMetadata, resultView } from "./rotate-form.js";

/** Where a submission's progress and result go: the modal and the command's response_url. */
export interface ModalReporter {
  show(view: ReturnType<typeof messageView>): Promise<unknown>;
  tell(message: { text: string; blocks: unknown[] }): Promise<void>;
}

function modalReporter(bot: BotContext, viewId: string, metadata: RotateModalMetadata): ModalReporter {
  const respond = metadata.responseUrl ? respondTo(metadata.responseUrl) : undefined;
  return {
    show: (view) =>
      bot.slack.views.update({ view_id: viewId, view }).catch((error: unknown) => {
        bot.logger.warn("views_update_failed", { error: describeApiError(error).code });
      }),
    async tell(message) {
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
    },
  };
}

export function rotationAuditBase(
  bot: BotContext,
  kind: CredentialKind,
  userId: string,
): Pick<AuditRecord, "action" | "at" | "actor" | "source"> {
  return { action: rotationAction(kind), at: bot.now().toISOString(), actor: userId, source: "slack" };
}

/**
 * Admitted, under `approval` when four-eyes is on (what was approved, to run exactly that), with the
 * modal's reporter and `rotate`: steps 2 to 4 for the credential once it was read fresh and checked.
 */
type Admission =
  | {
      ok: true;
      approvalId?: string;
      approval?: Approval;
      reporter: ModalReporter;
      rotate(
        credential: RotatedCredential,
        protocol: (journalId: string) => Promise<RotationResult>,
      ): Promise<string>;
    }
  | { ok: false; outcome: string };

/**
 * Step 1, before anything is read for the rotation: still allowed to rotate, and (four-eyes) the
 * approval for this credential used up. Refusals are shown, told and audited here.
 */
export async function admitSubmission(
  bot: BotContext,
  submission: {
    userId: string;
    viewId: string;
    credential: CredentialRef;
    approvalId?: string;
    metadata: RotateModalMetadata;
    /** How the audit record names what was asked for (ids only). */
    auditSubject: Partial<AuditRecord>;
  },
): Promise<Admission> {
  const { userId, viewId, metadata } = submission;
  const reporter = modalReporter(bot, viewId, metadata);
  const base = { ...rotationAuditBase(bot, submission.credential.kind, userId), ...submission.auditSubject };
  const decision = await bot.authorizer.canRotate(userId);
  if (!decision.allowed) {
    await reporter.show(
      messageView(
        `:lock: You are not allowed to rotate credentials: ${escapeMrkdwn(decision.reason)}.`,
        metadata,
      ),
    );
    await reporter.tell(refusedMessage("rotate credentials", decision.reason));
    await bot.auditor.record({ ...base, outcome: "unauthorized", reason: decision.reason });
    return { ok: false, outcome: "unauthorized" };
  }
  const admitted = (approval?: Approval): Admission => ({
    ok: true,
    ...(approval ? { approvalId: approval.id, approval } : {}),
    reporter,
    rotate: (credential, protocol) =>
      runJournaledRotation(bot, {
        userId,
        viewId,
        metadata,
        credential,
        ...(approval ? { approvalId: approval.id } : {}),
        reporter,
        protocol,
      }),
  });
  if (bot.config.approvals.required <= 0) return admitted();
  const approval = await useApprovalForSubmission(bot, {
    userId,
    credential: submission.credential,
    ...(submission.approvalId === undefined ? {} : { approvalId: submission.approvalId }),
  });
  if (!approval.ok) {
    const text = `:no_entry_sign: Not rotated: ${escapeMrkdwn(approval.reason)}. Nothing was changed.`;
    await reporter.show(messageView(text, metadata));
    await bot.auditor.record({ ...base, outcome: "refused", reason: approval.reason });
    return { ok: false, outcome: "approval-refused" };
  }
  return admitted(approval.approval);
}

/** Steps 2 to 4 for an admitted submission whose credential was read fresh from Gitpod. */
async function runJournaledRotation(
  bot: BotContext,
  rotation: {
    userId: string;
    viewId: string;
    metadata: RotateModalMetadata;
    credential: RotatedCredential;
    approvalId?: string;
    reporter: ModalReporter;
    /** Runs the credential's protocol; the journal entry's id is for the journaled API. */
    protocol: (journalId: string) => Promise<RotationResult>;
  },
): Promise<string> {
  const { userId, viewId, metadata, credential, approvalId, reporter } = rotation;
  const base = rotationAuditBase(bot, credential.kind, userId);
  const subject = auditFieldsOf(credential);

  const journalId = randomUUID();
  const guard = await startJournaledRotation(bot, {
    journalId,
    userId,
    viewId,
    credential,
    ...(approvalId === undefined ? {} : { approvalId }),
    onWait: (text) =>
      reporter.show(messageView(`:hourglass_flowing_sand: ${text} Waiting for it to finish…`, metadata)),
  });
  if (guard.kind !== "started") {
    const reason =
      guard.kind === "busy" ? guard.reason : { mrkdwn: escapeMrkdwn(guard.reason), plain: guard.reason };
    const after =
      guard.kind === "busy"
        ? ". Nothing was changed; try again once it has finished."
        : " Nothing was changed.";
    await reporter.show(messageView(`:no_entry_sign: ${reason.mrkdwn}${after}`, metadata));
    await reporter.tell({
      text: fallbackText(`${reason.plain}${after}`),
      blocks: [section(`${reason.mrkdwn}${after}`)],
    });
    await bot.auditor.record({
      ...base,
      ...subject,
      outcome: guard.kind === "busy" ? "refused" : "failed",
      reason: reason.plain,
    });
    return guard.kind;
  }
  await bot.auditor.record({
    ...base,
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
        result = await rotation.protocol(journalId);
        await finishJournaledRotation(bot, journalId, result);
        if (!guard.lease.intact) {
          // The store lost this rotation's lease mid-way (unreachable past BOT_LEASE_TTL_MS).
          bot.logger.warn("lease_lost_during_rotation", { journalId, ...subject });
        }
      } finally {
        await guard.lease.release().catch((error: unknown) => {
          bot.logger.warn("lease_release_failed", { journalId, error: describeApiError(error).code });
        });
      }
      await reporter.show(resultView(result, metadata, bot.runnerLabels));
      await reporter.tell(
        formatRotationResult(result, { actorUserId: userId, runnerLabels: bot.runnerLabels }),
      );
      await bot.auditor.record({
        ...base,
        ...subject,
        outcome: result.outcome,
        ...(result.integrationId ? { integrationId: result.integrationId } : {}),
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
        ...subject,
        outcome: result.outcome,
        waitedMs: result.waitedMs,
      });
      // The person's App Home shows the rotation (its validation, the history) from now on.
      await republishHome(bot, userId);
      return result.outcome;
    })(),
  );
}
