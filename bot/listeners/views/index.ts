/** Modal submissions: the rotate form, the host token form, the LLM API key form and the approval reasons. */
import type { App } from "@slack/bolt";
import type { BotContext } from "../../context.js";
import { registerApprovalSubmissions } from "./approval-submit.js";
import { registerRotateLlmSubmission } from "./rotate-llm-submit.js";
import { registerRotateSubmission } from "./rotate-submit.js";
import { registerRotateTokenSubmission } from "./rotate-token-submit.js";

export function register(app: App, bot: BotContext): void {
  registerRotateSubmission(app, bot);
  registerRotateTokenSubmission(app, bot);
  registerRotateLlmSubmission(app, bot);
  registerApprovalSubmissions(app, bot);
}
