/**
 * Resolving rotations whose process stopped before it finished (crash, kill, deploy): read what is
 * stored, check it where the API can, and say in the audit channel what is now true. The journal's
 * phase decides what can be known without keeping anything derived from a secret:
 * - started: the update was never sent, so the stored secret (or token) is unchanged;
 * - updated: Gitpod confirmed the update, so the stored one is the new one;
 * - updating: the update was sent and no answer was recorded: unknown, a person must look.
 * An OAuth secret is validated; a host token cannot be tested (the API has no call), only read; an
 * LLM integration is read for its phase (its API key is stored encrypted and never shown).
 * Each entry is claimed through its lease first, so of many replicas exactly one resolves it.
 */
import { randomUUID } from "node:crypto";
import { describeApiError } from "../../shared/api/error-in-words.js";
import type { ScmIntegration } from "../../shared/api/resources/scm-integrations.wire.js";
import { llmPhaseWords } from "../../shared/credential-upkeep/llm-health.js";
import { tokenOwnerText } from "../../shared/rotation/host-token.js";
import { endpointHost, llmPhaseWord } from "../../shared/rotation/llm-key.js";
import { validateStoredCredentials } from "../../shared/rotation/validate-stored.js";
import { escapeMrkdwn, userMention } from "../../shared/slack/mrkdwn.js";
import type { BotContext } from "../context.js";
import type { JournalEntry } from "../state/store.js";
import { credentialLeaseKey, LLM_KEY_TARGET, refOf, rotationAction } from "./credential.js";
import { messageView } from "./rotate-form.js";

export interface Resolution {
  /** What the stored secret is, in the words of the audit message ("new": a token, not testable). */
  state: "new-valid" | "new-invalid" | "new" | "unchanged" | "unknown";
  text: string;
}

/**
 * Pure: the journal phase plus what is stored now, for a value the API never shows (a host token,
 * an LLM API key) → what to tell people. `stored.what` names it ("token of service account …");
 * `stored.after` is what the read says once the new value is stored.
 */
function describeUnreadableInterruption(
  entry: Pick<JournalEntry, "phase" | "interruptedAt">,
  stored: { what: string; after: string } | { error: string },
  value: string,
): Resolution {
  const who = `The rotation was interrupted${entry.interruptedAt ? " by a shutdown" : ""}`;
  if ("error" in stored) {
    return {
      state: "unknown",
      text: `${who}; the stored ${value} is unknown: look at it (the bot could not read it: ${stored.error}). Rotating it again is safe.`,
    };
  }
  switch (entry.phase) {
    case "started":
      return {
        state: "unchanged",
        text: `${who} before the update was sent; the stored ${stored.what} is unchanged.`,
      };
    case "updated":
      return {
        state: "new",
        text: `${who} after Gitpod stored the new ${value}; the stored ${stored.what} is the new one (${stored.after}).`,
      };
    case "updating":
      return {
        state: "unknown",
        text: `${who} while the update was in flight; whether the stored ${stored.what} is the new one is unknown: rotate it again (it is safe to repeat).`,
      };
  }
}

/** Pure: the journal phase plus whether the host token is still there → what to tell people. */
export function describeTokenInterruption(
  entry: Pick<JournalEntry, "phase" | "interruptedAt">,
  stored: { owner: string } | { error: string },
): Resolution {
  return describeUnreadableInterruption(
    entry,
    "error" in stored
      ? stored
      : { what: `token of ${stored.owner}`, after: "a host token cannot be tested by the API" },
    "token",
  );
}

/** Pure: the journal phase plus the LLM integration read now (its endpoint host and phase) → what to tell people. */
function describeLlmKeyInterruption(
  entry: Pick<JournalEntry, "phase" | "interruptedAt">,
  stored: { host: string; phase: string; phaseReason?: string } | { error: string },
): Resolution {
  return describeUnreadableInterruption(
    entry,
    "error" in stored
      ? stored
      : {
          what: `API key of ${stored.host || "the LLM integration"}`,
          after: `an API key cannot be read back; the integration's phase is ${llmPhaseWords(stored)}`,
        },
    "API key",
  );
}

/** Pure: the journal phase plus what Gitpod says now → what to tell people. */
function describeInterruption(
  entry: Pick<JournalEntry, "phase" | "interruptedAt">,
  stored: { valid: boolean; summary: string } | { error: string },
): Resolution {
  // Plain text (the audit record's header names the person): it is escaped wherever it is shown.
  const who = `The rotation was interrupted${entry.interruptedAt ? " by a shutdown" : ""}`;
  if ("error" in stored) {
    return {
      state: "unknown",
      text: `${who}; the stored secret is unknown: look at it (the bot could not check it: ${stored.error})`,
    };
  }
  const validity = stored.valid ? "it validates" : `it does not validate: ${stored.summary}`;
  switch (entry.phase) {
    case "started":
      return {
        state: "unchanged",
        text: `${who} before the update was sent; the stored secret is unchanged (${validity}).`,
      };
    case "updated":
      return stored.valid
        ? {
            state: "new-valid",
            text: `${who} after Gitpod stored the new secret; the stored secret is the new one and valid.`,
          }
        : {
            state: "new-invalid",
            text: `${who} after Gitpod stored the new secret; the stored secret is the new one and does NOT validate (${stored.summary}): check the integration now.`,
          };
    case "updating":
      return {
        state: "unknown",
        text: `${who} while the update was in flight; the stored secret is unknown: look at it (${validity}, but whether it is the new one cannot be told).`,
      };
  }
}

