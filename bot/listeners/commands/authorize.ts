/** Authorization shared by subcommands. Per-person checks that need a modal first stay in handlers. */
import type { BotContext } from "../../context.js";
import type { Refusal, SlashCommand } from "./command.js";

/** Anyone, anywhere (help). */
export function anyone(): undefined {
  return undefined;
}

/** Only in the channels allowed to view (SLACK_VIEW_CHANNEL_IDS; every channel when unset). */
export function inViewChannel(bot: BotContext, command: SlashCommand): Refusal | undefined {
  const view = bot.authorizer.canView(command.channelId);
  if (view.allowed) return undefined;
  return { what: `use ${bot.config.command} here`, reason: view.reason, outcome: "channel-refused" };
}
