/**
 * `rotate <integration-id | host>`: open the modal at once (loading), then decide what it shows:
 * a refusal, a choice between integrations, or the form with the client id prefilled.
 */

import { describeApiError } from "../../../shared/api/error-in-words.js";
import type { ScmIntegration } from "../../../shared/api/resources/scm-integrations.wire.js";
import { escapeMrkdwn } from "../../../shared/slack/mrkdwn.js";
import { requestReasonView } from "../../approvals/views.js";
import type { BotContext } from "../../context.js";
import { resolveTarget, type Target } from "../../gitpod/reads.js";
import { oauthSecretOf } from "../../rotations/credential.js";
import {
  choiceView,
  messageView,
  type RotateModalMetadata,
  rotateFormView,
} from "../../rotations/rotate-form.js";
import { rotationAuditBase } from "../../rotations/slack-rotation.js";
import type { Respond } from "../../slack/deliver.js";
import { choiceBlocks } from "../../slack/messages.js";
import { inViewChannel } from "./authorize.js";
import { defineCommand, ParseProblem, SECRET_TYPED } from "./command.js";
import { lookingUp, type ModalRequest, notAllowedView, openRotateModal } from "./rotate-modal.js";
import { parseTarget, targetText } from "./words.js";

export const rotateCommand = defineCommand({
  name: "rotate",
  usage: "<integration-id | host>",
  summary: "store a new OAuth client secret (opens a form)",
  example: "rotate github.com",
  auditRefusals: true,
  parse(args): { target: Target } | ParseProblem {
    // Anything beyond one id/host may be a secret: refuse it all rather than guess.
    const [word, ...extra] = args;
    if (word === undefined) return new ParseProblem("which integration? Give its id or host.");
    const target = parseTarget(word);
    if (!target || extra.length > 0) return SECRET_TYPED;
    return { target };
  },
  // Who may rotate is checked in the handler: the modal must open first (the trigger's three seconds).
  authorize: inViewChannel,
  handle: (bot, command, args, respond) =>
    handleRotateCommand(bot, { ...command, target: args.target }, respond),
});

/** The modal must open within the trigger's three seconds: open first, think after. */
async function handleRotateCommand(
  bot: BotContext,
  request: ModalRequest<Target>,
  respond: Respond,
): Promise<string> {
  const metadata: RotateModalMetadata = { responseUrl: request.responseUrl, channelId: request.channelId };
  const modal = await openRotateModal(
    bot,
    request,
    {
      command: "rotate",
      kind: "oauth-secret",
      metadata,
      auditSubject: { target: targetText(request.target) },
    },
    respond,
  );
  if (!modal.ok) return modal.outcome;
  const { show } = modal;

  const resolution = await lookingUp(show, metadata, "the integration", () =>
    resolveTarget(bot.gitpod, bot.runnerIds, request.target),
  );
  if (resolution.kind === "none") {
    await show(
      messageView(
        `:mag: ${escapeMrkdwn(targetText(request.target))}: ${escapeMrkdwn(resolution.reason)}`,
        metadata,
      ),
    );
    return "not-found";
  }
  if (resolution.kind === "many") {
    const host = request.target.kind === "host" ? request.target.host : "";
    const blocks = choiceBlocks(
      host,
      resolution.integrations,
      "rotate",
      bot.config.command,
      bot.runnerLabels,
    );
    await show(choiceView(blocks, metadata));
    return "ambiguous";
  }
  await show(formOrApproval(bot, resolution.integration, metadata));
  return "form";
}

/** With four-eyes approval on, the form waits for an approval: ask why, then post the request. */
function formOrApproval(bot: BotContext, integration: ScmIntegration, metadata: RotateModalMetadata) {
  if (bot.config.approvals.required > 0 && integration.oauth?.clientId) {
    return requestReasonView(
      oauthSecretOf(integration),
      { channelId: metadata.channelId ?? "" },
      bot.config.approvals.required,
    );
  }
  return formFor(bot, integration, metadata);
}

function formFor(bot: BotContext, integration: ScmIntegration, metadata: RotateModalMetadata) {
  if (!integration.oauth?.clientId) {
    return messageView(
      ":information_source: This integration has no OAuth app configured, so there is no client secret to rotate.",
      metadata,
    );
  }
  return rotateFormView(integration, metadata, bot.runnerLabels);
}

/** A "Rotate" button in the choice view: fill the same modal with the form. */
export async function handleRotateChoice(
  bot: BotContext,
  userId: string,
  integrationId: string,
  viewId: string,
  metadata: RotateModalMetadata,
): Promise<string> {
  const decision = await bot.authorizer.canRotate(userId);
  if (!decision.allowed) {
    await bot.slack.views.update({ view_id: viewId, view: notAllowedView(decision.reason, metadata) });
    await bot.auditor.record({
      ...rotationAuditBase(bot, "oauth-secret", userId),
      outcome: "unauthorized",
      target: integrationId,
      reason: decision.reason,
    });
    return "unauthorized";
  }
  try {
    const resolution = await resolveTarget(bot.gitpod, bot.runnerIds, { kind: "id", id: integrationId });
    const view =
      resolution.kind === "one"
        ? formOrApproval(bot, resolution.integration, metadata)
        : messageView(
            `:mag: ${resolution.kind === "none" ? escapeMrkdwn(resolution.reason) : "Ambiguous."}`,
            metadata,
          );
    await bot.slack.views.update({ view_id: viewId, view });
    return resolution.kind;
  } catch (error) {
    await bot.slack.views.update({
      view_id: viewId,
      view: messageView(
        `:warning: Could not look up the integration: ${escapeMrkdwn(describeApiError(error).text)}`,
        metadata,
      ),
    });
    throw error;
  }
}
