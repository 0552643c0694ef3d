/** Modal submissions: the rotate form. */
import type { App } from "@slack/bolt";
import type { BotContext } from "../../context.js";
import { registerRotateSubmission } from "./rotate-submit.js";

export function register(app: App, bot: BotContext): void {
  registerRotateSubmission(app, bot);
}
