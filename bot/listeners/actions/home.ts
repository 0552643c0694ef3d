/** The App Home's Refresh button: the Home read and published again for whoever pressed it. */
import type { App, BlockButtonAction } from "@slack/bolt";
import type { BotContext } from "../../context.js";
import { publishHome } from "../../home/publish.js";
import { HOME_REFRESH_ACTION } from "../../home/view.js";
import { ranAs } from "../log-requests.js";

export function registerHomeButtons(app: App, bot: BotContext): void {
  app.action<BlockButtonAction>(HOME_REFRESH_ACTION, async ({ ack, body, context }) => {
    await ack();
    ranAs(context, "app-home-refresh");
    ranAs(context, "app-home-refresh", await publishHome(bot, body.user.id));
  });
}
