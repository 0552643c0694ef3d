/** Every button the bot's messages and modals carry. Each listener acks first, then hands off. */
import type { App } from "@slack/bolt";
import type { BotContext } from "../../context.js";
import { registerApprovalButtons } from "./approvals.js";
import { registerChoiceButtons } from "./choice.js";
import { registerHistoryButtons } from "./history.js";
import { registerHomeButtons } from "./home.js";
import { registerRevokeButtons } from "./revoke.js";

export function register(app: App, bot: BotContext): void {
  registerChoiceButtons(app, bot);
  registerApprovalButtons(app, bot);
  registerHistoryButtons(app, bot);
  registerRevokeButtons(app, bot);
  registerHomeButtons(app, bot);
}
