/**
 * Scheduled rotation: push the OAuth client secrets named in the runner-config file (by variable)
 * to Gitpod, one rotation protocol run per integration. Each integration stands alone: a refusal
 * or failure changes nothing for it and does not stop the others.
 */

import { describeApiError } from "../api/error-in-words.js";
import { hostTokensOfRunner, integrationsOfRunners, readEachRunnerOrError } from "../api/live-reads.js";
import { isServiceAccountToken, sameHost } from "../api/matching.js";
import type { ScmIntegration } from "../api/resources/scm-integrations.wire.js";
import { signalOption } from "../api/transport.js";
import { envValue } from "../config/env.js";
import { rotateHostToken } from "../rotation/host-token.js";
import { rotateScmCredentials } from "../rotation/protocol.js";
import type { RotationOutcome, RotationResult } from "../rotation/types.js";
import { mapWithConcurrency } from "../sync/limiter.js";
import { scrub } from "../text/scrub.js";
import { findLive, uniqueRunnerIds } from "./live.js";
import { llmItem, llmKeyRotations, llmSecretValues } from "./llm-keys.js";
import { selectForRotation } from "./select.js";
import type {
  ManagedHostToken,
  ManagedLlmIntegration,
  ManagedScmIntegration,
  ScheduledApi,
  ScheduledRotationInput,
  ScheduledRotationItem,
  ScheduledRotationOptions,
  ScheduledRotationReport,
  ScheduledRotationStatus,
} from "./types.js";

const STATUS_OF: Record<RotationOutcome, ScheduledRotationStatus> = {
  rotated: "rotated",
  "dry-run": "dry-run",
  rejected: "refused",
  failed: "failed",
  unverified: "unverified",
  unknown: "unknown",
};

const DEFAULT_CONCURRENCY = 4;

/** Throws RotateOnlyError for a bad `rotateOnly`; every other problem is an item of the report. */
export async function runScheduledRotation(
  api: ScheduledApi,
  input: ScheduledRotationInput,
  options: ScheduledRotationOptions = {},
): Promise<ScheduledRotationReport> {
  const now = options.now ?? (() => new Date());
  const startedAt = now().toISOString();
  const dryRun = input.dryRun === true;
  const selection = selectForRotation(
    input.integrations,
    input.rotateOnly,
    input.hostTokens ?? [],
    input.llmIntegrations ?? [],
  );
  const selected = selection.integrations;

  const items: ScheduledRotationItem[] = [];
  const ready: Array<{ managed: ManagedScmIntegration; secret: string }> = [];
  for (const managed of selected) {
    const variable = managed.oauth?.clientSecretEnv ?? "";
    const secret = envValue(input.env, variable);
    if (secret === undefined || secret.trim() === "") {
      items.push(
        itemFor(managed, "refused", `The environment variable ${variable} is not set; nothing was changed.`),
      );
    } else {
      ready.push({ managed, secret });
    }
  }

  let live: ScmIntegration[] = [];
  let listError: string | undefined;
  if (ready.length > 0) {
    try {
      live = await integrationsOfRunners(
        api,
        uniqueRunnerIds(ready.map((entry) => entry.managed)),
        signalOption(options.signal),
      );
    } catch (error) {
      listError = describeApiError(error).text;
    }
  }

  const tokenRotations = await hostTokenRotations(api, selection.hostTokens, input, {
    dryRun,
    now,
    ...signalOption(options.signal),
  });

  const llmRotations = await llmKeyRotations(api, selection.llmIntegrations, input.env, STATUS_OF, {
    dryRun,
    now,
    ...signalOption(options.signal),
  });

  const rotations = ready.map(({ managed, secret }) => {
    const secrets = [secret];
    if (listError) {
      return () =>
        Promise.resolve(
          itemFor(
            managed,
            "failed",
            `Could not list the SCM integrations: ${listError} Nothing was changed.`,
          ),
        );
    }
    const integration = findLive(live, managed);
    if (!integration) {
      return () =>
        Promise.resolve(
          itemFor(
            managed,
            "refused",
            "No such SCM integration in Gitpod: apply the runner-config file first. Nothing was changed.",
          ),
        );
    }
    if (!integration.oauth?.clientId) {
      return () =>
        Promise.resolve(
          itemFor(
            managed,
            "refused",
            "The integration has no OAuth configured in Gitpod: apply the runner-config file first. Nothing was changed.",
            integration.id,
          ),
        );
    }
    return async () => {
      const result = await rotateScmCredentials(
        api,
        {
          integrationId: integration.id,
          ...(managed.oauth ? { clientId: managed.oauth.clientId } : {}),
          clientSecret: secret,
        },
        { dryRun, ...signalOption(options.signal), now },
      );
      return fromRotation(managed, result, secrets);
    };
  });
  const jobs = [
    ...rotations.map((run, index) => ({ run, managed: (ready[index] as (typeof ready)[number]).managed })),
    ...tokenRotations,
    ...llmRotations,
  ];
  const done = await mapWithConcurrency(jobs, options.concurrency ?? DEFAULT_CONCURRENCY, (job) =>
    options.stopStarting?.aborted ? Promise.resolve(notStarted(job.managed)) : job.run(),
  );
  items.push(...done);
  items.sort(byRunnerAndHost(input.integrations, input.hostTokens ?? [], input.llmIntegrations ?? []));
  // An LLM key or header value must not reach any report, even through the service's own words.
  const llmSecrets = llmSecretValues(input.llmIntegrations ?? [], input.env);
  if (llmSecrets.length > 0) for (const item of items) item.reason = scrub(item.reason, llmSecrets);

  const counts: Record<ScheduledRotationStatus, number> = {
    rotated: 0,
    "dry-run": 0,
    refused: 0,
    failed: 0,
    unverified: 0,
    unknown: 0,
  };
  for (const item of items) counts[item.status] += 1;
  const success: ScheduledRotationStatus = dryRun ? "dry-run" : "rotated";
  return {
    dryRun,
    ok: items.every((item) => item.status === success),
    items,
    counts,
    startedAt,
    finishedAt: now().toISOString(),
  };
}

