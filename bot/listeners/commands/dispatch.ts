/**
 * Runs a parsed slash command from the table: usage and secret answers, the module's authorization
 * (refusals audited when the module asks for it), then its handler.
 */
import type { AuditRecord } from "../../../shared/slack/audit-record.js";
import type { BotContext } from "../../context.js";
import type { Respond } from "../../slack/deliver.js";
import { refusedMessage } from "../../slack/messages.js";
import type { CommandModule, SlashCommand } from "./command.js";
import { secretRefusedMessage, usageMessage } from "./help.js";
import { COMMANDS, commandNamed, type ParsedCommand } from "./table.js";

function refusalRecord(
  bot: BotContext,
  module: CommandModule,
  command: SlashCommand,
  outcome: "refused" | "unauthorized",
  reason: string,
): AuditRecord {
  return {
    action: module.name,
    at: bot.now().toISOString(),
    actor: command.userId,
    source: "slack",
    outcome,
    reason,
  };
}

/** Returns the outcome for the log line. */
export async function dispatch(
  bot: BotContext,
  command: SlashCommand,
  parsed: ParsedCommand,
  respond: Respond,
): Promise<string> {
  const name = bot.config.command;
  const ephemeral = { response_type: "ephemeral" } as const;
  if (parsed.kind === "usage") {
    const named = parsed.subcommand ? commandNamed(parsed.subcommand) : undefined;
    await respond({ ...usageMessage(name, parsed.problem, named ? [named] : COMMANDS), ...ephemeral });
    return "usage";
  }
  if (parsed.kind === "secret") {
    await respond({ ...secretRefusedMessage(name), ...ephemeral });
    const module = commandNamed(parsed.subcommand);
    if (module?.auditRefusals) {
      await bot.auditor.record(
        refusalRecord(
          bot,
          module,
          command,
          "refused",
          "a secret-looking value was typed into the command; the user was told to revoke it",
        ),
      );
    }
    return "secret-refused";
  }
  const { kind, ...args } = parsed;
  const module = commandNamed(kind);
  if (!module) throw new Error(`no module for the parsed subcommand ${kind}`);
  const refusal = await module.authorize(bot, command);
  if (refusal) {
    await respond({ ...refusedMessage(refusal.what, refusal.reason), ...ephemeral });
    if (module.auditRefusals)
      await bot.auditor.record(refusalRecord(bot, module, command, "unauthorized", refusal.reason));
    return refusal.outcome;
  }
  return module.handle(bot, command, args, respond);
}
