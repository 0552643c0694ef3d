/**
 * The Gitpod reads the bot needs, over the shared live reads (shared/api/live-reads.ts):
 * integrations of the managed runners, their host authentication tokens, and finding the
 * integration a user meant.
 */

import { describeApiError } from "../../shared/api/error-in-words.js";
import {
  belongsTo,
  integrationsOfRunners,
  llmIntegrationsOfRunner,
  readEachRunnerOrError,
} from "../../shared/api/live-reads.js";
import { sameHost } from "../../shared/api/matching.js";
import type { LlmIntegration } from "../../shared/api/resources/llm-integrations.wire.js";
import type { ScmIntegration } from "../../shared/api/resources/scm-integrations.wire.js";
import { signalOption } from "../../shared/api/transport.js";
import type { ScheduledApi } from "../../shared/credential-upkeep/types.js";
import type { HostTokenRotationApi } from "../../shared/rotation/host-token.js";
import { endpointHost } from "../../shared/rotation/llm-key.js";
import { summarizeTokens } from "../../shared/rotation/token-summary.js";
import type { CredentialsApi } from "../../shared/rotation/types.js";
import type { IntegrationListItem } from "../../shared/slack/integration-list.js";
import type { LlmListing } from "../../shared/slack/llm-integration-list.js";
import { hostTokensOf, sharedRead, untilAborted } from "./host-token-cache.js";

/** What a person names an integration (or, for `list`, a runner) by: its id, or a host. */
export type Target = { kind: "id"; id: string } | { kind: "host"; host: string };

/** The part of GitpodClient the bot uses; GitpodClient satisfies it. */
export type BotGitpodApi = CredentialsApi & {
  hostAuthenticationTokens: CredentialsApi["hostAuthenticationTokens"] &
    HostTokenRotationApi["hostAuthenticationTokens"] & {
      delete(request: { id: string }, options?: { signal?: AbortSignal }): Promise<void>;
    };
  llmIntegrations: ScheduledApi["llmIntegrations"];
};

function listManagedIntegrations(
  api: BotGitpodApi,
  runnerIds: readonly string[],
  signal?: AbortSignal,
): Promise<ScmIntegration[]> {
  // Only the managed runners' integrations, even if the API answered with another runner's.
  return integrationsOfRunners(api, runnerIds, signalOption(signal));
}

/**
 * Every integration of the managed runners, read once for everyone who asks at about the same time
 * and kept as briefly as `list`'s host tokens (the App Home: one read for many people opening it).
 */
export function sharedManagedIntegrations(
  api: BotGitpodApi,
  runnerIds: readonly string[],
): Promise<ScmIntegration[]> {
  return sharedRead(api, `integrations:${runnerIds.join(",")}`, () =>
    listManagedIntegrations(api, runnerIds),
  );
}

function hostMatches(integration: ScmIntegration, host: string): boolean {
  return sameHost(integration.host, host);
}

export type ListScope =
  | { kind: "all" }
  | { kind: "runner"; runnerId: string }
  | { kind: "host"; host: string }
  | { kind: "unknown-runner"; id: string };

export function listScope(filter: Target | undefined, runnerIds: readonly string[]): ListScope {
  if (!filter) return { kind: "all" };
  if (filter.kind === "host") return { kind: "host", host: filter.host };
  return runnerIds.includes(filter.id)
    ? { kind: "runner", runnerId: filter.id }
    : { kind: "unknown-runner", id: filter.id };
}

/** Integrations in scope with their token counts; a token listing failure is shown per item, not fatal. */
export async function listWithTokens(
  api: BotGitpodApi,
  runnerIds: readonly string[],
  scope: Exclude<ListScope, { kind: "unknown-runner" }>,
  now: Date,
  signal?: AbortSignal,
): Promise<IntegrationListItem[]> {
  const runners = scope.kind === "runner" ? [scope.runnerId] : runnerIds;
  let integrations = await listManagedIntegrations(api, runners, signal);
  if (scope.kind === "host")
    integrations = integrations.filter((integration) => hostMatches(integration, scope.host));
  const wanted = [...new Set(integrations.map((integration) => integration.runnerId))];
  // Shared with concurrent lists and kept briefly (host-token-cache.ts): a big workspace's tokens
  // are many pages, and every list needs them.
  const tokensByRunner = await readEachRunnerOrError(wanted, (runnerId) =>
    untilAborted(hostTokensOf(api, runnerId), signal),
  );
  return integrations.map((integration) => {
    const tokens = tokensByRunner.get(integration.runnerId) ?? [];
    return {
      integration,
      tokens: Array.isArray(tokens) ? summarizeTokens(integration, tokens, now) : tokens,
    };
  });
}

export type Resolution =
  | { kind: "one"; integration: ScmIntegration }
  | { kind: "many"; integrations: ScmIntegration[] }
  | { kind: "none"; reason: string };

/** The integration a user meant by an id or a host, limited to the managed runners. */
export async function resolveTarget(
  api: BotGitpodApi,
  runnerIds: readonly string[],
  target: Target,
  signal?: AbortSignal,
): Promise<Resolution> {
  if (target.kind === "id") {
    let integration: ScmIntegration;
    try {
      integration = await api.scmIntegrations.get({ id: target.id }, signalOption(signal));
    } catch (error) {
      if (describeApiError(error).code === "not_found") {
        return { kind: "none", reason: "No SCM integration has this id." };
      }
      throw error;
    }
    if (!belongsTo(integration, runnerIds)) {
      return { kind: "none", reason: "This integration belongs to a runner this bot does not manage." };
    }
    return { kind: "one", integration };
  }
  const matches = (await listManagedIntegrations(api, runnerIds, signal)).filter((integration) =>
    hostMatches(integration, target.host),
  );
  if (matches.length === 0)
    return { kind: "none", reason: "No SCM integration of the managed runners has this host." };
  if (matches.length === 1 && matches[0]) return { kind: "one", integration: matches[0] };
  return { kind: "many", integrations: matches };
}

/** Every LLM integration of these runners, read fresh (each runner's own list, keeping only theirs). */
export async function managedLlmIntegrations(
  api: BotGitpodApi,
  runnerIds: readonly string[],
  signal?: AbortSignal,
): Promise<LlmIntegration[]> {
  const lists = await Promise.all(
    runnerIds.map((runnerId) => llmIntegrationsOfRunner(api, runnerId, signalOption(signal))),
  );
  return lists.flat();
}

/** The managed runners' LLM integrations, read once for everyone opening the App Home at about the same time. */
export function sharedManagedLlmIntegrations(
  api: BotGitpodApi,
  runnerIds: readonly string[],
): Promise<LlmIntegration[]> {
  return sharedRead(api, `llm-integrations:${runnerIds.join(",")}`, () =>
    managedLlmIntegrations(api, runnerIds),
  );
}

/**
 * The LLM integrations in scope (a host filter matches the endpoint's host). A failure is shown
 * in the list, not fatal: the SCM integrations are still listed.
 */
export async function listLlmIntegrations(
  api: BotGitpodApi,
  runnerIds: readonly string[],
  scope: Exclude<ListScope, { kind: "unknown-runner" }>,
  signal?: AbortSignal,
): Promise<LlmListing> {
  const runners = scope.kind === "runner" ? [scope.runnerId] : runnerIds;
  try {
    const integrations = await managedLlmIntegrations(api, runners, signal);
    return {
      integrations:
        scope.kind === "host"
          ? integrations.filter((integration) => sameHost(endpointHost(integration.endpoint), scope.host))
          : integrations,
    };
  } catch (error) {
    return { error: describeApiError(error).text };
  }
}
