/**
 * Reading host authentication tokens fresh from Gitpod (not the list cache: what is rotated or
 * deleted must be what is there now), limited to the bot's runners.
 */
import { collectEveryPage } from "../../shared/api/pagination.js";
import type { HostAuthenticationToken } from "../../shared/api/schemas.js";
import type { BotContext } from "../context.js";

export async function readManagedHostTokens(
  bot: Pick<BotContext, "gitpod" | "runnerIds">,
): Promise<HostAuthenticationToken[]> {
  const perRunner = await Promise.all(
    bot.runnerIds.map((runnerId) =>
      collectEveryPage(bot.gitpod.hostAuthenticationTokens.list({ filter: { runnerId } })),
    ),
  );
  // The filter is the API's job, but the bot never acts on another runner's token.
  return perRunner
    .flat()
    .filter((token) => token.runnerId === undefined || bot.runnerIds.includes(token.runnerId));
}
