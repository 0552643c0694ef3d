/** `list [runner-id | host]`: every integration of the managed runners, with token counts, and their LLM integrations. */
import { formatError } from "../../../shared/slack/errors.js";
import { formatIntegrationList } from "../../../shared/slack/integration-list.js";
import type { BotContext } from "../../context.js";
import { listLlmIntegrations, listScope, listWithTokens, type Target } from "../../gitpod/reads.js";
import { deliver, type Recipient, type Respond } from "../../slack/deliver.js";
import { notFoundMessage } from "../../slack/messages.js";
import { inViewChannel } from "./authorize.js";
import { defineCommand } from "./command.js";
import { parseOptionalTarget } from "./words.js";

export const listCommand = defineCommand({
  name: "list",
  usage: "[runner-id | host]",
  summary: "integrations, token counts and expiry",
  example: "list github.com",
  parse: (args) => parseOptionalTarget(args, "runner id or host"),
  authorize: inViewChannel,
  handle: (bot, command, args, respond) =>
    handleList(bot, args.filter, respond, { channelId: command.channelId, userId: command.userId }),
});

async function handleList(
  bot: BotContext,
  filter: Target | undefined,
  respond: Respond,
  recipient: Recipient,
): Promise<string> {
  const scope = listScope(filter, bot.runnerIds);
  if (scope.kind === "unknown-runner") {
    await respond({
      ...notFoundMessage(scope.id, "is not a runner this bot manages."),
      response_type: "ephemeral",
    });
    return "unknown-runner";
  }
  try {
    const now = bot.now();
    const [items, llm] = await Promise.all([
      listWithTokens(bot.gitpod, bot.runnerIds, scope, now),
      listLlmIntegrations(bot.gitpod, bot.runnerIds, scope),
    ]);
    const filterText =
      scope.kind === "host" ? scope.host : scope.kind === "runner" ? `runner ${scope.runnerId}` : undefined;
    const messages = formatIntegrationList(items, {
      runnerLabels: bot.runnerLabels,
      llm,
      ...(filterText === undefined ? {} : { filter: filterText }),
      now,
    });
    await deliver(messages, respond, bot.slack, recipient);
    return `listed ${items.length} in ${messages.length} message(s)`;
  } catch (error) {
    await respond({ ...formatError("list the SCM integrations", error), response_type: "ephemeral" });
    throw error;
  }
}