function notStarted(
  managed: ManagedScmIntegration | ManagedHostToken | ManagedLlmIntegration,
): ScheduledRotationItem {
  const reason = "Not started: the run was cancelled. Nothing was changed.";
  return "apiKeyEnv" in managed ? llmItem(managed, "refused", reason) : itemFor(managed, "refused", reason);
}

type Job = { run: () => Promise<ScheduledRotationItem>; managed: ManagedScmIntegration | ManagedHostToken };

/**
 * One job per selected service-account token: refused when its variable is unset or Gitpod has no
 * such token (apply the file first), else the host-token protocol with the file's expiry.
 */
async function hostTokenRotations(
  api: ScheduledApi,
  selected: readonly ManagedHostToken[],
  input: ScheduledRotationInput,
  options: { dryRun: boolean; now: () => Date; signal?: AbortSignal },
): Promise<Job[]> {
  const jobs: Job[] = [];
  const withValues: Array<{ managed: ManagedHostToken; token: string; refreshToken: string | undefined }> =
    [];
  for (const managed of selected) {
    const token = envValue(input.env, managed.tokenEnv);
    const refreshToken = managed.refreshTokenEnv ? envValue(input.env, managed.refreshTokenEnv) : undefined;
    const unset = [
      token === undefined || token.trim() === "" ? managed.tokenEnv : undefined,
      managed.refreshTokenEnv && !refreshToken?.trim() ? managed.refreshTokenEnv : undefined,
    ].filter((name): name is string => name !== undefined);
    if (unset.length > 0) {
      const reason = `The environment variable ${unset.join(" and ")} ${unset.length > 1 ? "are" : "is"} not set; nothing was changed.`;
      jobs.push({ managed, run: () => Promise.resolve(itemFor(managed, "refused", reason)) });
    } else {
      withValues.push({ managed, token: token as string, refreshToken });
    }
  }
  if (withValues.length === 0) return jobs;

  const live = await readEachRunnerOrError(
    uniqueRunnerIds(withValues.map((entry) => entry.managed)),
    (runnerId) => hostTokensOfRunner(api, runnerId, signalOption(options.signal)),
  );
  for (const { managed, token, refreshToken } of withValues) {
    const listed = live.get(managed.runnerId) ?? [];
    if ("error" in listed) {
      const reason = `Could not list the host tokens: ${listed.error} Nothing was changed.`;
      jobs.push({ managed, run: () => Promise.resolve(itemFor(managed, "failed", reason)) });
      continue;
    }
    const found = listed.find(
      (candidate) =>
        isServiceAccountToken(candidate) &&
        candidate.subject?.id?.toLowerCase() === managed.serviceAccount.toLowerCase() &&
        sameHost(candidate.host, managed.host),
    );
    if (!found) {
      const reason =
        "No such service-account token in Gitpod: apply the runner-config file first. Nothing was changed.";
      jobs.push({ managed, run: () => Promise.resolve(itemFor(managed, "refused", reason)) });
      continue;
    }
    jobs.push({
      managed,
      run: async () => {
        const result = await rotateHostToken(
          api,
          {
            tokenId: found.id,
            token,
            ...(refreshToken === undefined ? {} : { refreshToken }),
            ...(managed.expiresAt === undefined ? {} : { expiresAt: managed.expiresAt }),
          },
          { dryRun: options.dryRun, now: options.now, ...signalOption(options.signal) },
        );
        const item = itemFor(
          managed,
          STATUS_OF[result.outcome],
          scrub(result.summary, [token, refreshToken]),
          found.id,
        );
        if (found.integrationId) item.integrationId = found.integrationId;
        item.changed = result.changed;
        item.rotation = result;
        return item;
      },
    });
  }
  return jobs;
}

