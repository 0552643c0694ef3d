/**
 * What `rotate` and `rotate-token` share before they look anything up: the modal opened at once in
 * its loading state (the trigger's three seconds), and the refusal of someone not allowed to rotate.
 */
import type { types } from "@slack/bolt";
import { escapeMrkdwn, fallbackText } from "../../../shared/slack/mrkdwn.js";
import type { BotContext } from "../../context.js";
import { loadingView, messageView, type RotateModalMetadata } from "../../rotations/rotate-form.js";
import type { Respond } from "../../slack/deliver.js";
import { refusedMessage } from "../../slack/messages.js";
import { SlackRateLimitedError } from "../../slack/rate-limits.js";
import type { SlashCommand } from "./command.js";

/** A rotate command as its handler needs it: who, where, the trigger and what to rotate. */
export type ModalRequest<Target> = Omit<SlashCommand, "text"> & { target: Target };

/** Replaces what the opened modal shows (nothing if Slack gave no view id). */
export type ShowView = (view: types.ModalView) => Promise<void>;

/**
 * Opens the loading modal; if Slack refuses (usually an expired trigger), nothing happened yet, so
 * the user is told to run `command` again and the outcome says why.
 */
export async function openLoadingModal(
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
export async function tellNotAllowed(
  show: ShowView,
  respond: Respond,
  reason: string,
  metadata: RotateModalMetadata,
): Promise<void> {
  await show(notAllowedView(reason, metadata));
  await respond({ ...refusedMessage("rotate credentials", reason), response_type: "ephemeral" });
}
