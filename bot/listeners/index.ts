/**
 * Every listener, laid out as Bolt apps are: one folder per kind of request, each with a
 * `register(app)`. Cross-cutting work is Bolt middleware: the log line with timing for every
 * request here, the restarting/busy answers on the command in `commands/`. `events/` holds the
 * Events API subscriptions (the App Home), `functions/` the Workflow Builder steps (opt-in).
 */
import type { App } from "@slack/bolt";
import type { BotContext } from "../context.js";
import type { InFlightLimit } from "../server/in-flight-limit.js";
import * as actions from "./actions/index.js";
import * as commands from "./commands/index.js";
import * as events from "./events/index.js";
import * as functions from "./functions/index.js";
import { logRequests, type RequestSeen } from "./log-requests.js";
import * as views from "./views/index.js";

export function registerListeners(
  app: App,
  bot: BotContext,
  followUps: InFlightLimit,
  onRequest?: (request: RequestSeen) => void,
): void {
  app.use(logRequests(bot.logger, onRequest));
  commands.register(app, bot, followUps);
  actions.register(app, bot);
  views.register(app, bot);
  events.register(app, bot);
  functions.register(app, bot);
}
