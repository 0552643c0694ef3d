/**
 * Publishing a person's App Home (views.publish): when they open it, press Refresh, and after a
 * rotation they made or a request they decided, so the Home shows what just happened.
 */
import { describeApiError } from "../../shared/api/error-in-words.js";
import type { BotContext } from "../context.js";
import { readHome } from "./read.js";
import { homeView } from "./view.js";

/** Reads and publishes `userId`'s Home; resolves with the outcome for the log line. */
export async function publishHome(bot: BotContext, userId: string, notice?: string): Promise<string> {
  const model = await readHome(bot, userId, notice);
  await bot.slack.views.publish({ user_id: userId, view: homeView(model) });
  if (!model.health.shown) return `published: ${model.health.why}`;
  return model.health.readError ? "published: gitpod unreadable" : "published";
}

/**
 * After something the person did elsewhere: their Home is redrawn; a failure is logged, never
 * thrown. Not while the bot shuts down: it reads Gitpod, and the next open draws it anyway.
 */
export async function republishHome(bot: BotContext, userId: string, notice?: string): Promise<void> {
  if (bot.lifecycle.draining) return;
  try {
    await publishHome(bot, userId, notice);
  } catch (error) {
    bot.logger.warn("home_publish_failed", { user: userId, error: describeApiError(error).code });
  }
}

/** The Homes a vote changes: the voter's, and the requester's once the request is decided. */
export async function republishAfterVote(
  bot: BotContext,
  vote: { approvalId: string; userId: string },
  notice?: string,
): Promise<void> {
  await republishHome(bot, vote.userId, notice);
  const approval = await bot.store.getApproval(vote.approvalId).catch(() => undefined);
  if (approval && approval.status !== "pending" && approval.requester !== vote.userId)
    await republishHome(bot, approval.requester);
}
