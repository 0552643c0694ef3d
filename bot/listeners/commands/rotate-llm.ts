/**
 * `rotate-llm <endpoint-host|integration-id> [runner]`: open the modal at once (loading), then find
 * the LLM integration fresh in Gitpod and show the form for the new API key, the four-eyes
 * request, or why not. The key is never typed into the command: a word that looks like one makes
 * the whole command refused without echoing it.
 */
import type { AuditRecord } from "../../../shared/slack/audit-record.js";
import { code, escapeMrkdwn } from "../../../shared/slack/mrkdwn.js";
import type { BotContext } from "../../context.js";
import { managedLlmIntegrations, type Target } from "../../gitpod/reads.js";
import { chooseLlmIntegration, llmChoicesText } from "../../llm-keys/find.js";
import { LLM_KEY_TARGET, llmKeyOf } from "../../rotations/credential.js";
import { llmKeyFormView, messageView, type RotateModalMetadata } from "../../rotations/rotate-form.js";
import type { Respond } from "../../slack/deliver.js";
import { inViewChannel } from "./authorize.js";
import { defineCommand, ParseProblem, SECRET_TYPED } from "./command.js";
import { lookingUp, type ModalRequest, openRotateModal, showFormOrApprovalRequest } from "./rotate-modal.js";
import { looksLikeSecret, parseTarget, targetText } from "./words.js";

interface RotateLlmTarget {
  /** The LLM integration's id, or its endpoint's host. */
  integration: Target;
  /** A runner id or its name in GITPOD_RUNNER_IDS, when the host has integrations on several. */
  runner?: string;
}

const RUNNER_WORD = /^[a-z0-9][a-z0-9._-]{0,62}$/i;

export const rotateLlmCommand = defineCommand({
  name: "rotate-llm",
  usage: "<endpoint-host | llm-integration-id> [runner]",
  summary: "store an LLM integration's new API key (opens a form; the phase is read back)",
  example: "rotate-llm api.anthropic.com aws-eu",
  auditRefusals: true,
  parse: parseRotateLlm,
  // Who may rotate is checked in the handler: the modal must open first (the trigger's three seconds).
  authorize: inViewChannel,
  handle: (bot, command, args, respond) =>
    handleRotateLlmCommand(bot, { ...command, target: args.target }, respond),
});

/** The words after `rotate-llm`. Pure. Problems never quote what was typed. */
function parseRotateLlm(args: readonly string[]): { target: RotateLlmTarget } | ParseProblem {
  // The table refuses secret-looking words before parsing; checked here too, so this stands alone.
  if (args.some(looksLikeSecret)) return SECRET_TYPED;
  const [integrationWord, runnerWord, ...extra] = args;
  // Anything beyond the two expected words may be a pasted key: refuse rather than guess.
  if (extra.length > 0) return SECRET_TYPED;
  const integration = integrationWord === undefined ? undefined : parseTarget(integrationWord);
  if (!integration)
    return new ParseProblem(
      "which LLM integration? Give its endpoint's host (e.g. api.anthropic.com) or its id (a UUID).",
    );
  if (runnerWord !== undefined && !RUNNER_WORD.test(runnerWord)) return SECRET_TYPED;
  return { target: { integration, ...(runnerWord === undefined ? {} : { runner: runnerWord }) } };
}

/** How the audit names a request before an integration is found. */
function requested(target: RotateLlmTarget): Partial<AuditRecord> {
  return target.integration.kind === "id"
    ? { integrationId: target.integration.id }
    : { host: target.integration.host, target: LLM_KEY_TARGET };
}

/** The modal must open within the trigger's three seconds: open first, look up after. */
async function handleRotateLlmCommand(
  bot: BotContext,
  request: ModalRequest<RotateLlmTarget>,
  respond: Respond,
): Promise<string> {
  const metadata: RotateModalMetadata = {
    kind: "llm-key",
    responseUrl: request.responseUrl,
    channelId: request.channelId,
  };
  const modal = await openRotateModal(
    bot,
    request,
    { command: "rotate-llm", kind: "llm-key", metadata, auditSubject: requested(request.target) },
    respond,
  );
  if (!modal.ok) return modal.outcome;
  const { show } = modal;

  const asked = targetText(request.target.integration);
  const choice = await lookingUp(show, metadata, "the LLM integration", async () =>
    chooseLlmIntegration(
      await managedLlmIntegrations(bot.gitpod, bot.runnerIds),
      {
        target: request.target.integration,
        ...(request.target.runner ? { runner: request.target.runner } : {}),
      },
      bot.runnerIds,
      bot.runnerLabels,
    ),
  );
  switch (choice.kind) {
    case "none":
      await show(messageView(`:mag: ${escapeMrkdwn(asked)}: ${escapeMrkdwn(choice.reason)}.`, metadata));
      return "not-found";
    case "many": {
      const example = `${bot.config.command} rotate-llm <llm-integration-id>`;
      await show(
        messageView(
          `:point_right: ${choice.integrations.length} LLM integrations have an endpoint on ${escapeMrkdwn(asked)}: ${escapeMrkdwn(llmChoicesText(choice.integrations, bot.runnerLabels))}. Name one by its id (${code(example)}) or name the runner.`,
          metadata,
        ),
      );
      return "ambiguous";
    }
    case "one":
      return showFormOrApprovalRequest(bot, show, {
        credential: llmKeyOf(choice.integration),
        channelId: request.channelId,
        form: () => llmKeyFormView(choice.integration, metadata, bot.runnerLabels),
      });
  }
}