async function checkStored(
  bot: BotContext,
  integrationId: string,
): Promise<{
  integration?: ScmIntegration;
  stored: { valid: boolean; summary: string } | { error: string };
}> {
  let integration: ScmIntegration;
  try {
    integration = await bot.gitpod.scmIntegrations.get({ id: integrationId });
  } catch (error) {
    return { stored: { error: describeApiError(error).text } };
  }
  try {
    const validation = await validateStoredCredentials(bot.gitpod, integration);
    return { integration, stored: { valid: validation.valid, summary: validation.summary } };
  } catch (error) {
    return { integration, stored: { error: describeApiError(error).text } };
  }
}

/** What is stored now, in words, for either kind of credential. */
async function resolveEntry(
  bot: BotContext,
  entry: JournalEntry,
): Promise<{ resolution: Resolution; host?: string; runnerId?: string; scmId?: string }> {
  const known = {
    ...(entry.host ? { host: entry.host } : {}),
    ...(entry.runnerId ? { runnerId: entry.runnerId } : {}),
    ...(entry.scmId ? { scmId: entry.scmId } : {}),
  };
  if (entry.credential === "llm-key") {
    try {
      const integration = await bot.gitpod.llmIntegrations.get({ id: entry.integrationId });
      const stored = {
        host: endpointHost(integration.endpoint),
        phase: llmPhaseWord(integration.phase),
        ...(integration.phaseReason ? { phaseReason: integration.phaseReason } : {}),
      };
      return { ...known, resolution: describeLlmKeyInterruption(entry, stored) };
    } catch (error) {
      return {
        ...known,
        resolution: describeLlmKeyInterruption(entry, { error: describeApiError(error).text }),
      };
    }
  }
  if (entry.credential === "host-token") {
    try {
      const token = await bot.gitpod.hostAuthenticationTokens.get({ id: entry.tokenId ?? "" });
      return { ...known, resolution: describeTokenInterruption(entry, { owner: tokenOwnerText(token) }) };
    } catch (error) {
      return {
        ...known,
        resolution: describeTokenInterruption(entry, { error: describeApiError(error).text }),
      };
    }
  }
  const { integration, stored } = await checkStored(bot, entry.integrationId);
  const host = integration?.host ?? entry.host;
  const runnerId = integration?.runnerId ?? entry.runnerId;
  const scmId = integration?.scmId ?? entry.scmId;
  return {
    resolution: describeInterruption(entry, stored),
    ...(host ? { host } : {}),
    ...(runnerId ? { runnerId } : {}),
    ...(scmId ? { scmId } : {}),
  };
}

/** Resolve one abandoned entry, unless another process claims it first. */
async function resolveAbandoned(bot: BotContext, entry: JournalEntry): Promise<boolean> {
  const owner = `${bot.instanceId}:recovery:${randomUUID()}`;
  const key = credentialLeaseKey(refOf(entry));
  const claimed = await bot.store.claimAbandoned({
    key,
    owner,
    holder: "recovery",
    journalId: entry.id,
    ttlMs: bot.config.state.leaseTtlMs,
    now: Date.now(),
  });
  if (!claimed) return false;
  try {
    const { resolution, host, runnerId, scmId } = await resolveEntry(bot, entry);
    // Post first, then close the entry: a crash in between repeats the post rather than losing it.
    await bot.auditor.record({
      action: rotationAction(entry.credential ?? "oauth-secret"),
      at: bot.now().toISOString(),
      actor: entry.actor,
      source: entry.source,
      outcome: "interrupted",
      ...(entry.integrationId ? { integrationId: entry.integrationId } : {}),
      ...(entry.tokenId ? { tokenId: entry.tokenId } : {}),
      ...(entry.credential === "llm-key" ? { target: LLM_KEY_TARGET } : {}),
      ...(host ? { host } : {}),
      ...(runnerId ? { runnerId } : {}),
      ...(scmId ? { scmId } : {}),
      reason: resolution.text,
      journalId: entry.id,
      ...(entry.approvalId ? { approvalId: entry.approvalId } : {}),
    });
    if (entry.viewId) {
      await bot.slack.views
        .update({
          view_id: entry.viewId,
          view: messageView(
            `:rotating_light: Your rotation (${userMention(entry.actor)}) did not finish. ${escapeMrkdwn(resolution.text)}`,
            {},
          ),
        })
        .catch(() => {});
    }
    await bot.store.finishRotation(entry.id, {
      outcome: "interrupted",
      summary: resolution.text,
      now: Date.now(),
      resolvedBy: bot.instanceId,
    });
    bot.logger.warn("rotation_recovered", {
      journalId: entry.id,
      integrationId: entry.integrationId,
      ...(entry.tokenId ? { tokenId: entry.tokenId } : {}),
      phase: entry.phase,
      state: resolution.state,
    });
    return true;
  } finally {
    await bot.store.releaseLease(key, owner).catch(() => {});
  }
}

/** Resolve one abandoned entry by id (when a new rotation finds it blocking its lease). */
export async function resolveAbandonedById(bot: BotContext, journalId: string): Promise<void> {
  const entry = await bot.store.getRotation(journalId);
  if (entry && entry.outcome === undefined) await resolveAbandoned(bot, entry);
}

/** Every abandoned entry, oldest first; failures are logged and retried by the next sweep. */
export async function recoverAbandoned(bot: BotContext): Promise<number> {
  let resolved = 0;
  for (const entry of await bot.store.abandonedRotations(Date.now())) {
    try {
      if (await resolveAbandoned(bot, entry)) resolved++;
    } catch (error) {
      bot.logger.error("rotation_recovery_failed", {
        journalId: entry.id,
        error: describeApiError(error).code,
      });
    }
  }
  return resolved;
}
