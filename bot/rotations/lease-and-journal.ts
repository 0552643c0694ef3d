/**
 * Starting and finishing a rotation in the shared state: take the credential's lease (waiting a
 * bounded time for another rotation of it), then write the journal entry ahead of any change.
 * The same for both kinds of credential (OAuth secret, host token).
 */
import { describeApiError } from "../../shared/api/error-in-words.js";
import type { RotationResult } from "../../shared/rotation/types.js";
import { escapeMrkdwn, userMention } from "../../shared/slack/mrkdwn.js";
import type { BotContext } from "../context.js";
import type { Lease } from "../state/store.js";
import {
  credentialColumns,
  credentialLeaseKey,
  credentialText,
  type RotatedCredential,
} from "./credential.js";
import { acquireRotationLease, type HeldLease } from "./lease.js";
import { resolveAbandonedById } from "./recovery.js";

export type RotationStart =
  | { kind: "started"; lease: HeldLease }
  /** Another rotation of the credential holds the lease; `reason` says who and since when. */
  | { kind: "busy"; reason: { mrkdwn: string; plain: string } }
  /** The store could not be used: nothing was started. */
  | { kind: "store-error"; reason: string };

/** Who holds the lease, as mrkdwn ("<@U0ALICE> is rotating github.com since 14:02 UTC") and plain. */
function busyReason(
  holder: Lease | undefined,
  credential: RotatedCredential,
): { mrkdwn: string; plain: string } {
  const what = credentialText(credential);
  if (!holder) {
    const plain = `Another rotation of ${what} is running`;
    return { mrkdwn: escapeMrkdwn(plain), plain };
  }
  const since = new Date(holder.acquiredAt).toISOString().slice(11, 16);
  const recovery = holder.holder === "recovery";
  const doing = recovery ? "resolving an interrupted rotation of" : "rotating";
  return {
    mrkdwn: `${recovery ? "The bot" : userMention(holder.holder)} is ${doing} ${escapeMrkdwn(what)} since ${since} UTC`,
    plain: `${recovery ? "The bot" : holder.holder} is ${doing} ${what} since ${since} UTC`,
  };
}

export async function startJournaledRotation(
  bot: BotContext,
  request: {
    journalId: string;
    userId: string;
    viewId: string;
    credential: RotatedCredential;
    approvalId?: string;
    onWait?: (text: string) => unknown;
  },
): Promise<RotationStart> {
  const { journalId, credential } = request;
  const storeError = (error: unknown): RotationStart => {
    bot.logger.error("store_failed", {
      journalId,
      error: describeApiError(error).code,
      message: String(error),
    });
    return {
      kind: "store-error",
      reason: "The bot's state store is unreachable, so the rotation was not started.",
    };
  };
  let lease: HeldLease;
  try {
    const outcome = await acquireRotationLease({
      store: bot.store,
      key: credentialLeaseKey(credential),
      owner: `${bot.instanceId}:${journalId}`,
      holder: request.userId,
      journalId,
      ttlMs: bot.config.state.leaseTtlMs,
      waitMs: bot.config.state.leaseWaitMs,
      resolveAbandoned: (id) => resolveAbandonedById(bot, id),
      onWait: (holder) => request.onWait?.(`${busyReason(holder, credential).mrkdwn}.`),
      onHeartbeatError: (error) => bot.logger.warn("lease_renew_failed", { journalId, error: String(error) }),
    });
    if (outcome.kind === "busy") return { kind: "busy", reason: busyReason(outcome.holder, credential) };
    lease = outcome.lease;
  } catch (error) {
    return storeError(error);
  }
  try {
    await bot.store.beginRotation({
      id: journalId,
      ...credentialColumns(credential),
      actor: request.userId,
      source: "slack",
      owner: bot.instanceId,
      ...(request.approvalId ? { approvalId: request.approvalId } : {}),
      viewId: request.viewId,
      startedAt: Date.now(),
    });
  } catch (error) {
    await lease.release().catch(() => {});
    return storeError(error);
  }
  return { kind: "started", lease };
}

export async function finishJournaledRotation(
  bot: BotContext,
  journalId: string,
  result: RotationResult,
): Promise<void> {
  try {
    const finished = await bot.store.finishRotation(journalId, {
      outcome: result.outcome,
      summary: result.summary,
      now: Date.now(),
    });
    // Already resolved by recovery elsewhere (this process lost its lease): both records stay.
    if (!finished) bot.logger.warn("journal_entry_already_resolved", { journalId, outcome: result.outcome });
  } catch (error) {
    // The outcome is still posted and logged; the entry stays open and recovery will resolve it.
    bot.logger.error("journal_finish_failed", { journalId, error: String(error) });
  }
}
