/**
 * Scheduled rotation of LLM integrations' API keys: one job per selected integration of the file.
 * Refused (unchanged) when its variable is unset or Gitpod has no integration with its endpoint on
 * the runner (apply the file first); else the LLM-key protocol, whose result reports the phase.
 */

import { llmIntegrationsOfRunner, readEachRunnerOrError } from "../api/live-reads.js";
import type { LlmIntegration } from "../api/resources/llm-integrations.wire.js";
import { signalOption } from "../api/transport.js";
import { envValue } from "../config/env.js";
import { llmKey } from "../kinds/llm-integrations/file-format.js";
import { rotateLlmKey } from "../rotation/llm-key.js";
import type { RotationOutcome } from "../rotation/types.js";
import { scrub } from "../text/scrub.js";
import { uniqueRunnerIds } from "./live.js";
import type {
  ManagedLlmIntegration,
  ScheduledApi,
  ScheduledRotationItem,
  ScheduledRotationStatus,
} from "./types.js";

export interface LlmKeyJob {
  managed: ManagedLlmIntegration;
  run: () => Promise<ScheduledRotationItem>;
}

/** The values of the variables that must never be printed: the keys and literal header values. */
export function llmSecretValues(
  managed: readonly ManagedLlmIntegration[],
  env: Readonly<Record<string, string | undefined>>,
): string[] {
  return managed
    .flatMap((item) => [item.apiKeyEnv, ...item.headerEnvs])
    .map((name) => envValue(env, name))
    .filter((value): value is string => value !== undefined && value.trim() !== "");
}

export async function llmKeyRotations(
  api: ScheduledApi,
  selected: readonly ManagedLlmIntegration[],
  env: Readonly<Record<string, string | undefined>>,
  statusOf: Record<RotationOutcome, ScheduledRotationStatus>,
  options: { dryRun: boolean; now: () => Date; signal?: AbortSignal },
): Promise<LlmKeyJob[]> {
  const jobs: LlmKeyJob[] = [];
  const withKeys: Array<{ managed: ManagedLlmIntegration; apiKey: string }> = [];
  for (const managed of selected) {
    const apiKey = envValue(env, managed.apiKeyEnv);
    if (apiKey === undefined || apiKey.trim() === "") {
      const reason = `The environment variable ${managed.apiKeyEnv} is not set; nothing was changed.`;
      jobs.push({ managed, run: () => Promise.resolve(llmItem(managed, "refused", reason)) });
    } else {
      withKeys.push({ managed, apiKey });
    }
  }
  if (withKeys.length === 0) return jobs;

  const live = await readEachRunnerOrError(
    uniqueRunnerIds(withKeys.map((entry) => entry.managed)),
    (runnerId) => llmIntegrationsOfRunner(api, runnerId, signalOption(options.signal)),
  );
  const secrets = llmSecretValues(selected, env);
  for (const { managed, apiKey } of withKeys) {
    const listed = live.get(managed.runnerId) ?? [];
    if ("error" in listed) {
      const reason = `Could not list the LLM integrations: ${listed.error} Nothing was changed.`;
      jobs.push({ managed, run: () => Promise.resolve(llmItem(managed, "failed", reason)) });
      continue;
    }
    const found = listed.filter((candidate) => llmKey(candidate) === llmKey(managed));
    if (found.length !== 1) {
      const reason =
        found.length === 0
          ? "No LLM integration with this endpoint in Gitpod: apply the runner-config file first. Nothing was changed."
          : `${found.length} LLM integrations in Gitpod have this endpoint, so which one to rotate is unclear: delete the extra ones first. Nothing was changed.`;
      jobs.push({ managed, run: () => Promise.resolve(llmItem(managed, "refused", reason)) });
      continue;
    }
    const integration = found[0] as LlmIntegration;
    jobs.push({
      managed,
      run: async () => {
        const result = await rotateLlmKey(
          api,
          { integrationId: integration.id, apiKey, alsoSecret: secrets },
          { dryRun: options.dryRun, now: options.now, ...signalOption(options.signal) },
        );
        const item = llmItem(
          managed,
          statusOf[result.outcome],
          scrub(result.summary, secrets),
          integration.id,
        );
        item.changed = result.changed;
        item.rotation = result;
        return item;
      },
    });
  }
  return jobs;
}

/** An unchanged item for one LLM integration's API key. */
export function llmItem(
  managed: ManagedLlmIntegration,
  status: ScheduledRotationStatus,
  reason: string,
  liveId?: string,
): ScheduledRotationItem {
  const item: ScheduledRotationItem = {
    runnerId: managed.runnerId,
    scmId: "",
    host: managed.host,
    llmEndpoint: managed.endpoint,
    status,
    changed: false,
    reason,
  };
  if (managed.runnerName) item.runnerName = managed.runnerName;
  if (liveId) item.llmIntegrationId = liveId;
  return item;
}
