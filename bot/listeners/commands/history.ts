/** `history [integration-id | host]`: the last rotations, validations and approvals, from the store. */
import { escapeMrkdwn } from "../../../shared/slack/mrkdwn.js";
import type { BotContext } from "../../context.js";
import type { Target } from "../../gitpod/reads.js";
import { formatHistory, HISTORY_PAGE_SIZE, type OlderButtonValue } from "../../history/format.js";
import type { Respond } from "../../slack/deliver.js";
import type { Approval } from "../../state/store.js";
import { inViewChannel } from "./authorize.js";
import { defineCommand } from "./command.js";
import { parseOptionalTarget } from "./words.js";

export const historyCommand = defineCommand({
  name: "history",
  usage: "[integration-id | host]",
  summary: "who rotated or validated what, when, with which outcome",
  example: "history github.com",
  parse: (args) => parseOptionalTarget(args, "integration id or host"),
  authorize: inViewChannel,
  handle: (bot, _command, args, respond) => handleHistory(bot, args.filter, respond),
});

/** A page of the history; also the "Older" button under a page. */
export async function handleHistory(
  bot: BotContext,
  filter: Target | undefined,
  respond: Respond,
  before?: number,
): Promise<string> {
  let page: Awaited<ReturnType<BotContext["store"]["history"]>>;
  try {
    page = await bot.store.history({
      ...(filter?.kind === "id" ? { integrationId: filter.id } : {}),
      ...(filter?.kind === "host" ? { host: filter.host } : {}),
      limit: HISTORY_PAGE_SIZE + 1,
      ...(before !== undefined ? { beforeId: before } : {}),
    });
  } catch (error) {
    // The store's failure, not Gitpod's: logged as such, and the request's line says store-failed.
    const reason = error instanceof Error ? error.message : String(error);
    bot.logger.error("history_store_failed", { error: reason });
    await respond({
      text: `:warning: The bot's state store did not answer (${escapeMrkdwn(reason)}), so the history cannot be shown right now.`,
      response_type: "ephemeral",
    });
    return "store-failed";
  }
  const events = page.slice(0, HISTORY_PAGE_SIZE);
  const more = page.length > HISTORY_PAGE_SIZE;
  const approvals: Record<string, Approval> = {};
  for (const id of new Set(events.flatMap((event) => (event.approvalId ? [event.approvalId] : [])))) {
    const approval = await bot.store.getApproval(id);
    if (approval) approvals[id] = approval;
  }
  const last = events.at(-1);
  const filterText = filter ? (filter.kind === "id" ? filter.id : filter.host) : undefined;
  const button: OlderButtonValue | undefined =
    more && last
      ? {
          before: last.id,
          ...(filter ? { filter: { kind: filter.kind, value: filterText ?? "" } } : {}),
        }
      : undefined;
  const message = formatHistory(
    {
      ...(filterText ? { filter: filterText } : {}),
      events,
      approvals,
      ...(button ? { olderThan: button.before } : {}),
    },
    button,
  );
  await respond({ ...message, response_type: "ephemeral", replace_original: false });
  return `history ${events.length}${more ? "+" : ""}`;
}
