/**
 * Four-eyes approval: Approve / Deny (in the audit channel, an approver's DM or the App Home; a
 * Deny opens a modal that asks why), and the requester's button to the form. After a vote the
 * voter's Home is redrawn (and the requester's once the request is decided).
 */
import type { App, BlockButtonAction, RespondFn } from "@slack/bolt";
import { decideApproval, openApprovedForm, openDenyForm } from "../../approvals/flow.js";
import { APPROVE_ACTION, DENY_ACTION, OPEN_FORM_ACTION } from "../../approvals/messages.js";
import type { BotContext } from "../../context.js";
import { republishAfterVote, republishHome } from "../../home/publish.js";
import type { Respond } from "../../slack/deliver.js";
import { ranAs } from "../log-requests.js";

/**
 * Where a button's answers go: its message's response_url, or, for a button in the App Home
 * (which has none), the notice line of the Home published next.
 */
function answersFor(respond: RespondFn | undefined): { respond: Respond; notice(): string | undefined } {
  if (respond) return { respond, notice: () => undefined };
  const notices: string[] = [];
  return {
    respond: async (message) => {
      notices.push(message.text);
    },
    notice: () => (notices.length > 0 ? notices.join(" ") : undefined),
  };
}

export function registerApprovalButtons(app: App, bot: BotContext): void {
  app.action<BlockButtonAction>(APPROVE_ACTION, async ({ ack, body, action, respond, context }) => {
    await ack();
    ranAs(context, "approval-approve");
    const answers = answersFor(respond);
    const vote = { approvalId: action.value ?? "", userId: body.user.id, decision: "approve" as const };
    ranAs(context, "approval-approve", await decideApproval(bot, vote, answers.respond));
    await republishAfterVote(bot, vote, answers.notice());
  });
  app.action<BlockButtonAction>(DENY_ACTION, async ({ ack, body, action, respond, context }) => {
    await ack();
    ranAs(context, "approval-deny-form");
    const answers = answersFor(respond);
    const press = { approvalId: action.value ?? "", userId: body.user.id, triggerId: body.trigger_id };
    ranAs(context, "approval-deny-form", await openDenyForm(bot, press, answers.respond));
    // Refused without a modal (pressed in the Home): the refusal is shown in the Home.
    const notice = answers.notice();
    if (notice) await republishHome(bot, press.userId, notice);
  });
  app.action<BlockButtonAction>(OPEN_FORM_ACTION, async ({ ack, body, action, respond, context }) => {
    await ack();
    ranAs(context, "approval-open-form");
    const request = { approvalId: action.value ?? "", userId: body.user.id, triggerId: body.trigger_id };
    ranAs(context, "approval-open-form", await openApprovedForm(bot, request, answersFor(respond).respond));
  });
}