/** An unchanged item for one credential of the file: an OAuth client secret, or a service account's token. */
function itemFor(
  managed: ManagedScmIntegration | ManagedHostToken,
  status: ScheduledRotationStatus,
  reason: string,
  /** The live integration's id, or the live token's id. */
  liveId?: string,
): ScheduledRotationItem {
  const isToken = "tokenEnv" in managed;
  const item: ScheduledRotationItem = {
    runnerId: managed.runnerId,
    scmId: isToken ? "" : managed.scmId,
    host: managed.host,
    ...(isToken ? { serviceAccount: managed.serviceAccount } : {}),
    status,
    changed: false,
    reason,
  };
  if (managed.runnerName) item.runnerName = managed.runnerName;
  if (liveId && isToken) item.tokenId = liveId;
  else if (liveId) item.integrationId = liveId;
  return item;
}

function fromRotation(
  managed: ManagedScmIntegration,
  result: RotationResult,
  secrets: readonly string[],
): ScheduledRotationItem {
  const item = itemFor(
    managed,
    STATUS_OF[result.outcome],
    scrub(result.summary, secrets),
    result.integrationId,
  );
  item.changed = result.changed;
  item.rotation = result;
  return item;
}

/** File order: OAuth secrets as their integrations appear, then the host tokens, then the LLM keys. */
function byRunnerAndHost(
  order: readonly ManagedScmIntegration[],
  tokens: readonly ManagedHostToken[],
  llm: readonly ManagedLlmIntegration[],
): (a: ScheduledRotationItem, b: ScheduledRotationItem) => number {
  const position = (item: ScheduledRotationItem) =>
    item.llmEndpoint !== undefined
      ? order.length +
        tokens.length +
        llm.findIndex(
          (managed) => managed.runnerId === item.runnerId && managed.endpoint === item.llmEndpoint,
        )
      : item.serviceAccount === undefined
        ? order.findIndex(
            (managed) =>
              managed.runnerId === item.runnerId &&
              managed.scmId === item.scmId &&
              managed.host === item.host,
          )
        : order.length +
          tokens.findIndex(
            (managed) =>
              managed.runnerId === item.runnerId &&
              managed.serviceAccount === item.serviceAccount &&
              managed.host === item.host,
          );
  return (a, b) => position(a) - position(b);
}
