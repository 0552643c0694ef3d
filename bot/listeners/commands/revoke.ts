/**
 * `revoke <host> [@user-id | all-users | service-account <id>]`, the incident button: show exactly
 * which host tokens would be deleted; the confirm button (listeners/actions/revoke.ts) deletes them,
 * or asks for approval first when four-eyes approval is on (bot/revoke/approval.ts).
 */
import { randomUUID } from "node:crypto";
import { describeApiError } from "../../../shared/api/error-in-words.js";
import { fallbackText } from "../../../shared/slack/mrkdwn.js";
import type { BotContext } from "../../context.js";
import { readManagedHostTokens } from "../../host-tokens/read.js";
import { refuseRevoke } from "../../revoke/access.js";
import {
  MAX_TOKENS_PER_REVOKE,
  previewMessage,
  REVOKE_PREVIEW_TTL_MS,
  type RevokeSelector,
  selectorText,
  selectTokens,
} from "../../revoke/preview.js";
import type { Respond } from "../../slack/deliver.js";
import { inViewChannel } from "./authorize.js";
import { defineCommand, ParseProblem } from "./command.js";
import { isUuid, parseTarget } from "./words.js";

export const revokeCommand = defineCommand({
  name: "revoke",
  usage: "<host> [@user-id | all-users | service-account <id>]",
  summary:
    "incident button: delete a host's authentication tokens (shows them first, asks you to confirm, and for approval when four-eyes approval is on)",
  example: "revoke github.com all-users",
  auditRefusals: true,
  parse: parseRevoke,
  authorize: inViewChannel,
  handle: (bot, command, args, respond) =>
    handleRevokeCommand(bot, { userId: command.userId, ...args }, respond),
});

/** Owners are Gitpod ids (UUIDs): no mapping from Slack users or service-account names exists. */
function parseRevoke(args: readonly string[]): { host: string; selector: RevokeSelector } | ParseProblem {
  const [hostWord, ...rest] = args;
  const target = hostWord === undefined ? undefined : parseTarget(hostWord);
  if (target?.kind !== "host") return new ParseProblem("which host? Give the SCM host, e.g. github.com.");
  const host = target.host;
  const [first, second, ...extra] = rest;
  if (first === undefined) return { host, selector: { kind: "everyone" } };
  const word = first.toLowerCase();
  if (word === "all-users" && second === undefined) return { host, selector: { kind: "all-users" } };
  if (word === "service-account" && second !== undefined && extra.length === 0 && isUuid(second))
    return { host, selector: { kind: "service-account", id: second.toLowerCase() } };
  const user = /^@?([0-9a-f-]{36})$/i.exec(first)?.[1];
  if (user && isUuid(user) && second === undefined)
    return { host, selector: { kind: "user", id: user.toLowerCase() } };
  return new ParseProblem(
    "after the host give @<gitpod-user-id>, all-users or service-account <id> (or nothing for every token).",
  );
}

async function handleRevokeCommand(
  bot: BotContext,
  request: { userId: string; host: string; selector: RevokeSelector },
  respond: Respond,
): Promise<string> {
  const whose = selectorText(request.selector);
  const refused = await refuseRevoke(bot, request.userId, request.host, whose, respond);
  if (refused) return refused;
  let tokens: Awaited<ReturnType<typeof readManagedHostTokens>>;
  try {
    tokens = selectTokens(await readManagedHostTokens(bot), request.host, request.selector);
  } catch (error) {
    await respond({
      text: fallbackText(
        `Could not read the host tokens (${describeApiError(error).text}); nothing was deleted.`,
      ),
      response_type: "ephemeral",
    });
    throw error;
  }
  // What the confirm button deletes is kept here; the button carries only this id.
  const previewId = randomUUID();
  if (tokens.length > 0 && tokens.length <= MAX_TOKENS_PER_REVOKE) {
    const now = Date.now();
    await bot.store.createRevokePreview({
      id: previewId,
      requester: request.userId,
      host: request.host,
      selector: whose,
      ids: tokens.map((token) => token.id),
      createdAt: now,
      expiresAt: now + REVOKE_PREVIEW_TTL_MS,
    });
  }
  const message = previewMessage(
    { host: request.host, selector: request.selector, tokens },
    previewId,
    bot.runnerLabels,
  );
  await respond({ ...message, response_type: "ephemeral" });
  if (tokens.length === 0) return "revoke-nothing";
  return tokens.length > MAX_TOKENS_PER_REVOKE ? "revoke-too-many" : `revoke-preview ${tokens.length}`;
}
