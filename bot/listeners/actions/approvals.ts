/** Four-eyes approval: Approve / Deny in the audit channel, and the requester's button to the form. */
import type { App, BlockButtonAction } from "@slack/bolt";
import { decideApproval, openApprovedForm } from "../../approvals/flow.js";
import { APPROVE_ACTION, DENY_ACTION, OPEN_FORM_ACTION } from "../../approvals/messages.js";
import type { BotContext } from "../../context.js";
import { ranAs } from "../log-requests.js";

export function registerApprovalButtons(app: App, bot: BotContext): void {
  for (const [actionId, decision] of [
    [APPROVE_ACTION, "approve"],
    [DENY_ACTION, "deny"],
  ] as const) {
    app.action<BlockButtonAction>(actionId, async ({ ack, body, action, respond, context }) => {
      await ack();
      const kind = `approval-${decision}`;
      ranAs(context, kind);
      const vote = { approvalId: action.value ?? "", userId: body.user.id, decision };
      ranAs(context, kind, await decideApproval(bot, vote, respond));
    });
  }
  app.action<BlockButtonAction>(OPEN_FORM_ACTION, async ({ ack, body, action, respond, context }) => {
    await ack();
    ranAs(context, "approval-open-form");
    const request = { approvalId: action.value ?? "", userId: body.user.id, triggerId: body.trigger_id };
    ranAs(context, "approval-open-form", await openApprovedForm(bot, request, respond));
  });
}
