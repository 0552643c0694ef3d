/**
 * Four-eyes approval: Approve / Deny (in the audit channel or an approver's DM; a Deny opens a
 * modal that asks why), and the requester's button to the form.
 */
import type { App, BlockButtonAction } from "@slack/bolt";
import { decideApproval, openApprovedForm, openDenyForm } from "../../approvals/flow.js";
import { APPROVE_ACTION, DENY_ACTION, OPEN_FORM_ACTION } from "../../approvals/messages.js";
import type { BotContext } from "../../context.js";
import { ranAs } from "../log-requests.js";

export function registerApprovalButtons(app: App, bot: BotContext): void {
  app.action<BlockButtonAction>(APPROVE_ACTION, async ({ ack, body, action, respond, context }) => {
    await ack();
    ranAs(context, "approval-approve");
    const vote = { approvalId: action.value ?? "", userId: body.user.id, decision: "approve" as const };
    ranAs(context, "approval-approve", await decideApproval(bot, vote, respond));
  });
  app.action<BlockButtonAction>(DENY_ACTION, async ({ ack, body, action, respond, context }) => {
    await ack();
    ranAs(context, "approval-deny-form");
    const press = { approvalId: action.value ?? "", userId: body.user.id, triggerId: body.trigger_id };
    ranAs(context, "approval-deny-form", await openDenyForm(bot, press, respond));
  });
  app.action<BlockButtonAction>(OPEN_FORM_ACTION, async ({ ack, body, action, respond, context }) => {
    await ack();
    ranAs(context, "approval-open-form");
    const request = { approvalId: action.value ?? "", userId: body.user.id, triggerId: body.trigger_id };
    ranAs(context, "approval-open-form", await openApprovedForm(bot, request, respond));
  });
}
