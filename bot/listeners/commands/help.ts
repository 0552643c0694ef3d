/** `help`, and the answers built from the command table: help, usage, and "that was a secret". */
import type { SlackMessage } from "../../../shared/slack/blocks.js";
import { code, escapeMrkdwn, fallbackText } from "../../../shared/slack/mrkdwn.js";
import { sections } from "../../../shared/slack/split.js";
import { anyone } from "./authorize.js";
import { type CommandModule, defineCommand, usageLine } from "./command.js";
import { rotateCommand } from "./rotate.js";

/** The table is passed in (a getter) because it lists help itself. */
export function helpCommand(table: () => readonly CommandModule[]) {
  return defineCommand({
    name: "help",
    usage: "",
    summary: "this message",
    parse: () => ({}),
    authorize: anyone,
    async handle(bot, _command, _args, respond) {
      await respond({ ...helpMessage(bot.config.command, table()), response_type: "ephemeral" });
      return "help";
    },
  });
}

function helpMessage(command: string, table: readonly CommandModule[]): SlackMessage {
  const lines = [
    "*Manage the SCM credentials of our Gitpod runners*",
    ...table.map((module) => {
      const example = module.example ? ` Example: ${code(`${command} ${module.example}`)}` : "";
      return `• ${code(usageLine(command, module))}: ${module.summary}.${example}`;
    }),
    "",
    ":lock: Never type a secret into the command: secrets go only into the rotate form.",
  ];
  return {
    text: fallbackText(`${command}: list, validate or rotate SCM credentials`),
    blocks: sections(lines.join("\n")),
  };
}

/** The problem, then the usage of that subcommand, or of every subcommand when it is unknown. */
export function usageMessage(
  command: string,
  problem: string,
  modules: readonly Pick<CommandModule, "name" | "usage">[],
): SlackMessage {
  const usage = modules.map((module) => usageLine(command, module));
  const lines = [
    `:information_source: ${escapeMrkdwn(problem)}`,
    ...usage.map((line) => `Usage: ${code(line)}`),
  ];
  return { text: fallbackText(`${problem} Usage: ${usage.join(" | ")}`), blocks: sections(lines.join("\n")) };
}

export function secretRefusedMessage(command: string): SlackMessage {
  const text =
    ":rotating_light: That looks like a secret, so the bot did nothing with it. *Treat it as leaked: revoke it* " +
    "at your SCM host and create a new one. Secrets go only into the form that " +
    `${code(usageLine(command, rotateCommand))} opens, never into the command text.`;
  return {
    text: "That looks like a secret: the bot did nothing with it. Revoke it and use the rotate form.",
    blocks: sections(text),
  };
}
