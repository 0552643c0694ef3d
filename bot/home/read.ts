/**
 * What one person's App Home shows, read fresh: who they are (guest, may rotate, may approve),
 * the pending approvals from the store, and, for those who may see it, the credential health: the
 * integrations, host tokens and LLM integrations from one bounded read of Gitpod shared with
 * everyone opening the Home at about the same time (host-token-cache.ts), and the last validations
 * from the history.
 */
import { describeApiError } from "../../shared/api/error-in-words.js";
import { readEachRunnerOrError } from "../../shared/api/live-reads.js";
import { DEFAULT_EXPIRY_WARNING_DAYS } from "../../shared/credential-upkeep/health-check.js";
import { checkTokens } from "../../shared/credential-upkeep/tokens.js";
import type { BotContext } from "../context.js";
import { hostTokensOf, untilAborted } from "../gitpod/host-token-cache.js";
import { sharedManagedIntegrations, sharedManagedLlmIntegrations } from "../gitpod/reads.js";
import type { HistoryEvent } from "../state/store.js";
import type { HomeHealth, HomeIntegration, HomeModel, LastValidation } from "./model.js";

/** How long a Home waits for Gitpod before it shows what the store knows and says why. */
const HOME_READ_BUDGET_MS = 15_000;
/** Pending approvals read for a Home (the view shows fewer and counts the rest). */
const PENDING_READ_LIMIT = 200;
/** History entries at the end of the Home. */
const HOME_HISTORY_ENTRIES = 5;

/** Who may see the credential health: people who may rotate or approve; everyone without view channels; never guests. */
async function healthAudience(
  bot: BotContext,
  userId: string,
): Promise<
  { sees: true; approver: boolean } | { sees: false; why: "guest" | "not-allowed"; approver: boolean }
> {
  const approvalsOn = bot.config.approvals.required > 0;
  const approver = approvalsOn && (await bot.approvers.isApprover(userId)).allowed;
  if (await bot.authorizer.isGuest(userId)) return { sees: false, why: "guest", approver };
  if (approver || bot.config.authorization.viewChannelIds.length === 0) return { sees: true, approver };
  if ((await bot.authorizer.canRotate(userId)).allowed) return { sees: true, approver };
  return { sees: false, why: "not-allowed", approver };
}

function lastValidationOf(event: HistoryEvent): LastValidation {
  const result =
    event.outcome === "rotated" || event.outcome === "valid"
      ? "valid"
      : event.outcome === "invalid"
        ? "invalid"
        : "unverified";
  return { at: event.at, actor: event.actor, source: event.source, result, action: event.action };
}

async function readHealth(bot: BotContext, now: Date): Promise<Extract<HomeHealth, { shown: true }>> {
  const signal = AbortSignal.timeout(HOME_READ_BUDGET_MS);
  const runners = bot.config.runners.map((runner) => ({ ...runner }));
  const history = await bot.store.history({ limit: HOME_HISTORY_ENTRIES });
  // Read beside the SCM integrations; a failure is shown in its own part, not fatal.
  const llm = untilAborted(sharedManagedLlmIntegrations(bot.gitpod, bot.runnerIds), signal).catch(
    (error: unknown) => ({ error: describeApiError(error).text }),
  );
  const base = { runners, expiryWarningDays: DEFAULT_EXPIRY_WARNING_DAYS, history };
  let live: Awaited<ReturnType<typeof sharedManagedIntegrations>>;
  try {
    live = await untilAborted(sharedManagedIntegrations(bot.gitpod, bot.runnerIds), signal);
  } catch (error) {
    return {
      shown: true,
      ...base,
      integrations: [],
      readError: describeApiError(error).text,
      llmIntegrations: await llm,
    };
  }
  const wanted = [...new Set(live.map((integration) => integration.runnerId))];
  const tokensByRunner = await readEachRunnerOrError(wanted, (runnerId) =>
    untilAborted(hostTokensOf(bot.gitpod, runnerId), signal),
  );
  const validations = new Map(
    (await bot.store.lastValidations(live.map((integration) => integration.id))).map((event) => [
      event.integrationId,
      lastValidationOf(event),
    ]),
  );
  const integrations = live.map((integration): HomeIntegration => {
    const tokens = tokensByRunner.get(integration.runnerId) ?? [];
    const lastValidation = validations.get(integration.id);
    return {
      integration,
      ...(lastValidation ? { lastValidation } : {}),
      tokens: Array.isArray(tokens)
        ? checkTokens(integration, tokens, now, DEFAULT_EXPIRY_WARNING_DAYS)
        : tokens,
    };
  });
  return { shown: true, ...base, integrations, llmIntegrations: await llm };
}

export async function readHome(bot: BotContext, userId: string, notice?: string): Promise<HomeModel> {
  const now = bot.now();
  const audience = await healthAudience(bot, userId);
  const pending = await bot.store.pendingApprovals(now.getTime(), PENDING_READ_LIMIT);
  // The same rules as the approvers' DMs and the buttons: not one's own request, one vote each.
  const toDecide = audience.approver
    ? pending.filter(
        (approval) =>
          approval.requester !== userId && !approval.votes.some((vote) => vote.approver === userId),
      )
    : [];
  return {
    viewer: userId,
    now: now.getTime(),
    command: bot.config.command,
    ...(notice ? { notice } : {}),
    viewChannelIds: bot.config.authorization.viewChannelIds,
    health: audience.sees ? await readHealth(bot, now) : { shown: false, why: audience.why },
    approvalsOn: bot.config.approvals.required > 0,
    approver: audience.approver,
    toDecide,
    ownRequests: pending.filter((approval) => approval.requester === userId),
  };
}
