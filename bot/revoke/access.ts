/**
 * Who may revoke. Authorized like rotation; refused and audited otherwise. Used by the command
 * (the preview) and by the confirm button. What there is to revoke is read by host-tokens/read.ts.
 */
import type { AuditRecord } from "../../shared/slack/audit-record.js";
import type { BotContext } from "../context.js";
import type { Respond } from "../slack/deliver.js";
import { refusedMessage } from "../slack/messages.js";

export function revokeAuditBase(
  bot: BotContext,
  userId: string,
  host: string,
  selector: string,
): Pick<AuditRecord, "action" | "at" | "actor" | "source" | "host" | "target"> {
  return {
    action: "revoke",
    at: bot.now().toISOString(),
    actor: userId,
    source: "slack",
    host,
    target: selector,
  };
}

/** Refused (and audited) unless the user may rotate. */
async function refusal(
  bot: BotContext,
  userId: string,
): Promise<{ outcome: "unauthorized"; reason: string } | undefined> {
  const decision = await bot.authorizer.canRotate(userId);
  if (!decision.allowed) return { outcome: "unauthorized", reason: decision.reason };
  return undefined;
}

export async function refuseRevoke(
  bot: BotContext,
  userId: string,
  host: string,
  selector: string,
  respond: Respond,
): Promise<string | undefined> {
  const refused = await refusal(bot, userId);
  if (!refused) return undefined;
  await respond({
    ...refusedMessage("revoke host tokens", refused.reason),
    response_type: "ephemeral",
    replace_original: false,
  });
  await bot.auditor.record({
    ...revokeAuditBase(bot, userId, host, selector),
    outcome: refused.outcome,
    reason: refused.reason,
  });
  return refused.outcome;
}
