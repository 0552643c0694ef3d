/**
 * Listeners for buttons and the rotate form. Each acknowledges first, then hands off.
 */
import type { App, BlockButtonAction } from "@slack/bolt";
import { describeApiError } from "../shared/api/error-in-words.js";
import { formatError } from "../shared/slack/errors.js";
import { decideApproval, openApprovedForm } from "./approvals/flow.js";
import { APPROVE_ACTION, DENY_ACTION, OPEN_FORM_ACTION } from "./approvals/messages.js";
import type { BotContext } from "./context.js";
import { resolveTarget } from "./gitpod.js";
import { handleHistory } from "./handlers/history.js";
import { handleRevokeConfirm } from "./handlers/revoke.js";
import { handleRotateChoice } from "./handlers/rotate.js";
import { checkSubmission, handleRotateSubmission } from "./handlers/rotate-submit.js";
import { validateOne } from "./handlers/validate.js";
import { HISTORY_OLDER_ACTION, parseOlderButton } from "./history/format.js";
import { CHOICE_ACTION_ID, notFoundMessage, RESTARTING_TEXT, refusedMessage } from "./messages.js";
import { REVOKE_CANCEL_ACTION, REVOKE_CONFIRM_ACTION } from "./revoke/preview.js";
import {
  CLIENT_ID_BLOCK,
  CLIENT_SECRET_BLOCK,
  decodeMetadata,
  INPUT_ACTION,
  progressView,
  ROTATE_CALLBACK_ID,
} from "./views.js";

