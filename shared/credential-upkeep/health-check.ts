/**
 * The credential health check (the action's `audit` mode): for every SCM integration of the
 * managed runners, does the stored secret still validate, and which host tokens have expired or
 * expire soon? Read-only: it never writes.
 */

import { describeApiError } from "../api/error-in-words.js";
import { hostTokensOfRunner, integrationsOfRunners } from "../api/live-reads.js";
import type { HostAuthenticationToken } from "../api/resources/host-authentication-tokens.wire.js";
import type { ScmIntegration } from "../api/resources/scm-integrations.wire.js";
import { validateStoredCredentials } from "../rotation/validate-stored.js";
import { mapWithConcurrency } from "../sync/limiter.js";
import { plural } from "../text/plural.js";
import { describes, findLive } from "./live.js";
import { checkLlmIntegrations } from "./llm-health.js";
import { checkTokens } from "./tokens.js";
import type {
  CheckedIntegration,
  CheckedTokens,
  HealthCheckInput,
  HealthCheckOptions,
  HealthCheckReport,
  HealthStatus,
  ManagedScmIntegration,
  MissingIntegration,
  ScheduledApi,
} from "./types.js";

export const DEFAULT_EXPIRY_WARNING_DAYS = 14;
const DEFAULT_CONCURRENCY = 4;

type Failed = { error: string };

/** Throws the client's error when the integrations cannot be listed; everything else is a finding. */
export async function runHealthCheck(
  api: ScheduledApi,
  input: HealthCheckInput,
  options: HealthCheckOptions = {},
): Promise<HealthCheckReport> {
  const now = (options.now ?? (() => new Date()))();
  const windowDays = input.expiryWarningDays ?? DEFAULT_EXPIRY_WARNING_DAYS;
  const call = options.signal ? { signal: options.signal } : {};
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  const runnerIds = [
    ...new Set([...input.runners.map((runner) => runner.id), ...input.integrations.map((i) => i.runnerId)]),
  ];
  const names = runnerNames(input);

  const live = sortLikeFile(await integrationsOfRunners(api, runnerIds, call), input.integrations);
  const tokenLists = await mapWithConcurrency(runnerIds, concurrency, async (runnerId) => {
    try {
      return await hostTokensOfRunner(api, runnerId, call);
    } catch (error) {
      return { error: `could not list host tokens: ${describeApiError(error).text}` } satisfies Failed;
    }
  });
  const tokensByRunner = new Map(
    runnerIds.map((id, index) => [id, tokenLists[index] as Failed | HostAuthenticationToken[]]),
  );

  const integrations = await mapWithConcurrency(live, concurrency, async (integration) => {
    let validation: CheckedIntegration["validation"];
    try {
      validation = await validateStoredCredentials(api, integration, call);
    } catch (error) {
      validation = { error: `could not validate: ${describeApiError(error).text}` };
    }
    const runnerTokens = tokensByRunner.get(integration.runnerId) ?? [];
    const tokens: CheckedTokens | Failed =
      "error" in runnerTokens
        ? runnerTokens
        : checkTokens(integration, runnerTokens, now, windowDays, input.hostTokens ?? []);
    const managed = input.integrations.some((item) => describes(item, integration));
    const checked: CheckedIntegration = {
      integration,
      managed,
      validation,
      tokens,
      ...judge(validation, tokens, windowDays),
    };
    const name = names.get(integration.runnerId);
    if (name) checked.runnerName = name;
    return checked;
  });

  const missing: MissingIntegration[] = input.integrations
    .filter((item) => !findLive(live, item))
    .map((item) => {
      const entry: MissingIntegration = { runnerId: item.runnerId, scmId: item.scmId, host: item.host };
      const name = names.get(item.runnerId);
      if (name) entry.runnerName = name;
      return entry;
    });

  const llm = await checkLlmIntegrations(
    api,
    [...new Set([...runnerIds, ...(input.llmIntegrations ?? []).map((item) => item.runnerId)])],
    input.llmIntegrations ?? [],
    names,
    concurrency,
    call,
  );

  const counts = { healthy: 0, invalid: 0, expiring: 0, error: 0, unmanaged: 0, missing: missing.length };
  for (const item of integrations) {
    counts[item.status] += 1;
    if (!item.managed) counts.unmanaged += 1;
  }
  return {
    healthy:
      counts.invalid + counts.expiring + counts.error + counts.missing === 0 &&
      llm.unavailable === 0 &&
      llm.errors.length === 0,
    expiryWarningDays: windowDays,
    checkedAt: now.toISOString(),
    integrations,
    missing,
    counts,
    llm,
  };
}

function runnerNames(input: HealthCheckInput): Map<string, string> {
  const names = new Map<string, string>();
  for (const item of input.integrations) if (item.runnerName) names.set(item.runnerId, item.runnerName);
  for (const runner of input.runners) if (runner.name) names.set(runner.id, runner.name);
  return names;
}

/** The worst finding decides the status; every finding is listed in words. */
function judge(
  validation: CheckedIntegration["validation"],
  tokens: CheckedTokens | Failed,
  windowDays: number,
): { status: HealthStatus; findings: string[] } {
  const findings: string[] = [];
  let status: HealthStatus = "healthy";
  const worse = (candidate: HealthStatus) => {
    const rank: Record<HealthStatus, number> = { healthy: 0, expiring: 1, invalid: 2, error: 3 };
    if (rank[candidate] > rank[status]) status = candidate;
  };
  if ("error" in validation) {
    findings.push(validation.error);
    worse("error");
  } else if (!validation.valid) {
    findings.push(`stored credentials are not valid: ${validation.summary}`);
    worse("invalid");
  }
  if ("error" in tokens) {
    findings.push(tokens.error);
    worse("error");
  } else {
    const expired = tokens.expiring.filter((token) => token.expired).length;
    const soon = tokens.expiring.length - expired;
    if (expired > 0) findings.push(`${plural(expired, "host token")} expired`);
    if (soon > 0) findings.push(`${plural(soon, "host token")} expiring within ${plural(windowDays, "day")}`);
    if (tokens.expiring.length > 0) worse("expiring");
  }
  return { status, findings };
}

/** Managed integrations in file order first, then the unmanaged ones by runner and host. */
function sortLikeFile(live: ScmIntegration[], order: readonly ManagedScmIntegration[]): ScmIntegration[] {
  const position = (integration: ScmIntegration) => {
    const index = order.findIndex((item) => describes(item, integration));
    return index < 0 ? Number.MAX_SAFE_INTEGER : index;
  };
  return [...live].sort(
    (a, b) =>
      position(a) - position(b) ||
      a.runnerId.localeCompare(b.runnerId) ||
      (a.host ?? "").localeCompare(b.host ?? ""),
  );
}
