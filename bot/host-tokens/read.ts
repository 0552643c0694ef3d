/**
 * Reading host authentication tokens fresh from Gitpod (not the list cache: what is rotated or
 * deleted must be what is there now), limited to the bot's runners.
 */
import { hostTokensOfRunner, readEachRunner } from "../../shared/api/live-reads.js";
import type { HostAuthenticationToken } from "../../shared/api/resources/host-authentication-tokens.wire.js";
import type { BotContext } from "../context.js";

export function readManagedHostTokens(
  bot: Pick<BotContext, "gitpod" | "runnerIds">,
): Promise<HostAuthenticationToken[]> {
  // Each runner's tokens only: the bot never acts on another runner's token.
  return readEachRunner(bot.runnerIds, (runnerId) => hostTokensOfRunner(bot.gitpod, runnerId));
}