export function registerInteractions(app: App, bot: BotContext): void {
  app.action<BlockButtonAction>(CHOICE_ACTION_ID, async ({ ack, body, action, respond }) => {
    await ack();
    const integrationId = action.value ?? "";
    const kind = action.action_id.startsWith("choose_rotate") ? "rotate" : "validate";
    const started = performance.now();
    let outcome = "";
    try {
      if (kind === "rotate" && body.view?.id) {
        outcome = await handleRotateChoice(
          bot,
          body.user.id,
          integrationId,
          body.view.id,
          decodeMetadata(body.view.private_metadata),
        );
        return;
      }
      const view = bot.authorizer.canView(body.channel?.id);
      if (!view.allowed) {
        await respond({
          ...refusedMessage("view integrations here", view.reason),
          response_type: "ephemeral",
        });
        outcome = "channel-refused";
        return;
      }
      try {
        const resolution = await resolveTarget(bot.gitpod, bot.runnerIds, { kind: "id", id: integrationId });
        if (resolution.kind !== "one") {
          await respond({
            ...notFoundMessage(integrationId, resolution.kind === "none" ? resolution.reason : "ambiguous"),
            response_type: "ephemeral",
          });
          outcome = "not-found";
          return;
        }
        outcome = await validateOne(bot, resolution.integration, respond, body.user.id);
      } catch (error) {
        await respond({ ...formatError("validate the integration", error), response_type: "ephemeral" });
        throw error;
      }
    } catch (error) {
      outcome = `error: ${describeApiError(error).code}`;
      bot.logger.error("action_failed", { kind, user: body.user.id, error: describeApiError(error) });
    } finally {
      bot.logger.info("action", {
        kind,
        user: body.user.id,
        outcome,
        durationMs: Math.round(performance.now() - started),
      });
    }
  });

  // Four-eyes approval: votes from the audit channel, and the requester's button to the form.
  for (const [actionId, decision] of [
    [APPROVE_ACTION, "approve"],
    [DENY_ACTION, "deny"],
  ] as const) {
    app.action<BlockButtonAction>(actionId, async ({ ack, body, action, respond }) => {
      await ack();
      try {
        const outcome = await decideApproval(
          bot,
          { approvalId: action.value ?? "", userId: body.user.id, decision },
          respond,
        );
        bot.logger.info("action", { kind: `approval-${decision}`, user: body.user.id, outcome });
      } catch (error) {
        bot.logger.error("action_failed", {
          kind: "approval",
          user: body.user.id,
          error: describeApiError(error),
        });
      }
    });
  }
  app.action<BlockButtonAction>(OPEN_FORM_ACTION, async ({ ack, body, action, respond }) => {
    await ack();
    try {
      const outcome = await openApprovedForm(
        bot,
        { approvalId: action.value ?? "", userId: body.user.id, triggerId: body.trigger_id },
        respond,
      );
      bot.logger.info("action", { kind: "approval-open-form", user: body.user.id, outcome });
    } catch (error) {
      bot.logger.error("action_failed", {
        kind: "approval-open-form",
        user: body.user.id,
        error: describeApiError(error),
      });
    }
  });

  // "Older" under a history page: the next page, for anyone who may view here.
  app.action<BlockButtonAction>(HISTORY_OLDER_ACTION, async ({ ack, body, action, respond }) => {
    await ack();
    const view = bot.authorizer.canView(body.channel?.id);
    if (!view.allowed) {
      await respond({ ...refusedMessage("view the history here", view.reason), response_type: "ephemeral" });
      return;
    }
    const older = parseOlderButton(action.value);
    if (!older) return;
    const filter = older.filter
      ? older.filter.kind === "id"
        ? { kind: "id" as const, id: older.filter.value }
        : { kind: "host" as const, host: older.filter.value }
      : undefined;
    try {
      await handleHistory(bot, filter, respond, older.before);
    } catch (error) {
      bot.logger.error("action_failed", {
        kind: "history",
        user: body.user.id,
        error: describeApiError(error),
      });
    }
  });

  // `revoke`: the confirmation (only its requester) and the cancel button under the preview.
  app.action<BlockButtonAction>(REVOKE_CONFIRM_ACTION, async ({ ack, body, action, respond }) => {
    await ack();
    const started = performance.now();
    let outcome = "";
    try {
      outcome = await handleRevokeConfirm(bot, { userId: body.user.id, value: action.value }, respond);
    } catch (error) {
      outcome = `error: ${describeApiError(error).code}`;
      bot.logger.error("action_failed", {
        kind: "revoke",
        user: body.user.id,
        error: describeApiError(error),
      });
    } finally {
      bot.logger.info("action", {
        kind: "revoke",
        user: body.user.id,
        outcome,
        durationMs: Math.round(performance.now() - started),
      });
    }
  });
  app.action<BlockButtonAction>(REVOKE_CANCEL_ACTION, async ({ ack, respond }) => {
    await ack();
    await respond({ text: "Revoke cancelled: nothing was deleted.", replace_original: true });
  });

  app.view(ROTATE_CALLBACK_ID, async ({ ack, body, view }) => {
    const values = view.state.values;
    const clientId = (values[CLIENT_ID_BLOCK]?.[INPUT_ACTION]?.value ?? "").trim();
    const clientSecret = (values[CLIENT_SECRET_BLOCK]?.[INPUT_ACTION]?.value ?? "").trim();
    const metadata = decodeMetadata(view.private_metadata);
    if (bot.lifecycle.draining) {
      // The form stays open with what was typed; nothing was sent anywhere.
      await ack({ response_action: "errors", errors: { [CLIENT_SECRET_BLOCK]: RESTARTING_TEXT } });
      return;
    }
    const errors = checkSubmission(clientId, clientSecret);
    if (errors) {
      await ack({ response_action: "errors", errors });
      return;
    }
    await ack({ response_action: "update", view: progressView(metadata) });
    const started = performance.now();
    let outcome = "";
    try {
      outcome = await handleRotateSubmission(bot, {
        userId: body.user.id,
        viewId: view.id,
        metadata,
        clientId,
        clientSecret,
      });
    } catch (error) {
      outcome = `error: ${describeApiError(error).code}`;
      bot.logger.error("rotation_failed", { user: body.user.id, error: describeApiError(error) });
    } finally {
      bot.logger.info("submission", {
        kind: "rotate",
        user: body.user.id,
        outcome,
        durationMs: Math.round(performance.now() - started),
      });
    }
  });
}
