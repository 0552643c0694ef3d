/**
 * What `rotate`, `rotate-token` and `rotate-llm` share: the modal opened at once in its loading
 * state (the trigger's three seconds), the refusal of someone not allowed to rotate, a failed
 * look-up shown in the modal, and the found credential's form or four-eyes request.
 */
import type { types } from "@slack/bolt";
import { describeApiError } from "../../../shared/api/error-in-words.js";
import type { AuditRecord } from "../../../shared/slack/audit-record.js";
import { escapeMrkdwn, fallbackText } from "../../../shared/slack/mrkdwn.js";
import { requestReasonView } from "../../approvals/views.js";
import type { BotContext } from "../../context.js";
import type { RotatedCredential } from "../../rotations/credential.js";
import { loadingView, messageView, type RotateModalMetadata } from "../../rotations/rotate-form.js";
import { rotationAuditBase } from "../../rotations/slack-rotation.js";
import type { Respond } from "../../slack/deliver.js";
import { refusedMessage } from "../../slack/messages.js";
import { SlackRateLimitedError } from "../../slack/rate-limits.js";
import type { CredentialKind } from "../../state/store.js";
import type { SlashCommand } from "./command.js";

/** A rotate command as its handler needs it: who, where, the trigger and what to rotate. */
export type ModalRequest<Target> = Omit<SlashCommand, "text"> & { target: Target };

/** Replaces what the opened modal shows (nothing if Slack gave no view id). */
export type ShowView = (view: types.ModalView) => Promise<void>;

/**
 * Opens the loading modal; if Slack refuses (usually an expired trigger), nothing happened yet, so
 * the user is told to run `command` again and the outcome says why.
 */
async function openLoadingModal(
  bot: BotContext,
  request: { triggerId: string; command: string },
  metadata: RotateModalMetadata,
  respond: Respond,
): Promise<{ ok: true; show: ShowView } | { ok: false; outcome: string }> {
  let viewId: string | undefined;
  try {
    const opened = await bot.slack.views.open({ trigger_id: request.triggerId, view: loadingView(metadata) });
    viewId = opened.view?.id;
  } catch (error) {
    const limited = error instanceof SlackRateLimitedError;
    const code = limited ? "rate-limited" : ((error as { data?: { error?: string } }).data?.error ?? "error");
    await respond({
      text: fallbackText(
        limited
          ? `Could not open the ${request.command} form: ${error.message}. Please run the command again after that.`
          : `Could not open the ${request.command} form (Slack: ${code}). Please run the command again.`,
      ),
      response_type: "ephemeral",
    });
    return { ok: false, outcome: `views-open-failed: ${code}` };
  }
  return {
    ok: true,
    show: async (view) => {
      if (viewId) await bot.slack.views.update({ view_id: viewId, view });
    },
  };
}

/** The modal's answer to someone the authorizer does not let rotate. */
export function notAllowedView(reason: string, metadata: RotateModalMetadata): types.ModalView {
  return messageView(`:lock: You are not allowed to rotate credentials: ${escapeMrkdwn(reason)}.`, metadata);
}

/** Refused in the modal and told in the channel; the caller audits with its own subject. */
async function tellNotAllowed(
  show: ShowView,
  respond: Respond,
  reason: string,
  metadata: RotateModalMetadata,
): Promise<void> {
  await show(notAllowedView(reason, metadata));
  await respond({ ...refusedMessage("rotate credentials", reason), response_type: "ephemeral" });
}

/**
 * Before a rotate command looks anything up: the loading modal opened, then whether the person may
 * rotate (if not: refused in the modal, told, and audited naming what was asked for).
 */
export async function openRotateModal(
  bot: BotContext,
  request: ModalRequest<unknown>,
  rotate: {
    command: string;
    kind: CredentialKind;
    metadata: RotateModalMetadata;
    /** How the audit names what was asked for, before anything is found (ids only). */
    auditSubject: Partial<AuditRecord>;
  },
  respond: Respond,
): Promise<{ ok: true; show: ShowView } | { ok: false; outcome: string }> {
  const modal = await openLoadingModal(
    bot,
    { triggerId: request.triggerId, command: rotate.command },
    rotate.metadata,
    respond,
  );
  if (!modal.ok) return modal;
  const decision = await bot.authorizer.canRotate(request.userId);
  if (!decision.allowed) {
    await tellNotAllowed(modal.show, respond, decision.reason, rotate.metadata);
    await bot.auditor.record({
      ...rotationAuditBase(bot, rotate.kind, request.userId),
      ...rotate.auditSubject,
      outcome: "unauthorized",
      reason: decision.reason,
    });
    return { ok: false, outcome: "unauthorized" };
  }
  return modal;
}

/** Runs the look-up of `what`; an API error is shown in the modal in words, then thrown on. */
export async function lookingUp<T>(
  show: ShowView,
  metadata: RotateModalMetadata,
  what: string,
  lookUp: () => Promise<T>,
): Promise<T> {
  try {
    return await lookUp();
  } catch (error) {
    await show(
      messageView(
        `:warning: Could not look up ${what}: ${escapeMrkdwn(describeApiError(error).text)}`,
        metadata,
      ),
    );
    throw error;
  }
}

/** The credential found: with four-eyes on, ask why first (the request is posted on submit); else its form. */
export async function showFormOrApprovalRequest(
  bot: BotContext,
  show: ShowView,
  found: { credential: RotatedCredential; channelId: string; form: () => types.ModalView },
): Promise<"approval-reason-form" | "form"> {
  if (bot.config.approvals.required > 0) {
    await show(
      requestReasonView(found.credential, { channelId: found.channelId }, bot.config.approvals.required),
    );
    return "approval-reason-form";
  }
  await show(found.form());
  return "form";
}
