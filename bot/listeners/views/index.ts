/** Modal submissions: the rotate form and the host token form. */
import type { App } from "@slack/bolt";
import type { BotContext } from "../../context.js";
import { registerRotateSubmission } from "./rotate-submit.js";
import { registerRotateTokenSubmission } from "./rotate-token-submit.js";

export function register(app: App, bot: BotContext): void {
  registerRotateSubmission(app, bot);
  registerRotateTokenSubmission(app, bot);
}
