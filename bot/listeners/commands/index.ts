/**
 * The slash command. Listener middleware answers at once while the bot shuts down ("restarting")
 * or has too much follow-up work in flight ("busy"); the listener acks, then dispatches from the
 * command table.
 */
import type { App, Middleware, SlackCommandMiddlewareArgs } from "@slack/bolt";
import type { BotContext } from "../../context.js";
import { BUSY_TEXT, type InFlightLimit } from "../../server/in-flight-limit.js";
import { RESTARTING_TEXT } from "../../slack/messages.js";
import { ranAs } from "../log-requests.js";
import { dispatch } from "./dispatch.js";
import { parseCommand } from "./table.js";

type CommandMiddleware = Middleware<SlackCommandMiddlewareArgs>;

function refuseWhileDraining(bot: BotContext): CommandMiddleware {
  return async ({ ack, context, next }) => {
    if (!bot.lifecycle.draining) return next();
    await ack({ response_type: "ephemeral", text: RESTARTING_TEXT });
    ranAs(context, "command", "restarting");
  };
}

/**
 * Under a burst, unbounded follow-up work would starve the acks of everyone else: past the limit
 * the ack itself says "busy" and no Gitpod call is made.
 */
function limitInFlight(followUps: InFlightLimit): CommandMiddleware {
  return async ({ ack, context, next }) => {
    if (!followUps.tryEnter()) {
      await ack({ response_type: "ephemeral", text: BUSY_TEXT });
      ranAs(context, "command", "busy", {
        quiet: true,
        fields: { inFlight: followUps.inFlight, refused: followUps.refused },
      });
      return;
    }
    try {
      await next();
    } finally {
      followUps.leave();
    }
  };
}

export function register(app: App, bot: BotContext, followUps: InFlightLimit): void {
  app.command(
    bot.config.command,
    refuseWhileDraining(bot),
    limitInFlight(followUps),
    async ({ command, ack, respond, context }) => {
      await ack();
      const parsed = parseCommand(command.text ?? "");
      ranAs(context, parsed.kind);
      const outcome = await dispatch(
        bot,
        {
          text: command.text ?? "",
          userId: command.user_id,
          channelId: command.channel_id,
          triggerId: command.trigger_id,
          responseUrl: command.response_url,
        },
        parsed,
        respond,
      );
      ranAs(context, parsed.kind, outcome);
    },
  );
}
