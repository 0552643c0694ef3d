/** "Older" under a history page: the next page, for anyone who may view here. */
import type { App, BlockButtonAction } from "@slack/bolt";
import type { BotContext } from "../../context.js";
import type { Target } from "../../gitpod/reads.js";
import { HISTORY_OLDER_ACTION, parseOlderButton } from "../../history/format.js";
import { refusedMessage } from "../../slack/messages.js";
import { handleHistory } from "../commands/history.js";
import { ranAs } from "../log-requests.js";

export function registerHistoryButtons(app: App, bot: BotContext): void {
  app.action<BlockButtonAction>(HISTORY_OLDER_ACTION, async ({ ack, body, action, respond, context }) => {
    await ack();
    ranAs(context, "history");
    const view = bot.authorizer.canView(body.channel?.id);
    if (!view.allowed) {
      await respond({ ...refusedMessage("view the history here", view.reason), response_type: "ephemeral" });
      ranAs(context, "history", "channel-refused");
      return;
    }
    const older = parseOlderButton(action.value);
    if (!older) {
      await respond({
        text: ":warning: This Older button is not valid: it must carry the id of a history event (a positive whole number) and an optional filter. Run `history` again.",
        response_type: "ephemeral",
        replace_original: false,
      });
      ranAs(context, "history", "bad-button");
      return;
    }
    const filter: Target | undefined = older.filter
      ? older.filter.kind === "id"
        ? { kind: "id", id: older.filter.value }
        : { kind: "host", host: older.filter.value }
      : undefined;
    ranAs(context, "history", await handleHistory(bot, filter, respond, older.before));
  });
}
