/** The bot's own messages: help, usage, refusals and the "which one did you mean?" list. */

import type { types } from "@slack/bolt";
import type { ScmIntegration } from "../shared/api/schemas.js";
import { context, type SlackMessage } from "../shared/slack/blocks.js";
import { bold, code, escapeMrkdwn, fallbackText } from "../shared/slack/mrkdwn.js";
import { sections } from "../shared/slack/split.js";
import { runnerLabel } from "../shared/text/runner-label.js";
import { SUBCOMMANDS, type SubcommandName, usageLine } from "./commands.js";

export function helpMessage(command: string): SlackMessage {
  const lines = [
    "*Manage the SCM credentials of our Gitpod runners*",
    `• ${code(usageLine(command, "list"))}: integrations, token counts and expiry. Example: ${code(`${command} list github.com`)}`,
    `• ${code(usageLine(command, "validate"))}: check that the stored OAuth secret still works. Example: ${code(`${command} validate gitlab.com`)}`,
    `• ${code(usageLine(command, "rotate"))}: store a new OAuth client secret (opens a form). Example: ${code(`${command} rotate github.com`)}`,
    `• ${code(usageLine(command, "history"))}: who rotated or validated what, when, with which outcome. Example: ${code(`${command} history github.com`)}`,
    `• ${code(usageLine(command, "revoke"))}: incident button: delete a host's authentication tokens (shows them first, asks you to confirm). Example: ${code(`${command} revoke github.com all-users`)}`,
    `• ${code(usageLine(command, "help"))}: this message.`,
    "",
    ":lock: Never type a secret into the command: secrets go only into the rotate form.",
  ];
  return {
    text: fallbackText(`${command}: list, validate or rotate SCM credentials`),
    blocks: sections(lines.join("\n")),
  };
}

export function usageMessage(command: string, problem: string, subcommand?: SubcommandName): SlackMessage {
  const usage = subcommand
    ? [usageLine(command, subcommand)]
    : SUBCOMMANDS.map((name) => usageLine(command, name));
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
    `${code(usageLine(command, "rotate"))} opens, never into the command text.`;
  return {
    text: "That looks like a secret: the bot did nothing with it. Revoke it and use the rotate form.",
    blocks: sections(text),
  };
}

export function refusedMessage(what: string, reason: string): SlackMessage {
  return {
    text: fallbackText(`Not allowed to ${what}: ${reason}.`),
    blocks: sections(`:lock: You are not allowed to ${escapeMrkdwn(what)}: ${escapeMrkdwn(reason)}.`),
  };
}

export function notFoundMessage(target: string, reason: string): SlackMessage {
  return {
    text: fallbackText(`${target}: ${reason}`),
    blocks: sections(`:mag: ${code(target)}: ${escapeMrkdwn(reason)}`),
  };
}

export type ChoiceAction = "validate" | "rotate";

/** Button action ids are `choose_<action>_<n>` (unique per message, as Slack requires). */
export const CHOICE_ACTION_ID = /^choose_(validate|rotate)_\d+$/;

/** "github.com matches 3 integrations: pick one", one line and one button per integration. */
export function choiceBlocks(
  host: string,
  integrations: readonly ScmIntegration[],
  action: ChoiceAction,
  command: string,
  runnerLabels: Readonly<Record<string, string>>,
): types.KnownBlock[] {
  const verb = action === "validate" ? "Validate" : "Rotate";
  const blocks: types.KnownBlock[] = [
    {
      type: "section",
      text: {
        type: "mrkdwn",
        text: `${code(host)} matches ${integrations.length} integrations. Which one?`,
      },
    },
  ];
  // A modal or message holds at most 50/100 blocks: a host is rarely on more than a few runners.
  for (const [index, integration] of integrations.slice(0, 20).entries()) {
    blocks.push({
      type: "section",
      text: {
        type: "mrkdwn",
        text: `${bold(integration.host ?? "")} · ${escapeMrkdwn(integration.scmId ?? "")}\nRunner ${escapeMrkdwn(runnerLabel(integration.runnerId, runnerLabels?.[integration.runnerId]))}\nID ${code(integration.id)}`,
      },
      accessory: {
        type: "button",
        action_id: `choose_${action}_${index}`,
        text: { type: "plain_text", text: verb },
        value: integration.id,
      },
    });
  }
  blocks.push(context(`Or type ${code(`${command} ${action} <integration-id>`)}.`));
  return blocks;
}

export function choiceMessage(
  host: string,
  integrations: readonly ScmIntegration[],
  action: ChoiceAction,
  command: string,
  runnerLabels: Readonly<Record<string, string>>,
): { text: string; blocks: types.KnownBlock[] } {
  return {
    text: fallbackText(`${host} matches ${integrations.length} integrations: choose one.`),
    blocks: choiceBlocks(host, integrations, action, command, runnerLabels),
  };
}

/** The answer to anything new while the bot shuts down (SIGTERM). */
export const RESTARTING_TEXT = "The bot is restarting; please try again in a minute.";
