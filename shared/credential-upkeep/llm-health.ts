/**
 * The LLM part of the credential health check: each LLM integration of the managed runners with
 * its phase, UNAVAILABLE flagged with the service's reason. Read-only; the key is never read (the
 * API holds it only encrypted) and never printed.
 */

import { describeApiError } from "../api/error-in-words.js";
import { llmIntegrationsOfRunner } from "../api/live-reads.js";
import type { CallOptions } from "../api/transport.js";
import { llmKey } from "../kinds/llm-integrations/file-format.js";
import { endpointHost, llmPhaseWord } from "../rotation/llm-key.js";
import { mapWithConcurrency } from "../sync/limiter.js";
import type { CheckedLlmIntegrations, ManagedLlmIntegration, ScheduledApi } from "./types.js";

export async function checkLlmIntegrations(
  api: Pick<ScheduledApi, "llmIntegrations">,
  runnerIds: readonly string[],
  managed: readonly ManagedLlmIntegration[],
  names: ReadonlyMap<string, string>,
  concurrency: number,
  call: CallOptions,
): Promise<CheckedLlmIntegrations> {
  const result: CheckedLlmIntegrations = { integrations: [], errors: [], unavailable: 0 };
  const lists = await mapWithConcurrency([...runnerIds], concurrency, async (runnerId) => {
    try {
      return await llmIntegrationsOfRunner(api, runnerId, call);
    } catch (error) {
      return {
        error: `could not list the LLM integrations of ${names.get(runnerId) ?? runnerId}: ${describeApiError(error).text}`,
      };
    }
  });
  for (const listed of lists) {
    if ("error" in listed) {
      result.errors.push(listed.error);
      continue;
    }
    for (const live of listed) {
      const phase = llmPhaseWord(live.phase);
      const name = names.get(live.runnerId);
      result.integrations.push({
        id: live.id,
        runnerId: live.runnerId,
        ...(name ? { runnerName: name } : {}),
        endpoint: live.endpoint ?? "",
        host: endpointHost(live.endpoint),
        models: live.models.length,
        phase,
        ...(live.phaseReason ? { phaseReason: live.phaseReason } : {}),
        managed: managed.some((item) => item.runnerId === live.runnerId && llmKey(item) === llmKey(live)),
      });
      if (phase === "UNAVAILABLE") result.unavailable += 1;
    }
  }
  return result;
}

/** A phase in words, e.g. "AVAILABLE" or "UNAVAILABLE (insufficient funds)". */
export function llmPhaseWords(item: { phase: string; phaseReason?: string }): string {
  if (item.phase !== "UNAVAILABLE") return item.phase;
  return `UNAVAILABLE (${item.phaseReason || "the service gave no reason"})`;
}

/** An LLM integration's line in words, e.g. "api.anthropic.com: UNAVAILABLE (insufficient funds)". */
export function llmPhaseText(item: { host: string; phase: string; phaseReason?: string }): string {
  return `${item.host || "(no endpoint)"}: ${llmPhaseWords(item)}`;
}
