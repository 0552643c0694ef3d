/** The bot's own messages: refusals, "not found" and the "which one did you mean?" list. */

import type { types } from "@slack/bolt";
import type { ScmIntegration } from "../../shared/api/resources/scm-integrations.wire.js";
import { context, type SlackMessage } from "../../shared/slack/blocks.js";
import { bold, code, escapeMrkdwn, fallbackText } from "../../shared/slack/mrkdwn.js";
import { sections } from "../../shared/slack/split.js";
import { runnerLabel } from "../../shared/text/runner-label.js";

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
