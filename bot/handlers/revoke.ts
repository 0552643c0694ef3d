/**
 * `revoke <host> [@user-id | all-users | service-account <id>]`, the incident button: show exactly
 * which host tokens would be deleted, and delete exactly those when the same person confirms.
 * Authorized like rotation; refused and audited otherwise. A token already gone is not an error.
 */

import { describeApiError } from "../../shared/api/error-in-words.js";
import { collectEveryPage } from "../../shared/api/pagination.js";
import type { HostAuthenticationToken } from "../../shared/api/schemas.js";
import type { AuditRecord } from "../../shared/slack/audit-record.js";
import { fallbackText } from "../../shared/slack/mrkdwn.js";
import type { RevokeSelector } from "../commands.js";
import type { BotContext } from "../context.js";
import type { Respond } from "../deliver.js";
import { refusedMessage } from "../messages.js";
import {
  MAX_TOKENS_PER_REVOKE,
  parseRevokeButton,
  previewMessage,
  type RevokeResult,
  resultMessage,
  selectorText,
  selectTokens,
} from "../revoke/preview.js";

function auditBase(
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

/** Refused (and audited) unless the user may rotate, and while four-eyes approval is on. */
async function refusal(
  bot: BotContext,
  userId: string,
): Promise<{ outcome: "unauthorized" | "refused"; reason: string } | undefined> {
  const decision = await bot.authorizer.canRotate(userId);
  if (!decision.allowed) return { outcome: "unauthorized", reason: decision.reason };
  if (bot.config.approvals.required > 0)
    return {
      outcome: "refused",
      reason:
        "four-eyes approval is on, and revoke does not support approval yet: ask an admin to delete the tokens through the Gitpod API",
    };
  return undefined;
}

async function refuse(
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
    ...auditBase(bot, userId, host, selector),
    outcome: refused.outcome,
    reason: refused.reason,
  });
  return refused.outcome;
}

/** Every managed runner's tokens, read fresh (not the list cache): this preview is what gets deleted. */
async function currentTokens(bot: BotContext): Promise<HostAuthenticationToken[]> {
  const perRunner = await Promise.all(
    bot.runnerIds.map((runnerId) =>
      collectEveryPage(bot.gitpod.hostAuthenticationTokens.list({ filter: { runnerId } })),
    ),
  );
  // The filter is the API's job, but the bot never acts on another runner's token.
  return perRunner
    .flat()
    .filter((token) => token.runnerId === undefined || bot.runnerIds.includes(token.runnerId));
}

export async function handleRevokeCommand(
  bot: BotContext,
  request: { userId: string; host: string; selector: RevokeSelector },
  respond: Respond,
): Promise<string> {
  const whose = selectorText(request.selector);
  const refused = await refuse(bot, request.userId, request.host, whose, respond);
  if (refused) return refused;
  let tokens: HostAuthenticationToken[];
  try {
    tokens = selectTokens(await currentTokens(bot), request.host, request.selector);
  } catch (error) {
    await respond({
      text: fallbackText(
        `Could not read the host tokens (${describeApiError(error).text}); nothing was deleted.`,
      ),
      response_type: "ephemeral",
    });
    throw error;
  }
  const message = previewMessage(
    { host: request.host, selector: request.selector, tokens },
    request.userId,
    bot.runnerLabels,
  );
  await respond({ ...message, response_type: "ephemeral" });
  if (tokens.length === 0) return "revoke-nothing";
  return tokens.length > MAX_TOKENS_PER_REVOKE ? "revoke-too-many" : `revoke-preview ${tokens.length}`;
}

/** The confirm button: only the person who asked, still authorized, deletes exactly the previewed ids. */
export async function handleRevokeConfirm(
  bot: BotContext,
  press: { userId: string; value: string | undefined },
  respond: Respond,
): Promise<string> {
  const value = parseRevokeButton(press.value);
  if (!value) return "revoke-bad-button";
  if (press.userId !== value.requester) {
    await respond({
      ...refusedMessage("confirm this revoke", "only the person who asked for it can confirm it"),
      response_type: "ephemeral",
      replace_original: false,
    });
    await bot.auditor.record({
      ...auditBase(bot, press.userId, value.host, value.selector),
      outcome: "refused",
      reason: "pressed someone else's revoke confirmation",
    });
    return "revoke-not-requester";
  }
  const refused = await refuse(bot, press.userId, value.host, value.selector, respond);
  if (refused) return refused;

  const result: RevokeResult = { deleted: [], alreadyGone: [], failed: [] };
  for (const id of value.ids) {
    try {
      await bot.gitpod.hostAuthenticationTokens.delete({ id });
      result.deleted.push(id);
    } catch (error) {
      const described = describeApiError(error);
      if (described.code === "not_found") result.alreadyGone.push(id);
      else result.failed.push({ id, reason: described.text });
    }
  }
  const summary = `${result.deleted.length} deleted, ${result.alreadyGone.length} already gone, ${result.failed.length} not deleted (${value.ids.length} confirmed)`;
  await respond({ ...resultMessage(value.host, value.selector, result), replace_original: true });
  await bot.auditor.record({
    ...auditBase(bot, press.userId, value.host, value.selector),
    outcome: result.failed.length > 0 ? "failed" : "revoked",
    reason: result.failed.length > 0 ? `${summary}; the state of those not deleted is unknown` : summary,
  });
  return `revoke ${summary}`;
}
