/**
 * The slash command, after it was acknowledged: parse, check the channel, hand off. The command's
 * text is never logged (it may hold a secret someone typed by mistake); only what it parsed to.
 */
import { describeApiError } from "../../shared/api/error-in-words.js";
import { parseCommand } from "../commands.js";
import type { BotContext } from "../context.js";
import type { Respond } from "../deliver.js";
import { helpMessage, refusedMessage, secretRefusedMessage, usageMessage } from "../messages.js";
import { handleHistory } from "./history.js";
import { handleList } from "./list.js";
import { handleRevokeCommand } from "./revoke.js";
import { auditBase, handleRotateCommand } from "./rotate.js";
import { handleValidate } from "./validate.js";

export interface SlashCommand {
  text: string;
  userId: string;
  channelId: string;
  triggerId: string;
  responseUrl: string;
}

export async function handleCommand(bot: BotContext, command: SlashCommand, respond: Respond): Promise<void> {
  const started = performance.now();
  const parsed = parseCommand(command.text);
  let outcome = "";
  try {
    outcome = await dispatch(bot, command, parsed, respond);
  } catch (error) {
    outcome = `error: ${describeApiError(error).code}`;
    bot.logger.error("command_failed", {
      kind: parsed.kind,
      user: command.userId,
      error: describeApiError(error),
    });
  } finally {
    bot.logger.info("command", {
      kind: parsed.kind,
      user: command.userId,
      channel: command.channelId,
      outcome,
      durationMs: Math.round(performance.now() - started),
    });
  }
}

async function dispatch(
  bot: BotContext,
  command: SlashCommand,
  parsed: ReturnType<typeof parseCommand>,
  respond: Respond,
): Promise<string> {
  const name = bot.config.command;
  const ephemeral = { response_type: "ephemeral" } as const;
  switch (parsed.kind) {
    case "help":
      await respond({ ...helpMessage(name), ...ephemeral });
      return "help";
    case "usage":
      await respond({ ...usageMessage(name, parsed.problem, parsed.subcommand), ...ephemeral });
      return "usage";
    case "secret":
      await respond({ ...secretRefusedMessage(name), ...ephemeral });
      if (parsed.subcommand === "rotate") {
        await bot.auditor.record({
          ...auditBase(bot, command.userId),
          outcome: "refused",
          reason: "a secret-looking value was typed into the command; the user was told to revoke it",
        });
      }
      return "secret-refused";
  }
  const view = bot.authorizer.canView(command.channelId);
  if (!view.allowed) {
    await respond({ ...refusedMessage(`use ${name} here`, view.reason), ...ephemeral });
    if (parsed.kind === "rotate") {
      await bot.auditor.record({
        ...auditBase(bot, command.userId),
        outcome: "unauthorized",
        reason: view.reason,
      });
    }
    return "channel-refused";
  }
  switch (parsed.kind) {
    case "list":
      return handleList(bot, parsed.filter, respond, {
        channelId: command.channelId,
        userId: command.userId,
      });
    case "validate":
      return handleValidate(bot, parsed.target, respond, command.userId);
    case "history":
      return handleHistory(bot, parsed.filter, respond);
    case "revoke":
      return handleRevokeCommand(
        bot,
        { userId: command.userId, host: parsed.host, selector: parsed.selector },
        respond,
      );
    case "rotate":
      return handleRotateCommand(
        bot,
        {
          userId: command.userId,
          channelId: command.channelId,
          triggerId: command.triggerId,
          responseUrl: command.responseUrl,
          target: parsed.target,
        },
        respond,
      );
  }
}
