/**
 * The host token form was submitted: read the token fresh (still there, still a service
 * account's, still on the bot's runners) and hand it to the path every Slack rotation takes
 * (rotations/slack-rotation.ts) with the host token protocol: read, test (skipped: the API has
 * none), update, read back. The token is handed to the protocol and dropped; it is in no message,
 * log or record.
 */
import type { App } from "@slack/bolt";
import { isServiceAccountToken } from "../../../shared/api/matching.js";
import { rotateHostToken } from "../../../shared/rotation/host-token.js";
import type { BotContext } from "../../context.js";
import { USER_TOKEN_REASON } from "../../host-tokens/find.js";
import { hostTokenOf } from "../../rotations/credential.js";
import { readFreshCredential, submissionRefusal } from "../../rotations/fresh-read.js";
import { journaledHostTokenApi } from "../../rotations/journaled-api.js";
import {
  decodeMetadata,
  HOST_TOKEN_BLOCK,
  INPUT_ACTION,
  progressView,
  ROTATE_TOKEN_CALLBACK_ID,
  type RotateModalMetadata,
  TOKEN_EXPIRY_BLOCK,
} from "../../rotations/rotate-form.js";
import { admitSubmission, rotationAuditBase } from "../../rotations/slack-rotation.js";
import { RESTARTING_TEXT } from "../../slack/messages.js";
import { ranAs } from "../log-requests.js";

export function registerRotateTokenSubmission(app: App, bot: BotContext): void {
  app.view(ROTATE_TOKEN_CALLBACK_ID, async ({ ack, body, view, context }) => {
    const values = view.state.values;
    const token = (values[HOST_TOKEN_BLOCK]?.[INPUT_ACTION]?.value ?? "").trim();
    const expiresOn = values[TOKEN_EXPIRY_BLOCK]?.[INPUT_ACTION]?.selected_date ?? undefined;
    const metadata = decodeMetadata(view.private_metadata);
    if (bot.lifecycle.draining) {
      // The form stays open with what was typed; nothing was sent anywhere.
      await ack({ response_action: "errors", errors: { [HOST_TOKEN_BLOCK]: RESTARTING_TEXT } });
      ranAs(context, "rotate-token", "restarting");
      return;
    }
    const checked = checkTokenSubmission(token, expiresOn, bot.now());
    if ("errors" in checked) {
      await ack({ response_action: "errors", errors: checked.errors });
      ranAs(context, "rotate-token", "form-errors");
      return;
    }
    await ack({ response_action: "update", view: progressView(metadata) });
    ranAs(context, "rotate-token");
    const submission = {
      userId: body.user.id,
      viewId: view.id,
      metadata,
      token,
      ...(checked.expiresAt === undefined ? {} : { expiresAt: checked.expiresAt }),
    };
    ranAs(context, "rotate-token", await handleRotateTokenSubmission(bot, submission));
  });
}

interface RotateTokenSubmission {
  userId: string;
  viewId: string;
  metadata: RotateModalMetadata;
  /** The new token in clear text. */
  token: string;
  /** RFC 3339 (00:00 UTC of the chosen day), or undefined to keep the stored expiry. */
  expiresAt?: string;
}

/**
 * The form's input → field errors (keyed by block id, for `response_action: "errors"`) or what to
 * send. Pure. The error texts never repeat what was typed.
 */
export function checkTokenSubmission(
  token: string,
  expiresOn: string | undefined,
  now: Date,
): { errors: Record<string, string> } | { expiresAt?: string } {
  const errors: Record<string, string> = {};
  if (!token) errors[HOST_TOKEN_BLOCK] = "Paste the service account's new token.";
  else if (/\s/.test(token)) errors[HOST_TOKEN_BLOCK] = "A token has no spaces: check what was pasted.";
  let expiresAt: string | undefined;
  if (expiresOn) {
    const at = Date.parse(`${expiresOn}T00:00:00Z`);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(expiresOn) || Number.isNaN(at))
      errors[TOKEN_EXPIRY_BLOCK] = "Pick a date.";
    else if (at <= now.getTime())
      errors[TOKEN_EXPIRY_BLOCK] =
        "The expiry must be after today: a token that has expired cannot be stored.";
    else expiresAt = new Date(at).toISOString().replace(".000Z", "Z");
  }
  if (Object.keys(errors).length > 0) return { errors };
  return expiresAt ? { expiresAt } : {};
}

async function handleRotateTokenSubmission(
  bot: BotContext,
  submission: RotateTokenSubmission,
): Promise<string> {
  const { userId, viewId, metadata } = submission;
  const tokenId = metadata.tokenId ?? "";
  const admitted = await admitSubmission(bot, {
    userId,
    viewId,
    credential: { kind: "host-token", tokenId },
    ...(metadata.approvalId === undefined ? {} : { approvalId: metadata.approvalId }),
    metadata,
    auditSubject: { tokenId },
  });
  if (!admitted.ok) return admitted.outcome;

  const refuse = submissionRefusal(bot, {
    reporter: admitted.reporter,
    metadata,
    ...(admitted.approvalId === undefined ? {} : { approvalId: admitted.approvalId }),
    audit: { ...rotationAuditBase(bot, "host-token", userId), tokenId },
  });
  const read = await readFreshCredential(bot, refuse, {
    read: () => bot.gitpod.hostAuthenticationTokens.get({ id: tokenId }),
    runnerIdOf: (found) => found.runnerId ?? "",
    name: "the host token",
    shortName: "the token",
  });
  if (!read.ok) return read.outcome;
  const token = read.found;
  if (!isServiceAccountToken(token)) {
    await refuse({ outcome: "refused", reason: USER_TOKEN_REASON });
    return "user-token-refused";
  }

  return admitted.rotate(hostTokenOf(token), (journalId) =>
    rotateHostToken(
      journaledHostTokenApi(bot.gitpod, bot.store, journalId, Date.now),
      {
        tokenId,
        token: submission.token,
        ...(submission.expiresAt === undefined ? {} : { expiresAt: submission.expiresAt }),
      },
      { lock: bot.lock, now: bot.now },
    ),
  );
}
