/**
 * Scheduled rotation: push the OAuth client secrets named in the runner-config file (by variable)
 * to Gitpod, one rotation protocol run per integration. Each integration stands alone: a refusal
 * or failure changes nothing for it and does not stop the others.
 */
import type { ScmIntegration } from "../api/schemas.js";
import { envValue } from "../config/env.js";
import { describeApiError, scrubSecrets } from "../rotation/api-error-in-words.js";
import { rotateScmCredentials } from "../rotation/protocol.js";
import type { RotationOutcome, RotationResult } from "../rotation/types.js";
import { mapWithConcurrency } from "../sync/limiter.js";
import { findLive, listIntegrations, uniqueRunnerIds } from "./live.js";
import { selectForRotation } from "./select.js";
import type {
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
  const selected = selectForRotation(input.integrations, input.rotateOnly);

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
      live = await listIntegrations(
        api,
        uniqueRunnerIds(ready.map((entry) => entry.managed)),
        signalOption(options.signal),
      );
    } catch (error) {
      listError = describeApiError(error).text;
    }
  }

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
        { integrationId: integration.id, clientId: managed.oauth?.clientId, clientSecret: secret },
        { dryRun, ...signalOption(options.signal), now },
      );
      return fromRotation(managed, result, secrets);
    };
  });
  const done = await mapWithConcurrency(
    rotations,
    options.concurrency ?? DEFAULT_CONCURRENCY,
    (run, index) =>
      options.stopStarting?.aborted
        ? Promise.resolve(
            itemFor(
              (ready[index] as (typeof ready)[number]).managed,
              "refused",
              "Not started: the run was cancelled. Nothing was changed.",
            ),
          )
        : run(),
  );
  items.push(...done);
  items.sort(byRunnerAndHost(input.integrations));

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

function signalOption(signal: AbortSignal | undefined): { signal?: AbortSignal } {
  return signal ? { signal } : {};
}

function itemFor(
  managed: ManagedScmIntegration,
  status: ScheduledRotationStatus,
  reason: string,
  integrationId?: string,
): ScheduledRotationItem {
  const item: ScheduledRotationItem = {
    runnerId: managed.runnerId,
    scmId: managed.scmId,
    host: managed.host,
    status,
    changed: false,
    reason,
  };
  if (managed.runnerName) item.runnerName = managed.runnerName;
  if (integrationId) item.integrationId = integrationId;
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
    scrubSecrets(result.summary, secrets),
    result.integrationId,
  );
  item.changed = result.changed;
  item.rotation = result;
  return item;
}

/** File order: runners as they appear, then integrations as they appear. */
function byRunnerAndHost(
  order: readonly ManagedScmIntegration[],
): (a: ScheduledRotationItem, b: ScheduledRotationItem) => number {
  const position = (item: ScheduledRotationItem) =>
    order.findIndex(
      (managed) =>
        managed.runnerId === item.runnerId && managed.scmId === item.scmId && managed.host === item.host,
    );
  return (a, b) => position(a) - position(b);
}
