/**
 * `rotate-token <host> <service-account-id> [runner]`: open the modal at once (loading), then find
 * the service account's host token fresh in Gitpod and show the form for the new token, the
 * four-eyes request, or why not. The token is never typed into the command: a word that looks
 * like one makes the whole command refused without echoing it.
 */
import type { AuditRecord } from "../../../shared/slack/audit-record.js";
import { code, escapeMrkdwn } from "../../../shared/slack/mrkdwn.js";
import type { BotContext } from "../../context.js";
import { chooseServiceAccountToken, runnersOf } from "../../host-tokens/find.js";
import { readManagedHostTokens } from "../../host-tokens/read.js";
import { hostTokenOf } from "../../rotations/credential.js";
import { messageView, type RotateModalMetadata, tokenFormView } from "../../rotations/rotate-form.js";
import { rotationAuditBase } from "../../rotations/slack-rotation.js";
import type { Respond } from "../../slack/deliver.js";
import { inViewChannel } from "./authorize.js";
import { defineCommand, ParseProblem, SECRET_TYPED } from "./command.js";
import { lookingUp, type ModalRequest, openRotateModal, showFormOrApprovalRequest } from "./rotate-modal.js";
import { isUuid, looksLikeSecret, parseTarget } from "./words.js";

export interface RotateTokenTarget {
  host: string;
  serviceAccountId: string;
  /** A runner id or its name in GITPOD_RUNNER_IDS, when the service account has tokens on several. */
  runner?: string;
}

const RUNNER_WORD = /^[a-z0-9][a-z0-9._-]{0,62}$/i;

export const rotateTokenCommand = defineCommand({
  name: "rotate-token",
  usage: "<host> <service-account-id> [runner]",
  summary: "store a service account's new host authentication token (opens a form)",
  example: "rotate-token github.com 7d1e6f0a-2b3c-4d5e-8f90-a1b2c3d4e5f6",
  auditRefusals: true,
  parse: parseRotateToken,
  // Who may rotate is checked in the handler: the modal must open first (the trigger's three seconds).
  authorize: inViewChannel,
  handle: (bot, command, args, respond) =>
    handleRotateTokenCommand(bot, { ...command, target: args.target }, respond),
});

/** The words after `rotate-token`. Pure. Problems never quote what was typed. */
export function parseRotateToken(args: readonly string[]): { target: RotateTokenTarget } | ParseProblem {
  // The table refuses secret-looking words before parsing; checked here too, so this stands alone.
  if (args.some(looksLikeSecret)) return SECRET_TYPED;
  const [hostWord, accountWord, runnerWord, ...extra] = args;
  // Anything beyond the three expected words may be a pasted token: refuse rather than guess.
  if (extra.length > 0) return SECRET_TYPED;
  const target = hostWord === undefined ? undefined : parseTarget(hostWord);
  if (target?.kind !== "host") return new ParseProblem("which host? Give the SCM host, e.g. github.com.");
  if (accountWord === undefined)
    return new ParseProblem("which service account? Give its Gitpod id (a UUID).");
  if (!isUuid(accountWord))
    return new ParseProblem("the service account is given by its Gitpod id (a UUID).");
  if (runnerWord !== undefined && !RUNNER_WORD.test(runnerWord)) return SECRET_TYPED;
  return {
    target: {
      host: target.host,
      serviceAccountId: accountWord.toLowerCase(),
      ...(runnerWord === undefined ? {} : { runner: runnerWord }),
    },
  };
}

/** How the audit names a request before a token is found: the host and the service account. */
function requestedToken(target: RotateTokenTarget): Partial<AuditRecord> {
  const owner = `service account ${target.serviceAccountId}`;
  return { host: target.host, tokenOwner: owner, target: owner };
}

/** The modal must open within the trigger's three seconds: open first, look up after. */
async function handleRotateTokenCommand(
  bot: BotContext,
  request: ModalRequest<RotateTokenTarget>,
  respond: Respond,
): Promise<string> {
  const metadata: RotateModalMetadata = {
    kind: "host-token",
    responseUrl: request.responseUrl,
    channelId: request.channelId,
  };
  const modal = await openRotateModal(
    bot,
    request,
    { command: "rotate-token", kind: "host-token", metadata, auditSubject: requestedToken(request.target) },
    respond,
  );
  if (!modal.ok) return modal.outcome;
  const { show } = modal;

  const { host, serviceAccountId } = request.target;
  const choice = await lookingUp(show, metadata, "the host token", async () =>
    chooseServiceAccountToken(
      await readManagedHostTokens(bot),
      request.target,
      bot.runnerIds,
      bot.runnerLabels,
    ),
  );
  switch (choice.kind) {
    case "none":
      await show(messageView(`:mag: ${escapeMrkdwn(host)}: ${escapeMrkdwn(choice.reason)}.`, metadata));
      return "not-found";
    case "user-token":
      await show(
        messageView(
          `:no_entry_sign: Not rotated: ${escapeMrkdwn(choice.reason)}. Nothing was changed.`,
          metadata,
        ),
      );
      await bot.auditor.record({
        ...rotationAuditBase(bot, "host-token", request.userId),
        ...requestedToken(request.target),
        outcome: "refused",
        reason: choice.reason,
      });
      return "user-token-refused";
    case "many": {
      const example = `${bot.config.command} rotate-token ${host} ${serviceAccountId} <runner>`;
      await show(
        messageView(
          `:point_right: That service account has a ${escapeMrkdwn(host)} token on ${choice.tokens.length} runners (${escapeMrkdwn(runnersOf(choice.tokens, bot.runnerLabels))}). Name the runner: ${code(example)}`,
          metadata,
        ),
      );
      return "ambiguous";
    }
    case "one":
      return showFormOrApprovalRequest(bot, show, {
        credential: hostTokenOf(choice.token),
        channelId: request.channelId,
        form: () => tokenFormView(choice.token, metadata, bot.runnerLabels),
      });
  }
}
