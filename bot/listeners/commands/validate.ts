/** `validate <integration-id | host>`: does the stored OAuth secret still work? */
import type { ScmIntegration } from "../../../shared/api/resources/scm-integrations.wire.js";
import { validateStoredCredentials } from "../../../shared/rotation/validate-stored.js";
import { formatError } from "../../../shared/slack/errors.js";
import { formatValidationResult } from "../../../shared/slack/validation-result.js";
import type { BotContext } from "../../context.js";
import { resolveTarget, type Target } from "../../gitpod/reads.js";
import type { Respond } from "../../slack/deliver.js";
import { choiceMessage, notFoundMessage } from "../../slack/messages.js";
import { inViewChannel } from "./authorize.js";
import { defineCommand, ParseProblem } from "./command.js";
import { parseTarget } from "./words.js";

export const validateCommand = defineCommand({
  name: "validate",
  usage: "<integration-id | host>",
  summary: "check that the stored OAuth secret still works",
  example: "validate gitlab.com",
  parse(args): { target: Target } | ParseProblem {
    if (args.length === 0) return new ParseProblem("which integration? Give its id or host.");
    const target = args.length === 1 && args[0] !== undefined ? parseTarget(args[0]) : undefined;
    return target ? { target } : new ParseProblem("give one integration id or host.");
  },
  authorize: inViewChannel,
  handle: (bot, command, args, respond) => handleValidate(bot, args.target, respond, command.userId),
});

async function handleValidate(
  bot: BotContext,
  target: Target,
  respond: Respond,
  userId?: string,
): Promise<string> {
  try {
    const resolution = await resolveTarget(bot.gitpod, bot.runnerIds, target);
    if (resolution.kind === "none") {
      const shown = target.kind === "id" ? target.id : target.host;
      await respond({ ...notFoundMessage(shown, resolution.reason), response_type: "ephemeral" });
      return "not-found";
    }
    if (resolution.kind === "many") {
      const host = target.kind === "host" ? target.host : "";
      const message = choiceMessage(
        host,
        resolution.integrations,
        "validate",
        bot.config.command,
        bot.runnerLabels,
      );
      await respond({ ...message, response_type: "ephemeral" });
      return "ambiguous";
    }
    return await validateOne(bot, resolution.integration, respond, userId);
  } catch (error) {
    await respond({ ...formatError("validate the integration", error), response_type: "ephemeral" });
    throw error;
  }
}

/** Also the "Validate" button of the choice between integrations. */
export async function validateOne(
  bot: BotContext,
  integration: ScmIntegration,
  respond: Respond,
  userId?: string,
): Promise<string> {
  const validation = await validateStoredCredentials(bot.gitpod, integration);
  const message = formatValidationResult({ integration, validation, runnerLabels: bot.runnerLabels });
  await respond({ ...message, response_type: "ephemeral" });
  // Into the history (not the audit channel): "did it verify?" is asked later.
  await bot.auditor.remember({
    action: "validate",
    at: bot.now().toISOString(),
    actor: userId ?? "unknown",
    source: "slack",
    outcome: validation.valid ? "valid" : "invalid",
    integrationId: integration.id,
    runnerId: integration.runnerId,
    ...(integration.host ? { host: integration.host } : {}),
    ...(integration.scmId ? { scmId: integration.scmId } : {}),
    reason: validation.summary,
  });
  return validation.valid ? "valid" : "invalid";
}
