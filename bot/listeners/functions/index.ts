/**
 * Workflow Builder steps (custom steps: `function_executed` events, Bolt's `app.function`), only
 * with SLACK_WORKFLOW_STEPS=true and the org-ready manifest. Each execution ends with `complete`
 * (the step's outputs) or `fail` (why, in words), both sent with the execution's own token by
 * Bolt (functions.completeSuccess / functions.completeError). That token is never logged.
 */
import type { App } from "@slack/bolt";
import { describeApiError } from "../../../shared/api/error-in-words.js";
import type { BotContext } from "../../context.js";
import { WORKFLOW_STEPS } from "../../workflow-steps/index.js";
import { ranAs } from "../log-requests.js";

export function register(app: App, bot: BotContext): void {
  if (!bot.config.workflowSteps) return;
  for (const { definition, run } of WORKFLOW_STEPS) {
    const kind = `step:${definition.callbackId}`;
    app.function(definition.callbackId, async ({ inputs, complete, fail, context }) => {
      ranAs(context, kind);
      let result: Awaited<ReturnType<typeof run>>;
      if (bot.lifecycle.draining) {
        result = {
          ok: false,
          outcome: "restarting",
          error: "The bot is restarting; run the workflow again in a minute. Nothing was done.",
        };
      } else {
        try {
          result = await run(bot, inputs ?? {});
        } catch (error) {
          const described = describeApiError(error);
          bot.logger.error("workflow_step_error", { step: definition.callbackId, error: described });
          result = {
            ok: false,
            outcome: `error: ${described.code}`,
            error: `${definition.title} could not finish: ${described.text}`,
          };
        }
      }
      try {
        if (result.ok) await complete({ outputs: result.outputs });
        else await fail({ error: result.error });
      } catch (error) {
        // Slack did not take the outcome: the workflow shows the step as running until it times out.
        bot.logger.error("workflow_step_report_failed", {
          step: definition.callbackId,
          outcome: result.outcome,
          error: (error as { data?: { error?: string } }).data?.error ?? describeApiError(error).code,
        });
      }
      ranAs(context, kind, result.ok ? result.outcome : `failed: ${result.outcome}`);
    });
  }
}
