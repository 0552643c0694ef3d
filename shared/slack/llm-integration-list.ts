/**
 * LLM integrations in the bot's `list`: per runner, one line each with the endpoint's host, the
 * phase (UNAVAILABLE with the service's reason) and how many models it serves. Never the key:
 * the API answers only its ciphertext, and not even that is shown.
 */

import type { LlmIntegration } from "../api/resources/llm-integrations.wire.js";
import { llmPhaseWords } from "../credential-upkeep/llm-health.js";
import { endpointHost, llmPhaseWord } from "../rotation/llm-key.js";
import { bold, code, escapeMrkdwn } from "./mrkdwn.js";

/** The LLM integrations of the listed runners, or why they could not be read. */
export type LlmListing = { integrations: readonly LlmIntegration[] } | { error: string };

/** The lines of one runner's LLM integrations (empty when it has none). */
export function llmIntegrationLines(integrations: readonly LlmIntegration[]): string[] {
  const sorted = [...integrations].sort((a, b) =>
    endpointHost(a.endpoint).localeCompare(endpointHost(b.endpoint)),
  );
  return sorted.map((integration) => {
    const phase = llmPhaseWords({
      phase: llmPhaseWord(integration.phase),
      ...(integration.phaseReason ? { phaseReason: integration.phaseReason } : {}),
    });
    const flag = llmPhaseWord(integration.phase) === "UNAVAILABLE" ? ":red_circle: " : "";
    const models = `${integration.models.length} model${integration.models.length === 1 ? "" : "s"}`;
    return `${flag}LLM ${bold(endpointHost(integration.endpoint) || "(no endpoint)")} · ${escapeMrkdwn(phase)} · ${models} · ID ${code(integration.id)}`;
  });
}
