/**
 * What every rotate form's submission does once admitted and before its credential's own checks:
 * refusals shown in the modal and audited one way, and the credential read fresh from Gitpod,
 * refused when it is gone or on a runner this bot does not manage (the form may be old, and its
 * metadata is not trusted for this).
 */
import { describeApiError } from "../../shared/api/error-in-words.js";
import type { AuditRecord } from "../../shared/slack/audit-record.js";
import { escapeMrkdwn } from "../../shared/slack/mrkdwn.js";
import type { BotContext } from "../context.js";
import { messageView, type RotateModalMetadata } from "./rotate-form.js";
import type { ModalReporter } from "./slack-rotation.js";

/** Shows why nothing was rotated and audits it; the modal adds "Nothing was changed." */
export type RefuseSubmission = (refusal: {
  outcome: "failed" | "refused";
  /** Plain words, for the audit (and the modal unless `shown` is given). */
  reason: string;
  /** Mrkdwn for the modal instead of the reason. */
  shown?: string;
  /** More for the audit record than `audit` (e.g. the credential a refusal is about). */
  subject?: Partial<AuditRecord>;
}) => Promise<void>;

export function submissionRefusal(
  bot: BotContext,
  submission: {
    reporter: ModalReporter;
    metadata: RotateModalMetadata;
    /** The approval the submission runs under: every refusal of it names the approval. */
    approvalId?: string;
    /** The audit record's fields every refusal of this submission has. */
    audit: Omit<AuditRecord, "outcome" | "reason" | "approvalId">;
  },
): RefuseSubmission {
  const { reporter, metadata, approvalId, audit } = submission;
  return async ({ outcome, reason, shown, subject }) => {
    const text = shown ?? `:no_entry_sign: Not rotated: ${escapeMrkdwn(reason)}.`;
    await reporter.show(messageView(`${text} Nothing was changed.`, metadata));
    await bot.auditor.record({
      ...audit,
      ...(approvalId ? { approvalId } : {}),
      outcome,
      ...subject,
      reason,
    });
  };
}

/**
 * Reads the credential fresh. Gone (not_found) and on a runner the bot does not manage are
 * refused here; any other error is refused as a failure and thrown on.
 */
export async function readFreshCredential<T>(
  bot: BotContext,
  refuse: RefuseSubmission,
  credential: {
    read: () => Promise<T>;
    runnerIdOf: (found: T) => string;
    /** How refusals name it, e.g. "the LLM integration". */
    name: string;
    /** A shorter name for the runner refusal, where the full one is long. */
    shortName?: string;
  },
): Promise<{ ok: true; found: T } | { ok: false; outcome: "not-found" | "not-managed" }> {
  let found: T;
  try {
    found = await credential.read();
  } catch (error) {
    const described = describeApiError(error);
    const gone = described.code === "not_found";
    await refuse({
      outcome: "failed",
      reason: gone ? `${credential.name} no longer exists in Gitpod` : described.text,
    });
    if (gone) return { ok: false, outcome: "not-found" };
    throw error;
  }
  if (!bot.runnerIds.includes(credential.runnerIdOf(found))) {
    const name = credential.shortName ?? credential.name;
    await refuse({ outcome: "refused", reason: `${name} belongs to a runner this bot does not manage` });
    return { ok: false, outcome: "not-managed" };
  }
  return { ok: true, found };
}
