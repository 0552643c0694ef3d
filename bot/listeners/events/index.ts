/** Events API subscriptions: the App Home, published when someone opens its Home tab. */
import type { App } from "@slack/bolt";
import type { BotContext } from "../../context.js";
import { publishHome } from "../../home/publish.js";
import { ranAs } from "../log-requests.js";

export function register(app: App, bot: BotContext): void {
  app.event("app_home_opened", async ({ event, context }) => {
    // Opening the Messages tab (the approval DMs) fires the same event.
    if (event.tab !== "home") return;
    ranAs(context, "app-home");
    if (bot.lifecycle.draining) {
      ranAs(context, "app-home", "restarting");
      return;
    }
    ranAs(context, "app-home", await publishHome(bot, event.user));
  });
}
